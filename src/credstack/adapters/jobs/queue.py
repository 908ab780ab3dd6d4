"""The task queue under credstack's background jobs: huey, on SQLite, Redis or PostgreSQL.

Only a job's public id travels through the queue (one task, ``credstack.job``); what the job is
and how far it got is the ``jobs`` table's (:mod:`credstack.adapters.db.tables.jobs`), so a
message lost with a killed worker costs nothing but the time until the reaper queues the job
again. Where the queue lives follows the settings:

* no ``CREDSTACK_JOBS_URL``: :class:`huey.SqliteHuey` in ``<data dir>/jobs.sqlite3`` — no
  server to run; ``credstack serve`` runs a consumer in its own process;
* ``redis://`` / ``rediss://``: :class:`huey.RedisHuey`; ``postgresql://``:
  :class:`huey.PostgresHuey` — one queue shared by ``credstack worker`` processes on several
  machines.

The huey instance is made on first use (nothing is created by a command that never queues).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from credstack.settings import Settings

__all__ = ["JOB_TASK", "HueyQueue", "JobQueue", "Periodic", "queue_file"]

log = logging.getLogger("credstack.jobs")

#: The name of the one task: run the job whose public id it carries.
JOB_TASK = "credstack.job"
#: The queue's name in its storage (the Redis keys' and the SQL tables' prefix).
QUEUE_NAME = "credstack"


class JobQueue(Protocol):
    """Where a job's public id is put for a worker to take (the seam the services use)."""

    def enqueue(self, public_id: str, *, delay: float | None = None) -> None:
        """Queue ``public_id`` now, or after ``delay`` seconds."""

    def pending(self) -> int:
        """How many messages wait in the queue (raises when it cannot be reached)."""


@dataclass(frozen=True, slots=True)
class Periodic:
    """Work a consumer does on a schedule (UTC, crontab fields), by name."""

    name: str
    run: Callable[[], None]
    minute: str = "*"
    hour: str = "*"


def queue_file(settings: Settings) -> Path:
    """The embedded queue's SQLite file, in the data directory."""
    return settings.data_dir / "jobs.sqlite3"


class _InProcessConsumer(Consumer):  # type: ignore[misc]
    """A consumer inside another program (the web service): it leaves the program's signal
    handlers alone (the program stops it)."""

    def _set_signal_handlers(self) -> None:
        pass


class HueyQueue:
    """:class:`JobQueue` on huey, configured by ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._huey: Huey | None = None
        self._task: Any = None
        self._runner: Callable[[str], None] | None = None
        self._periodic: set[str] = set()
        self._lock = threading.Lock()

    @property
    def embedded(self) -> bool:
        """Whether the queue is the SQLite file in the data directory."""
        return self.settings.jobs_url is None

    @property
    def where(self) -> str:
        """Where the queue is, to show a person (no password)."""
        url = self.settings.jobs_url
        if url is None:
            return str(queue_file(self.settings))
        scheme, _, rest = url.partition("://")
        return f"{scheme}://{rest.rsplit('@', 1)[-1]}"

    @property
    def huey(self) -> Huey:
        with self._lock:
            if self._huey is None:
                self._huey = self._make()
                self._task = self._huey.task(name=JOB_TASK)(self._execute)
            return self._huey

    def _make(self) -> Huey:
        url = self.settings.jobs_url
        if url is None:
            queue_file(self.settings).parent.mkdir(parents=True, exist_ok=True)
            return SqliteHuey(QUEUE_NAME, filename=str(queue_file(self.settings)),
                              results=False)
        if url.startswith(("redis://", "rediss://")):
            return RedisHuey(QUEUE_NAME, url=url, results=False)
        return PostgresHuey(QUEUE_NAME, dsn=url, results=False)

    def enqueue(self, public_id: str, *, delay: float | None = None) -> None:
        self.huey  # noqa: B018 - makes the task on first use
        if delay:
            self._task.schedule(args=(public_id,), delay=delay)
        else:
            self._task(public_id)

    def pending(self) -> int:
        count: int = self.huey.pending_count()
        return count

    def _execute(self, public_id: str) -> None:
        runner = self._runner
        if runner is None:
            # Only a consumer runs jobs; a message reaching a process without one is a bug.
            raise RuntimeError("this process runs no jobs (no consumer was started)")
        runner(public_id)

    def consumer(self, *, run: Callable[[str], None], periodic: Sequence[Periodic] = (),
                 workers: int = 1, in_process: bool = False) -> Consumer:
        """A huey consumer of this queue with ``workers`` threads, running each job with
        ``run(public_id)`` and ``periodic`` on their schedules (not started: ``run()`` it in
        a command's main thread, or ``start()``/``stop()`` it inside another program)."""
        huey = self.huey
        self._runner = run
        for item in periodic:
            if item.name in self._periodic:
                continue
            self._periodic.add(item.name)
            huey.periodic_task(crontab(minute=item.minute, hour=item.hour),
                               name=item.name)(_periodic(item.run, item.name))
        kind = _InProcessConsumer if in_process else Consumer
        return kind(huey, workers=workers, periodic=bool(periodic), worker_type="thread",
                    check_worker_health=True, max_delay=2.0)


def _periodic(run: Callable[[], None], name: str) -> Callable[[], None]:
    def periodic() -> None:
        try:
            run()
        except Exception:
            # The next period tries again; a periodic task is never retried by huey.
            log.exception("periodic task %s failed", name)
    return periodic
