"""The jobs credstack runs in the background: issuing to a cohort, a batch's PDF
certificates as a zip, sending the e-mail that waits in the outbox, re-indexing the registry
search, the review process's daily reminders, and the credit bank's lifecycle
(:mod:`credstack.services.creditbank.lifecycle`: the daily re-check of counted credentials
and expiry, and the re-evaluation a new version of a target starts).

Each handler is idempotent, so a job that is run again after its worker died does nothing
twice: a cohort's credentials are keyed by learner and batch (the issuance service keeps the
ones an earlier run stored), a zip of certificates is written again from its start (the
writer forgets what a killed run wrote), an index is rebuilt whole, and a reminder reaches a
person once a day at most; a credit decision is flagged once per deposit, a deposit lapses
once, and a re-evaluated decision is stored against the new version once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterable
from typing import Any

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.core.access import Action, Actor
from credstack.core.credentials.cohorts import read_cohort
from credstack.errors import (
    CredstackError,
    InputError,
    Problem,
    StoreBusyError,
    StoreUnavailableError,
)
from credstack.services import activity, creditbank, issuance, mail, registrar, registry, review
from credstack.services.jobs import (
    FileWriter,
    JobContext,
    JobView,
    forget_input,
    handler,
    input_parts,
    read_input,
    start,
    start_with_input,
)
from credstack.services.mail import start_delivery
from credstack.services.runtime import Runtime

__all__ = ["COHORT_CHUNK", "PDF_ZIP", "check_cohort", "check_pdf_zip", "check_reevaluation",
           "creditbank_expire", "creditbank_recheck", "creditbank_reevaluate", "deliver_mail",
           "import_records", "issue_cohort", "pdf_zip", "reindex", "reminders", "start_pdf_zip",
           "start_records_import"]

#: The most messages one e-mail job sends (the next job, or the next minute, sends the rest).
MAIL_BATCH = 1000

#: Learners stored per transaction by a cohort job: what a killed worker costs to redo, and
#: how often the job's progress moves.
COHORT_CHUNK = 100


def check_cohort(runtime: Runtime, payload: dict[str, Any], organisation: str | None) -> None:
    """A cohort job's payload: the fields' types, every row of the CSV, and a programme of
    ``organisation`` (so that the job is filed under the organisation it issues for)."""
    problems: list[Problem] = []
    for name, kind, required in (("programme_id", int, True), ("version", int, False),
                                 ("batch", str, True), ("securing", str, False),
                                 ("language", str, False), ("cohort_csv", str, True),
                                 ("chunk_size", int, False)):
        value = payload.get(name)
        if value is None and not required:
            continue
        if not isinstance(value, kind) or isinstance(value, bool):
            problems.append(Problem(f"payload.{name}", f"{'required: ' if required else ''}"
                                                       f"a {kind.__name__}"))
    if payload.get("securing") not in (None, *issuance.SECURINGS):
        problems.append(Problem("payload.securing",
                                f"one of {', '.join(issuance.SECURINGS)}"))
    if problems:
        raise InputError(code="jobs.refused.cohort_payload", problems=problems)
    read_cohort(payload["cohort_csv"], language=payload.get("language") or "ja")
    with runtime.transaction() as session:
        owner = programme_store.get_programme(session,
                                              programme_id=payload["programme_id"]
                                              ).organisation_slug
    if organisation != owner:
        raise InputError(code="jobs.refused.other_programme",
                         params={"programme_id": payload["programme_id"], "owner": owner,
                                 "organisation": organisation},
                         problems=[Problem("organisation", f"{owner}")])


@handler("cohort.issue", action=Action.CREDENTIAL_ISSUE, check=check_cohort)
def issue_cohort(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Issue a programme's credential to every learner of the payload's cohort CSV
    (``programme_id``, ``version`` or null for the newest, ``batch``, ``securing``,
    ``language``, ``cohort_csv``; ``chunk_size`` optional)."""
    payload = context.payload
    language = payload.get("language") or "ja"
    cohort = read_cohort(payload["cohort_csv"], language=language)
    context.progress(0, len(cohort))
    result = issuance.issue_cohort(
        runtime, actor=context.actor, programme_id=payload["programme_id"],
        version=payload.get("version"), cohort=cohort, batch=payload["batch"],
        securing=payload.get("securing") or "eddsa-rdfc-2022", language=language,
        # Signed in this thread: forking signing processes from a worker that runs other
        # threads could leave a child stuck on a lock one of them held.
        workers=1, chunk_size=payload.get("chunk_size") or COHORT_CHUNK,
        progress=lambda step: context.progress(step.done, step.total))
    return {"programme_id": payload["programme_id"], "version": payload.get("version"),
            "batch": payload["batch"], "organisation": context.organisation,
            "securing": payload.get("securing") or "eddsa-rdfc-2022",
            "learners": len(cohort), "issued": result.issued, "reused": result.reused,
            "keys": len(result.keys), "mail_job": start_delivery(runtime, after=context.job_id)}


#: The kind of job that makes a batch's PDF certificates into a zip.
PDF_ZIP = "credentials.pdf_zip"


def check_pdf_zip(runtime: Runtime, payload: dict[str, Any], organisation: str | None
                  ) -> None:
    """A zip of certificates names its ``batch`` (text) and ``language`` (ja or en)."""
    del runtime, organisation
    problems = []
    if not isinstance(payload.get("batch"), str) or not payload["batch"]:
        problems.append(Problem("payload.batch", "required: the batch's name"))
    if payload.get("language") not in {"ja", "en"}:
        problems.append(Problem("payload.language", "ja or en"))
    if problems:
        raise InputError(code="jobs.refused.certificates_payload", problems=problems)


@handler(PDF_ZIP, action=Action.CREDENTIAL_READ, check=check_pdf_zip)
def pdf_zip(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """The signed PDF certificates of the payload's ``batch`` in ``language``, as a zip the
    starter downloads from the job (:mod:`credstack.services.jobs.files`)."""
    organisation = context.organisation or ""
    batch, language = context.payload["batch"], context.payload["language"]
    total = issuance.batch_summary(runtime, actor=context.actor, organisation=organisation,
                                   batch=batch).credentials
    context.progress(0, total)
    count = issuance.PdfCount()
    out = FileWriter(runtime, job_id=context.job_id, by=_by(context))
    for chunk in issuance.batch_pdfs(runtime, actor=context.actor, organisation=organisation,
                                     batch=batch, language=language, count=count,
                                     progress=lambda done: context.progress(done, total)):
        out.write(chunk)
    size = out.close()
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", batch)[:60]
    return {"batch": batch, "language": language, "organisation": organisation,
            "credentials": total, "included": count.included, "left_out": count.left_out,
            "bytes": size, "file": {"name": f"{organisation}-{safe}-certificates-{language}.zip",
                                    "media_type": "application/zip"}}


def start_pdf_zip(runtime: Runtime, *, actor: Actor, organisation: str, batch: str,
                  language: str) -> JobView:
    """The job making ``batch``'s PDF certificates in ``language`` into a zip: the same job
    when asked again by the same person for the batch as it is (NotFoundError for a batch
    with no credentials)."""
    principal = actor.require(Action.CREDENTIAL_READ, organisation)
    summary = issuance.batch_summary(runtime, actor=actor, organisation=organisation,
                                     batch=batch)
    named = hashlib.sha256(batch.encode("utf-8")).hexdigest()[:24]
    return start(runtime, actor=actor, kind=PDF_ZIP,
                 payload={"batch": batch, "language": language}, organisation=organisation,
                 key=f"{PDF_ZIP}:{principal.subject}:{named}:{language}:{summary.version}")


@handler("mail.deliver", action=None)
def deliver_mail(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Send the e-mail that is due in the outbox (each message once: the outbox claims it)."""
    sent = failed = retrying = 0
    last_error = None
    while sent + failed + retrying < MAIL_BATCH:
        report = mail.deliver(runtime, limit=100)
        if not report.configured:
            raise InputError(code="jobs.refused.no_smtp")
        tried = report.sent + report.failed + report.retrying
        sent, failed, retrying = (sent + report.sent, failed + report.failed,
                                  retrying + report.retrying)
        last_error = report.last_error or last_error
        context.progress(sent + failed + retrying)
        if tried == 0 or report.retrying:
            break  # nothing more is due, or the server is failing: the next run tries again
    return {"sent": sent, "failed": failed, "retrying": retrying, "last_error": last_error}


@handler("search.reindex", action=None)
def reindex(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Rebuild the registry's search index from the store and save it."""
    done = registry.reindex(runtime, progress=context.progress)
    return {"programmes": done.programmes, "terms": done.terms,
            "seconds": round(done.seconds, 3)}


@handler("review.reminders", action=None)
def reminders(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Send the review process's reminders due now (once a day per person and
    application)."""
    sent = review.send_reminders(runtime, now=runtime.now())
    context.progress(len(sent), len(sent))
    return {"sent": len(sent)}


def _by(context: JobContext) -> str:
    """Who the job acts for, as the audit log names them."""
    principal = context.actor.principal
    return principal.subject if principal is not None else "cli:scheduler"


@handler(activity.NOTICES_JOB, action=None)
def credential_notices(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """The claim reminders and expiry notices due today, for every organisation."""
    sent = activity.send_due(runtime, actor=context.actor)
    context.progress(1, 1)
    return dict(sent)


@handler("creditbank.recheck", action=None)
def creditbank_recheck(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Verify again every credential counted in a pending or approved credit decision and
    flag the decisions whose credentials no longer verify."""
    return creditbank.recheck(runtime, by=_by(context),
                              progress=context.progress)


@handler("creditbank.expire", action=None)
def creditbank_expire(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Post the credit ledger's ``expire`` entries due by the payload's ``day`` (ISO date;
    today when absent)."""
    day = context.payload.get("day")
    return creditbank.expire(runtime, by=_by(context),
                             today=dt.date.fromisoformat(day) if day else None,
                             progress=context.progress)


def check_reevaluation(runtime: Runtime, payload: dict[str, Any],
                       organisation: str | None) -> None:
    """A re-evaluation names a published target (``target``, its public id) of
    ``organisation``."""
    chosen = payload.get("target")
    if not isinstance(chosen, str):
        raise InputError(code="jobs.refused.no_target",
                         problems=[Problem("payload.target", "required: a string")])
    owner = creditbank.owner_of(runtime, chosen)
    if owner != organisation:
        raise InputError(code="jobs.refused.other_target", params={"owner": owner},
                         problems=[Problem("organisation", owner)])


@handler("creditbank.reevaluate", action=Action.CREDITBANK_PUBLISH, check=check_reevaluation)
def creditbank_reevaluate(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Evaluate every learner against the payload's ``target`` (a new version) and store the
    fresh decisions of pending applications (``chunk`` optional: learners per
    transaction)."""
    return creditbank.reevaluate(runtime, target=context.payload["target"],
                                 by=_by(context), progress=context.progress,
                                 chunk=context.payload.get("chunk") or creditbank.CHUNK)


#: The kind of job that imports the registrar's academic records from a staged export.
RECORDS_IMPORT = "registrar.import"


def check_records_import(runtime: Runtime, payload: dict[str, Any],
                         organisation: str | None) -> None:
    """An import names its ``form`` (csv, json or roster), ``source`` and ``dry_run``, for
    an organisation."""
    del runtime
    problems = []
    if payload.get("form") not in registrar.IMPORT_FORMATS:
        problems.append(Problem("payload.form", code="jobs.problem.one_of",
                                params={"kinds": ", ".join(registrar.IMPORT_FORMATS)}))
    if not isinstance(payload.get("source"), str):
        problems.append(Problem("payload.source", code="jobs.problem.not_text"))
    if not isinstance(payload.get("dry_run"), bool):
        problems.append(Problem("payload.dry_run", code="jobs.problem.not_boolean"))
    if not isinstance(payload.get("encoding"), str | None) or not organisation:
        problems.append(Problem("payload.encoding", code="jobs.problem.not_text"))
    if problems:
        raise InputError(code="jobs.problem.payload_fields", problems=problems)


@handler(RECORDS_IMPORT, action=Action.RECORDS_WRITE, check=check_records_import)
def import_records(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Import (``dry_run``: check) the export staged as the job's input into the
    organisation's records, nothing written when any row is refused
    (:func:`credstack.services.registrar.import_body`); a CSV export is read part by part
    and its students written a thousand at a time, each in a transaction of its own (a run
    killed while writing is run again to the end). The input is removed once read to the
    end, whether the import wrote or was refused. Progress: the bytes read of the export's
    (a CSV export), then the students written of those to write."""
    payload = context.payload

    def progress(stage: str, done: int, total: int) -> None:
        if stage in ("checking", "writing") and total:
            context.progress(done, total)

    common: dict[str, Any] = {
        "actor": context.actor, "organisation": context.organisation or "",
        "encoding": payload.get("encoding"), "source": payload["source"],
        "dry_run": payload["dry_run"], "progress": progress}
    try:
        if payload["form"] == "csv":
            parts, size = input_parts(runtime, job_id=context.job_id, payload=payload)
            done = registrar.import_export(runtime, parts=parts, size=size, apart=True,
                                           **common)
        else:
            done = registrar.import_body(
                runtime, data=read_input(runtime, job_id=context.job_id, payload=payload),
                form=payload["form"], **common)
    except CredstackError as exc:
        if not isinstance(exc, StoreBusyError | StoreUnavailableError):
            forget_input(runtime, job_id=context.job_id)  # not tried again
        raise
    context.progress(done.students, done.students)
    forget_input(runtime, job_id=context.job_id)
    return done.to_dict()


def start_records_import(runtime: Runtime, *, actor: Actor, organisation: str,
                         chunks: Iterable[bytes], form: str, source: str,
                         encoding: str | None, dry_run: bool) -> JobView:
    """The job importing the export read from ``chunks`` (staged first, in parts) into
    ``organisation``'s records; each upload its own job."""
    actor.require(Action.RECORDS_WRITE, organisation)
    return start_with_input(
        runtime, actor=actor, kind=RECORDS_IMPORT, organisation=organisation,
        payload={"form": form, "source": source, "encoding": encoding, "dry_run": dry_run},
        key=f"{RECORDS_IMPORT}:{uuid.uuid4().hex}", chunks=chunks)
