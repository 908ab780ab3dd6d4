"""*Securing Verifiable Credentials using JOSE and COSE* against outside libraries, both ways.

The outside libraries are unmodified npm packages pinned in ``interop/js/package-lock.json``
and driven by ``interop/js/jose-cose.mjs``: ``jose`` (``application/vc+jwt``: ``CompactSign``,
``jwtVerify`` requiring ``typ: vc+jwt``), the OpenWallet Foundation's ``@sd-jwt/sd-jwt-vc``
(``application/vc+sd-jwt`` and ``dc+sd-jwt``: ``SDJwtVcInstance``'s issue, present with a key
binding JWT, verify) and ``@auth0/cose`` (the maintained successor of ``cose-kit``;
``application/vc+cose``: ``Sign1.sign``, ``Sign1.decode`` and ``verify``). Each test runs
against a real credstack over HTTP, on SQLite and on PostgreSQL (the issuer's keys are in the
store), with EdDSA, ES256, ES384 and ES512:

* credstack issues in each format (``POST /credentials/issue``, ``options.format`` and
  ``alg``); the outside library verifies it with the key the issuer's published DID document
  holds, and reads the very credential credstack secured; a credential changed after signing
  is refused by the library;
* the outside library issues (a did:key issuer) and ``POST /credentials/verify`` verifies it;
  an SD-JWT VC the library issues with disclosable claims, then presents with fewer
  disclosures and a key binding JWT, verifies too; a changed payload is refused.

Needs ``node`` and ``interop/js/node_modules`` (see ``test_js_reference``); skips without them,
fails instead when ``CREDSTACK_REQUIRE_NODE=1``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.crypto.multikey import decode_public_key
from credstack.core.dids import did_key
from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose
from credstack.settings import Settings
from tests.conftest import LiveServer, at_own_url, operator_client, serve
from tests.helpers import organisation
from tests.interop.test_js_reference import JS, Node, node

__all__ = ["node"]  # the fixture, shared with the Digital Bazaar tests

SLUG = "hokuto-tech"
VC2 = "https://www.w3.org/ns/credentials/v2"
#: The examples' context (bundled): its ``@vocab`` defines the subject's own terms.
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
MEDIA_TYPES = {"vc+jwt": "application/vc+jwt", "vc+sd-jwt": "application/vc+sd-jwt",
               "vc+cose": "application/vc+cose"}
#: The algorithms, the key type credstack's API names, and the key the libraries sign with.
ALGORITHMS = {"EdDSA": ("Ed25519", KeyType.ED25519), "ES256": ("P-256", KeyType.P256),
              "ES384": ("P-384", KeyType.P384), "ES512": ("P-521", KeyType.P521)}
#: The npm packages ``jose-cose.mjs`` imports.
PACKAGES = ("jose", "@sd-jwt/sd-jwt-vc", "@sd-jwt/crypto-nodejs", "@auth0/cose")
HOLDER = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(7, 39)))
NONCE = "n-0S6_WzA2Mj"


@pytest.fixture(scope="module")
def libraries(node: Node) -> Node:
    missing = [name for name in PACKAGES if not (JS / "node_modules" / name).is_dir()]
    if missing:
        pytest.fail(f"interop/js/node_modules lacks {', '.join(missing)} while the reference "
                    "is installed; run `npm ci --prefix interop/js`")
    return node


@pytest.fixture(scope="module")
def http(module_settings: Settings) -> Iterator[httpx.Client]:
    """An operator's client of credstack on each store, the test organisation holding a key
    of each type."""
    configured, port = at_own_url(module_settings)
    servers = serve(configured, port=port)
    live: LiveServer = next(servers)
    with operator_client(live, timeout=60) as client:
        assert client.post("/api/organisations", json=organisation()).status_code == 201
        for key_type, _ in ALGORITHMS.values():
            made = client.post(f"/api/organisations/{SLUG}/keys", json={"type": key_type})
            assert made.status_code == 201, made.text
        yield client
    servers.close()


def credential(issuer: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [VC2, EXAMPLES], "type": ["VerifiableCredential"],
        "validFrom": "2026-01-01T00:00:00Z",
        "name": [{"@value": "データサイエンス基礎", "@language": "ja"},
                 {"@value": "Data science foundations", "@language": "en"}],
        "credentialSubject": {"id": "did:example:learner", "name": "山田花子",
                              "achievement": {"name": "統計の基礎", "credits": 2}}}
    return {**document, "issuer": issuer} if issuer else document


def private_jwk(key: KeyPair) -> dict[str, str]:
    secret = base64.urlsafe_b64encode(key.secret_bytes()).rstrip(b"=").decode()
    return {**key.public_key.to_jwk(), "d": secret}


def _b64url_json(part: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return value


def _reencoded(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def enveloped(format_name: str, secured: str | bytes) -> dict[str, Any]:
    """VC Data Model 2.0 §4.13: the secured credential as a ``data:`` URL."""
    media_type = MEDIA_TYPES[format_name]
    url = (f"data:{media_type};base64,{base64.b64encode(secured).decode()}"
           if isinstance(secured, bytes) else f"data:{media_type},{secured}")
    return {"@context": [VC2], "type": "EnvelopedVerifiableCredential", "id": url}


def unwrapped(envelope: dict[str, Any], format_name: str) -> str:
    """What a ``data:`` URL envelope carries (a COSE message in base64)."""
    media_type = MEDIA_TYPES[format_name]
    prefix = f"data:{media_type};base64," if format_name == "vc+cose" else f"data:{media_type},"
    assert envelope["id"].startswith(prefix), envelope["id"][:60]
    return str(envelope["id"][len(prefix):])


def published_jwk(http: httpx.Client, kid: str) -> dict[str, str]:
    """The public key of the method ``kid`` names, as the issuer's DID document publishes it."""
    document = http.get(f"/organisations/{SLUG}/did.json").json()
    [method] = [item for item in document["verificationMethod"] if item["id"] == kid]
    return decode_public_key(method["publicKeyMultibase"]).to_jwk()


def credstack_verifies(http: httpx.Client, envelope: dict[str, Any]) -> httpx.Response:
    return http.post("/credentials/verify", json={"verifiableCredential": envelope})


# --- credstack issues, the libraries verify --------------------------------------------------


def _issued(http: httpx.Client, format_name: str, alg: str) -> str:
    issued = http.post("/credentials/issue", json={
        "credential": credential(), "options": {"format": format_name, "alg": alg}})
    assert issued.status_code == 201, issued.text
    return unwrapped(issued.json()["verifiableCredential"], format_name)


def _kid(format_name: str, secured: str) -> str:
    if format_name == "vc+cose":
        kid = vc_cose.parse(base64.b64decode(secured)).protected[4]
        return kid.decode() if isinstance(kid, bytes) else str(kid)
    return str(_b64url_json(secured.split(".")[0])["kid"])


def _library_verifies(libraries: Node, format_name: str, secured: str,
                      jwk: dict[str, str]) -> dict[str, Any]:
    action = {"vc+jwt": "jwt-verify", "vc+sd-jwt": "sd-jwt-verify",
              "vc+cose": "cose-verify"}[format_name]
    given = {"cose": secured} if format_name == "vc+cose" else {"token": secured}
    answer: dict[str, Any] = libraries.run("jose-cose.mjs",
                                           {"action": action, **given, "publicJwk": jwk})
    return answer


def _tampered(format_name: str, secured: str) -> str:
    """The same credential with its subject's id changed after signing."""
    if format_name == "vc+cose":
        data = base64.b64decode(secured)
        changed = data.replace(b"did:example:learner", b"did:example:someone")
        assert changed != data
        return base64.b64encode(changed).decode()
    jwt, tilde, rest = secured.partition("~")
    header, payload, signature = jwt.split(".")
    claims = _b64url_json(payload)
    claims["credentialSubject"]["id"] = "did:example:someone"
    return f"{header}.{_reencoded(claims)}.{signature}{tilde}{rest}"


@pytest.mark.parametrize("alg", ALGORITHMS)
@pytest.mark.parametrize("format_name", MEDIA_TYPES)
def test_credstack_issues_and_the_library_verifies(http: httpx.Client, libraries: Node,
                                                   format_name: str, alg: str) -> None:
    secured = _issued(http, format_name, alg)
    kid = _kid(format_name, secured)
    assert kid.startswith(f"did:web:localhost%3A{http.base_url.port}:organisations:{SLUG}#")
    jwk = published_jwk(http, kid)
    answer = _library_verifies(libraries, format_name, secured, jwk)
    assert answer["verified"] is True, answer
    payload = answer["payload"]
    # The library reads the credential credstack secured: every disclosure of an SD-JWT
    # resolved into the same claims credstack's own reading gives.
    expected = (sd_jwt.disclose(sd_jwt.parse(secured)).claims if format_name == "vc+sd-jwt"
                else {**credential(), "issuer": payload["issuer"], "id": payload["id"]})
    assert payload == expected
    assert payload["credentialSubject"]["name"] == "山田花子"
    assert payload["issuer"] == kid.partition("#")[0]
    assert payload["id"].startswith("urn:uuid:")  # the issuer gives the credential its id
    if format_name == "vc+cose":
        assert (answer["alg"], answer["typ"]) == (alg, "application/vc+cose")
        assert answer["kid"] == kid
    else:
        assert (answer["header"]["alg"], answer["header"]["typ"]) == (alg, format_name)
    refused = _library_verifies(libraries, format_name, _tampered(format_name, secured), jwk)
    assert refused["verified"] is False, refused


# --- the libraries issue, credstack verifies -------------------------------------------------


def _library_issues(libraries: Node, format_name: str, alg: str) -> tuple[str, KeyPair]:
    """A credential the library secures in ``format_name`` with a fresh did:key of ``alg``."""
    key = KeyPair.generate(ALGORITHMS[alg][1])
    kid = did_key.verification_method_id(key.public_key)
    document = credential(did_key.did_from_public_key(key.public_key))
    common = {"alg": alg, "kid": kid, "privateJwk": private_jwk(key)}
    if format_name == "vc+jwt":
        token: str = libraries.run("jose-cose.mjs", {
            "action": "jwt-sign", "credential": document, **common})["token"]
        return token, key
    if format_name == "vc+cose":
        cose: str = libraries.run("jose-cose.mjs", {
            "action": "cose-sign", "credential": document, **common})["cose"]
        return cose, key
    token = libraries.run("jose-cose.mjs", {
        "action": "sd-jwt-issue", "typ": "vc+sd-jwt",
        "payload": {**document, "cnf": {"jwk": HOLDER.public_key.to_jwk()}},
        "disclosureFrame": {"_sd": ["name"], "credentialSubject": {
            "_sd": ["name", "achievement"], "achievement": {"_sd": ["credits"]}}},
        **common})["token"]
    return token, key


def _envelope(format_name: str, secured: str) -> dict[str, Any]:
    return enveloped(format_name, base64.b64decode(secured) if format_name == "vc+cose"
                     else secured)


@pytest.mark.parametrize("alg", ALGORITHMS)
@pytest.mark.parametrize("format_name", MEDIA_TYPES)
def test_the_library_issues_and_credstack_verifies(http: httpx.Client, libraries: Node,
                                                   format_name: str, alg: str) -> None:
    secured, key = _library_issues(libraries, format_name, alg)
    answer = credstack_verifies(http, _envelope(format_name, secured))
    assert answer.status_code == 200, json.dumps(answer.json(), ensure_ascii=False)[:800]
    assert answer.json()["verified"] is True
    refused = credstack_verifies(http, _envelope(format_name, _tampered(format_name, secured)))
    assert refused.status_code != 200, refused.text
    assert any(error["check"] == "proof" for error in refused.json()["errors"])
    if format_name != "vc+sd-jwt":
        return
    # The library's own verifier reads what it issued, and credstack refuses nothing it
    # accepts: the library's holder keeps the credential's name back and binds the rest.
    presented: str = libraries.run("jose-cose.mjs", {
        "action": "sd-jwt-present", "token": secured,
        "presentationFrame": {"credentialSubject": {"achievement": {"credits": True}}},
        "holderPrivateJwk": private_jwk(HOLDER), "aud": "https://verifier.example",
        "nonce": NONCE, "iat": 1780000000})["token"]
    assert presented.count("~") == 3  # the achievement, its credits, the key binding JWT
    checked = libraries.run("jose-cose.mjs", {
        "action": "sd-jwt-verify", "token": presented, "publicJwk": key.public_key.to_jwk(),
        "holderPublicJwk": HOLDER.public_key.to_jwk(), "nonce": NONCE})
    assert checked["verified"] is True and checked["keyBinding"]["nonce"] == NONCE, checked
    answer = credstack_verifies(http, enveloped("vc+sd-jwt", presented))
    assert answer.status_code == 200, json.dumps(answer.json(), ensure_ascii=False)[:800]
    disclosed = sd_jwt.disclose(sd_jwt.parse(presented)).claims
    assert "name" not in disclosed and "name" not in disclosed["credentialSubject"]
    assert disclosed["credentialSubject"]["achievement"] == {"name": "統計の基礎", "credits": 2}


def test_an_ietf_sd_jwt_vc_the_library_issues_is_read_by_credstack(libraries: Node) -> None:
    """``dc+sd-jwt`` (SD-JWT VC, ``vct`` and ``iss``; not a W3C credential): credstack's
    SD-JWT reading discloses the library's claims exactly, and the library verifies it."""
    key = KeyPair.generate(KeyType.P256)
    claims = {"iss": "https://issuer.example", "iat": 1780000000,
              "vct": "https://credentials.example/identity_credential",
              "given_name": "花子", "family_name": "山田", "address": {"locality": "札幌"}}
    token: str = libraries.run("jose-cose.mjs", {
        "action": "sd-jwt-issue", "typ": "dc+sd-jwt", "payload": claims,
        "disclosureFrame": {"_sd": ["given_name", "family_name", "address"]},
        "alg": "ES256", "kid": "key-1", "privateJwk": private_jwk(key)})["token"]
    parsed = sd_jwt.parse(token)
    assert parsed.header["typ"] == "dc+sd-jwt" and len(parsed.disclosures) == 3
    disclosed = sd_jwt.disclose(parsed)
    assert disclosed.problems == () and disclosed.claims == claims
    answer = libraries.run("jose-cose.mjs", {
        "action": "sd-jwt-verify", "token": token, "publicJwk": key.public_key.to_jwk()})
    assert answer["verified"] is True and answer["payload"] == claims, answer
