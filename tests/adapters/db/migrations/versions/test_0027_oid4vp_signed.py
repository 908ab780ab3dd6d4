"""Migration 0027_oid4vp_signed: the signer columns of ``oid4vp_requests`` as ``tables``
declares them (alembic finds no difference), on SQLite and PostgreSQL; downgrading drops
them and keeps the requests."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config
from tests.adapters.db.migrations.versions.test_0025_oid4vc import _about_oid4vc

COLUMNS = {"organisation", "client_did", "request_uri_method"}


def _columns(engine: sa.Engine) -> set[str]:
    return {column["name"] for column in sa.inspect(engine).get_columns("oid4vp_requests")}


def test_the_signer_columns_are_added_and_dropped(settings: Settings) -> None:
    """The columns come and go; a request made before them stays."""
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _about_oid4vc(connection) == []
        assert _columns(engine) >= COLUMNS
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO oid4vp_requests (public_id, label, nonce, query, created_at, "
                "expires_at, organisation, client_did, request_uri_method) VALUES ('r', '', "
                "'n', '{}', :now, :now, 'hokuto', 'did:key:z6Mk', 'get')"), {"now": NOW})
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0026_wallet_columns_last")
        assert not COLUMNS & _columns(engine)
        with engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT count(*) FROM oid4vp_requests")) == 1
    finally:
        engine.dispose()
