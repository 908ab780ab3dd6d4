"""Issuance by several OS processes at once against one store (SQLite file, PostgreSQL
database): VC-API issue calls and runs of the same cohort batch. Afterwards ``credstack
doctor``'s check finds every status list consistent with its credentials, every learner of
the batch has one credential, and no run was refused as "being issued by another run"."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from credstack.adapters.db.tables import IssuedCredentialRow, StatusListRow
from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.actors import Operator
from credstack.core.credentials.cohorts import Cohort, read_cohort
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.issuance import cohorts, credentials
from credstack.services.issuance import doctor as doctor_service
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from tests.accounts import add_issuer, add_programme
from tests.helpers import gathered, processes_importing
from tests.services.issuance.test_credentials import CREDENTIAL, ISSUER

SECRET = new_master_key_text()
BATCH = "2026-autumn"


def _settings(data_dir: str, database_url: str, secret: str) -> Settings:
    return dataclasses.replace(Settings.from_env(data_dir=Path(data_dir),
                                                 database_url=database_url),
                               secret_key=secret)


def _cohort(count: int) -> Cohort:
    rows = "".join(f"learner{i}@example.jp,Learner {i}\n" for i in range(count))
    return read_cohort(f"email,name.en\n{rows}".encode())


def _issue_singly(runtime: Runtime, times: int) -> dict[str, Any]:
    for _ in range(times):
        credentials.issue_credential(runtime, actor=ISSUER, credential=CREDENTIAL,
                                     securing="eddsa-jcs-2022")
    return {}


def _issue_batch(runtime: Runtime, learners: int) -> dict[str, Any]:
    result = cohorts.issue_cohort(runtime, actor=ISSUER, programme_id=1,
                                  cohort=_cohort(learners), batch=BATCH, workers=1,
                                  chunk_size=4, securing="eddsa-jcs-2022")
    return {"issued": result.issued, "reused": result.reused}


def _worker(data_dir: str, database_url: str, secret: str, task: str, amount: int,
            start: Barrier, results: Any) -> None:
    outcome: dict[str, Any]
    try:
        with open_runtime(settings=_settings(data_dir, database_url, secret)) as runtime:
            start.wait()
            work = _issue_singly if task == "single" else _issue_batch
            outcome = work(runtime, amount)
    except Exception as exc:  # reported to the test, which fails on it
        outcome = {"error": f"{type(exc).__name__}: {exc}"}
    results.put(outcome)


def _run(settings: Settings, task: str, amount: int, processes: int) -> list[dict[str, Any]]:
    context = processes_importing(__name__)
    start = context.Barrier(processes)
    results = context.Queue()
    workers = [context.Process(target=_worker, args=(
        str(settings.data_dir), "" if settings.is_sqlite else settings.database_url,
        SECRET, task, amount, start, results)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    return gathered(workers, results, start)


@pytest.fixture
def store(settings: Settings) -> Iterator[tuple[Settings, Runtime]]:
    """One issuing organisation with a published programme, on each database."""
    chosen = _settings(str(settings.data_dir), "" if settings.is_sqlite
                       else settings.database_url, SECRET)
    with open_runtime(settings=chosen) as runtime:
        now = runtime.now()
        with runtime.transaction() as session:
            add_issuer(session, now=now, secret=runtime.key())
            add_programme(session, now=now, publish=True)
        yield chosen, runtime


def _consistent(runtime: Runtime) -> doctor_service.DoctorReport:
    return doctor_service.check_status_lists(runtime, actor=Operator("tester"))


def test_issue_calls_from_many_processes(store: tuple[Settings, Runtime]) -> None:
    """Four processes issue eight credentials each at once: 32 credentials in one list,
    whose bitmap marks exactly their indexes."""
    settings, runtime = store
    began = time.monotonic()
    outcomes = _run(settings, "single", 8, processes=4)
    elapsed = time.monotonic() - began
    assert outcomes == [{}] * 4
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(IssuedCredentialRow)) == 32
        assert [row.used for row in session.scalars(select(StatusListRow))] == [32]
    report = _consistent(runtime)
    assert (report.lists, report.mismatches) == (1, ())
    print(f"{settings.database_url.split(':')[0]}: 32 issue calls by 4 processes "
          f"in {elapsed:.1f} s")


def test_one_batch_run_by_many_processes(store: tuple[Settings, Runtime]) -> None:
    """Three processes run the same twelve-learner batch at once, four learners a
    transaction: none is refused, each learner gets one credential, and the processes
    together issued twelve (each finds what the others stored)."""
    settings, runtime = store
    outcomes = _run(settings, "batch", 12, processes=3)
    assert all("error" not in outcome for outcome in outcomes), outcomes
    assert sum(outcome["issued"] for outcome in outcomes) == 12
    assert all(outcome["issued"] + outcome["reused"] == 12 for outcome in outcomes)
    with runtime.sessions() as session:
        learners = list(session.scalars(select(IssuedCredentialRow.learner)
                                        .where(IssuedCredentialRow.batch == BATCH)))
    assert sorted(learners) == sorted(f"learner{i}@example.jp" for i in range(12))
    report = _consistent(runtime)
    assert (report.lists, report.mismatches) == (1, ())
