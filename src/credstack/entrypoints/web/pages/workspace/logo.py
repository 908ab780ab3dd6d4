"""The organisation's logo: set and removed on ``/workspace/{slug}/profile``, shown to anyone
at ``/providers/{slug}/logo`` (services: :mod:`credstack.services.organisations.logos`).

* ``POST /workspace/{slug}/profile/logo`` — a PNG, JPEG or SVG file (a multipart form with
  the session's CSRF token as a field); what the screening refuses comes back on the profile
  page beside the logo's form, in the page's language, with where in the file (a chunk, an
  element's line and column).
* ``POST /workspace/{slug}/profile/logo/remove`` — removes it.
* ``GET /providers/{slug}/logo`` — the logo as kept, under its own media type with headers
  that keep a browser from reading it as anything else or running anything in it
  (``nosniff``, a ``Content-Security-Policy`` of ``default-src 'none'`` with inline styles
  only, ``Content-Disposition: inline`` with a file name), cached for a day and revalidated
  by its SHA-256 (``ETag``).
* ``GET /providers/{slug}/logo.png`` — the small PNG drawn from it (what the badges embed and
  the e-mails show: mail programs show no SVG), under the same headers.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from credstack.core.images.logos import LogoLimits
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.profile import profile_page
from credstack.entrypoints.web.pages.workspace.views import FormProblem, see_other
from credstack.errors import InputError, NotFoundError
from credstack.services.organisations import logos

router = APIRouter(include_in_schema=False)

#: The largest request the logo's form may send: the file and the form around it.
LOGO_BODY_BYTES: Final = LogoLimits().max_bytes + 64 * 1024
LOGO_PATH: Final = re.compile(r"/workspace/[^/]+/profile/logo")
_SLUG: Final = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
#: An SVG logo may style itself inline; nothing else runs or loads.
_IMAGE_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _refusal(request: Request, exc: InputError) -> FormProblem:
    language = i18n.negotiate(request).language
    text = said(exc, language)
    where = exc.problems[0] if exc.problems else None
    if where is not None and where.location not in {"", "file"}:
        text = f"{text} ({where.location}: {where.message})"
    return FormProblem(text, "logo", 422)


@router.post("/workspace/{slug}/profile/logo", response_class=HTMLResponse)
async def upload_logo(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep
                      ) -> Response:
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("logo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return profile_page(request, runtime, access, slug, status_code=422,
                            logo_problem=FormProblem(
                                str(i18n.Translator(i18n.negotiate(request).language)(
                                    "workspace.logo.no_file")), "logo", 422))
    data = await upload.read(LogoLimits().max_bytes + 1)
    try:
        logos.set_logo(runtime, actor=access, organisation=slug, data=data,
                       filename=upload.filename, media_type=upload.content_type)
    except InputError as exc:
        return profile_page(request, runtime, access, slug, status_code=422,
                            logo_problem=_refusal(request, exc))
    return see_other(f"/workspace/{slug}/profile?done=logo")


@router.post("/workspace/{slug}/profile/logo/remove", response_class=HTMLResponse)
def remove_logo(slug: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    logos.remove_logo(runtime, actor=access, organisation=slug)
    return see_other(f"/workspace/{slug}/profile?done=logo-removed")


@router.get("/providers/{slug}/logo")
def provider_logo(slug: str, request: Request, runtime: RuntimeDep) -> Response:
    found = logos.logo(runtime, organisation=slug) if _SLUG.fullmatch(slug) else None
    if found is None:
        raise NotFoundError(f"{slug[:64]!r} has no logo. / この組織にはロゴがありません。")
    extension = {"image/png": "png", "image/jpeg": "jpg"}.get(found.media_type, "svg")
    return _image(request, found.data, media_type=found.media_type, tag=found.sha256,
                  filename=f"{slug}-logo.{extension}")


@router.get("/providers/{slug}/logo.png")
def provider_logo_png(slug: str, request: Request, runtime: RuntimeDep) -> Response:
    found = logos.logo_png(runtime, organisation=slug) if _SLUG.fullmatch(slug) else None
    if found is None:
        raise NotFoundError(f"{slug[:64]!r} has no logo. / この組織にはロゴがありません。")
    return _image(request, found, media_type="image/png",
                  tag=hashlib.sha256(found).hexdigest(), filename=f"{slug}-logo.png")


def _image(request: Request, data: bytes, *, media_type: str, tag: str, filename: str
           ) -> Response:
    """A logo under headers that keep a browser from reading it as anything else or running
    anything in it, cached for a day and revalidated by ``tag`` (its SHA-256)."""
    headers = {"ETag": f'"{tag[:32]}"', "Cache-Control": "public, max-age=86400",
               "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": _IMAGE_POLICY,
               "Content-Disposition": f'inline; filename="{filename}"'}
    if headers["ETag"] in {tag.strip() for tag in
                           request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=media_type, headers=headers)
