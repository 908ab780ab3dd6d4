"""The badges' and certification marks' words moved from Python into the vocabularies' data
files (``badge-kind``, ``certification-mark-phrase``) word for word (issue 53): every case of
:mod:`tests.core.images.image_cases` draws the very bytes it drew before the move."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from credstack.core import vocabularies
from credstack.core.descriptors import parse_programme
from credstack.core.images.badge_svg import badge_svg, design_for_programme, kind_names
from tests.core.images.image_cases import cases
from tests.helpers import programme as programme_document

BEFORE = Path(__file__).with_name("image_words.json")


def test_every_badge_and_mark_draws_what_it_drew_before_its_words_moved() -> None:
    before = json.loads(BEFORE.read_text("utf-8"))
    assert cases() == before


def test_the_badge_says_the_kind_its_maker_gives() -> None:
    """The band draws the design's kind, not words of its own."""
    design = design_for_programme(parse_programme(programme_document()))
    assert design.kind == kind_names(True) == (("ja", "マイクロクレデンシャル"),
                                               ("en", "Micro-credential"))
    svg = badge_svg(dataclasses.replace(design, kind=(("en", "Learning badge"),)))
    assert "LEARNING BADGE" in svg and "マイクロクレデンシャル" not in svg


def test_the_mark_and_the_badge_name_their_words_in_japanese_and_english() -> None:
    for vocabulary in ("badge-kind", "certification-mark-phrase"):
        assert vocabularies.names(vocabulary, "ja").keys() \
            == vocabularies.names(vocabulary, "en").keys() != set()
