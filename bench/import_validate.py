#!/usr/bin/env python3
"""Benchmark: generate, parse, validate and import synthetic programmes.

    .venv/bin/python bench/import_validate.py [--count 100000] [--seed 0]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres] [--skip-postgres]

Targets (the issue): importing ≥ 5,000 programmes/s on SQLite and on PostgreSQL, and
≥ 20,000 programme-profile validation checks/s on one core.

Steps, each timed on its own:

1. generate ``--count`` programmes (``credstack.core.descriptors.synthetic``);
2. serialise them once to JSON with ``write_documents`` (the import file, kept in memory and
   read as text);
3. validate every generated programme against every framework profile (one thread, one core);
4. parse the file with ``read_documents``;
5. import the file into a fresh SQLite database (in a temporary data directory): end to end
   (``import_file``: read + store + commit, as ``credstack mc import``) and the store step
   alone; then import the same file again (every programme unchanged);
6. the same on PostgreSQL, in a scratch database ``credstack_bench_<random>`` created through
   the ``postgres`` database and dropped at the end.

Nothing is tuned for the benchmark: the garbage collector and the engines run with their
defaults, as in the service. The script always exits 0; it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories.programmes import Change, import_file
from credstack.core.descriptors import (
    Format,
    Programme,
    profiles,
    read_documents,
    validate,
    write_documents,
)
from credstack.core.descriptors.interchange import MAX_INPUT_BYTES
from credstack.core.descriptors.synthetic import generate_programmes
from credstack.core.descriptors.validation import NOT_A_MICRO_CREDENTIAL
from credstack.settings import Settings, normalise_database_url
from measure import mib, peak_rss, timer

IMPORT_TARGET = 5_000  # programmes/s
VALIDATION_TARGET = 20_000  # programme-profile checks/s

#: Wide enough for the table when the output goes to a file or a pipe.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
progress = Console(stderr=True, highlight=False)


@dataclass
class Row:
    step: str
    result: str
    target: str = ""
    verdict: str = ""
    detail: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, step: str, result: str, detail: str = "", *, rate: float | None = None,
            target: float | None = None, unit: str = "") -> None:
        verdict = ""
        target_text = ""
        if target is not None and rate is not None:
            target_text = f"≥ {target:,.0f} {unit}"
            verdict = "[green]PASS[/]" if rate >= target else "[red]MISS[/]"
        self.rows.append(Row(step, result, target_text, verdict, detail))


def rate_text(count: int, seconds: float, unit: str = "programmes/s") -> str:
    return f"{count / seconds:,.0f} {unit}"


def load_text() -> str:
    """The 1-minute load average: other processes on the machine skew every figure."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


def step(message: str) -> None:
    progress.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {message}")


# --- the steps -------------------------------------------------------------------------


def bench_validation(report: Report, programmes: Sequence[Programme]) -> None:
    checks = list(profiles().values())
    clock = time.perf_counter_ns
    durations: list[int] = []
    record = durations.append
    not_mc = 0
    conforming = dict.fromkeys((p.id for p in checks), 0)
    gc.collect()
    start = clock()
    for programme in programmes:
        for profile in checks:
            before = clock()
            result = validate(programme, profile)
            record(clock() - before)
            if result.conforms:
                conforming[profile.id] += 1
        # Every profile reports it; count it once, from the last report.
        if any(f.code == NOT_A_MICRO_CREDENTIAL for f in result.findings):
            not_mc += 1
    wall = (clock() - start) / 1e9
    durations.sort()
    n = len(durations)
    busy = sum(durations) / 1e9
    p50, p95, p99 = (durations[min(n - 1, int(n * q))] / 1000 for q in (0.50, 0.95, 0.99))
    report.add("Validate (1 core, 5 profiles)", rate_text(n, busy, "checks/s"),
               f"{n:,} checks in {busy:.1f} s (loop {wall:.1f} s); per check p50 {p50:.1f} µs, "
               f"p95 {p95:.1f} µs, p99 {p99:.1f} µs",
               rate=n / busy, target=VALIDATION_TARGET, unit="checks/s")
    share = ", ".join(f"{pid} {count / len(programmes):.0%}" for pid, count in conforming.items())
    report.notes.append(f"Conforming programmes per profile: {share}; "
                        f"{not_mc:,} not a micro-credential (participation only).")


@dataclass
class ImportRun:
    total: float
    store: float
    #: CPU time of this process (the client); the rest of the wall time is the database
    #: server's (PostgreSQL) or waiting.
    cpu: float
    changes: dict[Change, int]


def run_import(factory: Callable[[], Session], document: str) -> ImportRun:
    gc.collect()
    now = dt.datetime.now(dt.UTC)
    cpu = time.process_time()
    start = time.perf_counter()
    parsed = start

    def note(stage: str, done: int, total: int) -> None:
        nonlocal parsed
        if stage == "checking" and done == 0:
            parsed = time.perf_counter()

    # The same call as `credstack mc import`: reading and storing in one step.
    with factory() as session, session.begin():
        result = import_file(session, data=document, fmt=Format.JSON, now=now,
                             source="bench.json", progress=note)
    done = time.perf_counter()
    changes = {change: result.count(change) for change in Change if result.count(change)}
    return ImportRun(done - start, done - parsed, time.process_time() - cpu, changes)


def bench_store(report: Report, label: str, url: str, data_dir: Path, document: str,
                count: int, size: Callable[[Session], int] | None = None) -> None:
    settings = Settings.from_env(data_dir=data_dir, database_url=url)
    engine = make_engine(settings)
    try:
        migrate(engine)
        factory = session_factory(engine)
        step(f"{label}: importing {count:,} programmes …")
        first = run_import(factory, document)
        step(f"{label}: importing the same file again …")
        again = run_import(factory, document)
        stored = None
        if size is not None:
            with factory() as session:
                stored = size(session)
    finally:
        engine.dispose()
    if stored is None:
        database = Path(make_url(settings.database_url).database or "")
        stored = sum(p.stat().st_size for p in database.parent.glob(database.name + "*"))

    def changes(run: ImportRun) -> str:
        return ", ".join(f"{n:,} {change.value}" for change, n in run.changes.items())

    report.add(f"{label}: import, end to end", rate_text(count, first.total),
               f"{first.total:.1f} s (client CPU {first.cpu:.1f} s): import_file (read + store) "
               f"+ commit ({changes(first)})", rate=count / first.total,
               target=IMPORT_TARGET, unit="programmes/s")
    report.add(f"{label}: import, store step", rate_text(count, first.store),
               f"{first.store:.1f} s: import_documents + commit")
    report.add(f"{label}: re-import, end to end", rate_text(count, again.total),
               f"{again.total:.1f} s (client CPU {again.cpu:.1f} s), store step "
               f"{again.store:.1f} s "
               f"({count / again.store:,.0f} programmes/s); {changes(again)}",
               rate=count / again.total, target=IMPORT_TARGET, unit="programmes/s")
    report.add(f"{label}: database size", mib(stored),
               f"{stored / count:,.0f} bytes per programme")


def bench_sqlite(report: Report, document: str, count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="credstack-bench-") as tmp:
        path = Path(tmp) / "credstack.sqlite3"
        bench_store(report, "SQLite", f"sqlite:///{path}", Path(tmp), document, count)


def bench_postgres(report: Report, document: str, count: int, admin_url: str) -> None:
    url = make_url(normalise_database_url(admin_url))
    name = f"credstack_bench_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    created = False
    try:
        try:
            with admin.connect() as connection:
                version = connection.scalar(text("SHOW server_version"))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
                created = True
        except SQLAlchemyError as exc:
            report.add("PostgreSQL", "skipped", f"cannot create a scratch database: "
                       f"{str(exc).splitlines()[0]}")
            return
        report.notes.append(f"PostgreSQL {version} at "
                            f"{url.render_as_string(hide_password=True)}; scratch database "
                            f"{name} (dropped afterwards).")
        scratch = url.set(database=name).render_as_string(hide_password=False)
        with tempfile.TemporaryDirectory(prefix="credstack-bench-") as tmp:
            bench_store(report, "PostgreSQL", scratch, Path(tmp), document, count,
                        size=lambda s: int(s.scalar(text(
                            "SELECT pg_database_size(current_database())")) or 0))
    finally:
        if created:
            try:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except SQLAlchemyError as exc:
                progress.print(f"[red]Could not drop the scratch database {name}: {exc}[/]")
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="programmes (100,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--postgres-url", default=os.environ.get(
        "CREDSTACK_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a server where scratch databases may be created (via its postgres database)")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)
    count: int = args.count
    report = Report()
    load_before = load_text()

    step(f"generating {count:,} programmes (seed {args.seed}) …")
    with timer() as elapsed:
        documents = generate_programmes(count, seed=args.seed, organisations=args.organisations)
    report.add("Generate", rate_text(count, elapsed()),
               f"{elapsed():.1f} s; {len(documents.organisations)} organisations, "
               f"seed {args.seed}")

    step("serialising to JSON …")
    with timer() as elapsed:
        document = write_documents(documents, Format.JSON)
    encoded = len(document.encode())
    report.add("Serialise (write_documents, JSON)", mib(encoded),
               f"{elapsed():.1f} s; {len(document):,} characters "
               f"({len(document) / count:,.0f} per programme), {encoded:,} bytes as UTF-8")
    if len(document) > MAX_INPUT_BYTES:
        report.notes.append(f"[red]The JSON has {len(document):,} characters, more than "
                            f"MAX_INPUT_BYTES ({MAX_INPUT_BYTES:,}): read_documents refuses it; "
                            "use a smaller --count.[/]")
    elif encoded > MAX_INPUT_BYTES:
        report.notes.append(f"The JSON is {encoded:,} bytes as UTF-8, over MAX_INPUT_BYTES "
                            f"({MAX_INPUT_BYTES:,}): read_documents takes it as text "
                            f"({len(document):,} characters) but would refuse the same file "
                            "given as bytes.")

    step("validating against every profile …")
    bench_validation(report, documents.programmes)
    del documents
    gc.collect()

    step("parsing the JSON …")
    gc.collect()
    try:
        with timer() as elapsed:
            parsed = read_documents(document, Format.JSON, source="bench.json")
        report.add("Parse (read_documents, JSON)", rate_text(len(parsed.programmes), elapsed()),
                   f"{elapsed():.1f} s")
        del parsed
        gc.collect()
        step("SQLite …")
        bench_sqlite(report, document, count)
        if args.skip_postgres:
            report.add("PostgreSQL", "skipped", "--skip-postgres")
        else:
            step("PostgreSQL …")
            bench_postgres(report, document, count, args.postgres_url)
    except Exception as exc:  # a benchmark reports what broke and still prints the rest
        report.add("[red]Error[/]", type(exc).__name__, str(exc).splitlines()[0][:200])

    report.add("Peak memory (RSS)", mib(peak_rss()), "VmHWM (Linux), else ru_maxrss")

    table = Table(title=f"credstack import and validation benchmark — {count:,} programmes")
    table.add_column("Step")
    table.add_column("Result", justify="right")
    table.add_column("Target", justify="right")
    table.add_column("")
    table.add_column("Detail", overflow="fold")
    for row in report.rows:
        table.add_row(row.step, row.result, row.target, row.verdict, row.detail)
    console.print(table)
    console.print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
                  f"{os.cpu_count()} CPUs ({platform.machine()}), one thread; load average "
                  f"{load_before} at the start, {load_text()} at the end.")
    for note in report.notes:
        console.print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
