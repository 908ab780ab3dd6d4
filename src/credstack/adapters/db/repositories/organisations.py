"""Organisations in the store: providers and recognition bodies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow, ProgrammeRow
from credstack.core.organisations import Organisation
from credstack.errors import ConflictError, NotFoundError


@dataclass(frozen=True, slots=True)
class StoredOrganisation:
    id: int
    organisation: Organisation
    programme_count: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def slug(self) -> str:
        return self.organisation.slug


def to_organisation(row: OrganisationRow) -> Organisation:
    return Organisation.model_validate(
        {"slug": row.slug, "kind": row.kind, "name": row.name, "country": row.country,
         "url": row.url}
    )


def row_values(organisation: Organisation) -> dict[str, object]:
    return {
        "slug": organisation.slug,
        "kind": organisation.kind.value,
        "name": organisation.name.root,
        "country": organisation.country,
        "url": str(organisation.url) if organisation.url else None,
    }


def _stored(row: OrganisationRow, programme_count: int) -> StoredOrganisation:
    return StoredOrganisation(row.id, to_organisation(row), programme_count, row.created_at,
                              row.updated_at)


def _count(session: Session, organisation_id: int) -> int:
    query = select(func.count()).where(ProgrammeRow.organisation_id == organisation_id)
    return session.scalar(query) or 0


def find_row(session: Session, slug: str) -> OrganisationRow | None:
    return session.scalar(select(OrganisationRow).where(OrganisationRow.slug == slug))


def get_organisation(session: Session, *, slug: str) -> StoredOrganisation:
    row = find_row(session, slug)
    if row is None:
        raise NotFoundError(f"No organisation with slug {slug!r}.")
    return _stored(row, _count(session, row.id))


def list_organisations(session: Session, *, kind: str | None = None
                       ) -> list[StoredOrganisation]:
    counts = (select(ProgrammeRow.organisation_id, func.count().label("n"))
              .group_by(ProgrammeRow.organisation_id).subquery())
    query = (select(OrganisationRow, func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.organisation_id == OrganisationRow.id)
             .order_by(OrganisationRow.slug))
    if kind is not None:
        query = query.where(OrganisationRow.kind == kind)
    return [_stored(row, count) for row, count in session.execute(query)]


def create_organisation(session: Session, *, organisation: Organisation, now: dt.datetime
                        ) -> StoredOrganisation:
    if find_row(session, organisation.slug) is not None:
        raise ConflictError(f"An organisation with slug {organisation.slug!r} already exists.")
    row = OrganisationRow(**row_values(organisation), created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return _stored(row, 0)


def update_organisation(session: Session, *, slug: str, organisation: Organisation,
                        now: dt.datetime) -> StoredOrganisation:
    row = find_row(session, slug)
    if row is None:
        raise NotFoundError(f"No organisation with slug {slug!r}.")
    if organisation.slug != slug:
        raise ConflictError(
            f"The slug of an organisation cannot change ({slug!r} → {organisation.slug!r})."
        )
    values = row_values(organisation)
    if any(getattr(row, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = now
    session.flush()
    return _stored(row, _count(session, row.id))
