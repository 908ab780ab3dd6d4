"""Status index allocation by several OS processes at once, on one SQLite file and on one
PostgreSQL database: afterwards every stored credential's index is marked in its list's
bitmap, no index is held twice, nothing is marked that no credential holds, and a first
list raced for by every process exists once.

Each worker allocates in its own transaction, sleeps a moment where issuance signs, stores
the credentials and commits, as :func:`credstack.services.issuance.service.issue_document`
does; the lists are small so that new slots are opened while the workers race.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from multiprocessing.synchronize import Barrier
from pathlib import Path
from random import Random
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.tables import IssuedCredentialRow, OrganisationRow, StatusListRow
from credstack.core.status import MINIMUM_ENTRIES
from credstack.core.status.changes import StatusChange
from credstack.settings import Settings
from tests.accounts import store_sessions
from tests.helpers import gathered, processes_importing

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PROCESSES = 4
ROUNDS = 12
#: Indexes per transaction: 4 × 12 × 3 = 144 credentials in lists of 64, so three slots.
COUNT = 3
SIZE = 64


def _worker(data_dir: str, database_url: str, organisation_id: int, seed: int, rounds: int,
            count: int, size: int, start: Barrier, results: Any) -> None:
    """Allocate and store ``rounds`` × ``count`` credentials; report the errors met."""
    settings = Settings.from_env(data_dir=Path(data_dir), database_url=database_url)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    rng = Random(seed)
    errors: list[str] = []
    start.wait()  # every worker connected and ready
    try:
        for _ in range(rounds):
            try:
                with sessions() as session, session.begin():
                    slots = status_lists.allocate(session, organisation_id=organisation_id,
                                                  count=count, now=T0, rng=rng, size=size)
                    time.sleep(0.005)  # where issuance signs the credentials
                    credential_store.insert_credentials(
                        session, organisation_id=organisation_id, now=T0, credentials=[
                            credential_store.NewCredential(
                                credential_id=f"urn:uuid:{uuid.uuid4()}", request_key=None,
                                programme_version_id=None, learner=None, batch=None,
                                securing="eddsa-rdfc-2022", document="{}", slot=slot,
                                purposes=("revocation", "suspension"))
                            for slot in slots])
            except DBAPIError as exc:
                errors.append(f"{type(exc.orig).__name__}: {str(exc.orig).splitlines()[0]}")
    finally:
        engine.dispose()
        results.put(errors)


def _revoker(data_dir: str, database_url: str, credential_ids: list[str], start: Barrier,
             results: Any) -> None:
    """Revoke each of ``credential_ids`` in its own transaction; report the errors met."""
    settings = Settings.from_env(data_dir=Path(data_dir), database_url=database_url)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    errors: list[str] = []
    start.wait()
    try:
        for credential_id in credential_ids:
            try:
                with sessions() as session, session.begin():
                    credential_store.change_status(session, credential_id=credential_id,
                                                   action=StatusChange.REVOKE, now=T0)
                    time.sleep(0.005)
            except DBAPIError as exc:
                errors.append(f"{type(exc.orig).__name__}: {str(exc.orig).splitlines()[0]}")
    finally:
        engine.dispose()
        results.put(errors)


def _organisation(sessions: sessionmaker[Session], slug: str) -> int:
    with sessions() as session, session.begin():
        row = OrganisationRow(slug=slug, kind="university", name={"en": slug}, country="JP",
                              url=None, email=None, description=None, created_at=T0,
                              updated_at=T0)
        session.add(row)
        session.flush()
        return row.id


def _run(settings: Settings, organisation_id: int, *, processes: int, rounds: int,
         count: int, size: int) -> list[str]:
    """Start the workers together; the errors they met."""
    context = processes_importing(__name__)
    start = context.Barrier(processes)
    results = context.Queue()
    workers = [context.Process(target=_worker, args=(
        str(settings.data_dir), "" if settings.is_sqlite else settings.database_url,
        organisation_id, seed, rounds, count, size, start, results))
        for seed in range(processes)]
    for worker in workers:
        worker.start()
    errors = [error for reported in gathered(workers, results, start) for error in reported]
    assert [worker.exitcode for worker in workers] == [0] * processes
    return errors


def _marked(bitmap: bytes) -> set[int]:
    return {byte * 8 + bit for byte, value in enumerate(bitmap) for bit in range(8)
            if value & (0x80 >> bit)}


def _drift(session: Session, organisation_id: int) -> dict[int, dict[str, object]]:
    """Per list number: indexes held but not marked, marked but not held, and whether
    ``used`` counts the marks — only lists where something differs."""
    held: dict[int, list[int]] = defaultdict(list)
    for list_id, index in session.execute(
            select(IssuedCredentialRow.status_list_id, IssuedCredentialRow.status_index)
            .where(IssuedCredentialRow.organisation_id == organisation_id)):
        held[list_id].append(index)
    found: dict[int, dict[str, object]] = {}
    for row in session.scalars(select(StatusListRow)
                               .where(StatusListRow.organisation_id == organisation_id)):
        marked = _marked(row.allocated)
        indexes = held.pop(row.id, [])
        problem = {"unmarked": sorted(set(indexes) - marked),
                   "unheld": sorted(marked - set(indexes)),
                   "shared": len(indexes) - len(set(indexes)),
                   "used": (row.used, len(marked))}
        if problem["unmarked"] or problem["unheld"] or problem["shared"] \
                or row.used != len(marked):
            found[row.number] = problem
    assert not held, "credentials in lists of another organisation"
    return found


@pytest.fixture
def store(settings: Settings) -> Iterator[tuple[Settings, sessionmaker[Session]]]:
    with store_sessions(settings) as sessions:
        yield settings, sessions


def test_parallel_processes_never_drift(store: tuple[Settings, sessionmaker[Session]]) -> None:
    """Four processes, twelve transactions each, three credentials a transaction: all 144
    stored, each index marked once and nothing else marked, in three full lists of 64."""
    settings, sessions = store
    organisation_id = _organisation(sessions, "parallel")
    began = time.monotonic()
    errors = _run(settings, organisation_id, processes=PROCESSES, rounds=ROUNDS, count=COUNT,
                  size=SIZE)
    elapsed = time.monotonic() - began
    with sessions() as session:
        numbers = sorted(session.scalars(select(StatusListRow.number).where(
            StatusListRow.organisation_id == organisation_id)))
        drift = _drift(session, organisation_id)
        total = len(list(session.scalars(select(IssuedCredentialRow.id).where(
            IssuedCredentialRow.organisation_id == organisation_id))))
    assert (drift, errors) == ({}, [])
    assert total == PROCESSES * ROUNDS * COUNT
    assert numbers == [1, 2, 3]
    print(f"{settings.database_url.split(':')[0]}: {total} credentials by {PROCESSES} "
          f"processes in {elapsed:.1f} s")


def test_first_list_raced_by_many_processes_is_made_once(
        store: tuple[Settings, sessionmaker[Session]]) -> None:
    """Six processes allocate an organisation's first index at the same moment: one list,
    six indexes marked, no process failed."""
    settings, sessions = store
    organisation_id = _organisation(sessions, "first-list")
    errors = _run(settings, organisation_id, processes=6, rounds=1, count=1,
                  size=MINIMUM_ENTRIES)
    with sessions() as session:
        lists = list(session.scalars(select(StatusListRow).where(
            StatusListRow.organisation_id == organisation_id)))
        drift = _drift(session, organisation_id)
    assert (drift, errors) == ({}, [])
    assert [(row.number, row.used) for row in lists] == [(1, 6)]


def test_status_changes_from_many_processes_are_all_kept(
        store: tuple[Settings, sessionmaker[Session]]) -> None:
    """Four processes revoke six credentials each of one list at once: the revocation
    list marks all 24 (none written over by another process's copy of the list)."""
    settings, sessions = store
    organisation_id = _organisation(sessions, "revoking")
    assert _run(settings, organisation_id, processes=1, rounds=1, count=24, size=SIZE) == []
    with sessions() as session:
        held = {credential_id: index for credential_id, index in session.execute(
            select(IssuedCredentialRow.credential_id, IssuedCredentialRow.status_index))}
    ids = sorted(held)
    context = processes_importing(__name__)
    start = context.Barrier(4)
    results = context.Queue()
    workers = [context.Process(target=_revoker, args=(
        str(settings.data_dir), "" if settings.is_sqlite else settings.database_url,
        ids[part::4], start, results)) for part in range(4)]
    for worker in workers:
        worker.start()
    errors = [error for reported in gathered(workers, results, start) for error in reported]
    with sessions() as session:
        revocation = session.scalars(select(StatusListRow.revocation)).one()
        states = set(session.scalars(select(IssuedCredentialRow.state)))
    assert errors == []
    assert states == {"revoked"}
    assert _marked(revocation) == set(held.values())
