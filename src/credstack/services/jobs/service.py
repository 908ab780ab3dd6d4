"""Starting background jobs and reading them back.

:func:`start` authorises the caller with the kind's action (:mod:`credstack.services.jobs.
registry`), stores the job (``jobs.started`` in the audit log) and, once that transaction has
committed, puts its public id on the queue; a job started again with the same key is the one
job. :func:`job` and :func:`jobs` show a job to whoever started it (a person through any of
their API clients too), to the administrators of its organisation and to registry admins.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from credstack.adapters.db.repositories import jobs as store
from credstack.adapters.db.times import utc
from credstack.core.access import Action, Actor, Principal, Role
from credstack.errors import (
    AccessDeniedError,
    ConfigurationError,
    ConflictError,
    InputError,
    NotFoundError,
    Problem,
)
from credstack.services import audit, requests
from credstack.services import operations as metrics
from credstack.services.jobs.failures import Failure
from credstack.services.jobs.models import JobView
from credstack.services.jobs.registry import Handler, handler_for
from credstack.services.runtime import Runtime

__all__ = ["job", "jobs", "may_see", "send", "start", "view"]

log = logging.getLogger("credstack.jobs")

#: The longest idempotency key.
MAX_KEY = 200
#: The largest payload, as JSON (a cohort CSV of 100,000 learners fits).
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024


def start(runtime: Runtime, *, actor: Actor, kind: str, payload: dict[str, Any],
          organisation: str | None, key: str, held: bool = False) -> JobView:
    """Start a job of ``kind`` for ``organisation`` (queued; a worker runs it), or the job
    already started with ``key``. ``held``: stored but not yet sent to the queue (its
    input is staged first, :func:`credstack.services.jobs.files.start_with_input`, which
    sends it; the reaper sends a held job nobody sent)."""
    handler = handler_for(kind)
    principal = _authorise(actor, handler, organisation)
    key = _key(key)
    payload = _payload(payload)
    if handler.check is not None:
        handler.check(runtime, payload, organisation)
    now = runtime.now()
    try:
        with runtime.transaction() as session:
            existing = store.by_key(session, kind=kind, key=key)
            if existing is not None:
                return _existing(actor, principal, existing)
            row = store.add(session, public_id=uuid.uuid4().hex, kind=kind,
                            organisation=organisation, started_by=principal.subject,
                            started_by_user_id=principal.user_id,
                            principal=_snapshot(principal), key=key, payload=payload,
                            now=now, request_id=requests.current())
            audit.record(session, at=now, actor=principal.subject, action="jobs.started",
                         subject=f"job:{row.public_id}",
                         details={"kind": kind, "organisation": organisation, "key": key})
            started = view(row)
    except ConflictError:
        # Started at the same moment by another request with the same key: that one won.
        with runtime.transaction() as session:
            existing = store.by_key(session, kind=kind, key=key)
            if existing is None:
                raise
            return _existing(actor, principal, existing)
    # Counted once stored: a queue that cannot be reached now gets it from the reaper.
    metrics.count_job(kind, "enqueued")
    if not held:
        send(runtime, started.public_id)
    return started


def job(runtime: Runtime, *, actor: Actor, public_id: str) -> JobView:
    """The job ``public_id``, when the caller may see it."""
    principal = actor.user()
    with runtime.transaction() as session:
        row = store.by_public_id(session, public_id)
        if row is None:
            raise NotFoundError(code="jobs.problem.no_job", params={"id": public_id},
                                problems=[Problem("id", public_id)])
        if not may_see(actor, principal, row):
            actor.refuse(AccessDeniedError(code="jobs.problem.not_yours",
                                           problems=[Problem("id", public_id)]),
                action="jobs.read", organisation=row.organisation)
        return view(row)


def jobs(runtime: Runtime, *, actor: Actor, organisation: str | None = None,
         limit: int = 100) -> list[JobView]:
    """The newest jobs the caller may see: the ones they started and, for administrators,
    their organisations' (only ``organisation``'s, when given)."""
    principal = actor.user()
    everything = actor.allows(Action.ACCOUNTS_MANAGE, None)
    administered = {slug for slug in principal.organisations(Role.PROVIDER_ADMIN)
                    if actor.allows(Action.ACCOUNTS_MANAGE, slug)}
    with runtime.transaction() as session:
        rows = store.listed(session, subject=principal.subject, user_id=principal.user_id,
                            organisations=administered, everything=everything,
                            limit=limit if organisation is None else limit * 10)
        found = [view(row) for row in rows]
    if organisation is not None:
        found = [item for item in found if item.organisation == organisation][:limit]
    return found


def may_see(actor: Actor, principal: Principal, row: store.StoredJob) -> bool:
    """Whether ``principal`` may see the job: they started it (through any of their
    clients), or they administer its organisation or the platform."""
    if row.started_by == principal.subject:
        return True
    if principal.user_id is not None and row.started_by_user_id == principal.user_id:
        return True
    return actor.allows(Action.ACCOUNTS_MANAGE, row.organisation)


def send(runtime: Runtime, public_id: str, *, delay: float | None = None) -> bool:
    """Put the job on the queue; False (logged) when the queue cannot be reached — the job
    stays waiting in the store, and the reaper sends it again."""
    if runtime.jobs is None:
        raise ConfigurationError(code="jobs.problem.no_queue")
    try:
        runtime.jobs.enqueue(public_id, delay=delay)
    except Exception:
        log.warning("could not queue job %s; the reaper will send it again", public_id,
                    exc_info=True)
        return False
    return True


def view(row: store.StoredJob) -> JobView:
    """The view of a stored job (for the other jobs services)."""
    return JobView(
        public_id=row.public_id, kind=row.kind, state=row.state, done=row.done,
        total=row.total,
        result=dict(row.result) if row.result is not None else None,
        created_at=utc(row.created_at), updated_at=utc(row.updated_at),
        attempts=row.attempts, organisation=row.organisation, started_by=row.started_by,
        failure=Failure.read(row.error) if row.error else None,
        finished_at=utc(row.finished_at) if row.finished_at else None,
        run_after=utc(row.run_after) if row.run_after else None)


def _authorise(actor: Actor, handler: Handler, organisation: str | None) -> Principal:
    if handler.action is not None:
        return actor.require(handler.action, organisation)
    principal = actor.user()
    if not principal.has_role(Role.REGISTRY_ADMIN):
        actor.refuse(AccessDeniedError(code="jobs.problem.operators_only",
                                       params={"kind": handler.kind},
                                       problems=[Problem("kind", handler.kind)]),
            action=f"jobs.{handler.kind}", organisation=organisation)
    return principal


def _existing(actor: Actor, principal: Principal, row: store.StoredJob) -> JobView:
    if not may_see(actor, principal, row):
        raise ConflictError(code="jobs.problem.key_taken",
                            problems=[Problem("key", row.idempotency_key)])
    return view(row)


def _key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise InputError(code="jobs.problem.key", params={"most": MAX_KEY},
                         problems=[Problem("key", code="jobs.problem.key_hint",
                                           params={"most": MAX_KEY})])
    return key


def _payload(payload: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise InputError(code="jobs.problem.payload_object",
                         problems=[Problem("payload", code="jobs.problem.not_object")])
    try:
        text = json.dumps(payload, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InputError(code="jobs.problem.payload_json",
                         problems=[Problem("payload", str(exc))]) from None
    if len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise InputError(code="jobs.problem.payload_size",
                         problems=[Problem("payload", code="jobs.problem.at_most_bytes",
                                           params={"most": f"{MAX_PAYLOAD_BYTES:,}"})])
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _snapshot(principal: Principal) -> dict[str, Any]:
    """Who started the job, as the worker will act for them (roles are read again from the
    store when the job runs; a token's scopes are kept as they were)."""
    return {"user_id": principal.user_id, "email": principal.email,
            "memberships": sorted([m.organisation, m.role.value]
                                  for m in principal.memberships),
            "scopes": sorted(principal.scopes) if principal.scopes is not None else None}
