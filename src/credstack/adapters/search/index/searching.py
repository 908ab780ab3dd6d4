"""Searching the index: matching a query's terms, filtering by facets, sorting and paging."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyroaring import BitMap

from credstack.adapters.search.index.data import CACHE_SIZE, IndexData, StoreGeneration, empty_data
from credstack.adapters.search.index.facets import _facet_counts
from credstack.adapters.search.ordering import (
    document_of,
    newest_first,
)
from credstack.adapters.search.results import FacetCount, Hit, SearchResult
from credstack.core.registry.documents import IndexDocument
from credstack.core.registry.page_tokens import Position, decode_token, encode_token
from credstack.core.registry.query import SearchQuery
from credstack.core.registry.text import (
    QueryText,
    is_cjk,
    parse_text,
    stem,
)


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

    def remove(self, programme_id: int, *, store_generation: StoreGeneration | None = None
               ) -> None:
        """Take the programme out of the index (nothing happens when it is not in it)."""
        with self._lock:
            if self._data.remove(programme_id):
                self._cache.clear()
            if store_generation is not None:
                self._data.store_generation = store_generation

    def programme_numbers(self) -> dict[int, int]:
        """Programme id → document number of every live document (for tests and stats)."""
        with self._lock:
            return dict(self._data.by_programme)

    def coverage(self, facet: str, values: Sequence[str], *, limit: int = 20
                 ) -> tuple[int, list[tuple[Hit, tuple[str, ...]]]]:
        """Live documents having any of ``values`` of ``facet`` (an employer's skills): how
        many there are, and the ``limit`` that have the most of them (newest first among
        equals), each with the values it has.

        Counting "how many of the values" is bitmap arithmetic: ``at_least[m]`` (the
        documents with m or more of the values) grows by ``at_least[m - 1] & b`` for each
        value's bitmap ``b`` — k² operations on compressed bitmaps for k values, whatever
        the number of documents.
        """
        with self._lock:
            data = self._data
            table = data.facets.get(facet, {})
            bitmaps = [(value, table.get(value, BitMap()) & data.live)
                       for value in dict.fromkeys(values)]
            at_least: list[BitMap] = [data.live]
            for _, bitmap in bitmaps:
                at_least.append(BitMap())
                for m in range(len(at_least) - 1, 0, -1):
                    at_least[m] = at_least[m] | (at_least[m - 1] & bitmap)
            total = len(at_least[1]) if len(at_least) > 1 else 0
            chosen: list[int] = []
            for m in range(len(at_least) - 1, 0, -1):
                band = at_least[m] - at_least[m + 1] if m + 1 < len(at_least) else at_least[m]
                for number in reversed(band):
                    chosen.append(number)
                    if len(chosen) >= limit:
                        break
                if len(chosen) >= limit:
                    break
            return total, [(data.hit(number, False),
                            tuple(value for value, bitmap in bitmaps if number in bitmap))
                           for number in chosen]

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
