"""``/console``: the overview — what waits for the operator, and the platform's numbers at a glance
(organisations, programmes, credentials issued, claimed and verified, recognitions: each this
month, its direction since last month and its total), and the way to each page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.console.applications import ApplicationStatus
from credstack.core.console.reports import ReportStatus
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.console.views import page
from credstack.services.console import applications, figures, moderation

router = APIRouter(include_in_schema=False)

#: The figures the overview shows at a glance: this month, last month and all time (the figures
#: page has every one by month).
GLANCE = ("organisations", "programmes", "issued", "claimed", "verified", "recognitions")


@router.get("/console", response_class=HTMLResponse)
def overview(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    waiting = applications.applications(runtime, actor=access,
                                        status=ApplicationStatus.WAITING)
    reports = moderation.reports(runtime, actor=access, status=ReportStatus.WAITING)
    found = figures.platform_figures(runtime, actor=access, months=2)
    return page(request, "console_home.html", here="home", waiting=len(waiting),
                reports=len(reports), figures=found.glances(GLANCE))
