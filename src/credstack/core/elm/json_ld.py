"""An EDC's JSON-LD read as RDF by Oxigraph's parser, where it reads it as PyLD does.

Specification: *JSON-LD 1.1 Processing Algorithms and API*, W3C Recommendation, 16 July 2020,
§8.1 "Deserialize JSON-LD to RDF" — https://www.w3.org/TR/json-ld11-api/#deserialize-json-ld-to-rdf-algorithm

PyLD is what credstack reads a credential's meaning with (:mod:`.validation`); in Python, its
expansion of a 110 KB EDC never seen before was some 15 ms, two fifths of verifying it.
Oxigraph's JSON-LD parser (Rust) reads the same in about 4 ms, but not always as PyLD does:

* it takes no document loader, so the contexts are given to it inline, each as the loader
  serves it;
* a term no context defines is dropped with what it holds in JSON-LD (and PyLD), but Oxigraph
  still states the ``rdf:type`` of every node under it — the EC's sample that spells
  ``eIDASΙdentifier`` with a Greek iota gains a ``LegalIdentifier`` that is not there;
* without a base IRI it drops a statement with a relative IRI, where PyLD resolves it;
* a language value with a base direction becomes an RDF 1.2 directional literal, lists of
  lists are written differently, and a value that is not a node object under a term of a
  ``@graph`` container (VC 1.1's ``proof``) is stated as it is where PyLD names a graph.

So it is asked only what it answers as PyLD does, and every other credential is read by PyLD
(:func:`graph` returns ``None``): the contexts are all URLs the loader serves, each using no
more of JSON-LD than term definitions, ``@protected``, type- and property-scoped contexts and
the ``@set``, ``@language`` and ``@graph`` containers (the VC 1.1 and EDC-AP contexts); the
credential uses no keyword but ``@id``, ``@type``, ``@value`` and ``@language``, no term of a
``@graph`` container (a sealed EDC has no ``proof``), no fraction, and no string begins with
``@`` or ``//``; and what could still go unnoticed is made visible, then refused:
a last context makes any term that would be dropped expand under a vocabulary of its own, and
a base of its own resolves any relative IRI, so that a statement naming either means PyLD
would read the credential otherwise. An error of Oxigraph's (a clash of contexts, a value
JSON-LD refuses) is also left to PyLD, whose error names the JSON-LD error code as before.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import orjson
import pyoxigraph
import rdflib
from cachetools import LRUCache

from credstack.errors import UnknownContextError

__all__ = ["graph"]

Loader = Callable[[str, dict[str, Any]], dict[str, Any]]

#: The vocabulary a term no context defines expands under here (PyLD would drop it).
_UNDEFINED: Final = "urn:credstack:undefined-term:"
#: The base a relative IRI resolves against here (PyLD would resolve it against its own).
_RELATIVE: Final = "http://relative.credstack.invalid/"
#: What a context may use for Oxigraph to read it as PyLD does.
_CONTEXT_KEYWORDS: Final = frozenset({"@context", "@id", "@type", "@container", "@protected",
                                      "@version"})
_CONTAINERS: Final = frozenset({"@set", "@language", "@graph"})
#: The keywords a credential may use for Oxigraph to read it as PyLD does.
_KEYWORDS: Final = frozenset({"@id", "@type", "@value", "@language"})
#: An IRI as PyLD writes it into a graph credstack reads on: absolute, none of the characters
#: an IRI may not hold (PyLD keeps them, drops or refuses some; Oxigraph keeps them all here).
_IRI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`]*")
#: From here on JSON-LD writes an integer as an xsd:double, which PyLD and Oxigraph spell
#: differently.
_LARGE: Final = 10**21


@dataclass(frozen=True, slots=True)
class _Inlined:
    """A list of contexts as Oxigraph is given them, and the terms a credential read with
    them may not use."""

    contexts: tuple[Any, ...]
    #: The terms of a ``@graph`` container (VC 1.1's ``proof``, ``verifiableCredential``):
    #: what is not a node object there, Oxigraph states as the value where PyLD states a
    #: graph's name.
    graph_terms: frozenset[str]


_inlined: LRUCache[tuple[Any, tuple[str, ...]], _Inlined | None] = LRUCache(maxsize=64)
_inlined_lock = threading.Lock()


def graph(credential: Mapping[str, Any], loader: Loader) -> rdflib.Graph | None:
    """The credential's graph (its default graph) as PyLD would read it, or ``None`` when it
    is one Oxigraph may read otherwise (see the module's documentation)."""
    urls = credential.get("@context")
    urls = [urls] if isinstance(urls, str) else urls
    if not isinstance(urls, list) or not urls or not all(isinstance(url, str) for url in urls):
        return None
    inlined = _contexts(tuple(urls), loader)
    if inlined is None or not all(_plain_data(value, inlined.graph_terms)
                                  for key, value in credential.items() if key != "@context"):
        return None
    document = dict(credential)
    document["@context"] = inlined.contexts
    try:
        # orjson refuses what JSON-LD's reading could not agree on (an integer beyond 64 bits,
        # a lone surrogate): TypeError, and PyLD reads it.
        # Read whole here, so that its errors are told apart from _term's (the store keeps
        # each statement once).
        triples = list(pyoxigraph.parse(orjson.dumps(document), pyoxigraph.RdfFormat.JSON_LD,
                                        base_iri=_RELATIVE, lenient=True))
    except (SyntaxError, TypeError, ValueError):
        return None
    made = rdflib.Graph()
    # Straight into its store: ``Graph.add`` checks that each term is an rdflib node, which
    # _term makes.
    store = made.store
    terms: dict[Any, rdflib.term.Identifier] = {}
    try:
        for quad in triples:
            if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                store.add((_term(quad.subject, terms), _term(quad.predicate, terms),
                           _term(quad.object, terms)), made)
            # A named graph (an embedded proof) is not among the credential's statements.
    except ValueError:
        return None
    return made


def _contexts(urls: tuple[str, ...], loader: Loader) -> _Inlined | None:
    """The contexts of ``urls`` as the loader serves them, and the one that makes undefined
    terms visible; ``None`` when one is not plain enough (kept per loader and list)."""
    key = (loader, urls)
    with _inlined_lock:
        if key in _inlined:
            return _inlined[key]
    contexts: list[Any] = []
    graph_terms: set[str] = set()
    for url in urls:
        try:
            served = loader(url, {})
        except (UnknownContextError, ValueError):
            served = None
        document = served.get("document", served) if isinstance(served, Mapping) else None
        context = document.get("@context") if isinstance(document, Mapping) else None
        if not isinstance(context, Mapping) or not _plain_context(context, graph_terms):
            contexts = []
            break
        contexts.append(context)
    inlined = _Inlined((*contexts, {"@vocab": _UNDEFINED}), frozenset(graph_terms)) \
        if contexts else None
    with _inlined_lock:
        _inlined[key] = inlined
    return inlined


def _plain_context(context: Mapping[str, Any], graph_terms: set[str]) -> bool:
    for name, definition in context.items():
        if name.startswith("@"):
            if name not in _CONTEXT_KEYWORDS or name == "@context":
                return False
            continue
        if isinstance(definition, str):
            if definition.startswith("@") and definition not in ("@id", "@type"):
                return False
            continue
        if not isinstance(definition, Mapping):
            return False  # A null definition: the term is dropped, whatever the vocabulary.
        for keyword, value in definition.items():
            if keyword not in _CONTEXT_KEYWORDS or keyword == "@version":
                return False
            if keyword == "@context":
                if not isinstance(value, Mapping) or not _plain_context(value, graph_terms):
                    return False
            elif keyword == "@container":
                if value not in _CONTAINERS:
                    return False
                if value == "@graph":
                    graph_terms.add(name)
            elif keyword == "@protected":
                if not isinstance(value, bool):
                    return False
            elif not isinstance(value, str) or value in ("@json", "@none"):
                return False
    return True


def _plain_data(value: Any, graph_terms: frozenset[str]) -> bool:
    if isinstance(value, str):
        return not value.startswith(("@", "//"))
    if isinstance(value, list):
        return all(_plain_data(item, graph_terms) for item in value)
    if isinstance(value, Mapping):
        return all((not key.startswith("@") or key in _KEYWORDS) and key not in graph_terms
                   and _plain_data(item, graph_terms) for key, item in value.items())
    if isinstance(value, float):
        # A fraction is an xsd:double, which PyLD writes with 16 digits and Oxigraph with as
        # many as it takes; a whole number is an xsd:integer in both.
        return math.isfinite(value) and value.is_integer() and abs(value) < _LARGE
    return not isinstance(value, int) or abs(value) < _LARGE


def _term(node: Any, terms: dict[Any, rdflib.term.Identifier]) -> rdflib.term.Identifier:
    """An RDF term of Oxigraph's as rdflib's, each made once per graph.

    Raises ValueError for an IRI PyLD would not write as it is (under the undefined-term
    vocabulary or the relative base, not absolute, or with characters an IRI may not hold),
    and for a language tag rdflib refuses (PyLD's reading then says what follows).
    """
    known = terms.get(node)
    if known is not None:
        return known
    made: rdflib.term.Identifier
    if isinstance(node, pyoxigraph.NamedNode):
        made = rdflib.URIRef(_plain_iri(node.value))
    elif isinstance(node, pyoxigraph.BlankNode):
        made = rdflib.BNode(node.value)
    elif node.language:
        # PyLD writes language tags in lower case; Oxigraph, lenient, as they come.
        made = rdflib.Literal(node.value, lang=node.language.lower())
    else:
        made = rdflib.Literal(node.value,
                              datatype=rdflib.URIRef(_plain_iri(node.datatype.value)))
    terms[node] = made
    return made


def _plain_iri(iri: str) -> str:
    if _IRI.fullmatch(iri) is None or iri.startswith((_UNDEFINED, _RELATIVE)):
        raise ValueError(f"PyLD would not write {iri!r} as it is")
    return iri
