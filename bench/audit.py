#!/usr/bin/env python3
"""Benchmark: the hash-chained audit log — appending, and verifying 100,000 entries.

    .venv/bin/python bench/audit.py [--entries 100000] [--appends 3000] [--threads 8]
        [--database sqlite postgresql]

Each database starts empty (SQLite in a temporary folder, or a scratch PostgreSQL database on
``CREDSTACK_BENCH_POSTGRES_URL``, else ``CREDSTACK_TEST_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``, dropped at the end). Steps:

1. ``--appends`` entries, one :func:`~credstack.services.audit.service.record_separately` each — one
   transaction (and one commit) per entry, as a refusal is logged — on one thread, then the
   same number spread over ``--threads`` threads taking turns at the head row;
2. the log filled up to ``--entries`` with 1,000 :func:`~credstack.services.audit.service.record`
   calls per transaction (as a batch of state changes would be);
3. :func:`~credstack.services.audit.service.verify` of the whole log, streamed (best of two runs),
   and once more under :mod:`tracemalloc` for the peak of Python memory it allocates.

Nothing is tuned for the benchmark. The script always exits 0; it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import threading
import time
import tracemalloc

from rich.console import Console

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.services.audit import service as audit
from measure import machine, print_figures, scratch_store

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
BATCH = 1000


def details(number: int) -> dict[str, object]:
    """What a review step records: a few identifiers and a short text."""
    return {"application": f"app_{number:08d}", "state": "under-review", "version": number % 7,
            "comment": "評価基準 3 を満たす / meets criterion 3", "evaluator": number % 50}


def one(sessions, number: int, actor: str) -> None:  # type: ignore[no-untyped-def]
    audit.record_separately(sessions, at=NOW + dt.timedelta(microseconds=number), actor=actor,
                            action="review.saved", subject=f"application:app_{number % 997}",
                            details=details(number))


def run(database: str, entries: int, appends: int, threads: int, console: Console
        ) -> dict[str, str]:
    key = MasterKey.from_text(new_master_key_text(), source="bench")
    with scratch_store(database) as settings:
        engine = make_engine(settings)
        try:
            migrate(engine)
            sessions = session_factory(engine)
            audit.attach_key(sessions, key)

            started = time.perf_counter()
            for number in range(appends):
                one(sessions, number, "user:1")
            single_s = time.perf_counter() - started

            share = appends // threads
            workers = [threading.Thread(target=lambda w=w: [
                one(sessions, appends + w * share + n, f"user:{w}") for n in range(share)])
                for w in range(threads)]
            started = time.perf_counter()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            threaded_s = time.perf_counter() - started

            written = appends + share * threads
            started = time.perf_counter()
            while written < entries:
                with sessions() as session, session.begin():
                    for number in range(written, min(entries, written + BATCH)):
                        audit.record(session, at=NOW, actor="user:2", action="review.saved",
                                     subject=f"application:app_{number % 997}",
                                     details=details(number))
                    batched = min(entries, written + BATCH) - written
                written += batched
            fill = written - appends - share * threads
            batch_s = time.perf_counter() - started

            verify_s = float("inf")
            for _ in range(2):
                started = time.perf_counter()
                with sessions() as session:
                    report = audit.verify(session, key)
                verify_s = min(verify_s, time.perf_counter() - started)
            assert report.ok and report.entries == written, report.findings[:3]
            tracemalloc.start()
            with sessions() as session:
                audit.verify(session, key)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            engine.dispose()
    console.print(f"  {database}: {written:,} entries, verified in {verify_s:.1f} s",
                  highlight=False)
    return {
        "database": database,
        "append, 1 thread": f"{appends / single_s:,.0f}/s",
        f"append, {threads} threads": f"{share * threads / threaded_s:,.0f}/s",
        f"append, {BATCH:,}/transaction": f"{fill / batch_s:,.0f}/s" if fill else "—",
        "entries verified": f"{written:,}",
        "verify": f"{verify_s:.2f} s",
        "verify rate": f"{written / verify_s:,.0f}/s",
        "verify peak (tracemalloc)": f"{peak / 1024 / 1024:,.1f} MiB",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=3_000,
                        help="entries appended one transaction each (on 1 thread, and again "
                             "on --threads)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database", nargs="+", default=["sqlite"],
                        choices=["sqlite", "postgresql"])
    options = parser.parse_args()
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(f"credstack audit log — {machine()}")
    rows = [run(database, options.entries, options.appends, options.threads, console)
            for database in options.database]
    print_figures(console, "Audit log: append and verify", rows)


if __name__ == "__main__":
    main()
