"""Competency frameworks as imported (CASE documents, items, associations) and the label
layer over their items (tables in :mod:`credstack.adapters.db.tables.skills`).

A framework comes back as :class:`StoredFramework`, an item with its framework as
:class:`StoredItem`; what a CASE package holds is kept as received (its JSON text), so that
it is given back exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.skills import (
    SkillAssociationRow,
    SkillFrameworkRow,
    SkillItemRow,
    SkillLabelRow,
)
from credstack.adapters.db.times import utc
from credstack.core.skills.standards import bundled_notes, bundled_title

__all__ = ["StoredFramework", "StoredItem", "add_labels", "association_raw", "clashes",
           "framework", "frameworks", "generation", "item_by_key", "item_raw", "items",
           "label_pairs", "labels", "package_parts", "rankable_items", "set_label",
           "write_framework"]

_BATCH = 2000


@dataclass(frozen=True, slots=True)
class StoredFramework:
    """A framework's CFDocument as imported, and when, from where, by whom."""

    id: int
    identifier: str
    uri: str
    title: str
    creator: str
    kind: str
    source: str
    #: The CFDocument's JSON, and the package's other keys (in their order) as JSON.
    document: str
    extra: str
    digest: str
    items: int
    imported_at: dt.datetime
    #: The CFDocument's notes, as it states them.
    notes: str | None

    def named(self, language: str) -> tuple[str | None, str]:
        """(language tag, title): a bundled standard's in ``language``, else in English;
        any other framework's as it states it, in a language not known (``None``)."""
        return bundled_title(self.identifier, language) or (None, self.title)

    def name(self, language: str) -> str:
        """The title as :meth:`named` chooses it."""
        return self.named(language)[1]

    def notes_in(self, language: str) -> tuple[str | None, str] | None:
        """(language tag, notes): a bundled standard's in ``language``, else in English;
        any other framework's as it states them (``None`` for the tag); ``None`` without
        notes."""
        return bundled_notes(self.identifier, language) or (
            (None, self.notes) if self.notes else None)

    def to_dict(self) -> dict[str, Any]:
        return {"identifier": self.identifier, "uri": self.uri, "title": self.title,
                "creator": self.creator, "kind": self.kind, "source": self.source,
                "items": self.items, "imported_at": self.imported_at.isoformat(),
                "notes": self.notes}


@dataclass(frozen=True, slots=True)
class StoredItem:
    """A framework item (its CFItem's JSON in ``raw``) and the framework holding it."""

    identifier: str
    uri: str
    code: str | None
    label: str
    language: str | None
    raw: str
    framework: str
    framework_title: str
    framework_kind: str


def _framework(row: SkillFrameworkRow) -> StoredFramework:
    notes = orjson.loads(row.document).get("notes")
    return StoredFramework(row.id, row.identifier, row.uri, row.title, row.creator, row.kind,
                           row.source, row.document, row.extra, row.digest, row.items,
                           utc(row.imported_at), notes if isinstance(notes, str) else None)


def _items(session: Session, *conditions: Any, limit: int | None = None) -> list[StoredItem]:
    query = select(SkillItemRow, SkillFrameworkRow).join(
        SkillFrameworkRow, SkillFrameworkRow.id == SkillItemRow.framework_id).where(*conditions)
    return [StoredItem(row.identifier, row.uri, row.code, row.label, row.language, row.raw,
                       framework.identifier, framework.title, framework.kind)
            for row, framework in session.execute(query.limit(limit))]


# --- frameworks ------------------------------------------------------------------------


def framework(session: Session, identifier: str) -> StoredFramework | None:
    """The framework whose CFDocument identifier is ``identifier``; None for none."""
    row = session.scalar(select(SkillFrameworkRow).where(
        SkillFrameworkRow.identifier == identifier))
    return None if row is None else _framework(row)


def frameworks(session: Session) -> list[StoredFramework]:
    """Every framework, by title."""
    return [_framework(row) for row in session.scalars(
        select(SkillFrameworkRow).order_by(SkillFrameworkRow.title))]


def package_parts(session: Session, framework_id: int) -> tuple[list[str], list[str]]:
    """The JSON of the framework's CFItems and of its CFAssociations, in the package's
    order."""
    items = session.scalars(select(SkillItemRow.raw).where(
        SkillItemRow.framework_id == framework_id).order_by(SkillItemRow.position)).all()
    associations = session.scalars(select(SkillAssociationRow.raw).where(
        SkillAssociationRow.framework_id == framework_id)
        .order_by(SkillAssociationRow.position)).all()
    return list(items), list(associations)


def clashes(session: Session, identifiers: Sequence[str], framework_id: int | None
            ) -> list[tuple[str, str]]:
    """(identifier, framework title) of the items among ``identifiers`` that a framework
    other than ``framework_id`` holds."""
    found: list[tuple[str, str]] = []
    for start in range(0, len(identifiers), _BATCH):
        found.extend((identifier, title) for identifier, title in session.execute(
            select(SkillItemRow.identifier, SkillFrameworkRow.title)
            .join(SkillFrameworkRow, SkillFrameworkRow.id == SkillItemRow.framework_id)
            .where(SkillItemRow.identifier.in_(identifiers[start:start + _BATCH]),
                   SkillItemRow.framework_id != (framework_id or -1))))
    return found


def write_framework(session: Session, *, identifier: str, values: Mapping[str, Any],
                    items: Sequence[Mapping[str, Any]],
                    associations: Sequence[Mapping[str, Any]]) -> int:
    """Store the framework ``identifier`` with the columns ``values``, its items and its
    associations (each a mapping of columns but ``framework_id``), replacing the items and
    associations it had; its id."""
    row = session.scalar(select(SkillFrameworkRow).where(
        SkillFrameworkRow.identifier == identifier))
    if row is None:
        row = SkillFrameworkRow(identifier=identifier)
        session.add(row)
    else:
        session.execute(delete(SkillItemRow).where(SkillItemRow.framework_id == row.id))
        session.execute(delete(SkillAssociationRow).where(
            SkillAssociationRow.framework_id == row.id))
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    for table, rows in ((SkillItemRow, items), (SkillAssociationRow, associations)):
        for start in range(0, len(rows), _BATCH):
            session.execute(insert(table), [{**values_, "framework_id": row.id}
                                            for values_ in rows[start:start + _BATCH]])
    return row.id


def generation(session: Session) -> tuple[str, ...]:
    """What changes whenever a framework is imported or a label edited."""
    frameworks_ = session.execute(select(func.count(), func.max(SkillFrameworkRow.imported_at),
                                         func.sum(SkillFrameworkRow.items))).one()
    labels_ = session.execute(select(func.count(), func.max(SkillLabelRow.updated_at))).one()
    return tuple(str(value) for value in (*frameworks_, *labels_))


# --- items and associations ---------------------------------------------------------------


def items(session: Session, uris: Sequence[str]) -> list[StoredItem]:
    """The items among ``uris`` that a framework holds."""
    found: list[StoredItem] = []
    for start in range(0, len(uris), _BATCH):
        found.extend(_items(session, SkillItemRow.uri.in_(uris[start:start + _BATCH])))
    return found


def item_by_key(session: Session, key: str) -> StoredItem | None:
    """The item whose identifier or URI is ``key``; None for none."""
    found = _items(session, or_(SkillItemRow.identifier == key, SkillItemRow.uri == key),
                   limit=1)
    return found[0] if found else None


def item_raw(session: Session, identifier: str) -> str | None:
    """The CFItem ``identifier``'s JSON as imported; None for none."""
    return session.scalar(select(SkillItemRow.raw).where(SkillItemRow.identifier == identifier))


def association_raw(session: Session, identifier: str) -> str | None:
    """The CFAssociation ``identifier``'s JSON as imported; None for none."""
    return session.scalar(select(SkillAssociationRow.raw).where(
        SkillAssociationRow.identifier == identifier))


def rankable_items(session: Session) -> Iterator[tuple[str, str, str]]:
    """(URI, label, CFItem JSON) of every item but occupations, in import order."""
    rows = session.execute(
        select(SkillItemRow.uri, SkillItemRow.label, SkillItemRow.raw)
        .where(SkillItemRow.raw.not_like('%"CFItemType":"Occupation"%'))
        .order_by(SkillItemRow.id).execution_options(yield_per=_BATCH))
    return ((uri, label, raw) for uri, label, raw in rows)


# --- the label layer ----------------------------------------------------------------------


def labels(session: Session, uris: Sequence[str]) -> dict[str, dict[str, str]]:
    """Item URI → language → the label layer's name, for the items among ``uris``."""
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(uris), _BATCH):
        for uri, language, label in session.execute(
                select(SkillLabelRow.item_uri, SkillLabelRow.language, SkillLabelRow.label)
                .where(SkillLabelRow.item_uri.in_(uris[start:start + _BATCH]))):
            found.setdefault(uri, {})[language] = label
    return found


def label_pairs(session: Session) -> list[tuple[str, str]]:
    """(item URI, label) of every name of the label layer."""
    return [(uri, label) for uri, label in session.execute(
        select(SkillLabelRow.item_uri, SkillLabelRow.label))]


def set_label(session: Session, *, uri: str, language: str, label: str, by: str,
              at: dt.datetime) -> str | None:
    """Name the item ``uri`` ``label`` in ``language`` (an empty label removes the layer's
    name); the name it had."""
    row = session.scalar(select(SkillLabelRow).where(
        SkillLabelRow.item_uri == uri, SkillLabelRow.language == language))
    before = row.label if row is not None else None
    if not label and row is not None:
        session.delete(row)
    elif label and row is None:
        session.add(SkillLabelRow(item_uri=uri, language=language, label=label, updated_by=by,
                                  updated_at=at))
    elif label and row is not None:
        row.label, row.updated_by, row.updated_at = label, by, at
    return before


def add_labels(session: Session, labels_: Mapping[str, Mapping[str, str]], *, by: str,
               at: dt.datetime) -> int:
    """Labels (item URI → language → label) for the items that have none in that language
    yet (an operator's edit stays); how many were added."""
    if not labels_:
        return 0
    existing = {(uri, language) for uri, language in session.execute(
        select(SkillLabelRow.item_uri, SkillLabelRow.language).where(
            SkillLabelRow.item_uri.in_(list(labels_))))}
    rows = [{"item_uri": uri, "language": language, "label": text[:1000],
             "updated_by": by, "updated_at": at}
            for uri, names in labels_.items() for language, text in names.items()
            if (uri, language) not in existing and text]
    if rows:
        session.execute(insert(SkillLabelRow), rows)
    return len(rows)
