"""A proof that cannot be checked says what it always said, in Japanese and English, word for
word.

``proof_words.json`` holds what :func:`credstack.core.verification.proofs.proof_refusal` said
for a verification method out of reach or not resolved, an unknown JSON-LD context and an
undefined term, before its words moved into the catalogues (issue 53): the refusal's code,
English and Japanese, what it says was missing, and what a status list signed so said
(``the status list … does not verify: …``). The refusal is now a message key with its
parameters; worded from the catalogues it must read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.said import Said
from credstack.core.verification.methods import UnresolvableMethodError
from credstack.core.verification.pipeline.seams import CREDENTIAL
from credstack.core.verification.proofs import proof_refusal
from credstack.errors import (
    CredstackError,
    OutOfReachError,
    Problem,
    UndefinedTermError,
    UnknownContextError,
)
from credstack.words import words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "proof_words.json").read_text(encoding="utf-8"))


def _error(recorded: dict[str, Any]) -> CredstackError:
    """The error the recorded refusal was made of."""
    given = recorded["given"]
    if recorded["code"] == "key-out-of-reach":
        why, url = recorded["missing"][1:3]
        reach = OutOfReachError(given["reach"], why=why,
                                url=None if url == given["method"].partition("#")[0] else url)
        return UnresolvableMethodError(given["method"], given["why"], out_of_reach=reach)
    if recorded["code"] == "unresolvable-method":
        return UnresolvableMethodError(given["method"], given["why"])
    if recorded["code"] == "unknown-context":
        return UnknownContextError(given["message"],
                                   problems=[Problem("@context", given["message"])])
    problems = [] if given["term"] is None else [Problem(
        given["term"], "this term does not expand to an IRI; it would be left out of what "
                       "the signature covers")]
    return UndefinedTermError(given["message"], problems=problems)


@pytest.mark.parametrize("recorded", RECORDED, ids=[
    f"{row['code']}-{number}" for number, row in enumerate(RECORDED)])
def test_a_proof_refusal_says_what_it_said(recorded: dict[str, Any]) -> None:
    """The refusal's code and what was missing as before, its reason a message key worded
    in English and Japanese as the code worded it."""
    refusal = proof_refusal(_error(recorded), CREDENTIAL)
    assert refusal.said is not None and refusal.said.key.startswith("verification.check.proof.")
    assert (refusal.en, refusal.ja) == ("", "")
    assert refusal.code == recorded["code"]
    missing = refusal.missing
    assert (None if missing is None else [missing.what, missing.why, missing.url,
                                          missing.detail]) == recorded["missing"]
    assert (words(refusal.said, "en"), words(refusal.said, "ja")) == (
        recorded["en"], recorded["ja"])


@pytest.mark.parametrize("recorded", RECORDED, ids=[
    f"{row['code']}-{number}" for number, row in enumerate(RECORDED)])
def test_a_status_list_whose_proof_is_refused_says_so_in_its_words(
        recorded: dict[str, Any]) -> None:
    """A status list's proof refused so: the status list at its URL does not verify, and why,
    as the status step said it."""
    refusal = proof_refusal(_error(recorded), CREDENTIAL)
    listed = recorded["status_list"]
    said = Said("verification.check.status.list_unavailable", url=listed["url"],
                why=Said("verification.check.status.list_not_verified", reason=refusal.said))
    assert (words(said, "en"), words(said, "ja")) == (listed["en"], listed["ja"])
