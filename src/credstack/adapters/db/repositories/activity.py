"""Counting what happens to issued credentials, and reading the counts back (the
``credential_activity``, ``batch_activity`` and ``organisation_activity`` tallies; the notices
sent on them are :mod:`.notices`).

Each event is one ``INSERT … ON CONFLICT DO UPDATE`` of the credential's row (which answers
how many times it had happened, so the first time is known), and one of its batch's and of
its organisation's month: nothing is counted when a page is shown. The same statements run
on SQLite (3.35 and later) and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from credstack.adapters.db.driver import QUEUED
from credstack.adapters.db.repositories import platform_counters
from credstack.adapters.db.tables import IssuedCredentialRow
from credstack.adapters.db.tables.activity import (
    BatchActivityRow,
    CredentialActivityRow,
    OrganisationActivityRow,
)
from credstack.adapters.db.times import utc
from credstack.core.activity.events import CREDENTIAL_KINDS, Kind, Tally, month_of

__all__ = ["Counted", "CredentialKey", "LearnerProgress", "batch_learners", "batch_size",
           "batch_tallies", "count", "count_issued", "credential_key", "credential_tallies",
           "month_counts", "organisation_batches"]


def _dialect_insert(dialect: str) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_update``."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


@dataclass(frozen=True, slots=True)
class CredentialKey:
    """What counting an event needs to know of an issued credential."""

    row_id: int
    organisation_id: int
    batch: str


_KEY = select(IssuedCredentialRow.id, IssuedCredentialRow.organisation_id,
              IssuedCredentialRow.batch)


def credential_key(session: Session, credential_id: str) -> CredentialKey | None:
    """The issued credential ``credential_id`` (``None``: not one credstack issued)."""
    found = session.execute(_KEY.where(IssuedCredentialRow.credential_id == credential_id)
                            ).one_or_none()
    return None if found is None else CredentialKey(found[0], found[1], found[2] or "")


@dataclass(frozen=True, slots=True)
class Counted:
    """How many times the event had happened to the credential, this one included."""

    times: int

    @property
    def first(self) -> bool:
        return self.times == 1


def count(session: Session, key: CredentialKey, kind: Kind, *, at: dt.datetime,
          channel: str | None = None, times: int = 1, first_at: dt.datetime | None = None
          ) -> Counted:
    """Count ``times`` events of ``kind`` for the credential ``key``, the first at
    ``first_at`` (default ``at``) and the last at ``at`` (in the caller's transaction)."""
    if kind not in CREDENTIAL_KINDS:
        raise ValueError(f"{kind} is not counted per credential")
    dialect = session.get_bind().dialect.name
    total = int(session.execute(_credential_upsert(dialect, kind), {
        "row_id": key.row_id, "organisation_id": key.organisation_id, "times": times,
        "first_at": first_at or at, "at": at, "channel": channel}).scalar_one())
    _add(session, key.organisation_id, key.batch, kind, at=at, events=times,
         credentials=1 if total == times else 0)
    return Counted(total - times + 1)


def count_issued(session: Session, *, organisation_id: int,
                 batches: Sequence[str | None], at: dt.datetime) -> None:
    """Count credentials issued at ``at``, one per item of ``batches`` (the batch each is
    in), in the caller's transaction, and the platform's ``issued`` figure of the month.

    On PostgreSQL, credentials all of one batch (every served issue batch) are counted in
    one statement: the three upserts as data-modifying CTEs of one ``INSERT``. Each is a
    round trip taken while the transaction holds the rows every issuing transaction
    updates (the month's tallies, the platform's counter), so each one more is time for
    which every other issuing transaction waits (bench/load.py issue); queued in a pipeline
    (:mod:`credstack.adapters.db.driver`), as nothing is read of their answers."""
    if not batches:
        return
    numbers = Counter(batch or "" for batch in batches)
    dialect = session.get_bind().dialect.name
    month = month_of(at)
    if dialect == "postgresql" and len(numbers) == 1:
        [(batch, number)] = numbers.items()
        session.execute(_issued_at_once(), {
            "organisation_id": organisation_id, "kind": Kind.ISSUED.value, "events": number,
            "credentials": number, "at": at, "batch": batch, "month": month,
            "figure": "issued", "amount": number}, execution_options={QUEUED: True})
        return
    for batch, number in numbers.items():
        _add(session, organisation_id, batch, Kind.ISSUED, at=at, events=number,
             credentials=number)
    platform_counters.add_to_counters(session, month=month, amounts=[("issued", len(batches))])


def _add(session: Session, organisation_id: int, batch: str, kind: Kind, *,
         at: dt.datetime, events: int, credentials: int) -> None:
    batches, months = _tally_upserts(session.get_bind().dialect.name)
    values = {"organisation_id": organisation_id, "kind": kind.value, "events": events,
              "credentials": credentials, "at": at}
    session.execute(batches, {**values, "batch": batch}, execution_options={QUEUED: True})
    session.execute(months, {**values, "month": month_of(at)},
                    execution_options={QUEUED: True})


# The statements are built once per dialect (and kind): building SQLAlchemy expressions
# took most of a count's time, the database little of it.


@cache
def _credential_upsert(dialect: str, kind: Kind) -> Any:
    table = CredentialActivityRow.__table__
    number, first, last = (table.c[f"{kind}_count"], table.c[f"{kind}_first"],
                           table.c[f"{kind}_last"])
    values: dict[str, Any] = {"credential_row_id": bindparam("row_id"),
                              "organisation_id": bindparam("organisation_id"),
                              number.name: bindparam("times"),
                              first.name: bindparam("first_at"), last.name: bindparam("at")}
    changes: dict[str, Any] = {number.name: number + bindparam("times"),
                               last.name: bindparam("at"),
                               first.name: func.coalesce(first, bindparam("first_at"))}
    if kind is Kind.CLAIMED:
        values["claimed_by"] = bindparam("channel")
        changes["claimed_by"] = func.coalesce(table.c.claimed_by, bindparam("channel"))
    insert = _dialect_insert(dialect)(table).values(**values)
    return insert.on_conflict_do_update(index_elements=[table.c.credential_row_id],
                                        set_=changes).returning(number)


@cache
def _issued_at_once() -> Any:
    """PostgreSQL's one statement of :func:`count_issued`: the batch's and the month's
    tallies as CTEs of the platform counter's upsert."""
    batches, months = _tally_upserts("postgresql")
    return platform_counters.upsert("postgresql").add_cte(
        batches.cte("batch_tally"), months.cte("month_tally"))


@cache
def _tally_upserts(dialect: str) -> tuple[Any, Any]:
    insert = _dialect_insert(dialect)
    table = BatchActivityRow.__table__
    batches = insert(table).values(
        organisation_id=bindparam("organisation_id"), batch=bindparam("batch"),
        kind=bindparam("kind"), events=bindparam("events"),
        credentials=bindparam("credentials"), first_at=bindparam("at"),
        last_at=bindparam("at")).on_conflict_do_update(
            index_elements=[table.c.organisation_id, table.c.batch, table.c.kind],
            set_={"events": table.c.events + bindparam("events"),
                  "credentials": table.c.credentials + bindparam("credentials"),
                  "first_at": func.coalesce(table.c.first_at, bindparam("at")),
                  "last_at": bindparam("at")})
    months_table = OrganisationActivityRow.__table__
    months = insert(months_table).values(
        organisation_id=bindparam("organisation_id"), month=bindparam("month"),
        kind=bindparam("kind"), events=bindparam("events"),
        credentials=bindparam("credentials")).on_conflict_do_update(
            index_elements=[months_table.c.organisation_id, months_table.c.month,
                            months_table.c.kind],
            set_={"events": months_table.c.events + bindparam("events"),
                  "credentials": months_table.c.credentials + bindparam("credentials")})
    return batches, months


# --- reading -------------------------------------------------------------------------------


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def batch_tallies(session: Session, *, organisation_id: int, batch: str) -> dict[Kind, Tally]:
    """Every kind's tally of one batch (``""``: credentials issued in none)."""
    rows = session.execute(select(
        BatchActivityRow.kind, BatchActivityRow.events, BatchActivityRow.credentials,
        BatchActivityRow.first_at, BatchActivityRow.last_at).where(
            BatchActivityRow.organisation_id == organisation_id,
            BatchActivityRow.batch == batch)).all()
    known = {kind.value: kind for kind in Kind}
    return {known[row[0]]: Tally(known[row[0]], row[1], row[2], _aware(row[3]),
                                 _aware(row[4])) for row in rows if row[0] in known}


@dataclass(frozen=True, slots=True)
class LearnerProgress:
    """One credential of a batch as its issuer follows it: to whom, when it was issued, its
    state, and when each kind of event first happened to it (``None``: not yet)."""

    row_id: int
    credential_id: str
    learner: str | None
    issued_at: dt.datetime
    state: str
    first: dict[Kind, dt.datetime | None]
    reminded_at: dt.datetime | None


def batch_learners(session: Session, *, organisation_id: int, batch: str,
                   not_yet: Kind | None = None, after: int = 0, limit: int = 200
                   ) -> list[LearnerProgress]:
    """The credentials of one batch (``""``: those issued in none) after row ``after``, by
    row, at most ``limit``: each with its progress; with ``not_yet``, only those that kind of
    event has not happened to."""
    in_batch = (IssuedCredentialRow.batch.is_(None) if batch == ""
                else IssuedCredentialRow.batch == batch)
    wanted: list[Any] = [IssuedCredentialRow.organisation_id == organisation_id, in_batch,
                         IssuedCredentialRow.id > after]
    if not_yet is not None:
        wanted.append(or_(CredentialActivityRow.id.is_(None),
                          getattr(CredentialActivityRow, f"{not_yet}_count") == 0))
    rows = session.execute(select(
        IssuedCredentialRow.id, IssuedCredentialRow.credential_id, IssuedCredentialRow.learner,
        IssuedCredentialRow.issued_at, IssuedCredentialRow.state, CredentialActivityRow).join(
            CredentialActivityRow,
            CredentialActivityRow.credential_row_id == IssuedCredentialRow.id,
            isouter=True).where(*wanted).order_by(IssuedCredentialRow.id).limit(limit)).all()
    return [LearnerProgress(
        row_id, credential_id, learner, utc(issued_at), state,
        {kind: _aware(getattr(activity, f"{kind}_first")) if activity is not None else None
         for kind in CREDENTIAL_KINDS},
        _aware(activity.reminded_at) if activity is not None else None)
        for row_id, credential_id, learner, issued_at, state, activity in rows]


def organisation_batches(session: Session, *, organisation_id: int, limit: int = 200
                         ) -> list[tuple[str, dict[Kind, int], dt.datetime | None]]:
    """An organisation's batches, latest issued first: each kind's number of credentials,
    and when it was last issued to."""
    rows = session.execute(select(
        BatchActivityRow.batch, BatchActivityRow.kind, BatchActivityRow.credentials,
        BatchActivityRow.last_at).where(
            BatchActivityRow.organisation_id == organisation_id)).all()
    known = {kind.value: kind for kind in Kind}
    found: dict[str, dict[Kind, int]] = {}
    issued: dict[str, dt.datetime | None] = {}
    for batch, kind, credentials, last_at in rows:
        if kind in known:
            found.setdefault(batch, {})[known[kind]] = int(credentials)
            if kind == Kind.ISSUED.value:
                issued[batch] = _aware(last_at)
    order = sorted(found, key=lambda batch: (issued.get(batch) or dt.datetime.min.replace(
        tzinfo=dt.UTC), batch), reverse=True)
    return [(batch, found[batch], issued.get(batch)) for batch in order[:limit]]


def credential_tallies(session: Session, row_id: int) -> tuple[dict[Kind, Tally],
                                                                 str | None]:
    """One credential's tallies (``credentials`` is 1 for a kind that happened), and where
    it was first claimed."""
    row = session.scalar(select(CredentialActivityRow).where(
        CredentialActivityRow.credential_row_id == row_id))
    if row is None:
        return {}, None
    tallies = {}
    for kind in CREDENTIAL_KINDS:
        times = int(getattr(row, f"{kind}_count") or 0)
        tallies[kind] = Tally(kind, times, 1 if times else 0,
                              _aware(getattr(row, f"{kind}_first")),
                              _aware(getattr(row, f"{kind}_last")))
    return tallies, row.claimed_by


def month_counts(session: Session, *, organisation_id: int) -> Iterable[tuple[str, str, int]]:
    """``(month, kind, credentials)`` of an organisation, every month it has."""
    return [(row[0], row[1], int(row[2])) for row in session.execute(select(
        OrganisationActivityRow.month, OrganisationActivityRow.kind,
        OrganisationActivityRow.credentials).where(
            OrganisationActivityRow.organisation_id == organisation_id))]


def batch_size(session: Session, *, organisation_id: int, batch: str) -> int:
    """How many credentials a batch holds (``ix_issued_credentials_batch``; ``""``: none)."""
    where = (IssuedCredentialRow.batch == batch if batch
             else IssuedCredentialRow.batch.is_(None))
    return int(session.scalar(select(func.count()).select_from(IssuedCredentialRow).where(
        IssuedCredentialRow.organisation_id == organisation_id, where)) or 0)
