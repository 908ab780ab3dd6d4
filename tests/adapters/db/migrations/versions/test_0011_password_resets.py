"""Migration 0011_password_resets: the reset links' table, on SQLite and PostgreSQL.

A store at 0010 with a user is migrated to head: a link of that user can be stored, a second
link with the same token cannot, one that expires before it was made cannot, and deleting
the user deletes their links; downgrading drops the table again.
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
LATER = "2026-04-02 00:00:00+00:00"


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _link(connection: sa.Connection, token_hash: str, expires_at: str = LATER) -> None:
    connection.execute(sa.text(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) "
        "VALUES (:hash, 1, :now, :expires)"),
        {"hash": token_hash, "now": NOW, "expires": expires_at})


def test_reset_links_are_stored_unique_and_go_with_their_user(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0010_ob2_algorithms")
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, "
                "created_at) VALUES (1, 'a@example.org', 'A', 'x', false, :now)"),
                {"now": NOW})
        migrate(engine)
        with engine.begin() as connection:
            _link(connection, "a" * 64)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _link(connection, "a" * 64)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _link(connection, "b" * 64, expires_at=NOW)
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM users WHERE id = 1"))
            assert connection.scalar(sa.text("SELECT count(*) FROM password_resets")) == 0
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0010_ob2_algorithms")
        assert "password_resets" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
