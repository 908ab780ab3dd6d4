"""Migration 0023_skills: the skills tables as ``tables`` declares them (alembic finds no
difference), on SQLite and PostgreSQL; an alignment's state is checked by the database, a
CASE identifier names one item; downgrading drops the tables again."""

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

TABLES = {"skill_frameworks", "skill_items", "skill_associations", "skill_labels",
          "skill_alignments"}


def _about_skills(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "skill_" in repr(diff)]


def test_the_skills_tables_come_with_their_rules_and_go(settings: Settings) -> None:
    """Created as declared, checked by the database, and dropped on downgrade."""
    engine = make_engine(settings)
    try:
        migrate(engine)
        assert set(sa.inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            assert _about_skills(connection) == []
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO skill_frameworks (id, identifier, uri, title, creator, kind, "
                "source, document, extra, digest, items, imported_at, imported_by) VALUES "
                "(1, 'f', 'urn:f', 'F', 'c', 'case', 's', '{}', '{}', 'd', 0, :now, 'x')"),
                {"now": NOW})
            connection.execute(sa.text(
                "INSERT INTO skill_items (framework_id, position, identifier, uri, label, raw) "
                "VALUES (1, 0, 'i', 'urn:i', 'I', '{}')"))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO skill_items (framework_id, position, identifier, uri, label, raw) "
                "VALUES (1, 1, 'i', 'urn:j', 'J', '{}')"))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO skill_alignments (programme_id, outcome, item_uri, state, "
                "decided_by, decided_at) VALUES (1, 0, 'urn:i', 'maybe', 'x', :now)"),
                {"now": NOW})
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0025_oid4vc")
        assert not TABLES & set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
