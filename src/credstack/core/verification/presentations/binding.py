"""The challenge, domain and holder steps: the presentation bound to this verifier's request
and to its holder.

Each check's reason is said as a code (``verification.check.challenge.…``,
``….domain.…``, ``….holder.…``) with its parameters; the runner words it."""

from __future__ import annotations

from credstack.core.said import Said
from credstack.core.verification.checks import failed, not_checked, passed
from credstack.core.verification.presentations.seams import (
    PresentationState,
    holder_id,
    unsigned,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice

__all__ = ["check_challenge", "check_domain", "check_holder"]

_CHALLENGE = "verification.check.challenge."
_DOMAIN = "verification.check.domain."
_HOLDER = "verification.check.holder."


def check_challenge(state: PresentationState) -> Check:
    """``challenge``: every verified proof carries the challenge the verifier gave."""
    if state.presentation is None:
        return unread("challenge", state.subject)
    if state.signed is None:
        return unsigned("challenge")
    asked = state.challenge
    found = [proof.get("challenge") for proof, _ in state.signed]
    if asked is None:
        if any(value is not None for value in found):
            return passed("challenge", Said(f"{_CHALLENGE}not_compared"),
                          code="not-requested", warnings=[Notice(
                              "challenge-not-compared",
                              said=Said(f"{_CHALLENGE}not_compared_notice"))])
        return passed("challenge", Said(f"{_CHALLENGE}not_asked"), code="not-requested")
    if any(value is None for value in found):
        return failed("challenge", "challenge-missing",
                      Said(f"{_CHALLENGE}missing", asked=asked), expected=asked)
    wrong = [value for value in found if value != asked]
    if wrong:
        return failed("challenge", "challenge-mismatch",
                      Said(f"{_CHALLENGE}mismatch", found=wrong[0], asked=asked),
                      expected=asked, found=wrong[0])
    return passed("challenge", Said(f"{_CHALLENGE}answered", asked=asked), challenge=asked)


def _domains(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def check_domain(state: PresentationState) -> Check:
    """``domain``: every verified proof names the domain the verifier gave."""
    if state.presentation is None:
        return unread("domain", state.subject)
    if state.signed is None:
        return unsigned("domain")
    asked = state.domain
    found = [_domains(proof.get("domain")) for proof, _ in state.signed]
    if asked is None:
        if any(value for value in found):
            return passed("domain", Said(f"{_DOMAIN}not_compared"),
                          code="not-requested", warnings=[Notice(
                              "domain-not-compared",
                              said=Said(f"{_DOMAIN}not_compared_notice"))])
        return passed("domain", Said(f"{_DOMAIN}not_asked"), code="not-requested")
    if any(not value for value in found):
        return failed("domain", "domain-missing", Said(f"{_DOMAIN}missing", asked=asked),
                      expected=asked)
    wrong = next((value for value in found if value is not None and asked not in value), None)
    if wrong is not None:
        return failed("domain", "domain-mismatch",
                      Said(f"{_DOMAIN}mismatch", found=", ".join(wrong), asked=asked),
                      expected=asked, found=wrong)
    return passed("domain", Said(f"{_DOMAIN}named", asked=asked), domain=asked)


def check_holder(state: PresentationState) -> Check:
    """``holder``: the holder the presentation names controls a key that signed it."""
    presentation = state.presentation
    if presentation is None:
        return unread("holder", state.subject)
    if "holder" not in presentation:
        return passed("holder", Said(f"{_HOLDER}none"), code="no-holder")
    holder = holder_id(presentation)
    if holder is None:
        return not_checked("holder", Said(f"{_HOLDER}not_url"))
    if state.signed is None:
        return unsigned("holder")
    if not state.signed:
        return passed("holder", Said(f"{_HOLDER}not_signed", holder=holder),
                      code="not-authenticated", holder=holder, warnings=[Notice(
                          "holder-not-authenticated",
                          said=Said(f"{_HOLDER}not_signed_notice", holder=holder))])
    controllers = [signer.controller for _, signer in state.signed]
    if holder not in controllers:
        signed_by = ", ".join(dict.fromkeys(controllers))
        return failed("holder", "holder-mismatch",
                      Said(f"{_HOLDER}mismatch", holder=holder, signers=signed_by),
                      holder=holder, signers=controllers)
    return passed("holder", Said(f"{_HOLDER}signed", holder=holder), holder=holder)
