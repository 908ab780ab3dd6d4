"""Decisions, validity periods, recognition status and decision numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.review import (
    APPEALABLE,
    VALIDITY_YEARS,
    Outcome,
    RecognitionStatus,
    decision_number,
    parse_decision,
    parse_decision_number,
    recognition_status,
    valid_until,
)
from credstack.errors import InputError

UTC = dt.UTC
START = dt.datetime(2026, 4, 1, tzinfo=UTC)
END = dt.datetime(2029, 4, 1, tzinfo=UTC)


def test_outcome_values_and_labels() -> None:
    """Three outcomes, stored kebab-case, labelled in both languages."""
    assert [o.value for o in Outcome] == [
        "recognised", "recognised-with-conditions", "not-recognised"]
    assert [o.label.ja for o in Outcome] == ["認定", "条件付き認定", "不認定"]
    assert [o.grants_recognition for o in Outcome] == [True, True, False]


def test_validity_is_three_years_one_year_or_none() -> None:
    """Recognised: 3 years; with conditions: 1 year; not recognised: no recognition."""
    assert dict(VALIDITY_YEARS) == {Outcome.RECOGNISED: 3, Outcome.RECOGNISED_WITH_CONDITIONS: 1}
    assert valid_until(Outcome.RECOGNISED, START) == END
    assert valid_until(Outcome.RECOGNISED_WITH_CONDITIONS, START) == START.replace(year=2027)
    assert valid_until(Outcome.NOT_RECOGNISED, START) is None


def test_validity_from_29_february_ends_on_28_february() -> None:
    """A leap day has no twin in a common year."""
    leap = dt.datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert valid_until(Outcome.RECOGNISED_WITH_CONDITIONS, leap) == dt.datetime(
        2029, 2, 28, 12, tzinfo=UTC)


def test_only_decisions_that_are_not_a_plain_recognition_may_be_appealed() -> None:
    """Nobody appeals an unconditional recognition."""
    assert frozenset({Outcome.RECOGNISED_WITH_CONDITIONS, Outcome.NOT_RECOGNISED}) == APPEALABLE


def test_decision_with_reasons_in_one_language_is_accepted() -> None:
    """Reasons in Japanese alone (or English alone) suffice; texts are trimmed."""
    decision = parse_decision(outcome="recognised", reasons_ja="  基準をすべて満たす。 ")
    assert decision.outcome is Outcome.RECOGNISED
    assert decision.reasons.ja == "基準をすべて満たす。" and decision.reasons.en == ""
    assert decision.reasons.text("en") == "基準をすべて満たす。"  # falls back
    assert decision.conditions is None


def test_decision_with_conditions_keeps_them() -> None:
    """A recognition with conditions carries its conditions."""
    decision = parse_decision(outcome="recognised-with-conditions", reasons_en="Mostly met.",
                              conditions_en="Publish the rubric within six months.")
    assert decision.conditions is not None
    assert decision.conditions.en == "Publish the rubric within six months."


def _problems(**fields: str | None) -> list[str]:
    with pytest.raises(InputError) as raised:
        parse_decision(**fields)
    return [p.location for p in raised.value.problems]


def test_reasons_are_required() -> None:
    """Blank reasons in both languages are refused."""
    assert _problems(outcome="not-recognised", reasons_ja=" ", reasons_en=None) == ["reasons"]


def test_conditions_are_required_for_a_recognition_with_conditions() -> None:
    """Without conditions, 'with conditions' means nothing."""
    assert _problems(outcome="recognised-with-conditions", reasons_en="x") == ["conditions"]


@pytest.mark.parametrize("outcome", ["recognised", "not-recognised"])
def test_conditions_are_refused_for_other_outcomes(outcome: str) -> None:
    """Conditions on a plain recognition or a refusal would be misleading."""
    assert _problems(outcome=outcome, reasons_en="x", conditions_ja="条件") == ["conditions"]


def test_unknown_outcome_and_over_long_texts_are_refused() -> None:
    """Every problem is located, all at once."""
    assert _problems(outcome="approved", reasons_en="x" * 10_001) == ["outcome", "reasons_en"]


@pytest.mark.parametrize(("now", "withdrawn_at", "status"), [
    (START - dt.timedelta(seconds=1), None, RecognitionStatus.NOT_YET_VALID),
    (START, None, RecognitionStatus.VALID),
    (END - dt.timedelta(seconds=1), None, RecognitionStatus.VALID),
    (END, None, RecognitionStatus.EXPIRED),
    (START + dt.timedelta(days=10), START + dt.timedelta(days=5), RecognitionStatus.WITHDRAWN),
    (START + dt.timedelta(days=1), START + dt.timedelta(days=5), RecognitionStatus.VALID),
    (END + dt.timedelta(days=1), START + dt.timedelta(days=5), RecognitionStatus.WITHDRAWN),
])
def test_recognition_status_at_a_moment(now: dt.datetime, withdrawn_at: dt.datetime | None,
                                        status: RecognitionStatus) -> None:
    """Valid in [valid_from, valid_until); withdrawal, once it has happened, wins."""
    assert recognition_status(START, END, withdrawn_at, now) is status
    assert status.label.ja and status.label.en


def test_status_values() -> None:
    """The values the verification report and the registry show."""
    assert [s.value for s in RecognitionStatus] == [
        "valid", "expired", "withdrawn", "not-yet-valid"]


def test_recognition_without_an_end_stays_valid() -> None:
    """valid_until=None means no end."""
    later = START + dt.timedelta(days=10_000)
    assert recognition_status(START, None, None, later) is RecognitionStatus.VALID


def test_status_refuses_naive_datetimes() -> None:
    """Mixing naive and aware times is a programming error, caught early."""
    with pytest.raises(ValueError, match="now"):
        recognition_status(START, END, None, dt.datetime(2027, 1, 1))


def test_decision_numbers_round_trip() -> None:
    """R-<year>-<four-digit sequence>, growing past 9999."""
    assert decision_number(2026, 1) == "R-2026-0001"
    assert decision_number(2026, 12345) == "R-2026-12345"
    assert parse_decision_number(" R-2026-0042 ") == (2026, 42)
    assert parse_decision_number(decision_number(2031, 10000)) == (2031, 10000)


@pytest.mark.parametrize("text", ["R-26-0001", "R-2026-1", "X-2026-0001", "R-2026-0000", ""])
def test_malformed_decision_numbers_are_refused(text: str) -> None:
    """Anything not in the form is an InputError located decision_number."""
    with pytest.raises(InputError) as raised:
        parse_decision_number(text)
    assert raised.value.problems[0].location == "decision_number"


@pytest.mark.parametrize(("year", "sequence"), [(26, 1), (2026, 0)])
def test_decision_number_arguments_are_checked(year: int, sequence: int) -> None:
    """A wrong year or sequence is a programming error."""
    with pytest.raises(ValueError):
        decision_number(year, sequence)
