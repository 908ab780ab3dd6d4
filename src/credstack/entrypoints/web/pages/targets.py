"""The registry's credit targets: the list, one target's page and its CTDL.

* ``GET /targets`` — every published target (its newest version), by organisation;
* ``GET /targets/{id}`` — one published target version: its organisation, credit system and
  total, the caps and minimums of its jurisdiction and of its own (each with its source),
  and every requirement with the registry programmes that satisfy it (a programme named by
  its page or one version's achievement id links to that programme; one named otherwise is
  shown as it is written; a requirement of credits in a field links to the search for that
  field);
* ``GET /targets/{id}/history`` — every published version of that target, newest first, when
  it was published and what changed in its rules since the version before (said by
  :mod:`credstack.core.creditbank.changes`), each linking to its own page;
* ``GET /targets/{id}.jsonld`` — the target as a CTDL ``ceterms:Pathway`` with its
  ``ceterms:TransferValueProfile`` s (:mod:`credstack.core.descriptors.ctdl.pathways`),
  readable by anyone, like the programmes' CTDL.

A programme's page says which targets it stacks into (:func:`stacks_into`, used by
:mod:`.programmes`). Server-rendered, without JavaScript.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from credstack.core.creditbank.jurisdictions import Rule, jurisdictions
from credstack.core.creditbank.pathways import Requirement, Target
from credstack.core.descriptors.ctdl.pathways import target_graph
from credstack.core.registry.pathways import Match, StackingIndex, named_programme
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.rendering import render
from credstack.errors import NotFoundError
from credstack.services.creditbank import targets
from credstack.services.creditbank.targets import PublishedTarget
from credstack.services.organisations import providers
from credstack.services.programmes import published
from credstack.services.programmes.views import StoredProgramme
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

#: A target's public id (``secrets.token_hex(16)``).
PUBLIC_ID = re.compile(r"[0-9a-f]{32}")
MEDIA_TYPE = "application/ld+json"
_HEADERS = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}


@dataclass(frozen=True, slots=True)
class ProgrammeShown:
    """One programme a requirement names: the registry's programme when it is one."""

    reference: str
    stored: StoredProgramme | None = None
    version: int | None = None

    @property
    def url(self) -> str | None:
        return f"/programmes/{self.stored.id}" if self.stored is not None else None


@dataclass(frozen=True, slots=True)
class RequirementShown:
    requirement: Requirement
    programmes: tuple[ProgrammeShown, ...]

    @property
    def needed(self) -> int:
        return self.requirement.choose or len(self.programmes)

    @property
    def search_url(self) -> str | None:
        field = self.requirement.field
        return f"/search?field={field}" if field and not self.programmes else None


@dataclass(frozen=True, slots=True)
class RuleShown:
    rule: Rule
    limit: Decimal | None
    #: Whether the target adopts it from its jurisdiction (else it is the target's own).
    adopted: bool


def _public_url(request: Request, runtime: Runtime) -> str:
    return runtime.settings.public_url.rstrip("/")


def _found(public_id: str, runtime: Runtime) -> tuple[PublishedTarget, bool]:
    if not PUBLIC_ID.fullmatch(public_id):
        raise NotFoundError(f"No published credit target {public_id[:40]!r}. / "
                            "その単位認定の目標は公開されていません。")
    return targets.published_target(runtime, public_id)


def _programme(runtime: Runtime, reference: str, public_url: str) -> ProgrammeShown:
    named = named_programme(reference, public_url)
    if named is None:
        return ProgrammeShown(reference)
    try:
        stored = published.published_programme(runtime, programme_id=named.programme_id)
    except NotFoundError:
        return ProgrammeShown(reference, version=named.version)
    return ProgrammeShown(reference, stored, named.version)


def _rules(target: Target) -> list[RuleShown]:
    known = jurisdictions().get(target.jurisdiction or "")
    adopted = set(known.rules) if known is not None else set()
    return [RuleShown(rule, rule.limit(target.total), rule.id in adopted)
            for rule in target.rules]


@router.get("/targets", response_class=HTMLResponse)
def target_list(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    return render(request, "targets.html", section="targets",
                  items=targets.newest_published(runtime), jurisdictions=jurisdictions())


@router.get("/targets/{public_id}.jsonld", response_class=Response)
def target_ctdl(request: Request, public_id: str, runtime: RuntimeDep) -> Response:
    found, _ = _found(public_id, runtime)
    public_url = _public_url(request, runtime)
    names: dict[str, dict[str, str]] = {}
    in_registry: set[str] = set()
    for requirement in found.target.requirements:
        for reference in requirement.programmes:
            shown = _programme(runtime, reference, public_url)
            if shown.stored is None:
                continue  # a programme elsewhere: a node of its own in the graph
            in_registry.add(reference)
            if shown.stored.programme.title is not None:
                names[reference] = dict(shown.stored.programme.title.root)
    document = target_graph(found.target, organisation=found.organisation,
                            page_url=f"{public_url}/targets/{found.public_id}",
                            programme_names=names, in_registry=in_registry)
    return Response(json.dumps(document, ensure_ascii=False), media_type=MEDIA_TYPE,
                    headers=_HEADERS)


@router.get("/targets/{public_id}", response_class=HTMLResponse)
def target_page(request: Request, public_id: str, runtime: RuntimeDep) -> HTMLResponse:
    found, newest = _found(public_id, runtime)
    public_url = _public_url(request, runtime)
    try:
        provider = providers.get_provider(runtime, slug=found.organisation)
    except NotFoundError:
        provider = None
    target = found.target
    requirements = [RequirementShown(r, tuple(_programme(runtime, reference, public_url)
                                              for reference in r.programmes))
                    for r in target.requirements]
    known = jurisdictions().get(target.jurisdiction or "")
    return render(request, "target.html", section="targets", found=found, target=target,
                  newest=newest, provider=provider, requirements=requirements,
                  rules=_rules(target), jurisdiction=known)


@router.get("/targets/{public_id}/history", response_class=HTMLResponse)
def target_history(request: Request, public_id: str, runtime: RuntimeDep) -> HTMLResponse:
    _found(public_id, runtime)  # a malformed id is not found before any query
    versions = targets.history(runtime, public_id)
    return render(request, "target_history.html", section="targets", versions=versions,
                  target=versions[0].published.target, newest=versions[0].published)


# --- a programme's page -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StacksInto:
    """A published target that takes a programme, and the requirements that take it."""

    target: PublishedTarget
    named: tuple[Requirement, ...]
    by_field: tuple[Requirement, ...]

    @property
    def url(self) -> str:
        return f"/targets/{self.target.public_id}"


#: The runtime's cache of each published target version's :class:`StackingIndex`, by
#: (public id, public URL): a published version never changes, so it is worked out once.
INDEX_CACHE = "registry.stacking-indexes"
_INDEXES_MAX = 4096


def _index(runtime: Runtime, item: PublishedTarget, public_url: str) -> StackingIndex:
    indexes: dict[tuple[str, str], StackingIndex] = runtime.caches.setdefault(INDEX_CACHE, {})
    key = (item.public_id, public_url)
    found = indexes.get(key)
    if found is None:
        if len(indexes) >= _INDEXES_MAX:
            indexes.clear()
        found = indexes[key] = StackingIndex.of(item.target, public_url)
    return found


def stacks_into(runtime: Runtime, request: Request, *, programme_id: int,
                fields: tuple[str, ...]) -> list[StacksInto]:
    """The published targets whose requirements name the programme, or take credits in one
    of its ``fields`` (see :mod:`credstack.core.registry.pathways`)."""
    public_url = _public_url(request, runtime)
    found: list[StacksInto] = []
    for item in targets.newest_published(runtime):
        matches = _index(runtime, item, public_url).stacking(programme_id=programme_id,
                                                              fields=fields)
        if matches:
            found.append(StacksInto(
                item, tuple(m.requirement for m in matches if m.match is Match.NAMED),
                tuple(m.requirement for m in matches if m.match is Match.FIELD)))
    return found
