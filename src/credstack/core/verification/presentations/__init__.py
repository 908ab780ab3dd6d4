"""Verification of a presentation: its structure and proof, challenge, domain and holder, then
each credential it holds.

What is verified, and against which texts:

* *Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-model-2.0/ — §4.13 "Verifiable Presentations" (``@context``,
  ``id``, ``type``, ``holder``, ``verifiableCredential``: the MUSTs checked by
  :func:`check_data_model`).
* *Verifiable Credential Data Integrity 1.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-integrity/ — §2.1 "Proofs" (``challenge``, ``domain``), §2.2
  "Proof Purposes" (a presentation is signed for ``authentication``), §4.4 "Verify Proof"
  (through :func:`credstack.core.proofs.verify_data_integrity`).
* *Verifiable Credentials API for Lifecycle Management* (VC-API), "Verify Presentation" —
  https://w3c.github.io/vcalm/#verify-presentation — the presentation's own proof, with the
  challenge and domain the verifier asked for; the holder matches the key that signed; every
  credential in it verified like a credential on its own. A presentation without a proof is
  accepted only when no challenge was asked for: a challenge is exactly the request to prove
  possession, which only a proof can answer.

:func:`verify_presentation` runs a list of steps, like the credential pipeline
(:mod:`credstack.core.verification.pipeline`): each is a function of the shared
:class:`PresentationState` that returns one :class:`~.report.Check`; the configuration is
:data:`PRESENTATION_STEPS`. The credentials inside are verified by an injected
:class:`CredentialVerifier` — in the service, the same pipeline ``/credentials/verify`` runs —
and summed up in one ``credentials`` check, so that the presentation is verified only when
every credential is.

Verdict versus error, as for credentials: everything about the *presentation* is a failed
check; :func:`verify_presentation` raises only for the caller's mistakes (a naive ``now``, a
seam that breaks its contract). No I/O, no clock: the key resolver, the JSON-LD document
loader, the credential verifier and the time are parameters.
"""

from __future__ import annotations

from credstack.core.verification.presentations.binding import check_challenge as check_challenge
from credstack.core.verification.presentations.binding import check_domain as check_domain
from credstack.core.verification.presentations.binding import check_holder as check_holder
from credstack.core.verification.presentations.credentials import (
    check_credentials as check_credentials,
)
from credstack.core.verification.presentations.parse import _context_problems as _context_problems
from credstack.core.verification.presentations.parse import _loads as _loads
from credstack.core.verification.presentations.parse import _read as _read
from credstack.core.verification.presentations.parse import _too_large as _too_large
from credstack.core.verification.presentations.parse import check_data_model as check_data_model
from credstack.core.verification.presentations.parse import check_parse as check_parse
from credstack.core.verification.presentations.proof import _proof_refusal as _proof_refusal
from credstack.core.verification.presentations.proof import _public_key as _public_key
from credstack.core.verification.presentations.proof import _resolve as _resolve
from credstack.core.verification.presentations.proof import _secure as _secure
from credstack.core.verification.presentations.proof import check_contexts as check_contexts
from credstack.core.verification.presentations.proof import check_proof as check_proof
from credstack.core.verification.presentations.runner import (
    PRESENTATION_STEPS as PRESENTATION_STEPS,
)
from credstack.core.verification.presentations.runner import (
    PresentationReport as PresentationReport,
)
from credstack.core.verification.presentations.runner import (
    verify_presentation as verify_presentation,
)
from credstack.core.verification.presentations.seams import AUTHENTICATION as AUTHENTICATION
from credstack.core.verification.presentations.seams import (
    DATA_INTEGRITY_PROOF as DATA_INTEGRITY_PROOF,
)
from credstack.core.verification.presentations.seams import ENVELOPED_VP_TYPE as ENVELOPED_VP_TYPE
from credstack.core.verification.presentations.seams import (
    MAX_PRESENTATION_BYTES as MAX_PRESENTATION_BYTES,
)
from credstack.core.verification.presentations.seams import (
    PRESENTATION_CHECK_TITLES as PRESENTATION_CHECK_TITLES,
)
from credstack.core.verification.presentations.seams import VC_V1_CONTEXT as VC_V1_CONTEXT
from credstack.core.verification.presentations.seams import VC_V2_CONTEXT as VC_V2_CONTEXT
from credstack.core.verification.presentations.seams import VP_TYPE as VP_TYPE
from credstack.core.verification.presentations.seams import CredentialVerifier as CredentialVerifier
from credstack.core.verification.presentations.seams import PresentationState as PresentationState
from credstack.core.verification.presentations.seams import PresentationStep as PresentationStep
from credstack.core.verification.presentations.seams import _unread as _unread
from credstack.core.verification.presentations.seams import _unsigned as _unsigned

__all__ = [
    "AUTHENTICATION",
    "MAX_PRESENTATION_BYTES",
    "PRESENTATION_CHECK_TITLES",
    "PRESENTATION_STEPS",
    "CredentialVerifier",
    "PresentationReport",
    "PresentationState",
    "PresentationStep",
    "check_challenge",
    "check_contexts",
    "check_credentials",
    "check_data_model",
    "check_domain",
    "check_holder",
    "check_parse",
    "check_proof",
    "verify_presentation",
]

