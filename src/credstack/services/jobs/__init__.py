"""Background jobs: starting them, reading them, running them in workers.

::

    start(runtime, actor=…, kind="cohort.issue", payload={…}, organisation="hokuto-tech",
          key="programme-1:2026-spring") -> JobView
    job(runtime, actor=…, public_id=…) -> JobView
    jobs(runtime, actor=…, organisation=None) -> list[JobView]

A kind of job is a handler registered with :func:`handler`; the built-in kinds
(``cohort.issue``, ``search.reindex``, ``review.reminders``…) are in
:mod:`credstack.services.background.handlers`, above the services they call, which start jobs
through this package. The ``jobs`` table is the source of truth; the queue (huey,
:mod:`credstack.adapters.jobs`) carries public ids to the workers
(:mod:`credstack.services.background.worker`), which run them (:func:`run_job`,
:mod:`credstack.services.jobs.runner`): retried with back-off, taken back from workers that
died (:func:`reap`).
"""

from credstack.services.jobs.failures import Failure
from credstack.services.jobs.files import (
    FileWriter,
    forget_input,
    input_parts,
    read_input,
    start_with_input,
)
from credstack.services.jobs.files import forget_expired as forget_expired_files
from credstack.services.jobs.models import STATES, JobContext, JobLostError, JobView
from credstack.services.jobs.registry import Handler, handler, handler_for, kinds
from credstack.services.jobs.runner import reap
from credstack.services.jobs.runner import run as run_job
from credstack.services.jobs.service import job, jobs, start

__all__ = ["STATES", "Failure", "FileWriter", "Handler", "JobContext", "JobLostError", "JobView",
           "forget_expired_files", "forget_input", "handler", "handler_for", "input_parts",
           "job", "jobs", "kinds", "read_input", "reap", "run_job", "start", "start_with_input"]
