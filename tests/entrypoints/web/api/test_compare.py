"""GET /api/compare over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import copy

import httpx
import pytest

from credstack.core.descriptors.catalogue import credit_systems, descriptors
from tests.entrypoints.web.pages.test_programmes import DATA_LITERACY, GENERATIVE_AI, Registry, seed


@pytest.fixture
def registry(http: httpx.Client) -> Registry:
    return seed(http)


def test_compare_answers_every_descriptor_per_programme_in_the_order_asked(
        http: httpx.Client, registry: Registry) -> None:
    """ids=GAI,DX: two programmes in that order, 23 descriptors with a value each."""
    ai, dx = registry.ids["GAI-01"], registry.ids["DX-101"]
    response = http.get(f"/api/compare?ids={ai},{dx}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert [p["id"] for p in body["programmes"]] == [ai, dx]
    assert body["programmes"][1] == {
        "id": dx, "version": 1, "code": "DX-101", "organisation": "sakura-university",
        "title": DATA_LITERACY["title"], "page": f"/programmes/{dx}"}
    assert [d["key"] for d in body["descriptors"]] == [d.key for d in descriptors()]
    title = next(d for d in body["descriptors"] if d["key"] == "title")
    assert title["values"] == [GENERATIVE_AI["title"], DATA_LITERACY["title"]]
    assert title["differs"] is True and title["name"]["ja"] == "マイクロクレデンシャル名称"


def test_compare_marks_which_descriptors_differ(http: httpx.Client, registry: Registry
                                                ) -> None:
    """Two variants that differ only in title and hours: exactly those rows differ."""
    first = copy.deepcopy(GENERATIVE_AI) | {"code": "V-1"}
    second = copy.deepcopy(GENERATIVE_AI) | {"code": "V-2", "title": {"ja": "別名"},
                                             "learner_effort": {"hours": "20"}}
    ids = [http.post("/api/programmes", json={"descriptors": d, "publish": True}).json()["id"]
           for d in (first, second)]
    body = http.get("/api/compare", params={"ids": ids}).json()
    assert body["differences"] == ["title", "learner_effort"]
    differing = [d["key"] for d in body["descriptors"] if d["differs"]]
    assert differing == body["differences"]
    award = [d for d in body["descriptors"] if d["scope"] == "award"]
    assert len(award) == 3 and all(d["values"] == [None, None] for d in award)


def test_compare_normalises_effort_to_hours_and_each_credit_system(
        http: httpx.Client, registry: Registry) -> None:
    """90 h (2 単位, 3 ECTS stated) against 12 h: ranges per system, stated beside them."""
    dx, ai = registry.ids["DX-101"], registry.ids["GAI-01"]
    effort = http.get(f"/api/compare?ids={dx},{ai}").json()["effort"]
    assert effort["hours"] == ["90", "12"] and effort["differs"] is True
    systems = {s["system"]: s for s in effort["credit_systems"]}
    assert list(systems) == [s.value for s in credit_systems()]
    assert systems["ects"]["values"][0] == {"low": "3", "high": "3.6", "stated": "3"}
    assert systems["ects"]["values"][1] == {"low": "0.4", "high": "0.48", "stated": None}
    assert systems["ects"]["hours_per_credit"] == {"min": "25", "max": "30"}
    assert systems["jp-tani"]["values"][0] == {"low": "2", "high": "2", "stated": "2"}
    assert systems["nz-credit"]["name"]["en"] == "New Zealand credit"


def test_ids_may_be_repeated_and_duplicates_count_once(http: httpx.Client,
                                                       registry: Registry) -> None:
    """ids=1&ids=2,1 is the comparison of 1 and 2."""
    dx, ai = registry.ids["DX-101"], registry.ids["GAI-01"]
    body = http.get(f"/api/compare?ids={dx}&ids={ai},{dx}").json()
    assert [p["id"] for p in body["programmes"]] == [dx, ai]


def test_more_than_four_programmes_is_a_422_naming_ids(http: httpx.Client,
                                                       registry: Registry) -> None:
    """Five ids are refused before anything is read."""
    response = http.get("/api/compare?ids=1,2,3,4,5")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "At most 4" in problem["detail"]
    assert problem["errors"][0]["location"] == "ids"


@pytest.mark.parametrize("query", ["ids=abc", "ids=1,x", "ids=-3", "ids=", "ids=,",
                                   "ids=99999999999999999999", "", "ids=" + "1," * 200])
def test_malformed_ids_are_a_422(http: httpx.Client, query: str) -> None:
    """Not ids, no ids, an id beyond 64 bits or an absurd list: 422, never 500."""
    response = http.get(f"/api/compare?{query}")
    assert response.status_code == 422, response.text
    assert response.json()["status"] == 422


def test_unknown_ids_are_a_404_naming_each_of_them(http: httpx.Client,
                                                   registry: Registry) -> None:
    """One known id and two unknown ones: 404 saying 999998 and 999999."""
    response = http.get(f"/api/compare?ids={registry.ids['DX-101']},999998,999999")
    assert response.status_code == 404
    problem = response.json()
    assert "999998, 999999" in problem["detail"]
    assert [e["message"] for e in problem["errors"]] == [
        "999998 is not a published programme", "999999 is not a published programme"]


def test_drafts_are_not_compared(http: httpx.Client, registry: Registry) -> None:
    """A never-published programme is unknown; a published one compares its published version."""
    draft = copy.deepcopy(GENERATIVE_AI) | {"code": "DRAFT-1"}
    draft_id = http.post("/api/programmes",
                         json={"descriptors": draft, "publish": False}).json()["id"]
    response = http.get(f"/api/compare?ids={draft_id}")
    assert response.status_code == 404
    ai = registry.ids["GAI-01"]
    edited = copy.deepcopy(GENERATIVE_AI) | {"learner_effort": {"hours": "40"}}
    assert http.put(f"/api/programmes/{ai}",
                    json={"descriptors": edited, "publish": False}).status_code == 200
    body = http.get(f"/api/compare?ids={ai}").json()
    assert body["programmes"][0]["version"] == 1
    assert body["effort"]["hours"] == ["12"]


def test_the_comparison_api_is_in_the_openapi_description(http: httpx.Client) -> None:
    """GET /api/compare is documented, with its ids parameter."""
    operation = http.get("/openapi.json").json()["paths"]["/api/compare"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["ids"]
