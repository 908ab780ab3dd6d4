"""What a search returns: hits, facet counts, the next page's token and suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["FacetCount", "Hit", "SearchResult"]


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet and how many results have it."""

    value: str
    count: int
    #: The value's name: ``{"ja": …, "en": …}``.
    label: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count, "label": self.label}


@dataclass(frozen=True)
class Hit:
    """One programme found: its newest published version."""

    programme_id: int
    version: int
    title: dict[str, str]
    provider: dict[str, str]
    provider_slug: str
    #: Every query term is in the title (such hits come first under relevance).
    title_match: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "programme_id": self.programme_id,
            "version": self.version,
            "title": self.title,
            "provider": self.provider,
            "provider_slug": self.provider_slug,
            "title_match": self.title_match,
            "links": {"page": f"/programmes/{self.programme_id}",
                      "api": f"/api/programmes/{self.programme_id}"},
        }


@dataclass(frozen=True)
class SearchResult:
    """A page of results with the facet counts of the whole result.

    ``facets`` has every facet; each lists the values with a count above zero, largest
    first (at most :data:`~credstack.adapters.search.index.FACET_VALUES_SHOWN`), and the
    values the query selected even at zero. Counts are *disjunctive*: a facet's counts are
    taken over the results of the query without that facet's own selection, so they say
    how many results there would be with that value (added as an alternative) — the values
    of one facet are alternatives (OR). A facet nobody selected is counted over the results
    as they are.
    """

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    #: Pass as ``after`` for the next page; None on the last page.
    next_token: str | None
    #: Other queries that would find something; only when ``total`` is 0.
    suggestions: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {name: [count.to_dict() for count in counts]
                       for name, counts in self.facets.items()},
            "next_token": self.next_token,
            "suggestions": self.suggestions,
        }
