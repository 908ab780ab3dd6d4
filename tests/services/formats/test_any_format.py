"""The one verifier tells the format: a Verifiable Presentation given where a credential is
expected is verified as a presentation, and its report says so and holds each credential's."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest

from credstack.core.dids import did_key
from credstack.services.formats import detect, verify_any
from tests.core.proofs.cryptosuites.test_vc_cose import cose_sign1
from tests.signed_credentials import (
    HOLDER_KEY,
    KEY,
    METHOD,
    VALID_FROM,
    presentation,
    signed,
    tampered,
    unsigned,
)

NOW = VALID_FROM + dt.timedelta(days=30)


def _token(payload: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'EdDSA'})}.{part(payload)}.c2ln"


@pytest.mark.parametrize("given", [
    lambda: presentation(signed()),
    lambda: json.dumps(presentation(signed())),
    lambda: json.dumps(presentation(signed())).encode(),
    lambda: {"@context": ["https://www.w3.org/ns/credentials/v2"],
             "type": "EnvelopedVerifiablePresentation", "id": "data:application/vp+jwt,x"},
    lambda: _token({"vp": {"type": ["VerifiablePresentation"]}, "iss": "did:example:1"}),
])
def test_presentations_are_told_from_credentials(given: Any) -> None:
    """A JSON presentation (object, text, bytes), an enveloped one, a VP-JWT."""
    assert detect(given()) == "vp"


def test_a_credential_is_not_a_presentation() -> None:
    assert detect(signed()) == "vc"
    assert detect({**signed(), "type": ["VerifiablePresentation", "VerifiableCredential"]}) \
        == "vc"


def test_a_presentation_is_verified_as_one_with_each_credentials_report() -> None:
    """The report says it was a presentation, has the holder's checks, then one check per
    credential holding that credential's whole report; the meaning is the credential's."""
    report = verify_any(presentation(signed()), sources=None, now=NOW)
    assert report.ok, [check.to_dict() for check in report.failed]
    names = [check.name for check in report.checks]
    assert names == ["presentation", "parse", "data-model", "contexts", "proof", "challenge",
                     "domain", "holder", "credential[0]"]
    said = report.check("presentation")
    assert said is not None and said.reason_en.startswith("a Verifiable Presentation")
    enclosed = report.check("credential[0]")
    assert enclosed is not None and enclosed.details["report"]["verified"] is True
    assert [check["check"] for check in enclosed.details["report"]["checks"]][:2] == [
        "parse", "data-model"]
    assert report.meaning is not None and report.meaning.achievement_type == "MicroCredential"


def test_a_presentation_holding_a_tampered_credential_is_not_verified_naming_it() -> None:
    """The presentation's own checks pass; the tampered credential's check fails with its
    own report saying why."""
    report = verify_any(presentation(signed(), tampered()), sources=None, now=NOW)
    assert not report.ok
    assert [check.name for check in report.failed] == ["credential[1]"]
    failed = report.check("credential[1]")
    assert failed is not None and failed.reason_en.startswith("credential 2 of 2 (")
    assert "does not verify (proof)" in failed.reason_en
    inner = {check["check"]: check for check in failed.details["report"]["checks"]}
    assert inner["proof"]["code"] == "signature"
    assert report.meaning is None


def test_an_unsigned_presentation_verifies_its_credentials_with_a_warning() -> None:
    """Nobody asked a challenge: the credentials are verified, the missing proof is a
    warning."""
    report = verify_any(presentation(signed(), signed_by_holder=False), sources=None, now=NOW)
    assert report.ok
    assert ("proof", "unsigned-presentation") in [(name, notice.code)
                                                  for name, notice in report.warnings]


def test_a_presentation_without_credentials_has_nothing_to_verify() -> None:
    report = verify_any(presentation(), sources=None, now=NOW)
    assert [(check.name, check.code) for check in report.failed] == [
        ("credentials", "no-credentials")]


@pytest.mark.parametrize("envelope", [False, True], ids=["vp-jwt", "enveloped"])
def test_a_presentation_secured_as_a_jwt_is_verified_as_one(envelope: bool) -> None:
    """A VP-JWT (the holder's did:key signed it), bare or enveloped: a presentation report
    holding each credential's; changed after signing, the holder's signature fails."""
    vp = presentation(signed(), signed_by_holder=False)
    head = _part({"alg": "EdDSA", "typ": "vp+jwt",
                  "kid": did_key.verification_method_id(HOLDER_KEY.public_key)})
    body = _part(vp)
    token = f"{head}.{body}.{_b64(HOLDER_KEY.sign(f'{head}.{body}'.encode()))}"
    given: Any = token if not envelope else {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "type": "EnvelopedVerifiablePresentation", "id": f"data:application/vp+jwt,{token}"}
    report = verify_any(given, sources=None, now=NOW)
    assert report.ok, [check.to_dict() for check in report.failed]
    forged = f"{head}.{_part(presentation(tampered(), signed_by_holder=False))}." \
             f"{token.rpartition('.')[2]}"
    report = verify_any(forged, sources=None, now=NOW)
    assert ("proof", "signature") in [(check.name, check.code) for check in report.failed]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _part(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value).encode())


def test_a_cose_credential_is_verified_from_its_bytes_or_its_envelope() -> None:
    """VC-JOSE-COSE §3.3.1: the COSE_Sign1 bytes (as a file gives them) and the enveloped
    form; a byte changed after signing is refused by the proof."""
    data = cose_sign1(KEY, unsigned(), kid=METHOD)
    envelope = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "EnvelopedVerifiableCredential",
                "id": "data:application/vc+cose;base64," + base64.b64encode(data).decode()}
    for given in (data, envelope, json.dumps(envelope).encode()):
        assert detect(given) == "vc"
        report = verify_any(given, sources=None, now=NOW)
        assert report.ok, [check.to_dict() for check in report.failed]
    report = verify_any(data.replace(b"Hanako", b"Janako"), sources=None, now=NOW)
    assert ("proof", "signature") in [(check.name, check.code) for check in report.failed]
