"""Background jobs: starting them, reading them, running them in workers.

::

    start(runtime, actor=…, kind="cohort.issue", payload={…}, organisation="hokuto-tech",
          key="programme-1:2026-spring") -> JobView
    job(runtime, actor=…, public_id=…) -> JobView
    jobs(runtime, actor=…, organisation=None) -> list[JobView]

A kind of job is a handler registered with :func:`handler`; the built-in kinds
(``cohort.issue``, ``search.reindex``, ``review.reminders``) are in
:mod:`credstack.services.jobs.handlers`. The ``jobs`` table is the source of truth; the queue
(huey, :mod:`credstack.adapters.jobs`) carries public ids to the workers
(:mod:`credstack.services.jobs.worker`), which run them (:mod:`credstack.services.jobs.
runner`): retried with back-off, taken back from workers that died.
"""

from credstack.services.jobs import handlers as handlers
from credstack.services.jobs.models import STATES, JobContext, JobLostError, JobView
from credstack.services.jobs.registry import Handler, handler, handler_for, kinds
from credstack.services.jobs.service import job, jobs, start

__all__ = ["STATES", "Handler", "JobContext", "JobLostError", "JobView", "handler",
           "handler_for", "job", "jobs", "kinds", "start"]
