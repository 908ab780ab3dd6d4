"""A Data Integrity proof that cannot be made or read says what it always said in English, word
for word.

``data_integrity_words.json`` holds what :mod:`credstack.core.proofs.data_integrity` raised
before its words moved into the catalogues (issue 53): for each refusal a test can provoke
(signing without a loader or with a bad ``created``, a document without a proof, proofs of
a kind credstack does not verify, incomplete or mistyped proofs, a chain to a proof that is
not there, two proofs with one id, contexts added after signing), the error's class, its
message and its problems (where, and what), and the refusal a verification reports of it:
its code, English and Japanese. The errors are now ``proof.di.*`` keys with their values;
worded from the catalogues they read the same in English. The Japanese refusal used to carry
the English words after its own; it now says them in Japanese.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.proofs import data_integrity
from credstack.errors import CredstackError
from credstack.words import error_words, problem_words
from tests.words import proof_error_said

RECORDED: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data_integrity_words.json").read_text(encoding="utf-8"))

KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
METHOD = did_key.verification_method_id(KEY.public_key)
CREATED = "2025-06-01T09:30:00Z"
DOCUMENT: dict[str, Any] = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                            "type": ["VerifiableCredential"], "issuer": METHOD.split("#")[0],
                            "credentialSubject": {"id": "urn:uuid:1"}}


def _signed(suite: str = "eddsa-jcs-2022", created: str = CREATED, **options: Any
            ) -> dict[str, Any]:
    return data_integrity.sign(DOCUMENT, key=KEY, verification_method=METHOD,
                               cryptosuite=suite, created=created, **options)


def _two(**second: Any) -> dict[str, Any]:
    """A proof set of two proofs (ids ``urn:p1`` and ``urn:p2``)."""
    one = _signed(proof_id="urn:p1")
    two = _signed(proof_id="urn:p2")
    proof = {**two["proof"], **second}
    return {**one, "proof": [one["proof"], {k: v for k, v in proof.items() if v is not None}]}


def _proof(**changes: Any) -> dict[str, Any]:
    """The signed document with its one proof changed (a member ``None``: left out)."""
    signed = _signed()
    proof = {**signed["proof"], **changes}
    return {**signed, "proof": {k: v for k, v in proof.items() if v is not None}}


def _verify(document: Any, **options: Any) -> object:
    return data_integrity.verify(document, **options)


def _extended() -> dict[str, Any]:
    signed = copy.deepcopy(_signed())
    signed["@context"] = [*signed["@context"], {"extra": "https://example.org/extra"}]
    return signed


#: Every refusal a test can provoke, by name: what raises it.
CASES: dict[str, Callable[[], object]] = {
    "sign-no-loader": lambda: data_integrity.sign(
        DOCUMENT, key=KEY, verification_method=METHOD, cryptosuite="eddsa-rdfc-2022",
        created=CREATED),
    "sign-not-object": lambda: data_integrity.sign(
        [], key=KEY, verification_method=METHOD,  # type: ignore[arg-type]
        cryptosuite="eddsa-jcs-2022", created=CREATED),
    "sign-unknown-suite": lambda: _signed("eddsa-2099"),
    "sign-created": lambda: _signed(created="yesterday"),
    "sign-chain-missing": lambda: data_integrity.sign(
        _signed(proof_id="urn:p1"), key=KEY, verification_method=METHOD,
        cryptosuite="eddsa-jcs-2022", created=CREATED, previous_proof="urn:p9"),
    "sign-proof-not-object": lambda: data_integrity.sign(
        {**DOCUMENT, "proof": ["x"]}, key=KEY, verification_method=METHOD,
        cryptosuite="eddsa-jcs-2022", created=CREATED),
    "verify-not-object": lambda: _verify([]),
    "verify-no-proof": lambda: _verify(DOCUMENT),
    "verify-empty-set": lambda: _verify({**DOCUMENT, "proof": []}),
    "verify-proof-not-object": lambda: _verify({**DOCUMENT, "proof": [_signed()["proof"], 3]}),
    "verify-no-type": lambda: _verify(_proof(type=None)),
    "verify-other-type": lambda: _verify(_proof(type="JsonWebSignature2020")),
    "verify-nothing-verifiable": lambda: _verify(_proof(type="JsonWebSignature2020"),
                                                 skip_unsupported=True),
    "verify-nothing-verifiable-suite": lambda: _verify(_proof(cryptosuite="bbs-2023"),
                                                       skip_unsupported=True),
    "verify-incomplete": lambda: _verify(_proof(verificationMethod=None, proofPurpose=3)),
    "verify-unknown-suite": lambda: _verify(_proof(cryptosuite="bbs-2023")),
    "verify-purpose": lambda: _verify(_proof(proofPurpose="authentication")),
    "verify-created": lambda: _verify(_proof(created="yesterday")),
    "verify-expires": lambda: _verify(_proof(expires="2025-13-01T00:00:00Z")),
    "verify-id-type": lambda: _verify(_proof(id=5)),
    "verify-domain-type": lambda: _verify(_proof(domain=[])),
    "verify-previous-type": lambda: _verify(_proof(previousProof=5)),
    "verify-no-loader": lambda: _verify(_signed_rdfc()),
    "verify-chain-skipped": lambda: _verify(_chained_to_skipped(), skip_unsupported=True),
    "verify-chain-missing": lambda: _verify(_two(previousProof="urn:p9")),
    "verify-same-id": lambda: _verify(_two(id="urn:p1", created="2025-06-02T00:00:00Z")),
    "verify-value-in-set": lambda: _verify(_two(proofValue="z" + "1" * 86)),
    "verify-signature-in-set": lambda: _verify(_two(
        proofValue=_signed(proof_id="urn:p1")["proof"]["proofValue"])),
    "verify-context-added": lambda: _verify(_extended()),
}


def _signed_rdfc() -> dict[str, Any]:
    signed = _signed()
    return {**signed, "proof": {**signed["proof"], "cryptosuite": "eddsa-rdfc-2022"}}


def _chained_to_skipped() -> dict[str, Any]:
    document = _two(previousProof="urn:p1")
    document["proof"][0] = {**document["proof"][0], "type": "JsonWebSignature2020"}
    return document


def refused(name: str) -> CredstackError:
    """The error ``CASES[name]`` raises."""
    with pytest.raises(CredstackError) as raised:
        CASES[name]()
    return raised.value


def record(name: str) -> dict[str, Any]:
    """What the refusal says: its class, English message and problems, and for a document
    refused on verification the refusal a verification reports (code, English, Japanese)."""
    return proof_error_said(refused(name), on_verification=name.startswith("verify-"))


def test_every_case_is_recorded() -> None:
    """The record holds each case, and only those."""
    assert sorted(RECORDED) == sorted(CASES)


#: The languages /verify speaks.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refused_proof_says_in_english_what_it_said(name: str) -> None:
    """Its class, its message, its problems' English and the refusal a verification reports
    (code, English) are the words they were; the Japanese refusal begins as it did."""
    said, recorded = record(name), RECORDED[name]
    assert {key: said[key] for key in ("error", "message", "problems")} == {
        key: recorded[key] for key in ("error", "message", "problems")}
    if "refusal" in recorded:
        assert {key: said["refusal"][key] for key in ("code", "en")} == {
            key: recorded["refusal"][key] for key in ("code", "en")}
        head = recorded["refusal"]["ja"].partition("：")[0]
        assert said["refusal"]["ja"].startswith(head)


#: The cases whose error the cryptosuite raises (its words are still its own).
SUITES_OWN = ("verify-signature-in-set", "verify-value-in-set")


@pytest.mark.parametrize("name", sorted(name for name in CASES if name not in SUITES_OWN))
def test_a_refused_proof_is_said_in_every_language_of_verify(name: str) -> None:
    """The error is a ``proof.di.`` key with its values, and each language words it and the
    problems it finds in its own words, with the values."""
    error = refused(name)
    assert error.code.startswith("proof.di.")
    english = [error_words(error, "en"), *(problem_words(p, "en") for p in error.problems)]
    for language in LANGUAGES[1:]:
        said = [error_words(error, language),
                *(problem_words(p, language) for p in error.problems)]
        assert all(text and "proof.di." not in text for text in said), (language, said)
        assert said[0] != english[0], language
        for problem, text in zip(error.problems, said[1:], strict=True):
            assert all(str(value) in text for value in problem.params.values()
                       if isinstance(value, str)), text


if __name__ == "__main__":  # python tests/core/proofs/test_data_integrity_words.py: record
    print(json.dumps({name: record(name) for name in sorted(CASES)}, ensure_ascii=False,
                     indent=1))
