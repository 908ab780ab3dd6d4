"""GET /api/programmes/{id}/ctdl and /achievement, over a real socket, on both databases."""

from __future__ import annotations

import httpx
import pytest

from credstack.core.credentials.openbadges_v3 import descriptors_from_achievement
from credstack.core.descriptors import Format, Programme, ctdl, read_documents
from credstack.core.organisations import Organisation
from tests.helpers import organisation, programme

LD_JSON = "application/ld+json"


@pytest.fixture
def created(http: httpx.Client) -> dict:
    """A published programme of a stored organisation."""
    assert http.post("/api/organisations", json=organisation()).status_code == 201
    response = http.post("/api/programmes", json={"descriptors": programme()})
    assert response.status_code == 201, response.text
    return response.json()


def test_ctdl_is_a_graph_that_reads_back_as_the_stored_programme(http, created) -> None:
    """The credential node comes first, then its organisation; importing gives them back."""
    response = http.get(f"/api/programmes/{created['id']}/ctdl")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(LD_JSON)
    assert response.headers["access-control-allow-origin"] == "*"
    graph = response.json()
    assert graph["@context"] == ctdl.CONTEXT_URL
    credential, owner = graph["@graph"]
    assert credential["ceterms:ctid"] == ctdl.programme_ctid("hokuto-tech", "DS-101")
    assert credential["ceterms:ownedBy"] == [owner["@id"]]
    documents = read_documents(response.text, Format.JSON)
    assert documents.programmes == (Programme.model_validate(programme()),)
    assert documents.organisations == (Organisation.model_validate(organisation()),)


def test_the_achievement_is_the_one_credentials_of_the_version_carry(
        http, created, server) -> None:
    """Its id is the version's achievement URL, its creator the organisation's did:web."""
    response = http.get(f"/api/programmes/{created['id']}/achievement",
                        params={"language": "en"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(LD_JSON)
    achievement = response.json()
    public_url = server.settings.public_url
    assert achievement["id"] == f"{public_url}/achievements/{created['id']}/v1"
    assert achievement["name"] == "Practical Introduction to Data Science"
    assert achievement["creator"]["id"].startswith("did:web:")
    assert Programme.model_validate(descriptors_from_achievement(achievement)) == \
        Programme.model_validate(programme())
    same = http.get(f"/achievements/{created['id']}/v1", params={"language": "en"}).json()
    assert same == achievement


def test_the_newest_published_version_is_served_never_a_draft(http, created) -> None:
    """A draft after v1 is not shown; publishing it as v2 changes what is served."""
    changed = programme(languages=["ja", "en"])
    draft = http.put(f"/api/programmes/{created['id']}",
                     json={"descriptors": changed, "publish": False})
    assert draft.status_code == 200, draft.text
    served = read_documents(http.get(f"/api/programmes/{created['id']}/ctdl").text, Format.CTDL)
    assert served.programmes[0].languages == ("ja",)
    assert http.post(f"/api/programmes/{created['id']}/versions/2/publish").status_code == 200
    achievement = http.get(f"/api/programmes/{created['id']}/achievement").json()
    assert achievement["id"].endswith(f"/achievements/{created['id']}/v2")
    assert descriptors_from_achievement(achievement)["languages"] == ["ja", "en"]


@pytest.mark.parametrize("kind", ["ctdl", "achievement"])
def test_a_programme_without_a_published_version_is_not_found(http, kind) -> None:
    """An unknown id, or only a draft: 404 with problem details."""
    assert http.post("/api/organisations", json=organisation()).status_code == 201
    draft = http.post("/api/programmes", json={"descriptors": programme(), "publish": False})
    assert draft.status_code == 201, draft.text
    for programme_id in (draft.json()["id"], 999_999):
        response = http.get(f"/api/programmes/{programme_id}/{kind}")
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


def test_the_openapi_document_lists_both_endpoints(http) -> None:
    """Both are part of the documented API, answering JSON-LD."""
    paths = http.get("/openapi.json").json()["paths"]
    for kind in ("ctdl", "achievement"):
        operation = paths[f"/api/programmes/{{programme_id}}/{kind}"]["get"]
        assert LD_JSON in operation["responses"]["200"]["content"]
