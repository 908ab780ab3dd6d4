"""A recognition's endorsement credential says what it always said, word for word.

``endorsement_words.json`` holds what :func:`build_endorsement_credential` wrote before its
words moved into the catalogues (issue 53): for 108 combinations (a body named in both
languages or one, a programme titled in both, English or not at all, conditions or none, each
outcome, each language) the name, the description and the ``endorsementComment``; and 10
refusals of building and reading one. The words are now ``recognition.review.endorsement.*``
and ``recognition.review.refused.endorsement.*`` keys (the committee's: ja/en); the refusals
had English only, which they keep, with Japanese now beside it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.credentials.endorsements import build_endorsement_credential, read_endorsement
from credstack.core.credentials.openbadges_v3 import IssuerProfile
from credstack.core.review.labels import Label
from credstack.core.types import MultilingualText
from credstack.errors import CredstackError
from credstack.words import error_words, problem_words, words

RECORDED: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "endorsement_words.json").read_text(encoding="utf-8"))
BASE = "https://credstack.example"
BODY_JA, BODY_EN = "日本マイクロクレデンシャル機構", "Japan Micro-credential Organisation"
TITLE_JA, TITLE_EN = "実践データサイエンス入門", "Practical Introduction to Data Science"
BODIES = {"both": {"ja": BODY_JA, "en": BODY_EN}, "en": {"en": BODY_EN}, "ja": {"ja": BODY_JA}}
TITLES = {"both": {"ja": TITLE_JA, "en": TITLE_EN}, "en": {"en": TITLE_EN}, "none": None}
CONDITIONS = {"none": None, "both": ("評価基準を公開すること。", "Publish the assessment rubric."),
              "ja": ("評価基準を公開すること。", "")}
FROM = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
UNTIL = dt.datetime(2029, 4, 1, tzinfo=dt.UTC)


def _build(body: str = "both", title: str = "both", conditions: str = "none",
           outcome: str = "recognised", language: str = "ja", number: str = "R-2026-0001",
           valid_from: dt.datetime = FROM, valid_until: dt.datetime = UNTIL) -> dict[str, Any]:
    chosen, named = CONDITIONS[conditions], TITLES[title]
    return build_endorsement_credential(
        issuer=IssuerProfile(id="did:web:credstack.example",
                             name=MultilingualText(BODIES[body])),
        credential_id=f"{BASE}/recognitions/{number}",
        achievement_id=f"{BASE}/achievements/12/v3", outcome=outcome,
        conditions=Label(*chosen) if chosen else None, decision_number=number,
        decision_page=f"{BASE}/recognitions/{number}/decision", valid_from=valid_from,
        valid_until=valid_until, programme_title=MultilingualText(named) if named else None,
        language=language, words=words)


@pytest.mark.parametrize("recorded", RECORDED["credentials"],
                         ids=[str(number) for number in range(len(RECORDED["credentials"]))])
def test_an_endorsement_says_what_it_said(recorded: dict[str, Any]) -> None:
    """The name, the description and the comment, as they were."""
    credential = _build(recorded["body"], recorded["title"], recorded["conditions"],
                        recorded["outcome"], recorded["language"])
    assert credential["name"] == recorded["name"]
    assert credential["description"] == recorded["description"]
    assert credential["credentialSubject"]["endorsementComment"] == recorded["comment"]


REFUSALS = {"bad number": {"number": "R 2026/1"},
            "naive from": {"valid_from": dt.datetime(2026, 4, 1)},
            "naive until": {"valid_until": dt.datetime(2029, 4, 1)},
            "ends before": {"valid_until": dt.datetime(2026, 3, 1, tzinfo=dt.UTC)}}


@pytest.mark.parametrize("recorded", RECORDED["refusals"],
                         ids=[row["case"] for row in RECORDED["refusals"]])
def test_a_refusal_says_in_english_what_it_said(recorded: dict[str, Any]) -> None:
    """The same refusal and problems in English, and each has Japanese of its own now."""
    with pytest.raises(CredstackError) as raised:
        if "credential" in recorded:
            read_endorsement(recorded["credential"])
        else:
            _build(**REFUSALS[recorded["case"]])
    error = raised.value
    assert error.code.startswith("recognition.review.refused.endorsement.")
    assert error_words(error, "en") == recorded["en"]
    assert error_words(error, "ja") != recorded["en"]
    assert [[p.location, problem_words(p, "en")] for p in error.problems] == [
        [location, english] for location, english, _ in recorded["problems"]]
    assert all(problem_words(p, "ja") != english
               for p, (_, english, _) in zip(error.problems, recorded["problems"], strict=True))
