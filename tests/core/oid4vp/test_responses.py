"""Encrypted responses (direct_post.jwt, OID4VP 1.0 §8.3): what the wallet encrypts to the
key in client_metadata the verifier decrypts, with either content encryption; a JWE for
another key, of another algorithm or altered is refused with its reason."""

from __future__ import annotations

import base64
import json

import pytest
from joserfc import jwe
from joserfc.jwk import ECKey

from credstack.core.oid4vp import responses
from tests.core.oid4vp.refusals import refused

KEY = responses.key_from_seed(bytes(range(32)))
METADATA = responses.encryption_metadata(KEY, kid="k1")
ANSWER = {"vp_token": {"q": ["presentation"]}, "state": "s-1"}


def test_a_seed_gives_one_key() -> None:
    """The key is derived, so the verifier need not store it."""
    again = responses.key_from_seed(bytes(range(32)))
    assert again.as_dict(private=False) == KEY.as_dict(private=False)
    assert "d" not in METADATA["jwks"]["keys"][0]


@pytest.mark.parametrize("enc", ["A128GCM", "A256GCM"])
def test_what_the_wallet_encrypts_the_verifier_decrypts(enc: str) -> None:
    token = responses.encrypt(ANSWER, metadata={
        **METADATA, "encrypted_response_enc_values_supported": [enc]}, nonce="n")
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["enc"] == enc and header["alg"] == "ECDH-ES" and header["kid"] == "k1"
    assert responses.decrypt(token, key=KEY, kid="k1") == ANSWER


def test_a_response_for_another_key_is_refused() -> None:
    other = responses.encryption_metadata(ECKey.generate_key("P-256"), kid="k1")
    token = responses.encrypt(ANSWER, metadata=other, nonce="n")
    with refused("does not decrypt with this request's key"):
        responses.decrypt(token, key=KEY, kid="k1")


def test_a_response_naming_another_kid_or_algorithm_is_refused() -> None:
    token = responses.encrypt(ANSWER, metadata=METADATA, nonce="n")
    with refused("another key"):
        responses.decrypt(token, key=KEY, kid="k2")
    public = ECKey.import_key(METADATA["jwks"]["keys"][0])
    wrapped = jwe.encrypt_compact({"alg": "ECDH-ES+A128KW", "enc": "A128GCM"}, b"{}", public)
    with refused("must be encrypted with ECDH-ES"):
        responses.decrypt(wrapped, key=KEY, kid="k1")


def test_an_altered_response_is_refused() -> None:
    token = responses.encrypt(ANSWER, metadata=METADATA, nonce="n")
    head, key, iv, ciphertext, tag = token.split(".")
    altered = ".".join([head, key, iv, ("A" if ciphertext[0] != "A" else "B") + ciphertext[1:],
                        tag])
    with refused("does not decrypt"):
        responses.decrypt(altered, key=KEY, kid="k1")


def test_a_verifier_without_a_usable_key_or_enc_is_refused() -> None:
    with refused("no P-256 ECDH-ES key"):
        responses.encrypt(ANSWER, metadata={"jwks": {"keys": []}}, nonce="n")
    with refused("no content encryption"):
        responses.encrypt(ANSWER, metadata={
            **METADATA, "encrypted_response_enc_values_supported": ["A192CBC-HS384"]},
            nonce="n")
