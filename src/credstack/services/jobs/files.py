"""The file a background job makes for whoever started it (a zip of PDF certificates).

* :class:`FileWriter` — what a handler writes the file to, as to any binary stream
  (:mod:`zipfile` writes to it): every :data:`PART_BYTES` are stored as one part in a
  transaction of their own, so a file of any size is made in flat memory, and every web
  process reads it from the store whichever worker machine made it. Opening the writer
  forgets what an earlier run of the job wrote (a killed worker's half file); closing it
  stores the last part and records ``jobs.file_made`` in the audit log.
* :func:`open_file` — the file, part by part, for whoever may see the job
  (:func:`credstack.services.jobs.service.job`), once the job succeeded and until
  :data:`KEPT` after it finished.
* :func:`forget_expired` — the files of jobs finished longer than :data:`KEPT` ago (every
  worker, every minute; ``jobs.file_expired``).

A job that makes a file names it in its result: ``{"file": {"name": …, "media_type": …}}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.repositories import jobs as store
from credstack.core.access import Actor
from credstack.errors import NotFoundError, Problem
from credstack.services import audit
from credstack.services.jobs.service import job
from credstack.services.runtime import Runtime

__all__ = ["KEPT", "PART_BYTES", "FileWriter", "JobFile", "forget_expired", "open_file"]

#: The largest part stored at once.
PART_BYTES: Final = 1024 * 1024
#: How long a job's file is kept after the job finished.
KEPT: Final = dt.timedelta(days=7)


class FileWriter:
    """The file of the job ``job_id`` (its public id) as a write-only binary stream."""

    def __init__(self, runtime: Runtime, *, job_id: str, by: str) -> None:
        self._runtime = runtime
        self._by = by
        self._public_id = job_id
        self._buffer = bytearray()
        self._parts = 0
        self.size = 0
        self._job = self._start_over()

    def write(self, data: bytes) -> int:
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) >= PART_BYTES:
            self._store_part(bytes(self._buffer[:PART_BYTES]))
            del self._buffer[:PART_BYTES]
        return len(data)

    def flush(self) -> None:
        """Nothing: parts are stored as they fill (:mod:`zipfile` calls this)."""

    def close(self) -> int:
        """Store the last part and note the file in the audit log; its size in bytes."""
        if self._buffer or not self._parts:
            self._store_part(bytes(self._buffer))
            self._buffer.clear()
        self._record()
        return self.size

    def _start_over(self) -> int:
        with self._runtime.transaction() as session:
            row = store.by_public_id(session, self._public_id)
            assert row is not None, self._public_id  # the job being run
            store.forget_file(session, job_id=row.id)
            return row.id

    def _store_part(self, data: bytes) -> None:
        with self._runtime.transaction() as session:
            store.add_file_part(session, job_id=self._job, part=self._parts, data=data)
        self._parts += 1

    def _record(self) -> None:
        with self._runtime.transaction() as session:
            audit.record(session, at=self._runtime.now(), actor=self._by,
                         action="jobs.file_made", subject=f"job:{self._public_id}",
                         details={"bytes": self.size, "parts": self._parts})


@dataclass(frozen=True, slots=True)
class JobFile:
    """A job's file as it is downloaded: its name, media type, size and parts."""

    name: str
    media_type: str
    size: int
    chunks: Iterator[bytes]


def _gone(public_id: str) -> NotFoundError:
    return NotFoundError(code="jobs.problem.no_file", params={"id": public_id, "days": KEPT.days},
                         problems=[Problem("id", public_id)])


def open_file(runtime: Runtime, *, actor: Actor, public_id: str) -> JobFile:
    """The file the job ``public_id`` made, for whoever may see the job (NotFoundError when
    there is none, or none any more)."""
    found = job(runtime, actor=actor, public_id=public_id)
    described: Any = (found.result or {}).get("file")
    if found.state != "succeeded" or not isinstance(described, dict):
        raise _gone(public_id)
    with runtime.transaction() as session:
        row = store.by_public_id(session, public_id)
        assert row is not None  # job() found it
        job_id = row.id
        parts, size = store.file_size(session, job_id=job_id)
    if not parts:
        raise _gone(public_id)

    def chunks() -> Iterator[bytes]:
        for part in range(parts):
            with runtime.transaction() as session:
                data = store.file_part(session, job_id=job_id, part=part)
            if data is None:  # forgotten while it was read
                return
            yield data

    return JobFile(str(described.get("name") or f"{public_id}.bin"),
                   str(described.get("media_type") or "application/octet-stream"), size,
                   chunks())


def forget_expired(runtime: Runtime, *, by: str) -> int:
    """Delete the files of jobs finished longer than :data:`KEPT` ago; how many went."""
    now = runtime.now()
    forgotten = 0
    with runtime.transaction() as session:
        for row in store.jobs_with_files_before(session, before=now - KEPT):
            store.forget_file(session, job_id=row.id)
            audit.record(session, at=now, actor=by, action="jobs.file_expired",
                         subject=f"job:{row.public_id}", details={"kept_days": KEPT.days})
            forgotten += 1
    return forgotten
