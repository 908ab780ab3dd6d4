"""Migration 0058_sso_saml_logout: the NameID's columns as ``tables`` declares them (alembic
finds no difference), on SQLite and PostgreSQL; downgrading drops them and keeps the table."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import _config

BEFORE = "0057_registrar_requests"
COLUMNS = {"name_id", "name_id_format", "name_qualifier", "sp_name_qualifier"}


def test_the_name_id_columns_are_added_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert [diff for diff in compare_metadata(context, Base.metadata)
                    if "sso_saml_sessions" in repr(diff)] == []
        with engine.begin() as connection:
            command.downgrade(_config(connection), BEFORE)
        columns = {c["name"] for c in sa.inspect(engine).get_columns("sso_saml_sessions")}
        assert not columns & COLUMNS and "name_id_hash" in columns
    finally:
        engine.dispose()
