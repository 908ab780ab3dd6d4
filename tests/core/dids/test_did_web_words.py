"""A did:web, or a DID document, that cannot give a key says what it always said in English,
word for word, and is said in every language /verify speaks.

``did_web_words.json`` holds what :mod:`credstack.core.dids.did_web` raised before its words
moved into the catalogues (issue 53): for each call refused (a did:web that is none, a document
that is not JSON or is another DID's, a method it does not list or that may not assert, a key
it cannot read), the error's message and its problems (where, and what), and — for a
verification method a resolver reads so — the English and Japanese of the proof refusal a
verification reports. The errors are now message keys with their values; worded from the
catalogues they must read the same. :func:`~credstack.core.dids.did_web.did_for` refuses a
configured address (never a reader's input) in words for the engineer, as before.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.dids import did_web
from credstack.core.verification.methods import Resolved, resolve
from credstack.core.verification.pipeline.seams import CREDENTIAL
from credstack.core.verification.proofs import proof_refusal
from credstack.errors import CredstackError
from credstack.words import error_words, problem_words, words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "did_web_words.json").read_text(encoding="utf-8"))
#: The languages /verify speaks.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")
IDS = [f"{row['function']}-{number}" for number, row in enumerate(RECORDED)]
SAID = [row for row in RECORDED if row["error"] != "ValueError"]
SAID_IDS = [IDS[number] for number, row in enumerate(RECORDED) if row["error"] != "ValueError"]


def _refused(recorded: dict[str, Any]) -> Exception:
    """The error the recorded call is refused with now."""
    with pytest.raises((CredstackError, ValueError)) as raised:
        getattr(did_web, recorded["function"])(*recorded["args"], **recorded["kwargs"])
    return raised.value


def _resolver(recorded: dict[str, Any]) -> Any:
    """A resolver reading the recorded did:web or document as the did:web adapter reads it
    (the DID's document URL, the document, then its assertion method)."""
    def resolver(method: str) -> Resolved:
        if recorded["function"] != "assertion_method":
            getattr(did_web, recorded["function"])(*recorded["args"], **recorded["kwargs"])
            pytest.fail(f"{method} resolved")
        did_web.parse(method.partition("#")[0])
        found = did_web.assertion_method(recorded["args"][0], method)
        return found.public_key, found.controller
    return resolver


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_did_web_says_in_english_what_it_said(recorded: dict[str, Any]) -> None:
    """The error is a message key with its values (no words in the code); its English and
    its problems' English are the words it had. A configured address is refused in the
    engineer's words, which did not change either."""
    error = _refused(recorded)
    assert type(error).__name__ == recorded["error"]
    if not isinstance(error, CredstackError):
        assert str(error) == recorded["message"]
        return
    assert error.code.startswith("dids.web.")
    assert error_words(error, "en") == recorded["message"]
    assert [[problem.location, problem_words(problem, "en")] for problem in error.problems] \
        == recorded["problems"]


@pytest.mark.parametrize("recorded", SAID, ids=SAID_IDS)
def test_a_refused_did_web_is_said_in_every_language_of_verify(
        recorded: dict[str, Any]) -> None:
    """Each language words the error and the problems it finds in its own words, with the
    values (the DID, the method, the document)."""
    error = _refused(recorded)
    assert isinstance(error, CredstackError)
    english = [error_words(error, "en"), *(problem_words(p, "en") for p in error.problems)]
    for language in LANGUAGES[1:]:
        said = [error_words(error, language), *(problem_words(p, language)
                                                for p in error.problems)]
        assert all(text and text != english_text and "dids." not in text
                   for text, english_text in zip(said, english, strict=True)), (language, said)
        for name in ("quoted", "method"):
            if name in error.params:
                assert str(error.params[name]) in said[0], (language, said[0])


@pytest.mark.parametrize("recorded", [row for row in RECORDED if "refusal" in row],
                         ids=[IDS[number] for number, row in enumerate(RECORDED)
                              if "refusal" in row])
def test_a_proof_whose_did_web_is_refused_says_what_it_said(recorded: dict[str, Any]) -> None:
    """A proof naming a method whose did:web or document is refused: the refusal's code,
    English and Japanese as before (the English names what was wrong, problems and all)."""
    with pytest.raises(CredstackError) as raised:
        resolve({}, _resolver(recorded), recorded["method"])
    refusal = proof_refusal(raised.value, CREDENTIAL)
    assert refusal.said is not None
    assert {"code": refusal.code, "en": words(refusal.said, "en"),
            "ja": words(refusal.said, "ja")} == recorded["refusal"]
