"""Badge images and baked credentials over HTTP.

* ``GET /badges/{programme_id}/v{version}.svg`` and ``.png`` — the badge of a *published*
  programme version (drafts are 404). Its texts never change, but its design may (the
  programme's badge designer), so caches keep the image and ask again each time with its
  ``ETag`` (the SHA-256 of the image and the design version): ``If-None-Match`` answers 304
  while the design is the same, and the new image as soon as it is saved.
* ``GET /api/credentials/{credential_id}/baked.png`` and ``.svg`` — an issued credential
  baked into its badge, as stored: the JSON of a Data Integrity credential, the compact JWS
  of a VC-JWT (OB 3.0 baking). These carry personal data: never cached by shared caches.

SVG responses forbid every resource load (``Content-Security-Policy: default-src 'none'``),
so even a browser opening one directly runs nothing and fetches nothing. Without a Japanese
font on the server, PNGs show Latin texts only and say so in ``X-Credstack-Badge-Text:
latin-only``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Final
from urllib.parse import quote

from fastapi import APIRouter, Path, Request, Response

from credstack.core.credentials.baking_png import bake_png
from credstack.core.credentials.baking_svg import bake_svg
from credstack.core.images.badge_svg import DESIGN_VERSION, BadgeDesign, badge_svg
from credstack.core.images.baked import Standard
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.caching import Cached, answer, remembered
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import MAX_ID
from credstack.services.badges import service as baked
from credstack.services.runtime import Runtime

router = APIRouter(tags=["badges"])

ProgrammeId = Annotated[int, Path(ge=1, le=MAX_ID, description="The programme's id.")]
Version = Annotated[int, Path(ge=1, le=MAX_ID, description="A published version number.")]
CredentialId = Annotated[str, Path(max_length=300, description="The credential's id "
                                   "(urn:uuid:…).")]

SVG_TYPE: Final = "image/svg+xml"
PNG_TYPE: Final = "image/png"
PUBLIC_CACHE: Final = "public, no-cache"
PRIVATE_CACHE: Final = "private, no-store"
_SVG_HEADERS: Final = {"Content-Security-Policy": "default-src 'none'",
                       "X-Content-Type-Options": "nosniff"}


def _latin(rendered: baked.RenderedPng) -> dict[str, str]:
    """The header that says a PNG shows its Latin texts only (no Japanese font here)."""
    return {"X-Credstack-Badge-Text": "latin-only"} if rendered.latin_only else {}


def _cached_image(body: bytes, media_type: str, headers: dict[str, str]) -> Cached:
    digest = hashlib.sha256(body).hexdigest()[:32]
    return Cached(body, media_type, headers, etag=f'"{DESIGN_VERSION}-{digest}"')


def _programme_badge(request: Request, runtime: Runtime, programme_id: int, version: int,
                     kind: str, draw: Callable[[BadgeDesign], Cached]) -> Response:
    """A published version's badge, drawn once per design (the version's texts and its
    awarding body's logo) and kept in the runtime's caches."""
    design = baked.programme_design(runtime, programme_id=programme_id, version=version)
    cached = remembered(runtime, "badge", (kind, design), lambda: draw(design))
    return answer(request, cached, PUBLIC_CACHE)


@router.get("/badges/{programme_id}/v{version}.svg", response_class=Response,
            summary="The badge of a published programme version (SVG)",
            responses={200: {"content": {SVG_TYPE: {}}}, 304: {"description": "Not modified"}})
def programme_badge_svg(programme_id: ProgrammeId, version: Version, request: Request,
                        runtime: RuntimeDep) -> Response:
    return _programme_badge(request, runtime, programme_id, version, "svg", lambda design:
                            _cached_image(badge_svg(design).encode("utf-8"),
                                          f"{SVG_TYPE}; charset=utf-8", dict(_SVG_HEADERS)))


@router.get("/badges/{programme_id}/v{version}.png", response_class=Response,
            summary="The badge of a published programme version (512 × 512 PNG)",
            responses={200: {"content": {PNG_TYPE: {}}}, 304: {"description": "Not modified"}})
def programme_badge_png(programme_id: ProgrammeId, version: Version, request: Request,
                        runtime: RuntimeDep) -> Response:
    def draw(design: BadgeDesign) -> Cached:
        rendered = baked.render_badge_png(design)
        return _cached_image(rendered.png, PNG_TYPE, _latin(rendered))

    return _programme_badge(request, runtime, programme_id, version, "png", draw)


def _disposition(credential_id: str, design: BadgeDesign, extension: str) -> str:
    """A download (the pages' "download the badge" links), named after the programme: its code
    in ASCII (``filename``), its main title for browsers that read RFC 6266's ``filename*``;
    a credential of no programme is named after its id."""
    def ascii_name(text: str) -> str:
        return "".join(character for character in text
                       if character.isascii() and (character.isalnum() or character in "-_."))

    code = ascii_name(design.code or "")
    fallback = (f"{code}-badge" if code else
                f"credential-{ascii_name(credential_id.rsplit(':', 1)[-1]) or 'baked'}")
    title = design.titles[0][1] if design.titles else ""
    named = f"; filename*=UTF-8''{quote(f'{title}.{extension}', safe='')}" if title else ""
    return f'attachment; filename="{fallback}.{extension}"{named}'


def _personal(credential_id: str, design: BadgeDesign, body: bytes, media_type: str, *,
              extension: str, headers: dict[str, str]) -> Response:
    """A baked credential: personal data, never stored by shared caches, a file to keep."""
    return Response(body, media_type=media_type, headers={
        "Cache-Control": PRIVATE_CACHE,
        "Content-Disposition": _disposition(credential_id, design, extension), **headers})


@router.get("/api/credentials/{credential_id}/baked.png", response_class=Response,
            tags=["credentials"], summary="An issued credential baked into its badge (PNG)",
            responses={200: {"content": {PNG_TYPE: {}}}})
def baked_png(credential_id: CredentialId, runtime: RuntimeDep, access: AccessDep
              ) -> Response:
    found = baked.credential_badge(runtime, actor=access, credential_id=credential_id)
    rendered = baked.render_badge_png(found.design)
    body = bake_png(rendered.png, found.document, standard=Standard.OB3)
    return _personal(credential_id, found.design, body, PNG_TYPE, extension="png",
                     headers=_latin(rendered))


@router.get("/api/credentials/{credential_id}/baked.svg", response_class=Response,
            tags=["credentials"], summary="An issued credential baked into its badge (SVG)",
            responses={200: {"content": {SVG_TYPE: {}}}})
def baked_svg(credential_id: CredentialId, runtime: RuntimeDep, access: AccessDep
              ) -> Response:
    found = baked.credential_badge(runtime, actor=access, credential_id=credential_id)
    body = bake_svg(badge_svg(found.design).encode("utf-8"), found.document,
                    standard=Standard.OB3)
    return _personal(credential_id, found.design, body, f"{SVG_TYPE}; charset=utf-8",
                     extension="svg", headers=dict(_SVG_HEADERS))
