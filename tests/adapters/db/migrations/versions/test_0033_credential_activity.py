"""Migration 0033_credential_activity: the activity, notice and public profile tables as
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
            command.downgrade(_config(connection), "0032_console")
        names = sa.inspect(engine).get_table_names()
        assert not set(TABLES) & set(names)
    finally:
        engine.dispose()


def test_credentials_issued_before_are_counted_as_issued(settings: Settings) -> None:
    """Two credentials of a batch and one of none, stored before the migration: their
    batches' and month's tallies of issued credentials."""
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0032_console")
            connection.execute(sa.text(
                "INSERT INTO organisations (id, slug, kind, name, country, created_at, "
                "updated_at) VALUES (1, 'o', 'university', '{}', 'JP', :now, :now)"),
                {"now": NOW})
            connection.execute(sa.text(
                "INSERT INTO status_lists (id, organisation_id, number, size, used, "
                "allocated, revocation, suspension, published, created_at, changed_at) "
                "VALUES (1, 1, 1, 8, 3, :bits, :bits, :bits, '{}', :now, :now)"),
                {"now": NOW, "bits": b"\0"})
            for index, batch in enumerate(("spring", "spring", None)):
                connection.execute(sa.text(
                    "INSERT INTO issued_credentials (credential_id, organisation_id, batch, "
                    "securing, document, status_list_id, status_index, purposes, state, "
                    "issued_at) VALUES (:id, 1, :batch, 'vc-jwt', 'x', 1, :index, "
                    "'revocation', 'active', :now)"),
                    {"id": f"urn:uuid:{index}", "batch": batch, "index": index, "now": NOW})
            command.upgrade(_config(connection), "0033_credential_activity")
            tallies = set(connection.execute(sa.text(
                "SELECT batch, kind, credentials FROM batch_activity")).all())
            months = set(connection.execute(sa.text(
                "SELECT month, kind, credentials FROM organisation_activity")).all())
        assert tallies == {("spring", "issued", 2), ("", "issued", 1)}
        assert months == {(NOW[:7], "issued", 3)}
    finally:
        engine.dispose()
