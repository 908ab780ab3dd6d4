"""Migration 0029_oauth_pushed_requests: the pushed authorization requests of RFC 9126 as
``tables`` declares them (alembic finds no difference), on SQLite and PostgreSQL; a
``request_uri`` names one request (unique by its digest); downgrading drops the table."""

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


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "oauth_pushed_requests" in repr(diff)]


def _push(connection: sa.Connection, digest: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO oauth_pushed_requests (request_hash, client_id, params, created_at, "
        "expires_at) VALUES (:hash, 1, '{}', :now, :now)"), {"hash": digest, "now": NOW})


def test_the_pushed_requests_table_is_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO oauth_clients (id, client_id, name, client_metadata, "
                "redirect_uris, scope, grant_types, auth_method, registered_ip, created_at) "
                "VALUES (1, 'csc_x', 'x', '{}', '[]', '', '', 'none', '', :now)"),
                {"now": NOW})
            _push(connection, "a" * 64)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _push(connection, "a" * 64)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0028_oid4vp_encrypted")
        assert "oauth_pushed_requests" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
