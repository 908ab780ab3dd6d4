"""Blockcerts' Merkle receipts: read from a MerkleProof2019 ``proofValue`` or a MerkleProof2017
``signature``, walked to their root, and the document hashed as Blockcerts hashes it."""

from __future__ import annotations

import contextlib
import hashlib
from typing import Any

import cbor2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyld import jsonld

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto.multibase import encode_base58btc
from credstack.core.proofs.blockcerts import (
    Anchor,
    ReceiptError,
    document_hash,
    reaches_root,
    receipt_2017,
    receipt_2019,
)
from tests.signed_credentials import (
    SIBLINGS,
    TRANSACTION,
    anchor_2019,
    blockcerts_v3,
    encode_merkle_proof_2019,
    merkle_root,
    unsigned,
)

TARGET = hashlib.sha256(b"a credential").hexdigest()
PATH = [("left", SIBLINGS[0]), ("right", SIBLINGS[1])]


def test_a_merkle_proof_2019_receipt_is_read_whole() -> None:
    value = encode_merkle_proof_2019(TARGET, PATH, [anchor_2019()])
    receipt = receipt_2019(value)
    assert receipt.target_hash == TARGET
    assert receipt.merkle_root == merkle_root(TARGET, PATH)
    assert receipt.path == tuple(PATH)
    assert receipt.anchors == (Anchor("btc", "testnet", TRANSACTION),)
    assert receipt.anchors[0].uri == f"blink:btc:testnet:{TRANSACTION}"
    assert reaches_root(receipt)


@pytest.mark.parametrize(("anchor", "expected"), [
    (anchor_2019(0, 1), Anchor("btc", "mainnet", TRANSACTION)),
    (anchor_2019(1, 11155111, "0x1f61"), Anchor("eth", "sepolia", "0x1f61")),
    (anchor_2019(-1, "for testing only"), Anchor("mocknet", None, "for testing only")),
])
def test_each_chain_blockcerts_anchors_on_is_named(anchor: Any, expected: Anchor) -> None:
    assert receipt_2019(encode_merkle_proof_2019(TARGET, [], [anchor])).anchors == (expected,)


def test_a_path_that_leads_elsewhere_does_not_reach_the_root() -> None:
    receipt = receipt_2019(encode_merkle_proof_2019(TARGET, PATH, [anchor_2019()],
                                                    root="ab" * 32))
    assert not reaches_root(receipt)
    swapped = receipt_2019(encode_merkle_proof_2019(
        TARGET, [("right", SIBLINGS[0]), ("right", SIBLINGS[1])], [anchor_2019()],
        root=merkle_root(TARGET, PATH)))
    assert not reaches_root(swapped), "each sibling's side counts"


def test_a_lone_leaf_is_its_own_root() -> None:
    """A batch of one: no path, the root is the credential's hash."""
    assert reaches_root(receipt_2019(encode_merkle_proof_2019(TARGET, [], [anchor_2019()])))


@pytest.mark.parametrize(("value", "code"), [
    (None, "encoding"),
    ("abc", "encoding"),
    ("z0OIl", "encoding"),
    (encode_base58btc(b"\xff\xff"), "encoding"),
    (encode_base58btc(cbor2.dumps({"merkleRoot": 1})), "encoding"),
    (encode_base58btc(cbor2.dumps([[0, cbor2.dumps("ab" * 32)]])), "target-hash"),
    (encode_base58btc(cbor2.dumps([[1, cbor2.dumps("zz" * 32)]])), "target-hash"),
    (encode_base58btc(cbor2.dumps([[1, cbor2.dumps(TARGET)], [0, b"\x01"]])), "merkle-root"),
    (encode_base58btc(cbor2.dumps([[1, cbor2.dumps(TARGET)], [0, cbor2.dumps(TARGET)],
                                   [3, [[2, cbor2.dumps(TARGET)]]]])), "path"),
    (encode_base58btc(cbor2.dumps([[1, cbor2.dumps(TARGET)], [0, cbor2.dumps(TARGET)],
                                   [2, [[[0, 7], [1, 1]]]]])), "anchors"),
    (encode_base58btc(cbor2.dumps([[1, cbor2.dumps(TARGET)], [0, cbor2.dumps(TARGET)],
                                   [2, [[[0, 0], [1, 99], [2, cbor2.dumps("tx")]]]]])),
     "anchors"),
])
def test_an_unreadable_receipt_says_which_part(value: Any, code: str) -> None:
    with pytest.raises(ReceiptError) as raised:
        receipt_2019(value)
    assert raised.value.code == code


@given(st.binary(max_size=200))
def test_any_bytes_are_a_receipt_or_a_receipt_error(data: bytes) -> None:
    """Found by fuzzing: nothing but :class:`ReceiptError` escapes the decoder."""
    with contextlib.suppress(ReceiptError):
        receipt_2019(encode_base58btc(data))


def test_a_merkle_proof_2017_signature_is_read() -> None:
    """Blockcerts v2: the Chainpoint receipt as JSON; an anchor without a chain is Bitcoin's."""
    signature = {"type": ["MerkleProof2017", "Extension"], "targetHash": TARGET,
                 "merkleRoot": merkle_root(TARGET, PATH),
                 "proof": [{"left": SIBLINGS[0]}, {"right": SIBLINGS[1]}],
                 "anchors": [{"sourceId": TRANSACTION, "type": "BTCOpReturn"},
                             {"sourceId": "0x1", "type": "ETHData", "chain": "ethereumRopsten"}]}
    receipt = receipt_2017(signature)
    assert reaches_root(receipt)
    assert receipt.anchors == (Anchor("btc", None, TRANSACTION), Anchor("eth", "ropsten", "0x1"))
    for broken, code in [({**signature, "proof": [{"up": SIBLINGS[0]}]}, "path"),
                         ({**signature, "anchors": [{"type": "BTCOpReturn"}]}, "anchors"),
                         ({**signature, "targetHash": "12"}, "target-hash")]:
        with pytest.raises(ReceiptError) as raised:
            receipt_2017(broken)
        assert raised.value.code == code


def test_the_document_hash_is_that_of_its_urdna2015_nquads_without_the_proof() -> None:
    """Checked against PyLD's own normalize (not credstack's canonicalizer)."""
    credential = blockcerts_v3()
    unsigned_document = {key: value for key, value in credential.items() if key != "proof"}
    nquads = jsonld.normalize(unsigned_document, {
        "algorithm": "URDNA2015", "format": "application/n-quads",
        "documentLoader": shared_document_loader()})
    assert document_hash(credential, without="proof",
                         document_loader=shared_document_loader()) == \
        hashlib.sha256(nquads.encode()).hexdigest()


def test_a_base_direction_is_left_out_as_blockcerts_leaves_it_out() -> None:
    """jsonld.js without ``rdfDirection`` (Blockcerts' verifier) keeps a directed value's
    language and drops its direction: the hash is that of the same value undirected."""
    document = unsigned()
    directed = {**document, "name": {"@value": "شهادة", "@language": "ar", "@direction": "rtl"}}
    undirected = {**document, "name": {"@value": "شهادة", "@language": "ar"}}
    loader = shared_document_loader()
    assert document_hash(directed, without="proof", document_loader=loader) == \
        document_hash(undirected, without="proof", document_loader=loader)
