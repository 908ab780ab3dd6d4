"""Starting jobs, running them as a worker does, and who sees them.

The queue is an in-memory recording (the tests play the worker with ``runner.run``); the store,
the issuance service and the audit log are the real ones.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from credstack.entrypoints.web.i18n.codes import failure_said
from credstack.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    ConflictError,
    InputError,
    StoreBusyError,
    StoreFullError,
    StoreUnavailableError,
)
from credstack.services import requests
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.jobs import JobContext, handler, job, jobs, runner, start
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.services.jobs.conftest import OPERATOR, SLUG, World, cohort_payload


def _issued(runtime: Runtime, batch: str = "2026-spring") -> dict[str, int]:
    """Learner → how many credentials the store holds for them in ``batch``."""
    with runtime.sessions() as session:
        rows = session.execute(sa.text(
            "SELECT learner, count(*) FROM issued_credentials WHERE batch = :batch "
            "GROUP BY learner"), {"batch": batch}).all()
    return {learner: count for learner, count in rows}


def test_a_started_job_is_queued_once_and_the_same_key_gives_the_same_job(world: World
                                                                          ) -> None:
    """Starting twice with one key: one job, one message, one audit entry."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    first = start(world.runtime, actor=issuer, kind="cohort.issue",
                  payload=cohort_payload(world.programme, 5), organisation=SLUG, key="k1")
    again = start(world.runtime, actor=issuer, kind="cohort.issue",
                  payload=cohort_payload(world.programme, 5), organisation=SLUG, key="k1")
    assert again.public_id == first.public_id
    assert (first.state, first.done, first.total, first.attempts) == ("queued", 0, None, 0)
    assert world.queue.sent == [(first.public_id, None)]
    with world.runtime.sessions() as session:
        started = [e for e in audit.entries(session, limit=50) if e.action == "jobs.started"]
    assert [(e.subject, e.details["kind"]) for e in started] == [
        (f"job:{first.public_id}", "cohort.issue")]


def test_a_cohort_job_issues_every_learner_and_reports_its_progress(world: World) -> None:
    """Ten learners four to a transaction: succeeded, 10 of 10, the counts in the result."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    started = start(world.runtime, actor=issuer, kind="cohort.issue",
                    payload=cohort_payload(world.programme, 10), organisation=SLUG, key="k")
    assert world.run_queued() == ["succeeded"]
    done = job(world.runtime, actor=issuer, public_id=started.public_id)
    assert (done.state, done.done, done.total, done.attempts, done.percent) == (
        "succeeded", 10, 10, 1, 100)
    assert done.result == {"programme_id": world.programme, "version": None,
                           "batch": "2026-spring", "organisation": SLUG,
                           "securing": "eddsa-rdfc-2022", "learners": 10, "issued": 10,
                           "reused": 0, "keys": 10, "mail_job": None}
    assert sorted(_issued(world.runtime).values()) == [1] * 10
    assert done.to_dict()["state"] == "succeeded"


def test_a_message_delivered_twice_runs_the_job_once(world: World) -> None:
    """The second delivery finds the job no longer waiting and does nothing."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    started = start(world.runtime, actor=issuer, kind="cohort.issue",
                    payload=cohort_payload(world.programme, 3), organisation=SLUG, key="k")
    assert runner.run(world.runtime, started.public_id) == "succeeded"
    assert runner.run(world.runtime, started.public_id) is None
    assert job(world.runtime, actor=issuer, public_id=started.public_id).attempts == 1


def test_an_error_about_the_input_fails_at_once_with_its_message(world: World) -> None:
    """A version that does not exist: failed on the first attempt, no retry, the message in
    both languages."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    started = start(world.runtime, actor=issuer, kind="cohort.issue",
                    payload=cohort_payload(world.programme, 3, version=42),
                    organisation=SLUG, key="k")
    assert world.run_queued() == ["failed"]
    failed = job(world.runtime, actor=issuer, public_id=started.public_id)
    assert failed.attempts == 1 and world.queue.sent == []
    assert failed.failure is not None and "42" in failure_said(failed.failure, "en")
    assert failure_said(failed.failure, "ja") != failure_said(failed.failure, "en")
    assert _issued(world.runtime) == {}


_FLAKY: dict[str, int] = {}


@handler("test.flaky", action=None)
def _flaky(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Fails with a dropped connection as often as the payload says, then succeeds."""
    seen = _FLAKY.get(context.job_id, 0)
    _FLAKY[context.job_id] = seen + 1
    if seen < context.payload["failures"]:
        raise ConnectionError("connection reset by peer")
    context.progress(1, 1)
    return {"after": seen + 1}


def _flaky_job(world: World, failures: int, key: str) -> str:
    return start(world.runtime, actor=OPERATOR, kind="test.flaky",
                 payload={"failures": failures}, organisation=None, key=key).public_id


def test_a_transient_failure_is_retried_with_exponential_back_off(world: World) -> None:
    """Two dropped connections: retried after 10 s, then 20 s; succeeds on the third
    attempt. A retry that is not yet due is not run early."""
    public_id = _flaky_job(world, 2, "flaky")
    assert world.run_queued() == ["retrying"]
    assert world.queue.sent == [(public_id, 10.0)]
    retrying = job(world.runtime, actor=OPERATOR, public_id=public_id)
    assert retrying.state == "retrying" and retrying.failure is not None
    said = failure_said(retrying.failure, "en")
    assert "ConnectionError" in said and "10 s" in said
    assert runner.run(world.runtime, public_id) is None  # not due yet
    world.clock.advance(seconds=10)
    assert world.run_queued() == ["retrying"]
    assert world.queue.sent == [(public_id, 20.0)]
    world.clock.advance(seconds=20)
    assert world.run_queued() == ["succeeded"]
    done = job(world.runtime, actor=OPERATOR, public_id=public_id)
    assert (done.attempts, done.result, done.failure) == (3, {"after": 3}, None)


_STORE_ERRORS = {error.__name__: error
                 for error in (StoreUnavailableError, StoreFullError, StoreBusyError)}


@handler("test.store_trouble", action=None)
def _store_trouble(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Fails once on the store's side (out of reach, full, busy), then succeeds."""
    seen = _FLAKY.get(context.job_id, 0)
    _FLAKY[context.job_id] = seen + 1
    if seen == 0:
        raise _STORE_ERRORS[context.payload["error"]]("the store said no")
    return {"after": seen + 1}


@pytest.mark.parametrize("error", sorted(_STORE_ERRORS))
def test_the_store_out_of_reach_full_or_busy_is_retried(world: World, error: str) -> None:
    """Errors that say the store could not act (PostgreSQL restarting, a full disk, other
    writers holding the lock) are no fault of the job: it is retried, then succeeds."""
    public_id = start(world.runtime, actor=OPERATOR, kind="test.store_trouble",
                      payload={"error": error}, organisation=None, key=error).public_id
    assert world.run_queued() == ["retrying"]
    world.clock.advance(seconds=runner.RETRY_BASE)
    assert world.run_queued() == ["succeeded"]
    assert job(world.runtime, actor=OPERATOR, public_id=public_id).attempts == 2


def test_a_job_that_keeps_failing_is_given_up(world: World) -> None:
    """After the last attempt: failed, and the message says how often it was tried."""
    public_id = _flaky_job(world, 99, "hopeless")
    for _ in range(runner.MAX_ATTEMPTS):
        world.clock.advance(seconds=runner.RETRY_CAP)
        world.run_queued()
    failed = job(world.runtime, actor=OPERATOR, public_id=public_id)
    assert (failed.state, failed.attempts) == ("failed", runner.MAX_ATTEMPTS)
    assert failed.failure is not None
    assert f"{runner.MAX_ATTEMPTS} times" in failure_said(failed.failure, "en")


def test_a_job_whose_worker_died_is_queued_again_and_resumes(world: World) -> None:
    """A run that stopped beating (its worker killed after one chunk) is taken back once the
    heartbeat is stale; the next run issues only the rest, nothing twice."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    started = start(world.runtime, actor=issuer, kind="cohort.issue",
                    payload=cohort_payload(world.programme, 10), organisation=SLUG, key="k")

    class Killed(BaseException):
        """What ``kill -9`` does to the worker: the run stops where it stands."""

    def die_after_first_chunk(_: JobContext) -> None:
        raise Killed

    original = runner._Heartbeat.progress
    calls: list[int] = []

    def progress(self: runner._Heartbeat, done: int, total: int | None) -> None:
        original(self, done, total)
        calls.append(done)
        if done > 0:
            self.stop()  # the heartbeat dies with the worker
            raise Killed

    runner._Heartbeat.progress = progress  # type: ignore[method-assign]
    try:
        with pytest.raises(Killed):
            world.run_queued()
    finally:
        runner._Heartbeat.progress = original  # type: ignore[method-assign]
    assert sum(_issued(world.runtime).values()) == 4
    assert runner.reap(world.runtime) == []  # the heartbeat is fresh: still running
    world.clock.advance(seconds=world.settings.jobs_stale + 1)
    assert runner.reap(world.runtime) == [started.public_id]
    requeued = job(world.runtime, actor=issuer, public_id=started.public_id)
    assert requeued.state == "queued" and requeued.failure is not None
    assert world.run_queued() == ["succeeded"]
    done = job(world.runtime, actor=issuer, public_id=started.public_id)
    assert (done.attempts, done.result and done.result["issued"],
            done.result and done.result["reused"]) == (2, 6, 4)
    assert sorted(_issued(world.runtime).values()) == [1] * 10


def test_a_job_the_queue_could_not_take_is_sent_again_by_the_reaper(world: World) -> None:
    """The broker is down when the job starts: the job waits in the store, and once the
    queue is back the reaper sends it."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    world.queue.down = True
    started = start(world.runtime, actor=issuer, kind="cohort.issue",
                    payload=cohort_payload(world.programme, 2), organisation=SLUG, key="k")
    assert started.state == "queued" and world.queue.sent == []
    world.queue.down = False
    world.clock.advance(seconds=world.settings.jobs_stale + 1)
    assert runner.reap(world.runtime) == [started.public_id]
    assert runner.reap(world.runtime) == []  # sent once per period, not every minute
    assert world.run_queued() == ["succeeded"]


def test_starting_needs_the_kinds_action(world: World) -> None:
    """Nobody signed in is asked to sign in; a learner may not issue; an issuer may not start
    platform work."""
    payload = cohort_payload(world.programme, 2)
    with pytest.raises(AuthenticationRequiredError):
        start(world.runtime, actor=ActingAs(None), kind="cohort.issue", payload=payload,
              organisation=SLUG, key="k")
    learner = world.person("learner@example.jp", (SLUG, "learner"))
    with pytest.raises(AccessDeniedError):
        start(world.runtime, actor=learner, kind="cohort.issue", payload=payload,
              organisation=SLUG, key="k")
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    with pytest.raises(AccessDeniedError):
        start(world.runtime, actor=issuer, kind="search.reindex", payload={},
              organisation=None, key="k")
    assert world.queue.sent == []


@pytest.mark.parametrize(("changes", "location"), [
    ({"batch": None}, "payload.batch"),
    ({"securing": "rot13"}, "payload.securing"),
    ({"cohort_csv": "email,name.en\na@example.jp,A,extra\n"}, None),
])
def test_a_payload_that_cannot_work_is_refused_when_the_job_starts(
        world: World, changes: dict[str, object], location: str | None) -> None:
    """Missing fields, unknown values and bad CSV rows are refused in the caller's request."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    with pytest.raises(InputError) as raised:
        start(world.runtime, actor=issuer, kind="cohort.issue",
              payload=cohort_payload(world.programme, 2, **changes), organisation=SLUG,
              key="k")
    if location is not None:
        assert location in [problem.location for problem in raised.value.problems]
    assert world.queue.sent == []


def test_a_cohort_job_is_filed_under_its_programmes_organisation(world: World) -> None:
    """An issuer of another organisation naming their own cannot issue this programme."""
    other = world.person("issuer@other.example", ("other-university", "issuer"))
    with pytest.raises(InputError) as raised:
        start(world.runtime, actor=other, kind="cohort.issue",
              payload=cohort_payload(world.programme, 2), organisation="other-university",
              key="k")
    assert [p.location for p in raised.value.problems] == ["organisation"]


def test_who_sees_a_job(world: World) -> None:
    """Its starter and their organisation's administrators see it; another issuer of the
    organisation does not, nor may they reuse its key."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    colleague = world.person("colleague@hokuto.example", (SLUG, "issuer"))
    admin = world.person("admin@hokuto.example", (SLUG, "provider-admin"))
    started = start(world.runtime, actor=issuer, kind="cohort.issue",
                    payload=cohort_payload(world.programme, 2), organisation=SLUG, key="k")
    platform = _flaky_job(world, 0, "platform")
    assert [j.public_id for j in jobs(world.runtime, actor=issuer)] == [started.public_id]
    assert jobs(world.runtime, actor=colleague) == []
    assert [j.public_id for j in jobs(world.runtime, actor=admin)] == [started.public_id]
    assert [j.public_id for j in jobs(world.runtime, actor=admin, organisation=SLUG)] == [
        started.public_id]
    assert {j.public_id for j in jobs(world.runtime, actor=OPERATOR)} == {
        started.public_id, platform}
    assert job(world.runtime, actor=admin, public_id=started.public_id).kind == "cohort.issue"
    with pytest.raises(AccessDeniedError):
        job(world.runtime, actor=colleague, public_id=started.public_id)
    assert [action for action, _, _ in colleague.refusals] == ["jobs.read"]
    with pytest.raises(ConflictError):
        start(world.runtime, actor=colleague, kind="cohort.issue",
              payload=cohort_payload(world.programme, 2), organisation=SLUG, key="k")


def test_a_job_acts_with_its_starters_roles_as_they_are_when_it_runs(world: World) -> None:
    """An account disabled before its job runs: the job fails, nothing is issued."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    started = start(world.runtime, actor=issuer, kind="cohort.issue",
                    payload=cohort_payload(world.programme, 2), organisation=SLUG, key="k")
    accounts.set_disabled(world.runtime, actor=OPERATOR, email="issuer@hokuto.example",
                          disabled=True)
    assert world.run_queued() == ["failed"]
    failed = job(world.runtime, actor=OPERATOR, public_id=started.public_id)
    assert failed.failure is not None and "disabled" in failure_said(failed.failure, "en")
    assert _issued(world.runtime) == {}


def test_reindexing_and_reminders_are_platform_jobs(world: World) -> None:
    """The operator re-indexes the registry and sends the day's reminders as jobs."""
    reindex = start(world.runtime, actor=OPERATOR, kind="search.reindex", payload={},
                    organisation=None, key="reindex-1")
    reminders = start(world.runtime, actor=OPERATOR, kind="review.reminders", payload={},
                      organisation=None, key="reminders-1")
    assert world.run_queued() == ["succeeded", "succeeded"]
    indexed = job(world.runtime, actor=OPERATOR, public_id=reindex.public_id)
    assert indexed.result is not None and indexed.result["programmes"] == 1
    sent = job(world.runtime, actor=OPERATOR, public_id=reminders.public_id)
    assert sent.result == {"sent": 0}


def _counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_job_started_during_a_request_names_it_in_all_it_writes_and_is_counted(
        world: World) -> None:
    """The request's id goes with the job: its ``jobs.started`` entry and, run later by a
    worker outside any request, the entries the job writes carry it; the chain verifies;
    the job and the credentials it issued are counted."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    enqueued = _counted("credstack_jobs_total", kind="cohort.issue", outcome="enqueued")
    succeeded = _counted("credstack_jobs_total", kind="cohort.issue", outcome="succeeded")
    issued = _counted("credstack_credentials_total", operation="issued")
    with requests.bound("req-cohort-1"):
        start(world.runtime, actor=issuer, kind="cohort.issue",
              payload=cohort_payload(world.programme, 6), organisation=SLUG, key="req")
    assert requests.current() is None
    assert world.run_queued() == ["succeeded"]
    with world.runtime.transaction() as session:
        written = {entry.action: entry.request_id
                   for entry in audit.entries(session, limit=1000)}
    assert written["jobs.started"] == written["credentials.issued"] == "req-cohort-1"
    with world.runtime.sessions() as session:
        assert audit.verify(session, world.runtime.key()).ok
    assert _counted("credstack_jobs_total", kind="cohort.issue",
                    outcome="enqueued") == enqueued + 1
    assert _counted("credstack_jobs_total", kind="cohort.issue",
                    outcome="succeeded") == succeeded + 1
    assert _counted("credstack_credentials_total", operation="issued") == issued + 6
