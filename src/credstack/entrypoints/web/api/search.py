"""The registry search API: ``GET /api/search``.

Thin: the URL's parameters become a :class:`~credstack.core.registry.query.SearchQuery`
(:func:`~credstack.core.registry.query.parse_query`, 422 naming a bad parameter), the
process's index answers it, and the result goes out as JSON with an ``ETag`` — a hash of the
index's generation and the query — and ``Cache-Control: public, max-age=60``; a request whose
``If-None-Match`` names the current ETag gets ``304 Not Modified`` without a search. A page
token the index did not issue for this search is a ``400`` problem naming ``after``.
"""

from __future__ import annotations

import hashlib

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from credstack.core.registry.query import FACETS, MAX_LIMIT, SORTS, SearchQuery, parse_query
from credstack.entrypoints.web.caching import Cached, kept, remembered
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.problems import MEDIA_TYPE
from credstack.errors import ConfigurationError
from credstack.services.registry import service as registry

router = APIRouter(prefix="/api", tags=["registry search"])

CACHE_CONTROL = "public, max-age=60"


class FacetCountPublic(BaseModel):
    value: str
    count: int
    label: dict[str, str] = Field(description='The value\'s name: {"ja": …, "en": …}.')


class HitPublic(BaseModel):
    programme_id: int
    version: int = Field(description="The newest published version.")
    title: dict[str, str]
    provider: dict[str, str]
    provider_slug: str
    title_match: bool = Field(description="Every query term is in the title.")
    links: dict[str, str]


class SearchResultPublic(BaseModel):
    total: int
    hits: list[HitPublic]
    facets: dict[str, list[FacetCountPublic]] = Field(
        description="Every facet, its values with a count above zero (largest first, at most "
                    "100) and the selected values. A facet's counts leave out its own "
                    "selection: they say how many results each value would give.")
    next_token: str | None = Field(description="Pass as `after` for the next page.")
    suggestions: list[str] = Field(description="Queries that find something, when nothing "
                                               "was found.")


def etag(generation: str, query: SearchQuery) -> str:
    """A strong validator: the same index and the same search give the same body."""
    canonical = orjson.dumps([generation, query.text, sorted(
        (name, sorted(values)) for name, values in query.filters.items()),
        query.sort, query.language, query.limit, query.after])
    return '"' + hashlib.sha256(canonical).hexdigest()[:32] + '"'


def _no_index() -> ConfigurationError:
    return ConfigurationError("This service keeps no search index. / "
                              "このサービスには検索索引がありません。")


def _matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    candidates = [item.strip().removeprefix("W/") for item in header.split(",")]
    return "*" in candidates or tag in candidates


def _parameter(name: str, description: str, *, repeated: bool = False) -> dict[str, object]:
    schema: dict[str, object] = ({"type": "array", "items": {"type": "string"}} if repeated
                                 else {"type": "string"})
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


#: The search's parameters, as OpenAPI states them. Declared here rather than in the route's
#: signature: the route reads them in one place (:func:`parse_query`), and having FastAPI
#: read twenty declared parameters first took more CPU than the search.
PARAMETERS: list[dict[str, object]] = [
    _parameter("q", "Words to find, in Japanese or English (title, description, outcomes, "
                    "provider, skills)."),
    _parameter("sort", f"One of {', '.join(SORTS)} (default relevance)."),
    _parameter("lang", "ja or en: the title sort's language (default ja)."),
    _parameter("limit", f"Hits per page, 1–{MAX_LIMIT} (default 20)."),
    _parameter("after", "The `next_token` of the previous page."),
    *(_parameter(name, f"Select `{name}` values (repeat for several: any of them).",
                 repeated=True) for name in FACETS),
]


@router.get(
    "/search", response_model=SearchResultPublic,
    summary="Search the registry: text, facets, sort, pages",
    responses={304: {"description": "Not modified (If-None-Match)."},
               400: {"description": "A page token this search did not issue.",
                     "content": {MEDIA_TYPE: {}}},
               422: {"description": "A parameter that is not understood.",
                     "content": {MEDIA_TYPE: {}}}},
    openapi_extra={"parameters": PARAMETERS},
)
async def search(request: Request, runtime: RuntimeDep) -> Response:
    """A search answered from the process's index; the same search of the same index is
    answered from the runtime's cache, without a thread (its ETag names both)."""
    params: dict[str, str | list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name in FACETS:
            existing = params.setdefault(name, [])
            assert isinstance(existing, list)
            existing.append(value)
        else:
            params[name] = value
    query = parse_query(params)
    generation = registry.search_generation(runtime)
    if generation is None:
        raise _no_index()
    tag = etag(generation, query)
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    found = kept(runtime, "search", tag)
    if found is None:
        found = await run_in_threadpool(remembered, runtime, "search", tag,
                                        lambda: _searched(runtime, query, tag))
    return Response(found.body, media_type="application/json", headers=headers)


def _searched(runtime: RuntimeDep, query: SearchQuery, tag: str) -> Cached:
    result = registry.search(runtime, query=query)
    if result is None:
        raise _no_index()
    return Cached(orjson.dumps(result.to_dict()), "application/json", etag=tag)
