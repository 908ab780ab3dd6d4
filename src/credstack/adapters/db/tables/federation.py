"""The federation keys table (migration ``0031_federation_keys``): the OpenID Federation
entity keys of credstack's trust anchor and of each recognised provider it publishes, their
secrets sealed with the master key; and the intermediate entities the anchor lists
(``0041_federation_intermediates``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument, SealedSecret, one_active


class FederationKeyRow(SealedSecret, Base):
    """A federation entity key (sealed secret) of the anchor or of a provider's entity.

    Like ``issuer_keys``: never deleted, at most one active key per entity (a partial unique
    index on SQLite and PostgreSQL alike). A retired key stays published in the entity's JWK
    set until ``published_until``, so that statements it signed keep verifying until they
    expire.
    """

    __tablename__ = "federation_keys"
    __table_args__ = (
        UniqueConstraint("kid", name="uq_federation_keys_kid"),
        CheckConstraint("length(nonce) = 12", name="nonce_length"),
        CheckConstraint("key_type IN ('Ed25519', 'P-256')", name="key_type"),
        one_active("uq_federation_keys_active", "entity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Whose key: ``anchor``, or ``organisation:<slug>`` for a provider's entity.
    entity: Mapped[str] = mapped_column(String(80), index=True)
    key_type: Mapped[str] = mapped_column(String(16))
    #: The JWK thumbprint (RFC 7638, SHA-256): the ``kid`` statements name.
    kid: Mapped[str] = mapped_column(String(64))
    public_multibase: Mapped[str] = mapped_column(String(128))
    retired_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    published_until: Mapped[dt.datetime | None] = mapped_column(STAMP)


class FederationIntermediateRow(Base):
    """An intermediate entity the anchor lists (migration ``0041_federation_intermediates``):
    an organisation's own credstack (or another federation entity) whose configuration names
    the anchor among its authority hints. The anchor states the keys and names read from its
    configuration when the operator registered it; registering it again refreshes them."""

    __tablename__ = "federation_intermediates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(2048), unique=True)
    jwks: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    name: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    registered_at: Mapped[dt.datetime] = mapped_column(STAMP)
