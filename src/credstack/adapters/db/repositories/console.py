"""The console's queries: the platform's counters (raised in the event's transaction, read
by month), the store's size for the health page, and the organisations the operator
suspended (times as the store gives them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import (
    OrganisationRow,
    OrganisationSuspensionRow,
    PlatformCounterRow,
    ProgrammeRow,
)
from credstack.errors import OrganisationSuspendedError, Problem

__all__ = ["ListedOrganisation", "StoredSuspension", "add_suspension", "add_to_counters",
           "counters", "database_size", "organisations", "refuse_if_suspended",
           "remove_suspension", "suspension", "suspension_of", "totals"]


def refuse_if_suspended(session: Session, *, organisation_id: int, slug: str) -> None:
    """:class:`~credstack.errors.OrganisationSuspendedError` when the operator suspended the
    organisation (it issues nothing until reinstated)."""
    found = session.scalar(select(OrganisationSuspensionRow.id).where(
        OrganisationSuspensionRow.organisation_id == organisation_id))
    if found is not None:
        en = (f"{slug} is suspended by the platform's operator: it cannot issue credentials "
              "until it is reinstated. Its published programmes stay readable. Ask the "
              "platform's operator why.")
        ja = (f"{slug} はプラットフォームの運営者により停止されています。再開されるまで証明書を"
              "発行できません（公開済みのプログラムは引き続き閲覧できます）。理由は運営者に"
              "お問い合わせください。")
        raise OrganisationSuspendedError(f"{en} / {ja}",
                                         problems=[Problem("organisation", en, ja)])


def add_to_counters(session: Session, *, month: str, amounts: Iterable[tuple[str, int]]
                    ) -> None:
    """Add each ``(figure, amount)`` to its counter of ``month`` (made at the first event):
    one upsert per figure, so concurrent events add up instead of overwriting each other."""
    insert = (postgresql_insert if session.get_bind().dialect.name == "postgresql"
              else sqlite_insert)
    for figure, amount in amounts:
        statement = insert(PlatformCounterRow).values(figure=figure, month=month, count=amount)
        session.execute(statement.on_conflict_do_update(
            index_elements=["figure", "month"],
            set_={"count": PlatformCounterRow.count + statement.excluded.count}))


def counters(session: Session, *, first: str, last: str) -> dict[tuple[str, str], int]:
    """Every counter from month ``first`` to ``last`` (``2026-11``), by (figure, month)."""
    rows = session.execute(select(PlatformCounterRow.figure, PlatformCounterRow.month,
                                  PlatformCounterRow.count).where(
        PlatformCounterRow.month >= first, PlatformCounterRow.month <= last))
    return {(figure, month): int(count) for figure, month, count in rows}


def totals(session: Session) -> dict[str, int]:
    """Each figure's count over all months."""
    rows = session.execute(select(PlatformCounterRow.figure,
                                  func.sum(PlatformCounterRow.count))
                           .group_by(PlatformCounterRow.figure))
    return {figure: int(total or 0) for figure, total in rows}


def database_size(session: Session) -> int | None:
    """The store's size in bytes (the database on PostgreSQL, the file's pages on SQLite);
    None when the store cannot say."""
    if session.get_bind().dialect.name == "postgresql":
        size = session.scalar(text("SELECT pg_database_size(current_database())"))
        return int(size) if size is not None else None
    pages = session.scalar(text("PRAGMA page_count"))
    page_size = session.scalar(text("PRAGMA page_size"))
    return int(pages) * int(page_size) if pages is not None and page_size is not None else None


@dataclass(frozen=True, slots=True)
class StoredSuspension:
    reason: str
    suspended_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ListedOrganisation:
    """An organisation as the console lists it: its number of programmes, its suspension."""

    id: int
    slug: str
    name: dict[str, str]
    kind: str
    corporate_number: str | None
    programmes: int
    suspension: StoredSuspension | None


def organisations(session: Session, needle: str, *, limit: int) -> list[ListedOrganisation]:
    """Organisations whose slug or name holds ``needle`` (lower case; all when empty), by
    slug, at most ``limit``."""
    statement = select(OrganisationRow).order_by(OrganisationRow.slug).limit(limit)
    if needle:
        # The name's values, not its JSON text: SQLite writes 北都 there as \u5317\u90fd.
        statement = statement.where(or_(
            func.lower(OrganisationRow.slug).contains(needle),
            *(func.lower(OrganisationRow.name[language].as_string()).contains(needle)
              for language in ("ja", "en"))))
    rows = list(session.scalars(statement))
    ids = [row.id for row in rows]
    counts: dict[int, int] = {organisation_id: count for organisation_id, count in
                              session.execute(select(ProgrammeRow.organisation_id, func.count())
                                              .where(ProgrammeRow.organisation_id.in_(ids))
                                              .group_by(ProgrammeRow.organisation_id))}
    suspended = {row.organisation_id: StoredSuspension(row.reason, row.suspended_at)
                 for row in session.scalars(select(OrganisationSuspensionRow).where(
                     OrganisationSuspensionRow.organisation_id.in_(ids)))}
    return [ListedOrganisation(row.id, row.slug, dict(row.name), row.kind,
                               row.corporate_number, int(counts.get(row.id, 0)),
                               suspended.get(row.id)) for row in rows]


def suspension_of(session: Session, slug: str) -> StoredSuspension | None:
    """The suspension of the organisation ``slug``; None for none."""
    row = session.scalar(select(OrganisationSuspensionRow).join(
        OrganisationRow, OrganisationRow.id == OrganisationSuspensionRow.organisation_id)
        .where(OrganisationRow.slug == slug))
    return StoredSuspension(row.reason, row.suspended_at) if row is not None else None


def suspension(session: Session, organisation_id: int) -> StoredSuspension | None:
    """The organisation's suspension, its row locked for update; None for none."""
    row = session.scalar(select(OrganisationSuspensionRow).where(
        OrganisationSuspensionRow.organisation_id == organisation_id).with_for_update())
    return StoredSuspension(row.reason, row.suspended_at) if row is not None else None


def add_suspension(session: Session, *, organisation_id: int, reason: str, at: dt.datetime,
                   by: str) -> None:
    session.add(OrganisationSuspensionRow(organisation_id=organisation_id, reason=reason,
                                          suspended_at=at, suspended_by=by))
    session.flush()


def remove_suspension(session: Session, organisation_id: int) -> None:
    session.execute(delete(OrganisationSuspensionRow).where(
        OrganisationSuspensionRow.organisation_id == organisation_id))
