"""Migration 0050_passkeys: the passkeys' two tables as ``tables`` declares them (alembic
finds no difference), on SQLite and PostgreSQL; downgrading drops them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import _config

BEFORE = "0049_lti_registration_tokens"


def test_the_passkey_tables_are_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert [diff for diff in compare_metadata(context, Base.metadata)
                    if "passkey" in repr(diff)] == []
        with engine.begin() as connection:
            command.downgrade(_config(connection), BEFORE)
        names = sa.inspect(engine).get_table_names()
        assert "passkeys" not in names and "passkey_challenges" not in names
    finally:
        engine.dispose()
