"""Migration 0030_request_ids: the request id of audit entries and jobs, on both databases.

The migrated tables are the ones ``tables/`` declares; entries written before the upgrade keep
their hashes, entries written after it carry the request id in their hash, and the chain of
both verifies; downgrading drops the columns.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import MIGRATIONS, make_engine, migrate, session_factory
from credstack.adapters.db.tables import Base
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.audit import EMPTY_HEAD, HEAD_KEY_LABEL, new_entry, sign_head
from credstack.services import requests
from credstack.services.audit import service as audit
from credstack.settings import Settings

AT = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "request_id" in repr(diff)]


def _columns(connection: sa.Connection, table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(connection).get_columns(table)}


def test_entries_before_and_after_the_upgrade_verify_together(settings: Settings) -> None:
    """An entry from before the column, one with a request id after it: the chain is
    intact, the id is stored and hashed; downgrading removes the columns."""
    key = MasterKey.from_text(new_master_key_text(), source="test")
    engine = make_engine(settings)
    sessions = session_factory(engine)
    entry, head = _written_before(key)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0029_oauth_pushed_requests")
        with sessions() as session, session.begin():
            session.execute(sa.text(
                "INSERT INTO audit_entries (seq, at, actor, action, subject, details, "
                "prev_hash, hash) VALUES (1, :at, 'cli:test', 'test.before', 'x', '{}', "
                ":prev, :hash)"), entry)
            session.execute(sa.text("UPDATE audit_head SET seq = 1, hash = :hash, mac = :mac"),
                            head)
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with requests.bound("req-0030"), sessions() as session, session.begin():
            audit.record(session, at=AT, actor="cli:test", action="test.after", subject="x",
                         details={}, key=key)
        with sessions() as session:
            report = audit.verify(session, key)
            assert report.ok, report.findings
            assert report.entries == 2
            [before, after] = audit.entries(session)
        assert (before.request_id, after.request_id) == (None, "req-0030")
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0029_oauth_pushed_requests")
            assert "request_id" not in _columns(connection, "audit_entries")
            assert "request_id" not in _columns(connection, "jobs")
    finally:
        engine.dispose()


def _written_before(key: MasterKey) -> tuple[dict[str, object], dict[str, object]]:
    """The first entry as credstack wrote it before the column existed, and its head."""
    entry = new_entry(EMPTY_HEAD, at=AT, actor="cli:test", action="test.before", subject="x",
                      details={})
    head = sign_head(key.derive(HEAD_KEY_LABEL), entry)
    return ({"at": AT, "prev": entry.prev_hash, "hash": entry.hash},
            {"hash": head.hash, "mac": head.mac})
