"""Migration 0032_console: the console's tables as ``tables`` declares them (alembic finds no
difference), on SQLite and PostgreSQL; one open application per corporate number (a refused
one may be followed by another); one counter per figure and month; downgrading drops them."""

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

_TABLES = (
    "provider_applications",
    "provider_documents",
    "organisation_suspensions",
    "programme_reports",
    "programme_hidings",
    "platform_counters",
)


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [
        diff
        for diff in compare_metadata(context, Base.metadata)
        if any(table in repr(diff) for table in _TABLES)
    ]


def _apply(connection: sa.Connection, public_id: str, status: str) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO provider_applications (public_id, name, corporate_number, kind, "
            "contact_name, email, language, status, created_at) VALUES (:id, '{}', "
            "'7123456789012', 'company', 'A', 'a@example.jp', 'ja', :status, :now)"
        ),
        {"id": public_id, "status": status, "now": NOW},
    )


def test_the_console_tables_are_made_held_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            _apply(connection, "a", "refused")
            _apply(connection, "b", "waiting")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _apply(connection, "c", "approved")
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO platform_counters (figure, month, count) "
                    "VALUES ('issued', '2026-11', 3)"
                )
            )
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO platform_counters (figure, month, count) "
                    "VALUES ('issued', '2026-11', 1)"
                )
            )
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0031_federation_keys")
        left = set(sa.inspect(engine).get_table_names())
        assert not left & set(_TABLES)
    finally:
        engine.dispose()
