"""An organisation's own credstack joins as an intermediate entity, over real HTTP on
loopback: the operator registers it by its entity identifier; the anchor lists it and states
its keys; a chain leaf → intermediate → anchor resolves at the anchor's resolve endpoint and
validates in a client; an entity whose hints do not point back, or that does not answer, is
refused with its reason."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.access.actors import Operator
from credstack.core.federation import chains, statements
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import TrustChainError
from credstack.services.federation import intermediates
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing.federation import MemoryFederation
from tests.conftest import Clock, free_port, serve
from tests.loopback import QuietHandler, serving
from tests.services.recognitions.test_service import NOW, prepare

OPERATOR = Operator("test")


class University(QuietHandler):
    """The university's own federation: its configuration, its leaf's, its fetch endpoint."""

    federation: ClassVar[MemoryFederation]
    base: ClassVar[str]

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        entity = self.base + url.path.removesuffix("/.well-known/openid-federation")
        sub = parse_qs(url.query).get("sub", [""])[0]
        token = None
        if url.path.endswith("/.well-known/openid-federation") and entity in (
                self.federation.keys):
            token = self.federation.configuration(entity)
        elif url.path == "/uni/fetch" and (f"{self.base}/uni", sub) in (
                self.federation.subordinates):
            token = self.federation._token(f"{self.base}/uni", sub)
        self.send_response(200 if token else 404)
        self.send_header("Content-Type", "application/entity-statement+jwt")
        self.end_headers()
        self.wfile.write((token or "").encode())


@dataclass
class World:
    runtime: Runtime
    anchor: str
    server: str
    base: str

    @property
    def university(self) -> str:
        return f"{self.base}/uni"

    @property
    def faculty(self) -> str:
        return f"{self.base}/uni/engineering"


@pytest.fixture
def world(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    port = free_port()
    store = prepare(settings, public_url=f"http://localhost:{port}")
    anchor = store.settings.public_url
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), University)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    federation = MemoryFederation(now=NOW)
    federation.add(f"{base}/uni", authority_hints=[anchor], metadata={"federation_entity": {
        "organization_name": "Tohoku University", "organization_name#ja": "東北大学",
        "federation_fetch_endpoint": f"{base}/uni/fetch"}})
    federation.add(f"{base}/uni/engineering", authority_hints=[f"{base}/uni"],
                   metadata={"federation_entity": {"organization_name": "Engineering"}})
    federation.state(f"{base}/uni", f"{base}/uni/engineering")
    federation.add(f"{base}/elsewhere", authority_hints=["https://another.example"])
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": federation, "base": base})
    try:
        with serving(server):
            for live in serve(store.settings, port=port, clock=Clock(NOW)):
                with open_runtime(settings=store.settings, clock=Clock(NOW)) as runtime:
                    yield World(runtime, anchor, live.url, base)
    finally:
        store.sessions.kw["bind"].dispose()


def test_a_registered_intermediate_is_listed_and_its_chain_resolves(world: World) -> None:
    kept = intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                               entity_id=world.university)
    assert kept.name == {"ja": "東北大学", "en": "Tohoku University"}
    registered = intermediates.intermediates(world.runtime, actor=OPERATOR)
    assert [item.entity_id for item in registered] == [world.university]
    with httpx.Client(base_url=world.server, timeout=30) as http:
        assert http.get("/federation/list", params={"intermediate": "true"}).json() == [
            world.university]
        assert world.university in http.get("/federation/list").json()
        assert world.university not in http.get("/federation/list",
                                                 params={"trust_marked": "true"}).json()
        anchor = statements.read(http.get("/.well-known/openid-federation").text,
                                 typ=statements.ENTITY_STATEMENT)
        about = statements.read(http.get("/federation/fetch",
                                         params={"sub": world.university}).text,
                                typ=statements.ENTITY_STATEMENT)
        statements.verify(about, anchor.claims["jwks"])
        assert about.claims["jwks"] == dict(kept.jwks)
        answer = http.get("/federation/resolve",
                          params={"sub": world.faculty, "trust_anchor": world.anchor})
        assert answer.status_code == 200, answer.text
    resolved = statements.read(answer.text, typ=statements.RESOLVE_RESPONSE)
    chain = chains.validate(resolved.claims["trust_chain"], anchor=world.anchor,
                            anchor_jwks=anchor.claims["jwks"], now=NOW)
    assert [statement.iss for statement in chain.statements] == [
        world.faculty, world.university, world.anchor, world.anchor]
    assert chain.metadata["federation_entity"]["organization_name"] == "Engineering"


def test_an_entity_whose_hints_do_not_point_back_is_refused(world: World) -> None:
    with pytest.raises(TrustChainError) as refused:
        intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                            entity_id=f"{world.base}/elsewhere")
    assert refused.value.reason == "authority-hints"
    with pytest.raises(TrustChainError) as unreachable:
        intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                            entity_id=f"http://127.0.0.1:{free_port()}/x")
    assert unreachable.value.reason == "registry-unreachable"
    assert intermediates.intermediates(world.runtime, actor=OPERATOR) == []


def test_an_unregistered_intermediate_s_leaf_does_not_resolve(world: World) -> None:
    with httpx.Client(base_url=world.server, timeout=30) as http:
        answer = http.get("/federation/resolve",
                          params={"sub": world.faculty, "trust_anchor": world.anchor})
    assert answer.status_code >= 400
    assert answer.json()["error"] in {"invalid_trust_chain", "not_found"}
