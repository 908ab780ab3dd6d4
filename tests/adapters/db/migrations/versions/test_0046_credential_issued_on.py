"""Migration 0046_credential_issued_on: issued credentials' date of issue as ``tables``
declares it (alembic finds no difference, the search index included), on SQLite and
PostgreSQL, filled from the documents stored before (a ``validFrom`` before the signing, a
VC 1.1 ``issuanceDate`` in another zone, a VC-JWT's ``nbf``, none: the day it was signed);
downgrading drops it and the index is as it was."""

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
    # The trigram index is PostgreSQL's alone, made by its migration and not declared.
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "issued_credentials" in repr(diff) and "_trigrams" not in repr(diff)]


def _jwt(payload: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'EdDSA'})}.{part(payload)}.c2ln"


DOCUMENTS = {
    "urn:uuid:1": json.dumps({"validFrom": "2026-03-31T00:00:00Z"}),
    "urn:uuid:2": json.dumps({"issuanceDate": "2026-04-01T08:00:00+09:00"}),
    "urn:uuid:3": _jwt({"nbf": 1767225600}),  # 2026-01-01T00:00:00Z
    "urn:uuid:4": json.dumps({"issuer": "did:example:1"}),
}
EXPECTED = {
    "urn:uuid:1": dt.date(2026, 3, 31),
    "urn:uuid:2": dt.date(2026, 4, 1),
    "urn:uuid:3": dt.date(2026, 1, 1),
    "urn:uuid:4": dt.date(2026, 4, 1),  # NOW, when it was signed
}


def test_the_date_of_issue_is_filled_from_the_documents(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0045_skills_rejected")
            store_issued(connection, DOCUMENTS, now=NOW)
        migrate(engine)
        table = Base.metadata.tables["issued_credentials"]
        with engine.connect() as connection:
            assert _differences(connection) == []
            found = dict(connection.execute(sa.select(table.c.credential_id,
                                                      table.c.issued_on)).all())
        assert found == EXPECTED
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0045_skills_rejected")
        inspector = sa.inspect(engine)
        assert "issued_on" not in {column["name"] for column
                                   in inspector.get_columns("issued_credentials")}
        [search] = [index for index in inspector.get_indexes("issued_credentials")
                    if index["name"] == "ix_issued_credentials_search"]
        assert "issued_at" in search["column_names"]
    finally:
        engine.dispose()
