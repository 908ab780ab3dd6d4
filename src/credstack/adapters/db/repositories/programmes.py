"""Programmes and their versions in the store, and whole-file imports.

Rules kept here (and, for immutability, also by a database trigger):

* a programme is keyed by its awarding organisation and its code;
* a published version never changes; storing different descriptors for a programme whose
  newest version is published creates the next version; storing identical descriptors
  changes nothing;
* a draft version may be replaced until it is published;
* an import is one transaction: every record is checked first and any problem leaves the
  store untouched; ``dry_run`` reports what would change and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from typing import cast as typed

from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Table, Text, bindparam, cast, func, insert, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, aliased

from credstack.adapters.db.repositories.organisations import (
    find_row,
    row_values,
    to_organisation,
)
from credstack.adapters.db.tables import OrganisationRow, ProgrammeRow, ProgrammeVersionRow
from credstack.core.bulk import collector_paused
from credstack.core.descriptors import Documents, Format, Programme, read_documents
from credstack.core.descriptors.models import AwardedMicroCredential
from credstack.core.organisations import Organisation, OrganisationKind
from credstack.errors import ConflictError, DescriptorError, NotFoundError, Problem

#: Rows written per INSERT batch during imports.
BATCH = 1000



class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Change(StrEnum):
    CREATED = "created"
    NEW_VERSION = "new-version"
    DRAFT_REPLACED = "draft-replaced"
    PUBLISHED = "published"
    UNCHANGED = "unchanged"


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


# --- reading ---------------------------------------------------------------------------


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


# --- reading what the public sees: published versions only ------------------------------
#
# Drafts are not public. These read each programme's newest *published* version (which may
# be older than its newest version, when a draft follows it) and leave out programmes that
# have never been published.


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


# --- writing one programme -------------------------------------------------------------


def _organisation_id(session: Session, slug: str, where: str) -> int:
    row = find_row(session, slug)
    if row is None:
        raise DescriptorError(
            f"{where}: awarding body {slug!r} is not a known organisation.",
            problems=[Problem(f"{where}: awarding_body.id",
                              f"create organisation {slug!r} first")],
        )
    return row.id


def create_programme(session: Session, *, programme: Programme, publish: bool,
                     now: dt.datetime) -> StoredProgramme:
    slug = _storable(programme, "programme")
    organisation_id = _organisation_id(session, slug, "programme")
    exists = session.scalar(select(ProgrammeRow.id).where(
        ProgrammeRow.organisation_id == organisation_id, ProgrammeRow.code == programme.code))
    if exists is not None:
        raise ConflictError(
            f"Organisation {slug!r} already has a programme {programme.code!r} (id {exists}); "
            "update it instead."
        )
    row = ProgrammeRow(organisation_id=organisation_id, code=programme.code, latest_version=1,
                       created_at=now)
    session.add(row)
    session.flush()
    canonical, digest = _serialise(programme)
    session.add(ProgrammeVersionRow(
        programme_id=row.id, version=1,
        status=(Status.PUBLISHED if publish else Status.DRAFT).value,
        descriptors=json.loads(canonical), content_hash=digest, created_at=now,
        published_at=now if publish else None,
    ))
    session.flush()
    return get_programme(session, programme_id=row.id)


def update_programme(session: Session, *, programme_id: int, programme: Programme,
                     publish: bool, now: dt.datetime) -> tuple[StoredProgramme, Change]:
    """Store new descriptors for a programme; returns what happened."""
    current = get_programme(session, programme_id=programme_id)
    slug = _storable(programme, f"programme {programme_id}")
    if (slug, programme.code) != (current.organisation_slug, current.code):
        raise ConflictError(
            f"Programme {programme_id} is {current.code!r} of {current.organisation_slug!r}; "
            f"the descriptors name {programme.code!r} of {slug!r}. A programme's code and "
            "awarding body cannot change: create a new programme instead."
        )
    canonical, digest = _serialise(programme)
    document = json.loads(canonical)
    latest = current.latest
    status = Status.PUBLISHED if publish else Status.DRAFT
    if latest.status is Status.DRAFT:
        if digest == latest.content_hash and not publish:
            return current, Change.UNCHANGED
        session.execute(
            update(ProgrammeVersionRow)
            .where(ProgrammeVersionRow.programme_id == programme_id,
                   ProgrammeVersionRow.version == latest.version)
            .values(descriptors=document, content_hash=digest, status=status.value,
                    created_at=now, published_at=now if publish else None))
        change = Change.PUBLISHED if digest == latest.content_hash else Change.DRAFT_REPLACED
        return get_programme(session, programme_id=programme_id), change
    if digest == latest.content_hash:
        return current, Change.UNCHANGED
    _append_version(session, programme_id, latest.version + 1, document, digest, status, now)
    return get_programme(session, programme_id=programme_id), Change.NEW_VERSION


def _append_version(session: Session, programme_id: int, version: int,
                    document: dict[str, Any], digest: str, status: Status, now: dt.datetime
                    ) -> None:
    session.add(ProgrammeVersionRow(
        programme_id=programme_id, version=version, status=status.value, descriptors=document,
        content_hash=digest, created_at=now,
        published_at=now if status is Status.PUBLISHED else None))
    session.execute(update(ProgrammeRow).where(ProgrammeRow.id == programme_id)
                    .values(latest_version=version))
    session.flush()


def publish_version(session: Session, *, programme_id: int, version: int, now: dt.datetime
                    ) -> StoredProgramme:
    stored = get_version(session, programme_id=programme_id, version=version)
    if stored.status is Status.PUBLISHED:
        raise ConflictError(f"Version {version} of programme {programme_id} is already "
                            "published.")
    session.execute(update(ProgrammeVersionRow)
                    .where(ProgrammeVersionRow.programme_id == programme_id,
                           ProgrammeVersionRow.version == version)
                    .values(status=Status.PUBLISHED.value, published_at=now))
    return get_programme(session, programme_id=programme_id)


# --- importing whole files -------------------------------------------------------------


#: Told how far an import has got: (stage, done, total); stages "reading" (of a file),
#: "checking" then "writing".
ImportProgress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    del stage, done, total


#: Imports at least this large refresh PostgreSQL's planner statistics before committing.
ANALYZE_AFTER = 10_000


@collector_paused
def import_documents(session: Session, *, documents: Documents, now: dt.datetime,
                     dry_run: bool = False, source: str = "input",
                     progress: ImportProgress = _no_progress) -> ImportReport:
    """Store every organisation and programme of a file as published versions, in bulk.

    The caller owns the transaction: commit on success, roll back on error or dry run.
    """
    report = ImportReport(dry_run=dry_run)
    problems = [problem for index, programme in enumerate(documents.programmes)
                for problem in _storability_problems(programme, f"{source}: programmes[{index}]")]
    problems += _duplicate_problems(documents.programmes, source)
    if problems:
        raise DescriptorError(f"{source}: {len(problems)} programme(s) cannot be stored; "
                              "nothing was imported.", problems=problems)
    org_ids = _import_organisations(session, documents, report, now, dry_run)
    _import_programmes(session, documents.programmes, org_ids, report, now, dry_run, progress)
    if (not dry_run and len(documents.programmes) >= ANALYZE_AFTER
            and session.get_bind().dialect.name == "postgresql"):
        # Right after a bulk load PostgreSQL has no statistics for the new rows and plans
        # "newest published version" as a scan of the whole status index (49 ms per page
        # at a million programmes instead of 0.09 ms); autovacuum would fix it only later.
        session.execute(text("ANALYZE programmes, programme_versions"))
    return report


@collector_paused
def import_file(session: Session, *, data: str | bytes, fmt: Format, now: dt.datetime,
                dry_run: bool = False, source: str = "input",
                progress: ImportProgress = _no_progress) -> ImportReport:
    """Read a whole file and import it, as ``credstack mc import`` does.

    Reading and storing run under one pause of the garbage collector, so that the models
    read are not all traversed by a full collection between the two steps.
    """
    progress("reading", 0, 0)
    documents = read_documents(data, fmt, source=source)
    return import_documents(session, documents=documents, now=now, dry_run=dry_run,
                            source=source, progress=progress)


def _duplicate_problems(programmes: Sequence[Programme], source: str) -> list[Problem]:
    """Each programme may appear once per import (files merged into one import included)."""
    first: dict[tuple[str, str], int] = {}
    problems = []
    for index, programme in enumerate(programmes):
        key = (programme.awarding_body.id if programme.awarding_body else "", programme.code)
        if key in first:
            problems.append(Problem(f"{source}: programmes[{index}]",
                                    f"programme {key[1]!r} of {key[0]!r} is also at "
                                    f"programmes[{first[key]}]"))
        else:
            first[key] = index
    return problems


def _storability_problems(programme: Programme, where: str) -> Iterable[Problem]:
    try:
        _storable(programme, where)
    except DescriptorError as exc:
        yield from exc.problems


def _import_organisations(session: Session, documents: Documents, report: ImportReport,
                          now: dt.datetime, dry_run: bool) -> dict[str, int]:
    wanted: dict[str, Organisation] = {o.slug: o for o in documents.organisations}
    for programme in documents.programmes:
        body = programme.awarding_body
        assert body is not None  # checked by _storability_problems
        if body.id not in wanted:
            # An awarding body that is neither in the file nor stored is created from the
            # programme's own description of it; its kind can be corrected later.
            region = programme.issuer_region
            wanted[body.id] = Organisation(
                slug=body.id, kind=OrganisationKind.OTHER, name=body.name,
                country=region.country if region else "JP", url=body.url)
    existing = {row.slug: row for row in session.scalars(
        select(OrganisationRow).where(OrganisationRow.slug.in_(list(wanted))))}
    ids: dict[str, int] = {}
    for slug, organisation in wanted.items():
        row = existing.get(slug)
        explicit = any(o.slug == slug for o in documents.organisations)
        if row is None:
            report.organisations_created.append(slug)
            if dry_run:
                ids[slug] = -len(report.organisations_created)
                continue
            row = OrganisationRow(**row_values(organisation), created_at=now, updated_at=now)
            session.add(row)
            session.flush()
        elif explicit and any(getattr(row, k) != v for k, v in row_values(organisation).items()):
            report.organisations_updated.append(slug)
            if not dry_run:
                for key, value in row_values(organisation).items():
                    setattr(row, key, value)
                row.updated_at = now
        ids[slug] = row.id
    return ids


def _import_programmes(session: Session, programmes: Sequence[Programme],
                       org_ids: dict[str, int], report: ImportReport, now: dt.datetime,
                       dry_run: bool, progress: ImportProgress) -> None:
    known_orgs = [i for i in org_ids.values() if i > 0]
    existing: dict[tuple[int, str], tuple[int, int]] = {}
    # The stored programmes of the file's organisations with their newest version's status
    # and hash, in one query per BATCH organisations (not one per BATCH programmes: right
    # after a bulk load, before PostgreSQL has statistics, each of those scanned the table).
    latest_rows: dict[int, tuple[str, str]] = {}
    for start in range(0, len(known_orgs), BATCH):
        for pid, oid, code, latest, status, digest in session.execute(
                select(ProgrammeRow.id, ProgrammeRow.organisation_id, ProgrammeRow.code,
                       ProgrammeRow.latest_version, ProgrammeVersionRow.status,
                       ProgrammeVersionRow.content_hash)
                .join(ProgrammeVersionRow,
                      (ProgrammeVersionRow.programme_id == ProgrammeRow.id)
                      & (ProgrammeVersionRow.version == ProgrammeRow.latest_version))
                .where(ProgrammeRow.organisation_id.in_(known_orgs[start:start + BATCH]))):
            existing[(oid, code)] = (pid, latest)
            latest_rows[pid] = (status, digest)

    # New versions carry their canonical JSON text, serialised once for the hash and stored
    # as is (see _serialised_json), not the document dict.
    new_programmes: list[tuple[int, str, str, str]] = []
    new_versions: list[dict[str, Any]] = []
    replaced_drafts: list[dict[str, Any]] = []
    bumped: list[dict[str, Any]] = []
    total = len(programmes)
    for index, programme in enumerate(programmes):
        if index % BATCH == 0:
            progress("checking", index, total)
        body = programme.awarding_body
        assert body is not None
        oid = org_ids[body.id]
        canonical, digest = _serialise(programme)
        found = existing.get((oid, programme.code))
        if found is None:
            new_programmes.append((oid, programme.code, canonical, digest))
            report.programmes.append(ProgrammeChange(body.id, programme.code, Change.CREATED, 1))
            continue
        pid, latest = found
        status, latest_digest = latest_rows[pid]
        if status == Status.DRAFT.value:
            change = Change.PUBLISHED if digest == latest_digest else Change.DRAFT_REPLACED
            replaced_drafts.append({"pid": pid, "v": latest, "canonical": canonical,
                                    "content_hash": digest})
            report.programmes.append(ProgrammeChange(body.id, programme.code, change, latest))
        elif digest == latest_digest:
            report.programmes.append(ProgrammeChange(body.id, programme.code, Change.UNCHANGED,
                                                     latest))
        else:
            new_versions.append(_version_values(pid, latest + 1, canonical, digest, now))
            bumped.append({"pid": pid, "latest_version": latest + 1})
            report.programmes.append(ProgrammeChange(body.id, programme.code,
                                                     Change.NEW_VERSION, latest + 1))
    progress("checking", total, total)
    if dry_run:
        return
    # Core (not ORM bulk) inserts. New rows' ids are matched by (organisation, code), not by
    # parameter order, so SQLite can batch the INSERT … RETURNING too.
    programme_table = typed(Table, ProgrammeRow.__table__)
    version_table = typed(Table, ProgrammeVersionRow.__table__)
    # Rows to write: a programme row and a version row per new programme, a version row per
    # changed one; progress is reported on the scale of the file's programmes.
    rows = 2 * len(new_programmes) + len(new_versions)

    def written(count: int) -> None:
        progress("writing", total * count // rows if rows else total, total)

    write = _postgres_copy if session.get_bind().dialect.name == "postgresql" else _sql_insert
    for start in range(0, len(new_programmes), BATCH):
        written(start)
        batch = new_programmes[start:start + BATCH]
        ids = write.programmes(session, [(oid, code) for oid, code, _, _ in batch], now)
        new_versions.extend(_version_values(ids[oid, code], 1, canonical, digest, now)
                            for oid, code, canonical, digest in batch)
    for start in range(0, len(new_versions), BATCH):
        written(len(new_programmes) + start)
        write.versions(session, new_versions[start:start + BATCH])
    if bumped:
        session.execute(
            update(programme_table).where(programme_table.c.id == bindparam("pid"))
            .values(latest_version=bindparam("latest_version")), bumped)
    if replaced_drafts:
        session.execute(
            update(version_table)
            .where(version_table.c.programme_id == bindparam("pid"),
                   version_table.c.version == bindparam("v"))
            .values(descriptors=_serialised_json(session, "canonical"),
                    content_hash=bindparam("content_hash"), status=Status.PUBLISHED.value,
                    published_at=now), replaced_drafts)
    session.flush()
    progress("writing", total, total)


class _SqlInsert:
    """Batched INSERTs through SQLAlchemy Core (the embedded SQLite default)."""

    @staticmethod
    def programmes(session: Session, keys: list[tuple[int, str]], now: dt.datetime
                   ) -> dict[tuple[int, str], int]:
        # New rows' ids are matched by (organisation, code), not by parameter order, so
        # SQLite can batch the INSERT … RETURNING too.
        table = typed(Table, ProgrammeRow.__table__)
        rows = session.execute(
            insert(table).returning(table.c.id, table.c.organisation_id, table.c.code),
            [{"organisation_id": oid, "code": code, "latest_version": 1, "created_at": now}
             for oid, code in keys])
        return {(oid, code): pid for pid, oid, code in rows}

    @staticmethod
    def versions(session: Session, rows: list[dict[str, Any]]) -> None:
        table = typed(Table, ProgrammeVersionRow.__table__)
        statement = insert(table).values(descriptors=_serialised_json(session, "canonical"))
        session.execute(statement, rows)


class _PostgresCopy:
    """PostgreSQL's COPY through psycopg, in the session's own transaction.

    Multi-row INSERTs spend most of a bulk import building SQL text on the client; COPY
    streams rows that the server parses while the client formats the next ones.
    """

    @staticmethod
    def programmes(session: Session, keys: list[tuple[int, str]], now: dt.datetime
                   ) -> dict[tuple[int, str], int]:
        ids = session.scalars(
            text("SELECT nextval(pg_get_serial_sequence('programmes', 'id')) "
                 "FROM generate_series(1, :n)"), {"n": len(keys)}).all()
        with _cursor(session) as cursor, cursor.copy(
                "COPY programmes (id, organisation_id, code, latest_version, created_at) "
                "FROM STDIN") as copy:
            for pid, (oid, code) in zip(ids, keys, strict=True):
                copy.write_row((pid, oid, code, 1, now))
        return dict(zip(keys, ids, strict=True))

    @staticmethod
    def versions(session: Session, rows: list[dict[str, Any]]) -> None:
        # The queued writer sends rows from a thread while this one formats the next.
        with _cursor(session) as cursor, cursor.copy(
                "COPY programme_versions (programme_id, version, status, descriptors, "
                "content_hash, created_at, published_at) FROM STDIN",
                writer=QueuedLibpqWriter(cursor)) as copy:
            for row in rows:
                copy.write_row((row["programme_id"], row["version"], row["status"],
                                row["canonical"], row["content_hash"], row["created_at"],
                                row["published_at"]))


def _cursor(session: Session) -> Any:
    """A psycopg cursor on the connection (and transaction) the session is using."""
    return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


_sql_insert = _SqlInsert()
_postgres_copy = _PostgresCopy()


def _version_values(pid: int, version: int, canonical: str, digest: str,
                    now: dt.datetime) -> dict[str, Any]:
    return {"programme_id": pid, "version": version, "status": Status.PUBLISHED.value,
            "canonical": canonical, "content_hash": digest, "created_at": now,
            "published_at": now}


def _serialised_json(session: Session, name: str) -> Any:
    """A bind for the descriptors column that takes JSON text serialised already.

    The import serialises each document once, canonically, for its hash; binding that text
    spares a second ``json.dumps`` per row. Read back, the column gives the same document
    (key order aside, which JSONB never kept). PostgreSQL casts the text to JSONB; SQLite
    stores JSON as text anyway.
    """
    value = bindparam(name, type_=Text())
    if session.get_bind().dialect.name == "postgresql":
        return cast(value, JSONB)
    return value
