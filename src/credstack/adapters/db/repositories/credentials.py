"""Issued credentials in the store: recording them, finding them, changing their status.

A credential is stored exactly as it was handed out (JSON text, or the compact JWS of a
VC-JWT) with its place in its organisation's status lists. Its ``state`` mirrors the bits
of those lists: ``active``, ``suspended`` or ``revoked``. Revocation is final (Bitstring
Status List v1.0 §2.1: a revoked credential is not reinstated); suspension is lifted by
reinstating.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db import bulk, statistics
from credstack.adapters.db.repositories import activity, status_lists
from credstack.adapters.db.tables import (
    IssuedCredentialRow,
    OrganisationRow,
    ProgrammeVersionRow,
)
from credstack.adapters.db.tables.mail import MailOutboxRow
from credstack.adapters.db.tables.oid4vc import Oid4vciOfferRow
from credstack.adapters.db.times import utc
from credstack.core.activity.notices import valid_until_in, valid_until_of
from credstack.core.credentials import securing as securing_forms
from credstack.core.status.changes import StatusChange, transition
from credstack.core.wallet.sameness import date_of_issue, day_of_issue
from credstack.errors import NotFoundError

__all__ = [
    "NewCredential",
    "StoredCredential",
    "batch_learners",
    "batch_summary",
    "by_request_keys",
    "change_status",
    "get_credential",
    "inactive",
    "insert_credentials",
    "insert_unless_taken",
    "list_credentials",
    "refresh_statistics",
    "refusing_taken",
    "search_credentials",
    "stored_request_keys",
]


@dataclass(frozen=True, slots=True)
class _Credential:
    """A signed credential as it was handed out, and what it was issued for."""

    credential_id: str
    request_key: str | None
    programme_version_id: int | None
    learner: str | None
    batch: str | None
    securing: str
    document: str

    def as_json(self) -> dict[str, Any]:
        """The credential as JSON: the document, or what a JWT (its ``vc`` claim), SD-JWT or
        COSE message secures (not verified again: it was signed here); empty when it cannot
        be read."""
        found = securing_forms.claims(self.document, self.securing)
        if isinstance(found, dict) and isinstance(found.get("vc"), dict):
            found = found["vc"]
        return found if isinstance(found, dict) else {}


@dataclass(frozen=True, slots=True)
class NewCredential(_Credential):
    """A signed credential about to be recorded."""

    slot: status_lists.Slot
    purposes: tuple[str, ...]
    #: The learner's name as the issuer gave it, for finding the credential.
    learner_name: str | None = None
    #: The signed credential as JSON, when the signer holds it (Data Integrity: ``document``
    #: is its JSON text): its dates are read from it, not from ``document`` parsed again.
    claims: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class StoredCredential(_Credential):
    """A recorded credential, with its place in its organisation's status lists."""

    organisation: str
    status_list: int
    status_index: int
    purposes: tuple[str, ...]
    state: str
    #: When it was signed and stored.
    issued_at: dt.datetime
    state_changed_at: dt.datetime | None
    #: Its date of issue (the document's ``validFrom``), the day people read.
    issued_on: dt.date
    learner_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "credentialId": self.credential_id, "organisation": self.organisation,
            "learner": self.learner, "batch": self.batch, "securing": self.securing,
            "statusList": self.status_list, "statusListIndex": str(self.status_index),
            "statusPurposes": list(self.purposes),
            "state": self.state, "issuedAt": self.issued_at.isoformat(),
            "issuedOn": self.issued_on.isoformat(),
            "stateChangedAt": (self.state_changed_at.isoformat()
                               if self.state_changed_at is not None else None),
        }


def _stored(row: IssuedCredentialRow, organisation: str, number: int) -> StoredCredential:
    return StoredCredential(
        credential_id=row.credential_id, organisation=organisation, request_key=row.request_key,
        programme_version_id=row.programme_version_id, learner=row.learner, batch=row.batch,
        securing=row.securing, document=row.document, status_list=number,
        status_index=row.status_index, purposes=tuple(row.purposes.split(",")),
        state=row.state, issued_at=utc(row.issued_at),
        state_changed_at=utc(row.state_changed_at) if row.state_changed_at else None,
        issued_on=row.issued_on, learner_name=row.learner_name)


def insert_credentials(session: Session, *, organisation_id: int,
                       credentials: Sequence[NewCredential], now: dt.datetime) -> None:
    """Record signed credentials (in bulk; nothing is committed here)."""
    bulk.insert_rows(session, IssuedCredentialRow, [{
        "credential_id": item.credential_id, "request_key": item.request_key,
        "organisation_id": organisation_id, "programme_version_id": item.programme_version_id,
        "learner": item.learner, "batch": item.batch, "securing": item.securing,
        "document": item.document, "status_list_id": item.slot.list_id,
        "status_index": item.slot.index, "purposes": ",".join(item.purposes),
        "state": "active", "issued_at": now,
        "state_changed_at": None, "learner_name": item.learner_name,
        "valid_until": (valid_until_of(item.document) if item.claims is None
                        else valid_until_in(item.claims)),
        "issued_on": (date_of_issue(item.document) if item.claims is None
                      else day_of_issue(item.claims)) or now.astimezone(dt.UTC).date(),
    } for item in credentials])
    # Counted for the issuer's figures and the platform's as they are issued, never on a
    # view: every credential is stored here, whichever use case signed it.
    activity.count_issued(session, organisation_id=organisation_id,
                          batches=[item.batch for item in credentials], at=now)


def insert_unless_taken(session: Session, *, organisation_id: int,
                        credentials: Sequence[NewCredential], now: dt.datetime) -> bool:
    """:func:`insert_credentials`, unless the id of one of them is stored already (by a
    transaction that committed meanwhile): then nothing is inserted, and False."""
    try:
        with session.begin_nested():
            insert_credentials(session, organisation_id=organisation_id,
                               credentials=credentials, now=now)
    except IntegrityError:
        return False
    return True


@contextmanager
def refusing_taken(refusal: Callable[[], Exception]) -> Iterator[None]:
    """Inside it, credentials inserted with an id or request key stored already (by a
    transaction that committed meanwhile) raise ``refusal()`` instead of the store's error;
    the transaction is then to be rolled back. Another table's key taken is raised as it is
    (the block may hold other writes: a pipeline's queued ones fail where it ends)."""
    try:
        yield
    except IntegrityError as error:
        if not _names_credentials(error):
            raise
        raise refusal() from None


def _names_credentials(error: IntegrityError) -> bool:
    """Whether a key of the credentials' table was taken: PostgreSQL names the table in the
    error's diagnostics, SQLite in its message (``UNIQUE constraint failed: table.column``)."""
    table = IssuedCredentialRow.__tablename__
    diagnostics = getattr(error.orig, "diag", None)
    if diagnostics is not None:
        return bool(diagnostics.table_name == table)
    return f"{table}." in str(error.orig)


#: The tables a cohort grows by a row a learner: the credentials, and the e-mail and wallet
#: offer of each.
_GROWN_BY_COHORTS = (IssuedCredentialRow, MailOutboxRow, Oid4vciOfferRow)


def refresh_statistics(session: Session) -> None:
    """Gather PostgreSQL's planner statistics of the tables that issuing a cohort grows
    (:mod:`credstack.adapters.db.statistics`)."""
    statistics.refresh(session, _GROWN_BY_COHORTS)


def by_request_keys(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """The stored documents of the credentials issued for ``keys`` (request key → document)."""
    return {key: document for key, document
            in _by_request_key(session, keys, IssuedCredentialRow.document) if key}


def stored_request_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` a stored credential was issued for (read from the request key's
    index alone: a resumed cohort asks this of every chunk, whose documents it never reads).
    """
    return {key for key, in _by_request_key(session, keys)}


def credential_ids_by_keys(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """The ids of the credentials issued for ``keys`` (request key → credential id)."""
    return {key: credential_id for key, credential_id
            in _by_request_key(session, keys, IssuedCredentialRow.credential_id) if key}


def _by_request_key(session: Session, keys: Iterable[str], *columns: Any
                    ) -> Iterator[Sequence[Any]]:
    """The request key and ``columns`` of each credential issued for one of ``keys``, asked
    5,000 keys at a time (a list of parameters each database takes)."""
    wanted = list(keys)
    for start in range(0, len(wanted), 5000):
        yield from session.execute(
            select(IssuedCredentialRow.request_key, *columns)
            .where(IssuedCredentialRow.request_key.in_(wanted[start:start + 5000])))


def programme_version_of(session: Session, *, credential_id: str) -> tuple[int, int] | None:
    """The programme and version a credential was issued for (None: issued from a VC-API
    request, for no programme)."""
    query = (select(ProgrammeVersionRow.programme_id, ProgrammeVersionRow.version)
             .join(IssuedCredentialRow,
                   IssuedCredentialRow.programme_version_id == ProgrammeVersionRow.id)
             .where(IssuedCredentialRow.credential_id == credential_id))
    row = session.execute(query).first()
    return None if row is None else (row[0], row[1])


def is_issued(session: Session, credential_id: str) -> bool:
    """Whether credstack issued the credential ``credential_id``."""
    return session.scalar(select(IssuedCredentialRow.id).where(
        IssuedCredentialRow.credential_id == credential_id)) is not None


def _row(session: Session, credential_id: str, *, lock: bool = False
         ) -> tuple[IssuedCredentialRow, str]:
    query = (select(IssuedCredentialRow, OrganisationRow.slug).join(OrganisationRow)
             .where(IssuedCredentialRow.credential_id == credential_id))
    result = session.execute(query.with_for_update() if lock else query).first()
    if result is None:
        raise NotFoundError(f"credstack issued no credential with id {credential_id!r}.")
    return result[0], result[1]


def get_credential(session: Session, *, credential_id: str) -> StoredCredential:
    row, organisation = _row(session, credential_id)
    _, number = status_lists.find_slot(session, list_id=row.status_list_id)
    return _stored(row, organisation, number)


def list_credentials(session: Session, *, organisation: str | None = None,
                     batch: str | None = None, limit: int = 100) -> list[StoredCredential]:
    """Recently issued credentials, newest first, optionally of one organisation or batch."""
    query = (select(IssuedCredentialRow, OrganisationRow.slug).join(OrganisationRow)
             .order_by(IssuedCredentialRow.id.desc()).limit(limit))
    if organisation is not None:
        query = query.where(OrganisationRow.slug == organisation)
    if batch is not None:
        query = query.where(IssuedCredentialRow.batch == batch)
    rows = session.execute(query).all()
    numbers = {row.status_list_id: status_lists.find_slot(session, list_id=row.status_list_id)[1]
               for row, _ in rows}
    return [_stored(row, slug, numbers[row.status_list_id]) for row, slug in rows]


@dataclass(frozen=True, slots=True)
class CredentialSummary:
    """A line of an organisation's list of credentials (no document is read for it)."""

    credential_id: str
    learner: str | None
    learner_name: str | None
    batch: str | None
    programme_id: int | None
    version: int | None
    state: str
    #: Its date of issue (the document's ``validFrom``).
    issued_on: dt.date


@dataclass(frozen=True, slots=True)
class CredentialSearch:
    """What an organisation's list of credentials is narrowed to (None: not narrowed)."""

    #: Part of the learner's key (e-mail address, number) or name, or a credential's id.
    text: str | None = None
    programme_id: int | None = None
    batch: str | None = None
    state: str | None = None
    #: Dated (``issued_on``) on or after this day.
    issued_from: dt.date | None = None
    #: Dated on or before this day.
    issued_until: dt.date | None = None


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _looks_like_an_id(text: str) -> bool:
    """Whether a search is a credential's id (``urn:uuid:…``, a URL) rather than a name."""
    return ":" in text and " " not in text


def search_credentials(session: Session, *, organisation_id: int, search: CredentialSearch,
                       offset: int = 0, limit: int = 50) -> tuple[list[CredentialSummary], int]:
    """One page of an organisation's credentials, newest first, narrowed by ``search``, and
    how many there are in all.

    A credential's id is looked up as a whole (its unique index); other text is matched
    anywhere in the learner's key and name, case-insensitively. The ids of the page and the
    count are read from the indexes alone (``ix_issued_credentials_search`` holds every
    filtered column; ``…_listing`` the order), and only the page's rows are read after."""
    conditions = [IssuedCredentialRow.organisation_id == organisation_id]
    if search.text and _looks_like_an_id(search.text):
        conditions.append(IssuedCredentialRow.credential_id == search.text)
    elif search.text:
        pattern = f"%{_escaped(search.text)}%"
        # SQLite's LIKE ignores the case of ASCII letters itself (lower() on 100,000 index
        # entries would double the search); PostgreSQL asks for ILIKE.
        sqlite = session.get_bind().dialect.name == "sqlite"
        conditions.append(or_(*(
            column.like(pattern, escape="\\") if sqlite
            else column.ilike(pattern, escape="\\")
            for column in (IssuedCredentialRow.learner, IssuedCredentialRow.learner_name))))
    if search.programme_id is not None:
        conditions.append(IssuedCredentialRow.programme_version_id.in_(
            select(ProgrammeVersionRow.id).where(
                ProgrammeVersionRow.programme_id == search.programme_id)))
    if search.batch is not None:
        conditions.append(IssuedCredentialRow.batch == search.batch)
    if search.state is not None:
        conditions.append(IssuedCredentialRow.state == search.state)
    if search.issued_from is not None:
        conditions.append(IssuedCredentialRow.issued_on >= search.issued_from)
    if search.issued_until is not None:
        conditions.append(IssuedCredentialRow.issued_on <= search.issued_until)
    # Narrowed, the page's ids are read from the search index and sorted: ordered by the
    # bare id, SQLite would walk the listing index instead and read every row to filter it.
    # ``id + 0`` is the same order without the index. The count comes with the page (one
    # pass over the index), or on its own for a page past the end.
    counted = select(func.count()).select_from(IssuedCredentialRow).where(*conditions)
    if len(conditions) > 1:
        page = session.execute(select(IssuedCredentialRow.id, func.count().over())
                               .where(*conditions).order_by((IssuedCredentialRow.id + 0).desc())
                               .offset(offset).limit(limit)).all()
        ids = [row[0] for row in page]
        total = page[0][1] if page else session.scalar(counted) or 0
    else:
        # Everything: the listing index gives the page in order, the count is its length.
        ids = list(session.scalars(select(IssuedCredentialRow.id).where(*conditions)
                                   .order_by(IssuedCredentialRow.id.desc())
                                   .offset(offset).limit(limit)))
        total = session.scalar(counted) or 0
    if not ids:
        return [], total
    query = (select(IssuedCredentialRow.credential_id, IssuedCredentialRow.learner,
                    IssuedCredentialRow.learner_name, IssuedCredentialRow.batch,
                    ProgrammeVersionRow.programme_id, ProgrammeVersionRow.version,
                    IssuedCredentialRow.state, IssuedCredentialRow.issued_on)
             .outerjoin(ProgrammeVersionRow,
                        ProgrammeVersionRow.id == IssuedCredentialRow.programme_version_id)
             .where(IssuedCredentialRow.id.in_(ids)).order_by(IssuedCredentialRow.id.desc()))
    items = [CredentialSummary(*row) for row in session.execute(query)]
    return items, total


def batches(session: Session, *, organisation_id: int, limit: int = 500) -> list[str]:
    """The names of an organisation's batches (``ix_issued_credentials_batch``)."""
    query = (select(IssuedCredentialRow.batch).distinct()
             .where(IssuedCredentialRow.organisation_id == organisation_id,
                    IssuedCredentialRow.batch.is_not(None))
             .order_by(IssuedCredentialRow.batch).limit(limit))
    return [batch for batch in session.scalars(query) if batch is not None]


def batch_credentials(session: Session, *, organisation_id: int, batch: str,
                      after: int = 0, limit: int = 500) -> list[tuple[int, StoredCredential]]:
    """The credentials of one batch in the order they were stored, ``limit`` at a time after
    the row ``after`` (keyset pages, for streaming a batch of any size)."""
    query = (select(IssuedCredentialRow, OrganisationRow.slug).join(OrganisationRow)
             .where(IssuedCredentialRow.organisation_id == organisation_id,
                    IssuedCredentialRow.batch == batch, IssuedCredentialRow.id > after)
             .order_by(IssuedCredentialRow.id).limit(limit))
    rows = session.execute(query).all()
    numbers = {row.status_list_id: status_lists.find_slot(session, list_id=row.status_list_id)[1]
               for row, _ in rows}
    return [(row.id, _stored(row, slug, numbers[row.status_list_id])) for row, slug in rows]


def inactive(session: Session, *, organisation_id: int) -> list[tuple[str, str]]:
    """(credential id, state) of the organisation's credentials that are not active (revoked
    or suspended), in the order they were stored."""
    return [(credential_id, state) for credential_id, state in session.execute(
        select(IssuedCredentialRow.credential_id, IssuedCredentialRow.state)
        .where(IssuedCredentialRow.organisation_id == organisation_id,
               IssuedCredentialRow.state != "active")
        .order_by(IssuedCredentialRow.id))]


def batch_learners(session: Session, batch: str) -> dict[str, str]:
    """The credentials of the batch ``batch`` by their learner (the address issued to)."""
    return {learner: credential for learner, credential in session.execute(
        select(IssuedCredentialRow.learner, IssuedCredentialRow.credential_id)
        .where(IssuedCredentialRow.batch == batch)) if learner is not None}


def batch_summary(session: Session, *, organisation_id: int, batch: str
                  ) -> tuple[int, int, dt.datetime | None]:
    """How many credentials one batch has, its newest row and its latest change of status:
    what changes whenever the batch does (``ix_issued_credentials_batch``)."""
    row = session.execute(select(func.count(), func.coalesce(func.max(IssuedCredentialRow.id), 0),
                                 func.max(IssuedCredentialRow.state_changed_at))
                          .where(IssuedCredentialRow.organisation_id == organisation_id,
                                 IssuedCredentialRow.batch == batch)).one()
    return int(row[0]), int(row[1]), utc(row[2]) if row[2] is not None else None


def change_status(session: Session, *, credential_id: str, action: StatusChange,
                  now: dt.datetime,
                  organisation: str | None = None) -> StoredCredential:
    """Revoke, suspend or reinstate a credential; its status lists change in the same
    transaction. Refused (:class:`~credstack.errors.ConflictError`) when the credential's
    state does not allow it; with ``organisation``, refused unless it issued the credential.
    """
    row, issuer = _row(session, credential_id, lock=True)
    if organisation is not None and issuer != organisation:
        raise NotFoundError(f"{organisation!r} issued no credential with id {credential_id!r}.")
    # Under the lock its status lists change under, the state read again: on SQLite the
    # read above may predate another change committed since.
    status_lists.lock_allocation(session, organisation_id=row.organisation_id)
    session.refresh(row)
    result = transition(action, credential_id=credential_id, state=row.state,
                        purposes=frozenset(row.purposes.split(",")))
    status_lists.set_bits(session, list_id=row.status_list_id,
                          changes=[(purpose, row.status_index, value)
                                   for purpose, value in result.bits], now=now)
    row.state = result.state
    row.state_changed_at = now
    session.flush()
    _, number = status_lists.find_slot(session, list_id=row.status_list_id)
    return _stored(row, issuer, number)
