"""Suggestions of framework items for an outcome, in Japanese and English."""

from __future__ import annotations

from credstack.core.skills.ranker import Glossary, Ranker, RankerEntry, ranker_terms

ENTRIES = (
    RankerEntry("urn:ml", ("machine learning",),
                ("Build models that learn patterns from data.",)),
    RankerEntry("urn:sec", ("information security",),
                ("Protect information and systems from threats.",)),
    RankerEntry("urn:care", ("介護技術", "caregiving techniques"), ()),
    RankerEntry("urn:chart", ("present data visually",), ("Create charts and diagrams.",)),
)


def test_english_outcomes_find_their_item_first() -> None:
    """Stems match across word forms (protecting → protect)."""
    ranker = Ranker(ENTRIES, terms_glossary=Glossary(()))
    assert ranker.suggest("Protecting company information against security threats")[0].key \
        == "urn:sec"
    assert ranker.suggest("Learners build and evaluate machine-learning models")[0].key \
        == "urn:ml"


def test_japanese_outcomes_match_by_bigrams() -> None:
    """A Japanese label is found from a sentence that contains its words."""
    ranker = Ranker(ENTRIES, terms_glossary=Glossary(()))
    assert ranker.suggest("利用者の状態に応じた介護技術を実践できる")[0].key == "urn:care"


def test_the_glossary_carries_a_japanese_outcome_to_english_items() -> None:
    """機械学習 finds "machine learning" through the glossary."""
    ranker = Ranker(ENTRIES, terms_glossary=Glossary((("機械学習", "machine learning"),)))
    assert ranker.suggest("機械学習のモデルを作成できる")[0].key == "urn:ml"


def test_nothing_matching_gives_nothing() -> None:
    """No shared term, no suggestion."""
    assert Ranker(ENTRIES, terms_glossary=Glossary(())).suggest("zzz qqq") == []


def test_suggestions_can_be_limited_to_some_items() -> None:
    """``within`` keeps the suggestions inside one framework."""
    ranker = Ranker(ENTRIES, terms_glossary=Glossary(()))
    found = ranker.suggest("data security charts", within={"urn:chart": True})
    assert [s.key for s in found] == ["urn:chart"]


def test_hiragana_bigrams_and_stop_words_are_not_terms() -> None:
    """Particles and function words say nothing about the skill."""
    terms = ranker_terms("データを扱う and the data")
    assert "タを" not in terms and "the" not in terms
    assert {"デー", "ータ", "data"} <= set(terms)
