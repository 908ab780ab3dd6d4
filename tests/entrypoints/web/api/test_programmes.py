"""The HTTP API, spoken to over a real socket, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from credstack.settings import Settings
from tests.conftest import LiveServer, operator_token, serve
from tests.helpers import organisation, programme

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def _reading_server(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests that store nothing (they read, are
    refused or validate), so that what one counts no other changes; those that add an
    organisation or programmes have a server of their own (``http``)."""
    yield from serve(module_settings)


@pytest.fixture(scope="module")
def _reader_token(_reading_server: LiveServer) -> str:
    return operator_token(_reading_server)


@pytest.fixture
def reader(_reading_server: LiveServer, _reader_token: str) -> Iterator[httpx.Client]:
    """The platform operator's client of the shared server, with no cookie of another
    test's."""
    with httpx.Client(base_url=_reading_server.url, timeout=30,
                      headers={"Authorization": f"Bearer {_reader_token}"}) as client:
        yield client


@pytest.fixture
def provider(http: httpx.Client) -> dict:
    response = http.post("/api/organisations", json=organisation())
    assert response.status_code == 201, response.text
    return response.json()


def _create(http: httpx.Client, **changes) -> httpx.Response:
    return http.post("/api/programmes", json={"descriptors": programme(**changes)})


def test_openapi_document_lists_the_api(reader):
    """/openapi.json describes the programme, organisation and validation endpoints."""
    paths = reader.get("/openapi.json").json()["paths"]
    assert {"/api/programmes", "/api/programmes/{programme_id}", "/api/organisations",
            "/api/validate", "/api/profiles", "/api/schema/descriptors.json"} <= set(paths)


def test_create_returns_the_programme_with_validation(http, provider):
    """POST /api/programmes answers 201, a Location and a report for every profile."""
    response = _create(http)
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"/api/programmes/{body['id']}"
    assert body["version"]["version"] == 1 and body["version"]["status"] == "published"
    verdicts = {r["profile"]: r["conforms"] for r in body["validation"]}
    assert verdicts == {"jp-mc": True, "eu-2022": False, "au-nmf-2022": False,
                        "my-mqa": False, "jp-rishu": False}


def test_read_and_list_return_what_was_stored(http, provider):
    """GET by id and the list give back the stored descriptors."""
    created = _create(http).json()
    read = http.get(f"/api/programmes/{created['id']}").json()
    assert read["descriptors"]["title"]["ja"] == "実践データサイエンス入門"
    listing = http.get("/api/programmes", params={"organisation": "hokuto-tech"}).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == created["id"]


def test_update_creates_a_new_version_and_keeps_the_old(http, provider):
    """PUT with changed descriptors adds version 2; version 1 is still served unchanged."""
    created = _create(http).json()
    updated = http.put(f"/api/programmes/{created['id']}",
                       json={"descriptors": programme(languages=["ja", "en"])}).json()
    assert (updated["change"], updated["version"]["version"]) == ("new-version", 2)
    versions = http.get(f"/api/programmes/{created['id']}/versions").json()
    assert [v["descriptors"]["languages"] for v in versions] == [["ja"], ["ja", "en"]]
    same = http.put(f"/api/programmes/{created['id']}",
                    json={"descriptors": programme(languages=["ja", "en"])}).json()
    assert same["change"] == "unchanged"


def test_a_programme_read_with_get_is_written_back_as_it_is(http, provider):
    """GET's answer goes back to PUT unchanged (unchanged), edited (a new version), and to
    POST as a new programme: the computed fields are read-only and ignored."""
    created = _create(http).json()
    read = http.get(f"/api/programmes/{created['id']}").json()
    same = http.put(f"/api/programmes/{created['id']}", json=read)
    assert same.status_code == 200, same.text
    assert same.json()["change"] == "unchanged"
    read["descriptors"]["languages"] = ["ja", "en"]
    edited = http.put(f"/api/programmes/{created['id']}", json=read)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["change"], edited.json()["version"]["version"]) == ("new-version", 2)
    copy = http.get(f"/api/programmes/{created['id']}").json()
    copy["descriptors"]["code"] = "COPY-1"
    posted = http.post("/api/programmes", json=copy)
    assert posted.status_code == 201, posted.text
    assert posted.json()["code"] == "COPY-1" and posted.json()["id"] != created["id"]


def test_a_programme_sent_to_another_programmes_address_is_refused(http, provider):
    """PUT of programme A's body to B's address: 422 naming body: id, nothing changed."""
    first = _create(http).json()
    second = _create(http, code="OTHER-1").json()
    response = http.put(f"/api/programmes/{second['id']}", json=first)
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "body: id"
    assert http.get(f"/api/programmes/{second['id']}").json()["version"]["version"] == 1


def test_draft_then_publish(http, provider):
    """A draft can be published once; publishing again is a 409 problem."""
    created = http.post("/api/programmes",
                        json={"descriptors": programme(), "publish": False}).json()
    assert created["version"]["status"] == "draft"
    url = f"/api/programmes/{created['id']}/versions/1/publish"
    assert http.post(url).json()["version"]["status"] == "published"
    again = http.post(url)
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM


def test_bad_descriptors_are_a_problem_naming_each_place(http, provider):
    """Unknown keys and negative hours give one 422 problem listing both, and store nothing."""
    response = _create(http, learner_efort={"hours": 3}, learner_effort={"hours": -2})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    locations = {e["location"]: e["message"] for e in problem["errors"]}
    assert "did you mean 'learner_effort'" in locations["body: descriptors.learner_efort"]
    assert "greater than 0" in locations["body: descriptors.learner_effort.hours"]
    assert http.get("/api/programmes").json()["total"] == 0


def test_duplicate_programme_is_a_conflict(http, provider):
    """Creating the same provider + code twice is a 409 that says to update instead."""
    _create(http)
    response = _create(http)
    assert response.status_code == 409 and "update it instead" in response.json()["detail"]


def test_unknown_awarding_body_is_refused(reader):
    """A programme of an organisation that does not exist is a 422 naming awarding_body.id."""
    response = _create(reader)
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"].endswith("awarding_body.id")


def test_missing_programme_is_a_404_problem(reader):
    """An unknown id is a 404 problem with the id in its detail."""
    response = reader.get("/api/programmes/987654")
    assert response.status_code == 404 and "987654" in response.json()["detail"]


def test_oversized_body_is_refused_before_reading(reader):
    """A body over the limit gets 413 with the limit stated."""
    response = reader.post("/api/programmes", content=b"{" + b" " * 2_000_000 + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and "1,048,576" in response.json()["detail"]


def test_an_oversized_form_post_from_a_browser_gets_a_page(reader):
    """A person posting a huge form reads an HTML page saying why, not JSON; on /verify, the
    verification page itself says it, beside its form."""
    browser = {"content-type": "application/octet-stream",
               "accept": "text/html,application/xhtml+xml"}
    response = reader.post("/sign-in", content=b"x" * 2_000_000, headers=browser)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "1,048,576" in response.text
    response = reader.post("/verify", content=b"x" * 2_000_000, headers=browser)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="verify-problem"' in response.text and "1 MB" in response.text


def test_validate_without_storing(reader):
    """POST /api/validate reports per requested profile and stores nothing."""
    bad = programme(assessment={"methods": ["participation"]})
    response = reader.post("/api/validate",
                           params=[("profile", "jp-mc"), ("profile", "jp-rishu")], json=bad)
    reports = response.json()["reports"]
    assert [r["profile"] for r in reports] == ["jp-mc", "jp-rishu"]
    assert all(not r["is_micro_credential"] for r in reports)
    assert reader.get("/api/programmes").json()["total"] == 0


def test_validate_unknown_profile_is_a_problem(reader):
    """Naming a profile that does not exist lists the known ones."""
    response = reader.post("/api/validate", params={"profile": "xx-2099"}, json=programme())
    assert response.status_code == 422 and "jp-mc" in response.json()["detail"]


def test_profiles_and_schema_are_published(reader):
    """The five profiles and the descriptor JSON Schema are served."""
    ids = [p["id"] for p in reader.get("/api/profiles").json()]
    assert ids == ["jp-mc", "eu-2022", "au-nmf-2022", "my-mqa", "jp-rishu"]
    schema = reader.get("/api/schema/descriptors.json").json()
    assert schema["$schema"].endswith("2020-12/schema")
    assert "learner_effort" in schema["$defs"]["Programme"]["properties"]


def test_organisations_read_update_and_conflict(http, provider):
    """Organisations can be read and updated; their slug cannot change; duplicates conflict."""
    renamed = organisation(name={"ja": "北都工科大学", "en": "Hokuto Tech"})
    assert http.put("/api/organisations/hokuto-tech", json=renamed).json()["name"]["en"] == \
        "Hokuto Tech"
    moved = http.put("/api/organisations/hokuto-tech", json=organisation(slug="other"))
    assert moved.status_code == 409
    assert http.post("/api/organisations", json=organisation()).status_code == 409
    listed = http.get("/api/organisations", params={"kind": "university"}).json()
    assert [o["slug"] for o in listed] == ["hokuto-tech"]


@pytest.mark.parametrize("path", ["/api/programmes/99999999999999999999",
                                  "/api/programmes/1/versions/99999999999999999999",
                                  "/api/programmes?after=99999999999999999999"])
def test_ids_beyond_64_bits_are_refused_cleanly(reader, path):
    """Numbers too large to be ids are a 422 problem, never a server error."""
    response = reader.get(path)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
