"""Issuer keys and DID documents over HTTP, on SQLite and PostgreSQL; no secret ever leaves."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import keys as store
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.crypto import KeyPair, KeyType, decode_public_key, encode_secret_key
from credstack.core.dids import did_web
from credstack.settings import Settings
from tests.accounts import add_user, api_client, store_session, token_response
from tests.conftest import operator_client, serve
from tests.helpers import organisation

PROBLEM = "application/problem+json"
DID_MEDIA_TYPE = "application/did+ld+json"
SECRET = new_master_key_text()
PUBLIC_URL = "https://issuer.example.ac.jp:8443"
SLUG = "hokuto-tech"
DID = "did:web:issuer.example.ac.jp%3A8443:organisations:hokuto-tech"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The conftest store, with a master key and a public address of its own."""
    return dataclasses.replace(settings, secret_key=SECRET, public_url=PUBLIC_URL)


@pytest.fixture
def provider(http: httpx.Client) -> dict:
    response = http.post("/api/organisations", json=organisation())
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def responses(http: httpx.Client) -> Iterator[list[httpx.Response]]:
    """Every response the test receives, to search them all for secrets afterwards."""
    seen: list[httpx.Response] = []
    http.event_hooks["response"].append(lambda response: seen.append(response))
    yield seen


def _key_pairs(settings: Settings, key_type: KeyType) -> KeyPair:
    """The active key pair, read the way signing code will (not through the API)."""
    with store_session(settings) as session:
        return _active(session, key_type)


def _active(session: Session, key_type: KeyType) -> KeyPair:
    _, key_pair = store.active_key_pair(session, organisation=SLUG, key_type=key_type,
                                        secret=MasterKey.from_text(SECRET, source="test"))
    return key_pair


def _assert_no_secret(responses: list[httpx.Response], key_pairs: list[KeyPair]) -> None:
    bodies = [response.read() for response in responses]
    assert bodies, "no responses were recorded"
    for key_pair in key_pairs:
        raw = key_pair.secret_bytes()
        forms = [raw, raw.hex().encode(), base64.b64encode(raw).rstrip(b"="),
                 base64.urlsafe_b64encode(raw).rstrip(b"="), encode_secret_key(key_pair).encode()]
        for body in bodies:
            for form in forms:
                assert form not in body
    for body in bodies:
        assert SECRET.encode() not in body


def test_keys_are_created_listed_and_served_in_the_did_document(http, provider, server,
                                                                responses):
    """POST creates (201, Location), GET lists, did.json lists Multikey methods; no secrets."""
    created = http.post(f"/api/organisations/{SLUG}/keys", json={"type": "Ed25519"})
    assert created.status_code == 201, created.text
    key = created.json()
    assert created.headers["location"] == f"/api/organisations/{SLUG}/keys/key-1"
    assert key["verification_method"] == f"{DID}#key-1" and key["active"] is True
    assert key["public_key_multibase"].startswith("z6Mk")
    assert key["did_key"] == f"did:key:{key['public_key_multibase']}"
    assert set(key) == {"fragment", "type", "active", "public_key_multibase", "public_key_jwk",
                        "verification_method", "did_key", "did_key_verification_method",
                        "created_at", "retired_at"}
    assert set(key["public_key_jwk"]) == {"kty", "crv", "x"}
    p256 = http.post(f"/api/organisations/{SLUG}/keys", json={"type": "P-256"}).json()
    assert p256["public_key_multibase"].startswith("zDn") and p256["fragment"] == "key-2"
    assert http.get(created.headers["location"]).json() == key
    assert http.get(f"/api/organisations/{SLUG}/keys").json() == [key, p256]

    document = http.get(f"/organisations/{SLUG}/did.json")
    assert document.status_code == 200
    assert document.headers["content-type"] == DID_MEDIA_TYPE
    assert document.headers["access-control-allow-origin"] == "*"
    body = document.json()
    assert body["id"] == DID
    assert body["@context"] == ["https://www.w3.org/ns/did/v1",
                                "https://w3id.org/security/multikey/v1",
                                "https://w3id.org/security/jwk/v1"]
    assert body["verificationMethod"] == [
        {"id": f"{DID}#key-1", "type": "Multikey", "controller": DID,
         "publicKeyMultibase": key["public_key_multibase"]},
        {"id": f"{DID}#key-1-jwk", "type": "JsonWebKey", "controller": DID,
         "publicKeyJwk": key["public_key_jwk"]},
        {"id": f"{DID}#key-2", "type": "Multikey", "controller": DID,
         "publicKeyMultibase": p256["public_key_multibase"]},
        {"id": f"{DID}#key-2-jwk", "type": "JsonWebKey", "controller": DID,
         "publicKeyJwk": p256["public_key_jwk"]},
    ]
    assert body["assertionMethod"] == body["authentication"] == [
        f"{DID}#key-1", f"{DID}#key-1-jwk", f"{DID}#key-2", f"{DID}#key-2-jwk"]
    # The document sits where the did:web method says its DID resolves (behind PUBLIC_URL).
    assert did_web.parse(DID) == f"{PUBLIC_URL}/organisations/{SLUG}/did.json"

    issuer = http.get(f"/api/organisations/{SLUG}/issuer").json()
    assert issuer["did"] == DID and issuer["active"] == {"Ed25519": f"{DID}#key-1",
                                                         "P-256": f"{DID}#key-2"}
    for path in ("/openapi.json", f"/api/organisations/{SLUG}", "/", "/programmes"):
        assert http.get(path).status_code == 200
    paths = http.get("/openapi.json").json()["paths"]
    assert {"/api/organisations/{slug}/keys",
            "/api/organisations/{slug}/keys/rotate",
            "/api/organisations/{slug}/issuer"} <= set(paths)
    _assert_no_secret(responses, [_key_pairs(server.settings, key_type)
                                  for key_type in (KeyType.ED25519, KeyType.P256)])


def test_rotation_keeps_the_old_key_in_the_document(http, provider, server, responses):
    """After rotate the active key differs; the old one still verifies what it signed."""
    http.post(f"/api/organisations/{SLUG}/keys", json={})
    old = _key_pairs(server.settings, KeyType.ED25519)
    signature = old.sign(b"issued before the rotation")
    rotated = http.post(f"/api/organisations/{SLUG}/keys/rotate", json={"type": "Ed25519"})
    assert rotated.status_code == 201, rotated.text
    assert rotated.json()["fragment"] == "key-2"
    new = _key_pairs(server.settings, KeyType.ED25519)
    assert new.public_key != old.public_key
    listing = http.get(f"/api/organisations/{SLUG}/keys").json()
    assert [(k["fragment"], k["active"], k["retired_at"] is None) for k in listing] == [
        ("key-1", False, False), ("key-2", True, True)]
    document = http.get(f"/organisations/{SLUG}/did.json").json()
    methods = {m["id"]: m.get("publicKeyMultibase") for m in document["verificationMethod"]}
    assert document["assertionMethod"] == [f"{DID}#key-1", f"{DID}#key-1-jwk", f"{DID}#key-2",
                                           f"{DID}#key-2-jwk"]
    assert document["authentication"] == [f"{DID}#key-2", f"{DID}#key-2-jwk"]
    decode_public_key(methods[f"{DID}#key-1"]).verify(signature, b"issued before the rotation")
    _assert_no_secret(responses, [old, new])


def test_p256_keys_rotate_too(http, provider, server, responses):
    """P-256 (ES256) keys are created and rotated like Ed25519 ones."""
    http.post(f"/api/organisations/{SLUG}/keys", json={"type": "P-256"})
    old = _key_pairs(server.settings, KeyType.P256)
    signature = old.sign(b"es256")
    assert http.post(f"/api/organisations/{SLUG}/keys/rotate",
                     json={"type": "P-256"}).status_code == 201
    document = http.get(f"/organisations/{SLUG}/did.json").json()
    old_method = next(m for m in document["verificationMethod"] if m["id"] == f"{DID}#key-1")
    decode_public_key(old_method["publicKeyMultibase"]).verify(signature, b"es256")
    assert all(m["publicKeyMultibase"].startswith("zDn") for m in document["verificationMethod"]
               if m["type"] == "Multikey")
    assert all(m["publicKeyJwk"]["crv"] == "P-256" for m in document["verificationMethod"]
               if m["type"] == "JsonWebKey")
    _assert_no_secret(responses, [old, _key_pairs(server.settings, KeyType.P256)])


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("post", f"/api/organisations/{SLUG}/keys/rotate", {}, 404),
    ("post", "/api/organisations/nowhere/keys", {}, 404),
    ("get", "/api/organisations/nowhere/keys", None, 404),
    ("get", f"/api/organisations/{SLUG}/keys/key-7", None, 404),
    ("get", f"/organisations/{SLUG}/did.json", None, 404),
    ("get", "/organisations/nowhere/did.json", None, 404),
    ("post", f"/api/organisations/{SLUG}/keys", {"type": "RSA"}, 422),
    ("post", f"/api/organisations/{SLUG}/keys", {"type": "Ed25519", "secret": "x"}, 422),
])
def test_bad_requests_are_problems(http, provider, method, path, body, status):
    """Unknown organisations or keys, no key to rotate, unknown types: RFC 9457 problems."""
    response = http.request(method, path, json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM


def test_creating_a_second_active_key_is_a_conflict(http, provider):
    """A second create of the same type is 409 and says to rotate."""
    assert http.post(f"/api/organisations/{SLUG}/keys", json={}).status_code == 201
    again = http.post(f"/api/organisations/{SLUG}/keys", json={})
    assert again.status_code == 409 and "rotate" in again.json()["detail"]


def test_without_a_master_key_signing_and_audited_actions_fail_clearly_and_reads_work(
        bare_postgres):
    """On PostgreSQL without a master key: issuer keys and the audit log (so sign-in and
    tokens) cannot work — a 500 problem says how to make the key; public reads work."""
    for live in serve(bare_postgres):
        with httpx.Client(base_url=live.url, timeout=30) as anonymous:
            add_user(live.settings, "admin@example.org", roles=[(None, "registry-admin")])
            client_id, secret = api_client(live.settings, "admin@example.org",
                                           ["keys:manage"])
            response = token_response(live.url, client_id, secret)
            assert response.status_code == 500
            assert response.headers["content-type"] == PROBLEM
            problem = response.json()
            assert problem["type"] == "/problems/key-store"
            assert "credstack keys secret" in problem["detail"]
            assert anonymous.get("/api/organisations").status_code == 200


@pytest.fixture
def bare_postgres(request: pytest.FixtureRequest, tmp_path) -> Settings:
    """A PostgreSQL store with no master key configured at all."""
    url = request.getfixturevalue("postgres_url")
    return Settings.from_env(data_dir=tmp_path / "bare", database_url=url)


def test_the_embedded_store_makes_its_own_master_key(sqlite_settings):
    """With the embedded SQLite store and no key configured, first use creates secret.key."""
    for live in serve(sqlite_settings):
        with operator_client(live, timeout=30) as http:
            http.post("/api/organisations", json=organisation())
            assert http.post(f"/api/organisations/{SLUG}/keys", json={}).status_code == 201
    assert (sqlite_settings.data_dir / "secret.key").exists()
