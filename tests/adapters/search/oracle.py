"""A brute-force search over index documents: the oracle the index is checked against.

It shares only the *definitions* with the index — the terms a text has
(:func:`index_terms`), what a query asks for (:func:`parse_text`), a document's facet values —
and none of the machinery: no bitmaps, no postings, no sort orders, no caches. Each query is
answered by looking at every document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import orjson

from credstack.core.descriptors.synthetic import generate_organisations, iter_programmes
from credstack.core.registry.documents import (
    IndexDocument,
    ProfileConformance,
    Provider,
    index_document,
    title_sort_text,
)
from credstack.core.registry.query import FACETS, SearchQuery
from credstack.core.registry.text import index_terms, parse_text, stem, words_of
from credstack.demo import load_demo_documents

#: Generated programmes in the test corpus (besides the 87 of the demo set).
GENERATED = 2500


@cache
def corpus() -> tuple[IndexDocument, ...]:
    """The demo set and generated programmes as index documents, ids 1, 2, …"""
    demo = load_demo_documents()
    organisations = [*demo.organisations, *generate_organisations(40, seed=5)]
    providers = {o.slug: Provider(o.slug, o.kind.value, dict(o.name.root))
                 for o in organisations}
    programmes = [*demo.programmes, *iter_programmes(GENERATED, seed=5, organisations=40)]
    conformance = ProfileConformance()
    documents = []
    for number, programme in enumerate(programmes, start=1):
        document = orjson.loads(programme.canonical_json())
        assert programme.awarding_body is not None
        documents.append(index_document(
            document, programme_id=number, version=1,
            provider=providers[programme.awarding_body.id], conformance=conformance))
    return tuple(documents)


def changed(document: IndexDocument, version: int) -> IndexDocument:
    """A new version of a programme: another title, more hours, online."""
    title = {tag: f"{text} 改訂{version} revised" for tag, text in document.title.items()}
    facets = dict(document.facets)
    facets["delivery_mode"] = ("online",)
    return IndexDocument(
        programme_id=document.programme_id, version=version, title=title,
        provider=document.provider, title_texts=tuple(title.values()), texts=document.texts,
        facets=facets, hours=(document.hours or Decimal(1)) + 7, credits=document.credits)


@dataclass
class _Entry:
    number: int
    document: IndexDocument
    terms: frozenset[str]
    title_terms: frozenset[str]


def _terms(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(term for text in texts for term in index_terms(text))


class Oracle:
    """The live documents, numbered in the order they were added."""

    def __init__(self) -> None:
        self._entries: dict[int, _Entry] = {}
        self._next = 0
        self._words: set[str] = set()

    def add(self, document: IndexDocument) -> None:
        self._entries[document.programme_id] = _Entry(
            self._next, document, _terms((*document.title_texts, *document.texts)),
            _terms(document.title_texts))
        self._next += 1
        self._words |= words_of((*document.title_texts, *document.texts))

    def remove(self, programme_id: int) -> None:
        del self._entries[programme_id]

    def __len__(self) -> int:
        return len(self._entries)

    # --- matching -----------------------------------------------------------------------

    def _prefix_stems(self, prefix: str) -> set[str]:
        if prefix in self._words:
            return {stem(prefix)}
        words = [word for word in self._words if word.startswith(prefix)]
        assert len(words) <= 64, f"prefix {prefix!r} expands too far for the oracle"
        return {stem(word) for word in words}

    def _matcher(self, query: SearchQuery, *, title: bool) -> Callable[[_Entry], bool]:
        """Whether an entry has the query's terms (in its title only, if ``title``). The
        query is parsed, and its prefix expanded over the vocabulary, once per question;
        every entry is then looked at."""
        parsed = parse_text(query.text)
        if parsed.unsearchable:
            return lambda entry: False
        wanted = set(parsed.terms)
        stems = None if parsed.prefix is None else self._prefix_stems(parsed.prefix)

        def matches(entry: _Entry) -> bool:
            terms = entry.title_terms if title else entry.terms
            return wanted <= terms and (stems is None or bool(stems & terms))
        return matches

    @staticmethod
    def _passes(entry: _Entry, query: SearchQuery, skip: str | None = None) -> bool:
        return all(set(entry.document.facets.get(name, ())) & values
                   for name, values in query.filters.items() if name != skip)

    def results(self, query: SearchQuery) -> list[int]:
        """Programme ids in the query's order."""
        text_match = self._matcher(query, title=False)
        found = [e for e in self._entries.values() if text_match(e) and self._passes(e, query)]
        has_text = not parse_text(query.text).empty
        in_title = self._matcher(query, title=True)

        def title_match(entry: _Entry) -> bool:
            return has_text and in_title(entry)

        def missing_last(value: Decimal | None) -> tuple[bool, Decimal]:
            return (value is None, value if value is not None else Decimal(0))

        key: Any
        if query.sort == "relevance":
            def key(e: _Entry) -> Any:
                return (not title_match(e), -e.number)
        elif query.sort == "newest":
            def key(e: _Entry) -> Any:
                return -e.number
        elif query.sort == "title":
            def key(e: _Entry) -> Any:
                return (title_sort_text(e.document.title, query.language), -e.number)
        elif query.sort == "effort":
            def key(e: _Entry) -> Any:
                return (*missing_last(e.document.hours), -e.number)
        else:
            def key(e: _Entry) -> Any:
                return (*missing_last(e.document.credits), -e.number)
        return [e.document.programme_id for e in sorted(found, key=key)]

    def title_matches(self, query: SearchQuery) -> set[int]:
        in_title = self._matcher(query, title=True)
        return {e.document.programme_id for e in self._entries.values() if in_title(e)}

    def facets(self, query: SearchQuery) -> dict[str, dict[str, int]]:
        """Each facet's counts, over the results without that facet's own filter."""
        text_match = self._matcher(query, title=False)
        matching = [e for e in self._entries.values() if text_match(e)]
        counts: dict[str, dict[str, int]] = {}
        for name in FACETS:
            tally: Counter[str] = Counter()
            for entry in matching:
                if self._passes(entry, query, skip=name):
                    tally.update(entry.document.facets[name])
            counts[name] = dict(tally)
        return counts
