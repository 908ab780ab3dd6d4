"""The public registry's search index: Roaring bitmaps over the store's published programmes.

Modules, from the bottom up::

    results     FacetCount, Hit, SearchResult — what a search returns
    ordering    result orders: newest first, and block-indexed sort orders
    vocabulary  prefixes and typo-tolerant suggestions (rapidfuzz)
    index       SearchIndex: postings, facet bitmaps, search, one-programme updates
    builder     building an index from many documents at once
    files       the index on disk (<data dir>/registry-index/)
    store       reading the store (SQLite or PostgreSQL) into an index
    live        the process's index: loaded or built at start, kept current

The web app's runtime keeps its live index (``Runtime.registry``), which the registry service
(:mod:`credstack.services.registry.service`) searches; the design and its measurements are in
``docs/registry-search.md``.
"""

from credstack.adapters.search.index import SearchIndex
from credstack.adapters.search.live import LiveIndex
from credstack.adapters.search.results import FacetCount, Hit, SearchResult

__all__ = ["FacetCount", "Hit", "LiveIndex", "SearchIndex", "SearchResult"]
