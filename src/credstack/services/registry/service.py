"""The registry's saved search index, for ``credstack registry reindex`` and ``stats``.

The web service keeps its index current as programmes change
(:class:`~credstack.adapters.search.live.LiveIndex`); these rebuild the saved one from the
store and read what it holds, so that a large import need not be indexed while the service
starts. Neither changes the store, so neither writes the audit log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from credstack.adapters.search import files
from credstack.adapters.search.store import build_from_store, store_generation
from credstack.services.runtime import Runtime

__all__ = ["IndexFacts", "Reindexed", "index_facts", "reindex"]


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
