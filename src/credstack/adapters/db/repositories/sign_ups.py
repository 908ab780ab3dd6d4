"""Requests to sign up on one's own (table in :mod:`credstack.adapters.db.tables.sign_ups`):
made, counted for the rate limit, found by their link's token, used, replaced and forgotten.

Requests come back as :class:`SignUp`, their times aware."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.sign_ups import SignUpRow
from credstack.adapters.db.times import utc

__all__ = ["SignUp", "add", "by_token_hash", "forget_expired", "made_since", "replace_unused",
           "use"]


@dataclass(frozen=True, slots=True)
class SignUp:
    """A request to sign up: the address, where its learner was going, and, while its link
    can be used, the name and password hash chosen."""

    id: int
    email: str
    next_path: str
    display_name: str | None
    password_hash: str | None
    expires_at: dt.datetime
    used_at: dt.datetime | None


def add(session: Session, *, email: str, ip: str, next_path: str, at: dt.datetime,
        expires_at: dt.datetime, token_hash: str | None = None,
        display_name: str | None = None, password_hash: str | None = None) -> int:
    """A new request (with a link's token digest, name and password hash for an address
    without an account); its id."""
    row = SignUpRow(email=email, ip=ip, next_path=next_path, created_at=at,
                    expires_at=expires_at, token_hash=token_hash, display_name=display_name,
                    password_hash=password_hash)
    session.add(row)
    session.flush()
    return row.id


def replace_unused(session: Session, email: str) -> None:
    """The address's unused links can no longer be used (a newer one replaces them): their
    name and password hash are cleared."""
    session.execute(update(SignUpRow).where(
        SignUpRow.email == email, SignUpRow.used_at.is_(None),
        SignUpRow.password_hash.is_not(None)).values(password_hash=None, display_name=None))


def by_token_hash(session: Session, token_hash: str, *, lock: bool = False) -> SignUp | None:
    """The request whose link's token has the digest ``token_hash`` (its row locked for
    update when ``lock``); None for none."""
    query = select(SignUpRow).where(SignUpRow.token_hash == token_hash)
    row = session.scalar(query.with_for_update() if lock else query)
    return None if row is None else SignUp(
        row.id, row.email, row.next_path, row.display_name, row.password_hash,
        utc(row.expires_at), utc(row.used_at) if row.used_at is not None else None)


def use(session: Session, sign_up_id: int, *, at: dt.datetime, user_id: int) -> None:
    """The request's link was used at ``at`` to make the account ``user_id``: the name and
    password hash it held are cleared."""
    session.execute(update(SignUpRow).where(SignUpRow.id == sign_up_id).values(
        used_at=at, user_id=user_id, password_hash=None, display_name=None))


def made_since(session: Session, *, email: str | None = None, ip: str | None = None,
               since: dt.datetime, limit: int) -> list[dt.datetime]:
    """When the requests for ``email`` (or from ``ip``) since ``since`` were made, newest
    first, at most ``limit``."""
    where = SignUpRow.email == email if email is not None else SignUpRow.ip == ip
    return [utc(at) for at in session.scalars(
        select(SignUpRow.created_at).where(where, SignUpRow.created_at >= since)
        .order_by(SignUpRow.created_at.desc()).limit(limit))]


def forget_expired(session: Session, *, now: dt.datetime) -> None:
    """Delete the requests whose link expired."""
    session.execute(delete(SignUpRow).where(SignUpRow.expires_at <= now))
