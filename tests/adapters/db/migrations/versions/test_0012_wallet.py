"""Migration 0012_wallet: the wallet's tables, on SQLite and PostgreSQL.

The migrated tables are the ones ``tables/wallet.py`` declares (alembic finds no difference);
a learner's identifier belongs to one learner; the same bytes are kept once per wallet; a
share link points at exactly one credential or collection; deleting the user deletes the
whole wallet; downgrading drops the tables again.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from credstack.adapters.db.engine import MIGRATIONS, make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings

NOW = "2026-04-01 00:00:00+00:00"
WALLET_TABLES = {"wallet_identifiers", "holder_keys", "wallet_credentials", "wallet_tags",
                 "wallet_collections", "wallet_collection_items", "wallet_shares",
                 "wallet_dismissed", "issued_credentials"}


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _differences(connection: sa.Connection) -> list[object]:
    def about_wallet(item: object) -> bool:
        text = repr(item)
        return any(f"'{table}'" in text or f"{table}." in text or f"({table}" in text
                   for table in WALLET_TABLES)

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata) if about_wallet(diff)]


def _credential(connection: sa.Connection, public_id: str, digest: str) -> int:
    return int(connection.scalar(sa.text(
        "INSERT INTO wallet_credentials (public_id, user_id, original, digest, media_type, "
        "kind, source, imported_at, import_report, entry, outcome, checked_at, note) VALUES "
        "(:public_id, 1, :original, :digest, 'application/json', 'vc', 'upload', :now, '{}', "
        "'{}', 'verified', :now, '') RETURNING id"),
        {"public_id": public_id, "original": b"{}", "digest": digest, "now": NOW}))


def test_the_wallet_tables_hold_their_rules_and_go_with_their_user(settings: Settings
                                                                    ) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0011_password_resets")
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, "
                "created_at) VALUES (1, 'a@example.org', 'A', 'x', false, :now), "
                "(2, 'b@example.org', 'B', 'x', false, :now)"), {"now": NOW})
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO wallet_identifiers (user_id, kind, value, created_at) "
                "VALUES (1, 'email', 'a@example.org', :now)"), {"now": NOW})
            credential = _credential(connection, "p1", "d" * 64)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO wallet_identifiers (user_id, kind, value, created_at) "
                "VALUES (2, 'email', 'a@example.org', :now)"), {"now": NOW})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _credential(connection, "p2", "d" * 64)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO wallet_shares (token_hash, user_id, label, created_at, views) "
                "VALUES (:hash, 1, '', :now, 0)"), {"hash": "s" * 64, "now": NOW})
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO wallet_shares (token_hash, user_id, credential_id, label, "
                "created_at, views) VALUES (:hash, 1, :credential, '', :now, 0)"),
                {"hash": "s" * 64, "credential": credential, "now": NOW})
            connection.execute(sa.text("INSERT INTO wallet_tags (credential_id, tag) "
                                       "VALUES (:credential, 'data')"),
                               {"credential": credential})
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
            connection.execute(sa.text("DELETE FROM users WHERE id = 1"))
            for table in ("wallet_identifiers", "wallet_credentials", "wallet_shares",
                          "wallet_tags"):
                assert connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) == 0
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0011_password_resets")
        assert not (WALLET_TABLES - {"issued_credentials"}) & set(
            sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
