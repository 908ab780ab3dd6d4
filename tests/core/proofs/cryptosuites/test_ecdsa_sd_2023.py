"""ecdsa-sd-2023: both vc-di-ecdsa vectors step by step (issuer, holder, verifier), the
disclosure refused once anything in it changes, the proof values it reads and refuses."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import cbor2
import pytest

from credstack.core.crypto import KeyPair, KeyType, rdfc
from credstack.core.crypto.canonicalization import jsonld_compact, jsonld_expand, jsonld_to_rdf
from credstack.core.crypto.multibase import decode_base64url, encode_base64url
from credstack.core.crypto.multikey import decode_public_key, public_key_bytes
from credstack.core.dids import did_key
from credstack.core.proofs import data_integrity
from credstack.core.proofs.cryptosuites import ecdsa_sd_2023
from credstack.core.proofs.cryptosuites import selective_disclosure as sd
from credstack.core.proofs.cryptosuites._ecdsa_sd_values import (
    DERIVED_HEADER,
    parse_base,
    parse_derived,
    serialize_base,
    serialize_derived,
    serialize_sign_data,
)
from credstack.core.said import Said
from credstack.errors import BaseProofError, MalformedCredentialError, SignatureError
from credstack.words import error_words, words
from tests.core.proofs.vectors import SD_VECTORS, ContextLoader, SdVector, sd_key_material
from tests.words import raises_saying

VECTORS = pytest.mark.parametrize("vector", SD_VECTORS, ids=lambda v: v.name)
_UUID = re.compile(r"_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_")


def _transform(vector: SdVector, shared_ref: Path,
               loader: ContextLoader) -> ecdsa_sd_2023.BaseTransform:
    return ecdsa_sd_2023.transform(
        vector.unsigned(shared_ref), vector.options(shared_ref),
        mandatory_pointers=vector.pointers(shared_ref, "mandatory"), document_loader=loader,
        hmac_key=sd_key_material(shared_ref)[2])


def _hashes(vector: SdVector, shared_ref: Path,
            loader: ContextLoader) -> ecdsa_sd_2023.BaseHashData:
    config = ecdsa_sd_2023.configure(vector.unsigned(shared_ref), vector.options(shared_ref),
                                     document_loader=loader)
    return ecdsa_sd_2023.hash_data(_transform(vector, shared_ref, loader), config)


def _verify(document: dict[str, Any], loader: ContextLoader) -> None:
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    ecdsa_sd_2023.verify_proof(
        unsecured, document["proof"], document_loader=loader,
        public_key=did_key.resolve_public_key(document["proof"]["verificationMethod"]))


def _skolem(text: str) -> str:
    """Skolem IDs carry a random UUID; the vectors' and ours differ only there."""
    return _UUID.sub("_UUID_", text)


# --- issuer ------------------------------------------------------------------------------------

@VECTORS
def test_the_canonical_document_and_its_hmac_labels_match_the_vector(
        shared_ref: Path, loader: ContextLoader, vector: SdVector) -> None:
    """RDFC-1.0 gives the vector's canonical N-Quads; each c14n label replaced by the
    base64url HMAC of it under the vector's key, and sorted again, gives its HMAC N-Quads."""
    quads = jsonld_to_rdf(jsonld_expand(vector.unsigned(shared_ref), document_loader=loader))
    assert rdfc.nquads(quads, rdfc.canonical_labels(quads)) == vector.json(
        shared_ref, "addBaseDocCanon.json")
    hmac_key = sd_key_material(shared_ref)[2]
    nquads, label_map = sd.label_replacement_canonicalize(quads, sd.hmac_label_map(hmac_key))
    assert nquads == vector.json(shared_ref, "addBaseDocHMACCanon.json")
    published = {label for _, label in vector.map(shared_ref, "derivedAllGroupData.json",
                                                  "labelMap")}
    assert {label.removeprefix("_:") for label in label_map.values()} == published


@VECTORS
def test_the_base_transformation_groups_the_statements_as_the_vector_does(
        shared_ref: Path, loader: ContextLoader, vector: SdVector) -> None:
    """Base Proof Transformation: the statements the mandatory pointers select, and the
    others, with their indexes among all canonical statements."""
    transformed = _transform(vector, shared_ref, loader)
    assert transformed.mandatory_pointers == tuple(vector.pointers(shared_ref, "mandatory"))
    assert [[index, nquad] for index, nquad in transformed.mandatory.items()] == vector.map(
        shared_ref, "addBaseTransform.json", "mandatory")
    assert [[index, nquad] for index, nquad in transformed.non_mandatory.items()] == vector.map(
        shared_ref, "addBaseTransform.json", "nonMandatory")


@VECTORS
def test_the_proof_configuration_and_the_hashes_match_the_vector(
        shared_ref: Path, loader: ContextLoader, vector: SdVector) -> None:
    """Base Proof Configuration and Hashing: the canonical proof options, their SHA-256 and
    the SHA-256 of the mandatory statements."""
    config = ecdsa_sd_2023.configure(vector.unsigned(shared_ref), vector.options(shared_ref),
                                     document_loader=loader)
    assert config.decode() == vector.text(shared_ref, "addProofConfigCanon.txt")
    hashes = _hashes(vector, shared_ref, loader)
    published = vector.json(shared_ref, "addHashData.json")
    assert hashes.proof_hash.hex() == published["proofHash"]
    assert hashes.mandatory_hash.hex() == published["mandatoryHash"]


@VECTORS
def test_the_published_base_proof_value_holds_the_published_components(
        shared_ref: Path, vector: SdVector) -> None:
    """parseBaseProofValue reads the published base proof into the published signatures,
    proof-scoped key, HMAC key and mandatory pointers; serializing them gives it back."""
    proof_value = vector.base(shared_ref)["proof"]["proofValue"]
    assert proof_value.startswith("u2V0A")  # 'u', then d9 5d 00
    value = parse_base(proof_value)
    raw = vector.json(shared_ref, "addRawBaseSignatureInfo.json")
    _, scoped, hmac_key = sd_key_material(shared_ref)
    assert value.base_signature.hex() == raw["baseSignature"]
    assert value.public_key == public_key_bytes(decode_public_key(raw["publicKey"]))
    assert value.public_key == public_key_bytes(scoped.public_key)
    assert value.hmac_key == hmac_key
    assert [signature.hex() for signature in value.signatures] == raw["signatures"]
    assert list(value.mandatory_pointers) == raw["mandatoryPointers"]
    assert serialize_base(value) == proof_value


@VECTORS
def test_the_published_base_signatures_verify(shared_ref: Path, loader: ContextLoader,
                                              vector: SdVector) -> None:
    """The issuer's key signed the proof hash, the proof-scoped key and the mandatory hash;
    the proof-scoped key signed each non-mandatory statement, in order."""
    value = parse_base(vector.base(shared_ref)["proof"]["proofValue"])
    issuer, scoped, _ = sd_key_material(shared_ref)
    hashes = _hashes(vector, shared_ref, loader)
    issuer.public_key.verify(value.base_signature, serialize_sign_data(
        hashes.proof_hash, value.public_key, hashes.mandatory_hash))
    statements = list(hashes.transform.non_mandatory.values())
    assert len(statements) == len(value.signatures)
    for signature, statement in zip(value.signatures, statements, strict=True):
        scoped.public_key.verify(signature, statement.encode())


@VECTORS
def test_serializing_the_base_proof_gives_the_published_one_but_for_fresh_signatures(
        shared_ref: Path, loader: ContextLoader, vector: SdVector) -> None:
    """Base Proof Serialization with the vector's keys: ECDSA is randomized, so the signatures
    are new; everything else is the published proof value, and the new signatures verify."""
    issuer, scoped, _ = sd_key_material(shared_ref)
    hashes = _hashes(vector, shared_ref, loader)
    ours = parse_base(ecdsa_sd_2023.serialize_base_proof(hashes, key=issuer,
                                                         proof_scoped_key=scoped))
    published = parse_base(vector.base(shared_ref)["proof"]["proofValue"])
    assert (ours.public_key, ours.hmac_key, ours.mandatory_pointers) == (
        published.public_key, published.hmac_key, published.mandatory_pointers)
    assert ours.base_signature != published.base_signature
    issuer.public_key.verify(ours.base_signature, serialize_sign_data(
        hashes.proof_hash, ours.public_key, hashes.mandatory_hash))
    for signature, statement in zip(ours.signatures, hashes.transform.non_mandatory.values(),
                                    strict=True):
        scoped.public_key.verify(signature, statement.encode())


@VECTORS
def test_create_proof_makes_a_base_proof_the_holder_can_derive_from(
        shared_ref: Path, loader: ContextLoader, vector: SdVector) -> None:
    """Create Base Proof with fresh HMAC and proof-scoped keys: the published proof options,
    the issuer's mandatory pointers; deriving the holder's disclosure from it gives the
    published revealed document, and its derived proof verifies."""
    issuer = sd_key_material(shared_ref)[0]
    proof = ecdsa_sd_2023.create_proof(
        vector.unsigned(shared_ref), vector.options(shared_ref), key=issuer,
        document_loader=loader, mandatory_pointers=vector.pointers(shared_ref, "mandatory"))
    published = vector.base(shared_ref)
    assert {**proof, "proofValue": ""} == {**published["proof"], "proofValue": ""}
    base = parse_base(proof["proofValue"])
    assert base.hmac_key != sd_key_material(shared_ref)[2]
    derived = ecdsa_sd_2023.derive(
        {**vector.unsigned(shared_ref), "proof": proof},
        selective_pointers=vector.pointers(shared_ref, "selective"), document_loader=loader)
    expected = vector.derived(shared_ref)
    assert {**derived, "proof": None} == {**expected, "proof": None}
    _verify(derived, loader)


# --- holder ------------------------------------------------------------------------------------

@VECTORS
def test_skolemization_and_grouping_match_the_vector(shared_ref: Path, loader: ContextLoader,
                                                     vector: SdVector) -> None:
    """canonicalizeAndGroup: the skolemized compact document (urn:bnid: IDs, numbered as the
    reference numbers them), and for the mandatory, selective and combined pointers the
    statements each selects, by index, with the selection's deskolemized N-Quads."""
    unsigned = vector.unsigned(shared_ref)
    skolemized = sd.skolemize(jsonld_expand(unsigned, document_loader=loader))
    compact = jsonld_compact(skolemized, unsigned["@context"], document_loader=loader)
    published = vector.json(shared_ref, "derivedAllGroupData.json")
    assert _skolem(repr(compact)) == _skolem(repr(published["skolemized"]["compact"]))
    mandatory = vector.pointers(shared_ref, "mandatory")
    selective = vector.pointers(shared_ref, "selective")
    grouping = sd.canonicalize_and_group(
        unsigned, sd.hmac_label_map(sd_key_material(shared_ref)[2]),
        {"mandatory": mandatory, "selective": selective, "combined": mandatory + selective},
        document_loader=loader)
    assert grouping.nquads == published["nquads"]
    indexes = vector.json(shared_ref, "derivedGroupIndexes.json")
    assert list(grouping.groups["mandatory"].matching) == indexes["mandatoryIndexes"]
    assert list(grouping.groups["mandatory"].non_matching) == indexes["nonMandatoryIndexes"]
    assert list(grouping.groups["selective"].matching) == indexes["selectiveIndexes"]
    assert list(grouping.groups["combined"].matching) == indexes["combinedIndexes"]
    for name, group in grouping.groups.items():
        assert [[i, nquad] for i, nquad in group.matching.items()] == vector.map(
            shared_ref, "derivedAllGroupData.json", "groups", name, "matching")
        assert [[i, nquad] for i, nquad in group.non_matching.items()] == vector.map(
            shared_ref, "derivedAllGroupData.json", "groups", name, "nonMatching")
        assert {_skolem(nquad) for nquad in rdfc.nquads(group.deskolemized, {})} == {
            _skolem(nquad) for nquad in published["groups"][name]["deskolemizedNQuads"]}


@VECTORS
def test_disclosure_data_matches_the_vector(shared_ref: Path, loader: ContextLoader,
                                            vector: SdVector) -> None:
    """createDisclosureData: the mandatory indexes relative to what is revealed, the
    signatures of the selected statements, the label map from the verifier's canonical
    labels to the HMAC labels, and the revealed document."""
    base = vector.base(shared_ref)
    data = ecdsa_sd_2023.disclosure_data(
        vector.unsigned(shared_ref), base["proof"], vector.pointers(shared_ref, "selective"),
        document_loader=loader)
    assert list(data.value.mandatory_indexes) == vector.json(
        shared_ref, "derivedAdjMandatoryIndexes.json")["adjMandatoryIndexes"]
    adjusted = vector.json(shared_ref, "derivedAdjSignatures.json")
    assert [signature.hex() for signature in data.value.signatures] == adjusted[
        "filteredSignatures"]
    all_signatures = parse_base(base["proof"]["proofValue"]).signatures
    assert [all_signatures.index(s) for s in data.value.signatures] == adjusted[
        "adjSignatureIndexes"]
    published = vector.json(shared_ref, "derivedDisclosureData.json")
    assert [list(entry) for entry in data.value.label_map.items()] == vector.map(
        shared_ref, "derivedDisclosureData.json", "labelMap")
    assert data.value.base_signature.hex() == published["baseSignature"]
    assert data.reveal_document == vector.json(shared_ref, "derivedUnsignedReveal.json")


@VECTORS
def test_derive_gives_the_published_disclosure_byte_for_byte(
        shared_ref: Path, loader: ContextLoader, vector: SdVector) -> None:
    """Add Derived Proof is deterministic: from the published base document and the
    holder's pointers, the published revealed document and derived proof value exactly."""
    derived = ecdsa_sd_2023.derive(vector.base(shared_ref),
                                   selective_pointers=vector.pointers(shared_ref, "selective"),
                                   document_loader=loader)
    assert derived == vector.derived(shared_ref)
    assert derived["proof"]["proofValue"] == vector.derived(shared_ref)["proof"]["proofValue"]


@VECTORS
def test_the_published_derived_proof_value_holds_the_published_components(
        shared_ref: Path, vector: SdVector) -> None:
    """parseDerivedProofValue: header d9 5d 01, then the base signature, the proof-scoped
    key, the disclosed statements' signatures, the decompressed label map and the mandatory
    indexes; serializing them gives the proof value back."""
    proof_value = vector.derived(shared_ref)["proof"]["proofValue"]
    assert decode_base64url(proof_value).startswith(DERIVED_HEADER)
    value = parse_derived(proof_value)
    published = vector.json(shared_ref, "verifyDerivedProofValue.json")
    assert value.base_signature.hex() == published["baseSignature"]
    assert value.public_key == public_key_bytes(decode_public_key(published["publicKey"]))
    assert [signature.hex() for signature in value.signatures] == published["signatures"]
    assert [list(entry) for entry in value.label_map.items()] == published["labelMap"]
    assert list(value.mandatory_indexes) == published["mandatoryIndexes"]
    assert serialize_derived(value) == proof_value


# --- verifier ----------------------------------------------------------------------------------

@VECTORS
def test_verify_data_matches_the_vector(shared_ref: Path, loader: ContextLoader,
                                        vector: SdVector) -> None:
    """createVerifyData: the revealed statements relabelled with the proof's label map (the
    vector's N-Quads), the non-mandatory ones, the proof hash and the mandatory hash."""
    derived = vector.derived(shared_ref)
    unsecured = {name: value for name, value in derived.items() if name != "proof"}
    label_map = parse_derived(derived["proof"]["proofValue"]).label_map
    assert sd.canonical_nquads(unsecured, sd.given_label_map(label_map),
                               document_loader=loader) == vector.json(shared_ref,
                                                                      "verifyNQuads.json")
    data = ecdsa_sd_2023.verify_data(unsecured, derived["proof"], document_loader=loader)
    published = vector.json(shared_ref, "verifyCreateVerifyData.json")
    assert data.proof_hash.hex() == published["proofHash"]
    assert data.mandatory_hash.hex() == published["mandatoryHash"]
    assert list(data.non_mandatory) == published["nonMandatory"]
    assert [signature.hex() for signature in data.signatures] == published["signatures"]
    assert data.base_signature.hex() == published["baseSignature"]


@VECTORS
def test_the_published_disclosure_verifies(shared_ref: Path, loader: ContextLoader,
                                           vector: SdVector) -> None:
    """Verify Derived Proof accepts the published disclosure, by the suite and through the
    Data Integrity orchestration (did:key resolved locally)."""
    _verify(vector.derived(shared_ref), loader)
    verified = data_integrity.verify(vector.derived(shared_ref), document_loader=loader)
    assert [proof.cryptosuite for proof in verified.proofs] == ["ecdsa-sd-2023"]


def _changed(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    if value is _DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


_DROP = object()
TAMPERING = pytest.mark.parametrize(("path", "value", "message"), [
    # A changed value may also change how RDFC-1.0 labels the blank nodes, and then every
    # statement changes: which signature fails first is not the point.
    (("credentialSubject", "birthCountry"), "Canada", "signature"),
    (("validFrom", ), "2018-12-03T00:00:00Z", "signature"),
    (("issuer", "image"), "data:image/png;base64,AAAA", "issuer's signature"),
    (("issuer", "id"), "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
     "issuer's signature"),
    (("validUntil", ), _DROP, "signs 6 disclosed statements, the document has 5"),
    (("credentialSubject", "givenName"), "JOHN", "the document has"),
    (("credentialSubject", "type"), ["Person"], "disclosed statements, the document has"),
    (("proof", "created"), "2023-08-15T23:36:39Z", "issuer's signature"),
    (("proof", "verificationMethod"),
     "did:key:zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76"
     "#zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76", "issuer's signature"),
])


@TAMPERING
def test_a_changed_disclosure_is_refused(shared_ref: Path, loader: ContextLoader,
                                         path: tuple[str, ...], value: Any,
                                         message: str) -> None:
    """A disclosed value, a mandatory value or the proof options changed, a statement dropped
    or added (even one the base document had): the derived proof no longer verifies."""
    vector = SD_VECTORS[0]
    changed = _changed(vector.derived(shared_ref), path, value)
    with pytest.raises(SignatureError, match=message):
        _verify(changed, loader)


def test_a_signature_moved_to_another_statement_is_refused(shared_ref: Path,
                                                           loader: ContextLoader) -> None:
    """Each signature is bound to its own statement: swapping two in the proof value fails."""
    derived = SD_VECTORS[0].derived(shared_ref)
    value = parse_derived(derived["proof"]["proofValue"])
    swapped = (value.signatures[1], value.signatures[0], *value.signatures[2:])
    derived["proof"]["proofValue"] = serialize_derived(
        type(value)(value.base_signature, value.public_key, swapped, value.label_map,
                    value.mandatory_indexes))
    with pytest.raises(SignatureError, match="disclosed statement 1 of"):
        _verify(derived, loader)


def test_a_relabelled_blank_node_is_refused(shared_ref: Path, loader: ContextLoader) -> None:
    """The label map is signed through the statements: swapping two HMAC labels fails, and
    a label map that misses a blank node of the document is refused as such."""
    derived = SD_VECTORS[0].derived(shared_ref)
    value = parse_derived(derived["proof"]["proofValue"])
    labels = list(value.label_map.values())
    for label_map, message in (
            ({"c14n0": labels[1], "c14n1": labels[0]}, "signature"),
            ({"c14n0": labels[0]}, r"proof\.selective_disclosure\.label_map\(found=2, named=1\)")):
        derived["proof"]["proofValue"] = serialize_derived(
            type(value)(value.base_signature, value.public_key, value.signatures, label_map,
                        value.mandatory_indexes))
        with pytest.raises(SignatureError, match=message):
            _verify(derived, loader)


def test_mandatory_indexes_beyond_the_document_are_refused(shared_ref: Path,
                                                           loader: ContextLoader) -> None:
    """A mandatory index past the last statement means statements were removed."""
    derived = SD_VECTORS[0].derived(shared_ref)
    value = parse_derived(derived["proof"]["proofValue"])
    derived["proof"]["proofValue"] = serialize_derived(
        type(value)(value.base_signature, value.public_key, value.signatures, value.label_map,
                    (*value.mandatory_indexes, 99)))
    with pytest.raises(SignatureError, match="mandatory statement 99"):
        _verify(derived, loader)


def test_another_issuer_key_is_refused(shared_ref: Path, loader: ContextLoader) -> None:
    """The base signature is the issuer's: another P-256 key does not verify it."""
    derived = SD_VECTORS[0].derived(shared_ref)
    unsecured = {name: value for name, value in derived.items() if name != "proof"}
    with pytest.raises(SignatureError, match="issuer's signature"):
        ecdsa_sd_2023.verify_proof(unsecured, derived["proof"], document_loader=loader,
                                   public_key=KeyPair.generate(KeyType.P256).public_key)


@VECTORS
def test_a_base_proof_given_to_a_verifier_is_refused(shared_ref: Path, loader: ContextLoader,
                                                     vector: SdVector) -> None:
    """The issuer's base proof (with its HMAC key) is for the holder: a verifier refuses it,
    saying that the holder must derive a disclosure first."""
    base = vector.base(shared_ref)
    with pytest.raises(BaseProofError) as caught:
        data_integrity.verify(base, document_loader=loader)
    assert "holder must derive" in error_words(caught.value, "en")
    assert caught.value.problems[0].location == "proof.proofValue"


def _proof_value(header: bytes, components: Any, tail: bytes = b"") -> str:
    return encode_base64url(header + cbor2.dumps(components) + tail)


_SIG, _KEY, _LABEL = bytes(64), b"\x80\x24" + bytes(33), bytes(32)
_GOOD: list[Any] = [_SIG, _KEY, [_SIG], {0: _LABEL}, [0]]


@pytest.mark.parametrize(("proof_value", "message"), [
    (_proof_value(DERIVED_HEADER, _GOOD), None),
    ("z" + _proof_value(DERIVED_HEADER, _GOOD)[1:], "starting with 'u'"),
    (None, "starting with 'u'"),
    ("u!!", "base64url"),
    (_proof_value(b"\xd9\x5d\x02", _GOOD), "header"),
    (encode_base64url(DERIVED_HEADER + b"\xff"), "not CBOR"),
    (_proof_value(DERIVED_HEADER, _GOOD[:4]), "five items"),
    (_proof_value(DERIVED_HEADER, [bytes(63), *_GOOD[1:]]), "base signature"),
    (_proof_value(DERIVED_HEADER, [_SIG, _KEY + b"\0", *_GOOD[2:]]), "35 bytes"),
    (_proof_value(DERIVED_HEADER, [_SIG, _KEY, [bytes(65)], *_GOOD[3:]]), "64-byte"),
    (_proof_value(DERIVED_HEADER, [*_GOOD[:3], {"c14n0": _LABEL}, [0]]), "label map"),
    (_proof_value(DERIVED_HEADER, [*_GOOD[:3], {0: bytes(31)}, [0]]), "label map"),
    (_proof_value(DERIVED_HEADER, [*_GOOD[:4], [1, 1]]), "rising"),
    (_proof_value(DERIVED_HEADER, [*_GOOD[:4], [True]]), "rising"),
    (_proof_value(DERIVED_HEADER, [cbor2.CBORTag(64, _SIG), *_GOOD[1:]]), "base signature"),
    (_proof_value(DERIVED_HEADER, _GOOD, b"\x00"), "shortest CBOR form"),
    (encode_base64url(DERIVED_HEADER + b"\x9f" + cbor2.dumps(_GOOD)[1:] + b"\xff"),
     "shortest CBOR form"),
    (encode_base64url(DERIVED_HEADER + b"\x85\x58\x40" + _SIG
                      + cbor2.dumps(_GOOD)[3 + 64:]), None),
    (encode_base64url(DERIVED_HEADER + b"\x85\x59\x00\x40" + _SIG
                      + cbor2.dumps(_GOOD)[3 + 64:]), "shortest CBOR form"),
])
def test_the_proof_value_is_a_strict_derived_cbor_value(proof_value: str | None,
                                                        message: str | None) -> None:
    """decode_proof_value reads a derived proof: 'u', base64url, d9 5d 01, an untagged CBOR
    array of the five items with their sizes, in the shortest form; anything else is
    refused at ``proof.proofValue``."""
    proof = {} if proof_value is None else {"proofValue": proof_value}
    if message is None:
        assert ecdsa_sd_2023.decode_proof_value(proof).startswith(DERIVED_HEADER)
        return
    with pytest.raises(MalformedCredentialError) as caught:
        ecdsa_sd_2023.decode_proof_value(proof)
    # Raised as a code (proof.ecdsa_sd.…), worded as the pages and the API word it.
    assert message in error_words(caught.value, "en")
    assert caught.value.problems[0].location == "proof.proofValue"


@pytest.mark.parametrize("key_type", [KeyType.ED25519, KeyType.P384, KeyType.SECP256K1])
def test_only_p256_keys_sign_or_verify(shared_ref: Path, loader: ContextLoader,
                                       key_type: KeyType) -> None:
    """The specification gives ecdsa-sd-2023 for P-256 only (as does the reference)."""
    vector = SD_VECTORS[0]
    other = KeyPair.generate(key_type)
    with raises_saying(MalformedCredentialError, "P-256 keys"):
        ecdsa_sd_2023.create_proof(vector.unsigned(shared_ref), vector.options(shared_ref),
                                   key=other, document_loader=loader)
    derived = vector.derived(shared_ref)
    unsecured = {name: value for name, value in derived.items() if name != "proof"}
    with raises_saying(MalformedCredentialError, "P-256") as caught:
        ecdsa_sd_2023.verify_proof(unsecured, derived["proof"], public_key=other.public_key,
                                   document_loader=loader)
    assert caught.value.problems[0].location == "proof.verificationMethod"


# --- through the Data Integrity orchestration ----------------------------------------------

def test_an_issuer_signs_with_mandatory_pointers_and_a_holder_discloses_part(
        shared_ref: Path, loader: ContextLoader) -> None:
    """sign() with the suite configured for issuing (EcdsaSdIssuing), derive() with the holder's
    pointers, verify(): the disclosure keeps the mandatory issuer and what the holder chose,
    and verifies; the rest of the subject is gone."""
    vector = SD_VECTORS[0]
    issuer = sd_key_material(shared_ref)[0]
    method = vector.options(shared_ref)["verificationMethod"]
    secured = data_integrity.sign(
        vector.unsigned(shared_ref), key=issuer, verification_method=method,
        cryptosuite=ecdsa_sd_2023.EcdsaSdIssuing(("/issuer", "/validFrom")),
        created="2025-01-01T00:00:00Z", document_loader=loader)
    assert secured["proof"]["cryptosuite"] == "ecdsa-sd-2023"
    assert parse_base(secured["proof"]["proofValue"]).mandatory_pointers == (
        "/issuer", "/validFrom")
    derived = ecdsa_sd_2023.derive(
        secured, selective_pointers=["/credentialSubject/givenName"], document_loader=loader)
    assert set(derived) == {"@context", "type", "issuer", "validFrom", "credentialSubject",
                            "proof"}
    assert derived["credentialSubject"] == {"type": ["Person", "EmployablePerson"],
                                            "givenName": "JOHN"}
    verified = data_integrity.verify(derived, document_loader=loader)
    assert verified.proofs[0].verification_method == method


def test_deriving_needs_something_to_disclose_and_pointers_that_match(
        shared_ref: Path, loader: ContextLoader) -> None:
    """Nothing selected, or a pointer that reaches nothing, is refused; so is a document
    without exactly one base proof to derive from."""
    vector = SD_VECTORS[0]
    issuer = sd_key_material(shared_ref)[0]
    proof = ecdsa_sd_2023.create_proof(vector.unsigned(shared_ref), vector.options(shared_ref),
                                       key=issuer, document_loader=loader)
    secured = {**vector.unsigned(shared_ref), "proof": proof}
    with raises_saying(MalformedCredentialError, "nothing is selected"):
        ecdsa_sd_2023.derive(secured, selective_pointers=[], document_loader=loader)
    with pytest.raises(MalformedCredentialError,
                       match=r"proof\.selective_disclosure\.unmatched") as caught:
        ecdsa_sd_2023.derive(secured, selective_pointers=["/credentialSubject/nickname"],
                             document_loader=loader)
    assert caught.value.problems[0].location == "/credentialSubject/nickname"
    assert caught.value.problems[0].params == {"path": "'nickname'"}
    with raises_saying(MalformedCredentialError, "2 ecdsa-sd-2023 base proofs"):
        ecdsa_sd_2023.derive({**secured, "proof": [proof, {**proof, "id": "urn:other"}]},
                             selective_pointers=["/validFrom"], document_loader=loader)
    derived = ecdsa_sd_2023.derive({**secured, "proof": [proof, {**proof, "id": "urn:other"}]},
                                   selective_pointers=["/validFrom"], document_loader=loader,
                                   proof_id="urn:other")
    assert derived["proof"]["id"] == "urn:other"
    with raises_saying(MalformedCredentialError, "0 ecdsa-sd-2023 base proofs"):
        ecdsa_sd_2023.derive(vector.derived(shared_ref), selective_pointers=["/validFrom"],
                             document_loader=loader)


def test_a_selection_of_one_list_among_others_is_refused_not_mis_disclosed(
        loader: ContextLoader) -> None:
    """RDF list cells are blank nodes no pointer names, numbered as they come: selecting the
    second of two lists alone cannot be matched to what the base proof signed, and deriving
    says so (instead of giving a disclosure no verifier accepts); with the first, or both,
    the disclosure verifies."""
    key = KeyPair.generate(KeyType.P256)
    issuer = did_key.did_from_public_key(key.public_key)
    terms = {name: {"@id": f"https://vocab.example.org/{name}", "@container": "@list"}
             for name in ("alpha", "steps")}
    document = {"@context": ["https://www.w3.org/ns/credentials/v2", terms],
                "type": ["VerifiableCredential"], "issuer": issuer,
                "validFrom": "2026-03-31T00:00:00Z",
                "credentialSubject": {"id": "did:example:learner", "alpha": ["a", "b"],
                                      "steps": ["x", "y"]}}
    base = data_integrity.sign(document, key=key, cryptosuite=ecdsa_sd_2023.EcdsaSdIssuing(),
                               verification_method=did_key.verification_method_id(
                                   key.public_key), created=None, document_loader=loader)
    with raises_saying(MalformedCredentialError, "select those lists too"):
        ecdsa_sd_2023.derive(base, selective_pointers=["/credentialSubject/steps"],
                             document_loader=loader)
    for pointers in (["/credentialSubject/alpha"], ["/credentialSubject"]):
        derived = ecdsa_sd_2023.derive(base, selective_pointers=pointers,
                                       document_loader=loader)
        data_integrity.verify(derived, document_loader=loader)


# --- selection ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("pointer", "paths"), [
    ("", []),
    ("/a", ["a"]),
    ("/a~1b/c~0d/0", ["a/b", "c~d", "0"]),
    ("/", [""]),
])
def test_json_pointers_are_read_as_rfc_6901_says(pointer: str, paths: list[str]) -> None:
    """jsonPointerToPaths: split on '/', '~1' is '/', '~0' is '~'."""
    assert sd.pointer_paths(pointer) == paths


@pytest.mark.parametrize(("pointer", "code"), [
    ("a", "proof.selective_disclosure.not_a_pointer"),
    ("/a~2", "proof.selective_disclosure.bad_escape"),
    ("/a~", "proof.selective_disclosure.bad_escape")])
def test_a_malformed_json_pointer_is_refused(pointer: str, code: str) -> None:
    """A pointer must start with '/' (or be empty), and '~' only escapes 0 or 1."""
    with pytest.raises(MalformedCredentialError) as raised:
        sd.pointer_paths(pointer)
    assert raised.value.code == code


@pytest.mark.parametrize(("code", "params", "en", "ja"), [
    ("proof.selective_disclosure.label_map", {"found": 2, "named": 1},
     "the document has 2 blank node(s), the proof's label map names 1: statements were "
     "added or removed after the proof was made",
     "文書には空白ノードが 2 個ありますが、証明のラベルマップが挙げているのは 1 個です。"
     "証明の作成後に文（ステートメント）が追加または削除されています"),
    ("proof.selective_disclosure.not_a_pointer", {"pointer": "'a'"},
     "'a' is not a JSON pointer (RFC 6901): it must be empty or start with '/'",
     "'a' は JSON ポインター（RFC 6901）ではありません。空であるか '/' で始まる必要があります"),
    ("proof.selective_disclosure.bad_escape", {"pointer": "'/a~2'", "escape": "~2"},
     "the JSON pointer '/a~2' has an invalid escape '~2'",
     "JSON ポインター '/a~2' に無効なエスケープ '~2' があります"),
    ("proof.selective_disclosure.unmatched", {"pointer": "'/x'"},
     "the JSON pointer '/x' does not match the document",
     "JSON ポインター '/x' が文書のどこにも当たりません"),
])
def test_the_selection_refusals_read_as_they_did_before_their_words_moved(
        code: str, params: dict[str, Any], en: str, ja: str) -> None:
    """core.proofs.cryptosuites.selective_disclosure says codes (issue 53); the catalogues
    word them, in English as the module did before."""
    said = Said(code, **params)
    assert (words(said, "en"), words(said, "ja")) == (en, ja)


def test_selection_keeps_ids_and_types_on_the_way_and_makes_arrays_dense() -> None:
    """selectJsonLd: the @context, the id (not a blank node's) and type of every object on
    the way; array items keep their order with the gaps closed; an array or object selected
    whole comes whole."""
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:a", "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "_:b0", "type": "Person", "name": "Ada",
                              "skills": [{"id": "urn:s1", "name": "x"}, {"name": "y"},
                                         {"type": "Skill", "name": "z", "level": 3}]},
        "tags": ["one", "two"],
    }
    selection = sd.select_json_ld(document, ["/credentialSubject/skills/2/level",
                                             "/credentialSubject/skills/0/name", "/tags"])
    assert selection == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:a", "type": ["VerifiableCredential"],
        "credentialSubject": {"type": "Person", "skills": [
            {"id": "urn:s1", "name": "x"}, {"type": "Skill", "level": 3}]},
        "tags": ["one", "two"],
    }
    assert sd.select_json_ld(document, []) is None
    assert sd.select_json_ld(document, ["/tags", ""]) == document
