"""The skill facet in the search index (issue 17): a facet of thousands of values counted
for its most common values, selected values always counted; a role's coverage."""

from __future__ import annotations

from decimal import Decimal

from credstack.adapters.search.builder import build_data
from credstack.adapters.search.index import SearchIndex
from credstack.core.registry.documents import IndexDocument, Provider
from credstack.core.registry.query import FACETS, SearchQuery

PROVIDER = Provider("p", "university", {"en": "P"})


def _document(number: int, skills: tuple[str, ...], text: str = "data") -> IndexDocument:
    facets: dict[str, tuple[str, ...]] = {name: ("x",) for name in FACETS}
    facets["skill"] = skills
    return IndexDocument(programme_id=number + 1, version=1, title={"en": f"P{number}"},
                         provider=PROVIDER, title_texts=(f"P{number}",), texts=(text,),
                         facets=facets, hours=Decimal(10), credits=None,
                         skill_names={uri: {"en": uri[-4:]} for uri in skills})


def _index() -> SearchIndex:
    """5,000 rare skills (one programme each) and one common skill on every programme."""
    documents = [_document(n, (f"urn:rare:{n:04d}", "urn:common"),
                           "data" if n % 2 else "care") for n in range(5000)]
    return SearchIndex(build_data(documents))


def test_a_many_valued_facet_lists_its_common_values_and_the_selected_ones() -> None:
    """In a text result, the common skill is counted; a selected rare one too, exactly."""
    index = _index()
    result = index.search(SearchQuery(text="data"))
    counts = {c.value: c.count for c in result.facets["skill"]}
    assert counts["urn:common"] == 2500
    chosen = index.search(SearchQuery(text="data", filters={
        "skill": frozenset({"urn:rare:4999"}), "field": frozenset({"x"})}))
    assert {c.value: c.count for c in chosen.facets["skill"]}["urn:rare:4999"] == 1
    assert chosen.total == 1
    assert [c.label for c in chosen.facets["skill"] if c.value == "urn:rare:4999"] == \
        [{"en": "4999"}]


def test_coverage_ranks_programmes_by_how_many_skills_they_have() -> None:
    """Programmes with both skills first, newest first; the total counts any."""
    documents = [_document(0, ("urn:a",)), _document(1, ("urn:a", "urn:b")),
                 _document(2, ("urn:b",)), _document(3, ("urn:c",))]
    index = SearchIndex(build_data(documents))
    total, found = index.coverage("skill", ["urn:a", "urn:b", "urn:z"], limit=10)
    assert total == 3
    assert [(hit.programme_id, covered) for hit, covered in found] == [
        (2, ("urn:a", "urn:b")), (3, ("urn:b",)), (1, ("urn:a",))]
    assert index.coverage("skill", [], limit=5) == (0, [])
