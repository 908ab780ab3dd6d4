"""Migration 0020_creditbank_lifecycle: the ledger takes ``release`` entries (and still no
unknown movement, and still no update), applications get their flag columns; alembic finds no
difference from ``tables``; downgrading drops the released entries and the columns, and the
ledger refuses ``release`` again — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import DatabaseError, IntegrityError

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config
from tests.adapters.db.migrations.versions.test_0019_creditbank import _about_credit_bank, _entry


def test_the_ledger_takes_releases_and_applications_their_flags(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert _about_credit_bank(connection) == []
        columns = {c["name"] for c in sa.inspect(engine).get_columns("credit_applications")}
        assert {"flag", "flagged_at"} <= columns
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, created_at) "
                "VALUES (1, 'hanako@example.jp', 'Hanako', 'x', false, :now)"), {"now": NOW})
            connection.execute(sa.text(
                "INSERT INTO credit_accounts (id, user_id, opened_at) VALUES (1, 1, :now)"),
                {"now": NOW})
            for seq, movement in enumerate(("deposit", "reserve", "release"), start=1):
                _entry(connection, seq, movement)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _entry(connection, 4, "spend")
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(sa.text("UPDATE credit_ledger SET credits = '200'"))
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0019_creditbank")
        with engine.connect() as connection:
            assert [row[0] for row in connection.execute(sa.text(
                "SELECT movement FROM credit_ledger ORDER BY seq"))] == ["deposit", "reserve"]
        columns = {c["name"] for c in sa.inspect(engine).get_columns("credit_applications")}
        assert "flag" not in columns
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _entry(connection, 3, "release")
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(sa.text("UPDATE credit_ledger SET credits = '200'"))
    finally:
        engine.dispose()
