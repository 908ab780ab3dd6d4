"""Refusals: a request that asked for what its caller may not do is recorded, then refused.

The decision itself is :func:`credstack.core.access.decide`'s; the web adapter's
:class:`~credstack.entrypoints.web.access.Access` asks it, and on a refusal calls
:func:`record_refusal` before raising, so the attempt stays in the audit log although the
request fails.

Past a budget per source (:class:`Refusals`: 30 a minute per address) refusals are counted,
not written one by one, and each window's count becomes one ``access.denied.counted`` entry
(see :mod:`credstack.core.access.refusals`): a flood of refused requests no longer grows the
append-only log without limit, and none goes unrecorded. :func:`flush_refusals` writes what
is still counted when the process stops.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Final

from sqlalchemy.orm import Session

from credstack.core.access.refusals import RefusalBudget, Summary
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["PER_SOURCE", "WINDOW", "Refusals", "flush_refusals", "record_refusal"]

#: Refusals of one address written one by one in each :data:`WINDOW`.
PER_SOURCE: Final = 30
WINDOW: Final = dt.timedelta(minutes=1)
#: Addresses tracked at once (beyond, counted together).
MAX_SOURCES: Final = 10_000


class Refusals:
    """One process's refusal budget (see the module), safe to share between threads."""

    def __init__(self, *, per_source: int = PER_SOURCE, window: dt.timedelta = WINDOW,
                 max_sources: int = MAX_SOURCES) -> None:
        self._budget = RefusalBudget(per_source=per_source, window=window,
                                     max_sources=max_sources)
        self._lock = threading.Lock()

    def admit(self, source: str, now: dt.datetime) -> tuple[bool, list[Summary]]:
        with self._lock:
            return self._budget.admit(source, now)

    def drain(self, now: dt.datetime) -> list[Summary]:
        with self._lock:
            return self._budget.drain(now)


def _write_counts(session: Session, at: dt.datetime, summaries: list[Summary]) -> None:
    for summary in summaries:
        audit.record(session, at=at, actor="anonymous",
                     action="access.denied.counted", subject="platform",
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


def flush_refusals(runtime: Runtime, refusals: Refusals) -> int:
    """Write every count still pending (the process is stopping); how many entries."""
    now = runtime.now()
    due = refusals.drain(now)
    if due:
        with runtime.transaction() as session:
            _write_counts(session, now, due)
    return len(due)
