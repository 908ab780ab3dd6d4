"""The intermediate entities the trust anchor lists: registered (or refreshed), found by
entity identifier, listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import FederationIntermediateRow
from credstack.adapters.db.times import utc

__all__ = ["Intermediate", "find", "intermediates", "register", "remove"]


@dataclass(frozen=True, slots=True)
class Intermediate:
    """An intermediate entity: its identifier, its keys and names as registered."""

    entity_id: str
    jwks: Mapping[str, Any]
    name: Mapping[str, str]
    registered_at: dt.datetime


def _view(row: FederationIntermediateRow) -> Intermediate:
    return Intermediate(row.entity_id, dict(row.jwks), dict(row.name), utc(row.registered_at))


def register(session: Session, *, entity_id: str, jwks: Mapping[str, Any],
             name: Mapping[str, str], now: dt.datetime) -> tuple[Intermediate, bool]:
    """Keep ``entity_id`` with its keys and names (refreshed when registered before); the
    intermediate and whether it is new."""
    row = session.scalars(select(FederationIntermediateRow).where(
        FederationIntermediateRow.entity_id == entity_id).with_for_update()).one_or_none()
    created = row is None
    if row is None:
        row = FederationIntermediateRow(entity_id=entity_id)
        session.add(row)
    row.jwks, row.name, row.registered_at = dict(jwks), dict(name), now
    session.flush()
    return _view(row), created


def find(session: Session, *, entity_id: str) -> Intermediate | None:
    row = session.scalars(select(FederationIntermediateRow).where(
        FederationIntermediateRow.entity_id == entity_id)).one_or_none()
    return _view(row) if row is not None else None


def intermediates(session: Session) -> list[Intermediate]:
    return [_view(row) for row in session.scalars(
        select(FederationIntermediateRow).order_by(FederationIntermediateRow.entity_id))]


def remove(session: Session, *, entity_id: str) -> Intermediate | None:
    """Delete intermediate ``entity_id``; what was deleted, or None."""
    row = session.scalars(select(FederationIntermediateRow).where(
        FederationIntermediateRow.entity_id == entity_id).with_for_update()).one_or_none()
    if row is None:
        return None
    removed = _view(row)
    session.delete(row)
    session.flush()
    return removed
