"""The presentation's steps in order, and :func:`verify_presentation`, which runs them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from credstack.core.crypto import DocumentLoader
from credstack.core.said import Words
from credstack.core.verification.contexts import check_contexts
from credstack.core.verification.methods import MethodResolver
from credstack.core.verification.pipeline.seams import CredentialVerifier
from credstack.core.verification.presentations.binding import (
    check_challenge,
    check_domain,
    check_holder,
)
from credstack.core.verification.presentations.credentials import check_credentials
from credstack.core.verification.presentations.parse import check_data_model, check_parse
from credstack.core.verification.presentations.proof import check_proof
from credstack.core.verification.presentations.report import PresentationReport
from credstack.core.verification.presentations.seams import PresentationState
from credstack.core.verification.report import Check
from credstack.core.verification.runner import run

__all__ = ["PRESENTATION_STEPS", "PresentationStep", "verify_presentation"]

#: One step of a presentation's verification.
PresentationStep = Callable[[PresentationState], Check]

#: Every step by the name of the check it adds, in the order they run.
PRESENTATION_STEPS: Final[Mapping[str, PresentationStep]] = {
    "parse": check_parse,
    "data-model": check_data_model,
    "contexts": check_contexts,
    "proof": check_proof,
    "challenge": check_challenge,
    "domain": check_domain,
    "holder": check_holder,
    "credentials": check_credentials,
}


def verify_presentation(
    presentation: Mapping[str, Any] | str | bytes,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    document_loader: DocumentLoader,
    resolve_verification_method: MethodResolver,
    verify_credential: CredentialVerifier,
    now: dt.datetime,
    steps: Sequence[PresentationStep] = tuple(PRESENTATION_STEPS.values()),
    words: Words,
) -> PresentationReport:
    """Verify a presentation and every credential in it; every finding is a check.

    ``presentation`` is a VC 2.0 (or 1.1) JSON-LD presentation — a JSON object, or its JSON
    text or bytes — secured with a Data Integrity proof for ``authentication``, or with no
    proof when no ``challenge`` is given. ``challenge`` and ``domain`` are what the verifier
    asked the holder to sign (``None``: not asked). ``document_loader`` serves the JSON-LD
    contexts; ``resolve_verification_method`` resolves methods other than ``did:key``;
    ``verify_credential`` verifies each credential inside; ``now`` is an aware datetime (for a
    proof's ``expires``); ``words`` words what the checks say (:func:`credstack.words.words`).

    Raises ``ValueError`` for a naive ``now`` or no steps, ``TypeError`` when a step or a seam
    breaks its contract — never for anything about the presentation.
    """
    state = PresentationState(
        input=presentation, challenge=challenge, domain=domain,
        document_loader=document_loader,
        resolve_verification_method=resolve_verification_method,
        verify_credential=verify_credential, now=now, words=words)
    return PresentationReport(run(state, steps).checks, state.credentials)
