"""Organisations' logos in the store (``organisation_logos``): one per organisation; and
programmes' badge designs (``programme_badge_styles``): one per programme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import (
    OrganisationLogoRow,
    OrganisationRow,
    ProgrammeBadgeStyleRow,
)
from credstack.adapters.db.times import utc

__all__ = ["StoredLogo", "badge_logo", "badge_style", "forget_logo", "logo", "set_badge_style",
           "set_logo", "with_logos"]


@dataclass(frozen=True, slots=True)
class StoredLogo:
    """An organisation's logo as kept: its bytes, media type, SHA-256 and when it was set."""

    media_type: str
    data: bytes
    sha256: str
    updated_at: dt.datetime


def logo(session: Session, *, slug: str) -> StoredLogo | None:
    """The logo of the organisation ``slug``, if it has one."""
    row = session.scalar(select(OrganisationLogoRow).join(
        OrganisationRow, OrganisationRow.id == OrganisationLogoRow.organisation_id)
        .where(OrganisationRow.slug == slug))
    if row is None:
        return None
    return StoredLogo(row.media_type, row.data, row.sha256, utc(row.updated_at))


def badge_logo(session: Session, *, slug: str) -> bytes | None:
    """The small PNG of the organisation's logo that its badges embed."""
    raster: bytes | None = session.scalar(select(OrganisationLogoRow.raster).join(
        OrganisationRow, OrganisationRow.id == OrganisationLogoRow.organisation_id)
        .where(OrganisationRow.slug == slug))
    return raster


def with_logos(session: Session, slugs: Iterable[str | None]) -> frozenset[str]:
    """Which of the organisations ``slugs`` have a logo."""
    wanted = {slug for slug in slugs if slug}
    if not wanted:
        return frozenset()
    return frozenset(session.scalars(select(OrganisationRow.slug).join(
        OrganisationLogoRow, OrganisationLogoRow.organisation_id == OrganisationRow.id)
        .where(OrganisationRow.slug.in_(sorted(wanted)))))


def set_logo(session: Session, *, organisation_id: int, media_type: str, data: bytes,
             raster: bytes, sha256: str, now: dt.datetime) -> bool:
    """Keep the organisation's logo (replacing one it had); whether anything changed."""
    row = session.scalar(select(OrganisationLogoRow).where(
        OrganisationLogoRow.organisation_id == organisation_id))
    if row is None:
        session.add(OrganisationLogoRow(organisation_id=organisation_id, media_type=media_type,
                                        data=data, raster=raster, sha256=sha256,
                                        updated_at=now))
        return True
    if row.sha256 == sha256:
        return False
    row.media_type, row.data, row.raster, row.sha256 = media_type, data, raster, sha256
    row.updated_at = now
    return True


def forget_logo(session: Session, *, organisation_id: int) -> bool:
    """Remove the organisation's logo; whether it had one."""
    result = session.execute(delete(OrganisationLogoRow).where(
        OrganisationLogoRow.organisation_id == organisation_id))
    return bool(getattr(result, "rowcount", 0))


def badge_style(session: Session, *, programme_id: int) -> tuple[str, str | None] | None:
    """The template and colour the programme's badge designer chose, if it chose."""
    row = session.scalar(select(ProgrammeBadgeStyleRow).where(
        ProgrammeBadgeStyleRow.programme_id == programme_id))
    return None if row is None else (row.template, row.colour)


def set_badge_style(session: Session, *, programme_id: int, template: str,
                    colour: str | None, now: dt.datetime) -> bool:
    """Keep the programme's badge design (replacing the one it had); whether it changed."""
    row = session.scalar(select(ProgrammeBadgeStyleRow).where(
        ProgrammeBadgeStyleRow.programme_id == programme_id))
    if row is None:
        session.add(ProgrammeBadgeStyleRow(programme_id=programme_id, template=template,
                                           colour=colour, updated_at=now))
        return True
    if (row.template, row.colour) == (template, colour):
        return False
    row.template, row.colour, row.updated_at = template, colour, now
    return True
