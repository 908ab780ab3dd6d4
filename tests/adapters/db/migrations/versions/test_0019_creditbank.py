"""Migration 0019_creditbank: the credit bank's tables as ``tables`` declares them (alembic
finds no difference), on SQLite and PostgreSQL; the ledger's movements and the applications'
states are checked by the database, ledger entries are never updated, an account is one per
user and goes with it; downgrading drops the tables again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import DatabaseError, IntegrityError

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.db.tables import Base
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config

TABLES = {"credit_targets", "credit_accounts", "credit_deposits", "credit_ledger",
          "credit_applications"}


def _about_credit_bank(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata)
            if "credit_" in repr(diff)]


def _entry(connection: sa.Connection, seq: int, movement: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO credit_ledger (account_id, seq, movement, deposit, credits, system, "
        "on_date, rule, source, recorded_at) VALUES (1, :seq, :movement, 'd1', '2', "
        "'jp-tani', '2026-04-01', 'deposit', 'urn:vc:1', :now)"),
        {"seq": seq, "movement": movement, "now": NOW})


def test_the_credit_bank_tables_come_with_their_rules_and_go(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        migrate(engine)
        assert set(sa.inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            assert _about_credit_bank(connection) == []
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, password_hash, disabled, created_at) "
                "VALUES (1, 'hanako@example.jp', 'Hanako', 'x', false, :now)"), {"now": NOW})
            connection.execute(sa.text(
                "INSERT INTO credit_accounts (id, user_id, opened_at) VALUES (1, 1, :now)"),
                {"now": NOW})
            _entry(connection, 1, "deposit")
        for statement, values in (
                ("INSERT INTO credit_accounts (user_id, opened_at) VALUES (1, :now)",
                 {"now": NOW}),):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(sa.text(statement), values)
        for seq, movement in ((1, "withdraw"), (2, "spend")):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                _entry(connection, seq, movement)
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(sa.text("UPDATE credit_ledger SET credits = '200'"))
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
            connection.execute(sa.text("DELETE FROM users WHERE id = 1"))
            assert connection.scalar(sa.text("SELECT count(*) FROM credit_ledger")) == 0
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0018_sign_ups")
        assert TABLES.isdisjoint(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
