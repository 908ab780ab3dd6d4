"""The page a registrar's delivery link opens: ``/delivery/{secret}``, for whoever has it —
the addressee, without an account (issue 56).

It shows whose documents these are, from which institution, for whom, each document with its
state and its credential verified now, and links to download the PDF and the credential
(``/delivery/{secret}/{kind}.{form}``). Every view and download is logged for the student and
the registrar. After the institution's period the link answers 410, an unknown one 404, each
as a page. The secret is in the address: never indexed, cached or sent as a referrer.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.rendering import render
from credstack.errors import GoneError, NotFoundError
from credstack.services.registrar import requests

router = APIRouter(include_in_schema=False)

PRIVATE: Final = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer",
                  "Cache-Control": "no-store"}
Secret = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{20,64}$")]


def _page(request: Request, template: str, *, status_code: int, **context: Any
          ) -> HTMLResponse:
    response = render(request, template, status_code=status_code, **context)
    response.headers.update(PRIVATE)
    return response


@router.get("/delivery/{token}", response_class=HTMLResponse)
async def open_delivery(token: Secret, request: Request, runtime: RuntimeDep) -> Response:
    try:
        found = await run_in_threadpool(requests.delivery, runtime, token=token)
    except GoneError:
        return _page(request, "delivery_gone.html", status_code=410, state="gone")
    except NotFoundError:
        return _page(request, "delivery_gone.html", status_code=404, state="unknown")
    language = i18n.negotiate(request).language
    name = (found.organisation_name.get(language) or found.organisation_name.get("en")
            or next(iter(found.organisation_name.values()), found.organisation))
    return _page(request, "delivery.html", status_code=200, delivery=found,
                 organisation_name=name, token=token,
                 expires=found.request.expires_at.date() if found.request.expires_at else None)


@router.get("/delivery/{token}/{kind}.{form}")
async def download(token: Secret, kind: str, form: str, request: Request,
                   runtime: RuntimeDep) -> Response:
    try:
        media_type, content, filename = await run_in_threadpool(
            requests.download, runtime, token=token, kind=kind, form=form)
    except GoneError:
        return _page(request, "delivery_gone.html", status_code=410, state="gone")
    return Response(content, media_type=media_type, headers={
        **PRIVATE, "Content-Disposition": f'attachment; filename="{filename}"'})
