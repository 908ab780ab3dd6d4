"""The index vocabulary: prefixes and typo-tolerant suggestions."""

from __future__ import annotations

from credstack.adapters.search.vocabulary import MAX_EXPANSIONS, Vocabulary

WORDS = {"machine": 50, "machinery": 3, "management": 40, "marketing": 30, "semiconductor": 20,
         "半導体": 25, "介護": 30, "介護計画": 5, "データサイエンス": 12}


def _vocabulary() -> Vocabulary:
    latin = [w for w in WORDS if w.isascii()]
    return Vocabulary(latin, WORDS)


def test_a_prefix_expands_to_the_words_it_begins() -> None:
    """Sorted words, found by binary search."""
    vocabulary = _vocabulary()
    assert vocabulary.expand("mach", {}) == ["machine", "machinery"]
    assert vocabulary.expand("zz", {}) == []
    assert vocabulary.is_word("machine") and not vocabulary.is_word("mach")


def test_a_short_prefix_keeps_the_most_frequent_words() -> None:
    """At most MAX_EXPANSIONS words, ranked by the caller."""
    words = [f"w{n:03d}" for n in range(200)]
    vocabulary = Vocabulary(words, {})
    ranks = {word: n for n, word in enumerate(words)}
    expanded = vocabulary.expand("w", ranks)
    assert len(expanded) == MAX_EXPANSIONS
    assert expanded[0] == "w199"


def test_suggestions_are_near_words_nearest_then_most_frequent() -> None:
    """One edit for short words, two for longer ones; never the word itself."""
    vocabulary = _vocabulary()
    assert vocabulary.similar("machne") == ["machine"]
    assert vocabulary.similar("半導休") == ["半導体"]
    assert "介護" not in vocabulary.similar("介護")
    assert vocabulary.similar("semiconductr") == ["semiconductor"]
    assert vocabulary.similar("xyzzyplugh") == []
    assert vocabulary.similar("x" * 200) == []


def test_new_words_are_added() -> None:
    """Updates add Latin words (kept sorted) and suggestion words."""
    vocabulary = _vocabulary()
    vocabulary.add(["macro", "aardvark"], ["量子"])
    assert vocabulary.latin[0] == "aardvark"
    assert vocabulary.expand("mac", {}) == ["machine", "machinery", "macro"]
    assert vocabulary.similar("量了") == ["量子"]
