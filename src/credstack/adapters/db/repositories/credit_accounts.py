"""The credit bank's accounts: one a learner, the deposits made into it and its ledger
(tables in :mod:`credstack.adapters.db.tables.creditbank`).

A ledger comes back as the core's :class:`~credstack.core.creditbank.LedgerEntry` values, in
their order; a deposit as :class:`DepositRecord`, its time aware.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.stamps import utc
from credstack.adapters.db.tables.creditbank import (
    CreditAccountRow,
    CreditDepositRow,
    CreditLedgerRow,
)
from credstack.core.creditbank import LedgerEntry, Movement

__all__ = ["DepositRecord", "account_id", "add_deposit", "append", "deposited", "deposits",
           "deposits_of", "existing_account", "ledger"]


@dataclass(frozen=True, slots=True)
class DepositRecord:
    """A credential deposited: which wallet credential it was, the record entry and the
    verification outcome at deposit."""

    public_id: str
    account_id: int
    #: The wallet credential's row (None once it left the wallet) and its public id.
    wallet_credential_id: int | None
    wallet_public_id: str
    credential: str
    kind: str
    route: str
    entry: dict[str, Any]
    outcome: str
    deposited_at: dt.datetime


def _deposit(row: CreditDepositRow) -> DepositRecord:
    return DepositRecord(row.public_id, row.account_id, row.wallet_credential_id,
                         row.wallet_public_id, row.credential, row.kind, row.route,
                         dict(row.entry), row.outcome, utc(row.deposited_at))


# --- accounts ----------------------------------------------------------------------------


def existing_account(session: Session, user_id: int) -> int | None:
    """The id of the user's account; None when they have none yet."""
    return session.scalar(select(CreditAccountRow.id).where(CreditAccountRow.user_id == user_id))


def account_id(session: Session, user_id: int, at: dt.datetime, *, lock: bool = False) -> int:
    """The id of the user's account, opened at ``at`` the first time; ``lock``: held until
    the transaction ends (PostgreSQL's row lock; SQLite's writers are one at a time
    already)."""
    query = select(CreditAccountRow.id).where(CreditAccountRow.user_id == user_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is not None:
        return found
    row = CreditAccountRow(user_id=user_id, opened_at=at)
    session.add(row)
    session.flush()
    return row.id


# --- the ledger --------------------------------------------------------------------------


def ledger(session: Session, account: int) -> tuple[LedgerEntry, ...]:
    """The account's ledger, in its order."""
    rows = session.scalars(select(CreditLedgerRow).where(
        CreditLedgerRow.account_id == account).order_by(CreditLedgerRow.seq))
    return tuple(LedgerEntry(Movement(r.movement), r.deposit, Decimal(r.credits), r.system,
                             r.on_date, r.rule, r.source, r.programme) for r in rows)


def append(session: Session, account: int, entry: LedgerEntry, at: dt.datetime) -> None:
    """Write ``entry`` after the last of the account's ledger (the caller checked that the
    ledger allows it)."""
    seq = (session.scalar(select(func.max(CreditLedgerRow.seq)).where(
        CreditLedgerRow.account_id == account)) or 0) + 1
    session.add(CreditLedgerRow(
        account_id=account, seq=seq, movement=entry.movement.value, deposit=entry.deposit,
        credits=str(entry.credits), system=entry.system, on_date=entry.on, rule=entry.rule,
        source=entry.source, programme=entry.programme, recorded_at=at))
    session.flush()


# --- deposits ----------------------------------------------------------------------------


def deposits_of(session: Session, *, user_id: int | None = None, account: int | None = None
                ) -> list[DepositRecord]:
    """The deposits of the user's account (or of the account ``account``), oldest first."""
    query = select(CreditDepositRow)
    if user_id is not None:
        query = query.join(CreditAccountRow, CreditAccountRow.id == CreditDepositRow.account_id
                           ).where(CreditAccountRow.user_id == user_id)
    if account is not None:
        query = query.where(CreditDepositRow.account_id == account)
    return [_deposit(row) for row in session.scalars(query.order_by(CreditDepositRow.id))]


def deposits(session: Session, public_ids: Iterable[str]) -> list[DepositRecord]:
    """The deposits among ``public_ids``."""
    return [_deposit(row) for row in session.scalars(select(CreditDepositRow).where(
        CreditDepositRow.public_id.in_(list(public_ids))))]


def deposited(session: Session, *, user_id: int, wallet_credential_id: int,
              credential: str | None) -> str | None:
    """The public id of a deposit of the user's of the wallet credential (a row id), or of
    another of the credential ``credential`` (its own id); None for none."""
    same = [CreditDepositRow.wallet_credential_id == wallet_credential_id]
    if credential is not None:
        same.append(CreditDepositRow.credential == credential)
    return session.scalar(select(CreditDepositRow.public_id).join(
        CreditAccountRow, CreditAccountRow.id == CreditDepositRow.account_id).where(
        CreditAccountRow.user_id == user_id, or_(*same)).limit(1))


def add_deposit(session: Session, *, public_id: str, account: int, wallet_credential_id: int,
                wallet_public_id: str, credential: str, kind: str, route: str,
                entry: dict[str, Any], outcome: str, at: dt.datetime) -> DepositRecord:
    """Record a deposit into the account."""
    row = CreditDepositRow(
        public_id=public_id, account_id=account, wallet_credential_id=wallet_credential_id,
        wallet_public_id=wallet_public_id, credential=credential, kind=kind, route=route,
        entry=entry, outcome=outcome, deposited_at=at)
    session.add(row)
    session.flush()
    return _deposit(row)
