"""Importing competency frameworks and giving them back, exactly as received.

A framework arrives as a CASE 1.1 package (a file, an upload, the API), from ESCO's CSV files
(:mod:`.esco`) or from a skill standard's outline (:mod:`credstack.core.skills.standards`);
each is checked whole by :func:`~credstack.core.skills.case.parse_package` before anything
is written, and written in one transaction — a package with a fault, or whose identifiers
another framework already uses, leaves the store as it was. Importing a framework again
replaces its items and associations; importing the very same package again (its SHA-256
unchanged) writes nothing. Alignments and labels are keyed by item URI, so they outlive a
re-import. Every import that changes the store is audited (``skills.framework-imported``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import orjson

from credstack.adapters.db.repositories import skill_frameworks as framework_store
from credstack.adapters.db.repositories.skill_frameworks import StoredFramework
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.creditbank.positions import pointer
from credstack.core.skills.case import CFPackage, read_package
from credstack.core.skills.case_strict import strict_findings
from credstack.errors import FrameworkError, InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.words import problem_words

__all__ = [
    "MAX_PACKAGE_BYTES",
    "Imported",
    "StoredFramework",
    "document_json",
    "framework",
    "frameworks",
    "import_package",
    "import_parsed",
    "package_json",
]

#: The largest CASE package taken through the web (a national standard of 20,000 items
#: fits; ESCO is imported from its files by the command line).
MAX_PACKAGE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import did: ``created``, ``replaced`` or ``unchanged``."""

    identifier: str
    title: str
    items: int
    associations: int
    state: str
    #: What a strict CASE 1.1 validator would refuse in the package (imported all the same).
    strict_findings: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"identifier": self.identifier, "title": self.title, "items": self.items,
                "associations": self.associations, "state": self.state,
                "strict_case_1_1": [{"location": finding.location,
                                     "message": problem_words(finding, "en"),
                                     "message_ja": problem_words(finding, "ja"),
                                     "rule": finding.rule}
                                    for finding in self.strict_findings]}


def _text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _digest(package: CFPackage) -> str:
    return hashlib.sha256(orjson.dumps(package.to_json())).hexdigest()


def import_package(runtime: Runtime, *, actor: Actor, text: str | bytes,
                   source: str = "package.json") -> Imported:
    """Import the CASE package in the JSON ``text`` (a third party's: nothing rewritten),
    with what a strict CASE 1.1 validator would refuse in it (reported, not refused)."""
    actor.require(Action.SKILLS_MANAGE)
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_PACKAGE_BYTES:
        raise InputError(f"The package is over {MAX_PACKAGE_BYTES // 2**20} MiB. / "
                         f"パッケージが {MAX_PACKAGE_BYTES // 2**20} MiB を超えています。",
                         problems=[Problem(source, "too large / 大きすぎます")])
    package = read_package(text, source=source)
    done = import_parsed(runtime, actor=actor, package=package, kind="case", source=source)
    return replace(done, strict_findings=strict_findings(package.to_json()))


def _clashes(session: Session, package: CFPackage, framework_id: int | None) -> list[Problem]:
    """Items of ``package`` whose identifiers another framework already holds."""
    wanted = {item.identifier: index for index, item in enumerate(package.items)}
    return [Problem(f"{pointer('CFItems', wanted[identifier])}/identifier",
                    f"the identifier {identifier!r} belongs to the framework {title!r} "
                    f"already / 識別子 {identifier!r} は既にフレームワーク「{title}」の項目です")
            for identifier, title in framework_store.clashes(session, list(wanted),
                                                             framework_id)]


def _rows(package: CFPackage) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    by_identifier = {item.identifier.lower(): item.uri for item in package.items}
    by_identifier[package.document.identifier.lower()] = package.document.uri
    items = [{"position": position,
              "identifier": item.identifier, "uri": item.uri, "label": item.label[:1000],
              "code": (item.human_coding_scheme or None) and item.human_coding_scheme[:200],
              "language": item.language and item.language[:16], "raw": _text(item.raw)}
             for position, item in enumerate(package.items)]
    associations = [{
        "position": position,
        "identifier": association.identifier,
        "association_type": association.association_type[:100],
        "origin_uri": by_identifier.get(association.origin.identifier.lower(),
                                        association.origin.uri)[:1000],
        "destination_uri": by_identifier.get(association.destination.identifier.lower(),
                                             association.destination.uri)[:1000],
        "raw": _text(association.raw)} for position, association in
        enumerate(package.associations)]
    return items, associations


def import_parsed(runtime: Runtime, *, actor: Actor, package: CFPackage, kind: str,
                  source: str, labels: Mapping[str, Mapping[str, str]] | None = None
                  ) -> Imported:
    """Store a checked ``package`` (replacing the framework of its identifier), with first
    ``labels`` (item URI → language → label) for items that have none yet."""
    principal = actor.require(Action.SKILLS_MANAGE)
    digest = _digest(package)
    document = package.document
    now = runtime.now()
    with runtime.transaction() as session:
        row = framework_store.framework(session, document.identifier)
        if row is not None and row.digest == digest:
            return Imported(document.identifier, document.title, len(package.items),
                            len(package.associations), "unchanged")
        clashes = _clashes(session, package, row.id if row is not None else None)
        if clashes:
            raise FrameworkError(
                f"{source}: {len(clashes)} item identifier(s) belong to another framework; "
                f"nothing was imported. / 他のフレームワークの識別子と重複しています。"
                "何も取り込んでいません。", problems=clashes)
        state = "replaced" if row is not None else "created"
        extra = {key: package.extra.get(key) for key in package.key_order}
        items, associations = _rows(package)
        framework_store.write_framework(
            session, identifier=document.identifier,
            values={"uri": document.uri, "title": document.title[:1000],
                    "creator": document.creator[:1000], "kind": kind, "source": source[:300],
                    "document": _text(document.raw), "extra": _text(extra), "digest": digest,
                    "items": len(package.items), "imported_at": now,
                    "imported_by": principal.subject},
            items=items, associations=associations)
        first_labels = framework_store.add_labels(session, labels or {}, by=principal.subject,
                                                  at=now)
        audit.record(session, at=now, actor=principal.subject,
                     action="skills.framework-imported",
                     subject=f"framework:{document.identifier}",
                     details={"title": document.title, "kind": kind, "source": source,
                              "state": state, "items": len(items),
                              "associations": len(associations), "digest": digest,
                              "labels": first_labels})
    return Imported(document.identifier, document.title, len(items), len(associations), state)


def _framework(session: Session, identifier: str) -> StoredFramework:
    row = framework_store.framework(session, identifier)
    if row is None:
        raise NotFoundError(f"No framework {identifier!r}. / フレームワーク {identifier!r} は"
                            "ありません。", problems=[Problem("identifier", identifier)])
    return row


def frameworks(runtime: Runtime) -> list[StoredFramework]:
    """Every framework, by title."""
    with runtime.sessions() as session:
        return framework_store.frameworks(session)


def framework(runtime: Runtime, *, identifier: str) -> StoredFramework:
    with runtime.sessions() as session:
        return _framework(session, identifier)


def document_json(runtime: Runtime, *, identifier: str) -> bytes:
    """The CFDocument as it was imported (CASE ``getCFDocument``)."""
    with runtime.sessions() as session:
        return _framework(session, identifier).document.encode()


def package_json(runtime: Runtime, *, identifier: str) -> bytes:
    """The framework's CASE package as JSON, exactly as it was imported (every key in its
    order: CASE ``getCFPackage``)."""
    with runtime.sessions() as session:
        row = _framework(session, identifier)
        items, associations = framework_store.package_parts(session, row.id)
        document, extra = row.document, row.extra
    parts: list[str] = []
    for key, value in orjson.loads(extra).items():
        if key == "CFDocument":
            text = document
        elif key == "CFItems":
            text = f"[{','.join(items)}]"
        elif key == "CFAssociations":
            text = f"[{','.join(associations)}]"
        else:
            text = _text(value)
        parts.append(f"{_text(key)}:{text}")
    return f"{{{','.join(parts)}}}".encode()
