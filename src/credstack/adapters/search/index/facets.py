"""Counting facet values within a result, as the search page's sidebar shows them."""

from __future__ import annotations

from pyroaring import BitMap

from credstack.adapters.search.index.data import FACET_VALUES_SHOWN, IndexData, _count
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
        counts = data.live_counts(name) if scope is data.live else _count(data, name, scope)
        selected = query.filters.get(name, frozenset())
        ranked = sorted((-count, value) for value, count in counts.items() if count > 0)
        listed = [(value, -negative) for negative, value in ranked[:FACET_VALUES_SHOWN]]
        present = {value for value, _ in listed}
        listed += [(value, counts.get(value, 0)) for value in sorted(selected)
                   if value not in present]
        counted[name] = [FacetCount(value, count, dict(data.label(name, value)))
                         for value, count in listed]
    return counted
