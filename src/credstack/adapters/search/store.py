"""Reading what the index needs from the programme store (SQLite or PostgreSQL).

The index holds the newest *published* version of every programme. Documents are read as the
stored JSON text and decoded with orjson (the store validated them when they were written;
see :mod:`credstack.core.registry.documents`), in programme order, streamed in batches so a
million of them never sit in memory at once. Their numbers — their places in publication
order — come from a first, narrow query of (programme, published at) pairs.

A version a recognition body's recognition holds for (``recognitions``, issue 6) has the
``recognition`` facet value ``recognised``; the store generation counts grants and
withdrawals, so another process's decision makes the index rebuild. A recognition that
expires later keeps the value until the programme is indexed again (the programme page and
verification judge expiry at the time they are asked).

The framework items a programme's outcomes are aligned to (issue 17), with every broader
item, are its ``skill`` facet values; alignments, framework imports and label edits move the
store generation too.

A programme the operator hid (issue 41: its page shows only the public reason) is not in the
index at all; the hidings' count and latest time are part of the store generation, so another
process's hiding or showing again makes the index rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, Final

import orjson
from sqlalchemy import Text, and_, cast, exists, func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import recognitions as recognition_store
from credstack.adapters.db.repositories import skills as skill_store
from credstack.adapters.db.tables import (
    OrganisationRow,
    ProgrammeHidingRow,
    ProgrammeRow,
    ProgrammeVersionRow,
)
from credstack.adapters.search.builder import IndexBuilder
from credstack.adapters.search.index import IndexData, StoreGeneration
from credstack.core.registry.documents import (
    IndexDocument,
    ProfileConformance,
    Provider,
    index_document,
    recognised_versions,
)

__all__ = ["build_from_store", "document_for", "store_generation", "with_recognition_change"]

_PUBLISHED: Final = "published"
#: Rows fetched per round trip while streaming documents.
_BATCH: Final = 2000

#: How the operator's hidings are written after the organisations' stamp.
_HIDDEN: Final = "|hidden:"
#: How the recognitions' changes are written after the organisations' stamp (and hidings).
_RECOGNITIONS: Final = "|recognitions:"
#: How the skills' changes (alignments, frameworks, labels; issue 17) are written after it.
_SKILLS: Final = "|skills:"

#: Told how far a build has got: (documents done, documents in all).
BuildProgress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    del done, total


def store_generation(session: Session) -> StoreGeneration:
    """The store's state as the index sees it: published versions, organisations and
    recognition decisions (grants plus withdrawals, written after the organisations' latest
    change once there is one)."""
    published = session.scalar(select(func.count()).select_from(ProgrammeVersionRow)
                               .where(ProgrammeVersionRow.status == _PUBLISHED)) or 0
    organisations, changed = session.execute(
        select(func.count(), func.max(OrganisationRow.updated_at))
        .select_from(OrganisationRow)).one()
    hidden, hidden_at = session.execute(select(func.count(), func.max(
        ProgrammeHidingRow.hidden_at)).select_from(ProgrammeHidingRow)).one()
    decisions = recognition_store.change_count(session)
    skills = skill_store.change_stamp(session)
    stamp = _stamp(changed) + (f"{_HIDDEN}{hidden}@{_stamp(hidden_at)}" if hidden else "") + (
        f"{_RECOGNITIONS}{decisions}" if decisions else "") + (
        f"{_SKILLS}{skills}" if skills else "")
    return int(published), int(organisations or 0), stamp


def with_recognition_change(generation: StoreGeneration) -> StoreGeneration:
    """``generation`` after one more grant or withdrawal (what :func:`store_generation`
    says once it commits, if nothing else changed)."""
    published, organisations, stamp = generation
    stamp, _, skills = stamp.partition(_SKILLS)
    base, _, count = stamp.partition(_RECOGNITIONS)
    return published, organisations, f"{base}{_RECOGNITIONS}{int(count or 0) + 1}" + (
        f"{_SKILLS}{skills}" if skills else "")


def _stamp(value: Any) -> str:
    if isinstance(value, dt.datetime):
        moment: dt.datetime = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC).isoformat()
    return "" if value is None else f"{value}"


def _providers(session: Session) -> dict[int, Provider]:
    rows = session.execute(select(OrganisationRow.id, OrganisationRow.slug,
                                  OrganisationRow.kind, OrganisationRow.name))
    return {oid: Provider(slug, kind, dict(name or {})) for oid, slug, kind, name in rows}


def _not_hidden() -> Any:
    """The programme of the version row is not hidden by the operator."""
    return ~exists().where(ProgrammeHidingRow.programme_id == ProgrammeVersionRow.programme_id)


def _newest_published() -> Any:
    return (select(ProgrammeVersionRow.programme_id,
                   func.max(ProgrammeVersionRow.version).label("version"))
            .where(ProgrammeVersionRow.status == _PUBLISHED, _not_hidden())
            .group_by(ProgrammeVersionRow.programme_id).subquery("newest"))


def _numbers(session: Session) -> dict[int, int]:
    """Programme id → document number, in publication order (then programme id)."""
    newest = _newest_published()
    rows = sorted(session.execute(
        select(ProgrammeVersionRow.programme_id, ProgrammeVersionRow.published_at)
        .join(newest, and_(newest.c.programme_id == ProgrammeVersionRow.programme_id,
                           newest.c.version == ProgrammeVersionRow.version))),
        key=lambda row: (_stamp(row[1]), row[0]))
    return {programme_id: number for number, (programme_id, _) in enumerate(rows)}


def _documents(session: Session, programme_id: int | None = None
               ) -> Iterator[tuple[int, int, int, Any]]:
    """(programme id, version, organisation id, JSON text) of newest published versions."""
    columns = (ProgrammeVersionRow.programme_id, ProgrammeVersionRow.version,
               ProgrammeRow.organisation_id, cast(ProgrammeVersionRow.descriptors, Text))
    if programme_id is not None:
        # One programme: its newest published version by a direct lookup, not a GROUP BY
        # over every version in the store.
        newest_version = (select(func.max(ProgrammeVersionRow.version))
                          .where(ProgrammeVersionRow.programme_id == programme_id,
                                 ProgrammeVersionRow.status == _PUBLISHED)
                          .scalar_subquery())
        query = (select(*columns)
                 .join(ProgrammeRow, ProgrammeRow.id == ProgrammeVersionRow.programme_id)
                 .where(ProgrammeVersionRow.programme_id == programme_id,
                        ProgrammeVersionRow.version == newest_version, _not_hidden()))
        for row in session.execute(query):
            yield row[0], row[1], row[2], row[3]
        return
    newest = _newest_published()
    query = (select(*columns)
             .join(newest, and_(newest.c.programme_id == ProgrammeVersionRow.programme_id,
                                newest.c.version == ProgrammeVersionRow.version))
             .join(ProgrammeRow, ProgrammeRow.id == ProgrammeVersionRow.programme_id)
             .order_by(ProgrammeVersionRow.programme_id))
    for row in session.execute(query.execution_options(yield_per=_BATCH)):
        yield row[0], row[1], row[2], row[3]


def _decode(text: Any) -> Any:
    return orjson.loads(text) if isinstance(text, str | bytes) else text


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else dt.datetime.now(dt.UTC)


def build_from_store(session: Session, *, secret: bytes,
                     progress: BuildProgress = _no_progress,
                     conformance: ProfileConformance | None = None,
                     now: dt.datetime | None = None) -> IndexData:
    """A fresh index of the store's newest published versions (recognitions as at ``now``,
    by default the current time)."""
    generation = store_generation(session)
    recognised = recognition_store.valid_programme_versions(session, now=_now(now))
    aligned = skill_store.indexed_skills(session)
    providers = _providers(session)
    numbers = _numbers(session)
    total = len(numbers)
    progress(0, total)
    builder = IndexBuilder(total, store_generation=generation, secret=secret)
    judge = conformance or ProfileConformance()
    done = 0
    for programme_id, version, organisation_id, text in _documents(session):
        number = numbers.get(programme_id)
        if number is None:
            continue  # Published after the numbering; the next check rebuilds.
        builder.add(number, index_document(
            _decode(text), programme_id=programme_id, version=version,
            provider=providers.get(organisation_id, Provider("", "", {})),
            conformance=judge, recognition=recognised_versions(recognised, version),
            skills=aligned.get(programme_id, ())))
        done += 1
        if done % 10_000 == 0:
            progress(done, total)
    progress(total, total)
    return builder.build()


def document_for(session: Session, programme_id: int,
                 conformance: ProfileConformance | None = None,
                 now: dt.datetime | None = None) -> IndexDocument | None:
    """The index document of one programme's newest published version (None if it has none,
    or the operator hid it)."""
    for found_id, version, organisation_id, text in _documents(session, programme_id):
        provider = _providers_one(session, organisation_id)
        recognised = recognition_store.valid_programme_versions(
            session, now=_now(now), programme_ids=[found_id])
        aligned = skill_store.indexed_skills(session, [found_id])
        return index_document(_decode(text), programme_id=found_id, version=version,
                              provider=provider,
                              conformance=conformance or ProfileConformance(),
                              recognition=recognised_versions(recognised, version),
                              skills=aligned.get(found_id, ()))
    return None


def _providers_one(session: Session, organisation_id: int) -> Provider:
    row = session.execute(select(OrganisationRow.slug, OrganisationRow.kind,
                                 OrganisationRow.name)
                          .where(OrganisationRow.id == organisation_id)).first()
    if row is None:
        return Provider("", "", {})
    slug, kind, name = row
    return Provider(slug, kind, dict(name or {}))
