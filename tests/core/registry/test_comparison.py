"""Programmes side by side: rows per descriptor, differences, effort on common scales."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from credstack.core.descriptors.catalogue import Scope, credit_systems, descriptors
from credstack.core.descriptors.models import CreditSystem, Programme
from credstack.core.registry.comparison import (
    MAX_ID,
    MAX_PROGRAMMES,
    CreditEquivalent,
    compare,
    normalise_effort,
    parse_ids,
)
from credstack.errors import InputError

BASE: dict[str, Any] = {
    "code": "DX-101",
    "title": {"ja": "データ活用入門", "en": "Introduction to data use"},
    "awarding_body": {"id": "sakura", "name": {"ja": "さくら大学", "en": "Sakura University"}},
    "form_of_participation": {"mode": "online"},
    "languages": ["ja"],
    "learner_effort": {"hours": "90", "credits": [{"system": "jp-tani", "value": "2"},
                                                  {"system": "ects", "value": "3"}]},
    "assessment": {"methods": ["examination"]},
}


def programme(**changes: Any) -> Programme:
    document = {**BASE, **changes}
    return Programme.model_validate({k: v for k, v in document.items() if v is not None})


def row(comparison: Any, key: str) -> Any:
    return next(r for r in comparison.rows if r.descriptor.key == key)


def test_every_descriptor_of_the_catalogue_is_a_row_in_catalogue_order() -> None:
    """23 rows, in descriptors.yaml's order, each with one value per programme."""
    comparison = compare([programme(), programme(code="DX-102")])
    assert [r.descriptor.key for r in comparison.rows] == [d.key for d in descriptors()]
    assert all(len(r.values) == 2 for r in comparison.rows)


def test_values_are_the_programmes_own_in_their_order() -> None:
    """The title row holds each programme's title; an absent descriptor is None."""
    first, second = programme(), programme(code="AI-1", title={"ja": "生成AI"}, languages=None)
    comparison = compare([first, second])
    assert row(comparison, "title").values == (first.title, second.title)
    assert row(comparison, "languages").values == (("ja",), None)


def test_rows_differ_only_where_the_values_are_not_all_equal() -> None:
    """Same delivery mode: not different; other hours and a missing price: different."""
    comparison = compare([
        programme(),
        programme(code="B", learner_effort={"hours": "12"}, price={"amount": "0",
                                                                   "currency": "JPY"}),
    ])
    assert not row(comparison, "form_of_participation").differs
    assert not row(comparison, "awarding_body").differs
    assert row(comparison, "learner_effort").differs
    assert row(comparison, "price").differs
    assert not row(comparison, "title").differs
    assert {r.descriptor.key for r in comparison.differences} == {"learner_effort", "price"}


def test_stated_and_not_stated_is_a_difference() -> None:
    """One programme states its levels, the other does not: the row differs."""
    comparison = compare([programme(levels=[{"framework": "EQF", "level": 5}]), programme()])
    assert row(comparison, "levels").differs


def test_equal_numbers_written_differently_do_not_differ() -> None:
    """90 and 90.00 hours are the same learner effort."""
    comparison = compare([programme(learner_effort={"hours": "90"}),
                          programme(learner_effort={"hours": "90.00"})])
    assert not row(comparison, "learner_effort").differs
    assert not comparison.effort.hours_differ


def test_award_descriptors_are_rows_without_values_that_never_differ() -> None:
    """Learner, date of issuing and grade belong to each award: None everywhere."""
    comparison = compare([programme(), programme(code="B", title={"en": "Other"})])
    award = [r for r in comparison.rows if r.descriptor.scope is Scope.AWARD]
    assert {r.descriptor.key for r in award} == {"learner_identification", "date_of_issuing",
                                                  "grade"}
    assert all(r.at_issuance and r.values == (None, None) and not r.differs for r in award)


def test_one_programme_never_differs_from_itself() -> None:
    """A comparison of one is allowed and shows no differences."""
    comparison = compare([programme()])
    assert comparison.differences == ()
    assert not comparison.effort.hours_differ


@pytest.mark.parametrize("count", [0, MAX_PROGRAMMES + 1])
def test_compare_refuses_none_or_more_than_four(count: int) -> None:
    """Zero or five programmes: an InputError naming ids."""
    with pytest.raises(InputError) as caught:
        compare([programme(code=f"P{i}") for i in range(count)])
    assert caught.value.problems[0].location == "ids"


def test_effort_is_normalised_to_hours_and_every_credit_system() -> None:
    """90 h: 2 単位 (45 h), 3–3.6 ECTS (25–30 h), 9 NZ credits; stated credits beside them."""
    effort = normalise_effort([programme(), programme(code="B", learner_effort=None)])
    assert effort.hours == (Decimal(90), None)
    assert effort.hours_differ
    assert [r.system.system for r in effort.credits] == list(credit_systems())
    by_system = {r.system.system: r for r in effort.credits}
    assert by_system[CreditSystem.JP_TANI].values[0] == CreditEquivalent(
        Decimal(2), Decimal(2), Decimal(2))
    ects = by_system[CreditSystem.ECTS].values[0]
    assert ects is not None
    assert (ects.low, ects.high, ects.stated) == (Decimal(3), Decimal("3.6"), Decimal(3))
    nz = by_system[CreditSystem.NZ_CREDIT].values[0]
    assert nz is not None and (nz.low, nz.high, nz.stated) == (Decimal(9), Decimal(9), None)
    assert by_system[CreditSystem.JP_TANI].values[1] is None


def test_credit_rows_use_the_catalogues_conversions() -> None:
    """Each equivalent is CreditSystemInfo.credits_for_hours of the hours: no second table."""
    hours = Decimal("37.5")
    effort = normalise_effort([programme(learner_effort={"hours": str(hours)})])
    for credit_row in effort.credits:
        value = credit_row.values[0]
        assert value is not None
        assert (value.low, value.high) == credit_row.system.credits_for_hours(hours)


def test_credit_rows_differ_when_the_hours_or_the_stated_credits_differ() -> None:
    """Same hours but another stated ECTS figure: only the ECTS row differs."""
    other = {"hours": "90", "credits": [{"system": "jp-tani", "value": "2"},
                                        {"system": "ects", "value": "3.5"}]}
    effort = normalise_effort([programme(), programme(code="B", learner_effort=other)])
    differing = {r.system.system for r in effort.credits if r.differs}
    assert differing == {CreditSystem.ECTS}
    assert not effort.hours_differ


# --- ids as visitors give them ------------------------------------------------------------


@pytest.mark.parametrize(("values", "expected"), [
    (["12,34,56"], (12, 34, 56)),
    (["12", "34"], (12, 34)),
    (["12, 34", "56"], (12, 34, 56)),
    (["12,,34,"], (12, 34)),
    (["12,12,34"], (12, 34)),
    (["7"], (7,)),
    ([str(MAX_ID)], (MAX_ID,)),
])
def test_parse_ids_reads_commas_repeats_and_drops_duplicates(values: list[str],
                                                             expected: tuple[int, ...]) -> None:
    """``ids=12,34`` and ``ids=12&ids=34`` mean the same; the first place of a duplicate counts."""
    assert parse_ids(values) == expected


@pytest.mark.parametrize("values", [
    [], [""], [" , "], ["abc"], ["12,x"], ["-1"], ["0"], ["1.5"], ["١٢"], ["1e3"],
    [str(MAX_ID + 1)], ["1,2,3,4,5"], ["1", "2", "3", "4", "5"], ["9" * 500],
])
def test_parse_ids_refuses_anything_but_one_to_four_ids(values: list[str]) -> None:
    """Not a positive id, too many, none, or absurdly long: an InputError naming ids."""
    with pytest.raises(InputError) as caught:
        parse_ids(values)
    assert [p.location for p in caught.value.problems] == ["ids"]
