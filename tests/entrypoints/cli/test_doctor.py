"""``credstack doctor`` over a real store: a status list whose bitmap drifted from its
credentials is reported (in English and Japanese), ``--repair`` rewrites it from the
credentials with an audit entry, and the store then checks consistent."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from random import Random

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.tables import IssuedCredentialRow, OrganisationRow, StatusListRow
from credstack.adapters.keystore import new_master_key_text
from credstack.core.status.consistency import bitmap_of, marked_indexes
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import store_sessions
from tests.conftest import store_environment

#: Tables are read: printed wide whatever test ran before in this process (the CLI's console
#: reads ``COLUMNS`` once, when it is made, not from each run's environment).
pytestmark = pytest.mark.usefixtures("wide_console")

SECRET = new_master_key_text()
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
SIZE = 64


def run(*args: str, settings: Settings, lang: str = "en"):
    env = store_environment(settings, secret=SECRET, lang=lang) | {"COLUMNS": "200"}
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def issued(settings: Settings) -> Iterator[tuple[Settings, list[int]]]:
    """A store with one organisation whose ten credentials hold ten indexes of list 1."""
    with store_sessions(settings) as sessions, sessions() as session, session.begin():
        organisation = OrganisationRow(slug="tohoku-u", kind="university",
                                       name={"en": "Tohoku"}, country="JP", url=None,
                                       email=None, description=None, created_at=T0,
                                       updated_at=T0)
        session.add(organisation)
        session.flush()
        slots = status_lists.allocate(session, organisation_id=organisation.id, count=10,
                                      now=T0, rng=Random(7), size=SIZE)
        credential_store.insert_credentials(
            session, organisation_id=organisation.id, now=T0, credentials=[
                credential_store.NewCredential(
                    credential_id=f"urn:uuid:{uuid.uuid4()}", request_key=None,
                    programme_version_id=None, learner=None, batch=None,
                    securing="eddsa-rdfc-2022", document="{}", slot=slot,
                    purposes=("revocation", "suspension")) for slot in slots])
    yield settings, sorted(slot.index for slot in slots)


def _drift(settings: Settings, held: list[int]) -> tuple[list[int], int]:
    """Unmark the first two held indexes and mark one no credential holds, as the race
    of issue 20 left lists; the unheld index."""
    unheld = next(index for index in range(SIZE) if index not in held)
    with store_sessions(settings) as sessions, sessions() as session, session.begin():
        session.execute(update(StatusListRow).values(
            allocated=bitmap_of(SIZE, [*held[2:], unheld]), used=9))
    return held[:2], unheld


def _bitmap(settings: Settings) -> tuple[frozenset[int], int]:
    with store_sessions(settings) as sessions, sessions() as session:
        row = session.scalars(select(StatusListRow)).one()
        return marked_indexes(row.allocated), row.used


def test_consistent_store(issued: tuple[Settings, list[int]]) -> None:
    """Nothing drifted: exit 0, the lists counted."""
    settings, _ = issued
    result = run("doctor", settings=settings)
    assert result.exit_code == 0, result.output
    assert "consistent: 1 status list(s) agree with their credentials" in result.output


def test_drift_reported_then_repaired(issued: tuple[Settings, list[int]]) -> None:
    """A drifted list: exit 1 naming the indexes, nothing changed; ``--repair`` rewrites the
    bitmap from the credentials, audited; the next check is clean."""
    settings, held = issued
    unmarked, unheld = _drift(settings, held)
    result = run("doctor", settings=settings)
    assert result.exit_code == 1, result.output
    assert "MISMATCH: 1 of 1 status list(s) disagree with their credentials" in result.output
    assert "tohoku-u/1: 10 index(es) held by credentials, 9 recorded as used" in result.output
    assert f"held but not marked (2): {unmarked[0]}, {unmarked[1]}" in result.output
    assert f"marked but held by no credential (1): {unheld}" in result.output
    assert "credstack doctor --repair" in result.output
    assert _bitmap(settings) == (frozenset([*held[2:], unheld]), 9)

    repaired = run("doctor", "--repair", settings=settings)
    assert repaired.exit_code == 0, repaired.output
    assert "repaired: the bitmap now marks exactly the credentials' indexes" in repaired.output
    assert _bitmap(settings) == (frozenset(held), 10)

    entries = run("audit", "show", "--json", settings=settings)
    assert entries.exit_code == 0, entries.output
    found = [json.loads(line) for line in entries.output.splitlines()]
    assert [(entry["action"], entry["subject"], entry["details"]) for entry in found] == [
        ("status_list.repaired", "status-list:tohoku-u/1",
         {"organisation": "tohoku-u", "number": 1, "marked": 2, "cleared": 1,
          "used_before": 9, "used_after": 10})]
    assert found[0]["actor"].startswith("cli:")
    assert run("audit", "verify", settings=settings).exit_code == 0

    again = run("doctor", settings=settings)
    assert again.exit_code == 0 and "consistent: 1 status list(s)" in again.output


def test_drift_in_japanese(issued: tuple[Settings, list[int]]) -> None:
    """The report and the repair in Japanese."""
    settings, held = issued
    unmarked, unheld = _drift(settings, held)
    result = run("doctor", settings=settings, lang="ja")
    assert result.exit_code == 1, result.output
    assert "不整合：ステータスリスト 1 件中 1 件が証明と一致しません" in result.output
    assert f"保持されているが未記録（2 件）：{unmarked[0]}, {unmarked[1]}" in result.output
    assert f"記録されているがどの証明も保持していない（1 件）：{unheld}" in result.output
    repaired = run("doctor", "--repair", settings=settings, lang="ja")
    assert repaired.exit_code == 0, repaired.output
    assert "修復済み：ビットマップを証明の番号どおりに書き直しました" in repaired.output
    assert "整合：ステータスリスト 1 件すべてが証明と一致しています" in run(
        "doctor", settings=settings, lang="ja").output


def test_credential_count_unchanged_by_repair(issued: tuple[Settings, list[int]]) -> None:
    """A repair touches the bitmap only: the credentials and their indexes stay."""
    settings, held = issued
    _drift(settings, held)
    assert run("doctor", "--repair", settings=settings).exit_code == 0
    with store_sessions(settings) as sessions, sessions() as session:
        assert sorted(session.scalars(select(IssuedCredentialRow.status_index))) == held
