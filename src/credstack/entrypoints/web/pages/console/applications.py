"""Applications to join: the public form ``/join`` (multipart, documents attached) and its
``/join/sent`` page; the operator's queue ``/console/applications``, one application's page
with its documents, and approving or refusing it."""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from credstack.core.console.applications import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    ApplicationStatus,
)
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import (
    FormText,
    WebUserDep,
    nonce_matches,
    set_nonce_cookie,
)
from credstack.entrypoints.web.pages.console.views import (
    NO_STORE,
    FormProblem,
    page,
    problem_of,
    see_other,
)
from credstack.errors import ConflictError, CredstackError, InputError
from credstack.services.console import applications
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

NONCE_COOKIE: Final = "credstack_join"
JOIN_PATH: Final = "/join"
#: The largest request the form may send: its documents and the fields around them.
JOIN_BODY_BYTES: Final = MAX_DOCUMENTS * MAX_DOCUMENT_BYTES + 64 * 1024
_FIELDS: Final = ("name_ja", "name_en", "corporate_number", "kind", "contact_name", "email")


def _join_page(request: Request, *, status_code: int = 200,
               form: dict[str, str] | None = None, problem: FormProblem | None = None
               ) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    response = page(request, "console_join.html", here="join", status_code=status_code,
                    form=form or dict.fromkeys(_FIELDS, ""), problem=problem, nonce=nonce,
                    kinds=[kind.value for kind in applications.APPLYING_KINDS],
                    max_documents=MAX_DOCUMENTS, max_mb=MAX_DOCUMENT_BYTES // (1024 * 1024))
    set_nonce_cookie(response, request, name=NONCE_COOKIE, path=JOIN_PATH, nonce=nonce)
    return response


@router.get("/join", response_class=HTMLResponse)
def join_form(request: Request) -> Response:
    return _join_page(request)


@router.post("/join", response_class=HTMLResponse)
async def join(request: Request, runtime: RuntimeDep) -> Response:
    data = await request.form(max_files=MAX_DOCUMENTS + 1, max_fields=20,
                              max_part_size=MAX_DOCUMENT_BYTES + 1024)
    form = {name: str(data.get(name) or "") for name in _FIELDS}
    if not nonce_matches(request, name=NONCE_COOKIE, presented=str(data.get("nonce") or "")):
        return _join_page(request, status_code=403, form=form,
                          problem=FormProblem(_expired(request), None, 403))
    uploads = [applications.Upload(item.filename or "", await item.read())
               for item in data.getlist("documents")
               if isinstance(item, UploadFile) and item.filename]
    language = i18n.negotiate(request).language
    try:
        made = await _apply(runtime, form, uploads, language)
    except CredstackError as exc:
        problem = problem_of(request, exc)
        return _join_page(request, status_code=problem.status, form=form, problem=problem)
    return see_other(f"/join/sent?to={quote(made.email)}")


async def _apply(runtime: Runtime, form: dict[str, str], uploads: list[applications.Upload],
                 language: str) -> applications.StoredApplication:
    return await run_in_threadpool(
        lambda: applications.apply(runtime, name_ja=form["name_ja"], name_en=form["name_en"],
                                   corporate_number_text=form["corporate_number"],
                                   kind=form["kind"], contact_name=form["contact_name"],
                                   email=form["email"], documents=uploads,
                                   language=language))


def _expired(request: Request) -> str:
    return str(i18n.Translator(i18n.negotiate(request).language)("console.join.expired"))


@router.get("/join/sent", response_class=HTMLResponse)
def join_sent(request: Request, to: Annotated[str, Query(max_length=320)] = "") -> Response:
    return page(request, "console_join_sent.html", here="join", email=to)


# --- the operator's queue ----------------------------------------------------------------


@router.get("/console/applications", response_class=HTMLResponse)
def queue(request: Request, runtime: RuntimeDep, access: WebUserDep,
          done: Annotated[str | None, Query()] = None) -> Response:
    found = applications.applications(runtime, actor=access)
    return page(request, "console_applications.html", here="applications", done=done,
                waiting=[a for a in found if a.status is ApplicationStatus.WAITING],
                decided=[a for a in found if a.status is not ApplicationStatus.WAITING])


def _application_page(request: Request, runtime: Runtime, access: Access, public_id: str,
                      *, status_code: int = 200, **context: Any) -> HTMLResponse:
    found = applications.application(runtime, actor=access, public_id=public_id)
    values: dict[str, Any] = {"problem": None, "slug": None, "reason": "", **context}
    if values["slug"] is None:
        values["slug"] = applications.suggested_slug(found.name.get("en", ""))
    return page(request, "console_application.html", here="applications",
                status_code=status_code, application=found, **values)


@router.get("/console/applications/{public_id}", response_class=HTMLResponse)
def application_page(public_id: str, request: Request, runtime: RuntimeDep,
                     access: WebUserDep, done: Annotated[str | None, Query()] = None
                     ) -> Response:
    return _application_page(request, runtime, access, public_id, done=done)


@router.get("/console/applications/{public_id}/documents/{document_id:int}")
def document(public_id: str, document_id: int, runtime: RuntimeDep, access: WebUserDep
             ) -> Response:
    info, content = applications.document(runtime, actor=access, public_id=public_id,
                                          document_id=document_id)
    return Response(content, media_type=info.media_type, headers={
        **NO_STORE, "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(info.filename)}"})


@router.post("/console/applications/{public_id}/approve", response_class=HTMLResponse)
def approve(public_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
            slug: FormText = "") -> Response:
    try:
        applications.approve(runtime, actor=access, public_id=public_id, slug=slug)
    except (InputError, ConflictError) as exc:
        problem = problem_of(request, exc)
        return _application_page(request, runtime, access, public_id,
                                 status_code=problem.status, problem=problem, slug=slug)
    return see_other(f"/console/applications/{public_id}?done=approved")


@router.post("/console/applications/{public_id}/refuse", response_class=HTMLResponse)
def refuse(public_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
           reason: FormText = "") -> Response:
    try:
        applications.refuse(runtime, actor=access, public_id=public_id, reason=reason)
    except (InputError, ConflictError) as exc:
        problem = problem_of(request, exc)
        return _application_page(request, runtime, access, public_id,
                                 status_code=problem.status, problem=problem, reason=reason)
    return see_other(f"/console/applications/{public_id}?done=refused")
