"""``/workspace/{slug}/members``: the organisation's members and roles, its pending
invitations, and the forms that invite, change a role, remove a member or revoke an
invitation. A new invitation's link is shown once on the page, to copy and pass on."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import PathId
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import page, problem_of, see_other
from credstack.errors import ConflictError, InputError, NotFoundError
from credstack.services.runtime import Runtime
from credstack.services.workspace import home, members

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
DONE: Final = frozenset({"role-changed", "removed", "invitation-revoked"})


def members_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
                 status_code: int = 200, **context: Any) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    values: dict[str, Any] = {"problem": None, "problem_at": None, "invited": None,
                              "done": None, "email": "", "role": "", **context}
    return page(request, "workspace_members.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="members",
                roster=members.roster(runtime, actor=access, organisation=slug),
                now=runtime.now(), me=access.principal, **values)


@router.get("/workspace/{slug}/members", response_class=HTMLResponse)
def members_list(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                 done: Annotated[str | None, Query()] = None) -> Response:
    return members_page(request, runtime, access, slug, done=done if done in DONE else None)


@router.post("/workspace/{slug}/members/invitations", response_class=HTMLResponse)
def invite(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
           email: FormText = "", role: FormText = "") -> Response:
    try:
        invited = members.invite(runtime, actor=access, organisation=slug, email=email,
                                 role=role, language=i18n.negotiate(request).language)
    except (InputError, ConflictError) as exc:
        problem = problem_of(request, exc)
        return members_page(request, runtime, access, slug, status_code=problem.status,
                            problem=problem, problem_at="invite", email=email, role=role)
    return members_page(request, runtime, access, slug, invited=invited)


@router.post("/workspace/{slug}/members/invitations/{invitation_id}/revoke")
def revoke_invitation(slug: str, invitation_id: PathId, runtime: RuntimeDep,
                      access: WebUserDep) -> Response:
    members.revoke_invitation(runtime, actor=access, organisation=slug,
                              invitation_id=invitation_id)
    return see_other(f"/workspace/{slug}/members?done=invitation-revoked")


@router.post("/workspace/{slug}/members/role", response_class=HTMLResponse)
def change_role(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                email: FormText = "", role: FormText = "", new_role: FormText = ""
                ) -> Response:
    try:
        members.change_role(runtime, actor=access, organisation=slug, email=email, role=role,
                            new_role=new_role)
    except (InputError, ConflictError, NotFoundError) as exc:
        problem = problem_of(request, exc)
        return members_page(request, runtime, access, slug, status_code=problem.status,
                            problem=problem, problem_at=f"member:{email.strip().lower()}")
    return see_other(f"/workspace/{slug}/members?done=role-changed")


@router.post("/workspace/{slug}/members/remove", response_class=HTMLResponse)
def remove(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
           email: FormText = "") -> Response:
    try:
        members.remove_member(runtime, actor=access, organisation=slug, email=email)
    except (ConflictError, NotFoundError) as exc:
        problem = problem_of(request, exc)
        return members_page(request, runtime, access, slug, status_code=problem.status,
                            problem=problem, problem_at=f"member:{email.strip().lower()}")
    return see_other(f"/workspace/{slug}/members?done=removed")
