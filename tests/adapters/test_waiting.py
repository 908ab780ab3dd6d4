"""Work that must not wait: a statement or a fetch inside ``without_waiting`` raises
``WouldWait`` before anything is sent; outside, everything is as before."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.resolvers.fetch import fetch_bytes
from credstack.adapters.waiting import WouldWait, may_wait, without_waiting


def test_a_statement_is_not_sent(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        with without_waiting(), pytest.raises(WouldWait):
            session.execute(text("SELECT 1"))
        # The session is usable afterwards, outside.
        assert session.execute(text("SELECT 1")).scalar() == 1


def test_a_fetch_is_not_made() -> None:
    """Refused before the name is looked up (an address nobody answers would time out)."""
    with without_waiting(), pytest.raises(WouldWait):
        fetch_bytes("https://unreachable.invalid/status/1", timeout=30)


def test_it_holds_for_the_block_alone_not_the_threads_it_starts() -> None:
    seen: list[str] = []

    def elsewhere() -> None:
        may_wait()
        seen.append("waited")

    with without_waiting():
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join(10)
    may_wait()
    assert seen == ["waited"]
