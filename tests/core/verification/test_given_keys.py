"""Keys a verifier's caller gives (issue 58): a JWK, a JWK Set or a PEM public key answers for
the methods it names, before any is looked up; anything else is refused naming where."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.verification.given_keys import GivenKeys, given_keys_resolver
from credstack.errors import InputError, NotFoundError

ISSUER = KeyPair.generate(KeyType.ED25519)
OTHER = KeyPair.generate(KeyType.P256)


def looked_up(method: str) -> tuple[object, str]:
    raise NotFoundError(f"{method} looked up")


def test_a_key_answers_for_the_method_or_fragment_its_kid_names() -> None:
    """kid = the method, its fragment, or #fragment; another method goes on to be looked up."""
    for kid in ("did:web:issuer.example#key-1", "key-1", "#key-1"):
        keys = GivenKeys.parse({"keys": [{**ISSUER.public_key.to_jwk(), "kid": kid},
                                         {**OTHER.public_key.to_jwk(), "kid": "other"}]},
                               where="options.jwks")
        resolve = given_keys_resolver(keys, looked_up)
        assert resolve("did:web:issuer.example#key-1") == (ISSUER.public_key,
                                                            "did:web:issuer.example")
        with pytest.raises(NotFoundError, match="looked up"):
            resolve("did:web:issuer.example#key-2")


def test_one_key_without_a_kid_answers_for_every_method() -> None:
    """A single JWK without kid: the caller means it for whatever the credential names."""
    keys = GivenKeys.parse(ISSUER.public_key.to_jwk(), where="options.jwks")
    assert keys.find("https://issuer.example#k") == ISSUER.public_key


def test_a_pem_public_key_is_read_and_a_private_one_refused() -> None:
    """A key file in PEM: the public key is read; a private key is refused, not used."""
    private = ed25519.Ed25519PrivateKey.from_private_bytes(ISSUER.secret_bytes())
    pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    assert GivenKeys.read(pem, where="key.pem").find("did:example:a#1") == ISSUER.public_key
    secret = private.private_bytes(serialization.Encoding.PEM,
                                   serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())
    with pytest.raises(InputError) as raised:
        GivenKeys.read(secret, where="key.pem")
    assert raised.value.code == "verification.keys.private"


@pytest.mark.parametrize(("value", "where"), [
    ("not an object", "options.jwks"),
    ({"keys": []}, "options.jwks.keys"),
    ({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}, "options.jwks.keys[0]"),
    ({**OTHER.public_key.to_jwk(), "d": "AAAA"}, "options.jwks"),
])
def test_what_is_not_a_public_key_is_refused_naming_where(value: object, where: str) -> None:
    """Not a JWK, an empty set, a symmetric key, private parts: refused, the place named."""
    with pytest.raises(InputError) as raised:
        GivenKeys.parse(value, where="options.jwks")
    assert raised.value.problems[0].location == where


def test_a_jwk_set_file_is_read_as_json() -> None:
    """A key file holding a JWK Set in JSON."""
    data = json.dumps({"keys": [{**OTHER.public_key.to_jwk(), "kid": "k"}]}).encode()
    assert GivenKeys.read(data, where="keys.json").find("did:example:a#k") == OTHER.public_key
