"""Migration 0024_oauth: the authorization server's tables, as ``tables`` declares them
(alembic finds no difference), on SQLite and PostgreSQL; a code and a token are unique by
their digest; downgrading drops the tables."""

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

TABLES = ("oauth_clients", "oauth_codes", "oauth_tokens")


def _about_oauth(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if any(table in repr(diff) for table in TABLES)]


def _token(connection: sa.Connection, digest: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO oauth_tokens (access_hash, grant_type, scope, family, issued_at, "
        "expires_at) VALUES (:hash, 'authorization_code', 'wallet:read', 'f', :now, :now)"),
        {"hash": digest, "now": NOW})


def test_the_authorization_servers_tables_are_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _about_oauth(connection) == []
        with engine.begin() as connection:
            _token(connection, "a" * 64)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _token(connection, "a" * 64)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0021_workspace_finish")
        assert not set(TABLES) & set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
