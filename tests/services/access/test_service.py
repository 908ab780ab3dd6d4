"""Refusals are recorded: one ``access.denied`` entry each, committed on its own."""

from __future__ import annotations

from credstack.services.access import service as refusals
from credstack.services.audit import service as audit
from credstack.services.runtime import Runtime
from tests.conftest import START
from tests.services.accounts.store import OPERATOR, clock, runtime

__all__ = ["clock", "runtime"]


def test_a_refusal_is_recorded_with_what_was_asked_and_from_where(runtime: Runtime) -> None:
    """The entry names the organisation (or the platform) and carries the request's facts."""
    first = refusals.record_refusal(runtime, actor="user:7", action="keys:manage",
                                    organisation="hokuto-tech", reason="Not allowed.",
                                    method="POST", path="/api/organisations/hokuto-tech/keys",
                                    ip="192.0.2.1")
    second = refusals.record_refusal(runtime, actor="anonymous", action="sign-in",
                                     organisation=None, reason="Sign in first.",
                                     method="GET", path="/api/me", ip="192.0.2.2")
    assert second == first + 1
    with runtime.transaction() as session:
        recorded = audit.entries(session, after=first - 1, limit=10)
    assert [(e.at, e.actor, e.action, e.subject) for e in recorded] == [
        (START, "user:7", "access.denied", "organisation:hokuto-tech"),
        (START, "anonymous", "access.denied", "platform")]
    assert dict(recorded[0].details) == {
        "method": "POST", "path": "/api/organisations/hokuto-tech/keys",
        "action": "keys:manage", "organisation": "hokuto-tech", "reason": "Not allowed.",
        "ip": "192.0.2.1"}


def test_a_flood_of_refusals_from_one_address_is_counted_past_its_budget(
        runtime: Runtime) -> None:
    """Every refusal used to be an entry (6,005 requests, 6,045 entries): now the first
    PER_SOURCE of an address in a minute are, the rest one counted entry; none is lost."""
    budget = refusals.Refusals()
    for _ in range(200):
        refusals.record_refusal(runtime, actor="anonymous", action="sign-in",
                                organisation=None, reason="Sign in first.", method="GET",
                                path="/api/me", ip="192.0.2.9", refusals=budget)
    assert refusals.flush_refusals(runtime, budget) == 1
    with runtime.transaction() as session:
        recorded = audit.entries(session, limit=1000)
    denied = [e for e in recorded if e.action == "access.denied"]
    (counted,) = [e for e in recorded if e.action == "access.denied.counted"]
    assert len(denied) == refusals.PER_SOURCE
    assert counted.details["refused"] == 200 - refusals.PER_SOURCE
    assert counted.details["ip"] == "192.0.2.9"
    assert audit.verify_log(runtime, actor=OPERATOR).ok, "the chain stays intact"
