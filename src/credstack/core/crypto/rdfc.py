"""RDF Dataset Canonicalization (RDFC-1.0), and the RDF dataset of an expanded JSON-LD document.

* RDF Dataset Canonicalization — W3C Recommendation, 21 May 2024 —
  https://www.w3.org/TR/rdf-canon/ — §4.4 "Canonicalization Algorithm" with §4.6–§4.8 (hash
  first degree quads, hash related blank node, hash N-degree quads), the result written as
  canonical N-Quads (§4.3, RDF 1.2 N-Quads "canonical form").
* JSON-LD 1.1 Processing Algorithms and API — W3C Recommendation, 16 July 2020 —
  https://www.w3.org/TR/json-ld11-api/ — §8.1 "Deserialize JSON-LD to RDF" and §8.6
  "Object to RDF Conversion", on an already *expanded* document.

Written here rather than taken from PyLD, which implements the older URDNA2015: PyLD writes
N-Quads the pre-RDFC way — only backslash, tab, newline, carriage return and quote escaped,
for the result and for the blank-node hashes alike — and has no limit against poisoned
datasets. This module follows the specifications; it passes the W3C RDFC-1.0 test suite and
gives rdf-canonize 4's bytes (the JavaScript reference). Blank nodes are kept as strings and
quads as tuples of their N-Quads terms, which also makes it several times faster than PyLD's
dictionary model.

The hash is SHA-256 unless the caller names SHA-384, RDFC-1.0's implementation-specific hash
algorithm (§4.4): the Data Integrity ECDSA suites canonicalize with SHA-384 for P-384 keys.

The work limit is rdf-canonize's default (``maxWorkFactor`` 1): Hash N-Degree Quads may run at
most as many times as there are blank nodes that share a first-degree hash. A dataset built
to make canonicalization explode (RDFC-1.0 §7 "dataset poisoning") raises
:class:`PoisonedDatasetError` instead of running for hours — and so, as in rdf-canonize, do
small blank-node cycles (the RDFC-1.0 test suite's "circle" tests need work factor 2).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import operator
import re
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping
from typing import Any, Final, Literal

import rfc8785

__all__ = ["DatasetTemplate", "HashAlgorithm", "PoisonedDatasetError", "Quad", "canonical_labels",
           "canonicalize", "dataset_from_expanded", "nquads", "value_term"]

#: The hash functions RDFC-1.0 may run with: SHA-256 (its default) or SHA-384.
HashAlgorithm = Literal["sha256", "sha384"]
_HASHES: Final = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}

#: A quad: subject, predicate IRI (raw), object, graph ("" for the default graph). Subject,
#: object and graph are N-Quads terms: ``<escaped IRI>``, ``_:label`` or a written literal.
Quad = tuple[str, str, str, str]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = f"{_RDF}type"
_RDF_FIRST, _RDF_REST, _RDF_NIL = f"{_RDF}first", f"{_RDF}rest", f"<{_RDF}nil>"
_RDF_JSON, _RDF_LANG_STRING = f"{_RDF}JSON", f"{_RDF}langString"
_XSD_STRING, _XSD_BOOLEAN = f"{_XSD}string", f"{_XSD}boolean"
_XSD_INTEGER, _XSD_DOUBLE = f"{_XSD}integer", f"{_XSD}double"
_I18N = "https://www.w3.org/ns/i18n#"
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*")

# Canonical N-Quads, as rdf-canonize 4 writes them: in literals \b \t \n \f \r \" \\ and
# \uXXXX (upper-case hex) for the other control characters; in IRIs \uXXXX for controls,
# space and <>"{}|^`\.
_LITERAL_ESCAPES = str.maketrans(
    {**{chr(code): f"\\u{code:04X}" for code in (*range(0x20), 0x7F)},
     "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"})
_IRI_ESCAPES = str.maketrans(
    {character: f"\\u{ord(character):04X}" for character in [*map(chr, range(0x21)),
                                                             *'<>"{}|^`\\']})
# str.translate with a mapping visits every character in Python objects; most strings need
# no escape at all, which one regular expression search (in C) tells.
_LITERAL_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


class PoisonedDatasetError(ValueError):
    """The dataset's blank nodes need more work than the limit allows (RDFC-1.0 §7)."""


class RdfError(ValueError):
    """The expanded document cannot be written as RDF (a relative IRI, for one)."""


# --- JSON-LD (expanded) → RDF dataset --------------------------------------------------------

@functools.lru_cache(maxsize=8192)
def iri(value: str) -> str:
    """An IRI as an N-Quads term (remembered: the same predicates and types come back in
    every quad and every credential; keyed on the IRI alone and bounded)."""
    return f"<{value.translate(_IRI_ESCAPES)}>"


def literal(value: str, datatype: str = _XSD_STRING, language: str | None = None) -> str:
    """A literal as an N-Quads term (``xsd:string`` is implicit, language tags as given)."""
    if _LITERAL_NEEDS_ESCAPE.search(value) is not None:
        value = value.translate(_LITERAL_ESCAPES)
    text = f'"{value}"'
    if language:
        return f"{text}@{language}"
    return text if datatype == _XSD_STRING else f"{text}^^{iri(datatype)}"


def canonical_double(value: float) -> str:
    """xsd:double canonical form as JSON-LD writes it (``1.1E0``, ``2.0E21``)."""
    mantissa, exponent = f"{value:.15e}".split("e")
    mantissa = re.sub(r"(\d)0*$", r"\1", mantissa)
    return f"{mantissa}E{int(exponent)}"


class _Builder:
    """The quads of an expanded document, blank nodes labelled as they are met."""

    def __init__(self, placeholders: Container[str]) -> None:
        self.placeholders = placeholders
        self.quads: set[Quad] = set()
        self._labels: dict[str, str] = {}
        self._counter = itertools.count()

    def fresh(self) -> str:
        return f"_:g{next(self._counter)}"

    def blank(self, label: str) -> str:
        # Document labels are kept apart from generated ones; canonicalization renames all.
        known = self._labels.get(label)
        if known is None:
            known = self._labels[label] = f"_:d{len(self._labels)}"
        return known

    def resource(self, value: Any) -> str:
        if not isinstance(value, str):
            raise RdfError(f"{value!r} is not an IRI")
        if value in self.placeholders:
            return value
        if value.startswith("_:"):
            return self.blank(value)
        if _ABSOLUTE_IRI.fullmatch(value) is None:
            raise RdfError(f"{value!r} is not an absolute IRI")
        return iri(value)

    def node(self, node: dict[str, Any], graph: str) -> str:
        """Emit a node object's quads in ``graph``; return its subject term."""
        subject = self.resource(node["@id"]) if "@id" in node else self.fresh()
        for name, values in node.items():
            if name == "@type":
                for kind in values:
                    self.quads.add((subject, _RDF_TYPE, self.resource(kind), graph))
            elif name == "@graph":
                for item in values:
                    self.item(item, subject)
            elif name == "@included":
                for item in values:
                    self.item(item, graph)
            elif name == "@reverse":
                for predicate, items in values.items():
                    self._predicate(predicate)
                    for item in items:
                        self.quads.add((self.item(item, graph), predicate, subject, graph))
            elif name[0] == "@":
                continue  # @id, @index: no RDF of their own
            else:
                self._predicate(name)
                for item in values:
                    self.quads.add((subject, name, self.item(item, graph), graph))
        return subject

    def item(self, item: Any, graph: str) -> str:
        """§8.6 Object to RDF: a value object, list object or node object as an object term."""
        if "@value" in item:
            return self.value(item)
        if "@list" in item:
            return self.list(item["@list"], graph)
        return self.node(item, graph)

    def list(self, items: list[Any], graph: str) -> str:
        if not items:
            return _RDF_NIL
        head = node = self.fresh()
        for index, item in enumerate(items):
            self.quads.add((node, _RDF_FIRST, self.item(item, graph), graph))
            following = self.fresh() if index < len(items) - 1 else _RDF_NIL
            self.quads.add((node, _RDF_REST, following, graph))
            node = following
        return head

    def value(self, item: dict[str, Any]) -> str:
        value = item["@value"]
        if type(value) is str and value in self.placeholders:
            return value
        return value_term(item)

    @staticmethod
    def _predicate(name: str) -> None:
        if name.startswith("_:") or _ABSOLUTE_IRI.fullmatch(name) is None:
            raise RdfError(f"{name!r} cannot be a predicate")


def value_term(item: Mapping[str, Any]) -> str:
    """§8.6 Object to RDF for a value object: its N-Quads literal term."""
    value = item["@value"]
    datatype = item.get("@type")
    if datatype == "@json":
        try:  # the canonical lexical form of rdf:JSON is JCS (RFC 8785)
            return literal(rfc8785.dumps(value).decode("utf-8"), _RDF_JSON)
        except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
            raise RdfError(f"an @json value is not canonicalizable JSON: {exc}") from None
    if datatype is not None and not (isinstance(datatype, str) and (
            datatype.startswith("_:") or _ABSOLUTE_IRI.fullmatch(datatype) is not None)):
        raise RdfError(f"{datatype!r} is not an absolute IRI")
    if isinstance(value, bool):
        return literal("true" if value else "false", datatype or _XSD_BOOLEAN)
    if isinstance(value, float) and not math.isfinite(value):
        raise RdfError(f"{value!r} is not a JSON number")
    if isinstance(value, int | float):
        # JSON has one number type: 2.0 is 2. Doubles only for a fraction, ≥ 1e21 or an
        # explicit xsd:double.
        if (isinstance(value, float) and not value.is_integer()) or abs(value) >= 1e21 or (
                datatype == _XSD_DOUBLE):
            return literal(canonical_double(float(value)), datatype or _XSD_DOUBLE)
        return literal(str(int(value)), datatype or _XSD_INTEGER)
    if not isinstance(value, str):
        raise RdfError(f"{value!r} is not a literal value")
    if datatype == _XSD_DOUBLE:
        try:
            return literal(canonical_double(float(value)), _XSD_DOUBLE)
        except ValueError:
            return literal(value, _XSD_DOUBLE)
    if "@direction" in item:
        # rdfDirection "i18n-datatype" (§8.6), as the RDFC suites call jsonld.js (lower case).
        return literal(value, f"{_I18N}{str(item.get('@language') or '').lower()}_"
                              f"{item['@direction']}")
    if "@language" in item:
        return literal(value, language=item["@language"])
    return literal(value, datatype or _XSD_STRING)


def dataset_from_expanded(expanded: Iterable[Any], *,
                          placeholders: Container[str] = frozenset()) -> set[Quad]:
    """The RDF dataset of an expanded JSON-LD document (§8.1, generalized RDF excluded).

    A ``placeholders`` string met as an ``@id`` or as a value object's ``@value`` is taken as
    a term already written: a :class:`DatasetTemplate` is built from such quads.
    """
    builder = _Builder(placeholders)
    for item in expanded:
        if isinstance(item, dict) and "@value" not in item and "@list" not in item:
            builder.node(item, "")
    return builder.quads


# --- RDFC-1.0 ---------------------------------------------------------------------------------

class _Issuer:
    """§4.5 Issue Identifier: ``prefix`` + counter, remembering what was issued, in order."""

    __slots__ = ("issued", "prefix")

    def __init__(self, prefix: str, issued: dict[str, str] | None = None) -> None:
        self.prefix = prefix
        self.issued = dict(issued) if issued else {}

    def issue(self, existing: str) -> str:
        label = self.issued.get(existing)
        if label is None:
            label = self.issued[existing] = f"{self.prefix}{len(self.issued)}"
        return label

    def copy(self) -> _Issuer:
        return _Issuer(self.prefix, self.issued)


def _nquad(quad: Quad) -> str:
    subject, predicate, obj, graph = quad
    line = f"{subject} {iri(predicate)} {obj}"
    return f"{line} {graph} .\n" if graph else f"{line} .\n"


def _blank_quads(quads: Iterable[Quad]) -> dict[str, list[Quad]]:
    """§4.4 step 2: the quads each blank node appears in (each quad once per node)."""
    blank_quads: dict[str, list[Quad]] = {}
    for quad in quads:
        subject, _, obj, graph = quad
        for term in {subject, obj, graph}:
            if term.startswith("_:"):
                blank_quads.setdefault(term, []).append(quad)
    return blank_quads


def _has_blank(quad: Quad) -> bool:
    return quad[0].startswith("_:") or quad[2].startswith("_:") or quad[3].startswith("_:")


class _Canonicalizer:
    def __init__(self, blank_quads: dict[str, list[Quad]], max_work_factor: int,
                 hash_algorithm: HashAlgorithm,
                 first_degree: dict[str, str] | None = None) -> None:
        self.max_work_factor = max_work_factor
        self.hash = _HASHES[hash_algorithm]
        self.blank_quads = blank_quads
        self.canonical = _Issuer("_:c14n")
        # First-degree hashes already known (a template's fixed nodes) are taken as given.
        self.first_degree: dict[str, str] = first_degree if first_degree is not None else {}
        self.remaining = 0

    def hex_digest(self, text: str) -> str:
        return self.hash(text.encode("utf-8")).hexdigest()

    def hash_first_degree(self, reference: str) -> str:
        """§4.6: each quad with the node as ``_:a`` and every other blank node as ``_:z``."""
        known = self.first_degree.get(reference)
        if known is not None:
            return known
        lines = []
        for subject, predicate, obj, graph in self.blank_quads[reference]:
            lines.append(_nquad((
                _a_or_z(subject, reference), predicate, _a_or_z(obj, reference),
                _a_or_z(graph, reference))))
        result = self.first_degree[reference] = self.hex_digest("".join(sorted(lines)))
        return result

    def hash_related(self, related: str, quad: Quad, issuer: _Issuer, position: str) -> str:
        """§4.7 Hash Related Blank Node."""
        identifier = (self.canonical.issued.get(related) or issuer.issued.get(related)
                      or self.hash_first_degree(related))
        predicate = f"<{quad[1]}>" if position != "g" else ""
        return self.hex_digest(position + predicate + identifier)

    def hash_n_degree(self, identifier: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        """§4.8 Hash N-Degree Quads."""
        if self.remaining <= 0:
            raise PoisonedDatasetError("RDFC-1.0 work limit reached (dataset poisoning)")
        self.remaining -= 1
        related_by_hash: dict[str, list[str]] = {}
        for quad in self.blank_quads[identifier]:
            for position, term in (("s", quad[0]), ("o", quad[2]), ("g", quad[3])):
                if term.startswith("_:") and term != identifier:
                    related_by_hash.setdefault(
                        self.hash_related(term, quad, issuer, position), []).append(term)
        data = self.hash()
        for related_hash in sorted(related_by_hash):
            data.update(related_hash.encode())
            chosen_path: str | None = None
            chosen_issuer: _Issuer | None = None
            for permutation in _orderings(related_by_hash[related_hash]):
                candidate = issuer.copy()
                path = ""
                recursion: list[str] = []
                skip = False
                for related in permutation:
                    label = self.canonical.issued.get(related)
                    if label is None:
                        if related not in candidate.issued:
                            recursion.append(related)
                        label = candidate.issue(related)
                    path += label
                    if _worse(path, chosen_path):
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, candidate = self.hash_n_degree(related, candidate)
                    path += candidate.issue(related) + f"<{result_hash}>"
                    if _worse(path, chosen_path):
                        skip = True
                        break
                if skip:
                    continue
                if chosen_path is None or path < chosen_path:
                    chosen_path, chosen_issuer = path, candidate
            assert chosen_path is not None and chosen_issuer is not None
            data.update(chosen_path.encode("utf-8"))
            issuer = chosen_issuer
        return data.hexdigest(), issuer

    def run(self) -> dict[str, str]:
        """§4.4: label every blank node; the issued identifiers map (step 6)."""
        by_hash: dict[str, list[str]] = {}
        for node in self.blank_quads:
            by_hash.setdefault(self.hash_first_degree(node), []).append(node)
        shared = []
        for first_hash in sorted(by_hash):
            nodes = by_hash[first_hash]
            if len(nodes) == 1:
                self.canonical.issue(nodes[0])
            else:
                shared.append(nodes)
        self.remaining = sum(len(nodes) for nodes in shared) ** self.max_work_factor
        for nodes in shared:
            results = []
            for node in nodes:
                if node in self.canonical.issued:
                    continue
                temporary = _Issuer("_:b")
                temporary.issue(node)
                results.append(self.hash_n_degree(node, temporary))
            for _, result_issuer in sorted(results, key=lambda result: result[0]):
                for existing in result_issuer.issued:
                    self.canonical.issue(existing)
        return self.canonical.issued


def _orderings(related: list[str]) -> Iterator[list[str]]:
    """Every distinct ordering of ``related``, in lexicographic order (§4.8.2.4's
    permutations). A blank node related through several quads — a named graph's blank name,
    once per quad of a node in it — is listed once per quad (§4.8.2.3); orderings that only
    swap such copies give the same path, so each distinct ordering is tried once: 33 copies of
    one node are one ordering, not 33! of them (rdf-canonize's Permuter moves no element past
    an equal one either)."""
    current = sorted(related)
    while True:
        yield current[:]
        pivot = len(current) - 2
        while pivot >= 0 and current[pivot] >= current[pivot + 1]:
            pivot -= 1
        if pivot < 0:
            return
        swap = len(current) - 1
        while current[swap] <= current[pivot]:
            swap -= 1
        current[pivot], current[swap] = current[swap], current[pivot]
        current[pivot + 1:] = reversed(current[pivot + 1:])


def _a_or_z(term: str, reference: str) -> str:
    if not term.startswith("_:"):
        return term
    return "_:a" if term == reference else "_:z"


def _worse(path: str, chosen: str | None) -> bool:
    return chosen is not None and len(path) >= len(chosen) and path > chosen


def canonicalize(quads: set[Quad], *, max_work_factor: int = 1,
                 hash_algorithm: HashAlgorithm = "sha256") -> str:
    """The canonical N-Quads document of a dataset (RDFC-1.0 with ``hash_algorithm``).

    Hash N-Degree Quads may run (shared-hash blank nodes) ** ``max_work_factor`` times; the
    default, 1, is rdf-canonize's.
    """
    labels = canonical_labels(quads, max_work_factor=max_work_factor,
                              hash_algorithm=hash_algorithm)
    return "".join(nquads(quads, labels))


def canonical_labels(quads: set[Quad], *, max_work_factor: int = 1,
                     hash_algorithm: HashAlgorithm = "sha256") -> dict[str, str]:
    """RDFC-1.0's canonical label of each blank node of a dataset (§4.4 step 6, the *issued
    identifiers map*): its term in ``quads`` (``_:x``) → ``_:c14n0``, ``_:c14n1``…

    The selective disclosure suites rename the canonical labels once more (an HMAC of each)
    before they write the quads with :func:`nquads`.
    """
    return _Canonicalizer(_blank_quads(quads), max_work_factor, hash_algorithm).run()


def nquads(quads: Iterable[Quad], labels: Mapping[str, str]) -> list[str]:
    """The quads as N-Quads lines (each ending in a newline), every blank node renamed by
    ``labels`` (others as they are), without repeats, in code point order."""
    return sorted({_nquad((labels.get(s, s), p, labels.get(o, o), labels.get(g, g)))
                   for s, p, o, g in quads})


#: How many labellings of its nodes each group of a template's fixed quads keeps lines for.
_LABELLINGS: Final = 64


class DatasetTemplate:
    """A dataset with holes, canonicalized incrementally as its holes are filled.

    The quads come from :func:`dataset_from_expanded` with ``placeholders``: a placeholder
    stands where a term differs from one filling to the next (a learner's id, name, result).
    What does not depend on any hole is done once: the quads without a placeholder, the
    N-Quads lines of those without a blank node, and the first-degree hash (§4.6) of every
    blank node none of whose quads holds a placeholder; a node whose quads do hold one keeps
    its last first-degree hash with the filled quads it came from, reused while they come
    back alike (the achievement's texts of every learner). :meth:`canonicalize` runs the
    rest of RDFC-1.0 — the first-degree hashes of the other blank nodes, Hash N-Degree Quads
    with the same work limit, labelling, writing — so its result is byte for byte
    :func:`canonicalize` of the filled dataset.
    """

    def __init__(self, quads: Collection[Quad], placeholders: Collection[str], *,
                 max_work_factor: int = 1, hash_algorithm: HashAlgorithm = "sha256") -> None:
        holes = self._placeholders = frozenset(placeholders)
        self._max_work_factor = max_work_factor
        self._hash_algorithm: HashAlgorithm = hash_algorithm
        self._fixed = frozenset(quad for quad in quads
                                if quad[0] not in holes and quad[2] not in holes
                                and quad[3] not in holes)
        self._holed = tuple(quad for quad in quads if quad not in self._fixed)
        self.has_blank_nodes = bool(blank_quads := _blank_quads(quads))
        holed = set(self._holed)
        dependent = {node for node, node_quads in blank_quads.items()
                     if any(quad in holed for quad in node_quads)}
        self._dependent_fixed = {node: [quad for quad in blank_quads[node] if quad not in holed]
                                 for node in dependent}
        self._fixed_blank_quads = {node: node_quads for node, node_quads in blank_quads.items()
                                   if node not in dependent}
        # Which holed quads each dependent node is in, in a fixed order: filled alike, they
        # give the node the same quads, so the same first-degree hash as last time.
        position = {quad: index for index, quad in enumerate(self._holed)}
        self._node_holes = {node: tuple(position[quad] for quad in blank_quads[node]
                                        if quad in position) for node in dependent}
        # The same, as one C call per node (itemgetter gives the quad itself for one place,
        # a tuple for several: either is compared only with its own node's last key).
        self._node_picks = {node: operator.itemgetter(*holes)
                            for node, holes in self._node_holes.items()}
        self._last_first_degree: dict[str, tuple[object, str]] = {}
        hashing = _Canonicalizer(self._fixed_blank_quads, max_work_factor, hash_algorithm)
        self._first_degree = {node: hashing.hash_first_degree(node)
                              for node in self._fixed_blank_quads}
        # In order: one run for the sort of each filling's lines.
        self._fixed_lines = sorted(_nquad(quad) for quad in self._fixed if not _has_blank(quad))
        # The fixed quads with blank nodes, grouped by the nodes each holds: a group's lines
        # depend on those nodes' canonical labels alone. The labels of the whole dataset
        # differ from one filling to the next (a learner's node hashes somewhere among the
        # fixed ones and shifts the labels after it), but each node takes only a few labels
        # over a cohort, so each group keeps its lines under the labellings it met (at most
        # _LABELLINGS of them: keyed on labels, bounded).
        grouped: dict[tuple[str, ...], list[Quad]] = {}
        for quad in self._fixed:
            nodes = tuple(sorted({term for term in (quad[0], quad[2], quad[3])
                                  if term.startswith("_:")}))
            if nodes:
                grouped.setdefault(nodes, []).append(quad)
        self._groups: tuple[tuple[Callable[[Mapping[str, str]], object], tuple[Quad, ...],
                                  dict[object, list[str]]], ...] = tuple(
            (operator.itemgetter(*nodes), tuple(group), {})
            for nodes, group in sorted(grouped.items()))
        # Each holed quad's last written (relabelled) form and its line, by its place in
        # ``_holed``: most are filled alike for every learner. Entries are replaced whole.
        self._last_filled: list[tuple[Quad, str] | None] = [None] * len(self._holed)

    def specialized(self, terms: Mapping[str, str]) -> DatasetTemplate:
        """This template with the placeholders of ``terms`` filled for good (the others left
        as holes): what depends on them alone is then done once, not per filling."""
        quads = set(self._fixed)
        quads.update((terms.get(s, s), p, terms.get(o, o), terms.get(g, g))
                     for s, p, o, g in self._holed)
        return DatasetTemplate(quads, self._placeholders - terms.keys(),
                               max_work_factor=self._max_work_factor,
                               hash_algorithm=self._hash_algorithm)

    def canonicalize(self, terms: Mapping[str, str]) -> str:
        """The canonical N-Quads of the dataset with each placeholder replaced by its term
        in ``terms`` (N-Quads terms: ``<IRI>`` or a written literal, never a blank node)."""
        filled_in_order = [(terms.get(s, s), p, terms.get(o, o), terms.get(g, g))
                           for s, p, o, g in self._holed]
        filled = set(filled_in_order) - self._fixed
        blank_quads = dict(self._fixed_blank_quads)
        for node, node_quads in self._dependent_fixed.items():
            blank_quads[node] = list(node_quads)
        for quad in filled:
            for term in {quad[0], quad[2], quad[3]}:
                if term.startswith("_:"):
                    blank_quads[term].append(quad)
        first_degree = dict(self._first_degree)
        keys: dict[str, object] = {}
        for node, pick in self._node_picks.items():
            key = keys[node] = pick(filled_in_order)
            last = self._last_first_degree.get(node)
            if last is not None and last[0] == key:
                first_degree[node] = last[1]
        canonicalizer = _Canonicalizer(blank_quads, self._max_work_factor,
                                       self._hash_algorithm, first_degree)
        labels = canonicalizer.run()
        for node, key in keys.items():
            # One tuple per entry, replaced whole: safe to share between threads.
            self._last_first_degree[node] = (key, canonicalizer.first_degree[node])
        lines = list(self._fixed_lines)
        for labels_of, group, known_lines in self._groups:
            labelling = labels_of(labels)
            group_lines = known_lines.get(labelling)
            if group_lines is None:
                group_lines = [_nquad((labels.get(s, s), p, labels.get(o, o), labels.get(g, g)))
                               for s, p, o, g in group]
                if len(known_lines) < _LABELLINGS:
                    known_lines[labelling] = group_lines  # added whole: thread-safe
            lines += group_lines
        last_filled = self._last_filled
        for index, (s, p, o, g) in enumerate(filled_in_order):
            quad = (s, p, o, g)
            if quad not in filled:
                continue  # a fixed quad, or one written already
            filled.discard(quad)
            written = (labels.get(s, s), p, labels.get(o, o), labels.get(g, g))
            known = last_filled[index]
            if known is not None and known[0] == written:
                lines.append(known[1])
            else:
                line = _nquad(written)
                lines.append(line)
                last_filled[index] = (written, line)
        # Each quad gives its own line (labels are one to one), and filled quads equal to
        # fixed ones were dropped above: no line repeats.
        lines.sort()
        return "".join(lines)
