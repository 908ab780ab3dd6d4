"""Migration 0045_skills_rejected: a suggestion the provider rejected is kept as a
``rejected`` alignment, on SQLite and PostgreSQL. Alignments made before stay as they were;
after the upgrade ``rejected`` is accepted and no other new state; the table is the one
``tables/skills.py`` declares; downgrading deletes the rejected ones and refuses the state."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config
from tests.adapters.db.migrations.versions.test_0023_skills import _about_skills

BEFORE = "0044_federation_refresh"


def _alignment(connection: sa.Connection, uri: str, state: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO skill_alignments (programme_id, outcome, item_uri, state, decided_by, "
        "decided_at) VALUES (1, 0, :uri, :state, 'user:1', :now)"),
        {"uri": uri, "state": state, "now": NOW})


def _programme(connection: sa.Connection) -> None:
    connection.execute(sa.text(
        "INSERT INTO organisations (id, slug, kind, name, country, created_at, updated_at) "
        "VALUES (1, 'org', 'university', '{}', 'JP', :now, :now)"), {"now": NOW})
    connection.execute(sa.text(
        "INSERT INTO programmes (id, organisation_id, code, latest_version, created_at) "
        "VALUES (1, 1, 'P-1', 1, :now)"), {"now": NOW})


def _states(connection: sa.Connection) -> dict[str, str]:
    return dict(connection.execute(sa.text(
        "SELECT item_uri, state FROM skill_alignments")).all())  # type: ignore[arg-type]


def test_a_suggestion_may_be_rejected_after_the_upgrade_and_not_before(
        settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), BEFORE)
            _programme(connection)
            _alignment(connection, "urn:before", "confirmed")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _alignment(connection, "urn:early", "rejected")
        migrate(engine)
        with engine.connect() as connection:
            assert _about_skills(connection) == []
        with engine.begin() as connection:
            _alignment(connection, "urn:after", "rejected")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _alignment(connection, "urn:other", "maybe")
        with engine.begin() as connection:
            assert _states(connection) == {"urn:before": "confirmed", "urn:after": "rejected"}
            command.downgrade(_config(connection), BEFORE)
            assert _states(connection) == {"urn:before": "confirmed"}
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _alignment(connection, "urn:again", "rejected")
    finally:
        engine.dispose()
