"""W3C credentials secured with COSE through the credential pipeline (VC-JOSE-COSE §3.3.1):
the COSE_Sign1 as bytes or enveloped as ``data:application/vc+cose;base64,…``, the issuer's
did:key named by ``kid``; every later step runs on the payload's credential."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.verification import VerificationReport, verify_credential
from credstack.words import words
from tests.core.proofs.cryptosuites.test_vc_cose import cose_sign1
from tests.signed_credentials import ISSUER, KEY, METHOD, VALID_FROM, unsigned

NOW = VALID_FROM + dt.timedelta(days=30)


def _verify(given: Any) -> VerificationReport:
    def unreachable(method: str) -> Any:
        raise AssertionError(f"{method}: a did:key needs no resolver")

    return verify_credential(given, document_loader=shared_document_loader(),
                             resolve_verification_method=unreachable, fetch_status_list=None,
                             now=NOW, programme_lookup=lambda achievement: None, words=words)


def _enveloped(data: bytes) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "EnvelopedVerifiableCredential",
            "id": f"data:application/vc+cose;base64,{base64.b64encode(data).decode()}"}


def test_a_cose_credential_verifies_as_bytes_and_enveloped() -> None:
    data = cose_sign1(KEY, unsigned(), kid=METHOD)
    for given in (data, _enveloped(data)):
        report = _verify(given)
        assert report.ok, [check.to_dict() for check in report.failed]
        assert report.check("parse").details["format"] == "vc+cose"  # type: ignore[union-attr]
        proof = report.check("proof")
        assert proof is not None and proof.details["proofs"][0]["controller"] == ISSUER
        assert report.meaning is not None


def test_a_kid_that_is_a_fragment_names_a_key_of_the_issuer() -> None:
    report = _verify(cose_sign1(KEY, unsigned(), kid=f"#{METHOD.partition('#')[2]}"))
    assert report.ok, [check.to_dict() for check in report.failed]


def test_a_changed_credential_or_another_signer_is_not_verified() -> None:
    data = cose_sign1(KEY, unsigned(), kid=METHOD)
    forged = data.replace(b"Hanako", b"Taro__")
    assert forged != data
    report = _verify(forged)
    assert not report.ok and report.check("proof").code == "signature"  # type: ignore[union-attr]
    other = KeyPair.generate(KeyType.ED25519)
    report = _verify(cose_sign1(other, unsigned(), kid=METHOD))
    assert not report.ok and report.check("proof").code == "signature"  # type: ignore[union-attr]


def test_what_is_not_a_cose_credential_fails_the_parse_check() -> None:
    report = _verify(_enveloped(b"\x84\x40\xa0\xf6\x40"))
    assert report.check("parse").code == "not-a-credential"  # type: ignore[union-attr]
