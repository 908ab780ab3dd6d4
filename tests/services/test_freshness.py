"""Generations read at most once a moment, and at once again after this process writes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from credstack.adapters.db import commits
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services import freshness
from credstack.services.runtime import Runtime
from credstack.settings import Settings


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    with open_runtime(settings=settings) as opened:
        yield opened


def _counted(reads: list[int]) -> Callable[[], int]:
    def read() -> int:
        reads.append(len(reads) + 1)
        return len(reads)
    return read


def test_a_generation_is_read_once_a_moment(runtime: Runtime) -> None:
    """Asked again within the moment, the generation read first is answered."""
    reads: list[int] = []
    assert freshness.recent(runtime, "test", "list", _counted(reads)) == 1
    assert freshness.recent(runtime, "test", "list", _counted(reads)) == 1
    assert freshness.known(runtime, "test", "list") == 1
    assert reads == [1]


def _eventually(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + 10
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_it_is_read_again_once_the_moment_has_passed(runtime: Runtime) -> None:
    """Behind the asker: the first ask past the moment is answered the generation before and
    starts the read, whose answer the next asks get."""
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    time.sleep(freshness.FRESH_SECONDS)
    assert freshness.known(runtime, "test", "list") == 1
    assert _eventually(lambda: freshness.known(runtime, "test", "list") == 2)
    assert freshness.recent(runtime, "test", "list", _counted([])) == 2
    assert reads == [1, 2]


def test_a_write_this_process_commits_is_seen_at_once(runtime: Runtime) -> None:
    """A revocation made through this process is served by its next request."""
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    with runtime.transaction() as session:
        session.execute(text("UPDATE organisations SET name = name"))
    assert freshness.known(runtime, "test", "list") is None
    assert freshness.recent(runtime, "test", "list", _counted(reads)) == 2


def test_reads_and_rolled_back_writes_keep_it(runtime: Runtime) -> None:
    """Every request reads in a transaction: those must not make every request read again."""
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    with runtime.transaction() as session:
        session.execute(text("SELECT count(*) FROM organisations"))
    with runtime.sessions() as session, session.begin():
        session.execute(text("UPDATE organisations SET name = name"))
        session.rollback()
    assert freshness.recent(runtime, "test", "list", _counted(reads)) == 1


def test_kinds_and_keys_are_kept_apart(runtime: Runtime) -> None:
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    assert freshness.known(runtime, "test", "other") is None
    assert freshness.known(runtime, "other", "list") is None


def test_writes_left_uncounted_keep_it(runtime: Runtime) -> None:
    """The activity counts, written twice a second while credentials are verified, are in no
    generation: writing them must not make every generation be read again."""
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    with runtime.transaction() as session:
        commits.leave_uncounted(session)
        session.execute(text("UPDATE organisations SET name = name"))
    assert freshness.recent(runtime, "test", "list", _counted(reads)) == 1


def test_past_the_moment_nobody_waits_for_the_read_again(runtime: Runtime) -> None:
    """A herd of requests each reading the same row once a second (every thread of a busy
    server), and then the one left reading it, were PostgreSQL's tail: the read is made
    once, behind them all."""
    calls: list[int] = []
    reading, release = threading.Event(), threading.Event()

    def read() -> int:
        calls.append(len(calls) + 1)
        if len(calls) > 1:
            reading.set()
            release.wait(60)
        return len(calls)

    assert freshness.recent(runtime, "test", "list", read) == 1
    time.sleep(freshness.FRESH_SECONDS)
    try:
        assert freshness.recent(runtime, "test", "list", read) == 1
        assert reading.wait(10)
        assert [freshness.known(runtime, "test", "list") for _ in range(3)] == [1, 1, 1]
        assert freshness.recent(runtime, "test", "list", read) == 1
        # The read again is still held (it is released below): every answer above came
        # without waiting for it, which would have given 2, after up to 60 s.
        assert not release.is_set() and calls == [1, 2]
        assert freshness.known(runtime, "test", "list") == 1
    finally:
        release.set()
    assert _eventually(lambda: freshness.known(runtime, "test", "list") == 2)
    assert calls == [1, 2]


def test_a_read_again_that_fails_is_started_again(runtime: Runtime) -> None:
    calls: list[int] = []

    def read() -> int:
        calls.append(len(calls) + 1)
        if len(calls) == 2:
            raise RuntimeError("the store went away")
        return len(calls)

    freshness.recent(runtime, "test", "list", read)
    time.sleep(freshness.FRESH_SECONDS)
    assert freshness.known(runtime, "test", "list") == 1
    assert _eventually(lambda: freshness.known(runtime, "test", "list") == 3)


def test_a_stuck_read_is_not_waited_on_for_ever(runtime: Runtime,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the grace, the asker reads rather than be answered an old value."""
    monkeypatch.setattr(freshness, "GRACE_SECONDS", 0.2)
    calls: list[int] = []
    release = threading.Event()

    def stuck() -> int:
        calls.append(len(calls) + 1)
        if len(calls) > 1:
            release.wait(10)
        return 0

    freshness.recent(runtime, "test", "list", stuck)
    time.sleep(freshness.FRESH_SECONDS)
    try:
        assert freshness.known(runtime, "test", "list") == 0
        time.sleep(0.2)
        assert freshness.known(runtime, "test", "list") is None
        assert freshness.recent(runtime, "test", "list", lambda: 5) == 5
    finally:
        release.set()


def test_a_write_this_process_commits_is_read_even_while_another_thread_reads(
        runtime: Runtime) -> None:
    calls: list[int] = []
    reading, release = threading.Event(), threading.Event()

    def slow() -> int:
        calls.append(len(calls) + 1)
        if len(calls) > 1:
            reading.set()
            release.wait(10)
        return 0

    freshness.recent(runtime, "test", "list", slow)
    time.sleep(freshness.FRESH_SECONDS)
    try:
        assert freshness.known(runtime, "test", "list") == 0
        assert reading.wait(10)
        with runtime.transaction() as session:
            session.execute(text("UPDATE organisations SET name = name"))
        assert freshness.known(runtime, "test", "list") is None
        assert freshness.recent(runtime, "test", "list", lambda: 7) == 7
    finally:
        release.set()
