"""SQLite's writers hand the write lock on at once (:mod:`credstack.adapters.db.writers`).

A write transaction holds the database's writer lock (``flock`` of
``<database>-writer.lock``) from its first write until it ends, however it ends; reads never
take it; a writer that cannot have it in time goes on to SQLite's own lock, as it would
without it; a forked process has locks of its own; and writers of two processes and many
threads, all at once, lose no write. Another process's view of the lock is read with
``flock`` itself, from a child process.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from credstack.adapters.db.engine import make_engine
from credstack.adapters.db.writers import DatabaseWriters, WriterConnection, database_writers
from credstack.settings import Settings

#: Asks, from another process, whether the writer lock of the database argv[1] is free.
_PROBE = """
import fcntl, os, sys
file = os.open(sys.argv[1] + "-writer.lock", os.O_RDWR | os.O_CREAT)
try:
    fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("free")
except BlockingIOError:
    print("held")
"""


def _lock_seen_by_another_process(database: Path) -> str:
    return subprocess.run([sys.executable, "-c", _PROBE, str(database)], capture_output=True,
                          text=True, check=True).stdout.strip()


@contextmanager
def _held_by_another_process(database: Path) -> Iterator[None]:
    """The writer lock of ``database``, held by another process while the block runs."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys\n"
        f"file = os.open({str(database) + '-writer.lock'!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(file, fcntl.LOCK_EX)\nprint('taken', flush=True)\n"
        "sys.stdin.readline()\n")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "taken"
        yield
    finally:
        holder.communicate("done\n", timeout=10)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "store.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode = WAL")
        setup.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
        setup.execute("INSERT INTO counter VALUES (1, 0)")
    setup.close()
    yield path


def _connect(database: Path, timeout: float = 5.0,
             writers: DatabaseWriters | None = None) -> WriterConnection:
    """A connection with the locks ``writers`` (an engine's, shared by its connections), or
    with locks of its own, as if of an engine of its own."""
    connection = sqlite3.connect(database, timeout=timeout, factory=WriterConnection,
                                 check_same_thread=False)
    assert isinstance(connection, WriterConnection)
    connection.writers = writers or database_writers(str(database))
    return connection


def test_a_write_transaction_holds_the_writer_lock_until_it_commits(database: Path) -> None:
    connection = _connect(database)
    connection.execute("SELECT value FROM counter").fetchall()
    assert _lock_seen_by_another_process(database) == "free"
    connection.execute("UPDATE counter SET value = value + 1")
    assert _lock_seen_by_another_process(database) == "held"
    connection.execute("UPDATE counter SET value = value + 1")
    connection.commit()
    assert _lock_seen_by_another_process(database) == "free"
    assert connection.execute("SELECT value FROM counter").fetchone() == (2,)
    connection.close()


@pytest.mark.parametrize("ending", ["rollback", "close"])
def test_a_transaction_rolled_back_or_closed_gives_the_lock_back(database: Path,
                                                                 ending: str) -> None:
    connection = _connect(database)
    connection.executemany("INSERT INTO counter (value) VALUES (?)", [(1,), (2,)])
    assert _lock_seen_by_another_process(database) == "held"
    getattr(connection, ending)()
    assert _lock_seen_by_another_process(database) == "free"


def test_a_write_that_fails_before_its_transaction_begins_gives_the_lock_back(
        database: Path) -> None:
    connection = _connect(database)
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        connection.execute("INSERT INTO nowhere VALUES (1)")
    assert not connection.in_transaction
    assert _lock_seen_by_another_process(database) == "free"
    connection.execute("UPDATE counter SET value = 7")
    connection.commit()
    assert connection.execute("SELECT value FROM counter").fetchone() == (7,)


def test_a_writer_that_cannot_have_the_lock_in_time_goes_on_to_sqlites_own(
        database: Path) -> None:
    """The lock is an aid: held elsewhere past the connection's timeout (a process that
    stopped while holding it, say), the write still happens once SQLite lets it."""
    with _held_by_another_process(database):
        connection = _connect(database, timeout=0.2)
        connection.execute("UPDATE counter SET value = 5")
        connection.commit()
        assert connection.execute("SELECT value FROM counter").fetchone() == (5,)
        connection.close()


def test_begin_immediate_takes_the_writer_lock(database: Path) -> None:
    """An explicit ``BEGIN IMMEDIATE`` (the status lists' allocation begins so) holds
    SQLite's lock at once, so it takes the writer lock first, and gives it back at commit."""
    connection = _connect(database)
    connection.execute("BEGIN IMMEDIATE")
    assert _lock_seen_by_another_process(database) == "held"
    connection.execute("UPDATE counter SET value = value + 1")
    connection.commit()
    assert _lock_seen_by_another_process(database) == "free"
    connection.close()


def test_a_transaction_begun_without_the_lock_never_waits_for_it(database: Path) -> None:
    """Inside a transaction begun without the writer lock (by a savepoint here) a write may
    already hold SQLite's lock, which the writer lock's holder is waiting for: the statement
    takes the writer lock only if it is free, and goes on at once if not. Waiting would stall
    both until the holder's busy timeout failed it with "database is locked" — here the
    holder (another engine's connection) would give up after 30 s, long before the 120 s the
    savepoint's connection could wait, so its write succeeding shows that nobody waited."""
    savepoint = _connect(database, timeout=120.0)
    with _held_by_another_process(database):
        savepoint.execute("SAVEPOINT outer_work")
        savepoint.execute("UPDATE counter SET value = 9")  # SQLite's lock, not the writer lock
    holder = _connect(database, timeout=30.0)
    outcome: list[str] = []

    def write() -> None:
        try:
            holder.execute("UPDATE counter SET value = value + 1")
            holder.commit()
            outcome.append("written")
        except sqlite3.OperationalError as exc:
            outcome.append(str(exc))
            holder.rollback()

    thread = threading.Thread(target=write)
    thread.start()
    deadline = time.monotonic() + 60
    while _lock_seen_by_another_process(database) != "held":  # the holder's write has begun
        assert time.monotonic() < deadline, "the holder never took the writer lock"
    savepoint.execute("UPDATE counter SET value = value * 10")
    savepoint.execute("RELEASE outer_work")
    savepoint.commit()
    thread.join()
    assert outcome == ["written"]
    assert savepoint.execute("SELECT value FROM counter").fetchone() == (91,)
    savepoint.close()
    holder.close()


def _increments(database: str, threads: int, each: int) -> None:
    writers = database_writers(database)

    def work() -> None:
        connection = _connect(Path(database), writers=writers)
        for _ in range(each):
            connection.execute("UPDATE counter SET value = value + 1 WHERE id = 1")
            connection.execute("INSERT INTO counter (value) VALUES (0)")
            connection.commit()
        connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def test_writers_of_two_processes_and_many_threads_lose_no_write(database: Path) -> None:
    """Two forked processes of four threads each (the threads of a process share its
    engine's locks), 200 read-modify-write transactions a thread, all at once: every
    increment is there."""
    _connect(database).close()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_increments, args=(str(database), 4, 200))
                 for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT value FROM counter WHERE id = 1").fetchone() == (1600,)
        assert connection.execute("SELECT count(*) FROM counter").fetchone() == (1601,)


def test_a_forked_child_has_locks_of_its_own(database: Path) -> None:
    """The parent holds its engine's locks; a child forked meanwhile with a copy of them
    waits for the parent like any other process, then holds the lock itself. (No SQLite
    connection is open at the fork: SQLite's own state must not cross one.)"""
    writers = database_writers(str(database))
    assert writers is not None and writers.acquire(timeout=5)
    context = multiprocessing.get_context("fork")
    child = context.Process(target=_child_writes_after_the_parent, args=(str(database), writers))
    child.start()
    time.sleep(0.5)
    writers.release()
    child.join(timeout=60)
    assert child.exitcode == 0
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT value FROM counter").fetchone() == (1,)


def _child_writes_after_the_parent(database: str, writers: DatabaseWriters) -> None:
    connection = _connect(Path(database), writers=writers)
    # Copied as they were at the fork, the parent's locks would be held for good (and the
    # flock the parent's): the write would go on without them after the busy timeout.
    connection.execute("UPDATE counter SET value = value + 1")
    assert _lock_seen_by_another_process(Path(database)) == "held"
    connection.commit()
    assert _lock_seen_by_another_process(Path(database)) == "free"


def test_credstacks_sqlite_engines_hand_the_lock_on(tmp_path: Path) -> None:
    engine = make_engine(Settings.from_env(data_dir=tmp_path, database_url=""))
    with engine.connect() as connection:
        assert isinstance(connection.connection.dbapi_connection, WriterConnection)
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.commit()
        connection.execute(text("INSERT INTO t VALUES (1)"))
        assert _lock_seen_by_another_process(tmp_path / "credstack.sqlite3") == "held"
        connection.commit()
        assert _lock_seen_by_another_process(tmp_path / "credstack.sqlite3") == "free"
    engine.dispose()


def test_a_store_whose_lock_file_cannot_be_made_is_served_by_sqlites_lock_alone(
        database: Path) -> None:
    """Where no lock file can be opened beside the store (a folder this process may not write
    to; here, a directory in its place), the engine has no writer locks and writes as before."""
    Path(f"{database}-writer.lock").mkdir()
    assert database_writers(str(database)) is None
    connection = _connect(database)
    connection.execute("UPDATE counter SET value = 3")
    connection.commit()
    assert connection.execute("SELECT value FROM counter").fetchone() == (3,)
