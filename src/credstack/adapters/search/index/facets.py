"""Counting facet values within a result, as the search page's sidebar shows them."""

from __future__ import annotations

from pyroaring import BitMap

from credstack.adapters.search.index.data import IndexData, _count, top_counts
from credstack.adapters.search.results import FacetCount
from credstack.core.registry.query import FACETS, SearchQuery


def _facet_counts(data: IndexData, query: SearchQuery, base: BitMap, result: BitMap,
                  selections: dict[str, BitMap]) -> dict[str, list[FacetCount]]:
    """Every facet's counts: over the result, or — for a facet with a selection — over the
    result without that facet's own filter (disjunctive facets)."""
    counted: dict[str, list[FacetCount]] = {}
    for name in FACETS:
        if name in selections:
            scope = base
            for other, selection in selections.items():
                if other != name:
                    scope = scope & selection
        else:
            scope = result
        # Every live document (no text, no other filter): counts kept until a change.
        if scope is data.live:
            counts = data.live_counts(name)
            listed = list(data.live_ranked(name))
        else:
            counts = _count(data, name, scope)
            listed = top_counts(counts)
        selected = query.filters.get(name, frozenset())
        present = {value for value, _ in listed}
        values = data.facets.get(name, {})
        listed += [(value, counts[value] if value in counts else
                    scope.intersection_cardinality(values[value]) if value in values else 0)
                   for value in sorted(selected) if value not in present]
        counted[name] = [FacetCount(value, count, dict(data.label(name, value)))
                         for value, count in listed]
    return counted
