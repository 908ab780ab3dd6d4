"""Multikey encodings of Ed25519, P-256, P-384 and secp256k1 keys: published values, round
trips, refusals."""

from __future__ import annotations

import pytest

from credstack.core.crypto import KeyPair, KeyType, multikey
from credstack.core.crypto.multibase import encode_base58btc
from credstack.errors import MalformedCredentialError

# vc-di-eddsa keyPair.json; proof-set-chain multiKeyPairs.json keyPair1.
W3C_PAIRS = [
    ("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
     "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"),
    ("z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7",
     "z3u2W4YnTstS1nSSBAgZcYSJF43JuZ9uLV6bF38B1Bf8NugW"),
]
# The 1EdTech OB 3.0 / CLR 2.0 vectors' key-pair.json: a 64-byte (seed || public) secret.
ONE_EDTECH_PUBLIC = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
ONE_EDTECH_SECRET = ("zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSH"
                     "WVZzsJiUsMHFMcx")
ONE_EDTECH_PUBLIC_HEX = "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"


@pytest.mark.parametrize(("public", "secret"), W3C_PAIRS)
def test_w3c_secret_keys_derive_their_published_public_keys(public: str, secret: str) -> None:
    """A ``secretKeyMultibase`` yields the key pair whose public key is the published one."""
    pair = multikey.decode_secret_key(secret)
    assert pair.type is KeyType.ED25519
    assert multikey.encode_public_key(pair.public_key) == public
    assert multikey.encode_secret_key(pair) == secret
    assert multikey.decode_public_key(public) == pair.public_key


def test_a_64_byte_ed25519_secret_is_read() -> None:
    """1EdTech's ``seed || public`` secret key gives the published public key."""
    pair = multikey.decode_secret_key(ONE_EDTECH_SECRET)
    assert pair.public_key.raw.hex() == ONE_EDTECH_PUBLIC_HEX
    assert multikey.encode_public_key(pair.public_key) == ONE_EDTECH_PUBLIC


def test_a_64_byte_secret_with_a_foreign_public_half_is_refused() -> None:
    """The public half of a 64-byte secret must belong to its seed."""
    seed = KeyPair.generate().secret_bytes()
    other = KeyPair.generate().public_key.raw
    with pytest.raises(MalformedCredentialError, match="public half"):
        multikey.decode_secret_key(encode_base58btc(b"\x80\x26" + seed + other))


# vc-di-ecdsa p256KeyPair.json and p384KeyPair.json.
W3C_ECDSA_PAIRS = [
    (KeyType.P256, "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
     "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"),
    (KeyType.P384, "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ",
     "z2fanyY7zgwNpZGxX5fXXibvScNaUWNprHU9dKx7qpVj7mws9J8LLt4mDB5TyH2GLHWkUc"),
]


@pytest.mark.parametrize(("key_type", "public", "secret"), W3C_ECDSA_PAIRS,
                         ids=["P-256", "P-384"])
def test_w3c_ecdsa_secret_keys_derive_their_published_public_keys(
        key_type: KeyType, public: str, secret: str) -> None:
    """The vc-di-ecdsa key pairs: headers 0x8626 / 0x8726 for the secret, 0x8024 / 0x8124
    for the public key, and the secret's public key is the published one."""
    pair = multikey.decode_secret_key(secret)
    assert pair.type is key_type
    assert multikey.encode_public_key(pair.public_key) == public
    assert multikey.encode_secret_key(pair) == secret
    assert multikey.decode_public_key(public) == pair.public_key


@pytest.mark.parametrize(("key_type", "prefix"), [
    (KeyType.ED25519, "z6Mk"), (KeyType.P256, "zDn"), (KeyType.P384, "z82"),
    (KeyType.P521, "z2J9"), (KeyType.SECP256K1, "zQ3s")])
def test_public_keys_have_their_well_known_prefixes(key_type: KeyType, prefix: str) -> None:
    """Ed25519 public keys read ``z6Mk…``, P-256 ones ``zDn…``, P-384 ``z82…``, secp256k1
    ``zQ3s…``; public and secret keys round-trip."""
    pair = KeyPair.generate(key_type)
    public = multikey.encode_public_key(pair.public_key)
    assert public.startswith(prefix)
    assert multikey.decode_public_key(public) == pair.public_key
    secret = multikey.encode_secret_key(pair)
    assert multikey.decode_secret_key(secret).public_key == pair.public_key


def test_the_did_key_spec_p256_example_decodes() -> None:
    """The did:key specification's P-256 example is a compressed point on the curve."""
    key = multikey.decode_public_key("zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv")
    assert key.type is KeyType.P256 and len(key.raw) == 33


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("u7QFhbGljZQ", "base58"),  # base64url is not allowed for Multikey
        (encode_base58btc(b"\x82\x24" + bytes(67)), "not a valid"),  # P-521, no such point
        (encode_base58btc(b"\xe7\x01" + bytes(33)), "not a valid"),  # secp256k1, no such point
        (encode_base58btc(b"\x81\x24" + b"\x02" + bytes(32)), "49 bytes"),  # short P-384
        (encode_base58btc(b"\xed\x01" + bytes(31)), "32 bytes"),
        (encode_base58btc(b"\x80\x24" + b"\x05" + bytes(32)), "not a valid"),  # no such point
        (encode_base58btc(b"\x80\x26" + bytes(32)), "header"),  # a secret key as public key
    ],
)
def test_unusable_public_keys_are_refused(value: str, reason: str) -> None:
    """Wrong base, unknown or secret header, wrong length, invalid point: all malformed."""
    with pytest.raises(MalformedCredentialError, match=reason):
        multikey.decode_public_key(value)


def test_x25519_keys_encode_with_their_header() -> None:
    """X25519 (for did:key keyAgreement) uses header 0xec01 and reads ``z6LS…``."""
    assert multikey.encode_x25519_public_key(bytes(range(32))).startswith("z6LS")
    with pytest.raises(MalformedCredentialError):
        multikey.encode_x25519_public_key(bytes(31))


def test_multikey_bytes_round_trip_without_multibase() -> None:
    """public_key_bytes is the header and the key (ecdsa-sd-2023 carries its proof-scoped
    key so, 35 bytes for P-256); decode_public_key_bytes reads them and refuses others."""
    key = KeyPair.generate(KeyType.P256).public_key
    data = multikey.public_key_bytes(key)
    assert len(data) == 35 and data[:2] == b"\x80\x24"
    assert multikey.encode_public_key(key) == encode_base58btc(data)
    assert multikey.decode_public_key_bytes(data) == key
    with pytest.raises(MalformedCredentialError, match="the proof-scoped key header 0x8626"):
        multikey.decode_public_key_bytes(b"\x86\x26" + bytes(32), "the proof-scoped key")
