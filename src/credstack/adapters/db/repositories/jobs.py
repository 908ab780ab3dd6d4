"""Background jobs in the store: adding them, claiming them for a run, beating, finishing,
and finding the ones whose worker died; the files they make (``job_files``, in parts).

Every change of state is one conditional ``UPDATE``: a run claims a job only while it is
queued or retrying and due, writes its progress and outcome only while its claim stands, and
the reaper takes back only a job that is still running with a stale heartbeat — so two
workers, or a worker and the reaper, never both win (on SQLite and on PostgreSQL alike).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import JobFileRow, JobRow
from credstack.errors import ConflictError

__all__ = ["StoredJob", "add", "add_file_part", "beat", "by_key", "by_public_id", "claim",
           "file_part", "file_size", "finish", "forget_file", "jobs_with_files_before",
           "latest_unfinished", "listed", "nudge", "overdue", "release", "set_payload", "stale",
           "states", "still_staging"]

#: The states a job can be claimed from.
WAITING = ("queued", "retrying")


@dataclass(frozen=True, slots=True)
class StoredJob:
    """A job as the store keeps it (the columns of ``jobs`` a service reads; times as
    stored, :func:`~credstack.adapters.db.times.utc` makes them aware)."""

    id: int
    public_id: str
    kind: str
    organisation: str | None
    started_by: str
    started_by_user_id: int | None
    principal: dict[str, Any]
    idempotency_key: str
    payload: dict[str, Any]
    state: str
    done: int
    total: int | None
    attempts: int
    error: dict[str, Any] | None
    result: dict[str, Any] | None
    run_after: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None
    request_id: str | None


def _stored(row: JobRow) -> StoredJob:
    return StoredJob(
        id=row.id, public_id=row.public_id, kind=row.kind, organisation=row.organisation,
        started_by=row.started_by, started_by_user_id=row.started_by_user_id,
        principal=row.principal, idempotency_key=row.idempotency_key, payload=row.payload,
        state=row.state, done=row.done, total=row.total, attempts=row.attempts,
        error=row.error, result=row.result, run_after=row.run_after,
        created_at=row.created_at, updated_at=row.updated_at, finished_at=row.finished_at,
        request_id=row.request_id)


def _found(row: JobRow | None) -> StoredJob | None:
    return None if row is None else _stored(row)


def add(session: Session, *, public_id: str, kind: str, organisation: str | None,
        started_by: str, started_by_user_id: int | None, principal: dict[str, Any],
        key: str, payload: dict[str, Any], now: dt.datetime,
        request_id: str | None = None) -> StoredJob:
    """A new queued job (flushed); :class:`~credstack.errors.ConflictError` when a job of
    ``kind`` with the key ``key`` was stored meanwhile (the unique index refused this one; the
    transaction is then abandoned)."""
    row = JobRow(public_id=public_id, kind=kind, organisation=organisation,
                 started_by=started_by, started_by_user_id=started_by_user_id,
                 principal=principal, idempotency_key=key, payload=payload, state="queued",
                 done=0, total=None, attempts=0, run_after=now, created_at=now,
                 updated_at=now, request_id=request_id)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(f"A {kind} job with the key {key!r} was started at the same "
                            "time.") from None
    return _stored(row)


def by_public_id(session: Session, public_id: str) -> StoredJob | None:
    return _found(session.scalar(select(JobRow).where(JobRow.public_id == public_id)))


def by_key(session: Session, *, kind: str, key: str) -> StoredJob | None:
    return _found(session.scalar(select(JobRow).where(JobRow.kind == kind,
                                                      JobRow.idempotency_key == key)))


def latest_unfinished(session: Session, *, kind: str, key_prefix: str, since: dt.datetime
                      ) -> tuple[str, dict[str, Any] | None] | None:
    """(state, error) of the newest job of ``kind`` whose key begins with ``key_prefix``
    (which ends with ":"), made since ``since`` and not succeeded; None for none. A range on
    the jobs' unique (kind, key) index, not a LIKE (case-insensitive on SQLite, which no
    index serves): ";" follows ":"."""
    found = session.execute(select(JobRow.state, JobRow.error).where(
        JobRow.kind == kind, JobRow.idempotency_key >= key_prefix,
        JobRow.idempotency_key < key_prefix[:-1] + ";", JobRow.created_at >= since,
        JobRow.state != "succeeded").order_by(JobRow.id.desc()).limit(1)).first()
    return None if found is None else (found[0], found[1])


def listed(session: Session, *, subject: str, user_id: int | None,
           organisations: Collection[str] | None, everything: bool = False,
           limit: int = 100) -> list[StoredJob]:
    """The newest jobs started by ``subject`` (or by ``user_id``, through any of their API
    clients), or working for one of ``organisations``; every job when ``everything``."""
    query = select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id.desc()).limit(limit)
    if not everything:
        mine = [JobRow.started_by == subject]
        if user_id is not None:
            mine.append(JobRow.started_by_user_id == user_id)
        if organisations:
            mine.append(JobRow.organisation.in_(sorted(organisations)))
        query = query.where(or_(*mine))
    return [_stored(row) for row in session.scalars(query)]


def claim(session: Session, *, public_id: str, claim: str, worker: str, now: dt.datetime,
          slack: dt.timedelta = dt.timedelta(seconds=1)) -> bool:
    """Take a waiting job that is due (``run_after`` within ``slack`` of now) for a run
    named ``claim``: running, one attempt more, heartbeat now. False when it is not waiting
    (another run has it, it finished) or not yet due."""
    done = session.execute(
        update(JobRow)
        .where(JobRow.public_id == public_id, JobRow.state.in_(WAITING),
               or_(JobRow.run_after.is_(None), JobRow.run_after <= now + slack))
        .values(state="running", claim=claim, worker=worker, heartbeat_at=now,
                attempts=JobRow.attempts + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    return bool(getattr(done, "rowcount", 0))


def beat(session: Session, *, public_id: str, claim: str, now: dt.datetime,
         done: int | None = None, total: int | None = None) -> bool:
    """The run's heartbeat, with its progress when given; False when the run lost its claim
    (the reaper gave the job to another run)."""
    values: dict[str, Any] = {"heartbeat_at": now, "updated_at": now}
    if done is not None:
        values["done"] = max(0, done)
    if total is not None:
        values["total"] = max(0, total)
    changed = session.execute(
        update(JobRow).where(JobRow.public_id == public_id, JobRow.claim == claim,
                             JobRow.state == "running")
        .values(**values).execution_options(synchronize_session=False))
    return bool(getattr(changed, "rowcount", 0))


def finish(session: Session, *, public_id: str, claim: str, state: str, now: dt.datetime,
           result: dict[str, Any] | None = None, error: dict[str, Any] | None = None,
           run_after: dt.datetime | None = None) -> bool:
    """End the run ``claim``: ``succeeded`` (with its result), ``failed`` or ``retrying``
    (with the error; ``run_after`` when it is due again). False when the claim was lost."""
    values: dict[str, Any] = {"state": state, "claim": None, "updated_at": now,
                              "error": error, "run_after": run_after}
    if state == "succeeded":
        values.update(result=result, finished_at=now)
    elif state == "failed":
        values["finished_at"] = now
    changed = session.execute(
        update(JobRow).where(JobRow.public_id == public_id, JobRow.claim == claim,
                             JobRow.state == "running")
        .values(**values).execution_options(synchronize_session=False))
    finished = bool(getattr(changed, "rowcount", 0))
    if state == "succeeded" and finished:
        # A finished job shows all of its work done.
        session.execute(update(JobRow).where(JobRow.public_id == public_id,
                                             JobRow.total.is_not(None))
                        .values(done=JobRow.total).execution_options(synchronize_session=False))
    return finished


def stale(session: Session, *, before: dt.datetime, limit: int = 100) -> list[StoredJob]:
    """Running jobs whose last heartbeat is older than ``before``: their worker died."""
    return [_stored(row) for row in session.scalars(
        select(JobRow).where(JobRow.state == "running",
                             or_(JobRow.heartbeat_at.is_(None), JobRow.heartbeat_at < before))
        .order_by(JobRow.id).limit(limit))]


def release(session: Session, *, public_id: str, before: dt.datetime, now: dt.datetime,
            state: str, error: dict[str, Any]) -> bool:
    """Take a job back from a dead run (still running, heartbeat older than ``before``):
    ``queued`` again (due now) or ``failed``. False when it beat or ended meanwhile."""
    values: dict[str, Any] = {"state": state, "claim": None, "updated_at": now,
                              "error": error, "run_after": now if state == "queued" else None}
    if state == "failed":
        values["finished_at"] = now
    changed = session.execute(
        update(JobRow).where(JobRow.public_id == public_id, JobRow.state == "running",
                             or_(JobRow.heartbeat_at.is_(None), JobRow.heartbeat_at < before))
        .values(**values).execution_options(synchronize_session=False))
    return bool(getattr(changed, "rowcount", 0))


def overdue(session: Session, *, before: dt.datetime, limit: int = 100) -> list[StoredJob]:
    """Waiting jobs that were due before ``before`` and are still waiting: their message was
    lost (the queue was down when they were started or retried)."""
    return [_stored(row) for row in session.scalars(
        select(JobRow).where(JobRow.state.in_(WAITING), JobRow.run_after < before)
        .order_by(JobRow.id).limit(limit))]


def nudge(session: Session, *, public_id: str, before: dt.datetime, now: dt.datetime) -> bool:
    """Mark an overdue job as sent again now (so it is nudged once per period at most)."""
    changed = session.execute(
        update(JobRow).where(JobRow.public_id == public_id, JobRow.state.in_(WAITING),
                             JobRow.run_after < before)
        .values(run_after=now).execution_options(synchronize_session=False))
    return bool(getattr(changed, "rowcount", 0))


# --- the files jobs make -------------------------------------------------------------------


def add_file_part(session: Session, *, job_id: int, part: int, data: bytes) -> None:
    """Part ``part`` (from 0) of the file job ``job_id`` makes."""
    session.add(JobFileRow(job_id=job_id, part=part, data=data))


def still_staging(session: Session, *, job_id: int, now: dt.datetime) -> None:
    """Job ``job_id``, held while its input is staged, is due from ``now``: the reaper sends
    again a waiting job only once it was due a whole stale period ago (:func:`overdue`), so
    a slow upload is not sent to a worker before its last part."""
    session.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state.in_(WAITING))
                    .values(run_after=now, updated_at=now)
                    .execution_options(synchronize_session=False))


def set_payload(session: Session, *, job_id: int, payload: dict[str, Any]) -> None:
    """Replace job ``job_id``'s payload (its input's size, once staged)."""
    session.execute(update(JobRow).where(JobRow.id == job_id).values(payload=payload))


def file_part(session: Session, *, job_id: int, part: int) -> bytes | None:
    """Part ``part`` of job ``job_id``'s file; None past its end."""
    data: bytes | None = session.scalar(select(JobFileRow.data).where(
        JobFileRow.job_id == job_id, JobFileRow.part == part))
    return data


def file_size(session: Session, *, job_id: int) -> tuple[int, int]:
    """How many parts job ``job_id``'s file has, and how many bytes."""
    row = session.execute(select(func.count(), func.coalesce(func.sum(func.length(
        JobFileRow.data)), 0)).where(JobFileRow.job_id == job_id)).one()
    return int(row[0]), int(row[1])


def forget_file(session: Session, *, job_id: int) -> int:
    """Delete job ``job_id``'s file; how many parts went."""
    result = session.execute(delete(JobFileRow).where(JobFileRow.job_id == job_id))
    return int(getattr(result, "rowcount", 0) or 0)


def jobs_with_files_before(session: Session, *, before: dt.datetime, limit: int = 100
                           ) -> list[StoredJob]:
    """Finished jobs, finished before ``before``, that still hold a file."""
    holding = select(JobFileRow.job_id).distinct().scalar_subquery()
    return [_stored(row) for row in session.scalars(select(JobRow).where(
        JobRow.id.in_(holding), JobRow.finished_at < before).limit(limit))]


def states(session: Session) -> dict[str, int]:
    """How many jobs are in each state."""
    return {state: int(count) for state, count in session.execute(
        select(JobRow.state, func.count()).group_by(JobRow.state))}
