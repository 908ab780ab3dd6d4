"""vc+jwt: joserfc reads what credstack signs and the reverse; EdDSA, ES256, ES384, ES256K and
RS256 verify; confusions fail."""

from __future__ import annotations

import base64
import collections
import dataclasses
import datetime as dt
import enum
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.proofs import resolve_did_key, sign_vc_jwt, verify_vc_jwt
from credstack.core.proofs.cryptosuites.vc_jwt import (
    _REGISTRY,
    V1_TYPE,
    claims_from_credential,
    credential_from_claims,
    read_header,
    sign_claims,
)
from credstack.core.said import Said
from credstack.errors import MalformedCredentialError, SignatureError
from credstack.words import words
from tests.core.proofs.vectors import read_json

CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "北都工科大学"},
    "validFrom": "2024-04-01T00:00:00Z",
    "name": "データ活用入門",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
        "id": "https://example.ac.jp/achievements/dx-101", "type": ["Achievement"],
        "name": "Introduction to data use", "criteria": {"narrative": "Pass the course."}}},
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(header: dict[str, Any], payload: Any, signature: bytes = b"") -> str:
    return ".".join([_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()),
                     _b64(signature)])


ALGORITHMS = [(KeyType.ED25519, "EdDSA"), (KeyType.P256, "ES256"), (KeyType.P384, "ES384"),
              (KeyType.SECP256K1, "ES256K")]


@pytest.mark.parametrize(("key_type", "alg"), ALGORITHMS)
def test_a_signed_credential_is_a_vc_jwt_that_joserfc_verifies(key_type: KeyType,
                                                                alg: str) -> None:
    """Header alg/kid/typ, payload = the credential, signature checked by joserfc itself."""
    key = KeyPair.generate(key_type)
    kid = did_key.verification_method_id(key.public_key)
    token = sign_vc_jwt(CREDENTIAL, key=key, kid=kid)
    assert read_header(token) == {"alg": alg, "kid": kid, "typ": "vc+jwt"}
    imported = jws.deserialize_compact(
        token, _import(key.public_key.to_jwk()), algorithms=[alg], registry=_REGISTRY)
    assert json.loads(imported.payload) == CREDENTIAL
    result = verify_vc_jwt(token, resolve_key=resolve_did_key)
    assert result.credential == CREDENTIAL and result.format == "vc+jwt"


def _import(jwk: dict[str, str]) -> Any:
    return OKPKey.import_key(jwk) if jwk["kty"] == "OKP" else ECKey.import_key(jwk)


@pytest.mark.parametrize(("key_type", "alg"), ALGORITHMS[1:])
def test_an_ecdsa_token_joserfc_signs_verifies_with_the_did_key(key_type: KeyType,
                                                                 alg: str) -> None:
    """ES256, ES384 and ES256K tokens from another implementation verify with credstack's
    key for the same secret (did:key zDn…, z82…, zQ3s…)."""
    jose_private = ECKey.generate_key(key_type.value)
    secret = base64.urlsafe_b64decode(jose_private.as_dict(private=True)["d"] + "==")
    public_key = KeyPair.from_secret_bytes(key_type, secret).public_key
    kid = did_key.verification_method_id(public_key)
    token = jws.serialize_compact({"alg": alg, "typ": "vc+jwt", "kid": kid},
                                  json.dumps(CREDENTIAL).encode(), jose_private,
                                  algorithms=[alg], registry=_REGISTRY)
    assert verify_vc_jwt(token, resolve_key=resolve_did_key).credential == CREDENTIAL


def test_rs256_is_accepted_with_an_rsa_jwk() -> None:
    """An RS256 token (as Open Badges 3.0 issuers send) verifies with the issuer's JWK."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jose_private = RSAKey.import_key(private)
    token = jws.serialize_compact({"alg": "RS256", "typ": "vc+jwt", "kid": "k1"},
                                  json.dumps(CREDENTIAL).encode(), jose_private,
                                  algorithms=["RS256"])
    public_jwk = jose_private.as_dict(private=False)
    assert verify_vc_jwt(token, key=public_jwk).credential == CREDENTIAL
    assert verify_vc_jwt(token, resolve_key=lambda kid: public_jwk).header["kid"] == "k1"
    with pytest.raises(MalformedCredentialError, match=r"proof\.vc_jwt\.private_key"):
        verify_vc_jwt(token, key=jose_private.as_dict(private=True))


def test_the_clr_example_jwt_verifies_with_its_key(shared_ref: Path) -> None:
    """1EdTech's CLR 2.0 simple.jwt (VC 1.1 shape, RS256) verifies with the JWK it names."""
    token = (shared_ref / "examples/clr-v2p0/validator/simple.jwt").read_text().strip()
    result = verify_vc_jwt(token, key=read_header(token)["jwk"])
    assert result.format == "vc-jwt-1.1"
    assert "ClrCredential" in result.credential["type"]
    assert result.claims["iss"] == result.credential["issuer"]["id"]


@pytest.mark.parametrize("key_type", list(KeyType))
def test_a_changed_payload_or_header_does_not_verify(key_type: KeyType) -> None:
    """Any edit to the signed parts raises SignatureError."""
    key = KeyPair.generate(key_type)
    token = sign_vc_jwt(CREDENTIAL, key=key, kid="k")
    header, payload, signature = token.split(".")
    changed_payload = _b64(json.dumps(dict(CREDENTIAL, name="Other")).encode())
    changed_header = _b64(json.dumps({**read_header(token), "kid": "k2"}).encode())
    for forged in (f"{header}.{changed_payload}.{signature}",
                   f"{changed_header}.{payload}.{signature}"):
        with pytest.raises(SignatureError):
            verify_vc_jwt(forged, key=key.public_key)


def test_another_key_does_not_verify() -> None:
    """A token checked against someone else's key raises SignatureError."""
    token = sign_vc_jwt(CREDENTIAL, key=KeyPair.generate(), kid="k")
    with pytest.raises(SignatureError):
        verify_vc_jwt(token, key=KeyPair.generate().public_key)


def test_alg_none_is_never_accepted() -> None:
    """An unsecured JWT (alg: none) is refused, whatever key is offered."""
    token = _token({"alg": "none", "typ": "vc+jwt"}, CREDENTIAL)
    with pytest.raises(MalformedCredentialError, match="none"):
        verify_vc_jwt(token, key=KeyPair.generate().public_key)


def test_hmac_with_the_public_key_as_secret_is_refused() -> None:
    """The classic confusion — HS256 keyed with the public key's bytes — is refused."""
    key = KeyPair.generate()
    secret = OctKey.import_key(key.public_key.raw)
    token = jws.serialize_compact({"alg": "HS256", "typ": "vc+jwt"},
                                  json.dumps(CREDENTIAL).encode(), secret, algorithms=["HS256"])
    with pytest.raises(MalformedCredentialError, match="HS256"):
        verify_vc_jwt(token, key=key.public_key)


@pytest.mark.parametrize(("signer", "verifier"), [
    (KeyType.ED25519, KeyType.P256), (KeyType.P256, KeyType.ED25519),
    (KeyType.P256, KeyType.SECP256K1), (KeyType.SECP256K1, KeyType.P256),
    (KeyType.P384, KeyType.P256)])
def test_an_alg_that_does_not_fit_the_key_is_refused(signer: KeyType,
                                                     verifier: KeyType) -> None:
    """An EdDSA token checked with a P-256 key, an ES256 one with a secp256k1 key (same size,
    other curve) and so on: a SignatureError naming the mismatch."""
    token = sign_vc_jwt(CREDENTIAL, key=KeyPair.generate(signer), kid="k")
    with pytest.raises(SignatureError, match=r"proof\.vc_jwt\.key_mismatch\("):
        verify_vc_jwt(token, key=KeyPair.generate(verifier).public_key)


def test_rs256_with_a_non_rsa_key_is_refused() -> None:
    """An RS256 header cannot make credstack use an Ed25519 key."""
    token = _token({"alg": "RS256", "typ": "vc+jwt"}, CREDENTIAL, b"x" * 256)
    with pytest.raises(SignatureError, match="RS256"):
        verify_vc_jwt(token, key=KeyPair.generate().public_key)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("a.b", r"proof\.vc_jwt\.parts\(found=2\)"),
        ("a.b.c.d.e", r"proof\.vc_jwt\.parts\(found=5\)"),
        ("!!!.e30.", r"proof\.vc_jwt\.header\.not_base64url"),
        (_token({"alg": "EdDSA", "typ": "vp+jwt"}, {}), r"proof\.vc_jwt\.typ\(typ=\"'vp\+jwt'\"\)"),
        (_token({"alg": "EdDSA", "crit": ["b64"], "b64": False}, {}), r"proof\.vc_jwt\.crit"),
        (_b64(b"[1]") + ".e30.", r"proof\.vc_jwt\.header\.not_object"),
    ],
)
def test_malformed_tokens_are_refused(token: str, message: str) -> None:
    """Wrong shape, bad encoding, a presentation type or critical extensions: malformed."""
    with pytest.raises(MalformedCredentialError, match=message):
        verify_vc_jwt(token, key=KeyPair.generate().public_key)


@pytest.mark.parametrize(("code", "params", "en", "ja"), [
    ("proof.vc_jwt.parts", {"found": 2},
     "a compact JWS has 3 parts separated by '.', this has 2",
     "コンパクト形式の JWS は '.' で区切られた 3 つの部分からなりますが、これは 2 つです"),
    ("proof.vc_jwt.typ", {"typ": "'vp+jwt'"}, "typ 'vp+jwt' is not a credential",
     "typ 'vp+jwt' は証明書のものではありません"),
    ("proof.vc_jwt.key_mismatch", {"alg": "EdDSA", "key": "EC P-256"},
     "the token is signed with EdDSA, but the key is EC P-256",
     "トークンは EdDSA で署名されていますが、鍵は EC P-256 です"),
    ("proof.vc_jwt.claim_disagrees", {"claim": "'iss'"},
     "the JWT claim 'iss' disagrees with the credential",
     "JWT のクレーム 'iss' が証明書の内容と一致しません"),
    ("proof.vc_jwt.vc_not_object", {}, "the vc claim is not a JSON object",
     "vc クレームが JSON オブジェクトではありません"),
    ("proof.vc_jwt.signature", {}, "the JWS signature does not verify",
     "JWS の署名が一致しません"),
])
def test_the_refusals_read_as_they_did_before_their_words_moved(
        code: str, params: dict[str, Any], en: str, ja: str) -> None:
    """The module says codes (issue 53); the catalogues word them, in English as the module
    did before."""
    said = Said(code, **params)
    assert (words(said, "en"), words(said, "ja")) == (en, ja)


def test_payloads_that_are_not_credentials_are_refused() -> None:
    """A signed payload must be a credential: VC 2.0 with @context, or a vc claim object."""
    key = KeyPair.generate()
    for payload in ({"sub": "x"}, {"vp": {}}, {"vc": "text"}):
        header = {"alg": "EdDSA", "typ": "JWT"}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
        token = f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"
        with pytest.raises(MalformedCredentialError):
            verify_vc_jwt(token, key=key.public_key)


def test_vc_1_1_claims_must_agree_with_the_credential() -> None:
    """In the OB 3.0 (VC 1.1) shape, iss/jti/sub that contradict the credential are refused."""
    key = KeyPair.generate()
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1"],
                  "id": "urn:uuid:1", "issuer": {"id": "https://issuer.example"},
                  "credentialSubject": {"id": "did:example:learner"}}

    def token(claims: dict[str, Any]) -> str:
        header = {"alg": "EdDSA", "typ": "JWT"}
        body = {"vc": credential, **claims}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(body).encode())}"
        return f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"

    good = {"iss": "https://issuer.example", "jti": "urn:uuid:1", "sub": "did:example:learner"}
    assert verify_vc_jwt(token(good), key=key.public_key).format == "vc-jwt-1.1"
    for claim, value in (("iss", "https://other.example"), ("jti", "urn:uuid:2"),
                         ("sub", "did:example:other")):
        with pytest.raises(MalformedCredentialError, match=claim):
            verify_vc_jwt(token({**good, claim: value}), key=key.public_key)


def test_vc_1_1_registered_claims_are_decoded_into_the_credential() -> None:
    """VC Data Model 1.1 §6.3.1.2: iss is the issuer, jti the id, sub the subject's id, nbf
    the issuanceDate and exp the expirationDate (NumericDate → dateTime)."""
    key = KeyPair.generate()
    body = {"vc": {"@context": ["https://www.w3.org/2018/credentials/v1"],
                   "type": ["VerifiableCredential"], "credentialSubject": {"degree": "BSc"}},
            "iss": "did:example:issuer", "jti": "urn:uuid:7", "sub": "did:example:learner",
            "nbf": 1262304000, "exp": 1893456000.5}
    header = {"alg": "EdDSA", "typ": "JWT"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(body).encode())}"
    token = f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"
    credential = verify_vc_jwt(token, key=key.public_key).credential
    assert credential["issuer"] == "did:example:issuer"
    assert credential["id"] == "urn:uuid:7"
    assert credential["credentialSubject"] == {"degree": "BSc", "id": "did:example:learner"}
    assert credential["issuanceDate"] == "2010-01-01T00:00:00Z"
    assert credential["expirationDate"] == "2030-01-01T00:00:00Z"
    with pytest.raises(MalformedCredentialError, match="nbf"):
        credential_from_claims({**body, "nbf": "2010-01-01"})


@pytest.mark.parametrize(("dates", "expected"), [
    ({"issuanceDate": "2010-01-01T00:00:00Z", "expirationDate": "2030-01-01T00:00:00Z"},
     {"nbf": 1262304000, "exp": 1893456000}),
    ({"validFrom": "2010-01-01T09:00:00+09:00"}, {"nbf": 1262304000}),
    ({}, {})])
def test_vc_1_1_claims_are_encoded_from_the_credential_and_decode_back(
        dates: dict[str, str], expected: dict[str, int]) -> None:
    """VC Data Model 1.1 §6.3.1.1: iss, jti, sub, nbf and exp encode the credential's issuer,
    id, subject id and dates; the whole credential is the vc claim; decoding gives it back."""
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1"], "id": "urn:uuid:7",
                  "type": ["VerifiableCredential"], "issuer": {"id": "did:example:issuer"},
                  "credentialSubject": {"id": "did:example:learner", "degree": "BSc"}, **dates}
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    claims = claims_from_credential(credential, now=now)
    assert claims == {"iss": "did:example:issuer", "jti": "urn:uuid:7",
                      "sub": "did:example:learner", "iat": int(now.timestamp()), **expected,
                      "vc": credential}
    key = KeyPair.generate()
    token = sign_claims(claims, key=key, kid="did:example:issuer#1", typ=V1_TYPE)
    verified = verify_vc_jwt(token, key=key.public_key)
    assert verified.format == "vc-jwt-1.1" and read_header(token)["typ"] == "JWT"
    assert {name: value for name, value in verified.credential.items()
            if name not in ("issuanceDate", "expirationDate", "validFrom")} == {
        name: value for name, value in credential.items()
        if name not in ("issuanceDate", "expirationDate", "validFrom")}
    with pytest.raises(MalformedCredentialError, match="nbf"):
        claims_from_credential({**credential, "issuanceDate": "yesterday"}, now=now)


def test_signing_refuses_vc_and_vp_claims() -> None:
    """VC-JOSE-COSE: the claims vc and vp must not appear in a vc+jwt payload."""
    with pytest.raises(MalformedCredentialError, match=r"proof\.vc_jwt\.vc_or_vp_claim") as raised:
        sign_vc_jwt({"vc": CREDENTIAL}, key=KeyPair.generate(), kid="k")
    assert [(p.location, p.code) for p in raised.value.problems] == [
        ("vc", "proof.problem.not_allowed")]


def test_a_missing_kid_cannot_be_resolved() -> None:
    """Verifying through resolve_key needs a kid in the header."""
    key = KeyPair.generate()
    header = {"alg": "EdDSA", "typ": "vc+jwt"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(CREDENTIAL).encode())}"
    token = f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"
    with pytest.raises(MalformedCredentialError, match=r"proof\.vc_jwt\.no_kid"):
        verify_vc_jwt(token, resolve_key=resolve_did_key)
    assert verify_vc_jwt(token, key=key.public_key).credential == CREDENTIAL


def test_the_ob3_example_jwt_is_read(shared_ref: Path) -> None:
    """OB 3.0's simple.jwt (RS256, no key published) is parsed; without its key it cannot pass."""
    token = (shared_ref / "examples/ob-v3p0/validator/simple.jwt").read_text().strip()
    assert read_header(token)["alg"] == "RS256"
    with pytest.raises(SignatureError):
        verify_vc_jwt(token, key=KeyPair.generate().public_key)
    assert read_json(shared_ref / "examples/ob-v3p0/validator/simple.json")


# --- the payload: orjson where it keeps the meaning, the standard encoder elsewhere ----------

_SIGNER = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
_PAYLOAD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text()
    | st.sampled_from(["null", "nullable", "\ud800", "a\udfffb", "\U0001f600", "\u2028\x7f"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)
_PAYLOADS = st.dictionaries(st.text(max_size=5).filter(lambda name: name not in ("vc", "vp")),
                            _PAYLOAD_VALUES, max_size=5)


def _payload_of(token: str) -> Any:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _as_text(value: Any) -> str:
    # Distinguishes 1 from 1.0 and 0.0 from -0.0, which == does not.
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@settings(max_examples=300)
@given(_PAYLOADS)
def test_the_payload_is_the_json_the_standard_encoder_writes(credential: dict[str, Any]) -> None:
    """The token's payload reads back as the JSON ``json.dumps`` writes; what ``json``
    refuses (NaN, infinities, lone surrogates) is refused."""
    try:
        expected = json.loads(json.dumps(credential, ensure_ascii=False, allow_nan=False)
                              .encode("utf-8"))
    except (ValueError, UnicodeEncodeError):
        with pytest.raises(MalformedCredentialError, match=r"proof\.vc_jwt\.not_json_data"):
            sign_vc_jwt(credential, key=_SIGNER, kid="did:example:issuer#key-1")
        return
    token = sign_vc_jwt(credential, key=_SIGNER, kid="did:example:issuer#key-1")
    assert _as_text(_payload_of(token)) == _as_text(expected)


class _Colour(enum.Enum):
    RED = "red"


class _Text(str):
    pass


@dataclasses.dataclass
class _Point:
    x: int


@pytest.mark.parametrize(
    "value",
    [object(), {1, 2}, b"bytes", dt.datetime(2024, 4, 1, tzinfo=dt.UTC), _Point(1),
     {1: "a"}.keys(), float("nan"), [float("-inf")], 2**64, 10**400],
    ids=["object", "set", "bytes", "datetime", "dataclass", "keys-view", "nan", "infinity",
         "2**64", "10**400"],
)
def test_values_json_refuses_are_refused(value: Any) -> None:
    """Whatever the standard encoder refuses, signing refuses; big integers it writes."""
    credential = {**CREDENTIAL, "extra": value}
    if isinstance(value, int):
        token = sign_vc_jwt(credential, key=_SIGNER, kid="k")
        assert _payload_of(token)["extra"] == value
        return
    with pytest.raises(MalformedCredentialError, match=r"proof\.vc_jwt\.not_json_data"):
        sign_vc_jwt(credential, key=_SIGNER, kid="k")


@pytest.mark.parametrize("integer_keys", [False, True], ids=["orjson", "json"])
def test_subclasses_uuids_and_enums_are_written_the_same_by_either_encoder(
        integer_keys: bool) -> None:
    """A str subclass and an OrderedDict are written as ``json`` writes them, a UUID as its
    string and an Enum member as its value — whether orjson writes the payload or (integer
    keys, which orjson refuses) the standard encoder does."""
    credential = {**CREDENTIAL, "text": _Text("x"), "map": collections.OrderedDict(b=1, a=2),
                  "uuid": uuid.UUID(int=1), "colour": _Colour.RED}
    if integer_keys:
        credential["keys"] = {1: "one"}
    payload = _payload_of(sign_vc_jwt(credential, key=_SIGNER, kid="k"))
    assert payload["text"] == "x"
    assert list(payload["map"]) == ["b", "a"]
    assert payload["uuid"] == "00000000-0000-0000-0000-000000000001"
    assert payload["colour"] == "red"
    assert payload.get("keys") == ({"1": "one"} if integer_keys else None)
