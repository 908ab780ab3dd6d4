"""Migration 0017_credential_search: issued credentials gain the learner's name and the
indexes of the workspace's list, as ``tables`` declares them (alembic finds no difference),
on SQLite and PostgreSQL; downgrading removes them and keeps the table."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import _config

INDEXES = {"ix_issued_credentials_listing", "ix_issued_credentials_search"}


def _about_credentials(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    # The trigram index of PostgreSQL (0021) is no table's declaration: SQLite has none.
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "issued_credentials" in repr(diff) and "trigrams" not in repr(diff)]


def test_the_name_and_the_indexes_come_and_go(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        inspector = sa.inspect(engine)
        assert "learner_name" in {c["name"] for c in inspector.get_columns("issued_credentials")}
        assert {i["name"] for i in inspector.get_indexes("issued_credentials")} >= INDEXES
        with engine.connect() as connection:
            assert _about_credentials(connection) == []
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0016_invitations")
        inspector = sa.inspect(engine)
        assert "learner_name" not in {c["name"]
                                      for c in inspector.get_columns("issued_credentials")}
        assert not INDEXES & {i["name"] for i in inspector.get_indexes("issued_credentials")}
    finally:
        engine.dispose()
