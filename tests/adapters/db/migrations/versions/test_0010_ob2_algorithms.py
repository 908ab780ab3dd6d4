"""Migration 0010_ob2_algorithms: every OB 2.0 key has an algorithm, RS256 for the old ones.

On SQLite and PostgreSQL: a store migrated up to 0009, with an OB 2.0 key row written as
that schema had it, is migrated to head; the row is an RS256 key, and only RS256 or ES256
can be stored.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.exc import IntegrityError

from credstack.adapters.db.engine import MIGRATIONS, make_engine, migrate
from credstack.settings import Settings

NOW = "2026-04-01 00:00:00+00:00"


def _upgrade(engine: sa.Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _key_row(connection: sa.Connection, fragment: str, **extra: str) -> None:
    columns = {"organisation_id": 1, "fragment": fragment, "public_key_pem": "PEM",
               "master_key_id": "0" * 32, "encrypted_secret": b"x", "nonce": bytes(12),
               "created_at": NOW, "retired_at": NOW, **extra}
    names = ", ".join(columns)
    values = ", ".join(f":{name}" for name in columns)
    connection.execute(sa.text(f"INSERT INTO ob2_keys ({names}) VALUES ({values})"), columns)


def test_existing_ob2_keys_become_rs256_and_only_two_algorithms_fit(settings: Settings) -> None:
    """A key stored before the migration is RS256; ES256 can be stored, HS256 cannot."""
    engine = make_engine(settings)
    try:
        _upgrade(engine, "0009_pki_revocation")
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisations (id, slug, kind, name, country, url, created_at, "
                "updated_at) VALUES (1, 'hokuto-tech', 'university', '{\"ja\": \"北都\"}', "
                "'JP', NULL, :now, :now)"), {"now": NOW})
            _key_row(connection, "rsa-1")
        migrate(engine)
        with engine.begin() as connection:
            stored = connection.execute(sa.text(
                "SELECT fragment, algorithm FROM ob2_keys")).all()
            assert [tuple(row) for row in stored] == [("rsa-1", "RS256")]
            _key_row(connection, "p256-2", algorithm="ES256")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _key_row(connection, "hs-3", algorithm="HS256")
    finally:
        engine.dispose()
