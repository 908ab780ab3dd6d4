"""Migration 0036_credential_valid_until: issued credentials' end of validity as ``tables``
declares it (alembic finds no difference), on SQLite and PostgreSQL, filled from the
documents stored before (``validUntil`` in another time zone, a VC 1.1 ``expirationDate``, a
VC-JWT's ``exp``, none); downgrading drops it."""

from __future__ import annotations

import base64
import datetime as dt
import json

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.issued_rows import store_issued
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "valid_until" in repr(diff)]


def _jwt(payload: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'EdDSA'})}.{part(payload)}.c2ln"


DOCUMENTS = {
    "urn:uuid:1": json.dumps({"validUntil": "2027-04-01T09:00:00+09:00"}),
    "urn:uuid:2": json.dumps({"expirationDate": "2027-05-01T00:00:00Z"}),
    "urn:uuid:3": _jwt({"exp": 1830297600}),  # 2028-01-01T00:00:00Z
    "urn:uuid:4": json.dumps({"issuer": "did:example:1"}),
}
EXPECTED = {
    "urn:uuid:1": dt.datetime(2027, 4, 1, 0, 0),
    "urn:uuid:2": dt.datetime(2027, 5, 1, 0, 0),
    "urn:uuid:3": dt.datetime(2028, 1, 1, 0, 0),
    "urn:uuid:4": None,
}


def test_the_end_of_validity_is_filled_from_the_documents(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0035_employer_roles")
            store_issued(connection, DOCUMENTS, now=NOW)
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
            found = {credential_id: until for credential_id, until in connection.execute(
                sa.select(Base.metadata.tables["issued_credentials"].c.credential_id,
                          Base.metadata.tables["issued_credentials"].c.valid_until))}
        assert {key: value.astimezone(dt.UTC).replace(tzinfo=None)
                if value is not None and value.tzinfo else value
                for key, value in found.items()} == EXPECTED
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0035_employer_roles")
        columns = {column["name"] for column in sa.inspect(engine).get_columns(
            "issued_credentials")}
        assert "valid_until" not in columns
    finally:
        engine.dispose()
