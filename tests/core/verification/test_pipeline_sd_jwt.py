"""W3C credentials secured with SD-JWT through the credential pipeline: the issuer's signature,
every disclosure, key binding, then the usual steps on the disclosed credential."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_jwk
from credstack.core.proofs.cryptosuites import sd_jwt
from credstack.core.verification import VerificationReport, verify_credential
from credstack.words import words
from tests.signed_credentials import ISSUER, KEY, METHOD, VALID_FROM, unsigned

NOW = VALID_FROM + dt.timedelta(days=30)
HOLDER = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(3, 35)))
DISCLOSABLE = ("credentialSubject.identifier[0]", "credentialSubject.identifier[1]", "name",
               "awardedDate")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _issued(credential: dict[str, Any] | None = None, *, key: KeyPair = KEY,
            kid: str = METHOD, **options: Any) -> str:
    return sd_jwt.issue(credential or unsigned(), key=key, kid=kid, disclosable=DISCLOSABLE,
                        **options)


def _verify(given: Any) -> VerificationReport:
    def unreachable(method: str) -> Any:
        raise AssertionError(f"{method}: did:key and did:jwk need no resolver")

    return verify_credential(given, document_loader=shared_document_loader(),
                             resolve_verification_method=unreachable, fetch_status_list=None,
                             now=NOW, programme_lookup=lambda achievement: None, words=words)


def _check(report: VerificationReport, name: str) -> Any:
    found = report.check(name)
    assert found is not None, name
    return found


@pytest.mark.parametrize("typ", ["vc+sd-jwt", "dc+sd-jwt", "application/vc+sd-jwt"])
def test_an_sd_jwt_credential_verifies_and_means_what_it_discloses(typ: str) -> None:
    """Every step passes; the proof names the method and every disclosed claim; the meaning
    is read from the disclosed credential."""
    report = _verify(_issued(typ=typ))
    assert report.ok, [check.to_dict() for check in report.failed]
    parse = _check(report, "parse")
    assert parse.details["format"] == ("dc+sd-jwt" if typ == "dc+sd-jwt" else "vc+sd-jwt")
    proof = _check(report, "proof")
    assert proof.details["proofs"][0]["verificationMethod"] == METHOD
    assert sorted(proof.details["disclosed"]) == sorted(
        ["credentialSubject.identifier[0]", "credentialSubject.identifier[1]", "name",
         "awardedDate"])
    assert _check(report, "issuer").details["issuer"] == ISSUER
    assert report.meaning is not None and report.meaning.achievement_type == "MicroCredential"


def test_an_enveloped_sd_jwt_verifies() -> None:
    """VC-JOSE-COSE's EnvelopedVerifiableCredential with data:application/vc+sd-jwt,…"""
    envelope = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/vc+sd-jwt,{_issued()}"}
    assert _verify(envelope).ok


def test_a_holder_may_disclose_less_and_it_still_verifies() -> None:
    """Without the learner's names: verified; the names are simply not there."""
    jwt, *disclosures, _ = _issued().split("~")
    kept = [d for d in disclosures if "Hanako" not in base64.urlsafe_b64decode(d + "==")
            .decode() and "山田" not in base64.urlsafe_b64decode(d + "==").decode()]
    assert len(kept) == len(disclosures) - 2
    report = _verify("~".join([jwt, *kept]) + "~")
    assert report.ok, [check.to_dict() for check in report.failed]
    assert len(_check(report, "proof").details["disclosed"]) == 2


def test_an_sd_jwt_without_its_trailing_tilde_verifies() -> None:
    """Written without the "~" after its last disclosure, or with no disclosure and no "~"
    at all: the same credential, verified; a changed disclosure still fails the proof."""
    issued = _issued()
    assert issued.endswith("~")
    report = _verify(issued[:-1])
    assert report.ok, [check.to_dict() for check in report.failed]
    assert len(_check(report, "proof").details["disclosed"]) == len(DISCLOSABLE)
    bare = _verify(issued.split("~")[0])
    assert bare.ok, [check.to_dict() for check in bare.failed]
    assert _check(bare, "parse").details["format"] == "vc+sd-jwt"
    assert _check(bare, "proof").details["disclosed"] == []
    jwt, *disclosures, _ = issued.split("~")
    forged = _b64(json.dumps(["salt", "name", "Doctor of Everything"]).encode())
    assert _check(_verify("~".join([jwt, *disclosures[1:], forged])), "proof").code == \
        "disclosure"


def test_a_did_jwk_issuer_verifies() -> None:
    key = KeyPair.from_secret_bytes(KeyType.P256, bytes(range(5, 37)))
    did = did_jwk.did_from_jwk(key.public_key.to_jwk())
    credential = unsigned()
    credential["issuer"]["id"] = credential["credentialSubject"]["achievement"]["creator"][
        "id"] = did
    report = _verify(_issued(credential, key=key, kid=f"{did}#0"))
    assert report.ok, [check.to_dict() for check in report.failed]


# --- refused, precisely ------------------------------------------------------------------------

def test_a_disclosure_added_or_changed_fails_the_proof_naming_it() -> None:
    """The signature verifies, but a disclosure no signed digest vouches for is refused."""
    jwt, _first, *rest = _issued().split("~")
    forged = _b64(json.dumps(["salt", "name", "Doctor of Everything"]).encode())
    report = _verify("~".join([jwt, forged, *rest]))
    proof = _check(report, "proof")
    assert (proof.ok, proof.code) == (False, "disclosure")
    assert proof.reason_en.startswith("the issuer's signature verifies, but not every "
                                      "disclosure is the issuer's: disclosures[0]: is not "
                                      "referenced by any digest the issuer signed")
    assert proof.details["problems"][0]["location"] == "disclosures[0]"
    assert _check(report, "issuer").ok is None and not report.ok


@pytest.mark.parametrize(("token", "code"), [
    (lambda: _issued(key=KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(9, 41)))),
     "signature"),
    (lambda: _tampered_payload(_issued()), "signature"),
    (lambda: _with_header(_issued(), alg="none"), "unsecured-jwt"),
    (lambda: _with_header(_issued(), kid=None), "unresolvable-method"),
])
def test_a_signature_that_does_not_verify_fails_the_proof(token: Any, code: str) -> None:
    """Another key, a payload changed after signing, no signature, no key named."""
    proof = _check(_verify(token()), "proof")
    assert (proof.ok, proof.code) == (False, code)


def _tampered_payload(token: str) -> str:
    jwt, _, disclosures = token.partition("~")
    header, payload, signature = jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["validFrom"] = "2020-01-01T00:00:00Z"
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}~{disclosures}"


def _with_header(token: str, **changes: Any) -> str:
    jwt, _, disclosures = token.partition("~")
    header, payload, signature = jwt.split(".")
    fields = {**json.loads(base64.urlsafe_b64decode(header + "==")), **changes}
    fields = {name: value for name, value in fields.items() if value is not None}
    return f"{_b64(json.dumps(fields).encode())}.{payload}.{signature}~{disclosures}"


def test_an_ietf_sd_jwt_vc_is_refused_as_no_w3c_credential() -> None:
    """An SD-JWT VC with vct and no @context is not a W3C credential: parse says which."""
    token = sd_jwt.issue({"iss": ISSUER, "vct": "https://credentials.example/identity",
                          "given_name": "Hanako"}, key=KEY, kid=METHOD,
                         disclosable=["given_name"], typ="dc+sd-jwt")
    parse = _check(_verify(token), "parse")
    assert (parse.ok, parse.code) == (False, "not-a-credential")
    assert "an IETF SD-JWT VC of type 'https://credentials.example/identity'" in parse.reason_en


def test_a_token_of_another_type_is_refused() -> None:
    """A typ that is neither an SD-JWT credential's nor the legacy JWT: not a credential."""
    parse = _check(_verify(_issued(typ="example+jwt")), "parse")
    assert (parse.ok, parse.code) == (False, "not-a-credential")


def test_a_legacy_typ_jwt_sd_jwt_verifies_with_a_conformance_warning() -> None:
    """walt.id's W3C SD-JWT credentials say typ JWT: verified, the parse check warning that
    the type does not conform; a changed one is still refused."""
    report = _verify(_issued(typ="JWT"))
    assert report.ok, [check.to_dict() for check in report.failed]
    parse = _check(report, "parse")
    assert [notice.code for notice in parse.warnings] == ["legacy-sd-jwt-type"]
    assert "does not conform" in parse.warnings[0].message("en")
    assert not _verify(_tampered_payload(_issued(typ="JWT"))).ok


def test_a_legacy_typ_jwt_with_no_disclosures_and_no_tilde_is_a_plain_vc_jwt() -> None:
    """A typ JWT token with no disclosures and no trailing ``~`` is no SD-JWT: it is read
    as the VC-JWT it is, with no legacy SD-JWT warning; a changed one is refused."""
    token = sd_jwt.issue(unsigned(), key=KEY, kid=METHOD, disclosable=(), typ="JWT")
    assert token.endswith("~")
    token = token.removesuffix("~")
    report = _verify(token)
    assert report.ok, [check.to_dict() for check in report.failed]
    parse = _check(report, "parse")
    assert parse.details["format"] == "vc+jwt"
    assert [notice.code for notice in parse.warnings] == []
    tampered = _tampered_payload(token).removesuffix("~")
    assert _check(_verify(tampered), "proof").code == "signature"


def test_the_exp_claim_bounds_the_validity() -> None:
    """Registered claims count as for a VC-JWT: exp before now makes it expired."""
    credential = {**unsigned(), "exp": int((NOW - dt.timedelta(days=1)).timestamp())}
    assert _check(_verify(_issued(credential)), "validity").code == "expired"


# --- key binding ---------------------------------------------------------------------------------

def _bind(token: str, key: KeyPair = HOLDER) -> str:
    parsed = sd_jwt.parse(token)
    header = _b64(json.dumps({"alg": "EdDSA", "typ": "kb+jwt"}).encode())
    body = _b64(json.dumps({"iat": int(NOW.timestamp()), "aud": "https://verifier.example",
                            "nonce": "n-0S6", "sd_hash": sd_jwt.digest(parsed.bound_text)})
                .encode())
    return token + f"{header}.{body}.{_b64(key.sign(f'{header}.{body}'.encode()))}"


def _holder_bound() -> str:
    return _issued({**unsigned(), "cnf": {"jwk": HOLDER.public_key.to_jwk()}})


def test_a_key_binding_jwt_by_the_holder_verifies_with_a_warning() -> None:
    """It verifies; with no audience or nonce asked, the warning says they were not
    compared. Without one, the warning says the holder did not present it."""
    report = _verify(_bind(_holder_bound()))
    assert report.ok
    assert [notice.code for notice in _check(report, "proof").warnings] == [
        "key-binding-not-compared"]
    unbound = _verify(_holder_bound())
    assert unbound.ok
    assert [notice.code for notice in _check(unbound, "proof").warnings] == ["no-key-binding"]


def test_a_key_binding_jwt_by_someone_else_fails_the_proof() -> None:
    proof = _check(_verify(_bind(_holder_bound(), key=KEY)), "proof")
    assert (proof.ok, proof.code) == (False, "key-binding")
    assert proof.reason_en.startswith("the key binding JWT does not verify: the signature "
                                      "does not verify")


def test_a_key_binding_jwt_without_a_holder_key_is_said_unverifiable() -> None:
    """An issuer that named no holder key (no ``cnf``) bound the credential to no one: a key
    binding JWT beside it cannot be checked (SD-JWT VC draft §3.2.2.2: it is signed by the
    key ``cnf`` names), whoever signed it. The issuer's signature and disclosures still
    verify; the proof says the binding shows nothing, in each language, rather than failing
    the issuer's credential or passing in silence."""
    for signer in (HOLDER, KEY):
        report = _verify(_bind(_issued(), key=signer))
        assert report.ok, [check.to_dict() for check in report.failed]
        proof = _check(report, "proof")
        assert [notice.code for notice in proof.warnings] == ["key-binding-unverifiable"]
        [notice] = proof.to_dict()["warnings"]
        assert "cnf" in notice["message"]["en"] and "cnf" in notice["message"]["ja"]
        assert "cannot be checked" in notice["message"]["en"]
    assert not _check(_verify(_issued()), "proof").warnings, "no key binding: nothing to say"
