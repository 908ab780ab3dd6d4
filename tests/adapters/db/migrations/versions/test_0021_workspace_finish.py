"""Migration 0021_workspace_finish: password reset requests, organisations' logos and jobs'
files as ``tables`` declares them (alembic finds no difference), on SQLite and PostgreSQL;
the trigram index of credential search on PostgreSQL alone; downgrading removes them all."""

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

TABLES = {"password_reset_requests", "organisation_logos", "job_files"}
TRIGRAMS = "ix_issued_credentials_trigrams"


def _about(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if any(table in repr(diff) for table in TABLES)]


def _organisation(connection: sa.Connection) -> int:
    connection.execute(sa.text(
        "INSERT INTO organisations (slug, kind, name, country, created_at, updated_at) "
        "VALUES ('logo-org', 'university', '{\"en\": \"L\"}', 'JP', :now, :now)"),
        {"now": NOW})
    return int(connection.scalar(sa.text("SELECT id FROM organisations WHERE slug = "
                                         "'logo-org'")))


def _logo(connection: sa.Connection, organisation_id: int, media_type: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO organisation_logos (organisation_id, media_type, data, sha256, "
        "updated_at) VALUES (:id, :type, :data, :sha, :now)"),
        {"id": organisation_id, "type": media_type, "data": b"\x89PNG", "sha": "0" * 64,
         "now": NOW})


def test_the_tables_hold_their_rules_and_go_again(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _about(connection) == []
        with engine.begin() as connection:
            organisation_id = _organisation(connection)
            _logo(connection, organisation_id, "image/png")
            connection.execute(sa.text(
                "INSERT INTO password_reset_requests (email, ip, created_at) "
                "VALUES ('a@example.org', '127.0.0.1', :now)"), {"now": NOW})
        # One logo per organisation, of an image type credstack serves.
        for media_type in ("image/jpeg", "text/html"):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                if media_type == "text/html":
                    connection.execute(sa.text("DELETE FROM organisation_logos"))
                _logo(connection, organisation_id, media_type)
        with engine.begin() as connection:
            # The organisation's logo goes with it.
            connection.execute(sa.text("DELETE FROM organisations WHERE id = :id"),
                               {"id": organisation_id})
            assert connection.scalar(sa.text("SELECT count(*) FROM organisation_logos")) == 0
        indexes = {i["name"] for i in sa.inspect(engine).get_indexes("issued_credentials")}
        assert (TRIGRAMS in indexes) == (engine.dialect.name == "postgresql")
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0020_creditbank_lifecycle")
        inspector = sa.inspect(engine)
        assert not TABLES & set(inspector.get_table_names())
        assert TRIGRAMS not in {i["name"] for i in inspector.get_indexes("issued_credentials")}
    finally:
        engine.dispose()
