"""Skills pages (issue 17), server-rendered and usable without JavaScript:

* ``GET /skills?q=`` — the frameworks (their source and credit, their CASE package) and a
  search for skills by name, in Japanese or English;
* ``GET /skills/{id or URI}`` — a skill: its names, framework, code, broader and narrower
  skills, the registry's programmes aligned to it or to a narrower one, and their providers
  (``?format=json`` or ``Accept: application/json``: the CASE ``CFItem``, so an Open Badges
  ``targetUrl`` of a framework published here resolves to a page and to JSON);
* ``GET /employers?text=&skill=…&action=suggest|match`` — the employer's match: a job
  description's suggested skills to tick, the chosen skills, and the programmes covering
  most of them with the coverage of each skill; ``POST /employers/candidate`` — which of the
  chosen skills a candidate's share link or presentation covers, and which are missing;
  for a signed-in person, the roles they saved (``?role=`` opens one into the form),
  ``POST /employers/roles`` saves the role shown under a title (the same title replaces it)
  and ``POST /employers/roles/{id}/delete`` deletes one;
* ``GET /workspace/{slug}/programmes/{id}/skills`` — the provider's alignments: each learning
  outcome with suggested skills to confirm or reject (each match put in words, never the
  ranker's number), the confirmed ones to remove, and a search of the loaded frameworks by
  name (``?outcome=N&q=…``) whose skills can be added (``POST …/skills/confirm``,
  ``…/skills/reject`` and ``…/skills/remove``, with the session's CSRF token).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.registry.query import SearchQuery
from credstack.core.skills.ranker import match_level
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import AccessDep, client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.ids import PathId
from credstack.entrypoints.web.pages.rendering import render
from credstack.entrypoints.web.pages.signed_in import WebUserDep, web_user
from credstack.entrypoints.web.pages.workspace.views import page, see_other
from credstack.errors import CredstackError, InputError, NotFoundError
from credstack.services import candidates
from credstack.services.organisations import service as organisations
from credstack.services.registry import service as registry
from credstack.services.skills import alignments, catalogue, frameworks, matching, roles

router = APIRouter(include_in_schema=False)

_SHOWN: Final = 20


def _wants_json(request: Request, format_: str | None) -> bool:
    accept = request.headers.get("accept", "")
    return format_ == "json" or ("application/json" in accept and "text/html" not in accept)


@router.get("/skills", response_class=HTMLResponse)
def skills_home(request: Request, runtime: RuntimeDep,
                q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    found = matching.suggest_skills(runtime, text=q, limit=_SHOWN) if q.strip() else []
    return render(request, "skills.html", section="skills", q=q, found=found,
                  frameworks=frameworks.frameworks(runtime))


@router.get("/skills/{key:path}", response_class=HTMLResponse, response_model=None)
def skill_page(key: str, request: Request, runtime: RuntimeDep,
               format_: Annotated[str | None, Query(alias="format", max_length=8)] = None
               ) -> Response:
    if len(key) > 1000:
        raise NotFoundError("No such skill. / そのスキルはありません。")
    found = catalogue.item(runtime, key=key)
    if _wants_json(request, format_):
        return Response(catalogue.item_json(runtime, identifier=found.identifier),
                        media_type="application/json",
                        headers={"Access-Control-Allow-Origin": "*"})
    language = i18n.negotiate(request).language
    result = registry.search(runtime, query=SearchQuery(
        filters={"skill": frozenset({found.uri})}, language=i18n.Translator(language).document,
        limit=_SHOWN))
    broader = catalogue.items(runtime, catalogue.broader(runtime, found.uri))
    return render(request, "skill.html", section="skills", item=found,
                  broader=list(broader.values()), narrower=catalogue.children(runtime, found.uri),
                  result=result,
                  providers=result.facets.get("provider", []) if result is not None else [],
                  framework=frameworks.framework(runtime, identifier=found.framework))


def _chosen(runtime: RuntimeDep, skills: list[str]) -> list[catalogue.SkillItem]:
    return list(catalogue.items(runtime, skills[:matching.MAX_ROLE_SKILLS]).values())


#: What a saved role's form may have done, shown once on the page it leads to.
_ROLE_DONE: Final = frozenset({"saved", "deleted"})


def _saved(runtime: RuntimeDep, access: AccessDep) -> list[roles.SavedRole] | None:
    """The signed-in person's saved roles; ``None`` for a visitor."""
    return roles.saved(runtime, actor=access) if web_user(access) else None


@router.get("/employers", response_class=HTMLResponse)
def employers(request: Request, runtime: RuntimeDep, access: AccessDep,
              text: Annotated[str, Query(max_length=matching.MAX_DESCRIPTION)] = "",
              skill: Annotated[list[str] | None, Query(max_length=40)] = None,
              add: Annotated[str, Query(max_length=200)] = "",
              action: Annotated[str, Query(max_length=16)] = "",
              role: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
              done: Annotated[str | None, Query(max_length=16)] = None) -> HTMLResponse:
    saved = _saved(runtime, access)
    opened = None
    if role is not None and saved is not None:
        opened = roles.role(runtime, actor=access, role_id=role)
        text, skill = opened.text, list(opened.skills)
    chosen = _chosen(runtime, skill or [])
    suggested: list[tuple[catalogue.SkillItem, float]] = []
    if action == "suggest" and text.strip():
        suggested = matching.suggest_skills(runtime, text=text)
    if add.strip():
        suggested += matching.suggest_skills(runtime, text=add, limit=5)
    shown = {item.uri for item in chosen}
    offered = [(item, score) for item, score in suggested if item.uri not in shown]
    match = matching.programmes_for(runtime, skills=chosen) \
        if (action == "match" or opened is not None) and chosen else None
    return render(request, "employers.html", section="employers", text=text, chosen=chosen,
                  offered=offered, match=match, candidate=None, problem=None,
                  max_skills=matching.MAX_ROLE_SKILLS, saved=saved, opened=opened,
                  role_title=opened.title if opened else "", role_problem=None,
                  done=done if done in _ROLE_DONE else None)


@router.post("/employers/roles", response_class=HTMLResponse)
def save_role(request: Request, runtime: RuntimeDep, access: WebUserDep,
              title: Annotated[str, Form(max_length=1000)] = "",
              text: Annotated[str, Form(max_length=matching.MAX_DESCRIPTION)] = "",
              skill: Annotated[list[str] | None, Form(max_length=40)] = None) -> Response:
    try:
        made = roles.save(runtime, actor=access, title=title, text=text, skills=skill or [])
    except InputError as exc:
        language = i18n.negotiate(request).language
        return render(request, "employers.html", section="employers", text=text,
                      chosen=_chosen(runtime, skill or []), offered=[], match=None,
                      candidate=None, problem=None, max_skills=matching.MAX_ROLE_SKILLS,
                      saved=roles.saved(runtime, actor=access), opened=None,
                      role_title=title, role_problem=said(exc, language),
                      done=None, status_code=422)
    return see_other(f"/employers?role={made.id}&done=saved#saved-roles-title")


@router.post("/employers/roles/{role_id:int}/delete", response_class=HTMLResponse)
def delete_role(role_id: PathId, runtime: RuntimeDep, access: WebUserDep) -> Response:
    roles.delete(runtime, actor=access, role_id=role_id)
    return see_other("/employers?done=deleted#saved-roles-title")


@router.post("/employers/candidate", response_class=HTMLResponse)
def employers_candidate(request: Request, runtime: RuntimeDep, access: AccessDep,
                        skill: Annotated[list[str] | None, Form(max_length=40)] = None,
                        shared: Annotated[str, Form(max_length=2_000_000)] = "",
                        access_code: Annotated[str, Form(max_length=64)] = "") -> HTMLResponse:
    language = i18n.negotiate(request).language
    chosen = _chosen(runtime, skill or [])
    candidate, problem, status = None, None, 200
    try:
        if not chosen:
            raise InputError(code="employers.error.choose_skills")
        candidate = candidates.candidate(
            runtime, skills=chosen, shared=shared, access_code=access_code.strip() or None,
            ip=client_ip(request), language=language)
    except CredstackError as exc:
        problem, status = said(exc, language), 422
    return render(request, "employers.html", section="employers", text="", chosen=chosen,
                  offered=[], match=None, candidate=candidate, problem=problem,
                  status_code=status, max_skills=matching.MAX_ROLE_SKILLS,
                  saved=_saved(runtime, access), opened=None, role_title="",
                  role_problem=None, done=None)


def _alignment_page(request: Request, runtime: RuntimeDep, access: Any, slug: str,
                    programme_id: int, searched: int | None, q: str) -> HTMLResponse:
    language = i18n.negotiate(request).language
    found = alignments.suggestions(runtime, actor=access, programme_id=programme_id,
                                   language=language)
    confirmed = alignments.alignments(runtime, programme_id=programme_id)
    # The search is the one outcome's whose form was sent; the others show an empty field.
    query = " ".join(q.split())
    results = alignments.find(runtime, text=query) if searched is not None and query else []
    # The page is headed by the organisation's name, never its slug (issue 39, item 14).
    try:
        organisation_name = organisations.get_organisation(
            runtime, slug=slug).organisation.name
    except NotFoundError:
        organisation_name = None
    return page(request, "alignments.html", slug=slug, programme_id=programme_id,
                outcomes=found, confirmed=confirmed, organisation_name=organisation_name,
                searched=searched if query else None, q=query, results=results,
                match_level=match_level)


@router.get("/workspace/{slug}/programmes/{programme_id:int}/skills",
            response_class=HTMLResponse)
def alignment_page(slug: str, programme_id: PathId, request: Request, runtime: RuntimeDep,
                   access: WebUserDep,
                   outcome: Annotated[int | None, Query(ge=-1, le=1000)] = None,
                   q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    return _alignment_page(request, runtime, access, slug, programme_id, outcome, q)


@router.post("/workspace/{slug}/programmes/{programme_id:int}/skills/confirm",
             response_class=HTMLResponse)
def alignment_confirm(slug: str, programme_id: PathId, runtime: RuntimeDep, access: WebUserDep,
                      outcome: Annotated[int, Form(ge=-1, le=1000)],
                      skill: Annotated[str, Form(max_length=1000)]) -> Response:
    alignments.confirm(runtime, actor=access, programme_id=programme_id, outcome=outcome,
                       skill=skill)
    return see_other(f"/workspace/{slug}/programmes/{programme_id}/skills#outcome-{outcome}")


@router.post("/workspace/{slug}/programmes/{programme_id:int}/skills/reject",
             response_class=HTMLResponse)
def alignment_reject(slug: str, programme_id: PathId, runtime: RuntimeDep, access: WebUserDep,
                     outcome: Annotated[int, Form(ge=-1, le=1000)],
                     skill: Annotated[str, Form(max_length=1000)]) -> Response:
    alignments.reject(runtime, actor=access, programme_id=programme_id, outcome=outcome,
                      skill=skill)
    return see_other(f"/workspace/{slug}/programmes/{programme_id}/skills#outcome-{outcome}")


@router.post("/workspace/{slug}/programmes/{programme_id:int}/skills/remove",
             response_class=HTMLResponse)
def alignment_remove(slug: str, programme_id: PathId, runtime: RuntimeDep, access: WebUserDep,
                     outcome: Annotated[int, Form(ge=-1, le=1000)],
                     skill: Annotated[str, Form(max_length=1000)]) -> Response:
    alignments.remove(runtime, actor=access, programme_id=programme_id, outcome=outcome,
                      skill=skill)
    return see_other(f"/workspace/{slug}/programmes/{programme_id}/skills#outcome-{outcome}")
