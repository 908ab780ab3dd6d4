"""The PostgreSQL copies the tests run on: a copy a test is done with is given to the next one
holding what a new copy holds (rows, sequences, its audit log's head), or dropped if the test
changed its schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.conftest import (
    _Copies,
    _create_database,
    _database_url,
    _Drops,
    _recycled,
    _tables,
    _Template,
)


@pytest.fixture
def template(_migrated_copies: _Copies) -> _Template:
    made: _Template = _migrated_copies._template
    return made


@pytest.fixture
def copy(template: _Template, _drops: _Drops) -> Iterator[str]:
    name = _create_database(template.name)
    try:
        yield name
    finally:
        _drops.drop(name)


def contents(name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, and every sequence's next value."""
    with psycopg.connect(_database_url(name), autocommit=True) as connection:
        found = {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(),
                               key=repr) for table in _tables(connection)}
        found["sequences"] = connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
            "ORDER BY sequencename").fetchall()
        return found


def test_a_copy_a_test_wrote_to_holds_what_a_new_copy_holds_once_recycled(template, copy):
    new = contents(copy)
    assert new["alembic_version"] and new["audit_head"], "the migrations write these rows"
    with psycopg.connect(_database_url(copy), autocommit=True) as connection:
        connection.execute("UPDATE audit_head SET seq = seq + 7, hash = 'changed'")
        connection.execute("INSERT INTO login_attempts (key, ip, at, succeeded) "
                           "VALUES ('k', '127.0.0.1', now(), false)")
    assert contents(copy) != new
    # A connection the test left open, in a transaction holding a lock, is ended.
    with psycopg.connect(_database_url(copy)) as left_open:
        left_open.execute("LOCK TABLE login_attempts IN ACCESS EXCLUSIVE MODE")
        assert _recycled(template, copy)
        assert contents(copy) == new
        assert _broken(left_open)


def _broken(connection: psycopg.Connection[Any]) -> bool:
    try:
        connection.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


def test_a_copy_whose_schema_a_test_changed_is_not_recycled(template, copy):
    with psycopg.connect(_database_url(copy), autocommit=True) as connection:
        connection.execute("ALTER TABLE audit_entries DISABLE TRIGGER USER")
        connection.execute("INSERT INTO login_attempts (key, ip, at, succeeded) "
                           "VALUES ('k', '127.0.0.1', now(), false)")
    assert not _recycled(template, copy)
    assert contents(copy)["login_attempts"], "nothing is deleted from a copy not recycled"
