"""Signed requests by reference (OID4VP 1.0 §5.10, RFC 9101): the reference read from the
URI a wallet scans, the request object's payload, and the wallet's checks of it — each
refusal names what failed (signature, signer, client id, audience, expiry, typ)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest

from credstack.core.crypto.keys import KeyPair
from credstack.core.dids import did_key
from credstack.core.oid4vp import dcql, request_objects
from credstack.core.oid4vp.requests import AuthorizationRequest
from credstack.core.proofs.cryptosuites import vc_jwt
from tests.core.oid4vp.refusals import refused

NOW = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)
QUERY = {"credentials": [{"id": "any", "format": "ldp_vc"}]}
KEY = KeyPair.generate()
DID = did_key.did_from_public_key(KEY.public_key)
KID = did_key.verification_method_id(KEY.public_key)
REQUEST = AuthorizationRequest("https://verifier.example/oid4vp/responses/abc", "n-1", "abc",
                               dcql.parse(QUERY), QUERY, {"vp_formats_supported": {}}, DID)
SHOWN = request_objects.Reference(REQUEST.client_id,
                                  "https://verifier.example/oid4vp/requests/abc", "get")


def _signed(*, key: KeyPair = KEY, kid: str = KID, typ: str = request_objects.TYP,
            **changes: Any) -> str:
    claims = request_objects.claims(REQUEST, issued_at=NOW,
                                    expires_at=NOW + dt.timedelta(minutes=15))
    return str(vc_jwt.sign_claims({**claims, **changes}, key=key, kid=kid, typ=typ))


def test_a_signed_request_reads_as_the_request_with_its_signer() -> None:
    """The request object verifies with the client id's did:key and reads as the request."""
    read = request_objects.read(_signed(), shown=SHOWN, now=NOW)
    assert read == REQUEST
    assert read.client_id == "decentralized_identifier:" + DID


def test_the_reference_uri_round_trips() -> None:
    """What the verifier shows is what the wallet reads, the method included."""
    uri = request_objects.reference_uri(client_id=SHOWN.client_id,
                                        request_uri=SHOWN.request_uri, method="post")
    assert request_objects.reference(uri) == request_objects.Reference(
        SHOWN.client_id, SHOWN.request_uri, "post")


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["nonce"] = "another"
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{changed}.{signature}"


@pytest.mark.parametrize(("token", "why"), [
    (_tampered(_signed()), "signature does not verify"),
    (_signed(key=KeyPair.generate()), "signature does not verify"),
    (_signed(kid=did_key.verification_method_id(KeyPair.generate().public_key)),
     "not signed by a key of"),
    (_signed(typ="JWT"), r"typ is not oauth-authz-req\+jwt"),
    (_signed(aud="https://verifier.example"), "another audience"),
    (_signed(client_id="decentralized_identifier:did:key:z6MkOther"), "client_id is not"),
    (_signed(exp=int(NOW.timestamp())), "expired"),
    (_signed(iat=int((NOW + dt.timedelta(hours=1)).timestamp())), "in the future"),
    (_signed(response_mode="fragment"), "direct_post"),
    ("not a jws", "did not answer a signed request object"),
], ids=["tampered", "wrong-key", "another-did", "typ", "aud", "client-id", "expired", "iat",
        "response-mode", "garbage"])
def test_a_bad_request_object_is_refused_with_its_reason(token: str, why: str) -> None:
    """Each refusal is invalid_request_object and says what failed."""
    with refused(why) as raised:
        request_objects.read(token, shown=SHOWN, now=NOW)
    assert raised.value.error == "invalid_request_object"


@pytest.mark.parametrize(("uri", "why"), [
    ("openid4vp://?client_id=decentralized_identifier%3Adid%3Akey%3Az6Mk&request_uri="
     "http%3A%2F%2Fverifier.example%2Fr", "https"),
    ("openid4vp://?client_id=redirect_uri%3Ahttps%3A%2F%2Fv.example&request_uri="
     "https%3A%2F%2Fverifier.example%2Fr", "decentralized_identifier"),
    ("openid4vp://?client_id=decentralized_identifier%3Adid%3Akey%3Az6Mk&request_uri="
     "https%3A%2F%2Fverifier.example%2Fr&request_uri_method=put", "get or post"),
    ("openid4vp://?client_id=x&request=eyJ", "by value"),
])
def test_a_reference_a_wallet_cannot_follow_is_refused(uri: str, why: str) -> None:
    with refused(why):
        request_objects.reference(uri)


def test_a_request_by_value_has_no_reference() -> None:
    assert request_objects.reference("openid4vp://?client_id=redirect_uri%3Ahttps") is None


def _with_nonce(nonce: str | None) -> str:
    claims = request_objects.claims(REQUEST, issued_at=NOW,
                                    expires_at=NOW + dt.timedelta(minutes=15),
                                    wallet_nonce=nonce)
    return str(vc_jwt.sign_claims(claims, key=KEY, kid=KID, typ=request_objects.TYP))


def test_the_wallet_nonce_posted_comes_back_in_the_request_object() -> None:
    """§5.10: the request object carries the wallet_nonce as a claim, and the wallet that
    sent it reads the request."""
    token = _with_nonce("qPmxiNFCR3QTm19POc8u")
    assert json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==="))[
        "wallet_nonce"] == "qPmxiNFCR3QTm19POc8u"
    assert request_objects.read(token, shown=SHOWN, now=NOW,
                                wallet_nonce="qPmxiNFCR3QTm19POc8u") == REQUEST
    assert "wallet_nonce" not in request_objects.claims(REQUEST, issued_at=NOW,
                                                        expires_at=NOW)


@pytest.mark.parametrize(("carried", "sent", "why"), [
    (None, "mine", "does not carry the wallet_nonce this wallet sent"),
    ("theirs", "mine", "wallet_nonce is not the one this wallet sent"),
    ("theirs", None, "carries a wallet_nonce this wallet did not send"),
], ids=["missing", "different", "unsent"])
def test_a_request_object_without_the_wallets_nonce_is_refused(
        carried: str | None, sent: str | None, why: str) -> None:
    """The Wallet MUST terminate when the nonce it posted is not in the object (§5.10); an
    object carrying a nonce it never sent was made for another fetch."""
    with refused(why) as raised:
        request_objects.read(_with_nonce(carried), shown=SHOWN, now=NOW, wallet_nonce=sent)
    assert raised.value.error == "invalid_request_object"


def test_a_wallet_known_by_its_issuer_reads_a_request_object_for_it() -> None:
    """§5.8: aud is the issuer of the wallet's metadata when it gave it; another wallet's
    request object is refused."""
    claims = request_objects.claims(REQUEST, issued_at=NOW,
                                    expires_at=NOW + dt.timedelta(minutes=15),
                                    audience="https://wallet.example")
    token = str(vc_jwt.sign_claims(claims, key=KEY, kid=KID, typ=request_objects.TYP))
    assert request_objects.read(token, shown=SHOWN, now=NOW,
                                audience="https://wallet.example") == REQUEST
    with refused("another audience"):
        request_objects.read(token, shown=SHOWN, now=NOW)
