"""Migration 0018_sign_ups: the sign-up requests' table, as ``tables`` declares it (alembic
finds no difference), on SQLite and PostgreSQL; a token is unique, a link cannot expire before
it was made; downgrading drops the table."""

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

LATER = "2026-04-08 00:00:00+00:00"


def _about_sign_ups(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "sign_ups" in repr(diff)]


def _request(connection: sa.Connection, token_hash: str | None, *, expires_at: str = LATER
             ) -> None:
    connection.execute(sa.text(
        "INSERT INTO sign_ups (email, ip, token_hash, next_path, created_at, expires_at) "
        "VALUES ('a@example.org', '127.0.0.1', :hash, '/wallet', :now, :expires)"),
        {"hash": token_hash, "now": NOW, "expires": expires_at})


def test_sign_up_requests_are_stored_checked_and_dropped_again(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _about_sign_ups(connection) == []
        with engine.begin() as connection:
            _request(connection, "a" * 64)
            # Requests for addresses with an account have no link: any number of them.
            _request(connection, None)
            _request(connection, None)
        for token_hash, expires in (("a" * 64, LATER), ("b" * 64, NOW)):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                _request(connection, token_hash, expires_at=expires)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0017_credential_search")
        assert "sign_ups" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
