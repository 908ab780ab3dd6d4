"""Recognitions over HTTP, public: the endorsement credential, the certification mark, the list.

* ``GET /recognitions/{number}`` — the recognition's Open Badges 3.0 ``EndorsementCredential``
  exactly as the recognition body signed it (``application/vc+ld+json``). Its ``id`` is this
  URL. It is served after a withdrawal too: its status list says it is revoked.
* ``GET /recognitions/{number}/mark.svg?lang=ja|en`` — the decision's certification mark
  (:mod:`credstack.core.images.certification_mark`). A decision never changes, so the mark is
  cached for a year (``immutable``) with an ``ETag``; ``If-None-Match`` answers 304. Like the
  badges, the SVG forbids every resource load.
* ``GET /api/programmes/{programme_id}/recognitions`` — a programme's recognitions, newest
  first, each with its status now (valid, expired, withdrawn, not-yet-valid).
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from credstack.core.images.certification_mark import (
    MARK_DESIGN_VERSION,
    certification_mark_svg,
)
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import MAX_ID
from credstack.services.recognitions import transparency

router = APIRouter(tags=["recognitions"])

Number = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                             description="The decision number (R-2026-0001).")]
ProgrammeId = Annotated[int, Path(ge=1, le=MAX_ID, description="The programme's id.")]
SVG_TYPE: Final = "image/svg+xml"
#: A decision's mark never changes: cached for a year.
MARK_CACHE: Final = "public, max-age=31536000, immutable"
_SVG_HEADERS: Final = {"Content-Security-Policy": "default-src 'none'",
                       "X-Content-Type-Options": "nosniff"}


@router.get("/recognitions/{number}", response_class=Response,
            summary="A recognition's endorsement credential (Open Badges 3.0)",
            responses={200: {"content": {"application/vc+ld+json": {}}}})
def endorsement_credential(number: Number, runtime: RuntimeDep) -> Response:
    """The ``EndorsementCredential`` of decision ``number``, as signed."""
    document = transparency.endorsement_document(runtime, number=number)
    return Response(document, media_type="application/vc+ld+json",
                    headers={"Cache-Control": "public, max-age=300",
                             "Access-Control-Allow-Origin": "*"})


@router.get("/recognitions/{number}/mark.svg", response_class=Response,
            summary="The certification mark of a recognition decision (SVG)",
            responses={200: {"content": {SVG_TYPE: {}}}, 304: {"description": "Not modified"}})
def certification_mark(number: Number, request: Request, runtime: RuntimeDep,
                       lang: Annotated[Literal["ja", "en"], Query()] = "ja") -> Response:
    mark = transparency.certification_mark(runtime, number=number)
    body = certification_mark_svg(mark, language=lang).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:32]
    etag = f'"{MARK_DESIGN_VERSION}-{digest}"'
    headers = {"ETag": etag, "Cache-Control": MARK_CACHE, "Content-Language": lang,
               "Access-Control-Allow-Origin": "*", **_SVG_HEADERS}
    if etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=f"{SVG_TYPE}; charset=utf-8", headers=headers)


@router.get("/api/programmes/{programme_id}/recognitions",
            summary="A programme's recognitions, each with its status now")
def programme_recognitions(programme_id: ProgrammeId, runtime: RuntimeDep) -> JSONResponse:
    now = runtime.now()
    found: list[dict[str, Any]] = [
        record.to_dict(now=now, public_url=runtime.settings.public_url)
        for record in transparency.programme_recognitions(runtime, programme_id=programme_id)]
    return JSONResponse(json.loads(json.dumps(found, ensure_ascii=False)))
