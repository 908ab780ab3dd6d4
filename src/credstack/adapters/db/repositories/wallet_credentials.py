"""The credentials learners keep in their wallets, and what hangs on each: tags, places in
collections, share links (tables in :mod:`credstack.adapters.db.tables.wallet`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Row, Select, Text, bindparam, cast, delete, func, insert, select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.json_members import json_members
from credstack.adapters.db.tables import IssuedCredentialRow
from credstack.adapters.db.tables.wallet import (
    WalletCollectionItemRow,
    WalletCollectionRow,
    WalletCredentialRow,
    WalletDismissedRow,
    WalletShareRow,
    WalletTagRow,
)
from credstack.adapters.db.times import utc

__all__ = ["LISTED", "belongings", "count", "dismiss", "held", "held_by_digest",
           "identified", "issued_here", "keep", "listed", "move_belongings", "originals",
           "owned", "page_of_kind", "presentable",
           "record_check", "same_credential", "set_entry", "set_tags", "stored",
           "summaries", "tags", "titled", "undelivered"]

#: The columns lists need (never the original bytes nor the report); the entry as its text.
LISTED: Final[tuple[Any, ...]] = (
    WalletCredentialRow.id, WalletCredentialRow.public_id, WalletCredentialRow.kind,
    WalletCredentialRow.media_type, WalletCredentialRow.filename, WalletCredentialRow.source,
    WalletCredentialRow.source_url, WalletCredentialRow.credential_id,
    WalletCredentialRow.recipient, WalletCredentialRow.imported_at,
    cast(WalletCredentialRow.entry, Text).label("entry"), WalletCredentialRow.outcome,
    WalletCredentialRow.failed_check, WalletCredentialRow.failed_reason,
    WalletCredentialRow.checked_at, WalletCredentialRow.note)


def owned(session: Session, *, user_id: int, public_id: str) -> WalletCredentialRow | None:
    """The user's wallet credential ``public_id``; None when their wallet holds none."""
    return session.scalar(select(WalletCredentialRow).where(
        WalletCredentialRow.public_id == public_id, WalletCredentialRow.user_id == user_id))


def titled(session: Session, row_id: int) -> tuple[str, str | None, dict[str, Any]]:
    """The public id, file name and record entry of the wallet credential of row id
    ``row_id``."""
    row = session.get(WalletCredentialRow, row_id)
    assert row is not None
    return row.public_id, row.filename, dict(row.entry or {})


def issued_here(session: Session, public_id: str) -> str | None:
    """The id of the credential credstack issued that the wallet credential ``public_id``
    holds (any wallet's); None for none, or one imported from elsewhere."""
    return session.scalar(select(IssuedCredentialRow.credential_id).join(
        WalletCredentialRow,
        WalletCredentialRow.credential_id == IssuedCredentialRow.credential_id).where(
        WalletCredentialRow.public_id == public_id).limit(1))


def belongings(session: Session, ids: Sequence[int], *, owner: int | None = None
               ) -> tuple[dict[int, list[str]], dict[int, list[tuple[str, str]]]]:
    """The tags (by name) and the collections ((public id, name), by name) of the wallet
    credentials ``ids`` (row ids), by credential: asked by the ids, or, for a whole wallet,
    by its ``owner`` (one query each, not a thousand ids)."""
    tags: dict[int, list[str]] = {}
    collections: dict[int, list[tuple[str, str]]] = {}
    if not ids:
        return tags, collections
    tagged = select(WalletTagRow.credential_id, WalletTagRow.tag).order_by(WalletTagRow.tag)
    grouped = select(WalletCollectionItemRow.credential_id, WalletCollectionRow.public_id,
                     WalletCollectionRow.name).join(WalletCollectionRow).order_by(
                         WalletCollectionRow.name)
    if owner is None:
        tagged = tagged.where(WalletTagRow.credential_id.in_(ids))
        grouped = grouped.where(WalletCollectionItemRow.credential_id.in_(ids))
    else:
        tagged = tagged.join(WalletCredentialRow).where(WalletCredentialRow.user_id == owner)
        grouped = grouped.where(WalletCollectionRow.user_id == owner)
    for credential_id, tag in session.execute(tagged):
        tags.setdefault(credential_id, []).append(tag)
    for credential_id, public_id, name in session.execute(grouped):
        collections.setdefault(credential_id, []).append((public_id, name))
    return tags, collections


def _matching(query: Select[Any], *, user_id: int, tag: str | None,
              collection: str | None) -> Select[Any]:
    """``query`` of the wallet's credentials narrowed to one tag's or one collection's."""
    if tag is not None:
        query = query.where(WalletCredentialRow.id.in_(
            select(WalletTagRow.credential_id).where(WalletTagRow.tag == tag)))
    if collection is not None:
        query = query.where(WalletCredentialRow.id.in_(
            select(WalletCollectionItemRow.credential_id).join(WalletCollectionRow).where(
                WalletCollectionRow.public_id == collection,
                WalletCollectionRow.user_id == user_id)))
    return query


def held(session: Session, *, user_id: int, credential_id: str) -> str | None:
    """The public id of the user's wallet credential whose credential id is
    ``credential_id``; None when the wallet holds none."""
    return session.scalar(select(WalletCredentialRow.public_id).where(
        WalletCredentialRow.user_id == user_id,
        WalletCredentialRow.credential_id == credential_id).limit(1))


def move_belongings(session: Session, *, from_id: int, to_id: int) -> None:
    """Hang the tags, collection places and share links of the wallet credential ``from_id``
    on ``to_id`` (row ids)."""
    for table in (WalletTagRow, WalletCollectionItemRow, WalletShareRow):
        session.execute(update(table).where(table.credential_id == from_id)
                        .values(credential_id=to_id)
                        .execution_options(synchronize_session=False))


def listed(session: Session, *, user_id: int, tag: str | None = None,
           collection: str | None = None, ids: Sequence[int] | None = None) -> list[Row[Any]]:
    """The listed columns of the user's wallet credentials (those with ``tag``, in
    ``collection``, among the row ids ``ids``, when given): plain rows, not ORM objects, so
    that a record of a thousand credentials is read in a third of the time."""
    query = select(*LISTED).where(WalletCredentialRow.user_id == user_id)
    if ids is not None:
        query = query.where(WalletCredentialRow.id.in_(ids))
    return list(session.execute(_matching(query, user_id=user_id, tag=tag,
                                          collection=collection)).all())


def summaries(session: Session, *, user_id: int, members: Sequence[str], tag: str | None,
              collection: str | None) -> list[tuple[int, dt.datetime, str, str]]:
    """(row id, imported at, latest outcome, the entry's ``members`` as a JSON array's text)
    of the user's wallet credentials (those with ``tag``, in ``collection``, when given):
    the database picks the members out of each stored entry."""
    query = select(WalletCredentialRow.id, WalletCredentialRow.imported_at,
                   WalletCredentialRow.outcome,
                   json_members(session, WalletCredentialRow.entry, members)).where(
        WalletCredentialRow.user_id == user_id)
    return [(row_id, utc(imported_at), outcome, picked) for row_id, imported_at, outcome, picked
            in session.execute(_matching(query, user_id=user_id, tag=tag,
                                         collection=collection))]


def count(session: Session, *, user_id: int) -> int:
    """How many credentials the user's wallet holds."""
    return session.scalar(select(func.count()).select_from(WalletCredentialRow).where(
        WalletCredentialRow.user_id == user_id)) or 0


def tags(session: Session, *, user_id: int) -> list[str]:
    """Every tag used in the user's wallet, by name."""
    return list(session.scalars(select(WalletTagRow.tag).distinct().join(
        WalletCredentialRow).where(WalletCredentialRow.user_id == user_id)
        .order_by(WalletTagRow.tag)))


# --- importing, delivering, checking again ---------------------------------------------
# An import's statements and a recheck's, built once and run on the session's connection:
# building them and the ORM's unit of work would cost more than the statements.
_HELD: Final = select(WalletCredentialRow.id).where(
    WalletCredentialRow.user_id == bindparam("user_id"),
    WalletCredentialRow.digest == bindparam("digest"))
_KEEP: Final = insert(WalletCredentialRow)
_ORIGINALS: Final = select(WalletCredentialRow.id, WalletCredentialRow.public_id,
                           WalletCredentialRow.original).where(
    WalletCredentialRow.user_id == bindparam("user_id"),
    WalletCredentialRow.public_id.in_(bindparam("public_ids", expanding=True)))
_RECHECKED: Final = update(WalletCredentialRow).where(
    WalletCredentialRow.id == bindparam("row_id")).values(
    outcome=bindparam("new_outcome"), failed_check=bindparam("new_failed_check"),
    failed_reason=bindparam("new_failed_reason"),
    checked_at=bindparam("new_checked_at")).returning(*LISTED)
_REENTERED: Final = update(WalletCredentialRow).where(
    WalletCredentialRow.id == bindparam("row_id")).values(
    entry=bindparam("new_entry")).returning(*LISTED)


def held_by_digest(session: Session, *, user_id: int, digest: str) -> int | None:
    """The row id of the user's wallet credential of these bytes (their SHA-256, hex); None
    for none."""
    return session.connection().scalar(_HELD, {"user_id": user_id, "digest": digest})


def stored(session: Session, row_id: int) -> WalletCredentialRow:
    """The wallet credential of row id ``row_id`` (it exists)."""
    return session.get_one(WalletCredentialRow, row_id)


def keep(session: Session, values: Mapping[str, Any]) -> WalletCredentialRow:
    """Keep a wallet credential of the columns ``values``; what lists read it from (not in
    the session)."""
    session.connection().execute(_KEEP, dict(values))
    return WalletCredentialRow(**values)


def same_credential(session: Session, *, user_id: int, credential_id: str
                    ) -> list[WalletCredentialRow]:
    """The user's wallet credentials whose credential id is ``credential_id``, oldest
    first."""
    return list(session.scalars(select(WalletCredentialRow).where(
        WalletCredentialRow.user_id == user_id, WalletCredentialRow.credential_id
        == credential_id).order_by(WalletCredentialRow.id)))


def undelivered(session: Session, user_id: int, *, learners: Sequence[str] | None = None,
                credential_ids: Sequence[str] | None = None) -> list[tuple[str, str | None]]:
    """(document, learner) of the credentials issued here that the user's wallet neither
    holds nor had removed: issued to one of ``learners`` (any case) or among
    ``credential_ids``, in the order they were issued."""
    held = select(WalletCredentialRow.credential_id).where(
        WalletCredentialRow.user_id == user_id, WalletCredentialRow.credential_id.is_not(None))
    dismissed = select(WalletDismissedRow.credential_id).where(
        WalletDismissedRow.user_id == user_id)
    query = select(IssuedCredentialRow.document, IssuedCredentialRow.learner).where(
        IssuedCredentialRow.credential_id.not_in(held),
        IssuedCredentialRow.credential_id.not_in(dismissed)).order_by(IssuedCredentialRow.id)
    if learners is not None:
        query = query.where(func.lower(IssuedCredentialRow.learner).in_(
            [name.lower() for name in learners]))
    if credential_ids is not None:
        query = query.where(IssuedCredentialRow.credential_id.in_(list(credential_ids)))
    return [(document, learner) for document, learner in session.execute(query)]


def originals(session: Session, *, user_id: int, public_ids: Sequence[str]
              ) -> dict[str, tuple[int, bytes]]:
    """Public id → (row id, the bytes as imported) of the user's wallet credentials among
    ``public_ids``."""
    return {public_id: (row_id, bytes(original)) for row_id, public_id, original
            in session.connection().execute(_ORIGINALS, {"user_id": user_id,
                                                         "public_ids": list(public_ids)})}


def record_check(session: Session, row_id: int, *, outcome: str, failed_check: str | None,
                 failed_reason: str | None, at: dt.datetime) -> Row[Any] | None:
    """Keep the latest check of the wallet credential ``row_id``; its listed columns, None
    when it was removed meanwhile."""
    return session.connection().execute(_RECHECKED, {
        "row_id": row_id, "new_outcome": outcome, "new_failed_check": failed_check,
        "new_failed_reason": failed_reason, "new_checked_at": at}).first()


def set_entry(session: Session, row_id: int, entry: Mapping[str, Any]) -> Row[Any]:
    """Give the wallet credential ``row_id`` the record entry ``entry``; its listed
    columns."""
    return session.connection().execute(_REENTERED, {"row_id": row_id,
                                                     "new_entry": dict(entry)}).one()


# --- organising and removing ------------------------------------------------------------


def set_tags(session: Session, row_id: int, tags: Sequence[str]) -> None:
    """Give the wallet credential ``row_id`` exactly the tags ``tags``."""
    session.execute(delete(WalletTagRow).where(WalletTagRow.credential_id == row_id))
    session.add_all(WalletTagRow(credential_id=row_id, tag=tag) for tag in tags)


def dismiss(session: Session, *, user_id: int, credential_id: str, at: dt.datetime) -> None:
    """Remember that the user removed the credential ``credential_id`` from their wallet (it
    is not delivered again)."""
    if session.scalar(select(WalletDismissedRow.id).where(
            WalletDismissedRow.user_id == user_id,
            WalletDismissedRow.credential_id == credential_id)) is None:
        session.add(WalletDismissedRow(user_id=user_id, credential_id=credential_id,
                                       dismissed_at=at))


def page_of_kind(session: Session, *, user_id: int, kind: str, since: dt.datetime | None,
                 limit: int, offset: int) -> tuple[int, list[tuple[bytes, str]]]:
    """How many of the user's wallet credentials are of ``kind`` (imported after ``since``,
    when given), and (the bytes as imported, kind) of ``limit`` of them from ``offset``, in
    the order they were imported."""
    mine = (WalletCredentialRow.user_id == user_id, WalletCredentialRow.kind == kind,
            *((WalletCredentialRow.imported_at > since,) if since is not None else ()))
    total = session.scalar(select(func.count(WalletCredentialRow.id)).where(*mine)) or 0
    rows = session.execute(
        select(WalletCredentialRow.original, WalletCredentialRow.kind).where(*mine)
        .order_by(WalletCredentialRow.imported_at, WalletCredentialRow.id)
        .limit(limit).offset(offset)).all()
    return int(total), [(bytes(original), found) for original, found in rows]


def identified(session: Session, *, user_id: int
               ) -> list[tuple[str, str, str, bytes, str, str]]:
    """(public id, credential id, digest, the bytes as imported, kind, latest outcome) of the
    user's wallet credentials that state a credential id."""
    return [(public_id, credential_id or "", digest, bytes(original), kind, outcome)
            for public_id, credential_id, digest, original, kind, outcome in session.execute(
                select(WalletCredentialRow.public_id, WalletCredentialRow.credential_id,
                       WalletCredentialRow.digest, WalletCredentialRow.original,
                       WalletCredentialRow.kind, WalletCredentialRow.outcome)
                .where(WalletCredentialRow.user_id == user_id,
                       WalletCredentialRow.credential_id.is_not(None)))]


def presentable(session: Session, *, user_id: int
                ) -> list[tuple[str, str, dict[str, Any], bytes]]:
    """(public id, kind, record entry, the bytes as imported) of every credential of the
    user's wallet, the latest imported first."""
    return [(public_id, kind, dict(entry or {}), bytes(original))
            for public_id, kind, entry, original in session.execute(
                select(WalletCredentialRow.public_id, WalletCredentialRow.kind,
                       WalletCredentialRow.entry, WalletCredentialRow.original)
                .where(WalletCredentialRow.user_id == user_id)
                .order_by(WalletCredentialRow.imported_at.desc()))]
