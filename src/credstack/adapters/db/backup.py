"""Copying a store out and back in: SQLite's online backup, PostgreSQL's ``pg_dump``.

:func:`copy_sqlite` copies a SQLite database with SQLite's online backup API
(:meth:`sqlite3.Connection.backup`), a few hundred pages at a time: the copy is one
consistent state of the database while the server goes on reading and writing it (a write
made meanwhile restarts the copy of the pages it changed, as SQLite documents).

For PostgreSQL, :func:`dump_command` and :func:`restore_command` are the ``pg_dump`` and
``pg_restore`` command lines (custom format, no owners or privileges, so that the dump
restores as whatever role the restoring operator uses); the password never goes on the
command line (it would show in the process list) but in ``PGPASSWORD``. :func:`run` runs
one when the program is on ``PATH``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import IssuedCredentialRow
from credstack.errors import ConfigurationError

__all__ = ["PAGES_PER_STEP", "Command", "available", "copy_sqlite", "credential_count",
           "dump_command", "is_empty", "restore_command", "run"]

#: Pages copied per step of the online backup (4 KiB each: a mebibyte a step).
PAGES_PER_STEP: Final = 256


def copy_sqlite(source: Path, target: Path, *,
                progress: Callable[[int, int], None] | None = None) -> None:
    """Copy the SQLite database ``source`` to ``target`` (a new file) while it is in use;
    ``progress`` is told the pages copied and the pages in all after each step."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        reader.backup(writer, pages=PAGES_PER_STEP, progress=step)
        # One file, as a backup should be: the copy leaves rollback-journal mode.
        writer.execute("PRAGMA journal_mode=DELETE")
    finally:
        writer.close()
        reader.close()


@dataclass(frozen=True, slots=True)
class Command:
    """A command line, and what its environment needs besides the process's."""

    arguments: tuple[str, ...]
    environment: dict[str, str]

    @property
    def shown(self) -> str:
        """The command as an operator would type it (the password left out: it goes in
        ``PGPASSWORD``)."""
        return shlex.join(self.arguments)


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it."""
    url = make_url(database_url)
    environment = {"PGPASSWORD": url.password} if url.password else {}
    # ``URL.set`` leaves a field it is given None for as it was: the URL is made anew.
    plain = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                       database=url.database, query=url.query)
    return plain.render_as_string(hide_password=False), environment


def dump_command(database_url: str, target: Path) -> Command:
    """``pg_dump`` of ``database_url`` into ``target`` (custom format)."""
    url, environment = _libpq(database_url)
    return Command(("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                    f"--file={target}", f"--dbname={url}"), environment)


def restore_command(database_url: str, source: Path, *, clean: bool = False) -> Command:
    """``pg_restore`` of ``source`` into ``database_url`` (with ``clean``: dropping what is
    there first)."""
    url, environment = _libpq(database_url)
    cleaning = ("--clean", "--if-exists") if clean else ()
    return Command(("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                    "--single-transaction", *cleaning, f"--dbname={url}", str(source)),
                   environment)


def available(command: Command) -> bool:
    """Whether the command's program is on ``PATH``."""
    return shutil.which(command.arguments[0]) is not None


def run(command: Command, *, extra: Sequence[str] = ()) -> None:
    """Run ``command``; a failure is a :class:`~credstack.errors.ConfigurationError` with
    what the program said."""
    try:
        finished = subprocess.run([*command.arguments, *extra], check=False,  # noqa: S603
                                  capture_output=True, text=True,
                                  env={**os.environ, **command.environment})
    except FileNotFoundError:
        raise ConfigurationError(
            f"{command.arguments[0]} is not on PATH; run this where it is: "
            f"{command.shown}") from None
    if finished.returncode != 0:
        said = (finished.stderr or finished.stdout).strip()[-2000:]
        raise ConfigurationError(f"{command.arguments[0]} failed (exit "
                                 f"{finished.returncode}): {said}")


def is_empty(engine: Engine) -> bool:
    """Whether the database holds no table at all (a fresh database to restore into)."""
    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def credential_count(session: Session) -> int:
    """How many credentials the store has issued."""
    return session.scalar(select(func.count()).select_from(IssuedCredentialRow)) or 0
