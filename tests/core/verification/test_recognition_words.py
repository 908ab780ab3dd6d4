"""The recognition check says what it always said, in Japanese and English, word for word.

``recognition_words.json`` holds the words credstack gave each kind of recognition (every
status, a body named in both languages, in English only or not at all, each outcome, with and
without the end of its validity period) before the check's words moved into the catalogues
(issue 53); :func:`~credstack.core.verification.recognition.recognition_said` said as a
message key must word the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.said import InLanguages, Said
from credstack.core.verification.recognition import recognition_said
from credstack.entrypoints.web.i18n.negotiation import LANGUAGES
from credstack.words import words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "recognition_words.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("recorded", RECORDED,
                         ids=[f"{row['recognition']['status']}-{number}"
                              for number, row in enumerate(RECORDED)])
def test_a_recognition_says_what_it_said(recorded: dict[str, Any]) -> None:
    """Its reason, and the warning naming its decision, in English and Japanese as before."""
    said = recognition_said(recorded["recognition"])
    number = recorded["recognition"]["number"]
    decision = Said("verification.check.recognition.decision", reason=said, number=number)
    assert (words(said, "en"), words(said, "ja")) == (recorded["en"], recorded["ja"])
    assert words(decision, "en") == f"{recorded['en']} (decision {number})"
    assert words(decision, "ja") == f"{recorded['ja']}（決定番号 {number}）"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_body_is_named_in_the_readers_language_else_in_english(language: str) -> None:
    """A name its records give in the reader's language is that one; else the English."""
    names = {"en": "Japan Body", "ja": "日本機構", "ko": "일본 기구"}
    said = recognition_said({"status": "withdrawn", "outcome": "recognised",
                             "valid_until": None, "number": "R-1",
                             "issuer": {"id": "did:web:x", "name": None, "names": names}})
    assert said.params["who"] == InLanguages(names)
    assert names.get(language, "Japan Body") in words(said, language)
