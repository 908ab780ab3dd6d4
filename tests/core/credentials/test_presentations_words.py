"""A credential that cannot go in a presentation or a CLR, and a presentation that cannot be
built or signed, say what they always said in English and Japanese, word for word, and are
said in every language the wallet speaks.

``presentation_words.json`` holds what :func:`~credstack.core.credentials.embedding.embedded`,
:func:`~credstack.core.credentials.presentations.build_presentation` and
:func:`~credstack.core.credentials.presentations.sign_presentation` raised before their words
moved into the catalogues (issue 53): for each case, what was given, the error's message
(``English / 日本語``) and its problems (where, and the English). The errors are now message
keys with their values; worded from the catalogues they must read the same.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.credentials.embedding import embedded
from credstack.core.credentials.presentations import build_presentation, sign_presentation
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.errors import CredstackError
from credstack.words import error_words, problem_words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "presentation_words.json").read_text(encoding="utf-8"))
IDS = [f"{row['function']}-{row['case']}-{row.get('into', '')}" for row in RECORDED]
#: The languages the wallet speaks beside Japanese and English.
OTHERS = ("ko", "zh-Hans", "th", "vi", "id", "ms")
KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(7, 39)))
OTHER_METHOD = did_key.verification_method_id(
    KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(50, 82))).public_key)


def _refused(recorded: dict[str, Any]) -> CredstackError:
    with pytest.raises(CredstackError) as raised:
        if recorded["function"] == "embedded":
            embedded(recorded["given"], 3, into=recorded["into"])
        elif recorded["function"] == "build_presentation":
            build_presentation(recorded["credentials"], holder=recorded["holder"],
                               presentation_id=recorded.get("presentation_id"))
        else:
            sign_presentation(
                recorded["presentation"], key=KEY, challenge=recorded["challenge"],
                verification_method=OTHER_METHOD if recorded.get("method")
                else did_key.verification_method_id(KEY.public_key),
                domain=recorded["domain"], created=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                document_loader=None)
    return raised.value


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refusal_says_in_english_and_japanese_what_it_said(recorded: dict[str, Any]) -> None:
    """The same error, a message key with its values (no words in the core), whose English
    and Japanese are the words it had; its problems too."""
    error = _refused(recorded)
    assert type(error).__name__ == recorded["error"]
    assert error.code.startswith("credentials.")
    assert f"{error_words(error, 'en')} / {error_words(error, 'ja')}" == recorded["message"]
    assert [[problem.location, problem_words(problem, "en")] for problem in error.problems] \
        == recorded["problems"]


@pytest.mark.parametrize("language", OTHERS)
def test_a_refusal_is_said_in_every_language_of_the_wallet(language: str) -> None:
    """Each has words of its own in each language, naming where (``credentials[3]``)."""
    for recorded in RECORDED:
        error = _refused(recorded)
        said = error_words(error, language)
        assert said and "credentials." not in said and "{" not in said, said
        assert said != error_words(error, "en"), said
        if "where" in error.params:
            assert "credentials[3]" in said
