"""Selective disclosure: the functions ``ecdsa-sd-2023`` is built from.

Data Integrity ECDSA Cryptosuites v1.0 — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-di-ecdsa/#selective-disclosure-functions ("Selective Disclosure
Functions"), as the JavaScript reference (``@digitalbazaar/di-sd-primitives``) runs them:

* *label replacement canonicalization*: RDFC-1.0 labels the blank nodes (``_:c14n0``…), and
  a *label map factory* renames those labels once more — the issuer and holder with an HMAC
  of each (:func:`hmac_label_map`), so that the labels a verifier sees say nothing about the
  statements left out; the verifier with the map the derived proof carries
  (:func:`given_label_map`);
* *skolemization*: every blank node of the expanded document gets a ``urn:bnid:`` IRI, so
  that a selection taken from the compact document with JSON pointers still names the same
  nodes; deskolemizing turns those IRIs back into blank nodes;
* *selection* (:func:`select_json_ld`): the part of a compact document that JSON pointers
  (RFC 6901) reach, with the ``id`` and ``type`` of every object on the way;
* *grouping* (:func:`canonicalize_and_group`): which canonical statements each named list of
  pointers selects, by index;
* :func:`hash_mandatory`: the hash of the statements every disclosure must reveal.

Blank nodes are handled as terms of :data:`~credstack.core.crypto.rdfc.Quad` tuples, never by
searching N-Quads text, so a string value that happens to contain ``_:`` stays as it is.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.crypto import rdfc
from credstack.core.crypto.canonicalization import (
    DocumentLoader,
    jsonld_compact,
    jsonld_expand,
    jsonld_to_rdf,
)
from credstack.core.crypto.multibase import encode_base64url
from credstack.errors import MalformedCredentialError, Problem, SignatureError

__all__ = ["Group", "Grouping", "LabelMapFactory", "canonicalize_and_group", "given_label_map",
           "hash_mandatory", "hmac_label_map", "label_replacement_canonicalize",
           "pointer_paths", "select_json_ld"]

#: Renames blank nodes: given RDFC-1.0's canonical label of each (term → ``_:c14nN``), the new
#: term of each (term → ``_:<label>``).
LabelMapFactory = Callable[[Mapping[str, str]], dict[str, str]]

_SKOLEM_PREFIX: Final = "urn:bnid:"
_SKOLEM_TERM: Final = f"<{_SKOLEM_PREFIX}"
_C14N: Final = "_:c14n"


# --- label maps -------------------------------------------------------------------------------

def hmac_label_map(hmac_key: bytes) -> LabelMapFactory:
    """*createHmacIdLabelMapFunction*: each canonical label (``c14n0``) becomes ``u`` and the
    base64url (no padding) HMAC-SHA-256 of it under ``hmac_key``."""
    def labels(canonical: Mapping[str, str]) -> dict[str, str]:
        return {term: "_:" + encode_base64url(
            hmac.digest(hmac_key, label.removeprefix("_:").encode(), "sha256"))
            for term, label in canonical.items()}
    return labels


def given_label_map(label_map: Mapping[str, str]) -> LabelMapFactory:
    """*createLabelMapFunction*: each canonical label becomes the label ``label_map`` gives it
    (``c14n0`` → ``u…``, as a derived proof carries them).

    The document must have exactly the blank nodes the map names: a label the map lacks, or
    one it names that the document does not have, means statements were added or dropped
    since the proof was derived — :class:`~credstack.errors.SignatureError`.
    """
    def labels(canonical: Mapping[str, str]) -> dict[str, str]:
        wanted = {label.removeprefix("_:") for label in canonical.values()}
        if wanted != set(label_map):
            raise SignatureError(
                code="proof.selective_disclosure.label_map",
                params={"found": len(wanted), "named": len(label_map)},
                problems=[Problem("proof.proofValue",
                                  code="proof.selective_disclosure.problem.label_map")])
        return {term: "_:" + label_map[label.removeprefix("_:")]
                for term, label in canonical.items()}
    return labels


def label_replacement_canonicalize(quads: set[rdfc.Quad], labels: LabelMapFactory
                                   ) -> tuple[list[str], dict[str, str]]:
    """*labelReplacementCanonicalizeNQuads*: the dataset's canonical N-Quads, every blank node
    renamed by ``labels``, sorted; and the map used (input term → new term)."""
    label_map = labels(rdfc.canonical_labels(quads))
    return rdfc.nquads(quads, label_map), label_map


def canonical_nquads(document: Mapping[str, Any], labels: LabelMapFactory, *,
                     document_loader: DocumentLoader) -> list[str]:
    """*labelReplacementCanonicalizeJsonLd*: the same, of a JSON-LD document."""
    quads = jsonld_to_rdf(jsonld_expand(document, document_loader=document_loader))
    return label_replacement_canonicalize(quads, labels)[0]


def hash_mandatory(mandatory: Sequence[str]) -> bytes:
    """*hashMandatoryNQuads*: SHA-256 of the mandatory N-Quads, joined, UTF-8."""
    return hashlib.sha256("".join(mandatory).encode()).digest()


# --- skolemization ----------------------------------------------------------------------------

def skolemize(expanded: list[Any]) -> list[Any]:
    """*skolemizeExpandedJsonLd*: a copy of an expanded document in which every node object
    has an ``@id``: ``urn:bnid:_<random>_<n>`` for one that had none, ``urn:bnid:x`` for the
    blank node ``_:x``."""
    random = f"_{uuid.uuid4()}_"
    count = 0

    def walk(items: list[Any]) -> list[Any]:
        nonlocal count
        result = []
        for item in items:
            if not isinstance(item, dict) or "@value" in item:
                result.append(copy.deepcopy(item))
                continue
            node = {name: walk(value) if isinstance(value, list) else walk([value])[0]
                    for name, value in item.items()}
            # A list object is a value, not a node: it gets no identifier.
            if "@list" not in node:
                identifier = node.get("@id")
                if identifier is None:
                    node["@id"] = f"{_SKOLEM_PREFIX}{random}{count}"
                    count += 1
                elif isinstance(identifier, str) and identifier.startswith("_:"):
                    node["@id"] = _SKOLEM_PREFIX + identifier[2:]
            result.append(node)
        return result

    return walk(expanded)


def deskolemize(quads: Iterable[rdfc.Quad]) -> set[rdfc.Quad]:
    """*deskolemizeNQuads*, on quads: each ``<urn:bnid:x>`` term becomes the blank node ``_:x``."""
    return {(_blank(subject), predicate, _blank(obj), _blank(graph))
            for subject, predicate, obj, graph in quads}


def _blank(term: str) -> str:
    return "_:" + term[len(_SKOLEM_TERM):-1] if term.startswith(_SKOLEM_TERM) else term


def _deskolemized(document: Mapping[str, Any] | list[Any], *,
                  document_loader: DocumentLoader) -> set[rdfc.Quad]:
    """*toDeskolemizedNQuads*: the dataset of a skolemized document, blank nodes restored."""
    expanded = (document if isinstance(document, list)
                else jsonld_expand(document, document_loader=document_loader))
    return deskolemize(jsonld_to_rdf(expanded))


# --- selection --------------------------------------------------------------------------------

_ESCAPE: Final = re.compile(r"~(.?)")
_INDEX: Final = re.compile(r"0|[1-9][0-9]*")


def pointer_paths(pointer: str) -> list[str]:
    """*jsonPointerToPaths*: the reference tokens of a JSON pointer (RFC 6901 §3, §4), ``~1``
    and ``~0`` unescaped. ``""`` (the whole document) has none."""
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise MalformedCredentialError(
            code="proof.selective_disclosure.not_a_pointer", params={"pointer": repr(pointer)},
            problems=[Problem(str(pointer),
                              code="proof.selective_disclosure.problem.not_a_pointer")])

    def unescape(match: re.Match[str]) -> str:
        if match[1] not in ("0", "1"):
            raise MalformedCredentialError(
                code="proof.selective_disclosure.bad_escape",
                params={"pointer": repr(pointer), "escape": f"~{match[1]}"},
                problems=[Problem(pointer, code="proof.selective_disclosure.problem.escapes")])
        return "~" if match[1] == "0" else "/"

    return [_ESCAPE.sub(unescape, path) for path in pointer.split("/")[1:]]


class _Sparse(dict[int, Any]):
    """An array of a selection being built: the selected items by index, made dense last."""


def select_json_ld(document: Mapping[str, Any], pointers: Sequence[str]
                   ) -> dict[str, Any] | None:
    """*selectJsonLd*: the part of a compact JSON-LD document that ``pointers`` select, with
    the ``@context``, and the ``id`` (unless a blank node) and ``type`` of every object on the
    way to a selected value; ``None`` when there are no pointers.

    A pointer that does not reach a value of the document is refused
    (:class:`~credstack.errors.MalformedCredentialError`, PROOF_GENERATION_ERROR).
    """
    if not pointers:
        return None
    selection: dict[str, Any] = {}
    if "@context" in document:
        selection["@context"] = copy.deepcopy(document["@context"])
    selection.update(_initial_selection(document))
    for pointer in pointers:
        paths = pointer_paths(pointer)
        if not paths:
            return copy.deepcopy(dict(document))
        _select_paths(document, pointer, paths, selection)
    dense = _dense(selection)
    assert isinstance(dense, dict)
    return dense


def _initial_selection(source: Mapping[str, Any]) -> dict[str, Any]:
    """*createInitialSelection*."""
    selection: dict[str, Any] = {}
    identifier = source.get("id")
    if isinstance(identifier, str) and not identifier.startswith("_:"):
        selection["id"] = identifier
    if source.get("type"):
        selection["type"] = copy.deepcopy(source["type"])
    return selection


def _select_paths(document: Mapping[str, Any], pointer: str, paths: list[str],
                  selection: dict[str, Any]) -> None:
    """*selectPaths*: walk from the root to the pointer's value, building the selection."""
    value: Any = document
    selected_parent: Any = selection
    selected_value: Any = selection
    key: str | int = ""
    for path in paths:
        selected_parent = selected_value
        key = _key(value, path, pointer)
        value = value[key]
        selected_value = _get(selected_parent, key)
        if selected_value is None:
            selected_value = (_Sparse() if isinstance(value, list) else
                              _initial_selection(value) if isinstance(value, dict) else None)
            selected_parent[key] = selected_value
    if isinstance(value, list):
        selected_value = copy.deepcopy(value)
    elif isinstance(value, dict):
        selected_value = {**selected_value, **copy.deepcopy(value)}
    else:
        selected_value = value
    selected_parent[key] = selected_value


def _key(container: Any, path: str, pointer: str) -> str | int:
    """The key ``path`` names in ``container``: an index into an array, a name in an object."""
    if isinstance(container, list) and _INDEX.fullmatch(path) and int(path) < len(container):
        return int(path)
    if isinstance(container, dict) and path in container:
        return path
    raise MalformedCredentialError(
        code="proof.selective_disclosure.unmatched", params={"pointer": repr(pointer)},
        problems=[Problem(pointer, code="proof.selective_disclosure.problem.no_value",
                          params={"path": repr(path)})])


def _get(container: Any, key: str | int) -> Any:
    if isinstance(container, list):
        return container[key] if isinstance(key, int) else None
    return container.get(key)


def _dense(value: Any) -> Any:
    """The selection with every sparse array made dense, its items in their order."""
    if isinstance(value, _Sparse):
        return [_dense(value[index]) for index in sorted(value)]
    if isinstance(value, dict):
        return {name: _dense(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_dense(item) for item in value]
    return value


# --- grouping ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Group:
    """The canonical statements one list of pointers selects, by index, and those it does not;
    with the selection's own (deskolemized) dataset."""

    matching: dict[int, str]
    non_matching: dict[int, str]
    deskolemized: set[rdfc.Quad]


@dataclass(frozen=True, slots=True)
class Grouping:
    """What :func:`canonicalize_and_group` gives: each named group, the label map (blank node
    term → new term) and every canonical statement, in order."""

    groups: dict[str, Group]
    label_map: dict[str, str]
    nquads: list[str]


def canonicalize_and_group(document: Mapping[str, Any], labels: LabelMapFactory,
                           groups: Mapping[str, Sequence[str]], *,
                           document_loader: DocumentLoader) -> Grouping:
    """*canonicalizeAndGroup*: canonicalize a compact document with ``labels``, and sort its
    canonical statements into those each group's pointers select and the others."""
    if not isinstance(document, Mapping) or "@context" not in document:
        raise MalformedCredentialError(code="proof.selective_disclosure.not_json_ld")
    expanded = skolemize(jsonld_expand(document, document_loader=document_loader))
    compact = jsonld_compact(expanded, document["@context"], document_loader=document_loader)
    nquads, label_map = label_replacement_canonicalize(
        _deskolemized(expanded, document_loader=document_loader), labels)
    result = {}
    for name, pointers in groups.items():
        selection = select_json_ld(compact, pointers)
        deskolemized = (set() if selection is None
                        else _deskolemized(selection, document_loader=document_loader))
        selected = set(rdfc.nquads(deskolemized, label_map))
        matching: dict[int, str] = {}
        non_matching: dict[int, str] = {}
        for index, nquad in enumerate(nquads):
            (matching if nquad in selected else non_matching)[index] = nquad
        result[name] = Group(matching, non_matching, deskolemized)
    return Grouping(result, label_map, nquads)
