"""A deposit: one piece of a learner's learning, as the credit bank counts it.

A :class:`Deposit` is a wallet :class:`~credstack.core.wallet.entries.Entry` (what the
credential states: achievement, hours, credits, levels, fields) with what the credit bank
adds: its :class:`DepositKind`, the *route* by which it reaches a programme (a route of the
target's jurisdiction: ``other-university``, ``apel-c``, ``accredited-course``…), whether it
verified at the last check, the grade and the day it was earned. :func:`deposit_of` builds
one from an entry, taking the day of issue as the day earned unless told otherwise.

Verification is the caller's (a service verifies at deposit and again at decision time);
the core only reads the ``verified`` flag and the entry's recognition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from credstack.core.wallet.entries import Entry
from credstack.errors import InputError, Problem

__all__ = ["Deposit", "DepositKind", "deposit_of"]


class DepositKind(StrEnum):
    #: A verifiable credential (a micro-credential, a course, another university's credits).
    CREDENTIAL = "credential"
    #: A MOOC platform's certificate.
    MOOC = "mooc"
    #: Work experience attested by an employer's credential.
    WORK_EXPERIENCE = "work-experience"
    #: Learning shown by evidence that a reviewer assessed (APEL, portfolios).
    REVIEWED_EVIDENCE = "reviewed-evidence"


@dataclass(frozen=True, slots=True)
class Deposit:
    """One deposit (see the module docstring). ``id`` is the credit bank's; ``credential``
    identifies the credential itself, so that one credential deposited twice is seen."""

    id: str
    credential: str
    entry: Entry
    kind: DepositKind
    route: str
    verified: bool
    earned: dt.date
    grade: Decimal | None = None
    #: Skills the credential aligns to (its alignment's target codes or names).
    skills: tuple[str, ...] = ()

    def expired(self, today: dt.date) -> bool:
        """Whether the credential itself has passed its validity (``validUntil``)."""
        return self.entry.expires is not None and self.entry.expires.date() <= today

    def level_in(self, framework: str) -> int | None:
        return max((level for name, level in self.entry.levels if name == framework),
                   default=None)


def deposit_of(entry: Entry, *, id: str, credential: str, kind: DepositKind, route: str,
               verified: bool, earned: dt.date | None = None, grade: Decimal | None = None,
               skills: tuple[str, ...] = ()) -> Deposit:
    """A deposit of ``entry``; ``earned`` defaults to the day it was issued (one of the two
    must be known: a deposit without a date cannot be checked for recency or expiry)."""
    day = earned or (entry.issued.date() if entry.issued is not None else None)
    if day is None:
        raise InputError(code="creditbank.ws.deposit.no_date", params={"deposit": id},
                         problems=[Problem("earned", code="creditbank.ws.deposit.date_required")])
    return Deposit(id, credential, entry, kind, route, verified, day, grade, skills)
