"""The notices an organisation sends about its credentials (``organisation_notices``: its
settings; on each credential's ``credential_activity`` row, when it was reminded and noticed
of its end), and the credentials that may be due one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import IssuedCredentialRow, OrganisationRow
from credstack.adapters.db.tables.activity import CredentialActivityRow, OrganisationNoticesRow
from credstack.adapters.db.times import utc
from credstack.core.activity.notices import NoticeSettings

__all__ = ["NoticeCandidate", "notice_candidates", "notice_settings",
           "organisations_notice_settings", "record_notices", "save_notice_settings"]


def _settings_of(row: OrganisationNoticesRow | None) -> NoticeSettings:
    if row is None:
        return NoticeSettings()
    days = tuple(int(part) for part in row.expiry_days.split(",") if part)
    return NoticeSettings(row.claim_reminder_days, days)


def notice_settings(session: Session, *, slug: str) -> tuple[int, NoticeSettings]:
    """An organisation's id and its notice settings (the defaults until it chose);
    :class:`LookupError` for no organisation ``slug``."""
    organisation_id = session.scalar(select(OrganisationRow.id).where(
        OrganisationRow.slug == slug))
    if organisation_id is None:
        raise LookupError(slug)
    return organisation_id, _settings_of(session.scalar(select(OrganisationNoticesRow).where(
        OrganisationNoticesRow.organisation_id == organisation_id)))


def organisations_notice_settings(session: Session, *, slug: str | None = None
                                  ) -> list[tuple[int, str, NoticeSettings]]:
    """Each organisation's id, slug and notice settings (only ``slug``'s when given)."""
    query = select(OrganisationRow.id, OrganisationRow.slug, OrganisationNoticesRow).join(
        OrganisationNoticesRow, OrganisationNoticesRow.organisation_id == OrganisationRow.id,
        isouter=True)
    if slug is not None:
        query = query.where(OrganisationRow.slug == slug)
    return [(row[0], row[1], _settings_of(row[2])) for row in session.execute(query)]


def save_notice_settings(session: Session, *, organisation_id: int, chosen: NoticeSettings,
                         at: dt.datetime) -> None:
    """Keep ``chosen`` as the notice settings of organisation ``organisation_id``."""
    days = ",".join(str(day) for day in chosen.expiry_days)
    row = session.scalar(select(OrganisationNoticesRow).where(
        OrganisationNoticesRow.organisation_id == organisation_id))
    if row is None:
        session.add(OrganisationNoticesRow(
            organisation_id=organisation_id, claim_reminder_days=chosen.claim_reminder_days,
            expiry_days=days, updated_at=at))
    else:
        row.claim_reminder_days, row.expiry_days, row.updated_at = (
            chosen.claim_reminder_days, days, at)


@dataclass(frozen=True, slots=True)
class NoticeCandidate:
    """An active credential that may be due a claim reminder or an expiry notice, and what
    it was told already."""

    row_id: int
    credential_id: str
    issued_at: dt.datetime
    valid_until: dt.datetime | None
    claimed: bool
    reminded: bool
    #: The days before its end of the nearest expiry notice sent (None: none).
    expiry_noticed: int | None


def notice_candidates(session: Session, *, organisation_id: int, after: int, limit: int,
                      unreminded_issued_by: dt.datetime | None,
                      ending_between: tuple[dt.datetime, dt.datetime] | None,
                      noticed_beyond: int) -> list[NoticeCandidate]:
    """The organisation's active credentials after row ``after`` (at most ``limit``, by row)
    that may be due a notice, read by the indexes: with ``unreminded_issued_by``, those not
    claimed nor reminded and issued by then; with ``ending_between``, those ending after its
    first moment and by its second, not noticed yet at ``noticed_beyond`` days or fewer."""
    due: list[Any] = []
    if unreminded_issued_by is not None:
        due.append(and_(
            or_(CredentialActivityRow.id.is_(None), and_(
                CredentialActivityRow.claimed_count == 0,
                CredentialActivityRow.reminded_at.is_(None))),
            IssuedCredentialRow.issued_at <= unreminded_issued_by))
    if ending_between is not None:
        due.append(and_(
            IssuedCredentialRow.valid_until > ending_between[0],
            IssuedCredentialRow.valid_until <= ending_between[1],
            or_(CredentialActivityRow.id.is_(None),
                CredentialActivityRow.expiry_noticed.is_(None),
                CredentialActivityRow.expiry_noticed > noticed_beyond)))
    if not due:
        return []
    rows = session.execute(select(
        IssuedCredentialRow.id, IssuedCredentialRow.credential_id,
        IssuedCredentialRow.issued_at, IssuedCredentialRow.valid_until,
        CredentialActivityRow).join(
            CredentialActivityRow,
            CredentialActivityRow.credential_row_id == IssuedCredentialRow.id,
            isouter=True).where(
            IssuedCredentialRow.organisation_id == organisation_id,
            IssuedCredentialRow.state == "active", IssuedCredentialRow.id > after,
            or_(*due)).order_by(IssuedCredentialRow.id).limit(limit)).all()
    return [NoticeCandidate(
        row_id, credential_id, utc(issued_at), utc(valid_until) if valid_until else None,
        activity is not None and activity.claimed_count > 0,
        activity is not None and activity.reminded_at is not None,
        activity.expiry_noticed if activity is not None else None)
        for row_id, credential_id, issued_at, valid_until, activity in rows]


def record_notices(session: Session, *, credential_row: int, organisation_id: int,
                   reminded_at: dt.datetime | None = None,
                   expiry_noticed: int | None = None) -> None:
    """Note on the credential of row ``credential_row`` that it was reminded at
    ``reminded_at``, or noticed of its end ``expiry_noticed`` days before (each when given)."""
    row = session.scalar(select(CredentialActivityRow).where(
        CredentialActivityRow.credential_row_id == credential_row))
    if row is None:
        row = CredentialActivityRow(credential_row_id=credential_row,
                                    organisation_id=organisation_id)
        session.add(row)
    if reminded_at is not None:
        row.reminded_at = reminded_at
    if expiry_noticed is not None:
        row.expiry_noticed = expiry_noticed
    session.flush()
