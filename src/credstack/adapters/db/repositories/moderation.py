"""What visitors report of programmes and what the operator hides (tables in
:mod:`credstack.adapters.db.tables.console`): reports made, counted per address, listed and
settled; hidings made, read and lifted; and a programme's marks (hidden, its organisation
suspended) in one statement.

Times come back as the store gives them (SQLite: naive, in UTC), but the flood count's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import (
    OrganisationSuspensionRow,
    ProgrammeHidingRow,
    ProgrammeReportRow,
    ProgrammeRow,
)
from credstack.adapters.db.times import utc

__all__ = ["StoredHiding", "StoredReport", "add_hiding", "add_report", "decide_report",
           "hiding", "hidings", "marks", "remove_hiding", "report_for_update", "reports",
           "reports_from", "settle_reports"]


@dataclass(frozen=True, slots=True)
class StoredReport:
    id: int
    programme_id: int
    reason: str
    message: str
    status: str
    created_at: dt.datetime


def _report(row: ProgrammeReportRow) -> StoredReport:
    return StoredReport(row.id, row.programme_id, row.reason, row.message, row.status,
                        row.created_at)


def reports_from(session: Session, address_hash: str, *, since: dt.datetime
                 ) -> tuple[int, dt.datetime | None]:
    """How many reports the address (its digest) made after ``since``, and when the oldest
    of them was (aware)."""
    count, oldest = session.execute(select(func.count(), func.min(
        ProgrammeReportRow.created_at)).where(
        ProgrammeReportRow.address_hash == address_hash,
        ProgrammeReportRow.created_at > since)).one()
    return int(count), utc(oldest) if oldest is not None else None


def add_report(session: Session, *, programme_id: int, reason: str, message: str,
               address_hash: str, status: str, at: dt.datetime) -> int:
    """A new report; its id."""
    row = ProgrammeReportRow(programme_id=programme_id, reason=reason, message=message,
                             address_hash=address_hash, status=status, created_at=at)
    session.add(row)
    session.flush()
    return row.id


def reports(session: Session, *, status: str | None, limit: int) -> list[StoredReport]:
    """Reports (of ``status``), oldest first, at most ``limit``."""
    statement = select(ProgrammeReportRow).order_by(ProgrammeReportRow.created_at,
                                                    ProgrammeReportRow.id).limit(limit)
    if status is not None:
        statement = statement.where(ProgrammeReportRow.status == status)
    return [_report(row) for row in session.scalars(statement)]


def report_for_update(session: Session, report_id: int) -> StoredReport | None:
    """The report ``report_id``, its row locked for update; None for none."""
    row = session.get(ProgrammeReportRow, report_id, with_for_update=True)
    return None if row is None else _report(row)


def decide_report(session: Session, report_id: int, *, status: str, at: dt.datetime,
                  by: str) -> None:
    session.execute(update(ProgrammeReportRow).where(ProgrammeReportRow.id == report_id)
                    .values(status=status, decided_at=at, decided_by=by))


def settle_reports(session: Session, programme_id: int, *, waiting: str, status: str,
                   at: dt.datetime, by: str) -> int:
    """Give the programme's reports in status ``waiting`` the status ``status``; how many."""
    done = session.execute(update(ProgrammeReportRow).where(
        ProgrammeReportRow.programme_id == programme_id,
        ProgrammeReportRow.status == waiting).values(status=status, decided_at=at,
                                                     decided_by=by))
    return int(done.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class StoredHiding:
    programme_id: int
    reason: str
    hidden_at: dt.datetime


def hidings(session: Session, *, limit: int) -> list[StoredHiding]:
    """The programmes hidden, newest first, at most ``limit``."""
    return [StoredHiding(row.programme_id, row.reason, row.hidden_at)
            for row in session.scalars(select(ProgrammeHidingRow).order_by(
                ProgrammeHidingRow.hidden_at.desc()).limit(limit))]


def hiding(session: Session, programme_id: int, *, lock: bool = False) -> StoredHiding | None:
    """The programme's hiding (its row locked for update when ``lock``); None for none."""
    query = select(ProgrammeHidingRow).where(ProgrammeHidingRow.programme_id == programme_id)
    row = session.scalar(query.with_for_update() if lock else query)
    return StoredHiding(row.programme_id, row.reason, row.hidden_at) if row is not None \
        else None


def add_hiding(session: Session, *, programme_id: int, reason: str, at: dt.datetime,
               by: str) -> None:
    session.add(ProgrammeHidingRow(programme_id=programme_id, reason=reason, hidden_at=at,
                                   hidden_by=by))


def remove_hiding(session: Session, programme_id: int) -> None:
    session.execute(delete(ProgrammeHidingRow).where(
        ProgrammeHidingRow.programme_id == programme_id))


@cache  # built once: making the statement took longer than running it
def _marks_query() -> Any:
    wanted: Any = bindparam("programme_id")
    hiding_of = ProgrammeHidingRow.programme_id == wanted
    return select(
        select(ProgrammeHidingRow.reason).where(hiding_of).scalar_subquery(),
        select(ProgrammeHidingRow.hidden_at).where(hiding_of).scalar_subquery(),
        select(OrganisationSuspensionRow.id)
        .join(ProgrammeRow,
              ProgrammeRow.organisation_id == OrganisationSuspensionRow.organisation_id)
        .where(ProgrammeRow.id == wanted).limit(1).scalar_subquery())


def marks(session: Session, programme_id: int) -> tuple[StoredHiding | None, bool]:
    """The programme's hiding, and whether its organisation is suspended, in one statement."""
    reason, hidden_at, suspension = session.execute(
        _marks_query(), {"programme_id": programme_id}).one()
    hidden = StoredHiding(programme_id, reason, hidden_at) if reason is not None else None
    return hidden, suspension is not None
