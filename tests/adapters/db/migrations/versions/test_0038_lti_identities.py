"""Migration 0038_lti_identities: the linked LMS identities and the course link's awards
claim as ``tables`` declares them (alembic finds no difference), on SQLite and PostgreSQL,
with a platform in place; an LMS user is linked to one account; going down drops them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config
from tests.adapters.db.migrations.versions.test_0037_lti import _differences, _platform


def _identity(connection: sa.Connection, user: int) -> None:
    connection.execute(sa.text(
        "INSERT INTO lti_identities (user_id, platform_id, issuer, subject, name, linked_at) "
        "VALUES (:user, 1, 'https://lms.example.ac.jp', 'user-1', '山田 花子', :now)"),
        {"user": user, "now": NOW})


def test_the_identities_and_the_claim_are_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisations (id, slug, kind, name, country, created_at, "
                "updated_at) VALUES (1, 'hokuto', 'university', '{\"en\": \"Hokuto\"}', "
                "'JP', :now, :now)"), {"now": NOW})
            _platform(connection, "client-1")
            for user in (1, 2):
                connection.execute(sa.text(
                    "INSERT INTO users (id, email, display_name, password_hash, disabled, "
                    "created_at) VALUES (:id, :email, 'L', 'x', false, :now)"),
                    {"id": user, "email": f"l{user}@example.jp", "now": NOW})
            _identity(connection, 1)
            connection.execute(sa.text(
                "UPDATE lti_links SET awarding_by = 'run', awarding_until = :now"),
                {"now": NOW})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _identity(connection, 2)
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0037_lti")
        inspector = sa.inspect(engine)
        assert "lti_identities" not in inspector.get_table_names()
        assert {"awarding_by", "awarding_until"}.isdisjoint(
            column["name"] for column in inspector.get_columns("lti_links"))
    finally:
        engine.dispose()
