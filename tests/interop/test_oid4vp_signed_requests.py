"""OID4VP 1.0 signed requests by reference, over HTTPS: the organisation's ``did:web`` as the
signer (§5.9.3 ``decentralized_identifier``), and what a wallet posts to the ``request_uri``
(§5.10 ``wallet_metadata``, ``wallet_nonce``) — with the npm wallet library
(``@openid4vc/openid4vp`` 0.4.6, ``interop/js/oid4vp.mjs``, which resolves ``did:web`` by
fetching the DID document over HTTPS) and credstack's own wallet as the holder.

credstack's wallet is also pointed at a verifier of someone else's: a small HTTPS server at
``verifier.example`` (on loopback, its certificate from a CA of the test's own) serving a
did:web document and request objects as the test makes them — so that what the wallet posts
can be read, and request objects credstack's verifier never makes (without the wallet's
nonce, signed by a key the document does not list) can be refused.

Needs ``node`` and ``interop/js/node_modules`` (see ``test_js_reference``).
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, quote

import httpx
import pytest
from joserfc import jwe
from joserfc.jwk import ECKey

from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.resolvers.fetch import CA_FILE_ENV, CONNECT_TO_ENV, LOOPBACK_ENV
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_web
from credstack.core.oid4vp import dcql, request_encryption, request_objects
from credstack.core.oid4vp.requests import VP_FORMATS, AuthorizationRequest
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.errors import InputError
from credstack.services.oid4vp import holder, verifier
from credstack.words import error_words
from tests import patiently
from tests.interop.oid4vc import TlsIssuer, run_node, tls_issuer
from tests.interop.test_js_reference import Node, node
from tests.interop.test_oid4vp_clients import _employer, _holding, _private_jwk, _sd_jwt_held_by
from tests.loopback import QuietHandler, serving_tls, tls_site
from tests.services.issuance.test_credentials import SLUG
from tests.services.oid4vci.issuing import Wallet

__all__ = ["node"]

#: What an SD-JWT-only wallet posts: it presents dc+sd-jwt with EdDSA key binding.
SD_JWT_WALLET: dict[str, Any] = {
    "vp_formats_supported": {"dc+sd-jwt": {"sd-jwt_alg_values": ["EdDSA", "ES256"],
                                           "kb-jwt_alg_values": ["EdDSA"]}},
    "client_id_prefixes_supported": ["decentralized_identifier"],
    "request_object_signing_alg_values_supported": ["EdDSA"],
}


@pytest.fixture(scope="module")
def issuer(node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsIssuer]:
    with tls_issuer(tmp_path_factory.mktemp("oid4vp-signed")) as made:
        yield made


def _npm(issuer: TlsIssuer, uri: str, **options: Any) -> tuple[dict[str, Any], Wallet]:
    """The npm wallet, holding an SD-JWT VC, answering ``uri``."""
    holder_wallet = Wallet.new()
    credential = _sd_jwt_held_by(issuer, holder_wallet)
    return run_node("oid4vp.mjs", {"request": uri, "credential": credential,
                                   "holderPrivateJwk": _private_jwk(holder_wallet),
                                   **options}, ca_file=issuer.ca_file), holder_wallet


def _org_did(issuer: TlsIssuer) -> str:
    return did_web.did_for(issuer.wallets.runtime.settings.public_url, ["organisations", SLUG])


# --- did:web ----------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "post"])
def test_the_npm_wallet_checks_a_request_signed_as_the_organisations_did_web(
        issuer: TlsIssuer, method: str) -> None:
    """The client id is decentralized_identifier:did:web:localhost%3A<port>:organisations:…;
    the npm wallet fetches the DID document over HTTPS, verifies the request object with the
    key its kid names, answers, and the employer reads verified."""
    wallets = issuer.wallets
    employer = _employer(wallets)
    made = verifier.create_request(wallets.runtime, actor=employer, signed_as=SLUG,
                                   did_method="did:web", request_uri_method=method)
    did = _org_did(issuer)
    assert made.request.signer == did and did.startswith("did:web:localhost%3A")
    answer, _ = _npm(issuer, made.uri)
    assert answer.get("status") == 200, answer
    assert answer["clientId"] == f"decentralized_identifier:{did}"
    assert str(answer["signer"]).startswith(f"{did}#key-")
    found = verifier.result(wallets.runtime, actor=employer, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]
    assert found.client_did == did


def _p256_key(issuer: TlsIssuer) -> str:
    """The organisation's P-256 key's did:web method (made once)."""
    runtime = issuer.wallets.runtime
    with runtime.transaction() as session:
        found = [item for item in key_store.public_keys(session, organisation=SLUG)
                 if item.key_type is KeyType.P256 and item.active]
        made = found[0] if found else key_store.create_key(
            session, organisation=SLUG, key_type=KeyType.P256, now=runtime.now(),
            secret=runtime.key())
    return f"{_org_did(issuer)}#{made.fragment}"


def test_a_wallet_verifying_only_es256_gets_the_request_signed_with_the_p256_key(
        issuer: TlsIssuer) -> None:
    """request_object_signing_alg_values_supported ["ES256"]: the did:web request is signed
    with the organisation's P-256 key, whose method the npm wallet finds in the document."""
    wallets = issuer.wallets
    employer = _employer(wallets)
    method = _p256_key(issuer)
    made = verifier.create_request(wallets.runtime, actor=employer, signed_as=SLUG,
                                   did_method="did:web", request_uri_method="post")
    metadata = {**SD_JWT_WALLET, "request_object_signing_alg_values_supported": ["ES256"]}
    answer, _ = _npm(issuer, made.uri, walletMetadata=metadata, walletNonce="n-es256",
                     postAsSpecified=True)
    assert answer.get("status") == 200, answer
    assert answer["signer"] == method


def test_a_did_key_request_for_a_wallet_verifying_only_es256_is_refused(
        issuer: TlsIssuer) -> None:
    """The did:key is the Ed25519 key itself: nothing else can sign as it, so the request_uri
    answers invalid_request naming both sides' algorithms and the wallet stops."""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=_employer(wallets), signed_as=SLUG,
                                   request_uri_method="post")
    metadata = {**SD_JWT_WALLET, "request_object_signing_alg_values_supported": ["ES256"]}
    answer, _ = _npm(issuer, made.uri, walletMetadata=metadata, walletNonce="n-1",
                     postAsSpecified=True)
    assert "status code '400'" in answer.get("error", ""), answer
    refusal = answer["requestUri"]["body"]
    assert refusal["error"] == "invalid_request"
    assert "ES256" in refusal["error_description"] and "EdDSA" in refusal["error_description"]


# --- wallet_metadata and wallet_nonce (§5.10) -------------------------------------------------

def test_the_npm_wallet_gets_its_wallet_nonce_back_and_a_query_it_can_answer(
        issuer: TlsIssuer) -> None:
    """Posted as §5.10 defines, wallet_metadata (dc+sd-jwt only) and wallet_nonce: the
    request object carries the nonce (the library checks it), its DCQL query only the SD-JWT
    Credential Query, and the answer verifies."""
    wallets = issuer.wallets
    employer = _employer(wallets)
    made = verifier.create_request(wallets.runtime, actor=employer, signed_as=SLUG,
                                   request_uri_method="post")
    answer, _ = _npm(issuer, made.uri, walletMetadata=SD_JWT_WALLET,
                     walletNonce="qPmxiNFCR3QTm19POc8u", postAsSpecified=True)
    assert answer.get("status") == 200, answer
    assert answer["walletNonce"] == "qPmxiNFCR3QTm19POc8u"
    sent = dict(parse_qsl(answer["requestUri"]["sent"]))
    assert json.loads(sent["wallet_metadata"]) == SD_JWT_WALLET
    assert answer["query"] == "micro_credential_sd_jwt"
    found = verifier.result(wallets.runtime, actor=employer, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]


def test_what_the_npm_library_posts_by_itself_is_ignored_and_the_request_served(
        issuer: TlsIssuer) -> None:
    """0.4.6 posts the wallet metadata's members as form fields (vp_formats_supported=…),
    not wallet_metadata: unrecognised parameters, which the verifier MUST ignore (§5.10); the
    request object then carries no wallet_nonce, as the library expects when it sent none."""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=_employer(wallets), signed_as=SLUG,
                                   request_uri_method="post")
    answer, _ = _npm(issuer, made.uri, walletMetadata=SD_JWT_WALLET)
    assert answer.get("status") == 200, answer
    sent = dict(parse_qsl(answer["requestUri"]["sent"]))
    assert "vp_formats_supported" in sent and "wallet_metadata" not in sent
    assert answer["walletNonce"] is None


def test_the_npm_library_refuses_a_request_object_with_another_wallet_nonce(
        issuer: TlsIssuer) -> None:
    """The wallet expects one nonce and another is posted: the request object carries the
    one posted, and the library stops (§5.10: the Wallet MUST terminate)."""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=_employer(wallets), signed_as=SLUG,
                                   request_uri_method="post")
    answer, _ = _npm(issuer, made.uri, walletMetadata=SD_JWT_WALLET, walletNonce="expected",
                     sentNonce="other", postAsSpecified=True)
    assert "wallet_nonce" in answer.get("error", ""), answer
    assert answer["requestUri"]["status"] == 200


@pytest.mark.parametrize(("metadata", "code", "why"), [
    ({"vp_formats_supported": {"mso_mdoc": {}}}, "vp_formats_not_supported", "mso_mdoc"),
    ({"vp_formats_supported": {"dc+sd-jwt": {"kb-jwt_alg_values": ["ES384"]}}},
     "vp_formats_not_supported", "dc+sd-jwt"),
    ({"client_id_prefixes_supported": ["x509_san_dns", "redirect_uri"]}, "invalid_request",
     "decentralized_identifier"),
], ids=["no-format", "no-common-alg", "prefix"])
def test_wallet_metadata_the_verifier_cannot_meet_is_answered_with_the_specs_error(
        issuer: TlsIssuer, metadata: dict[str, Any], code: str, why: str) -> None:
    """No format of the query the wallet presents, or none with an algorithm both know:
    vp_formats_not_supported; a client id prefix it does not support: invalid_request
    (§8.5) — HTTP 400 from the request_uri, on which the npm wallet stops."""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=_employer(wallets), signed_as=SLUG,
                                   request_uri_method="post")
    answer, _ = _npm(issuer, made.uri, walletMetadata=metadata, walletNonce="n-2",
                     postAsSpecified=True)
    assert "status code '400'" in answer.get("error", ""), answer
    refusal = answer["requestUri"]["body"]
    assert refusal["error"] == code and why in refusal["error_description"], refusal
    found = verifier.result(wallets.runtime, actor=_employer(wallets),
                            public_id=made.public_id)
    assert found.responded_at is None, "the request is still on offer"


def test_a_wallet_with_a_key_in_its_metadata_gets_the_request_object_encrypted_to_it(
        issuer: TlsIssuer) -> None:
    """wallet_metadata.jwks with a P-256 key: the request object comes as a JWE to it (ECDH-ES,
    the content encryption the wallet names, a nested JWT: cty JWT), holding the request
    object signed as the organisation's did:web with the wallet_nonce. (The npm wallet cannot
    read one: 0.4.6's decryptJarRequest reads the JWE's header with its three-part JWT
    decoder, so joserfc opens it here.)"""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=_employer(wallets), signed_as=SLUG,
                                   did_method="did:web", request_uri_method="post")
    key = ECKey.generate_key("P-256")
    public = {**key.as_dict(private=False), "kid": "wallet-enc", "use": "enc"}
    metadata = {**SD_JWT_WALLET, "jwks": {"keys": [{"kty": "EC", "use": "sig"}, public]},
                "request_object_encryption_enc_values_supported": ["A256GCM"]}
    answer = _post(issuer, verifier.request_uri(wallets.runtime, made.public_id),
                   data={"wallet_metadata": json.dumps(metadata), "wallet_nonce": "n-enc"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == request_objects.MEDIA_TYPE
    opened = jwe.decrypt_compact(answer.text, key)
    assert {name: opened.protected[name] for name in ("alg", "enc", "cty", "kid")} == {
        "alg": "ECDH-ES", "enc": "A256GCM", "cty": "JWT", "kid": "wallet-enc"}
    token = (opened.plaintext or b"").decode()
    assert vc_jwt.read_header(token)["kid"].startswith(_org_did(issuer) + "#key-")
    assert json.loads(vc_jwt.verify_signature(token, _org_key(issuer))[1])["wallet_nonce"] \
        == "n-enc"


def _org_key(issuer: TlsIssuer) -> Any:
    runtime = issuer.wallets.runtime
    with runtime.transaction() as session:
        return next(item.public_key for item in key_store.public_keys(session, organisation=SLUG)
                    if item.key_type is KeyType.ED25519 and item.active)


def test_a_wallet_naming_its_issuer_is_the_request_objects_audience(
        issuer: TlsIssuer) -> None:
    """§5.8: with the wallet's metadata given dynamically, aud is its issuer; without,
    https://self-issued.me/v2 (static discovery)."""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=_employer(wallets), signed_as=SLUG,
                                   request_uri_method="post")
    url = verifier.request_uri(wallets.runtime, made.public_id)

    def audience(form: dict[str, str]) -> Any:
        answer = _post(issuer, url, data=form)
        assert answer.status_code == 200, answer.text
        return json.loads(base64.urlsafe_b64decode(answer.text.split(".")[1] + "=="))["aud"]

    assert audience({"wallet_metadata": json.dumps({"issuer": "https://wallet.example"})}) \
        == "https://wallet.example"
    assert audience({"wallet_nonce": "n"}) == request_objects.AUDIENCE


def test_a_wallet_whose_keys_cannot_be_encrypted_to_is_invalid_request(
        issuer: TlsIssuer) -> None:
    """jwks holding only an RSA encryption key: the verifier cannot encrypt as the wallet
    requires, and says so (HTTP 400) rather than send the request in the clear."""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=_employer(wallets), signed_as=SLUG,
                                   request_uri_method="post")
    url = verifier.request_uri(wallets.runtime, made.public_id)
    rsa = {"kty": "RSA", "use": "enc", "alg": "RSA-OAEP-256", "n": "sXch", "e": "AQAB"}
    answer = _post(issuer, url, data={"wallet_metadata": json.dumps({"jwks": {"keys": [rsa]}})})
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    assert "no key this verifier can encrypt" in answer.json()["error_description"]


def _post(issuer: TlsIssuer, url: str, **options: Any) -> httpx.Response:
    with patiently.client(verify=ssl.create_default_context(cafile=issuer.ca_file)) as client:
        return client.post(url, **options)


@pytest.mark.parametrize(("content", "headers", "why"), [
    ("wallet_metadata=%5B1%5D", None, "wallet_metadata must be a JSON object"),
    ("wallet_metadata=%7B", None, "wallet_metadata is not JSON"),
    ("wallet_metadata=" + quote(json.dumps({"vp_formats_supported": ["ldp_vc"]})), None,
     "vp_formats_supported must be a JSON object"),
    ("wallet_metadata=" + quote(json.dumps({"request_object_signing_alg_values_supported":
                                            "EdDSA"})), None,
     "request_object_signing_alg_values_supported must be an array of strings"),
    ("wallet_metadata=" + quote(json.dumps({"jwks": {"kty": "EC"}})), None, "jwks"),
    ("wallet_metadata=" + "x" * 40_000, None, "longer than"),
    ("wallet_nonce=" + "n" * 300, None, "wallet_nonce must be 1 to 256"),
    ("wallet_nonce=", None, "wallet_nonce must be 1 to 256"),
    ("wallet_nonce=a&wallet_nonce=b", None, "wallet_nonce is given twice"),
    ('{"wallet_nonce": "a"}', {"Content-Type": "application/json"},
     "application/x-www-form-urlencoded"),
    ("a=" + "x" * 70_000, None, "bytes"),
], ids=["array", "not-json", "formats", "algs", "jwks", "long-metadata", "long-nonce",
        "empty-nonce", "twice", "json", "oversized"])
def test_a_malformed_post_to_the_request_uri_is_refused_naming_what_is_wrong(
        issuer: TlsIssuer, content: str, headers: dict[str, str] | None, why: str) -> None:
    """invalid_request (HTTP 400) whose description names the field; the request stays
    servable."""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=_employer(wallets), signed_as=SLUG,
                                   request_uri_method="post")
    url = verifier.request_uri(wallets.runtime, made.public_id)
    answer = _post(issuer, url, content=content, headers=headers or {
        "Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert why in answer.json()["error_description"], answer.json()
    good = _post(issuer, url, data={"wallet_nonce": "fine"})
    assert good.status_code == 200
    assert good.headers["content-type"] == request_objects.MEDIA_TYPE


# --- credstack's wallet -----------------------------------------------------------------------

@pytest.mark.parametrize("did_method", ["did:key", "did:web"])
def test_credstacks_wallet_posts_its_nonce_and_answers_a_did_signed_request(
        issuer: TlsIssuer, monkeypatch: pytest.MonkeyPatch, did_method: str) -> None:
    """request_uri_method=post: the learner's wallet posts its metadata and a wallet_nonce,
    checks the request object carries it and is signed by the client id's DID (did:web: a
    key of its document), answers, and the employer reads verified."""
    wallets = _holding(issuer, monkeypatch)
    runtime = wallets.runtime
    employer = _employer(wallets)
    made = verifier.create_request(runtime, actor=employer, signed_as=SLUG,
                                   request_uri_method="post", did_method=did_method)
    proposal = holder.proposal(runtime, actor=wallets.hanako, uri=made.uri)
    assert proposal.signed_by == made.request.signer
    assert str(proposal.signed_by).startswith(did_method + ":")
    choice = proposal.choices["micro_credential_ldp"][0]
    holder.answer(runtime, actor=wallets.hanako, uri=made.uri,
                  chosen={"micro_credential_ldp": choice.public_id})
    found = verifier.result(runtime, actor=employer, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]


# --- a verifier of someone else's -------------------------------------------------------------

VERIFIER_HOST = "verifier.example"
VERIFIER_DID = f"did:web:{VERIFIER_HOST}"
#: verifier.example's key, the same in every test: the wallet's did:web resolver caches its
#: document for five minutes.
VERIFIER_KEY: Final = KeyPair.generate()


@dataclass
class ElsewhereVerifier:
    """What the server at verifier.example serves, and what was posted to it."""

    key: KeyPair = VERIFIER_KEY
    #: "echo" the wallet_nonce posted, "omit" it, or "other" (another one).
    nonce: str = "echo"
    #: The key the request object is signed with, and its kid (None: the listed key's).
    signing_key: KeyPair | None = None
    kid: str = f"{VERIFIER_DID}#key-1"
    #: An error to answer the POST with (HTTP 400) instead of a request object.
    refuse: dict[str, str] | None = None
    #: Encrypt the request object to the wallet's key ("wallet"), to another, or not (None).
    encrypt_to: str | None = None
    posted: list[dict[str, str]] = field(default_factory=list)

    def document(self) -> bytes:
        return json.dumps(did_web.document(VERIFIER_DID, [
            did_web.VerificationKey("key-1", self.key.public_key)])).encode()

    def request_object(self, form: dict[str, str]) -> bytes:
        query = {"credentials": [{"id": "any", "format": "ldp_vc"}]}
        request = AuthorizationRequest(f"https://{VERIFIER_HOST}/response", "n-1", "s-1",
                                       dcql.parse(query), query,
                                       {"vp_formats_supported": VP_FORMATS}, VERIFIER_DID)
        now = dt.datetime.now(dt.UTC)
        nonce = {"echo": form.get("wallet_nonce"), "omit": None, "other": "not-yours"}
        claims = request_objects.claims(request, issued_at=now,
                                        expires_at=now + dt.timedelta(minutes=5),
                                        wallet_nonce=nonce[self.nonce])
        token = vc_jwt.sign_claims(claims, key=self.signing_key or self.key, kid=self.kid,
                                   typ=request_objects.TYP)
        if self.encrypt_to is not None:
            [jwk] = json.loads(form["wallet_metadata"])["jwks"]["keys"]
            if self.encrypt_to == "another":
                jwk = {**jwk, **ECKey.generate_key("P-256").as_dict(private=False)}
            token = request_encryption.encrypt(token, jwk=jwk, enc="A256GCM")
        return token.encode()


@pytest.fixture
def elsewhere(issuer: TlsIssuer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
              ) -> Iterator[ElsewhereVerifier]:
    """verifier.example over HTTPS on loopback; the wallet trusts its CA and the test
    server's."""
    served = ElsewhereVerifier()
    site = tls_site([VERIFIER_HOST], tmp_path)
    lock = threading.Lock()

    class Verifier(QuietHandler):
        def _send(self, status: int, body: bytes, media_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/.well-known/did.json":
                self._send(200, served.document(), "application/did+json")
            else:
                self._send(404, b"{}", "application/json")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            with lock:
                served.posted.append(form)
            if served.refuse is not None:
                self._send(400, json.dumps(served.refuse).encode(), "application/json")
                return
            self._send(200, served.request_object(form), request_objects.MEDIA_TYPE)

    both = tmp_path / "both-cas.pem"
    both.write_bytes(issuer.ca_file.read_bytes() + site.ca_file.read_bytes())
    with serving_tls(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Verifier),
                     site.context) as port:
        _holding(issuer, monkeypatch)
        monkeypatch.setenv(LOOPBACK_ENV, "1")
        monkeypatch.setenv(CA_FILE_ENV, str(both))
        monkeypatch.setenv(CONNECT_TO_ENV, f"{VERIFIER_HOST}:443:127.0.0.1:{port}")
        yield served


ELSEWHERE_URI = ("openid4vp://?client_id=" + quote(f"decentralized_identifier:{VERIFIER_DID}")
                 + "&request_uri=" + quote(f"https://{VERIFIER_HOST}/request")
                 + "&request_uri_method=post")


def test_credstacks_wallet_resolves_another_verifiers_did_web_and_posts_its_metadata(
        issuer: TlsIssuer, elsewhere: ElsewhereVerifier) -> None:
    """The did:web document is fetched from verifier.example over HTTPS by the did:web
    resolver; the wallet posted its wallet_metadata (JSON) and a fresh wallet_nonce, and
    reads the request as signed by that DID."""
    proposal = holder.proposal(issuer.wallets.runtime, actor=issuer.wallets.hanako,
                               uri=ELSEWHERE_URI)
    assert proposal.signed_by == VERIFIER_DID
    [posted] = elsewhere.posted
    metadata = json.loads(posted["wallet_metadata"])
    [key] = metadata.pop("jwks")["keys"]
    assert metadata == holder.WALLET_METADATA
    assert key["kty"] == "EC" and key["use"] == "enc" and "d" not in key
    assert "decentralized_identifier" in metadata["client_id_prefixes_supported"]
    assert len(posted["wallet_nonce"]) >= 32
    holder.proposal(issuer.wallets.runtime, actor=issuer.wallets.hanako, uri=ELSEWHERE_URI)
    assert elsewhere.posted[1]["wallet_nonce"] != posted["wallet_nonce"], "fresh each time"


@pytest.mark.parametrize(("nonce", "why"), [
    ("omit", "does not carry the wallet_nonce this wallet sent"),
    ("other", "wallet_nonce is not the one this wallet sent"),
])
def test_credstacks_wallet_refuses_a_request_object_without_its_wallet_nonce(
        issuer: TlsIssuer, elsewhere: ElsewhereVerifier, nonce: str, why: str) -> None:
    """§5.10: the Wallet MUST validate the wallet_nonce and terminate if it is not there."""
    elsewhere.nonce = nonce
    with pytest.raises(InputError, match=why):
        holder.proposal(issuer.wallets.runtime, actor=issuer.wallets.hanako,
                        uri=ELSEWHERE_URI)


def test_credstacks_wallet_decrypts_a_request_object_encrypted_to_the_key_it_sent(
        issuer: TlsIssuer, elsewhere: ElsewhereVerifier) -> None:
    """The key of its wallet_metadata.jwks, made for this fetch: a request object encrypted
    to it reads; one encrypted to another key is refused."""
    elsewhere.encrypt_to = "wallet"
    proposal = holder.proposal(issuer.wallets.runtime, actor=issuer.wallets.hanako,
                               uri=ELSEWHERE_URI)
    assert proposal.signed_by == VERIFIER_DID
    elsewhere.encrypt_to = "another"
    with pytest.raises(InputError, match="does not decrypt with the key this wallet sent"):
        holder.proposal(issuer.wallets.runtime, actor=issuer.wallets.hanako,
                        uri=ELSEWHERE_URI)


def test_credstacks_wallet_says_why_the_verifier_refused_its_metadata(
        issuer: TlsIssuer, elsewhere: ElsewhereVerifier) -> None:
    """A 400 from the request_uri with §8.5's code: the learner reads the verifier's reason
    and code, in English and Japanese; an answered or expired request reads as no longer
    on offer."""
    elsewhere.refuse = {"error": "vp_formats_not_supported",
                        "error_description": "The wallet presents ldp_vc; mso_mdoc asked."}
    with pytest.raises(InputError, match=r"\(vp_formats_not_supported\): The wallet presents"
                       ) as raised:
        holder.proposal(issuer.wallets.runtime, actor=issuer.wallets.hanako,
                        uri=ELSEWHERE_URI)
    assert "形式" in error_words(raised.value, "ja")
    elsewhere.refuse = {"error": "invalid_request_uri", "error_description": "expired"}
    with pytest.raises(InputError, match="no longer offers this request"):
        holder.proposal(issuer.wallets.runtime, actor=issuer.wallets.hanako,
                        uri=ELSEWHERE_URI)


@pytest.mark.parametrize(("kid", "why"), [
    (f"{VERIFIER_DID}#key-1", "signature does not verify"),
    (f"{VERIFIER_DID}#key-2", "lists no verification method"),
], ids=["listed-kid-other-key", "unlisted-kid"])
def test_credstacks_wallet_refuses_a_request_signed_by_a_key_not_in_the_did_document(
        issuer: TlsIssuer, elsewhere: ElsewhereVerifier, kid: str, why: str) -> None:
    """Signed by a key the did:web document does not list — under the kid of a listed one,
    or under a kid the document lacks — the request is refused, saying which."""
    elsewhere.signing_key, elsewhere.kid = KeyPair.generate(), kid
    with pytest.raises(InputError, match=why):
        holder.proposal(issuer.wallets.runtime, actor=issuer.wallets.hanako,
                        uri=ELSEWHERE_URI)
