"""Status lists in the store: allocation of indexes, status changes, the published lists.

An organisation's lists come in numbered slots (``StatusListRow``): slot *n* holds a
revocation list and a suspension list of the same size, published at
``<public_url>/status-lists/<organisation>/<n>/revocation`` and ``…/suspension``. A
credential takes one index of one slot for both entries. Slots are created as they fill
(every slot has :data:`~credstack.core.status.MINIMUM_ENTRIES` entries, the 16 KB the
specification asks for group privacy), indexes are drawn at random and never reused.

Allocation is serialised per organisation, across threads, processes and machines, before
anything about the slots is read (:func:`lock_allocation`): on PostgreSQL a transaction-scoped
advisory lock on the organisation (a row lock cannot cover the first slot, which does not
exist yet) and ``SELECT … FOR UPDATE`` on the slot; on SQLite the database's one write lock,
taken up front with ``BEGIN IMMEDIATE`` and waited for with back-off. So the bitmap of
given-out indexes always holds exactly the indexes of the stored credentials: two issuers
never read the same bitmap and write back their own copy of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from random import Random
from typing import Any, Final

from sqlalchemy import Table, bindparam, insert, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from credstack.adapters.db.driver import QUEUED, Reading, driver_cursor, driver_errors, in_pipeline
from credstack.adapters.db.tables import IssuedCredentialRow, OrganisationRow, StatusListRow
from credstack.adapters.db.times import utc
from credstack.core.status import MINIMUM_ENTRIES, StatusList, allocate_in_bitmap
from credstack.core.status.bitstring_status_list_v1.allocation import take_in_bitmap
from credstack.errors import NotFoundError, StoreBusyError

__all__ = [
    "PURPOSE_COLUMNS",
    "AllocationRecord",
    "OpenSlot",
    "Slot",
    "allocate",
    "allocation_records",
    "claim",
    "draw",
    "draw_in",
    "find_slot",
    "held_indexes",
    "list_path",
    "lock_allocation",
    "newest_slot",
    "publication",
    "record_publication",
    "release",
    "rewrite_allocation",
    "set_bits",
    "status_list",
]

#: The first key of PostgreSQL's advisory locks on an organisation's allocation ("csal").
ALLOCATION_LOCK: Final = 0x6373616C
#: PostgreSQL's lock on an organisation's allocation, with the driver's or SQLAlchemy's
#: placeholders filled in by the caller (the two ways it is sent).
_ADVISORY_LOCK: Final = "SELECT pg_advisory_xact_lock({space}, {organisation})"
#: How long an allocation waits for SQLite's write lock, in seconds, before giving up: a
#: bulk issuance chunk holds it while it signs, which takes seconds.
WRITE_LOCK_PATIENCE: Final = 120.0

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
              size: int) -> OpenSlot:
    empty = bytes(size // 8)
    list_id = session.execute(_statements().new_slot, {
        "organisation_id": organisation_id, "number": number, "size": size, "used": 0,
        "allocated": empty, "revocation": empty, "suspension": empty, "published": {},
        "created_at": now, "changed_at": now, "published_at": None}).scalar_one()
    return OpenSlot(list_id, number, size, 0, empty)


@dataclass(frozen=True, slots=True)
class OpenSlot:
    """What an allocation reads of a slot (not its published bitstrings or signed lists)."""

    id: int
    number: int
    size: int
    used: int
    allocated: bytes


@dataclass(frozen=True, slots=True)
class _Statements:
    """The allocation's statements, built once on the table (not the mapped class): each
    issue batch runs two or three of them, and building and keying them each time cost
    more than the database's answers (bench/load.py issue). Written with Core, so that no
    slot is held in a session's identity map where a later read could find it stale."""

    newest: Any
    newest_locked: Any
    #: The newest slot of an organisation named by its slug.
    newest_of: Any
    last_number: Any
    new_slot: Any
    read: Any
    write: Any


@cache
def _statements() -> _Statements:
    table: Table = StatusListRow.__table__  # type: ignore[assignment]
    columns = table.c
    newest = (select(columns.id, columns.number, columns.size, columns.used, columns.allocated)
              .where(columns.organisation_id == bindparam("organisation_id"))
              .order_by(columns.number.desc()).limit(1))
    organisations = OrganisationRow.__table__.c
    return _Statements(
        newest=newest, newest_locked=newest.with_for_update(),
        newest_of=select(columns.id, columns.number, columns.size, columns.used,
                         columns.allocated)
        .join(OrganisationRow.__table__, organisations.id == columns.organisation_id)
        .where(organisations.slug == bindparam("slug"))
        .order_by(columns.number.desc()).limit(1),
        last_number=select(columns.number)
        .where(columns.organisation_id == bindparam("organisation_id"))
        .order_by(columns.number.desc()).limit(1),
        new_slot=insert(table).returning(columns.id),
        read=select(columns.id, columns.number, columns.size, columns.used, columns.allocated)
        .where(columns.id == bindparam("list_id")).with_for_update(),
        # Nothing is read of its answer: queued in a pipeline (adapters.db.driver).
        write=update(table).where(columns.id == bindparam("list_id"))
        .values(allocated=bindparam("allocated"), used=bindparam("used"))
        .execution_options(**{QUEUED: True}))


def _write(session: Session, list_id: int, bitmap: bytes | bytearray, used: int) -> None:
    session.execute(_statements().write,
                    {"list_id": list_id, "allocated": bytes(bitmap), "used": used})


def lock_allocation(session: Session, *, organisation_id: int,
                    patience: float = WRITE_LOCK_PATIENCE) -> None:
    """Make ``session``'s transaction the only one allocating ``organisation_id``'s indexes
    (or, on SQLite, writing at all) until it ends; call it before reading what the
    allocation depends on. Calling it again in the same transaction changes nothing.

    On SQLite, a transaction that has not written yet starts again with ``BEGIN IMMEDIATE``
    (what it read so far was read outside it: the driver begins a transaction at the first
    write), retried with back-off for up to ``patience`` seconds while another writer holds
    the lock, then :class:`~credstack.errors.StoreBusyError`. A transaction that has written
    holds the lock already. The caller must not hold another writing session on the store,
    which this one would wait for.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text(_ADVISORY_LOCK.format(space=":space",
                                                   organisation=":organisation")),
                        {"space": ALLOCATION_LOCK, "organisation": organisation_id})
    elif dialect == "sqlite":
        _sqlite_write_lock(session, organisation_id, patience)


def _sqlite_write_lock(session: Session, organisation_id: int, patience: float) -> None:
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if getattr(raw, "in_transaction", False):
        # Begun by a write (which holds the lock) or by a savepoint (a deferred
        # transaction): a write takes the lock now, or fails if another writer committed
        # since this transaction read; it never writes over a newer bitmap.
        session.execute(text("UPDATE status_lists SET used = used "
                             "WHERE organisation_id = :organisation"),
                        {"organisation": organisation_id})
        return
    deadline = time.monotonic() + patience
    pause = 0.01
    while True:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                raise
            if time.monotonic() + pause > deadline:
                raise StoreBusyError(
                    f"Other writers kept the database locked for {patience:.0f} seconds "
                    "(a bulk issuance in progress?); try again when they have finished."
                ) from None
        time.sleep(pause * (0.5 + random.random()))  # noqa: S311 - jitter, not a secret
        pause = min(pause * 2, 2.0)


def _open_slot(session: Session, organisation_id: int, *, lock: bool = True
               ) -> OpenSlot | None:
    """The newest slot, locked (``lock``), if it has room, read afresh. Only what an
    allocation reads is loaded: the published bitstrings and signed lists (two 16 KB
    bitmaps and a JSON document) are read only if asked for, not by every issue batch."""
    statements = _statements()
    return _room(session.execute(statements.newest_locked if lock else statements.newest,
                                 {"organisation_id": organisation_id}).all())


def allocate(session: Session, *, organisation_id: int, count: int, now: dt.datetime,
             rng: Random, size: int = MINIMUM_ENTRIES, locked: bool = False) -> list[Slot]:
    """``count`` fresh indexes for ``organisation_id``'s credentials, opening slots as needed.

    The indexes are drawn at random in the newest slot with room; what it cannot hold goes
    to a new slot. Nothing is committed here: the caller's transaction holds the allocation
    together with the credentials that use it, and :func:`lock_allocation` makes it the only
    allocation of the organisation until it ends (``locked``: the caller took it in this
    transaction already, outside any savepoint rolled back since; taken again, it is one
    more statement, on SQLite an update of every list of the organisation).
    """
    if not locked:
        lock_allocation(session, organisation_id=organisation_id)
    slots: list[Slot] = []
    remaining = count
    while remaining:
        row = _open_slot(session, organisation_id)
        if row is None:
            last = session.scalar(_statements().last_number,
                                  {"organisation_id": organisation_id})
            row = _new_slot(session, organisation_id, (last or 0) + 1, now, size)
        bitmap = bytearray(row.allocated)
        allocation = allocate_in_bitmap(bitmap, count=remaining, rng=rng)
        _write(session, row.id, bitmap, row.size - allocation.free)
        slots.extend(Slot(row.id, row.number, index) for index in allocation.indexes)
        remaining = allocation.shortfall
    return slots


def draw(session: Session, *, organisation_id: int, count: int, rng: Random
         ) -> list[Slot] | None:
    """``count`` free indexes of the newest slot, drawn at random as :func:`allocate` draws
    them, *not* taken: a proposal that a later transaction takes with :func:`claim` if they
    are still free then (bulk issuance signs a chunk's credentials while the chunk before it
    is stored; served issuance signs a batch before it takes the write lock). None when that
    slot has no room for them all. It reads without a lock (:func:`claim` checks the
    proposal under one), so it may be called outside :func:`lock_allocation`.
    """
    return draw_in(_open_slot(session, organisation_id, lock=False), count=count, rng=rng)


def newest_slot(*, organisation: str) -> Reading[OpenSlot | None]:
    """The newest slot of ``organisation`` (its slug) if it has room, as :func:`draw` reads
    it (no lock), as a read to send with another
    (:func:`~credstack.adapters.db.driver.read_together`: an issue batch reads it with its
    signer's stamp); :func:`draw_in` draws from it."""
    return Reading(_statements().newest_of, {"slug": organisation}, _room)


def _room(rows: Sequence[Sequence[Any]]) -> OpenSlot | None:
    if not rows or rows[0][3] >= rows[0][2]:
        return None
    return OpenSlot(*rows[0])


def draw_in(slot: OpenSlot | None, *, count: int, rng: Random) -> list[Slot] | None:
    """:func:`draw` from a slot read before (:func:`newest_slot`): ``count`` free indexes of
    it, not taken; None when there is none or it has no room for them all."""
    if slot is None or slot.size - slot.used < count:
        return None
    allocation = allocate_in_bitmap(bytearray(slot.allocated), count=count, rng=rng)
    return [Slot(slot.id, slot.number, index) for index in allocation.indexes]


def claim(session: Session, *, organisation_id: int, slots: Sequence[Slot],
          then: Callable[[], object] | None = None) -> bool:
    """Take exactly ``slots`` (from :func:`draw`, in an earlier transaction) if every one is
    still free in the newest slot; else take nothing and say so (another allocation came
    between: the caller allocates afresh). Nothing is committed here, as in :func:`allocate`.
    ``then`` is called once the allocation's lock and read are sent, before their answer is
    waited for (on PostgreSQL in a pipeline, what it sends comes back with them).
    """
    if not slots:
        lock_allocation(session, organisation_id=organisation_id)
        if then is not None:
            then()
        return True
    if session.get_bind().dialect.name == "postgresql":
        row = _locked_open_slot(session, organisation_id, then)
    else:
        lock_allocation(session, organisation_id=organisation_id)
        row = _open_slot(session, organisation_id)
        if then is not None:
            then()
    if row is None or any(slot.list_id != row.id for slot in slots):
        return False
    bitmap = bytearray(row.allocated)
    if not take_in_bitmap(bitmap, (slot.index for slot in slots)):
        return False
    _write(session, row.id, bitmap, int.from_bytes(bitmap).bit_count())
    return True


def _locked_open_slot(session: Session, organisation_id: int,
                      then: Callable[[], object] | None = None) -> OpenSlot | None:
    """PostgreSQL: :func:`lock_allocation` and :func:`_open_slot` sent together, in psycopg's
    pipeline mode. The server runs them in turn as two statements, so the read's snapshot
    (READ COMMITTED takes one a statement) is taken once the lock is held and sees what the
    lock's last holder committed, as when they are sent one after the other; but the first
    round trip of every issue batch's writing transaction is not waited for, while the other
    server's batches wait for the lock it takes (bench/load.py issue)."""
    query, defaults = _compiled_newest_locked(session.get_bind().dialect)
    cursor = driver_cursor(session)
    # In a pipeline already (:func:`~credstack.adapters.db.driver.pipelined`), the read's
    # answer is the one waited for: a pipeline of its own inside it would wait for two more
    # (entering it syncs what is queued, leaving it syncs again).
    with driver_errors(query), cursor, (
            contextlib.nullcontext() if in_pipeline(session) else cursor.connection.pipeline()):
        cursor.connection.execute(_ADVISORY_LOCK.format(space="%s", organisation="%s"),
                                  (ALLOCATION_LOCK, organisation_id))
        cursor.execute(query, {**defaults, "organisation_id": organisation_id})
        if then is not None:
            then()
        row = cursor.fetchone()
    if row is None or row[3] >= row[2]:
        return None
    return OpenSlot(*row)


@cache
def _compiled_newest_locked(dialect: Any) -> tuple[str, dict[str, Any]]:
    """The newest slot's locked read as the driver's text (``%(organisation_id)s``) and
    its fixed parameters (the limit)."""
    compiled = _statements().newest_locked.compile(dialect=dialect)
    return str(compiled), dict(compiled.params)


def release(session: Session, *, slots: Sequence[Slot]) -> None:
    """Give back ``slots`` that :func:`allocate` took in this same transaction for credentials
    that were then not stored (a request of a batch refused as it was signed). Their indexes
    were never handed out, so the bitmap again holds exactly the stored credentials' indexes;
    call it under the :func:`lock_allocation` of the allocation, before the transaction ends.
    """
    for list_id in sorted({slot.list_id for slot in slots}):
        row = session.execute(_statements().read, {"list_id": list_id}).first()
        if row is None:
            raise NotFoundError(f"No status list with id {list_id}.")
        bitmap = bytearray(row.allocated)
        for slot in slots:
            if slot.list_id == list_id:
                bitmap[slot.index >> 3] &= ~(0x80 >> (slot.index & 7)) & 0xFF
        _write(session, list_id, bitmap, int.from_bytes(bitmap).bit_count())


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
    """Apply ``(purpose, index, value)`` changes to one slot's lists, under the
    organisation's allocation lock and the slot's row lock (so that no change is written
    over another made meanwhile)."""
    organisation_id = session.scalar(select(StatusListRow.organisation_id)
                                     .where(StatusListRow.id == list_id))
    if organisation_id is None:
        raise NotFoundError(f"No status list with id {list_id}.")
    lock_allocation(session, organisation_id=organisation_id)
    row = session.scalar(select(StatusListRow).where(StatusListRow.id == list_id)
                         .with_for_update().execution_options(populate_existing=True))
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


def change_time(session: Session, *, organisation: str, number: int) -> dt.datetime:
    """When the slot's lists last changed: what a signed list, once made, is kept by (one
    light query; the lists themselves are not read)."""
    changed = session.scalar(select(StatusListRow.changed_at).join(OrganisationRow)
                             .where(OrganisationRow.slug == organisation,
                                    StatusListRow.number == number))
    if changed is None:
        raise NotFoundError(f"{organisation!r} has no status list {number}.")
    return utc(changed)


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




@dataclass(frozen=True, slots=True)
class AllocationRecord:
    """A slot's record of the indexes it gave out (what ``credstack doctor`` checks)."""

    list_id: int
    organisation_id: int
    organisation: str
    number: int
    size: int
    used: int
    allocated: bytes


def allocation_records(session: Session, *, list_id: int | None = None
                       ) -> list[AllocationRecord]:
    """Every slot's allocation record (or only ``list_id``'s), by organisation and number,
    read afresh."""
    query = (select(StatusListRow.id, StatusListRow.organisation_id, OrganisationRow.slug,
                    StatusListRow.number, StatusListRow.size, StatusListRow.used,
                    StatusListRow.allocated)
             .join(OrganisationRow).order_by(OrganisationRow.slug, StatusListRow.number))
    if list_id is not None:
        query = query.where(StatusListRow.id == list_id)
    return [AllocationRecord(*row) for row in session.execute(query)]


def held_indexes(session: Session, *, list_id: int) -> list[int]:
    """The status indexes the stored credentials of slot ``list_id`` hold."""
    return list(session.scalars(select(IssuedCredentialRow.status_index)
                                .where(IssuedCredentialRow.status_list_id == list_id)))


def rewrite_allocation(session: Session, *, list_id: int, allocated: bytes, used: int) -> None:
    """Replace slot ``list_id``'s bitmap of given-out indexes and its count (the caller holds
    :func:`lock_allocation`)."""
    row = session.get(StatusListRow, list_id, populate_existing=True)
    if row is None:
        raise NotFoundError(f"No status list with id {list_id}.")
    row.allocated = allocated
    row.used = used
    session.flush()
