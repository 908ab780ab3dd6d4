"""ecdsa-sd-2023 with the JavaScript reference implementation, both ways.

The reference is ``@digitalbazaar/ecdsa-sd-2023-cryptosuite`` under ``@digitalbazaar/vc``
(``issue``, ``derive``, ``verifyCredential``), driven by ``interop/js/sd.mjs`` (issuing a
base proof, deriving a disclosure) and ``verify.mjs``. For a VC 2.0 example and an Open
Badges 3.0 credential, issued by a P-256 did:key with the issuer and validity mandatory:

* each side issues a base proof, and each side derives the holder's disclosure from each
  base proof — the four disclosures of a credential are verified by both sides;
* deriving is deterministic: from one base proof both sides derive the identical
  disclosure, proof value included (both select, canonicalize and relabel alike);
* a disclosure with a changed value is refused by both, and so is a base proof presented
  as it is (a holder must derive first).

Three node processes for the whole matrix. Needs what ``test_js_reference.py`` needs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from credstack.adapters.resolvers.contexts import bundled_contexts, document_loader
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.crypto.multikey import encode_public_key, encode_secret_key
from credstack.core.dids import did_key
from credstack.core.proofs import (
    EcdsaSdIssuing,
    derive_data_integrity,
    sign_data_integrity,
    verify_data_integrity,
)
from credstack.core.proofs.cryptosuites._ecdsa_sd_values import parse_base
from credstack.errors import MalformedCredentialError, SignatureError
from credstack.words import error_words
from tests.interop.test_js_reference import (
    CASES,
    CREATED,
    EXTRA,
    Node,
    issued_by,
    node,  # noqa: F401  (the fixture that runs the reference)
    tampered,
)

KEY = KeyPair.from_secret_bytes(
    KeyType.P256, hashlib.sha256(b"credstack interop ecdsa-sd-2023 key").digest())
DID = did_key.did_from_public_key(KEY.public_key)
METHOD = did_key.verification_method_id(KEY.public_key)
SECRET = {"publicKeyMultibase": encode_public_key(KEY.public_key),
          "secretKeyMultibase": encode_secret_key(KEY)}
MANDATORY = ("/issuer", "/validFrom", "/validUntil")
#: What the holder chooses to reveal of each credential (the subject's name among it, which
#: ``tampered`` changes).
SELECTIVE = {
    "vc2-example": ("/credentialSubject/name", "/credentialSubject/degree/type"),
    "ob3-HIT-DS-01": ("/name", "/credentialSubject/achievement/name",
                      "/credentialSubject/identifier/1"),
}
SIDES = ("ours", "theirs")
DERIVED = [pytest.param(case, base, deriver, id=f"{case}-{base}-base-{deriver}-derived")
           for case in SELECTIVE for base in SIDES for deriver in SIDES]


@dataclass
class SdExchange:
    """Every base proof, every disclosure and the reference's verdicts on them."""

    #: (case, who issued) → the credential with its base proof.
    bases: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    #: (case, who issued, who derived) → the disclosure.
    derived: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    #: The reference's verdict on each disclosure (and on it tampered, and on each base).
    verdicts: dict[tuple[str, ...], dict[str, Any]] = field(default_factory=dict)
    node_calls: int = 0


def _loader() -> Any:
    return document_loader({url: document for url, document in EXTRA.items()
                            if url not in bundled_contexts()})


@pytest.fixture(scope="module")
def sd_exchange(node: Node) -> SdExchange:  # noqa: F811  (node is the imported fixture)
    calls = node.calls
    loader = _loader()
    documents = {case: issued_by(CASES[case](), DID) for case in SELECTIVE}
    result = SdExchange()
    issued = node.run("sd.mjs", [
        {"action": "issue", "credential": documents[case], "mandatoryPointers": MANDATORY,
         "created": CREATED, "extraContexts": EXTRA, **SECRET} for case in SELECTIVE])
    for case, theirs in zip(SELECTIVE, issued, strict=True):
        assert "error" not in theirs, f"the reference could not issue {case}: {theirs}"
        result.bases[case, "theirs"] = theirs
        result.bases[case, "ours"] = sign_data_integrity(
            documents[case], key=KEY, verification_method=METHOD, created=CREATED,
            cryptosuite=EcdsaSdIssuing(MANDATORY), document_loader=loader)
    pairs = [(case, base) for case in SELECTIVE for base in SIDES]
    derived = node.run("sd.mjs", [
        {"action": "derive", "credential": result.bases[pair],
         "selectivePointers": SELECTIVE[pair[0]], "extraContexts": EXTRA} for pair in pairs])
    for (case, base), theirs in zip(pairs, derived, strict=True):
        assert "error" not in theirs, f"the reference could not derive {case}: {theirs}"
        result.derived[case, base, "theirs"] = theirs
        result.derived[case, base, "ours"] = derive_data_integrity(
            result.bases[case, base], selective_pointers=SELECTIVE[case],
            document_loader=loader)
    batch: list[tuple[tuple[str, ...], Mapping[str, Any]]] = []
    for name, document in result.derived.items():
        batch += [(name, document), ((*name, "tampered"), tampered(document))]
    batch += [((*name, "base"), document) for name, document in result.bases.items()]
    verdicts = node.verify([document for _, document in batch], EXTRA)
    result.verdicts = {name: verdict for (name, _), verdict in zip(batch, verdicts, strict=True)}
    result.node_calls = node.calls - calls
    return result


def _credstack_verifies(document: Mapping[str, Any]) -> None:
    verify_data_integrity(document, document_loader=_loader())


@pytest.mark.parametrize(("case", "base", "deriver"), DERIVED)
def test_the_reference_verifies_every_disclosure(sd_exchange: SdExchange, case: str,
                                                 base: str, deriver: str) -> None:
    """Whoever issued the base proof and whoever derived from it: the reference verifies."""
    assert sd_exchange.verdicts[case, base, deriver] == {"verified": True, "error": None}


@pytest.mark.parametrize(("case", "base", "deriver"), DERIVED)
def test_credstack_verifies_every_disclosure(sd_exchange: SdExchange, case: str, base: str,
                                             deriver: str) -> None:
    """Whoever issued the base proof and whoever derived from it: credstack verifies."""
    _credstack_verifies(sd_exchange.derived[case, base, deriver])


@pytest.mark.parametrize("case", SELECTIVE)
@pytest.mark.parametrize("base", SIDES)
def test_both_sides_derive_the_identical_disclosure(sd_exchange: SdExchange, case: str,
                                                    base: str) -> None:
    """From one base proof, the same pointers give the same document and proof value."""
    ours, theirs = (sd_exchange.derived[case, base, deriver] for deriver in SIDES)
    assert ours["proof"]["proofValue"] == theirs["proof"]["proofValue"]
    assert ours == theirs


@pytest.mark.parametrize("case", SELECTIVE)
def test_both_sides_issue_the_same_base_proof_but_its_signatures(sd_exchange: SdExchange,
                                                                  case: str) -> None:
    """Same key, document, ``created`` and mandatory pointers: the same proof options and
    pointers, as many statement signatures; the keys and signatures are fresh each time."""
    ours, theirs = (sd_exchange.bases[case, side] for side in SIDES)
    assert {**ours, "proof": {**ours["proof"], "proofValue": None}} == {
        **theirs, "proof": {**theirs["proof"], "proofValue": None}}
    values = [parse_base(document["proof"]["proofValue"]) for document in (ours, theirs)]
    assert values[0].mandatory_pointers == values[1].mandatory_pointers == MANDATORY
    assert len(values[0].signatures) == len(values[1].signatures) > 0
    assert values[0].public_key != values[1].public_key


@pytest.mark.parametrize(("case", "base", "deriver"), DERIVED)
def test_both_sides_reject_a_tampered_disclosure(sd_exchange: SdExchange, case: str,
                                                 base: str, deriver: str) -> None:
    """A disclosed name changed after deriving: refused by both."""
    verdict = sd_exchange.verdicts[case, base, deriver, "tampered"]
    assert verdict["verified"] is False
    with pytest.raises(SignatureError):
        _credstack_verifies(tampered(sd_exchange.derived[case, base, deriver]))


@pytest.mark.parametrize("case", SELECTIVE)
@pytest.mark.parametrize("base", SIDES)
def test_both_sides_refuse_a_base_proof_presented_as_it_is(sd_exchange: SdExchange, case: str,
                                                           base: str) -> None:
    """The issuer's base proof is the holder's, not a verifier's: both refuse it."""
    verdict = sd_exchange.verdicts[case, base, "base"]
    assert verdict["verified"] is False
    assert "derived proof" in verdict["error"]
    with pytest.raises(MalformedCredentialError) as caught:
        _credstack_verifies(sd_exchange.bases[case, base])
    assert "holder must derive" in error_words(caught.value, "en")


def test_the_sd_exchange_is_batched(sd_exchange: SdExchange) -> None:
    """Three node processes: issue, derive, verify."""
    assert sd_exchange.node_calls == 3
