"""The badge's steps in order, and :func:`verify_badge`, which runs them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

from credstack.core.crypto.canonicalization import DocumentLoader
from credstack.core.said import Words
from credstack.core.verification.meaning import ProgrammeLookup
from credstack.core.verification.openbadges_v2.data_model import check_contexts, check_data_model
from credstack.core.verification.openbadges_v2.graph import DocumentFetcher, Ob2State, Ob2Step
from credstack.core.verification.openbadges_v2.meaning import check_meaning
from credstack.core.verification.openbadges_v2.parse import check_parse
from credstack.core.verification.openbadges_v2.proof import check_proof
from credstack.core.verification.openbadges_v2.validity import (
    check_issuer,
    check_recipient,
    check_status,
    check_validity,
)
from credstack.core.verification.report import VerificationReport
from credstack.core.verification.runner import run

__all__ = ["DEFAULT_CHECKS", "STEPS", "verify_badge"]

#: Every step by the name of the check it adds, in the order they run by default.
STEPS: Final[Mapping[str, Ob2Step]] = {
    "parse": check_parse,
    "proof": check_proof,
    "contexts": check_contexts,
    "data-model": check_data_model,
    "issuer": check_issuer,
    "validity": check_validity,
    "status": check_status,
    "recipient": check_recipient,
    "meaning": check_meaning,
}


DEFAULT_CHECKS: Final[tuple[Ob2Step, ...]] = tuple(STEPS.values())


def _no_registry(achievement_id: str) -> Mapping[str, Any] | None:
    return None


def verify_badge(badge: Mapping[str, Any] | str | bytes, *, fetch: DocumentFetcher,
                 now: dt.datetime, recipient: str | None = None,
                 programme_lookup: ProgrammeLookup = _no_registry,
                 checks: Sequence[Ob2Step] = DEFAULT_CHECKS, words: Words,
                 document_loader: DocumentLoader | None = None) -> VerificationReport:
    """Verify an Open Badges 2.0 badge and say what it means; every finding is a check.

    ``badge`` is an assertion (a JSON object, its text or bytes), a signed badge (a compact
    JWS) or the http(s) URL of a hosted assertion; ``fetch`` gets the documents it links to;
    ``recipient`` (optional) is compared with the assertion's recipient; ``now`` is an aware
    datetime; ``words`` words what the checks say (:func:`credstack.words.words`);
    ``document_loader`` serves the contexts a Blockcerts v2 certificate's receipt is checked
    with (without it, that receipt could not be checked). Raises
    ``ValueError`` for a naive ``now`` or no checks, ``TypeError`` when a step or seam breaks
    its contract — never for anything about the badge.
    """
    return run(Ob2State(input=badge, fetch=fetch, now=now, recipient=recipient,
                        programme_lookup=programme_lookup, words=words,
                        document_loader=document_loader), checks)
