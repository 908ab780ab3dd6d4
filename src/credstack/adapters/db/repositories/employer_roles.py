"""Employers' saved roles: a title, the description typed and the skills chosen (table in
:mod:`credstack.adapters.db.tables.skills`). Each is its maker's: every read names the user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.skills import EmployerRoleRow
from credstack.adapters.db.times import utc

__all__ = ["SavedRole", "count", "forget", "role", "roles", "titled", "write"]


@dataclass(frozen=True, slots=True)
class SavedRole:
    id: int
    title: str
    text: str
    #: The chosen skills' URIs, in order.
    skills: tuple[str, ...]
    updated_at: dt.datetime


def _saved(row: EmployerRoleRow) -> SavedRole:
    return SavedRole(row.id, row.title, row.text, tuple(row.skills), utc(row.updated_at))


def _titled(session: Session, user_id: int, title: str) -> EmployerRoleRow | None:
    return session.scalar(select(EmployerRoleRow).where(
        EmployerRoleRow.user_id == user_id, EmployerRoleRow.title == title))


def titled(session: Session, *, user_id: int, title: str) -> SavedRole | None:
    """The user's role of ``title``; None for none."""
    row = _titled(session, user_id, title)
    return None if row is None else _saved(row)


def count(session: Session, *, user_id: int) -> int:
    """How many roles the user keeps."""
    return session.scalar(select(func.count()).select_from(EmployerRoleRow).where(
        EmployerRoleRow.user_id == user_id)) or 0


def write(session: Session, *, user_id: int, title: str, text: str, skills: Sequence[str],
          at: dt.datetime) -> SavedRole:
    """Save the user's role ``title`` (replacing the one of that title)."""
    row = _titled(session, user_id, title)
    if row is None:
        row = EmployerRoleRow(user_id=user_id, title=title, created_at=at)
        session.add(row)
    row.text, row.skills, row.updated_at = text, list(skills), at
    session.flush()
    return _saved(row)


def roles(session: Session, *, user_id: int) -> list[SavedRole]:
    """The user's roles, the latest changed first."""
    return [_saved(row) for row in session.scalars(select(EmployerRoleRow).where(
        EmployerRoleRow.user_id == user_id).order_by(
            EmployerRoleRow.updated_at.desc(), EmployerRoleRow.id.desc()))]


def role(session: Session, *, user_id: int, role_id: int) -> SavedRole | None:
    """The user's role ``role_id``; None for none (or someone else's)."""
    row = session.get(EmployerRoleRow, role_id)
    return None if row is None or row.user_id != user_id else _saved(row)


def forget(session: Session, role_id: int) -> None:
    """Delete the role ``role_id``."""
    session.execute(delete(EmployerRoleRow).where(EmployerRoleRow.id == role_id))
