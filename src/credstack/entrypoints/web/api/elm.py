"""ELM v3 over HTTP: a credential as a sealed European Digital Credential, a programme as an
ELM dataset.

* ``GET /api/credentials/{credential_id}/edc.json?lang=ja|en&profile=elm-3.1|elm-3.2`` — the
  EDC of a credential credstack issued, sealed as JAdES-B with the organisation's certificate,
  for its issuer's staff and its learner (``lang``: the primary language Europass shows);
* ``GET /api/programmes/{id}/elm`` — the newest published version of a programme as an ELM
  dataset (its Qualification or LearningAchievementSpecification, its LearningOpportunities,
  its organisation), readable by anyone as the CTDL graph is; ``credstack mc import`` reads
  it back. ``?profile=register`` gives it as the EU's Qualification Dataset Register takes it
  (docs/elm-export.md), or a 409 problem naming, in English and Japanese, why the Register
  would not take the programme.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.api.exchange import json_ld_response
from credstack.entrypoints.web.api.programmes import ProgrammeId
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services import elm_export

router = APIRouter(tags=["elm"])


@router.get("/api/credentials/{credential_id:path}/edc.json", response_class=Response,
            summary="The credential as a sealed European Digital Credential (ELM v3)",
            responses={200: {"content": {"application/json": {}},
                             "description": "A JAdES-B seal (JWS JSON serialisation)."}})
async def credential_edc(credential_id: str, runtime: RuntimeDep, access: AccessDep,
                         lang: Annotated[Literal["ja", "en"], Query(
                             description="The primary language.")] = "ja",
                         profile: Annotated[Literal["elm-3.1", "elm-3.2"], Query(
                             description="The EC's ELM 3.1 envelope (EDC shapes) or EBSI's "
                             "ELM 3.2 (EBSI's JSON Schema).")] = "elm-3.1") -> Response:
    made = await run_in_threadpool(elm_export.credential_edc, runtime, actor=access,
                                   credential_id=credential_id, language=lang,
                                   profile=profile)
    return Response(made.data, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"',
        "Cache-Control": "no-store"})


@router.get("/api/programmes/{programme_id}/elm", response_class=Response,
            summary="The programme as an ELM dataset (newest published version)")
def programme_elm(programme_id: ProgrammeId, request: Request, runtime: RuntimeDep,
                  profile: Annotated[Literal["default", "register"], Query(
                      description="default: every descriptor also in credstack's extension "
                      "(the EDC shapes); register: what the EU's Qualification Dataset "
                      "Register takes (the LOQ shapes), 409 with the reasons (en, ja) when it "
                      "would not take the programme.")] = "default") -> Response:
    """Its Qualification (or LearningAchievementSpecification), its LearningOpportunities
    and its organisation; every descriptor also travels whole in the extension, but in the
    Register profile."""
    register = profile == "register"
    return json_ld_response(request, runtime, ("elm", programme_id, profile),
                            lambda: elm_export.programme_dataset(
                                runtime, programme_id=programme_id, register=register))
