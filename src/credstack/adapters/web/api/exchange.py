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

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import programmes as repository
from credstack.adapters.db.repositories.keys import organisation_did
from credstack.adapters.db.repositories.organisations import find_row, to_organisation
from credstack.adapters.web.api.programmes import ProgrammeId
from credstack.adapters.web.dependencies import SessionDep
from credstack.core.credentials.openbadges_v3 import build_achievement
from credstack.core.descriptors import ctdl
from credstack.services.issuance import service as issuance

router = APIRouter(prefix="/api/programmes", tags=["programmes"])

MEDIA_TYPE: Final = "application/ld+json"
#: Readers may keep a copy for five minutes: a new version may be published at any time.
_HEADERS: Final = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}
_JSON_LD: Final[dict[int | str, dict[str, Any]]] = {
    200: {"content": {MEDIA_TYPE: {"schema": {"type": "object"}}},
          "description": "The JSON-LD document."},
    404: {"description": "No such programme, or no published version of it."},
}


def _published(session: Session, programme_id: int
               ) -> tuple[repository.StoredProgramme, repository.StoredVersion]:
    stored = repository.get_published_programme(session, programme_id=programme_id)
    return stored, stored.latest


def _json_ld(document: dict[str, Any]) -> Response:
    return Response(json.dumps(document, ensure_ascii=False), media_type=MEDIA_TYPE,
                    headers=_HEADERS)


@router.get("/{programme_id}/ctdl", response_class=Response, responses=_JSON_LD,
            summary="The programme as CTDL JSON-LD (newest published version)")
def programme_ctdl(programme_id: ProgrammeId, session: SessionDep) -> Response:
    """A CTDL ``@graph``: the programme's credential node, then its organisation's node.

    Every descriptor also travels in full in the credstack extension property, so that
    importing the graph gives the same programme back.
    """
    stored, version = _published(session, programme_id)
    row = find_row(session, stored.organisation_slug)
    organisations = [to_organisation(row)] if row is not None else []
    graph = ctdl.ctdl_graph(organisations, [version.programme])
    graph["@graph"].reverse()  # The credential first: it is what the document is about.
    return _json_ld(graph)


@router.get("/{programme_id}/achievement", response_class=Response, responses=_JSON_LD,
            summary="The programme as an Open Badges 3.0 Achievement (newest published version)")
def programme_achievement(
    programme_id: ProgrammeId,
    request: Request,
    session: SessionDep,
    language: Annotated[Literal["ja", "en"], Query(
        description="The language of the standard's own fields; the extension keeps every "
        "language.")] = "ja",
) -> Response:
    """The ``Achievement`` that credentials of the newest published version carry."""
    stored, version = _published(session, programme_id)
    public_url = request.app.state.settings.public_url
    body = version.programme.awarding_body
    creator = (organisation_did(public_url, stored.organisation_slug)
               if body is not None and body.id == stored.organisation_slug else None)
    achievement = build_achievement(
        programme=version.programme, language=language, creator_id=creator,
        achievement_id=issuance.achievement_url(public_url, programme_id, version.version))
    return _json_ld(achievement)
