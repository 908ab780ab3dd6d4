"""Skills and levels as a JSON API (issue 17) over :mod:`credstack.services.skills`.

Reading is public:

* ``GET /api/skills/frameworks`` — the frameworks, with their source and credit;
* ``GET /api/skills/{id}`` — an item (by CASE identifier or URI): its names, framework,
  broader and narrower items;
* ``GET /api/skills?q=&limit=`` — items whose names match ``q`` (ja or en), best first;
* ``GET /api/programmes/{id}/levels?framework=AQF`` — the programme's levels read in the
  reader's framework, each reading with its sources;
* ``GET /api/levels/frameworks`` — the frameworks a level can be read in;
* ``POST /api/skills/suggestions`` ``{"text"}`` — skills a job description speaks of;
* ``POST /api/skills/match`` ``{"skills": [uri…]}`` — programmes covering most of them;
* ``POST /api/skills/match/candidate`` ``{"skills", "shared", "access_code"}`` — which a
  candidate's shared credentials (a share link or a presentation) cover, and which are
  missing.

Writing (the services check who may):

* ``POST /api/skills/frameworks`` (``skills:manage``) — a CASE package as the body: 201
  ``created``/``replaced``, 200 ``unchanged``; a bad one 422 ``invalid-framework`` with
  every fault placed;
* ``PUT /api/skills/{id}/labels/{language}`` ``{"label"}`` (``skills:manage``);
* ``GET /api/programmes/{id}/alignments``, ``GET …/alignment-suggestions``,
  ``POST …/alignments`` ``{"outcome", "skill"}``, ``DELETE …/alignments``
  ``?outcome=&skill=`` (``programmes:write`` of the programme's organisation).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.entrypoints.web.access import AccessDep, client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import PathId
from credstack.services import candidates
from credstack.services.programmes import published
from credstack.services.skills import alignments, catalogue, frameworks, levels, matching

router = APIRouter(tags=["skills"])

_NO_STORE: Final = {"Cache-Control": "no-store"}
Language = Annotated[str, Query(pattern="^(ja|en)$")]


def _json(content: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers=_NO_STORE)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LabelBody(_Body):
    label: str = Field(max_length=1000)


class AlignmentBody(_Body):
    outcome: int = Field(ge=-1, le=1000, description="The outcome's index; -1: the programme.")
    skill: str = Field(max_length=1000, description="The item's URI or CASE identifier.")


class SuggestionBody(_Body):
    text: str = Field(max_length=matching.MAX_DESCRIPTION)


class MatchBody(_Body):
    skills: list[str] = Field(max_length=matching.MAX_ROLE_SKILLS)


class CandidateBody(MatchBody):
    shared: str = Field(max_length=2_000_000, description="A share link of this platform's "
                        "wallets, or a verifiable presentation (JSON or VP-JWT).")
    access_code: str | None = Field(default=None, max_length=64)


@router.get("/api/skills/frameworks", summary="The competency frameworks")
def read_frameworks(runtime: RuntimeDep) -> JSONResponse:
    return _json([view.to_dict() for view in frameworks.frameworks(runtime)])


@router.post("/api/skills/frameworks", summary="Import a CASE 1.1 package (the body)")
async def import_framework(request: Request, runtime: RuntimeDep,
                           access: AccessDep) -> JSONResponse:
    text = await request.body()
    done = frameworks.import_package(runtime, actor=access, text=text,
                                     source="request body")
    return _json(done.to_dict(), 200 if done.state == "unchanged" else 201)


@router.get("/api/skills", summary="Skills whose names match a text")
def find_skills(runtime: RuntimeDep, q: Annotated[str, Query(max_length=500)] = "",
                limit: Annotated[int, Query(ge=1, le=50)] = 10,
                lang: Language = "ja") -> JSONResponse:
    found = matching.suggest_skills(runtime, text=q, limit=limit) if q.strip() else []
    return _json([{**item.to_dict(), "label": item.name(lang), "score": score}
                  for item, score in found])


@router.post("/api/skills/suggestions", summary="Skills a job description speaks of")
def suggest(body: SuggestionBody, runtime: RuntimeDep, lang: Language = "ja") -> JSONResponse:
    return _json([{**item.to_dict(), "label": item.name(lang), "score": score}
                  for item, score in matching.suggest_skills(runtime, text=body.text)])


@router.post("/api/skills/match", summary="Programmes covering a role's skills")
def match(body: MatchBody, runtime: RuntimeDep, lang: Language = "ja") -> JSONResponse:
    skills = matching.role_skills(runtime, body.skills)
    return _json(matching.programmes_for(runtime, skills=skills).to_dict(lang))


@router.post("/api/skills/match/candidate",
             summary="Which of a role's skills a candidate's shared credentials cover")
def match_candidate(request: Request, body: CandidateBody, runtime: RuntimeDep,
                    lang: Language = "ja") -> JSONResponse:
    skills = matching.role_skills(runtime, body.skills)
    found = candidates.candidate(runtime, skills=skills, shared=body.shared,
                                 access_code=body.access_code,
                                 ip=client_ip(request),
                                 language=lang)
    return _json(found.to_dict(lang))


@router.get("/api/skills/{key:path}", summary="One skill, its broader and narrower skills")
def read_skill(key: Annotated[str, Path(max_length=1000)], runtime: RuntimeDep,
               lang: Language = "ja") -> JSONResponse:
    found = catalogue.item(runtime, key=key)
    broader = catalogue.items(runtime, catalogue.broader(runtime, found.uri))
    return _json({**found.to_dict(), "label": found.name(lang),
                  "broader": [{**b.to_dict(), "label": b.name(lang)} for b in broader.values()],
                  "narrower": [{**n.to_dict(), "label": n.name(lang)}
                               for n in catalogue.children(runtime, found.uri)]})


@router.put("/api/skills/{identifier}/labels/{language}", summary="Name a skill")
def put_label(identifier: Annotated[str, Path(max_length=200)],
              language: Annotated[str, Path(pattern="^(ja|en)$")], body: LabelBody,
              runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    found = catalogue.set_label(runtime, actor=access, key=identifier, language=language,
                                label=body.label)
    return _json(found.to_dict())


@router.get("/api/levels/frameworks", summary="The frameworks levels are read in")
def level_frameworks() -> JSONResponse:
    return _json({code: dict(name) for code, name in levels.frameworks().items()})


@router.get("/api/programmes/{programme_id}/levels",
            summary="A programme's levels in the reader's framework")
def programme_levels(programme_id: PathId, runtime: RuntimeDep,
                     framework: Annotated[str, Query(max_length=8)] = "EQF") -> JSONResponse:
    stored = published.published_programme(runtime, programme_id=programme_id)
    document = stored.programme.to_document()
    return _json({"programme": programme_id, "framework": framework,
                  "levels": [reading.to_dict()
                             for reading in levels.levels_in(document, framework)]})


@router.get("/api/programmes/{programme_id}/alignments", summary="A programme's alignments")
def read_alignments(programme_id: PathId, runtime: RuntimeDep,
                    lang: Language = "ja") -> JSONResponse:
    published.published_programme(runtime, programme_id=programme_id)
    return _json([found.to_dict(lang) for found
                  in alignments.alignments(runtime, programme_id=programme_id)])


@router.get("/api/programmes/{programme_id}/alignment-suggestions",
            summary="Suggested skills for each learning outcome")
def read_suggestions(programme_id: PathId, runtime: RuntimeDep, access: AccessDep,
                     lang: Language = "ja") -> JSONResponse:
    return _json([found.to_dict(lang) for found in alignments.suggestions(
        runtime, actor=access, programme_id=programme_id, language=lang)])


@router.post("/api/programmes/{programme_id}/alignments", status_code=201,
             summary="Confirm an outcome's alignment to a skill")
def confirm_alignment(programme_id: PathId, body: AlignmentBody, runtime: RuntimeDep,
                      access: AccessDep) -> JSONResponse:
    made = alignments.confirm(runtime, actor=access, programme_id=programme_id,
                              outcome=body.outcome, skill=body.skill)
    return _json(made.to_dict(), 201)


@router.delete("/api/programmes/{programme_id}/alignments",
               summary="Take an outcome's alignment back")
def remove_alignment(programme_id: PathId, runtime: RuntimeDep, access: AccessDep,
                     outcome: Annotated[int, Query(ge=-1, le=1000)],
                     skill: Annotated[str, Query(max_length=1000)]) -> JSONResponse:
    removed = alignments.remove(runtime, actor=access, programme_id=programme_id,
                                outcome=outcome, skill=skill)
    return _json({"removed": removed})
