"""did:web resolution over HTTP: documents served by real servers on loopback.

Foreign documents are served by a small ``http.server`` on 127.0.0.1; credstack's own by
credstack itself under uvicorn (on SQLite and PostgreSQL). A DID on ``localhost``
(``did:web:localhost%3A<port>``) is fetched over plain HTTP only because the tests set
``CREDSTACK_ALLOW_LOOPBACK_FETCH=1``; host names that must look public are looked up with a
resolver the test gives (``resolve_host``), never with DNS.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import time
from collections.abc import Iterator, Mapping
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.adapters.resolvers.did_web import (
    MAX_DID_DOCUMENT_BYTES,
    DidWebResolver,
    VerificationMethodUnavailableError,
)
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.crypto.multikey import encode_public_key
from credstack.core.dids import did_web, jwt_vc_issuer
from credstack.core.proofs import sign_data_integrity
from credstack.core.proofs.cryptosuites import sd_jwt, vc_jwt
from credstack.core.verification import VerificationReport
from credstack.services.verification import service as verifier
from credstack.settings import Settings
from tests.accounts import active_issuer_key
from tests.conftest import LiveServer, at_own_url, operator_client, serve
from tests.helpers import organisation
from tests.loopback import QuietHandler, serving
from tests.signed_credentials import ISSUER, VALID_FROM, unsigned

NOW = VALID_FROM + dt.timedelta(days=30)
OLD = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
NEW = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(1, 33)))
SECRET = new_master_key_text()
SLUG = "hokuto-tech"


def signed_by(method: str, key: KeyPair, *, issuer: str | None = None) -> dict[str, Any]:
    """The demo credential, issued by ``method``'s DID (or ``issuer``) and signed with ``key``
    under ``method``."""
    credential = unsigned()
    did = issuer or method.partition("#")[0]
    credential["issuer"]["id"] = did
    achievement = credential["credentialSubject"]["achievement"]
    if achievement.get("creator", {}).get("id") == ISSUER:
        achievement["creator"]["id"] = did
    return sign_data_integrity(credential, key=key, verification_method=method,
                               cryptosuite="eddsa-rdfc-2022", created=VALID_FROM,
                               document_loader=shared_document_loader())


def check(report: VerificationReport, name: str) -> Mapping[str, Any]:
    found = report.check(name)
    assert found is not None, name
    return found.to_dict()


# --- a server for foreign documents -----------------------------------------------------------

@dataclasses.dataclass
class Route:
    body: bytes
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    content_length: bool = True


class Documents(ThreadingHTTPServer):
    """Serves ``routes`` by path and records every path asked for."""

    daemon_threads = True
    routes: dict[str, Route]
    requests: list[str]

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def did(self, *segments: str) -> str:
        return ":".join([f"did:web:localhost%3A{self.port}", *segments])

    def publish(self, did: str, document: Mapping[str, Any] | bytes, **route: Any) -> None:
        """Serve ``document`` where ``did`` resolves (path of its did:web URL)."""
        path = "/" + did_web.parse(did).split("/", 3)[3]
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.routes[path] = Route(body, **route)


class _Handler(QuietHandler):
    server: Documents

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        route = self.server.routes.get(self.path, Route(b"", status=404))
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        self.send_header("Content-Type", "application/did+json")
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.content_length:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        # The client may have given up already (timeouts, size limits).
        with contextlib.suppress(OSError):
            self.wfile.write(route.body)


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
    monkeypatch.delenv("CREDSTACK_DID_WEB_ALLOW", raising=False)


@pytest.fixture
def documents(loopback: None) -> Iterator[Documents]:
    server = Documents(("127.0.0.1", 0), _Handler)
    server.routes, server.requests = {}, []
    with serving(server):
        yield server


def _document(did: str, *keys: did_web.VerificationKey) -> dict[str, Any]:
    return did_web.document(did, keys or [did_web.VerificationKey("key-1", OLD.public_key)])


# --- resolving and verifying --------------------------------------------------------------

@pytest.mark.parametrize("segments", [(), ("issuers", "hokuto")])
def test_a_credential_signed_with_a_did_web_key_verifies(documents: Documents,
                                                         segments: tuple[str, ...]) -> None:
    """The document is fetched where the DID says (.well-known or the path) and its key used."""
    did = documents.did(*segments)
    documents.publish(did, _document(did))
    report = verifier.verify(signed_by(f"{did}#key-1", OLD), now=NOW)
    assert report.ok, [c.to_dict() for c in report.failed]
    assert check(report, "issuer")["ok"] is True
    expected = "/.well-known/did.json" if not segments else "/issuers/hokuto/did.json"
    assert documents.requests == [expected]


def test_a_json_web_key_method_verifies(documents: Documents) -> None:
    """JsonWebKey2020 methods with an Ed25519 JWK verify Data Integrity proofs too."""
    did = documents.did()
    documents.publish(did, {"id": did, "verificationMethod": [
        {"id": f"{did}#jwk", "type": "JsonWebKey2020", "controller": did,
         "publicKeyJwk": OLD.public_key.to_jwk()}], "assertionMethod": [f"{did}#jwk"]})
    assert verifier.verify(signed_by(f"{did}#jwk", OLD), now=NOW).ok


def test_a_rotated_key_still_verifies_what_it_signed(documents: Documents) -> None:
    """After a rotation both keys verify; a key missing from the cached copy is fetched afresh."""
    did = documents.did()
    documents.publish(did, _document(did))
    before = signed_by(f"{did}#key-1", OLD)
    assert verifier.verify(before, now=NOW).ok
    documents.publish(did, _document(did, did_web.VerificationKey("key-1", OLD.public_key,
                                                                   current=False),
                                     did_web.VerificationKey("key-2", NEW.public_key)))
    after = signed_by(f"{did}#key-2", NEW)
    assert verifier.verify(after, now=NOW).ok
    assert verifier.verify(before, now=NOW).ok
    # Once for key-1, once more when key-2 was not in the cached copy; then from the cache.
    assert documents.requests == ["/.well-known/did.json"] * 2


def test_a_signature_by_another_key_fails_the_proof(documents: Documents) -> None:
    """A proof naming key-1 but made with another key does not verify."""
    did = documents.did()
    documents.publish(did, _document(did))
    report = verifier.verify(signed_by(f"{did}#key-1", NEW), now=NOW)
    assert not report.ok
    assert check(report, "proof")["ok"] is False


@pytest.mark.parametrize(("document", "reason"), [
    (lambda did: _document("did:web:attacker.example"),
     "is the document of 'did:web:attacker.example', not of"),
    (lambda did: {**_document(did), "assertionMethod": []}, "is not an assertion method of"),
    (lambda did: {**_document(did), "verificationMethod": [
        {**_document(did)["verificationMethod"][0], "type": "X25519KeyAgreementKey2019"}]},
     "of type 'X25519KeyAgreementKey2019'"),
    (lambda did: b"<!doctype html><p>Welcome", "is not JSON"),
])
def test_a_document_that_does_not_give_the_key_fails_the_proof_saying_why(
        documents: Documents, document: Any, reason: str) -> None:
    """id mismatch, not an assertion method, unsupported key, not JSON: the proof check says."""
    did = documents.did()
    documents.publish(did, document(did))
    report = verifier.verify(signed_by(f"{did}#key-1", OLD), now=NOW)
    proof = check(report, "proof")
    assert proof["ok"] is False
    assert reason in proof["reason"]["en"] and did in proof["reason"]["en"]


@pytest.mark.parametrize(("route", "reason"), [
    (Route(b"", status=404), "has no DID document: http://localhost"),
    (Route(b"", status=500), "answered HTTP 500"),
    (Route(b"", status=302, headers={"Location": "https://elsewhere.example/did.json"}),
     "answered HTTP 302"),
])
def test_missing_failing_and_redirected_documents_are_not_resolved(
        documents: Documents, route: Route, reason: str) -> None:
    """Not found, a server error and a redirect (never followed) each name the DID and URL."""
    did = documents.did()
    documents.routes["/.well-known/did.json"] = route
    with pytest.raises(VerificationMethodUnavailableError, match=reason) as caught:
        DidWebResolver()(f"{did}#key-1")
    assert did in caught.value.message
    assert documents.requests == ["/.well-known/did.json"]


# --- limits -----------------------------------------------------------------------------------

def test_only_allowed_hosts_are_fetched_from(documents: Documents,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With an allow-list, another host fails before any request; a listed host is fetched."""
    did = documents.did()
    documents.publish(did, _document(did))
    with pytest.raises(VerificationMethodUnavailableError,
                       match="its host localhost is not among the hosts .* "
                             r"\(CREDSTACK_DID_WEB_ALLOW: issuer.example.ac.jp\)"):
        DidWebResolver(allow=["issuer.example.ac.jp"])(f"{did}#key-1")
    assert documents.requests == []
    assert DidWebResolver(allow=["issuer.example.ac.jp", "LOCALHOST"])(f"{did}#key-1")[1] == did

    monkeypatch.setenv("CREDSTACK_DID_WEB_ALLOW", "issuer.example.ac.jp, badges.example.org")
    report = verifier.verify(signed_by(f"{did}#key-1", OLD), now=NOW)
    assert "CREDSTACK_DID_WEB_ALLOW" in check(report, "proof")["reason"]["en"]
    assert Settings.from_env(database_url="sqlite://").did_web_allow == (
        "issuer.example.ac.jp", "badges.example.org")


@pytest.mark.parametrize("content_length", [True, False])
def test_a_document_over_the_size_limit_is_refused(documents: Documents,
                                                   content_length: bool) -> None:
    """Declared or streamed, a document over the limit is not read past it."""
    did = documents.did()
    padded = {**_document(did), "service": [{"id": f"{did}#pad", "type": "Padding",
                                             "serviceEndpoint": "x" * MAX_DID_DOCUMENT_BYTES}]}
    documents.publish(did, padded, content_length=content_length)
    with pytest.raises(VerificationMethodUnavailableError,
                       match=f"is over {MAX_DID_DOCUMENT_BYTES:,} bytes"):
        DidWebResolver()(f"{did}#key-1")
    small = DidWebResolver(limit=1024)
    documents.publish(did, {**_document(did), "service": [{"id": f"{did}#pad", "type": "P",
                                                           "serviceEndpoint": "x" * 2000}]})
    with pytest.raises(VerificationMethodUnavailableError, match="is over 1,024 bytes"):
        small(f"{did}#key-1")


def test_a_server_that_does_not_answer_in_time_is_given_up_on(documents: Documents) -> None:
    """A slow server costs the timeout, not the verification: the document, sent after 3 s,
    is never waited for past the resolver's 0.3 s (without the timeout it would arrive and
    resolve; how long the giving up takes is bench work)."""
    did = documents.did()
    documents.publish(did, _document(did), delay=3.0)
    with pytest.raises(VerificationMethodUnavailableError, match="ReadTimeout"):
        DidWebResolver(timeout=0.3)(f"{did}#key-1")


def test_loopback_hosts_are_refused_unless_tests_allow_them(
        documents: Documents, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without CREDSTACK_ALLOW_LOOPBACK_FETCH a localhost DID is not fetched at all."""
    did = documents.did()
    documents.publish(did, _document(did))
    monkeypatch.delenv("CREDSTACK_ALLOW_LOOPBACK_FETCH")
    resolver = DidWebResolver()
    assert resolver.document_url(did) == f"https://localhost:{documents.port}/.well-known/did.json"
    with pytest.raises(VerificationMethodUnavailableError, match="is a loopback address"):
        resolver(f"{did}#key-1")
    assert documents.requests == []


def test_other_hosts_are_fetched_over_https_only(documents: Documents) -> None:
    """Only loopback names get plain HTTP: a public name is HTTPS even on a loopback address."""
    did = f"did:web:issuer.example.ac.jp%3A{documents.port}"
    documents.publish(did, _document(did))
    resolver = DidWebResolver(resolve_host=lambda host, port: ["127.0.0.1"], timeout=2)
    assert resolver.document_url(did).startswith("https://issuer.example.ac.jp:")
    # The plain HTTP server cannot complete a TLS handshake: nothing is read from it.
    with pytest.raises(VerificationMethodUnavailableError, match="ConnectError"):
        resolver(f"{did}#key-1")
    assert documents.requests == []


@pytest.mark.parametrize("addresses", [
    ["10.1.2.3"], ["192.168.0.10"], ["169.254.169.254"], ["100.64.0.1"], ["fd00::1"],
    ["93.184.215.14", "172.16.0.1"],  # one private address among public ones is enough
])
def test_hosts_that_resolve_to_private_addresses_are_refused(addresses: list[str]) -> None:
    """Every address of the name is checked before connecting; none may be private."""
    asked: list[tuple[str, int]] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append((host, port))
        return addresses

    resolver = DidWebResolver(resolve_host=resolve)
    with pytest.raises(VerificationMethodUnavailableError,
                       match="names a private or reserved address"):
        resolver("did:web:intranet.example.ac.jp:people:alice#key-1")
    assert asked == [("intranet.example.ac.jp", 443)]


# --- credstack's own documents, fetched by another verifier ------------------------------------

@pytest.fixture
def issuer(settings: Settings, loopback: None) -> Iterator[LiveServer]:
    """credstack at http://localhost:<port>, with an organisation that has an Ed25519 key."""
    configured, port = at_own_url(settings, secret_key=SECRET)
    for live in serve(configured, port=port):
        with operator_client(live, timeout=20) as http:
            assert http.post("/api/organisations", json=organisation()).status_code == 201
            assert http.post(f"/api/organisations/{SLUG}/keys", json={}).status_code == 201
        yield live


def test_credstacks_did_documents_resolve_across_a_rotation(issuer: LiveServer) -> None:
    """Another verifier fetches credstack's did.json; after a rotation old and new keys verify."""
    method, key = active_issuer_key(issuer.settings, secret=SECRET)
    assert method == did_web.did_for(issuer.settings.public_url, ["organisations", SLUG]) + \
        "#key-1"
    before = signed_by(method, key)
    resolver = DidWebResolver()
    assert resolver(method) == (key.public_key, method.partition("#")[0])
    assert verifier.verify(before, now=NOW).ok

    with operator_client(issuer, timeout=20) as http:
        assert http.post(f"/api/organisations/{SLUG}/keys/rotate", json={}).status_code == 201
    rotated_method, rotated = active_issuer_key(issuer.settings, secret=SECRET)
    assert rotated_method.endswith("#key-2")
    after = signed_by(rotated_method, rotated)
    assert verifier.verify(after, now=NOW).ok
    assert verifier.verify(before, now=NOW).ok
    assert resolver(method)[0] == key.public_key  # the cached copy had it; still valid


def test_credstacks_json_web_key_methods_verify_what_names_them(issuer: LiveServer) -> None:
    """A JOSE verifier reading publicKeyJwk names #key-1-jwk: the same key, from credstack's
    did.json, for a JWT and a Data Integrity proof alike."""
    method, key = active_issuer_key(issuer.settings, secret=SECRET)
    jwk_method = f"{method}-jwk"
    did = method.partition("#")[0]
    assert DidWebResolver()(jwk_method) == (key.public_key, did)
    credential = signed_by(method, key)
    del credential["proof"]
    for secured in (vc_jwt.sign(credential, key=key, kid=jwk_method),
                    signed_by(jwk_method, key)):
        report = verifier.verify(secured, now=NOW)
        assert report.ok, [c.to_dict() for c in report.failed]
        assert check(report, "proof")["details"]["proofs"][0]["verificationMethod"] == jwk_method


# --- verification methods named by HTTPS URLs (Controlled Identifiers v1.0 §3.3) --------------

def _url(documents: Documents, path: str) -> str:
    return f"https://localhost:{documents.port}{path}"


def _serve(documents: Documents, path: str, document: Mapping[str, Any]) -> None:
    documents.routes[path] = Route(json.dumps(document).encode())


def _multikey(method: str, controller: str, key: KeyPair = OLD) -> dict[str, Any]:
    return {"id": method, "type": "Multikey", "controller": controller,
            "publicKeyMultibase": encode_public_key(key.public_key)}


def test_a_method_in_the_issuers_controller_document_verifies(documents: Documents) -> None:
    """An OB 3.0 issuer whose profile URL names its key (as 1EdTech's examples do): the URL
    without its fragment gives the controller document, fetched over the hardened fetcher;
    the issuer is its id."""
    issuer = _url(documents, "/issuers/565049")
    method = f"{issuer}#key-1"
    _serve(documents, "/issuers/565049", {
        "@context": ["https://www.w3.org/ns/cid/v1"], "id": issuer, "type": "Profile",
        "verificationMethod": [_multikey(method, issuer)], "assertionMethod": ["#key-1"]})
    report = verifier.verify(signed_by(method, OLD), now=NOW)
    assert report.ok, [c.to_dict() for c in report.failed]
    assert check(report, "issuer")["details"]["issuer"] == issuer
    assert documents.requests == ["/.well-known/jwt-vc-issuer/issuers/565049", "/issuers/565049"]


def test_a_method_published_alone_verifies_when_its_controller_lists_it(
        documents: Documents) -> None:
    """The URL gives the Multikey alone; its controller's document names it under
    assertionMethod, so the controller is the signer."""
    issuer, method = _url(documents, "/issuers/1"), _url(documents, "/keys/1")
    _serve(documents, "/keys/1", _multikey(method, issuer))
    _serve(documents, "/issuers/1", {"id": issuer, "assertionMethod": [method]})
    report = verifier.verify(signed_by(method, OLD, issuer=issuer), now=NOW)
    assert report.ok, [c.to_dict() for c in report.failed]
    assert documents.requests == ["/keys/1", "/issuers/1"]


def test_a_json_web_key_published_alone_verifies(documents: Documents) -> None:
    """A JsonWebKey method (P-256 here) is read like a Multikey one."""
    key = KeyPair.from_secret_bytes(KeyType.P256, bytes(range(2, 34)))
    issuer, method = _url(documents, "/issuers/2"), _url(documents, "/keys/jwk")
    _serve(documents, "/keys/jwk", {"id": method, "type": "JsonWebKey", "controller": issuer,
                                    "publicKeyJwk": key.public_key.to_jwk()})
    _serve(documents, "/issuers/2", {"id": issuer, "assertionMethod": [method]})
    assert DidWebResolver()(method) == (key.public_key, issuer)


@pytest.mark.parametrize(("controller_document", "reason"), [
    (lambda issuer, method: {"id": issuer, "assertionMethod": []},
     "is not an assertion method of https://localhost"),
    (lambda issuer, method: {"id": issuer, "authentication": [method]},
     "is not an assertion method of"),
    (lambda issuer, method: {"id": "https://attacker.example/me", "assertionMethod": [method]},
     "is the document of 'https://attacker.example/me', not of https://localhost"),
    (lambda issuer, method: {"id": issuer, "assertionMethod": [
        _multikey(method, issuer, NEW)]}, "more than once, with different content"),
])
def test_a_method_its_controller_does_not_let_assert_fails_the_proof(
        documents: Documents, controller_document: Any, reason: str) -> None:
    """A key naming a controller proves nothing until the controller lists it for
    assertionMethod, under its own id, with the same key."""
    issuer, method = _url(documents, "/issuers/3"), _url(documents, "/keys/3")
    _serve(documents, "/keys/3", _multikey(method, issuer))
    _serve(documents, "/issuers/3", controller_document(issuer, method))
    proof = check(verifier.verify(signed_by(method, OLD, issuer=issuer), now=NOW), "proof")
    assert proof["ok"] is False and proof["code"] == "unresolvable-method"
    assert reason in proof["reason"]["en"]


def test_a_credential_issued_by_someone_else_than_the_controller_fails_the_issuer(
        documents: Documents) -> None:
    """The controller signed, but the credential names another issuer: issuer-mismatch."""
    issuer = _url(documents, "/issuers/4")
    method = f"{issuer}#key-1"
    _serve(documents, "/issuers/4", {"id": issuer, "verificationMethod": [
        _multikey(method, issuer)], "assertionMethod": [method]})
    report = verifier.verify(signed_by(method, OLD, issuer=_url(documents, "/issuers/5")),
                             now=NOW)
    assert check(report, "proof")["ok"] is True
    assert check(report, "issuer")["code"] == "issuer-mismatch"


def test_https_methods_obey_the_allow_list_and_the_scheme(documents: Documents) -> None:
    """A host outside CREDSTACK_DID_WEB_ALLOW is not asked; an http:// method is refused."""
    issuer = _url(documents, "/issuers/6")
    _serve(documents, "/issuers/6", {"id": issuer, "verificationMethod": [
        _multikey(f"{issuer}#key-1", issuer)], "assertionMethod": ["#key-1"]})
    with pytest.raises(VerificationMethodUnavailableError,
                       match=r"its host localhost is not among the hosts .*ALLOW"):
        DidWebResolver(allow=["issuer.example.ac.jp"])(f"{issuer}#key-1")
    assert documents.requests == []
    plain = f"http://localhost:{documents.port}/issuers/6#key-1"
    report = verifier.verify(signed_by(plain, OLD), now=NOW)
    assert "methods named by HTTPS URLs" in check(report, "proof")["reason"]["en"]
    assert documents.requests == []


def test_a_missing_controller_document_says_where_it_was_looked_for(
        documents: Documents) -> None:
    """Not found (404): the URL is named; nothing is cached, the next try fetches again."""
    method = _url(documents, "/issuers/7") + "#key-1"
    with pytest.raises(VerificationMethodUnavailableError,
                       match=r"there is no document at https://localhost:\d+/issuers/7: "
                             r"http://localhost:\d+/issuers/7 was not found"):
        DidWebResolver()(method)


# --- JWT VC Issuer Metadata (SD-JWT VC §5): an HTTPS iss and a bare kid ------------------------

def _jwt_by(issuer: str, key: KeyPair, *, kid: str = "key-1", form: str = "vc+jwt") -> str:
    """The demo credential issued by the HTTPS ``issuer``, secured as ``form`` under the bare
    ``kid``."""
    credential = unsigned()
    credential["issuer"]["id"] = issuer
    credential["credentialSubject"]["achievement"].pop("creator", None)
    if form == "vc+sd-jwt":
        return sd_jwt.issue(credential, key=key, kid=kid,
                            disclosable=["credentialSubject.identifier"])
    return vc_jwt.sign(credential, key=key, kid=kid)


def _metadata(issuer: str, *keys: tuple[str, KeyPair]) -> dict[str, Any]:
    return jwt_vc_issuer.metadata(issuer, [did_web.VerificationKey(kid, key.public_key)
                                           for kid, key in keys])


@pytest.mark.parametrize("form", ["vc+jwt", "vc+sd-jwt"])
def test_a_bare_kid_of_an_https_issuer_is_found_in_its_jwt_vc_issuer_metadata(
        documents: Documents, form: str) -> None:
    """The issuer's metadata at /.well-known/jwt-vc-issuer (inserted before the path) gives
    the JWK whose kid is the JWT's, its URL not asked; the issuer signed."""
    issuer = _url(documents, "/tenants/1234")
    _serve(documents, "/.well-known/jwt-vc-issuer/tenants/1234",
           _metadata(issuer, ("key-0", NEW), ("key-1", OLD)))
    report = verifier.verify(_jwt_by(issuer, OLD, form=form), now=NOW)
    assert report.ok, [c.to_dict() for c in report.failed]
    assert check(report, "proof")["details"]["proofs"][0]["verificationMethod"] == \
        f"{issuer}#key-1"
    assert check(report, "issuer")["ok"] is True
    assert documents.requests == ["/.well-known/jwt-vc-issuer/tenants/1234"]
    assert not verifier.verify(_jwt_by(issuer, NEW), now=NOW).ok  # key-1 is OLD's


def test_the_metadata_may_give_its_keys_at_a_jwks_uri(documents: Documents) -> None:
    """jwks_uri instead of jwks: the JWK Set is fetched there, under the same limits."""
    issuer = _url(documents, "/")[:-1]
    _serve(documents, "/.well-known/jwt-vc-issuer",
           {"issuer": issuer, "jwks_uri": _url(documents, "/jwks.json")})
    _serve(documents, "/jwks.json", _metadata(issuer, ("key-1", OLD))["jwks"])
    assert verifier.verify(_jwt_by(issuer, OLD), now=NOW).ok
    assert DidWebResolver()(f"{issuer}#key-1") == (OLD.public_key, issuer)


@pytest.mark.parametrize(("metadata", "reason"), [
    (lambda issuer: _metadata("https://attacker.example", ("key-1", OLD)),
     "is the metadata of 'https://attacker.example', not of"),
    (lambda issuer: _metadata(issuer, ("key-2", OLD)), "has no key whose kid is 'key-1'"),
    (lambda issuer: {**_metadata(issuer, ("key-1", OLD)), "jwks_uri": issuer + "/jwks"},
     "as jwks or at jwks_uri, one of the two"),
    (lambda issuer: {"issuer": issuer, "jwks": {"keys": "none"}}, "is not a JWK Set"),
    (lambda issuer: {"issuer": issuer, "jwks_uri": "http://localhost/jwks"},
     "is not an HTTPS URL"),
    (lambda issuer: {"issuer": issuer, "jwks": {"keys": [
        {**OLD.public_key.to_jwk(), "kid": "key-1", "d": "AAAA"}]}}, "private"),
])
def test_metadata_that_does_not_give_the_key_fails_the_proof_saying_why(
        documents: Documents, metadata: Any, reason: str) -> None:
    """Another issuer's metadata, no such kid, both or neither key source, a private key."""
    issuer = _url(documents, "/issuers/8")
    _serve(documents, "/.well-known/jwt-vc-issuer/issuers/8", metadata(issuer))
    proof = check(verifier.verify(_jwt_by(issuer, OLD), now=NOW), "proof")
    assert proof["ok"] is False and proof["code"] == "unresolvable-method"
    assert reason in proof["reason"]["en"]


def test_without_metadata_the_controller_document_answers_and_its_error_is_said(
        documents: Documents) -> None:
    """No metadata (404): the controller document at the URL gives the key; without either,
    the error is the controller document's, both places asked."""
    issuer = _url(documents, "/issuers/9")
    _serve(documents, "/issuers/9", {"id": issuer, "verificationMethod": [
        _multikey(f"{issuer}#key-1", issuer)], "assertionMethod": ["#key-1"]})
    assert verifier.verify(_jwt_by(issuer, OLD), now=NOW).ok
    assert documents.requests == ["/.well-known/jwt-vc-issuer/issuers/9", "/issuers/9"]
    missing = _url(documents, "/issuers/10")
    with pytest.raises(VerificationMethodUnavailableError, match="there is no document at"):
        DidWebResolver()(f"{missing}#key-1")
    assert documents.requests[2:] == ["/.well-known/jwt-vc-issuer/issuers/10", "/issuers/10"]


@pytest.fixture
def https_issuer(settings: Settings, loopback: None) -> Iterator[LiveServer]:
    """As :func:`issuer`, its public URL ``https://localhost:<port>`` (served over plain HTTP,
    which a loopback fetch uses): the HTTPS issuer its metadata names."""
    configured, port = at_own_url(settings, secret_key=SECRET)
    configured = dataclasses.replace(configured, public_url=f"https://localhost:{port}")
    for live in serve(configured, port=port):
        with operator_client(live, timeout=20) as http:
            assert http.post("/api/organisations", json=organisation()).status_code == 201
            assert http.post(f"/api/organisations/{SLUG}/keys", json={}).status_code == 201
        yield live


def test_credstack_serves_its_organisations_jwt_vc_issuer_metadata(
        https_issuer: LiveServer) -> None:
    """/.well-known/jwt-vc-issuer/organisations/<slug>: the organisation's HTTPS issuer and
    its keys by fragment; a JWT it signs under that iss and a bare kid verifies by it."""
    issuer = https_issuer
    _, key = active_issuer_key(issuer.settings, secret=SECRET)
    url = f"{issuer.settings.public_url}/organisations/{SLUG}"
    with operator_client(issuer, timeout=20) as http:
        answer = http.get(f"/.well-known/jwt-vc-issuer/organisations/{SLUG}")
        assert http.get("/.well-known/jwt-vc-issuer/organisations/nobody").status_code == 404
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json() == {"issuer": url, "jwks": {"keys": [
        {**key.public_key.to_jwk(), "kid": "key-1", "use": "sig"}]}}
    token = _jwt_by(url, key, form="vc+sd-jwt")
    report = verifier.verify(token, now=NOW)
    assert report.ok, [(c.name, c.ok, c.reason_en) for c in report.checks]
