"""Issuing in the browser, for an organisation's issuers (issue 15, item 2).

* ``GET /workspace/{slug}/issue`` — the two ways to issue: to one learner (a form) and to a
  cohort (a CSV upload).
* ``POST …/issue`` — one learner's credential (:func:`~credstack.services.issuance.workspace
  .issue_one`), then its page; the form's problems come back beside their fields (422).
* ``POST …/issue/cohort`` — the upload, read and checked
  (:func:`~credstack.services.issuance.web_cohorts.check_upload`): the first rows, the
  count, and either the confirmation form or the report of every bad row and column (422,
  nothing issued). The form is read here with the cohort file's own limit
  (:data:`COHORT_BODY_BYTES`, let through by :class:`~credstack.entrypoints.web.limits
  .BodySizeLimit` on this path) and its CSRF token checked afterwards.
* ``POST …/issue/cohort/confirm`` — starts the background job (the same one when sent
  twice) and goes to its page, ``/jobs/{id}``.
* ``GET /workspace/{slug}/credentials`` — the list: search, filters, pages of 50; each
  batch's results to download (``…/credentials/download?batch=…&format=jsonl|zip|csv``,
  streamed), and ``POST …/credentials/certificates`` for its PDF certificates as a zip: a
  background job (the same one when asked twice for the batch as it is), followed on its
  page ``/jobs/{id}``, which offers the zip once made.
* ``GET /workspace/{slug}/credentials/{id}`` — one credential: details, status history, its
  JSON and PDF, the public verification link; ``GET …/status?change=…`` asks for the reason
  (the confirmation step), ``POST …/status`` makes the change.

Every form is a plain HTML form with the session's CSRF token; nothing needs JavaScript.
Who may do what is the services' decision (an issuer or provider admin of the organisation,
or a registry admin); visitors who are not signed in are sent to sign in and back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Final
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.core.access import Action
from credstack.core.credentials import securing as securing_forms
from credstack.core.credentials.cohorts import MAX_COHORT_BYTES
from credstack.core.status.changes import StatusChange
from credstack.core.types import whole_number
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access, access_of, credentials
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.entrypoints.web.pages.accounts import WebUserDep, web_user
from credstack.entrypoints.web.pages.rendering import render
from credstack.entrypoints.web.pages.wallet.views import size_text
from credstack.errors import (
    ConflictError,
    CredstackError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    Problem,
)
from credstack.services import elm_export
from credstack.services.activity import service as activity
from credstack.services.background.handlers import start_pdf_zip
from credstack.services.certificates import documents
from credstack.services.issuance import downloads, web_cohorts, workspace
from credstack.services.issuance.service import SECURINGS
from credstack.services.issuance.workspace import STATES, CredentialSearch, LearnerForm
from credstack.services.organisations import service as organisations
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

#: The largest cohort file taken from the browser (100,000 learners take about 10 MB).
MAX_UPLOAD_BYTES: Final = min(MAX_COHORT_BYTES, 64 * 1024 * 1024)
#: The largest upload body: the file and the multipart envelope around it.
COHORT_BODY_BYTES: Final = MAX_UPLOAD_BYTES + 64 * 1024
#: The path the upload is posted to (for the body size limit).
COHORT_UPLOAD_PATH: Final = re.compile(r"/workspace/[^/]+/issue/cohort")
NO_STORE: Final = {"Cache-Control": "no-store"}
LANGUAGES: Final = ("ja", "en")
FORMATS: Final = {"jsonl": ("application/x-ndjson", "credentials.jsonl"),
                  "zip": ("application/zip", "credentials.zip"),
                  "csv": ("text/csv; charset=utf-8", "credentials.csv")}
DONE: Final = frozenset({"issued", "revoke", "suspend", "reinstate"})
FormText = Annotated[str, Form()]
_WHERE: Final = re.compile(r"(?:.*: )?row (\d+)(?:, column ([A-Z]+)(?: \((.*)\))?)?")


def page(request: Request, template: str, *, status_code: int = 200, **context: object
         ) -> HTMLResponse:
    """An issuing page (never cached), headed by the organisation's name (not its slug)."""
    slug = context.get("slug")
    if isinstance(slug, str) and "organisation_name" not in context:
        runtime = request.app.state.runtime
        try:
            context["organisation_name"] = organisations.get_organisation(
                runtime, slug=slug).organisation.name
        except NotFoundError:
            context["organisation_name"] = None
    response = render(request, template, section="workspace", status_code=status_code,
                      **context)
    response.headers.update(NO_STORE)
    return response


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303, headers=NO_STORE)


def credential_path(slug: str, credential_id: str, suffix: str = "") -> str:
    return f"/workspace/{slug}/credentials/{quote(credential_id, safe=':')}{suffix}"


@dataclass(frozen=True, slots=True)
class Located:
    """A problem as the page shows it: where (in words) and what, in the page's language."""

    where: str
    message: str


def located(problem: Problem, t: i18n.Translator) -> Located:
    """``row 5, column B (email)`` in the page's language."""
    message = problem_said(problem, t.language, placed=False)
    found = _WHERE.fullmatch(problem.location)
    if found is None:
        return Located(problem.location, message)
    row, column, name = found.groups()
    if column is None:
        return Located(str(t("issuing.report.row", row=row)), message)
    if name is None:
        return Located(str(t("issuing.report.row_col", row=row, column=column)), message)
    return Located(str(t("issuing.report.row_column", row=row, column=column, name=name)),
                   message)


def _field_problems(exc: CredstackError, language: str) -> dict[str, str]:
    """The messages of a refusal by form field (``form`` for the rest)."""
    found: dict[str, str] = {}
    for problem in exc.problems:
        found.setdefault(problem.location, problem_said(problem, language, placed=False))
    if not found:
        found["form"] = said(exc, language)
    return found


# --- the issue page ----------------------------------------------------------------------


def issue_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
               status_code: int = 200, learner: LearnerForm | None = None,
               problems: dict[str, str] | None = None, cohort_problem: str | None = None,
               chosen: dict[str, str] | None = None) -> HTMLResponse:
    programmes = workspace.issuing_programmes(runtime, actor=access, organisation=slug)
    today = runtime.now().date().isoformat()
    # The issuer's landing page: its numbers at a glance above the forms.
    figures = (activity.organisation_glance(runtime, actor=access, organisation=slug)
               if access.allows(Action.CREDENTIAL_READ, slug) else [])
    return page(request, "issuing_issue.html", status_code=status_code, slug=slug,
                programmes=programmes, figures=figures, securings=SECURINGS, languages=LANGUAGES,
                learner=learner or LearnerForm(), problems=problems or {},
                cohort_problem=cohort_problem, upload_limit=size_text(MAX_UPLOAD_BYTES),
                chosen={"batch": today, "programme_id": "", "version": "",
                        "securing": SECURINGS[0], "language": "ja", **(chosen or {})})


@router.get("/workspace/{slug}/issue", response_class=HTMLResponse)
def issue_form(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep
               ) -> Response:
    return issue_page(request, runtime, access, slug)


def _int(value: str) -> int | None:
    return whole_number(value.strip())


@router.post("/workspace/{slug}/issue", response_class=HTMLResponse)
def issue_submitted(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                    programme_id: FormText = "", version: FormText = "", batch: FormText = "",
                    securing: FormText = "eddsa-rdfc-2022", language: FormText = "ja",
                    name_ja: FormText = "", name_en: FormText = "", email: FormText = "",
                    student_id: FormText = "", issued_on: FormText = "",
                    grade: FormText = "") -> Response:
    learner = LearnerForm(name_ja=name_ja, name_en=name_en, email=email,
                          student_id=student_id, issued_on=issued_on, grade=grade)
    chosen = {"programme_id": programme_id, "version": version, "batch": batch,
              "securing": securing, "language": language}
    page_language = i18n.negotiate(request).language
    programme = _int(programme_id)
    try:
        if programme is None:
            raise InputError("Choose the programme. / プログラムを選んでください。",
                             problems=[Problem("programme_id", "choose the programme / "
                                                               "プログラムを選んでください")])
        credential_id = workspace.issue_one(
            runtime, actor=access, organisation=slug, programme_id=programme,
            version=_int(version), learner=learner, batch=batch or runtime.now().date()
            .isoformat(), securing=securing,
            language=language if language in LANGUAGES else "ja")
    except InputError as exc:
        return issue_page(request, runtime, access, slug, status_code=422, learner=learner,
                          problems=_field_problems(exc, page_language), chosen=chosen)
    except ConflictError as exc:
        # A draft version, a batch being issued by another run at the same moment.
        return issue_page(request, runtime, access, slug, status_code=409,
                          learner=learner, chosen=chosen,
                          problems={"form": said(exc, page_language)})
    return see_other(credential_path(slug, credential_id, "?done=issued"))


# --- the cohort upload -------------------------------------------------------------------


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.post("/workspace/{slug}/issue/cohort", response_class=HTMLResponse)
async def cohort_uploaded(slug: str, request: Request, runtime: RuntimeDep) -> Response:
    caller = Access(request, await run_in_threadpool(credentials, request))
    if not web_user(caller):
        return see_other(f"/sign-in?next=/workspace/{slug}/issue")
    t = i18n.Translator(i18n.negotiate(request).language)
    too_large = str(t("issuing.cohort.too_large", limit=size_text(MAX_UPLOAD_BYTES)))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > COHORT_BODY_BYTES:
        return await run_in_threadpool(issue_page, request, runtime, caller, slug,
                                       status_code=413, cohort_problem=too_large)
    try:
        form = await request.form(max_files=1, max_fields=10,
                                  max_part_size=COHORT_BODY_BYTES)
    except InputTooLargeError:
        return await run_in_threadpool(issue_page, request, runtime, caller, slug,
                                       status_code=413, cohort_problem=too_large)
    except StarletteHTTPException as exc:
        return await run_in_threadpool(
            issue_page, request, runtime, caller, slug, status_code=422,
            cohort_problem=str(t("issuing.cohort.unreadable", reason=str(exc.detail))))
    try:
        access = await access_of(request)
        upload = form.get("file")
        chosen = {name: _text(form, name)
                  for name in ("programme_id", "version", "batch", "securing", "language")}
        data = await upload.read(MAX_UPLOAD_BYTES + 1) if isinstance(upload, UploadFile) else b""
        filename = upload.filename or "" if isinstance(upload, UploadFile) else ""
    finally:
        await form.close()
    return await run_in_threadpool(_checked, request, runtime, access, slug, chosen, data,
                                   filename)


def _checked(request: Request, runtime: Runtime, access: Access, slug: str,
             chosen: dict[str, str], data: bytes, filename: str) -> Response:
    t = i18n.Translator(i18n.negotiate(request).language)
    programme = _int(chosen["programme_id"])
    if programme is None or not data:
        message = (str(t("issuing.cohort.no_file")) if programme is not None
                   else str(t("issuing.cohort.no_programme")))
        return issue_page(request, runtime, access, slug, status_code=422,
                          cohort_problem=message, chosen=chosen)
    if len(data) > MAX_UPLOAD_BYTES:
        return issue_page(request, runtime, access, slug, status_code=413, chosen=chosen,
                          cohort_problem=str(t("issuing.cohort.too_large",
                                               limit=size_text(MAX_UPLOAD_BYTES))))
    language = chosen["language"] if chosen["language"] in LANGUAGES else "ja"
    try:
        upload = web_cohorts.check_upload(runtime, actor=access, organisation=slug,
                                          programme_id=programme, data=data,
                                          filename=filename or "cohort.csv", language=language)
    except InputError as exc:
        # The header row or the encoding: the file cannot be previewed at all.
        reason = "; ".join([said(exc, t.language)] + [
            f"{located(p, t).where}: {located(p, t).message}" for p in exc.problems])
        return issue_page(request, runtime, access, slug, status_code=422, chosen=chosen,
                          cohort_problem=str(t("issuing.cohort.unreadable", reason=reason)))
    programmes = workspace.issuing_programmes(runtime, actor=access, organisation=slug)
    return page(request, "issuing_preview.html", status_code=200 if upload.ok else 422,
                slug=slug, upload=upload, chosen=chosen, language=language,
                programme=next((p for p in programmes if p.programme_id == programme), None),
                problems=[located(problem, t) for problem in upload.problems])


@router.post("/workspace/{slug}/issue/cohort/confirm", response_class=HTMLResponse)
def cohort_confirmed(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                     programme_id: FormText = "", version: FormText = "",
                     batch: FormText = "", securing: FormText = "", language: FormText = "ja",
                     digest: FormText = "") -> Response:
    programme = _int(programme_id)
    chosen = {"programme_id": programme_id, "version": version, "batch": batch,
              "securing": securing, "language": language}
    t = i18n.Translator(i18n.negotiate(request).language)
    if programme is None:
        return issue_page(request, runtime, access, slug, status_code=422, chosen=chosen,
                          cohort_problem=str(t("issuing.cohort.no_programme")))
    try:
        job = web_cohorts.confirm_upload(
            runtime, actor=access, organisation=slug, programme_id=programme,
            version=_int(version), batch=batch, securing=securing,
            language=language if language in LANGUAGES else "ja", digest=digest)
    except InputError as exc:
        return issue_page(request, runtime, access, slug, status_code=422, chosen=chosen,
                          cohort_problem="; ".join(_field_problems(exc, t.language).values()))
    return see_other(f"/jobs/{job.public_id}")


# --- the list ----------------------------------------------------------------------------


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/workspace/{slug}/credentials", response_class=HTMLResponse)
def credential_list(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                    q: Annotated[str, Query(max_length=500)] = "",
                    programme: Annotated[str, Query(max_length=20)] = "",
                    batch: Annotated[str, Query(max_length=200)] = "",
                    status: Annotated[str, Query(max_length=20)] = "",
                    issued_from: Annotated[str, Query(alias="from", max_length=20)] = "",
                    issued_until: Annotated[str, Query(alias="until", max_length=20)] = "",
                    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1
                    ) -> Response:
    first, last = _day(issued_from), _day(issued_until)
    bad_dates = (bool(issued_from) and first is None) or (bool(issued_until) and last is None)
    search = CredentialSearch(
        text=q.strip() or None, programme_id=_int(programme), batch=batch or None,
        state=status if status in STATES else None, issued_from=first, issued_until=last)
    listed = workspace.credential_list(runtime, actor=access, organisation=slug,
                                       search=search, number=page_number)
    query = {"q": q, "programme": programme, "batch": batch, "status": status,
             "from": issued_from, "until": issued_until}
    kept = {name: value for name, value in query.items() if value}

    def page_url(number: int) -> str:
        return f"/workspace/{slug}/credentials?" + urlencode({**kept, "page": number})

    return page(request, "issuing_credentials.html", slug=slug, listed=listed, query=query,
                states=STATES, bad_dates=bad_dates, filtered=bool(kept),
                previous_url=page_url(listed.number - 1) if listed.number > 1 else None,
                next_url=page_url(listed.number + 1) if listed.number < listed.pages else None,
                downloads=[(name, f"/workspace/{slug}/credentials/download?"
                            + urlencode({"batch": batch, "format": name}))
                           for name in FORMATS] if batch else [],
                credential_path=credential_path)


@router.get("/workspace/{slug}/credentials/download")
def batch_download(slug: str, runtime: RuntimeDep, access: WebUserDep,
                   batch: Annotated[str, Query(min_length=1, max_length=200)],
                   format: Annotated[str, Query(pattern="^(jsonl|zip|csv)$")] = "jsonl"
                   ) -> Response:
    """A batch's results, streamed as they are read."""
    stream: Iterator[bytes]
    if format == "jsonl":
        stream = downloads.batch_jsonl(runtime, actor=access, organisation=slug, batch=batch)
    elif format == "zip":
        stream = downloads.batch_files(runtime, actor=access, organisation=slug, batch=batch)
    else:
        stream = downloads.batch_csv(runtime, actor=access, organisation=slug, batch=batch)
    media_type, name = FORMATS[format]
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", batch)[:60]
    return StreamingResponse(stream, media_type=media_type, headers={
        **NO_STORE, "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'attachment; filename="{slug}-{safe}-{name}"'})


@router.post("/workspace/{slug}/credentials/certificates")
def batch_certificates(slug: str, runtime: RuntimeDep, access: WebUserDep,
                       batch: Annotated[str, Form(min_length=1, max_length=200)],
                       language: Annotated[str, Form(pattern="^(ja|en)$")] = "ja") -> Response:
    """Start (or find) the job making the batch's PDF certificates, and follow it."""
    job = start_pdf_zip(runtime, actor=access, organisation=slug, batch=batch,
                        language=language)
    return see_other(f"/jobs/{job.public_id}")


# --- one credential ----------------------------------------------------------------------


@router.get("/workspace/{slug}/credentials/{credential_id:path}/credential.json")
def credential_json(slug: str, credential_id: str, runtime: RuntimeDep, access: WebUserDep
                    ) -> Response:
    detail = workspace.credential_detail(runtime, actor=access, organisation=slug,
                                         credential_id=credential_id)
    stored = detail.stored
    form = securing_forms.file_form(stored.document, stored.securing)
    return Response(form.data, media_type=form.media_type,
                    headers={**NO_STORE, "X-Content-Type-Options": "nosniff",
                             "Content-Disposition": 'attachment; filename="'
                             + downloads.file_name(stored) + '"'})


@router.get("/workspace/{slug}/credentials/{credential_id:path}/certificate.pdf")
def credential_pdf(slug: str, credential_id: str, runtime: RuntimeDep, access: WebUserDep,
                   lang: Annotated[str, Query(pattern="^(ja|en)$")] = "ja") -> Response:
    workspace.credential_detail(runtime, actor=access, organisation=slug,
                                credential_id=credential_id)
    made = documents.certificate_pdf(runtime, actor=access, credential_id=credential_id,
                                     language=lang)
    return Response(made.data, media_type="application/pdf", headers={
        **NO_STORE, "Content-Disposition": f'attachment; filename="{made.filename}"'})


@router.get("/workspace/{slug}/credentials/{credential_id:path}/edc.json")
def credential_edc(slug: str, credential_id: str, runtime: RuntimeDep, access: WebUserDep,
                   lang: Annotated[str, Query(pattern="^(ja|en)$")] = "ja") -> Response:
    """The credential as a sealed European Digital Credential (ELM v3)."""
    workspace.credential_detail(runtime, actor=access, organisation=slug,
                                credential_id=credential_id)
    made = elm_export.credential_edc(runtime, actor=access, credential_id=credential_id,
                                     language=lang)
    return Response(made.data, media_type="application/json", headers={
        **NO_STORE, "Content-Disposition": f'attachment; filename="{made.filename}"'})


def _change(value: str) -> StatusChange | None:
    return next((change for change in StatusChange if change.value == value), None)


def status_page(request: Request, runtime: Runtime, access: Access, slug: str,
                credential_id: str, change: StatusChange, *, status_code: int = 200,
                reason: str = "", problem: str | None = None) -> HTMLResponse:
    detail = workspace.credential_detail(runtime, actor=access, organisation=slug,
                                         credential_id=credential_id)
    return page(request, "issuing_status.html", status_code=status_code, slug=slug,
                detail=detail, change=change, reason=reason, problem=problem,
                credential_path=credential_path)


@router.get("/workspace/{slug}/credentials/{credential_id:path}/status",
            response_class=HTMLResponse)
def status_form(slug: str, credential_id: str, request: Request, runtime: RuntimeDep,
                access: WebUserDep, change: Annotated[str, Query(max_length=20)] = "revoke"
                ) -> Response:
    """Ask for the reason before a change: the confirmation step."""
    chosen = _change(change) or StatusChange.REVOKE
    return status_page(request, runtime, access, slug, credential_id, chosen)


@router.post("/workspace/{slug}/credentials/{credential_id:path}/status",
             response_class=HTMLResponse)
def status_submitted(slug: str, credential_id: str, request: Request, runtime: RuntimeDep,
                     access: WebUserDep, change: FormText = "", reason: FormText = ""
                     ) -> Response:
    chosen = _change(change)
    language = i18n.negotiate(request).language
    if chosen is None:
        t = i18n.Translator(language)
        return status_page(request, runtime, access, slug, credential_id,
                           StatusChange.REVOKE, status_code=422, reason=reason,
                           problem=str(t("issuing.status.no_change")))
    try:
        workspace.change_status(runtime, actor=access, organisation=slug,
                                credential_id=credential_id, change=chosen, reason=reason)
    except (InputError, ConflictError) as exc:
        message = "; ".join(_field_problems(exc, language).values())
        return status_page(request, runtime, access, slug, credential_id, chosen,
                           status_code=422 if isinstance(exc, InputError) else 409,
                           reason=reason, problem=message)
    return see_other(credential_path(slug, credential_id, f"?done={chosen.value}"))


@router.get("/workspace/{slug}/credentials/{credential_id:path}", response_class=HTMLResponse)
def credential_page(slug: str, credential_id: str, request: Request, runtime: RuntimeDep,
                    access: WebUserDep, done: Annotated[str, Query(max_length=20)] = ""
                    ) -> Response:
    detail = workspace.credential_detail(runtime, actor=access, organisation=slug,
                                         credential_id=credential_id)
    return page(request, "issuing_credential.html", slug=slug, detail=detail,
                done=done if done in DONE else None, credential_path=credential_path)
