"""Properties of every decision (hypothesis): caps are never exceeded, decisions do not depend
on the order deposits are given in, adding a deposit never lowers what is granted, and no
deposit or credential counts twice."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.core.creditbank import (
    Decision,
    Deposit,
    DepositKind,
    Target,
    deposit_of,
    evaluate,
    load_target,
)
from credstack.core.wallet.entries import Entry

TODAY = dt.date(2026, 11, 23)

#: A target with a shared cap, a cap of its own, programmes, prerequisites, field and
#: recency filters, and general credit: every way a deposit can be counted or limited.
TARGET = load_target("""
id: u/bachelor
title: {ja: 学士, en: Bachelor}
kind: degree
system: jp-tani
jurisdiction: jp
award: bachelor
rules: [jp.prior-learning]
general_credit: true
caps:
  - {id: own.approved, kind: cap, routes: [approved-learning], credits: 12, source: test}
requirements:
  - {id: core, programmes: [urn:mc:p0, urn:mc:p1]}
  - {id: pick, choose: 1, programmes: [urn:mc:p2, urn:mc:p3]}
  - {id: data, credits: {min: 4, max: 8}, field: data, after: [core]}
  - {id: recent, hours: {min: 90}, within_years: 3, routes: [approved-learning]}
""", source="properties.yaml")

SYSTEMS = ("jp-tani", "ects", "my-credit", "us-credit-hour")
ROUTES = ("other-university", "approved-learning", "before-admission")


@st.composite
def deposits(draw: st.DrawFn) -> list[Deposit]:
    count = draw(st.integers(0, 14))
    out: list[Deposit] = []
    for index in range(count):
        system = draw(st.sampled_from(SYSTEMS))
        credits = Decimal(draw(st.integers(0, 40))) / 2
        entry = Entry(
            achievement_id=draw(st.sampled_from(
                ("urn:mc:p0", "urn:mc:p1", "urn:mc:p2", "urn:mc:p3", f"urn:mc:x{index}"))),
            credits=((system, credits),) if credits > 0 else (),
            fields=draw(st.sampled_from(((), ("data",), ("data", "ai")))))
        out.append(deposit_of(
            entry, id=f"d{index:02}",
            credential=draw(st.sampled_from((f"urn:vc:{index}", "urn:vc:shared"))),
            kind=DepositKind.CREDENTIAL, route=draw(st.sampled_from(ROUTES)),
            verified=draw(st.booleans()) or draw(st.booleans()),
            earned=TODAY - dt.timedelta(days=draw(st.integers(0, 2500)))))
    return out


def _check_caps(target: Target, decision: Decision) -> None:
    counted = decision.counted()
    for cap in decision.caps:
        on_routes = sum((c.credits for c in counted if c.route in cap.rule.routes), Decimal(0))
        assert on_routes == cap.used <= cap.limit
    assert decision.granted == sum((c.credits for c in counted), Decimal(0)) <= target.total
    assert all(c.credits >= 0 for c in counted)


@settings(max_examples=300, deadline=None)
@given(deposits())
def test_caps_and_the_total_are_never_exceeded(given_deposits: list[Deposit]) -> None:
    """What is counted on a cap's routes never passes its limit; the total never passes the
    target's."""
    _check_caps(TARGET, evaluate(TARGET, given_deposits, today=TODAY))


@settings(max_examples=200, deadline=None)
@given(deposits(), st.randoms(use_true_random=False))
def test_a_decision_does_not_depend_on_the_order_of_deposits(
        given_deposits: list[Deposit], shuffler: random.Random) -> None:
    """The same deposits in any order give the same decision, line for line."""
    reordered = list(given_deposits)
    shuffler.shuffle(reordered)
    assert evaluate(TARGET, reordered, today=TODAY) == evaluate(TARGET, given_deposits,
                                                                today=TODAY)


@settings(max_examples=300, deadline=None)
@given(deposits())
def test_no_deposit_and_no_credential_counts_twice(given_deposits: list[Deposit]) -> None:
    """A deposit counts for one requirement at most, one credential through one deposit,
    and never for more than it is worth (what a requirement's maximum leaves of it goes to
    general credit)."""
    decision = evaluate(TARGET, given_deposits, today=TODAY)
    in_requirements = [c for o in decision.requirements for c in o.counted]
    assert len({c.deposit for c in in_requirements}) == len(in_requirements)
    assert len({c.deposit for c in decision.general}) == len(decision.general)
    counted = decision.counted()
    assert len({c.credential for c in counted}) == len({c.deposit for c in counted})
    for deposit_id in {c.deposit for c in counted}:
        parts = [c for c in counted if c.deposit == deposit_id]
        worth = parts[0].converted.credits if parts[0].converted is not None else Decimal(0)
        assert sum((c.credits for c in parts), Decimal(0)) <= worth


@settings(max_examples=300, deadline=None)
@given(deposits(), deposits())
def test_adding_deposits_never_lowers_what_is_granted(
        first: list[Deposit], more: list[Deposit]) -> None:
    """More learning never grants fewer credits (no rule here says otherwise)."""
    renamed = [deposit_of(d.entry, id=f"m{d.id}", credential=f"m{d.credential}", kind=d.kind,
                          route=d.route, verified=d.verified, earned=d.earned) for d in more]
    before = evaluate(TARGET, first, today=TODAY).granted
    after = evaluate(TARGET, [*first, *renamed], today=TODAY).granted
    assert after >= before
