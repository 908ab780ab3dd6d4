"""Suspending and reinstating an organisation, and the organisations as the console lists
them.

A suspended organisation issues nothing (every issuing path asks for a signer, which is
refused: :func:`credstack.adapters.db.repositories.suspensions.refuse_if_suspended`); its
published programmes stay readable, marked suspended; its status lists are still signed, so
what it issued before keeps verifying. Audited ``organisation.suspended`` (with the reason)
and ``organisation.reinstated``; suspending a suspended organisation, or reinstating one
that is not, changes nothing and writes nothing (a form sent twice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import suspensions as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor
from credstack.errors import InputError, Problem
from credstack.services import audit
from credstack.services.console.operators import require_operator
from credstack.services.runtime import Runtime

__all__ = ["ConsoleOrganisation", "Suspension", "organisations", "public_suspension",
           "reinstate", "suspend", "suspension"]


@dataclass(frozen=True, slots=True)
class Suspension:
    reason: str
    suspended_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ConsoleOrganisation:
    slug: str
    name: dict[str, str]
    kind: str
    programmes: int
    suspension: Suspension | None
    #: Its corporate number (法人番号), when known.
    corporate_number: str | None = None


def organisations(runtime: Runtime, *, actor: Actor, query: str = "", limit: int = 100
                  ) -> list[ConsoleOrganisation]:
    """Organisations whose slug or name holds ``query`` (all when empty), by slug, at most
    ``limit``, each with its number of programmes and its suspension."""
    require_operator(actor, action="organisation.read")
    with runtime.transaction() as session:
        rows = store.organisations(session, query.strip().lower(), limit=limit)
        return [ConsoleOrganisation(row.slug, row.name, row.kind, row.programmes,
                                    _suspension(row.suspension), row.corporate_number)
                for row in rows]


def _suspension(stored: store.StoredSuspension | None) -> Suspension | None:
    return Suspension(stored.reason, stored.suspended_at) if stored is not None else None


def suspension(session: Session, *, slug: str) -> Suspension | None:
    """The organisation's suspension, if any (inside the caller's transaction: the public
    pages mark a suspended organisation's programmes)."""
    return _suspension(store.suspension_of(session, slug))


def public_suspension(runtime: Runtime, *, slug: str) -> Suspension | None:
    """Whether the organisation is suspended (public: its pages say so)."""
    with runtime.transaction() as session:
        return suspension(session, slug=slug)


def suspend(runtime: Runtime, *, actor: Actor, slug: str, reason: str) -> Suspension:
    """Suspend ``slug`` for ``reason`` (kept, audited, shown to its members)."""
    principal = require_operator(actor, action="organisation.suspend")
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > 2000:
        code = "console.refused.suspend_reason"
        raise InputError(code=code, problems=[Problem("reason", code=code)])
    now = runtime.now()
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, slug)
        existing = store.suspension(session, row.id)
        if existing is not None:
            return Suspension(existing.reason, existing.suspended_at)
        store.add_suspension(session, organisation_id=row.id, reason=cleaned, at=now,
                             by=principal.subject)
        audit.record(session, at=now, actor=principal.subject, action="organisation.suspended",
                     subject=f"organisation:{slug}", details={"reason": cleaned})
        return Suspension(cleaned, now)


def reinstate(runtime: Runtime, *, actor: Actor, slug: str) -> None:
    """Lift ``slug``'s suspension (nothing happens when it has none)."""
    principal = require_operator(actor, action="organisation.reinstate")
    now = runtime.now()
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, slug)
        existing = store.suspension(session, row.id)
        if existing is None:
            return
        store.remove_suspension(session, row.id)
        audit.record(session, at=now, actor=principal.subject,
                     action="organisation.reinstated", subject=f"organisation:{slug}",
                     details={"suspended_at": existing.suspended_at.isoformat(),
                              "reason": existing.reason})
