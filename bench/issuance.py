#!/usr/bin/env python3
"""Benchmark: a whole cohort issued, stored and status-listed (``credstack issue`` in bulk).

    .venv/bin/python bench/issuance.py [--learners 100000] [--securing eddsa-rdfc-2022 …]
        [--database sqlite|postgresql] [--workers N]

Targets: a 100,000-learner cohort issued, stored and status-listed in ≤ 60 s (issue 3); with
``eddsa-rdfc-2022``, ≤ 45 s on SQLite and ≤ 60 s on PostgreSQL, peak memory stated (issue 19).

Each run starts from an empty store (SQLite in a temporary folder, or a scratch PostgreSQL
database on ``CREDSTACK_BENCH_POSTGRES_URL``, else ``CREDSTACK_TEST_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``, dropped at the end) holding one
organisation with an Ed25519 key and one published demo programme. The cohort (e-mail, names
in ja and en, grade) is read from CSV with :func:`read_cohort`, then
:func:`credstack.services.issuance.cohorts.issue_cohort` — the service behind ``credstack
issue``, as the console's operator — signs every credential on ``--workers`` processes,
allocates its status list index and stores it, 2,000 learners per transaction, each with its
audit entry. A second run of the same batch (everything already issued)
is timed too: the cost of resuming. The script reports; it does not judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import resource
import sys
import time

from rich.console import Console
from sqlalchemy import func, select

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories.organisations import create_organisation
from credstack.adapters.db.repositories.programmes import create_programme
from credstack.adapters.db.tables import IssuedCredentialRow, StatusListRow
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.access import Operator
from credstack.core.credentials.cohorts import read_cohort
from credstack.core.crypto import KeyType
from credstack.demo import load_demo_documents
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.issuance import cohorts
from credstack.services.issuance import service as issuance
from credstack.settings import Settings
from measure import machine, print_figures, scratch_store

NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
PUBLIC_URL = "https://credstack.example.ac.jp"


def cohort_csv(count: int) -> bytes:
    lines = ["email,name.ja,name.en,grade"]
    lines += [f"learner{i:07d}@example.ac.jp,学習者 {i},Learner {i},A" for i in range(count)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def prepare(settings: Settings, secret: MasterKey) -> tuple[int, str]:
    documents = load_demo_documents()
    chosen = next(p for p in documents.programmes if p.code == "DS-101") \
        if any(p.code == "DS-101" for p in documents.programmes) else documents.programmes[0]
    owner = chosen.awarding_body.id if chosen.awarding_body else documents.organisations[0].slug
    organisation = next(o for o in documents.organisations if o.slug == owner)
    engine = make_engine(settings)
    try:
        migrate(engine)
        with session_factory(engine)() as session, session.begin():
            create_organisation(session, organisation=organisation, now=NOW)
            key_store.create_key(session, organisation=owner, key_type=KeyType.ED25519,
                                 now=NOW, secret=secret)
            stored = create_programme(session, programme=chosen, publish=True, now=NOW)
            return stored.id, chosen.code
    finally:
        engine.dispose()


def size_on_disk(settings: Settings) -> int:
    if settings.is_sqlite:
        return sum(f.stat().st_size for f in settings.data_dir.glob("credstack.sqlite3*"))
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql(
                "SELECT pg_database_size(current_database())").scalar() or 0)
    finally:
        engine.dispose()


def _children_cpu() -> float:
    """CPU seconds of the finished signing workers (user and system): the pool is shut
    down at the end of each issuance, so its workers are counted."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu() -> float:
    """CPU seconds of this process (every thread): storing, status lists, audit, e-mail."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(database: str, securing: str, learners: int, workers: int, console: Console
        ) -> dict[str, str]:
    secret_text = new_master_key_text()
    secret = MasterKey.from_text(secret_text, source="bench")
    with scratch_store(database) as scratch:
        settings = dataclasses.replace(scratch, secret_key=secret_text, public_url=PUBLIC_URL)
        programme_id, code = prepare(settings, secret)
        data = cohort_csv(learners)
        started = time.perf_counter()
        cohort = read_cohort(data, source="cohort.csv")
        read_s = time.perf_counter() - started
        with open_runtime(settings=settings, clock=lambda: NOW) as runtime:

            def issue() -> tuple[issuance.CohortResult, float]:
                started = time.perf_counter()
                nonlocal workers_cpu, parent_cpu
                before, own = _children_cpu(), _own_cpu()
                result = cohorts.issue_cohort(
                    runtime, actor=Operator("bench"), programme_id=programme_id,
                    cohort=cohort, batch="bench", securing=securing, workers=workers)
                workers_cpu += _children_cpu() - before
                parent_cpu += _own_cpu() - own
                return result, time.perf_counter() - started

            workers_cpu = parent_cpu = 0.0
            result, issue_s = issue()
            signing_cpu, storing_cpu = workers_cpu, parent_cpu
            again, resume_s = issue()
            with runtime.sessions() as session:
                stored = session.scalar(select(func.count()).select_from(IssuedCredentialRow))
                lists = session.scalar(select(func.count()).select_from(StatusListRow))
                average = session.scalar(select(func.avg(func.length(
                    IssuedCredentialRow.document))))
        assert result.issued == learners and again.reused == learners and stored == learners
        disk = size_on_disk(settings)
    console.print(f"  {database} {securing}: programme {code}, {learners:,} learners, "
                  f"{issue_s:.1f} s", highlight=False)
    return {
        "database": database, "securing": securing, "learners": f"{learners:,}",
        "read CSV": f"{read_s:.2f} s", "issue+store+status": f"{issue_s:.1f} s",
        "per second": f"{learners / issue_s:,.0f}",
        "worker CPU each": f"{signing_cpu / learners * 1000:.2f} ms",
        "parent CPU each": f"{storing_cpu / learners * 1000:.2f} ms",
        "resume (all done)": f"{resume_s:.1f} s",
        "status lists": str(lists), "avg credential": f"{float(average or 0):,.0f} B",
        "database size": f"{disk / 1024 / 1024:,.1f} MiB",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--securing", nargs="+", default=list(issuance.SECURINGS),
                        choices=issuance.SECURINGS)
    parser.add_argument("--database", nargs="+", default=["sqlite"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args()
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(f"credstack bulk issuance — {machine()}, {options.workers} signing "
                  "process(es)")
    rows = [run(database, securing, options.learners, options.workers, console)
            for database in options.database for securing in options.securing]
    print_figures(console, "Cohort issued, stored and status-listed", rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    console.print(f"peak RSS: {peak:,.0f} MiB (largest worker {children:,.0f} MiB)")


if __name__ == "__main__":
    main()
