"""Migration 0014_jobs: the jobs table, on SQLite and PostgreSQL.

The migrated table is the one ``tables/jobs.py`` declares (alembic finds no difference); one
idempotency key gives one job per kind; the state is one of the five; deleting the user who
started a job keeps the job (its starter is still named); downgrading drops the table.
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


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "'jobs'" in repr(diff) or "jobs." in repr(diff) or "(jobs" in repr(diff)]


def _job(connection: sa.Connection, public_id: str, key: str, *, state: str = "queued",
         user: int | None = 1) -> None:
    connection.execute(sa.text(
        "INSERT INTO jobs (public_id, kind, organisation, started_by, started_by_user_id, "
        "principal, idempotency_key, payload, state, done, attempts, created_at, updated_at) "
        "VALUES (:public_id, 'cohort.issue', 'org', 'user:1', :user, '{}', :key, '{}', "
        ":state, 0, 0, :now, :now)"),
        {"public_id": public_id, "key": key, "state": state, "user": user, "now": NOW})


def test_the_jobs_table_holds_its_rules(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0013_wallet_failed_reason")
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, "
                "created_at) VALUES (1, 'a@example.org', 'A', 'x', false, :now)"),
                {"now": NOW})
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            _job(connection, "j1", "batch-1")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _job(connection, "j2", "batch-1")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _job(connection, "j3", "batch-3", state="lost")
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
            connection.execute(sa.text("DELETE FROM users WHERE id = 1"))
            row = connection.execute(sa.text(
                "SELECT started_by, started_by_user_id FROM jobs")).one()
            assert tuple(row) == ("user:1", None)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0013_wallet_failed_reason")
        assert "jobs" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
