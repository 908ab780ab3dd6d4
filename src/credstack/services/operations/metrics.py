"""Prometheus metrics: what the web processes, the job workers and the mail sender count.

The metrics are the process's (prometheus-client's default registry); every one has labels,
so that each labelled child — and with it the place its value is kept — is made on first use.
That lets :func:`share_between_processes` switch a process to multi-process mode after
credstack was imported: ``credstack serve --workers N`` makes a directory, points
``PROMETHEUS_MULTIPROC_DIR`` at it before the web processes start, and each process (the
supervisor's job worker too) then writes its values there; :func:`exposition` reads them
all, so that any process answers ``/metrics`` for the whole server. The directory is
removed when the server stops.

* ``credstack_http_requests_total{method, route, status}`` and
  ``credstack_http_request_duration_seconds{method, route}``: by route *template*
  (``/api/programmes/{programme_id}``), never the raw path, so that the number of series
  stays bounded whatever is requested (paths no route matches count as ``unmatched``);
* ``credstack_jobs_total{kind, outcome}``: ``enqueued`` (stored and sent to the queue),
  ``succeeded``, ``retrying``, ``failed``;
* ``credstack_mail_total{outcome}``: ``queued`` (once the transaction that queued it
  committed), ``sent``, ``retrying`` (an attempt failed, another follows), ``failed`` (given
  up);
* ``credstack_credentials_total{operation}``: ``issued`` (one by one through the VC API,
  and by cohorts), ``verified`` (every credential verified, a presentation's each), with
  ``credstack_verifications_total{verdict}`` telling the verdicts apart: ``ok`` (verified),
  ``failed`` (something proven wrong) and ``undecided`` (could not be checked: a key, status
  list or context it needed was out of reach).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

from credstack.adapters.db import transactions
from credstack.adapters.db.transactions import Session
from credstack.core.verification.report import Decision

__all__ = [
    "CONTENT_TYPE",
    "CREDENTIALS",
    "JOBS",
    "MAIL",
    "MULTIPROCESS_ENV",
    "REQUESTS",
    "REQUEST_SECONDS",
    "UNMATCHED",
    "VERIFICATIONS",
    "after_commit",
    "count_credentials",
    "count_job",
    "count_mail",
    "count_verification",
    "exposition",
    "share_between_processes",
]

#: The environment variable prometheus-client reads the multi-process directory from.
MULTIPROCESS_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"
#: The content type of the text exposition format.
CONTENT_TYPE: Final = CONTENT_TYPE_LATEST
#: The route label of a request no route matched (a 404, a static file's path).
UNMATCHED: Final = "unmatched"

REQUESTS: Final = Counter(
    "credstack_http_requests", "HTTP requests answered, by route template and status.",
    ["method", "route", "status"])
REQUEST_SECONDS: Final = Histogram(
    "credstack_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
JOBS: Final = Counter("credstack_jobs", "Background jobs enqueued and their outcomes.",
                      ["kind", "outcome"])
MAIL: Final = Counter("credstack_mail", "E-mail messages queued, sent and failed.",
                      ["outcome"])
CREDENTIALS: Final = Counter("credstack_credentials", "Credentials issued and verified.",
                             ["operation"])
VERIFICATIONS: Final = Counter("credstack_verifications", "Credentials verified, by verdict.",
                               ["verdict"])


def count_job(kind: str, outcome: str) -> None:
    JOBS.labels(kind=kind, outcome=outcome).inc()


def count_mail(outcome: str, amount: int = 1) -> None:
    if amount:
        MAIL.labels(outcome=outcome).inc(amount)


def count_credentials(operation: str, amount: int = 1) -> None:
    if amount:
        CREDENTIALS.labels(operation=operation).inc(amount)


#: The ``verdict`` label of each outcome of a verification.
_VERDICTS: Final = {Decision.VERIFIED: "ok", Decision.NOT_VERIFIED: "failed",
                    Decision.UNDECIDED: "undecided"}


def count_verification(decision: Decision) -> None:
    CREDENTIALS.labels(operation="verified").inc()
    VERIFICATIONS.labels(verdict=_VERDICTS[decision]).inc()


def after_commit(session: Session, count: Callable[[], None]) -> None:
    """Call ``count`` once ``session``'s transaction has committed (never if it rolls
    back): what a transaction writes is counted only once it is there."""
    transactions.after_commit(session, count)


def share_between_processes(directory: Path) -> None:
    """Keep this process's values, and its children's, in ``directory`` (which must exist
    and be empty when the server starts): every process then counts into it, and any of them
    answers for all."""
    os.environ[MULTIPROCESS_ENV] = str(directory)
    values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]


def exposition() -> bytes:
    """The metrics in Prometheus' text format: the whole server's in multi-process mode,
    else this process's."""
    if os.environ.get(MULTIPROCESS_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
