"""GET /api/search over a real server, on SQLite and PostgreSQL, with the demo set loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credstack.adapters.db.repositories.programmes import import_documents
from credstack.core.registry.query import FACETS
from credstack.demo import load_demo_documents
from credstack.settings import Settings
from tests.accounts import store_session
from tests.conftest import LiveServer, operator_client, serve

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
DEMO = len(load_demo_documents().programmes)


def _serve_demo(settings: Settings) -> Iterator[LiveServer]:
    """The app on a store holding the demo set (loaded before the server starts)."""
    with store_session(settings) as session:
        import_documents(session, documents=load_demo_documents(), now=NOW, source="demo")
    yield from serve(settings)


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """One demo server for the module's tests that only search."""
    yield from _serve_demo(module_settings)


@pytest.fixture
def own_http(settings: Settings) -> Iterator[httpx.Client]:
    """The operator's client on a demo server of the test's own (for tests that add
    programmes, which the others would count)."""
    for live in _serve_demo(settings):
        with operator_client(live) as client:
            yield client


def _search(http: httpx.Client, **params: Any) -> dict[str, Any]:
    response = http.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def test_everything_is_found_without_a_query(http: httpx.Client) -> None:
    """No parameters: every published programme, newest first, with every facet."""
    body = _search(http)
    assert body["total"] == DEMO
    assert len(body["hits"]) == 20
    assert set(body["facets"]) == set(FACETS)
    assert body["next_token"] and body["suggestions"] == []
    hit = body["hits"][0]
    assert set(hit) == {"programme_id", "version", "title", "provider", "provider_slug",
                        "title_match", "links"}
    assert set(hit["title"]) >= {"ja", "en"}


@pytest.mark.parametrize("text", ["半導体", "半導", "介護", "AI", "semiconductor",
                                  "data science", "データ"])
def test_japanese_and_english_queries_find_programmes(http: httpx.Client, text: str) -> None:
    """Two-character Japanese queries, English words (stemmed) and Latin acronyms."""
    body = _search(http, q=text, limit=100)
    assert body["total"] > 0
    assert len(body["hits"]) == min(body["total"], 100)


def test_title_matches_come_first(http: httpx.Client) -> None:
    """Relevance: hits with every term in the title before the others."""
    flags = [hit["title_match"] for hit in _search(http, q="データ", limit=100)["hits"]]
    assert flags == sorted(flags, reverse=True) and flags[0]


def test_facet_filters_narrow_and_counts_add_up(http: httpx.Client) -> None:
    """Selecting a delivery mode gives as many hits as its count said."""
    everything = _search(http)
    online = next(fc for fc in everything["facets"]["delivery_mode"] if fc["value"] == "online")
    # Named in every language the registry names its vocabularies in (ja, en and the six).
    assert online["label"] == {"ja": "オンライン", "en": "Online", "ko": "온라인",
                               "zh-Hans": "线上", "th": "ออนไลน์",
                               "vi": "Trực tuyến", "id": "Daring", "ms": "Dalam talian"}
    filtered = _search(http, delivery_mode="online")
    assert filtered["total"] == online["count"]
    two = _search(http, delivery_mode=["online", "onsite"])
    assert two["total"] > filtered["total"]


def test_paging_with_tokens_lists_every_hit_once(http: httpx.Client) -> None:
    """Following next_token to the end gives the total, each programme once."""
    seen: list[int] = []
    params: dict[str, Any] = {"limit": 7, "sort": "title", "lang": "en"}
    for _ in range(100):
        body = _search(http, **params)
        seen += [hit["programme_id"] for hit in body["hits"]]
        if body["next_token"] is None:
            break
        params["after"] = body["next_token"]
    assert len(seen) == len(set(seen)) == DEMO


def test_a_tampered_page_token_is_a_400_problem(http: httpx.Client) -> None:
    """An altered token, or one from another search, is refused naming ``after``."""
    token = _search(http, q="データ", limit=2)["next_token"]
    altered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    for params in ({"q": "データ", "limit": 2, "after": altered},
                   {"q": "介護", "limit": 2, "after": token},
                   {"after": "not-a-token"}):
        response = http.get("/api/search", params=params)
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["type"] == "/problems/invalid-page-token"
        assert problem["errors"][0]["location"] == "after"


@pytest.mark.parametrize(("params", "parameter"), [
    ({"sort": "price"}, "sort"), ({"limit": "500"}, "limit"), ({"limit": "x"}, "limit"),
    ({"lang": "de"}, "lang"), ({"colour": "red"}, "colour"),
])
def test_bad_parameters_are_422_problems_naming_the_parameter(
        http: httpx.Client, params: dict[str, str], parameter: str) -> None:
    """The problem names the parameter; nothing is searched."""
    response = http.get("/api/search", params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == parameter


@pytest.mark.parametrize("text", ["介護" * 2500, "\" OR 1=1 --", "title:(a AND b*)", "🎓",
                                  "'unbalanced", "%00", "\\"])
def test_hostile_queries_are_normal_searches(http: httpx.Client, text: str) -> None:
    """10 KB of text, FTS syntax, quotes, emoji: a 200 with a result (maybe empty). (A
    control character, NUL among them, is refused before any route: ``test_text.py``.)"""
    body = _search(http, q=text)
    assert body["total"] >= 0


def test_unknown_facet_values_find_nothing(http: httpx.Client) -> None:
    """A provider that is not in the registry: zero results, not an error. The provider
    facet still lists the others (what choosing them instead would find) and the selected
    value at zero."""
    body = _search(http, provider="no-such-provider")
    assert body["total"] == 0
    providers = {fc["value"]: fc for fc in body["facets"]["provider"]}
    assert providers["no-such-provider"] == {
        "value": "no-such-provider", "count": 0,
        "label": dict.fromkeys(("ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms"),
                               "no-such-provider")}
    assert sum(fc["count"] for fc in providers.values()) == DEMO
    assert all(not counts for name, counts in body["facets"].items() if name != "provider")


def test_typos_get_suggestions(http: httpx.Client) -> None:
    """Nothing found: nearby queries that find something."""
    body = _search(http, q="semiconductr")
    assert body["total"] == 0
    assert "semiconductor" in body["suggestions"]


def test_responses_are_cacheable_and_revalidated(http: httpx.Client) -> None:
    """An ETag and public caching; If-None-Match with it gives 304 without a body."""
    first = http.get("/api/search", params={"q": "半導体"})
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first.headers["cache-control"] == "public, max-age=60"
    again = http.get("/api/search", params={"q": "半導体"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = http.get("/api/search", params={"q": "半導体"},
                    headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    other = http.get("/api/search", params={"q": "半導"}, headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert other.headers["etag"] != etag


def _new_programme(http: httpx.Client, code: str, title: dict[str, str], *,
                   publish: bool) -> dict[str, Any]:
    template = http.get("/api/programmes", params={"limit": 1}).json()["items"][0]
    descriptors = dict(template["descriptors"], code=code, title=title)
    response = http.post("/api/programmes",
                         json={"descriptors": descriptors, "publish": publish})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_published_programmes_are_searchable_at_once(own_http: httpx.Client) -> None:
    """Created, updated and published through the API: the search shows the newest
    published version as soon as the request returns; the ETag changes."""
    etag = own_http.get("/api/search", params={"q": "量子暗号"}).headers["etag"]
    created = _new_programme(own_http, "ZZ-QC-1",
                             {"ja": "量子暗号入門", "en": "Quantum Cryptography"}, publish=True)
    body = _search(own_http, q="量子暗号")
    assert [hit["programme_id"] for hit in body["hits"]] == [created["id"]]
    assert own_http.get("/api/search", params={"q": "量子暗号"}).headers["etag"] != etag
    assert _search(own_http)["total"] == DEMO + 1

    draft = dict(created["descriptors"], title={"ja": "量子暗号 上級", "en": "Advanced QC"})
    response = own_http.put(f"/api/programmes/{created['id']}",
                            json={"descriptors": draft, "publish": False})
    assert response.status_code == 200
    hit = _search(own_http, q="量子暗号")["hits"][0]
    assert (hit["version"], hit["title"]["en"]) == (1, "Quantum Cryptography")

    response = own_http.post(f"/api/programmes/{created['id']}/versions/2/publish")
    assert response.status_code == 200
    hits = _search(own_http, q="量子暗号")["hits"]
    assert [(h["version"], h["title"]["en"]) for h in hits] == [(2, "Advanced QC")]
    assert _search(own_http, q="Advanced QC")["hits"][0]["programme_id"] == created["id"]


def test_a_draft_is_not_searchable(own_http: httpx.Client) -> None:
    """Created unpublished: not in the registry."""
    _new_programme(own_http, "ZZ-DR-1", {"ja": "火山防災", "en": "Volcano Preparedness"},
                   publish=False)
    assert _search(own_http, q="火山防災")["total"] == 0


def test_the_api_is_documented(http: httpx.Client) -> None:
    """OpenAPI lists the search parameters, every facet among them."""
    operation = http.get("/openapi.json").json()["paths"]["/api/search"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"q", "sort", "lang", "limit", "after", *FACETS}
    assert {"200", "304", "400", "422"} <= set(operation["responses"])
