"""A learner's credit bank account: deposits of their own wallet credentials, and the ledger.

:func:`deposit` takes one of the caller's wallet credentials (by its wallet id), a
:class:`~credstack.core.creditbank.deposits.DepositKind` and a route, and **verifies it again
now** (the wallet's :func:`~credstack.services.wallet.credentials.recheck`). It refuses, with
a :class:`~credstack.errors.DepositRefusedError` saying why, a credential that does not
verify (forged, altered, revoked, suspended…), one that has expired, one already deposited,
or one stating neither credits nor hours; someone else's credential is not found (ids are
never confirmed to strangers). A refused attempt changes nothing and is audited
(``creditbank.deposit-refused``).

A deposit is entered in the ledger (:func:`~credstack.core.creditbank.ledger.post`) in the
credits the credential states — its first stated credit system, else its hours (system
``hours``) — on the day it was earned, naming the credential as its source. The account is
opened at the first deposit or look.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from credstack.adapters.db.repositories import credit_accounts as account_store
from credstack.adapters.db.repositories.credit_accounts import DepositRecord
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.creditbank import (
    Balance,
    Deposit,
    DepositKind,
    LedgerEntry,
    Movement,
    balances,
    deposit_of,
    jurisdictions,
    post,
)
from credstack.core.said import Said
from credstack.core.verification.verdict import Outcome
from credstack.core.wallet.entries import Entry
from credstack.errors import DepositRefusedError, InputError, NotFoundError, Problem
from credstack.services import audit, wallet
from credstack.services.runtime import Runtime
from credstack.words import words

__all__ = ["Account", "StoredDeposit", "account", "deposit", "post_entry", "reverified"]

#: The system of a deposit that states hours only.
HOURS = "hours"


@dataclass(frozen=True, slots=True)
class StoredDeposit:
    deposit: Deposit
    wallet_id: str
    outcome: str
    deposited_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        d = self.deposit
        return {"id": d.id, "credential": d.credential, "wallet_credential": self.wallet_id,
                "kind": d.kind.value, "route": d.route, "earned": str(d.earned),
                "outcome_at_deposit": self.outcome, "entry": d.entry.to_dict(),
                "deposited_at": self.deposited_at.astimezone(dt.UTC).isoformat()}


@dataclass(frozen=True, slots=True)
class Account:
    deposits: tuple[StoredDeposit, ...]
    ledger: tuple[LedgerEntry, ...]
    balances: Mapping[str, Balance]

    def to_dict(self) -> dict[str, Any]:
        return {
            "deposits": [d.to_dict() for d in self.deposits],
            "ledger": [{"movement": e.movement.value, "deposit": e.deposit,
                        "credits": str(e.credits), "system": e.system, "on": str(e.on),
                        "rule": e.rule, "source": e.source, "programme": e.programme}
                       for e in self.ledger],
            "balances": [{"deposit": b.deposit, "system": b.system, "entered": str(b.entered),
                          "available": str(b.available), "withdrawn": str(b.withdrawn),
                          "reserved": {k: str(v) for k, v in b.reserved.items()},
                          "expired": str(b.expired),
                          "withdrawals": {k: str(v) for k, v in b.withdrawals.items()}}
                         for b in self.balances.values()],
        }


def post_entry(session: Session, account_id: int, entry: LedgerEntry, now: dt.datetime
               ) -> None:
    """Append ``entry`` to the account's ledger if the ledger allows it
    (:class:`~credstack.errors.LedgerError` otherwise)."""
    post(account_store.ledger(session, account_id), entry)
    account_store.append(session, account_id, [entry], now)


def stored(row: DepositRecord, verified: bool) -> StoredDeposit:
    entry = Entry.from_dict(row.entry)
    earned = entry.issued.date() if entry.issued is not None else row.deposited_at.date()
    return StoredDeposit(
        deposit_of(entry, id=row.public_id, credential=row.credential,
                   kind=DepositKind(row.kind), route=row.route, verified=verified,
                   earned=earned),
        row.wallet_public_id, row.outcome, row.deposited_at)


def _refusal(item: wallet.WalletItem, now: dt.datetime) -> Said | None:
    if not item.outcome.trusted:
        why = item.failed_reason or item.failed_check or "not verified"
        return Said("creditbank.refused.deposit_not_verified", why=why)
    if item.entry.expired(now):
        return Said("creditbank.refused.deposit_expired")
    if not item.entry.credits and item.entry.hours is None:
        return Said("creditbank.refused.deposit_nothing_to_count")
    return None


def _amount(entry: Entry) -> tuple[str, Decimal]:
    if entry.credits:
        return entry.credits[0]
    assert entry.hours is not None
    return HOURS, entry.hours


def _refuse(runtime: Runtime, subject: str, wallet_id: str, why: Said,
            problems: Sequence[Problem] = ()) -> DepositRefusedError:
    audit.record_separately(runtime.sessions, at=runtime.now(), actor=subject,
                            action="creditbank.deposit-refused",
                            subject=f"wallet-credential:{wallet_id}",
                            details={"reason": words(why, "en")})
    # Said without the wallet's id: the caller knows which credential it sent, and a page
    # shows this sentence to the learner as it is.
    return DepositRefusedError(code="creditbank.refused.deposit", params={"why": why},
                               problems=[Problem("credential", code=why.key,
                                                 params=why.params), *problems])


def deposit(runtime: Runtime, *, actor: Actor, credential: str, kind: str, route: str
            ) -> StoredDeposit:
    """Deposit the caller's wallet credential ``credential`` (see the module docstring)."""
    principal = actor.require(Action.CREDITBANK_WRITE)
    assert principal.user_id is not None
    try:
        chosen = DepositKind(kind)
    except ValueError:
        raise InputError(code="creditbank.refused.unknown_kind",
                         params={"kind": kind, "kinds": ", ".join(DepositKind)},
                         problems=[Problem("kind", f"one of {', '.join(DepositKind)}")]
                         ) from None
    known = sorted({key for place in jurisdictions().values() for key in place.routes})
    if route.strip() not in known:
        raise InputError(code="creditbank.refused.route",
                         problems=[Problem("route", f"one of {', '.join(known)}")])
    try:
        item, _ = wallet.recheck(runtime, user_id=principal.user_id, public_id=credential)
    except NotFoundError as error:  # not in the caller's wallet: nothing said about it
        audit.record_separately(runtime.sessions, at=runtime.now(), actor=principal.subject,
                                action="creditbank.deposit-refused",
                                subject=f"wallet-credential:{credential[:64]}",
                                details={"reason": "not in the depositor's wallet"})
        raise error
    now = runtime.now()
    refusal = _refusal(item, now)
    if refusal is not None:
        raise _refuse(runtime, principal.subject, credential, refusal)
    with runtime.sessions() as session:
        # The same wallet entry, or another entry of the same credential (a wallet may hold
        # two, kept before issue 51): one credential counts once.
        twice = account_store.deposited(
            session, user_id=principal.user_id,
            wallet_credential_id=wallet.owned_row(session, principal.user_id, credential).id,
            credential=item.credential_id)
    if twice is not None:
        raise _refuse(runtime, principal.subject, credential,
                      Said("creditbank.refused.deposit_twice"))
    with runtime.transaction() as session:
        wallet_row = wallet.owned_row(session, principal.user_id, credential)
        owner = account_store.add_account_if_new(session, principal.user_id, now)
        row = account_store.add_deposit(
            session, public_id=secrets.token_hex(16), account=owner,
            wallet_credential_id=wallet_row.id, wallet_public_id=credential,
            credential=item.credential_id or f"wallet:{credential}", kind=chosen.value,
            route=route.strip(), entry=item.entry.to_dict(), outcome=item.outcome.value,
            at=now)
        made = stored(row, verified=True)
        system, amount = _amount(item.entry)
        post_entry(session, owner, LedgerEntry(
            Movement.DEPOSIT, row.public_id, amount, system, made.deposit.earned, "deposit",
            row.credential), now)
        audit.record(session, at=now, actor=principal.subject, action="creditbank.deposited",
                     subject=f"credit-deposit:{row.public_id}",
                     details={"credential": row.credential, "kind": chosen.value,
                              "route": row.route, "credits": str(amount), "system": system})
        return made


def reverified(runtime: Runtime, user_id: int) -> list[StoredDeposit]:
    """The user's deposits, each verified again now: one that no longer verifies (revoked,
    suspended, expired since) or whose credential left the wallet is marked unverified, and
    the engine sets it aside."""
    with runtime.sessions() as session:
        rows = account_store.deposits_of(session, user_id=user_id)
    now = runtime.now()
    found: list[StoredDeposit] = []
    for row in rows:
        verified = False
        if row.wallet_credential_id is not None:
            item, _ = wallet.recheck(runtime, user_id=user_id, public_id=row.wallet_public_id)
            verified = item.verified(now)
        found.append(stored(row, verified))
    return found


def account(runtime: Runtime, *, actor: Actor) -> Account:
    """The caller's account: deposits (as stored, not re-checked), ledger and balances."""
    principal = actor.require(Action.CREDITBANK_READ)
    assert principal.user_id is not None
    with runtime.transaction() as session:
        owner = account_store.add_account_if_new(session, principal.user_id, runtime.now())
        deposits = tuple(stored(row, Outcome(row.outcome).trusted)
                         for row in account_store.deposits_of(session, account=owner))
        entries = account_store.ledger(session, owner)
    return Account(deposits, entries, balances(entries))
