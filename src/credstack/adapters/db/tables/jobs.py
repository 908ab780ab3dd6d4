"""The table of background jobs (migration ``0014_jobs``): the source of truth about each job.

The task queue (:mod:`credstack.adapters.jobs`) only carries a job's public id to a worker; what
the job is, who started it, how far it got, how often it was tried and why it failed live here,
so that a message the queue loses (a worker killed while it held it) costs nothing: the reaper
finds the job by its stale heartbeat and queues it again.

* ``idempotency_key`` is unique per kind: starting a job twice with one key gives the one job.
* ``claim`` names the run that holds the job; a worker writes progress and the outcome only
  while its claim stands, so a run the reaper gave away cannot overwrite its successor's.

``job_files`` (migration ``0021_workspace_finish``) holds what a job made for its starter to
download (a zip of PDF certificates), in parts of at most a mebibyte: every web process
reads it from the store, whichever worker machine wrote it, and streams it part by part.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument

#: Every state a job can be in.
STATES = ("queued", "running", "retrying", "succeeded", "failed")


class JobRow(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("kind", "idempotency_key", name="uq_jobs_kind_idempotency_key"),
        CheckConstraint("state IN ('queued', 'running', 'retrying', 'succeeded', 'failed')",
                        name="state"),
        CheckConstraint("done >= 0 AND attempts >= 0", name="counts"),
        Index("ix_jobs_state_heartbeat", "state", "heartbeat_at"),
        Index("ix_jobs_organisation_created", "organisation", "created_at"),
        Index("ix_jobs_user_created", "started_by_user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    #: The organisation (slug) the job works for; None for platform work (re-indexing).
    organisation: Mapped[str | None] = mapped_column(String(64))
    #: The audit log's actor who started it (``user:<id>``, ``client:<id>``, ``cli:<name>``).
    started_by: Mapped[str] = mapped_column(String(200))
    started_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    #: Who started it as the worker acts for them: e-mail, memberships and token scopes.
    principal: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    state: Mapped[str] = mapped_column(String(16))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Why the latest attempt failed, as codes (:mod:`credstack.services.jobs.failures`).
    error: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    #: The run holding the job (a random token), while it is running.
    claim: Mapped[str | None] = mapped_column(String(32))
    #: Where that run is (host and process), for an operator.
    worker: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: When the job is next due (queued: now; retrying: after the back-off).
    run_after: Mapped[dt.datetime | None] = mapped_column(STAMP)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)
    finished_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The request that started the job (migration ``0030_request_ids``), bound again while
    #: a worker runs it.
    request_id: Mapped[str | None] = mapped_column(String(64))


class JobFileRow(Base):
    """One part of the file a job made (parts numbered from 0, read in order)."""

    __tablename__ = "job_files"
    __table_args__ = (
        UniqueConstraint("job_id", "part", name="uq_job_files_job_id_part"),
        CheckConstraint("part >= 0", name="part"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    part: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
