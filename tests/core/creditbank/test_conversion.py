"""Conversion between credit systems: the published factors, the named rounding, conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credstack.core.creditbank import appraise, convert, credit_rates, roundings
from credstack.errors import CreditConversionError
from credstack.words import words

FLOOR = roundings()["floor-whole"]
D = Decimal


@pytest.mark.parametrize(("system", "low", "high"), [
    ("jp-tani", 45, 45),          # 1 単位 = 45 h
    ("ects", 25, 30),             # 1 ECTS = 25–30 h
    ("my-credit", 40, 40),        # MQA: 1 credit = 40 h
    ("nz-credit", 10, 10),        # NZQA: 1 credit = 10 h
    ("us-credit-hour", 45, 45),   # 1 h in class + 2 outside, 15 weeks
    ("kr-hakjeom", 15, 45),       # 15 h of instruction; 45 with study outside class
])
def test_every_factor_is_the_published_one_and_names_its_source(
        system: str, low: int, high: int) -> None:
    """The hours per credit of each system are the seeds' and regulations' figures."""
    rate = credit_rates()[system]
    assert (rate.hours_min, rate.hours_max) == (D(low), D(high))
    assert rate.source.strip()


@pytest.mark.parametrize(("amount", "source", "target", "rounding", "exact", "credits"), [
    ("6", "ects", "jp-tani", "floor-whole", "150/45", "3"),
    ("6", "ects", "jp-tani", "floor-half", "150/45", "3"),
    ("6", "ects", "jp-tani", "floor-tenth", "150/45", "3.3"),
    ("2", "jp-tani", "ects", "floor-whole", "90/30", "3"),
    ("1", "my-credit", "nz-credit", "floor-whole", "40/10", "4"),
    ("3", "us-credit-hour", "jp-tani", "floor-whole", "135/45", "3"),
    ("3", "kr-hakjeom", "jp-tani", "floor-whole", "45/45", "1"),
    ("10", "nz-credit", "my-credit", "floor-half", "100/40", "2.5"),
])
def test_a_conversion_goes_through_hours_at_the_cautious_end_and_rounds_down(
        amount: str, source: str, target: str, rounding: str, exact: str,
        credits: str) -> None:
    """Credits → hours at the source's lowest rate → credits at the target's highest,
    rounded down by the named rule."""
    hours, per = (D(part) for part in exact.split("/"))
    converted = convert(D(amount), from_system=source, to_system=target,
                        rounding=roundings()[rounding])
    assert converted.hours == hours
    assert converted.exact == hours / per
    assert converted.credits == D(credits)
    assert converted.rounding == rounding
    assert len(converted.sources) == 2


def test_credits_in_the_target_system_are_taken_as_stated() -> None:
    """No conversion and no rounding when the credential states the target's credits."""
    appraisal = appraise([("ects", D("5")), ("jp-tani", D("3"))], D("135"),
                         to_system="jp-tani", rounding=FLOOR)
    assert appraisal.conflicts == ()
    assert appraisal.converted is not None
    assert appraisal.converted.credits == D("3")
    assert appraisal.converted.rounding is None


def test_hours_alone_become_credits_at_the_target_rate() -> None:
    """A micro-credential stating 400 hours is worth 10 Malaysian credits (1 credit = 40 h)."""
    appraisal = appraise([], D("400"), to_system="my-credit", rounding=FLOOR)
    assert appraisal.converted is not None and appraisal.converted.credits == D("10")


def test_stated_credits_and_hours_that_disagree_are_reported_not_resolved() -> None:
    """2 単位 stand for 90 h: a credential claiming 2 単位 for 30 h is a conflict."""
    appraisal = appraise([("jp-tani", D("2"))], D("30"), to_system="jp-tani", rounding=FLOOR)
    assert appraisal.converted is None
    (conflict,) = appraisal.conflicts
    assert conflict.implied_hours == (D("90"), D("90"))
    assert "90 h" in words(conflict.said, "en") and "90 時間" in words(conflict.said, "ja")


def test_two_stated_systems_that_disagree_are_a_conflict() -> None:
    """5 ECTS (125–150 h) and 1 単位 (45 h) cannot both describe one credential."""
    appraisal = appraise([("ects", D("5")), ("jp-tani", D("1"))], None,
                         to_system="jp-tani", rounding=FLOOR)
    assert [c.other_system for c in appraisal.conflicts] == ["jp-tani"]


def test_hours_inside_a_range_agree() -> None:
    """5 ECTS for 140 h lies inside 125–150 h: no conflict."""
    assert appraise([("ects", D("5"))], D("140"), to_system="ects",
                    rounding=FLOOR).conflicts == ()


def test_an_unknown_credit_system_is_refused_by_name() -> None:
    """A system without a factor raises instead of guessing."""
    with pytest.raises(CreditConversionError, match="'cats'"):
        convert(D("1"), from_system="cats", to_system="jp-tani", rounding=FLOOR)
