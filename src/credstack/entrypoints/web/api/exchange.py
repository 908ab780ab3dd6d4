"""A programme in the exchange formats: CTDL JSON-LD and the Open Badges 3.0 ``Achievement``.

Both serve the programme's newest *published* version (a draft is nobody's business but its
editor's) as ``application/ld+json``, readable by anyone (CORS ``*``):

* ``GET /api/programmes/{id}/ctdl`` — a CTDL ``@graph`` of the credential node and its
  awarding organisation's node (:mod:`credstack.core.descriptors.ctdl`), as the Credential
  Registry publishes a graph;
* ``GET /api/programmes/{id}/achievement`` — the ``Achievement`` credentials of that version
  carry, with the id they carry (``<public url>/achievements/<id>/v<version>``) and the
  awarding body's did:web as ``creator``.

``credstack mc import`` reads both back (``--format ctdl`` / ``ob3``, or a ``.jsonld`` file).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query, Response

from credstack.entrypoints.web.api.programmes import ProgrammeId
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.programmes import exchange

router = APIRouter(prefix="/api/programmes", tags=["programmes"])

MEDIA_TYPE: Final = "application/ld+json"
#: Readers may keep a copy for five minutes: a new version may be published at any time.
_HEADERS: Final = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}
_JSON_LD: Final[dict[int | str, dict[str, Any]]] = {
    200: {"content": {MEDIA_TYPE: {"schema": {"type": "object"}}},
          "description": "The JSON-LD document."},
    404: {"description": "No such programme, or no published version of it."},
}


def _json_ld(document: dict[str, Any]) -> Response:
    return Response(json.dumps(document, ensure_ascii=False), media_type=MEDIA_TYPE,
                    headers=_HEADERS)


@router.get("/{programme_id}/ctdl", response_class=Response, responses=_JSON_LD,
            summary="The programme as CTDL JSON-LD (newest published version)")
def programme_ctdl(programme_id: ProgrammeId, runtime: RuntimeDep) -> Response:
    """A CTDL ``@graph``: the programme's credential node, then its organisation's node.

    Every descriptor also travels in full in the credstack extension property, so that
    importing the graph gives the same programme back.
    """
    return _json_ld(exchange.programme_ctdl(runtime, programme_id=programme_id))


@router.get("/{programme_id}/achievement", response_class=Response, responses=_JSON_LD,
            summary="The programme as an Open Badges 3.0 Achievement (newest published version)")
def programme_achievement(
    programme_id: ProgrammeId,
    runtime: RuntimeDep,
    language: Annotated[Literal["ja", "en"], Query(
        description="The language of the standard's own fields; the extension keeps every "
        "language.")] = "ja",
) -> Response:
    """The ``Achievement`` that credentials of the newest published version carry."""
    return _json_ld(exchange.programme_achievement(runtime, programme_id=programme_id,
                                                   language=language))
