"""The common descriptors of micro-credentials: model, framework profiles, validation."""

from credstack.core.descriptors.findings import Finding, Severity
from credstack.core.descriptors.interchange import (
    Documents,
    Format,
    parse_organisation,
    parse_programme,
    read_documents,
    write_documents,
)
from credstack.core.descriptors.models import AwardedMicroCredential, Programme
from credstack.core.descriptors.profiles import Profile, get_profile, profiles
from credstack.core.descriptors.validation import ProfileReport, validate, validate_all

__all__ = [
    "AwardedMicroCredential",
    "Documents",
    "Finding",
    "Format",
    "Profile",
    "ProfileReport",
    "Programme",
    "Severity",
    "get_profile",
    "parse_organisation",
    "parse_programme",
    "profiles",
    "read_documents",
    "validate",
    "validate_all",
    "write_documents",
]
