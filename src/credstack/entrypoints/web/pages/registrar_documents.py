"""A record's documents in the certificate office's workspace (issue 56):

* ``/workspace/{slug}/records/{number}/documents`` — the figures (forms issued, in force,
  withdrawn, requests, views and downloads through delivery links, counted in the store), every
  form issued from the record with its state, and the history, newest first: issued, viewed,
  downloaded, revoked (with the reason), corrected (a re-import replaced the record);
* ``POST …/documents/withdraw`` — every form issued from the record revoked at once under its
  one status entry, with a reason (none: the page again, 422, the message by the field; none
  in force: 409), then 303 back with a notice.

Plain forms; the words are the catalogues' ``registrar.history.*`` (Japanese and English).
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.access import Action
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import page, see_other
from credstack.errors import ConflictError
from credstack.services.registrar import documents, elm, history
from credstack.services.runtime import Runtime
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)

Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Number = Annotated[str, Path(pattern=r"^[0-9A-Za-z][0-9A-Za-z-]{0,19}$")]
MAX_REASON: Final = 500
FIGURES: Final = ("forms", "active", "withdrawn", "requests", "views", "downloads")


def documents_page(request: Request, runtime: Runtime, access: Access, slug: str,
                   number: str, *, status_code: int = 200, done: bool = False,
                   reason: str = "", reason_error: bool = False,
                   problem: str | None = None) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    record = history.record_documents(runtime, actor=access, organisation=slug,
                                      number=number)
    return page(request, "registrar_documents.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="records", record=record,
                figure_names=FIGURES, degree_issued=_degree_issued(record), done=done,
                reason=reason, reason_error=reason_error,
                problem=problem, max_reason=MAX_REASON,
                writable=access.allows(Action.RECORDS_WRITE, slug))


def _degree_issued(record: history.RecordDocuments) -> bool:
    """Whether the record's current version has its degree as a credential in force: what
    the European Digital Credential is made from."""
    return any(item.kind == "degree" and item.form == "vc" and item.state == "active"
               and item.record_version == record.version for item in record.documents)


@router.get("/workspace/{slug}/records/{number}/documents", response_class=HTMLResponse)
def record_documents(slug: Slug, number: Number, request: Request, runtime: RuntimeDep,
                     access: WebUserDep,
                     done: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    return documents_page(request, runtime, access, slug, number, done=done == "withdrawn")


@router.post("/workspace/{slug}/records/{number}/documents/withdraw",
             response_class=HTMLResponse)
def withdraw(slug: Slug, number: Number, request: Request, runtime: RuntimeDep,
             access: WebUserDep,
             reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Every form issued from the record revoked, saying why."""
    if not reason.strip() or len(reason.strip()) > MAX_REASON:
        return documents_page(request, runtime, access, slug, number, status_code=422,
                              reason=reason, reason_error=True)
    try:
        documents.withdraw(runtime, actor=access, organisation=slug, number=number,
                           reason=reason.strip())
    except ConflictError as exc:
        return documents_page(request, runtime, access, slug, number, status_code=409,
                              reason=reason,
                              problem=said(exc, i18n.negotiate(request).language))
    return see_other(f"/workspace/{slug}/records/{number}/documents?done=withdrawn")


@router.get("/workspace/{slug}/records/{number}/degree-edc.json")
def degree_edc(slug: Slug, number: Number, runtime: RuntimeDep, access: WebUserDep,
               lang: Literal["ja", "en"] = "ja") -> Response:
    """The degree as a sealed European Digital Credential, downloaded from the record's
    documents page (the API's ``degree-edc.json`` for a signed-in registrar)."""
    made = elm.degree_edc_file(runtime, actor=access, organisation=slug, number=number,
                               language=lang)
    return Response(made.data, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"',
        "Cache-Control": "no-store"})
