"""Migration 0039_federation_imports: the imported registries' tables as ``tables`` declares
them (alembic finds no difference), on SQLite and PostgreSQL; a source is kept once per
address and a provider once per source; deleting a source deletes its providers and their
DIDs; downgrading drops the tables."""

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

TABLES = ("federation_sources", "federation_listings", "federation_listing_dids")


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "federation_" in repr(diff)]


def _source(connection: sa.Connection, url: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO federation_sources (url, kind, name, fetched_at) "
        "VALUES (:url, 'oidf', '{\"en\": \"MQA\"}', :now)"), {"url": url, "now": NOW})


def _provider(connection: sa.Connection, entity_id: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO federation_listings (source_id, entity_id, name, programmes, "
        "recognised) VALUES (1, :entity, '{\"en\": \"UM\"}', '[]', true)"),
        {"entity": entity_id})


def test_the_imported_registries_tables_are_made_and_dropped(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            _source(connection, "https://registry.example.my")
            _provider(connection, "https://registry.example.my/um")
            connection.execute(sa.text(
                "INSERT INTO federation_listing_dids (listing_id, did) "
                "VALUES (1, 'did:web:um.example.my')"))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _source(connection, "https://registry.example.my")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _provider(connection, "https://registry.example.my/um")
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM federation_sources"))
            left = [connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
                    for table in TABLES]
        assert left == [0, 0, 0]
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0038_lti_identities")
        names = set(sa.inspect(engine).get_table_names())
        assert names.isdisjoint(TABLES)
    finally:
        engine.dispose()
