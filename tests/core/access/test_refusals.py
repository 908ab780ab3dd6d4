"""The refusal budget: the first refusals of a source in a window one by one, the rest
counted into one summary when the window is over; nothing lost, nothing unbounded."""

from __future__ import annotations

import datetime as dt

from credstack.core.access.refusals import OTHER_SOURCES, RefusalBudget, Summary

T0 = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def test_past_the_budget_refusals_are_counted_and_summarised_when_the_window_ends() -> None:
    budget = RefusalBudget(per_source=3, window=MINUTE, max_sources=10)
    admitted = [budget.admit("192.0.2.1", T0 + dt.timedelta(seconds=i))[0] for i in range(10)]
    assert admitted == [True] * 3 + [False] * 7
    assert budget.admit("192.0.2.2", T0 + dt.timedelta(seconds=30)) == (True, [])
    written, due = budget.admit("192.0.2.2", T0 + MINUTE)
    assert written and due == [Summary("192.0.2.1", T0, T0 + MINUTE, 7)]
    assert budget.drain(T0 + 2 * MINUTE) == [], "192.0.2.2 stayed within its budget"


def test_a_flood_of_sources_is_bounded_and_still_counted() -> None:
    budget = RefusalBudget(per_source=1, window=MINUTE, max_sources=2)
    for number in range(1000):
        budget.admit(f"198.51.100.{number}", T0)
    summaries = budget.drain(T0 + dt.timedelta(seconds=5))
    assert summaries == [Summary(OTHER_SOURCES, T0, T0 + dt.timedelta(seconds=5), 997)]


def test_each_kind_of_refusal_has_its_own_budget_and_summary() -> None:
    """A failed sign-in and a refused token from one address are budgeted and summarised
    apart, each summary naming its kind; an ``access.denied`` is the kind by default."""
    budget = RefusalBudget(per_source=1, window=MINUTE, max_sources=10)
    assert [budget.admit("192.0.2.1", T0, kind="login.failed")[0] for _ in range(3)] == \
        [True, False, False]
    assert [budget.admit("192.0.2.1", T0, kind="token.refused")[0] for _ in range(2)] == \
        [True, False]
    assert budget.admit("192.0.2.1", T0)[0], "access.denied has a budget of its own"
    assert budget.drain(T0 + MINUTE) == [
        Summary("192.0.2.1", T0, T0 + MINUTE, 2, "login.failed"),
        Summary("192.0.2.1", T0, T0 + MINUTE, 1, "token.refused")]
