"""The jwt key proof: what it must say, and the key it binds the credential to."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from typing import Any

import pytest

from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_jwk, did_key
from credstack.core.oid4vci import nonces
from credstack.core.oid4vci.proofs import PROOF_TYPE, verify_jwt_proof
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.errors import ExchangeProtocolError
from credstack.words import error_words, protocol_description

KEY = b"n" * 32
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
ISSUER = "https://credstack.example"
HOLDER = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))


def _proof(*, kid: str | None = None, typ: str | None = PROOF_TYPE, key: KeyPair = HOLDER,
           **claims: Any) -> str:
    payload = {"aud": ISSUER, "iat": int(NOW.timestamp()),
               "nonce": nonces.issue(key=KEY, now=NOW), **claims}
    payload = {name: value for name, value in payload.items() if value is not None}
    token = vc_jwt.sign_claims(payload, key=key,
                               kid=kid or did_key.verification_method_id(key.public_key),
                               typ=typ or "JWT")
    if typ is None:  # rewrite the header without typ
        header = base64.urlsafe_b64encode(json.dumps(
            {"alg": "EdDSA", "kid": kid or did_key.verification_method_id(key.public_key)}
        ).encode()).rstrip(b"=").decode()
        signing = f"{header}.{token.split('.')[1]}"
        signature = base64.urlsafe_b64encode(key.sign(signing.encode())).rstrip(b"=").decode()
        token = f"{signing}.{signature}"
    return token


def _verify(token: str) -> Any:
    return verify_jwt_proof(token, audience=ISSUER, nonce_key=KEY, now=NOW)


def test_a_did_key_proof_binds_to_its_did() -> None:
    bound = _verify(_proof())
    assert bound.did == did_key.did_from_public_key(HOLDER.public_key)
    assert bound.jwk == HOLDER.public_key.to_jwk()


def test_a_did_jwk_proof_binds_to_its_did() -> None:
    did = did_jwk.did_from_jwk(HOLDER.public_key.to_jwk())
    bound = _verify(_proof(kid=f"{did}#0"))
    assert bound.did == did and bound.method == f"{did}#0"


def test_a_proof_without_typ_and_with_nbf_instead_of_iat_is_accepted() -> None:
    """Digital Bazaar's client writes such proofs; the nonce carries the time."""
    token = _proof(typ=None, iat=None, nbf=int(NOW.timestamp()))
    assert _verify(token).did.startswith("did:key:")


@pytest.mark.parametrize(("token", "code"), [
    (_proof(aud="https://elsewhere.example"), "invalid_proof"),
    (_proof(typ="kb+jwt"), "invalid_proof"),
    (_proof(nonce=None), "invalid_proof"),
    (_proof(nonce="made.up"), "invalid_nonce"),
    (_proof(iat=int(NOW.timestamp()) + 3600), "invalid_proof"),
    (_proof(iat=int(NOW.timestamp()) - 3600), "invalid_proof"),
    (_proof(exp=int(NOW.timestamp()) - 1), "invalid_proof"),
    (_proof(kid="did:web:example.com#key-1"), "invalid_proof"),
    (_proof(kid=did_key.verification_method_id(KeyPair.from_secret_bytes(
        KeyType.ED25519, secrets.token_bytes(32)).public_key)), "invalid_proof"),
    ("not.a.jwt", "invalid_proof"),
], ids=["audience", "type", "no-nonce", "foreign-nonce", "future", "long-before-its-nonce",
        "expired", "did-web", "another-key", "not-a-jwt"])
def test_what_a_proof_must_say_is_checked_with_the_spec_codes(token: str, code: str) -> None:
    """Audience, type, nonce, time, the DID method and the signature (a kid naming another
    key)."""
    with pytest.raises(ExchangeProtocolError) as refused:
        _verify(token)
    assert refused.value.error == code


def test_a_proof_whose_did_key_is_broken_says_why_in_words() -> None:
    """The did:key's own refusal (a message key, as the core raises it) follows the proof's in
    ``error_description``, worded in English and in ASCII: the wallet's developer reads why,
    never a message key."""
    with pytest.raises(ExchangeProtocolError) as refused:
        _verify(_proof(kid="did:key:zNotAKey#zNotAKey"))
    assert refused.value.error == "invalid_proof"
    assert refused.value.cause is not None and refused.value.cause.code.startswith("dids.key.")
    described = protocol_description(refused.value)
    assert described.startswith("The key proof's key cannot be used: ")
    assert described.removeprefix("The key proof's key cannot be used: ") == \
        error_words(refused.value.cause, "en")
    assert "dids.key" not in described and described.isascii()
