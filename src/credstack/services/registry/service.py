"""The registry's search index: searching it, and the saved index behind
``credstack registry reindex`` and ``stats``.

The web service keeps its index current as programmes change
(:class:`~credstack.adapters.search.live.LiveIndex`, the runtime's ``registry``):
:func:`search` asks it, and :func:`search_generation` names its state for HTTP validators.
:func:`reindex` rebuilds the saved index from the store and :func:`index_facts` reads what it
holds, so that a large import need not be indexed while the service starts. Nothing here
changes the store, so nothing writes the audit log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from credstack.adapters.search import files
from credstack.adapters.search.results import FacetCount, Hit, SearchResult
from credstack.adapters.search.store import build_from_store, store_generation
from credstack.core.registry.query import SearchQuery
from credstack.services.runtime import Runtime

__all__ = ["FacetCount", "Hit", "IndexFacts", "Reindexed", "SearchResult", "index_facts",
           "reindex", "search", "search_generation"]


@dataclass(frozen=True, slots=True)
class Reindexed:
    """A rebuilt and saved index: how many programmes and terms, how long, where."""

    programmes: int
    terms: int
    seconds: float
    path: Path


@dataclass(frozen=True, slots=True)
class IndexFacts:
    """What the saved index holds and whether it reflects the store."""

    path: Path
    exists: bool
    current: bool
    programmes: int
    terms: int
    size_bytes: int
    built_at: str | None
    store_published_versions: int


def search(runtime: Runtime, *, query: SearchQuery) -> SearchResult | None:
    """The runtime's search index's answer to ``query``; None when it keeps no index.

    :class:`~credstack.errors.InputError` for a page token that was altered or belongs to
    another search.
    """
    if runtime.registry is None:
        return None
    return runtime.registry.index.search(query)


def search_generation(runtime: Runtime) -> str | None:
    """What names the index's state now (the same searches give the same answers while it
    stays the same); None when the runtime keeps no index."""
    return runtime.registry.index.generation if runtime.registry is not None else None


def reindex(runtime: Runtime, *, progress: Callable[[int, int], None]) -> Reindexed:
    """Rebuild the index from the store's published programmes and save it in the data
    directory; ``progress(done, total)`` is called as programmes are read."""
    data_dir = runtime.settings.data_dir
    started = time.perf_counter()
    with runtime.transaction() as session:
        data = build_from_store(session, secret=files.secret_for(data_dir), progress=progress)
    seconds = time.perf_counter() - started
    path = files.save(data, data_dir, built_at=runtime.now().isoformat())
    return Reindexed(len(data.live), len(data.postings), seconds, path)


def index_facts(runtime: Runtime) -> IndexFacts:
    """The saved index's header beside the store's generation."""
    data_dir = runtime.settings.data_dir
    with runtime.transaction() as session:
        current = store_generation(session)
    header = files.read_header(data_dir)
    return IndexFacts(
        path=files.index_path(data_dir), exists=header is not None,
        current=header is not None and files.header_generation(header) == current,
        programmes=header["live"] if header else 0, terms=header["terms"] if header else 0,
        size_bytes=header["size"] if header else 0,
        built_at=header["built_at"] if header else None,
        store_published_versions=current[0])
