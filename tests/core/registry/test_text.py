"""Search text: normalisation, index terms and query terms in Japanese and English."""

from __future__ import annotations

import pytest

from credstack.core.registry.text import (
    MAX_QUERY_TERMS,
    index_terms,
    is_cjk,
    normalise,
    parse_text,
    segments,
    stem,
    vocabulary_words,
)


def test_normalisation_is_nfkc_then_case_folding() -> None:
    """Full-width Latin, half-width katakana and circled digits meet their usual forms."""
    assert normalise("ＡＩ活用 ｶﾀｶﾅ ① Straße") == "ai活用 カタカナ 1 strasse"


def test_katakana_and_hiragana_stay_apart() -> None:
    """カキ and かき are different words: neither script is folded into the other."""
    assert index_terms("カキ").isdisjoint(index_terms("かき"))


def test_japanese_text_is_indexed_by_unigrams_and_bigrams() -> None:
    """A CJK run gives every character and every adjacent pair."""
    assert index_terms("介護計画") == {"介", "護", "計", "画", "介護", "護計", "計画"}


@pytest.mark.parametrize(("query", "terms"), [
    ("介護", ("介護",)),
    ("半導", ("半導",)),
    ("介", ("介",)),
    ("半導体", ("半導", "導体")),
    ("データサイエンス", ("デー", "ータ", "タサ", "サイ", "イエ", "エン", "ンス")),
])
def test_japanese_queries_of_any_length_become_bigrams_or_a_unigram(
        query: str, terms: tuple[str, ...]) -> None:
    """One- and two-character queries work: a bigram, or a unigram for one character."""
    parsed = parse_text(query)
    assert parsed.terms == terms
    assert parsed.prefix is None


def test_every_query_term_of_a_japanese_text_is_an_index_term_of_it() -> None:
    """A text is found by any of its substrings (of one or more characters)."""
    text = "実践データサイエンス入門"
    terms = index_terms(text)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            assert set(parse_text(text[start:end] + " ").terms) <= terms


def test_english_words_are_stemmed() -> None:
    """Programmes finds programme, semiconductors semiconductor, learning learn."""
    assert stem("programmes") == stem("programme")
    assert stem("semiconductors") == stem("semiconductor")
    assert stem("learning") == stem("learn")
    assert index_terms("Learning Programmes") == {stem("learning"), stem("programmes")}


def test_two_letter_english_words_like_ai_are_terms() -> None:
    """AI is a word: found in 生成AI活用 and in "Generative AI"."""
    assert "ai" in index_terms("生成AI活用")
    assert "ai" in index_terms("Generative AI in Practice")
    assert parse_text("AI ").terms == ("ai",)


def test_scripts_split_into_segments_at_script_changes_and_punctuation() -> None:
    """Latin words and CJK runs are separate segments; punctuation and emoji separate too."""
    found = [(s.text, s.cjk) for s in segments("Pythonによる🎓データ分析・可視化")]
    assert found == [("python", False), ("による", True), ("データ分析", True),
                     ("可視化", True)]


def test_the_last_latin_word_of_a_query_is_a_prefix() -> None:
    """A word still being typed (no space after it) may be a prefix; the others are exact."""
    parsed = parse_text("data scien")
    assert parsed.terms == (stem("data"),)
    assert parsed.prefix == "scien"
    assert parse_text("data scien ").prefix is None
    assert parse_text("介護 ma").prefix == "ma"
    assert parse_text("m").prefix is None  # too short to expand


@pytest.mark.parametrize("text", [
    "\" OR 1=1 --", "title:(foo AND bar*)", "NEAR(a b)", "'; DROP TABLE programmes; --",
    "\"unbalanced", "🎓🎓🎓", "\x00\x00", "a\x00b", "(((", "*", "^~", "\\",
])
def test_hostile_text_is_just_text(text: str) -> None:
    """Query syntax of other engines, NULs and emoji are words or separators, never syntax."""
    parsed = parse_text(text)
    assert all(term and "\x00" not in term for term in parsed.terms)


def test_text_without_searchable_characters_is_unsearchable_not_empty() -> None:
    """Only symbols finds nothing (rather than everything); blank text is no text."""
    assert parse_text("🎓 !!").unsearchable
    assert parse_text("   ").empty and not parse_text("   ").unsearchable


def test_a_huge_query_is_bounded() -> None:
    """10 KB of text gives at most MAX_QUERY_TERMS terms, quickly."""
    parsed = parse_text("介護とデータ分析 " * 1200)
    assert len(parsed.terms) <= MAX_QUERY_TERMS
    words = " ".join(f"word{n}" for n in range(3000))
    assert len(parse_text(words).terms) <= MAX_QUERY_TERMS


def test_suggestion_words_are_latin_words_and_one_script_runs() -> None:
    """実践データサイエンス入門 gives 実践, データサイエンス, 入門; hiragana runs are left out."""
    assert list(vocabulary_words("実践データサイエンス入門")) == ["実践", "データサイエンス",
                                                              "入門"]
    assert list(vocabulary_words("社会人のための Data Science")) == ["社会人", "data",
                                                                  "science"]


def test_cjk_detection() -> None:
    """Kanji, kana, the prolonged sound mark and Hangul are CJK; the middle dot is not."""
    assert all(is_cjk(c) for c in "漢かカー々한")
    assert not any(is_cjk(c) for c in "a1・ ")


def test_thai_text_is_split_into_words_by_icu() -> None:
    """Thai has no spaces and combining vowels: its words, not its characters, are terms."""
    terms = index_terms("ความปลอดภัยไซเบอร์")
    assert {"ความ", "ปลอดภัย", "ไซเบอร์"} <= terms
    assert parse_text("ปลอดภัย ").terms == ("ปลอดภัย",)


def test_a_thai_compound_is_found_by_its_parts() -> None:
    """ICU keeps มหาวิทยาลัย whole; its halves are indexed too, and ICU splits other compounds."""
    assert {"มหาวิทยาลัย", "มหา", "วิทยาลัย"} <= index_terms("มหาวิทยาลัยเทคโนโลยี")
    assert set(parse_text("ปัญญาประดิษฐ์ ").terms) <= index_terms("ปัญญาประดิษฐ์ประยุกต์")


def test_a_thai_word_unknown_to_the_dictionary_is_found_alone() -> None:
    """In context ICU cuts โดรน (drone) into โด รน; typed alone it is whole, and found."""
    parsed = parse_text("โดรน")
    assert parsed.prefix is None and parsed.terms == ("โดรน",)
    assert "โดรน" in index_terms("เซนเซอร์และโดรนเก็บข้อมูล")


@pytest.mark.parametrize(("text", "folded"), [
    ("Học máy", "hoc may"), ("Đà Nẵng", "da nang"), ("café", "cafe"),
])
def test_latin_words_are_folded_on_both_sides(text: str, folded: str) -> None:
    """Vietnamese with or without diacritics (and đ as d) gives the same terms."""
    assert index_terms(text) == index_terms(folded)
    assert parse_text(text + " ").terms == parse_text(folded + " ").terms


def test_korean_words_with_particles_are_found_by_their_stems() -> None:
    """인공지능 (AI) is found in 인공지능을 (AI + object particle): Hangul is bigrams."""
    assert set(parse_text("인공지능").terms) <= index_terms("인공지능을 활용한 분석")


@pytest.mark.parametrize("word", ["pembelajaran", "keamanan", "pengurusan", "kejuruteraan"])
def test_malay_and_indonesian_words_are_left_whole(word: str) -> None:
    """The English stemmer does not cut Indonesian and Malay affixes."""
    assert stem(word) == word
