"""A signed badge (JWS) refused, and a hosted assertion outside its issuer's policy, say what
they always said in English, word for word, and are said in every language /verify speaks.

``openbadges_v2_signature_words.json`` holds what
:mod:`credstack.core.credentials.openbadges_v2.signatures` said before its words moved into the
catalogues (issue 53): for each JWS read, key used or signature checked, the error's class,
message and problems (where, and what); for each hosted assertion and issuer, the reason
the policy refuses it and its note. They are now message keys (``ob2.jws.…``,
``ob2.policy.…``) with their values; worded from the catalogues they must read the same. The
keys are drawn afresh for each run: what is said depends on their kind and size alone.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.said import Said
from credstack.errors import CredstackError
from credstack.words import error_words, problem_words, words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "openbadges_v2_signature_words.json").read_text(encoding="utf-8"))
REFUSALS = [row for row in RECORDED if row["function"] != "hosted_policy_problem"]
POLICIES = [row for row in RECORDED if row["function"] == "hosted_policy_problem"]
#: The languages /verify speaks.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")


@cache
def _key(name: str) -> Any:
    """A private key of the kind (and size) the record names."""
    if name == "rsa_small":
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)
    if name == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if name == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    return ec.generate_private_key(ec.SECP256R1() if name == "p256" else ec.SECP384R1())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _refused(recorded: dict[str, Any]) -> CredstackError:
    """The error the recorded JWS, key or signature is refused with now."""
    given = recorded["given"]
    with pytest.raises(CredstackError) as raised:
        if recorded["function"] == "read_jws":
            ob2.read_jws(given)
        elif recorded["function"] == "algorithm_of":
            ob2.algorithm_of(_key(given))
        else:
            header, key = given
            # A P-256 signature one byte short; else 64 bytes no key signed.
            short = header.get("alg") == "ES256" and key == "p256"
            token = ".".join([_b64(json.dumps(header).encode()), _b64(b'{"a":1}'),
                              _b64(bytes(63 if short else 64))])
            pem = key if key.startswith("-----") else _key(key).public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
            ob2.verify_jws(ob2.read_jws(token), pem)
    return raised.value


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [f"{row['function']}-{number}" for number, row in enumerate(rows)]


@pytest.mark.parametrize("recorded", REFUSALS, ids=_ids(REFUSALS))
def test_a_refused_jws_says_in_english_what_it_said(recorded: dict[str, Any]) -> None:
    """The error is a message key with its values (no words in the code); its English and
    its problems' English are the words they had."""
    error = _refused(recorded)
    assert type(error).__name__ == recorded["error"]
    assert error.code.startswith("ob2.jws.")
    assert error_words(error, "en") == recorded["message"]
    assert [[problem.location, problem_words(problem, "en")] for problem in error.problems] \
        == recorded["problems"]


@pytest.mark.parametrize("recorded", REFUSALS, ids=_ids(REFUSALS))
def test_a_refused_jws_is_said_in_every_language_of_verify(recorded: dict[str, Any]) -> None:
    """Each language words the error and each problem said by a key in its own words."""
    error = _refused(recorded)
    coded = [problem for problem in error.problems if problem.code]
    english = [error_words(error, "en"), *(problem_words(p, "en") for p in coded)]
    for language in LANGUAGES[1:]:
        said = [error_words(error, language), *(problem_words(p, language) for p in coded)]
        assert all(text and text != english_text and not text.startswith("ob2.")
                   for text, english_text in zip(said, english, strict=True)), (language, said)


@pytest.mark.parametrize("recorded", POLICIES, ids=_ids(POLICIES))
def test_a_hosting_policy_says_what_it_said(recorded: dict[str, Any]) -> None:
    """Why an assertion is outside its issuer's policy, and the note on where the issuer's
    origin came from, are said; in English as they read, in every language in its own."""
    assertion_id, issuer, location = recorded["given"]
    reason, notes = ob2.hosted_policy_problem(assertion_id, issuer, issuer_location=location)
    assert (None if reason is None else words(reason, "en")) == recorded["reason"]
    assert [words(note, "en") for note in notes] == recorded["notes"]
    for said in [*([reason] if reason is not None else []), *notes]:
        assert isinstance(said, Said)
        for language in LANGUAGES[1:]:
            assert words(said, language) != words(said, "en"), language
