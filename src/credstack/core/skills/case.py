"""Competency frameworks as 1EdTech CASE 1.1 packages: the model, parsed at the boundary.

Specification: *Competencies and Academic Standards Exchange (CASE) Service Version 1.1*,
1EdTech Consortium, Final Release (2021), https://www.imsglobal.org/spec/case/v1p1/ — a
``CFPackage`` holds one ``CFDocument`` (the framework), its ``CFItems`` (competencies,
skills, standards) and ``CFAssociations`` (``isChildOf`` builds the hierarchy; ``exactMatchOf``,
``isRelatedTo`` … link items, also across frameworks), with optional ``CFDefinitions``,
``CFRubrics`` and ``extensions``.

**Lossless.** Every object keeps the JSON it arrived as (:attr:`CFItem.raw` …), every key
in its order, keys this module does not know included; :meth:`CFPackage.to_json` gives the
package back exactly. Identifiers and URIs are never rewritten: a framework published
elsewhere keeps its publisher's identifiers, so an alignment to one of its items means the
same thing everywhere.

**Parsed at the boundary.** :func:`parse_package` checks what credstack relies on and reports
every fault at once, placed by JSON pointer (and by line and column when the text is given:
:func:`read_package`), as one :class:`~credstack.errors.FrameworkError`: an object that is
not an object, a required property missing or of the wrong type, an identifier or URI used
twice, an association of an unknown type or whose hierarchy forms a cycle. A package with a
fault is refused whole; nothing is half-imported. CASE 1.0 packages (OpenSALT exports) are
read too: they give ``CFPackageURI`` as a plain URI, omit ``CFDocumentURI`` and may quote
an association's ``sequenceNumber`` (``"1"``), which is read as the number it spells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Final

import orjson

from credstack.core.creditbank.positions import pointer
from credstack.core.skills.hierarchy import find_cycle
from credstack.core.skills.placing import place_problems
from credstack.errors import FrameworkError, Problem

__all__ = [
    "ASSOCIATION_TYPES",
    "HIERARCHICAL",
    "CFAssociation",
    "CFDocument",
    "CFItem",
    "CFPackage",
    "NodeLink",
    "parse_package",
    "read_package",
]

#: CASE 1.1's association types; others must be extensions (``ext:…``).
ASSOCIATION_TYPES: Final = frozenset({
    "isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo",
    "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf"})
#: Association types that order their ends (a cycle of them is a contradiction).
HIERARCHICAL: Final = ("isChildOf", "isPartOf", "precedes", "replacedBy")
_EXTENSION: Final = re.compile(r"^ext:[A-Za-z0-9.\-_]+$")
_URI: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_DIGITS: Final = re.compile(r"[0-9]{1,9}")
#: The package's own keys; any other top-level key is kept as it is.
_PARTS: Final = ("CFDocument", "CFItems", "CFAssociations")


@dataclass(frozen=True, slots=True)
class NodeLink:
    """One end of an association (CASE ``LinkGenURI``): the node's identifier and URI."""

    identifier: str
    uri: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class CFDocument:
    """The framework: its identifier and URI, title, creator and language."""

    identifier: str
    uri: str
    title: str
    creator: str
    language: str | None
    raw: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CFItem:
    """A competency: its statement, the short label when the publisher gives one, its code."""

    identifier: str
    uri: str
    full_statement: str
    abbreviated_statement: str | None
    human_coding_scheme: str | None
    item_type: str | None
    language: str | None
    keywords: tuple[str, ...]
    raw: Mapping[str, Any]

    @property
    def label(self) -> str:
        """What a person reads as the item's name: the short statement, else the full one."""
        return self.abbreviated_statement or self.full_statement


@dataclass(frozen=True, slots=True)
class CFAssociation:
    """A typed link from an origin node to a destination node."""

    identifier: str
    uri: str
    association_type: str
    origin: NodeLink
    destination: NodeLink
    sequence_number: int | None
    raw: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CFPackage:
    """A framework with everything in it, as received."""

    document: CFDocument
    items: tuple[CFItem, ...]
    associations: tuple[CFAssociation, ...]
    #: Top-level keys other than the three parts (``CFDefinitions``, ``CFRubrics``,
    #: ``extensions``, anything else), in their order.
    extra: Mapping[str, Any]
    #: The order of the top-level keys.
    key_order: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The package as JSON data, equal to what was parsed (keys in their order)."""
        out: dict[str, Any] = {}
        for key in self.key_order:
            if key == "CFDocument":
                out[key] = dict(self.document.raw)
            elif key == "CFItems":
                out[key] = [dict(item.raw) for item in self.items]
            elif key == "CFAssociations":
                out[key] = [dict(association.raw) for association in self.associations]
            else:
                out[key] = self.extra[key]
        return out

    def parents(self) -> dict[str, tuple[str, ...]]:
        """Item URI → the URIs of the items (or the document) it is a child of."""
        by_identifier = {item.identifier: item.uri for item in self.items}
        by_identifier[self.document.identifier] = self.document.uri
        found: dict[str, list[str]] = {}
        for association in self.associations:
            if association.association_type != "isChildOf":
                continue
            child = by_identifier.get(association.origin.identifier, association.origin.uri)
            parent = by_identifier.get(association.destination.identifier,
                                       association.destination.uri)
            found.setdefault(child, []).append(parent)
        return {child: tuple(dict.fromkeys(parents)) for child, parents in found.items()}


#: The message keys of a package's faults (``workspace.framework.case.required`` …).
_FAULT: Final = "workspace.framework.case."


class _Faults:
    """The faults found, each a JSON pointer, a message key (of :data:`_FAULT`) and its
    parameters, for the entrypoint to word."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str, dict[str, object]]] = []

    def add(self, where: str, fault: str, **params: object) -> None:
        self.found.append((where, f"{_FAULT}{fault}", params))


def _string(obj: Mapping[str, Any], key: str, where: str, faults: _Faults, *,
            required: bool = True, uri: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            faults.add(where, "required", key=key)
        return None
    if not isinstance(value, str) or not value.strip():
        faults.add(f"{where}{pointer(key)}", "not_text", key=key)
        return None
    if uri and not _URI.match(value):
        faults.add(f"{where}{pointer(key)}", "not_uri", value=value[:80])
        return None
    return value


def _link(obj: Mapping[str, Any], key: str, where: str, faults: _Faults, *,
          required: bool) -> NodeLink | None:
    """A ``LinkURI``/``LinkGenURI`` object (or, in CASE 1.0 packages, a bare URI)."""
    value = obj.get(key)
    here = f"{where}{pointer(key)}"
    if value is None:
        if required:
            faults.add(where, "required", key=key)
        return None
    if isinstance(value, str):
        if not _URI.match(value):
            faults.add(here, "not_uri", value=value[:80])
            return None
        return NodeLink(identifier=value.rstrip("/").rsplit("/", 1)[-1], uri=value)
    if not isinstance(value, dict):
        faults.add(here, "not_link", key=key)
        return None
    uri = _string(value, "uri", here, faults, uri=True)
    identifier = _string(value, "identifier", here, faults)
    title = value.get("title")
    if uri is None or identifier is None:
        return None
    return NodeLink(identifier, uri, title if isinstance(title, str) else None)


def _document(value: Any, faults: _Faults) -> CFDocument | None:
    where = "/CFDocument"
    if not isinstance(value, dict):
        faults.add(where, "document_not_object")
        return None
    identifier = _string(value, "identifier", where, faults)
    uri = _string(value, "uri", where, faults, uri=True)
    title = _string(value, "title", where, faults)
    creator = _string(value, "creator", where, faults)
    _string(value, "lastChangeDateTime", where, faults)
    _link(value, "CFPackageURI", where, faults, required=False)
    language = value.get("language")
    if identifier is None or uri is None or title is None or creator is None:
        return None
    return CFDocument(identifier, uri, title, creator,
                      language if isinstance(language, str) else None, value)


def _optional_text(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _item(value: Any, index: int, faults: _Faults) -> CFItem | None:
    where = pointer("CFItems", index)
    if not isinstance(value, dict):
        faults.add(where, "item_not_object")
        return None
    identifier = _string(value, "identifier", where, faults)
    uri = _string(value, "uri", where, faults, uri=True)
    statement = _string(value, "fullStatement", where, faults)
    _string(value, "lastChangeDateTime", where, faults)
    _link(value, "CFDocumentURI", where, faults, required=False)
    keywords = value.get("conceptKeywords")
    if keywords is not None and not (isinstance(keywords, list)
                                     and all(isinstance(k, str) for k in keywords)):
        faults.add(f"{where}/conceptKeywords", "keywords_not_strings")
        keywords = None
    if identifier is None or uri is None or statement is None:
        return None
    return CFItem(identifier, uri, statement, _optional_text(value, "abbreviatedStatement"),
                  _optional_text(value, "humanCodingScheme"), _optional_text(value, "CFItemType"),
                  _optional_text(value, "language"), tuple(keywords or ()), value)


def _association(value: Any, index: int, faults: _Faults) -> CFAssociation | None:
    where = pointer("CFAssociations", index)
    if not isinstance(value, dict):
        faults.add(where, "association_not_object")
        return None
    identifier = _string(value, "identifier", where, faults)
    uri = _string(value, "uri", where, faults, uri=True)
    kind = _string(value, "associationType", where, faults)
    if kind is not None and kind not in ASSOCIATION_TYPES and not _EXTENSION.match(kind):
        faults.add(f"{where}/associationType", "unknown_association", kind=kind[:60])
        kind = None
    origin = _link(value, "originNodeURI", where, faults, required=True)
    destination = _link(value, "destinationNodeURI", where, faults, required=True)
    _string(value, "lastChangeDateTime", where, faults)
    sequence = value.get("sequenceNumber")
    if isinstance(sequence, str) and _DIGITS.fullmatch(sequence):
        # OpenSALT's CASE 1.0 exports quote it ("sequenceNumber": "1"); the raw JSON keeps
        # the string, the model reads the number.
        sequence = int(sequence)
    elif sequence is not None and (isinstance(sequence, bool) or not isinstance(sequence, int)):
        faults.add(f"{where}/sequenceNumber", "sequence_not_integer")
        sequence = None
    if identifier is None or uri is None or kind is None or origin is None \
            or destination is None:
        return None
    return CFAssociation(identifier, uri, kind, origin, destination, sequence, value)


def _array(data: Mapping[str, Any], key: str, faults: _Faults) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        faults.add(pointer(key), "not_array", key=key)
        return []
    return value


def _duplicates(package_parts: Iterator[tuple[str, str, str]], faults: _Faults) -> None:
    """Identifiers and URIs must each name one object of the package."""
    seen: dict[tuple[str, str], str] = {}
    for kind, value, where in package_parts:
        first = seen.setdefault((kind, value.lower() if kind == "identifier" else value), where)
        if first != where:
            faults.add(where, "duplicate", kind=kind, value=value[:80], first=first)


def _names(document: CFDocument | None, items: Sequence[CFItem | None],
           associations: Sequence[CFAssociation | None]) -> Iterator[tuple[str, str, str]]:
    if document is not None:
        yield "identifier", document.identifier, "/CFDocument/identifier"
        yield "uri", document.uri, "/CFDocument/uri"
    for index, item in enumerate(items):
        if item is not None:
            yield "identifier", item.identifier, f"{pointer('CFItems', index)}/identifier"
            yield "uri", item.uri, f"{pointer('CFItems', index)}/uri"
    for index, association in enumerate(associations):
        if association is not None:
            where = pointer("CFAssociations", index)
            yield "identifier", association.identifier, f"{where}/identifier"
            yield "uri", association.uri, f"{where}/uri"


def _cycles(associations: Sequence[CFAssociation | None], faults: _Faults) -> None:
    for kind in HIERARCHICAL:
        edges = [(index, a.origin.identifier.lower(), a.destination.identifier.lower())
                 for index, a in enumerate(associations)
                 if a is not None and a.association_type == kind]
        cycle = find_cycle([(origin, destination) for _, origin, destination in edges])
        if cycle:
            involved = set(pairwise(cycle))
            first = next(index for index, o, d in edges if (o, d) in involved)
            faults.add(pointer("CFAssociations", first), "cycle", kind=kind,
                       cycle=" → ".join(cycle))


def parse_package(data: Any, *, text: str | None = None,
                  source: str = "<package>") -> CFPackage:
    """The package ``data`` (parsed JSON) holds, checked; every fault raised at once as a
    :class:`~credstack.errors.FrameworkError` (placed by line and column in ``text``, the
    JSON it was parsed from, when given)."""
    faults = _Faults()
    if not isinstance(data, dict):
        faults.add("", "not_object")
        _raise(faults, text, source)
    if "CFDocument" not in data:
        faults.add("", "required", key="CFDocument")
    document = _document(data.get("CFDocument"), faults) if "CFDocument" in data else None
    items = [_item(value, index, faults)
             for index, value in enumerate(_array(data, "CFItems", faults))]
    associations = [_association(value, index, faults)
                    for index, value in enumerate(_array(data, "CFAssociations", faults))]
    _duplicates(_names(document, items, associations), faults)
    _cycles(associations, faults)
    if faults.found or document is None:
        _raise(faults, text, source)
    assert document is not None
    return CFPackage(
        document=document,
        items=tuple(item for item in items if item is not None),
        associations=tuple(a for a in associations if a is not None),
        extra={key: value for key, value in data.items() if key not in _PARTS},
        key_order=tuple(data))


def read_package(text: str | bytes, *, source: str = "<package>") -> CFPackage:
    """The package in the JSON ``text``; a syntax error is placed by line and column."""
    decoded = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else text
    try:
        data = orjson.loads(decoded)
    except orjson.JSONDecodeError as exc:
        place = f"{source}:{exc.lineno}:{exc.colno}"
        raise FrameworkError(
            code=f"{_FAULT}not_json", params={"place": place, "detail": exc.msg},
            problems=[Problem(place, code=f"{_FAULT}json_syntax",
                              params={"detail": exc.msg})]) from None
    return parse_package(data, text=decoded, source=source)


def _raise(faults: _Faults, text: str | None, source: str) -> None:
    problems = place_problems(faults.found, text=text, source=source)
    raise FrameworkError(code=f"{_FAULT}refused",
                         params={"source": source, "number": len(problems)}, problems=problems)


def dumps(package: CFPackage) -> bytes:
    """The package as JSON bytes (UTF-8, keys in their order)."""
    return orjson.dumps(package.to_json())
