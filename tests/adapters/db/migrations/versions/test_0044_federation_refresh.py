"""Migration 0044_federation_refresh: an imported registry's last refused refresh as
``tables`` declares it (alembic finds no difference), on SQLite and PostgreSQL; a source
imported before keeps its row with no refusal; downgrading drops the columns."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config

COLUMNS = {"refused_at", "refusal_reason", "refusal"}


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "federation_sources" in repr(diff)]


def test_a_source_s_refusal_columns_are_added_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0043_corporate_number_unique")
            connection.execute(sa.text(
                "INSERT INTO federation_sources (url, kind, name, fetched_at) "
                "VALUES ('https://mqa.example.my', 'oidf', '{}', :now)"), {"now": NOW})
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
            assert connection.execute(sa.text(
                "SELECT refused_at, refusal_reason, refusal FROM federation_sources")
            ).one() == (None, None, None)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE federation_sources SET refused_at = :now, refusal_reason = 'expired', "
                "refusal = 'the configuration expired'"), {"now": NOW})
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0043_corporate_number_unique")
        columns = {column["name"]
                   for column in sa.inspect(engine).get_columns("federation_sources")}
        assert not columns & COLUMNS
        with engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT url FROM federation_sources")).scalar_one() == "https://mqa.example.my"
    finally:
        engine.dispose()
