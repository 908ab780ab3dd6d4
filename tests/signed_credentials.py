"""Signed credentials for adapter tests: a demo programme's OB 3.0 credential under a did:key.

Built with ``credstack.core.credentials.openbadges_v3`` from a demo micro-credential
programme and signed with ``credstack.core.proofs`` (Data Integrity or VC-JWT); nothing is
mocked. Status lists, when wanted, are signed by the same key and served by the test.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import cbor2
from pyld import jsonld

from credstack.adapters.resolvers.contexts import document_loader, shared_document_loader
from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    IssuerProfile,
    build_open_badge_credential,
    extension_context,
)
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.crypto.multibase import encode_base58btc
from credstack.core.descriptors.models import Award, Programme
from credstack.core.dids import did_key
from credstack.core.proofs import (
    EcdsaSdIssuing,
    derive_data_integrity,
    sign_data_integrity,
    sign_vc_jwt,
)
from credstack.core.proofs.cryptosuites import sd_jwt
from credstack.core.status import StatusList, entry_for, status_list_credential
from credstack.demo import load_demo_documents

KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(32))
ISSUER = did_key.did_from_public_key(KEY.public_key)
METHOD = did_key.verification_method_id(KEY.public_key)
VALID_FROM = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
CREDENTIAL_ID = "urn:uuid:7d0c6a9e-3f5b-4c43-9a1e-0f4b6f0e2c11"


@cache
def programme() -> Programme:
    """A demo micro-credential programme issued by its own awarding body."""
    return next(p for p in load_demo_documents().programmes
                if p.awarding_body is not None and p.assessment is not None
                and not p.assessment.participation_only)


def achievement_id(programme: Programme) -> str:
    """The id credstack gives the achievement of ``programme``'s first version."""
    return f"https://credstack.example/achievements/{programme.code}/v1"


def hanako_badge(programme: Programme, *, issuer: str, credential_id: str, issued_on: str,
                 valid_from: dt.datetime, valid_until: dt.datetime | None = None,
                 grade: str | None = None, status: tuple[tuple[str, int, str], ...] = ()
                 ) -> dict[str, Any]:
    """Hanako Yamada's OB 3.0 credential for ``programme``, not yet signed, issued by
    ``issuer`` in the name of the programme's awarding body; ``status`` is (purpose, index,
    list URL) per entry."""
    body = programme.awarding_body
    assert body is not None
    award: dict[str, Any] = {
        "learner": {"name": {"ja": "山田花子", "en": "Hanako Yamada"},
                    "identifiers": [{"type": "email", "value": "hanako@example.jp"}]},
        "issued_on": issued_on}
    if grade is not None:
        award["grade"] = grade
    credential = build_open_badge_credential(
        programme=programme, award=Award.model_validate(award),
        issuer=IssuerProfile(id=issuer, name=body.name, slug=body.id),
        credential_id=credential_id, achievement_id=achievement_id(programme),
        valid_from=valid_from, valid_until=valid_until, salt="c2FsdA")
    entries = [entry_for(index, list_url=url, purpose=purpose) for purpose, index, url in status]
    if entries:
        credential["credentialStatus"] = entries if len(entries) > 1 else entries[0]
    return credential


def unsigned(*, status: tuple[tuple[str, int, str], ...] = ()) -> dict[str, Any]:
    """The unsigned credential; ``status`` is (purpose, index, list URL) per entry."""
    return hanako_badge(programme(), issuer=ISSUER, credential_id=CREDENTIAL_ID,
                        issued_on="2025-04-01", valid_from=VALID_FROM, status=status)


def sign(document: Mapping[str, Any], *, suite: str = "eddsa-rdfc-2022") -> dict[str, Any]:
    return sign_data_integrity(document, key=KEY, verification_method=METHOD,
                               cryptosuite=suite, created=VALID_FROM,
                               document_loader=shared_document_loader())


@cache
def _signed() -> dict[str, Any]:
    return sign(unsigned())


def signed() -> dict[str, Any]:
    """The signed credential (eddsa-rdfc-2022), a fresh copy."""
    return copy.deepcopy(_signed())


def signed_by_did_web(did: str, *, anonymous: bool = False) -> dict[str, Any]:
    """The credential issued by ``did`` (a did:web) and signed with its key ``#key-1``: to
    verify it, its DID document must be fetched. ``anonymous``: its subject names no
    identifier (any wallet takes it)."""
    document = hanako_badge(programme(), issuer=did, credential_id=CREDENTIAL_ID,
                            issued_on="2025-04-01", valid_from=VALID_FROM)
    if anonymous:
        document["credentialSubject"].pop("identifier", None)
    return sign_data_integrity(document, key=KEY, verification_method=f"{did}#key-1",
                               cryptosuite="eddsa-rdfc-2022", created=VALID_FROM,
                               document_loader=shared_document_loader())


def signed_with_status(list_url: str) -> dict[str, Any]:
    """The credential signed with a revocation entry in the status list at ``list_url``: to
    check its status, that list must be fetched."""
    return sign(unsigned(status=(("revocation", 7, list_url),)))


def tampered() -> dict[str, Any]:
    """The signed credential with the learner's name changed after signing."""
    credential = signed()
    credential["credentialSubject"]["name"] = "Taro Yamada"
    return credential


#: A context no package publishes, which an operator pins (``CREDSTACK_CONTEXTS_FILE``).
PINNED_CONTEXT_URL = "https://contexts.example/pinned/v1"
PINNED_CONTEXT = {"@context": {
    "@protected": True, "favouriteColour": "https://contexts.example/pinned#favouriteColour"}}


def pin_context(directory: Path) -> Path:
    """An operator's ``CREDSTACK_CONTEXTS_FILE`` in ``directory``, pinning
    :data:`PINNED_CONTEXT`; its path."""
    (directory / "pinned.jsonld").write_text(json.dumps(PINNED_CONTEXT), encoding="utf-8")
    index = directory / "contexts.json"
    index.write_text(json.dumps({PINNED_CONTEXT_URL: "pinned.jsonld"}), encoding="utf-8")
    return index


def signed_with_pinned_context() -> dict[str, Any]:
    """The credential with :data:`PINNED_CONTEXT` and a claim it defines, signed
    (eddsa-rdfc-2022) with that context given to the signer directly."""
    document = unsigned()
    document["@context"] = [*document["@context"], PINNED_CONTEXT_URL]
    document["favouriteColour"] = "blue"
    return sign_data_integrity(document, key=KEY, verification_method=METHOD,
                               cryptosuite="eddsa-rdfc-2022", created=VALID_FROM,
                               document_loader=document_loader(extra={
                                   EXTENSION_CONTEXT_URL: extension_context(),
                                   PINNED_CONTEXT_URL: PINNED_CONTEXT}))


def jwt() -> str:
    """The credential as a VC-JWT (EdDSA)."""
    return sign_vc_jwt(unsigned(), key=KEY, kid=METHOD)


def sd_jwt_credential() -> str:
    """The credential secured as an SD-JWT (vc+sd-jwt), its name and learner's identifiers
    selectively disclosable, every disclosure given."""
    return sd_jwt.issue(unsigned(), key=KEY, kid=METHOD,
                        disclosable=["name", "credentialSubject.identifier[0]",
                                     "credentialSubject.identifier[1]"])


SD_KEY = KeyPair.from_secret_bytes(KeyType.P256, bytes(range(1, 33)))
SD_ISSUER = did_key.did_from_public_key(SD_KEY.public_key)


@cache
def _sd_base() -> dict[str, Any]:
    document = unsigned()
    document["issuer"] = {**document["issuer"], "id": SD_ISSUER}
    return sign_data_integrity(
        document, key=SD_KEY, verification_method=did_key.verification_method_id(
            SD_KEY.public_key), created=VALID_FROM, document_loader=shared_document_loader(),
        cryptosuite=EcdsaSdIssuing(("/issuer", "/validFrom", "/name", "/credentialSubject/type",
                                    "/credentialSubject/achievement")))


def sd_base() -> dict[str, Any]:
    """The credential as its issuer secures it with an ``ecdsa-sd-2023`` base proof (P-256
    did:key issuer): for the holder, who must derive a disclosure from it."""
    return copy.deepcopy(_sd_base())


def sd_disclosure() -> dict[str, Any]:
    """The holder's disclosure of :func:`sd_base`: the learner's English name, not the
    Japanese one nor the e-mail hash."""
    return derive_data_integrity(_sd_base(), selective_pointers=["/credentialSubject/identifier/1"],
                                 document_loader=shared_document_loader())


def status_list(url: str, *, purpose: str, set_index: int | None = None) -> dict[str, Any]:
    """A signed Bitstring status list credential at ``url`` (``set_index``: the entry set)."""
    bits = StatusList.empty(purpose=purpose)
    if set_index is not None:
        bits = bits.with_status(set_index)
    return sign(status_list_credential(bits, url=url, issuer=ISSUER, valid_from=VALID_FROM))


HOLDER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(64, 96)))
HOLDER = did_key.did_from_public_key(HOLDER_KEY.public_key)


def presentation(*credentials: Mapping[str, Any], signed_by_holder: bool = True
                 ) -> dict[str, Any]:
    """A VC 2.0 presentation of ``credentials`` by the holder (a did:key), signed for
    authentication (eddsa-jcs-2022, no challenge) unless ``signed_by_holder`` is false."""
    document: dict[str, Any] = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                                "type": ["VerifiablePresentation"], "holder": HOLDER,
                                "verifiableCredential": [dict(c) for c in credentials]}
    if not signed_by_holder:
        return document
    return sign_data_integrity(document, key=HOLDER_KEY,
                               verification_method=did_key.verification_method_id(
                                   HOLDER_KEY.public_key),
                               cryptosuite="eddsa-jcs-2022", created=VALID_FROM,
                               proof_purpose="authentication")


#: A proof as Blockcerts v3 writes it (cert-issuer 3.x): the Merkle path and the blockchain
#: anchor are in the proofValue (here one that cannot be read: see :func:`merkle_proof_2019`
#: for a real receipt).
MERKLE_PROOF = {
    "type": "MerkleProof2019",
    "created": "2025-04-01T00:00:00Z",
    "proofValue": "z7veGu1qoKR3AS5Aa8sH4u5aJkHiAgYwi7SNS9WDY7sMTE1JgZxkcT9wjEq7uNnkPngY6eoCpVy",
    "proofPurpose": "assertionMethod",
    "verificationMethod": "https://www.blockcerts.org/samples/3.0/issuer-blockcerts.json#key-1",
}

#: Sibling hashes of a Merkle path: the credential is one leaf of a batch of eight.
SIBLINGS = tuple(hashlib.sha256(f"learner {n}".encode()).hexdigest() for n in range(3))
#: A Bitcoin testnet transaction id, as a Blockcerts anchor names one.
TRANSACTION = "043e60228b3b4cde1a9e55f04b6471eb1705b0a6b403f1e1fa6a3274ef4a63a9"


def merkle_root(target_hash: str, path: list[tuple[str, str]]) -> str:
    """The root a Chainpoint path leads to (each step: the sibling on its side, SHA-256 of
    the two raw hashes), computed here independently of credstack's verifier."""
    current = bytes.fromhex(target_hash)
    for side, sibling in path:
        pair = (bytes.fromhex(sibling), current) if side == "left" else (current,
                                                                           bytes.fromhex(sibling))
        current = hashlib.sha256(pair[0] + pair[1]).digest()
    return current.hex()


def encode_merkle_proof_2019(target_hash: str, path: list[tuple[str, str]], anchors: list[Any],
                             root: str | None = None) -> str:
    """A MerkleProof2019 ``proofValue`` as Blockcerts' lds-merkle-proof-2019 encodes one:
    multibase base58-btc of CBOR ``[[0, root], [1, target], [2, anchors], [3, path]]``, each
    hash a CBOR text, each anchor ``[[0, chain], [1, network], [2, CBOR transaction]]``."""
    return encode_base58btc(cbor2.dumps([
        [0, cbor2.dumps(root or merkle_root(target_hash, path))],
        [1, cbor2.dumps(target_hash)],
        [2, anchors],
        [3, [[0 if side == "left" else 1, cbor2.dumps(sibling)] for side, sibling in path]],
    ]))


def anchor_2019(chain: int = 0, network: int | str = 3,
                transaction: str = TRANSACTION) -> list[list[Any]]:
    """One MerkleProof2019 anchor (default: Bitcoin testnet, :data:`TRANSACTION`)."""
    if chain == -1:
        return [[0, -1], [1, cbor2.dumps(network)]]
    return [[0, chain], [1, network], [2, cbor2.dumps(transaction)]]


def merkle_proof_2019(document: Mapping[str, Any], *, anchors: list[Any] | None = None,
                      data_integrity: bool = False) -> dict[str, Any]:
    """A real MerkleProof2019 proof for ``document``: its hash (the SHA-256 of its URDNA2015
    N-Quads without ``proof``, computed with PyLD's own ``normalize``, not credstack's
    canonicalizer), a three-step path to the batch's root, anchored on Bitcoin testnet."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    nquads = jsonld.normalize(unsigned, {"algorithm": "URDNA2015",
                                         "format": "application/n-quads",
                                         "documentLoader": shared_document_loader()})
    target = hashlib.sha256(nquads.encode()).hexdigest()
    path = [("right", SIBLINGS[0]), ("left", SIBLINGS[1]), ("right", SIBLINGS[2])]
    value = encode_merkle_proof_2019(target, path, [anchor_2019()] if anchors is None
                                     else anchors)
    kind = {"type": "DataIntegrityProof", "cryptosuite": "merkle-proof-2019"} \
        if data_integrity else {"type": "MerkleProof2019"}
    return {**MERKLE_PROOF, **kind, "proofValue": value}


def blockcerts_v3(**options: Any) -> dict[str, Any]:
    """A Blockcerts v3 credential, as cert-issuer 3.x writes one: VC 1.1 with the Blockcerts
    v3 context, secured only by its MerkleProof2019 (anchored on a blockchain; ``options`` go
    to :func:`merkle_proof_2019`)."""
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/blockcerts/v3"],
        "id": "urn:uuid:bbba8553-8ec1-445f-82c9-a57251dd731c",
        "type": ["VerifiableCredential", "BlockcertsCredential"],
        "issuer": "https://www.blockcerts.org/samples/3.0/issuer-blockcerts.json",
        "issuanceDate": "2022-08-18T10:02:48Z",
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
                              "name": "Julien Fraichot", "email": "julien@example.org"},
        "metadata": "{\"classOf\": \"2021\"}",
    }
    return {**credential, "proof": merkle_proof_2019(credential, **options)}


#: The issuer profile a Blockcerts v2 certificate's badge names (served by a test's fetcher).
BLOCKCERTS_V2_ISSUER = {
    "@context": ["https://w3id.org/openbadges/v2", "https://w3id.org/blockcerts/v2"],
    "type": "Profile", "id": "https://issuer.example/blockcerts/issuer.json",
    "name": "University of Learning", "url": "https://issuer.example/",
    "email": "registrar@issuer.example",
}


def blockcerts_v2() -> dict[str, Any]:
    """A Blockcerts v2 certificate as cert-issuer 2.x writes one: an Open Badges 2.0
    assertion with the Blockcerts v2 context, verified by ``MerkleProofVerification2017``,
    its Merkle receipt (MerkleProof2017) as ``signature``, anchored on Bitcoin testnet. The
    hash is PyLD's own URDNA2015 over the document read with Blockcerts' copy of the Open
    Badges 2.0 context (cert-schema's ``obi.json``, bundled under its own URL)."""
    assertion: dict[str, Any] = {
        "@context": ["https://w3id.org/openbadges/v2", "https://w3id.org/blockcerts/v2"],
        "type": "Assertion", "id": "urn:uuid:bbba8553-8ec1-445f-82c9-a57251dd731c",
        "recipientProfile": {
            "type": ["RecipientProfile", "Extension"], "name": "Eularia Landroth",
            "publicKey": "ecdsa-koblitz-pubkey:mtr98kany9G1XYNU74pRnfBQmaCg2FZLmc"},
        "badge": {"type": "BadgeClass", "id": "urn:uuid:82a4c9f2-3588-457b-80ea-da695571b8fc",
                  "name": "Certificate of Accomplishment",
                  "description": "Awarded for completing the programme.",
                  "criteria": {"narrative": "Completed every module."},
                  "image": "data:image/png;base64,iVBORw0KGgo=",
                  "issuer": BLOCKCERTS_V2_ISSUER["id"]},
        "issuedOn": "2017-06-29T14:58:57.461422+00:00",
        "recipient": {"type": "email", "hashed": False, "identity": "eularia@landroth.example"},
        "verification": {"type": ["MerkleProofVerification2017", "Extension"],
                         "publicKey": "ecdsa-koblitz-pubkey:msBCHdwaQ7N2ypBYupkp6uNxtr9Pg76imj"},
    }
    loader = shared_document_loader()
    obi = loader("https://w3id.org/blockcerts/schema/2.1/obi.json", {})["document"]

    def blockcerts_loader(url: str, options: Any = None) -> Any:
        if url == "https://w3id.org/openbadges/v2":
            return {"contextUrl": None, "documentUrl": url, "document": obi}
        return loader(url, options or {})

    nquads = jsonld.normalize(assertion, {"algorithm": "URDNA2015",
                                          "format": "application/n-quads",
                                          "documentLoader": blockcerts_loader})
    target = hashlib.sha256(nquads.encode()).hexdigest()
    path = [("right", SIBLINGS[0]), ("left", SIBLINGS[1])]
    return {**assertion, "signature": {
        "type": ["MerkleProof2017", "Extension"], "targetHash": target,
        "merkleRoot": merkle_root(target, path),
        "proof": [{side: sibling} for side, sibling in path],
        "anchors": [{"sourceId": TRANSACTION, "type": "BTCOpReturn",
                     "chain": "bitcoinTestnet"}]}}
