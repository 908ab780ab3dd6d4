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

:func:`verify_presentation` runs a list of steps with the one runner
(:mod:`credstack.core.verification.runner`), like a credential's: each is a function of the
shared :class:`PresentationState` that returns one :class:`~..report.Check`; the configuration
is :data:`PRESENTATION_STEPS`. Reading within the limits (:mod:`..reading`), the ``@context``
rules and the ``contexts`` step (:mod:`..contexts`) and the Data Integrity proof
(:mod:`..proofs`) are the ones credentials have; ``challenge``, ``domain`` and ``holder``
(:mod:`.binding`) and ``credentials`` (:mod:`.credentials`) are the presentation's own. The
credentials inside are verified by an injected :class:`CredentialVerifier` — in the service,
the same pipeline ``/credentials/verify`` runs — and summed up in one ``credentials`` check,
so that the presentation is verified only when every credential is.

Verdict versus error, as for credentials: everything about the *presentation* is a failed
check; :func:`verify_presentation` raises only for the caller's mistakes (a naive ``now``, a
seam that breaks its contract). No I/O, no clock: the key resolver, the JSON-LD document
loader, the credential verifier and the time are parameters.
"""

from __future__ import annotations

from credstack.core.verification.contexts import check_contexts
from credstack.core.verification.pipeline.seams import CredentialVerifier
from credstack.core.verification.presentations.binding import (
    check_challenge,
    check_domain,
    check_holder,
)
from credstack.core.verification.presentations.credentials import check_credentials
from credstack.core.verification.presentations.parse import check_data_model, check_parse
from credstack.core.verification.presentations.proof import check_proof
from credstack.core.verification.presentations.report import (
    PRESENTATION_CHECK_TITLES,
    PresentationReport,
)
from credstack.core.verification.presentations.seams import (
    AUTHENTICATION,
    MAX_PRESENTATION_BYTES,
    PresentationState,
)
from credstack.core.verification.presentations.steps import (
    PRESENTATION_STEPS,
    PresentationStep,
    verify_presentation,
)

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
