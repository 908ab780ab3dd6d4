"""Recognitions in the store: one row per recognition decision that granted one.

A row records the decision (its public number, the outcome, conditions and reasons), what it
recognises (a programme version), who recognised it (the recognition body, an organisation),
the application it answered (its public id; applications live in the review tables), the
validity period, and the endorsement credential issued for it (``credential_id``, the
credential's id in ``issued_credentials``). Withdrawal sets ``withdrawn_at`` and the reason;
the row is never deleted. Texts are language maps (``{"ja": …, "en": …}``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow
from credstack.adapters.db.tables.recognitions import RecognitionRow
from credstack.adapters.db.times import utc
from credstack.errors import NotFoundError

__all__ = [
    "RecognitionRow",
    "StoredRecognition",
    "by_programme",
    "change_count",
    "find",
    "get",
    "insert",
    "mark_withdrawn",
    "valid_programme_versions",
    "validity_boundaries",
]


@dataclass(frozen=True, slots=True)
class StoredRecognition:
    number: str
    programme_id: int
    version: int
    organisation: str
    organisation_name: dict[str, str]
    application: str
    outcome: str
    conditions: dict[str, str] | None
    reasons: dict[str, str]
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    credential_id: str
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str | None
    created_at: dt.datetime


def _stored(row: RecognitionRow, slug: str, name: dict[str, str]) -> StoredRecognition:
    return StoredRecognition(
        number=row.number, programme_id=row.programme_id, version=row.version,
        organisation=slug, organisation_name=dict(name or {}), application=row.application,
        outcome=row.outcome, conditions=dict(row.conditions) if row.conditions else None,
        reasons=dict(row.reasons or {}), valid_from=utc(row.valid_from),
        valid_until=utc(row.valid_until) if row.valid_until else None,
        credential_id=row.credential_id,
        withdrawn_at=utc(row.withdrawn_at) if row.withdrawn_at else None,
        withdrawal_reason=row.withdrawal_reason, created_at=utc(row.created_at))


def _query() -> Any:
    return (select(RecognitionRow, OrganisationRow.slug, OrganisationRow.name)
            .join(OrganisationRow, OrganisationRow.id == RecognitionRow.organisation_id))


def insert(session: Session, *, number: str, programme_id: int, version: int,
           organisation_id: int, application: str, outcome: str,
           conditions: dict[str, str] | None, reasons: dict[str, str],
           valid_from: dt.datetime, valid_until: dt.datetime | None, credential_id: str,
           now: dt.datetime) -> StoredRecognition:
    """Record a granted recognition (nothing is committed here)."""
    row = RecognitionRow(number=number, programme_id=programme_id, version=version,
                         organisation_id=organisation_id, application=application,
                         outcome=outcome, conditions=conditions, reasons=reasons,
                         valid_from=valid_from, valid_until=valid_until,
                         credential_id=credential_id, withdrawn_at=None,
                         withdrawal_reason=None, created_at=now)
    session.add(row)
    session.flush()
    return get(session, number)


def find(session: Session, number: str, *, lock: bool = False) -> StoredRecognition | None:
    query = _query().where(RecognitionRow.number == number)
    result = session.execute(query.with_for_update(of=RecognitionRow) if lock else query
                             ).first()
    return None if result is None else _stored(*result)


def get(session: Session, number: str, *, lock: bool = False) -> StoredRecognition:
    found = find(session, number, lock=lock)
    if found is None:
        raise NotFoundError(f"No recognition with decision number {number!r}.")
    return found


def by_programme(session: Session, programme_id: int, *, version: int | None = None
                 ) -> list[StoredRecognition]:
    """A programme's recognitions (of one version, if given), newest first."""
    query = _query().where(RecognitionRow.programme_id == programme_id)
    if version is not None:
        query = query.where(RecognitionRow.version == version)
    rows = session.execute(query.order_by(RecognitionRow.valid_from.desc(),
                                          RecognitionRow.id.desc()))
    return [_stored(*row) for row in rows]


def mark_withdrawn(session: Session, *, number: str, reason: str, now: dt.datetime
                   ) -> StoredRecognition:
    row = session.scalar(select(RecognitionRow).where(RecognitionRow.number == number))
    if row is None:
        raise NotFoundError(f"No recognition with decision number {number!r}.")
    row.withdrawn_at = now
    row.withdrawal_reason = reason
    session.flush()
    return get(session, number)


def valid_programme_versions(session: Session, *, now: dt.datetime,
                             programme_ids: Iterable[int] | None = None
                             ) -> set[tuple[int, int]]:
    """(programme id, version) of every recognition that holds at ``now``."""
    query = select(RecognitionRow.programme_id, RecognitionRow.version).where(
        RecognitionRow.withdrawn_at.is_(None), RecognitionRow.valid_from <= now,
        or_(RecognitionRow.valid_until.is_(None), RecognitionRow.valid_until > now))
    if programme_ids is not None:
        wanted: Sequence[int] = list(programme_ids)
        query = query.where(RecognitionRow.programme_id.in_(wanted))
    return {(programme_id, version) for programme_id, version in session.execute(query)}


def validity_boundaries(session: Session, *, after: dt.datetime, until: dt.datetime
                        ) -> set[int]:
    """Programmes with a recognition that began or expired in (``after``, ``until``]: their
    recognised state changed with time alone, no decision needed."""
    def crossed(stamp: Any) -> Any:
        return and_(stamp > after, stamp <= until)

    query = select(RecognitionRow.programme_id).where(
        RecognitionRow.withdrawn_at.is_(None),
        or_(crossed(RecognitionRow.valid_from), crossed(RecognitionRow.valid_until)))
    return set(session.scalars(query.distinct()))


def change_count(session: Session) -> int:
    """Grants plus withdrawals so far: moves by one with each (the search index's generation)."""
    granted, withdrawn = session.execute(
        select(func.count(), func.count(RecognitionRow.withdrawn_at))
        .select_from(RecognitionRow)).one()
    return int(granted or 0) + int(withdrawn or 0)
