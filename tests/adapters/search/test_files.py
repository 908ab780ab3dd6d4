"""The index on disk: saved, loaded, and recognised as current or not."""

from __future__ import annotations

import stat
from pathlib import Path

from credstack.adapters.search import files
from credstack.adapters.search.builder import build_data
from credstack.adapters.search.index import SearchIndex
from credstack.core.registry.query import SORTS, SearchQuery
from tests.adapters.search.oracle import changed, corpus

QUERIES = [SearchQuery(text=text, sort=sort, limit=40)
           for text in ("", "介護", "data science", "mach", "機械学習")
           for sort in SORTS] + [
    SearchQuery(filters={"field": frozenset({"digital"})}, sort="title", language="en"),
    SearchQuery(text="machne lerning"),
]


def test_a_loaded_index_answers_like_the_saved_one(tmp_path: Path) -> None:
    """Hits, totals, facets and page tokens survive a save and a load."""
    secret = files.secret_for(tmp_path)
    data = build_data(corpus()[:1200], store_generation=(1200, 40, "2025"), secret=secret)
    saved = SearchIndex(data)
    files.save(data, tmp_path, built_at="2025-01-01T00:00:00+00:00")
    loaded_data = files.load(tmp_path)
    assert loaded_data is not None
    loaded = SearchIndex(loaded_data)
    assert len(loaded) == len(saved) == 1200
    assert loaded.store_generation == (1200, 40, "2025")
    assert loaded.generation == saved.generation
    for query in QUERIES:
        assert loaded.search(query) == saved.search(query)
    token = saved.search(SearchQuery(text="介護", limit=3)).next_token
    assert loaded.search(SearchQuery(text="介護", limit=3, after=token)).hits


def test_a_loaded_index_takes_updates(tmp_path: Path) -> None:
    """Sort orders and postings read back from disk accept new documents."""
    data = build_data(corpus()[:300], secret=files.secret_for(tmp_path))
    files.save(data, tmp_path, built_at="x")
    loaded_data = files.load(tmp_path)
    assert loaded_data is not None
    loaded = SearchIndex(loaded_data)
    reference = SearchIndex(build_data(corpus()[:300]))
    for document in (*corpus()[300:400], changed(corpus()[7], 2)):
        loaded.upsert(document)
        reference.upsert(document)
    for sort in SORTS:
        query = SearchQuery(text="", sort=sort, limit=100)
        assert [h.programme_id for h in loaded.search(query).hits] == \
            [h.programme_id for h in reference.search(query).hits]


def test_the_header_says_what_store_the_index_reflects(tmp_path: Path) -> None:
    """The header alone gives the store generation, counts and the file's size."""
    data = build_data(corpus()[:50], store_generation=(50, 3, "t"))
    path = files.save(data, tmp_path, built_at="2025-06-01T00:00:00+00:00")
    header = files.read_header(tmp_path)
    assert header is not None
    assert files.header_generation(header) == (50, 3, "t")
    assert header["live"] == 50
    assert header["size"] == path.stat().st_size
    assert header["built_at"] == "2025-06-01T00:00:00+00:00"


def test_missing_or_damaged_files_are_no_index(tmp_path: Path) -> None:
    """Nothing saved, a truncated file or another format: None, never an exception."""
    assert files.read_header(tmp_path) is None
    assert files.load(tmp_path) is None
    path = files.save(build_data(corpus()[:20]), tmp_path, built_at="x")
    content = path.read_bytes()
    path.write_bytes(content[:len(content) // 2])
    assert files.load(tmp_path) is None
    path.write_bytes(b"not an index at all")
    assert files.read_header(tmp_path) is None
    assert files.load(tmp_path) is None


def test_the_token_secret_is_private_and_stable(tmp_path: Path) -> None:
    """32 random bytes, mode 0600, the same every time it is asked for."""
    first = files.secret_for(tmp_path)
    assert len(first) == 32
    assert files.secret_for(tmp_path) == first
    mode = (files.index_path(tmp_path) / "secret").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
