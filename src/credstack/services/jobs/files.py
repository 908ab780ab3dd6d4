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

A job may also be given a file to read, too large for its JSON payload (an export of up to
512 MiB for the registrar's import), in the same parts:

* :func:`start_with_input` — start the job held, store the input part by part (each in a
  transaction of its own, so an upload spooled to disk is staged in flat memory, which
  makes the held job due again: however slowly the upload comes, the reaper does not send
  it before its last part), note its parts and bytes in the payload's ``input``, and only
  then send the job to the queue;
* :func:`input_parts` — the input part by part, for the handler (InputError when its parts
  are not all there: a starter that died while staging); :func:`read_input` — the input
  whole;
* :func:`forget_input` — the handler removes the input once it is done with it; what a job
  that fails for good leaves goes with the jobs' expiry (:func:`forget_expired`).

A job that reads an input makes no file of its own (they share the parts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.repositories import jobs as store
from credstack.core.access import Actor
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.jobs.models import JobView
from credstack.services.jobs.service import job, send, start
from credstack.services.runtime import Runtime

__all__ = ["KEPT", "PART_BYTES", "FileWriter", "JobFile", "forget_expired", "forget_input",
           "input_parts", "open_file", "read_input", "start_with_input"]

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


def start_with_input(runtime: Runtime, *, actor: Actor, kind: str, payload: dict[str, Any],
                     organisation: str | None, key: str, chunks: Iterable[bytes]) -> JobView:
    """Start a job of ``kind`` (as :func:`~credstack.services.jobs.service.start`) that
    reads ``chunks`` joined as its input; sent to the queue once the input is stored. The
    payload's ``input`` says how many parts and bytes the handler is to find."""
    started = start(runtime, actor=actor, kind=kind, payload=payload,
                    organisation=organisation, key=key, held=True)
    with runtime.transaction() as session:
        row = store.by_public_id(session, started.public_id)
        assert row is not None  # just stored
        job_id = row.id
        if row.state != "queued" or store.file_size(session, job_id=job_id)[0]:
            return started  # the same key again: that job has its input already
    parts = size = 0
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= PART_BYTES:
            _add_part(runtime, job_id, parts, bytes(buffer[:PART_BYTES]))
            del buffer[:PART_BYTES]
            parts, size = parts + 1, size + PART_BYTES
    if buffer or not parts:
        _add_part(runtime, job_id, parts, bytes(buffer))
        parts, size = parts + 1, size + len(buffer)
    with runtime.transaction() as session:
        stored = store.by_public_id(session, started.public_id)
        assert stored is not None
        store.set_payload(session, job_id=job_id,
                          payload={**stored.payload, "input": {"parts": parts, "bytes": size}})
    send(runtime, started.public_id)
    return started


def _add_part(runtime: Runtime, job_id: int, part: int, data: bytes) -> None:
    with runtime.transaction() as session:
        store.add_file_part(session, job_id=job_id, part=part, data=data)
        store.still_staging(session, job_id=job_id, now=runtime.now())


def input_parts(runtime: Runtime, *, job_id: str, payload: dict[str, Any]
                ) -> tuple[Callable[[], Iterator[bytes]], int]:
    """The input staged for the job ``job_id`` (its public id): what gives its parts, each
    read in a transaction of its own as it is wanted (from the first each time it is
    called), and its size in bytes; InputError when the payload names none or its parts
    are not all stored (nor when one has gone by the time it is read)."""
    described: Any = payload.get("input")
    expected = described.get("parts") if isinstance(described, dict) else None
    with runtime.transaction() as session:
        row = store.by_public_id(session, job_id)
        assert row is not None, job_id  # the job being run
        internal = row.id
        parts, size = store.file_size(session, job_id=internal)
    if not isinstance(expected, int) or parts != expected or size != described.get("bytes"):
        raise InputError(code="jobs.problem.input_incomplete",
                         problems=[Problem("input", code="jobs.problem.input_parts",
                                           params={"parts": parts,
                                                   "expected": expected or 0})])

    def read() -> Iterator[bytes]:
        for part in range(parts):
            with runtime.transaction() as session:
                piece = store.file_part(session, job_id=internal, part=part)
            if piece is None:
                raise InputError(code="jobs.problem.input_incomplete")
            yield piece

    return read, size


def read_input(runtime: Runtime, *, job_id: str, payload: dict[str, Any]) -> bytes:
    """The input staged for the job ``job_id`` (its public id) whole, as
    :func:`input_parts` reads it."""
    parts, _ = input_parts(runtime, job_id=job_id, payload=payload)
    return b"".join(parts())


def forget_input(runtime: Runtime, *, job_id: str) -> int:
    """Remove the input staged for the job ``job_id``; how many parts went."""
    with runtime.transaction() as session:
        row = store.by_public_id(session, job_id)
        return 0 if row is None else store.forget_file(session, job_id=row.id)
