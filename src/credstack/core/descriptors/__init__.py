"""The common descriptors of micro-credentials: model, framework profiles, validation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credstack.core.descriptors import interchange as _interchange
from credstack.core.descriptors.findings import Finding, Severity
from credstack.core.descriptors.models import AwardedMicroCredential, Programme
from credstack.core.descriptors.profiles import Profile, get_profile, profiles
from credstack.core.descriptors.validation import ProfileReport, validate, validate_all

if TYPE_CHECKING:
    from credstack.core.descriptors.interchange import (
        Documents,
        Format,
        parse_organisation,
        parse_programme,
        read_documents,
        write_documents,
    )

#: What is read from the interchange package (YAML, JSON, CSV, CTDL and OB 3.0 documents) on
#: first use rather than at import: checking a credential's descriptors against the profiles
#: (``credstack verify``) needs the model, the validation and one programme's parsing, not
#: the file formats.
_INTERCHANGE = frozenset({"Documents", "Format", "parse_organisation", "parse_programme",
                          "read_documents", "write_documents"})

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


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562), as the ``credstack`` package does: the interchange
    # package imports the module that defines a name when the name is first asked for.
    if name not in _INTERCHANGE:
        raise AttributeError(f"module 'credstack.core.descriptors' has no attribute {name!r}")
    value = getattr(_interchange, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_INTERCHANGE})
