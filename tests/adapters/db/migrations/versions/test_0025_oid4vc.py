"""Migration 0025_oid4vc: the credential offers, used nonces and presentation requests of
OpenID for Verifiable Credentials, as ``tables`` declares them (alembic finds no difference),
on SQLite and PostgreSQL; a nonce is used once (unique by its digest); downgrading drops the
tables."""

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

TABLES = ("oid4vci_offers", "oid4vci_nonces", "oid4vp_requests")


def _about_oid4vc(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if any(table in repr(diff) for table in TABLES)]


def _nonce(connection: sa.Connection, digest: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO oid4vci_nonces (nonce_hash, used_at, expires_at) "
        "VALUES (:hash, :now, :now)"), {"hash": digest, "now": NOW})


def test_the_oid4vc_tables_are_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _about_oid4vc(connection) == []
        with engine.begin() as connection:
            _nonce(connection, "b" * 64)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _nonce(connection, "b" * 64)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0024_oauth")
        names = set(sa.inspect(engine).get_table_names())
        assert not set(TABLES) & names
        assert "oauth_tokens" in names
    finally:
        engine.dispose()
