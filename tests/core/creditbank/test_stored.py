"""A decision read back from the data an application keeps explains itself as it did when
it was made, in both languages, and after a registrar's adjustment says what was adjusted."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from credstack.core.creditbank import Adjustment, Decision, adjusted, evaluate, restored
from credstack.words import words
from tests.core.creditbank.test_engine import (
    JP,
    KR,
    PROGRAMME,
    TODAY,
    deposit,
    explained,
    target,
)

D = Decimal


def _decisions() -> list[Decision]:
    return [
        evaluate(JP, [deposit("a", "other-university", "40"),
                      deposit("b", "approved-learning", "30", earned=dt.date(2025, 5, 1)),
                      deposit("e", "other-university", "6", "ects",
                              earned=dt.date(2025, 6, 1)),
                      deposit("c", "other-university", "2", hours="10"),
                      deposit("f", "moon", "2")], today=TODAY),
        evaluate(target(KR.format(award="associate")), [
            deposit("k1", "accredited-course", "10", "kr-hakjeom"),
            deposit("k2", "qualification", "75", "kr-hakjeom")], today=TODAY),
        evaluate(PROGRAMME, [
            deposit("python", "mc", "2", earned=dt.date(2025, 1, 1)),
            deposit("viz", "mc", "2", earned=dt.date(2025, 3, 1)),
            deposit("cap", "mc", "1", fields=("0613",), levels=(("JEQF", 6),), grade="70",
                    earned=dt.date(2025, 5, 1))], today=TODAY),
    ]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("index", range(3))
def test_a_kept_decision_explains_itself_as_when_it_was_made(index: int,
                                                              language: str) -> None:
    """Caps, minimums, conversions, requirements, conflicts: the same lines, through JSON."""
    decision = _decisions()[index]
    kept = json.loads(json.dumps(decision.to_dict(words)))
    again = explained(restored(kept, decision.target), language)
    assert again == explained(decision, language)


def test_a_conflict_is_kept_as_figures_and_explained_in_japanese() -> None:
    """The stated credits and hours that disagree are explained again in either language."""
    decision = _decisions()[0]
    again = explained(restored(decision.to_dict(words), JP), "ja")
    assert any(line.startswith("対象外 c：") and "時間" in line for line in again)


def test_an_adjusted_decision_explains_the_adjusted_credits() -> None:
    """Deposit b adjusted from 20 to 5: the lines say 45 granted, b counts 5 as the
    registrar adjusted it, and the cap has 45 of its 60 used."""
    data = adjusted(_decisions()[0].to_dict(words), [Adjustment("b", D(5), "Part matches.")])
    lines = explained(restored(data, JP), "en")
    assert lines[0].startswith("Bachelor's programme: 45 of 124")
    assert "    b: 5 Japanese credits adjusted by the registrar" in lines
    assert "    b: 5 単位　教務による調整" in explained(restored(data, JP), "ja")
    assert any(line.startswith("cap: at most 60 credits") and "45 of 60 used" in line
               for line in lines)


def test_rules_the_target_no_longer_has_are_named_by_their_id() -> None:
    """Data naming a cap the target lacks is still explained, with the source it kept."""
    data = _decisions()[0].to_dict(words)
    bare = target("""
id: u/bachelor
title: {ja: 学士課程, en: Bachelor's programme}
kind: degree
system: jp-tani
total: 124
""")
    lines = explained(restored(data, bare), "en")
    assert any(line.startswith("cap: jp.prior-learning — 60 of 60 used (source:")
               for line in lines)
