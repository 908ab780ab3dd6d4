"""``credstack audit verify`` and ``credstack audit show`` over a real store."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.entrypoints.cli.main import app
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.conftest import store_environment

SECRET = new_master_key_text()
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def run(*args: str, settings: Settings, lang: str = "en", secret: str = SECRET):
    env = store_environment(settings, secret=secret, lang=lang) | {"COLUMNS": "200"}
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def filled(settings: Settings) -> Settings:
    """A store whose audit log has six entries."""
    engine = make_engine(settings)
    migrate(engine)
    sessions = session_factory(engine)
    audit.attach_key(sessions, MasterKey.from_text(SECRET, source="test"))
    for number in range(6):
        audit.record_separately(sessions, at=T0 + dt.timedelta(hours=number), actor="user:7",
                                action="decision.made", subject=f"application:app_{number % 2}",
                                details={"outcome": "recognised", "reasons": "基準を満たす"})
    engine.dispose()
    return settings


def tamper(settings: Settings, *statements: str) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
            else:
                connection.execute(text("DROP TRIGGER audit_entries_no_update"))
                connection.execute(text("DROP TRIGGER audit_entries_no_delete"))
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def test_verify_intact(filled: Settings) -> None:
    """An untouched log: exit 0, the count and the head."""
    result = run("audit", "verify", settings=filled)
    assert result.exit_code == 0, result.output
    assert "intact: 6 entries, head seq 6 hash " in result.output


def test_verify_intact_in_japanese(filled: Settings) -> None:
    """The same in Japanese."""
    result = run("audit", "verify", settings=filled, lang="ja")
    assert result.exit_code == 0 and "改ざんなし：6 件" in result.output


def test_verify_edited_entry(filled: Settings) -> None:
    """An edited entry: exit 1, naming the kind and the entry."""
    tamper(filled, "UPDATE audit_entries SET actor = 'user:1' WHERE seq = 3")
    result = run("audit", "verify", settings=filled)
    assert result.exit_code == 1, result.output
    assert "TAMPERED" in result.output
    assert "edited (seq 3): Entry 3 was edited" in result.output


def test_verify_removed_and_truncated(filled: Settings) -> None:
    """Every finding is printed: a removed middle entry and a truncated end."""
    tamper(filled, "DELETE FROM audit_entries WHERE seq = 2",
           "DELETE FROM audit_entries WHERE seq = 6")
    result = run("audit", "verify", settings=filled, lang="ja")
    assert result.exit_code == 1, result.output
    assert "removed (seq 2)" in result.output and "truncated (seq 6)" in result.output
    assert "エントリ 2 がありません" in result.output


def test_a_checkpoint_outlives_the_wiped_tables(filled: Settings) -> None:
    """`audit checkpoint` signs the log's end into a file; after both audit tables are
    emptied, `audit verify` (which reads that file) says which entries were removed."""
    written = run("audit", "checkpoint", settings=filled)
    assert written.exit_code == 0, written.output
    assert "checkpoint written: entry 6" in written.output
    again = run("audit", "checkpoint", settings=filled, lang="ja")
    assert "前回のチェックポイント（エントリ 6）から変化はありません" in again.output
    intact = run("audit", "verify", settings=filled)
    assert "1 checkpoint(s) agree" in intact.output
    key = run("audit", "checkpoint", "--public-key", settings=filled)
    assert key.output.startswith("did:key:z6Mk")
    tamper(filled, "DELETE FROM audit_entries", "DELETE FROM audit_head")
    result = run("audit", "verify", settings=filled)
    assert result.exit_code == 1, result.output
    assert "truncated (seq 1): The log ends at entry 0, but the checkpoint made at" in \
        result.output
    missing = run("audit", "verify", "--checkpoints", "/nonexistent.jsonl", settings=filled)
    assert missing.exit_code != 0 and "no checkpoint file" in missing.output


def test_verify_without_secret_key_cannot_decide(filled: Settings) -> None:
    """Another secret key: the head does not verify (exit 1, the key named as a cause)."""
    result = run("audit", "verify", settings=filled, secret=new_master_key_text())
    assert result.exit_code == 1 and "CREDSTACK_SECRET_KEY" in result.output


def test_show_json_by_subject(filled: Settings) -> None:
    """``show --json --subject`` prints the subject's entries as JSON lines, oldest first."""
    result = run("audit", "show", "--json", "--subject", "application:app_1", "--limit", "2",
                 settings=filled)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["seq"] for line in lines] == [4, 6]
    assert lines[0]["details"]["reasons"] == "基準を満たす"
    assert lines[0]["at"] == "2026-11-22T12:00:00.000000Z"


@pytest.mark.usefixtures("wide_console")
def test_show_table(filled: Settings) -> None:
    """``show`` prints a table of the latest entries."""
    result = run("audit", "show", "--limit", "3", settings=filled)
    assert result.exit_code == 0, result.output
    assert "decision.made" in result.output and "application:app_1" in result.output
