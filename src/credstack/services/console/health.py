"""The platform's health as its operator reads it: the job queue (waiting, running, retrying,
failed), the mail outbox (queued, failed, bounced), the audit log's end and its last
checkpoint, and the store's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credstack.adapters.db.repositories import jobs as job_store
from credstack.adapters.db.repositories import mail as mail_store
from credstack.adapters.db.repositories import platform_counters as store
from credstack.core.access import Actor
from credstack.services import audit
from credstack.services.console.operators import require_operator
from credstack.services.runtime import Runtime

__all__ = ["Health", "health"]


@dataclass(frozen=True, slots=True)
class Health:
    jobs: dict[str, int]
    mail: dict[str, int]
    audit_seq: int
    checkpoint_seq: int | None
    checkpoint_at: dt.datetime | None
    checkpoint_findings: int
    store_bytes: int | None


def health(runtime: Runtime, *, actor: Actor) -> Health:
    require_operator(actor, action="health.read")
    with runtime.transaction() as session:
        jobs = job_store.states(session)
        mail = mail_store.states(session)
        size = store.database_size(session)
        end = audit.head(session)
    read = audit.read_checkpoints(runtime)
    last = read.checkpoints[-1] if read is not None and read.checkpoints else None
    return Health(jobs, mail, end.seq if end is not None else 0,
                  last.seq if last else None, last.at if last else None,
                  len(read.findings) if read is not None else 0, size)
