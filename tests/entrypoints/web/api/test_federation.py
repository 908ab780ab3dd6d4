"""credstack as an OpenID Federation trust anchor, over HTTP: its configuration, the fetch,
list and resolve endpoints, the trust marks and their status, key rotation, and the DCC's
legacy registry form — as a recognition is granted, expires and is withdrawn.

A real server on SQLite and PostgreSQL whose store was prepared directly (a provider with a
published programme, a recognition body, keys, one recognition); the chains it serves are
collected over HTTP and validated by credstack's own chain validator, and tampered copies
refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from credstack.core.access.actors import Operator
from credstack.core.dids import did_key
from credstack.core.federation import chains, statements, trust_marks
from credstack.core.federation.statements import Statement
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import TrustChainError
from credstack.services.federation import keys as federation_keys
from credstack.services.recognitions import service as recognitions
from credstack.settings import Settings
from tests.conftest import Clock, LiveServer, free_port, operator_client, serve
from tests.services.recognitions.test_service import NOW, VALID_UNTIL, Store, prepare

NUMBER = "R-2026-0001"
SLUG = "hokuto-tech"


@dataclass
class Live:
    url: str
    store: Store
    clock: Clock

    @property
    def anchor(self) -> str:
        """The anchor's entity identifier: the public URL."""
        return self.store.settings.public_url

    @property
    def provider(self) -> str:
        return f"{self.anchor}/organisations/{SLUG}"


@pytest.fixture
def live(settings: Settings) -> Iterator[Live]:
    port = free_port()
    store = prepare(settings, public_url=f"http://localhost:{port}")
    store.grant(NUMBER)
    clock = Clock(NOW)
    try:
        for server in serve(store.settings, port=port, clock=clock):
            yield Live(server.url, store, clock)
    finally:
        store.sessions.kw["bind"].dispose()


@pytest.fixture
def http(live: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


class HttpSource:
    """A federation client's fetching, over HTTP: the chain's StatementSource."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def configuration(self, entity_id: str) -> str:
        response = self.client.get(f"{entity_id.rstrip('/')}/.well-known/openid-federation")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/entity-statement+jwt"
        return response.text

    def subordinate(self, issuer: Statement, subject: str) -> str:
        endpoint = issuer.claims["metadata"]["federation_entity"]["federation_fetch_endpoint"]
        response = self.client.get(endpoint, params={"sub": subject})
        assert response.status_code == 200, response.text
        return response.text


def _anchor(http: httpx.Client) -> Statement:
    return statements.read(
        http.get("/.well-known/openid-federation").text, typ=statements.ENTITY_STATEMENT
    )


def _chain(http: httpx.Client, live: Live) -> chains.ValidatedChain:
    anchor = _anchor(http)
    tokens = chains.collect(
        live.provider, anchors=[live.anchor], source=HttpSource(http), now=live.clock.now
    )
    return chains.validate(
        tokens, anchor=live.anchor, anchor_jwks=anchor.claims["jwks"], now=live.clock.now
    )


def _tampered(token: str, change: dict[str, Any]) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(change)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def test_the_anchors_configuration_is_self_signed(http: httpx.Client, live: Live) -> None:
    """/.well-known/openid-federation: typed, self-signed, with its endpoints and marks."""
    response = http.get("/.well-known/openid-federation")
    assert response.headers["content-type"] == "application/entity-statement+jwt"
    anchor = _anchor(http)
    statements.verify(anchor, anchor.claims["jwks"])
    assert anchor.iss == anchor.sub == live.anchor
    assert "authority_hints" not in anchor.claims
    entity = anchor.claims["metadata"]["federation_entity"]
    assert entity["federation_fetch_endpoint"] == f"{live.anchor}/federation/fetch"
    assert entity["federation_trust_mark_status_endpoint"].endswith("/trust-mark-status")
    assert entity["organization_name#ja"] == "credstack 認定登録簿"
    assert trust_marks.provider_mark_type(live.anchor) in anchor.claims["trust_mark_issuers"]
    key = anchor.claims["jwks"]["keys"][0]
    assert key["kty"] == "EC" and key["alg"] == "ES256" and "d" not in key


def test_a_recognised_providers_chain_validates(http: httpx.Client, live: Live) -> None:
    """Provider → anchor, collected over HTTP, validated by credstack's own validator."""
    chain = _chain(http, live)
    assert [statement.iss for statement in chain.statements] == [
        live.provider,
        live.anchor,
        live.anchor,
    ]
    issuer = chain.metadata["micro_credential_provider"]
    did_web = f"did:web:localhost%3A{live.anchor.rsplit(':', 1)[1]}:organisations:{SLUG}"
    assert issuer["did_web"] == did_web
    assert issuer["did_keys"] and all(did.startswith("did:key:z6Mk") for did in issuer["did_keys"])
    assert "OpenBadgeCredential" in issuer["credential_types"]
    [programme] = issuer["programmes"]
    assert programme["decision"] == NUMBER and programme["programme"] == live.store.programme_id
    entity = chain.metadata["federation_entity"]
    assert entity["organization_name#ja"] == "北都工科大学"
    assert entity["organization_name#en"] == "Hokuto Institute of Technology"
    assert chain.metadata["institution_additional_information"]["country"] == "JP"
    assert sorted(mark.claims["trust_mark_type"] for mark in chain.trust_marks) == sorted(
        [
            trust_marks.provider_mark_type(live.anchor),
            trust_marks.programme_mark_type(live.anchor, live.store.programme_id),
        ]
    )
    assert chain.refused_marks == ()


def test_a_tampered_statement_is_refused(http: httpx.Client, live: Live) -> None:
    """The anchor's statement with a forged name, or signed as by the provider: refused."""
    anchor = _anchor(http)
    tokens = chains.collect(
        live.provider, anchors=[live.anchor], source=HttpSource(http), now=live.clock.now
    )
    forged = [
        tokens[0],
        _tampered(tokens[1], {"metadata": {"federation_entity": {"organization_name": "Forged"}}}),
        tokens[2],
    ]
    with pytest.raises(TrustChainError) as refused:
        chains.validate(
            forged, anchor=live.anchor, anchor_jwks=anchor.claims["jwks"], now=live.clock.now
        )
    assert refused.value.reason == "bad-signature"
    later = live.clock.now + dt.timedelta(days=2)
    with pytest.raises(TrustChainError) as expired:
        chains.validate(tokens, anchor=live.anchor, anchor_jwks=anchor.claims["jwks"], now=later)
    assert expired.value.reason == "expired"


def test_fetch_by_entity_identifier_or_issuer_did(http: httpx.Client, live: Live) -> None:
    """sub= the provider's entity id, its did:key, or its did:web (either spelling)."""
    by_id = statements.read(
        http.get("/federation/fetch", params={"sub": live.provider}).text,
        typ=statements.ENTITY_STATEMENT,
    )
    assert by_id.sub == live.provider and by_id.iss == live.anchor
    assert by_id.claims["source_endpoint"] == f"{live.anchor}/federation/fetch"
    issuer = by_id.claims["metadata"]["micro_credential_provider"]
    for did in [issuer["did_web"], issuer["did_web"].replace("%3A", ":"), *issuer["did_keys"]]:
        response = http.get(f"/federation/fetch?sub={did}")
        assert response.status_code == 200, (did, response.text)
        statement = statements.read(response.text, typ=statements.ENTITY_STATEMENT)
        statements.verify(statement, _anchor(http).claims["jwks"])
        assert statement.claims["metadata"]["federation_entity"]["organization_name"] == (
            "Hokuto Institute of Technology"
        )
    key = issuer["did_keys"][0]
    statement = statements.read(
        http.get("/federation/fetch", params={"sub": key}).text, typ=statements.ENTITY_STATEMENT
    )
    assert statement.claims["jwks"]["keys"][0]["x"]  # the did:key's own key
    unknown = http.get("/federation/fetch", params={"sub": f"{live.anchor}/organisations/jmicro"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    assert http.get("/federation/fetch").json()["error"] == "invalid_request"
    assert http.get("/federation/fetch", params={"sub": live.anchor}).status_code == 400


def test_the_list_follows_the_recognitions(http: httpx.Client, live: Live) -> None:
    """Listed while recognised; filters; gone once the recognition ends or is withdrawn."""
    assert http.get("/federation/list").json() == [live.provider]
    assert http.get("/federation/list", params={"entity_type": "federation_entity"}).json() == [
        live.provider
    ]
    assert http.get("/federation/list", params={"entity_type": "openid_provider"}).json() == []
    assert http.get("/federation/list", params={"intermediate": "true"}).json() == []
    assert http.get("/federation/list", params={"trust_marked": "maybe"}).status_code == 400
    programme = trust_marks.programme_mark_type(live.anchor, live.store.programme_id)
    assert http.get("/federation/list", params={"trust_mark_type": programme}).json() == [
        live.provider
    ]
    assert http.get(
        "/federation/trust-mark-list", params={"trust_mark_type": programme}
    ).json() == [live.provider]
    live.clock.now = VALID_UNTIL + dt.timedelta(seconds=1)
    assert http.get("/federation/list").json() == []
    live.clock.now = NOW
    assert http.get("/federation/list").json() == [live.provider]
    with live.store.sessions() as session, session.begin():
        recognitions.withdraw(
            session,
            recognition=NUMBER,
            reason="Rubric not published.",
            now=NOW,
            secret=live.store.secret,
        )
    assert http.get("/federation/list").json() == []
    assert http.get(f"/organisations/{SLUG}/.well-known/openid-federation").status_code == 404


def _status(http: httpx.Client, token: str) -> str:
    response = http.post("/federation/trust-mark-status", data={"trust_mark": token})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/trust-mark-status-response+jwt"
    answer = statements.read(response.text, typ=statements.TRUST_MARK_STATUS)
    statements.verify(answer, _anchor(http).claims["jwks"])
    assert answer.claims["trust_mark"] == token
    return str(answer.claims["status"])


def test_trust_marks_are_withdrawn_with_the_recognition(http: httpx.Client, live: Live) -> None:
    """Active while recognised, revoked once withdrawn; a forged one invalid; a stranger's
    unknown."""
    programme = trust_marks.programme_mark_type(live.anchor, live.store.programme_id)
    provider = trust_marks.provider_mark_type(live.anchor)
    marks = {
        kind: http.get(
            "/federation/trust-mark", params={"trust_mark_type": kind, "sub": live.provider}
        ).text
        for kind in (programme, provider)
    }
    for token in marks.values():
        mark = trust_marks.validate(
            token,
            subject=live.provider,
            issuer_jwks=_anchor(http).claims["jwks"],
            now=live.clock.now,
        )
        assert mark.claims["exp"] == int(VALID_UNTIL.timestamp())
        assert _status(http, token) == "active"
    assert (
        trust_marks.validate(
            marks[programme],
            subject=live.provider,
            issuer_jwks=_anchor(http).claims["jwks"],
            now=live.clock.now,
        ).claims["decision"]
        == NUMBER
    )
    with pytest.raises(TrustChainError) as other:
        trust_marks.validate(
            marks[programme],
            subject=f"{live.anchor}/organisations/jmicro",
            issuer_jwks=_anchor(http).claims["jwks"],
            now=live.clock.now,
        )
    assert other.value.reason == "trust-mark-subject"
    assert _status(http, _tampered(marks[provider], {"exp": 4102444800})) == "invalid"
    stranger = _tampered(marks[provider], {"iss": "https://elsewhere.example"})
    assert (
        http.post("/federation/trust-mark-status", data={"trust_mark": stranger}).status_code == 404
    )
    with live.store.sessions() as session, session.begin():
        recognitions.withdraw(
            session,
            recognition=NUMBER,
            reason="Rubric not published.",
            now=NOW,
            secret=live.store.secret,
        )
    assert _status(http, marks[programme]) == "revoked"
    assert _status(http, marks[provider]) == "revoked"
    live.clock.now = VALID_UNTIL + dt.timedelta(days=1)
    assert (
        http.get(
            "/federation/trust-mark", params={"trust_mark_type": provider, "sub": live.provider}
        ).status_code
        == 404
    )


def test_resolve_answers_with_the_chain_and_marks(http: httpx.Client, live: Live) -> None:
    """The resolve response: signed by the anchor, the chain validates, marks verified."""
    response = http.get(
        "/federation/resolve", params={"sub": live.provider, "trust_anchor": live.anchor}
    )
    assert response.headers["content-type"] == "application/resolve-response+jwt"
    answer = statements.read(response.text, typ=statements.RESOLVE_RESPONSE)
    anchor = _anchor(http)
    statements.verify(answer, anchor.claims["jwks"])
    chain = chains.validate(
        answer.claims["trust_chain"],
        anchor=live.anchor,
        anchor_jwks=anchor.claims["jwks"],
        now=live.clock.now,
    )
    assert answer.claims["metadata"] == chain.metadata
    assert len(answer.claims["trust_marks"]) == 2
    only = statements.read(
        http.get(
            "/federation/resolve",
            params={
                "sub": live.provider,
                "trust_anchor": live.anchor,
                "entity_type": "federation_entity",
            },
        ).text,
        typ=statements.RESOLVE_RESPONSE,
    )
    assert list(only.claims["metadata"]) == ["federation_entity"]
    elsewhere = http.get(
        "/federation/resolve",
        params={"sub": live.provider, "trust_anchor": "https://other.example"},
    )
    assert elsewhere.json()["error"] == "invalid_trust_anchor"


def test_a_rotated_key_is_published_beside_the_old(http: httpx.Client, live: Live) -> None:
    """After a rotation new statements name the new key; the old stays in the JWK set, so
    a chain signed before still validates."""
    before = chains.collect(
        live.provider, anchors=[live.anchor], source=HttpSource(http), now=live.clock.now
    )
    old = _anchor(http).kid
    with open_runtime(settings=live.store.settings, clock=live.clock) as runtime:
        rotated = federation_keys.rotate_key(runtime, actor=Operator("test"))
    assert rotated.retired == old
    anchor = _anchor(http)
    assert anchor.kid == rotated.kid != old
    assert {key["kid"] for key in anchor.claims["jwks"]["keys"]} == {old, rotated.kid}
    chains.validate(
        before, anchor=live.anchor, anchor_jwks=anchor.claims["jwks"], now=live.clock.now
    )
    _chain(http, live)


def test_the_dcc_registry_lists_every_issuer_did(http: httpx.Client, live: Live) -> None:
    """registry.json: meta and registry, each DID of the provider with name, location, url."""
    document = http.get("/federation/registry.json").json()
    assert set(document) == {"meta", "registry"}
    statement = statements.read(
        http.get("/federation/fetch", params={"sub": live.provider}).text,
        typ=statements.ENTITY_STATEMENT,
    )
    dids = statement.claims["metadata"]["micro_credential_provider"]["dids"]
    assert set(document["registry"]) == set(dids)
    entry = document["registry"][dids[0]]
    assert entry["name"] == "Hokuto Institute of Technology"
    assert entry["names"]["ja"] == "北都工科大学"
    assert entry["location"] == "JP" and entry["url"] == "https://www.example.ac.jp/"
    assert all(did.startswith(("did:web:", did_key.PREFIX)) for did in dids)
    with live.store.sessions() as session, session.begin():
        recognitions.withdraw(
            session,
            recognition=NUMBER,
            reason="Rubric not published.",
            now=NOW,
            secret=live.store.secret,
        )
    assert http.get("/federation/registry.json").json()["registry"] == {}


def test_the_corporate_number_the_operator_sets_is_in_the_anchor_s_statement(
    http: httpx.Client, live: Live
) -> None:
    """The operator sets a provider's 法人番号 through the API; the anchor's next statement
    about it states it (``institution_additional_information.corporate_number``) at once, and
    registry.json too; another organisation is refused the same number."""
    def institution() -> dict[str, Any]:
        statement = statements.read(
            http.get("/federation/fetch", params={"sub": live.provider}).text,
            typ=statements.ENTITY_STATEMENT)
        found: dict[str, Any] = statement.claims["metadata"]["institution_additional_information"]
        return found

    assert "corporate_number" not in institution()
    server = LiveServer(live.url, live.store.settings)
    with operator_client(server) as operator:
        document = operator.get(f"/api/organisations/{SLUG}").json()
        body = {key: document[key] for key in ("slug", "kind", "name", "country")}
        live.clock.advance(seconds=1)
        refused = operator.put(f"/api/organisations/{SLUG}",
                               json={**body, "corporate_number": "8123456789012"})
        assert refused.status_code == 422
        saved = operator.put(f"/api/organisations/{SLUG}",
                             json={**body, "corporate_number": "7123456789012"})
        assert saved.status_code == 200, saved.text
        # The number is this organisation's: another is refused it, its holder named.
        taken = operator.post("/api/organisations", json={
            **body, "slug": "kita-college", "name": {"en": "Kita College"},
            "corporate_number": "712-3456-789012"})
        assert taken.status_code == 409, taken.text
        assert f"already that of the organisation {SLUG}" in taken.json()["detail"]
        assert operator.get("/api/organisations/kita-college").status_code == 404
    assert institution()["corporate_number"] == "7123456789012"
    listed = http.get("/federation/registry.json").json()["registry"]
    assert listed and {entry["corporate_number"] for entry in listed.values()} == {
        "7123456789012"}


def test_a_retired_key_is_listed_among_the_historical_keys(http: httpx.Client,
                                                           live: Live) -> None:
    """The configuration names the historical keys endpoint; before any rotation it lists
    no key; after one, the retired key with when it was made and until when what it signed
    stays valid, in a ``jwk-set+jwt`` signed with the anchor's current key."""
    endpoint = _anchor(http).claims["metadata"]["federation_entity"][
        "federation_historical_keys_endpoint"]
    assert endpoint == f"{live.anchor}/federation/historical-keys"
    path = endpoint.removeprefix(live.anchor)

    def historical() -> Statement:
        answer = http.get(path)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/jwk-set+jwt"
        found = statements.read(answer.text, typ=statements.HISTORICAL_KEYS)
        statements.verify(found, _anchor(http).claims["jwks"])
        assert found.claims["iss"] == live.anchor
        return found

    assert historical().claims["keys"] == []
    old = _anchor(http).kid
    with open_runtime(settings=live.store.settings, clock=live.clock) as runtime:
        rotated = federation_keys.rotate_key(runtime, actor=Operator("test"))
    found = historical()
    assert found.kid == rotated.kid
    [key] = found.claims["keys"]
    assert key["kid"] == old and "revoked" not in key
    assert key["iat"] <= int(live.clock.now.timestamp()) < key["exp"]
    assert dt.datetime.fromtimestamp(key["exp"], dt.UTC) == rotated.retired_published_until
