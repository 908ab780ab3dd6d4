"""Tables of learners' wallets (migration ``0012_wallet``).

* ``wallet_identifiers``: a learner's identifiers (e-mail addresses, student numbers, DIDs,
  URLs …), normalised; one identifier belongs to one learner on the platform.
* ``holder_keys``: each learner's holder key, its secret sealed with the master key as issuer
  keys are (``keystore``), for presentations and the CLRs a learner signs.
* ``wallet_credentials``: what a learner imported, kept byte for byte (``original``) with the
  report of its verification at import (never changed), the record entry read from it, and
  the outcome of its latest check (re-checked when shown).
* ``wallet_tags``, ``wallet_collections``, ``wallet_collection_items``: how the learner
  organises the wallet.
* ``wallet_dismissed``: credentials issued here that the learner removed (never delivered
  again).
* ``wallet_shares``: links that show a credential or a collection to anyone who has them;
  the link's secret is random (256 bits) and only its SHA-256 digest is kept, with an
  optional access code hashed like a password.

Deleting a user deletes their wallet (every foreign key cascades).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument, SealedSecret


class WalletIdentifierRow(Base):
    __tablename__ = "wallet_identifiers"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_wallet_identifiers_kind_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    #: An ``IdentifierType`` value (``email``, ``student-id``, ``did`` …).
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: When the learner was shown to control it (the sign-in address, the holder DID);
    #: credentials issued on this platform are delivered only to verified identifiers.
    verified_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class HolderKeyRow(SealedSecret, Base):
    __tablename__ = "holder_keys"
    __table_args__ = (CheckConstraint("length(nonce) = 12", name="nonce_length"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    key_type: Mapped[str] = mapped_column(String(16))
    public_multibase: Mapped[str] = mapped_column(String(128))


class WalletCredentialRow(Base):
    __tablename__ = "wallet_credentials"
    __table_args__ = (
        UniqueConstraint("user_id", "digest", name="uq_wallet_credentials_user_digest"),
        CheckConstraint("source IN ('upload', 'paste', 'url', 'issued')", name="source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The id in URLs (random, 128 bits): row numbers are never shown.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    #: SHA-256 of ``original`` (hex): the same bytes are kept once per wallet.
    digest: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    #: The format the verifier read it as (``vc``, ``ob2``, ``clr``, ``image``, ``pdf``).
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    source_url: Mapped[str | None] = mapped_column(String(2048))
    #: The credential's own ``id``, when it states one (links issued credentials).
    credential_id: Mapped[str | None] = mapped_column(String(2048), index=True)
    #: Which of the learner's identifiers the credential names (``email:…``), if any.
    recipient: Mapped[str | None] = mapped_column(String(520))
    imported_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: The record entry (``core.wallet.entries.Entry.to_dict``).
    entry: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: The latest check: its outcome (``verified``, ``verified-with-warnings``,
    #: ``not-verified``), the first failed check's name, why it failed in the verdict's
    #: words (``revoked``, ``expired`` …: migration ``0013_wallet_failed_reason``), and when.
    outcome: Mapped[str] = mapped_column(String(32))
    failed_check: Mapped[str | None] = mapped_column(String(64))
    failed_reason: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[dt.datetime] = mapped_column(STAMP)
    note: Mapped[str] = mapped_column(Text, default="")
    # The large columns last: on SQLite, reading the columns before them does not walk their
    # overflow pages (migration ``0026_wallet_columns_last``). Loaded when first used: most
    # readers of a row (lists, organising, rechecking) need neither, and the report is 20 KB
    # of JSON to parse.
    #: The bytes as imported, never rewritten.
    original: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: The verification report at import, as the verifier wrote it.
    import_report: Mapped[dict[str, Any]] = mapped_column(JsonDocument, deferred=True)


class WalletTagRow(Base):
    __tablename__ = "wallet_tags"
    __table_args__ = (UniqueConstraint("credential_id", "tag",
                                       name="uq_wallet_tags_credential_tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_id: Mapped[int] = mapped_column(
        ForeignKey("wallet_credentials.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(64))


class WalletCollectionRow(Base):
    __tablename__ = "wallet_collections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)


class WalletCollectionItemRow(Base):
    __tablename__ = "wallet_collection_items"
    __table_args__ = (UniqueConstraint("collection_id", "credential_id",
                                       name="uq_wallet_collection_items_collection_credential"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("wallet_collections.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[int] = mapped_column(
        ForeignKey("wallet_credentials.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[dt.datetime] = mapped_column(STAMP)


class WalletShareRow(Base):
    __tablename__ = "wallet_shares"
    __table_args__ = (
        CheckConstraint("(credential_id IS NULL) <> (collection_id IS NULL)",
                        name="one_target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: SHA-256 of the link's secret (hex); the secret itself is shown once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("wallet_credentials.id", ondelete="CASCADE"), index=True)
    collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("wallet_collections.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    #: An access code's argon2id hash, when the link asks for one.
    access_code_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    views: Mapped[int] = mapped_column(Integer, default=0)
    last_viewed_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class WalletDismissedRow(Base):
    """A credential the learner removed from the wallet: if it was issued on this platform,
    it is not delivered again."""

    __tablename__ = "wallet_dismissed"
    __table_args__ = (UniqueConstraint("user_id", "credential_id",
                                       name="uq_wallet_dismissed_user_credential"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    credential_id: Mapped[str] = mapped_column(String(2048))
    dismissed_at: Mapped[dt.datetime] = mapped_column(STAMP)
