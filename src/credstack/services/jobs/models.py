"""What the jobs services hand out: a job as its starter sees it, and what a handler gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from credstack.core.access import Actor
from credstack.services.jobs.failures import Failure

__all__ = ["STATES", "JobContext", "JobLostError", "JobView"]

#: Every state of a job, in the order a job goes through them.
STATES = ("queued", "running", "retrying", "succeeded", "failed")
#: States after which nothing more happens to a job.
FINISHED = frozenset({"succeeded", "failed"})


@dataclass(frozen=True, slots=True)
class JobView:
    """One job: what it is, how far it got, and how it ended."""

    public_id: str
    kind: str
    #: ``queued``, ``running``, ``retrying``, ``succeeded`` or ``failed``.
    state: str
    done: int
    #: How much there is to do, once the job knows.
    total: int | None
    #: What the job made (counts, identifiers for the results); None until it succeeded.
    result: dict[str, Any] | None
    created_at: dt.datetime
    updated_at: dt.datetime
    attempts: int
    organisation: str | None = None
    #: Who started it (the audit log's actor).
    started_by: str = ""
    #: Why the latest attempt failed, as codes for the reader's language; None when it
    #: did not.
    failure: Failure | None = field(default=None, repr=False)
    finished_at: dt.datetime | None = None
    #: When a retrying job is tried again.
    run_after: dt.datetime | None = None

    @property
    def finished(self) -> bool:
        """Whether nothing more will happen to the job (succeeded or failed)."""
        return self.state in FINISHED

    @property
    def percent(self) -> int | None:
        """How much is done, in whole per cent, once the total is known."""
        if not self.total:
            return 100 if self.state == "succeeded" else None
        return min(100, self.done * 100 // self.total)

    def to_dict(self) -> dict[str, Any]:
        """The job as JSON, times in ISO 8601 (the error is the API's to word)."""
        return {
            "id": self.public_id, "kind": self.kind, "state": self.state,
            "done": self.done, "total": self.total, "percent": self.percent,
            "attempts": self.attempts, "organisation": self.organisation,
            "result": self.result, "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "retry_at": (self.run_after.isoformat()
                         if self.state == "retrying" and self.run_after else None),
        }


class JobLostError(Exception):
    """The run lost its job: the reaper took it back (no heartbeat) and gave it to another
    run. The handler stops; nothing it does afterwards is recorded."""


class JobContext:
    """What a handler gets besides the runtime: the job's payload, who it acts for, and a
    way to report progress (which is also the run's heartbeat)."""

    __slots__ = ("_report", "actor", "attempt", "job_id", "organisation", "payload")

    def __init__(self, *, job_id: str, payload: dict[str, Any], actor: Actor,
                 organisation: str | None, attempt: int,
                 report: Callable[[int, int | None], None]) -> None:
        self.job_id = job_id
        self.payload = payload
        #: Whoever started the job, with their roles as they are now (the services the
        #: handler calls check them again).
        self.actor = actor
        self.organisation = organisation
        #: 1 for the first run, 2 for the first retry …
        self.attempt = attempt
        self._report = report

    def progress(self, done: int, total: int | None = None) -> None:
        """Record that ``done`` of ``total`` are done (raises :class:`JobLostError` when
        another run has taken the job)."""
        self._report(done, total)
