"""What the committee decides, how long a recognition lasts, and whether it holds today.

A decision has one :class:`Outcome`, reasons (in Japanese, English or both) and, only when the
programme is recognised with conditions, the conditions. A granted recognition is valid from
the decision's publication for a period that depends on the outcome (:data:`VALIDITY_YEARS`);
:func:`recognition_status` says whether it holds at a given moment. Decision numbers
(``R-2026-0001``) are made and read here so that every page and credential writes them alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from credstack.core.review.labels import Label
from credstack.core.said import Named
from credstack.errors import InputError, Problem

__all__ = [
    "APPEALABLE",
    "MAX_DECISION_TEXT",
    "VALIDITY_YEARS",
    "Decision",
    "Outcome",
    "RecognitionStatus",
    "decision_number",
    "parse_decision",
    "parse_decision_number",
    "recognition_status",
    "valid_until",
]


class Outcome(StrEnum):
    """The committee's decision on one application."""

    RECOGNISED = "recognised"
    RECOGNISED_WITH_CONDITIONS = "recognised-with-conditions"
    NOT_RECOGNISED = "not-recognised"

    @property
    def label(self) -> Label:
        return Label.named("review-outcome", self.value)

    @property
    def grants_recognition(self) -> bool:
        """True when the outcome grants a recognition (and an endorsement credential)."""
        return self is not Outcome.NOT_RECOGNISED


def granting_outcome(value: Outcome | str) -> Outcome:
    """``value`` as an outcome that grants a recognition; InputError (at ``outcome``) for an
    unknown outcome or one that recognises nothing."""
    try:
        outcome = Outcome(value)
    except ValueError:
        raise InputError(f"unknown outcome {value!r}", problems=[
            Problem("outcome", "use recognised or recognised-with-conditions")]) from None
    if not outcome.grants_recognition:
        raise InputError("a decision that does not recognise the programme grants nothing",
                         problems=[Problem("outcome", f"{outcome.value} grants no recognition")])
    return outcome


#: Years a recognition is valid for, by outcome; an outcome that is not listed grants none.
#: Conditions are meant to be met soon, so a conditional recognition lasts one year and is then
#: renewed (or not) on the evidence that they were.
VALIDITY_YEARS: Final[Mapping[Outcome, int]] = MappingProxyType({
    Outcome.RECOGNISED: 3,
    Outcome.RECOGNISED_WITH_CONDITIONS: 1,
})

#: Outcomes the applicant may appeal; nobody appeals an unconditional recognition.
APPEALABLE: Final[frozenset[Outcome]] = frozenset(
    {Outcome.RECOGNISED_WITH_CONDITIONS, Outcome.NOT_RECOGNISED}
)

#: Longest reasons or conditions text, per language, in characters.
MAX_DECISION_TEXT: Final = 10_000
#: The message keys of a decision's faults (``recognition.review.decision.<fault>``).
_KEY: Final = "recognition.review.decision."


def valid_until(outcome: Outcome, valid_from: dt.datetime) -> dt.datetime | None:
    """The end (exclusive) of the recognition granted by ``outcome`` from ``valid_from``;
    ``None`` when the outcome grants none. 29 February becomes 28 February in a common year."""
    years = VALIDITY_YEARS.get(outcome)
    if years is None:
        return None
    try:
        return valid_from.replace(year=valid_from.year + years)
    except ValueError:
        return valid_from.replace(year=valid_from.year + years, day=28)


@dataclass(frozen=True, slots=True)
class Decision:
    """A validated committee decision: the outcome, its reasons and, iff the outcome is
    :attr:`Outcome.RECOGNISED_WITH_CONDITIONS`, the conditions."""

    outcome: Outcome
    reasons: Label
    conditions: Label | None = None


def _clean(value: str | None, location: str, problems: list[Problem]) -> str:
    text = (value or "").strip()
    if len(text) > MAX_DECISION_TEXT:
        problems.append(Problem(location, code="recognition.review.too_long",
                                params={"most": MAX_DECISION_TEXT, "length": len(text)}))
    return text


def parse_decision(*, outcome: str, reasons_ja: str | None = None,
                   reasons_en: str | None = None, conditions_ja: str | None = None,
                   conditions_en: str | None = None) -> Decision:
    """Check a decision as entered by the committee and return it.

    Texts are trimmed. Reasons are required in at least one language; conditions are required
    (in at least one language) for a recognition with conditions and refused for any other
    outcome. Raises :class:`~credstack.errors.InputError` with one problem per field, located
    ``outcome``, ``reasons``, ``reasons_ja``, ``conditions``, ….
    """
    problems: list[Problem] = []
    parsed: Outcome | None = None
    try:
        parsed = Outcome(outcome)
    except ValueError:
        known = ", ".join(item.value for item in Outcome)
        problems.append(Problem("outcome", code=_KEY + "unknown_outcome",
                                params={"outcome": repr(outcome), "known": known}))
    reasons = Label(_clean(reasons_ja, "reasons_ja", problems),
                    _clean(reasons_en, "reasons_en", problems))
    conditions = Label(_clean(conditions_ja, "conditions_ja", problems),
                       _clean(conditions_en, "conditions_en", problems))
    if not (reasons.ja or reasons.en):
        problems.append(Problem("reasons", code=_KEY + "no_reasons"))
    has_conditions = bool(conditions.ja or conditions.en)
    if parsed is Outcome.RECOGNISED_WITH_CONDITIONS and not has_conditions:
        problems.append(Problem("conditions", code=_KEY + "no_conditions"))
    if parsed is not None and parsed is not Outcome.RECOGNISED_WITH_CONDITIONS and has_conditions:
        problems.append(Problem("conditions", code=_KEY + "stray_conditions",
                                params={"outcome": Named("review-outcome", parsed.value)}))
    if problems or parsed is None:
        raise InputError(code=_KEY + "refused", problems=problems)
    return Decision(parsed, reasons, conditions if has_conditions else None)


class RecognitionStatus(StrEnum):
    """Whether a granted recognition holds at a given moment."""

    VALID = "valid"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    NOT_YET_VALID = "not-yet-valid"

    @property
    def label(self) -> Label:
        return Label.named("recognition-status", self.value)


def recognition_status(valid_from: dt.datetime, valid_until: dt.datetime | None,
                       withdrawn_at: dt.datetime | None, now: dt.datetime) -> RecognitionStatus:
    """The status of a recognition at ``now``.

    Withdrawal wins over everything once it has happened (a withdrawn recognition stays
    withdrawn after its period would have ended); the period is ``[valid_from, valid_until)``,
    and ``valid_until=None`` means no end. All datetimes must be timezone-aware.
    """
    for name, value in (("valid_from", valid_from), ("valid_until", valid_until),
                        ("withdrawn_at", withdrawn_at), ("now", now)):
        if value is not None and value.utcoffset() is None:
            raise ValueError(f"{name} must be a timezone-aware datetime")
    if withdrawn_at is not None and withdrawn_at <= now:
        return RecognitionStatus.WITHDRAWN
    if now < valid_from:
        return RecognitionStatus.NOT_YET_VALID
    if valid_until is not None and now >= valid_until:
        return RecognitionStatus.EXPIRED
    return RecognitionStatus.VALID


_DECISION_NUMBER = re.compile(r"^R-(\d{4})-(\d{4,})$")


def decision_number(year: int, sequence: int) -> str:
    """The public number of the ``sequence``-th decision of ``year``: ``R-2026-0001``.
    Sequences past 9999 simply grow a digit (``R-2026-10000``)."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"year must have four digits, not {year}")
    if sequence < 1:
        raise ValueError(f"sequence numbers start at 1, not {sequence}")
    return f"R-{year:04d}-{sequence:04d}"


def parse_decision_number(text: str) -> tuple[int, int]:
    """``"R-2026-0001"`` → ``(2026, 1)``; anything else raises
    :class:`~credstack.errors.InputError` located ``decision_number``."""
    match = _DECISION_NUMBER.match(text.strip())
    if match is None or int(match.group(2)) < 1:
        raise InputError(code=_KEY + "not_a_number", params={"text": repr(text)},
                         problems=[Problem("decision_number", code=_KEY + "number_form")])
    return int(match.group(1)), int(match.group(2))
