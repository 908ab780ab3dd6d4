"""Key pairs: RFC 8032 vectors, sign/verify for both curves, verify raises, secrets stay hidden."""

from __future__ import annotations

import pytest

from credstack.core.crypto import KeyPair, KeyType, PublicKey
from credstack.errors import MalformedCredentialError, SignatureError

# RFC 8032 §7.1, TEST 1 and TEST 3.
RFC8032_VECTORS = [
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
     "1cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760"
     "984dc6594a7c15e9716ed28dc027beceea1ec40a"),
]


@pytest.mark.parametrize(("secret", "public", "message", "signature"), RFC8032_VECTORS)
def test_ed25519_matches_rfc8032(secret: str, public: str, message: str, signature: str) -> None:
    """Ed25519 keys and signatures reproduce RFC 8032's test vectors."""
    pair = KeyPair.from_secret_bytes(KeyType.ED25519, bytes.fromhex(secret))
    assert pair.public_key.raw.hex() == public
    assert pair.sign(bytes.fromhex(message)).hex() == signature
    pair.public_key.verify(bytes.fromhex(signature), bytes.fromhex(message))


@pytest.mark.parametrize("key_type", list(KeyType))
def test_a_signature_verifies_and_any_change_fails(key_type: KeyType) -> None:
    """A fresh key verifies its own 64-byte signature; a changed message or signature raises."""
    pair = KeyPair.generate(key_type)
    signature = pair.sign(b"message")
    assert len(signature) == 64
    pair.public_key.verify(signature, b"message")
    with pytest.raises(SignatureError):
        pair.public_key.verify(signature, b"messagE")
    with pytest.raises(SignatureError):
        pair.public_key.verify(bytes([signature[0] ^ 1]) + signature[1:], b"message")
    with pytest.raises(SignatureError):
        pair.public_key.verify(signature[:63], b"message")


@pytest.mark.parametrize("key_type", list(KeyType))
def test_another_key_does_not_verify(key_type: KeyType) -> None:
    """A signature checked with someone else's key raises SignatureError."""
    signature = KeyPair.generate(key_type).sign(b"message")
    with pytest.raises(SignatureError):
        KeyPair.generate(key_type).public_key.verify(signature, b"message")


@pytest.mark.parametrize("key_type", list(KeyType))
def test_keys_round_trip_through_raw_bytes(key_type: KeyType) -> None:
    """Secret and public bytes rebuild equal keys."""
    pair = KeyPair.generate(key_type)
    again = KeyPair.from_secret_bytes(key_type, pair.secret_bytes())
    assert again.public_key == pair.public_key
    assert PublicKey.from_raw(key_type, pair.public_key.raw) == pair.public_key


def test_the_secret_never_shows_in_repr() -> None:
    """``repr`` of a key pair shows the public key only."""
    pair = KeyPair.generate()
    assert pair.secret_bytes().hex() not in repr(pair)
    assert "_private" not in repr(pair)


@pytest.mark.parametrize(
    ("key_type", "raw"),
    [(KeyType.ED25519, bytes(31)), (KeyType.P256, bytes(33)), (KeyType.P256, b"\x04" + bytes(32))],
)
def test_bad_public_key_bytes_are_malformed(key_type: KeyType, raw: bytes) -> None:
    """Wrong lengths and points off the curve are refused when read."""
    with pytest.raises(MalformedCredentialError):
        PublicKey.from_raw(key_type, raw)


@pytest.mark.parametrize("raw", [bytes(32), b"\xff" * 32, bytes(31)])
def test_bad_p256_secrets_are_malformed(raw: bytes) -> None:
    """A P-256 scalar must be in [1, n-1] and 32 bytes long."""
    with pytest.raises(MalformedCredentialError):
        KeyPair.from_secret_bytes(KeyType.P256, raw)


def test_jwks_carry_only_public_parts() -> None:
    """Public JWKs: OKP/Ed25519 with x; EC/P-256 with x and y; never d."""
    ed = KeyPair.generate(KeyType.ED25519).public_key.to_jwk()
    p256 = KeyPair.generate(KeyType.P256).public_key.to_jwk()
    assert set(ed) == {"kty", "crv", "x"} and ed["crv"] == "Ed25519"
    assert set(p256) == {"kty", "crv", "x", "y"} and p256["crv"] == "P-256"


def test_the_low_layer_surface_is_pinned() -> None:
    """What credstack.core.crypto offers the proof layer is exactly this list."""
    import credstack.core.crypto as crypto

    assert sorted(crypto.__all__) == [
        "DocumentLoader", "KeyPair", "KeyType", "PublicKey", "decode_base58btc",
        "decode_base64url", "decode_public_key", "decode_secret_key", "encode_base58btc",
        "encode_base64url", "encode_public_key", "encode_secret_key", "jcs_canonicalize",
        "rdfc_canonicalize", "rdfc_canonicalize_plain"]
