"""Skill standards written as compact YAML, made into CASE packages on this server.

Japanese skill standards (デジタルスキル標準, ITSS, the Japan Foundation's JF standard …) are
published as documents and spreadsheets, not as CASE. credstack keeps such a standard as a
short YAML outline (``core/skills/outlines/*.yaml``: codes, names in Japanese and English,
children), and :func:`standard_package` turns it into a CASE 1.1 package whose identifiers
are stable (a UUID v5 of the standard and the item's code, so importing twice gives the same
identifiers) and whose URIs are on *this* server —
``{base}/ims/case/v1p1/CFItems/{identifier}`` — because credstack is the one publishing the
CASE form: an Open Badges alignment's ``targetUrl`` then resolves here, to the item's JSON
or its page. The hierarchy becomes ``isChildOf`` associations; the names' two languages
become the label layer's first labels.

An operator writes a new standard in the same form and imports it with
``credstack skills standard import FILE`` (or a CASE package with ``skills import``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import yaml

from credstack.core import yamltext
from credstack.core.creditbank.positions import pointer
from credstack.core.said import Said
from credstack.core.skills.case import CFPackage, parse_package
from credstack.errors import FrameworkError, Problem

__all__ = ["BUNDLED", "Standard", "bundled_notes", "bundled_standard", "bundled_title",
           "read_standard", "standard_package"]

#: Standards shipped with credstack, by id.
BUNDLED: Final = ("dss",)
_NAMESPACE: Final = uuid.UUID("9f1b2c1e-6a57-5d4e-9c3e-2f0e51c0d7a1")


@dataclass(frozen=True, slots=True)
class Standard:
    """A standard's outline: id, title, creator, version, source and item tree."""

    id: str
    title: Mapping[str, str]
    creator: str
    version: str
    source: str
    changed: str
    items: tuple[Mapping[str, Any], ...]


#: The message keys of a standard's faults (``workspace.framework.standard.required`` …).
_FAULT: Final = "workspace.framework.standard."


def _fault(where: str, fault: str, source: str, **params: object) -> FrameworkError:
    """The refusal of a standard for one fault (a message key of :data:`_FAULT` and its
    values, for the entrypoint to word), placed ``source where``."""
    place = f"{source} {where}"
    said = Said(f"{_FAULT}{fault}", **params)
    return FrameworkError(code=f"{_FAULT}refused", params={"place": place, "fault": said},
                          problems=[Problem(place, code=said.key, params=said.params)])


def _anything(node: yaml.Node) -> None:
    """Any YAML document is read; what it holds is checked once it is data."""


def read_standard(text: str, *, source: str = "<standard>") -> Standard:
    """A standard's outline from its YAML ``text``."""
    try:
        _, data = yamltext.load_checked(text, _anything)
    except yaml.YAMLError as exc:
        raise _fault("/", "not_yaml", source, detail=str(exc)) from None
    if not isinstance(data, dict):
        raise _fault("/", "not_mapping", source)
    for key in ("id", "title", "creator", "version", "source", "changed", "items"):
        if key not in data:
            raise _fault(pointer(key), "required", source, key=key)
    title = data["title"]
    if not isinstance(title, dict) or "ja" not in title:
        raise _fault("/title", "title", source)
    codes: set[str] = set()
    for where, item in _walk(data["items"], "/items"):
        if not isinstance(item, dict) or not isinstance(item.get("code"), str) \
                or not isinstance(item.get("name"), dict) or "ja" not in item["name"]:
            raise _fault(where, "item", source)
        if any(not isinstance(tag, str) or not 2 <= len(tag) <= 8 for tag in item["name"]):
            raise _fault(f"{where}/name", "name_keys", source)
        keywords = item.get("keywords", {})
        if not isinstance(keywords, dict) or any(
                not isinstance(words, list) or not all(isinstance(w, str) for w in words)
                for words in keywords.values()):
            raise _fault(f"{where}/keywords", "keywords", source)
        if item["code"] in codes:
            raise _fault(f"{where}/code", "duplicate", source, code=item["code"])
        codes.add(item["code"])
    return Standard(str(data["id"]), {k: str(v) for k, v in title.items()},
                    str(data["creator"]), str(data["version"]), str(data["source"]),
                    str(data["changed"]), tuple(data["items"]))


def _walk(items: Any, where: str) -> Iterator[tuple[str, Any]]:
    if not isinstance(items, list):
        yield where, None
        return
    for index, item in enumerate(items):
        here = f"{where}/{index}"
        yield here, item
        if isinstance(item, dict) and "children" in item:
            yield from _walk(item["children"], f"{here}/children")


def bundled_standard(name: str) -> Standard:
    """One of the :data:`BUNDLED` standards."""
    text = resources.files("credstack.core.skills").joinpath(
        f"outlines/{name}.yaml").read_text(encoding="utf-8")
    return read_standard(text, source=f"{name}.yaml")


def _document_id(standard_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, standard_id))


@cache
def _bundled_titles() -> dict[str, Mapping[str, str]]:
    return {_document_id(name): bundled_standard(name).title for name in BUNDLED}


def bundled_title(framework_identifier: str, language: str) -> tuple[str, str] | None:
    """(language tag, title) of the bundled standard published under
    ``framework_identifier`` (a CASE document has one title, the Japanese; the outline has
    both): in ``language`` when the outline has it, else in English; ``None`` for any other
    framework."""
    titles = _bundled_titles().get(framework_identifier)
    return _in(titles, language) if titles else None


def _notes(title: Mapping[str, str]) -> dict[str, str]:
    return {"ja": (f"{title['ja']}。credstack のために公開されている標準から書き写したものです。"
                   "引用する前に原典と照らし合わせてください。"),
            "en": (f"{title.get('en', '')}. Transcribed for credstack from the published "
                   "standard; compare with the source before quoting it.")}


def bundled_notes(framework_identifier: str, language: str) -> tuple[str, str] | None:
    """(language tag, text) of what the CASE document's ``notes`` say of a bundled
    standard: in ``language`` when written in it (Japanese, English), else in English;
    ``None`` for any other framework."""
    titles = _bundled_titles().get(framework_identifier)
    return _in(_notes(titles), language) if titles else None


def _in(texts: Mapping[str, str], language: str) -> tuple[str, str]:
    """(tag, text) of ``texts`` in ``language``, else English, else Japanese."""
    tag = next((tag for tag in (language, "en", "ja") if texts.get(tag)), language)
    return tag, texts.get(tag, "")


def standard_package(standard: Standard, *, base_url: str
                     ) -> tuple[CFPackage, dict[str, dict[str, str]]]:
    """The CASE package of ``standard`` with URIs under ``base_url``, and the names of its
    items by URI and language (the label layer's first labels)."""
    base = base_url.rstrip("/")
    document_id = _document_id(standard.id)
    document_uri = f"{base}/ims/case/v1p1/CFDocuments/{document_id}"
    package_link = {"title": standard.title["ja"], "identifier": document_id,
                    "uri": f"{base}/ims/case/v1p1/CFPackages/{document_id}"}
    document_link = {"title": standard.title["ja"], "identifier": document_id,
                     "uri": document_uri}
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    labels: dict[str, dict[str, str]] = {}

    def add(entry: Mapping[str, Any], parent: dict[str, str], sequence: int) -> None:
        identifier = str(uuid.uuid5(_NAMESPACE, f"{standard.id}/{entry['code']}"))
        uri = f"{base}/ims/case/v1p1/CFItems/{identifier}"
        name = {str(k): str(v) for k, v in entry["name"].items()}
        made: dict[str, Any] = {
            "identifier": identifier, "uri": uri, "fullStatement": name["ja"],
            "abbreviatedStatement": name["ja"], "humanCodingScheme": entry["code"],
            "language": "ja", "lastChangeDateTime": standard.changed,
            "CFDocumentURI": document_link}
        keywords = [str(word) for words in (entry.get("keywords") or {}).values()
                    for word in words]
        if keywords:
            made["conceptKeywords"] = keywords
        items.append(made)
        labels[uri] = name
        association_id = str(uuid.uuid5(_NAMESPACE, f"{standard.id}/{entry['code']}/parent"))
        associations.append({
            "identifier": association_id,
            "uri": f"{base}/ims/case/v1p1/CFAssociations/{association_id}",
            "associationType": "isChildOf", "sequenceNumber": sequence,
            "originNodeURI": {"title": name["ja"], "identifier": identifier, "uri": uri},
            "destinationNodeURI": parent, "lastChangeDateTime": standard.changed,
            "CFDocumentURI": document_link})
        link = {"title": name["ja"], "identifier": identifier, "uri": uri}
        for number, child in enumerate(entry.get("children") or (), start=1):
            add(child, link, number)

    for number, entry in enumerate(standard.items, start=1):
        add(entry, document_link, number)
    document = {
        "identifier": document_id, "uri": document_uri, "creator": standard.creator,
        "title": standard.title["ja"], "version": standard.version, "language": "ja",
        "officialSourceURL": standard.source, "adoptionStatus": "Adopted",
        "notes": _notes(standard.title)["en"],
        "lastChangeDateTime": standard.changed, "CFPackageURI": package_link}
    package = parse_package({"CFDocument": document, "CFItems": items,
                             "CFAssociations": associations}, source=standard.id)
    return package, labels
