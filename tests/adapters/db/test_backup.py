"""The store's copy: SQLite's online backup, and PostgreSQL's command lines."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from credstack.adapters.db.backup import copy_sqlite, dump_command, restore_command


def test_the_password_goes_in_the_environment_never_on_the_command_line(tmp_path: Path) -> None:
    """``pg_dump`` and ``pg_restore`` get a libpq URL without the password (a process list
    shows arguments), and ``PGPASSWORD`` with it."""
    url = "postgresql+psycopg://credstack:s3cret%40x@db.internal:5433/credstack"
    dump = dump_command(url, tmp_path / "store.pgdump")
    assert "s3cret" not in dump.shown and "psycopg" not in dump.shown
    assert dump.environment == {"PGPASSWORD": "s3cret@x"}
    assert "--dbname=postgresql://credstack@db.internal:5433/credstack" in dump.arguments
    assert "--format=custom" in dump.arguments
    restore = restore_command(url, tmp_path / "store.pgdump", clean=True)
    assert {"--clean", "--if-exists", "--single-transaction"} <= set(restore.arguments)
    assert "s3cret" not in restore.shown
    assert "--clean" not in restore_command(url, tmp_path / "x").arguments


def test_an_online_copy_is_one_file_with_every_row(tmp_path: Path) -> None:
    """A database in WAL mode with rows still in its write-ahead log copies whole, into a
    single file, while its connection stays open; progress reaches every page."""
    source = tmp_path / "live.sqlite3"
    live = sqlite3.connect(source)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE t (n INTEGER)")
    live.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(5000)])
    live.commit()
    seen: list[tuple[int, int]] = []
    copy = tmp_path / "copy.sqlite3"
    copy_sqlite(source, copy, progress=lambda done, total: seen.append((done, total)))
    live.close()
    assert not Path(f"{copy}-wal").exists()
    with sqlite3.connect(copy) as read:
        assert read.execute("SELECT count(*), sum(n) FROM t").fetchone() == (5000, 12497500)
    assert seen and seen[-1][0] == seen[-1][1]
