"""Migration 0049_lti_registration_tokens: the table as ``tables`` declares it (alembic finds
no difference), on SQLite and PostgreSQL; downgrading drops it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import _config

BEFORE = "0048_client_secret_ended"


def test_the_registration_tokens_table_is_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert [diff for diff in compare_metadata(context, Base.metadata)
                    if "lti_registration_tokens" in repr(diff)] == []
        with engine.begin() as connection:
            command.downgrade(_config(connection), BEFORE)
        assert "lti_registration_tokens" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
