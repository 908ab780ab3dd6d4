"""``/console/organisations``: every organisation, searched, each with its state and its
corporate number (法人番号); suspending one with a reason and reinstating it; setting or
clearing its corporate number."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import FormText, WebUserDep
from credstack.entrypoints.web.pages.console.views import page, problem_of, see_other
from credstack.errors import CredstackError, InputError
from credstack.services.console import suspensions
from credstack.services.organisations import service as organisations
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)


def _list_page(request: Request, runtime: Runtime, access: Access, *, query: str = "",
               status_code: int = 200, **context: Any) -> HTMLResponse:
    found = suspensions.organisations(runtime, actor=access, query=query)
    values: dict[str, Any] = {"problem": None, "problem_slug": None, "problem_field": None,
                              "typed": None, **context}
    return page(request, "console_organisations.html", here="organisations",
                status_code=status_code, organisations=found, query=query, **values)


@router.get("/console/organisations", response_class=HTMLResponse)
def organisation_list(request: Request, runtime: RuntimeDep, access: WebUserDep,
                      q: Annotated[str, Query(max_length=200)] = "",
                      done: Annotated[str | None, Query()] = None) -> Response:
    return _list_page(request, runtime, access, query=q, done=done)


@router.post("/console/organisations/{slug}/suspend", response_class=HTMLResponse)
def suspend(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
            reason: FormText = "") -> Response:
    try:
        suspensions.suspend(runtime, actor=access, slug=slug, reason=reason)
    except InputError as exc:
        problem = problem_of(request, exc)
        return _list_page(request, runtime, access, query=slug, status_code=problem.status,
                          problem=problem, problem_slug=slug)
    return see_other(f"/console/organisations?q={slug}&done=suspended")


@router.post("/console/organisations/{slug}/reinstate")
def reinstate(slug: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    suspensions.reinstate(runtime, actor=access, slug=slug)
    return see_other(f"/console/organisations?q={slug}&done=reinstated")


@router.post("/console/organisations/{slug}/corporate-number", response_class=HTMLResponse)
def corporate_number(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                     corporate_number: FormText = "") -> Response:
    try:
        organisations.set_corporate_number(runtime, actor=access, slug=slug,
                                           number=corporate_number)
    except CredstackError as exc:
        problem = problem_of(request, exc)
        return _list_page(request, runtime, access, query=slug, status_code=problem.status,
                          problem=problem, problem_slug=slug, problem_field="corporate_number",
                          typed=corporate_number)
    return see_other(f"/console/organisations?q={slug}&done=corporate_number")
