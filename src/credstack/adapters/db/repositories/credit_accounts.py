"""The credit bank's accounts: one a learner, the deposits made into it and its ledger
(tables in :mod:`credstack.adapters.db.tables.creditbank`).

A ledger comes back as the core's :class:`~credstack.core.creditbank.LedgerEntry` values, in
their order; a deposit as :class:`DepositRecord`, its time aware.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.creditbank import (
    CreditAccountRow,
    CreditDepositRow,
    CreditLedgerRow,
)
from credstack.adapters.db.times import utc
from credstack.core.creditbank import LedgerEntry, Movement
from credstack.errors import LedgerError

__all__ = ["DepositRecord", "add_account_if_new", "add_deposit", "append", "deposited",
           "deposits", "deposits_of", "deposits_of_accounts", "deposits_of_credential",
           "existing_account", "ledger", "ledgers"]


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


def add_account_if_new(session: Session, user_id: int, at: dt.datetime, *,
                       lock: bool = False) -> int:
    """The id of the user's account, opened at ``at`` the first time (or found opened by
    another transaction at the same moment); ``lock``: held until the transaction ends
    (PostgreSQL's row lock; SQLite's writers are one at a time already)."""
    query = select(CreditAccountRow.id).where(CreditAccountRow.user_id == user_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is not None:
        return found
    row = CreditAccountRow(user_id=user_id, opened_at=at)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # opened by another transaction meanwhile
        opened = session.scalar(query)
        assert opened is not None
        return opened
    return row.id


# --- the ledger --------------------------------------------------------------------------


def ledger(session: Session, account: int) -> tuple[LedgerEntry, ...]:
    """The account's ledger, in its order."""
    rows = session.scalars(select(CreditLedgerRow).where(
        CreditLedgerRow.account_id == account).order_by(CreditLedgerRow.seq))
    return tuple(LedgerEntry(Movement(r.movement), r.deposit, Decimal(r.credits), r.system,
                             r.on_date, r.rule, r.source, r.programme) for r in rows)


def ledgers(session: Session, accounts: Iterable[int]) -> dict[int, list[LedgerEntry]]:
    """The ledgers of ``accounts``, each in its order (an account with none left out)."""
    found: dict[int, list[LedgerEntry]] = {}
    for line in session.execute(select(
            CreditLedgerRow.account_id, CreditLedgerRow.movement, CreditLedgerRow.deposit,
            CreditLedgerRow.credits, CreditLedgerRow.system, CreditLedgerRow.on_date,
            CreditLedgerRow.rule, CreditLedgerRow.source, CreditLedgerRow.programme).where(
            CreditLedgerRow.account_id.in_(list(accounts))).order_by(
            CreditLedgerRow.account_id, CreditLedgerRow.seq)):
        found.setdefault(line.account_id, []).append(LedgerEntry(
            Movement(line.movement), line.deposit, Decimal(line.credits), line.system,
            line.on_date, line.rule, line.source, line.programme))
    return found


def append(session: Session, account: int, entries: Sequence[LedgerEntry], at: dt.datetime
           ) -> None:
    """Write ``entries`` after the last of the account's ledger, in order (the caller
    checked that the ledger allows them); a :class:`~credstack.errors.LedgerError` when
    another transaction wrote to the ledger at the same moment (the caller's transaction can
    only be rolled back)."""
    if not entries:
        return
    seq = session.scalar(select(func.max(CreditLedgerRow.seq)).where(
        CreditLedgerRow.account_id == account)) or 0
    try:
        session.execute(insert(CreditLedgerRow), [
            {"account_id": account, "seq": seq + index, "movement": entry.movement.value,
             "deposit": entry.deposit, "credits": str(entry.credits), "system": entry.system,
             "on_date": entry.on, "rule": entry.rule, "source": entry.source,
             "programme": entry.programme, "recorded_at": at}
            for index, entry in enumerate(entries, start=1)])
    except IntegrityError:
        raise LedgerError("Another change to the credit ledger was made at the same moment: "
                          "try again. / 同時に単位台帳が更新されました。もう一度お試し"
                          "ください。") from None


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


def deposits_of_accounts(session: Session, accounts: Iterable[int]) -> list[DepositRecord]:
    """The deposits of ``accounts``, oldest first."""
    return [_deposit(row) for row in session.scalars(select(CreditDepositRow).where(
        CreditDepositRow.account_id.in_(list(accounts))).order_by(CreditDepositRow.id))]


def deposits_of_credential(session: Session, credential: str) -> list[tuple[str, int]]:
    """(public id, account id) of the deposits of the credential ``credential`` (its own
    id)."""
    return [(public_id, account_id) for public_id, account_id in session.execute(
        select(CreditDepositRow.public_id, CreditDepositRow.account_id).where(
            CreditDepositRow.credential == credential))]


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
