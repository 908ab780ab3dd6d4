"""OpenID for Verifiable Presentations: the presentation requests credstack's verifier made
(table ``oid4vp_requests`` in :mod:`credstack.adapters.db.tables.oid4vc`), made, read and
answered once.

Requests come back as :class:`PresentationRequest`, their times aware."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.oid4vc import Oid4vpRequestRow
from credstack.adapters.db.times import utc

__all__ = ["PresentationRequest", "add", "answer", "request"]


@dataclass(frozen=True, slots=True)
class PresentationRequest:
    """A presentation request: who asked what, how the wallet fetches and answers it, and
    its answer once given."""

    id: int
    public_id: str
    user_id: int | None
    label: str
    nonce: str
    query: dict[str, Any]
    created_at: dt.datetime
    expires_at: dt.datetime
    responded_at: dt.datetime | None
    outcome: str | None
    report: dict[str, Any] | None
    organisation: str | None
    client_did: str | None
    request_uri_method: str | None
    response_mode: str | None


def _request(row: Oid4vpRequestRow) -> PresentationRequest:
    return PresentationRequest(
        row.id, row.public_id, row.user_id, row.label, row.nonce, dict(row.query),
        utc(row.created_at), utc(row.expires_at),
        utc(row.responded_at) if row.responded_at is not None else None, row.outcome,
        row.report, row.organisation, row.client_did, row.request_uri_method,
        row.response_mode)


def add(session: Session, *, public_id: str, user_id: int | None, label: str, nonce: str,
        query: dict[str, Any], at: dt.datetime, expires_at: dt.datetime,
        organisation: str | None, client_did: str | None, request_uri_method: str | None,
        response_mode: str | None) -> PresentationRequest:
    """A new presentation request."""
    row = Oid4vpRequestRow(public_id=public_id, user_id=user_id, label=label, nonce=nonce,
                           query=query, created_at=at, expires_at=expires_at,
                           organisation=organisation, client_did=client_did,
                           request_uri_method=request_uri_method, response_mode=response_mode)
    session.add(row)
    session.flush()
    return _request(row)


def request(session: Session, public_id: str, *, lock: bool = False
            ) -> PresentationRequest | None:
    """The request ``public_id`` (its row locked for update when ``lock``); None for none."""
    query = select(Oid4vpRequestRow).where(Oid4vpRequestRow.public_id == public_id)
    row = session.scalar(query.with_for_update() if lock else query)
    return None if row is None else _request(row)


def answer(session: Session, request_id: int, *, at: dt.datetime, outcome: str,
           response: dict[str, Any], report: dict[str, Any]) -> None:
    """Keep the wallet's answer to the request ``request_id``."""
    session.execute(update(Oid4vpRequestRow).where(Oid4vpRequestRow.id == request_id).values(
        responded_at=at, outcome=outcome, response=response, report=report))
