"""``credstack worker``: run background jobs (cohort issuing, re-indexing, reminders).

On the embedded default (no ``CREDSTACK_JOBS_URL``) the queue is a SQLite file in the data
directory, and ``credstack serve`` already runs a worker; a separate one helps with long
cohorts. With ``CREDSTACK_JOBS_URL=redis://…`` (or ``postgresql://…``) run as many as needed,
on as many machines, against the same store and queue. Ctrl+C stops a worker once the jobs it
is running finish; a worker killed outright loses nothing: its jobs are queued again once
their heartbeat is older than ``CREDSTACK_JOBS_STALE`` and resume where they stopped.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from credstack.entrypoints import logs
from credstack.entrypoints.cli.console import (
    DataDir,
    LogFormatOption,
    acting,
    out,
    t,
)
from credstack.services.background.worker import Worker


def worker(
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64,
        help="cli.help.jobs.jobs_run_at_the")] = 1,
    data_dir: DataDir = None,
    log_format: LogFormatOption = None,
) -> None:
    with acting(data_dir) as opened:
        chosen = log_format.value if log_format else opened.settings.log_format
        if chosen == "json":
            logs.configure("json")
        else:
            logging.basicConfig(level=logging.WARNING,
                                format="%(asctime)s %(levelname)s %(name)s: %(message)s")
            logging.getLogger("credstack.jobs").setLevel(logging.INFO)
        running = Worker(opened, workers=workers)
        where = opened.settings.store_location
        out.print(t("cli.jobs.worker_running_job_at_time", workers=workers, where=running.where,
                    where2=where),
                  markup=False, soft_wrap=True)
        running.run()
    out.print(t("cli.jobs.worker_stopped"))
