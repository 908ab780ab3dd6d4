"""The search index's data: one compressed bitmap per term and facet value, the sort orders,
the documents' summaries, and the values they are built from."""

from __future__ import annotations

import heapq
import secrets
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from pyroaring import BitMap

from credstack.adapters.search.ordering import (
    MISSING,
    SortOrder,
)
from credstack.adapters.search.results import Hit
from credstack.adapters.search.vocabulary import Vocabulary
from credstack.core.registry.documents import IndexDocument, Provider, title_sort_text
from credstack.core.registry.labels import facet_label
from credstack.core.registry.query import FACETS, LANGUAGES
from credstack.core.registry.text import (
    index_terms,
    vocabulary_words,
    words_of,
)

#: Searches whose results and facet counts are kept (the pages after the first reuse them).
CACHE_SIZE: Final = 128


#: Values listed per facet in a result, largest counts first (selected values always).
FACET_VALUES_SHOWN: Final = 100


#: A facet value on more than this share of the documents is counted through its complement.
_COMPLEMENT_SHARE: Final = 0.5


#: Facets with more values than this are counted a group of values at a time.
_GROUPED: Final = 64


_GROUP_SIZE: Final = 32


#: Facets with more values than this are counted for their most common values only.
_MANY_VALUES: Final = 4096


#: How many of a many-valued facet's values are counted in a result (more than are shown;
#: each costs an intersection with the result: 128 cost about 3 ms in a result of 150,000).
_CANDIDATES: Final = 128


#: Above this share of the documents a result is stored as bitsets, against which even a
#: small bitmap intersects cheaply (Roaring keeps a 65,536-number chunk as a bitset beyond
#: 4,096 members).
_DENSE: Final = 4096 / 65536


#: Up to this many documents, a provider count reads each document's provider.
_ITERATE: Final = 35_000


#: Sort orders other than document order, by name.
SORT_ORDERS: Final = ("title:ja", "title:en", "effort", "credits")


#: How a store's state is summed up to tell whether an index is current: (published version
#: rows, organisations, the latest change of an organisation). Published versions never
#: change or disappear, so their count moves with every publication.
StoreGeneration = tuple[int, int, str]


def _scaled(value: Decimal | None, factor: int) -> int:
    if value is None:
        return MISSING
    return min(int(value * factor), MISSING - 1)


def effort_value(hours: Decimal | None) -> int:
    """The effort sort value: hundredths of an hour."""
    return _scaled(hours, 100)


def credits_value(credits: Decimal | None) -> int:
    """The credits sort value: thousandths of an ECTS-equivalent credit."""
    return _scaled(credits, 1000)


def title_key(title: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(title.items()))


@dataclass
class TitleOrder:
    """Sort values of titles in one language: distinct sort texts, spaced out so that a
    new title can be placed between two others without renumbering."""

    texts: list[str] = field(default_factory=list)
    values: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, texts: Iterable[str]) -> TitleOrder:
        ordered = sorted(set(texts))
        gap = max(1, (MISSING - 1) // (len(ordered) + 1))
        return cls(ordered, {text: (rank + 1) * gap for rank, text in enumerate(ordered)})

    def value(self, text: str) -> int | None:
        """The sort value of ``text``, placing it if new; None when there is no room left."""
        known = self.values.get(text)
        if known is not None:
            return known
        index = bisect_left(self.texts, text)
        low = self.values[self.texts[index - 1]] if index > 0 else 0
        high = self.values[self.texts[index]] if index < len(self.texts) else MISSING
        if high - low < 2:
            return None
        value = (low + high) // 2
        self.texts.insert(index, text)
        self.values[text] = value
        return value


class IndexData:
    """Everything one build of the index holds; changed only under the index's lock."""

    def __init__(self, *, secret: bytes, generation: str,
                 store_generation: StoreGeneration) -> None:
        self.secret = secret
        #: Changes with every build and every update (ETags and caches depend on it).
        self.generation = generation
        self.updates = 0
        self.store_generation = store_generation
        self.postings: dict[str, BitMap] = {}
        self.title_postings: dict[str, BitMap] = {}
        self.facets: dict[str, dict[str, BitMap]] = {name: {} for name in FACETS}
        self.complements: dict[str, dict[str, BitMap]] = {name: {} for name in FACETS}
        self.live = BitMap()
        self.programme_ids = array("I")
        self.versions = array("I")
        self.title_refs = array("I")
        self.provider_refs = array("I")
        self.titles: list[dict[str, str]] = []
        self.title_lookup: dict[tuple[tuple[str, str], ...], int] = {}
        self.providers: list[Provider] = []
        #: The names of the ``skill`` facet's values (framework item URIs), by language.
        self.skill_names: dict[str, dict[str, str]] = {}
        self.provider_lookup: dict[str, int] = {}
        self.by_programme: dict[int, int] = {}
        self.title_orders: dict[str, TitleOrder] = {lang: TitleOrder() for lang in LANGUAGES}
        self.sorts: dict[str, SortOrder] = {}
        self.vocabulary = Vocabulary((), {})
        self._groups: dict[str, list[tuple[BitMap, list[tuple[str, BitMap]]]]] = {}
        self._labels: dict[tuple[str, str], dict[str, str]] = {}
        self._live_counts: dict[str, dict[str, int]] = {}
        self._live_ranked: dict[str, list[tuple[str, int]]] = {}
        self._candidates: dict[str, dict[str, BitMap]] = {}

    @property
    def documents(self) -> int:
        """Document numbers given out (live or not)."""
        return len(self.programme_ids)

    # --- small tables -----------------------------------------------------------------

    def title_ref(self, title: Mapping[str, str]) -> int:
        key = title_key(title)
        ref = self.title_lookup.get(key)
        if ref is None:
            ref = len(self.titles)
            self.titles.append(dict(title))
            self.title_lookup[key] = ref
        return ref

    def provider_ref(self, provider: Provider) -> int:
        ref = self.provider_lookup.get(provider.slug)
        if ref is None:
            ref = len(self.providers)
            self.providers.append(provider)
            self.provider_lookup[provider.slug] = ref
        elif self.providers[ref] != provider:
            # A renamed provider: the newest name is shown everywhere.
            self.providers[ref] = provider
        return ref

    def note_skill_names(self, names: Mapping[str, Mapping[str, str]]) -> None:
        """Keep the newest names of skill facet values (a label edited since is renamed)."""
        for uri, named in names.items():
            if self.skill_names.get(uri) != named:
                self.skill_names[uri] = dict(named)
                self._labels.pop(("skill", uri), None)

    def finish(self) -> None:
        """Compress the bitmaps and work out the complements of the common facet values."""
        for table in (self.postings, self.title_postings):
            for bitmap in table.values():
                bitmap.run_optimize()
                bitmap.shrink_to_fit()
        universe = BitMap()
        if self.documents:
            universe.add_range(0, self.documents)
        for name, values in self.facets.items():
            self.complements[name] = {}
            for value, bitmap in values.items():
                bitmap.run_optimize()
                if len(bitmap) > _COMPLEMENT_SHARE * self.documents:
                    complement = universe - bitmap
                    complement.run_optimize()
                    self.complements[name][value] = complement

    def value_groups(self, facet: str) -> list[tuple[BitMap, list[tuple[str, BitMap]]]]:
        """A facet's values in groups, each with the union of its values' documents."""
        groups = self._groups.get(facet)
        if groups is None:
            items = sorted(self.facets.get(facet, {}).items())
            groups = []
            for start in range(0, len(items), _GROUP_SIZE):
                group = items[start:start + _GROUP_SIZE]
                groups.append((BitMap.union(*(bitmap for _, bitmap in group)), group))
            self._groups[facet] = groups
        return groups

    # --- one document at a time -------------------------------------------------------

    def add(self, document: IndexDocument) -> int:
        """Give ``document`` the next number and put it everywhere (for updates)."""
        number = self.documents
        old = self.by_programme.get(document.programme_id)
        if old is not None:
            self.live.discard(old)
        self.programme_ids.append(document.programme_id)
        self.versions.append(document.version)
        title_ref = self.title_ref(document.title)
        self.title_refs.append(title_ref)
        self.provider_refs.append(self.provider_ref(document.provider))
        self.by_programme[document.programme_id] = number
        self.note_skill_names(document.skill_names)
        for text in document.title_texts:
            for term in index_terms(text):
                self.title_postings.setdefault(term, BitMap()).add(number)
                self.postings.setdefault(term, BitMap()).add(number)
        for text in document.texts:
            for term in index_terms(text):
                self.postings.setdefault(term, BitMap()).add(number)
        for name, values in document.facets.items():
            table = self.facets.setdefault(name, {})
            for value in values:
                table.setdefault(value, BitMap()).add(number)
            for value, complement in self.complements.setdefault(name, {}).items():
                if value not in values:
                    complement.add(number)
        texts = (*document.title_texts, *document.texts)
        self.vocabulary.add(words_of(texts),
                            {word for text in texts for word in vocabulary_words(text)})
        self._add_sort_values(number, document, title_ref)
        self._groups.clear()
        self._labels.clear()
        self._live_counts.clear()
        self._live_ranked.clear()
        self._candidates.clear()
        self.live.add(number)
        self.updates += 1
        return number

    def remove(self, programme_id: int) -> bool:
        number = self.by_programme.pop(programme_id, None)
        if number is None:
            return False
        self.live.discard(number)
        self._live_counts.clear()
        self._live_ranked.clear()
        self._candidates.clear()
        self.updates += 1
        return True

    def _add_sort_values(self, number: int, document: IndexDocument, title_ref: int) -> None:
        for language in LANGUAGES:
            name = f"title:{language}"
            value = self.title_orders[language].value(
                title_sort_text(document.title, language))
            if value is None:
                self.title_orders[language] = TitleOrder.build(
                    title_sort_text(title, language) for title in self.titles)
                self.sorts[name] = SortOrder.build(self.title_values(language))
                continue
            self.sorts[name].add(number, value)
        self.sorts["effort"].add(number, effort_value(document.hours))
        self.sorts["credits"].add(number, credits_value(document.credits))

    def title_values(self, language: str) -> list[int]:
        """The title sort value of every document, by number."""
        order = self.title_orders[language]
        per_title = [order.values[title_sort_text(title, language)] for title in self.titles]
        return [per_title[ref] for ref in self.title_refs]

    # --- reading ----------------------------------------------------------------------

    def label(self, facet: str, value: str) -> dict[str, str]:
        """The name of a facet value (treat as read-only: it is shared)."""
        found = self._labels.get((facet, value))
        if found is None:
            ref = self.provider_lookup.get(value) if facet == "provider" else None
            named = self.skill_names.get(value) if facet == "skill" else None
            found = (dict(self.providers[ref].name) if ref is not None
                     else dict(named) if named else facet_label(facet, value))
            if len(self._labels) < 100_000:
                self._labels[(facet, value)] = found
        return found

    def live_counts(self, facet: str) -> dict[str, int]:
        """Counts of a facet's values over every live document (kept until a change)."""
        counts = self._live_counts.get(facet)
        if counts is None:
            counts = self._live_counts[facet] = _count(self, facet, self.live, every=True)
        return counts

    def live_ranked(self, facet: str) -> list[tuple[str, int]]:
        """The facet's values with the most live documents, most first (at most
        :data:`FACET_VALUES_SHOWN`; kept until a change: the skill facet has thousands of
        values, too many to sort at every search)."""
        ranked = self._live_ranked.get(facet)
        if ranked is None:
            ranked = self._live_ranked[facet] = top_counts(self.live_counts(facet))
        return ranked

    def live_candidates(self, facet: str) -> dict[str, BitMap]:
        """The :data:`_CANDIDATES` values of ``facet`` with the most live documents, and
        their documents (kept until a change; treat as read-only)."""
        found = self._candidates.get(facet)
        if found is None:
            counts = self.live_counts(facet)
            values = self.facets.get(facet, {})
            found = self._candidates[facet] = {
                value: values[value] for _, value in heapq.nlargest(
                    _CANDIDATES, ((count, value) for value, count in counts.items()))}
        return found

    def hit(self, number: int, title_match: bool) -> Hit:
        provider = self.providers[self.provider_refs[number]]
        return Hit(programme_id=self.programme_ids[number], version=self.versions[number],
                   title=dict(self.titles[self.title_refs[number]]),
                   provider=dict(provider.name), provider_slug=provider.slug,
                   title_match=title_match)


def top_counts(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """The :data:`FACET_VALUES_SHOWN` values with the largest counts, largest first (ties by
    value), without sorting every value."""
    best = heapq.nsmallest(FACET_VALUES_SHOWN, ((-count, value) for value, count
                                                in counts.items() if count > 0))
    return [(value, -negative) for negative, value in best]


def _count(data: IndexData, name: str, scope: BitMap, *, every: bool = False
           ) -> dict[str, int]:
    """The count of every value of facet ``name`` among the documents of ``scope``.

    A facet of a few values costs one ``intersection_cardinality`` per value (through the
    complement for a value most documents have). The provider facet has thousands of
    values, and the cheapest way to count it depends on the result's size (measured on a
    million programmes and two thousand providers): a dense result (stored as bitsets) meets
    each provider's small bitmap cheaply; a smaller one is counted by reading each document's
    provider (about 0.12 µs a document); in between, a group of providers at a time.

    A facet of more than :data:`_MANY_VALUES` values (the skill facet: every framework item
    a programme is aligned to, ESCO's fourteen thousand among them) is counted for its
    :data:`_CANDIDATES` values with the most live documents only: the values shown are the
    hundred largest counts, and a value with few programmes overall cannot have many in a
    result (``every``: count them all, as for the live documents). Selected values are always
    counted (:mod:`.facets`).
    """
    values = data.facets.get(name, {})
    size = len(scope)
    if not size:
        return {}
    candidates = len(values) > _MANY_VALUES and not every
    if candidates:
        values = data.live_candidates(name)
    dense = size >= _DENSE * data.documents
    if name == "provider" and not dense and size < _ITERATE:
        refs = Counter(map(data.provider_refs.__getitem__, scope))
        return {data.providers[ref].slug: count for ref, count in refs.items()}
    if len(values) > _GROUPED and not dense and not candidates:
        return _count_grouped(data.value_groups(name), scope)
    complements = data.complements.get(name, {})
    counts: dict[str, int] = {}
    for value, bitmap in values.items():
        complement = complements.get(value)
        if complement is not None:
            counts[value] = size - scope.intersection_cardinality(complement)
        else:
            counts[value] = scope.intersection_cardinality(bitmap)
    return counts


def _count_grouped(groups: list[tuple[BitMap, list[tuple[str, BitMap]]]], scope: BitMap
                   ) -> dict[str, int]:
    """Counts of a facet with many values, a group of values at a time.

    Intersecting a mid-sized result (a few per cent of the documents: sorted arrays inside
    Roaring) with two thousand small provider bitmaps merges the result's arrays two thousand
    times. Cutting the result down to each group's documents first makes every merge short:
    about ten times less work.
    """
    counts: dict[str, int] = {}
    for members, group in groups:
        part = scope & members
        if not part:
            continue
        for value, bitmap in group:
            counted = part.intersection_cardinality(bitmap)
            if counted:
                counts[value] = counted
    return counts


def empty_data(*, store_generation: StoreGeneration = (0, 0, ""),
               secret: bytes | None = None) -> IndexData:
    """An index of nothing, ready for documents."""
    data = IndexData(secret=secret or secrets.token_bytes(32),
                     generation=secrets.token_hex(8), store_generation=store_generation)
    for name in SORT_ORDERS:
        data.sorts[name] = SortOrder.build(())
    return data
