"""Blockchain-anchored proofs (Blockcerts' MerkleProof2019): "cannot decide", never a bad
signature, and never verified."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.verification import VerificationReport, verify_credential
from credstack.words import words
from tests.signed_credentials import MERKLE_PROOF, VALID_FROM, blockcerts_v3, signed, unsigned

NOW = VALID_FROM + dt.timedelta(days=30)

def _verify(credential: Any) -> VerificationReport:
    def unreachable(method: str) -> Any:
        raise AssertionError(f"{method} was resolved: nothing is checked for an anchored proof")

    return verify_credential(credential, document_loader=shared_document_loader(),
                             resolve_verification_method=unreachable, fetch_status_list=None,
                             now=NOW, programme_lookup=lambda achievement: None, words=words)


@pytest.mark.parametrize("proof", [
    MERKLE_PROOF,
    {**MERKLE_PROOF, "type": "DataIntegrityProof", "cryptosuite": "merkle-proof-2019"},
])
def test_a_credential_anchored_on_a_blockchain_cannot_be_decided(proof: dict[str, Any]) -> None:
    """The proof check is undecided (ok None, cannot-decide), saying why; the credential is
    not verified, and no check calls it a bad signature."""
    report = _verify({**unsigned(), "proof": proof})
    check = report.check("proof")
    assert check is not None
    assert (check.ok, check.code, check.skipped) == (None, "cannot-decide", True)
    assert "cannot be checked offline" in check.reason_en
    assert "anchors it on a blockchain" in check.reason_en
    assert "オフラインでは確認できず" in check.reason_ja
    assert check.details["proofs"][0]["verificationMethod"] == MERKLE_PROOF["verificationMethod"]
    assert not report.ok
    assert "proof" not in [failed.name for failed in report.failed]
    assert all(failed.code != "signature" for failed in report.failed)
    errors = report.to_dict()["errors"]
    assert [error["code"] for error in errors if error["check"] == "proof"] == ["cannot-decide"]


@pytest.mark.parametrize("name", [["merkle-proof-2019"], {"merkle": 1}, 2019])
def test_a_cryptosuite_or_type_that_is_no_string_is_no_anchored_proof(name: Any) -> None:
    """Found by mutating credentials: such a proof is an unsupported one, not a crash."""
    for proof in ({**MERKLE_PROOF, "type": name},
                  {**MERKLE_PROOF, "type": "DataIntegrityProof", "cryptosuite": name}):
        check = _verify({**unsigned(), "proof": proof}).check("proof")
        assert check is not None and check.ok is False


def test_an_anchored_proof_beside_a_signature_is_skipped_and_the_signature_decides() -> None:
    """With an eddsa proof too, the credential verifies by it; the Merkle proof is a warning."""
    credential = signed()
    credential["proof"] = [credential["proof"], MERKLE_PROOF]
    report = _verify(credential)
    assert report.ok, [check.to_dict() for check in report.failed]
    proof = report.check("proof")
    assert proof is not None
    assert [notice.code for notice in proof.warnings] == ["proof-skipped"]


def test_a_proof_of_an_unknown_suite_is_still_refused() -> None:
    """Only anchoring proofs are undecidable: any other unknown suite fails the proof."""
    report = _verify({**unsigned(), "proof": {**MERKLE_PROOF, "type": "RsaSignature2018"}})
    proof = report.check("proof")
    assert proof is not None and (proof.ok, proof.code) == (False, "unsupported-proof")


def test_a_blockcerts_v3_credential_is_read_and_its_proof_cannot_be_decided() -> None:
    """Under the bundled Blockcerts v3 context (from Blockcerts' cert-schema) every context is
    known, so the credential is read through and the one undecided check is its proof."""
    credential = blockcerts_v3()
    report = _verify(credential)
    outcomes = {check.name: (check.ok, check.code) for check in report.checks
                if check.kind.value != "info"}
    assert outcomes["contexts"] == (True, None)
    assert outcomes["proof"] == (None, "cannot-decide")
    assert [check.name for check in report.failed] == []
    assert not report.ok
