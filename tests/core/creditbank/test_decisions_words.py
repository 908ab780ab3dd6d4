"""A credit decision's explanation says what it always said in English and Japanese, word for
word, and is said in every language the learner's credit bank speaks.

``explain_words.json`` holds what :func:`explain` said in the core before its words moved into
the catalogues (issue 53): 33 decisions (every one the core credit bank tests make, and two
for hours missing and credits that disagree with their hours or another system's credits),
each with its target, its decision as kept, the deposits' names and the English and Japanese
lines. A line is now a message key with its values (``creditbank.explain.*``); the decision
read back from what was kept and worded from the catalogues must read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.creditbank import explain, load_target, restored
from credstack.words import words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "explain_words.json").read_text(encoding="utf-8"))
#: The languages the learner's credit bank speaks beside Japanese and English.
OTHERS = ("ko", "zh-Hans", "th", "vi", "id", "ms")


def _explained(recorded: dict[str, Any]) -> tuple[Any, ...]:
    target = load_target(recorded["target"], source="target.yaml")
    return explain(restored(recorded["decision"], target), recorded["names"])


@pytest.mark.parametrize("recorded", RECORDED, ids=[str(number) for number in range(len(RECORDED))])
def test_an_explanation_says_in_english_and_japanese_what_it_said(
        recorded: dict[str, Any]) -> None:
    """The same lines, each a message key (no words in the core) whose English and Japanese
    are the words it had."""
    lines = _explained(recorded)
    assert all(line.key.startswith("creditbank.explain.") for line in lines)
    assert [words(line, "en") for line in lines] == recorded["en"]
    assert [words(line, "ja") for line in lines] == recorded["ja"]


@pytest.mark.parametrize("language", OTHERS)
def test_an_explanation_is_said_in_every_language_of_the_learners_pages(language: str) -> None:
    """Each line has words of its own in each language, indented where the English is (a
    counted deposit under its requirement), with every value filled in."""
    for recorded in RECORDED:
        for line, english in zip(_explained(recorded), recorded["en"], strict=True):
            said = words(line, language)
            assert said and "creditbank." not in said and "{" not in said, (language, said)
            assert said.startswith("    ") == english.startswith("    "), (language, said)
            if not english.startswith(("- ", "    ")) or english.startswith("    missing"):
                assert said != english, (language, said)
