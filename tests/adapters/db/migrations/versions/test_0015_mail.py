"""Migration 0015_mail: the outbox and the sender names, on SQLite and PostgreSQL.

The migrated tables are the ones ``tables/mail.py`` declares (alembic finds no difference);
an event key is queued once; a state is one of the four; a sender name goes with its
organisation; downgrading drops both tables.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config

MAIL_TABLES = {"mail_outbox", "mail_senders"}


def _differences(connection: sa.Connection) -> list[object]:
    def about_mail(item: object) -> bool:
        text = repr(item)
        return any(f"'{table}'" in text or f"{table}." in text or f"({table}" in text
                   for table in MAIL_TABLES)

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata) if about_mail(diff)]


def _message(connection: sa.Connection, key: str, state: str = "pending") -> None:
    connection.execute(sa.text(
        "INSERT INTO mail_outbox (event_key, to_address, language, template, context, state, "
        "attempts, next_attempt_at, created_at) VALUES (:key, 'a@example.org', 'ja', "
        "'credential_issued', '{}', :state, 0, :now, :now)"),
        {"key": key, "state": state, "now": NOW})


def test_the_outbox_holds_each_event_once_and_goes_when_downgraded(settings: Settings
                                                                   ) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0014_jobs")
            connection.execute(sa.text(
                "INSERT INTO organisations (id, slug, kind, name, country, created_at, "
                "updated_at) VALUES (1, 'hokuto', 'provider', '{\"ja\": \"北斗\"}', 'JP', "
                ":now, :now)"), {"now": NOW})
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            _message(connection, "credential.issued:urn:uuid:1:a@example.org")
            connection.execute(sa.text(
                "INSERT INTO mail_senders (organisation_id, name, updated_at) "
                "VALUES (1, '北斗工科大学 修了証窓口', :now)"), {"now": NOW})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _message(connection, "credential.issued:urn:uuid:1:a@example.org")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _message(connection, "other", state="lost")
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
            connection.execute(sa.text("DELETE FROM organisations WHERE id = 1"))
            assert connection.scalar(sa.text("SELECT count(*) FROM mail_senders")) == 0
            assert connection.scalar(sa.text("SELECT count(*) FROM mail_outbox")) == 1
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0014_jobs")
        assert not MAIL_TABLES & set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
