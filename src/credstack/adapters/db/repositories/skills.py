"""Reading what the registry index needs of skills: alignments, the hierarchy, names.

The registry's search index (``adapters/search/store.py``) is built from the store without
the services; these queries give it, per programme, the framework items its outcomes are
confirmed to align to and every item broader than those (``isChildOf``, across frameworks),
with their names (the label layer's, else the framework's own), and a stamp that moves with
every alignment, import and label change, so a changed store is indexed again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.skill_frameworks import labels
from credstack.adapters.db.tables.skills import (
    SkillAlignmentRow,
    SkillAssociationRow,
    SkillFrameworkRow,
    SkillItemRow,
    SkillLabelRow,
)
from credstack.core.registry.documents import IndexedSkill
from credstack.core.skills.hierarchy import ancestors

__all__ = ["AlignedItem", "AlignmentRecord", "aligned", "aligned_items", "alignment_records",
           "change_stamp", "decide_alignment", "delete_alignment", "indexed_skills", "names",
           "parents"]

_BATCH = 2000


def aligned(session: Session, programme_ids: Iterable[int] | None = None
            ) -> dict[int, tuple[str, ...]]:
    """Programme id → the URIs of its confirmed alignments (all programmes when None)."""
    query = select(SkillAlignmentRow.programme_id, SkillAlignmentRow.item_uri).where(
        SkillAlignmentRow.state == "confirmed")
    if programme_ids is not None:
        query = query.where(SkillAlignmentRow.programme_id.in_(list(programme_ids)))
    found: dict[int, list[str]] = {}
    for programme_id, uri in session.execute(query.order_by(SkillAlignmentRow.id)):
        found.setdefault(programme_id, []).append(uri)
    return {key: tuple(dict.fromkeys(uris)) for key, uris in found.items()}


def parents(session: Session) -> dict[str, tuple[str, ...]]:
    """Item URI → the URIs it is a child of, every framework's ``isChildOf``."""
    found: dict[str, list[str]] = {}
    for child, parent in session.execute(
            select(SkillAssociationRow.origin_uri, SkillAssociationRow.destination_uri)
            .where(SkillAssociationRow.association_type == "isChildOf")
            .order_by(SkillAssociationRow.framework_id, SkillAssociationRow.position)):
        found.setdefault(child, []).append(parent)
    return {child: tuple(dict.fromkeys(parents)) for child, parents in found.items()}


def names(session: Session, uris: Sequence[str]) -> dict[str, dict[str, str]]:
    """The names of the items (and framework documents) among ``uris``, by language."""
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(uris), _BATCH):
        part = list(uris[start:start + _BATCH])
        for uri, label, language in session.execute(
                select(SkillItemRow.uri, SkillItemRow.label, SkillItemRow.language)
                .where(SkillItemRow.uri.in_(part))):
            found.setdefault(uri, {})[(language or "en").split("-")[0]] = label
        for uri, title, document in session.execute(
                select(SkillFrameworkRow.uri, SkillFrameworkRow.title,
                       SkillFrameworkRow.document).where(SkillFrameworkRow.uri.in_(part))):
            language = "ja" if '"language":"ja"' in document else "en"
            found.setdefault(uri, {})[language] = title
    for uri, named in labels(session, uris).items():
        found.setdefault(uri, {}).update(named)
    return found


@dataclass(frozen=True, slots=True)
class AlignedItem:
    """An item a programme is aligned to, as its credentials and CTDL state it."""

    uri: str
    names: Mapping[str, str]
    framework: str
    code: str | None


def aligned_items(session: Session, programme_id: int) -> list[AlignedItem]:
    """The items the programme's outcomes are confirmed to align to, in confirmation order
    (items no framework holds any more left out)."""
    uris = list(aligned(session, [programme_id]).get(programme_id, ()))
    if not uris:
        return []
    rows = {uri: (title, code) for uri, title, code in session.execute(
        select(SkillItemRow.uri, SkillFrameworkRow.title, SkillItemRow.code)
        .join(SkillFrameworkRow, SkillFrameworkRow.id == SkillItemRow.framework_id)
        .where(SkillItemRow.uri.in_(uris)))}
    named = names(session, uris)
    return [AlignedItem(uri, named.get(uri, {}), rows[uri][0], rows[uri][1])
            for uri in uris if uri in rows]


def indexed_skills(session: Session, programme_ids: Iterable[int] | None = None
                   ) -> dict[int, tuple[IndexedSkill, ...]]:
    """Programme id → its aligned items and every broader one, named."""
    by_programme = aligned(session, programme_ids)
    if not by_programme:
        return {}
    hierarchy = parents(session)
    broader: dict[str, tuple[str, ...]] = {}
    for uris in by_programme.values():
        for uri in uris:
            if uri not in broader:
                broader[uri] = ancestors(uri, hierarchy)
    every = list(dict.fromkeys([*broader, *(b for up in broader.values() for b in up)]))
    named = names(session, every)
    result: dict[int, tuple[IndexedSkill, ...]] = {}
    for programme_id, uris in by_programme.items():
        skills: dict[str, IndexedSkill] = {}
        for uri in uris:
            skills[uri] = IndexedSkill(uri, named.get(uri, {}), direct=True)
        for uri in uris:
            for up in broader[uri]:
                skills.setdefault(up, IndexedSkill(up, named.get(up, {}), direct=False))
        result[programme_id] = tuple(skills.values())
    return result


def _stamp(value: Any) -> str:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC).isoformat()
    return "" if value is None else str(value)


def change_stamp(session: Session) -> str:
    """Moves with every alignment, framework import and label change ('' when none)."""
    alignments = session.execute(select(func.count(), func.max(SkillAlignmentRow.decided_at),
                                        func.sum(SkillAlignmentRow.id))).one()
    frameworks = session.execute(select(func.count(),
                                        func.max(SkillFrameworkRow.imported_at))).one()
    labels = session.execute(select(func.count(), func.max(SkillLabelRow.updated_at))).one()
    values: Mapping[str, Any] = {"a": alignments, "f": frameworks, "l": labels}
    if not any(row[0] for row in values.values()):
        return ""
    return ",".join(f"{key}{row[0]}/{_stamp(row[1])}" + (f"/{row[2]}" if len(row) > 2 else "")
                    for key, row in values.items())


@dataclass(frozen=True, slots=True)
class AlignmentRecord:
    """A provider's decision about one framework item for one outcome of a programme."""

    programme_id: int
    outcome: int
    uri: str
    state: str
    score: float | None
    decided_at: dt.datetime


def alignment_records(session: Session, programme_id: int, state: str | None = None
                      ) -> list[AlignmentRecord]:
    """The programme's decided alignments (only those in ``state`` when given), by outcome
    and in the order they were first decided."""
    query = select(SkillAlignmentRow).where(SkillAlignmentRow.programme_id == programme_id)
    if state is not None:
        query = query.where(SkillAlignmentRow.state == state)
    rows = session.scalars(query.order_by(SkillAlignmentRow.outcome, SkillAlignmentRow.id))
    return [AlignmentRecord(row.programme_id, row.outcome, row.item_uri, row.state, row.score,
                            _aware(row.decided_at)) for row in rows]


def decide_alignment(session: Session, *, programme_id: int, outcome: int, uri: str,
                     state: str, score: float | None, by: str, at: dt.datetime
                     ) -> tuple[str | None, dt.datetime]:
    """Record ``state`` (confirmed or rejected) for the item ``uri`` of ``outcome``, unless
    it is already so: the state it had before (None: undecided) and when the decision now
    standing was taken."""
    row = session.scalar(select(SkillAlignmentRow).where(
        SkillAlignmentRow.programme_id == programme_id,
        SkillAlignmentRow.outcome == outcome, SkillAlignmentRow.item_uri == uri))
    if row is not None and row.state == state:
        return state, _aware(row.decided_at)
    was = row.state if row is not None else None
    if row is None:
        row = SkillAlignmentRow(programme_id=programme_id, outcome=outcome, item_uri=uri)
        session.add(row)
    row.state, row.score = state, score
    row.decided_by, row.decided_at = by, at
    return was, at


def delete_alignment(session: Session, *, programme_id: int, outcome: int, uri: str) -> bool:
    """Forget the decision about ``uri`` for ``outcome``; whether there was one."""
    removed = session.execute(delete(SkillAlignmentRow).where(
        SkillAlignmentRow.programme_id == programme_id,
        SkillAlignmentRow.outcome == outcome, SkillAlignmentRow.item_uri == uri))
    return bool(removed.rowcount)  # type: ignore[attr-defined]


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
