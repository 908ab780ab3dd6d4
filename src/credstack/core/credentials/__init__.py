"""Credentials built from micro-credential descriptors, one module per specification version.

* :mod:`~credstack.core.credentials.openbadges_v3` — Open Badges 3.0 ``OpenBadgeCredential``
  (a W3C Verifiable Credential 2.0), with the descriptors in the standard's fields and in
  the credstack micro-credential extension (context ``contexts/mc-v1.jsonld``).
"""

from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    IssuerProfile,
    build_achievement,
    build_open_badge_credential,
    descriptors_from_credential,
    extension_context,
    identity_hash,
)

__all__ = [
    "EXTENSION_CONTEXT_URL",
    "IssuerProfile",
    "build_achievement",
    "build_open_badge_credential",
    "descriptors_from_credential",
    "extension_context",
    "identity_hash",
]
