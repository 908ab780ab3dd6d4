"""Migration 0031_federation_keys: the federation's entity keys as ``tables`` declares them
(alembic finds no difference), on SQLite and PostgreSQL; one active key per entity (the
partial unique index), a retired one beside it; downgrading drops the table."""

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
            if "federation_keys" in repr(diff)]


def _key(connection: sa.Connection, kid: str, *, retired: bool = False) -> None:
    connection.execute(sa.text(
        "INSERT INTO federation_keys (entity, key_type, kid, public_multibase, master_key_id, "
        "encrypted_secret, nonce, created_at, retired_at) VALUES ('anchor', 'P-256', :kid, "
        "'zDn', 'm', :secret, :nonce, :now, :retired)"),
        {"kid": kid, "secret": b"x" * 48, "nonce": b"n" * 12, "now": NOW,
         "retired": NOW if retired else None})


def test_the_federation_keys_table_is_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            _key(connection, "old", retired=True)
            _key(connection, "new")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _key(connection, "another active one")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _key(connection, "old", retired=True)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0030_request_ids")
        assert "federation_keys" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
