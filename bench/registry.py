#!/usr/bin/env python3
"""Benchmark: the public registry's search at up to a million programmes.

    .venv/bin/python bench/registry.py [--count 1000000] [--database sqlite|postgresql]
        [--seconds 3] [--organisations 2000] [--seed 0]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres] [--keep DIR]

Targets (the issue): search p50 ≤ 10 ms and p95 ≤ 30 ms *including facet counts*, on SQLite
and PostgreSQL, for Japanese and English queries, broad ones included (a term in 10–20 % of
the catalogue); a programme page in ≤ 20 ms p95; loading a million programmes in ≤ 5 minutes.

Steps, each timed on its own:

1. generate ``--count`` programmes (``credstack.core.descriptors.synthetic``, mixed ja/en)
   in chunks of 100,000 and load each chunk into every chosen store with
   ``import_documents`` (PostgreSQL: its COPY path), one transaction per chunk — generation
   and loading are timed apart;
2. build the search index from each store **in a child process** (so its peak RSS is its
   own) as ``credstack registry reindex`` does, and save it: time, peak RSS, size on disk;
3. load the saved index (time) and run the query mix against it with the result cache
   *off* — every search computes its result, facet counts and page from scratch: Japanese
   broad (a term in 10–20 % of the programmes, chosen by measuring), narrow, one and two
   characters; English broad and narrow; filters only; text with filters; the sorts; deep
   pages (page 30, reached through page tokens; timed for the last page alone);
4. start ``credstack serve`` on each store (a child process, which loads the saved index)
   and time ``GET /api/search`` and ``GET /programmes/{id}`` (the HTML page) over HTTP.

The script reports, it does not judge; it always exits 0. A scratch PostgreSQL database
``credstack_bench_<random>`` is created through the ``postgres`` database and dropped at the
end (unless ``--keep``), as is the temporary data directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.exc import SQLAlchemyError

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories.programmes import import_documents
from credstack.adapters.db.tables import ProgrammeRow
from credstack.adapters.search import files
from credstack.adapters.search.index import SearchIndex
from credstack.core.descriptors import Documents
from credstack.core.descriptors.synthetic import generate_organisations, iter_programmes
from credstack.core.registry.query import SearchQuery
from credstack.settings import Settings, normalise_database_url
from measure import mib, peak_rss, timer

CHUNK = 100_000
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
progress = Console(stderr=True, highlight=False)
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)

#: Candidate terms; the mix picks by measured share of the catalogue.
JA_TERMS = ["社会人", "地域", "講座", "入門", "データ", "経営", "実務", "企業", "介護", "半導体",
            "マーケティング", "機械学習", "認知症", "洋上風力", "知的財産", "文化財", "食品衛生",
            "サイバーセキュリティ", "スマート農業", "看護", "量子"]
JA_SHORT = ["介護", "半導", "観光", "看護", "DX", "AI", "介", "脱", "農", "護"]
EN_TERMS = ["management", "design", "data", "practical", "care", "semiconductor", "robotics",
            "dementia", "hygiene", "cybersecurity", "tourism", "decarbonisation", "finance",
            "machine learning", "data science", "intellectual property"]


#: Searches over HTTP: more distinct ones than the service's result cache keeps (128), so
#: every request computes its result and counts.
HTTP_QUERIES: list[dict[str, str]] = [
    {"q": text, **({name: value} if name else {}), "lang": "en" if text.isascii() else "ja"}
    for text in ("社会人", "地域", "介護", "半導", "AI", "データ", "management", "design",
                 "data science", "care")
    for name, value in (("", ""), ("delivery_mode", "online"), ("delivery_mode", "onsite"),
                        ("delivery_mode", "blended"), ("field", "digital"),
                        ("field", "business"), ("field", "medical-welfare"),
                        ("price_band", "free"), ("effort_band", "lt-10h"),
                        ("effort_band", "10-29h"), ("effort_band", "30-59h"),
                        ("effort_band", "60-119h"), ("effort_band", "120h-plus"),
                        ("profile", "jp-mc"), ("profile", "eu-2022"),
                        ("provider_type", "university"), ("provider_type", "company"),
                        ("language", "en"), ("stackable", "yes"), ("sort", "title"))
]


def step(message: str) -> None:
    progress.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {message}")


@dataclass
class Store:
    label: str
    url: str
    data_dir: Path
    load_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return Settings.from_env(data_dir=self.data_dir, database_url=self.url)


@dataclass
class Report:
    load: list[tuple[str, ...]] = field(default_factory=list)
    build: list[tuple[str, ...]] = field(default_factory=list)
    search: list[tuple[str, ...]] = field(default_factory=list)
    http: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- loading ----------------------------------------------------------------------------


def load_stores(stores: list[Store], count: int, organisations: int, seed: int,
                report: Report) -> None:
    orgs = generate_organisations(organisations, seed=seed)
    engines = {}
    for store in stores:
        engine = make_engine(store.settings)
        migrate(engine)
        engines[store.label] = engine
    generating = 0.0
    for start in range(0, count, CHUNK):
        size = min(CHUNK, count - start)
        with timer() as elapsed:
            programmes = tuple(iter_programmes(size, seed=seed, start=start,
                                               organisations=organisations))
        generating += elapsed()
        documents = Documents(orgs if start == 0 else (), programmes)
        for store in stores:
            factory = session_factory(engines[store.label])
            with timer() as elapsed, factory() as session, session.begin():
                import_documents(session, documents=documents, now=NOW, source="bench")
            store.load_seconds += elapsed()
            step(f"{store.label}: {start + size:,} programmes loaded "
                 f"({store.load_seconds:.0f} s so far)")
        del programmes, documents
        gc.collect()
    report.load.append(("Generate (iter_programmes)", f"{generating:.1f} s",
                        f"{count / generating:,.0f} programmes/s; {organisations:,} "
                        f"organisations, seed {seed}"))
    for store in stores:
        if not store.url.startswith("sqlite"):
            # What autovacuum does shortly after a bulk load; without statistics the planner
            # reads the whole status index for a single programme's newest published version.
            with timer() as elapsed, engines[store.label].connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
            report.load.append((f"ANALYZE ({store.label})", f"{elapsed():.1f} s",
                                "statistics for the planner, as autovacuum would gather"))
        with engines[store.label].connect() as connection:
            stored = connection.scalar(select(func.count()).select_from(ProgrammeRow))
            if store.url.startswith("sqlite"):
                size = sum(p.stat().st_size for p in store.data_dir.glob("credstack.sqlite3*"))
            else:
                size = int(connection.scalar(text(
                    "SELECT pg_database_size(current_database())")) or 0)
        report.load.append((f"Load into {store.label} (import_documents + commit)",
                            f"{store.load_seconds:.1f} s",
                            f"{stored:,} programmes, {count / store.load_seconds:,.0f}/s; "
                            f"database {mib(size)}"))
        engines[store.label].dispose()


# --- building (in a child process) ------------------------------------------------------


def build_child(url: str, data_dir: Path) -> None:
    """Run in a child: build the index from the store, save it, print figures as JSON."""
    from credstack.adapters.search.store import build_from_store

    settings = Settings.from_env(data_dir=data_dir, database_url=url)
    engine = make_engine(settings)
    with session_factory(engine)() as session, timer() as elapsed:
        data = build_from_store(session, secret=files.secret_for(data_dir))
    built = elapsed()
    with timer() as saving:
        path = files.save(data, data_dir, built_at=NOW.isoformat())
    print(json.dumps({"seconds": built, "save_seconds": saving(), "rss": peak_rss(),
                      "documents": len(data.live), "terms": len(data.postings),
                      "size": path.stat().st_size}))


def build_index(store: Store, report: Report) -> None:
    step(f"{store.label}: building the search index …")
    child = subprocess.run(
        [sys.executable, __file__, "--build-child", store.url, str(store.data_dir)],
        capture_output=True, text=True, check=False)
    if child.returncode != 0:
        report.build.append((store.label, "failed", child.stderr.strip()[-300:]))
        return
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    report.build.append((
        store.label, f"{figures['seconds']:.1f} s",
        f"{figures['documents']:,} programmes, {figures['terms']:,} terms; "
        f"{figures['documents'] / figures['seconds']:,.0f}/s; peak RSS {mib(figures['rss'])}; "
        f"index on disk {mib(figures['size'])} (saved in {figures['save_seconds']:.1f} s)"))


# --- the query mix ----------------------------------------------------------------------


def _share(index: SearchIndex, term: str) -> float:
    return index.count(SearchQuery(text=term)) / max(len(index), 1)


def query_mix(index: SearchIndex) -> tuple[dict[str, list[SearchQuery]], dict[str, float]]:
    """Queries by category, chosen by measuring the index; the broad terms' shares."""
    shares = {term: _share(index, term) for term in [*JA_TERMS, *JA_SHORT, *EN_TERMS]}
    ja_broad = [t for t in JA_TERMS if 0.10 <= shares[t] <= 0.20] or \
        sorted(JA_TERMS, key=lambda t: abs(shares[t] - 0.15))[:2]
    ja_narrow = [t for t in JA_TERMS if 0 < shares[t] < 0.03][:6]
    en_broad = [t for t in EN_TERMS if 0.10 <= shares[t] <= 0.20] or \
        sorted(EN_TERMS, key=lambda t: abs(shares[t] - 0.15))[:2]
    en_narrow = [t for t in EN_TERMS if 0 < shares[t] < 0.03][:6]
    provider = max(index.data.facets["provider"].items(), key=lambda item: len(item[1]))[0]
    small = min(index.data.facets["provider"].items(), key=lambda item: len(item[1]))[0]

    def q(text: str = "", **filters: str | set[str]) -> SearchQuery:
        return SearchQuery(text=text, filters={
            name: frozenset({value} if isinstance(value, str) else value)
            for name, value in filters.items()})

    return {
        "Japanese, broad (10–20 %)": [q(t) for t in ja_broad],
        "Japanese, narrow (< 3 %)": [q(t) for t in ja_narrow],
        "Japanese, 1–2 characters": [q(t) for t in JA_SHORT if shares[t] > 0],
        "English, broad (10–20 %)": [q(t) for t in en_broad],
        "English, narrow (< 3 %)": [q(t) for t in en_narrow],
        "Filters only": [q(), q(delivery_mode="online"),
                         q(field="digital", price_band={"free", "lt-10k-jpy"}),
                         q(provider=provider), q(provider=small),
                         q(profile="eu-2022", level={"EQF-4", "EQF-5"})],
        "Text + filters": [q(ja_broad[0], field="business"),
                           q(en_broad[0], delivery_mode="online"),
                           q("介護", effort_band={"10-29h", "30-59h"}, price_band="free"),
                           q("data", provider=provider)],
        "Sorted (title ja/en, effort, credits, newest)": [
            SearchQuery(text=ja_broad[0], sort="title"),
            SearchQuery(text=en_broad[0], sort="title", language="en"),
            SearchQuery(sort="effort"), SearchQuery(text="介護", sort="credits"),
            SearchQuery(filters={"delivery_mode": frozenset({"online"})}, sort="newest"),
            SearchQuery(filters={"effort_band": frozenset({"120h-plus"})}, sort="effort")],
        "No results (suggestions)": [q("machne lerning"), q("半導休"), q("semiconductr")],
    }, {term: shares[term] for term in [*ja_broad, *en_broad]}


def _deep(index: SearchIndex, query: SearchQuery, page: int) -> SearchQuery | None:
    after = None
    for _ in range(page - 1):
        result = index.search(SearchQuery(text=query.text, filters=query.filters,
                                          sort=query.sort, language=query.language,
                                          after=after))
        if result.next_token is None:
            return None
        after = result.next_token
    return SearchQuery(text=query.text, filters=query.filters, sort=query.sort,
                       language=query.language, after=after)


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95, ordered[-1]


def time_queries(index: SearchIndex, queries: list[SearchQuery], seconds: float
                 ) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU (this thread) milliseconds per search, and the average total.

    The CPU figure is what the search costs; the wall-clock one adds whatever else the
    machine was doing (other processes competing for the cores)."""
    wall: list[float] = []
    cpu: list[float] = []
    totals = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(wall) < 3 * len(queries):
        for query in queries:
            started, started_cpu = time.perf_counter(), time.thread_time()
            result = index.search(query)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            totals += result.total
    return wall, cpu, totals // max(len(wall), 1)


def _even(samples: dict[str, list[float]], size: int) -> list[float]:
    """The same number of samples from each category, so fast ones do not dominate."""
    rng = random.Random(0)
    return [value for values in samples.values()
            for value in rng.sample(values, min(size, len(values)))]


def search_latency(store: Store, seconds: float, report: Report) -> None:
    step(f"{store.label}: loading the index and timing searches …")
    gc.collect()
    with timer() as elapsed:
        data = files.load(store.data_dir)
    if data is None:
        report.search.append((store.label, "no index", "", "", "", "", "", ""))
        return
    index = SearchIndex(data, cache_size=0)
    report.search.append((store.label, "Load the saved index", f"{elapsed() * 1000:,.0f} ms",
                          "", "", "", "", f"{len(index):,} programmes"))
    mix, shares = query_mix(index)
    report.notes.append(f"{store.label}: broad terms chosen: " + ", ".join(
        f"{term} {share:.1%}" for term, share in shares.items()))
    deep = [d for d in (_deep(index, SearchQuery(text=t.text, sort=s), 30)
                        for t in mix["Japanese, broad (10–20 %)"][:1]
                        + mix["English, broad (10–20 %)"][:1]
                        for s in ("relevance", "title")) if d is not None]
    mix["Deep page (30th, via tokens)"] = deep
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    for category, queries in mix.items():
        if not queries:
            continue
        wall, cpu, average = time_queries(index, queries, seconds)
        walls[category], cpus[category] = wall, cpu
        p50, p95, worst = percentiles(wall)
        c50, c95, _ = percentiles(cpu)
        report.search.append((store.label, category, f"{p50:.2f}", f"{p95:.2f}",
                              f"{worst:.1f}", f"{c50:.2f}", f"{c95:.2f}",
                              f"{len(queries)} queries, {len(wall):,} runs, ~{average:,} "
                              "hits each"))
    size = min(len(values) for values in walls.values())
    p50, p95, worst = percentiles(_even(walls, size))
    c50, c95, _ = percentiles(_even(cpus, size))
    report.search.append((store.label, "[bold]All categories, equally weighted[/]",
                          f"[bold]{p50:.2f}[/]", f"[bold]{p95:.2f}[/]", f"{worst:.1f}",
                          f"[bold]{c50:.2f}[/]", f"[bold]{c95:.2f}[/]",
                          f"{size:,} runs of each category"))
    cached = SearchIndex(data)
    wall, cpu, _ = time_queries(cached, [q for qs in mix.values() for q in qs], seconds)
    p50, p95, worst = percentiles(wall)
    c50, c95, _ = percentiles(cpu)
    report.search.append((store.label, "Same mix, result cache on (repeat visits)",
                          f"{p50:.2f}", f"{p95:.2f}", f"{worst:.1f}", f"{c50:.2f}",
                          f"{c95:.2f}", f"{len(wall):,} runs"))


# --- over HTTP --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def http_latency(store: Store, seconds: float, report: Report) -> None:
    step(f"{store.label}: starting credstack serve and timing HTTP …")
    port = _free_port()
    environment = {**os.environ, "CREDSTACK_DATA_DIR": str(store.data_dir),
                   "CREDSTACK_DATABASE_URL": store.url}
    server = subprocess.Popen(
        [sys.executable, "-m", "credstack", "serve", "--port", str(port)],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            started = time.perf_counter()
            while True:
                try:
                    if client.get("/api/search", params={"limit": 1}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.perf_counter() - started > 600:
                    report.http.append((store.label, "server did not start", "", "", "",
                                        (server.stderr.read() if server.stderr else b"")
                                        .decode()[-300:]))
                    return
                time.sleep(0.2)
            report.http.append((store.label, "Service start (loads the saved index)",
                                f"{(time.perf_counter() - started):.1f} s", "", "", ""))
            ids = [hit["programme_id"] for hit in client.get(
                "/api/search", params={"limit": 100, "sort": "newest"}).json()["hits"]]
            total = client.get("/api/search", params={"limit": 1}).json()["total"]
            rng = random.Random(1)
            ids += [rng.randrange(1, total + 1) for _ in range(400)]
            cases: dict[str, Callable[[int], httpx.Response]] = {
                "GET /programmes/{id} (HTML page)": lambda n: client.get(
                    f"/programmes/{ids[n % len(ids)]}", headers={"Accept": "text/html"}),
                "GET /api/programmes/{id} (JSON)": lambda n: client.get(
                    f"/api/programmes/{ids[n % len(ids)]}"),
                f"GET /api/search ({len(HTTP_QUERIES)} queries in turn, more than the "
                "result cache holds)": lambda n: client.get(
                    "/api/search", params=HTTP_QUERIES[n % len(HTTP_QUERIES)]),
            }
            for label, call in cases.items():
                samples: list[float] = []
                deadline = time.perf_counter() + seconds
                n = 0
                while time.perf_counter() < deadline or len(samples) < 30:
                    began = time.perf_counter()
                    response = call(n)
                    samples.append((time.perf_counter() - began) * 1000)
                    if response.status_code != 200:
                        report.http.append((store.label, label, "error", "", "",
                                            f"HTTP {response.status_code}"))
                        break
                    n += 1
                else:
                    p50, p95, worst = percentiles(samples)
                    report.http.append((store.label, label, f"{p50:.2f}", f"{p95:.2f}",
                                        f"{worst:.1f}", f"{len(samples):,} requests"))
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


# --- main -------------------------------------------------------------------------------


@contextmanager
def postgres_store(admin_url: str, directory: Path, keep: bool, existing: str | None = None
                   ) -> Iterator[Store | None]:
    url = make_url(normalise_database_url(admin_url))
    name = existing or f"credstack_bench_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    created = False
    try:
        try:
            if existing is None:
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
            created = True
        except SQLAlchemyError as exc:
            step(f"[red]PostgreSQL skipped: {str(exc).splitlines()[0]}[/]")
            yield None
            return
        scratch = url.set(database=name).render_as_string(hide_password=False)
        data_dir = directory / "postgresql"
        data_dir.mkdir(exist_ok=True)
        yield Store("PostgreSQL", scratch, data_dir)
    finally:
        if created and not keep:
            try:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except SQLAlchemyError as exc:
                progress.print(f"[red]Could not drop the scratch database {name}: {exc}[/]")
        elif created:
            step(f"kept PostgreSQL database {name}")
        admin.dispose()


def print_report(report: Report, args: argparse.Namespace) -> None:
    console.print(f"[bold]credstack registry benchmark[/] — {args.count:,} programmes, "
                  f"{args.organisations:,} organisations; Python {sys.version.split()[0]}, "
                  f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    for title, rows, columns in (
            ("Load", report.load, ("Step", "Time", "Detail")),
            ("Index build (child process, from the store)", report.build,
             ("Store", "Time", "Detail")),
            ("Search, in process, result cache off (ms; wall clock, and CPU time of the "
             "searching thread)", report.search,
             ("Store", "Queries", "p50", "p95", "max", "CPU p50", "CPU p95", "Detail")),
            ("Over HTTP (ms)", report.http, ("Store", "Request", "p50", "p95", "max",
                                             "Detail"))):
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    for note in report.notes:
        console.print(f"• {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), action="append",
                        help="a store to run on (repeatable; default both)")
    parser.add_argument("--seconds", type=float, default=3.0,
                        help="timing per category of queries (default 3)")
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres-url", default=os.environ.get(
        "CREDSTACK_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this directory and keep it (and the PostgreSQL "
                             "database)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: the stores in that directory are loaded already "
                             "(give --postgres-database); only build and time")
    parser.add_argument("--skip-build", action="store_true",
                        help="with --reuse: the indexes in that directory are built already")
    parser.add_argument("--postgres-database", default=None,
                        help="an existing (loaded) database to use instead of a scratch one")
    parser.add_argument("--build-child", nargs=2, metavar=("URL", "DIR"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_child:
        build_child(args.build_child[0], Path(args.build_child[1]))
        return 0
    databases = args.database or ["sqlite", "postgresql"]
    report = Report()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="credstack-bench-registry-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        with postgres_store(args.postgres_url, directory, args.keep is not None,
                            args.postgres_database) \
                if "postgresql" in databases else _none() as postgres:
            stores: list[Store] = []
            if "sqlite" in databases:
                sqlite_dir = directory / "sqlite"
                sqlite_dir.mkdir(exist_ok=True)
                stores.append(Store("SQLite", f"sqlite:///{(sqlite_dir / 'credstack.sqlite3')}",
                                    sqlite_dir))
            if postgres is not None:
                stores.append(postgres)
            if not args.reuse:
                load_stores(stores, args.count, args.organisations, args.seed, report)
            if not args.skip_build:
                for store in stores:
                    build_index(store, report)
            for store in stores:
                search_latency(store, args.seconds, report)
            for store in stores:
                http_latency(store, args.seconds, report)
    finally:
        if args.keep is None:
            shutil.rmtree(directory, ignore_errors=True)
    print_report(report, args)
    return 0


@contextmanager
def _none() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    raise SystemExit(main())
