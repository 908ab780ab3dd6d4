"""A refused profile handle says what it always said in English and Japanese, word for word,
and is said in every language the wallet speaks.

``handles_words.json`` holds what :func:`credstack.core.wallet.handles.parse_handle` said
before its words moved into the catalogues (issue 53): for malformed and reserved handles,
the refusal and its problem as the pages worded them in English and Japanese. They are now
message keys (``wallet.refused.handle_…``) with the handle as their value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.wallet.handles import parse_handle
from credstack.errors import InputError
from credstack.words import error_words, problem_words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "handles_words.json").read_text(encoding="utf-8"))
#: The languages the wallet speaks.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")


def _refused(text: str) -> InputError:
    with pytest.raises(InputError) as raised:
        parse_handle(text)
    return raised.value


@pytest.mark.parametrize("recorded", RECORDED, ids=[row["text"] for row in RECORDED])
def test_a_refused_handle_says_what_it_said(recorded: dict[str, Any]) -> None:
    """The refusal and its problem are message keys, worded in English and Japanese as
    before."""
    error = _refused(recorded["text"])
    assert error.code.startswith("wallet.refused.handle_")
    assert [error_words(error, "en"), error_words(error, "ja")] == \
        [recorded["en"], recorded["ja"]]
    assert [[problem.location, problem_words(problem, "en"), problem_words(problem, "ja")]
            for problem in error.problems] == recorded["problems"]


@pytest.mark.parametrize("recorded", RECORDED, ids=[row["text"] for row in RECORDED])
def test_a_refused_handle_is_said_in_every_language_of_the_wallet(
        recorded: dict[str, Any]) -> None:
    """Each language words the refusal and its problem in its own words, with the handle a
    reserved one names."""
    error = _refused(recorded["text"])
    for language in LANGUAGES[2:]:
        said = [error_words(error, language),
                *(problem_words(problem, language) for problem in error.problems)]
        assert all(text and "wallet." not in text and text not in (recorded["en"], recorded["ja"])
                   for text in said), (language, said)
        if "handle" in error.params:
            assert all(str(error.params["handle"]) in text for text in said)
