"""Building an index from many documents at once.

Adding a million documents term by term would cost hundreds of millions of Python
operations. Catalogues repeat their texts — a provider's name, a standard learning outcome,
a skill, a title pattern — so the builder works per *distinct text*: within a chunk of
documents it collects, for each text, the numbers of the documents that contain it; when the
chunk is done, each text's documents become one bitmap, OR-ed into the postings of each of the
text's terms (tokenised once per text, cached across chunks). Facet values are collected the
same way, per distinct tuple of values. A catalogue of distinct texts costs what tokenising
it costs; a repetitive one much less.

Documents may be added in any order, each with its number (its place in publication order).
"""

from __future__ import annotations

import secrets
from array import array
from collections.abc import Iterable
from typing import Final

from pyroaring import BitMap

from credstack.adapters.search.index import (
    SORT_ORDERS,
    IndexData,
    StoreGeneration,
    TitleOrder,
    credits_value,
    effort_value,
)
from credstack.adapters.search.ordering import MISSING, SortOrder
from credstack.adapters.search.vocabulary import Vocabulary
from credstack.core.registry.documents import IndexDocument, title_sort_text
from credstack.core.registry.query import LANGUAGES
from credstack.core.registry.text import index_terms, vocabulary_words, words_of

__all__ = ["IndexBuilder"]

#: Documents per chunk (one Roaring container's worth of numbers).
CHUNK: Final = 65_536
#: Distinct texts whose terms are remembered; beyond this the memo starts again.
_MEMO: Final = 400_000


class IndexBuilder:
    """Collects documents numbered ``0 … count-1`` and builds an :class:`IndexData`."""

    def __init__(self, count: int, *, store_generation: StoreGeneration = (0, 0, ""),
                 secret: bytes | None = None, generation: str | None = None) -> None:
        self.count = count
        self._data = IndexData(secret=secret or secrets.token_bytes(32),
                               generation=generation or secrets.token_hex(8),
                               store_generation=store_generation)
        data = self._data
        zeros = bytes(4 * count)
        data.programme_ids = array("I", zeros)
        data.versions = array("I", zeros)
        data.title_refs = array("I", zeros)
        data.provider_refs = array("I", zeros)
        self._effort = array("I", [MISSING]) * count
        self._credits = array("I", [MISSING]) * count
        self._seen = BitMap()
        self._live = BitMap()
        self._pending = 0
        self._title_texts: dict[str, array[int]] = {}
        self._texts: dict[str, array[int]] = {}
        self._facets: dict[str, dict[tuple[str, ...], array[int]]] = {}
        self._terms: dict[str, frozenset[str]] = {}
        self._words: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._latin: set[str] = set()
        self._frequencies: dict[str, int] = {}
        self._chunks: dict[str, list[BitMap]] = {}
        self._title_chunks: dict[str, list[BitMap]] = {}

    def add(self, number: int, document: IndexDocument) -> None:
        if not 0 <= number < self.count:
            raise ValueError(f"document number {number} is outside 0…{self.count - 1}")
        data = self._data
        if number in self._seen:
            raise ValueError(f"document number {number} was added twice")
        self._seen.add(number)
        previous = data.by_programme.get(document.programme_id)
        if previous is not None and previous > number:
            return  # A newer version of the programme is in already.
        if previous is not None:
            self._live.discard(previous)
        self._live.add(number)
        data.by_programme[document.programme_id] = number
        data.programme_ids[number] = document.programme_id
        data.versions[number] = document.version
        data.title_refs[number] = data.title_ref(document.title)
        data.provider_refs[number] = data.provider_ref(document.provider)
        data.note_skill_names(document.skill_names)
        for text in document.title_texts:
            self._title_texts.setdefault(text, array("I")).append(number)
        for text in document.texts:
            self._texts.setdefault(text, array("I")).append(number)
        for name, values in document.facets.items():
            self._facets.setdefault(name, {}).setdefault(values, array("I")).append(number)
        self._effort[number] = effort_value(document.hours)
        self._credits[number] = credits_value(document.credits)
        self._pending += 1
        if self._pending >= CHUNK:
            self._flush()

    def _terms_of(self, text: str) -> frozenset[str]:
        terms = self._terms.get(text)
        if terms is None:
            if len(self._terms) >= _MEMO:
                self._terms.clear()
            terms = self._terms[text] = index_terms(text)
        return terms

    def _note_words(self, text: str, documents: int) -> None:
        words = self._words.get(text)
        if words is None:
            if len(self._words) >= _MEMO:
                self._words.clear()
            words = self._words[text] = (frozenset(words_of((text,))),
                                         frozenset(vocabulary_words(text)))
        self._latin.update(words[0])
        for word in words[1]:
            self._frequencies[word] = self._frequencies.get(word, 0) + documents

    def _flush(self) -> None:
        """Turn the chunk's texts into bitmaps and add them to their terms."""
        chunks, title_chunks = self._chunks, self._title_chunks
        for texts, titles in ((self._title_texts, True), (self._texts, False)):
            for text, numbers in texts.items():
                documents = BitMap(numbers)
                self._note_words(text, len(numbers))
                for term in self._terms_of(text):
                    chunks.setdefault(term, []).append(documents)
                    if titles:
                        title_chunks.setdefault(term, []).append(documents)
        self._title_texts, self._texts = {}, {}
        self._pending = 0
        # Merge now and then, so that the lists of small bitmaps stay short.
        for table in (chunks, title_chunks):
            for term, parts in table.items():
                if len(parts) > 64:
                    table[term] = [BitMap.union(*parts)]

    def build(self) -> IndexData:
        """The finished index data (the builder is spent)."""
        self._flush()
        data = self._data
        for target, parts_by_term in ((data.postings, self._chunks),
                                      (data.title_postings, self._title_chunks)):
            for term, parts in parts_by_term.items():
                target[term] = BitMap.union(*parts)
        self._chunks, self._title_chunks = {}, {}
        for name, groups in self._facets.items():
            collected: dict[str, list[BitMap]] = {}
            for values, numbers in groups.items():
                documents = BitMap(numbers)
                for value in values:
                    collected.setdefault(value, []).append(documents)
            data.facets[name] = {value: BitMap.union(*parts)
                                 for value, parts in collected.items()}
        self._facets = {}
        data.live = self._live
        holes = BitMap()
        if self.count:
            holes.add_range(0, self.count)
        holes -= data.live
        self._sorts(data, holes)
        data.vocabulary = Vocabulary(self._latin, self._frequencies)
        data.finish()
        return data

    def _sorts(self, data: IndexData, holes: BitMap) -> None:
        for language in LANGUAGES:
            order = TitleOrder.build(title_sort_text(title, language) for title in data.titles)
            data.title_orders[language] = order
            per_title = [order.values[title_sort_text(title, language)]
                         for title in data.titles]
            values = array("I", (per_title[ref] for ref in data.title_refs)) if per_title \
                else array("I", [MISSING]) * self.count
            for hole in holes:
                values[hole] = MISSING
            data.sorts[f"title:{language}"] = SortOrder.build(values)
        data.sorts["effort"] = SortOrder.build(self._effort)
        data.sorts["credits"] = SortOrder.build(self._credits)
        assert set(data.sorts) == set(SORT_ORDERS)


def build_data(documents: Iterable[IndexDocument], *,
               store_generation: StoreGeneration = (0, 0, ""),
               secret: bytes | None = None) -> IndexData:
    """Index data of ``documents``, numbered in the order given (oldest first)."""
    listed = list(documents)
    builder = IndexBuilder(len(listed), store_generation=store_generation, secret=secret)
    for number, document in enumerate(listed):
        builder.add(number, document)
    return builder.build()
