"""``/workspace/{slug}/clients``: the API clients of the organisation's members; making one
(its secret shown once, on the page that answers the form) and revoking one."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.access import DESCRIPTIONS, Action
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import page, problem_of, see_other
from credstack.errors import ConflictError, InputError, NotFoundError
from credstack.services.runtime import Runtime
from credstack.services.workspace import clients, home

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
DONE: Final = frozenset({"revoked"})


def clients_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
                 status_code: int = 200, **context: Any) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    pick = 0 if i18n.negotiate(request).language == "ja" else 1
    values: dict[str, Any] = {"problem": None, "created": None, "done": None, "name": "",
                              "owner": "", "chosen": (), **context}
    return page(request, "workspace_clients.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="clients",
                listing=clients.listing(runtime, actor=access, organisation=slug),
                scope_labels={action.value: DESCRIPTIONS[action][pick] for action in Action},
                me=access.principal, **values)


@router.get("/workspace/{slug}/clients", response_class=HTMLResponse)
def clients_list(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                 done: Annotated[str | None, Query()] = None) -> Response:
    return clients_page(request, runtime, access, slug, done=done if done in DONE else None)


@router.post("/workspace/{slug}/clients", response_class=HTMLResponse)
def create(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
           name: FormText = "", owner: FormText = "",
           scope: Annotated[list[str] | None, Form()] = None) -> Response:
    try:
        created = clients.create(runtime, actor=access, organisation=slug, owner=owner,
                                 name=name, scopes=scope or [])
    except (InputError, ConflictError, NotFoundError) as exc:
        problem = problem_of(request, exc)
        return clients_page(request, runtime, access, slug, status_code=problem.status,
                            problem=problem, name=name, owner=owner,
                            chosen=tuple(scope or ()))
    return clients_page(request, runtime, access, slug, created=created)


@router.post("/workspace/{slug}/clients/{client_id}/revoke")
def revoke(slug: str, client_id: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    clients.revoke(runtime, actor=access, organisation=slug, client_id=client_id)
    return see_other(f"/workspace/{slug}/clients?done=revoked")
