"""Blockchain-anchored proofs (Blockcerts' MerkleProof2019): the receipt checked against the
credential, the anchor "cannot decide" — never a bad signature, and never verified."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import cbor2
import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto.multibase import decode_base58btc, encode_base58btc
from credstack.core.verification import VerificationReport, verify_credential
from credstack.core.verification.openbadges_v2 import verify_badge
from credstack.core.verification.presentations import PresentationReport, verify_presentation
from credstack.words import words
from tests.signed_credentials import (
    BLOCKCERTS_V2_ISSUER,
    MERKLE_PROOF,
    TRANSACTION,
    VALID_FROM,
    anchor_2019,
    blockcerts_v2,
    blockcerts_v3,
    merkle_proof_2019,
    presentation,
    signed,
    unsigned,
)

NOW = VALID_FROM + dt.timedelta(days=30)

def _verify(credential: Any) -> VerificationReport:
    def unreachable(method: str) -> Any:
        raise AssertionError(f"{method} was resolved: nothing is checked for an anchored proof")

    return verify_credential(credential, document_loader=shared_document_loader(),
                             resolve_verification_method=unreachable, fetch_status_list=None,
                             now=NOW, programme_lookup=lambda achievement: None, words=words)


@pytest.mark.parametrize("data_integrity", [False, True])
def test_a_credential_anchored_on_a_blockchain_cannot_be_decided(data_integrity: bool) -> None:
    """Its receipt holds (the credential's hash, the path to the root), and the anchor cannot
    be read offline: the proof check is undecided (ok None, cannot-decide), naming the
    transaction; the credential is not verified, and no check calls it a bad signature."""
    document = unsigned()
    report = _verify({**document, "proof": merkle_proof_2019(document,
                                                             data_integrity=data_integrity)})
    check = report.check("proof")
    assert check is not None
    assert (check.ok, check.code, check.skipped) == (None, "cannot-decide", True)
    assert "matches its" in check.reason_en and TRANSACTION in check.reason_en
    assert "can only be read from that blockchain" in check.reason_en
    assert "ブロックチェーンを参照しないため" in check.reason_ja
    assert check.missing is not None and check.missing.what == "blockchain"
    assert check.missing.url == f"blink:btc:testnet:{TRANSACTION}"
    assert check.details["proofs"][0]["verificationMethod"] == MERKLE_PROOF["verificationMethod"]
    assert not report.ok
    assert "proof" not in [failed.name for failed in report.failed]
    assert all(failed.code != "signature" for failed in report.failed)
    errors = report.to_dict()["errors"]
    assert [error["code"] for error in errors if error["check"] == "proof"] == ["cannot-decide"]


def test_a_credential_changed_after_it_was_anchored_fails() -> None:
    """One word changed after anchoring: its hash is no longer the receipt's."""
    document = unsigned()
    credential = {**document, "proof": merkle_proof_2019(document)}
    credential["credentialSubject"] = {**credential["credentialSubject"], "name": "Mallory"}
    check = _verify(credential).check("proof")
    assert check is not None and (check.ok, check.code) == (False, "merkle-hash")
    assert "changed after it was issued" in check.reason_en
    assert check.details["documentHash"] != check.details["targetHash"]


def test_a_receipt_whose_path_misses_its_root_fails() -> None:
    """The credential's hash is right but the path leads elsewhere than the root named."""
    document = unsigned()
    proof = merkle_proof_2019(document)
    receipt = cbor2.loads(decode_base58btc(proof["proofValue"]))
    receipt[0][1] = cbor2.dumps("00" * 32)
    credential = {**document, "proof": {**proof, "proofValue": encode_base58btc(
        cbor2.dumps(receipt))}}
    check = _verify(credential).check("proof")
    assert check is not None and (check.ok, check.code) == (False, "merkle-path")


def test_a_test_anchor_is_refused_as_never_anchored() -> None:
    """Blockcerts' "mocknet" anchor: the credential says itself it is on no blockchain."""
    document = unsigned()
    note = "This has not been issued on a blockchain and is for testing only"
    credential = {**document, "proof": merkle_proof_2019(
        document, anchors=[anchor_2019(chain=-1, network=note)])}
    check = _verify(credential).check("proof")
    assert check is not None and (check.ok, check.code) == (False, "merkle-test-anchor")
    assert "never written to a blockchain" in check.reason_en


def test_a_receipt_with_no_anchor_fails() -> None:
    document = unsigned()
    check = _verify({**document, "proof": merkle_proof_2019(document, anchors=[])}
                    ).check("proof")
    assert check is not None and (check.ok, check.code) == (False, "merkle-unanchored")


def test_a_proof_value_that_is_no_receipt_fails_and_names_the_suite() -> None:
    """MERKLE_PROOF's proofValue is base58 of bytes that are no CBOR receipt."""
    check = _verify({**unsigned(), "proof": MERKLE_PROOF}).check("proof")
    assert check is not None and (check.ok, check.code) == (False, "merkle-receipt-unreadable")
    assert "MerkleProof2019" in check.reason_en and "(encoding)" in check.reason_en


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


# --- a presentation anchored on a blockchain (Blockcerts' presentations) ---------------------


def _present(document: Any) -> PresentationReport:
    def unreachable(method: str) -> Any:
        raise AssertionError(f"{method} was resolved: no key signed an anchored presentation")

    return verify_presentation(document, challenge=None, domain=None,
                               document_loader=shared_document_loader(),
                               resolve_verification_method=unreachable,
                               verify_credential=_verify, now=NOW, words=words)


def _anchored_presentation(**options: Any) -> dict[str, Any]:
    document = presentation(signed(), signed_by_holder=False)
    return {**document, "proof": merkle_proof_2019(document, data_integrity=True, **options)}


def test_a_presentation_anchored_on_a_blockchain_cannot_be_decided() -> None:
    """Blockcerts anchors presentations as it anchors credentials: the receipt is checked
    against the presentation, the anchor cannot be read offline, so the proof check is
    undecided, not an unsupported suite; the credential inside is verified on its own; no key
    signed, so the holder is not confirmed."""
    report = _present(_anchored_presentation())
    proof = next(check for check in report.checks if check.name == "proof")
    assert (proof.ok, proof.code) == (None, "cannot-decide")
    assert TRANSACTION in proof.reason_en and proof.missing is not None
    assert "the presentation matches" in proof.reason_en and "提示者" in proof.reason_ja
    assert not report.ok
    assert [credential.ok for credential in report.credentials] == [True]
    assert "unsupported-proof" not in [check.code for check in report.checks]
    holder = next(check for check in report.checks if check.name == "holder")
    assert holder.ok is not True


def test_a_presentation_changed_after_it_was_anchored_fails() -> None:
    document = _anchored_presentation()
    document["holder"] = "did:example:someone-else"
    proof = next(check for check in _present(document).checks if check.name == "proof")
    assert (proof.ok, proof.code) == (False, "merkle-hash")
    assert "the presentation is not the one" in proof.reason_en


def test_a_presentation_on_a_test_anchor_is_refused_as_never_anchored() -> None:
    note = "This has not been issued on a blockchain and is for testing only"
    document = _anchored_presentation(anchors=[anchor_2019(chain=-1, network=note)])
    proof = next(check for check in _present(document).checks if check.name == "proof")
    assert (proof.ok, proof.code) == (False, "merkle-test-anchor")


# --- Blockcerts v2: an Open Badges 2.0 assertion anchored by a MerkleProof2017 -----------------


def _verify_v2(assertion: Any) -> VerificationReport:
    def fetch(url: str) -> bytes | None:
        assert url == BLOCKCERTS_V2_ISSUER["id"], url
        return json.dumps(BLOCKCERTS_V2_ISSUER).encode()

    return verify_badge(assertion, fetch=fetch, now=NOW, words=words,
                        document_loader=shared_document_loader())


def test_a_blockcerts_v2_certificate_is_recognised_and_its_anchor_cannot_be_decided() -> None:
    """Its receipt holds; the anchor (Bitcoin testnet) cannot be read offline; its Blockcerts
    terms (recipientProfile, signature, MerkleProofVerification2017) are no broken Open Badges
    2.0 extensions."""
    report = _verify_v2(blockcerts_v2())
    proof = report.check("proof")
    assert proof is not None and (proof.ok, proof.code) == (None, "cannot-decide")
    assert "Blockcerts 2.0 (MerkleProof2017)" in proof.reason_en
    assert proof.missing is not None
    assert proof.missing.url == f"blink:btc:testnet:{TRANSACTION}"
    data_model = report.check("data-model")
    assert data_model is not None and data_model.ok, data_model.to_dict()
    assert not report.ok and [check.name for check in report.failed] == []


def test_a_blockcerts_v2_certificate_changed_after_anchoring_fails() -> None:
    assertion = blockcerts_v2()
    assertion["badge"] = {**assertion["badge"], "name": "Certificate of Excellence"}
    proof = _verify_v2(assertion).check("proof")
    assert proof is not None and (proof.ok, proof.code) == (False, "merkle-hash")


def test_a_blockcerts_v2_receipt_that_misses_its_root_fails() -> None:
    assertion = blockcerts_v2()
    assertion["signature"] = {**assertion["signature"], "merkleRoot": "00" * 32}
    proof = _verify_v2(assertion).check("proof")
    assert proof is not None and (proof.ok, proof.code) == (False, "merkle-path")


def test_without_contexts_a_blockcerts_v2_receipt_cannot_be_decided() -> None:
    """A caller that gives no document loader: the receipt is not checked, and says why."""
    report = verify_badge(blockcerts_v2(), fetch=lambda url: None, now=NOW, words=words)
    proof = report.check("proof")
    assert proof is not None and (proof.ok, proof.code) == (None, "cannot-decide")
    assert proof.missing is not None and proof.missing.what == "context"
