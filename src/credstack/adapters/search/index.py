"""The registry's search index: compressed bitmaps of documents, in memory.

Why not the database's own full-text search: measured on a million programmes, SQLite FTS5
(trigram, bm25-ranked top 20) takes about 180 ms for a broad English term and facet counts
(GROUP BY over the matches) about 1.2 s; PostgreSQL's GIN indexes do no better on counts. A
registry search shows facet counts with every result, so the counts must be nearly free.

Every document (the newest published version of a programme) gets a number, in publication
order. The index keeps, as Roaring bitmaps (pyroaring, over the C library CRoaring):

* for every **term** (a CJK unigram or bigram, or an English stem; see
  :mod:`credstack.core.registry.text`), the documents containing it, and separately the
  documents whose *title* contains it;
* for every **facet value**, the documents having it — and, for a value most documents have,
  its complement, so counting never touches more than half of the documents;
* the **live** documents (a programme's older version leaves when a newer one is published).

A search intersects the postings of its terms (smallest first, stopping at an empty set), ORs
the selected values within each facet and ANDs the facets. Each facet value's count is one
``intersection_cardinality`` — a few microseconds in C. The page is cut from the result in the
requested order (:mod:`credstack.adapters.search.ordering`); relevance puts documents with
every term in the title first, then the rest, each newest first. Results of recent queries are
kept (:data:`CACHE_SIZE`), so the next pages of a search do not count its facets again.

The relational store stays the source of truth: the index is built from it
(:mod:`~credstack.adapters.search.builder`), saved beside it (:mod:`~.files`), updated one
programme at a time as versions are published (:meth:`SearchIndex.upsert`) and rebuilt with
``credstack registry reindex``. :class:`SearchIndex` is safe to share between threads: one
lock serialises searches and updates (searches take milliseconds and hold the GIL anyway), and
a rebuilt index replaces the data of the same object, so whoever holds it sees the new one.
"""

from __future__ import annotations

import secrets
import threading
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from pyroaring import BitMap

from credstack.adapters.search.ordering import (
    MISSING,
    SortOrder,
    document_of,
    newest_first,
)
from credstack.adapters.search.results import FacetCount, Hit, SearchResult
from credstack.adapters.search.vocabulary import Vocabulary
from credstack.core.registry.documents import IndexDocument, Provider, title_sort_text
from credstack.core.registry.labels import facet_label
from credstack.core.registry.page_tokens import Position, decode_token, encode_token
from credstack.core.registry.query import FACETS, LANGUAGES, SearchQuery
from credstack.core.registry.text import (
    QueryText,
    index_terms,
    is_cjk,
    parse_text,
    stem,
    vocabulary_words,
    words_of,
)

__all__ = ["CACHE_SIZE", "FACET_VALUES_SHOWN", "IndexData", "SearchIndex", "StoreGeneration"]

#: Searches whose results and facet counts are kept (the pages after the first reuse them).
CACHE_SIZE: Final = 128
#: Values listed per facet in a result, largest counts first (selected values always).
FACET_VALUES_SHOWN: Final = 100
#: A facet value on more than this share of the documents is counted through its complement.
_COMPLEMENT_SHARE: Final = 0.5
#: Facets with more values than this are counted a group of values at a time.
_GROUPED: Final = 64
_GROUP_SIZE: Final = 32
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
        self.provider_lookup: dict[str, int] = {}
        self.by_programme: dict[int, int] = {}
        self.title_orders: dict[str, TitleOrder] = {lang: TitleOrder() for lang in LANGUAGES}
        self.sorts: dict[str, SortOrder] = {}
        self.vocabulary = Vocabulary((), {})
        self._groups: dict[str, list[tuple[BitMap, list[tuple[str, BitMap]]]]] = {}
        self._labels: dict[tuple[str, str], dict[str, str]] = {}
        self._live_counts: dict[str, dict[str, int]] = {}

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
        self.live.add(number)
        self.updates += 1
        return number

    def remove(self, programme_id: int) -> bool:
        number = self.by_programme.pop(programme_id, None)
        if number is None:
            return False
        self.live.discard(number)
        self._live_counts.clear()
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
            found = (dict(self.providers[ref].name) if ref is not None
                     else facet_label(facet, value))
            if len(self._labels) < 100_000:
                self._labels[(facet, value)] = found
        return found

    def live_counts(self, facet: str) -> dict[str, int]:
        """Counts of a facet's values over every live document (kept until a change)."""
        counts = self._live_counts.get(facet)
        if counts is None:
            counts = self._live_counts[facet] = _count(self, facet, self.live)
        return counts

    def hit(self, number: int, title_match: bool) -> Hit:
        provider = self.providers[self.provider_refs[number]]
        return Hit(programme_id=self.programme_ids[number], version=self.versions[number],
                   title=dict(self.titles[self.title_refs[number]]),
                   provider=dict(provider.name), provider_slug=provider.slug,
                   title_match=title_match)


@dataclass(frozen=True, slots=True)
class _Matched:
    """A search's documents before paging, kept in the cache."""

    base: BitMap
    #: Documents with every query term in the title (None without query text).
    title: BitMap | None
    result: BitMap
    facets: dict[str, list[FacetCount]]


class SearchIndex:
    """The registry's search index (see the module's description)."""

    def __init__(self, data: IndexData | None = None, *, cache_size: int = CACHE_SIZE) -> None:
        self._data = data if data is not None else empty_data()
        self._lock = threading.RLock()
        self._cache: OrderedDict[Any, _Matched] = OrderedDict()
        self._cache_size = cache_size

    # --- the index as a whole ---------------------------------------------------------

    def __len__(self) -> int:
        return len(self._data.live)

    @property
    def generation(self) -> str:
        """Changes whenever the index changes (a build, a load, an update)."""
        data = self._data
        return f"{data.generation}.{data.updates}"

    @property
    def store_generation(self) -> StoreGeneration:
        return self._data.store_generation

    @property
    def data(self) -> IndexData:
        return self._data

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    def replace(self, data: IndexData) -> None:
        """Serve ``data`` from now on (after a rebuild or a load)."""
        with self._lock:
            self._data = data
            self._cache.clear()

    def upsert(self, document: IndexDocument, *, store_generation: StoreGeneration | None = None,
               replace: bool = False) -> None:
        """Index a programme's newest published version, replacing its previous one
        (``replace``: even when the version is the same, e.g. its recognition changed)."""
        with self._lock:
            data = self._data
            current = data.by_programme.get(document.programme_id)
            if current is None or replace or data.versions[current] != document.version:
                data.add(document)
            if store_generation is not None:
                data.store_generation = store_generation
            self._cache.clear()

    def remove(self, programme_id: int) -> None:
        with self._lock:
            if self._data.remove(programme_id):
                self._cache.clear()

    def programme_numbers(self) -> dict[int, int]:
        """Programme id → document number of every live document (for tests and stats)."""
        with self._lock:
            return dict(self._data.by_programme)

    # --- searching --------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """The page of ``query``'s results, with facet counts; see :class:`SearchResult`.

        Raises :class:`~credstack.errors.PageTokenError` for a page token
        this index did not issue for this query.
        """
        with self._lock:
            data = self._data
            position = (decode_token(query.after, query, secret=data.secret)
                        if query.after else None)
            parsed = parse_text(query.text)
            matched = self._matched(data, query, parsed)
            hits, last = self._page(data, query, matched, position)
            next_token = (encode_token(query, last, secret=data.secret)
                          if last is not None else None)
            suggestions = (self._suggestions(data, query, parsed)
                           if not matched.result and (parsed.words or parsed.prefix) else [])
            return SearchResult(total=len(matched.result), hits=hits,
                                facets=matched.facets, next_token=next_token,
                                suggestions=suggestions)

    def count(self, query: SearchQuery) -> int:
        """How many documents ``query`` finds (no page, no facets)."""
        with self._lock:
            data = self._data
            base, _ = self._text(data, parse_text(query.text), title=False)
            return len(self._filtered(data, base, query)[0])

    def _matched(self, data: IndexData, query: SearchQuery, parsed: QueryText) -> _Matched:
        key = (parsed.terms, parsed.prefix, parsed.unsearchable,
               tuple((name, tuple(sorted(values))) for name, values in query.filters.items()))
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        base, title = self._text(data, parsed, title=True)
        result, selections = self._filtered(data, base, query)
        if title is not None:
            title &= result
        facets = _facet_counts(data, query, base, result, selections)
        matched = _Matched(base, title, result, facets)
        if self._cache_size:
            self._cache[key] = matched
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return matched

    @staticmethod
    def _text(data: IndexData, parsed: QueryText, *, title: bool
              ) -> tuple[BitMap, BitMap | None]:
        """The live documents with every term, and those with every term in the title."""
        if parsed.unsearchable:
            return BitMap(), BitMap() if title else None
        if parsed.empty:
            return data.live, None
        groups: list[BitMap] = []
        title_groups: list[BitMap] = []
        empty = BitMap()
        for term in parsed.terms:
            groups.append(data.postings.get(term, empty))
            title_groups.append(data.title_postings.get(term, empty))
        if parsed.prefix is not None:
            words = ([parsed.prefix] if data.vocabulary.is_word(parsed.prefix)
                     else data.vocabulary.expand(parsed.prefix, _StemFrequency(data)))
            stems = list(dict.fromkeys(stem(word) for word in words))
            groups.append(BitMap.union(empty, *(data.postings.get(s, empty) for s in stems)))
            title_groups.append(BitMap.union(empty, *(data.title_postings.get(s, empty)
                                                      for s in stems)))
        groups.sort(key=len)
        result = groups[0] & data.live
        for group in groups[1:]:
            if not result:
                break
            result &= group
        if not title:
            return result, None
        in_title = result
        for group in sorted(title_groups, key=len):
            if not in_title:
                break
            in_title = in_title & group
        return result, in_title

    @staticmethod
    def _filtered(data: IndexData, base: BitMap, query: SearchQuery
                  ) -> tuple[BitMap, dict[str, BitMap]]:
        """The documents of ``base`` that pass every facet filter, and each facet's selection."""
        selections: dict[str, BitMap] = {}
        empty = BitMap()
        for name, values in query.filters.items():
            table = data.facets.get(name, {})
            selections[name] = BitMap.union(empty, *(table[v] for v in values if v in table))
        result = base
        for selection in sorted(selections.values(), key=len):
            result = result & selection
            if not result:
                break
        return result, selections

    # --- one page ---------------------------------------------------------------------

    @staticmethod
    def _page(data: IndexData, query: SearchQuery, matched: _Matched,
              position: Position | None) -> tuple[list[Hit], Position | None]:
        need = query.limit + 1
        title = matched.title
        if query.sort in ("relevance", "newest"):
            if query.sort == "relevance" and title is not None:
                groups = [title, matched.result - title]
            else:
                groups = [matched.result]
            chosen: list[tuple[int, int]] = []
            first = position.group if position is not None else 0
            for group in range(first, len(groups)):
                before = position.key if position is not None and group == first else None
                for number in newest_first(groups[group], before=before,
                                           count=need - len(chosen)):
                    chosen.append((group, number))
                if len(chosen) >= need:
                    break
            hits = [data.hit(number, title is not None and number in title)
                    for _, number in chosen[:query.limit]]
            last = (Position(*chosen[query.limit - 1]) if len(chosen) > query.limit
                    else None)
            return hits, last
        name = f"title:{query.language}" if query.sort == "title" else query.sort
        keys = data.sorts[name].page(matched.result,
                                     after=position.key if position is not None else None,
                                     count=need)
        hits = [data.hit(number, title is not None and number in title)
                for number in map(document_of, keys[:query.limit])]
        last = Position(0, keys[query.limit - 1]) if len(keys) > query.limit else None
        return hits, last

    # --- nothing found ----------------------------------------------------------------

    def _suggestions(self, data: IndexData, query: SearchQuery, parsed: QueryText
                     ) -> list[str]:
        """Queries near this one that find something (with the same filters if possible)."""
        words = list(parsed.words)
        if not words:
            return []
        candidates: list[list[str]] = []
        for word in words[:8]:
            alone = parse_text(word.text + " ")
            if self._finds(data, alone, query):
                candidates.append([word.text])
            else:
                candidates.append(data.vocabulary.similar(word.text)[:3] or [word.text])
        options: list[str] = []
        for index in range(3):
            text = _join([choices[min(index, len(choices) - 1)] for choices in candidates])
            if text not in options and text != _join([w.text for w in words]):
                options.append(text)
        found = [text for text in options if self._finds(data, parse_text(text + " "), query)]
        if not found and len(words) > 1:
            # Every word finds something, but not together: offer the words one by one.
            found = [word.text for word in words[:3]
                     if self._finds(data, parse_text(word.text + " "), query)]
        return found[:3]

    def _finds(self, data: IndexData, parsed: QueryText, query: SearchQuery) -> bool:
        base, _ = self._text(data, parsed, title=False)
        return bool(base) and bool(self._filtered(data, base, query)[0])


def _join(words: Sequence[str]) -> str:
    """Query words back into a query: CJK words side by side, Latin words spaced."""
    out = ""
    for word in words:
        if out and not (is_cjk(out[-1]) and is_cjk(word[0])):
            out += " "
        out += word
    return out


class _StemFrequency(Mapping[str, int]):
    """How many documents contain a word's stem, looked up lazily (for prefix expansion)."""

    def __init__(self, data: IndexData) -> None:
        self._data = data

    def __getitem__(self, word: str) -> int:
        return len(self._data.postings.get(stem(word), ()))

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0


def _facet_counts(data: IndexData, query: SearchQuery, base: BitMap, result: BitMap,
                  selections: dict[str, BitMap]) -> dict[str, list[FacetCount]]:
    """Every facet's counts: over the result, or — for a facet with a selection — over the
    result without that facet's own filter (disjunctive facets)."""
    counted: dict[str, list[FacetCount]] = {}
    for name in FACETS:
        if name in selections:
            scope = base
            for other, selection in selections.items():
                if other != name:
                    scope = scope & selection
        else:
            scope = result
        # Every live document (no text, no other filter): counts kept until a change.
        counts = data.live_counts(name) if scope is data.live else _count(data, name, scope)
        selected = query.filters.get(name, frozenset())
        ranked = sorted((-count, value) for value, count in counts.items() if count > 0)
        listed = [(value, -negative) for negative, value in ranked[:FACET_VALUES_SHOWN]]
        present = {value for value, _ in listed}
        listed += [(value, counts.get(value, 0)) for value in sorted(selected)
                   if value not in present]
        counted[name] = [FacetCount(value, count, dict(data.label(name, value)))
                         for value, count in listed]
    return counted


def _count(data: IndexData, name: str, scope: BitMap) -> dict[str, int]:
    """The count of every value of facet ``name`` among the documents of ``scope``.

    A facet of a few values costs one ``intersection_cardinality`` per value (through the
    complement for a value most documents have). The provider facet has thousands of
    values, and the cheapest way to count it depends on the result's size (measured on a
    million programmes and two thousand providers): a dense result (stored as bitsets) meets
    each provider's small bitmap cheaply; a smaller one is counted by reading each document's
    provider (about 0.12 µs a document); in between, a group of providers at a time.
    """
    values = data.facets.get(name, {})
    size = len(scope)
    if not size:
        return {}
    dense = size >= _DENSE * data.documents
    if name == "provider" and not dense and size < _ITERATE:
        refs = Counter(map(data.provider_refs.__getitem__, scope))
        return {data.providers[ref].slug: count for ref, count in refs.items()}
    if len(values) > _GROUPED and not dense:
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
