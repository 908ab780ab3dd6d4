"""What every Data Integrity cryptosuite refuses the same way says what it always said in
English, word for word.

``_common_words.json`` holds what :mod:`credstack.core.proofs.cryptosuites._common` raised
before its words moved into the catalogues (issue 53): a key of a type the suite does not sign
or verify with, a proof configuration of another type or suite or with a date that is none, a
``proofValue`` missing, not base58-btc or of the wrong length, transformation options of
another suite — the error's class, message and problems (where, and what) — and, for a
credential a verification meets so, the refusal it reports: code, English and Japanese. The
errors are now ``proof.suite.*`` keys with their values; worded from the catalogues they read
the same in English. The Japanese refusal used to carry the English words after its own; it
now says them in Japanese.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.proofs import data_integrity
from credstack.core.proofs.cryptosuites import _common, eddsa_jcs_2022, eddsa_rdfc_2022
from credstack.errors import CredstackError
from credstack.words import error_words
from tests.words import proof_error_said

RECORDED: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "_common_words.json").read_text(encoding="utf-8"))

KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
P256 = KeyPair.from_secret_bytes(KeyType.P256, bytes(range(1, 33)))
METHOD = did_key.verification_method_id(KEY.public_key)
CREATED = "2025-06-01T09:30:00Z"
DOCUMENT: dict[str, Any] = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                            "type": ["VerifiableCredential"], "issuer": METHOD.split("#")[0],
                            "credentialSubject": {"id": "urn:uuid:1"}}
CONFIG = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}


def _signed() -> dict[str, Any]:
    return data_integrity.sign(DOCUMENT, key=KEY, verification_method=METHOD,
                               cryptosuite="eddsa-jcs-2022", created=CREATED)


def _proof(**changes: Any) -> dict[str, Any]:
    signed = _signed()
    proof = {**signed["proof"], **changes}
    return {**signed, "proof": {k: v for k, v in proof.items() if v is not None}}


#: Every refusal a test can provoke, by name: what raises it.
CASES: dict[str, Callable[[], object]] = {
    "signing-key": lambda: data_integrity.sign(
        DOCUMENT, key=P256, verification_method=METHOD, cryptosuite="eddsa-jcs-2022",
        created=CREATED),
    "verification-key": lambda: data_integrity.verify(
        _signed(), resolve_key=lambda method: P256.public_key),
    "config-type": lambda: _common.check_proof_configuration(
        {**CONFIG, "type": "Ed25519Signature2020"}, "eddsa-rdfc-2022"),
    "config-suite": lambda: _common.check_proof_configuration(CONFIG, "ecdsa-rdfc-2019"),
    "config-created": lambda: _common.check_proof_configuration(
        {**CONFIG, "created": "yesterday"}, "eddsa-rdfc-2022"),
    "value-missing": lambda: eddsa_jcs_2022.decode_proof_value({}),
    "decode-not-base58": lambda: eddsa_jcs_2022.decode_proof_value({"proofValue": "u0000"}),
    "decode-length": lambda: eddsa_jcs_2022.decode_proof_value({"proofValue": "z" + "1" * 40}),
    "value-not-base58": lambda: data_integrity.verify(_proof(proofValue="u0000")),
    "value-length": lambda: data_integrity.verify(_proof(proofValue="z" + "1" * 40)),
    "transformation": lambda: eddsa_rdfc_2022._SUITE.check_transformation_options(CONFIG | {
        "cryptosuite": "ecdsa-rdfc-2019"}),
}


def refused(name: str) -> CredstackError:
    """The error ``CASES[name]`` raises."""
    with pytest.raises(CredstackError) as raised:
        CASES[name]()
    return raised.value


def record(name: str) -> dict[str, Any]:
    """What the refusal says: its class, English message and problems, and for a credential
    refused on verification the refusal a verification reports (code, English, Japanese)."""
    return proof_error_said(refused(name),
                            on_verification=name.startswith(("verification-", "value-")))


def test_every_case_is_recorded() -> None:
    """The record holds each case, and only those."""
    assert sorted(RECORDED) == sorted(CASES)


#: The languages /verify speaks.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refusal_says_in_english_what_it_said(name: str) -> None:
    """Its class, message, problems and the refusal a verification reports (code, English)
    are the words they were; the Japanese refusal begins as it did."""
    said, recorded = record(name), RECORDED[name]
    assert {key: said[key] for key in ("error", "message", "problems")} == {
        key: recorded[key] for key in ("error", "message", "problems")}
    if "refusal" in recorded:
        assert {key: said["refusal"][key] for key in ("code", "en")} == {
            key: recorded["refusal"][key] for key in ("code", "en")}
        head = recorded["refusal"]["ja"].partition("：")[0]
        assert said["refusal"]["ja"].startswith(head)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refusal_is_said_in_every_language_of_verify(name: str) -> None:
    """The error is a ``proof.suite.`` key with its values (a date's, ``proof.di.``'s), and
    each language words it in its own words, with the values."""
    error = refused(name)
    assert error.code.startswith(("proof.suite.", "proof.di."))
    english = error_words(error, "en")
    for language in LANGUAGES[1:]:
        said = error_words(error, language)
        assert said and said != english and error.code not in said, (language, said)
        assert all(str(value) in said for value in error.params.values()
                   if isinstance(value, str)), said


if __name__ == "__main__":  # python tests/core/proofs/cryptosuites/test__common_words.py
    print(json.dumps({name: record(name) for name in sorted(CASES)}, ensure_ascii=False,
                     indent=1))
