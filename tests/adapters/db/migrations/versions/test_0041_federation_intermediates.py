"""Migration 0041_federation_intermediates: the intermediates' table as ``tables`` declares
it (alembic finds no difference), on SQLite and PostgreSQL; an entity is registered once;
downgrading drops it."""

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


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "federation_intermediates" in repr(diff)]


def _register(connection: sa.Connection) -> None:
    connection.execute(sa.text(
        "INSERT INTO federation_intermediates (entity_id, jwks, name, registered_at) "
        "VALUES ('https://mc.example.ac.jp', '{\"keys\": []}', '{}', :now)"), {"now": NOW})


def test_the_intermediates_table_is_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            _register(connection)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _register(connection)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0040_corporate_number")
        assert "federation_intermediates" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
