"""Request objects encrypted to the wallet's key (OID4VP 1.0 §5.10 ``jwks``, RFC 9101 §4): the
key and content encryption chosen from what the wallet posted, refused with invalid_request
when the wallet asks for encryption credstack cannot make, and the nested JWT round trip."""

from __future__ import annotations

from typing import Any

import pytest
from joserfc.jwk import ECKey

from credstack.core.oid4vp import request_encryption
from tests.core.oid4vp.refusals import refused

KEY = ECKey.generate_key("P-256")
PUBLIC: dict[str, Any] = {**KEY.as_dict(private=False), "kid": "w-1", "use": "enc"}
TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2ln"


def test_a_p256_key_for_encryption_is_chosen_with_the_first_common_encryption() -> None:
    signing = {"kty": "OKP", "crv": "Ed25519", "x": "AA", "use": "sig"}
    assert request_encryption.chosen({"keys": [signing, PUBLIC]}) == (PUBLIC, "A128GCM")
    assert request_encryption.chosen({"keys": [PUBLIC]}, algs=["ECDH-ES"],
                                     encs=["A256GCM"]) == (PUBLIC, "A256GCM")


@pytest.mark.parametrize("jwks", [None, {}, {"keys": []},
                                  {"keys": [{"kty": "EC", "crv": "P-256", "use": "sig"}]}],
                         ids=["none", "empty", "no-keys", "signing-only"])
def test_without_a_key_for_encryption_the_request_object_is_not_encrypted(
        jwks: dict[str, Any] | None) -> None:
    assert request_encryption.chosen(jwks) is None


@pytest.mark.parametrize(("jwks", "algs", "encs", "why"), [
    ({"keys": [{"kty": "RSA", "n": "sXch", "e": "AQAB", "use": "enc"}]}, None, None,
     "no key this verifier can encrypt"),
    ({"keys": [{**PUBLIC, "alg": "ECDH-ES+A128KW"}]}, None, None,
     "no key this verifier can encrypt"),
    ({"keys": [PUBLIC]}, ["RSA-OAEP-256"], None, "RSA-OAEP-256"),
    ({"keys": [PUBLIC]}, None, ["A192GCM"], "A192GCM"),
], ids=["rsa", "key-wrap", "alg", "enc"])
def test_encryption_credstack_cannot_make_is_invalid_request(
        jwks: dict[str, Any], algs: list[str] | None, encs: list[str] | None,
        why: str) -> None:
    with refused(why) as raised:
        request_encryption.chosen(jwks, algs=algs, encs=encs)
    assert raised.value.error == "invalid_request"


def test_the_signed_request_object_round_trips_as_a_nested_jwt() -> None:
    encrypted = request_encryption.encrypt(TOKEN, jwk=PUBLIC, enc="A256GCM")
    assert request_encryption.is_encrypted(encrypted)
    assert not request_encryption.is_encrypted(TOKEN)
    assert request_encryption.decrypt(encrypted, key=KEY) == TOKEN


def test_a_request_object_encrypted_to_another_key_is_refused() -> None:
    encrypted = request_encryption.encrypt(TOKEN, jwk=PUBLIC, enc="A128GCM")
    with refused("does not decrypt") as raised:
        request_encryption.decrypt(encrypted, key=ECKey.generate_key("P-256"))
    assert raised.value.error == "invalid_request_object"
