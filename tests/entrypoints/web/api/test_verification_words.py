"""An unusable VC-API verification request is refused in the catalogues' words, as before.

Each refusal (``request_samples``) reads in Japanese and English as credstack wrote it before
the words moved to the catalogues (``request_words.json``, recorded from that code), but three
Japanese ones that now show, as the English always did, what to send (a translation fills in
the English's placeholders); and every language's catalogue words each of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from credstack.entrypoints.web.api.verification import BadRequest
from credstack.entrypoints.web.i18n.negotiation import LANGUAGES
from credstack.words import catalogue, words
from tests.entrypoints.web.api.request_samples import answer, issuance_refusal, samples

BEFORE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "request_words.json").read_text(encoding="utf-8"))
SAMPLES = dict(samples())
#: The Japanese that says more than it did: what to send, as the English says it.
NOW_SAYS: dict[str, str] = {
    "presentation-not-json": 'リクエスト本文が JSON ではありません（{"verifiablePresentation": …, '
                             '"options": {…}} を送ってください）',
    "badge-not-json": 'リクエスト本文が JSON ではありません（アサーションか {"assertion": …, '
                      '"recipient": …} を送ってください）',
}


def test_every_recorded_refusal_is_a_sample() -> None:
    assert set(SAMPLES) == set(BEFORE) - {"issuance"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_refusal_reads_as_it_always_did(name: str) -> None:
    expected = dict(BEFORE[name])
    if name in NOW_SAYS:
        expected["message"] = {**expected["message"], "ja": NOW_SAYS[name]}
    assert answer(SAMPLES[name]) == expected


def test_the_issuance_endpoint_refuses_a_body_that_is_not_json_as_it_did() -> None:
    """As before, but that the Japanese shows the whole of what to send, as the English."""
    said = '（{"credential": …} を'
    now = '（{"credential": …, "options": …} を'
    before = BEFORE["issuance"]
    assert issuance_refusal() == {
        "message": before["message"].replace(said, now),
        "problems": [[where, text.replace(said, now)] for where, text in before["problems"]]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_refusal_has_words_in_every_language(language: str) -> None:
    """Each key translated (none read as the key itself), each placeholder filled."""
    for call in SAMPLES.values():
        with pytest.raises(BadRequest) as refused:
            call()
        text = words(refused.value.said, language)
        assert text and not re.search(r"{\w+}", text) and not text.startswith("verification.")
    assert catalogue(language).gettext("verification.request.title")
