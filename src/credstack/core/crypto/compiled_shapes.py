"""Compiled shapes: a JSON-LD document's RDFC-1.0 canonical form from a dataset template
with holes, without expanding it.

RDF Dataset Canonicalization (RDFC-1.0) — W3C Recommendation, 21 May 2024 —
https://www.w3.org/TR/rdf-canon/ ; JSON-LD 1.1 Processing Algorithms and API — W3C
Recommendation, 16 July 2020 — https://www.w3.org/TR/json-ld11-api/ §8.6 "Object to RDF".

:mod:`.shapes` says where a document's strings, numbers and booleans go (the pure part);
:class:`CompiledShapes` compiles a shape the second time it is met, checks the compiled result
against the full algorithm on the document it compiled from, and answers for every later
document of that shape by filling the template's holes; it answers None (the caller expands)
for anything it does not recognise.
"""

from __future__ import annotations

import json
import math
import operator
import re
import threading
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from cachetools import LRUCache

from . import rdfc
from .shapes import (
    SENTINEL_MARK,
    Holes,
    NotJsonError,
    Scalar,
    context_terms,
    find_holes,
    number_sentinel,
    sentinel,
    skeleton,
    with_sentinels,
)

__all__ = ["CompiledShapes"]

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
    #: A string value hole's literal written as ``"…"`` and this suffix (its language tag or
    #: datatype), when its datatype does not rewrite the string (as rdf:JSON and xsd:double
    #: do); those others, and numbers and booleans, go through
    #: :func:`~credstack.core.crypto.rdfc.value_term`.
    suffixes: Mapping[int, str]
    #: Whether RDFC-1.0 labels every filling's blank nodes within its work limit
    #: (:func:`_labelled_within_limit`).
    labels_within_limit: bool = False

    #: Each hole's last value and its term (most holes — the achievement's texts, the
    #: issuer's — hold the same string for every learner of a cohort). One tuple per entry,
    #: replaced whole: safe to share between threads; as many entries as holes.
    last: dict[int, tuple[str | Scalar, str]] = field(default_factory=dict, compare=False)
    #: The first learner's hole values, then (once a second learner came) this shape with the
    #: holes both held alike filled for good: ("first", leaves) or ("special", pick, values,
    #: shape) — the specialized shape serves every document whose ``pick(leaves)`` is
    #: ``values``. Replaced whole (thread-safe); one per shape.
    special: dict[str, Any] = field(default_factory=dict, compare=False)

    def canonicalize(self, leaves: list[str | Scalar]) -> str | None:
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

    def _specialize(self, first: list[str | Scalar], leaves: list[str | Scalar]) -> None:
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

    def terms(self, leaves: list[str | Scalar]) -> dict[str, str] | None:
        """Each placeholder's term for these hole values; None if an ``@id`` hole's value is
        not an absolute IRI that IRI Expansion returns as it is, or a number is not finite
        (what JSON cannot hold: the full algorithm says what becomes of it)."""
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
            if isinstance(value, Scalar):
                if type(value.value) is float and not math.isfinite(value.value):
                    return None
                term = rdfc.value_term({**members, "@value": value.value})
            elif suffix is not None:
                term = rdfc.literal(value) + suffix
            else:
                term = rdfc.value_term({**members, "@value": value})
            terms[placeholder] = term
            last[index] = (value, term)
        for index, placeholder in self.ids:
            value = leaves[index]
            known = last.get(index)
            if known is not None and known[0] == value:
                terms[placeholder] = known[1]
                continue
            if type(value) is not str or not _in_place_iri(value, self.context_terms):
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
            "".join(leaf for leaf in leaves if type(leaf) is str).encode("utf-8")
            return shape.terms(leaves) is not None
        except Exception:  # a lone surrogate, a value without a term: the full algorithm says
            return False

    def _shape(self, document: Mapping[str, Any], hash_algorithm: rdfc.HashAlgorithm
               ) -> tuple[_Shape, list[str | Scalar]] | None:
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

    def _compile(self, document: Mapping[str, Any], leaves: list[str | Scalar],
                 kept: frozenset[int],
                 hash_algorithm: rdfc.HashAlgorithm) -> tuple[object, frozenset[int]]:
        """Compile the document's shape: (the shape, None if it cannot be compiled, or
        ``_SEEN`` if this document cannot decide; the hole candidates that shape it)."""
        try:
            reference = self._reference(document, hash_algorithm)
        except Exception:  # the document itself is refused; the caller says why, uncached
            return _SEEN, kept
        if SENTINEL_MARK in json.dumps(document, ensure_ascii=False) or _holds_number_sentinel(
                leaves):
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
                                       if type(leaf := leaves[index]) is not str
                                       or not _in_place_iri(leaf, terms_defined)}
            if not shaping:
                break
            kept |= shaping
        else:
            return None, _BROKEN
        placeholders = {sentinel(index) for index in candidates}
        try:
            quads = rdfc.dataset_from_expanded(_numbers_as_placeholders(expanded, holes),
                                               placeholders=placeholders)
        except Exception:  # what the reference accepted cannot fail here; if it does, no shape
            return None, _BROKEN
        shape = _Shape(
            template=rdfc.DatasetTemplate(quads, placeholders, hash_algorithm=hash_algorithm),
            values=tuple((index, sentinel(index), members)
                         for index, members in sorted(holes.values.items())),
            ids=tuple((index, sentinel(index)) for index in sorted(holes.ids)),
            context_terms=terms_defined,
            suffixes={index: suffix for index, members in holes.values.items()
                      if type(leaves[index]) is str
                      and (suffix := _suffix(members)) is not None},
            labels_within_limit=_labelled_within_limit(quads))
        terms = shape.terms(leaves)
        # The compiled shape must give the full algorithm's bytes on the document it came from.
        if terms is None or shape.template.canonicalize(terms) != reference:
            return None, kept
        return shape, kept


def _holds_number_sentinel(leaves: list[str | Scalar]) -> bool:
    """Whether a number of the document is one of its holes' sentinels (then it is not
    compiled: that number would be taken for the hole)."""
    sentinels = {number_sentinel(index) for index in range(len(leaves))}
    return any(type(leaf) is Scalar and leaf.value in sentinels for leaf in leaves)


def _numbers_as_placeholders(expanded: Any, holes: Holes) -> Any:
    """The expanded document with each number hole's sentinel (a ``@value``) replaced by
    its string placeholder, as :func:`~credstack.core.crypto.rdfc.dataset_from_expanded`
    takes placeholders."""
    numbers = {number_sentinel(index): sentinel(index) for index in holes.values}

    def walk(value: Any) -> Any:
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            if value.get("@type") == "@json":
                return value
            number = value.get("@value")
            if type(number) is float and number in numbers:
                return {**value, "@value": numbers[number]}
            return {name: walk(item) for name, item in value.items()}
        return value

    return walk(expanded)


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


def _variant(leaves: list[str | Scalar], kept: frozenset[int],
             hash_algorithm: rdfc.HashAlgorithm) -> Hashable:
    return (tuple(leaves[index] for index in sorted(kept)), hash_algorithm)
