"""A registrar's adjustments: within what the credential is worth, the caps and the target's
total, with a reason; anything else refused, naming the limit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from credstack.core.creditbank import Adjustment, adjusted, evaluate
from credstack.errors import CreditAdjustmentError
from credstack.words import words as said_words
from tests.core.creditbank.test_engine import JP, TODAY, deposit
from tests.words import words

D = Decimal


def decision() -> dict[str, Any]:
    """Japan's 60 of 124: 40 + 20 (of 30, capped) counted."""
    return evaluate(JP, [deposit("a", "other-university", "40"),
                         deposit("b", "approved-learning", "30",
                                 earned=dt.date(2025, 5, 1))], today=TODAY).to_dict(said_words)


def test_lowering_a_counted_deposit_lowers_the_grant_and_frees_the_cap() -> None:
    before = decision()
    after = adjusted(before, [Adjustment("b", D(5), "Only part of the course matches.")])
    assert (after["granted"], after["missing"]) == ("45", "79")
    assert [c["credits"] for c in after["general"]] == ["40", "5"]
    assert after["caps"][0]["used"] == "45"
    assert before["granted"] == "60"  # the decision given is left as it was


def test_raising_within_the_cap_after_lowering_another_is_allowed() -> None:
    after = adjusted(decision(), [Adjustment("a", D(30), "Two courses overlap."),
                                  Adjustment("b", D(30), "The whole course matches.")])
    assert after["granted"] == "60"


@pytest.mark.parametrize(("adjustment", "says"), [
    # The cap in words, not its rule's id (issue 39, defect 7).
    (Adjustment("b", D(30), "The whole course matches."),
     "the cap (at most 60 credits from other universities"),
    (Adjustment("a", D(41), "More."), "worth 40"),
    (Adjustment("z", D(1), "Unknown."), "counts no credits"),
    (Adjustment("a", D(-1), "Less."), "0 or more"),
    (Adjustment("a", D(10), "  "), "reason"),
])
def test_an_adjustment_beyond_a_limit_is_refused_naming_it(adjustment: Adjustment, says: str
                                                            ) -> None:
    with pytest.raises(CreditAdjustmentError) as raised:
        adjusted(decision(), [adjustment])
    assert says in words(raised.value)
    assert raised.value.problems[0].location == "adjustments[0]"
