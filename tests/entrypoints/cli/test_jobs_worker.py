"""``credstack worker``: real worker processes take a cohort job from the queue; one is killed
with SIGKILL part-way through, a new one finishes the job, and every learner's credential is
in the store exactly once.

Once on the embedded SQLite queue (the default), once on Redis (``CREDSTACK_JOBS_URL=
redis://127.0.0.1:6379/<db>``; skipped when no Redis server answers there, mandatory with
``CREDSTACK_REQUIRE_REDIS=1``) and once on PostgreSQL (skipped like the other PostgreSQL
tests).
"""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.db.tables import IssuedCredentialRow, JobRow
from credstack.core.access import Membership, Principal, Role
from credstack.core.access.actors import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.jobs import JobView, job, start
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.accounts import add_user, provider_store
from tests.entrypoints.cli.test_credentials_issue import NOW, SECRET, SLUG, environment

REDIS_URL = os.environ.get("CREDSTACK_TEST_REDIS_URL", "redis://127.0.0.1:6379")
REQUIRE_REDIS = os.environ.get("CREDSTACK_REQUIRE_REDIS") == "1"
#: Enough that the job is still running when its first progress can be seen: progress is
#: written at most every quarter of a second, and a worker signs a few hundred credentials
#: in that time (300 were once enough; a loaded CI machine then saw the job's first progress
#: only when it had stored them all).
LEARNERS = 2000
#: Seconds without a heartbeat before a job counts as its worker's loss (the default is 60).
STALE = 2
OPERATOR = Operator("tester")


def _redis_db() -> Iterator[str]:
    """A Redis database of its own for this test (emptied before and after)."""
    import redis

    db = random.randint(1, 15)
    url = f"{REDIS_URL}/{db}"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis is not reachable at {REDIS_URL} ({exc.__class__.__name__})"
        if REQUIRE_REDIS:
            pytest.fail(f"{reason}; CREDSTACK_REQUIRE_REDIS=1 makes the Redis tests mandatory")
        pytest.skip(f"{reason}; set CREDSTACK_TEST_REDIS_URL to run them")
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(params=["sqlite", "redis", "postgresql"])
def jobs_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """Where the queue is: the data directory (None), Redis or PostgreSQL."""
    if request.param == "sqlite":
        yield None
    elif request.param == "redis":
        yield from _redis_db()
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture
def store(sqlite_settings: Settings, jobs_url: str | None) -> Settings:
    """The store (SQLite) with the issuing organisation and its published programme."""
    settings = provider_store(sqlite_settings, secret=SECRET, now=NOW)
    return dataclasses.replace(settings, secret_key=SECRET, jobs_url=jobs_url,
                               jobs_stale=STALE, public_url="https://issuer.example.ac.jp")


def _worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **environment(settings), "CREDSTACK_JOBS_STALE": str(STALE),
           "CREDSTACK_JOBS_URL": settings.jobs_url or ""}
    with log.open("ab") as output:
        return subprocess.Popen([sys.executable, "-m", "credstack", "worker"], env=env,
                                stdout=output, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _wait(runtime: Runtime, public_id: str, until: str, *, seconds: float,
          worker: subprocess.Popen[bytes], log: Path, every: float) -> JobView:
    """The job once it is ``until`` (a state, or "progress": some learners done), read every
    ``every`` seconds: each read is a query that takes the CPU from the worker a little."""
    deadline = time.monotonic() + seconds
    while True:
        seen = job(runtime, actor=OPERATOR, public_id=public_id)
        if (until == "progress" and seen.done > 0) or seen.state == until:
            return seen
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}):\n{log.read_text()}")
        if seen.state == "failed" or time.monotonic() > deadline:
            pytest.fail(f"job {seen} never reached {until!r}:\n{log.read_text()}")
        time.sleep(every)


def _issued(settings: Settings) -> tuple[int, int, int]:
    """Stored credentials, distinct learners, and jobs."""
    engine = make_engine(settings)
    try:
        with session_factory(engine)() as session:
            return (session.scalar(select(func.count()).select_from(IssuedCredentialRow)) or 0,
                    session.scalar(select(func.count(IssuedCredentialRow.learner.distinct())))
                    or 0,
                    session.scalar(select(func.count()).select_from(JobRow)) or 0)
    finally:
        engine.dispose()


def test_a_killed_worker_loses_nothing_and_issues_nothing_twice(store: Settings,
                                                               tmp_path: Path) -> None:
    """SIGKILL once the job has progressed; a new worker takes the job back (its heartbeat
    is stale) and finishes it: 2,000 learners, 2,000 credentials, one job."""
    user_id = add_user(store, "issuer@hokuto.example", roles=[(SLUG, "issuer")])
    issuer = ActingAs(Principal(subject=f"user:{user_id}", user_id=user_id,
                                email="issuer@hokuto.example",
                                memberships=frozenset({Membership(SLUG, Role.ISSUER)})))
    rows = "".join(f"learner{i}@example.jp,Learner {i}\n" for i in range(LEARNERS))
    payload = {"programme_id": 1, "version": None, "batch": "2026-autumn",
               "securing": "eddsa-rdfc-2022", "language": "en",
               "cohort_csv": f"email,name.en\n{rows}", "chunk_size": 10}
    log = tmp_path / "worker.log"
    with open_runtime(settings=store) as runtime:
        started = start(runtime, actor=issuer, kind="cohort.issue", payload=payload,
                        organisation=SLUG, key="cohort")
        first = _worker(store, log)
        try:
            # Read often: the worker is killed as soon as its progress is seen.
            progressed = _wait(runtime, started.public_id, "progress", seconds=120,
                               worker=first, log=log, every=0.05)
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        interrupted = _issued(store)[0]
        assert progressed.state == "running" and 0 < interrupted < LEARNERS, progressed
        time.sleep(STALE + 0.5)
        resumed = time.monotonic()
        second = _worker(store, log)
        try:
            done = _wait(runtime, started.public_id, "succeeded", seconds=240, worker=second,
                         log=log, every=0.25)
        finally:
            second.send_signal(signal.SIGINT)
            try:
                second.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(second.pid, signal.SIGKILL)
                second.wait()
        print(f"killed with {interrupted} of {LEARNERS} stored; the second worker finished "
              f"in {time.monotonic() - resumed:.1f} s")
        again = start(runtime, actor=issuer, kind="cohort.issue", payload=payload,
                      organisation=SLUG, key="cohort")
    assert done.result is not None and done.attempts == 2
    assert (done.done, done.total) == (LEARNERS, LEARNERS)
    assert done.result["issued"] + done.result["reused"] == LEARNERS
    assert done.result["reused"] >= interrupted
    assert (again.public_id, again.state) == (started.public_id, "succeeded")
    assert _issued(store) == (LEARNERS, LEARNERS, 1)
    assert "Worker running" in log.read_text()
