"""The people page: the users an administrator looks after, and what they may do for them.

``/people`` lists everyone for a registry admin, and the members of their organisations for
a provider admin. Each row offers what this administrator may do: a one-time password reset
link (shown once on the page, to hand over), and for registry admins, disabling or enabling
the account. Plain forms with the session's CSRF token; never cached.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import (
    FormText,
    WebUserDep,
    page,
    role_rows,
    see_other,
)
from credstack.services.accounts import passwords
from credstack.services.accounts import service as accounts
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

#: What ``/people?done=…`` may announce.
DONE = frozenset({"disabled", "enabled"})


def _people_page(request: Request, runtime: Runtime, access: Access, **context: Any
                 ) -> HTMLResponse:
    found = accounts.people(runtime, actor=access)
    language = i18n.negotiate(request).language
    roles = {person.user.id: role_rows(person.user.memberships, language=language)
             for person in found}
    values: dict[str, Any] = {"done": None, "reset": None, **context}
    return page(request, "people.html", people=found, roles=roles, **values)


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, runtime: RuntimeDep, access: WebUserDep,
           done: Annotated[str | None, Query()] = None) -> Response:
    return _people_page(request, runtime, access, done=done if done in DONE else None)


@router.post("/people/password-reset", response_class=HTMLResponse)
def reset_password(request: Request, runtime: RuntimeDep, access: WebUserDep,
                   email: FormText = "") -> Response:
    link = passwords.start_reset(runtime, actor=access, email=email)
    return _people_page(request, runtime, access, reset=link)


@router.post("/people/{change}")
def disable_or_enable(change: Literal["disable", "enable"], request: Request,
                      runtime: RuntimeDep, access: WebUserDep, email: FormText = ""
                      ) -> Response:
    accounts.set_disabled(runtime, actor=access, email=email, disabled=change == "disable")
    return see_other(f"/people?done={change}d")
