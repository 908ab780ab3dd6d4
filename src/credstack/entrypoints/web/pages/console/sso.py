"""``/console/sso``: which organisations sign their people in through which identity
providers (campus single sign-on, issue 57), for the operator: each provider's organisation,
kind, issuer or entity id, state, the roles it may give and how many accounts it signs in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.console.views import page
from credstack.services.sso import providers

router = APIRouter(include_in_schema=False)


@router.get("/console/sso", response_class=HTMLResponse)
def providers_in_use(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    found = providers.in_use(runtime, actor=access)
    return page(request, "console_sso.html", here="sso", found=found,
                organisations=len({item.organisation for item in found}))
