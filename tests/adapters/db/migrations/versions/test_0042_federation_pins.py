"""Migration 0042_federation_pins: an imported registry's pinned keys as ``tables`` declares
them (alembic finds no difference), on SQLite and PostgreSQL; a source imported before keeps
its row with nothing pinned; downgrading drops the column."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "federation_sources" in repr(diff) or "pinned_jwks" in repr(diff)]


def test_a_source_s_pinned_keys_column_is_added_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0041_federation_intermediates")
            connection.execute(sa.text(
                "INSERT INTO federation_sources (url, kind, name, fetched_at) "
                "VALUES ('https://mqa.example.my', 'oidf', '{}', :now)"), {"now": NOW})
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
            assert connection.execute(sa.text(
                "SELECT pinned_jwks FROM federation_sources")).scalar_one() is None
        with engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE federation_sources SET pinned_jwks = :keys"),
                {"keys": '{"keys": [{"kid": "k1", "kty": "EC"}]}'})
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0041_federation_intermediates")
        columns = {column["name"]
                   for column in sa.inspect(engine).get_columns("federation_sources")}
        assert "pinned_jwks" not in columns
        with engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT url FROM federation_sources")).scalar_one() == "https://mqa.example.my"
    finally:
        engine.dispose()
