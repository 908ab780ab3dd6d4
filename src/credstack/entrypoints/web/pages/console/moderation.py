"""Reporting a problem with a programme (``/programmes/{id}/report``, public, limited per
address) and the operator's queue of reports (``/console/reports``): hiding the programme
with a public reason, dismissing a report, showing a hidden programme again."""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.console.reports import ReportReason, ReportStatus
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access, client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import (
    FormText,
    WebUserDep,
    nonce_matches,
    set_nonce_cookie,
)
from credstack.entrypoints.web.pages.console.views import (
    FormProblem,
    page,
    problem_of,
    see_other,
)
from credstack.errors import InputError, RateLimitedError
from credstack.services.console import moderation
from credstack.services.programmes import published
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

NONCE_COOKIE: Final = "credstack_report"


def _report_page(request: Request, runtime: Runtime, programme_id: int, *,
                 status_code: int = 200, **context: Any) -> HTMLResponse:
    stored = published.programme_page(runtime, programme_id=programme_id).stored
    nonce = secrets.token_urlsafe(24)
    values: dict[str, Any] = {"problem": None, "sent": False, "reason": "", "message": "",
                              **context}
    response = page(request, "console_report.html", here="report", status_code=status_code,
                    stored=stored, reasons=[reason.value for reason in ReportReason],
                    nonce=nonce, **values)
    if values.get("retry_after"):
        response.headers["Retry-After"] = str(values["retry_after"])
    set_nonce_cookie(response, request, name=NONCE_COOKIE,
                     path=f"/programmes/{programme_id}/report", nonce=nonce)
    return response


@router.get("/programmes/{programme_id:int}/report", response_class=HTMLResponse)
def report_form(programme_id: int, request: Request, runtime: RuntimeDep,
                sent: Annotated[bool, Query()] = False) -> Response:
    return _report_page(request, runtime, programme_id, sent=sent)


@router.post("/programmes/{programme_id:int}/report", response_class=HTMLResponse)
def report(programme_id: int, request: Request, runtime: RuntimeDep, reason: FormText = "",
           message: FormText = "", nonce: FormText = "") -> Response:
    if not nonce_matches(request, name=NONCE_COOKIE, presented=nonce):
        t = i18n.Translator(i18n.negotiate(request).language)
        return _report_page(request, runtime, programme_id, status_code=403, reason=reason,
                            message=message, problem=FormProblem(
                                str(t("console.join.expired")), None, 403))
    try:
        moderation.report(runtime, programme_id=programme_id, reason=reason,
                          message=message, address=client_ip(request))
    except (InputError, RateLimitedError) as exc:
        problem = problem_of(request, exc)
        return _report_page(request, runtime, programme_id, status_code=problem.status,
                            reason=reason, message=message, problem=problem,
                            retry_after=getattr(exc, "retry_after", None))
    return see_other(f"/programmes/{programme_id}/report?sent=true")


# --- the operator's queue ----------------------------------------------------------------


def _queue_page(request: Request, runtime: Runtime, access: Access, *, status_code: int = 200,
                **context: Any) -> HTMLResponse:
    values: dict[str, Any] = {"problem": None, "problem_programme": None, **context}
    return page(request, "console_reports.html", here="reports", status_code=status_code,
                reports=moderation.reports(runtime, actor=access, status=ReportStatus.WAITING),
                hidden=moderation.hidden_programmes(runtime, actor=access), **values)


@router.get("/console/reports", response_class=HTMLResponse)
def queue(request: Request, runtime: RuntimeDep, access: WebUserDep,
          done: Annotated[str | None, Query()] = None) -> Response:
    return _queue_page(request, runtime, access, done=done)


@router.post("/console/programmes/{programme_id:int}/hide", response_class=HTMLResponse)
def hide(programme_id: int, request: Request, runtime: RuntimeDep, access: WebUserDep,
         reason: FormText = "") -> Response:
    try:
        moderation.hide(runtime, actor=access, programme_id=programme_id, reason=reason)
    except InputError as exc:
        problem = problem_of(request, exc)
        return _queue_page(request, runtime, access, status_code=problem.status,
                           problem=problem, problem_programme=programme_id)
    return see_other("/console/reports?done=hidden")


@router.post("/console/programmes/{programme_id:int}/unhide")
def unhide(programme_id: int, runtime: RuntimeDep, access: WebUserDep) -> Response:
    moderation.unhide(runtime, actor=access, programme_id=programme_id)
    return see_other("/console/reports?done=unhidden")


@router.post("/console/reports/{report_id:int}/dismiss")
def dismiss(report_id: int, runtime: RuntimeDep, access: WebUserDep) -> Response:
    moderation.dismiss(runtime, actor=access, report_id=report_id)
    return see_other("/console/reports?done=dismissed")
