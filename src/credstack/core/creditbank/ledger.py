"""A learner's credits as a ledger, not a sum.

Every movement of credits is a :class:`LedgerEntry` of one :class:`Movement`:

* ``deposit`` — a credential's credits are entered (``on`` is the day they were earned;
  ``source`` names the credential);
* ``reserve`` — credits held for one programme while an application is decided;
* ``release`` — reserved credits given back (the application refused, or decided again);
* ``withdraw`` — credits debited into a programme, irrevocably (as India's Academic Bank of
  Credits does): they can never count again, anywhere;
* ``expire`` — credits that lapsed under a rule (the ABC's at most 7 years).

Each entry names its ``source`` (the credential, or the deposit and decision) and the
``rule`` that made it. :func:`balances` replays a ledger and refuses, with a
:class:`~credstack.errors.LedgerError`, any entry the entries before it do not allow:
reserving or withdrawing more than is available, touching an expired or fully withdrawn
deposit, one credential deposited twice (unless the caller's rules allow it), a movement in
another credit system than the deposit's. :func:`post` is the same check for one new entry;
:func:`expiries_due` gives the ``expire`` entries an expiry rule calls for on a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from credstack.errors import LedgerError, Problem

__all__ = ["Balance", "LedgerEntry", "Movement", "balances", "expiries_due", "post"]


class Movement(StrEnum):
    DEPOSIT = "deposit"
    RESERVE = "reserve"
    RELEASE = "release"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    movement: Movement
    deposit: str
    credits: Decimal
    system: str
    on: dt.date
    #: The rule that made the entry (``deposit``, ``jp.prior-learning``, ``in.abc-expiry``…).
    rule: str
    #: The credential for a deposit; the decision or application for the other movements.
    source: str
    #: The programme credits are reserved for or withdrawn into.
    programme: str | None = None


@dataclass(slots=True)
class Balance:
    """One deposit's credits after the entries so far."""

    deposit: str
    credential: str
    system: str
    earned: dt.date
    entered: Decimal
    reserved: dict[str, Decimal] = field(default_factory=dict)
    withdrawn: Decimal = Decimal(0)
    expired: Decimal = Decimal(0)
    #: Credits withdrawn, by the programme they went into.
    withdrawals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def available(self) -> Decimal:
        """Neither reserved, withdrawn nor expired."""
        return self.entered - sum(self.reserved.values(), Decimal(0)) - self.withdrawn \
            - self.expired

    @property
    def lapsed(self) -> bool:
        return self.expired > 0


def balances(entries: Iterable[LedgerEntry], *,
             one_deposit_per_credential: bool = True) -> Mapping[str, Balance]:
    """Every deposit's balance, by deposit id, in the order deposits were entered; any entry
    the entries before it do not allow raises :class:`~credstack.errors.LedgerError`."""
    state: dict[str, Balance] = {}
    credentials: dict[str, str] = {}
    for index, entry in enumerate(entries):
        _apply(state, credentials, entry, index, one_deposit_per_credential)
    return state


def post(entries: Sequence[LedgerEntry], entry: LedgerEntry, *,
         one_deposit_per_credential: bool = True) -> tuple[LedgerEntry, ...]:
    """The ledger with ``entry`` appended, or a :class:`~credstack.errors.LedgerError`."""
    ledger = (*entries, entry)
    balances(ledger, one_deposit_per_credential=one_deposit_per_credential)
    return ledger


def expiries_due(entries: Iterable[LedgerEntry], *, today: dt.date, years: int,
                 rule: str) -> tuple[LedgerEntry, ...]:
    """The ``expire`` entries that ``rule`` (credits count for at most ``years`` after they
    were earned) calls for by ``today``: one per deposit with credits left, dated the day
    its credits lapsed."""
    due: list[LedgerEntry] = []
    for balance in balances(entries, one_deposit_per_credential=False).values():
        left = balance.available + sum(balance.reserved.values(), Decimal(0))
        lapse = years_after(balance.earned, years)
        if left > 0 and not balance.lapsed and lapse <= today:
            due.append(LedgerEntry(Movement.EXPIRE, balance.deposit, left, balance.system,
                                   lapse, rule, balance.deposit))
    return tuple(due)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for a 29 February without one)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _apply(state: dict[str, Balance], credentials: dict[str, str], entry: LedgerEntry,
           index: int, one_per_credential: bool) -> None:
    def refuse(why: str, **params: object) -> LedgerError:
        """The entry refused: ``creditbank.ws.ledger.<why>``, within ``….refused``."""
        fault = Problem(f"entries[{index}]", code=f"creditbank.ws.ledger.{why}", params=params)
        return LedgerError(code="creditbank.ws.ledger.refused", params={
            "n": index + 1, "movement": entry.movement.value, "credits": entry.credits,
            "system": entry.system, "deposit": entry.deposit, "why": fault},
            problems=[fault, Problem("deposit", entry.deposit), Problem("rule", entry.rule)])

    if entry.credits <= 0:
        raise refuse("not_positive")
    if entry.movement is Movement.DEPOSIT:
        if entry.deposit in state:
            raise refuse("entered")
        earlier = credentials.get(entry.source)
        if one_per_credential and earlier is not None:
            raise refuse("deposited_twice", credential=entry.source, earlier=earlier)
        credentials.setdefault(entry.source, entry.deposit)
        state[entry.deposit] = Balance(entry.deposit, entry.source, entry.system, entry.on,
                                       entry.credits)
        return
    balance = state.get(entry.deposit)
    if balance is None:
        raise refuse("no_deposit")
    if entry.system != balance.system:
        raise refuse("other_system", system=balance.system)
    if balance.lapsed:
        raise refuse("expired")
    if entry.movement is Movement.EXPIRE:
        left = balance.available + sum(balance.reserved.values(), Decimal(0))
        if entry.credits > left:
            raise refuse("expire_left", left=left)
        balance.reserved.clear()
        balance.expired = entry.credits
        return
    if entry.programme is None:
        raise refuse("no_programme")
    held = balance.reserved.get(entry.programme, Decimal(0))
    if entry.movement is Movement.RELEASE:
        if entry.credits > held:
            raise refuse("reserved_only", held=held, programme=entry.programme)
        if entry.credits == held:
            balance.reserved.pop(entry.programme, None)
        else:
            balance.reserved[entry.programme] = held - entry.credits
        return
    if balance.withdrawn == balance.entered:
        raise refuse("withdrawn")
    if entry.movement is Movement.RESERVE:
        if entry.credits > balance.available:
            raise refuse("available_only", available=balance.available)
        balance.reserved[entry.programme] = held + entry.credits
        return
    if entry.credits > balance.available + held:
        raise refuse("withdrawable_only", available=balance.available + held,
                     programme=entry.programme)
    from_reserve = min(held, entry.credits)
    if from_reserve == held:
        balance.reserved.pop(entry.programme, None)
    else:
        balance.reserved[entry.programme] = held - from_reserve
    balance.withdrawn += entry.credits
    balance.withdrawals[entry.programme] = (balance.withdrawals.get(entry.programme, Decimal(0))
                                            + entry.credits)
