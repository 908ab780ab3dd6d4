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

Numbers and booleans are holes too (a transcript's ``creditsEarned`` differs from one
graduate to the next): Value Expansion makes any of them a value object, the term deciding
its datatype whatever the value, so the value's *kind* (integer, float, boolean) is part of
the shape and the value itself fills its place. Its literal is written by
:func:`~credstack.core.crypto.rdfc.value_term` as "Deserialize JSON-LD to RDF" (§8.6 Object to
RDF) writes it: a number with no fraction below 10^21 as ``xsd:integer`` (``2.0`` is ``"2"``),
any other as the canonical ``xsd:double`` (``"1.5E0"``), a boolean as ``"true"``/``"false"``
(each with the term's datatype, if it has one).

This module finds those places (the pure part: no expansion of its own, no cache):

* :func:`skeleton` — the document with every string, number and boolean that might be a
  hole taken out (not ``@context``, ``type``/``@type``, ``@language``, ``@direction``,
  ``@index`` and the like), as a hashable key, and those values in document order (a number
  or boolean as a :class:`Scalar`);
* :func:`with_sentinels` — the document with chosen holes replaced by sentinels: for a
  string, a string that no IRI or vocabulary expansion leaves as it is (no colon) and no
  document holds; for a number or boolean, a number no document holds
  (:func:`number_sentinel`);
* :func:`find_holes` — in the *expansion* of that document, where each sentinel came out: as
  a ``@value`` (with the value object's other members, which the real value will share), as
  an ``@id``, or anywhere else, which makes that value part of the shape;
* :func:`context_terms` — every name defined anywhere in the contexts a document uses (a
  superset of its terms): an ``@id`` hole whose scheme is one of them might be a compact IRI,
  and is not filled in place (the caller falls back to expanding the document).

:mod:`credstack.core.crypto.compiled_shapes` compiles a shape with these, checks the compiled
result against the full algorithm on the document it compiled from, and falls back to the
full algorithm for anything it does not recognise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

__all__ = ["SENTINEL_MARK", "Holes", "NotJsonError", "Scalar",
           "context_terms", "find_holes", "number_sentinel", "sentinel", "skeleton",
           "with_sentinels"]

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
    """Where a value was taken out of a skeleton (one object a kind, compared by identity)."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"<{self.kind} hole>"


_HOLE: Final = _Hole("str")
#: Numbers and booleans: integers, floats and booleans are holes of three kinds, so that
#: documents of one shape hold the same kind in each (1, 1.0 and True are equal in Python).
_SCALAR_HOLES: Final = {kind: _Hole(kind.__name__) for kind in (int, float, bool)}


class Scalar(NamedTuple):
    """A number or boolean taken out of a skeleton. Compared by its kind and text, then its
    value, never by the value alone: ``1``, ``1.0`` and ``True`` (equal in Python) or ``0.0``
    and ``-0.0`` (equal, but written ``"0.0E0"`` and ``"-0.0E0"`` as an ``xsd:double``) are
    different holes' values."""

    kind: str
    text: str
    value: int | float | bool


def _scalar(value: int | float | bool) -> Scalar:
    return Scalar(type(value).__name__, repr(value), value)


class NotJsonError(ValueError):
    """The document holds something that is not JSON (it is not shaped; PyLD decides)."""


def skeleton(document: Mapping[str, Any]) -> tuple[Hashable, list[str | Scalar]]:
    """The document's shape key and its hole candidates, in document order: strings as they
    are, numbers and booleans as :class:`Scalar`.

    Raises :class:`NotJsonError` for anything but JSON values (and RecursionError when deep).
    """
    leaves: list[str | Scalar] = []

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
        if kind is bool or kind is int or kind is float:
            if structural:
                # 1, 1.0 and True are equal in Python; in JSON-LD they are three values.
                return (kind.__name__, value)
            leaves.append(_scalar(value))
            return _SCALAR_HOLES[kind]
        if value is None:
            return None
        raise NotJsonError(f"{kind.__name__} is not a JSON value")

    return walk(document, False), leaves


def sentinel(index: int) -> str:
    """The sentinel of hole ``index``: no colon (IRI and vocabulary expansion would change
    it), nothing N-Quads escapes."""
    return f"{SENTINEL_MARK}{index}\ue001"


def number_sentinel(index: int) -> float:
    """The sentinel of number or boolean hole ``index``: a negative subnormal float, exact and
    its own for each index. Value Expansion treats every number and boolean alike (a value
    object, the term's datatype), so a float stands for any of them;
    :class:`~credstack.core.crypto.compiled_shapes.CompiledShapes` declines a document
    holding one of these values."""
    return -math.ldexp(2 * index + 1, -1060)


def with_sentinels(document: Mapping[str, Any], kept: frozenset[int]) -> dict[str, Any]:
    """A copy of the document with each hole candidate replaced by its sentinel, except the
    ``kept`` ones (by their place in :func:`skeleton`'s list)."""
    counter = iter(range(1 << 62))

    def walk(value: Any, structural: bool) -> Any:
        kind = type(value)
        if kind is str:
            if structural:
                return value
            index = next(counter)
            return value if index in kept else sentinel(index)
        if kind is int or kind is float or kind is bool:
            if structural:
                return value
            index = next(counter)
            return value if index in kept else number_sentinel(index)
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
    """Classify each of the ``candidates`` sentinels (strings, or numbers for numbers and
    booleans) by where it came out in ``expanded``."""
    seen: dict[int, int] = {}
    values: dict[int, Mapping[str, Any]] = {}
    ids: set[int] = set()
    numbers = {number_sentinel(index): index for index in candidates}

    def count(text: str) -> int | None:
        if not text.startswith(SENTINEL_MARK):
            return None
        try:
            index = int(text[1:-1]) if text.endswith("\ue001") else -1
        except ValueError:
            index = -1
        seen[index] = seen.get(index, 0) + 1
        return index

    def count_number(number: float) -> int | None:
        index = numbers.get(number)
        if index is not None:
            seen[index] = seen.get(index, 0) + 1
        return index

    def walk(value: Any, in_place: bool) -> None:
        if isinstance(value, str):
            count(value)
        elif type(value) is float:
            count_number(value)
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
                elif in_place and not literal and name == "@value" and type(item) is float:
                    index = count_number(item)
                    if index is not None:
                        values[index] = {key: other for key, other in value.items()
                                         if key != "@value"}
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
