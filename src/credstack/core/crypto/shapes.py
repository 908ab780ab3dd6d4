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

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["SENTINEL_MARK", "Holes", "NotJsonError", "context_terms", "find_holes", "sentinel",
           "skeleton", "with_sentinels"]

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
            return ("{", *((name, walk(item, structural or name in _STRUCTURAL_KEYS))
                           for name, item in value.items()))
        if kind is list:
            return ("[", *(walk(item, structural) for item in value))
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
