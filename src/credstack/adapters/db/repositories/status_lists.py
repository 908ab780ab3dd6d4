"""Status lists in the store: allocation of indexes, status changes, the published lists.

An organisation's lists come in numbered slots (``StatusListRow``): slot *n* holds a
revocation list and a suspension list of the same size, published at
``<public_url>/status-lists/<organisation>/<n>/revocation`` and ``…/suspension``. A
credential takes one index of one slot for both entries. Slots are created as they fill
(every slot has :data:`~credstack.core.status.MINIMUM_ENTRIES` entries, the 16 KB the
specification asks for group privacy), indexes are drawn at random and never reused.

Allocation and status changes lock the slot's row (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite serialises writers), so concurrent issuers never hand out the same index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from random import Random
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.stamps import utc
from credstack.adapters.db.tables import OrganisationRow, StatusListRow
from credstack.core.status import MINIMUM_ENTRIES, StatusList, allocate_in_bitmap
from credstack.errors import NotFoundError

__all__ = [
    "PURPOSE_COLUMNS",
    "Slot",
    "allocate",
    "find_slot",
    "list_path",
    "publication",
    "record_publication",
    "set_bits",
    "status_list",
]

#: The stored bitstring of each purpose.
PURPOSE_COLUMNS: Final = {"revocation": "revocation", "suspension": "suspension"}


@dataclass(frozen=True, slots=True)
class Slot:
    """Where one credential's status lives: a slot of an organisation's lists and an index."""

    list_id: int
    number: int
    index: int


def list_path(organisation: str, number: int, purpose: str) -> str:
    """The path a status list credential is served at (below the public URL)."""
    return f"/status-lists/{organisation}/{number}/{purpose}"


def _new_slot(session: Session, organisation_id: int, number: int, now: dt.datetime,
              size: int) -> StatusListRow:
    empty = bytes(size // 8)
    row = StatusListRow(organisation_id=organisation_id, number=number, size=size, used=0,
                        allocated=empty, revocation=empty, suspension=empty, published={},
                        created_at=now, changed_at=now, published_at=None)
    session.add(row)
    session.flush()
    return row


def _open_slot(session: Session, organisation_id: int) -> StatusListRow | None:
    """The newest slot, locked, if it has room."""
    query = (select(StatusListRow).where(StatusListRow.organisation_id == organisation_id)
             .order_by(StatusListRow.number.desc()).limit(1).with_for_update())
    row = session.scalar(query)
    return row if row is not None and row.used < row.size else None


def allocate(session: Session, *, organisation_id: int, count: int, now: dt.datetime,
             rng: Random, size: int = MINIMUM_ENTRIES) -> list[Slot]:
    """``count`` fresh indexes for ``organisation_id``'s credentials, opening slots as needed.

    The indexes are drawn at random in the newest slot with room; what it cannot hold goes
    to a new slot. Nothing is committed here: the caller's transaction holds the allocation
    together with the credentials that use it.
    """
    slots: list[Slot] = []
    remaining = count
    while remaining:
        row = _open_slot(session, organisation_id)
        if row is None:
            last = session.scalar(select(StatusListRow.number)
                                  .where(StatusListRow.organisation_id == organisation_id)
                                  .order_by(StatusListRow.number.desc()).limit(1))
            row = _new_slot(session, organisation_id, (last or 0) + 1, now, size)
        bitmap = bytearray(row.allocated)
        allocation = allocate_in_bitmap(bitmap, count=remaining, rng=rng)
        row.allocated = bytes(bitmap)
        row.used = row.size - allocation.free
        slots.extend(Slot(row.id, row.number, index) for index in allocation.indexes)
        remaining = allocation.shortfall
    session.flush()
    return slots


def _slot_row(session: Session, organisation: str, number: int, *, lock: bool = False
              ) -> StatusListRow:
    query = (select(StatusListRow).join(OrganisationRow)
             .where(OrganisationRow.slug == organisation, StatusListRow.number == number))
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFoundError(f"{organisation!r} has no status list {number}.")
    return row


def find_slot(session: Session, *, list_id: int) -> tuple[str, int]:
    """The organisation slug and number of the slot with id ``list_id``."""
    row = session.execute(select(OrganisationRow.slug, StatusListRow.number)
                          .join(OrganisationRow)
                          .where(StatusListRow.id == list_id)).one()
    return row[0], row[1]


def set_bits(session: Session, *, list_id: int, changes: Sequence[tuple[str, int, int]],
             now: dt.datetime) -> None:
    """Apply ``(purpose, index, value)`` changes to one slot's lists, under its row lock."""
    row = session.scalar(select(StatusListRow).where(StatusListRow.id == list_id)
                         .with_for_update())
    if row is None:
        raise NotFoundError(f"No status list with id {list_id}.")
    for purpose in {purpose for purpose, _, _ in changes}:
        column = PURPOSE_COLUMNS[purpose]
        builder = StatusList(getattr(row, column), purpose=purpose).builder()
        for value in (0, 1):
            builder.set_many([index for p, index, v in changes if p == purpose and v == value],
                             value)
        setattr(row, column, builder.build().bits)
    row.changed_at = now
    session.flush()


def status_list(session: Session, *, organisation: str, number: int, purpose: str
                ) -> StatusList:
    """The current list of one purpose of a slot."""
    if purpose not in PURPOSE_COLUMNS:
        raise NotFoundError(f"credstack keeps revocation and suspension lists, not "
                            f"{purpose!r} ones.")
    row = _slot_row(session, organisation, number)
    return StatusList(getattr(row, PURPOSE_COLUMNS[purpose]), purpose=purpose)


def publication(session: Session, *, organisation: str, number: int, purpose: str
                ) -> tuple[dict[str, Any] | None, StatusList, dt.datetime]:
    """The signed list credential last published, if still current; the list; its change time.

    The published credential is ``None`` when there is none yet or the list changed since.
    """
    if purpose not in PURPOSE_COLUMNS:
        raise NotFoundError(f"credstack keeps revocation and suspension lists, not "
                            f"{purpose!r} ones.")
    row = _slot_row(session, organisation, number)
    changed = utc(row.changed_at)
    current = (row.published_at is not None and utc(row.published_at) >= changed
               and purpose in row.published)
    return (row.published[purpose] if current else None,
            StatusList(getattr(row, PURPOSE_COLUMNS[purpose]), purpose=purpose), changed)


def record_publication(session: Session, *, organisation: str, number: int, purpose: str,
                       credential: dict[str, Any], changed_at: dt.datetime) -> None:
    """Keep a signed list credential of the list as it was at ``changed_at``.

    Ignored when the list has changed since (a later request signs the newer state).
    """
    row = _slot_row(session, organisation, number, lock=True)
    if utc(row.changed_at) != changed_at:
        return
    published = dict(row.published) if row.published_at is not None and \
        utc(row.published_at) >= changed_at else {}
    published[purpose] = credential
    row.published = published
    row.published_at = changed_at
    session.flush()


