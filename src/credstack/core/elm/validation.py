"""The EDC validator: an ELM v3 credential's meaning as RDF, its shapes, and EBSI's schema.

Three questions, each answered from the :class:`~credstack.core.elm.reference.ElmReference`
the operator's files give:

* **what it means** — :func:`credential_graph`: the credential expanded to RDF with the
  document loader the caller passes (credstack's, serving the bundled W3C contexts and the
  EDC-AP context; an unknown context is an error, never a fetch). A context that cannot be
  applied is a :class:`~credstack.errors.MalformedCredentialError` naming the JSON-LD error:
  the EBSI ELM 3.2 examples put the 2023 EDC-AP context after the VC 2.0 context, which
  protects ``description``, and expansion stops on a *protected term redefinition*;
* **whether it keeps the shapes** — :func:`check_shapes`: the SHACL shapes of the profile the
  credential names in ``credentialSchema`` (``ShaclValidator2017``), by default
  ``edc-generic-full``;
* **whether it keeps EBSI's schema** — :func:`check_ebsi_schema`, for a credential that names
  a JSON Schema of EBSI's Trusted Schemas Registry (the ELM 3.2 / VC 2.0 profile); the ELM 3.1
  credentials (VC 1.1 context, two types) name none and would fail it by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, cast

import pyoxigraph
import rdflib

from credstack.core.crypto.canonicalization import DocumentLoader, jsonld_expand, jsonld_to_rdf
from credstack.core.crypto.jsonld_api import jsonld
from credstack.core.elm import json_ld
from credstack.core.elm.reference import DEFAULT_PROFILE, LOQ_PROFILE, PROFILES, ElmReference
from credstack.errors import (
    CredstackError,
    MalformedCredentialError,
    Problem,
    UnknownContextError,
)

__all__ = ["check_ebsi_schema", "check_shapes", "credential_graph", "names_ebsi_schema",
           "shapes_profile"]

#: What a PyLD document loader is: ``(url, options) -> {"document": …, …}``.
Loader = Callable[[str, dict[str, Any]], dict[str, Any]]

_EBSI_REGISTRY: Final = "/trusted-schemas-registry/"
_REDEFINITION: Final = "protected term redefinition"
#: The datatype the Data Integrity path gives a string with a base direction.
_I18N_DATATYPE: Final = "^^<https://www.w3.org/ns/i18n#"


def _schemas(credential: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    named = credential.get("credentialSchema")
    items = named if isinstance(named, list) else [named]
    return [item for item in items if isinstance(item, Mapping)]


def shapes_profile(credential: Mapping[str, Any]) -> str:
    """The application profile the credential names (``ShaclValidator2017``) that credstack
    knows, else :data:`~credstack.core.elm.reference.DEFAULT_PROFILE`."""
    for item in _schemas(credential):
        if item.get("type") == "ShaclValidator2017" and item.get("id") in PROFILES \
                and item.get("id") != LOQ_PROFILE:  # a profile of datasets, not of EDCs
            return str(item["id"])
    return DEFAULT_PROFILE


def names_ebsi_schema(credential: Mapping[str, Any]) -> bool:
    """Whether the credential names a JSON Schema of EBSI's Trusted Schemas Registry."""
    return any(item.get("type") == "JsonSchema" and _EBSI_REGISTRY in str(item.get("id", ""))
               for item in _schemas(credential))


def _innermost(error: BaseException) -> BaseException:
    """The error at the bottom of PyLD's chain (each ``JsonLdError`` wraps the one below)."""
    current = error
    for _ in range(10):
        below = current.__cause__ or current.__context__
        if below is None:
            break
        current = below
    return current


def _terms(url: object, loader: Loader) -> dict[str, Any]:
    if not isinstance(url, str):
        return dict(url) if isinstance(url, Mapping) else {}
    try:
        document = loader(url, {}).get("document")
    except (UnknownContextError, ValueError):
        return {}
    context = document.get("@context") if isinstance(document, Mapping) else None
    return dict(context) if isinstance(context, Mapping) else {}


def _redefined_terms(credential: Mapping[str, Any], loader: Loader) -> list[str]:
    """The terms a later context of the credential defines differently from an earlier one
    (PyLD names no term in a *protected term redefinition*, so the finding works it out)."""
    contexts = credential.get("@context")
    urls = contexts if isinstance(contexts, list) else [contexts]
    earlier: dict[str, Any] = {}
    found: set[str] = set()
    for url in urls:
        terms = _terms(url, loader)
        found |= {term for term, value in terms.items()
                  if not term.startswith("@") and term in earlier and earlier[term] != value}
        earlier.update(terms)
    return sorted(found)


def credential_graph(credential: Mapping[str, Any], loader: Loader) -> rdflib.Graph:
    """The credential's RDF graph, expanded with ``loader``.

    It is expanded as Data Integrity expands credentials
    (:func:`~credstack.core.crypto.canonicalization.jsonld_expand`: PyLD, with each processed
    context and each repeated node object kept per loader, so the contexts are processed once
    per process and an EDC of a programme seen before costs a third). That path is in *safe
    mode*: it refuses what plain JSON-LD silently drops (a term no context defines, a relative
    IRI). An EDC is read as JSON-LD reads it, drops included — the EC's own sample spells
    ``eIDASΙdentifier`` with a Greek capital iota — so whatever safe mode refuses, and a
    value with a base direction (which that path writes with the ``i18n`` datatype), is read
    again by plain PyLD (:func:`_plain_graph`), which also names a clash of contexts.

    Before either, Oxigraph's JSON-LD parser reads it when it reads it as PyLD would
    (:func:`credstack.core.elm.json_ld.graph`: an EDC of the VC 1.1 and EDC-AP contexts that
    drops nothing), in a quarter of the time.

    Raises :class:`~credstack.errors.UnknownContextError` for a context the loader does not
    serve, :class:`~credstack.errors.MalformedCredentialError` (rule ``jsonld``) for one that
    cannot be applied — its message names the JSON-LD error code.
    """
    read = json_ld.graph(credential, loader)
    if read is not None:
        return read
    try:
        # PyLD's loaders take a dict of options; the Protocol names a Mapping (it passes one).
        quads = jsonld_to_rdf(jsonld_expand(credential,
                                            document_loader=cast(DocumentLoader, loader)))
    except UnknownContextError:
        raise
    except CredstackError:
        return _plain_graph(credential, loader)
    if any(_I18N_DATATYPE in quad[2] for quad in quads):
        return _plain_graph(credential, loader)
    # The quads are N-Quads terms; Oxigraph's parser reads them back (an EDC has no named
    # graph: no embedded proof, so the default graph is the whole credential). An IRI with a
    # character IRIs may not hold ('{', '|', '"' …) is written as it is and refused here:
    # plain PyLD then reads the credential, as it reads such an IRI.
    text = "".join(f"{subject} <{predicate}> {value} .\n"
                   for subject, predicate, value, graph in quads if not graph)
    terms: dict[Any, rdflib.term.Identifier] = {}
    graph = rdflib.Graph()
    # Straight into its store: ``Graph.add`` checks that each term is an rdflib node, which
    # _oxigraph_term makes (a quarter of building the graph went on the checks).
    store = graph.store
    try:
        for triple in pyoxigraph.parse(text, pyoxigraph.RdfFormat.N_TRIPLES):
            store.add((_oxigraph_term(triple.subject, terms),
                       _oxigraph_term(triple.predicate, terms),
                       _oxigraph_term(triple.object, terms)), graph)
    except (SyntaxError, ValueError):
        return _plain_graph(credential, loader)
    return graph


def _oxigraph_term(node: Any, terms: dict[Any, rdflib.term.Identifier]
                   ) -> rdflib.term.Identifier:
    """An RDF term of Oxigraph's as rdflib's, each made once per graph."""
    known = terms.get(node)
    if known is not None:
        return known
    made: rdflib.term.Identifier
    if isinstance(node, pyoxigraph.NamedNode):
        made = rdflib.URIRef(node.value)
    elif isinstance(node, pyoxigraph.BlankNode):
        made = rdflib.BNode(node.value)
    elif node.language:
        made = rdflib.Literal(node.value, lang=node.language)
    else:
        made = rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value))
    terms[node] = made
    return made


def _plain_graph(credential: Mapping[str, Any], loader: Loader) -> rdflib.Graph:
    """The credential's graph as plain PyLD reads it (dropping what no context defines)."""
    try:
        dataset = jsonld.to_rdf(dict(credential), {"documentLoader": loader})
    except jsonld.JsonLdError as error:
        cause = _innermost(error)
        if isinstance(cause, UnknownContextError):
            raise cause from None
        code = str(getattr(cause, "code", None) or getattr(error, "code", None) or "error")
        clashing = _redefined_terms(credential, loader) if code == _REDEFINITION else []
        # verification.check.elm.contexts_clash(_on): the JSON-LD error, and the terms the
        # contexts define differently when they are known.
        said = {"code": code, "terms": ", ".join(clashing)} if clashing else {"code": code}
        which = "_on" if clashing else ""
        raise MalformedCredentialError(
            code=f"verification.check.elm.contexts_clash{which}", params=said,
            problems=[Problem("@context", code=f"verification.check.elm.jsonld_clash{which}",
                              params=said, rule="jsonld")]) from None
    # PyLD's dataset is taken as it is rather than written as N-Quads and parsed again. An EDC
    # has no named graph (no embedded proof): the default graph is the whole credential.
    graph = rdflib.Graph()
    for triple in dataset.get("@default", ()):
        graph.add((_term(triple["subject"]), rdflib.URIRef(triple["predicate"]["value"]),
                   _term(triple["object"])))
    return graph


def _term(node: Mapping[str, Any]) -> rdflib.term.Identifier:
    """An RDF term of PyLD's dataset as rdflib's."""
    value = node["value"]
    if node["type"] == "IRI":
        return rdflib.URIRef(value)
    if node["type"] == "blank node":
        return rdflib.BNode(value.removeprefix("_:"))
    language = node.get("language")
    if language:
        return rdflib.Literal(value, lang=language)
    return rdflib.Literal(value, datatype=rdflib.URIRef(node["datatype"]))


def check_shapes(graph: rdflib.Graph, reference: ElmReference, profile: str) -> list[Problem]:
    """The shapes ``graph`` breaks in ``profile``: one problem per SHACL result."""
    return [finding.problem() for finding in reference.shapes(profile).validate(graph)]


def check_ebsi_schema(credential: Mapping[str, Any], reference: ElmReference) -> list[Problem]:
    """Where the credential breaks EBSI's EDC JSON Schema (at most 50 places)."""
    problems = []
    for error in reference.ebsi_schema.iter_errors(dict(credential)):
        where = ".".join(str(step) for step in error.absolute_path) or "(credential)"
        problems.append(Problem(where, code="verification.check.elm.ebsi_schema",
                                params={"detail": error.message[:300],
                                        "validator": str(error.validator)},
                                rule="ebsi-schema"))
        if len(problems) >= 50:
            break
    return problems
