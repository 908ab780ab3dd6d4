"""Importing whole files of organisations and programmes, in bulk, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from typing import cast as typed

from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Table, Text, bindparam, cast, insert, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from credstack.adapters.db import driver, statistics
from credstack.adapters.db.repositories.organisations import (
    row_values,
)
from credstack.adapters.db.repositories.programmes.reading import (
    BATCH,
    ImportReport,
    ProgrammeChange,
    _serialise,
    _storable,
)
from credstack.adapters.db.tables import OrganisationRow, ProgrammeRow, ProgrammeVersionRow
from credstack.core.bulk import collector_paused
from credstack.core.descriptors import Documents, Format, Programme, read_documents
from credstack.core.organisations import Organisation, OrganisationKind
from credstack.core.programmes import Change, Status
from credstack.errors import DescriptorError, Problem

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
    taken = _corporate_number_problems(session, documents.organisations, source)
    if taken:
        raise DescriptorError(f"{source}: {len(taken)} organisation(s) cannot be stored; "
                              "nothing was imported.", problems=taken)
    org_ids = _import_organisations(session, documents, report, now, dry_run)
    _import_programmes(session, documents.programmes, org_ids, report, now, dry_run, progress)
    if not dry_run and len(documents.programmes) >= ANALYZE_AFTER:
        # Right after a bulk load PostgreSQL has no statistics for the new rows and plans
        # "newest published version" as a scan of the whole status index (49 ms per page
        # at a million programmes instead of 0.09 ms); autovacuum would fix it only later.
        statistics.refresh(session, [ProgrammeRow, ProgrammeVersionRow])
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


def _corporate_number_problems(session: Session, organisations: Sequence[Organisation],
                               source: str) -> list[Problem]:
    """A 法人番号 names one organisation: one the file gives twice, or that another stored
    organisation holds, is refused here rather than by the unique index mid-import."""
    numbered = [(index, o) for index, o in enumerate(organisations) if o.corporate_number]
    holders: dict[str | None, str] = {
        number: slug for number, slug in session.execute(
            select(OrganisationRow.corporate_number, OrganisationRow.slug).where(
                OrganisationRow.corporate_number.in_(
                    [o.corporate_number for _, o in numbered])))} if numbered else {}
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for index, organisation in numbered:
        number = organisation.corporate_number
        assert number is not None
        other = first.setdefault(number, organisation.slug)
        held = holders.get(number)
        if other != organisation.slug or (held is not None and held != organisation.slug):
            holder = other if other != organisation.slug else held
            problems.append(Problem(
                f"{source}: organisations[{index}].corporate_number",
                f"the corporate number {number} is already {holder}'s",
                f"法人番号 {number} は既に {holder} のものです"))
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
        with driver.driver_cursor(session) as cursor, cursor.copy(
                "COPY programmes (id, organisation_id, code, latest_version, created_at) "
                "FROM STDIN") as copy:
            for pid, (oid, code) in zip(ids, keys, strict=True):
                copy.write_row((pid, oid, code, 1, now))
        return dict(zip(keys, ids, strict=True))

    @staticmethod
    def versions(session: Session, rows: list[dict[str, Any]]) -> None:
        # The queued writer sends rows from a thread while this one formats the next.
        with driver.driver_cursor(session) as cursor, cursor.copy(
                "COPY programme_versions (programme_id, version, status, descriptors, "
                "content_hash, created_at, published_at) FROM STDIN",
                writer=QueuedLibpqWriter(cursor)) as copy:
            for row in rows:
                copy.write_row((row["programme_id"], row["version"], row["status"],
                                row["canonical"], row["content_hash"], row["created_at"],
                                row["published_at"]))


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
