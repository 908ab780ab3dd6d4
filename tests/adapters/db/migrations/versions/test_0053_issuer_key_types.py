"""Migration 0053_issuer_key_types: an issuer key may be P-384 or P-521 after the upgrade and
not before, on SQLite and PostgreSQL; the table is the one ``tables`` declares; downgrading
(with no such key) refuses them again."""

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
from tests.adapters.db.migrations.versions.test_0012_wallet import _config

BEFORE = "0052_passwords_off"
NOW = "2026-04-01 00:00:00+00:00"


def _key(connection: sa.Connection, fragment: str, key_type: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO issuer_keys (organisation_id, key_type, fragment, public_multibase, "
        "master_key_id, encrypted_secret, nonce, created_at, retired_at) VALUES (1, :type, "
        ":fragment, 'z', :master, :secret, :nonce, :now, :now)"),
        {"type": key_type, "fragment": fragment, "master": "0" * 32, "secret": b"x",
         "nonce": bytes(12), "now": NOW})


def test_p384_and_p521_keys_fit_after_the_upgrade_only(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), BEFORE)
            connection.execute(sa.text(
                "INSERT INTO organisations (id, slug, kind, name, country, url, created_at, "
                "updated_at) VALUES (1, 'hokuto-tech', 'university', '{\"ja\": \"北都\"}', "
                "'JP', NULL, :now, :now)"), {"now": NOW})
            _key(connection, "key-1", "Ed25519")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _key(connection, "key-2", "P-521")
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert [diff for diff in compare_metadata(context, Base.metadata)
                    if "issuer_keys" in repr(diff)] == []
        with engine.begin() as connection:
            _key(connection, "key-2", "P-384")
            _key(connection, "key-3", "P-521")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _key(connection, "key-4", "secp256k1")
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM issuer_keys WHERE key_type != 'Ed25519'"))
            command.downgrade(_config(connection), BEFORE)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _key(connection, "key-5", "P-384")
    finally:
        engine.dispose()
