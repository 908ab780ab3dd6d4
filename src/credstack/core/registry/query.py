"""A search of the public registry, as plain data, and how URL parameters become one.

``parse_query`` is the boundary: everything a visitor can put in a URL is checked here, and
what passes is a frozen :class:`SearchQuery` the index can trust. Bad *parameters* (an
unknown name, a sort that does not exist, a limit out of range) are errors that name the
parameter; unknown *values* of a known facet are not errors — they match nothing, as a
bookmarked link to a provider that has since left the registry should.

The ``skill`` facet's values are framework items' URIs (the Open Badges ``alignment``
``targetUrl``, the CASE item's ``uri``); a programme has the items it is aligned to *and every
broader item* (issue 17), so selecting a broad skill finds the programmes aligned to any of
its narrower ones.

Filters combine as facets usually do: the values selected in one facet are alternatives (OR),
different facets must all hold (AND). ``?field=digital&field=business&delivery_mode=online``
finds online programmes in either field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from credstack.core.registry.text import MAX_QUERY_LENGTH
from credstack.errors import InputError, Problem

__all__ = [
    "FACETS",
    "LANGUAGES",
    "MAX_LIMIT",
    "MAX_VALUES_PER_FACET",
    "SORTS",
    "SearchQuery",
    "parse_query",
]

FACETS: Final[tuple[str, ...]] = (
    "field", "provider", "provider_type", "level", "effort_band", "credits", "delivery_mode",
    "language", "price_band", "assessment", "recognition", "stackable", "profile", "skill",
)
#: relevance: title matches first, then the newest; title: A→Z (あ→ん) in the query's
#: language; effort: fewest hours first; credits: fewest (ECTS-equivalent) first; newest:
#: most recently published first. Programmes without the value sort last; ties: newest first.
SORTS: Final[tuple[str, ...]] = ("relevance", "title", "effort", "credits", "newest")
LANGUAGES: Final[tuple[str, ...]] = ("ja", "en")
MAX_LIMIT: Final = 100
#: More selected values than this in one facet is not a search a person makes.
MAX_VALUES_PER_FACET: Final = 100
#: A facet value longer than this is no value of any facet (it matches nothing).
MAX_VALUE_LENGTH: Final = 200
#: Page tokens are short; anything longer is refused without being read.
MAX_TOKEN_LENGTH: Final = 512

_SINGLE = ("q", "sort", "lang", "limit", "after")


def _problem(parameter: str, message: str) -> InputError:
    return InputError(f"Search parameter {parameter!r}: {message}",
                      problems=[Problem(parameter, message)])


@dataclass(frozen=True)
class SearchQuery:
    """One search: text, facet filters, order, language, page size and position."""

    text: str = ""
    #: facet → selected values (OR within a facet, AND across facets).
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    sort: str = "relevance"
    #: The language of labels and of the title sort.
    language: str = "ja"
    limit: int = 20
    #: A page token from a previous :attr:`SearchResult.next_token`.
    after: str | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise _problem("sort", f"{self.sort!r} is not a sort order; use one of "
                           f"{', '.join(SORTS)}.")
        if self.language not in LANGUAGES:
            raise _problem("lang", f"{self.language!r} is not supported; use ja or en.")
        if isinstance(self.limit, bool) or not 1 <= self.limit <= MAX_LIMIT:
            raise _problem("limit", f"give a number of results from 1 to {MAX_LIMIT}.")
        for name, values in self.filters.items():
            if name not in FACETS:
                raise _problem(name, f"{name!r} is not a facet; facets are "
                               f"{', '.join(FACETS)}.")
            if len(values) > MAX_VALUES_PER_FACET:
                raise _problem(name, f"at most {MAX_VALUES_PER_FACET} values can be selected.")
        # Normalised copies: a plain dict of frozensets, without facets that select nothing.
        object.__setattr__(self, "filters", {
            name: frozenset(values) for name, values in sorted(self.filters.items()) if values})

    def __hash__(self) -> int:
        # The filters are a dict (of frozensets): hash their sorted items instead.
        return hash((self.text, tuple((name, tuple(sorted(values)))
                                      for name, values in self.filters.items()),
                     self.sort, self.language, self.limit, self.after))

    @property
    def has_filters(self) -> bool:
        return bool(self.filters)


def _last(value: str | list[str]) -> str:
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def parse_query(params: Mapping[str, str | list[str]]) -> SearchQuery:
    """A :class:`SearchQuery` from URL parameters (``q``, ``sort``, ``lang``, ``limit``,
    ``after``, and each facet name, repeatable).

    Raises :class:`~credstack.errors.InputError` naming the parameter for an unknown
    parameter, sort or language and for a limit that is not 1–100; a single-valued parameter
    given twice takes its last value; text beyond 1,000 characters is ignored.
    """
    unknown = sorted(name for name in params if name not in _SINGLE and name not in FACETS)
    if unknown:
        raise _problem(unknown[0], f"{unknown[0]!r} is not a search parameter; use q, sort, "
                       f"lang, limit, after or a facet ({', '.join(FACETS)}).")
    raw_limit = _last(params.get("limit", "")).strip()
    limit = 20
    if raw_limit:
        if not raw_limit.isascii() or not raw_limit.isdigit() or len(raw_limit) > 4:
            raise _problem("limit", f"give a number of results from 1 to {MAX_LIMIT}, "
                           f"not {raw_limit[:20]!r}.")
        limit = int(raw_limit)
    sort = _last(params.get("sort", "")).strip() or "relevance"
    language = _last(params.get("lang", "")).strip().lower().split("-", 1)[0] or "ja"
    after = _last(params.get("after", "")).strip() or None
    filters: dict[str, frozenset[str]] = {}
    for name in FACETS:
        raw = params.get(name)
        if raw is None:
            continue
        values = [raw] if isinstance(raw, str) else list(raw)
        selected = frozenset(v.strip() for v in values if v.strip())
        if selected:
            filters[name] = selected
    return SearchQuery(text=_last(params.get("q", ""))[:MAX_QUERY_LENGTH], filters=filters,
                       sort=sort, language=language, limit=limit, after=after)
