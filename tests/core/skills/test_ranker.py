"""Suggestions of framework items for an outcome, in Japanese and English."""

from __future__ import annotations

from credstack.core.skills.ranker import (
    Glossary,
    Ranker,
    RankerEntry,
    match_level,
    ranker_terms,
)
from credstack.core.skills.standards import bundled_standard, standard_package

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


def _dss_ranker() -> tuple[Ranker, dict[str, str]]:
    """The bundled デジタルスキル標準 as a store's ranker holds it (names in both languages,
    keywords, broad items marked), and each item's English name by key."""
    package, names = standard_package(bundled_standard("dss"), base_url="https://x.example")
    broad = {association.destination.uri for association in package.associations}
    return Ranker([RankerEntry(item.uri, tuple(names[item.uri].values()), item.keywords,
                               item.uri in broad) for item in package.items]), \
        {uri: name["en"] for uri, name in names.items()}


def test_a_kanji_before_its_okurigana_is_a_term() -> None:
    """読み and 扱う keep their kanji (the verb's stem), so 読む and 扱い find them."""
    assert "読" in ranker_terms("管理図を読み、判断できる")
    assert "扱" in ranker_terms("データを扱う")


def test_the_control_chart_outcome_is_offered_reading_data_not_business_models() -> None:
    """Issue 51: an outcome on SPC control charts is offered "Reading and explaining data"
    first, and never "Business models and processes" for the one word they share."""
    ranker, english = _dss_ranker()
    found = [english[s.key] for s in ranker.suggest(
        "統計的工程管理（SPC）の管理図を読み、異常を判断できる。 "
        "Read SPC control charts and recognise out-of-control conditions.")]
    assert found[0] == "Reading and explaining data"
    assert "Making decisions with data" in found
    assert "Business models and processes" not in found


def test_strength_says_how_much_of_the_name_the_outcome_states() -> None:
    """The whole name stated: 1; a keyword of the item: less; one word of a long name: too
    little to be offered at all."""
    ranker = Ranker([RankerEntry("urn:model", ("Business models and processes",)),
                     RankerEntry("urn:read", ("Reading data",), ("charts",)),
                     RankerEntry("urn:plan", ("Planning, budgets, staffing, purchasing, "
                                              "scheduling and operations",))],
                    terms_glossary=Glossary(()))
    [named] = ranker.suggest("Reading data from the sensor logs")
    assert (named.key, named.strength) == ("urn:read", 1.0)
    [keyword] = ranker.suggest("Draw control charts")
    assert keyword.key == "urn:read" and 0.5 <= keyword.strength < 1.0
    [common] = ranker.suggest("Document the processes of the lab")
    assert common.key == "urn:model" and common.strength < 0.5
    assert ranker.suggest("Run the lab's operations") == []


def test_a_narrower_item_comes_before_its_broader_one() -> None:
    """When an outcome states both names, the narrower item is suggested first."""
    ranker = Ranker([RankerEntry("urn:data", ("data",), (), broad=True),
                     RankerEntry("urn:handle", ("handling data",))],
                    terms_glossary=Glossary(()))
    assert [s.key for s in ranker.suggest("Handling data in spreadsheets")] == [
        "urn:handle", "urn:data"]


def test_items_are_found_by_a_part_of_any_of_their_names() -> None:
    """Either language, any case or width; the exact name first, then names that begin
    with the text, then the shorter names; blank text finds nothing."""
    ranker = Ranker([RankerEntry("urn:sec", ("情報セキュリティ", "Information security")),
                     RankerEntry("urn:tech", ("セキュリティ技術", "Security technology")),
                     RankerEntry("urn:s", ("セキュリティ", "Security")),
                     RankerEntry("urn:care", ("介護技術",))], terms_glossary=Glossary(()))
    assert ranker.find("セキュリティ") == ["urn:s", "urn:tech", "urn:sec"]
    assert ranker.find("ＳＥＣＵＲＩＴＹ tech") == ["urn:tech"]
    assert ranker.find("技術", limit=1) == ["urn:care"]
    assert ranker.find("  ") == []


def test_a_strength_is_told_as_a_match_level() -> None:
    """Strong when the name is stated, good for most of it or a keyword, else partial."""
    assert [match_level(value) for value in (1.0, 0.7, 0.3)] == ["strong", "good", "partial"]
