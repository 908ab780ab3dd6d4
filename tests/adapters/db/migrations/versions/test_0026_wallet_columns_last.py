"""Migration 0026_wallet_columns_last: on SQLite the original bytes and the import report
move to the end of each wallet credential's row; every value, and every tag, collection item
and share that refers to the credential, stays (copying the table would have dropped them
with the old one); the tables are again what ``tables`` declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import command

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config, _differences

ORIGINAL = os.urandom(20_000)
REPORT = '{"checks": [{"name": "proof", "passed": true}], "note": "' + "r" * 15_000 + '"}'


def _columns(connection: sa.Connection) -> list[str]:
    return [column["name"] for column in sa.inspect(connection).get_columns(
        "wallet_credentials")]


def test_the_large_columns_move_last_and_nothing_is_lost(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0023_skills")
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, "
                "created_at) VALUES (1, 'a@example.org', 'A', 'x', false, :now)"),
                {"now": NOW})
            credential = connection.scalar(sa.text(
                "INSERT INTO wallet_credentials (public_id, user_id, original, digest, "
                "media_type, kind, source, imported_at, import_report, entry, outcome, "
                "checked_at, note) VALUES ('p1', 1, :original, :digest, 'application/json', "
                "'vc', 'upload', :now, :report, '{\"title\": {\"ja\": \"入門\"}}', 'verified', "
                ":now, 'mine') RETURNING id"),
                {"original": ORIGINAL, "digest": "d" * 64, "now": NOW, "report": REPORT})
            connection.execute(sa.text(
                "INSERT INTO wallet_tags (credential_id, tag) VALUES (:id, 'data')"),
                {"id": credential})
            connection.execute(sa.text(
                "INSERT INTO wallet_collections (public_id, user_id, name, description, "
                "created_at) VALUES ('c1', 1, 'For employers', '', :now)"), {"now": NOW})
            connection.execute(sa.text(
                "INSERT INTO wallet_collection_items (collection_id, credential_id, added_at) "
                "SELECT id, :id, :now FROM wallet_collections"), {"id": credential, "now": NOW})
            connection.execute(sa.text(
                "INSERT INTO wallet_shares (token_hash, user_id, credential_id, label, "
                "created_at, views) VALUES (:hash, 1, :id, '', :now, 0)"),
                {"hash": "s" * 64, "id": credential, "now": NOW})
        migrate(engine)
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
                assert _columns(connection)[-2:] == ["original", "import_report"]
                assert connection.scalar(sa.text("PRAGMA integrity_check")) == "ok"
                assert connection.execute(sa.text("PRAGMA foreign_key_check")).all() == []
            row = connection.execute(sa.text(
                "SELECT original, import_report, entry, note FROM wallet_credentials")).one()
            assert bytes(row.original) == ORIGINAL
            assert row.note == "mine"
            for table in ("wallet_tags", "wallet_collection_items", "wallet_shares"):
                assert connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) == 1
            assert _differences(connection) == []
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0023_skills")
            assert connection.scalar(sa.text(
                "SELECT count(*) FROM wallet_credentials WHERE note = 'mine'")) == 1
    finally:
        engine.dispose()
