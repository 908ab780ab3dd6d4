"""Running a job in a worker, retrying it, and taking jobs back from workers that died.

:func:`run` is what a worker does with a public id taken from the queue: it *claims* the job
(one conditional update: only a waiting, due job is claimed, so a duplicate message does
nothing), runs its handler for whoever started it with their roles as they are now, beats a
heartbeat while the handler works, and records the outcome:

* the result → ``succeeded``;
* a :class:`~credstack.errors.CredstackError` about what the job was asked to do (bad input,
  nothing found, not allowed) → ``failed`` at once, with its message;
* anything else (a database or network gone, a full disk, another run of the same batch) →
  ``retrying``,
  queued again after an exponential back-off (``RETRY_BASE`` × 2ⁿ⁻¹ seconds, at most
  ``RETRY_CAP``), and ``failed`` after ``MAX_ATTEMPTS`` attempts.

:func:`reap` (every minute, and when a worker starts) finds running jobs whose heartbeat is
older than ``CREDSTACK_JOBS_STALE`` — their worker was killed — and queues them again; the
handlers are idempotent (a cohort resumes where its last committed chunk ended), so nothing is
done twice. It also sends again the waiting jobs whose message was lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import platform
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import jobs as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import PLATFORM, Membership, Principal, Role
from credstack.core.access.actors import ActingAs
from credstack.core.said import Said
from credstack.errors import (
    AccessDeniedError,
    ConfigurationError,
    ConflictError,
    CredstackError,
    FetchError,
    NotFoundError,
    RateLimitedError,
    StaleStateError,
    StoreBusyError,
    StoreFullError,
    StoreUnavailableError,
)
from credstack.services import operations as metrics
from credstack.services import requests
from credstack.services.jobs import failures
from credstack.services.jobs.models import JobContext, JobLostError
from credstack.services.jobs.registry import handler_for
from credstack.services.jobs.service import send
from credstack.services.runtime import Runtime

__all__ = ["MAX_ATTEMPTS", "RETRY_BASE", "RETRY_CAP", "reap", "run"]

log = logging.getLogger("credstack.jobs")

#: Attempts before a job that keeps failing (or keeps losing its worker) fails for good.
MAX_ATTEMPTS = 6
#: Seconds before the first retry; each further retry waits twice as long.
RETRY_BASE = 10.0
#: The longest wait between two attempts.
RETRY_CAP = 30 * 60.0
#: The least time between two progress writes (a heartbeat comes with each).
PROGRESS_EVERY = 0.25


def run(runtime: Runtime, public_id: str, *, retry_base: float = RETRY_BASE,
        retry_cap: float = RETRY_CAP, max_attempts: int = MAX_ATTEMPTS) -> str | None:
    """Run the job ``public_id`` if it is waiting and due; the state it ended in (None when
    it was not this run's to take, or the run lost it)."""
    claim = uuid.uuid4().hex
    with runtime.transaction() as session:
        if not store.claim(session, public_id=public_id, claim=claim, worker=_worker_name(),
                           now=runtime.now()):
            return None
        row = store.by_public_id(session, public_id)
        assert row is not None
        kind, request_id = row.kind, row.request_id
        claimed = _Claimed(public_id, claim, kind, dict(row.payload), row.organisation,
                           row.attempts)
        try:
            actor: ActingAs | CredstackError = _acting(session, row)
        except CredstackError as exc:
            actor = exc
    # What the job writes (audit entries, log lines) names the request that started it.
    with requests.bound(request_id):
        state = _run_claimed(runtime, claimed, actor, retry_base=retry_base,
                             retry_cap=retry_cap, max_attempts=max_attempts)
    if state is not None:
        metrics.count_job(kind, state)
    return state


@dataclass(frozen=True, slots=True)
class _Claimed:
    """A job this run has claimed, as the claim's transaction read it."""

    public_id: str
    claim: str
    kind: str
    payload: dict[str, Any]
    organisation: str | None
    attempt: int


def _run_claimed(runtime: Runtime, claimed: _Claimed, actor: ActingAs | CredstackError, *,
                 retry_base: float, retry_cap: float, max_attempts: int) -> str | None:
    public_id, claim, attempt = claimed.public_id, claimed.claim, claimed.attempt
    beat = _Heartbeat(runtime, public_id, claim)
    try:
        if isinstance(actor, CredstackError):
            raise actor
        context = JobContext(job_id=public_id, payload=claimed.payload, actor=actor,
                             organisation=claimed.organisation, attempt=attempt,
                             report=beat.progress)
        result = handler_for(claimed.kind).run(runtime, context)
    except JobLostError:
        log.warning("job %s was taken over by another run; this one stops", public_id)
        return None
    except Exception as exc:
        beat.stop()
        if beat.lost.is_set():
            return None
        return _failed(runtime, public_id, claim, exc, attempt=attempt,
                       delay=min(retry_cap, retry_base * 2 ** (attempt - 1)),
                       max_attempts=max_attempts)
    finally:
        beat.stop()
    with runtime.transaction() as session:
        if not store.finish(session, public_id=public_id, claim=claim, state="succeeded",
                            now=runtime.now(), result=result):
            return None
    return "succeeded"


def reap(runtime: Runtime, *, max_attempts: int = MAX_ATTEMPTS) -> list[str]:
    """Queue again the running jobs whose worker stopped beating, and send again the waiting
    jobs whose message was lost; the public ids sent."""
    now = runtime.now()
    before = now - dt.timedelta(seconds=runtime.settings.jobs_stale)
    sent: list[str] = []
    with runtime.transaction() as session:
        dead = [(row.public_id, row.attempts) for row in store.stale(session, before=before)]
        waiting = [row.public_id for row in store.overdue(session, before=before)]
    for public_id, attempts in dead:
        final = attempts >= max_attempts
        error = {"said": Said("jobs.problem.worker_lost_final", times=attempts).to_dict()} \
            if final else {"said": Said("jobs.problem.worker_lost").to_dict()}
        with runtime.transaction() as session:
            released = store.release(session, public_id=public_id, before=before, now=now,
                                     state="failed" if final else "queued", error=error)
        if released:
            log.warning("job %s lost its worker; %s", public_id,
                        "given up" if final else "queued again")
            if not final and send(runtime, public_id):
                sent.append(public_id)
    for public_id in waiting:
        with runtime.transaction() as session:
            nudged = store.nudge(session, public_id=public_id, before=before, now=now)
        if nudged and send(runtime, public_id):
            sent.append(public_id)
    return sent


def _failed(runtime: Runtime, public_id: str, claim: str, exc: Exception, *, attempt: int,
            delay: float, max_attempts: int) -> str | None:
    now = runtime.now()
    error = failures.described(exc)
    transient = _transient(exc)
    if transient and attempt < max_attempts:
        log.warning("job %s failed (attempt %d), retried in %.0f s: %s", public_id, attempt,
                    delay, _logged(exc), exc_info=not isinstance(exc, CredstackError))
        error = failures.then(error, Said("jobs.problem.retrying", seconds=round(delay),
                                          attempt=attempt + 1, attempts=max_attempts))
        with runtime.transaction() as session:
            ok = store.finish(session, public_id=public_id, claim=claim, state="retrying",
                              now=now, error=error,
                              run_after=now + dt.timedelta(seconds=delay))
        if ok:
            send(runtime, public_id, delay=delay)
        return "retrying" if ok else None
    if transient:
        error = failures.then(error, Said("jobs.problem.given_up", times=attempt))
    log.warning("job %s failed: %s", public_id, _logged(exc),
                exc_info=not isinstance(exc, CredstackError))
    with runtime.transaction() as session:
        ok = store.finish(session, public_id=public_id, claim=claim, state="failed", now=now,
                          error=error)
    return "failed" if ok else None


def _transient(exc: Exception) -> bool:
    """Whether trying again later may help: not for an error about what was asked."""
    if not isinstance(exc, CredstackError):
        return True
    if isinstance(exc, FetchError | RateLimitedError | StaleStateError | ConfigurationError
                  | StoreBusyError | StoreUnavailableError | StoreFullError):
        return True
    # Plain ConflictError: another run of the same batch is storing credentials right now.
    return type(exc) is ConflictError


def _logged(exc: Exception) -> str:
    """``exc`` as the log reads it (codes and parameters, not words)."""
    return str(exc) if isinstance(exc, CredstackError) else type(exc).__name__


def _acting(session: Session, row: store.StoredJob) -> ActingAs:
    """Whoever started the job, with their roles as the store has them now."""
    snapshot = row.principal
    scopes = snapshot.get("scopes")
    memberships = frozenset(Membership(organisation, Role(role))
                            for organisation, role in snapshot.get("memberships", []))
    email = snapshot.get("email")
    user_id = row.started_by_user_id
    if user_id is not None:
        # Read from the store rather than through the accounts service, which starts jobs
        # (its e-mail deliveries) and so stands above this package.
        user = account_store.user_row(session, user_id)
        if user is None:
            raise NotFoundError(code="jobs.problem.starter_gone")
        if user.disabled:
            raise AccessDeniedError(code="jobs.problem.starter_disabled")
        memberships = frozenset(Membership(slug or PLATFORM, Role(role))
                                for slug, role in account_store.memberships(session, user.id))
        email = user.email
    elif snapshot.get("user_id") is not None:
        raise AccessDeniedError(code="jobs.problem.starter_gone")
    return ActingAs(Principal(subject=row.started_by, user_id=user_id, email=email,
                              memberships=memberships,
                              scopes=frozenset(scopes) if scopes is not None else None))


def _worker_name() -> str:
    return f"{platform.node()}:{os.getpid()}:{threading.current_thread().name}"[:200]


class _Heartbeat:
    """The run's heartbeat: a thread that beats every quarter of ``CREDSTACK_JOBS_STALE``
    while the handler works (so a long step without progress does not look like a dead
    worker), and the progress the handler reports."""

    def __init__(self, runtime: Runtime, public_id: str, claim: str) -> None:
        self.runtime = runtime
        self.public_id = public_id
        self.claim = claim
        self.lost = threading.Event()
        self._stopped = threading.Event()
        self._last = 0.0
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-{public_id[:8]}",
                                        daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        interval = max(0.2, self.runtime.settings.jobs_stale / 4)
        while not self._stopped.wait(interval):
            try:
                self._write(None, None)
            except JobLostError:
                return
            except Exception:
                log.warning("job %s: heartbeat not written", self.public_id, exc_info=True)

    def progress(self, done: int, total: int | None) -> None:
        if self.lost.is_set():
            raise JobLostError(self.public_id)
        moment = time.monotonic()
        if moment - self._last < PROGRESS_EVERY and total is not None and done < total:
            return
        self._write(done, total)

    def _write(self, done: int | None, total: int | None) -> None:
        with self.runtime.transaction() as session:
            ok = store.beat(session, public_id=self.public_id, claim=self.claim,
                            now=self.runtime.now(), done=done, total=total)
        self._last = time.monotonic()
        if not ok:
            self.lost.set()
            raise JobLostError(self.public_id)

    def stop(self) -> None:
        self._stopped.set()
