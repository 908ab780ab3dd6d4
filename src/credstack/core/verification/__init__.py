"""Verification of credentials: a pipeline of checks and the report it produces.

The recipe callers use is :func:`verify_credential`: give it a credential (an OB 3.0 / VC 2.0
JSON-LD credential with Data Integrity proofs, a VC-JWT, or an enveloped one), the seams
(JSON-LD document loader, verification-method resolver, status list source, programme
registry) and the time, and read the :class:`VerificationReport` — one :class:`Check` per
step, ``ok`` computed from them, and the :class:`Meaning` (micro-credential descriptors,
conformance per framework profile, registry record). Nothing about the credential raises.
The report answers two questions apart — is the credential *authentic*, does it *conform* to
the Open Badges rules — and its verdict policy (``strict`` or not) decides whether the second
counts (:mod:`.report`). :func:`verdict_of` (:mod:`.verdict`) turns a report into the headline
people read: who earned what from whom, and, in plain words, what is wrong.

Every format is one list of steps run by one runner (:mod:`.runner`) into the same report:

================== ============================================================================
``pipeline``       a credential (VC 2.0 / Open Badges 3.0): :func:`verify_credential`
``presentations``  a Verifiable Presentation, and each credential in it
``openbadges_v2``  an Open Badges 2.0 badge: hosted, signed, or the URL of a hosted one
``clr_v2``         a CLR 2.0 ``ClrCredential``: the credential's steps, then its own
================== ============================================================================

What the formats' steps share is written once: reading the input within its limits, strictly
(:mod:`.reading`, :mod:`.json_values`), the data model's common rules and the failed
``data-model`` check (:mod:`.data_model`), the ``contexts`` step (:mod:`.contexts`), Data
Integrity proofs and who signed (:mod:`.proofs`, :mod:`.methods`), the checks themselves
(:mod:`.checks`, :mod:`.report`), and the ``meaning`` step's reading of what an achievement
means (:mod:`.meaning`), followed for a learner credential by its recognition
(:mod:`.recognition`). The ``issuer``, ``validity`` and ``status`` steps are the credential's,
and a CLR runs them as they are.
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
    Decision,
    DescriptorSource,
    Identity,
    Meaning,
    Missing,
    Notice,
    VerificationReport,
)
from .verdict import Outcome, Reason, Verdict, untrusted, verdict_of

__all__ = [
    "CHECK_TITLES",
    "DEFAULT_CHECKS",
    "MAX_CREDENTIAL_BYTES",
    "STEPS",
    "Check",
    "CheckKind",
    "CheckStep",
    "Decision",
    "DescriptorSource",
    "Identity",
    "Meaning",
    "MethodResolver",
    "Missing",
    "Notice",
    "Outcome",
    "ProgrammeLookup",
    "Reason",
    "SchemaLookup",
    "Signer",
    "StatusListFetcher",
    "Verdict",
    "VerificationKey",
    "VerificationReport",
    "VerificationState",
    "credential_schema",
    "untrusted",
    "verdict_of",
    "verify_credential",
]
