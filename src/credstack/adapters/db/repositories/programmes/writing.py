"""Writing one programme: creating it, a new draft or version, publishing a version."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.organisations import (
    find_row,
)
from credstack.adapters.db.repositories.programmes.reading import (
    StoredProgramme,
    _serialise,
    _storable,
    get_programme,
    get_version,
)
from credstack.adapters.db.tables import ProgrammeRow, ProgrammeVersionRow
from credstack.core.descriptors import Programme
from credstack.core.programmes import Change, Status
from credstack.errors import ConflictError, DescriptorError, Problem


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
