"""Deleting rows whose time is over, in bounded batches, audited once per run.

The purges (:mod:`credstack.services.oid4vci.purge`, :mod:`credstack.services.oauth.purge`)
each name their tables' expired rows — an id column and a condition per kind — and
:func:`delete_expired` deletes up to ``batch`` rows of each kind per transaction, so that no
run holds long locks, until none is left. A run that removed anything writes one audit entry
with the counts, in its last transaction; a run that found nothing leaves no entry. Two
workers running one purge at once delete disjoint or already-gone rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from credstack.adapters.db import bulk
from credstack.core.access import Action, Actor
from credstack.errors import InputError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["BATCH", "MAX_BATCH", "Expired", "delete_expired"]

#: Rows deleted per kind and transaction, by default.
BATCH: Final = 1000
MAX_BATCH: Final = 100_000
#: Each kind's rows that may go: its id column and the condition, given the run's time.
Expired = Callable[[Any], Mapping[str, tuple[Any, Any]]]


def delete_expired(runtime: Runtime, *, actor: Actor, expired: Expired, action: str,
                   subject: str, batch: int = BATCH) -> dict[str, int]:
    """Delete the rows ``expired`` names at the runtime's now (see the module): how many of
    each kind went. Only the platform may (``accounts.manage``); audited once as
    ``action`` on ``subject``, with the counts and the batch."""
    principal = actor.require(Action.ACCOUNTS_MANAGE, None)
    if not 1 <= batch <= MAX_BATCH:
        raise InputError(f"A batch is 1 to {MAX_BATCH} rows.",
                         problems=[Problem("batch", str(batch))])
    now = runtime.now()
    kinds = expired(now)
    counts: dict[str, int] = {name: 0 for name in kinds}
    pending = set(counts)
    while pending:
        with runtime.transaction() as session:
            for name in sorted(pending):
                column, condition = kinds[name]
                removed, more = bulk.delete_batch(session, column, condition, batch)
                counts[name] += removed
                if not more:
                    pending.discard(name)
            if not pending and any(counts.values()):
                audit.record(session, at=now, actor=principal.subject, action=action,
                             subject=subject, details={**counts, "batch": batch})
    return counts
