"""SD-JWT (RFC 9901): the specification's digests, disclosing members, nested objects and array
elements, every rule of §7.1 broken once, and key binding JWTs."""

from __future__ import annotations

import base64
import json
import re
from itertools import count
from typing import Any

import pytest

from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.proofs.cryptosuites import sd_jwt
from credstack.errors import MalformedCredentialError, SignatureError

ISSUER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
HOLDER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(3, 35)))
KID = "did:example:issuer#key-1"

CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:hanako", "name": "山田花子",
                          "degree": {"type": "Bachelor", "name": "Engineering"},
                          "nationalities": ["JP", "FR"]},
}


def _salts() -> Any:
    numbers = count()
    return lambda: f"salt-{next(numbers)}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _disclosure(*value: Any) -> str:
    return _b64(json.dumps(list(value)).encode())


def _issue(credential: dict[str, Any] = CREDENTIAL, *paths: str, **options: Any) -> str:
    return sd_jwt.issue(credential, key=ISSUER_KEY, kid=KID, disclosable=paths,
                        salt=_salts(), **options)


def _signed(payload: dict[str, Any], *disclosures: str) -> str:
    """An SD-JWT whose payload the test writes itself (digests and all), signed."""
    header = _b64(json.dumps({"alg": "EdDSA", "kid": KID, "typ": "vc+sd-jwt"}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = _b64(ISSUER_KEY.sign(f"{header}.{body}".encode()))
    return "~".join((f"{header}.{body}.{signature}", *disclosures)) + "~"


def _problems(token: str) -> list[str]:
    """The problems found, each as ``location: code(params)``."""
    return [str(problem) for problem in sd_jwt.disclose(sd_jwt.parse(token)).problems]


# --- the specification's examples --------------------------------------------------------------

@pytest.mark.parametrize(("disclosure", "decoded", "digest"), [
    # RFC 9901 §4.2.1 (an object member) and §4.2.2 (an array element).
    ("WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0",
     ["_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius"],
     "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"),
    ("WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0", ["lklxF5jMYlGTPUovMNIvCA", "FR"],
     "w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs"),
])
def test_the_specifications_disclosures_have_its_digests(disclosure: str, decoded: list[Any],
                                                         digest: str) -> None:
    """The digest is the base64url SHA-256 of the disclosure's ASCII text, not of its JSON."""
    assert json.loads(base64.urlsafe_b64decode(disclosure + "==")) == decoded
    assert sd_jwt.digest(disclosure) == digest
    token = _signed({"@context": [], "_sd": [digest] if len(decoded) == 3 else [],
                     "nationalities": [{"...": digest}] if len(decoded) == 2 else []},
                    disclosure)
    claims = sd_jwt.disclose(sd_jwt.parse(token)).claims
    assert claims.get("family_name", claims["nationalities"]) in ("Möbius", ["FR"])


# --- disclosing ----------------------------------------------------------------------------------

@pytest.mark.parametrize("hash_name", list(sd_jwt.HASHES))
def test_every_disclosure_given_rebuilds_the_credential(hash_name: str) -> None:
    """Members, nested members, a member inside a disclosed member, array elements: all put
    back where they stood, with every supported _sd_alg."""
    token = _issue(CREDENTIAL, "credentialSubject.degree.name", "credentialSubject.degree",
                   "credentialSubject.nationalities[1]", "credentialSubject.name",
                   hash_name=hash_name)
    parsed = sd_jwt.parse(token)
    assert parsed.header == {"alg": "EdDSA", "kid": KID, "typ": "vc+sd-jwt"}
    assert parsed.payload["_sd_alg"] == hash_name
    assert "name" not in parsed.payload["credentialSubject"]
    disclosed = sd_jwt.disclose(parsed)
    assert disclosed.problems == ()
    assert disclosed.claims == CREDENTIAL
    assert sorted(disclosed.paths) == [
        "credentialSubject.degree", "credentialSubject.degree.name", "credentialSubject.name",
        "credentialSubject.nationalities[1]"]


def test_disclosures_left_out_leave_their_claims_out() -> None:
    """A holder presenting fewer disclosures: those claims, and undisclosed elements, are gone;
    nothing is wrong."""
    token = _issue(CREDENTIAL, "credentialSubject.name", "credentialSubject.nationalities[0]")
    jwt, name, _nationality, _ = token.split("~")
    disclosed = sd_jwt.disclose(sd_jwt.parse(f"{jwt}~{name}~"))
    assert disclosed.problems == ()
    assert disclosed.claims["credentialSubject"]["name"] == "山田花子"
    assert disclosed.claims["credentialSubject"]["nationalities"] == ["FR"]
    bare = sd_jwt.disclose(sd_jwt.parse(f"{jwt}~")).claims["credentialSubject"]
    assert "name" not in bare and "_sd" not in bare


# --- every rule, broken -------------------------------------------------------------------------

def test_a_disclosure_not_referenced_by_any_signed_digest_is_named() -> None:
    """Added, or changed after signing (its digest then changes too)."""
    token = _issue(CREDENTIAL, "credentialSubject.name")
    jwt, name, _ = token.split("~")
    added = _disclosure("salt", "name", "Taro Yamada")
    assert _problems(f"{jwt}~{added}~") == ["disclosures[0]: proof.sd_jwt.unreferenced()"]
    changed = _b64(base64.urlsafe_b64decode(name + "==").replace("山田花子".encode(),
                                                                 "山田太郎".encode()))
    assert _problems(f"{jwt}~{changed}~") == ["disclosures[0]: proof.sd_jwt.unreferenced()"]
    assert _problems(f"{jwt}~{name}~{added}~") == [
        "disclosures[1]: proof.sd_jwt.unreferenced()"]


@pytest.mark.parametrize(("payload", "disclosures", "problem"), [
    # The same digest twice, in one _sd or in two places.
    (lambda d: {"_sd": [d, d]}, [_disclosure("s", "name", "x")],
     "_sd: proof.sd_jwt.digest_repeated("),
    (lambda d: {"_sd": [d], "a": {"_sd": [d]}}, [_disclosure("s", "name", "x")],
     "_sd: proof.sd_jwt.digest_repeated("),
    # An element's disclosure where a member's digest goes, and the other way round.
    (lambda d: {"_sd": [d]}, [_disclosure("s", "FR")],
     "disclosures[0]: proof.sd_jwt.misplaced_element(where='_sd')"),
    (lambda d: {"list": [{"...": d}]}, [_disclosure("s", "name", "x")],
     "disclosures[0]: proof.sd_jwt.misplaced_member(where='list[0]')"),
    # A member the object already has; a reserved name; a malformed disclosure.
    (lambda d: {"_sd": [d], "name": "y"}, [_disclosure("s", "name", "x")],
     "disclosures[0]: proof.sd_jwt.member_in_payload(name=\"'name'\", where='')"),
    (lambda d: {"_sd": [d]}, [_disclosure("s", "_sd", ["x"])], "name_reserved"),
    (lambda d: {"_sd": [d]}, [_disclosure("s", "...", "x")], "name_reserved"),
    (lambda d: {"_sd": [d]}, [_disclosure("s", 1, "x")], "proof.sd_jwt.name_not_string"),
    (lambda d: {"_sd": [d]}, [_disclosure(1, "name", "x")], "proof.sd_jwt.salt_not_string"),
    (lambda d: {"_sd": [d]}, [_disclosure("s", "a", "b", "c")], "proof.sd_jwt.shape"),
    (lambda d: {"_sd": [d]}, ["bm90IGpzb24"], "proof.sd_jwt.not_base64url_json"),
    (lambda d: {"_sd": d}, [_disclosure("s", "name", "x")], "_sd: proof.problem.not_an_array"),
    (lambda d: {"_sd": [7]}, [], "_sd: proof.sd_jwt.digest_not_string"),
    # The same disclosure given twice.
    (lambda d: {"_sd": [d]}, [_disclosure("s", "name", "x")] * 2, "disclosures[1]: "
     "proof.sd_jwt.given_twice"),
])
def test_each_rule_of_section_7_1_broken_is_named(payload: Any, disclosures: list[str],
                                                  problem: str) -> None:
    """Every violation is a problem naming where it is; the offending claim is left out."""
    digest = sd_jwt.digest(disclosures[0]) if disclosures else ""
    document = {"@context": [], **payload(digest)}
    found = _problems(_signed(document, *disclosures))
    assert any(problem in text for text in found), found


def test_an_unsupported_hash_algorithm_discloses_nothing() -> None:
    token = _signed({"_sd_alg": "md5", "_sd": ["x"]}, _disclosure("s", "name", "x"))
    disclosed = sd_jwt.disclose(sd_jwt.parse(token))
    assert [(p.location, p.code, p.params) for p in disclosed.problems] == [
        ("_sd_alg", "proof.sd_jwt.hash_unsupported",
         {"hash": "'md5'", "known": "sha-256, sha-384, sha-512, sha3-256, sha3-384, sha3-512"})]
    assert disclosed.claims == {}


@pytest.mark.parametrize("text", ["", "a.b.c", "a.b.c~d.e", "~x~", "a.b~x~",
                                  "a.b.c~d~e~f~a.b"])
def test_what_is_not_an_sd_jwt_is_refused(text: str) -> None:
    """A JWS alone, a last part that is neither a disclosure nor a JWT, no JWS first."""
    assert not sd_jwt.is_sd_jwt(text)
    with pytest.raises(MalformedCredentialError, match=r"proof\.sd_jwt\.not_compact"):
        sd_jwt.parse(text)


def test_the_tilde_after_the_last_disclosure_may_be_missing() -> None:
    """``<JWT>~<d1>~<d2>`` is read as ``<JWT>~<d1>~<d2>~``: a disclosure has no ".", so it
    cannot be a key binding JWT; the bound text has the "~" back."""
    issued = _issue(CREDENTIAL, "credentialSubject.name", "credentialSubject.degree")
    token = sd_jwt.parse(issued[:-1])
    assert sd_jwt.is_sd_jwt(issued[:-1])
    assert token == sd_jwt.parse(issued)
    assert token.key_binding is None and token.bound_text == issued


def test_a_path_the_credential_lacks_cannot_be_made_disclosable() -> None:
    with pytest.raises(MalformedCredentialError) as raised:
        _issue(CREDENTIAL, "credentialSubject.age")
    assert (raised.value.code, raised.value.params) == (
        "proof.sd_jwt.no_member", {"path": "credentialSubject.age"})


# --- key binding ---------------------------------------------------------------------------------

def _bound(token: str, *, key: KeyPair = HOLDER_KEY, typ: str = "kb+jwt",
           **claims: Any) -> str:
    parsed = sd_jwt.parse(token)
    sd_hash = sd_jwt.digest(parsed.bound_text)  # the same hash, over the whole SD-JWT
    payload = {"iat": 1780000000, "aud": "https://verifier.example", "nonce": "n-0S6",
               "sd_hash": sd_hash, **claims}
    header = _b64(json.dumps({"alg": "EdDSA", "typ": typ}).encode())
    body = _b64(json.dumps(payload).encode())
    return token + f"{header}.{body}.{_b64(key.sign(f'{header}.{body}'.encode()))}"


@pytest.fixture
def holder_bound() -> str:
    return _issue({**CREDENTIAL, "cnf": {"jwk": HOLDER_KEY.public_key.to_jwk()}},
                  "credentialSubject.name")


def test_a_key_binding_jwt_by_the_holder_verifies(holder_bound: str) -> None:
    claims = sd_jwt.verify_key_binding(sd_jwt.parse(_bound(holder_bound)))
    assert (claims["aud"], claims["nonce"]) == ("https://verifier.example", "n-0S6")


@pytest.mark.parametrize(("change", "error", "message"), [
    (lambda token: _bound(token, key=ISSUER_KEY), SignatureError, "proof.vc_jwt.signature()"),
    (lambda token: _bound(token, typ="JWT"), MalformedCredentialError,
     "proof.sd_jwt.kb.typ(typ=\"'JWT'\", expected=\"'kb+jwt'\")"),
    (lambda token: _bound(token, sd_hash="AAAA"), MalformedCredentialError,
     "proof.sd_jwt.kb.sd_hash()"),
    (lambda token: _bound(token, nonce=None), MalformedCredentialError,
     "proof.sd_jwt.kb.no_claim(name='nonce')"),
    (lambda token: _bound(token, iat="yesterday"), MalformedCredentialError,
     "proof.sd_jwt.kb.no_iat()"),
])
def test_a_key_binding_jwt_that_does_not_bind_is_refused(holder_bound: str, change: Any,
                                                         error: type[Exception],
                                                         message: str) -> None:
    """Another key, another typ, another SD-JWT than it was made for, claims missing."""
    with pytest.raises(error, match=re.escape(message)):
        sd_jwt.verify_key_binding(sd_jwt.parse(change(holder_bound)))


def test_a_disclosure_added_after_key_binding_breaks_it(holder_bound: str) -> None:
    """The holder bound the SD-JWT without its disclosure; someone added it afterwards."""
    jwt, disclosure, _ = holder_bound.split("~")
    kb = _bound(f"{jwt}~").rsplit("~", 1)[1]
    with pytest.raises(MalformedCredentialError, match=r"proof\.sd_jwt\.kb\.sd_hash"):
        sd_jwt.verify_key_binding(sd_jwt.parse(f"{jwt}~{disclosure}~{kb}"))


def test_key_binding_needs_a_holder_key_in_the_payload() -> None:
    with pytest.raises(MalformedCredentialError, match=r"proof\.sd_jwt\.kb\.no_holder_key"):
        sd_jwt.verify_key_binding(sd_jwt.parse(_bound(_issue(CREDENTIAL))))
