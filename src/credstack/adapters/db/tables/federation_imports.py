"""The imported registries' tables (migration ``0039_federation_imports``): other registries'
recognised providers, kept apart from credstack's own recognitions (issue 42, part 4).

* ``federation_sources`` — a registry imported from: its address (an OpenID Federation
  anchor or a CTDL graph), kind, name, when it was fetched and until when what it said holds,
  the anchor keys an administrator pinned for it (``0042_federation_pins``), and when and
  why its last refresh was refused (``0044_federation_refresh``; cleared by the next import);
* ``federation_listings`` — each provider it lists: names, country, address, issuer
  DIDs, programmes and whether the source marks it recognised;
* ``federation_listing_dids`` — each issuer DID of an imported provider, for the trust check.

A source's rows are replaced whole on every import and deleted with it (``ON DELETE
CASCADE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument


class FederationSourceRow(Base):
    """A registry imported from."""

    __tablename__ = "federation_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The anchor's entity identifier, or the CTDL graph's address.
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    #: ``oidf`` or ``ctdl``.
    kind: Mapped[str] = mapped_column(String(8))
    #: The registry's name per language, as its listings are labelled.
    name: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    fetched_at: Mapped[dt.datetime] = mapped_column(STAMP)
    valid_until: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The JWK set the anchor's statements must be signed with, when pinned.
    pinned_jwks: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    #: When the last refresh was refused (what was kept stays), its reason and message.
    refused_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    refusal_reason: Mapped[str | None] = mapped_column(String(40))
    refusal: Mapped[str | None] = mapped_column(Text)


class FederationListingRow(Base):
    """A provider as an imported registry lists it."""

    __tablename__ = "federation_listings"
    __table_args__ = (
        UniqueConstraint("source_id", "entity_id", name="uq_federation_listings_entity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("federation_sources.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[str] = mapped_column(String(2048))
    name: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    country: Mapped[str | None] = mapped_column(String(8))
    url: Mapped[str | None] = mapped_column(Text)
    #: ``[{"id", "title"}]``: the programmes the source lists for the provider.
    programmes: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    recognised: Mapped[bool] = mapped_column(Boolean)


class FederationListingDidRow(Base):
    """An issuer DID of an imported provider."""

    __tablename__ = "federation_listing_dids"
    __table_args__ = (
        UniqueConstraint("listing_id", "did", name="uq_federation_listing_dids_listing_did"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("federation_listings.id", ondelete="CASCADE"), index=True
    )
    did: Mapped[str] = mapped_column(String(2048), index=True)
