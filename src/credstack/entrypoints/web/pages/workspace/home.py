"""``/workspace``: the signed-in user's organisations; ``/workspace/{slug}``: one
organisation's home, with the parts of the workspace this user may open and, for whoever
takes part in recognition there (a recognition body's committee and evaluators, a provider's
administrator), the review queue: the applications waiting for them; for whoever reads its
credentials, its numbers at a glance (issued, claimed, shared, verified this month)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.review import applications
from credstack.entrypoints.web.pages.workspace.views import page
from credstack.services.activity import service as activity
from credstack.services.review import workflow
from credstack.services.review.views import ApplicationView
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)


@router.get("/workspace", response_class=HTMLResponse)
def workspace(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    return page(request, "workspace.html",
                workplaces=home.workplaces(runtime, actor=access))


@router.get("/workspace/{slug}", response_class=HTMLResponse)
def organisation_home(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep
                      ) -> Response:
    found = home.home(runtime, actor=access, slug=slug)
    waiting: list[ApplicationView] = []
    if "review" in found.sections and access.principal is not None:
        waiting = [view for view in workflow.dashboard(runtime, access.principal).applications
                   if applications.tasks(view)]
    # The issuer's numbers at a glance, for whoever may read the organisation's credentials.
    figures = (activity.organisation_glance(runtime, actor=access, organisation=slug)
               if "activity" in found.sections else [])
    return page(request, "workspace_home.html", home=found, slug=slug, here="home",
                sections=found.sections, waiting=waiting, figures=figures)
