"""Generations read at most once a moment, and at once again after this process writes."""

from __future__ import annotations

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
