"""Drafts are readable only by whoever may write the programme, on SQLite and PostgreSQL.

A provider's draft is work in progress: the anonymous public, other organisations' provider
admins and the organisation's learners read the newest *published* version through the API,
and a draft version answers 404 as if it did not exist. The organisation's provider admin and
the registry admin read the draft.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.accounts import add_user, api_client, bearer_token
from tests.helpers import organisation, programme

OWNER = "admin@hokuto.example"
STRANGER = "admin@other.example"
LEARNER = "learner@hokuto.example"


def _client(server, email: str, scopes: list[str]) -> httpx.Client:
    client_id, secret = api_client(server.settings, email, scopes)
    token = bearer_token(server.url, client_id, secret)
    return httpx.Client(base_url=server.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def drafted(server, http) -> Iterator[dict]:
    """Programme 1 of hokuto-tech: version 1 published, version 2 a draft; programme 2 only a
    draft. Yields the readers by name and the programmes' ids."""
    assert http.post("/api/organisations", json=organisation()).status_code == 201
    published = http.post("/api/programmes", json={"descriptors": programme()}).json()
    draft = http.put(f"/api/programmes/{published['id']}",
                     json={"descriptors": programme(languages=["ja", "en"]), "publish": False})
    assert draft.status_code == 200 and draft.json()["version"]["status"] == "draft"
    only_draft = http.post("/api/programmes", json={
        "descriptors": programme(code="DS-DRAFT-01"), "publish": False}).json()
    add_user(server.settings, OWNER, roles=[("hokuto-tech", "provider-admin")])
    add_user(server.settings, STRANGER, roles=[("other-university", "provider-admin")])
    add_user(server.settings, LEARNER, roles=[("hokuto-tech", "learner")])
    readers = {
        "owner": _client(server, OWNER, ["programmes:write"]),
        "stranger": _client(server, STRANGER, ["programmes:write"]),
        "learner": _client(server, LEARNER, ["credentials:read"]),
        "anonymous": httpx.Client(base_url=server.url, timeout=30),
        "operator": http,
    }
    yield {"readers": readers, "published": published["id"], "only_draft": only_draft["id"]}
    for name, client in readers.items():
        if name != "operator":
            client.close()


WRITERS = ["owner", "operator"]
OTHERS = ["stranger", "learner", "anonymous"]


@pytest.mark.parametrize("reader", WRITERS)
def test_writers_read_the_draft(drafted, reader):
    """The provider admin and the registry admin get the newest version, the draft."""
    client = drafted["readers"][reader]
    read = client.get(f"/api/programmes/{drafted['published']}").json()
    assert (read["version"]["version"], read["version"]["status"]) == (2, "draft")
    versions = client.get(f"/api/programmes/{drafted['published']}/versions").json()
    assert [v["status"] for v in versions] == ["published", "draft"]
    assert client.get(f"/api/programmes/{drafted['published']}/versions/2").status_code == 200
    assert client.get(f"/api/programmes/{drafted['only_draft']}").status_code == 200
    listing = client.get("/api/programmes", params={"organisation": "hokuto-tech"}).json()
    assert listing["total"] == 2
    drafts = client.get("/api/programmes", params={"organisation": "hokuto-tech",
                                                   "status": "draft"}).json()
    assert {item["id"] for item in drafts["items"]} == {drafted["published"],
                                                        drafted["only_draft"]}


@pytest.mark.parametrize("reader", OTHERS)
def test_others_read_the_newest_published_version_only(drafted, reader):
    """Everyone else gets version 1, never learns of version 2, and the draft-only programme
    answers 404 wherever it is asked for."""
    client = drafted["readers"][reader]
    read = client.get(f"/api/programmes/{drafted['published']}")
    assert read.status_code == 200
    assert (read.json()["version"]["version"], read.json()["version"]["status"]) == (
        1, "published")
    assert read.json()["descriptors"]["languages"] == ["ja"]
    versions = client.get(f"/api/programmes/{drafted['published']}/versions").json()
    assert [v["version"] for v in versions] == [1]
    hidden = client.get(f"/api/programmes/{drafted['published']}/versions/2")
    missing = client.get(f"/api/programmes/{drafted['published']}/versions/3")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["title"] == missing.json()["title"]
    for path in ("", "/versions"):
        gone = client.get(f"/api/programmes/{drafted['only_draft']}{path}")
        assert gone.status_code == 404, path
    listing = client.get("/api/programmes", params={"organisation": "hokuto-tech"}).json()
    assert listing["total"] == 1
    assert [item["id"] for item in listing["items"]] == [drafted["published"]]
    assert listing["items"][0]["version"]["status"] == "published"
    drafts = client.get("/api/programmes", params={"status": "draft"}).json()
    assert (drafts["total"], drafts["items"]) == (0, [])


def test_the_owners_draft_list_is_not_everyones(drafted):
    """Without an organisation, a provider admin's list is the public one: drafts are listed
    per organisation, for the organisation's own writers."""
    owner = drafted["readers"]["owner"]
    listing = owner.get("/api/programmes").json()
    assert [item["version"]["status"] for item in listing["items"]] == ["published"]
