"""A cohort CSV uploaded in the workspace: read and checked, previewed, then issued by a
background job.

* :func:`check_upload` reads the file as a spreadsheet saved it (UTF-8 with or without a
  BOM, Shift_JIS; Excel's habits, :mod:`credstack.core.credentials.cohorts`), checks every
  row and gives a :class:`CohortUpload`: the first rows as typed, how many learners, and
  every bad row and column. A file with no problem is kept (decoded, as UTF-8) under the
  data directory, named by its SHA-256 digest, until it is confirmed; nothing is issued.
  Kept files are forgotten a day later (:data:`KEEP_SECONDS`).
  A file where only some rows are bad keeps the file of its good rows as well, which the
  page offers to issue instead ("issue the 18 good rows").
* :func:`confirm_upload` starts the ``cohort.issue`` job for a kept file
  (:func:`start_cohort_job`). The job's key is the digest of the organisation, programme,
  batch and file, so a confirmation sent twice — a double click, a reload — is the one job.

A file of 100,000 learners is read in a few seconds, within the request; issuing them is
the job's, in the background.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from credstack.core.access import Action, Actor
from credstack.core.credentials.cohorts import (
    CohortPreview,
    bad_rows,
    decode_cohort,
    preview_cohort,
    read_cohort,
    without_rows,
)
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import jobs
from credstack.services.issuance import service as issuance
from credstack.services.issuance.workspace import own_programme
from credstack.services.runtime import Runtime

__all__ = ["MAX_PROBLEMS_SHOWN", "PREVIEW_ROWS", "CohortUpload", "check_upload",
           "confirm_upload", "job_key", "start_cohort_job"]

#: Rows of the file shown before issuing.
PREVIEW_ROWS: Final = 20
#: How long a checked file is kept for its confirmation.
KEEP_SECONDS: Final = 24 * 60 * 60
#: Problems listed on the page (all are counted).
MAX_PROBLEMS_SHOWN: Final = 1000
_DIGEST: Final = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class CohortUpload:
    """What an uploaded cohort file holds, and what is wrong with it."""

    digest: str
    filename: str
    preview: CohortPreview
    #: Learners to issue to (0 when the file has problems).
    learners: int
    #: The first :data:`MAX_PROBLEMS_SHOWN` problems (row, column, what is wrong).
    problems: tuple[Problem, ...]
    #: Every problem, counted.
    problem_count: int
    #: When only some rows are bad: the kept file of the good rows (its digest) and how
    #: many learners it issues to, which the page offers to confirm instead.
    good_digest: str | None = None
    good_learners: int = 0
    #: How many rows have problems.
    bad_row_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def _staged(runtime: Runtime, organisation: str, digest: str) -> Path:
    if not _DIGEST.fullmatch(digest):
        raise NotFoundError(code="issuing.refused.no_upload")
    return runtime.settings.data_dir / "uploads" / "cohorts" / organisation / f"{digest}.csv"


def _forget_old(folder: Path, *, now: float) -> None:
    """Drop the organisation's kept files older than :data:`KEEP_SECONDS` (a confirmation
    after that asks for the file again; a started job carries its own copy)."""
    if not folder.is_dir():
        return
    for kept in folder.glob("*.csv"):
        with contextlib.suppress(FileNotFoundError):
            if now - kept.stat().st_mtime > KEEP_SECONDS:
                kept.unlink()


def check_upload(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int,
                 data: bytes, filename: str, language: str = "ja") -> CohortUpload:
    """Read and check a cohort file for issuing ``programme_id``'s credential; keep it when
    every row is good. :class:`~credstack.errors.UnreadableInputError` for a file that is
    no CSV at all (not text, broken quoting, no header), access errors from ``actor``."""
    actor.require(Action.CREDENTIAL_ISSUE, organisation)
    own_programme(runtime, organisation, programme_id)
    source = Path(filename).name or "cohort.csv"
    text = decode_cohort(data, source=source)
    preview = preview_cohort(text, source=source, limit=PREVIEW_ROWS)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        learners = len(read_cohort(text, source=source, language=language))
    except InputError as exc:
        rejected = CohortUpload(digest, source, preview, 0,
                                tuple(exc.problems[:MAX_PROBLEMS_SHOWN]), len(exc.problems))
        return _with_good_rows(runtime, organisation, rejected, text, exc.problems,
                               language=language)
    _keep(runtime, organisation, digest, text)
    return CohortUpload(digest, source, preview, learners, (), 0)


def _keep(runtime: Runtime, organisation: str, digest: str, text: str) -> None:
    """Keep a checked file for its confirmation, under its digest."""
    path = _staged(runtime, organisation, digest)
    _forget_old(path.parent, now=runtime.now().timestamp())
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_text(text, encoding="utf-8")
        part.replace(path)


def _with_good_rows(runtime: Runtime, organisation: str, rejected: CohortUpload, text: str,
                    problems: tuple[Problem, ...], *, language: str) -> CohortUpload:
    """``rejected``, offering its good rows to issue when only some rows are bad: the file
    without them is checked again and kept (nothing is issued until it is confirmed)."""
    rows = bad_rows(problems)
    if not rows:
        return rejected
    good = without_rows(text, rows, source=rejected.filename)
    try:
        learners = len(read_cohort(good, source=rejected.filename, language=language))
    except InputError:
        return dataclasses.replace(rejected, bad_row_count=len(rows))
    digest = hashlib.sha256(good.encode("utf-8")).hexdigest()
    _keep(runtime, organisation, digest, good)
    return dataclasses.replace(rejected, good_digest=digest, good_learners=learners,
                               bad_row_count=len(rows))


def job_key(*, organisation: str, programme_id: int, batch: str, digest: str) -> str:
    """The one job of a file confirmed for a programme and batch."""
    text = "\n".join(["cohort.issue", organisation, str(programme_id), batch, digest])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def confirm_upload(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int,
                   version: int | None, batch: str, securing: str, language: str,
                   digest: str) -> jobs.JobView:
    """Start issuing a kept file's cohort in the background (the same job when confirmed
    again)."""
    actor.require(Action.CREDENTIAL_ISSUE, organisation)
    own_programme(runtime, organisation, programme_id)
    batch = batch.strip()
    problems = []
    if not batch or len(batch) > 200:
        problems.append(Problem("batch", code="issuing.refused.batch_name"))
    if securing not in issuance.SECURINGS:
        problems.append(Problem("securing", f"use one of {', '.join(issuance.SECURINGS)}"))
    if problems:
        raise InputError(code="issuing.refused.cannot_start", problems=problems)
    path = _staged(runtime, organisation, digest)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(code="issuing.refused.upload_gone") from None
    payload: dict[str, Any] = {"programme_id": programme_id, "version": version,
                               "batch": batch, "securing": securing, "language": language,
                               "cohort_csv": text}
    return start_cohort_job(runtime, actor=actor, organisation=organisation, payload=payload,
                            key=job_key(organisation=organisation, programme_id=programme_id,
                                        batch=batch, digest=digest))


def start_cohort_job(runtime: Runtime, *, actor: Actor, organisation: str,
                     payload: dict[str, Any], key: str) -> jobs.JobView:
    """The ``cohort.issue`` background job (:mod:`credstack.services.jobs`) for ``payload``,
    started once per ``key``."""
    return jobs.start(runtime, actor=actor, kind="cohort.issue", payload=payload,
                      organisation=organisation, key=key)
