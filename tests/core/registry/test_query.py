"""Search queries from URL parameters: what passes, and errors that name the parameter."""

from __future__ import annotations

import pytest

from credstack.core.registry.query import FACETS, SORTS, SearchQuery, parse_query
from credstack.errors import InputError


def test_no_parameters_is_the_default_search() -> None:
    """Everything, by relevance, in Japanese, twenty a page."""
    assert parse_query({}) == SearchQuery()
    assert SearchQuery() == SearchQuery(text="", filters={}, sort="relevance", language="ja",
                                        limit=20, after=None)


def test_parameters_become_a_query() -> None:
    """Text, sort, language, limit, token and repeated facet values."""
    query = parse_query({"q": "介護", "sort": "title", "lang": "en", "limit": "50",
                         "after": "abc", "field": ["digital", "business"],
                         "delivery_mode": "online"})
    assert query.text == "介護"
    assert query.sort == "title"
    assert query.language == "en"
    assert query.limit == 50
    assert query.after == "abc"
    assert query.filters == {"delivery_mode": frozenset({"online"}),
                             "field": frozenset({"digital", "business"})}


def test_every_facet_and_sort_of_the_contract_is_known() -> None:
    """The names the pages and the API share."""
    assert FACETS == ("field", "provider", "provider_type", "level", "effort_band", "credits",
                      "delivery_mode", "language", "price_band", "assessment", "recognition",
                      "stackable", "profile", "skill")
    assert SORTS == ("relevance", "title", "effort", "credits", "newest")
    for name in FACETS:
        assert parse_query({name: "x"}).filters == {name: frozenset({"x"})}


@pytest.mark.parametrize(("params", "parameter"), [
    ({"sort": "price"}, "sort"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"limit": "-1"}, "limit"),
    ({"limit": "１０"}, "limit"),
    ({"lang": "fr"}, "lang"),
    ({"colour": "blue"}, "colour"),
    ({"fields": "digital"}, "fields"),
    ({"field": [f"v{n}" for n in range(101)]}, "field"),
])
def test_bad_parameters_are_errors_naming_the_parameter(
        params: dict[str, str | list[str]], parameter: str) -> None:
    """An unknown parameter or sort, a limit outside 1–100: an InputError (HTTP 422)."""
    with pytest.raises(InputError) as raised:
        parse_query(params)
    assert [p.location for p in raised.value.problems] == [parameter]
    assert parameter in raised.value.message


def test_unknown_facet_values_are_not_errors() -> None:
    """A value no programme has is a filter that matches nothing, not a bad request."""
    assert parse_query({"provider": "gone-away"}).filters == {
        "provider": frozenset({"gone-away"})}


def test_blank_values_select_nothing() -> None:
    """An empty checkbox value or a blank token is as if it was not given."""
    query = parse_query({"field": ["", " "], "after": " ", "q": ""})
    assert query.filters == {}
    assert query.after is None


def test_a_repeated_single_parameter_takes_its_last_value() -> None:
    """?sort=title&sort=effort sorts by effort."""
    assert parse_query({"sort": ["title", "effort"]}).sort == "effort"


def test_a_huge_text_is_cut_not_refused() -> None:
    """10 KB of query text is a normal query of its first 1,000 characters."""
    assert len(parse_query({"q": "介" * 10_000}).text) == 1000


def test_language_tags_are_reduced_to_ja_or_en() -> None:
    """ja-JP is Japanese."""
    assert parse_query({"lang": "ja-JP"}).language == "ja"
    assert parse_query({"lang": "EN"}).language == "en"


def test_queries_made_in_code_are_checked_too() -> None:
    """SearchQuery itself refuses a bad sort, limit or facet name."""
    with pytest.raises(InputError):
        SearchQuery(sort="price")
    with pytest.raises(InputError):
        SearchQuery(limit=0)
    with pytest.raises(InputError):
        SearchQuery(filters={"colour": frozenset({"blue"})})
    assert SearchQuery(filters={"field": frozenset()}).filters == {}


def test_queries_are_hashable_values() -> None:
    """Equal queries are equal and hash alike (usable as cache keys)."""
    one = parse_query({"q": "介護", "field": ["b", "a"]})
    two = SearchQuery(text="介護", filters={"field": frozenset({"a", "b"})})
    assert one == two and hash(one) == hash(two)
    assert len({one, two, SearchQuery()}) == 2
