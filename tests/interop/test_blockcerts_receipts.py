"""Blockcerts' MerkleProof2019 receipts against Blockcerts' own JavaScript, both ways.

``interop/js/blockcerts.mjs`` drives unmodified npm packages pinned in
``interop/js/package-lock.json``: ``@blockcerts/lds-merkle-proof-2019`` (Blockcerts' encoder
and decoder of the ``proofValue``, hashes as raw CBOR bytes where credstack's tests and
Blockcerts' Python issuer write hex text) and ``jsonld`` (jsonld.js, whose URDNA2015
``canonize`` Blockcerts' verifier hashes credentials with). Blockcerts' side hashes a batch
of credentials, builds their Merkle tree and encodes each one's receipt; credstack reads each
receipt, finds the credential's hash and the path to the root, and says the anchor cannot be
decided offline — and refuses a credential changed afterwards. Blockcerts' decoder reads the
receipts credstack's tests make.

Needs ``node`` and ``interop/js/node_modules`` (see ``test_js_reference``); skips without them,
fails instead when ``CREDSTACK_REQUIRE_NODE=1``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.proofs.blockcerts import receipt_2019
from credstack.core.verification import VerificationReport, verify_credential
from credstack.words import words
from tests.interop.test_js_reference import JS, Node, node
from tests.signed_credentials import MERKLE_PROOF, TRANSACTION, blockcerts_v3, unsigned

__all__ = ["node"]  # the fixture, shared with the Digital Bazaar tests

ANCHOR = f"blink:btc:testnet:{TRANSACTION}"
#: Contexts the credentials use that the reference's packages do not hold.
EXTRA_URLS = ("https://w3id.org/blockcerts/v3", "https://w3id.org/credstack/mc/v1")
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def batch(node: Node) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Three credentials without proof, and what Blockcerts' side made of them as a batch."""
    if not (JS / "node_modules" / "@blockcerts" / "lds-merkle-proof-2019").is_dir():
        pytest.fail("interop/js/node_modules lacks @blockcerts/lds-merkle-proof-2019 while the "
                    "reference is installed; run `npm ci --prefix interop/js`")
    loader = shared_document_loader()
    blockcerts = {key: value for key, value in blockcerts_v3().items() if key != "proof"}
    documents = [blockcerts, unsigned(), {**unsigned(), "id": "urn:uuid:0d9c1e7a-2b"}]
    made = node.run("blockcerts.mjs", {
        "extraContexts": {url: loader(url, {})["document"] for url in EXTRA_URLS},
        "anchor": ANCHOR, "documents": documents,
        "decode": [blockcerts_v3()["proof"]["proofValue"]]})
    return documents, made


def _verify(credential: Any) -> VerificationReport:
    def unreachable(method: str) -> Any:
        raise AssertionError(f"{method} was resolved: nothing is for an anchored proof")

    return verify_credential(credential, document_loader=shared_document_loader(),
                             resolve_verification_method=unreachable, fetch_status_list=None,
                             now=NOW, programme_lookup=lambda achievement: None, words=words)


def test_receipts_blockcerts_encodes_are_read_and_lead_to_its_root(
        batch: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
    """Each credential of the batch: credstack reads Blockcerts' receipt (hashes as bytes),
    finds the credential's hash as jsonld.js computed it, and the path to the batch's root;
    the anchor is what cannot be decided."""
    documents, made = batch
    for document, value, target in zip(documents, made["proofValues"], made["targetHashes"],
                                       strict=True):
        receipt = receipt_2019(value)
        assert (receipt.target_hash, receipt.merkle_root) == (target, made["merkleRoot"])
        assert [anchor.uri for anchor in receipt.anchors] == [ANCHOR]
        report = _verify({**document, "proof": {**MERKLE_PROOF, "proofValue": value}})
        proof = report.check("proof")
        assert proof is not None and (proof.ok, proof.code) == (None, "cannot-decide"), \
            proof.to_dict()
        assert proof.missing is not None and proof.missing.url == ANCHOR


def test_a_credential_changed_after_blockcerts_anchored_it_is_refused(
        batch: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
    documents, made = batch
    changed = {**documents[0], "credentialSubject": {
        **documents[0]["credentialSubject"], "name": "Mallory"}}
    report = _verify({**changed, "proof": {**MERKLE_PROOF,
                                           "proofValue": made["proofValues"][0]}})
    proof = report.check("proof")
    assert proof is not None and (proof.ok, proof.code) == (False, "merkle-hash")


def test_blockcerts_reads_the_receipts_credstack_s_tests_make(
        batch: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
    """Hashes as hex text (as Blockcerts' Python encoder writes them): its decoder agrees."""
    _, made = batch
    receipt = receipt_2019(blockcerts_v3()["proof"]["proofValue"])
    decoded = made["decoded"][0]
    assert decoded["targetHash"] == receipt.target_hash
    assert decoded["merkleRoot"] == receipt.merkle_root
    assert [(side, hash_) for step in decoded["path"] for side, hash_ in step.items()] == \
        list(receipt.path)
    assert decoded["anchors"] == [ANCHOR]
