"""An organisation's own credstack joins as an intermediate entity, over real HTTP on
loopback: the operator registers it by its entity identifier; the anchor lists it and states
its keys; a chain leaf → intermediate → anchor resolves at the anchor's resolve endpoint and
validates in a client; an entity whose hints do not point back, or that does not answer, is
refused with its reason. The providers an intermediate lists are this registry's through it:
the trust check names them with the intermediate, ``registry.json`` publishes their DIDs, and
removing the intermediate takes it and them out of the federation."""

from __future__ import annotations

import datetime as dt
import http.server
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select

import credstack.services.background  # noqa: F401 - registers the job kinds
from credstack.adapters.db.repositories import federation_imports as sources_store
from credstack.adapters.db.repositories.federation_imports import Source
from credstack.adapters.db.tables import AuditEntryRow
from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.access.actors import Operator
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.federation import chains, statements
from credstack.core.federation.providers import ENTITY_TYPE
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import InputError, NotFoundError, TrustChainError
from credstack.services.background.federation import start_refresh
from credstack.services.federation import imports, intermediates, trust
from credstack.services.federation.trust import check_issuer
from credstack.services.jobs import job, run_job
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing.federation import MemoryFederation
from tests.conftest import Clock, free_port, serve
from tests.loopback import QuietHandler, serving
from tests.services.recognitions.test_service import NOW, Store, prepare

OPERATOR = Operator("test")
OWN = [trust.own_registry()]
FACULTY_DID = "did:web:engineering.tohoku.example"
FACULTY_PROGRAMME = "https://engineering.tohoku.example/achievements/robotics"


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
        elif url.path == "/uni/list":
            listed = [sub for issuer, sub in self.federation.subordinates
                      if issuer == f"{self.base}/uni"]
            token = json.dumps(listed)
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
    store: Store
    anchor: str
    server: str
    base: str
    federation: MemoryFederation

    @property
    def university(self) -> str:
        return f"{self.base}/uni"

    @property
    def faculty(self) -> str:
        return f"{self.base}/uni/engineering"


def _faculty_metadata() -> dict[str, Any]:
    """The metadata of the university's faculty, a provider with an issuer DID."""
    return {"federation_entity": {"organization_name": "Engineering",
                                  "organization_name#ja": "工学部"},
            "institution_additional_information": {"country": "JP"},
            ENTITY_TYPE: {"dids": [FACULTY_DID], "programmes": [
                {"achievement": FACULTY_PROGRAMME, "title": {"en": "Robotics"}}]}}


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
        "federation_fetch_endpoint": f"{base}/uni/fetch",
        "federation_list_endpoint": f"{base}/uni/list"}})
    faculty = _faculty_metadata()
    federation.add(f"{base}/uni/engineering", authority_hints=[f"{base}/uni"], metadata=faculty)
    federation.state(f"{base}/uni", f"{base}/uni/engineering", metadata=faculty)
    federation.add(f"{base}/elsewhere", authority_hints=["https://another.example"])
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": federation, "base": base})
    try:
        with serving(server):
            for live in serve(store.settings, port=port, clock=Clock(NOW)):
                with open_runtime(settings=store.settings, clock=Clock(NOW)) as runtime:
                    yield World(runtime, store, anchor, live.url, base, federation)
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


def test_an_intermediate_s_providers_are_this_registry_s_through_it(world: World) -> None:
    """The trust check names the intermediate, never an import; registry.json lists the
    provider's DID with its intermediate; the imported registries leave it out."""
    intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                        entity_id=world.university)
    verdict = check_issuer(world.runtime, issuer=FACULTY_DID, achievement=FACULTY_PROGRAMME,
                           trusted=OWN)
    assert verdict.state == "listed" and verdict.covers_programme is True
    [found] = verdict.listings
    assert found.intermediate == world.university and found.imported_from is None
    assert trust.line(verdict, "ja") == (
        "登録された発行者：工学部（東北大学、この登録簿の中間エンティティ）")
    assert trust.line(verdict, "en") == (
        "Listed issuer: Engineering (Tohoku University, an intermediate entity of this registry)")
    with httpx.Client(base_url=world.server, timeout=30) as http:
        entry = http.get("/federation/registry.json").json()["registry"][FACULTY_DID]
    assert entry["intermediate"] == world.university
    assert entry["entity_id"] == world.faculty and entry["names"]["ja"] == "工学部"
    assert entry["programmes"] == [FACULTY_PROGRAMME]
    assert imports.sources(world.runtime) == []
    with pytest.raises(InputError):
        imports.forget(world.runtime, actor=OPERATOR, url=world.university)


def test_a_removed_intermediate_and_its_providers_leave_the_federation(world: World) -> None:
    intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                        entity_id=world.university)
    with httpx.Client(base_url=world.server, timeout=30) as http:
        assert http.get("/federation/fetch", params={"sub": world.university}).status_code == 200
        removed = intermediates.remove_intermediate(world.runtime, actor=OPERATOR,
                                                    entity_id=world.university + "/")
        assert removed.entity_id == world.university
        assert world.university not in http.get("/federation/list").json()
        assert http.get("/federation/fetch", params={"sub": world.university}).status_code == 404
        assert FACULTY_DID not in http.get("/federation/registry.json").json()["registry"]
    assert intermediates.intermediates(world.runtime, actor=OPERATOR) == []
    assert check_issuer(world.runtime, issuer=FACULTY_DID, achievement=None,
                        trusted=OWN).state == "not-listed"
    with world.store.sessions() as session:
        [entry] = session.scalars(select(AuditEntryRow).where(
            AuditEntryRow.action == "federation.intermediate.removed")).all()
        assert entry.subject == f"federation-intermediate:{world.university}"
    with pytest.raises(NotFoundError):
        intermediates.remove_intermediate(world.runtime, actor=OPERATOR,
                                          entity_id=world.university)


def test_an_intermediate_whose_provider_does_not_validate_is_refused(world: World) -> None:
    """A provider statement gone stale refuses the registration whole: nothing is kept."""
    faculty = world.faculty
    served = world.federation
    claims = {**served.configuration_claims(faculty),
              **served.times(issued=NOW - dt.timedelta(days=3))}
    served.replaced[(faculty, faculty)] = served.sign(faculty, claims)
    with pytest.raises(TrustChainError) as refused:
        intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                            entity_id=world.university)
    assert refused.value.reason == "expired"
    assert intermediates.intermediates(world.runtime, actor=OPERATOR) == []


# --- refreshed before the providers lapse -----------------------------------------------------


def _member(world: World) -> Source:
    with world.store.sessions() as session:
        [found] = sources_store.sources(session, with_providers=True)
    return found


def _refresh_job(world: World, after: dt.timedelta) -> dict[str, Any]:
    """The intermediate signs again ``after`` registration; the refresh job runs then."""
    world.federation.now = NOW + after
    world.federation._signed.clear()
    clock = world.runtime.clock
    assert isinstance(clock, Clock)
    clock.advance(seconds=after.total_seconds())
    public_id = start_refresh(world.runtime, actor=OPERATOR)
    assert run_job(world.runtime, public_id) == "succeeded"
    result = job(world.runtime, actor=OPERATOR, public_id=public_id).result
    assert result is not None
    return result


def test_an_intermediate_s_providers_are_read_again_by_the_refresh_job(world: World) -> None:
    """Read at registration (valid a day), read again 20 hours later by the job: still listed
    30 hours after registration; audited ``federation.intermediate.refreshed``."""
    intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                        entity_id=world.university)
    assert _refresh_job(world, dt.timedelta(hours=20))["refreshed"] == [world.university]
    member = _member(world)
    assert member.valid_until == NOW + dt.timedelta(hours=44) and member.refusal is None
    assert [provider.entity_id for provider in member.providers] == [world.faculty]
    clock = world.runtime.clock
    assert isinstance(clock, Clock)
    clock.advance(hours=10)
    assert check_issuer(world.runtime, issuer=FACULTY_DID, achievement=None,
                        trusted=OWN).state == "listed"
    with world.store.sessions() as session:
        assert session.scalars(select(AuditEntryRow.subject).where(
            AuditEntryRow.action == "federation.intermediate.refreshed")).all() == [
            f"federation-intermediate:{world.university}"]


def test_an_intermediate_that_rotated_its_keys_is_refused_until_registered_again(
    world: World,
) -> None:
    """Its keys as registered are its pin: a configuration signed with another key is
    refused (``unpinned-key``), its providers kept and the refusal recorded."""
    intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                        entity_id=world.university)
    before = _member(world)
    world.federation.keys[world.university] = KeyPair.generate(KeyType.P256)
    result = _refresh_job(world, dt.timedelta(hours=20))
    assert result["refused"] == {world.university: "unpinned-key"}
    member = _member(world)
    assert member.providers == before.providers and member.valid_until == before.valid_until
    assert member.refusal is not None and member.refusal.reason == "unpinned-key"
    intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                        entity_id=world.university)
    assert _member(world).refusal is None


def test_an_intermediate_is_not_imported_over_its_providers(world: World) -> None:
    """Importing the intermediate's entity as another registry's anchor would relabel its
    providers as imported: it is refused, and they stay the intermediate's."""
    intermediates.register_intermediate(world.runtime, actor=OPERATOR,
                                        entity_id=world.university)
    with pytest.raises(InputError) as refused:
        imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.university)
    assert "intermediate entity" in refused.value.message
    assert _member(world).kind == imports.MEMBER
    assert check_issuer(world.runtime, issuer=FACULTY_DID, achievement=None,
                        trusted=OWN).listings[0].intermediate == world.university
