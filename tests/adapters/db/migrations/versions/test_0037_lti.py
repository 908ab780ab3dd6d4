"""Migration 0037_lti: the LTI tables as ``tables`` declares them (alembic finds no
difference), on SQLite and PostgreSQL; a platform is registered once per issuer and client
id; a login's state is used by one login; downgrading drops the tables."""

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

TABLES = ("lti_tool_keys", "lti_platforms", "lti_deployments", "lti_logins", "lti_launches",
          "lti_links", "lti_learners")


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "lti_" in repr(diff)]


def _platform(connection: sa.Connection, client_id: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO lti_platforms (organisation_id, name, issuer, client_id, login_url, "
        "token_url, jwks_url, source, state, created_at) VALUES (1, 'Moodle', "
        "'https://lms.example.ac.jp', :client, 'https://l', 'https://t', 'https://j', 'hand', "
        "'active', :now)"), {"client": client_id, "now": NOW})


def test_the_lti_tables_are_made_and_dropped(settings: Settings) -> None:
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
            _platform(connection, "client-2")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _platform(connection, "client-1")
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO lti_logins (state, nonce, platform_id, created_at) "
                "VALUES ('s', 'n', 1, :now)"), {"now": NOW})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO lti_logins (state, nonce, platform_id, created_at) "
                "VALUES ('s', 'n2', 2, :now)"), {"now": NOW})
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0036_credential_valid_until")
        names = set(sa.inspect(engine).get_table_names())
        assert names.isdisjoint(TABLES)
    finally:
        engine.dispose()
