"""Shared fixtures: real databases and a real server on a free port.

Tests that need PostgreSQL or a browser skip with a reason on machines without them; CI sets
``CREDSTACK_REQUIRE_POSTGRES=1`` and ``CREDSTACK_REQUIRE_BROWSER=1`` (see ``.ci/run``) so that
there they fail instead of skipping.

* ``settings`` — a fresh, empty store, once on SQLite and once on PostgreSQL (each copied
  for the test from one migrated once per process: a file, or a scratch database dropped
  after the test); ``sessions`` — sessions on it, migrated.
* ``server`` — the credstack app served by uvicorn on 127.0.0.1 for those settings.
* ``http`` — an ``httpx.Client`` pointed at that server, acting as the platform operator
  (a registry admin's bearer token with every scope it can use; see :func:`operator_client`).
* ``anonymous`` — the same without credentials, as any visitor.
* :func:`store_environment` — the environment the ``credstack`` command opens a test's
  store with.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import datetime as dt
import itertools
import os
import random
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import certifi
import fastapi.dependencies.models as fastapi_models
import httpx
import hypothesis
import psycopg
import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.engine import make_engine, migrate
from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.policy import PLATFORM, Membership, Role, usable_scopes
from credstack.entrypoints.web.app import create_app
from credstack.entrypoints.web.coalescing import CoalescingProtocol
from credstack.errors import ConflictError
from credstack.settings import Settings
from tests.accounts import (
    add_user,
    api_client,
    bearer_token,
    issued_credentials,
    provider_store,
    store_sessions,
)
from tests.helpers import organisation

POSTGRES_ADMIN_URL = os.environ.get(
    "CREDSTACK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("CREDSTACK_REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("CREDSTACK_REQUIRE_BROWSER") == "1"
CHROMIUM = Path(os.environ.get("CREDSTACK_CHROMIUM", "/usr/bin/chromium"))
SHARED_REF = Path(__file__).resolve().parents[1].parent / "shared" / "ref"

# Hypothesis fails an example that takes over 200 ms by default: a wall-clock bound, which a
# loaded CI machine breaks. The suite's properties assert outcomes; time is bench work.
hypothesis.settings.register_profile("credstack", deadline=None)
hypothesis.settings.load_profile("credstack")


def _one_authority_trust_store() -> None:
    """Every ``httpx.Client`` loads the trust store when it is made: a system's or certifi's
    ~150 authorities cost 20 ms a client, and the tests (and the servers and commands they
    start) make thousands — a tenth of the suite's CPU. No test reaches a public TLS site
    (those of TLS trust their own test authority through ``CREDSTACK_FETCH_CA_FILE`` or an
    SSL context), so clients trust one authority instead: the first of the bundle
    ``SSL_CERT_FILE`` names (machines set it to the system's whole bundle; certifi's when
    unset), through ``SSL_CERT_FILE``, which httpx reads, as a deployment's own CA bundle
    would be read. Set once, by the first test process; the others inherit it."""
    named = os.environ.get("SSL_CERT_FILE", "")
    if Path(named).parent.name.startswith(_TRUST_FOLDER):
        return
    bundle = Path(named if Path(named).is_file() else certifi.where()).read_text(
        encoding="ascii", errors="replace")
    end = "-----END CERTIFICATE-----"
    first = bundle[bundle.index("-----BEGIN CERTIFICATE-----"):bundle.index(end) + len(end)]
    folder = Path(tempfile.mkdtemp(prefix=_TRUST_FOLDER))
    (folder / "one.pem").write_text(first + "\n", encoding="ascii")
    os.environ["SSL_CERT_FILE"] = str(folder / "one.pem")


#: The prefix of the temporary folder holding the one authority the tests' clients trust.
_TRUST_FOLDER = "credstack-trust-"
_one_authority_trust_store()
#: argon2id's least memory for every password the tests hash and check, through the settings
#: of this process and of the servers and commands it starts
#: (``CREDSTACK_PASSWORD_MEMORY_KIB``): a sign-in costs a twentieth of a millisecond of CPU,
#: not 20–45 ms (production keeps OWASP's 19 MiB: ``tests/test_settings.py``).
TEST_PASSWORD_MEMORY_KIB = 8
os.environ["CREDSTACK_PASSWORD_MEMORY_KIB"] = str(TEST_PASSWORD_MEMORY_KIB)
Prepared = TypeVar("Prepared")


def _postgres_unavailable() -> str | None:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({exc.__class__.__name__})"


def need_postgres() -> None:
    """Skip (or, in CI, fail) when PostgreSQL is not reachable."""
    reason = _postgres_unavailable()
    if reason is None:
        return
    if REQUIRE_POSTGRES:
        pytest.fail(f"{reason}; CREDSTACK_REQUIRE_POSTGRES=1 makes PostgreSQL tests mandatory")
    pytest.skip(f"{reason}; set CREDSTACK_TEST_POSTGRES_URL to run PostgreSQL tests")


def need_browser() -> None:
    """Skip (or, in CI, fail) when Chromium or Playwright is missing."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"Chromium is not installed at {CHROMIUM} (Debian package chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem is None:
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"{problem}; CREDSTACK_REQUIRE_BROWSER=1 makes browser tests mandatory")
    pytest.skip(problem)


def wait_until(page: Any, expression: str, *, seconds: float = 10.0) -> None:
    """Poll a JavaScript expression (or ``() => …`` function) from the test until it is true.

    ``page.wait_for_function`` polls inside the page with ``eval``, which the pages' strict
    Content-Security-Policy (no ``unsafe-eval``) refuses whenever the first check is false;
    each ``page.evaluate`` here runs through the DevTools protocol instead.
    """
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {expression}")
        time.sleep(0.05)


@pytest.fixture(scope="session")
def _chromium() -> Iterator[tuple[Any, asyncio.AbstractEventLoop]]:
    """Debian's Chromium, headless, driven by Playwright, started once per test process
    (starting Playwright's driver and the browser takes seconds, which every browser module
    paid), with the event loop Playwright drives it on; the ``browser`` fixture lends it to
    one test at a time."""
    need_browser()
    from playwright.sync_api import expect, sync_playwright

    # What a page shows after a request (a verification, a search) may take more than
    # Playwright's 5 s on a two-core CI machine running both workers' servers and browsers.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        loop = asyncio.get_running_loop()
        _lend_loop(None)
        try:
            yield chromium, loop
        finally:
            _lend_loop(loop)
            chromium.close()


def _lend_loop(loop: asyncio.AbstractEventLoop | None) -> None:
    """Mark ``loop`` as this thread's running event loop (``None``: none).

    Playwright's synchronous API leaves its loop marked as running between its calls (its
    calls need it so). While the process's one browser waits for the next browser test, the
    mark is taken away, so that the tests in between may run an event loop of their own
    (``asyncio.run``; another Playwright), as they could when each browser module stopped
    its own browser. asyncio has no public call for it."""
    asyncio._set_running_loop(loop)


@pytest.fixture
def browser(_chromium: tuple[Any, asyncio.AbstractEventLoop]) -> Iterator[Any]:
    """The test process's Chromium (:func:`_chromium`), for one test: it opens a browser
    context of its own for each person (:func:`tests.entrypoints.web.pages.conftest.new_tab`);
    any it leaves open are closed after it, so no cookie or page outlives the test."""
    chromium, loop = _chromium
    _lend_loop(loop)
    try:
        yield chromium
        for context in chromium.contexts:
            context.close()
    finally:
        _lend_loop(None)


@contextlib.contextmanager
def _scratch_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped when the block ends."""
    name = _create_database()
    try:
        yield _database_url(name)
    finally:
        _drop_database(name)


def _create_database(template: str | None = None) -> str:
    name = f"credstack_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    return name


def _drop_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(name: str) -> str:
    return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


class _Drops:
    """Scratch databases a test process is done with, dropped several at once.

    PostgreSQL makes every ``DROP DATABASE`` wait for a checkpoint, which writes every dirty
    page of the cluster to disk: one to seven seconds on a loaded two-core machine, where one
    drop per test queued the copies made for the next tests behind it. Drops that wait at
    the same time share a checkpoint: eight on eight connections take about as long as one.
    """

    #: How many databases are dropped together.
    BATCH = 8

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=self.BATCH,
                                            thread_name_prefix="drop-database")
        self._waiting: list[str] = []
        self._running: list[Future[None]] = []

    def drop(self, name: str) -> None:
        """Drop database ``name`` with the next batch."""
        self._waiting.append(name)
        if len(self._waiting) >= self.BATCH:
            self._start()

    def _start(self) -> None:
        for drop in self._running:
            if drop.done():
                drop.result()  # a drop that failed is told at the next batch, not lost
        self._running = [drop for drop in self._running if not drop.done()]
        self._running += [self._executor.submit(_drop_database, name) for name in self._waiting]
        self._waiting = []

    def close(self) -> None:
        """Drop every database still waiting; wait for every drop, raising the first that
        failed."""
        self._start()
        self._executor.shutdown(wait=True)
        for drop in self._running:
            drop.result()


@pytest.fixture(scope="session")
def _drops() -> Iterator[_Drops]:
    """The test process's scratch databases, dropped in batches (:class:`_Drops`)."""
    drops = _Drops()
    try:
        yield drops
    finally:
        drops.close()


#: What a database's schema is, in one digest: its tables' columns, indexes, constraints,
#: triggers (and whether each is enabled), functions, sequences, views and extensions. A copy
#: whose digest is still the template's differs from it in its rows alone.
_SCHEMA_DIGEST = """
SELECT md5(string_agg(part, E'\\n' ORDER BY part)) FROM (
  SELECT concat_ws(' ', 'c', table_name, column_name, data_type, column_default, is_nullable)
    AS part FROM information_schema.columns WHERE table_schema = 'public'
  UNION ALL SELECT concat_ws(' ', 'i', indexdef) FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL SELECT concat_ws(' ', 'v', indexrelid::regclass::text, indisvalid::text)
    FROM pg_index WHERE indrelid::regclass::text NOT LIKE 'pg_%'
  UNION ALL SELECT concat_ws(' ', 'k', conrelid::regclass::text, conname,
                             pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT concat_ws(' ', 't', tgrelid::regclass::text, tgname, tgenabled::text)
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT concat_ws(' ', 'f', oid::regprocedure::text, md5(prosrc))
    FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  UNION ALL SELECT concat_ws(' ', 'r', rulename, ev_enabled::text) FROM pg_rewrite
    WHERE ev_class::regclass::text NOT LIKE 'pg_%' AND rulename <> '_RETURN'
  UNION ALL SELECT concat_ws(' ', 's', sequencename) FROM pg_sequences
    WHERE schemaname = 'public'
  UNION ALL SELECT concat_ws(' ', 'w', viewname, md5(definition)) FROM pg_views
    WHERE schemaname = 'public'
  UNION ALL SELECT concat_ws(' ', 'm', matviewname) FROM pg_matviews
    WHERE schemaname = 'public'
  UNION ALL SELECT concat_ws(' ', 'e', extname, extversion) FROM pg_extension
) AS parts
"""


@dataclass(frozen=True)
class _Template:
    """What a copy of the migrated template holds: its schema (:data:`_SCHEMA_DIGEST`) and
    the rows the migrations wrote (table → ``COPY`` text)."""

    name: str
    schema: str
    rows: dict[str, bytes]

    @classmethod
    def read(cls, name: str) -> _Template:
        with psycopg.connect(_database_url(name), autocommit=True) as connection:
            schema = _schema_digest(connection)
            rows = {}
            for table in _tables(connection):
                text = bytearray()
                with connection.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                    for block in copy:
                        text += block
                if text:
                    rows[table] = bytes(text)
        return cls(name, schema, rows)


def _schema_digest(connection: psycopg.Connection[Any]) -> str:
    row = connection.execute(_SCHEMA_DIGEST).fetchone()
    assert row is not None
    return str(row[0])


def _tables(connection: psycopg.Connection[Any]) -> list[str]:
    return [table for (table,) in connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]


def _recycled(template: _Template, name: str) -> bool:
    """Make database ``name``, a copy of ``template`` a test is done with, hold what a new
    copy would: every connection to it ended (as ``DROP DATABASE … WITH (FORCE)`` would end
    them), every row deleted, the rows the migrations wrote put back, every sequence
    restarted. False, and nothing done, when the test changed its schema (a trigger
    disabled, an index dropped): that copy is dropped instead.

    Deleting the rows takes a few milliseconds; dropping the database makes PostgreSQL
    write and sync every dirty page of the cluster first (a forced checkpoint: seconds, up
    to 40 s on a loaded machine), which stalled every other database's commits meanwhile,
    the test servers' with them. The triggers that keep the audit log append-only are left
    out of the deletion (``session_replication_role = replica``) as they are out of a drop.
    """
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
    with psycopg.connect(_database_url(name), autocommit=True) as connection:
        if _schema_digest(connection) != template.schema:
            return False
        with connection.transaction():
            connection.execute("SET LOCAL session_replication_role = replica")
            for table in _tables(connection):
                connection.execute(f'DELETE FROM "{table}"')
            for table, text in template.rows.items():
                with connection.cursor().copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(text)
            for (sequence,) in connection.execute(
                    "SELECT sequencename FROM pg_sequences "
                    "WHERE schemaname = 'public' AND last_value IS NOT NULL").fetchall():
                connection.execute(f'ALTER SEQUENCE "{sequence}" RESTART')
    return True


class _Copies:
    """Copies of a migrated template database, each made ready before a test asks for it, on
    a thread of their own (so that it overlaps the tests instead of adding to them). A copy a
    test is done with is made ready again for the next (:func:`_recycled`: its rows deleted),
    or, if the test changed its schema, goes to ``drops`` and a new copy (half a second,
    most of it PostgreSQL writing files) takes its place."""

    def __init__(self, template: str, drops: _Drops) -> None:
        self._template = _Template.read(template)
        self._drops = drops
        self._maker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copy-database")
        self._ready: collections.deque[Future[str]] = collections.deque(
            [self._maker.submit(self._new)])

    def _new(self) -> str:
        return _create_database(self._template.name)

    def _again(self, name: str) -> str:
        if _recycled(self._template, name):
            return name
        self._drops.drop(name)
        return self._new()

    @contextlib.contextmanager
    def copy(self) -> Iterator[str]:
        """The URL of a database holding what the template holds, for the block."""
        name = self._ready.popleft().result()
        if not self._ready:
            self._ready.append(self._maker.submit(self._new))
        try:
            yield _database_url(name)
        finally:
            self._ready.append(self._maker.submit(self._again, name))

    def close(self) -> None:
        """Give every copy to be dropped; none is being made afterwards."""
        while self._ready:
            self._drops.drop(self._ready.popleft().result())
        self._maker.shutdown(wait=True)


@pytest.fixture
def postgres_url(_drops: _Drops) -> Iterator[str]:
    """A scratch PostgreSQL database, empty (not migrated), dropped after the test (with
    others)."""
    need_postgres()
    name = _create_database()
    try:
        yield _database_url(name)
    finally:
        _drops.drop(name)


@pytest.fixture(scope="session")
def _migrated_copies(_drops: _Drops) -> Iterator[_Copies]:
    """Copies of a PostgreSQL database migrated once per test process, for
    :func:`migrated_postgres_url` and :func:`module_settings`: copying it takes a third of
    the time of migrating a new database, and about 830 tests start from a migrated store."""
    need_postgres()
    with _scratch_database() as url:
        engine = make_engine(Settings.from_env(data_dir=Path("unused"), database_url=url))
        try:
            migrate(engine)
        finally:
            engine.dispose()
        copies = _Copies(url.rsplit("/", 1)[1], _drops)
        try:
            yield copies
        finally:
            copies.close()


@pytest.fixture
def migrated_postgres_url(_migrated_copies: _Copies) -> Iterator[str]:
    """A scratch PostgreSQL database with every migration applied and no rows but those the
    migrations write, dropped after the test."""
    with _migrated_copies.copy() as url:
        yield url


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated once per test process, for :func:`sqlite_store` to copy:
    copying its file takes a millisecond, migrating a new one half a second, and about a
    thousand tests start from a migrated SQLite store."""
    template = Settings.from_env(data_dir=tmp_path_factory.mktemp("sqlite-template") / "data",
                                 database_url="")
    engine = make_engine(template)
    try:
        migrate(engine)
    finally:
        engine.dispose()  # the last connection closed: the write-ahead log is folded in
    return Path(template.store_location)


def sqlite_store(data_dir: Path, template: Path) -> Settings:
    """Settings of a SQLite store in ``data_dir``, as opening it would leave it: every
    migration applied (a copy of ``template``), no rows but those the migrations write."""
    made = Settings.from_env(data_dir=data_dir, database_url="")
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, made.store_location)
    return made


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """An empty store on each supported database, already migrated, as every store is once
    it is opened (tests of the migrations themselves ask for an unmigrated one in
    ``tests/adapters/db/migrations/conftest.py``)."""
    if request.param == "sqlite":
        return sqlite_store(tmp_path / "data", request.getfixturevalue("_sqlite_template"))
    url = request.getfixturevalue("migrated_postgres_url")
    # A PostgreSQL store has no data directory to keep a generated master key in, so it is
    # configured, as in production (the audit log and issuer keys need it).
    return dataclasses.replace(Settings.from_env(data_dir=tmp_path / "data", database_url=url),
                               secret_key=new_master_key_text())


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_settings(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """As :func:`settings`, for one store that a module's tests share: those that only read
    it, or write what no other test counts, served by one server instead of one each."""
    yield from shared_store(request, tmp_path_factory)


def shared_store(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory, *,
                 like: Settings | None = None) -> Iterator[Settings]:
    """The store of a module-scoped fixture parametrised by database (``request.param``,
    ``"sqlite"`` or ``"postgresql"``; or the database of ``like``), as
    :func:`module_settings` gives it: for a module that shares a second store (one prepared
    otherwise)."""
    database = request.param if like is None else ("sqlite" if like.is_sqlite
                                                     else "postgresql")
    folder = tmp_path_factory.mktemp(f"store-{database}")
    if database == "sqlite":
        yield sqlite_store(folder / "data", request.getfixturevalue("_sqlite_template"))
        return
    with request.getfixturevalue("_migrated_copies").copy() as url:
        yield dataclasses.replace(
            Settings.from_env(data_dir=folder / "data", database_url=url),
            secret_key=new_master_key_text())


@pytest.fixture
def sqlite_settings(tmp_path: Path, _sqlite_template: Path) -> Settings:
    """An empty store on SQLite only (for tests about the embedded default), migrated."""
    return sqlite_store(tmp_path / "data", _sqlite_template)


@pytest.fixture
def sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on the migrated, empty store of ``settings``."""
    with store_sessions(settings) as made:
        yield made


#: Test servers listen below Linux's ephemeral range (32768–60999 by default), where the
#: kernel picks the local ports of outgoing connections: a port the kernel found free there
#: could be given to any client connection before the server bound it (CI saw "address
#: already in use" on such a port). Each xdist worker takes a band of its own, so two workers
#: of a run never pick the same port, and starts at a random place in it, so that two runs at
#: once rarely meet; every port is tried by binding it, as the server will (SO_REUSEADDR).
_PORTS_FROM = 20_000
_PORT_BAND = 3_000
_PORT_BANDS = 4
_next_port = itertools.count(random.randrange(_PORT_BAND))


def free_port() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    band = _PORTS_FROM + (int(worker) if worker.isdigit() else 0) % _PORT_BANDS * _PORT_BAND
    for _ in range(_PORT_BAND):
        port = band + next(_next_port) % _PORT_BAND
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port from {band} to {band + _PORT_BAND - 1}")


@dataclass
class LiveServer:
    url: str
    settings: Settings


@pytest.fixture
def server(settings: Settings) -> Iterator[LiveServer]:
    """The real application, served over HTTP on a free loopback port."""
    yield from serve(settings)


class PromptServer(uvicorn.Server):
    """uvicorn's server, stopped as soon as it is told: uvicorn looks at ``should_exit``
    between naps of a tenth of a second, and naps once more while stopping, which thousands
    of test servers spent waiting (0.16 s a server)."""

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.server_state.connections or sockets:
            await super().shutdown(sockets)
            return
        # No connection open: uvicorn's own shutdown would still nap a tenth of a second
        # for them to wind down. The rest is as it does.
        for server in self.servers:
            server.close()
        await self._wait_tasks_to_complete()
        if not self.force_exit:
            await self.lifespan.shutdown()

    def stop(self) -> None:
        """Stop serving (from another thread)."""
        self.should_exit = True
        loop = getattr(self, "_loop", None)
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._stopping.set)


def serve(settings: Settings, *, port: int | None = None,
          clock: Callable[[], dt.datetime] | None = None,
          freeze_heap: bool = False, tls_chain: Path | None = None,
          host: str = "127.0.0.1") -> Iterator[LiveServer]:
    """Serve ``settings`` on ``port`` (default: a free one) until the generator is closed;
    ``clock``: the app's notion of now (default: the real time); ``freeze_heap``: as
    ``credstack serve`` does (for benchmarks: the process is then this one server);
    ``tls_chain``: serve HTTPS with this PEM file's key and certificate chain
    (:func:`tests.loopback.tls_site`), at ``https://localhost:<port>``; ``host``: the
    interface to listen on (the URL names loopback whichever it is)."""
    port = port or free_port()
    app = (create_app(settings, clock=clock, freeze_heap=freeze_heap) if clock is not None
           else create_app(settings, freeze_heap=freeze_heap))
    # As ``credstack serve`` does: forwarded headers are the app's to believe or not.
    config = uvicorn.Config(app, host=host, port=port, http=CoalescingProtocol,
                            access_log=False, proxy_headers=False,
                            log_level="warning", lifespan="on",
                            ssl_certfile=str(tls_chain) if tls_chain else None)
    runner = PromptServer(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    # A loaded CI machine (two cores) may take a while to import and migrate.
    deadline = time.monotonic() + 90
    while not runner.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the credstack test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"https://localhost:{port}" if tls_chain else
                         f"http://127.0.0.1:{port}", settings)
    finally:
        runner.stop()
        thread.join(timeout=10)
        forget_endpoints()


def forget_endpoints() -> None:
    """Let the apps this process has stopped be collected.

    FastAPI remembers what kind of callable each endpoint and dependency is (generator,
    coroutine) in caches of 4,096 entries keyed by the callable. fastapi-offline's API docs
    endpoints are closures over their app, so every app a test process served stayed alive
    through them: 6 MB each, 2 GB in a CI worker after a few hundred servers, and full garbage
    collections of seconds that made requests time out. Clearing the caches costs the next
    app a few microseconds per endpoint.
    """
    for name in ("_is_gen_callable_cached", "_is_async_gen_callable_cached",
                 "_is_coroutine_callable_cached"):
        getattr(fastapi_models, name).cache_clear()


def serve_with_key(settings: Settings, **changes: Any) -> Iterator[LiveServer]:
    """Serve ``settings`` with a new master key (the audit log needs one, on PostgreSQL too)
    and ``changes``."""
    yield from serve(dataclasses.replace(settings, secret_key=new_master_key_text(), **changes))


#: When a test's stopped clock starts.
START = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


@dataclass
class Clock:
    """A runtime's clock that stands still until the test moves it."""

    now: dt.datetime = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class ShiftedClock:
    """A server's now: the real time, moved on by ``offset`` (a test sets it to make links
    expire)."""

    offset: dt.timedelta = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset


def at_own_url(settings: Settings, **changes: Any) -> tuple[Settings, int]:
    """``settings`` with ``changes`` and ``http://localhost:<port>`` as the public URL, for a
    free port; and the port, to serve them on (so that what the server signs names it)."""
    port = free_port()
    return dataclasses.replace(settings, public_url=f"http://localhost:{port}", **changes), port


def keyed_sqlite(folder: Path, **changes: Any) -> Settings:
    """Settings of an empty SQLite store in ``folder`` with a master key of its own (issuing,
    sessions and the audit log need one), and ``changes``."""
    return dataclasses.replace(Settings.from_env(data_dir=folder / "data", database_url=""),
                               secret_key=new_master_key_text(), **changes)


def issuing_operator(folder: Path) -> Iterator[httpx.Client]:
    """An operator's client of a server on an empty SQLite store in ``folder``, at its own URL,
    holding the test organisation with an Ed25519 key: all that issuing over the VC-API
    needs."""
    settings, port = at_own_url(keyed_sqlite(folder))
    servers = serve(settings, port=port)
    live = next(servers)
    with operator_client(live, timeout=30) as client:
        assert client.post("/api/organisations", json=organisation()).status_code == 201
        assert client.post("/api/organisations/hokuto-tech/keys", json={}).status_code == 201
        yield client
    servers.close()


def issued_to_members(settings: Settings, learners: Mapping[str, str], *, batch: str
                      ) -> list[str]:
    """The test provider in the store of ``settings`` (:func:`tests.accounts.provider_store`,
    under their master key), a credential issued now to each of ``learners`` (e-mail → name)
    in ``batch``, and an account for each; the credentials' ids, newest first."""
    secret = settings.secret_key
    assert secret is not None, "the credentials are signed with a key under the master key"
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    rows = "".join(f"{email},{name}\n" for email, name in learners.items())
    issued = issued_credentials(settings, secret=secret, now=now, cohort=f"email,name\n{rows}",
                                batch=batch)
    for email, name in learners.items():
        add_user(settings, email, name=name)
    return issued


def serve_prepared(settings: Settings, prepare: Callable[[Settings], Prepared],
                   **changes: Any) -> Iterator[tuple[LiveServer, Prepared]]:
    """Serve ``settings`` :func:`at_own_url` with ``changes`` once ``prepare`` has filled
    their store; the server, and what ``prepare`` gave."""
    configured, port = at_own_url(settings, **changes)
    prepared = prepare(configured)
    for server in serve(configured, port=port):
        yield server, prepared


@dataclass
class Issued:
    """A live server and the credentials issued in its store before it started."""

    server: LiveServer
    #: Securing mechanism → the id of a credential issued with it.
    credentials: dict[str, str]


def serve_issued(settings: Settings, prepare: Callable[[Settings], dict[str, str]],
                 **changes: Any) -> Iterator[Issued]:
    """:func:`serve_prepared`, where ``prepare`` issues credentials."""
    for server, credentials in serve_prepared(settings, prepare, **changes):
        yield Issued(server, credentials)


#: The platform operator every ``operator_client`` acts as.
OPERATOR = "operator@credstack.test"


def operator_token(live: LiveServer) -> str:
    """A bearer token of the platform operator: a registry admin with all its scopes.

    The operator's account and API client are made in the server's store on first use (setup,
    as an administrator would do with ``credstack accounts``); the token comes over HTTP.
    """
    # A server restarted on the same store has its operator already.
    with contextlib.suppress(ConflictError):
        add_user(live.settings, OPERATOR, roles=[(None, "registry-admin")])
    scopes = usable_scopes([Membership(PLATFORM, Role.REGISTRY_ADMIN)])
    client_id, secret = api_client(live.settings, OPERATOR, sorted(scopes))
    return bearer_token(live.url, client_id, secret)


def operator_client(live: LiveServer, *, token: str | None = None, timeout: float = 30
                    ) -> httpx.Client:
    """An ``httpx.Client`` for ``live`` acting as the platform operator, with ``token`` (one
    a module keeps for its shared server) or a new one."""
    return httpx.Client(base_url=live.url, timeout=timeout, headers={
        "Authorization": f"Bearer {token if token is not None else operator_token(live)}"})


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with operator_client(server) as client:
        yield client


@pytest.fixture
def anonymous(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def store_environment(settings: Settings, *, secret: str | None = None, lang: str = "en",
                      **more: str) -> dict[str, str]:
    """What the ``credstack`` command reads to open the store of ``settings``: its data
    folder and database, the language and, given ``secret``, that master key (and no key
    file); each of ``more`` is one more ``CREDSTACK_<NAME>`` (``public_url="https://…"``)."""
    environment = {"CREDSTACK_LANG": lang, "CREDSTACK_DATA_DIR": str(settings.data_dir),
                   "CREDSTACK_DATABASE_URL": "" if settings.is_sqlite else settings.database_url}
    if secret is not None:
        environment |= {"CREDSTACK_SECRET_KEY": secret, "CREDSTACK_SECRET_KEY_FILE": ""}
    return environment | {f"CREDSTACK_{name.upper()}": value for name, value in more.items()}


@pytest.fixture
def wide_console() -> Iterator[None]:
    """CLI tables printed 200 columns wide, whatever terminal the tests run in.

    The CLI's rich consoles read ``COLUMNS`` once, when they are made; a test that reads a
    table's cells sets the width itself, and gives it back to the terminal afterwards.
    """
    from credstack.entrypoints.cli import console

    console.out.width = 200
    try:
        yield
    finally:
        console.out._width = None  # measure the terminal again, as a fresh console does


@pytest.fixture(scope="session")
def shared_ref() -> Path:
    """``../shared/ref`` (standards data); absent in a user's clone, mandatory in CI."""
    if not SHARED_REF.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED_REF} is missing; CI needs the shared standards data")
        pytest.skip(f"{SHARED_REF} is not present (it sits beside the repository in CI)")
    return SHARED_REF
