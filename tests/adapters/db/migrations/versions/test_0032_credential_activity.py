"""Migration 0032_credential_activity: the activity, notice and public profile tables as
``tables`` declares them (alembic finds no difference), on SQLite and PostgreSQL; a
credential has one activity row, a batch one row per kind, a handle one profile; downgrading
drops them."""

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

TABLES = (
    "credential_activity",
    "batch_activity",
    "organisation_activity",
    "organisation_notices",
    "public_profiles",
    "public_profile_items",
)


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [
        diff
        for diff in compare_metadata(context, Base.metadata)
        if any(table in repr(diff) for table in TABLES)
    ]


def _batch_row(connection: sa.Connection) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO batch_activity (organisation_id, batch, kind, events, credentials) "
            "VALUES (1, 'spring', 'claimed', 1, 1)"
        )
    )


def test_the_activity_tables_are_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO organisations (id, slug, kind, name, country, created_at, "
                    "updated_at) VALUES (1, 'o', 'university', '{}', 'JP', :now, :now)"
                ),
                {"now": NOW},
            )
            _batch_row(connection)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _batch_row(connection)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0031_console")
        names = sa.inspect(engine).get_table_names()
        assert not set(TABLES) & set(names)
    finally:
        engine.dispose()
