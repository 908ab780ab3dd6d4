"""A CTDL, OB 3.0 or ELM file the exchange readers refuse says what it always said in English,
word for word, and says it in Japanese too.

``interchange_exchange_words.json`` holds what :mod:`credstack.core.descriptors.interchange`'s
exchange and ELM readers raised before their words moved into the catalogues (issue 53): for
each refused file (:data:`interchange_refusals.EXCHANGE_CASES`) the error's message and its
problems (where, and what, in English only then). They are now ``editor.interchange.*`` message
keys with their values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.descriptors.interchange.documents import Format
from credstack.core.descriptors.interchange.reading import read_documents
from credstack.errors import CredstackError
from credstack.words import error_words, problem_words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "interchange_exchange_words.json").read_text(encoding="utf-8"))
IDS = [f"{row['format']}-{number}" for number, row in enumerate(RECORDED)]


def _refused(recorded: dict[str, Any]) -> CredstackError:
    with pytest.raises(CredstackError) as raised:
        read_documents(recorded["text"], Format(recorded["format"]), source="x.json")
    return raised.value


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_exchange_file_says_in_english_what_it_said(recorded: dict[str, Any]) -> None:
    """The error and its problems are message keys with values; their English is the words
    they had."""
    error = _refused(recorded)
    assert type(error).__name__ == recorded["error"]
    assert error.code.startswith("editor.interchange.refused.")
    assert all(problem.code.startswith("editor.interchange.problem.") and not problem.message
               for problem in error.problems)
    assert error_words(error, "en") == recorded["message"]
    assert [[problem.location, problem_words(problem, "en")] for problem in error.problems] \
        == recorded["problems"]


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_exchange_file_is_said_in_japanese(recorded: dict[str, Any]) -> None:
    """The error and each problem have Japanese words of their own."""
    error = _refused(recorded)
    said = [error_words(error, "ja"), *(problem_words(p, "ja") for p in error.problems)]
    english = [error_words(error, "en"), *(problem_words(p, "en") for p in error.problems)]
    for japanese, in_english in zip(said, english, strict=True):
        assert japanese != in_english and "editor." not in japanese
        assert any(ord(character) > 0x3000 for character in japanese)
