"""Another registry's providers imported over real HTTP on loopback, kept apart and labelled:
a federation of the test's own (a Malaysian registry, its anchor and two subordinates), a
running credstack as an anchor, and CTDL graphs; every bad input refused whole."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import http.server
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from credstack.adapters.db.tables import AuditEntryRow
from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.access.actors import Operator
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.federation import statements, trust_marks
from credstack.core.federation.imports import pinned_kids
from credstack.core.federation.providers import ENTITY_TYPE
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import InputError, TrustChainError
from credstack.services.federation import imports, listing, trust
from credstack.services.federation.trust import TrustedRegistry, check_issuer
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing.federation import MemoryFederation
from tests.conftest import Clock, free_port, serve
from tests.loopback import QuietHandler, serving
from tests.services.recognitions.test_service import NOW, Store, prepare

OPERATOR = Operator("test")
OWN = [TrustedRegistry("this registry", "own")]
UM_DID = "did:web:um.example.my"
UTM_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
PROGRAMME = "https://um.example.my/achievements/data-science"


def _provider(names: dict[str, str], dids: list[str], programmes: list[str]) -> dict[str, Any]:
    return {
        "federation_entity": {"organization_name": names["en"],
                              **{f"organization_name#{k}": v for k, v in names.items()}},
        "institution_additional_information": {"country": "MY"},
        ENTITY_TYPE: {"dids": dids, "programmes": [
            {"achievement": item, "title": {"en": "Data science"}} for item in programmes]},
    }


class Registry(QuietHandler):
    """A federation served from memory: configurations, the fetch and list endpoints, and
    CTDL graphs (``/ctdl/<name>``)."""

    federation: ClassVar[MemoryFederation]
    base: ClassVar[str]
    garbage_list: ClassVar[bool] = False
    graphs: ClassVar[dict[str, Any]] = {}
    #: What the anchor's trust mark status endpoint answers.
    mark_status: ClassVar[str] = "active"

    def _answer(self, body: bytes, media_type: str = "application/entity-statement+jwt") -> None:
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        federation = type(self).federation
        anchor = f"{self.base}/anchor"
        if url.path.endswith("/.well-known/openid-federation"):
            entity = self.base + url.path.removesuffix("/.well-known/openid-federation")
            if entity in federation.keys:
                return self._answer(federation.configuration(entity).encode())
        elif url.path == "/anchor/fetch" and (anchor, query.get("sub")) in federation.subordinates:
            return self._answer(federation._token(anchor, query["sub"]).encode())
        elif url.path == "/anchor/list":
            listed = [sub for issuer, sub in federation.subordinates if issuer == anchor]
            body = b"<html>" if self.garbage_list else json.dumps(listed).encode()
            return self._answer(body, "application/json")
        elif url.path.startswith("/ctdl/") and url.path[6:] in self.graphs:
            return self._answer(json.dumps(self.graphs[url.path[6:]]).encode(),
                                "application/ld+json")
        self.send_response(404)
        self.end_headers()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        form = {key: values[0] for key, values in parse_qs(body).items()}
        anchor = f"{self.base}/anchor"
        claims = {"iss": anchor, "iat": int(NOW.timestamp()), "trust_mark": form["trust_mark"],
                  "status": self.mark_status}
        self._answer(self.federation.sign(anchor, claims, typ=statements.TRUST_MARK_STATUS)
                     .encode(), "application/trust-mark-status-response+jwt")


@dataclass
class World:
    store: Store
    runtime: Runtime
    credstack: str
    base: str
    federation: MemoryFederation
    served: type[Registry] = field(default=Registry)
    clock: Clock = field(default_factory=lambda: Clock(NOW))

    @property
    def anchor(self) -> str:
        return f"{self.base}/anchor"

    def entity(self, name: str) -> str:
        return f"{self.base}/{name}"


def _federation(base: str) -> MemoryFederation:
    federation = MemoryFederation(now=NOW)
    anchor = f"{base}/anchor"
    federation.add(anchor, metadata={"federation_entity": {
        "organization_name": "Malaysian Qualifications Agency",
        "organization_name#ja": "マレーシア資格機構",
        "federation_fetch_endpoint": f"{anchor}/fetch",
        "federation_list_endpoint": f"{anchor}/list",
        "federation_trust_mark_status_endpoint": f"{anchor}/status"}},
        trust_mark_issuers={trust_marks.provider_mark_type(anchor): [anchor]})
    for name, names, dids in (
        ("um", {"en": "Universiti Malaya", "ja": "マラヤ大学"}, [UM_DID]),
        ("utm", {"en": "Universiti Teknologi Malaysia"}, [UTM_DID]),
    ):
        entity = f"{base}/{name}"
        # The anchor states the metadata; the entity's own configuration says the same.
        metadata = _provider(names, dids, [PROGRAMME])
        federation.add(entity, authority_hints=[anchor], metadata=metadata)
        federation.state(anchor, entity, metadata=metadata)
    # UTM holds the anchor's "recognised provider" mark; UM holds none.
    mark_type = trust_marks.provider_mark_type(anchor)
    claims = trust_marks.TrustMarkClaims(anchor, f"{base}/utm", mark_type, NOW,
                                         NOW + dt.timedelta(days=30)).to_claims()
    federation.configurations[f"{base}/utm"]["trust_marks"] = [trust_marks.mark_entry(
        federation.sign(anchor, claims, typ=statements.TRUST_MARK), mark_type)]
    return federation


@pytest.fixture
def world(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    port = free_port()
    store = prepare(settings, public_url=f"http://localhost:{port}")
    store.grant("R-2026-0007")
    clock = Clock(NOW)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    federation = _federation(base)
    served = type("Served", (Registry,), {"federation": federation, "base": base, "graphs": {}})
    server.RequestHandlerClass = served
    try:
        with serving(server):
            for _ in serve(store.settings, port=port, clock=clock):
                with open_runtime(settings=store.settings, clock=clock) as runtime:
                    yield World(store, runtime, store.settings.public_url, base, federation,
                                served, clock)
    finally:
        store.sessions.kw["bind"].dispose()


def test_a_federation_s_providers_are_imported_and_listed_by_their_registry(
    world: World,
) -> None:
    """Each subordinate's chain is validated; the trust check then names the registry it came
    from ("listed by …, imported"), and credstack's own recognised providers are unchanged."""
    own_before = [provider.slug for provider in listing.recognised_providers(world.runtime)]
    source = imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    assert source.name == {"ja": "マレーシア資格機構", "en": "Malaysian Qualifications Agency"}
    assert source.valid_until == NOW + dt.timedelta(days=1)
    assert {provider.entity_id for provider in source.providers} == {
        world.entity("um"), world.entity("utm")}
    verdict = check_issuer(world.runtime, issuer=UM_DID, achievement=PROGRAMME, trusted=OWN)
    assert verdict.state == "listed"
    [found] = verdict.listings
    assert found.imported_from == world.anchor
    assert found.recognised is False  # the subordinate holds no trust mark of its anchor
    assert verdict.covers_programme is True
    assert trust.line(verdict, "en") == (
        "Listed issuer: Universiti Malaya (listed by Malaysian Qualifications Agency, imported)")
    assert trust.line(verdict, "ja") == (
        "登録された発行者：マラヤ大学（マレーシア資格機構 の登録簿より取り込み）")
    assert [p.slug for p in listing.recognised_providers(world.runtime)] == own_before


def test_a_trust_mark_counts_while_its_issuer_says_it_is_active(world: World) -> None:
    """UTM's "recognised provider" mark: recognised while the anchor's status endpoint says
    active; once it says revoked, UTM is imported as listed, not recognised."""
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    verdict = check_issuer(world.runtime, issuer=UTM_DID, achievement=None, trusted=OWN)
    assert verdict.listings[0].recognised is True
    assert trust.line(verdict, "en").startswith(
        "Recognised provider: Universiti Teknologi Malaysia")
    world.served.mark_status = "revoked"
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    again = check_issuer(world.runtime, issuer=UTM_DID, achievement=None, trusted=OWN)
    assert again.listings[0].recognised is False
    assert trust.line(again, "en").startswith("Listed issuer: Universiti Teknologi Malaysia")


def test_importing_again_replaces_what_the_source_listed(world: World) -> None:
    """Re-importing is idempotent; a provider the source no longer lists is gone."""
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    [kept] = imports.sources(world.runtime, with_providers=True)
    assert len(kept.providers) == 2
    del world.federation.subordinates[(world.anchor, world.entity("utm"))]
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    [kept] = imports.sources(world.runtime, with_providers=True)
    assert [provider.entity_id for provider in kept.providers] == [world.entity("um")]
    assert check_issuer(world.runtime, issuer=UTM_DID, achievement=None,
                        trusted=OWN).state == "not-listed"


def test_a_source_is_forgotten_with_all_it_listed(world: World) -> None:
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    forgotten = imports.forget(world.runtime, actor=OPERATOR, url=world.anchor)
    assert forgotten.url == world.anchor
    assert imports.sources(world.runtime) == []
    assert check_issuer(world.runtime, issuer=UM_DID, achievement=None,
                        trusted=OWN).state == "not-listed"


def test_an_import_past_its_validity_is_not_counted(world: World) -> None:
    """The statements expire in a day: after that the listing is reported unchecked."""
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    later = Clock(NOW + dt.timedelta(days=2))
    with open_runtime(settings=world.store.settings, clock=later) as runtime:
        verdict = check_issuer(runtime, issuer=UM_DID, achievement=None, trusted=OWN)
    assert verdict.state == "unknown"
    [(registry, why)] = verdict.unchecked
    assert registry == "Malaysian Qualifications Agency" and "valid until" in why


def _forged(world: World) -> None:
    impostor = KeyPair.generate(KeyType.P256)
    claims = world.federation.subordinate_claims(world.anchor, world.entity("utm"))
    world.federation.replaced[(world.anchor, world.entity("utm"))] = statements.sign(
        claims, key=impostor, typ=statements.ENTITY_STATEMENT)


def _tampered(world: World) -> None:
    subject = world.entity("utm")
    header, _, signature = world.federation._token(world.anchor, subject).split(".")
    claims = {**world.federation.subordinate_claims(world.anchor, subject),
              "metadata": _provider({"en": "Impostor"}, ["did:web:impostor.example"], [])}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    world.federation.replaced[(world.anchor, subject)] = f"{header}.{payload}.{signature}"


def _expired(world: World) -> None:
    entity = world.entity("utm")
    claims = {**world.federation.configuration_claims(entity),
              **world.federation.times(issued=NOW - dt.timedelta(days=3))}
    world.federation.replaced[(entity, entity)] = world.federation.sign(entity, claims)


def _garbage(world: World) -> None:
    world.served.garbage_list = True


def _unreachable(world: World) -> None:
    world.federation.subordinates[(world.anchor, f"http://127.0.0.1:{free_port()}/gone")] = {}


@pytest.mark.parametrize(("spoil", "reason"), [
    (_forged, "unknown-key"),
    (_tampered, "bad-signature"),
    (_expired, "expired"),
    (_garbage, "registry-garbage"),
    (_unreachable, "registry-unreachable"),
])
def test_a_bad_source_is_refused_whole(world: World, spoil: Any, reason: str) -> None:
    """One bad statement refuses the import, audited with its reason; what an earlier import
    kept stays as it was."""
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    before = imports.sources(world.runtime, with_providers=True)
    spoil(world)
    with pytest.raises(TrustChainError) as refused:
        imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    assert refused.value.reason == reason, refused.value.message
    assert imports.sources(world.runtime, with_providers=True) == before
    with world.store.sessions() as session:
        [entry] = session.scalars(select(AuditEntryRow).where(
            AuditEntryRow.action == "federation.source.refused")).all()
        assert entry.details["reason"] == reason


def test_an_unreachable_registry_is_refused(world: World) -> None:
    with pytest.raises(TrustChainError) as refused:
        imports.import_federation(world.runtime, actor=OPERATOR,
                                  anchor=f"http://127.0.0.1:{free_port()}/anchor")
    assert refused.value.reason == "registry-unreachable"
    assert imports.sources(world.runtime) == []


def test_a_running_credstack_is_imported_with_its_trust_marks(world: World) -> None:
    """credstack's own anchor, read as another registry would read it: its provider holds
    the "recognised provider" mark, and its programme is the recognised one."""
    source = imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.credstack,
                                       names={"en": "JMICRO", "ja": "JMICRO 登録簿"})
    [provider] = source.providers
    [own] = listing.recognised_providers(world.runtime)
    assert provider.recognised is True
    assert set(provider.dids) == set(own.dids)
    assert [item.id for item in provider.programmes] == [
        item.achievement for item in own.recognitions]
    assert provider.display_name("ja") == own.display_name("ja")


CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"


def _graph(**change: Any) -> dict[str, Any]:
    organisation = {
        "@id": "https://credentialengineregistry.org/resources/ce-0b7d1c2a",
        "@type": "ceterms:CredentialOrganization",
        "ceterms:ctid": "ce-0b7d1c2a",
        "ceterms:name": {"en-US": "Universiti Malaya", "ja": "マラヤ大学"},
        "ceterms:subjectWebpage": "https://um.edu.my",
        "ceterms:address": [{"@type": "ceterms:Place", "ceterms:addressCountry": {"en": "MY"}}],
        "ceterms:sameAs": [UM_DID],
    }
    organisation.update(change)
    return {"@context": CTDL_CONTEXT, "@graph": [organisation, {
        "@id": "https://credentialengineregistry.org/resources/ce-5c1e9b3f",
        "@type": "ceterms:MicroCredential",
        "ceterms:ctid": "ce-5c1e9b3f",
        "ceterms:name": {"en-US": "Data science"},
        "ceterms:ownedBy": [organisation["@id"]],
    }]}


def test_a_ctdl_graph_is_imported(world: World) -> None:
    world.served.graphs["my.jsonld"] = _graph()
    url = f"{world.base}/ctdl/my.jsonld"
    source = imports.import_ctdl(world.runtime, actor=OPERATOR, url=url,
                                 names={"en": "MQA CTDL"})
    assert source.valid_until is None
    [provider] = source.providers
    assert provider.name == {"en": "Universiti Malaya", "ja": "マラヤ大学"}
    assert provider.country == "MY" and provider.dids == (UM_DID,)
    verdict = check_issuer(world.runtime, issuer=UM_DID, achievement=None, trusted=OWN)
    assert verdict.listings[0].registry == "MQA CTDL"


@pytest.mark.parametrize(("document", "reason"), [
    (_graph(**{"ceterms:name": None}), "ctdl-incomplete"),
    (_graph(**{"ceterms:ctid": ""}), "ctdl-incomplete"),
    ({"@context": CTDL_CONTEXT, "@graph": "nodes"}, "registry-garbage"),
    ("<html>", "registry-garbage"),
])
def test_a_bad_ctdl_graph_is_refused_whole(world: World, document: Any, reason: str) -> None:
    world.served.graphs["bad.jsonld"] = document
    with pytest.raises(TrustChainError) as refused:
        imports.import_ctdl(world.runtime, actor=OPERATOR, url=f"{world.base}/ctdl/bad.jsonld")
    assert refused.value.reason == reason
    assert imports.sources(world.runtime) == []


# --- pinned anchor keys --------------------------------------------------------------------


def test_pinned_keys_hold_for_the_next_imports(world: World) -> None:
    """Pinned once, the anchor's keys are kept: when another key signs its configuration
    (the anchor taken over, publishing keys of its own), the import is refused naming that
    key's id, and what was kept stays; ``unpin`` trusts the published keys again."""
    pinned = world.federation.jwks(world.anchor)
    [kid] = pinned_kids(pinned)
    source = imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                                       anchor_jwks=pinned)
    assert pinned_kids(source.pinned_jwks) == [kid]
    world.federation.keys[world.anchor] = KeyPair.generate(KeyType.P256)
    world.federation._signed.clear()  # every statement signed again, with the new key
    [other] = pinned_kids(world.federation.jwks(world.anchor))
    with pytest.raises(TrustChainError) as refused:
        imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    assert refused.value.reason == "unpinned-key"
    english, japanese = refused.value.message.split(" / ")
    assert f"key {other}" in english and f"(pinned: {kid})" in english
    assert f"鍵 {other}" in japanese and "固定された鍵" in japanese
    [kept] = imports.sources(world.runtime)
    assert pinned_kids(kept.pinned_jwks) == [kid] and kept.fetched_at == source.fetched_at
    again = imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                                      unpin=True)
    assert again.pinned_jwks is None
    assert imports.sources(world.runtime)[0].pinned_jwks is None


def test_a_subordinate_statement_signed_with_an_unpinned_key_is_refused(world: World) -> None:
    """The anchor's statements about its subordinates must be signed with a pinned key too."""
    _forged(world)
    with pytest.raises(TrustChainError) as refused:
        imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                                  anchor_jwks=world.federation.jwks(world.anchor))
    assert refused.value.reason == "unpinned-key"
    assert world.entity("utm") in refused.value.message
    assert imports.sources(world.runtime) == []


@pytest.mark.parametrize("document", [
    {"keys": []},
    {"kty": "EC"},
    [{"kid": "k1", "kty": "EC"}],
    {"keys": [{"kid": "k1", "kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "d": "AA"}]},
])
def test_keys_to_pin_are_a_public_jwk_set(world: World, document: Any) -> None:
    with pytest.raises(InputError):
        imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                                  anchor_jwks=document)
    assert imports.sources(world.runtime) == []


def test_an_import_tells_its_progress_subordinate_by_subordinate(world: World) -> None:
    seen: list[tuple[int, int]] = []
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                              progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_the_keys_the_anchor_publishes_now_are_pinned(world: World) -> None:
    """``pin_current`` pins the JWK set of the anchor's configuration at this import: the
    anchor signing with another key afterwards is refused, naming the pinned key."""
    [kid] = pinned_kids(world.federation.jwks(world.anchor))
    source = imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                                       pin_current=True)
    assert pinned_kids(source.pinned_jwks) == [kid] and len(source.providers) == 2
    world.federation.keys[world.anchor] = KeyPair.generate(KeyType.P256)
    world.federation._signed.clear()
    with pytest.raises(TrustChainError) as refused:
        imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    assert refused.value.reason == "unpinned-key" and f"(pinned: {kid})" in refused.value.message
    with pytest.raises(InputError):
        imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                                  pin_current=True, unpin=True)


# --- a hostile anchor: many subordinates, a slow walk ---------------------------------------


class Slow(Registry):
    """An anchor whose every answer takes 20 seconds of the runtime's clock, each statement
    signed at the moment it is served (as a live anchor signs)."""

    clock: ClassVar[Clock]

    def do_GET(self) -> None:
        self.clock.advance(seconds=20)
        self.federation.now = self.clock.now
        self.federation._signed.clear()
        super().do_GET()


def _many(world: World, count: int, *, slow: bool = False) -> None:
    """``count`` more subordinates of the anchor; with ``slow``, served by :class:`Slow`."""
    for number in range(count):
        entity = world.entity(f"college-{number:03d}")
        metadata = _provider({"en": f"College {number}"}, [f"did:web:college{number}.example.my"],
                             [])
        world.federation.add(entity, authority_hints=[world.anchor], metadata=metadata)
        world.federation.state(world.anchor, entity, metadata=metadata)
    if slow:
        world.served.__bases__ = (Slow,)
        world.served.clock = world.clock  # type: ignore[attr-defined]


def _importing(world: World, **settings: Any) -> Runtime:
    """A runtime on the world's store and clock with ``settings`` changed."""
    return open_runtime(settings=dataclasses.replace(world.store.settings, **settings),
                        clock=world.clock)


def test_statements_are_judged_at_the_time_each_was_fetched(world: World) -> None:
    """An anchor that signs each statement as it serves it, the walk taking minutes: every
    statement is judged at the time it was fetched, none refused as not yet valid."""
    _many(world, 5, slow=True)
    with _importing(world, federation_import_seconds=3600) as runtime:
        source = imports.import_federation(runtime, actor=OPERATOR, anchor=world.anchor)
    assert len(source.providers) == 7 and source.stopped is None and source.listed == 7
    assert world.clock.now > NOW + dt.timedelta(minutes=5)


def _imported_entry(world: World) -> dict[str, Any]:
    with world.store.sessions() as session:
        [entry] = session.scalars(select(AuditEntryRow).where(
            AuditEntryRow.action == "federation.source.imported")).all()
        return dict(entry.details)


def test_an_import_stops_cleanly_at_its_deadline(world: World) -> None:
    """An anchor listing 40 subordinates, each answer 20 seconds: the import stops at its
    deadline (10 minutes) and keeps the subordinates read by then, saying how many of how
    many and why it stopped; a half-read subordinate is left out."""
    _many(world, 38, slow=True)
    started = world.clock.now
    with _importing(world, federation_import_seconds=600) as runtime:
        source = imports.import_federation(runtime, actor=OPERATOR, anchor=world.anchor)
    assert source.stopped == "deadline" and source.listed == 40
    assert 0 < len(source.providers) < 30
    assert world.clock.now <= started + dt.timedelta(seconds=620)
    [kept] = imports.sources(world.runtime, with_providers=True)
    assert len(kept.providers) == len(source.providers)
    details = _imported_entry(world)
    assert details["stopped"] == "deadline" and details["listed"] == 40
    assert details["providers"] == len(source.providers)


def test_an_import_reads_no_more_subordinates_than_its_limit(world: World) -> None:
    """An anchor listing 32 subordinates, the limit 5: the first 5 are read and kept, the
    import says it stopped at its limit; nothing past it is fetched."""
    _many(world, 30)
    with _importing(world, federation_subordinates=5) as runtime:
        source = imports.import_federation(runtime, actor=OPERATOR, anchor=world.anchor)
    assert source.stopped == "limit" and source.listed == 32 and len(source.providers) == 5
    details = _imported_entry(world)
    assert details["stopped"] == "limit" and details["providers"] == 5
