"""The task queue background jobs travel on (huey): see :mod:`credstack.adapters.jobs.queue`."""

from credstack.adapters.jobs.queue import JOB_TASK, HueyQueue, JobQueue, Periodic, queue_file

__all__ = ["JOB_TASK", "HueyQueue", "JobQueue", "Periodic", "queue_file"]
