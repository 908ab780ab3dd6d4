"""A programme file the interchange readers refuse says what it always said, word for word.

``interchange_refusals_words.json`` holds what :mod:`credstack.core.descriptors.interchange`
raised before its words moved into the catalogues (issue 53): for each refused file
(:mod:`interchange_refusals`), the error's message and its problems (where, and what in
English and Japanese). The refusals are now ``editor.interchange.*`` message keys with their
values; worded from the catalogues they must read the same, and the error, once English
only, is said in Japanese too (the provider's workspace and the CLI speak both).
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
    (Path(__file__).parent / "interchange_refusals_words.json").read_text(encoding="utf-8"))
IDS = [f"{row['format']}-{number}" for number, row in enumerate(RECORDED)]


def _refused(recorded: dict[str, Any]) -> CredstackError:
    fmt, text = recorded["format"], recorded["text"]
    data = text.encode("latin-1") if fmt.startswith("bytes-") else text
    with pytest.raises(CredstackError) as raised:
        read_documents(data, Format(fmt.removeprefix("bytes-")), source="programmes.x")
    return raised.value


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_file_says_what_it_said_in_english_and_japanese(
        recorded: dict[str, Any]) -> None:
    """The error and its problems are message keys with values (no words in the code), and
    their English and the problems' Japanese are the words they had."""
    error = _refused(recorded)
    assert type(error).__name__ == recorded["error"]
    assert error.code.startswith("editor.interchange.refused.")
    assert all(problem.code.startswith("editor.interchange.problem.") and not problem.message
               for problem in error.problems)
    assert error_words(error, "en") == recorded["message"]
    assert [[problem.location, problem_words(problem, "en"), problem_words(problem, "ja")]
            for problem in error.problems] == recorded["problems"]


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_file_is_said_in_japanese(recorded: dict[str, Any]) -> None:
    """The error's Japanese is not its English and names the file."""
    error = _refused(recorded)
    japanese = error_words(error, "ja")
    assert japanese != recorded["message"] and "programmes.x" in japanese
    assert any(ord(character) > 0x3000 for character in japanese)
