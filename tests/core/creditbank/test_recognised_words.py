"""The credential that records a credit decision says what it always said, word for word.

``recognised_words.json`` holds, for 60 credentials (the 33 recorded decisions of
``explain_words.json``, some with adjustments, titled in Japanese and English, in one of them,
or with a third language), what :func:`decision_credential` wrote before its words moved into
the catalogues (issue 53): its name, its achievement's name and description, the criteria
narrative and the title by language. Worded from the catalogues they must read the same, but
a title in a language beside Japanese and English, which is now said in that language.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.creditbank.recognised import decision_credential
from credstack.words import words

HERE = Path(__file__).parent
RECORDED: list[dict[str, Any]] = json.loads(
    (HERE / "recognised_words.json").read_text(encoding="utf-8"))
DECISIONS: list[dict[str, Any]] = json.loads(
    (HERE / "explain_words.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("recorded", RECORDED, ids=[str(number) for number in range(len(RECORDED))])
def test_a_recognition_credential_says_what_it_said(recorded: dict[str, Any]) -> None:
    """Name, description, narrative and the Japanese and English titles as they were."""
    document = decision_credential(
        target_url="https://mc.example.jp/t", title=recorded["title"],
        email="hanako@example.jp", salt="s",
        decision=DECISIONS[recorded["decision"]]["decision"],
        adjustments=recorded["adjustments"], words=words)
    achievement = document["credentialSubject"]["achievement"]
    assert document["name"] == achievement["name"] == recorded["name"]
    assert achievement["description"] == recorded["description"]
    assert achievement["criteria"]["narrative"] == recorded["narrative"]
    titles = next(value["title"] for value in achievement.values()
                  if isinstance(value, dict) and "title" in value)
    assert titles.keys() == recorded["titles"].keys()
    for language, title in titles.items():
        if language in ("ja", "en"):
            assert title == recorded["titles"][language]
        else:
            assert title != recorded["titles"][language]
            assert recorded["title"][language] in title
