"""The presentation pipeline: its report, and the steps run in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.crypto import DocumentLoader
from credstack.core.verification.pipeline import MethodResolver
from credstack.core.verification.presentations.binding import (
    check_challenge,
    check_domain,
    check_holder,
)
from credstack.core.verification.presentations.credentials import check_credentials
from credstack.core.verification.presentations.parse import check_data_model, check_parse
from credstack.core.verification.presentations.proof import check_contexts, check_proof
from credstack.core.verification.presentations.seams import (
    PRESENTATION_CHECK_TITLES,
    CredentialVerifier,
    PresentationState,
    PresentationStep,
)
from credstack.core.verification.report import Check, VerificationReport


@dataclass(frozen=True, slots=True)
class PresentationReport:
    """Every check of the presentation in the order it ran, and one report per credential.

    The last check, ``credentials``, passes only when every credential verified, so
    :attr:`ok` — computed like a credential's — is true only when the presentation and all its
    credentials are.
    """

    checks: tuple[Check, ...]
    credentials: tuple[VerificationReport, ...] = ()

    @property
    def ok(self) -> bool:
        return VerificationReport(self.checks).ok

    @property
    def presentation(self) -> VerificationReport:
        """The checks about the presentation itself (not the credentials in it)."""
        return VerificationReport(tuple(c for c in self.checks if c.name != "credentials"))

    def check(self, name: str) -> Check | None:
        return VerificationReport(self.checks).check(name)

    def to_dict(self) -> dict[str, Any]:
        """``verified``, ``checks``, ``errors``, ``warnings`` (as for a credential), plus
        ``presentationResult`` (the presentation's own checks) and ``credentialResults`` (one
        credential result per credential, in order)."""
        whole = _titled(VerificationReport(self.checks).to_dict())
        own = _titled(self.presentation.to_dict())
        del whole["meaning"], own["meaning"]
        return {**whole, "presentationResult": own,
                "credentialResults": [report.to_dict() for report in self.credentials]}


def _titled(result: dict[str, Any]) -> dict[str, Any]:
    """A result whose titles speak of a presentation (``parse`` reads one, not a credential)."""
    for check in result["checks"]:
        titles = PRESENTATION_CHECK_TITLES.get(check["check"])
        if titles is not None:
            check["title"] = {"en": titles[0], "ja": titles[1]}
    for item in (*result["errors"], *result["warnings"]):
        titles = PRESENTATION_CHECK_TITLES.get(item["check"])
        if titles is not None:
            item["title"] = titles[0]
    return result


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
) -> PresentationReport:
    """Verify a presentation and every credential in it; every finding is a check.

    ``presentation`` is a VC 2.0 (or 1.1) JSON-LD presentation — a JSON object, or its JSON
    text or bytes — secured with a Data Integrity proof for ``authentication``, or with no
    proof when no ``challenge`` is given. ``challenge`` and ``domain`` are what the verifier
    asked the holder to sign (``None``: not asked). ``document_loader`` serves the JSON-LD
    contexts; ``resolve_verification_method`` resolves methods other than ``did:key``;
    ``verify_credential`` verifies each credential inside; ``now`` is an aware datetime (for a
    proof's ``expires``).

    Raises ``ValueError`` for a naive ``now`` or no steps, ``TypeError`` when a step or a seam
    breaks its contract — never for anything about the presentation.
    """
    if not isinstance(now, dt.datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be a timezone-aware datetime, not {now!r}")
    if not steps:
        raise ValueError("give at least one step")
    state = PresentationState(
        input=presentation, challenge=challenge, domain=domain,
        document_loader=document_loader,
        resolve_verification_method=resolve_verification_method,
        verify_credential=verify_credential, now=now)
    results: list[Check] = []
    for step in steps:
        check = step(state)
        if not isinstance(check, Check):
            raise TypeError(f"the step {step!r} returned {check!r}, not a Check")
        state.results[check.name] = check
        results.append(check)
    return PresentationReport(tuple(results), state.credentials)
