"""Migration 0013_wallet_failed_reason: a credential kept before it has no reason yet (the
next check gives one); one can be stored after it; downgrading keeps the credential."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config, _credential


def test_credentials_kept_before_have_no_reason_and_stay_when_downgraded(settings: Settings
                                                                         ) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0012_wallet")
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, "
                "created_at) VALUES (1, 'a@example.org', 'A', 'x', false, :now)"),
                {"now": NOW})
            _credential(connection, "p1", "d" * 64)
        migrate(engine)
        with engine.begin() as connection:
            assert connection.scalar(sa.text(
                "SELECT failed_reason FROM wallet_credentials")) is None
            connection.execute(sa.text(
                "UPDATE wallet_credentials SET failed_reason = 'revoked'"))
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0012_wallet")
        with engine.connect() as connection:
            assert connection.scalar(sa.text(
                "SELECT public_id FROM wallet_credentials")) == "p1"
        assert "failed_reason" not in {column["name"] for column in
                                       sa.inspect(engine).get_columns("wallet_credentials")}
    finally:
        engine.dispose()
