"""Migration 0048_client_secret_ended: an API client's ended secret as ``tables`` declares it
(alembic finds no difference), on SQLite and PostgreSQL; a client made before keeps its row
with a secret that works; downgrading drops the columns and leaves an ended secret unusable
(its digest emptied), a live one as it was."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config

BEFORE = "0047_figures_and_wallet_copies"
DIGEST = "ab" * 32


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "api_clients" in repr(diff)]


def test_a_clients_ended_secret_is_added_and_stays_ended_on_downgrade(settings: Settings
                                                                       ) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), BEFORE)
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, "
                "created_at) VALUES (1, 'a@example.org', 'A', 'x', false, :now)"),
                {"now": NOW})
            for client in ("cs_live", "cs_ended"):
                connection.execute(sa.text(
                    "INSERT INTO api_clients (client_id, secret_hash, user_id, name, scopes, "
                    "created_at) VALUES (:client, :digest, 1, 'CI', 'credentials:issue', "
                    ":now)"), {"client": client, "digest": DIGEST, "now": NOW})
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
            assert connection.execute(sa.text(
                "SELECT DISTINCT secret_ended_at, secret_ended_by FROM api_clients")
            ).all() == [(None, None)]
        with engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE api_clients SET secret_ended_at = :now, "
                "secret_ended_by = 'password.changed' WHERE client_id = 'cs_ended'"),
                {"now": NOW})
        with engine.begin() as connection:
            command.downgrade(_config(connection), BEFORE)
        columns = {column["name"] for column in sa.inspect(engine).get_columns("api_clients")}
        assert not columns & {"secret_ended_at", "secret_ended_by"}
        with engine.connect() as connection:
            assert dict(connection.execute(sa.text(
                "SELECT client_id, secret_hash FROM api_clients")).all()) == {
                "cs_live": DIGEST, "cs_ended": ""}
    finally:
        engine.dispose()
