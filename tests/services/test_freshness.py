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


def test_it_is_read_again_once_the_moment_has_passed(runtime: Runtime) -> None:
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    time.sleep(freshness.FRESH_SECONDS)
    assert freshness.known(runtime, "test", "list") is None
    assert freshness.recent(runtime, "test", "list", _counted(reads)) == 2


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


def test_while_one_thread_reads_again_the_others_are_answered_the_one_before(
        runtime: Runtime) -> None:
    """Once the moment has passed, one read at a time: a herd of requests each reading the
    same row (every thread of a busy server, once a second) was PostgreSQL's tail."""
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    time.sleep(freshness.FRESH_SECONDS)
    reading, release = threading.Event(), threading.Event()

    def slow() -> int:
        reading.set()
        release.wait(10)
        return _counted(reads)()

    reader = threading.Thread(target=freshness.recent, args=(runtime, "test", "list", slow))
    reader.start()
    try:
        assert reading.wait(10)
        assert freshness.recent(runtime, "test", "list", _counted(reads)) == 1
        assert freshness.known(runtime, "test", "list") == 1
    finally:
        release.set()
        reader.join(10)
    assert reads == [1, 2]
    assert freshness.known(runtime, "test", "list") == 2


def test_a_read_again_that_fails_leaves_the_next_to_read(runtime: Runtime) -> None:
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    time.sleep(freshness.FRESH_SECONDS)

    def broken() -> int:
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        freshness.recent(runtime, "test", "list", broken)
    assert freshness.known(runtime, "test", "list") is None
    assert freshness.recent(runtime, "test", "list", _counted(reads)) == 2


def test_a_stuck_read_is_not_waited_on_for_ever(runtime: Runtime,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the grace, the others read for themselves rather than answer an old value."""
    monkeypatch.setattr(freshness, "GRACE_SECONDS", 0.2)
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    time.sleep(freshness.FRESH_SECONDS)
    reading, release = threading.Event(), threading.Event()

    def stuck() -> int:
        reading.set()
        release.wait(10)
        return 0

    reader = threading.Thread(target=freshness.recent, args=(runtime, "test", "list", stuck))
    reader.start()
    try:
        assert reading.wait(10)
        time.sleep(0.2)
        assert freshness.known(runtime, "test", "list") is None
        assert freshness.recent(runtime, "test", "list", _counted(reads)) == 2
    finally:
        release.set()
        reader.join(10)


def test_a_write_this_process_commits_is_read_even_while_another_thread_reads(
        runtime: Runtime) -> None:
    reads: list[int] = []
    freshness.recent(runtime, "test", "list", _counted(reads))
    time.sleep(freshness.FRESH_SECONDS)
    reading, release = threading.Event(), threading.Event()

    def slow() -> int:
        reading.set()
        release.wait(10)
        return 0

    reader = threading.Thread(target=freshness.recent, args=(runtime, "test", "list", slow))
    reader.start()
    try:
        assert reading.wait(10)
        with runtime.transaction() as session:
            session.execute(text("UPDATE organisations SET name = name"))
        assert freshness.known(runtime, "test", "list") is None
        assert freshness.recent(runtime, "test", "list", _counted(reads)) == 2
    finally:
        release.set()
        reader.join(10)
