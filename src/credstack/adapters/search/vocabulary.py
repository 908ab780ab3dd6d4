"""The index's words: what a prefix expands to, and typo-tolerant suggestions.

Two lists are kept. The Latin words of every indexed text (normalised, unstemmed), sorted, so
that the prefix a visitor is still typing (``mach``) expands to the words it begins
(``machine``, ``machinery``) with a binary search. And the *suggestion words* — those Latin
words and the one-script runs of Japanese text (データサイエンス, 介護計画, 半導体) — each with
how many documents contain it, from which :func:`Vocabulary.similar` picks the nearest by
edit distance (rapidfuzz, C++): one edit for words of up to four characters, two beyond.
Only words of a compatible length are compared, so a suggestion costs a few milliseconds
even with a large vocabulary.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

__all__ = ["MAX_EXPANSIONS", "Vocabulary"]

#: Words a prefix may stand for; the most frequent are kept.
MAX_EXPANSIONS: Final = 64
#: Query words longer than this are not corrected (nobody mistypes a 30-character word
#: into another one).
MAX_SUGGESTED_LENGTH: Final = 30


def allowed_edits(word: str) -> int:
    return 1 if len(word) <= 4 else 2


class Vocabulary:
    """Latin words (for prefixes) and suggestion words with their document frequencies."""

    __slots__ = ("_by_length", "_latin", "_latin_set", "frequencies")

    def __init__(self, latin: Iterable[str], frequencies: Mapping[str, int]) -> None:
        self._latin = sorted(set(latin))
        self._latin_set = set(self._latin)
        #: Suggestion word → how many documents contain it (about: a word in two fields of
        #: one document counts twice).
        self.frequencies: dict[str, int] = dict(frequencies)
        self._by_length: dict[int, list[str]] | None = None

    @property
    def latin(self) -> list[str]:
        return self._latin

    def is_word(self, word: str) -> bool:
        return word in self._latin_set

    def add(self, latin: Iterable[str], suggestions: Iterable[str]) -> None:
        """Words of a document added to the index."""
        for word in latin:
            if word not in self._latin_set:
                self._latin_set.add(word)
                insort(self._latin, word)
        for word in suggestions:
            if word not in self.frequencies:
                self._by_length = None
            self.frequencies[word] = self.frequencies.get(word, 0) + 1

    def expand(self, prefix: str, rank: Mapping[str, int]) -> list[str]:
        """The words ``prefix`` begins, at most :data:`MAX_EXPANSIONS`, highest ``rank``
        first (the caller ranks by how many documents a word's stem is in)."""
        start = bisect_left(self._latin, prefix)
        words: list[str] = []
        for word in self._latin[start:]:
            if not word.startswith(prefix):
                break
            words.append(word)
        if len(words) > MAX_EXPANSIONS:
            words.sort(key=lambda w: -rank.get(w, 0))
            words = words[:MAX_EXPANSIONS]
        return words

    def _lengths(self) -> dict[int, list[str]]:
        if self._by_length is None:
            by_length: dict[int, list[str]] = {}
            for word in self.frequencies:
                by_length.setdefault(len(word), []).append(word)
            self._by_length = by_length
        return self._by_length

    def similar(self, word: str, *, limit: int = 3) -> list[str]:
        """Up to ``limit`` vocabulary words within a small edit distance of ``word``, nearest
        and then most frequent first; never ``word`` itself."""
        if not word or len(word) > MAX_SUGGESTED_LENGTH:
            return []
        edits = allowed_edits(word)
        lengths = self._lengths()
        choices = [candidate for size in range(max(1, len(word) - edits), len(word) + edits + 1)
                   for candidate in lengths.get(size, ())]
        if not choices:
            return []
        found = process.extract(word, choices, scorer=Levenshtein.distance,
                                score_cutoff=edits, limit=max(limit * 4, 12))
        ranked = sorted(((distance, -self.frequencies.get(candidate, 0), candidate)
                         for candidate, distance, _ in found if candidate != word))
        return [candidate for _, _, candidate in ranked[:limit]]
