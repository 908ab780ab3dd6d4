"""``credstack issue`` and ``credstack credential …``: bulk issuance that is idempotent and
resumable, with JSONL and per-learner output, and status changes from the command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.db.tables import IssuedCredentialRow, StatusListRow
from credstack.adapters.keystore import new_master_key_text
from credstack.core.status import StatusList
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import provider_store
from tests.conftest import store_environment

SECRET = new_master_key_text()
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
SLUG = "hokuto-tech"


def environment(settings: Settings) -> dict[str, str]:
    return store_environment(settings, secret=SECRET, public_url="https://issuer.example.ac.jp")


def run(settings: Settings, *args: str):
    return CliRunner().invoke(app, list(args), env=environment(settings))


@pytest.fixture
def store(settings: Settings) -> Settings:
    """A store with one organisation, its Ed25519 key and one published programme (id 1)."""
    return provider_store(settings, secret=SECRET, now=NOW)


def cohort(path: Path, count: int) -> Path:
    lines = ["email,name.ja,name.en,grade"]
    lines += [f"learner{i}@example.jp,学習者{i},Learner {i},A" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(settings: Settings) -> tuple[int, int, int]:
    """Stored credentials, distinct learners, and indexes given out in the status lists."""
    engine = make_engine(settings)
    try:
        with session_factory(engine)() as session:
            stored = session.scalar(select(func.count()).select_from(IssuedCredentialRow))
            learners = session.scalar(select(func.count(IssuedCredentialRow.learner.distinct())))
            used = sum(session.scalars(select(StatusListRow.used)))
            return stored or 0, learners or 0, used
    finally:
        engine.dispose()


def test_cohort_issuance_writes_jsonl_and_one_file_per_learner(store: Settings,
                                                               tmp_path: Path) -> None:
    """Every learner gets one credential, in the JSONL (in CSV order) and in its own file."""
    out = tmp_path / "out"
    result = run(store, "issue", "--programme", "1", "--learners",
                 str(cohort(tmp_path / "spring.csv", 25)), "--out", str(out), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "Issued 25 credential(s)" in result.output
    lines = [json.loads(line) for line in (out / "credentials.jsonl").read_text().splitlines()]
    assert [line["learner"] for line in lines] == [f"learner{i}@example.jp" for i in range(25)]
    first = json.loads((out / "learner0@example.jp.json").read_text())
    assert first == lines[0]["credential"]
    assert first["credentialSubject"]["achievement"]["achievementType"] == "MicroCredential"
    assert first["credentialSubject"]["achievement"]["id"] == \
        "https://issuer.example.ac.jp/achievements/1/v1"
    assert first["issuer"]["id"] == "did:web:issuer.example.ac.jp:organisations:hokuto-tech"
    assert {entry["statusPurpose"] for entry in first["credentialStatus"]} == \
        {"revocation", "suspension"}
    assert len({line["credentialId"] for line in lines}) == 25
    assert counts(store) == (25, 25, 25)


def test_issuing_the_same_batch_again_changes_nothing(store: Settings, tmp_path: Path) -> None:
    """Same learners, programme and batch: the stored credentials come back, byte for byte."""
    csv = cohort(tmp_path / "spring.csv", 10)
    out = tmp_path / "out"
    args = ("issue", "--programme", "1", "--learners", str(csv), "--out", str(out),
            "--workers", "1")
    assert run(store, *args).exit_code == 0
    before = (out / "credentials.jsonl").read_bytes()
    again = run(store, *args)
    assert again.exit_code == 0, again.output
    assert "Issued 0 credential(s); 10 were already issued" in again.output
    assert (out / "credentials.jsonl").read_bytes() == before
    assert counts(store) == (10, 10, 10)
    other = run(store, *args[:-2], "--batch", "autumn", "--workers", "1")
    assert other.exit_code == 0
    assert counts(store)[0] == 20


def test_a_cohort_with_a_bad_row_issues_nothing(store: Settings, tmp_path: Path) -> None:
    """Bad rows are reported by row and column; nothing is issued from the file."""
    csv = tmp_path / "bad.csv"
    csv.write_text("email,issued_on\na@example.jp,2026-01-01\nb@example.jp,2026-13-01\n"
                   "a@example.jp,\n", encoding="utf-8")
    result = run(store, "issue", "--programme", "1", "--learners", str(csv), "--workers", "1")
    assert result.exit_code == 1
    assert "row 3, column B (issued_on)" in result.output
    assert "already in row 2" in result.output
    assert counts(store) == (0, 0, 0)


def test_drafts_and_unknown_programmes_are_refused(store: Settings, tmp_path: Path) -> None:
    result = run(store, "issue", "--programme", "99", "--email", "a@example.jp")
    assert result.exit_code == 1
    assert "99" in result.output


def test_status_commands_change_the_lists(store: Settings, tmp_path: Path) -> None:
    """revoke, suspend, reinstate from the CLI; revocation is final."""
    out = tmp_path / "one"
    assert run(store, "issue", "--programme", "1", "--email", "solo@example.jp",
               "--out", str(out), "--workers", "1").exit_code == 0
    signed = json.loads((out / "solo@example.jp.json").read_text())
    credential_id, index = signed["id"], int(signed["credentialStatus"][0]["statusListIndex"])

    def bits() -> tuple[int, int]:
        engine = make_engine(store)
        try:
            with session_factory(engine)() as session:
                row = session.scalars(select(StatusListRow)).one()
                return (StatusList(row.revocation).get(index),
                        StatusList(row.suspension).get(index))
        finally:
            engine.dispose()

    assert run(store, "credential", "suspend", credential_id).exit_code == 0
    assert bits() == (0, 1)
    assert run(store, "credential", "reinstate", credential_id).exit_code == 0
    assert bits() == (0, 0)
    result = run(store, "credential", "revoke", credential_id)
    assert result.exit_code == 0 and "revoked" in result.output
    assert bits() == (1, 0)
    again = run(store, "credential", "reinstate", credential_id)
    assert again.exit_code == 1 and "revocation is final" in again.output
    shown = run(store, "credential", "show", credential_id, "--json")
    assert json.loads(shown.output)["state"] == "revoked"
    listed = json.loads(run(store, "credential", "list", "--json").output)
    assert [item["credentialId"] for item in listed] == [credential_id]


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_a_killed_run_resumes_with_nothing_lost_or_doubled(sqlite_settings: Settings,
                                                          tmp_path: Path, delay: float) -> None:
    """SIGKILL part-way through, run again: every learner exactly once, no index reused."""
    settings = provider_store(sqlite_settings, secret=SECRET, now=NOW)
    csv = cohort(tmp_path / "big.csv", 1500)
    command = [sys.executable, "-m", "credstack", "issue", "--programme", "1", "--learners",
               str(csv), "--out", str(tmp_path / "out"), "--chunk-size", "100",
               "--securing", "eddsa-jcs-2022"]
    env = {**os.environ, **environment(settings)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    interrupted = counts(settings)[0]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert f"{1500 - interrupted:,} credential(s)" in finished.stdout.replace("\n", " ")
    assert counts(settings) == (1500, 1500, 1500)
    lines = (tmp_path / "out" / "credentials.jsonl").read_text().splitlines()
    assert len(lines) == 1500
    assert len({json.loads(line)["credentialId"] for line in lines}) == 1500
