"""``/console/federation``: the intermediate entities the trust anchor lists — organisations
running their own credstack — with how many providers each lists, registering one by its
entity identifier, and removing one (with its providers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import FormText, WebUserDep
from credstack.entrypoints.web.pages.console.views import page, problem_of, see_other
from credstack.errors import CredstackError, InputError
from credstack.services.federation import imports, intermediates
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)


def _page(request: Request, runtime: Runtime, access: Access, *, status_code: int = 200,
          **context: Any) -> HTMLResponse:
    values: dict[str, Any] = {"problem": None, "entity_id": "", **context}
    found = intermediates.intermediates(runtime, actor=access)
    providers: dict[str, int] = {}
    for source, _ in imports.member_providers(runtime):
        providers[source.url] = providers.get(source.url, 0) + 1
    return page(request, "console_federation.html", here="federation", status_code=status_code,
                intermediates=found, providers=providers, **values)


@router.get("/console/federation", response_class=HTMLResponse)
def federation(request: Request, runtime: RuntimeDep, access: WebUserDep,
               done: Annotated[str | None, Query()] = None) -> Response:
    return _page(request, runtime, access, done=done)


@router.post("/console/federation/intermediates", response_class=HTMLResponse)
def register(request: Request, runtime: RuntimeDep, access: WebUserDep,
             entity_id: FormText = "") -> Response:
    try:
        if not entity_id.strip().startswith(("https://", "http://")):
            raise InputError("An entity identifier is the URL of the entity. / エンティティ識別子"
                             "はエンティティの URL です。")
        intermediates.register_intermediate(runtime, actor=access, entity_id=entity_id.strip())
    except CredstackError as exc:
        problem = problem_of(request, exc)
        return _page(request, runtime, access, status_code=problem.status, problem=problem,
                     entity_id=entity_id)
    return see_other("/console/federation?done=registered")


@router.post("/console/federation/intermediates/remove", response_class=HTMLResponse)
def remove(request: Request, runtime: RuntimeDep, access: WebUserDep,
           entity_id: FormText = "") -> Response:
    try:
        intermediates.remove_intermediate(runtime, actor=access, entity_id=entity_id.strip())
    except CredstackError as exc:
        problem = problem_of(request, exc)
        return _page(request, runtime, access, status_code=problem.status, problem=problem)
    return see_other("/console/federation?done=intermediate_removed")
