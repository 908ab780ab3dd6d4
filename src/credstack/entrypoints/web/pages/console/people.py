"""``/console/people``: every account, searched; one person's page (``?email=``) with their
roles in each organisation, giving and taking roles, locking, unlocking and ending their
sessions."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.access import ROLE_NAMES, Role
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import FormText, WebUserDep, role_rows
from credstack.entrypoints.web.pages.console.views import page, problem_of, see_other
from credstack.errors import ConflictError, InputError, NotFoundError
from credstack.services.accounts import service as accounts
from credstack.services.console import people
from credstack.services.organisations import service as organisations
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)


@router.get("/console/people", response_class=HTMLResponse)
def search(request: Request, runtime: RuntimeDep, access: WebUserDep,
           q: Annotated[str, Query(max_length=320)] = "") -> Response:
    found = people.search(runtime, actor=access, query=q)
    return page(request, "console_people.html", here="people", people=found, query=q)


def _person_page(request: Request, runtime: Runtime, access: Access, email: str, *,
                 status_code: int = 200, **context: Any) -> HTMLResponse:
    found = people.person(runtime, actor=access, email=email)
    language = i18n.negotiate(request).language
    memberships = sorted(found.memberships, key=lambda m: (m.organisation, m.role.value))
    roles = [(membership, ROLE_NAMES[membership.role][0 if language == "ja" else 1])
             for membership in memberships]
    values: dict[str, Any] = {"problem": None, **context}
    # The operator picks an organisation by its name; the service is given its slug.
    t = i18n.Translator(language)
    choices = sorted(((stored.slug, t.text(stored.organisation.name))
                      for stored in organisations.list_organisations(runtime)),
                     key=lambda choice: choice[1])
    return page(request, "console_person.html", here="people", status_code=status_code,
                person=found, roles=roles, role_rows=role_rows(found.memberships,
                                                               language=language),
                all_roles=[(role.value, ROLE_NAMES[role][0 if language == "ja" else 1])
                           for role in Role], all_organisations=choices, **values)


@router.get("/console/person", response_class=HTMLResponse)
def person(request: Request, runtime: RuntimeDep, access: WebUserDep,
           email: Annotated[str, Query(max_length=320)] = "",
           done: Annotated[str | None, Query()] = None) -> Response:
    return _person_page(request, runtime, access, email, done=done)


def _back(email: str, done: str) -> Response:
    return see_other(f"/console/person?email={quote(email)}&done={done}")


def _refused(request: Request, runtime: Runtime, access: Access, email: str,
             exc: InputError | ConflictError | NotFoundError) -> Response:
    problem = problem_of(request, exc)
    return _person_page(request, runtime, access, email, status_code=problem.status,
                        problem=problem)


@router.post("/console/person/roles/add", response_class=HTMLResponse)
def add_role(request: Request, runtime: RuntimeDep, access: WebUserDep, email: FormText = "",
             organisation: FormText = "", role: FormText = "") -> Response:
    try:
        accounts.add_role(runtime, actor=access, email=email,
                          organisation=organisation.strip() or None, role=role)
    except (InputError, ConflictError, NotFoundError) as exc:
        return _refused(request, runtime, access, email, exc)
    return _back(email, "role_added")


@router.post("/console/person/roles/remove", response_class=HTMLResponse)
def remove_role(request: Request, runtime: RuntimeDep, access: WebUserDep,
                email: FormText = "", organisation: FormText = "", role: FormText = ""
                ) -> Response:
    try:
        accounts.remove_role(runtime, actor=access, email=email,
                             organisation=None if organisation in {"", "*"} else organisation,
                             role=role)
    except (InputError, ConflictError, NotFoundError) as exc:
        return _refused(request, runtime, access, email, exc)
    return _back(email, "role_removed")


@router.post("/console/person/lock", response_class=HTMLResponse)
def lock(request: Request, runtime: RuntimeDep, access: WebUserDep, email: FormText = ""
         ) -> Response:
    try:
        accounts.set_disabled(runtime, actor=access, email=email, disabled=True)
    except ConflictError as exc:
        return _refused(request, runtime, access, email, exc)
    return _back(email, "locked")


@router.post("/console/person/unlock")
def unlock(runtime: RuntimeDep, access: WebUserDep, email: FormText = "") -> Response:
    accounts.set_disabled(runtime, actor=access, email=email, disabled=False)
    return _back(email, "unlocked")


@router.post("/console/person/end-sessions", response_class=HTMLResponse)
def end_sessions(request: Request, runtime: RuntimeDep, access: WebUserDep,
                 email: FormText = "") -> Response:
    try:
        people.end_sessions(runtime, actor=access, email=email)
    except ConflictError as exc:
        return _refused(request, runtime, access, email, exc)
    return _back(email, "sessions")
