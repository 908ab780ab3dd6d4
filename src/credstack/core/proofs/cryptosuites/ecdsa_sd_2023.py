"""The ``ecdsa-sd-2023`` cryptosuite: selective disclosure with ECDSA (P-256).

Data Integrity ECDSA Cryptosuites v1.0, "ecdsa-sd-2023" — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023 , with its functions
(https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023-functions, :mod:`._ecdsa_sd_values`) and
the selective disclosure functions (:mod:`.selective_disclosure`).

Three parties, three algorithms:

* the **issuer** creates a *base proof* (:func:`create_proof`, "Create Base Proof"): the
  document's canonical statements, blank nodes relabelled with an HMAC, are split into the
  *mandatory* ones (those the issuer's JSON pointers select, which every disclosure must
  reveal) and the others; each other statement is signed on its own with a fresh P-256
  key, and the issuer's key signs the proof configuration's hash, that key and the hash of
  the mandatory statements. The base proof carries the HMAC key: it is for the holder only.
* the **holder** derives a *disclosure* (:func:`derive`, "Add Derived Proof"): the document
  cut down to the mandatory statements and those the holder's JSON pointers select, with a
  derived proof that keeps only their signatures and the HMAC labels of their blank nodes;
* the **verifier** checks the derived proof (:func:`verify_proof`, "Verify Derived Proof"):
  it canonicalizes the disclosed document, renames its blank nodes with the proof's label
  map, checks the issuer's signature over the proof configuration, key and mandatory
  statements, then every other statement's signature.

A base proof given to a verifier is refused (a holder must derive before presenting), as is
anything added to, removed from or changed in a disclosure. The specification gives P-256
only: the proof-scoped key is P-256 and the hashes SHA-256, and so must the issuer's key be,
as in the JavaScript reference. Signatures are randomized: two base proofs of one document
differ; deriving is deterministic.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.core.crypto import rdfc
from credstack.core.crypto.canonicalization import DocumentLoader
from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multibase import decode_base64url
from credstack.core.crypto.multikey import decode_public_key_bytes, public_key_bytes
from credstack.errors import MalformedCredentialError, Problem, SignatureError

from . import selective_disclosure as sd
from ._common import check_signing_key, check_verification_key
from ._ecdsa_sd_values import (
    BaseProofValue,
    DerivedProofValue,
    is_base,
    parse_base,
    parse_derived,
    serialize_base,
    serialize_derived,
    serialize_sign_data,
)
from ._rdfc import RdfcSuite

__all__ = ["NAME", "BaseHashData", "BaseTransform", "DisclosureData", "EcdsaSdIssuing",
           "VerifyData", "configure", "create_proof", "decode_proof_value", "derive",
           "disclosure_data", "hash_data", "serialize_base_proof", "transform", "verify_data",
           "verify_proof"]

NAME: Final = "ecdsa-sd-2023"
_KEY_TYPES: Final = (KeyType.P256,)


class _ProofConfiguration(RdfcSuite):
    """The proof configuration is canonicalized exactly as ecdsa-rdfc-2019's is, with
    SHA-256; so its hash is remembered the same way (one per issuer's batch of proofs)."""

    def proof_hash(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                   document_loader: DocumentLoader) -> bytes:
        return self._config_hash(unsecured_document, options, document_loader, KeyType.P256)


_CONFIG: Final = _ProofConfiguration(NAME, {KeyType.P256: "sha256"})


# --- issuer: the base proof -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BaseTransform:
    """Base Proof Transformation's result: the mandatory and the other canonical statements,
    by index, and the HMAC key that labelled their blank nodes."""

    mandatory_pointers: tuple[str, ...]
    mandatory: dict[int, str]
    non_mandatory: dict[int, str]
    hmac_key: bytes


@dataclass(frozen=True, slots=True)
class BaseHashData:
    """Base Proof Hashing's result: the transformation with the two hashes."""

    transform: BaseTransform
    proof_hash: bytes
    mandatory_hash: bytes


def transform(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
              mandatory_pointers: Sequence[str], document_loader: DocumentLoader | None,
              hmac_key: bytes | None = None) -> BaseTransform:
    """Base Proof Transformation: canonicalize with HMAC labels (a fresh 32-byte key unless
    ``hmac_key`` is given) and group the statements by ``mandatory_pointers``."""
    _CONFIG.check_transformation_options(options)
    key = secrets.token_bytes(32) if hmac_key is None else hmac_key
    grouping = sd.canonicalize_and_group(
        unsecured_document, sd.hmac_label_map(key), {"mandatory": list(mandatory_pointers)},
        document_loader=_loader(document_loader))
    mandatory = grouping.groups["mandatory"]
    return BaseTransform(tuple(mandatory_pointers), mandatory.matching,
                         mandatory.non_matching, key)


def configure(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
              document_loader: DocumentLoader | None) -> bytes:
    """Base Proof Configuration: the canonical proof options under the document's context."""
    return _CONFIG.configure(unsecured_document, options,
                             document_loader=_loader(document_loader), key_type=KeyType.P256)


def hash_data(transformed: BaseTransform, canonical_proof_config: bytes) -> BaseHashData:
    """Base Proof Hashing: SHA-256 of the proof configuration, and of the mandatory statements."""
    return BaseHashData(transformed, hashlib.sha256(canonical_proof_config).digest(),
                        sd.hash_mandatory(list(transformed.mandatory.values())))


def serialize_base_proof(hashed: BaseHashData, *, key: KeyPair,
                         proof_scoped_key: KeyPair | None = None) -> str:
    """Base Proof Serialization: each non-mandatory statement signed with a proof-scoped
    P-256 key (a fresh one unless given), the issuer's signature over the proof hash, that
    key and the mandatory hash; the base proof value."""
    scoped = KeyPair.generate(KeyType.P256) if proof_scoped_key is None else proof_scoped_key
    check_signing_key(scoped, NAME, _KEY_TYPES)
    signatures = tuple(scoped.sign(statement.encode())
                       for statement in hashed.transform.non_mandatory.values())
    public_key = public_key_bytes(scoped.public_key)
    base_signature = key.sign(serialize_sign_data(hashed.proof_hash, public_key,
                                                  hashed.mandatory_hash))
    return serialize_base(BaseProofValue(base_signature, public_key, hashed.transform.hmac_key,
                                         signatures, hashed.transform.mandatory_pointers))


def create_proof(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                 key: KeyPair, document_loader: DocumentLoader | None,
                 mandatory_pointers: Sequence[str] = ()) -> dict[str, Any]:
    """Create Base Proof: the proof options with a base ``proofValue``.

    ``mandatory_pointers`` (JSON pointers) select what every disclosure must reveal; through
    :func:`~credstack.core.proofs.data_integrity.sign`, give them with :class:`EcdsaSdIssuing`.
    """
    check_signing_key(key, NAME, _KEY_TYPES)
    canonical_config = configure(unsecured_document, options, document_loader=document_loader)
    transformed = transform(unsecured_document, options, mandatory_pointers=mandatory_pointers,
                            document_loader=document_loader)
    proof = dict(options)
    proof["proofValue"] = serialize_base_proof(hash_data(transformed, canonical_config), key=key)
    return proof


@dataclass(frozen=True, slots=True)
class EcdsaSdIssuing:
    """``ecdsa-sd-2023`` as an issuer configures it: the JSON pointers every disclosure must
    reveal. Give it as the ``cryptosuite`` of :func:`~credstack.core.proofs.data_integrity.sign`
    (the JavaScript reference's ``createSignCryptosuite({mandatoryPointers})``)."""

    mandatory_pointers: tuple[str, ...] = ()
    NAME: str = field(default=NAME, init=False)

    def create_proof(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any],
                     *, key: KeyPair, document_loader: DocumentLoader | None
                     ) -> dict[str, Any]:
        return create_proof(unsecured_document, options, key=key,
                            document_loader=document_loader,
                            mandatory_pointers=self.mandatory_pointers)

    def verify_proof(self, unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                     public_key: PublicKey, document_loader: DocumentLoader | None) -> None:
        verify_proof(unsecured_document, proof, public_key=public_key,
                     document_loader=document_loader)

    def decode_proof_value(self, proof: Mapping[str, Any]) -> bytes:
        return decode_proof_value(proof)


# --- holder: the derived proof ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DisclosureData:
    """createDisclosureData's result: the derived proof value and the document it discloses."""

    value: DerivedProofValue
    reveal_document: dict[str, Any]


def disclosure_data(unsecured_document: Mapping[str, Any], proof: Mapping[str, Any],
                    selective_pointers: Sequence[str], *,
                    document_loader: DocumentLoader | None) -> DisclosureData:
    """createDisclosureData: what to reveal of a base-proven document, and the proof of it."""
    base = parse_base(proof.get("proofValue"))
    if not base.mandatory_pointers and not selective_pointers:
        raise MalformedCredentialError(
            "nothing is selected for disclosure: the base proof has no mandatory pointers, "
            "so give at least one selective pointer")
    combined = [*base.mandatory_pointers, *selective_pointers]
    grouping = sd.canonicalize_and_group(
        unsecured_document, sd.hmac_label_map(base.hmac_key),
        {"mandatory": list(base.mandatory_pointers), "selective": list(selective_pointers),
         "combined": combined}, document_loader=_loader(document_loader))
    mandatory = grouping.groups["mandatory"].matching
    selective = grouping.groups["selective"].matching
    revealed = grouping.groups["combined"]
    if len(rdfc.nquads(revealed.deskolemized, grouping.label_map)) != len(revealed.matching):
        # A selected statement that is none of the signed ones: the blank nodes of an RDF
        # list (JSON-LD @list) are not skolemized, so a selection that holds some lists and
        # not others may number their cells differently. A verifier would refuse the result.
        raise MalformedCredentialError(
            "the selection cannot be disclosed: the statements of its JSON-LD lists (@list) "
            "cannot be matched to the ones the base proof signs while other lists are left "
            "out; select those lists too",
            problems=[Problem(pointer, "part of the selection") for pointer in combined])
    mandatory_indexes = tuple(relative for relative, absolute in enumerate(revealed.matching)
                              if absolute in mandatory)
    non_mandatory = grouping.groups["mandatory"].non_matching
    if len(non_mandatory) != len(base.signatures):
        raise SignatureError(
            f"the base proof signs {len(base.signatures)} statements, the document has "
            f"{len(non_mandatory)} that are not mandatory: it was changed after it was issued",
            problems=[Problem("proof.proofValue", "does not fit the document")])
    signatures = tuple(signature for index, signature in zip(non_mandatory, base.signatures,
                                                             strict=True)
                       if index in selective)
    # The labels a verifier will find when it canonicalizes the revealed statements, each
    # mapped to the HMAC label the issuer signed.
    canonical = rdfc.canonical_labels(revealed.deskolemized)
    label_map = {label.removeprefix("_:"): grouping.label_map[term].removeprefix("_:")
                 for term, label in canonical.items()}
    reveal = sd.select_json_ld(unsecured_document, combined)
    assert reveal is not None  # combined is not empty
    return DisclosureData(DerivedProofValue(base.base_signature, base.public_key, signatures,
                                            label_map, mandatory_indexes), reveal)


def derive(document: Mapping[str, Any], *, selective_pointers: Sequence[str],
           document_loader: DocumentLoader | None, proof_id: str | None = None
           ) -> dict[str, Any]:
    """Add Derived Proof: the disclosure of a document secured with an ``ecdsa-sd-2023`` base
    proof that reveals its mandatory statements and those ``selective_pointers`` select.

    The base proof is the document's only ``ecdsa-sd-2023`` base proof, or the one whose
    ``id`` is ``proof_id``. The result carries that proof alone, with a derived value.
    """
    if not isinstance(document, Mapping) or "proof" not in document:
        raise MalformedCredentialError("only a document with a proof can be disclosed")
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    candidates = [proof for proof in proofs if isinstance(proof, Mapping)
                  and proof.get("type") == "DataIntegrityProof"
                  and proof.get("cryptosuite") == NAME and is_base(proof.get("proofValue"))
                  and (proof_id is None or proof.get("id") == proof_id)]
    if len(candidates) != 1:
        raise MalformedCredentialError(
            f"the document has {len(candidates)} {NAME} base proofs"
            + (f" with id {proof_id!r}" if proof_id is not None else "")
            + ("; name the one to derive from with its id" if candidates else ""),
            problems=[Problem("proof", f"exactly one {NAME} base proof is needed")])
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    data = disclosure_data(unsecured, candidates[0], selective_pointers,
                           document_loader=document_loader)
    proof = {name: value for name, value in candidates[0].items() if name != "@context"}
    proof["proofValue"] = serialize_derived(data.value)
    return {**data.reveal_document, "proof": proof}


# --- verifier: the derived proof --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class VerifyData:
    """createVerifyData's result: what the signatures are checked over."""

    base_signature: bytes
    proof_hash: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    non_mandatory: tuple[str, ...]
    mandatory_hash: bytes


def decode_proof_value(proof: Mapping[str, Any]) -> bytes:
    """The bytes of a derived ``proofValue`` (header and CBOR), once it parses; a base proof
    or anything else is a MalformedCredentialError at ``proof.proofValue``."""
    value = proof.get("proofValue")
    parse_derived(value)
    assert isinstance(value, str)  # parse_derived refuses anything else
    return decode_base64url(value)


def verify_data(unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                document_loader: DocumentLoader | None) -> VerifyData:
    """createVerifyData: the disclosed document's canonical statements, relabelled with the
    proof's label map, split by its mandatory indexes; the proof configuration's hash."""
    value = parse_derived(proof.get("proofValue"))
    options = {name: item for name, item in proof.items() if name != "proofValue"}
    proof_hash = _CONFIG.proof_hash(unsecured_document, options,
                                    document_loader=_loader(document_loader))
    nquads = sd.canonical_nquads(unsecured_document, sd.given_label_map(value.label_map),
                                 document_loader=_loader(document_loader))
    if value.mandatory_indexes and value.mandatory_indexes[-1] >= len(nquads):
        raise SignatureError(
            f"the proof names mandatory statement {value.mandatory_indexes[-1]}, the document "
            f"has {len(nquads)}: statements were removed after the proof was made",
            problems=[Problem("proof.proofValue", "mandatory indexes do not fit the document")])
    wanted = set(value.mandatory_indexes)
    mandatory = [nquad for index, nquad in enumerate(nquads) if index in wanted]
    non_mandatory = tuple(nquad for index, nquad in enumerate(nquads) if index not in wanted)
    return VerifyData(value.base_signature, proof_hash, value.public_key, value.signatures,
                      non_mandatory, sd.hash_mandatory(mandatory))


def verify_proof(unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                 public_key: PublicKey, document_loader: DocumentLoader | None) -> None:
    """Verify Derived Proof: raise SignatureError unless the issuer's signature and every
    disclosed statement's signature verify."""
    check_verification_key(public_key, NAME, _KEY_TYPES)
    data = verify_data(unsecured_document, proof, document_loader=document_loader)
    if len(data.signatures) != len(data.non_mandatory):
        raise SignatureError(
            f"the proof signs {len(data.signatures)} disclosed statements, the document has "
            f"{len(data.non_mandatory)}: statements were added or removed after the proof was "
            "made", problems=[Problem("proof.proofValue", "signature count does not match")])
    scoped = decode_public_key_bytes(data.public_key, "the proof-scoped key")
    if scoped.type is not KeyType.P256:
        raise MalformedCredentialError(
            f"the proof-scoped key of {NAME} must be P-256, not {scoped.type}",
            problems=[Problem("proof.proofValue", "the proof-scoped key is not P-256")])
    try:
        public_key.verify(data.base_signature, serialize_sign_data(
            data.proof_hash, data.public_key, data.mandatory_hash))
    except SignatureError:
        raise SignatureError(
            "the issuer's signature does not verify: the proof's options or the statements "
            "every disclosure must reveal were changed, or another key signed",
            problems=[Problem("proof.proofValue", "base signature")]) from None
    for index, (signature, statement) in enumerate(zip(data.signatures, data.non_mandatory,
                                                      strict=True)):
        try:
            scoped.verify(signature, statement.encode())
        except SignatureError:
            raise SignatureError(
                f"disclosed statement {index + 1} of {len(data.non_mandatory)} does not match "
                f"its signature: it was changed after it was signed ({statement.strip()})",
                problems=[Problem("proof.proofValue", f"statement signature {index}")]
            ) from None


def _loader(document_loader: DocumentLoader | None) -> DocumentLoader:
    if document_loader is None:
        raise MalformedCredentialError(f"{NAME} needs a JSON-LD document loader")
    return document_loader
