"""A credential offer's refusals say what they always said in English and Japanese, word for
word, and are said in every language the learner's pages speak.

``offers_words.json`` holds what :mod:`credstack.services.oid4vci.offers` said before its
words moved into the catalogues (issue 53): the refusal of someone who is neither the
credential's learner nor its issuer, of a revoked or suspended credential, and of an offer
used or expired, in English and Japanese as the pages worded them. They are now the keys
``offer.refused.…``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from credstack.core.said import Said
from credstack.services.oid4vci import offers
from credstack.words import words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "offers_words.json").read_text(encoding="utf-8"))
#: The languages the learner's pages speak.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")


def _key(recorded: dict[str, Any]) -> str:
    """The key each recorded refusal is raised with now."""
    if recorded["where"] == "create_offer":
        return f"offer.refused.{recorded['params']['state']}"
    return {"_may_offer": "offer.refused.not_yours",
            "offer_document": "offer.refused.gone"}[recorded["where"]]


@pytest.mark.parametrize("recorded", RECORDED, ids=[_key(row) for row in RECORDED])
def test_an_offers_refusal_says_what_it_said(recorded: dict[str, Any]) -> None:
    """Worded from the catalogues, English and Japanese are the old words; each other
    language has words of its own."""
    said = Said(_key(recorded))
    assert [words(said, "en"), words(said, "ja")] == [recorded["en"], recorded["ja"]]
    for language in LANGUAGES[2:]:
        assert words(said, language) not in ("", recorded["en"], recorded["ja"])


def test_the_module_raises_the_recorded_keys() -> None:
    """The module names each key it refuses with (the two states by the credential's)."""
    source = Path(offers.__file__).read_text(encoding="utf-8")
    named = set(re.findall(r'code=f?"(offer\.refused\.[a-z_{}.]+)"', source))
    assert named == {"offer.refused.not_yours", "offer.refused.{row.state}",
                     "offer.refused.gone"}
