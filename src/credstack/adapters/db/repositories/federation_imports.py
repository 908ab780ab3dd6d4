"""The imported registries' queries: a source replaced whole, listed, forgotten, and the
providers that list an issuer DID (issue 42, part 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import (
    FederationListingDidRow,
    FederationListingRow,
    FederationSourceRow,
)
from credstack.adapters.db.times import utc
from credstack.core.federation.imports import ImportedProgramme, ImportedProvider

__all__ = ["Refusal", "Source", "forget", "kind_of", "listings_of", "pinned", "refused",
           "replace", "sources"]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the last refresh of a source was refused, and when (what it listed stays)."""

    at: dt.datetime
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class Source:
    """A registry imported from, and how many providers it listed."""

    url: str
    kind: str
    name: Mapping[str, str]
    fetched_at: dt.datetime
    valid_until: dt.datetime | None
    providers: tuple[ImportedProvider, ...] = ()
    #: The anchor keys pinned for the source, if any.
    pinned_jwks: Mapping[str, Any] | None = None
    #: The last refresh refused since the source was last imported, if any.
    refusal: Refusal | None = None
    #: Of the import that returned it (not kept): how many subordinates the list named, and
    #: why the import stopped before reading them all (``deadline``, ``limit``; None: it
    #: did not).
    listed: int | None = None
    stopped: str | None = None


def _provider(row: FederationListingRow, dids: Sequence[str]) -> ImportedProvider:
    return ImportedProvider(
        row.entity_id,
        dict(row.name),
        row.country,
        row.url,
        tuple(dids),
        tuple(ImportedProgramme.from_json(item) for item in row.programmes),
        recognised=row.recognised,
    )


def _source(row: FederationSourceRow, providers: Sequence[ImportedProvider] = ()) -> Source:
    return Source(row.url, row.kind, dict(row.name), utc(row.fetched_at),
                  utc(row.valid_until) if row.valid_until else None, tuple(providers),
                  dict(row.pinned_jwks) if row.pinned_jwks else None,
                  Refusal(utc(row.refused_at), row.refusal_reason or "", row.refusal or "")
                  if row.refused_at else None)


def replace(
    session: Session,
    *,
    url: str,
    kind: str,
    name: Mapping[str, str],
    fetched_at: dt.datetime,
    valid_until: dt.datetime | None,
    providers: Sequence[ImportedProvider],
    pinned_jwks: Mapping[str, Any] | None = None,
) -> bool:
    """Keep ``providers`` as what source ``url`` lists, in place of what it listed before,
    and ``pinned_jwks`` as its pinned keys; True when the source is new."""
    row = session.scalars(
        select(FederationSourceRow).where(FederationSourceRow.url == url).with_for_update()
    ).one_or_none()
    created = row is None
    if row is None:
        row = FederationSourceRow(url=url)
        session.add(row)
    else:
        _delete_listings(session, row.id)
    row.kind, row.name = kind, dict(name)
    row.fetched_at, row.valid_until = fetched_at, valid_until
    row.pinned_jwks = dict(pinned_jwks) if pinned_jwks else None
    row.refused_at = row.refusal_reason = row.refusal = None
    session.flush()
    for provider in providers:
        listing = FederationListingRow(
            source_id=row.id,
            entity_id=provider.entity_id,
            name=dict(provider.name),
            country=provider.country,
            url=provider.url,
            programmes=[item.to_json() for item in provider.programmes],
            recognised=provider.recognised,
        )
        session.add(listing)
        session.flush()
        session.add_all(FederationListingDidRow(listing_id=listing.id, did=did)
                        for did in provider.dids)
    session.flush()
    return created


def _delete_listings(session: Session, source_id: int) -> None:
    listings = select(FederationListingRow.id).where(FederationListingRow.source_id == source_id)
    session.execute(delete(FederationListingDidRow).where(
        FederationListingDidRow.listing_id.in_(listings)))
    session.execute(delete(FederationListingRow).where(
        FederationListingRow.source_id == source_id))


def refused(session: Session, *, url: str, at: dt.datetime, reason: str,
            message: str) -> bool:
    """Record that refreshing source ``url`` was refused (what it lists is left as it was);
    False when there is no such source."""
    row = session.scalars(
        select(FederationSourceRow).where(FederationSourceRow.url == url).with_for_update()
    ).one_or_none()
    if row is None:
        return False
    row.refused_at, row.refusal_reason, row.refusal = at, reason[:40], message[:4000]
    session.flush()
    return True


def kind_of(session: Session, *, url: str) -> str | None:
    """The kind of source ``url`` (``oidf``, ``ctdl``, ``member``), if it is kept."""
    found: str | None = session.scalars(select(FederationSourceRow.kind).where(
        FederationSourceRow.url == url)).one_or_none()
    return found


def pinned(session: Session, *, url: str) -> dict[str, Any] | None:
    """The keys pinned for source ``url``, if it is kept and has any."""
    found = session.scalars(select(FederationSourceRow.pinned_jwks).where(
        FederationSourceRow.url == url)).one_or_none()
    return dict(found) if found else None


def forget(session: Session, *, url: str) -> Source | None:
    """Delete source ``url`` and everything it listed; what was deleted, or None."""
    row = session.scalars(
        select(FederationSourceRow).where(FederationSourceRow.url == url).with_for_update()
    ).one_or_none()
    if row is None:
        return None
    found = _source(row)
    _delete_listings(session, row.id)
    session.delete(row)
    session.flush()
    return found


def sources(session: Session, *, with_providers: bool = False) -> list[Source]:
    """Every source, by address; with the providers each lists when asked."""
    rows = session.scalars(select(FederationSourceRow).order_by(FederationSourceRow.url)).all()
    if not with_providers:
        return [_source(row) for row in rows]
    dids: dict[int, list[str]] = {}
    for listing_id, did in session.execute(
        select(FederationListingDidRow.listing_id, FederationListingDidRow.did)
        .order_by(FederationListingDidRow.id)
    ):
        dids.setdefault(listing_id, []).append(did)
    listed: dict[int, list[ImportedProvider]] = {}
    for listing in session.scalars(
        select(FederationListingRow).order_by(FederationListingRow.id)
    ):
        provider = _provider(listing, dids.get(listing.id, []))
        listed.setdefault(listing.source_id, []).append(provider)
    return [_source(row, listed.get(row.id, ())) for row in rows]


def listings_of(session: Session, *, did: str) -> list[tuple[Source, ImportedProvider]]:
    """The imported providers that list ``did``, each with its source (by source address)."""
    rows = session.execute(
        select(FederationSourceRow, FederationListingRow)
        .join(FederationListingRow, FederationListingRow.source_id == FederationSourceRow.id)
        .join(FederationListingDidRow,
              FederationListingDidRow.listing_id == FederationListingRow.id)
        .where(FederationListingDidRow.did == did)
        .order_by(FederationSourceRow.url, FederationListingRow.id)
    ).all()
    found = []
    for source, listing in rows:
        dids = session.scalars(
            select(FederationListingDidRow.did)
            .where(FederationListingDidRow.listing_id == listing.id)
            .order_by(FederationListingDidRow.id)
        ).all()
        found.append((_source(source), _provider(listing, dids)))
    return found
