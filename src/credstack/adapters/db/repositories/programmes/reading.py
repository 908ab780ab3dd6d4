"""Reading programmes and their versions, drafts included, and what the public sees: each
programme's newest published version."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, aliased

from credstack.adapters.db.repositories.organisations import (
    to_organisation,
)
from credstack.adapters.db.tables import OrganisationRow, ProgrammeRow, ProgrammeVersionRow
from credstack.adapters.db.tables.creditbank import CreditTargetRow
from credstack.adapters.db.tables.recognitions import RecognitionRow
from credstack.adapters.db.tables.skills import SkillAlignmentRow, SkillFrameworkRow, SkillLabelRow
from credstack.core.descriptors import Documents, Programme
from credstack.core.descriptors.models import AwardedMicroCredential
from credstack.core.programmes import Change, Status
from credstack.errors import DescriptorError, NotFoundError, Problem

#: Rows written per INSERT batch during imports.
BATCH = 1000


@dataclass(frozen=True, slots=True)
class StoredVersion:
    version: int
    status: Status
    programme: Programme
    content_hash: str
    created_at: dt.datetime
    published_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class StoredProgramme:
    id: int
    organisation_slug: str
    code: str
    latest: StoredVersion

    @property
    def programme(self) -> Programme:
        return self.latest.programme


@dataclass(frozen=True, slots=True)
class ProgrammeChange:
    organisation: str
    code: str
    change: Change
    version: int


@dataclass(slots=True)
class ImportReport:
    dry_run: bool
    organisations_created: list[str] = field(default_factory=list)
    organisations_updated: list[str] = field(default_factory=list)
    programmes: list[ProgrammeChange] = field(default_factory=list)

    def count(self, change: Change) -> int:
        return sum(1 for item in self.programmes if item.change is change)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "organisations_created": self.organisations_created,
            "organisations_updated": self.organisations_updated,
            "programmes": {change.value: self.count(change) for change in Change},
            "changes": [
                {"organisation": c.organisation, "code": c.code, "change": c.change.value,
                 "version": c.version}
                for c in self.programmes
            ],
        }


def _serialise(programme: Programme) -> tuple[str, str]:
    """The programme's canonical JSON text and its SHA-256, which identifies the content."""
    canonical = programme.canonical_json()
    return canonical, hashlib.sha256(canonical.encode()).hexdigest()


def _storable(programme: Programme, where: str) -> str:
    """The awarding organisation's slug; a stored programme must name its awarding body."""
    if isinstance(programme, AwardedMicroCredential):
        raise DescriptorError(
            f"{where}: award data belongs to an issued credential, not to a programme.",
            problems=[Problem(f"{where}: award", "remove the award section to store the "
                              "programme")],
        )
    if programme.awarding_body is None:
        raise DescriptorError(
            f"{where}: a stored programme needs its awarding body.",
            problems=[Problem(f"{where}: awarding_body", "give awarding_body.id (the "
                              "organisation's slug) and its name")],
        )
    return programme.awarding_body.id


def _version(row: ProgrammeVersionRow) -> StoredVersion:
    return StoredVersion(row.version, Status(row.status), Programme.model_validate(row.descriptors),
                         row.content_hash, row.created_at, row.published_at)


def _latest_query() -> Any:
    return (
        select(ProgrammeRow.id, OrganisationRow.slug, ProgrammeRow.code, ProgrammeVersionRow)
        .join(OrganisationRow, OrganisationRow.id == ProgrammeRow.organisation_id)
        .join(ProgrammeVersionRow, (ProgrammeVersionRow.programme_id == ProgrammeRow.id)
              & (ProgrammeVersionRow.version == ProgrammeRow.latest_version))
    )


def get_programme(session: Session, *, programme_id: int) -> StoredProgramme:
    result = session.execute(_latest_query().where(ProgrammeRow.id == programme_id)).first()
    if result is None:
        raise NotFoundError(f"No programme with id {programme_id}.")
    pid, slug, code, version = result
    return StoredProgramme(pid, slug, code, _version(version))


def latest_content_hash(session: Session, *, programme_id: int) -> str | None:
    """The content hash of the programme's latest version (what changes with it), without
    reading the version; None for no such programme."""
    return session.scalar(select(ProgrammeVersionRow.content_hash).join(
        ProgrammeRow, (ProgrammeRow.id == ProgrammeVersionRow.programme_id)
        & (ProgrammeRow.latest_version == ProgrammeVersionRow.version)).where(
        ProgrammeRow.id == programme_id))


def find_programme(session: Session, *, organisation: str, code: str) -> StoredProgramme:
    query = _latest_query().where(OrganisationRow.slug == organisation, ProgrammeRow.code == code)
    result = session.execute(query).first()
    if result is None:
        raise NotFoundError(f"No programme {code!r} of organisation {organisation!r}.")
    pid, slug, code, version = result
    return StoredProgramme(pid, slug, code, _version(version))


@dataclass(frozen=True, slots=True)
class Page:
    items: list[StoredProgramme]
    total: int
    #: Pass as ``after`` to get the next page; None on the last page.
    next_after: int | None


def list_programmes(session: Session, *, organisation: str | None = None,
                    status: Status | None = None, limit: int = 20, after: int | None = None
                    ) -> Page:
    """A page of programmes with their newest version, by id (keyset pagination)."""
    query = _latest_query()
    count = (select(func.count()).select_from(ProgrammeRow)
             .join(OrganisationRow, OrganisationRow.id == ProgrammeRow.organisation_id))
    if organisation is not None:
        query = query.where(OrganisationRow.slug == organisation)
        count = count.where(OrganisationRow.slug == organisation)
    if status is not None:
        query = query.where(ProgrammeVersionRow.status == status.value)
        count = count.join(
            ProgrammeVersionRow,
            (ProgrammeVersionRow.programme_id == ProgrammeRow.id)
            & (ProgrammeVersionRow.version == ProgrammeRow.latest_version),
        ).where(ProgrammeVersionRow.status == status.value)
    if after is not None:
        query = query.where(ProgrammeRow.id > after)
    rows = session.execute(query.order_by(ProgrammeRow.id).limit(limit + 1)).all()
    items = [StoredProgramme(pid, slug, code, _version(v)) for pid, slug, code, v in rows[:limit]]
    next_after = items[-1].id if len(rows) > limit and items else None
    return Page(items, session.scalar(count) or 0, next_after)


def list_versions(session: Session, *, programme_id: int) -> list[StoredVersion]:
    get_programme(session, programme_id=programme_id)
    rows = session.scalars(select(ProgrammeVersionRow)
                           .where(ProgrammeVersionRow.programme_id == programme_id)
                           .order_by(ProgrammeVersionRow.version))
    return [_version(row) for row in rows]


def get_version(session: Session, *, programme_id: int, version: int) -> StoredVersion:
    row = session.scalar(select(ProgrammeVersionRow).where(
        ProgrammeVersionRow.programme_id == programme_id, ProgrammeVersionRow.version == version))
    if row is None:
        raise NotFoundError(f"Programme {programme_id} has no version {version}.")
    return _version(row)


def version_row_id(session: Session, *, programme_id: int, version: int) -> int:
    """The row id of a programme's version (what an issued credential names it by)."""
    row_id = session.scalar(select(ProgrammeVersionRow.id).where(
        ProgrammeVersionRow.programme_id == programme_id, ProgrammeVersionRow.version == version))
    if row_id is None:
        raise NotFoundError(f"Programme {programme_id} has no version {version}.")
    return row_id


def export_documents(session: Session, *, organisation: str | None = None) -> Documents:
    """The newest published version of every programme, with their organisations."""
    newest = (select(ProgrammeVersionRow.programme_id,
                     func.max(ProgrammeVersionRow.version).label("version"))
              .where(ProgrammeVersionRow.status == Status.PUBLISHED.value)
              .group_by(ProgrammeVersionRow.programme_id).subquery())
    query = (select(ProgrammeVersionRow.descriptors, OrganisationRow.slug)
             .join(newest, (newest.c.programme_id == ProgrammeVersionRow.programme_id)
                   & (newest.c.version == ProgrammeVersionRow.version))
             .join(ProgrammeRow, ProgrammeRow.id == ProgrammeVersionRow.programme_id)
             .join(OrganisationRow, OrganisationRow.id == ProgrammeRow.organisation_id)
             .order_by(ProgrammeRow.id))
    organisations = select(OrganisationRow).order_by(OrganisationRow.slug)
    if organisation is not None:
        query = query.where(OrganisationRow.slug == organisation)
        organisations = organisations.where(OrganisationRow.slug == organisation)
    return Documents(
        tuple(to_organisation(row) for row in session.scalars(organisations)),
        tuple(Programme.model_validate(doc) for doc, _ in session.execute(query)),
    )


def published_ids(session: Session, *, organisation: str | None = None
                  ) -> dict[tuple[str, str], int]:
    """Each programme with a published version (of ``organisation``, when given): its id by
    its organisation's slug and its code."""
    query = (select(OrganisationRow.slug, ProgrammeRow.code, ProgrammeRow.id)
             .join(OrganisationRow, OrganisationRow.id == ProgrammeRow.organisation_id)
             .where(_newest_published().is_not(None)))
    if organisation is not None:
        query = query.where(OrganisationRow.slug == organisation)
    return {(slug, code): programme_id for slug, code, programme_id in session.execute(query)}


def _newest_published() -> Any:
    """The newest published version number of the enclosing query's programme (or NULL)."""
    other = aliased(ProgrammeVersionRow)
    return (select(func.max(other.version))
            .where(other.programme_id == ProgrammeRow.id,
                   other.status == Status.PUBLISHED.value)
            .scalar_subquery())


def _published_query() -> Any:
    return (
        select(ProgrammeRow.id, OrganisationRow.slug, ProgrammeRow.code, ProgrammeVersionRow)
        .join(OrganisationRow, OrganisationRow.id == ProgrammeRow.organisation_id)
        .join(ProgrammeVersionRow, (ProgrammeVersionRow.programme_id == ProgrammeRow.id)
              & (ProgrammeVersionRow.version == _newest_published()))
    )


def get_published_programme(session: Session, *, programme_id: int) -> StoredProgramme:
    """The programme with its newest published version as ``latest``."""
    found = get_published_programmes(session, programme_ids=[programme_id])
    if programme_id not in found:
        raise NotFoundError(f"No published programme with id {programme_id}.")
    return found[programme_id]


def get_published_programmes(session: Session, *, programme_ids: Sequence[int]
                             ) -> dict[int, StoredProgramme]:
    """Those of ``programme_ids`` that are published, by id, in one query."""
    if not programme_ids:
        return {}
    rows = session.execute(_published_query().where(ProgrammeRow.id.in_(list(programme_ids))))
    return {pid: StoredProgramme(pid, slug, code, _version(v)) for pid, slug, code, v in rows}


def get_published_versions(session: Session, *, keys: Sequence[tuple[int, int]]
                           ) -> dict[tuple[int, int], StoredProgramme]:
    """The published versions named by (programme id, version), in one query.

    A search index answers with the versions it indexed; reading exactly those keeps a
    result list consistent with the index even while a newer version is being published.
    """
    if not keys:
        return {}
    query = (
        select(ProgrammeRow.id, OrganisationRow.slug, ProgrammeRow.code, ProgrammeVersionRow)
        .join(OrganisationRow, OrganisationRow.id == ProgrammeRow.organisation_id)
        .join(ProgrammeVersionRow, ProgrammeVersionRow.programme_id == ProgrammeRow.id)
        .where(tuple_(ProgrammeVersionRow.programme_id, ProgrammeVersionRow.version)
               .in_(list(keys)),
               ProgrammeVersionRow.status == Status.PUBLISHED.value))
    return {(pid, v.version): StoredProgramme(pid, slug, code, _version(v))
            for pid, slug, code, v in session.execute(query)}


def count_published(session: Session, *, organisation: str | None = None) -> int:
    """How many programmes have a published version (of ``organisation``, when given)."""
    published = (select(ProgrammeVersionRow.programme_id)
                 .where(ProgrammeVersionRow.programme_id == ProgrammeRow.id,
                        ProgrammeVersionRow.status == Status.PUBLISHED.value)
                 .exists())
    query = select(func.count()).select_from(ProgrammeRow).where(published)
    if organisation is not None:
        query = (query.join(OrganisationRow, OrganisationRow.id == ProgrammeRow.organisation_id)
                 .where(OrganisationRow.slug == organisation))
    return session.scalar(query) or 0


def list_published_programmes(session: Session, *, organisation: str | None = None,
                              limit: int = 20, after: int | None = None,
                              total: int | None = None) -> Page:
    """A page of published programmes with their newest published version, by id (keyset).

    ``total`` is counted (:func:`count_published`) unless the caller knows it already:
    counting a million programmes takes the better part of a second, which a search index
    that holds them answers for free.
    """
    query = _published_query()
    if organisation is not None:
        query = query.where(OrganisationRow.slug == organisation)
    if after is not None:
        query = query.where(ProgrammeRow.id > after)
    rows = session.execute(query.order_by(ProgrammeRow.id).limit(limit + 1)).all()
    items = [StoredProgramme(pid, slug, code, _version(v)) for pid, slug, code, v in rows[:limit]]
    next_after = items[-1].id if len(rows) > limit and items else None
    if total is None:
        total = count_published(session, organisation=organisation)
    return Page(items, total, next_after)


def list_published_dates(session: Session, *, after: int, until: int, limit: int
                         ) -> list[tuple[int, dt.datetime]]:
    """(id, when its newest version was published) of published programmes, by id.

    Only ids in ``(after, until]``, at most ``limit`` of them: a sitemap reads a range of ids
    in such pages (keyset), never every programme at once.
    """
    query = (select(ProgrammeVersionRow.programme_id, func.max(ProgrammeVersionRow.published_at))
             .where(ProgrammeVersionRow.status == Status.PUBLISHED.value,
                    ProgrammeVersionRow.programme_id > after,
                    ProgrammeVersionRow.programme_id <= until)
             .group_by(ProgrammeVersionRow.programme_id)
             .order_by(ProgrammeVersionRow.programme_id)
             .limit(limit))
    # A published version always has its publication time; the column allows NULL for drafts.
    return [(pid, published) for pid, published in session.execute(query)
            if published is not None]


def published_id_ranges(session: Session, *, size: int) -> list[tuple[int, dt.datetime]]:
    """Ranges of ``size`` ids that hold published programmes: (number, newest publication).

    Range ``n`` (from 1) holds the ids ``(n - 1) * size + 1`` to ``n * size``, so it never
    lists more than ``size`` programmes, however sparse the ids.
    """
    number = (ProgrammeVersionRow.programme_id - 1) // size + 1
    query = (select(number, func.max(ProgrammeVersionRow.published_at))
             .where(ProgrammeVersionRow.status == Status.PUBLISHED.value)
             .group_by(number).order_by(number))
    return [(int(n), published) for n, published in session.execute(query)
            if published is not None]


@cache  # built once: making its seventeen subqueries took longer than running them
def _page_inputs() -> Any:
    published = ProgrammeVersionRow.status == Status.PUBLISHED.value
    targets = CreditTargetRow.published.is_(True)
    return select(*(query.scalar_subquery() for query in (
        select(func.count()).select_from(ProgrammeVersionRow).where(published),
        select(func.max(ProgrammeVersionRow.id)).where(published),
        # Any version's: a new draft makes its programme's published record say it is no
        # longer the newest (what verification keeps of a programme's achievement).
        select(func.max(ProgrammeVersionRow.id)),
        select(func.count()).select_from(OrganisationRow),
        select(func.max(OrganisationRow.updated_at)),
        select(func.count()).select_from(RecognitionRow),
        select(func.count(RecognitionRow.withdrawn_at)),
        select(func.count()).select_from(SkillAlignmentRow),
        select(func.max(SkillAlignmentRow.decided_at)),
        select(func.sum(SkillAlignmentRow.id)),
        select(func.count()).select_from(SkillFrameworkRow),
        select(func.max(SkillFrameworkRow.imported_at)),
        select(func.count()).select_from(SkillLabelRow),
        select(func.max(SkillLabelRow.updated_at)),
        select(func.count()).select_from(CreditTargetRow).where(targets),
        select(func.max(CreditTargetRow.created_at)).where(targets),
        select(func.sum(CreditTargetRow.version)).where(targets),
    )))


def page_inputs(session: Session) -> tuple[str, ...]:
    """The counts and latest changes of what a public programme page shows (see
    :mod:`credstack.services.programmes.generations`), as text: the published versions, the
    newest version of any status, the organisations, the recognition decisions, the
    alignments, framework imports and label edits, and the published credit targets. One
    statement of scalar subqueries: one round trip, not ten."""
    row = session.execute(_page_inputs()).one()
    return tuple(str(value) for value in row)
