"""Migration 0043_corporate_number_unique: one organisation per corporate number, as
``tables`` declares it (alembic finds no difference), on SQLite and PostgreSQL; many
organisations without one; organisations already sharing a number stop the upgrade with
the number and their names; downgrading drops the index."""

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

BEFORE = "0042_federation_pins"


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "corporate_number" in repr(diff)]


def _organisation(connection: sa.Connection, index: int, number: str | None) -> None:
    connection.execute(sa.text(
        "INSERT INTO organisations (id, slug, kind, name, country, corporate_number, "
        "created_at, updated_at) VALUES (:id, :slug, 'university', '{}', 'JP', :number, "
        ":now, :now)"), {"id": index, "slug": f"org-{index}", "number": number, "now": NOW})


def test_a_corporate_number_is_one_organisation_s(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), BEFORE)
            _organisation(connection, 1, "7123456789012")
            _organisation(connection, 2, None)
            _organisation(connection, 3, None)
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _organisation(connection, 4, "7123456789012")
        with engine.begin() as connection:
            command.downgrade(_config(connection), BEFORE)
            _organisation(connection, 4, "7123456789012")
        indexes = {index["name"] for index in sa.inspect(engine).get_indexes("organisations")}
        assert "uq_organisations_corporate_number" not in indexes
    finally:
        engine.dispose()


def test_organisations_sharing_a_number_stop_the_upgrade(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), BEFORE)
            _organisation(connection, 1, "7123456789012")
            _organisation(connection, 2, "7123456789012")
        with pytest.raises(RuntimeError) as stopped:
            migrate(engine)
        assert "7123456789012: org-1, org-2" in str(stopped.value)
        assert "法人番号が重複" in str(stopped.value)
    finally:
        engine.dispose()
