"""Migration 0060_sso_oidc_sessions: the table as ``tables`` declares it (alembic finds no
difference), on SQLite and PostgreSQL; downgrading drops it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import _config

BEFORE = "0059_registrar_english_names"


def test_the_oidc_sessions_table_is_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert [diff for diff in compare_metadata(context, Base.metadata)
                    if "sso_oidc_sessions" in repr(diff)] == []
        with engine.begin() as connection:
            command.downgrade(_config(connection), BEFORE)
        assert "sso_oidc_sessions" not in sa.inspect(engine).get_table_names()
        assert "sso_providers" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
