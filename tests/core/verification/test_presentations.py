"""Verification of presentations: the holder's proof, challenge, domain, holder and credentials.

A holder (a ``did:key``) wraps credentials an issuer (another ``did:key``) signed, and signs
the presentation for ``authentication`` with the challenge and domain a verifier gave. The
credentials inside are verified by the real credential pipeline with the same seams the
credential tests use: the service's bundled contexts, ``did:key`` only, no status lists.

:func:`credstack.core.proofs.sign_data_integrity` has no ``challenge`` or ``domain`` yet, so
:func:`present` builds the proof options itself and asks the cryptosuite for the proof — what
``sign`` does, plus those two options.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.resolvers.contexts import document_loader
from credstack.core.credentials import EXTENSION_CONTEXT_URL, extension_context
from credstack.core.crypto import KeyPair, KeyType, PublicKey
from credstack.core.dids import did_key
from credstack.core.proofs import CRYPTOSUITES, sign_data_integrity
from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose
from credstack.core.verification import VerificationReport, verify_credential
from credstack.core.verification.presentations import (
    PRESENTATION_STEPS,
    PresentationReport,
    verify_presentation,
)
from credstack.errors import MalformedCredentialError
from credstack.words import words

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
CHALLENGE = "u2d9c5b1f0a3e4c7b8a6d0f1e2c3b4a5"
DOMAIN = "verifier.credstack.example"
V2 = "https://www.w3.org/ns/credentials/v2"

ISSUER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
ISSUER = did_key.did_from_public_key(ISSUER_KEY.public_key)
HOLDER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(100, 132)))
HOLDER = did_key.did_from_public_key(HOLDER_KEY.public_key)
HOLDER_METHOD = did_key.verification_method_id(HOLDER_KEY.public_key)
OTHER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(200, 232)))
OTHER = did_key.did_from_public_key(OTHER_KEY.public_key)
OTHER_METHOD = did_key.verification_method_id(OTHER_KEY.public_key)

#: ``../shared/ref`` beside the repository (see the ``shared_ref`` fixture).
CONFORMANCE = (Path(__file__).resolve().parents[3].parent / "shared" / "ref" / "conformance"
               / "vc-data-model-2.0-test-suite" / "input")


# --- the seams, real and small ----------------------------------------------------------------

@cache
def loader() -> Any:
    return document_loader(extra={EXTENSION_CONTEXT_URL: extension_context()})


def no_resolver(method: str) -> tuple[PublicKey, str]:
    raise MalformedCredentialError(f"{method} cannot be resolved: this test knows did:key only")


def verify_credential_seam(credential: Any) -> VerificationReport:
    return verify_credential(credential, document_loader=loader(),
                             resolve_verification_method=no_resolver, fetch_status_list=None,
                             now=NOW, programme_lookup=lambda _: None, words=words)


def verify(presentation: Any, **changes: Any) -> PresentationReport:
    arguments: dict[str, Any] = {
        "challenge": CHALLENGE, "domain": DOMAIN, "document_loader": loader(),
        "resolve_verification_method": no_resolver,
        "verify_credential": verify_credential_seam, "now": NOW}
    arguments.update(changes)
    return verify_presentation(presentation, **arguments, words=words)


# --- documents ------------------------------------------------------------------------------

@cache
def _credential(subject: str) -> dict[str, Any]:
    document = {"@context": [V2], "id": "urn:uuid:1c6a1d37-5f0e-4b8e-a2a8-7d8e7e0d9b10",
                "type": ["VerifiableCredential"], "issuer": ISSUER,
                "validFrom": "2026-04-01T00:00:00Z",
                "credentialSubject": {"id": subject, "name": "Hanako Yamada"}}
    return sign_data_integrity(document, key=ISSUER_KEY,
                               verification_method=did_key.verification_method_id(
                                   ISSUER_KEY.public_key),
                               cryptosuite="eddsa-rdfc-2022", created="2026-04-01T00:00:00Z",
                               document_loader=loader())


def credential(subject: str = HOLDER) -> dict[str, Any]:
    """A VC 2.0 credential the issuer signed (eddsa-rdfc-2022), about ``subject``."""
    return copy.deepcopy(_credential(subject))


def presentation(*credentials: Mapping[str, Any], holder: object = HOLDER) -> dict[str, Any]:
    document: dict[str, Any] = {"@context": [V2], "type": ["VerifiablePresentation"]}
    if holder is not None:
        document["holder"] = holder
    if credentials:
        document["verifiableCredential"] = [dict(c) for c in credentials]
    return document


def present(document: Mapping[str, Any], *, challenge: str | None = CHALLENGE,
            domain: str | list[str] | None = DOMAIN, suite: str = "eddsa-jcs-2022",
            key: KeyPair = HOLDER_KEY, method: str = HOLDER_METHOD,
            purpose: str = "authentication", **extra: str) -> dict[str, Any]:
    """``document`` with the holder's Data Integrity proof, made for ``challenge``/``domain``."""
    options: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": suite,
                               "created": "2026-06-01T08:59:00Z", "verificationMethod": method,
                               "proofPurpose": purpose, **extra}
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    proof = CRYPTOSUITES[suite].create_proof(unsecured, options, key=key,
                                             document_loader=loader())
    return {**unsecured, "proof": proof}


def names(report: PresentationReport) -> list[str]:
    return [check.name for check in report.checks]


def failed(report: PresentationReport, name: str, code: str) -> None:
    """The named check failed with ``code`` (a reason in both languages), and nothing else did."""
    assert not report.ok
    check = report.check(name)
    assert check is not None and check.ok is False, [c.to_dict() for c in report.checks]
    assert check.code == code, (check.code, check.reason_en)
    assert check.reason_en and check.reason_ja
    others = [c.name for c in report.checks if c.failed and c.name != name]
    assert others == [], others


# --- a valid presentation ---------------------------------------------------------------------

def test_a_presentation_signed_by_its_holder_for_the_challenge_and_domain_verifies() -> None:
    """Every check passes, in order; the credential inside is verified by the pipeline."""
    report = verify(present(presentation(credential())))
    assert report.ok, [c.to_dict() for c in report.checks if not c.passed]
    assert names(report) == list(PRESENTATION_STEPS) == [
        "parse", "data-model", "contexts", "proof", "challenge", "domain", "holder",
        "credentials"]
    assert all(check.passed for check in report.checks)
    assert len(report.credentials) == 1 and report.credentials[0].ok
    proof = report.check("proof")
    assert proof is not None and proof.details["proofs"][0]["controller"] == HOLDER


def test_a_presentation_with_several_credentials_verifies_each() -> None:
    report = verify(present(presentation(credential(), credential(OTHER))))
    assert report.ok
    assert [r.ok for r in report.credentials] == [True, True]


def test_an_rdfc_presentation_without_credentials_verifies() -> None:
    """The W3C suite signs presentations with eddsa-rdfc-2022."""
    report = verify(present(presentation(), suite="eddsa-rdfc-2022"))
    assert report.ok, [c.to_dict() for c in report.checks if not c.passed]


def test_an_rdfc_presentation_holding_a_credential_verifies() -> None:
    """The VC 2.0 context scopes ``verifiableCredential`` with ``@context: null``; a
    presentation holding a credential canonicalises with eddsa-rdfc-2022 all the same."""
    report = verify(present(presentation(credential()), suite="eddsa-rdfc-2022"))
    assert report.ok


def test_a_proof_naming_several_domains_verifies_for_any_of_them() -> None:
    report = verify(present(presentation(credential()), domain=["other.example", DOMAIN]))
    assert report.ok


def test_the_input_is_never_changed() -> None:
    document = present(presentation(credential()))
    before = copy.deepcopy(document)
    verify(document)
    assert document == before


@pytest.mark.parametrize("form", ["object", "text", "bytes"])
def test_json_objects_text_and_bytes_are_read_alike(form: str) -> None:
    document = present(presentation(credential()))
    text = json.dumps(document, ensure_ascii=False)
    given = {"object": document, "text": text, "bytes": text.encode()}[form]
    assert verify(given).ok


# --- the holder's proof ---------------------------------------------------------------------

def test_a_credential_verified_with_warnings_is_said_so_by_the_presentation() -> None:
    """An authentic credential that breaks Open Badges rules verifies; its findings are the
    presentation's warnings too."""
    document = copy.deepcopy(_credential(HOLDER))
    del document["proof"]
    document["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
    signed = sign_data_integrity(document, key=ISSUER_KEY,
                                 verification_method=did_key.verification_method_id(
                                     ISSUER_KEY.public_key),
                                 cryptosuite="eddsa-rdfc-2022", created="2026-04-01T00:00:00Z",
                                 document_loader=loader())
    report = verify(present(presentation(signed)))
    assert report.ok, [c.to_dict() for c in report.checks if c.failed]
    credentials = report.check("credentials")
    assert credentials is not None
    assert [notice.code for notice in credentials.warnings] == ["open-badges-finding"]
    assert report.to_dict()["warnings"][0]["message"]["en"].startswith(
        "verifiableCredential[0]: the credential breaks 1 rule of Open Badges 3.0")
    assert report.credentials[0].conformant is False


def test_a_presentation_changed_after_signing_fails_the_proof() -> None:
    document = present(presentation(credential()))
    document["id"] = "urn:uuid:5b1f1a2e-9c53-4f7a-8b51-3b1b8d0c2d44"
    failed(verify(document), "proof", "signature")


def test_a_credential_swapped_after_signing_fails_the_proof() -> None:
    """The holder's signature covers the credentials it presents."""
    document = present(presentation(credential()))
    document["verifiableCredential"] = [credential(OTHER)]
    report = verify(document)
    failed(report, "proof", "signature")
    assert report.credentials[0].ok, "the swapped-in credential is fine on its own"


def test_a_proof_made_for_assertion_is_not_an_authentication() -> None:
    document = present(presentation(credential()), purpose="assertionMethod")
    failed(verify(document), "proof", "proof-purpose")


def test_a_broken_proof_value_is_reported_not_raised() -> None:
    document = present(presentation(credential()))
    document["proof"]["proofValue"] = "z5nmMBw2u9TGKd9NxxHJtyZKgjN2Eh"
    report = verify(document)
    assert not report.ok and report.check("proof").code == "malformed-proof"  # type: ignore[union-attr]


def test_a_key_that_cannot_be_resolved_fails_the_proof() -> None:
    document = present(presentation(credential(), holder="did:web:holder.example"),
                       method="did:web:holder.example#key-1")
    failed(verify(document), "proof", "unresolvable-method")


def test_an_expired_proof_fails() -> None:
    document = present(presentation(credential()), expires="2026-05-01T00:00:00Z")
    failed(verify(document), "proof", "proof-expired")


def test_an_unsigned_presentation_passes_only_when_no_challenge_was_given() -> None:
    """VC-API: a proofless presentation is verified for its credentials, with a warning."""
    document = presentation(credential())
    report = verify(document, challenge=None, domain=None)
    assert report.ok
    proof, holder = report.check("proof"), report.check("holder")
    assert proof is not None and proof.code == "no-proof" and proof.warnings
    assert holder is not None and holder.code == "not-authenticated" and holder.warnings
    failed(verify(document, challenge=CHALLENGE), "proof", "missing-proof")


# --- challenge and domain -------------------------------------------------------------------

def test_a_proof_for_another_challenge_fails_the_challenge_check() -> None:
    report = verify(present(presentation(credential())), challenge="a-different-challenge")
    failed(report, "challenge", "challenge-mismatch")
    assert report.check("proof").passed  # type: ignore[union-attr]


def test_a_proof_without_a_challenge_fails_when_one_was_given() -> None:
    failed(verify(present(presentation(credential()), challenge=None)), "challenge",
           "challenge-missing")


def test_a_proof_for_another_domain_fails_the_domain_check() -> None:
    report = verify(present(presentation(credential())), domain="evil.example")
    failed(report, "domain", "domain-mismatch")


def test_a_proof_without_a_domain_fails_when_one_was_given() -> None:
    failed(verify(present(presentation(credential()), domain=None)), "domain", "domain-missing")


def test_a_challenge_and_domain_not_asked_for_pass_with_a_warning() -> None:
    report = verify(present(presentation(credential())), challenge=None, domain=None)
    assert report.ok
    for name in ("challenge", "domain"):
        check = report.check(name)
        assert check is not None and check.code == "not-requested" and check.warnings


def test_challenge_and_domain_are_not_judged_when_the_proof_fails() -> None:
    """A proof that does not verify vouches for nothing, its challenge included."""
    document = present(presentation(credential()))
    document["holder"] = OTHER
    report = verify(document, challenge="another")
    for name in ("challenge", "domain", "holder"):
        check = report.check(name)
        assert check is not None and check.skipped


# --- the holder -----------------------------------------------------------------------------

def test_a_presentation_signed_by_someone_else_than_its_holder_fails() -> None:
    document = present(presentation(credential(), holder=OTHER))
    failed(verify(document), "holder", "holder-mismatch")


def test_a_holder_object_with_its_id_is_the_holder() -> None:
    assert verify(present(presentation(credential(), holder={"id": HOLDER}))).ok


def test_a_presentation_without_a_holder_verifies() -> None:
    report = verify(present(presentation(credential(), holder=None)))
    assert report.ok and report.check("holder").code == "no-holder"  # type: ignore[union-attr]


# --- the credentials ------------------------------------------------------------------------

def test_a_credential_inside_that_fails_makes_the_presentation_fail() -> None:
    """The presentation's own checks pass; ``credentials`` names the one that does not."""
    tampered = credential()
    tampered["credentialSubject"]["name"] = "Taro Yamada"
    report = verify(present(presentation(credential(OTHER), tampered)))
    failed(report, "credentials", "credential-not-verified")
    assert report.presentation.ok
    assert [r.ok for r in report.credentials] == [True, False]
    check = report.check("credentials")
    assert check is not None and check.details["failed"] == [{"index": 1, "checks": [
        "proof", "issuer"]}]
    assert "verifiableCredential[1]" in check.reason_en and "proof" in check.reason_en


def test_a_presentation_without_credentials_verifies() -> None:
    report = verify(present(presentation()))
    assert report.ok and report.credentials == ()


# --- presentations secured as a JWT (VC-JOSE-COSE §3.1.2, VC Data Model 1.1 §6.3.1) ---------

def _b64(value: Any) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vp_jwt(claims: Mapping[str, Any], *, key: KeyPair = HOLDER_KEY, kid: str = HOLDER_METHOD,
           typ: str = "vp+jwt") -> str:
    """A compact JWS over ``claims``, signed by ``key`` (EdDSA)."""
    signing_input = f"{_b64({'alg': 'EdDSA', 'kid': kid, 'typ': typ})}.{_b64(dict(claims))}"
    return f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"


def enveloped(token: str, media_type: str = "vp+jwt") -> dict[str, Any]:
    return {"@context": V2, "type": "EnvelopedVerifiablePresentation",
            "id": f"data:application/{media_type},{token}"}


def enveloped_credential(media_type: str = "vc+jwt", subject: str = HOLDER) -> dict[str, Any]:
    """The credential as a VC-JWT the issuer signed, enveloped (VC Data Model 2.0 §4.13.1)."""
    document = {name: value for name, value in credential(subject).items() if name != "proof"}
    token = vp_jwt(document, key=ISSUER_KEY, kid=did_key.verification_method_id(
        ISSUER_KEY.public_key), typ="vc+jwt")
    return {"@context": V2, "type": "EnvelopedVerifiableCredential",
            "id": f"data:application/{media_type},{token}"}


def v1_claims(*credentials: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """A VC 1.1 VP-JWT's claims: the presentation in ``vp``, the holder in ``iss``."""
    vp = {"@context": [V2], "type": ["VerifiablePresentation"],
          "verifiableCredential": [dict(c) for c in credentials]}
    return {"iss": HOLDER, "nonce": CHALLENGE, "aud": DOMAIN, "vp": vp, **extra}


@pytest.mark.parametrize("media_type", ["vp+jwt", "jwt"])
def test_an_enveloped_presentation_verifies_with_its_holders_key(media_type: str) -> None:
    """VC 2.0: the JWS payload is the presentation, nonce and aud answer the challenge and
    the domain, the holder signed; the enveloped VC-JWTs inside verify too."""
    document = presentation(enveloped_credential(), enveloped_credential("jwt"))
    token = vp_jwt({**document, "nonce": CHALLENGE, "aud": DOMAIN})
    report = verify(enveloped(token, media_type))
    assert report.ok, [c.to_dict() for c in report.checks if not c.passed]
    assert all(check.passed for check in report.checks)
    assert report.check("parse").details["format"] == "vp-jwt"  # type: ignore[union-attr]
    assert [r.ok for r in report.credentials] == [True, True]
    assert verify(token).ok  # the bare JWS too


def test_a_vc_1_1_vp_jwt_reads_its_holder_from_iss() -> None:
    """VC Data Model 1.1 §6.3.1: the vp claim is the presentation and iss its holder."""
    report = verify(vp_jwt(v1_claims(credential()), typ="JWT"))
    assert report.ok, [c.to_dict() for c in report.checks if not c.passed]
    assert report.check("holder").details["holder"] == HOLDER  # type: ignore[union-attr]


def test_a_presentation_jwt_changed_after_signing_fails_the_proof() -> None:
    head, _, signature = vp_jwt(v1_claims(credential())).rpartition(".")
    header = head.split(".")[0]
    claims = v1_claims(credential(OTHER))
    report = verify(enveloped(f"{header}.{_b64(claims)}.{signature}"))
    failed(report, "proof", "signature")


def test_a_presentation_jwt_binds_challenge_domain_and_holder() -> None:
    """Another nonce, another aud, another signer: each its own refusal."""
    failed(verify(vp_jwt(v1_claims(nonce="replayed"))), "challenge", "challenge-mismatch")
    failed(verify(vp_jwt(v1_claims(aud="elsewhere.example"))), "domain", "domain-mismatch")
    failed(verify(vp_jwt(v1_claims(), key=OTHER_KEY, kid=OTHER_METHOD)), "holder",
           "holder-mismatch")
    failed(verify(vp_jwt(v1_claims(exp=int(NOW.timestamp()) - 60))), "proof",
           "presentation-expired")


def test_a_tampered_enveloped_credential_in_a_presentation_is_not_verified() -> None:
    inner = enveloped_credential()
    head, _, signature = inner["id"].rpartition(".")
    inner["id"] = f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    report = verify(enveloped(vp_jwt({**presentation(inner), "nonce": CHALLENGE,
                                      "aud": DOMAIN})))
    failed(report, "credentials", "credential-not-verified")


@pytest.mark.parametrize("change", [
    {"@context": []}, {"@context": ["https://www.w3.org/ns/credentials/examples/v2"]},
    {"id": "not-a-data-url"}, {"type": ["VerifiablePresentation"]}],
    ids=["no-context", "other-context", "no-data-url", "other-type"])
def test_an_envelope_that_breaks_section_4_13_2_is_refused(change: dict[str, Any]) -> None:
    """VC Data Model 2.0 §4.13.2: the base context, a data: URL id, the type."""
    token = vp_jwt({**presentation(), "nonce": CHALLENGE, "aud": DOMAIN})
    assert verify(enveloped(token), challenge=None, domain=None).ok
    report = verify({**enveloped(token), **change}, challenge=None, domain=None)
    assert not report.ok
    assert report.check("parse").code == "unsupported-envelope"  # type: ignore[union-attr]


# --- presentations secured as an SD-JWT or a COSE_Sign1 (VC-JOSE-COSE §3.2.2, §3.3.2) -----

def secured(form: str, document: Mapping[str, Any], *, key: KeyPair = HOLDER_KEY,
            kid: str = HOLDER_METHOD, typ: str | None = None) -> str | bytes:
    """``document`` secured by ``key`` as a ``vp+sd-jwt`` (nothing disclosable) or an
    ``application/vp+cose`` COSE_Sign1."""
    if form == "sd-jwt":
        return sd_jwt.issue(document, key=key, kid=kid, disclosable=[],
                            typ=typ or "vp+sd-jwt")
    message = vc_cose.sign(document, key=key, kid=kid, presentation=typ is None)
    return message


def secured_envelope(form: str, value: str | bytes) -> dict[str, Any]:
    if isinstance(value, bytes):
        return enveloped(base64.b64encode(value).decode(), "vp+cose;base64")
    return enveloped(value, f"vp+{form}")


@pytest.mark.parametrize("form", ["sd-jwt", "cose"])
def test_a_presentation_secured_with_sd_jwt_or_cose_verifies_with_its_holders_key(
        form: str) -> None:
    """The payload is the presentation; its nonce and aud answer the challenge and domain,
    the holder's key (named by kid) signed; bare and enveloped alike, the enveloped VC-JWT
    inside verified too."""
    document = {**presentation(enveloped_credential()), "nonce": CHALLENGE, "aud": DOMAIN}
    value = secured(form, document)
    for given in (value, secured_envelope(form, value)):
        report = verify(given)
        assert report.ok, [c.to_dict() for c in report.checks if not c.passed]
        assert all(check.passed for check in report.checks)
        assert report.check("parse").details["format"] == f"vp-{form}"  # type: ignore[union-attr]
        assert report.check("holder").details["holder"] == HOLDER  # type: ignore[union-attr]
        assert [r.ok for r in report.credentials] == [True]


@pytest.mark.parametrize("form", ["sd-jwt", "cose"])
def test_a_presentation_secured_with_sd_jwt_or_cose_binds_what_it_signed(form: str) -> None:
    """Changed after signing, signed by another key, for another nonce or aud: refused."""
    document = {**presentation(), "nonce": CHALLENGE, "aud": DOMAIN}
    value = secured(form, document)
    if isinstance(value, bytes):
        changed = value.replace(DOMAIN.encode(), DOMAIN[:-1].encode() + b"X")  # the payload's aud
    else:
        jwt, _, rest = value.partition("~")
        header, _, signature = jwt.split(".")
        changed = f"{header}.{_b64({**document, 'holder': OTHER})}.{signature}~{rest}"
    assert changed != value
    failed(verify(changed), "proof", "signature")
    failed(verify(secured(form, document, key=OTHER_KEY, kid=OTHER_METHOD)), "holder",
           "holder-mismatch")
    failed(verify(secured(form, {**document, "nonce": "replayed"})), "challenge",
           "challenge-mismatch")
    failed(verify(secured(form, {**document, "aud": "elsewhere.example"})), "domain",
           "domain-mismatch")


@pytest.mark.parametrize("form", ["sd-jwt", "cose"])
def test_a_credential_secured_as_sd_jwt_or_cose_is_not_a_presentation(form: str) -> None:
    """The typ tells a presentation from a credential: vc+sd-jwt or vc+cose is refused."""
    value = secured(form, presentation(), typ="vc+sd-jwt")
    report = verify(value)
    failed(report, "parse", "not-a-presentation")
    named = {"sd-jwt": "SD-JWT's typ is 'vc+sd-jwt'",
             "cose": "COSE_Sign1's typ is 'application/vc+cose'"}[form]
    assert named in report.check("parse").reason_en  # type: ignore[union-attr]


def test_an_enveloped_cose_presentation_must_be_base64() -> None:
    report = verify(enveloped("not base64!", "vp+cose;base64"))
    failed(report, "parse", "unsupported-envelope")


# --- what is not a presentation -------------------------------------------------------------

@pytest.mark.parametrize(("given", "code"), [
    ("{not json", "not-json"),
    (b"\xff\xfe", "not-json"),
    ("[1, 2]", "not-an-object"),
    ('{"type": "VerifiablePresentation", "type": "X"}', "duplicate-key"),
    ("a presentation, honestly", "unsupported-format"),
    (42, "not-an-object"),
    ({"@context": [V2], "type": "EnvelopedVerifiablePresentation",
      "id": "data:application/vp+json,{}"}, "unsupported-envelope"),
    ({"@context": [V2], "type": "EnvelopedVerifiablePresentation",
      "id": "data:application/vp+jwt,eyJ.eyJ.c2ln"}, "not-json"),
])
def test_what_cannot_be_read_fails_the_parse_check(given: Any, code: str) -> None:
    report = verify(given)
    failed(report, "parse", code)
    assert all(check.skipped for check in report.checks[1:])


def test_a_nonconforming_document_is_not_verified() -> None:
    """The W3C suite's "MUST produce errors when non-conforming documents are detected"."""
    report = verify({"type": ["NonconformingDocument"]})
    assert not report.ok
    data_model = report.check("data-model")
    assert data_model is not None and data_model.failed
    locations = [p["location"] for p in data_model.details["problems"]]
    assert locations == ["@context", "type"]


def _conformance_inputs() -> list[Path]:
    if not CONFORMANCE.is_dir():
        return []
    return sorted(path for path in CONFORMANCE.glob("presentation-*.json")
                  if path.stem.endswith(("-ok", "-fail", "-fail-or-inject")))


@pytest.mark.parametrize("path", _conformance_inputs(), ids=lambda path: path.stem)
def test_the_w3c_presentation_inputs_pass_or_fail_the_data_model(path: Path) -> None:
    """VC DM 2.0 suite inputs: ``-ok`` presentations are well-formed; in the others, the
    presentation or a credential in it breaks the data model. (The suite signs the credentials;
    here they stay unsigned, so only the data model is judged.)"""
    report = verify(json.loads(path.read_text(encoding="utf-8")), challenge=None)
    check = report.check("data-model")
    assert check is not None
    inner = [c for r in report.credentials for c in r.checks
             if c.name in {"parse", "data-model"} and c.failed]
    if path.stem.endswith("-ok"):
        assert check.passed, check.details
    else:
        assert check.failed or inner, check.reason_en


def test_the_w3c_inputs_are_there_in_ci(shared_ref: Path) -> None:
    assert len(_conformance_inputs()) >= 20


# --- the report -----------------------------------------------------------------------------

def test_the_report_is_shaped_like_the_credential_result_plus_the_parts() -> None:
    """``verified``, ``checks``, ``errors``, ``warnings``, then the presentation's own result
    and one result per credential; titles speak of a presentation."""
    tampered = credential()
    tampered["credentialSubject"]["name"] = "Taro Yamada"
    result = verify(present(presentation(tampered)), domain=None).to_dict()
    assert set(result) == {"verified", "outcome", "authentic", "conformant", "strict", "checks",
                           "errors", "warnings", "presentationResult", "credentialResults"}
    assert result["verified"] is False and result["outcome"] == "not-verified"
    assert [error["check"] for error in result["errors"]] == ["credentials"]
    assert result["errors"][0]["title"] == "Credentials in the presentation"
    assert [w["code"] for w in result["warnings"]] == ["domain-not-compared"]
    own = result["presentationResult"]
    assert own["verified"] is True and "credentials" not in [c["check"] for c in own["checks"]]
    parse = own["checks"][0]
    assert parse["title"] == {"en": "Readable presentation", "ja": "プレゼンテーションの読み取り"}
    [inner] = result["credentialResults"]
    assert inner["verified"] is False and "meaning" in inner
    assert [error["check"] for error in inner["errors"]] == ["proof", "issuer"]
    json.dumps(result)


def test_a_naive_clock_is_the_callers_mistake() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        verify(present(presentation()), now=dt.datetime(2026, 6, 1))
