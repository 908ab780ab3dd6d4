"""``/api/federation/sources`` over real HTTP: a registry administrator imports a running
credstack's federation (this one's own anchor, read over HTTP as another registry would be),
lists it publicly, forgets it; a refused import is a problem with its reason and keeps
nothing; anonymous callers may read but not import; an anchor's keys pinned, and an import
signed with another key refused naming it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.federation import statements
from credstack.settings import Settings
from tests import patiently
from tests.conftest import Clock, LiveServer, free_port, operator_client, serve
from tests.services.recognitions.test_service import NOW, prepare


@pytest.fixture
def live(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    port = free_port()
    store = prepare(settings, public_url=f"http://localhost:{port}")
    store.grant("R-2026-0007")
    store.sessions.kw["bind"].dispose()
    yield from serve(store.settings, port=port, clock=Clock(NOW))


def test_a_federation_is_imported_listed_and_forgotten(live: LiveServer) -> None:
    anchor = live.settings.public_url
    with operator_client(live) as http, patiently.client(base_url=live.url) as anonymous:
        assert anonymous.post("/api/federation/sources",
                              json={"kind": "oidf", "url": anchor}).status_code == 401
        made = http.post("/api/federation/sources", json={
            "kind": "oidf", "url": anchor, "names": {"en": "JMICRO", "ja": "JMICRO 登録簿"}})
        assert made.status_code == 201, made.text
        again = http.post("/api/federation/sources", json={
            "kind": "oidf", "url": anchor, "names": {"en": "JMICRO", "ja": "JMICRO 登録簿"}})
        assert again.status_code == 201
        [source] = anonymous.get("/api/federation/sources").json()
        assert source["url"] == anchor and source["kind"] == "oidf"
        assert source["name"] == {"en": "JMICRO", "ja": "JMICRO 登録簿"}
        assert source["validUntil"] is not None
        [provider] = source["providers"]
        assert provider["recognised"] is True and provider["dids"]
        assert http.delete("/api/federation/sources",
                           params={"url": anchor}).status_code == 204
        assert anonymous.get("/api/federation/sources").json() == []
        assert http.delete("/api/federation/sources",
                           params={"url": anchor}).status_code == 404


def test_a_refused_import_is_a_problem_with_its_reason(live: LiveServer) -> None:
    with operator_client(live) as http:
        gone = http.post("/api/federation/sources", json={
            "kind": "ctdl", "url": f"http://127.0.0.1:{free_port()}/graph.jsonld"})
        assert gone.status_code == 422
        assert gone.json()["type"] == "/problems/trust-chain"
        assert "127.0.0.1" in gone.json()["detail"]
        garbage = http.post("/api/federation/sources", json={
            "kind": "ctdl", "url": f"{live.settings.public_url}/federation/registry.json"})
        assert garbage.status_code == 422
        assert "not a CTDL graph" in garbage.json()["detail"]
        assert http.get("/api/federation/sources").json() == []


def test_an_anchor_s_keys_are_pinned_through_the_api(live: LiveServer) -> None:
    """Pinned with the anchor's own JWK set, the import succeeds and the source says which key
    ids are pinned; pinned with another key, it is refused naming the anchor's key id."""
    anchor = live.settings.public_url
    with operator_client(live) as http, patiently.client(base_url=live.url) as anonymous:
        published = statements.read(anonymous.get("/.well-known/openid-federation").text,
                                    typ=statements.ENTITY_STATEMENT)
        other = statements.federation_jwk(KeyPair.generate(KeyType.P256).public_key)
        refused = http.post("/api/federation/sources", json={
            "kind": "oidf", "url": anchor, "pinnedJwks": {"keys": [other]}})
        assert refused.status_code == 422
        problem = refused.json()
        assert problem["type"] == "/problems/trust-chain"
        assert f"key {published.kid}" in problem["detail"]
        assert f"pinned: {other['kid']}" in problem["detail"]
        assert anonymous.get("/api/federation/sources").json() == []
        made = http.post("/api/federation/sources", json={
            "kind": "oidf", "url": anchor, "pinnedJwks": published.claims["jwks"]})
        assert made.status_code == 201, made.text
        assert made.json()["pinnedKids"] == [published.kid]
        [source] = anonymous.get("/api/federation/sources").json()
        assert source["pinnedKids"] == [published.kid]
        unpinned = http.post("/api/federation/sources", json={
            "kind": "oidf", "url": anchor, "unpin": True})
        assert unpinned.json()["pinnedKids"] == []
        private = http.post("/api/federation/sources", json={
            "kind": "oidf", "url": anchor, "pinnedJwks": {"keys": [{**other, "d": "AA"}]}})
        assert private.status_code == 422
        assert http.post("/api/federation/sources", json={
            "kind": "ctdl", "url": anchor, "unpin": True}).status_code == 422


def test_the_keys_an_anchor_publishes_now_are_pinned_through_the_api(live: LiveServer) -> None:
    """``"pinCurrent": true`` pins the JWK set of the anchor's configuration at that import;
    with another way of pinning it is refused; nothing is refused on a source never
    refreshed."""
    anchor = live.settings.public_url
    with operator_client(live) as http, patiently.client(base_url=live.url) as anonymous:
        published = statements.read(anonymous.get("/.well-known/openid-federation").text,
                                    typ=statements.ENTITY_STATEMENT)
        both = http.post("/api/federation/sources", json={
            "kind": "oidf", "url": anchor, "pinCurrent": True, "unpin": True})
        assert both.status_code == 422
        made = http.post("/api/federation/sources", json={
            "kind": "oidf", "url": anchor, "pinCurrent": True})
        assert made.status_code == 201, made.text
        assert made.json()["pinnedKids"] == [
            key["kid"] for key in published.claims["jwks"]["keys"]]
        [source] = anonymous.get("/api/federation/sources").json()
        assert source["pinnedKids"] == made.json()["pinnedKids"] and source["refusal"] is None
        assert http.post("/api/federation/sources", json={
            "kind": "ctdl", "url": anchor, "pinCurrent": True}).status_code == 422
