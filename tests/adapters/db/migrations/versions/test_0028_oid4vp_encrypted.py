"""Migration 0028_oid4vp_encrypted: ``oid4vp_requests.response_mode`` as ``tables`` declares
it (alembic finds no difference), on SQLite and PostgreSQL; downgrading drops it and keeps
the requests."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config
from tests.adapters.db.migrations.versions.test_0025_oid4vc import _about_oid4vc
from tests.adapters.db.migrations.versions.test_0027_oid4vp_signed import _columns


def test_the_response_mode_column_is_added_and_dropped(settings: Settings) -> None:
    """The column comes and goes; a request made with it stays."""
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _about_oid4vc(connection) == []
        assert "response_mode" in _columns(engine)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO oid4vp_requests (public_id, label, nonce, query, created_at, "
                "expires_at, response_mode) VALUES ('r', '', 'n', '{}', :now, :now, "
                "'direct_post.jwt')"), {"now": NOW})
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0027_oid4vp_signed")
        assert "response_mode" not in _columns(engine)
        with engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT count(*) FROM oid4vp_requests")) == 1
    finally:
        engine.dispose()
