"""Key pairs: RFC 8032 and RFC 6979 vectors, sign/verify on every curve, verify raises, secrets
stay hidden."""

from __future__ import annotations

import base64

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


# RFC 6979 §A.2.5 (P-256, SHA-256) and §A.2.6 (P-384, SHA-384): the private key x, the public
# key's Ux, and the deterministic signature (r, s) of the message "sample".
RFC6979_VECTORS = [
    (KeyType.P256, "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
     "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
     "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
     "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"),
    (KeyType.P384, "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E"
                   "4C70A825F872C9EA60D2EDF5",
     "EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A2545"
     "15480BC13",
     "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E"
     "80FABE46",
     "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A"
     "38628AC8"),
]


@pytest.mark.parametrize(("key_type", "secret", "ux", "r", "s"), RFC6979_VECTORS,
                         ids=["P-256", "P-384"])
def test_ecdsa_verifies_rfc6979_signatures(key_type: KeyType, secret: str, ux: str, r: str,
                                           s: str) -> None:
    """RFC 6979's keys give its public keys, and its signatures (r || s) verify with the
    curve's own hash: SHA-256 for P-256, SHA-384 for P-384."""
    pair = KeyPair.from_secret_bytes(key_type, bytes.fromhex(secret))
    assert pair.public_key.raw[1:].hex().upper() == ux
    pair.public_key.verify(bytes.fromhex(r + s), b"sample")
    with pytest.raises(SignatureError):
        pair.public_key.verify(bytes.fromhex(r + s), b"Sample")


LENGTHS = {KeyType.ED25519: (32, 32, 64), KeyType.P256: (33, 32, 64),
           KeyType.P384: (49, 48, 96), KeyType.P521: (67, 66, 132),
           KeyType.SECP256K1: (33, 32, 64)}


@pytest.mark.parametrize("key_type", list(KeyType))
def test_each_key_type_has_its_lengths_and_algorithm(key_type: KeyType) -> None:
    """Public key, secret and signature sizes, and the JOSE algorithm, per key type."""
    pair = KeyPair.generate(key_type)
    public, secret, signature = LENGTHS[key_type]
    assert (len(pair.public_key.raw), len(pair.secret_bytes()), len(pair.sign(b"m"))) == (
        public, secret, signature)
    assert key_type.signature_length == signature
    assert pair.public_key.jws_algorithm == {
        KeyType.ED25519: "EdDSA", KeyType.P256: "ES256", KeyType.P384: "ES384",
        KeyType.P521: "ES512", KeyType.SECP256K1: "ES256K"}[key_type]


@pytest.mark.parametrize("key_type", list(KeyType))
def test_a_signature_verifies_and_any_change_fails(key_type: KeyType) -> None:
    """A fresh key verifies its own signature; a changed message or signature raises."""
    pair = KeyPair.generate(key_type)
    signature = pair.sign(b"message")
    pair.public_key.verify(signature, b"message")
    with pytest.raises(SignatureError):
        pair.public_key.verify(signature, b"messagE")
    with pytest.raises(SignatureError):
        pair.public_key.verify(bytes([signature[0] ^ 1]) + signature[1:], b"message")
    with pytest.raises(SignatureError, match="bytes"):
        pair.public_key.verify(signature[:-1], b"message")


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
    [(KeyType.ED25519, bytes(31)), (KeyType.P256, bytes(33)), (KeyType.P256, b"\x04" + bytes(32)),
     (KeyType.P384, b"\x02" + bytes(32)), (KeyType.P384, b"\x02" + b"\xff" * 48),
     (KeyType.SECP256K1, b"\x05" + bytes(32))],
)
def test_bad_public_key_bytes_are_malformed(key_type: KeyType, raw: bytes) -> None:
    """Wrong lengths and points off the curve are refused when read."""
    with pytest.raises(MalformedCredentialError):
        PublicKey.from_raw(key_type, raw)


#: The order n of each curve: a scalar must lie in [1, n - 1].
ORDERS = {
    KeyType.P256: 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    KeyType.P384: int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB2"
                      "48B0A77AECEC196ACCC52973", 16),
    # FIPS 186-5 / SP 800-186 §3.2.1.5: P-521's n.
    KeyType.P521: int("01" + "FF" * 32 + "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6F"
                      "B71E91386409", 16),
    KeyType.SECP256K1: 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
}


@pytest.mark.parametrize("key_type", list(ORDERS))
def test_ecdsa_secrets_must_be_scalars_below_the_order(key_type: KeyType) -> None:
    """0, n and anything longer or shorter than the curve's size are refused; n - 1 is not."""
    order, size = ORDERS[key_type], LENGTHS[key_type][1]
    for scalar in (0, order, 2 ** (8 * size) - 1):
        with pytest.raises(MalformedCredentialError, match="scalar"):
            KeyPair.from_secret_bytes(key_type, scalar.to_bytes(size, "big"))
    with pytest.raises(MalformedCredentialError, match="bytes"):
        KeyPair.from_secret_bytes(key_type, bytes(size - 1) + b"\x01\x01")
    KeyPair.from_secret_bytes(key_type, (order - 1).to_bytes(size, "big"))


@pytest.mark.parametrize("key_type", list(KeyType))
def test_jwks_carry_only_public_parts(key_type: KeyType) -> None:
    """Public JWKs: OKP/Ed25519 with x; EC with the curve's name and x, y of its size;
    never d."""
    jwk = KeyPair.generate(key_type).public_key.to_jwk()
    assert jwk["crv"] == key_type.value
    if key_type is KeyType.ED25519:
        assert set(jwk) == {"kty", "crv", "x"} and jwk["kty"] == "OKP"
    else:
        assert set(jwk) == {"kty", "crv", "x", "y"} and jwk["kty"] == "EC"
        size = LENGTHS[key_type][1]
        assert {len(base64.urlsafe_b64decode(jwk[c] + "==")) for c in "xy"} == {size}


def test_the_low_layer_surface_is_pinned() -> None:
    """What credstack.core.crypto offers the proof layer is exactly this list."""
    import credstack.core.crypto as crypto

    assert sorted(crypto.__all__) == [
        "DocumentLoader", "KeyPair", "KeyType", "PublicKey", "decode_base58btc",
        "decode_base64url", "decode_public_key", "decode_secret_key", "encode_base58btc",
        "encode_base64url", "encode_public_key", "encode_secret_key", "jcs_canonicalize",
        "rdfc_canonicalize", "rdfc_canonicalize_plain", "rdfc_check"]
