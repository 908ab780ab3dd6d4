"""What changed in a target's rules says what it always said in English and Japanese, word for
word, and is said in every language a public page speaks.

``changes_words.json`` holds what :meth:`Change.describe` said in the core before its words
moved into the catalogues (issue 53): for pairs of targets (a total, general credit, a cap's
credits and source, requirements added, removed and retitled, a jurisdiction's rule adopted
and dropped, programmes elsewhere described and described otherwise), each change's scope,
subject, aspect and its English and Japanese. A change is now a message key with its values
(:attr:`Change.said`); worded from the catalogues it must read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.creditbank import changes, load_target
from credstack.words import words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "changes_words.json").read_text(encoding="utf-8"))
#: The languages the public pages speak beside Japanese and English.
OTHERS = ("ko", "zh-Hans", "th", "vi", "id", "ms")


@pytest.mark.parametrize("recorded", RECORDED, ids=[str(number) for number in range(len(RECORDED))])
def test_a_change_says_in_english_and_japanese_what_it_said(recorded: dict[str, Any]) -> None:
    """The same changes in the same order, each a message key (no words in the core) whose
    English and Japanese are the words it had."""
    found = changes(load_target(recorded["before"]), load_target(recorded["after"]))
    assert [(c.scope.value, c.subject, c.aspect) for c in found] == [
        (c["scope"], c["subject"], c["aspect"]) for c in recorded["changes"]]
    for change, was in zip(found, recorded["changes"], strict=True):
        assert change.said.key.startswith("creditbank.change.")
        assert words(change.said, "en") == was["en"]
        assert words(change.said, "ja") == was["ja"]


@pytest.mark.parametrize("language", OTHERS)
def test_a_change_is_said_in_every_language_of_the_public_pages(language: str) -> None:
    """Each change has words of its own in each language, naming what it is about."""
    for recorded in RECORDED:
        found = changes(load_target(recorded["before"]), load_target(recorded["after"]))
        for change, was in zip(found, recorded["changes"], strict=True):
            said = words(change.said, language)
            assert said and said != was["en"] and "creditbank." not in said, (language, said)
            assert "{" not in said
            assert change.subject in said
