"""Proofs that anchor a credential on a blockchain: the receipt checked against the document,
the anchor said to be undecidable offline.

*MerkleProof2019* — W3C Credentials Community Group draft "Merkle Proof Signature Suite
2019" — https://w3c-ccg.github.io/lds-merkleproof2019/ — the proof of Blockcerts v3
credentials (https://www.blockcerts.org/, ``type: "MerkleProof2019"``; newer issuers write it
as a ``DataIntegrityProof`` with ``cryptosuite: "merkle-proof-2019"``). Its ``proofValue``
holds a Merkle receipt (:mod:`credstack.core.proofs.blockcerts`): the credential's hash, the
path from it to a root, and the blockchain transaction the issuer wrote the root into.

What can be checked offline is checked: the receipt is readable, the credential's hash is
the receipt's (a credential changed after it was anchored fails here), and the path leads to
the root. Whether that transaction exists, and was sent from the issuer's address, can only
be read from the blockchain: credstack reads nothing from the network while verifying, so it
cannot decide. That is not a bad signature, and the ``proof`` check says so: neither passed
nor failed (``ok = None``, code ``cannot-decide``, the anchor named as what is missing). A
"mocknet" anchor — Blockcerts' test mode, written on no blockchain — fails: the credential
says itself that it was never anchored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from credstack.core.crypto.canonicalization import DocumentLoader
from credstack.core.proofs.blockcerts import (
    Anchor,
    Receipt,
    ReceiptError,
    document_hash,
    reaches_root,
    receipt_2017,
    receipt_2019,
)
from credstack.core.said import Said
from credstack.core.verification.checks import Refusal, failed, refused, undecided
from credstack.core.verification.proofs import attempt
from credstack.core.verification.reading import Subject
from credstack.core.verification.report import Check, Missing, Notice

__all__ = ["ANCHORED_CRYPTOSUITES", "ANCHORED_TYPES", "BLOCKCERTS_V2", "anchored",
           "check_anchored", "check_receipt_2017"]

#: Proof types that anchor a credential on a blockchain.
ANCHORED_TYPES: Final = frozenset({"MerkleProof2019"})
#: ``DataIntegrityProof`` cryptosuites that do.
ANCHORED_CRYPTOSUITES: Final = frozenset({"merkle-proof-2019"})
#: How a Blockcerts v2 certificate's proof is named where it is spoken of.
BLOCKCERTS_V2: Final = "Blockcerts 2.0 (MerkleProof2017)"


def anchored(proofs: Sequence[Any]) -> list[Mapping[str, Any]]:
    """The proofs among ``proofs`` that anchor the credential on a blockchain."""
    # A type or cryptosuite that is not a string (a list, an object) is no anchored proof,
    # and cannot be looked up in a set.
    return [proof for proof in proofs if isinstance(proof, Mapping) and (
        _named(proof.get("type"), ANCHORED_TYPES)
        or (proof.get("type") == "DataIntegrityProof"
            and _named(proof.get("cryptosuite"), ANCHORED_CRYPTOSUITES)))]


def _named(value: Any, names: frozenset[str]) -> bool:
    return isinstance(value, str) and value in names


def check_anchored(credential: Mapping[str, Any], proofs: Sequence[Mapping[str, Any]], *,
                   document_loader: DocumentLoader, subject: Subject,
                   warnings: Sequence[Notice] = ()) -> Check:
    """The ``proof`` check of a credential secured only by blockchain-anchored ``proofs``
    (the first one's receipt is checked)."""
    proof = proofs[0]
    suite = f"Blockcerts ({proof.get('cryptosuite') or proof.get('type')})"
    described = [{"type": item.get("type"), "cryptosuite": item.get("cryptosuite"),
                  "verificationMethod": item.get("verificationMethod"),
                  "created": item.get("created")} for item in proofs]
    try:
        receipt = receipt_2019(proof.get("proofValue"))
    except ReceiptError as error:
        return failed("proof", "merkle-receipt-unreadable",
                      Said("verification.check.proof.merkle.unreadable", suite=suite,
                           part=error.code), warnings=warnings, proofs=described)
    return _receipt_check(credential, receipt, "proof", suite, document_loader, subject,
                          warnings, {"proofs": described})


def check_receipt_2017(assertion: Mapping[str, Any], *, document_loader: DocumentLoader,
                       subject: Subject, suite: str) -> Check:
    """The ``proof`` check of a Blockcerts v2 certificate (an Open Badges 2.0 assertion whose
    ``signature`` is a MerkleProof2017 receipt); ``suite`` names it in what is said."""
    signature = assertion.get("signature")
    if not isinstance(signature, Mapping):
        return failed("proof", "merkle-receipt-unreadable",
                      Said("verification.check.proof.merkle.unreadable", suite=suite,
                           part="signature"))
    try:
        receipt = receipt_2017(signature)
    except ReceiptError as error:
        return failed("proof", "merkle-receipt-unreadable",
                      Said("verification.check.proof.merkle.unreadable", suite=suite,
                           part=error.code))
    return _receipt_check(assertion, receipt, "signature", suite, document_loader, subject,
                          (), {"proofs": [{"type": "MerkleProof2017"}]})


def _receipt_check(document: Mapping[str, Any], receipt: Receipt, member: str, suite: str,
                   loader: DocumentLoader, subject: Subject, warnings: Sequence[Notice],
                   details: dict[str, Any]) -> Check:
    details = {**details, "targetHash": receipt.target_hash, "merkleRoot": receipt.merkle_root,
               "anchors": [anchor.uri for anchor in receipt.anchors]}
    try:
        found = attempt(lambda: document_hash(document, without=member,
                                              document_loader=loader), subject)
    except Refusal as refusal:
        return refused("proof", refusal, warnings)
    if found != receipt.target_hash:
        return failed("proof", "merkle-hash",
                      Said(f"{subject.anchored}.changed", suite=suite),
                      warnings=warnings, **details, documentHash=found)
    if not reaches_root(receipt):
        return failed("proof", "merkle-path",
                      Said(f"{subject.anchored}.path", suite=suite),
                      warnings=warnings, **details)
    anchor = _first_anchor(receipt.anchors)
    if anchor is None:
        return failed("proof", "merkle-unanchored",
                      Said(f"{subject.anchored}.no_anchor", suite=suite),
                      warnings=warnings, **details)
    if anchor.chain == "mocknet":
        return failed("proof", "merkle-test-anchor",
                      Said(f"{subject.anchored}.test_anchor", suite=suite),
                      warnings=warnings, **details)
    return undecided("proof", "cannot-decide",
                     Said(f"{subject.anchored}.anchored", suite=suite,
                          chain=" ".join(filter(None, (anchor.chain, anchor.network))),
                          transaction=anchor.transaction),
                     "", Missing("blockchain", "unsupported", anchor.uri, anchor.uri),
                     warnings=warnings, **details)


def _first_anchor(anchors: Sequence[Anchor]) -> Anchor | None:
    return anchors[0] if anchors else None
