"""Refusals: a request that asked for what its caller may not do is recorded, then refused.

The decision itself is :func:`credstack.core.access.decide`'s; the web adapter's
:class:`~credstack.entrypoints.web.access.Access` asks it, and on a refusal calls
:func:`record_refusal` before raising, so the attempt stays in the audit log although the
request fails.

Past a budget per source (:class:`Refusals`: 30 a minute per address and kind, the setting
``CREDSTACK_AUDIT_REFUSALS_PER_MINUTE``) refusals are counted, not written one by one, and
each window's count becomes one ``<action>.counted`` entry (``access.denied.counted``,
``token.refused.counted``…; see :mod:`credstack.core.access.refusals`): a flood of refused
requests no longer grows the append-only log without limit, and none goes unrecorded.

Every service that audits a refusal anyone can provoke (a failed sign-in, a refused token,
registration, pushed request, credential request or presentation response, a wrong access
code, a replayed code) writes it through :func:`audit_refused` (in its own transaction) or
:func:`audit_refused_separately` (in a transaction of its own), under the runtime's one
budget (:func:`budget`). :func:`flush_refusals` writes what is still counted when the process
stops.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from typing import Any, Final

from credstack.adapters.db.transactions import Session
from credstack.core.access.refusals import RefusalBudget, Summary
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = [
    "PER_SOURCE",
    "WINDOW",
    "Refusals",
    "audit_refused",
    "audit_refused_separately",
    "budget",
    "flush_pending",
    "flush_refusals",
    "record_refusal",
]

#: Refusals of one address written one by one in each :data:`WINDOW`.
PER_SOURCE: Final = 30
WINDOW: Final = dt.timedelta(minutes=1)
#: Addresses tracked at once (beyond, counted together).
MAX_SOURCES: Final = 10_000
#: Where the runtime keeps its budget (``runtime.caches``).
_BUDGET: Final = "access.refusals"


class Refusals:
    """One process's refusal budget (see the module), safe to share between threads."""

    def __init__(self, *, per_source: int = PER_SOURCE, window: dt.timedelta = WINDOW,
                 max_sources: int = MAX_SOURCES) -> None:
        self._budget = RefusalBudget(per_source=per_source, window=window,
                                     max_sources=max_sources)
        self._lock = threading.Lock()

    def admit(self, source: str, now: dt.datetime, *, kind: str = "access.denied"
              ) -> tuple[bool, list[Summary]]:
        with self._lock:
            return self._budget.admit(source, now, kind=kind)

    def drain(self, now: dt.datetime) -> list[Summary]:
        with self._lock:
            return self._budget.drain(now)


def budget(runtime: Runtime) -> Refusals:
    """The runtime's refusal budget, made on first use: one per runtime (so per process),
    shared by every service that audits refusals."""
    found: Refusals | None = runtime.caches.get(_BUDGET)
    if found is None:
        found = runtime.caches.setdefault(
            _BUDGET, Refusals(per_source=runtime.settings.audit_refusals_per_minute))
    return found


def _write_counts(session: Session, at: dt.datetime, summaries: list[Summary]) -> None:
    for summary in summaries:
        audit.record(session, at=at, actor="anonymous",
                     action=f"{summary.kind}.counted", subject="platform",
                     details={"ip": summary.source, "refused": summary.counted,
                              "from": summary.start.isoformat(),
                              "to": summary.end.isoformat()})


def record_refusal(runtime: Runtime, *, actor: str, action: str, organisation: str | None,
                   reason: str, method: str, path: str, ip: str,
                   refusals: Refusals | None = None) -> int | None:
    """An ``access.denied`` entry for a refused request, committed at once in a transaction
    of its own (the request's own work is rolled back); its seq. With ``refusals``, past the
    address's budget the refusal is counted instead (None), and counts of windows over are
    written first."""
    now = runtime.now()
    written, due = refusals.admit(ip, now) if refusals is not None else (True, [])
    if not written and not due:
        return None
    with runtime.transaction() as session:
        _write_counts(session, now, due)
        if not written:
            return None
        return audit.record(session, at=now, actor=actor, action="access.denied",
                            subject=f"organisation:{organisation}" if organisation
                            else "platform",
                            details={"method": method, "path": path, "action": action,
                                     "organisation": organisation, "reason": reason, "ip": ip})


def audit_refused(runtime: Runtime, session: Session, *, at: dt.datetime, actor: str,
                   action: str, subject: str, details: Mapping[str, Any], ip: str | None
                   ) -> int | None:
    """Audit a refusal ``action`` from ``ip`` inside the caller's transaction (which the
    caller commits), as :func:`credstack.services.audit.service.record` would — unless the
    address is past its budget for ``action`` this minute: then it is counted (None), and
    the counts of windows over are written first."""
    written, due = budget(runtime).admit(ip or "unknown", at, kind=action)
    _write_counts(session, at, due)
    if not written:
        return None
    return audit.record(session, at=at, actor=actor, action=action, subject=subject,
                        details=details)


def audit_refused_separately(runtime: Runtime, *, at: dt.datetime, actor: str, action: str,
                              subject: str, details: Mapping[str, Any], ip: str | None
                              ) -> int | None:
    """:func:`audit_refused` in a transaction of its own, committed before returning (the
    refused request's own transaction rolls back); none is opened for a refusal counted."""
    written, due = budget(runtime).admit(ip or "unknown", at, kind=action)
    if not written and not due:
        return None
    with runtime.transaction() as session:
        _write_counts(session, at, due)
        if not written:
            return None
        return audit.record(session, at=at, actor=actor, action=action, subject=subject,
                            details=details)


def flush_refusals(runtime: Runtime, refusals: Refusals) -> int:
    """Write every count still pending (the process is stopping); how many entries."""
    now = runtime.now()
    due = refusals.drain(now)
    if due:
        with runtime.transaction() as session:
            _write_counts(session, now, due)
    return len(due)


def flush_pending(runtime: Runtime) -> int:
    """:func:`flush_refusals` of the runtime's budget, if it ever made one (a runtime that
    refused nothing has none); how many entries."""
    found: Refusals | None = runtime.caches.get(_BUDGET)
    return flush_refusals(runtime, found) if found is not None else 0
