"""Migration 0040_corporate_number: organisations' corporate number as
``tables`` declares it (alembic finds no difference), on SQLite and PostgreSQL; an
organisation an approved application made takes the application's number, others none;
downgrading drops the column."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "corporate_number" in repr(diff)]


def test_an_approved_application_s_number_is_copied_to_its_organisation(
    settings: Settings,
) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0039_federation_imports")
            for index, slug in enumerate(("hokuto", "kita")):
                connection.execute(sa.text(
                    "INSERT INTO organisations (id, slug, kind, name, country, created_at, "
                    "updated_at) VALUES (:id, :slug, 'university', '{}', 'JP', :now, :now)"),
                    {"id": index + 1, "slug": slug, "now": NOW})
            connection.execute(sa.text(
                "INSERT INTO provider_applications (public_id, name, corporate_number, kind, "
                "contact_name, email, language, status, organisation_slug, created_at) "
                "VALUES ('a1', '{}', '7123456789012', 'university', 'Sato', 's@example.jp', "
                "'ja', 'approved', 'hokuto', :now)"), {"now": NOW})
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
            found = dict(connection.execute(sa.text(
                "SELECT slug, corporate_number FROM organisations ORDER BY slug")).all())
        assert found == {"hokuto": "7123456789012", "kita": None}
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0039_federation_imports")
        columns = {column["name"] for column in sa.inspect(engine).get_columns("organisations")}
        assert "corporate_number" not in columns
    finally:
        engine.dispose()
