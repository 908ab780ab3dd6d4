"""Migration 0016_invitations: the invitations' table and the organisations' contact address
and description, on SQLite and PostgreSQL.

A store at 0013 with an organisation and a user is migrated to head: the organisation keeps
its profile, with no address or description yet, and can be given them; an invitation can be
stored, a second with the same token cannot, nor a second *pending* one for the same address
(one accepted or revoked does not count), nor one that expires before it was made; deleting
the organisation deletes its invitations; downgrading drops the table and the columns again.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config

LATER = "2026-04-08 00:00:00+00:00"


def _invite(connection: sa.Connection, token_hash: str, *, email: str = "a@example.org",
            expires_at: str = LATER, accepted_at: str | None = None) -> None:
    connection.execute(sa.text(
        "INSERT INTO invitations (organisation_id, email, role, token_hash, invited_by, "
        "created_at, expires_at, accepted_at) VALUES (1, :email, 'issuer', :hash, 'user:1', "
        ":now, :expires, :accepted)"),
        {"email": email, "hash": token_hash, "now": NOW, "expires": expires_at,
         "accepted": accepted_at})


def test_invitations_are_unique_pending_and_go_with_their_organisation(settings: Settings
                                                                       ) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0015_mail")
            connection.execute(sa.text(
                "INSERT INTO organisations (id, slug, kind, name, country, created_at, "
                "updated_at) VALUES (1, 'hokuto-tech', 'university', :name, 'JP', :now, "
                ":now)"), {"name": '{"ja": "北都"}', "now": NOW})
        migrate(engine)
        with engine.begin() as connection:
            row = connection.execute(sa.text(
                "SELECT slug, email, description FROM organisations")).one()
            assert tuple(row) == ("hokuto-tech", None, None)
            connection.execute(sa.text(
                "UPDATE organisations SET email = 'mc@example.ac.jp'"))
            _invite(connection, "a" * 64, accepted_at=NOW)
            _invite(connection, "b" * 64)
        for token_hash, email, expires in (("b" * 64, "other@example.org", LATER),
                                           ("c" * 64, "a@example.org", LATER),
                                           ("d" * 64, "new@example.org", NOW)):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                _invite(connection, token_hash, email=email, expires_at=expires)
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
            connection.execute(sa.text("DELETE FROM organisations WHERE id = 1"))
            assert connection.scalar(sa.text("SELECT count(*) FROM invitations")) == 0
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0015_mail")
        inspector = sa.inspect(engine)
        assert "invitations" not in inspector.get_table_names()
        assert {"email", "description"}.isdisjoint(
            column["name"] for column in inspector.get_columns("organisations"))
    finally:
        engine.dispose()
