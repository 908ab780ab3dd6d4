"""The LTI Dynamic Registration tokens an organisation's administrators make (table
``lti_registration_tokens``, :mod:`credstack.adapters.db.tables.lti`): kept as their SHA-256,
listed, spent once (issue 55, M3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.lti import LtiPlatformRow, LtiRegistrationTokenRow
from credstack.adapters.db.times import utc

__all__ = ["RegistrationToken", "add_registration_token", "registration_tokens",
           "spend_registration_token", "token_registered"]


@dataclass(frozen=True, slots=True)
class RegistrationToken:
    """A registration token as its organisation's LMS page lists it (never the token)."""

    id: int
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None
    #: The LMS it registered, while that registration is kept.
    platform: str | None


def add_registration_token(session: Session, *, organisation_id: int, token_hash: str,
                           created_by: str, at: dt.datetime, expires_at: dt.datetime
                           ) -> RegistrationToken:
    row = LtiRegistrationTokenRow(organisation_id=organisation_id, token_hash=token_hash,
                                  created_by=created_by, created_at=at, expires_at=expires_at)
    session.add(row)
    session.flush()
    return RegistrationToken(row.id, created_by, at, expires_at, None, None)


def registration_tokens(session: Session, organisation_id: int, *, limit: int = 20
                        ) -> list[RegistrationToken]:
    """The organisation's newest registration tokens, newest first."""
    rows = session.execute(
        select(LtiRegistrationTokenRow, LtiPlatformRow.name)
        .outerjoin(LtiPlatformRow, LtiPlatformRow.id == LtiRegistrationTokenRow.platform_id)
        .where(LtiRegistrationTokenRow.organisation_id == organisation_id)
        .order_by(LtiRegistrationTokenRow.id.desc()).limit(limit))
    return [RegistrationToken(row.id, row.created_by, utc(row.created_at), utc(row.expires_at),
                              utc(row.used_at) if row.used_at else None, name)
            for row, name in rows]


def spend_registration_token(session: Session, *, organisation_id: int, token_hash: str,
                             at: dt.datetime) -> tuple[int | None, str]:
    """Spend the organisation's token of digest ``token_hash`` at ``at`` (one conditional
    update: of two registrations presenting it at once, one spends it): its id and ``ok``, or
    None and why not (``unknown``, ``used``, ``expired``)."""
    row = session.scalar(select(LtiRegistrationTokenRow).where(
        LtiRegistrationTokenRow.token_hash == token_hash,
        LtiRegistrationTokenRow.organisation_id == organisation_id))
    if row is None:
        return None, "unknown"
    if row.used_at is not None:
        return None, "used"
    if utc(row.expires_at) <= at:
        return None, "expired"
    spent = session.execute(update(LtiRegistrationTokenRow).where(
        LtiRegistrationTokenRow.id == row.id, LtiRegistrationTokenRow.used_at.is_(None))
        .values(used_at=at))
    return (row.id, "ok") if getattr(spent, "rowcount", 0) == 1 else (None, "used")


def token_registered(session: Session, token_id: int, platform_id: int) -> None:
    """Note the registration the spent token ``token_id`` made."""
    session.execute(update(LtiRegistrationTokenRow).where(
        LtiRegistrationTokenRow.id == token_id).values(platform_id=platform_id))
