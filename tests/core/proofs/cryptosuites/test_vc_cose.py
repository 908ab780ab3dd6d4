"""Credentials secured with COSE (VC-JOSE-COSE §3.3.1): a COSE_Sign1 made here with ``cbor2``
and each key type (tagged and not), split and verified; a changed payload, header or
signature, another key, an unprotected or unknown algorithm, refused.

The messages are built by hand (RFC 9052 §4.2, §4.4) rather than with the module under
test, so that the test does not grade its own homework.
"""

from __future__ import annotations

import json
from typing import Any

import cbor2
import pytest

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.proofs.cryptosuites import vc_cose
from credstack.core.said import Said
from credstack.errors import MalformedCredentialError, SignatureError
from credstack.words import words

CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer", "credentialSubject": {"id": "did:example:hanako"}}
ALGORITHMS = {KeyType.P256: -7, KeyType.P384: -35, KeyType.P521: -36, KeyType.ED25519: -8,
              KeyType.SECP256K1: -47}


def cose_sign1(key: KeyPair, payload: Any = CREDENTIAL, *, alg: int | None = None,
               kid: str = "did:example:issuer#key-1", tagged: bool = True,
               typ: str = "application/vc+cose", unprotected: dict[int, Any] | None = None
               ) -> bytes:
    """A COSE_Sign1 over ``payload``'s JSON, signed by ``key``."""
    header: dict[int, Any] = {1: ALGORITHMS[key.type] if alg is None else alg, 16: typ,
                              4: kid.encode()}
    protected = cbor2.dumps(header)
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signature = key.sign(cbor2.dumps(["Signature1", protected, b"", body]))
    message = [protected, unprotected or {}, body, signature]
    return cbor2.dumps(cbor2.CBORTag(18, message) if tagged else message)


@pytest.mark.parametrize("key_type", list(KeyType))
@pytest.mark.parametrize("tagged", [True, False])
def test_a_cose_credential_of_each_key_type_verifies(key_type: KeyType, tagged: bool) -> None:
    key = KeyPair.generate(key_type)
    data = cose_sign1(key, tagged=tagged)
    assert vc_cose.is_cose(data)
    message = vc_cose.parse(data)
    assert message.kid == "did:example:issuer#key-1"
    assert message.credential() == CREDENTIAL
    vc_cose.verify(message, key.public_key)


def test_a_changed_payload_or_signature_or_another_key_is_refused() -> None:
    key = KeyPair.generate(KeyType.P256)
    message = vc_cose.parse(cose_sign1(key))
    changed = vc_cose.CoseSign1(message.protected_bytes, message.protected,
                                message.unprotected, message.payload.replace(b"hanako", b"taro"),
                                message.signature)
    with pytest.raises(SignatureError):
        vc_cose.verify(changed, key.public_key)
    flipped = bytes([message.signature[0] ^ 1]) + message.signature[1:]
    with pytest.raises(SignatureError):
        vc_cose.verify(vc_cose.CoseSign1(message.protected_bytes, message.protected,
                                         message.unprotected, message.payload, flipped),
                       key.public_key)
    with pytest.raises(SignatureError):
        vc_cose.verify(message, KeyPair.generate(KeyType.P256).public_key)
    with pytest.raises(SignatureError, match="ES256"):
        vc_cose.verify(message, KeyPair.generate(KeyType.ED25519).public_key)


def test_an_unprotected_or_unknown_algorithm_is_refused() -> None:
    key = KeyPair.generate(KeyType.ED25519)
    with pytest.raises(MalformedCredentialError, match=r"proof\.vc_cose\.alg_not_accepted"):
        vc_cose.verify(vc_cose.parse(cose_sign1(key, alg=-257)), key.public_key)
    protected = cbor2.dumps({16: "application/vc+cose"})
    body = json.dumps(CREDENTIAL).encode()
    signature = key.sign(cbor2.dumps(["Signature1", protected, b"", body]))
    data = cbor2.dumps([protected, {1: -8}, body, signature])
    with pytest.raises(MalformedCredentialError, match=r"proof\.vc_cose\.alg_not_accepted"):
        vc_cose.verify(vc_cose.parse(data), key.public_key)


@pytest.mark.parametrize(("data", "code"), [
    (b"\x84", "proof.vc_cose.not_cbor"), (cbor2.dumps([1, 2, 3]), "proof.vc_cose.not_four_items"),
    (cbor2.dumps(cbor2.CBORTag(98, [b"", {}, b"", b""])), "proof.vc_cose.tag"),
    (cbor2.dumps([b"", {}, None, b""]), "proof.vc_cose.detached"),
    (cbor2.dumps([b"\x01", {}, b"{}", b""]), "proof.vc_cose.protected_not_map"),
    (cbor2.dumps([1, {}, b"{}", b""]), "proof.vc_cose.item_types")],
    ids=["truncated", "three-items", "another-tag", "detached", "header-not-a-map",
         "item-types"])
def test_what_is_not_a_cose_sign1_is_malformed(data: bytes, code: str) -> None:
    with pytest.raises(MalformedCredentialError) as raised:
        vc_cose.parse(data)
    assert raised.value.code == code


@pytest.mark.parametrize(("code", "params", "en", "ja"), [
    ("proof.vc_cose.not_four_items", {}, "a COSE_Sign1 is an array of four items",
     "COSE_Sign1 は 4 つの項目からなる配列です"),
    ("proof.vc_cose.tag", {"tag": 98}, "CBOR tag 98 is not a COSE_Sign1 (18)",
     "CBOR のタグ 98 は COSE_Sign1（18）ではありません"),
    ("proof.vc_cose.alg_not_accepted", {"alg": "-257"},
     "the COSE algorithm -257 is not accepted (a protected ES256, ES384, ES512, EdDSA or "
     "ES256K)", "COSE のアルゴリズム -257 は受け付けていません（保護ヘッダーの ES256、ES384、"
     "ES512、EdDSA または ES256K）"),
    ("proof.vc_cose.key_mismatch", {"alg": "ES256", "key": "Ed25519"},
     "the COSE message is signed with ES256, but the key is Ed25519",
     "COSE メッセージは ES256 で署名されていますが、鍵は Ed25519 です"),
])
def test_the_refusals_read_as_they_did_before_their_words_moved(
        code: str, params: dict[str, Any], en: str, ja: str) -> None:
    """The module says codes (issue 53); the catalogues word them, in English as the module
    did before."""
    said = Said(code, **params)
    assert (words(said, "en"), words(said, "ja")) == (en, ja)


def test_a_payload_that_is_not_a_credential_is_refused() -> None:
    key = KeyPair.generate(KeyType.P256)
    with pytest.raises(MalformedCredentialError, match=r"proof\.vc_cose\.payload_not_credential"):
        vc_cose.parse(cose_sign1(key, {"hello": "world"})).credential()
    with pytest.raises(MalformedCredentialError, match="typ"):
        vc_cose.parse(cose_sign1(key, typ="application/cwt")).credential()


@pytest.mark.parametrize("key_type", list(KeyType))
def test_sign_writes_a_tagged_cose_sign1_with_the_recommendations_headers(
        key_type: KeyType) -> None:
    """``sign``: tag 18; alg of the key, kid as bytes, typ application/vc+cose and content
    type application/vc protected; the payload the credential's JSON; it verifies, and
    with another key it does not."""
    key = KeyPair.generate(key_type)
    data = vc_cose.sign(CREDENTIAL, key=key, kid="did:example:issuer#key-1")
    tagged = cbor2.loads(data)
    assert isinstance(tagged, cbor2.CBORTag) and tagged.tag == 18
    protected = cbor2.loads(tagged.value[0])
    assert protected == {1: ALGORITHMS[key_type], 4: b"did:example:issuer#key-1",
                         16: "application/vc+cose", 3: "application/vc"}
    message = vc_cose.parse(data)
    assert message.credential() == CREDENTIAL
    vc_cose.verify(message, key.public_key)
    with pytest.raises(SignatureError):
        vc_cose.verify(message, KeyPair.generate(key_type).public_key)
