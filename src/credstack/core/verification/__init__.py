"""Verification of credentials: a pipeline of checks and the report it produces.

The recipe callers use is :func:`verify_credential`: give it a credential (an OB 3.0 / VC 2.0
JSON-LD credential with Data Integrity proofs, a VC-JWT, or an enveloped one), the seams
(JSON-LD document loader, verification-method resolver, status list source, programme
registry) and the time, and read the :class:`VerificationReport` — one :class:`Check` per
step, ``ok`` computed from them, and the :class:`Meaning` (micro-credential descriptors,
conformance per framework profile, registry record). Nothing about the credential raises.
"""

from .pipeline import (
    DEFAULT_CHECKS,
    MAX_CREDENTIAL_BYTES,
    STEPS,
    CheckStep,
    MethodResolver,
    ProgrammeLookup,
    SchemaLookup,
    Signer,
    StatusListFetcher,
    VerificationKey,
    VerificationState,
    credential_schema,
    verify_credential,
)
from .report import (
    CHECK_TITLES,
    Check,
    CheckKind,
    DescriptorSource,
    Meaning,
    Notice,
    VerificationReport,
)

__all__ = [
    "CHECK_TITLES",
    "DEFAULT_CHECKS",
    "MAX_CREDENTIAL_BYTES",
    "STEPS",
    "Check",
    "CheckKind",
    "CheckStep",
    "DescriptorSource",
    "Meaning",
    "MethodResolver",
    "Notice",
    "ProgrammeLookup",
    "SchemaLookup",
    "Signer",
    "StatusListFetcher",
    "VerificationKey",
    "VerificationReport",
    "VerificationState",
    "credential_schema",
    "verify_credential",
]
