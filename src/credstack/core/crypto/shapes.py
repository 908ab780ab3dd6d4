"""A JSON-LD document's *shape*, and the holes where documents of one shape differ.

JSON-LD 1.1 Processing Algorithms and API — W3C Recommendation, 16 July 2020 —
https://www.w3.org/TR/json-ld11-api/ — §5.3.2 "Value Expansion" and §5.2.2 "IRI Expansion".

The credentials of one programme differ in a few strings — the credential's and learner's
ids, the learner's name, the results, the dates — and are otherwise the same JSON: the same
keys, contexts, types, achievement and issuer. Their expansion, and so their RDF, differs only
where those strings go, *provided* each string only fills its own place: it becomes a value
object's ``@value`` (Value Expansion keeps a string as it is; the term decides its datatype or
language whatever the string says), or a node's ``@id`` that is an absolute IRI (IRI
Expansion returns one as it is unless its scheme is a term of the context). A string that
decides anything else — a type, which brings type-scoped contexts; a ``@vocab``-relative
value such as ``achievementType``; a language — is part of the shape.

This module finds those places (the pure part: no expansion of its own, no cache):

* :func:`skeleton` — the document with every string that might be a hole taken out (not
  ``@context``, ``type``/``@type``, ``@language``, ``@direction``, ``@index`` and the like),
  as a hashable key, and those strings in document order;
* :func:`with_sentinels` — the document with chosen holes replaced by sentinels, strings that
  no IRI or vocabulary expansion leaves as they are (no colon) and no document holds;
* :func:`find_holes` — in the *expansion* of that document, where each sentinel came out: as
  a ``@value`` (with the value object's other members, which the real string will share), as
  an ``@id``, or anywhere else, which makes that string part of the shape;
* :func:`context_terms` — every name defined anywhere in the contexts a document uses (a
  superset of its terms): an ``@id`` hole whose scheme is one of them might be a compact IRI,
  and is not filled in place (the caller falls back to expanding the document).

:mod:`credstack.core.crypto.canonicalization` compiles a shape with these, checks the compiled
result against the full algorithm on the document it compiled from, and falls back to the
full algorithm for anything it does not recognise.
"""

from __future__ import annotations

import json
import operator
import re
import threading
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from cachetools import LRUCache

from . import rdfc

__all__ = ["SENTINEL_MARK", "CompiledShapes", "Holes", "NotJsonError", "context_terms",
           "find_holes", "sentinel", "skeleton", "with_sentinels"]

#: What every sentinel starts with (a private-use character); a document holding it anywhere
#: is not compiled.
SENTINEL_MARK: Final = "\ue000"

#: Keys whose string values are never holes: they shape the expansion itself.
_STRUCTURAL_KEYS: Final = frozenset({
    "@context", "@type", "type", "@language", "@direction", "@index", "@base", "@vocab",
    "@version", "@import", "@protected", "@propagate", "@container", "@reverse", "@nest",
    "@prefix",
})


class _Hole:
    """Where a string was taken out of a skeleton (one object, compared by identity)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<hole>"


_HOLE: Final = _Hole()


class NotJsonError(ValueError):
    """The document holds something that is not JSON (it is not shaped; PyLD decides)."""


def skeleton(document: Mapping[str, Any]) -> tuple[Hashable, list[str]]:
    """The document's shape key and its hole candidates, in document order.

    Raises :class:`NotJsonError` for anything but JSON values (and RecursionError when deep).
    """
    leaves: list[str] = []

    def walk(value: Any, structural: bool) -> Hashable:
        kind = type(value)
        if kind is str:
            if structural:
                return str(value)
            leaves.append(value)
            return _HOLE
        if kind is dict or isinstance(value, Mapping):
            # Names and values alternate after the tag (loops: this runs per credential).
            members: list[Hashable] = ["{"]
            for name, item in value.items():
                members.append(name)
                members.append(walk(item, structural or name in _STRUCTURAL_KEYS))
            return tuple(members)
        if kind is list:
            items: list[Hashable] = ["["]
            for item in value:
                items.append(walk(item, structural))
            return tuple(items)
        if value is None or kind is bool or kind is int or kind is float:
            # 1, 1.0 and True are equal in Python; in JSON-LD they are three values.
            return (kind.__name__, value)
        raise NotJsonError(f"{kind.__name__} is not a JSON value")

    return walk(document, False), leaves


def sentinel(index: int) -> str:
    """The sentinel of hole ``index``: no colon (IRI and vocabulary expansion would change
    it), nothing N-Quads escapes."""
    return f"{SENTINEL_MARK}{index}\ue001"


def with_sentinels(document: Mapping[str, Any], kept: frozenset[int]) -> dict[str, Any]:
    """A copy of the document with each hole candidate replaced by its sentinel, except the
    ``kept`` ones (by their place in :func:`skeleton`'s list)."""
    counter = iter(range(1 << 62))

    def walk(value: Any, structural: bool) -> Any:
        if type(value) is str:
            if structural:
                return value
            index = next(counter)
            return value if index in kept else sentinel(index)
        if isinstance(value, Mapping):
            return {name: walk(item, structural or name in _STRUCTURAL_KEYS)
                    for name, item in value.items()}
        if type(value) is list:
            return [walk(item, structural) for item in value]
        return value

    result: dict[str, Any] = walk(document, False)
    return result


@dataclass(frozen=True)
class Holes:
    """Where the sentinels came out in an expanded document.

    ``values`` maps a hole to the members its value object has besides ``@value`` (``@type``,
    ``@language``); ``ids`` holds the holes that are a node's ``@id``; ``shaping`` the holes
    that came out anywhere else, or not exactly once: they are part of the shape.
    """

    values: Mapping[int, Mapping[str, Any]]
    ids: frozenset[int]
    shaping: frozenset[int]


def find_holes(expanded: Any, candidates: frozenset[int]) -> Holes:
    """Classify each of the ``candidates`` sentinels by where it came out in ``expanded``."""
    seen: dict[int, int] = {}
    values: dict[int, Mapping[str, Any]] = {}
    ids: set[int] = set()

    def count(text: str) -> int | None:
        if not text.startswith(SENTINEL_MARK):
            return None
        try:
            index = int(text[1:-1]) if text.endswith("\ue001") else -1
        except ValueError:
            index = -1
        seen[index] = seen.get(index, 0) + 1
        return index

    def walk(value: Any, in_place: bool) -> None:
        if isinstance(value, str):
            count(value)
        elif isinstance(value, list):
            for item in value:
                walk(item, in_place)
        elif isinstance(value, dict):
            # A JSON literal's content is data, not JSON-LD: nothing in it is in place.
            literal = value.get("@type") == "@json"
            for name, item in value.items():
                count(name)
                if in_place and not literal and name in ("@value", "@id") and isinstance(
                        item, str):
                    index = count(item)
                    if index is not None and name == "@value":
                        values[index] = {key: other for key, other in value.items()
                                         if key != "@value"}
                    elif index is not None:
                        ids.add(index)
                else:
                    walk(item, in_place and not literal)

    walk(expanded, True)
    shaping = {index for index in candidates
               if seen.get(index) != 1 or (index not in values and index not in ids)}
    return Holes(values={index: members for index, members in values.items()
                         if index not in shaping},
                 ids=frozenset(ids - shaping), shaping=frozenset(shaping))


def context_terms(document: Mapping[str, Any],
                  load: Callable[[str], Any]) -> frozenset[str]:
    """Every name defined anywhere in the contexts the document uses: its own ``@context``
    entries (at any depth) and the contexts they load, transitively (``load`` gives a
    context document by URL)."""
    names: set[str] = set()
    loaded: set[str] = set()
    pending: list[Any] = []

    def in_document(value: Any) -> None:
        if isinstance(value, Mapping):
            for name, item in value.items():
                if name == "@context":
                    pending.append(item)
                else:
                    in_document(item)
        elif isinstance(value, list):
            for item in value:
                in_document(item)

    def in_context(value: Any, reference: bool) -> None:
        if isinstance(value, str):
            if reference and value not in loaded:
                loaded.add(value)
                pending.append(load(value))
        elif isinstance(value, Mapping):
            for name, item in value.items():
                names.add(name)
                in_context(item, name in ("@context", "@import"))
        elif isinstance(value, list):
            for item in value:
                in_context(item, reference)

    in_document(document)
    while pending:
        in_context(pending.pop(), True)
    return frozenset(names)


# --- compiled shapes ---------------------------------------------------------------------------

_ABSOLUTE_IRI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*")
_SHAPES: Final = 256
_VARIANTS: Final = 16
_ROUNDS: Final = 4


def _in_place_iri(value: str, context_terms: frozenset[str]) -> bool:
    """Whether IRI Expansion returns ``value`` as it is whatever the active context: an
    absolute IRI, not a blank node, whose scheme is no term (it might be a prefix)."""
    scheme, colon, _ = value.partition(":")
    return (bool(colon) and scheme != "_" and scheme not in context_terms
            and _ABSOLUTE_IRI.fullmatch(value) is not None)


@dataclass(frozen=True)
class _Shape:
    """A compiled shape: its dataset template and how each hole becomes a term."""

    template: rdfc.DatasetTemplate
    values: tuple[tuple[int, str, Mapping[str, Any]], ...]
    ids: tuple[tuple[int, str], ...]
    context_terms: frozenset[str]
    #: A value hole's literal written as ``"…"`` and this suffix (its language tag or
    #: datatype), when its datatype does not rewrite the string (as rdf:JSON and xsd:double
    #: do); those others go through :func:`~credstack.core.crypto.rdfc.value_term`.
    suffixes: Mapping[int, str]
    #: Whether RDFC-1.0 labels every filling's blank nodes within its work limit
    #: (:func:`_labelled_within_limit`).
    labels_within_limit: bool = False

    #: Each hole's last value and its term (most holes — the achievement's texts, the
    #: issuer's — hold the same string for every learner of a cohort). One tuple per entry,
    #: replaced whole: safe to share between threads; as many entries as holes.
    last: dict[int, tuple[str, str]] = field(default_factory=dict, compare=False)
    #: The first learner's hole values, then (once a second learner came) this shape with the
    #: holes both held alike filled for good: ("first", leaves) or ("special", pick, values,
    #: shape) — the specialized shape serves every document whose ``pick(leaves)`` is
    #: ``values``. Replaced whole (thread-safe); one per shape.
    special: dict[str, Any] = field(default_factory=dict, compare=False)

    def canonicalize(self, leaves: list[str]) -> str | None:
        """The canonical N-Quads for these hole values; None as for :meth:`terms`."""
        shape = self
        state = self.special.get("state")
        if state is not None and state[0] == "special":
            if state[1](leaves) == state[2]:
                shape = state[3]
        elif state is None:
            self.special["state"] = ("first", list(leaves))
        elif state[0] == "first":
            self._specialize(state[1], leaves)
        terms = shape.terms(leaves)
        return None if terms is None else shape.template.canonicalize(terms)

    def _specialize(self, first: list[str], leaves: list[str]) -> None:
        """Fill for good the holes two learners held alike (a third that differs in one of
        them is served by this general shape)."""
        alike = [(index, placeholder) for index, placeholder, _ in self.values
                 if first[index] == leaves[index]]
        alike += [(index, placeholder) for index, placeholder in self.ids
                  if first[index] == leaves[index]]
        terms = self.terms(leaves)
        if not alike or terms is None:
            self.special["state"] = ("none",)
            return
        indices = sorted(index for index, _ in alike)
        filled = {placeholder: terms[placeholder] for _, placeholder in alike}
        pick = operator.itemgetter(*indices)
        shape = _Shape(
            template=self.template.specialized(filled),
            values=tuple(hole for hole in self.values if hole[1] not in filled),
            ids=tuple(hole for hole in self.ids if hole[1] not in filled),
            context_terms=self.context_terms, suffixes=self.suffixes,
            labels_within_limit=self.labels_within_limit, special={"state": ("none",)})
        self.special["state"] = ("special", pick, pick(leaves), shape)

    def terms(self, leaves: list[str]) -> dict[str, str] | None:
        """Each placeholder's term for these hole values; None if an ``@id`` hole's value is
        not an absolute IRI that IRI Expansion returns as it is."""
        terms: dict[str, str] = {}
        suffixes = self.suffixes
        last = self.last
        for index, placeholder, members in self.values:
            value = leaves[index]
            known = last.get(index)
            if known is not None and known[0] == value:
                terms[placeholder] = known[1]
                continue
            suffix = suffixes.get(index)
            term = (rdfc.literal(value) + suffix if suffix is not None
                    else rdfc.value_term({**members, "@value": value}))
            terms[placeholder] = term
            last[index] = (value, term)
        for index, placeholder in self.ids:
            value = leaves[index]
            known = last.get(index)
            if known is not None and known[0] == value:
                terms[placeholder] = known[1]
                continue
            if not _in_place_iri(value, self.context_terms):
                return None
            term = terms[placeholder] = rdfc.iri(value)
            last[index] = (value, term)
        return terms


class _Entry:
    """What is known of one skeleton: which hole candidates shape the expansion (once
    compiled), and its variants by their values — a shape, None (not compilable), or
    ``_SEEN`` (met once)."""

    __slots__ = ("kept", "variants")

    def __init__(self) -> None:
        self.kept: frozenset[int] | None = None
        self.variants: LRUCache[Hashable, _Shape | object | None] = LRUCache(maxsize=_VARIANTS)


_SEEN: Final = object()
_BROKEN: Final = frozenset({-1})  # a skeleton whose compilation failed: never compiled again


class CompiledShapes:
    """The compiled shapes met through one document loader (bounded LRUs keyed on content:
    skeletons, then the values of the strings that shape each one).

    ``expand`` is the safe-mode expansion of that loader, ``reference`` the full algorithm
    (expansion, then RDFC-1.0) and ``load`` gives a context document by URL.
    """

    def __init__(self, *, expand: Callable[[dict[str, Any]], Any],
                 reference: Callable[[Mapping[str, Any], rdfc.HashAlgorithm], str],
                 load: Callable[[str], Any]) -> None:
        self._expand = expand
        self._reference = reference
        self._load = load
        self._entries: LRUCache[Hashable, _Entry] = LRUCache(maxsize=_SHAPES)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many skeletons are remembered (at most 256)."""
        with self._lock:
            return len(self._entries)

    def canonicalize(self, document: Mapping[str, Any],
                     hash_algorithm: rdfc.HashAlgorithm) -> str | None:
        """The canonical N-Quads from the document's compiled shape, or None."""
        found = self._shape(document, hash_algorithm)
        return None if found is None else found[0].canonicalize(found[1])

    def accepts(self, document: Mapping[str, Any]) -> bool:
        """Whether the document has a compiled shape, without blank nodes related to one
        another, that its strings fill in place: then it
        expands in safe mode as the document the shape was compiled from did (the same
        keys, contexts, types and every string that shapes the expansion; each other string
        a ``@value`` or an absolute ``@id`` that expansion keeps as it is) and its N-Quads
        have a UTF-8 form, so :meth:`canonicalize` would answer, not refuse. False: not
        known (the caller runs the full algorithm). What :meth:`canonicalize` compiles, this
        compiles too, the same times it is met."""
        found = self._shape(document, "sha256")
        if found is None:
            return False
        shape, leaves = found
        if shape.template.has_blank_nodes and not shape.labels_within_limit:
            # Labelling related blank nodes may refuse a filling (RDFC-1.0's work limit,
            # reached by some values of the holes): only the full algorithm can say. Blank
            # nodes related to none other (an achievement's criteria) are labelled within it
            # whatever the holes hold (_labelled_within_limit).
            return False
        try:
            "".join(leaves).encode("utf-8")
            return shape.terms(leaves) is not None
        except Exception:  # a lone surrogate, a value without a term: the full algorithm says
            return False

    def _shape(self, document: Mapping[str, Any], hash_algorithm: rdfc.HashAlgorithm
               ) -> tuple[_Shape, list[str]] | None:
        """The document's compiled shape and its strings, or None (met the first time,
        or not compilable), compiling it when it is due."""
        if not isinstance(document, Mapping):
            return None
        try:
            key, leaves = skeleton(document)
        except (NotJsonError, RecursionError):
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self._entries[key] = _Entry()
                return None
            kept = entry.kept
        if kept is _BROKEN:
            return None
        if kept is None:
            shape, kept = self._compile(document, leaves, frozenset(), hash_algorithm)
            with self._lock:
                if shape is not _SEEN:
                    entry.kept = kept
                    if kept is not _BROKEN:
                        entry.variants[_variant(leaves, kept, hash_algorithm)] = shape
        else:
            variant = _variant(leaves, kept, hash_algorithm)
            with self._lock:
                shape = entry.variants.get(variant)
                if shape is None and variant not in entry.variants:
                    entry.variants[variant] = _SEEN
                    return None
            if shape is _SEEN:
                shape, compiled_kept = self._compile(document, leaves, kept, hash_algorithm)
                if compiled_kept != kept:
                    shape = None  # this variant's strings shape it otherwise: not compiled
                if shape is not _SEEN:
                    with self._lock:
                        entry.variants[variant] = shape
        if not isinstance(shape, _Shape):
            return None
        return shape, leaves

    def _compile(self, document: Mapping[str, Any], leaves: list[str], kept: frozenset[int],
                 hash_algorithm: rdfc.HashAlgorithm) -> tuple[object, frozenset[int]]:
        """Compile the document's shape: (the shape, None if it cannot be compiled, or
        ``_SEEN`` if this document cannot decide; the hole candidates that shape it)."""
        try:
            reference = self._reference(document, hash_algorithm)
        except Exception:  # the document itself is refused; the caller says why, uncached
            return _SEEN, kept
        if SENTINEL_MARK in json.dumps(document, ensure_ascii=False):
            return None, _BROKEN
        try:
            terms_defined = context_terms(document, self._load)
        except Exception:  # the reference loaded every context; if one fails now, no shape
            return None, _BROKEN
        for _ in range(_ROUNDS):
            candidates = frozenset(range(len(leaves))) - kept
            try:
                expanded = self._expand(with_sentinels(document, kept))
            except Exception:  # a sentinel where a value decides the expansion: no shape
                return None, _BROKEN
            holes = find_holes(expanded, candidates)
            # An @id hole whose value here is not filled in place (a term, as a @vocab-typed
            # proofPurpose's "assertionMethod" is; a blank node) is part of the shape too.
            shaping = holes.shaping | {index for index in holes.ids
                                       if not _in_place_iri(leaves[index], terms_defined)}
            if not shaping:
                break
            kept |= shaping
        else:
            return None, _BROKEN
        placeholders = {sentinel(index) for index in candidates}
        try:
            quads = rdfc.dataset_from_expanded(expanded, placeholders=placeholders)
        except Exception:  # what the reference accepted cannot fail here; if it does, no shape
            return None, _BROKEN
        shape = _Shape(
            template=rdfc.DatasetTemplate(quads, placeholders, hash_algorithm=hash_algorithm),
            values=tuple((index, sentinel(index), members)
                         for index, members in sorted(holes.values.items())),
            ids=tuple((index, sentinel(index)) for index in sorted(holes.ids)),
            context_terms=terms_defined,
            suffixes={index: suffix for index, members in holes.values.items()
                      if (suffix := _suffix(members)) is not None},
            labels_within_limit=_labelled_within_limit(quads))
        terms = shape.terms(leaves)
        # The compiled shape must give the full algorithm's bytes on the document it came from.
        if terms is None or shape.template.canonicalize(terms) != reference:
            return None, kept
        return shape, kept


def _labelled_within_limit(quads: Collection[rdfc.Quad]) -> bool:
    """Whether RDFC-1.0 labels the blank nodes of every filling of these quads within its
    work limit (the templates' work factor, 1): no quad names two blank nodes. Fillings are
    IRIs and literals, so a filled dataset's blank nodes are related as the template's are;
    related to none, Hash N-Degree Quads (§4.8) never recurses and runs once for each node
    that shares a first-degree hash, however the fillings make hashes collide, and the
    limit is that count."""
    return not any(sum(term.startswith("_:") for term in {quad[0], quad[2], quad[3]}) > 1
                   for quad in quads)


def _suffix(members: Mapping[str, Any]) -> str | None:
    """What follows the quoted string in a value hole's literal, if the string is kept as
    it is: a language tag, a datatype that is not rdf:JSON or xsd:double, or nothing."""
    probe = "\ue002"
    term = rdfc.value_term({**members, "@value": probe})
    if term.startswith(f'"{probe}"') and members.get("@type") not in _REWRITING_TYPES:
        return term[len(probe) + 2:]
    return None


_REWRITING_TYPES: Final = frozenset({"@json", "http://www.w3.org/2001/XMLSchema#double"})


def _variant(leaves: list[str], kept: frozenset[int],
             hash_algorithm: rdfc.HashAlgorithm) -> Hashable:
    return (tuple(leaves[index] for index in sorted(kept)), hash_algorithm)
