"""A did:jwk that cannot be read says what it always said in English, word for word, and is
said in every language /verify speaks.

``did_jwk_words.json`` holds what :mod:`credstack.core.dids.did_jwk` raised before its words
moved into the catalogues (issue 53): for each identifier refused (not a string, not
did:jwk:<base64url>, not a JWK, a private key, another fragment than #0, a key credstack
does not read), the error's message and its problems (where, and what), and — for a
verification method so named — the English and Japanese of the proof refusal a verification
reports. The errors are now message keys with their values; worded from the catalogues they
must read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.dids import did_jwk
from credstack.core.verification.methods import resolve
from credstack.core.verification.pipeline.seams import CREDENTIAL
from credstack.core.verification.proofs import proof_refusal
from credstack.errors import CredstackError
from credstack.words import error_words, problem_words, words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "did_jwk_words.json").read_text(encoding="utf-8"))
#: The languages /verify speaks.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")
IDS = [f"{row['function']}-{number}" for number, row in enumerate(RECORDED)]


def _refused(recorded: dict[str, Any]) -> CredstackError:
    """The error the recorded identifier is refused with now."""
    with pytest.raises(CredstackError) as raised:
        getattr(did_jwk, recorded["function"])(*recorded["args"], **recorded["kwargs"])
    return raised.value


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_did_jwk_says_in_english_what_it_said(recorded: dict[str, Any]) -> None:
    """The error is a message key with its values (no words in the code); its English and
    its problems' English are the words it had."""
    error = _refused(recorded)
    assert type(error).__name__ == recorded["error"]
    assert error.code.startswith(("dids.jwk.", "dids.web."))
    assert error_words(error, "en") == recorded["message"]
    assert [[problem.location, problem_words(problem, "en")] for problem in error.problems] \
        == recorded["problems"]


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_did_jwk_is_said_in_every_language_of_verify(
        recorded: dict[str, Any]) -> None:
    """Each language words the error and the problems it finds in its own words, with the
    values (a JSON parser's own words, from :mod:`credstack.core.crypto.multibase`, are its
    own)."""
    error = _refused(recorded)
    own = [p for p in error.problems if p.code.startswith("dids.")]
    english = [error_words(error, "en"), *(problem_words(p, "en") for p in own)]
    for language in LANGUAGES[1:]:
        said = [error_words(error, language), *(problem_words(p, language) for p in own)]
        assert all(text and text != english_text and "dids." not in text
                   for text, english_text in zip(said, english, strict=True)), (language, said)
        if "quoted" in error.params:
            assert str(error.params["quoted"]) in said[0]


@pytest.mark.parametrize("recorded", [row for row in RECORDED if "refusal" in row],
                         ids=[IDS[number] for number, row in enumerate(RECORDED)
                              if "refusal" in row])
def test_a_proof_whose_did_jwk_is_refused_says_what_it_said(recorded: dict[str, Any]) -> None:
    """A proof naming the refused did:jwk as its verification method: the refusal's code,
    English and Japanese as before (the English names what was wrong with the did:jwk)."""
    with pytest.raises(CredstackError) as raised:
        resolve({}, lambda method: pytest.fail(f"{method} resolved outside"), recorded["method"])
    refusal = proof_refusal(raised.value, CREDENTIAL)
    assert refusal.said is not None
    assert {"code": refusal.code, "en": words(refusal.said, "en"),
            "ja": words(refusal.said, "ja")} == recorded["refusal"]
