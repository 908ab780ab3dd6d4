"""The registrar's queue of document requests in an organisation's workspace (issue 56):

* ``/workspace/{slug}/requests?state=pending`` — the requests in figures (pending, approved,
  refused, counted in the store), the requests of one state (the queue: pending, oldest
  first; ``approved``, ``refused`` or ``all``), each with who asked, for which record, what,
  how many, in which language, for whom, and once approved its link's views and downloads;
  the organisation's rule (approve a confirmed account's requests at once, the links' period
  in days);
* ``POST …/requests/{id}/approve`` — the documents issued, the link opened (303 back);
* ``POST …/requests/{id}/refuse`` — refused with a reason the student reads (303 back; no
  reason: the queue again, 422, the message by that request's reason);
* ``POST …/requests/rule`` — the rule set (303 back; a period out of range: 422 by its field).

Plain forms: nothing here needs JavaScript. Words: the catalogues' ``registrar.queue.*``
(Japanese and English: a workspace page).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from credstack.core.access import Action
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import page, see_other
from credstack.errors import ConflictError, InputError
from credstack.services.registrar import requests
from credstack.services.runtime import Runtime
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)

Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
RequestId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")]
STATES: Final = ("pending", "approved", "refused", "all")
DONE: Final = frozenset({"approved", "refused", "rule"})


def _path(slug: str, state: str = "pending") -> str:
    return f"/workspace/{slug}/requests" + ("" if state == "pending" else f"?state={state}")


def queue_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
               state: str = "pending", status_code: int = 200, done: str | None = None,
               problem: str | None = None, refusing: str | None = None,
               reason: str = "", rule_error: str | None = None,
               rule_values: dict[str, Any] | None = None) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    listed = requests.queue(runtime, actor=access, organisation=slug,
                            state=None if state == "all" else state)
    rule = requests.request_rule(runtime, actor=access, organisation=slug)
    figures = requests.request_figures(runtime, actor=access, organisation=slug)
    return page(request, "registrar_queue.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="requests", state=state,
                states=STATES, listed=listed, rule=rule, figures=figures, done=done,
                problem=problem, refusing=refusing, reason=reason, rule_error=rule_error,
                rule_values=rule_values or {"auto_approve": rule.auto_approve,
                                            "delivery_days": str(rule.delivery_days)},
                max_days=requests.MAX_DELIVERY_DAYS, now=runtime.now(),
                writable=access.allows(Action.RECORDS_WRITE, slug))


@router.get("/workspace/{slug}/requests", response_class=HTMLResponse)
def queue(slug: Slug, request: Request, runtime: RuntimeDep, access: WebUserDep,
          state: Annotated[str, Query(max_length=10)] = "pending",
          done: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    return queue_page(request, runtime, access, slug,
                      state=state if state in STATES else "pending",
                      done=done if done in DONE else None)


@router.post("/workspace/{slug}/requests/{public_id}/approve", response_class=HTMLResponse)
async def approve(slug: Slug, public_id: RequestId, request: Request, runtime: RuntimeDep,
                  access: WebUserDep) -> Response:
    """Approved: the documents are signed (a PDF and a credential of each kind) and the link
    opened; back to the queue."""
    try:
        await run_in_threadpool(requests.approve, runtime, actor=access, organisation=slug,
                                public_id=public_id)
    except ConflictError as exc:
        return queue_page(request, runtime, access, slug, status_code=409,
                          problem=said(exc, i18n.negotiate(request).language))
    return see_other(f"{_path(slug)}?done=approved")


@router.post("/workspace/{slug}/requests/{public_id}/refuse", response_class=HTMLResponse)
def refuse(slug: Slug, public_id: RequestId, request: Request, runtime: RuntimeDep,
           access: WebUserDep, reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Refused with a reason; with none (or too long), the queue again with the message by
    that request's reason field."""
    try:
        requests.refuse(runtime, actor=access, organisation=slug, public_id=public_id,
                        reason=reason)
    except InputError:
        return queue_page(request, runtime, access, slug, status_code=422,
                          refusing=public_id, reason=reason)
    except ConflictError as exc:
        return queue_page(request, runtime, access, slug, status_code=409,
                          problem=said(exc, i18n.negotiate(request).language))
    return see_other(f"{_path(slug)}?done=refused")


@router.post("/workspace/{slug}/requests/rule", response_class=HTMLResponse)
def set_rule(slug: Slug, request: Request, runtime: RuntimeDep, access: WebUserDep,
             auto_approve: Annotated[str, Form(max_length=8)] = "",
             delivery_days: Annotated[str, Form(max_length=12)] = "") -> Response:
    """The rule set; a period that is not a number of days in range comes back by its
    field (422)."""
    values = {"auto_approve": bool(auto_approve), "delivery_days": delivery_days.strip()}
    try:
        days = int(delivery_days.strip())
        requests.set_request_rule(runtime, actor=access, organisation=slug,
                                  auto_approve=bool(auto_approve), delivery_days=days)
    except (ValueError, InputError):
        return queue_page(request, runtime, access, slug, status_code=422,
                          rule_error="registrar.queue.rule.days_error", rule_values=values)
    return see_other(f"{_path(slug)}?done=rule")
