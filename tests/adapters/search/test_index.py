"""The search index against a brute-force scan of the same documents (the oracle).

The corpus is the demo set and 2,500 generated programmes. Every search's hits (in order),
total and facet counts must equal what looking at every document gives.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from credstack.adapters.search.builder import build_data
from credstack.adapters.search.index import SearchIndex, empty_data
from credstack.adapters.search.results import SearchResult
from credstack.core import vocabularies
from credstack.core.registry.query import FACETS, SORTS, SearchQuery
from credstack.core.registry.text import MAX_QUERY_LENGTH, MAX_QUERY_TERMS, parse_text
from credstack.errors import InputError, PageTokenError
from tests.adapters.search.oracle import Oracle, changed, corpus

TEXTS = [
    "", "介護", "半導", "AI", "ＡＩ", "データ", "データサイエンス", "機械学習", "学", "入門",
    "社会人", "data", "data science", "machine learning", "care", "mach", "semicond",
    "介護 care", "Python", "Practical Introduction", "programmes", "nonexistentword",
    "🎓", "\" OR 1=1 --",
]
FILTERS: list[dict[str, frozenset[str]]] = [
    {},
    {"delivery_mode": frozenset({"online"})},
    {"field": frozenset({"digital", "business"})},
    {"field": frozenset({"digital"}), "price_band": frozenset({"free", "lt-10k-jpy"})},
    {"profile": frozenset({"jp-mc"}), "effort_band": frozenset({"10-29h"})},
    {"level": frozenset({"EQF-5", "MQF-4"})},
    {"provider": frozenset({"no-such-provider"})},
]


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    checker = Oracle()
    for document in corpus():
        checker.add(document)
    return checker


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(build_data(corpus()))


def _all_pages(index: SearchIndex, query: SearchQuery) -> Iterator[SearchResult]:
    after = None
    for _ in range(10_000):
        result = index.search(SearchQuery(text=query.text, filters=query.filters,
                                          sort=query.sort, language=query.language,
                                          limit=query.limit, after=after))
        yield result
        if result.next_token is None:
            return
        after = result.next_token
    raise AssertionError("pagination does not end")


def _check(index: SearchIndex, oracle: Oracle, query: SearchQuery) -> None:
    result = index.search(query)
    expected = oracle.results(query)
    assert result.total == len(expected), query
    assert [hit.programme_id for hit in result.hits] == expected[:query.limit], query
    titles = oracle.title_matches(query)
    has_text = bool(query.text.strip())
    for hit in result.hits:
        assert hit.title_match == (has_text and hit.programme_id in titles)
    counts = oracle.facets(query)
    for name in FACETS:
        got = {fc.value: fc.count for fc in result.facets[name] if fc.count}
        assert got == counts[name], (query, name)
        listed = [fc.value for fc in result.facets[name]]
        assert set(query.filters.get(name, ())) <= set(listed)
        shown = [fc.count for fc in result.facets[name] if fc.count]
        assert shown == sorted(shown, reverse=True)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
@pytest.mark.parametrize("text", TEXTS)
def test_results_and_facet_counts_equal_a_brute_force_scan(
        index: SearchIndex, oracle: Oracle, text: str, filters: dict[str, frozenset[str]]
) -> None:
    """Hits in relevance order, total and every facet's counts, for text and filters."""
    _check(index, oracle, SearchQuery(text=text, filters=filters, limit=30))


@pytest.mark.parametrize(("sort", "language"), [
    (sort, language) for sort in SORTS for language in ("ja", "en")
    if sort == "title" or language == "ja"])
@pytest.mark.parametrize("text", ["", "データ", "care", "介護", "AI"])
def test_every_sort_order_equals_a_brute_force_sort(
        index: SearchIndex, oracle: Oracle, text: str, sort: str, language: str) -> None:
    """Title (ja, en), effort, credits and newest; missing values last, newest breaks ties."""
    _check(index, oracle, SearchQuery(text=text, sort=sort, language=language, limit=100))


@pytest.mark.parametrize(("text", "filters", "sort"), [
    ("", {}, "relevance"),
    ("データ", {}, "relevance"),
    ("care", {}, "newest"),
    ("", {"delivery_mode": frozenset({"online"})}, "title"),
    ("学", {}, "effort"),
    ("", {"field": frozenset({"digital"})}, "credits"),
    ("AI", {}, "title"),
])
def test_paging_with_tokens_gives_every_hit_once_in_order(
        index: SearchIndex, oracle: Oracle, text: str, filters: dict[str, frozenset[str]],
        sort: str) -> None:
    """Walking every page (seven at a time) lists the whole result, in order, once."""
    query = SearchQuery(text=text, filters=filters, sort=sort, limit=97 if not text else 7)
    seen = [hit.programme_id for page in _all_pages(index, query) for hit in page.hits]
    assert seen == oracle.results(query)
    assert len(seen) == len(set(seen))


def test_a_tampered_token_is_refused(index: SearchIndex) -> None:
    """A token with one character changed, or from another search, is an error."""
    first = index.search(SearchQuery(text="データ", limit=5))
    assert first.next_token is not None
    token = first.next_token
    swapped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(PageTokenError):
        index.search(SearchQuery(text="データ", limit=5, after=swapped))
    with pytest.raises(PageTokenError):
        index.search(SearchQuery(text="介護", limit=5, after=token))
    with pytest.raises(PageTokenError):
        index.search(SearchQuery(text="データ", limit=5, after="garbage"))
    assert isinstance(PageTokenError("x"), InputError)


@pytest.mark.parametrize("text", [
    "介護データ" * 2000, "x" * 10_240, " ".join(f"w{n}" for n in range(2000)),
    "\x00", "a\x00b", "🎓" * 500, "\"unbalanced", "'; DROP TABLE programmes; --",
    "title:(a OR b) NEAR/3 c*", "%", "_", "\\", "\u202e\u200b", "\ud7ff\ue000",
])
def test_hostile_queries_return_normally_and_do_bounded_work(index: SearchIndex,
                                                            text: str) -> None:
    """Huge, empty-looking or syntax-laden text is a normal search (total may be 0), and
    what it looks up is bounded whatever the text: its first MAX_QUERY_LENGTH characters, at
    most MAX_QUERY_TERMS terms (how fast such a search is, is bench work)."""
    result = index.search(SearchQuery(text=text))
    assert result.total >= 0
    assert set(result.facets) == set(FACETS)
    parsed = parse_text(text)
    assert len(parsed.terms) <= MAX_QUERY_TERMS
    assert sum(len(word.text) for word in parsed.words) <= MAX_QUERY_LENGTH


def test_unknown_facet_values_match_nothing_and_are_listed(index: SearchIndex) -> None:
    """A selected value nobody has gives no results; it stays listed, at zero."""
    result = index.search(SearchQuery(filters={"field": frozenset({"astrology"})}))
    assert result.total == 0
    assert [(fc.value, fc.count) for fc in result.facets["field"] if fc.value == "astrology"] \
        == [("astrology", 0)]


def test_typos_get_suggestions_that_find_something(index: SearchIndex) -> None:
    """An empty result suggests nearby queries; each of them finds programmes."""
    for text, expected in [("machne lerning", "machine learning"), ("半導休", "半導体"),
                           ("semiconductr", "semiconductor"), ("介護 xqzzy", "介護")]:
        result = index.search(SearchQuery(text=text))
        assert result.total == 0
        assert expected in result.suggestions, (text, result.suggestions)
        for suggestion in result.suggestions:
            assert index.search(SearchQuery(text=suggestion)).total > 0
    assert index.search(SearchQuery(text="データ")).suggestions == []


def test_relevance_puts_title_matches_first(index: SearchIndex) -> None:
    """Every hit with the terms in its title comes before any hit without."""
    query = SearchQuery(text="データ", limit=100)
    flags = [hit.title_match for page in _all_pages(index, query) for hit in page.hits]
    assert flags == sorted(flags, reverse=True)
    assert flags[0] and not flags[-1]


def test_hits_carry_what_a_result_list_shows(index: SearchIndex) -> None:
    """Programme id, version, titles, provider names and slug."""
    hit = index.search(SearchQuery(text="データサイエンス")).hits[0]
    document = corpus()[hit.programme_id - 1]
    assert hit.title == dict(document.title)
    assert hit.provider == dict(document.provider.name)
    assert hit.provider_slug == document.provider.slug
    assert hit.version == 1


def test_updates_one_programme_at_a_time_equal_a_fresh_build(oracle: Oracle) -> None:
    """Building part of the corpus, then adding the rest, new versions and a removal one by
    one gives the results of the oracle over the final documents."""
    documents = corpus()
    index = SearchIndex(build_data(documents[:1800]))
    checker = Oracle()
    for document in documents[:1800]:
        checker.add(document)
    for document in documents[1800:]:
        index.upsert(document)
        checker.add(document)
    for document in documents[100:2500:60]:
        revised = changed(document, 2)
        index.upsert(revised)
        checker.add(revised)
    index.remove(documents[5].programme_id)
    checker.remove(documents[5].programme_id)
    assert len(index) == len(checker) == len(documents) - 1
    for text, filters, sort, language in itertools.product(
            ["", "データ", "revised", "改訂", "care"],
            [{}, {"delivery_mode": frozenset({"online"})}],
            SORTS, ["ja", "en"]):
        if sort != "title" and language == "en":
            continue
        _check(index, checker, SearchQuery(text=text, filters=filters, sort=sort,
                                           language=language, limit=60))


def test_an_index_built_one_by_one_equals_a_bulk_build(index: SearchIndex,
                                                       oracle: Oracle) -> None:
    """The incremental path alone (from an empty index) agrees with the oracle too."""
    incremental = SearchIndex(empty_data())
    for document in corpus():
        incremental.upsert(document)
    for text in ["", "介護", "data science", "mach"]:
        for sort in SORTS:
            _check(incremental, oracle, SearchQuery(text=text, sort=sort, limit=50))


def test_the_same_version_again_changes_nothing(index: SearchIndex) -> None:
    """Upserting a version the index has is a no-op (idempotent hooks)."""
    local = SearchIndex(build_data(corpus()[:50]))
    generation = local.generation
    local.upsert(corpus()[10])
    assert local.generation == generation
    assert len(local) == 50


def test_the_newest_sort_lists_the_latest_published_first(index: SearchIndex) -> None:
    """Documents are numbered in publication order; a new version goes first."""
    local = SearchIndex(build_data(corpus()[:30]))
    local.upsert(changed(corpus()[3], 2))
    hits = local.search(SearchQuery(sort="newest", limit=3)).hits
    assert [hit.programme_id for hit in hits] == [4, 30, 29]
    assert hits[0].version == 2


def test_an_empty_index_answers_every_search() -> None:
    """No documents: totals of zero, every facet present and empty."""
    empty = SearchIndex()
    for sort in SORTS:
        result = empty.search(SearchQuery(text="介護", sort=sort))
        assert result.total == 0 and result.hits == [] and result.next_token is None
        assert set(result.facets) == set(FACETS)
    assert len(empty) == 0


def test_results_serialise_to_json_ready_dicts(index: SearchIndex) -> None:
    """to_dict gives plain data with links to the programme's page and API."""
    data = index.search(SearchQuery(text="介護", limit=2)).to_dict()
    assert set(data) == {"total", "hits", "facets", "next_token", "suggestions"}
    hit = data["hits"][0]
    assert hit["links"]["page"] == f"/programmes/{hit['programme_id']}"
    first = data["facets"]["field"][0]
    assert set(first) == {"value", "count", "label"}
    assert set(first["label"]) == set(vocabularies.languages())
