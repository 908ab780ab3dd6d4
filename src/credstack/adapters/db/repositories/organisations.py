"""Organisations in the store: providers and recognition bodies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow, ProgrammeRow, ProgrammeVersionRow
from credstack.adapters.db.times import utc
from credstack.core.organisations import Organisation
from credstack.core.programmes import Status
from credstack.errors import ConflictError, NotFoundError, Problem


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
         "url": row.url, "email": row.email, "description": row.description or None,
         "corporate_number": row.corporate_number}
    )


def row_values(organisation: Organisation) -> dict[str, object]:
    return {
        "slug": organisation.slug,
        "kind": organisation.kind.value,
        "name": organisation.name.root,
        "country": organisation.country,
        "url": str(organisation.url) if organisation.url else None,
        "email": organisation.email,
        "description": organisation.description.root if organisation.description else None,
        "corporate_number": organisation.corporate_number,
    }


def _stored(row: OrganisationRow, programme_count: int) -> StoredOrganisation:
    return StoredOrganisation(row.id, to_organisation(row), programme_count, row.created_at,
                              row.updated_at)


def _count(session: Session, organisation_id: int) -> int:
    query = select(func.count()).where(ProgrammeRow.organisation_id == organisation_id)
    return session.scalar(query) or 0


def find_row(session: Session, slug: str, *, lock: bool = False) -> OrganisationRow | None:
    """The organisation with ``slug`` (locked until the transaction ends with ``lock``, on
    PostgreSQL); None for none."""
    query = select(OrganisationRow).where(OrganisationRow.slug == slug)
    return session.scalar(query.with_for_update() if lock else query)


def organisation_by_id(session: Session, organisation_id: int) -> Organisation | None:
    """The organisation whose primary key is ``organisation_id``; None for none."""
    row = session.get(OrganisationRow, organisation_id)
    return None if row is None else to_organisation(row)


def existing_row(session: Session, slug: str) -> OrganisationRow:
    """The organisation with ``slug``; :class:`~credstack.errors.NotFoundError` when there is
    none."""
    row = find_row(session, slug)
    if row is None:
        raise NotFoundError(f"No organisation with slug {slug!r}.")
    return row


def get_organisation(session: Session, *, slug: str) -> StoredOrganisation:
    row = existing_row(session, slug)
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


def _refuse_taken_number(session: Session, number: str | None, slug: str) -> None:
    """:class:`~credstack.errors.ConflictError` on ``corporate_number`` when another
    organisation than ``slug`` holds ``number`` (the unique index would refuse it too, less
    clearly)."""
    if number is None:
        return
    holder = session.scalar(select(OrganisationRow.slug).where(
        OrganisationRow.corporate_number == number, OrganisationRow.slug != slug))
    if holder is not None:
        en = (f"Corporate number {number} is already that of the organisation {holder}: "
              "an organisation has its own number.")
        ja = f"法人番号 {number} はすでに組織 {holder} のものです。法人番号は組織ごとに一つです。"
        raise ConflictError(f"{en} / {ja}", problems=[Problem("corporate_number", en, ja)])


def _slug_taken(slug: str) -> ConflictError:
    return ConflictError(f"An organisation with slug {slug!r} already exists.")


def _written(session: Session, write: Callable[[], None], *, number: str | None,
             slug: str, creating: bool) -> None:
    """``write`` flushed in a savepoint. The checks before it read what was committed then:
    another transaction may commit the same corporate number (or slug) between the check and
    the write, which the unique index refuses. That refusal is the same ConflictError as the
    check's, naming the holder (now committed and visible), not the database's error."""
    try:
        with session.begin_nested():
            write()
            session.flush()
    except IntegrityError:
        _refuse_taken_number(session, number, slug)
        if creating and find_row(session, slug) is not None:
            raise _slug_taken(slug) from None
        raise


def create_organisation(session: Session, *, organisation: Organisation, now: dt.datetime
                        ) -> StoredOrganisation:
    if find_row(session, organisation.slug) is not None:
        raise _slug_taken(organisation.slug)
    _refuse_taken_number(session, organisation.corporate_number, organisation.slug)
    row = OrganisationRow(**row_values(organisation), created_at=now, updated_at=now)
    _written(session, lambda: session.add(row), number=organisation.corporate_number,
             slug=organisation.slug, creating=True)
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
    _refuse_taken_number(session, organisation.corporate_number, slug)
    values = row_values(organisation)

    def write() -> None:
        if any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now

    _written(session, write, number=organisation.corporate_number, slug=slug, creating=False)
    return _stored(row, _count(session, row.id))


# --- providers: organisations as the public registry shows them -------------------------
#
# A provider's count is of its *published* programmes (drafts are not public), and only
# organisations with at least one of them are listed as providers.

#: The status of a published programme version.
_PUBLISHED = Status.PUBLISHED.value


def _published_counts() -> Any:
    """(organisation id, number of programmes with a published version), as a subquery."""
    published = (select(ProgrammeVersionRow.programme_id)
                 .where(ProgrammeVersionRow.programme_id == ProgrammeRow.id,
                        ProgrammeVersionRow.status == _PUBLISHED)
                 .exists())
    return (select(ProgrammeRow.organisation_id, func.count().label("n"))
            .where(published).group_by(ProgrammeRow.organisation_id).subquery())


def list_providers(session: Session) -> list[StoredOrganisation]:
    """Organisations with published programmes, by slug; ``programme_count`` counts those."""
    counts = _published_counts()
    query = (select(OrganisationRow, counts.c.n)
             .join(counts, counts.c.organisation_id == OrganisationRow.id)
             .order_by(OrganisationRow.slug))
    return [_stored(row, count) for row, count in session.execute(query)]


def get_provider(session: Session, *, slug: str) -> StoredOrganisation:
    """One organisation; ``programme_count`` counts its published programmes only."""
    row = find_row(session, slug)
    if row is None:
        raise NotFoundError(f"No organisation with slug {slug!r}.")
    published = (select(ProgrammeVersionRow.programme_id)
                 .where(ProgrammeVersionRow.programme_id == ProgrammeRow.id,
                        ProgrammeVersionRow.status == _PUBLISHED)
                 .exists())
    count = session.scalar(select(func.count()).select_from(ProgrammeRow)
                           .where(ProgrammeRow.organisation_id == row.id, published))
    return _stored(row, count or 0)


def count_providers(session: Session) -> int:
    """How many organisations have a published programme.

    One probe per organisation (stopping at its first published programme), not a count of
    every programme: milliseconds with a million programmes.
    """
    publishes = (select(ProgrammeRow.id)
                 .join(ProgrammeVersionRow, ProgrammeVersionRow.programme_id == ProgrammeRow.id)
                 .where(ProgrammeRow.organisation_id == OrganisationRow.id,
                        ProgrammeVersionRow.status == _PUBLISHED)
                 .exists())
    return session.scalar(select(func.count()).select_from(OrganisationRow).where(publishes)) or 0


def list_provider_dates(session: Session, *, after: int, until: int, limit: int
                        ) -> list[tuple[int, str, dt.datetime]]:
    """(id, slug, last change) of providers with ids in ``(after, until]``, by id (keyset).

    The last change is the newer of the organisation's own update and the newest
    publication of one of its programmes: either changes the provider's page.
    """
    newest = (select(ProgrammeRow.organisation_id,
                     func.max(ProgrammeVersionRow.published_at).label("published"))
              .join(ProgrammeVersionRow, ProgrammeVersionRow.programme_id == ProgrammeRow.id)
              .where(ProgrammeVersionRow.status == _PUBLISHED,
                     ProgrammeRow.organisation_id > after,
                     ProgrammeRow.organisation_id <= until)
              .group_by(ProgrammeRow.organisation_id).subquery())
    query = (select(OrganisationRow.id, OrganisationRow.slug, OrganisationRow.updated_at,
                    newest.c.published)
             .join(newest, newest.c.organisation_id == OrganisationRow.id)
             .order_by(OrganisationRow.id).limit(limit))
    return [(oid, slug, max(utc(updated), utc(published)))
            for oid, slug, updated, published in session.execute(query)]


def provider_id_ranges(session: Session, *, size: int) -> list[tuple[int, dt.datetime]]:
    """Ranges of ``size`` organisation ids holding providers: (number, last change).

    Range ``n`` (from 1) holds the ids ``(n - 1) * size + 1`` to ``n * size``. Its last
    change is the newest organisation update or programme publication among its providers.
    """
    number = (ProgrammeRow.organisation_id - 1) // size + 1
    published = (select(number, func.max(ProgrammeVersionRow.published_at))
                 .join(ProgrammeVersionRow, ProgrammeVersionRow.programme_id == ProgrammeRow.id)
                 .where(ProgrammeVersionRow.status == _PUBLISHED)
                 .group_by(number))
    ranges = {int(n): utc(moment) for n, moment in session.execute(published)
              if moment is not None}
    own = (OrganisationRow.id - 1) // size + 1
    for n, updated in session.execute(select(own, func.max(OrganisationRow.updated_at))
                                      .where(own.in_(list(ranges))).group_by(own)):
        if updated is not None:
            ranges[int(n)] = max(ranges[int(n)], utc(updated))
    return sorted(ranges.items())


