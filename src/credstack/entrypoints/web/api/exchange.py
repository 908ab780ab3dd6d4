"""A programme in the exchange formats: CTDL JSON-LD and the Open Badges 3.0 ``Achievement``.

Both serve the programme's newest *published* version (a draft is nobody's business but its
editor's) as ``application/ld+json``, readable by anyone (CORS ``*``):

* ``GET /api/programmes/{id}/ctdl`` — a CTDL ``@graph`` of the credential node and its
  awarding organisation's node (:mod:`credstack.core.descriptors.ctdl`), as the Credential
  Registry publishes a graph;
* ``GET /api/programmes/{id}/achievement`` — the ``Achievement`` credentials of that version
  carry, with the id they carry (``<public url>/achievements/<id>/v<version>``) and the
  awarding body's did:web as ``creator``.

Both are answered from the runtime's cache as the programme's page is — keyed by the store's
generation as the page reads it, so whatever changes the page changes them — with a strong
``ETag`` (``If-None-Match`` answers 304) and five minutes' public lifetime.

``credstack mc import`` reads both back (``--format ctdl`` / ``ob3``, or a ``.jsonld`` file).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query, Request, Response

from credstack.entrypoints.web.api.programmes import ProgrammeId
from credstack.entrypoints.web.caching import Cached, answer, remembered
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.programmes import exchange
from credstack.services.programmes.generations import page_generation
from credstack.services.runtime import Runtime

router = APIRouter(prefix="/api/programmes", tags=["programmes"])

MEDIA_TYPE: Final = "application/ld+json"
#: Readers may keep a copy for five minutes: a new version may be published at any time.
_CACHE: Final = "public, max-age=300"
_CORS: Final = {"Access-Control-Allow-Origin": "*"}
_JSON_LD: Final[dict[int | str, dict[str, Any]]] = {
    200: {"content": {MEDIA_TYPE: {"schema": {"type": "object"}}},
          "description": "The JSON-LD document."},
    304: {"description": "Not modified (If-None-Match)."},
    404: {"description": "No such programme, or no published version of it."},
}


def json_ld_response(request: Request, runtime: Runtime, key: tuple[Hashable, ...],
             document: Callable[[], dict[str, Any]]) -> Response:
    """The document ``key`` names, from the runtime's cache as the programme's page is
    (keyed by the store's generation as the page reads it, so a new version, an alignment or
    an organisation's change is never answered from an older one), with a strong ETag:
    ``If-None-Match`` answers 304."""
    cached = remembered(runtime, "programme-json-ld", (page_generation(runtime), *key),
                        lambda: Cached.of(json.dumps(document(), ensure_ascii=False).encode(),
                                          MEDIA_TYPE, _CORS))
    return answer(request, cached, _CACHE)


@router.get("/{programme_id}/ctdl", response_class=Response, responses=_JSON_LD,
            summary="The programme as CTDL JSON-LD (newest published version)")
def programme_ctdl(programme_id: ProgrammeId, request: Request, runtime: RuntimeDep
                   ) -> Response:
    """A CTDL ``@graph``: the programme's credential node, then its organisation's node.

    Every descriptor also travels in full in the credstack extension property, so that
    importing the graph gives the same programme back.
    """
    return json_ld_response(request, runtime, ("ctdl", programme_id),
                    lambda: exchange.programme_ctdl(runtime, programme_id=programme_id))


@router.get("/{programme_id}/achievement", response_class=Response, responses=_JSON_LD,
            summary="The programme as an Open Badges 3.0 Achievement (newest published version)")
def programme_achievement(
    programme_id: ProgrammeId,
    request: Request,
    runtime: RuntimeDep,
    language: Annotated[Literal["ja", "en"], Query(
        description="The language of the standard's own fields; the extension keeps every "
        "language.")] = "ja",
) -> Response:
    """The ``Achievement`` that credentials of the newest published version carry."""
    return json_ld_response(request, runtime, ("achievement", programme_id, language),
                    lambda: exchange.programme_achievement(runtime, programme_id=programme_id,
                                                           language=language))
