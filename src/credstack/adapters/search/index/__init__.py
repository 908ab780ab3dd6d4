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

from credstack.adapters.search.index.data import CACHE_SIZE as CACHE_SIZE
from credstack.adapters.search.index.data import FACET_VALUES_SHOWN as FACET_VALUES_SHOWN
from credstack.adapters.search.index.data import SORT_ORDERS as SORT_ORDERS
from credstack.adapters.search.index.data import IndexData as IndexData
from credstack.adapters.search.index.data import StoreGeneration as StoreGeneration
from credstack.adapters.search.index.data import TitleOrder as TitleOrder
from credstack.adapters.search.index.data import _count as _count
from credstack.adapters.search.index.data import credits_value as credits_value
from credstack.adapters.search.index.data import effort_value as effort_value
from credstack.adapters.search.index.data import empty_data as empty_data
from credstack.adapters.search.index.data import title_key as title_key
from credstack.adapters.search.index.searching import SearchIndex as SearchIndex
from credstack.adapters.search.index.searching import _join as _join

__all__ = ["CACHE_SIZE", "FACET_VALUES_SHOWN", "IndexData", "SearchIndex", "StoreGeneration"]

