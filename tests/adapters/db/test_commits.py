"""This process's committed writes, counted for the whole store and for each table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from credstack.adapters.db.commits import writes_committed
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.runtime import Runtime
from credstack.settings import Settings


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    with open_runtime(settings=settings) as opened:
        yield opened


def _write(runtime: Runtime, statement: str) -> None:
    with runtime.transaction() as session:
        session.execute(text(statement))


def test_a_write_moves_the_count_of_its_table_and_no_other(runtime: Runtime) -> None:
    """An update of the organisations moves their count and the store's, not the users'."""
    store = writes_committed(runtime.sessions)
    organisations = writes_committed(runtime.sessions, tables=["organisations"])
    users = writes_committed(runtime.sessions, tables=["users"])
    _write(runtime, 'UPDATE "organisations" SET name = name')
    assert writes_committed(runtime.sessions) != store
    assert writes_committed(runtime.sessions, tables=["organisations"]) != organisations
    assert writes_committed(runtime.sessions, tables=["users", "memberships"]) == users


@pytest.mark.parametrize("statement", [
    "INSERT INTO memberships (user_id, organisation_id, role) SELECT 1, NULL, 'x' WHERE 1 = 0",
    "delete from memberships where 1 = 0",
])
def test_inserts_and_deletes_are_told_by_their_table(runtime: Runtime, statement: str) -> None:
    """An insert or delete counts for the table it names, whatever the case it is written
    in, even when it changes no row."""
    before = writes_committed(runtime.sessions, tables=["memberships"])
    users = writes_committed(runtime.sessions, tables=["users"])
    _write(runtime, statement)
    assert writes_committed(runtime.sessions, tables=["memberships"]) != before
    assert writes_committed(runtime.sessions, tables=["users"]) == users


def test_a_common_table_expression_counts_for_the_tables_it_writes(runtime: Runtime) -> None:
    """A statement beginning with a common table expression counts for each table its
    writing clauses name (a data-modifying CTE's too), not for every table: an issuing
    batch's tallies, one such statement on PostgreSQL, leave the bearer tokens kept."""
    users = writes_committed(runtime.sessions, tables=["users"])
    organisations = writes_committed(runtime.sessions, tables=["organisations"])
    _write(runtime, "WITH chosen AS (SELECT id FROM organisations) "
                    "UPDATE organisations SET name = name WHERE id IN (SELECT id FROM chosen)")
    assert writes_committed(runtime.sessions, tables=["users"]) == users
    assert writes_committed(runtime.sessions, tables=["organisations"]) != organisations
    if runtime.sessions.kw["bind"].dialect.name == "postgresql":
        memberships = writes_committed(runtime.sessions, tables=["memberships"])
        _write(runtime, "WITH gone AS (DELETE FROM memberships WHERE 1 = 0 RETURNING id) "
                        "UPDATE organisations SET name = name WHERE id IN (SELECT id FROM gone)")
        assert writes_committed(runtime.sessions, tables=["memberships"]) != memberships
        assert writes_committed(runtime.sessions, tables=["users"]) == users


def test_a_write_whose_table_is_not_told_counts_for_every_table(runtime: Runtime) -> None:
    """A statement beginning with a common table expression that names no table it writes
    counts for every table (it may write through what it calls)."""
    users = writes_committed(runtime.sessions, tables=["users"])
    _write(runtime, "WITH chosen AS (SELECT id FROM organisations) SELECT id FROM chosen")
    assert writes_committed(runtime.sessions, tables=["users"]) != users


def test_reads_and_rolled_back_writes_move_nothing(runtime: Runtime) -> None:
    """Only a committed write counts."""
    users = writes_committed(runtime.sessions, tables=["users"])
    _write(runtime, "SELECT count(*) FROM users")
    with runtime.sessions() as session, session.begin():
        session.execute(text("UPDATE users SET email = email"))
        session.rollback()
    assert writes_committed(runtime.sessions, tables=["users"]) == users
