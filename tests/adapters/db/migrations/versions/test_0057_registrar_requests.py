"""Migration 0057_registrar_requests: the tables as ``tables`` declares them (alembic finds
no difference), on SQLite and PostgreSQL; downgrading drops them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import _config

BEFORE = "0056_registrar_documents"
_TABLES = ("registrar_request_rules", "registrar_record_holders", "registrar_requests",
           "registrar_delivery_events")


def test_the_request_tables_are_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert [diff for diff in compare_metadata(context, Base.metadata)
                    if any(name in repr(diff) for name in _TABLES)] == []
        with engine.begin() as connection:
            command.downgrade(_config(connection), BEFORE)
        assert not [name for name in sa.inspect(engine).get_table_names()
                    if name in _TABLES]
    finally:
        engine.dispose()
