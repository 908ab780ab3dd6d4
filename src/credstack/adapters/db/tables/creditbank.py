"""The credit bank (migration ``0019_creditbank``; issue 16).

* ``credit_targets``: a target's pathway file as an organisation published it (the text, kept
  as written), with the id and version it was parsed to. Publishing the same id again makes
  the next version; a published version is never changed.
* ``credit_accounts``: one per learner user.
* ``credit_deposits``: a wallet credential deposited into an account, with its kind and
  route, the record entry as it was at deposit (``entry``) and the verification outcome then.
  One credential is deposited once per account.
* ``credit_ledger``: the account's ledger (:mod:`credstack.core.creditbank.ledger`),
  append-only — entries are only ever inserted (a trigger refuses updates); ``seq`` orders
  them within the account.
* ``credit_applications``: a learner's application for credit transfer into a target, the
  evaluated decision (``Decision.to_dict``), the registrar's adjustments with their reasons,
  the outcome and the credential issued on approval, and the flag set when a counted
  credential no longer verifies (``0020_creditbank_lifecycle``, which also lets reserved
  credits be released). ``version`` grows at each change, so
  that of two concurrent approvals only the first to write wins.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument


class CreditTargetRow(Base):
    __tablename__ = "credit_targets"
    __table_args__ = (
        UniqueConstraint("public_id", name="uq_credit_targets_public_id"),
        UniqueConstraint("organisation_id", "target_id", "version",
                         name="uq_credit_targets_organisation_target"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The id in URLs (random, 128 bits).
    public_id: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: The target's own id, as the pathway file states it (``u/bachelor``).
    target_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    #: The pathway file (YAML or JSON) as published.
    text: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean)
    published_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)


class CreditAccountRow(Base):
    __tablename__ = "credit_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    opened_at: Mapped[dt.datetime] = mapped_column(STAMP)


class CreditDepositRow(Base):
    __tablename__ = "credit_deposits"
    __table_args__ = (
        UniqueConstraint("public_id", name="uq_credit_deposits_public_id"),
        UniqueConstraint("account_id", "wallet_credential_id",
                         name="uq_credit_deposits_account_credential"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("credit_accounts.id", ondelete="CASCADE"), index=True)
    #: The wallet credential deposited (its row; the wallet's public id is kept too, since a
    #: learner may later remove the credential from the wallet: the deposit stays).
    wallet_credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("wallet_credentials.id", ondelete="SET NULL"))
    wallet_public_id: Mapped[str] = mapped_column(String(32))
    #: The credential's own id (``urn:uuid:…``), else the wallet's public id.
    credential: Mapped[str] = mapped_column(String(2048))
    kind: Mapped[str] = mapped_column(String(32))
    route: Mapped[str] = mapped_column(String(64))
    #: The record entry at deposit (``Entry.to_dict``).
    entry: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: The verification outcome at deposit.
    outcome: Mapped[str] = mapped_column(String(32))
    deposited_at: Mapped[dt.datetime] = mapped_column(STAMP)


class CreditLedgerRow(Base):
    __tablename__ = "credit_ledger"
    __table_args__ = (
        UniqueConstraint("account_id", "seq", name="uq_credit_ledger_account_seq"),
        CheckConstraint("movement IN ('deposit', 'reserve', 'release', 'withdraw', 'expire')",
                        name="movement"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("credit_accounts.id", ondelete="CASCADE"))
    #: 1, 2, … within the account: the ledger's order.
    seq: Mapped[int] = mapped_column(Integer)
    movement: Mapped[str] = mapped_column(String(16))
    #: The deposit's public id.
    deposit: Mapped[str] = mapped_column(String(32))
    #: A decimal, as a string (exact).
    credits: Mapped[str] = mapped_column(String(32))
    system: Mapped[str] = mapped_column(String(32))
    on_date: Mapped[dt.date] = mapped_column(Date)
    rule: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(2048))
    programme: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(STAMP)


class CreditApplicationRow(Base):
    __tablename__ = "credit_applications"
    __table_args__ = (
        UniqueConstraint("public_id", name="uq_credit_applications_public_id"),
        CheckConstraint("state IN ('submitted', 'approved', 'refused')", name="state"),
        Index("ix_credit_applications_target", "target_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("credit_accounts.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("credit_targets.id"))
    state: Mapped[str] = mapped_column(String(16))
    #: The evaluated decision (``Decision.to_dict``), as at application.
    decision: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: The registrar's adjustments: ``[{"deposit", "credits", "reason", "by", "at"}]``.
    adjustments: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    #: The credits granted after adjustments (a decimal string).
    granted: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    #: Grows at each change: an update names the version it read (optimistic locking).
    version: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(STAMP)
    decided_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The id of the credential issued to the learner when approved (``urn:uuid:…``).
    credential_id: Mapped[str | None] = mapped_column(String(2048))
    #: Set when a credential the decision counted no longer verifies (migration 0020):
    #: ``{"reason", "deposits": [{"deposit", "credential", "why"}], "by"}``; the registrar
    #: reviews it. Cleared never: the history stays in the audit log and here.
    flag: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    flagged_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
