"""Migration 0035_employer_roles: the employers' saved roles as ``tables`` declares them
(alembic finds no difference), on SQLite and PostgreSQL; a title is one person's once; a
person's roles go with them; downgrading drops the table."""

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
            if "employer_roles" in repr(diff)]


def _role(connection: sa.Connection, user_id: int, title: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO employer_roles (user_id, title, text, skills, created_at, updated_at) "
        "VALUES (:user, :title, 'Data analyst', '[\"https://example.org/s/1\"]', :now, :now)"),
        {"user": user_id, "title": title, "now": NOW})


def test_the_saved_roles_table_is_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, "
                "created_at) VALUES (1, 'a@example.org', 'A', 'x', false, :now), "
                "(2, 'b@example.org', 'B', 'x', false, :now)"), {"now": NOW})
            _role(connection, 1, "Analyst")
            _role(connection, 2, "Analyst")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _role(connection, 1, "Analyst")
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
            connection.execute(sa.text("DELETE FROM users WHERE id = 1"))
            assert connection.scalar(sa.text("SELECT count(*) FROM employer_roles")) == 1
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0034_mail_withdrawn")
        assert "employer_roles" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
