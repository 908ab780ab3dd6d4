"""The credit bank's targets: each published version of an organisation's pathway file, kept
as written (table in :mod:`credstack.adapters.db.tables.creditbank`).

A version comes back as :class:`StoredTarget` with its organisation's slug; the parsing of its
text is the core's (:func:`credstack.core.creditbank.load_target`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow
from credstack.adapters.db.tables.creditbank import CreditTargetRow
from credstack.adapters.db.times import utc

__all__ = ["PublishedKey", "StoredTarget", "add", "earlier_versions", "newest_version",
           "published", "published_keys", "published_version", "texts", "version",
           "versions"]


@dataclass(frozen=True, slots=True)
class StoredTarget:
    """A version of a target: its pathway file as published, and by which organisation."""

    id: int
    public_id: str
    organisation_id: int
    #: The organisation's slug.
    organisation: str
    target_id: str
    version: int
    text: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PublishedKey:
    """A published version without its pathway file: what a listing needs to pick each
    target's newest."""

    public_id: str
    organisation_id: int
    organisation: str
    target_id: str
    version: int
    created_at: dt.datetime


def _published(*conditions: Any) -> Any:
    return select(CreditTargetRow, OrganisationRow.slug).join(
        OrganisationRow, OrganisationRow.id == CreditTargetRow.organisation_id).where(
        CreditTargetRow.published.is_(True), *conditions).order_by(CreditTargetRow.version)


def _stored(row: CreditTargetRow, slug: str) -> StoredTarget:
    return StoredTarget(row.id, row.public_id, row.organisation_id, slug, row.target_id,
                        row.version, row.text, utc(row.created_at))


def newest_version(session: Session, *, organisation_id: int, target_id: str,
                   published_only: bool = False) -> int:
    """The organisation's newest version number of ``target_id`` (of the published ones
    with ``published_only``); 0 for none."""
    query = select(func.max(CreditTargetRow.version)).where(
        CreditTargetRow.organisation_id == organisation_id,
        CreditTargetRow.target_id == target_id)
    if published_only:
        query = query.where(CreditTargetRow.published.is_(True))
    return session.scalar(query) or 0


def add(session: Session, *, public_id: str, organisation_id: int, target_id: str,
        version: int, text: str, by: str, at: dt.datetime) -> None:
    """Publish version ``version`` of the organisation's ``target_id``."""
    session.add(CreditTargetRow(public_id=public_id, organisation_id=organisation_id,
                                target_id=target_id, version=version, text=text,
                                published=True, published_by=by, created_at=at))
    session.flush()


def published(session: Session, *, organisation: str | None = None) -> list[StoredTarget]:
    """Every published version (of the organisation of slug ``organisation``), oldest
    version first."""
    query = _published(*(() if organisation is None else (OrganisationRow.slug == organisation,)))
    return [_stored(row, slug) for row, slug in session.execute(query)]


def published_version(session: Session, public_id: str) -> StoredTarget | None:
    """The published version ``public_id``; None for none."""
    found = session.execute(_published(CreditTargetRow.public_id == public_id)).first()
    return None if found is None else _stored(found[0], found[1])


def version(session: Session, public_id: str) -> StoredTarget | None:
    """The version ``public_id``, published or not; None for none."""
    found = session.execute(select(CreditTargetRow, OrganisationRow.slug).join(
        OrganisationRow, OrganisationRow.id == CreditTargetRow.organisation_id).where(
        CreditTargetRow.public_id == public_id)).first()
    return None if found is None else _stored(found[0], found[1])


def earlier_versions(session: Session, target: StoredTarget) -> set[int]:
    """The row ids of the versions of ``target``'s target before it, published or not."""
    return set(session.scalars(select(CreditTargetRow.id).where(
        CreditTargetRow.organisation_id == target.organisation_id,
        CreditTargetRow.target_id == target.target_id,
        CreditTargetRow.version < target.version)))


def versions(session: Session, *, organisation_id: int, target_id: str) -> list[StoredTarget]:
    """Every published version of the organisation's ``target_id``, oldest first."""
    return [_stored(row, slug) for row, slug in session.execute(_published(
        CreditTargetRow.organisation_id == organisation_id,
        CreditTargetRow.target_id == target_id))]


def published_keys(session: Session) -> list[PublishedKey]:
    """Every published version without its pathway file, oldest version first."""
    return [PublishedKey(public_id, organisation_id, slug, target_id, version, utc(created_at))
            for public_id, organisation_id, target_id, version, created_at, slug
            in session.execute(select(
                CreditTargetRow.public_id, CreditTargetRow.organisation_id,
                CreditTargetRow.target_id, CreditTargetRow.version, CreditTargetRow.created_at,
                OrganisationRow.slug).join(
                OrganisationRow, OrganisationRow.id == CreditTargetRow.organisation_id).where(
                CreditTargetRow.published.is_(True)).order_by(CreditTargetRow.version))]


def texts(session: Session, public_ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """(public id, target id, pathway file) of the versions among ``public_ids``."""
    return [(public_id, target_id, text) for public_id, target_id, text in session.execute(
        select(CreditTargetRow.public_id, CreditTargetRow.target_id, CreditTargetRow.text)
        .where(CreditTargetRow.public_id.in_(list(public_ids))))]
