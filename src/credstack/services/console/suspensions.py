"""Suspending and reinstating an organisation, and the organisations as the console lists
them.

A suspended organisation issues nothing (every issuing path asks for a signer, which is
refused: :func:`credstack.adapters.db.repositories.console.refuse_if_suspended`); its
published programmes stay readable, marked suspended; its status lists are still signed, so
what it issued before keeps verifying. Audited ``organisation.suspended`` (with the reason)
and ``organisation.reinstated``; suspending a suspended organisation, or reinstating one
that is not, changes nothing and writes nothing (a form sent twice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.tables import (
    OrganisationRow,
    OrganisationSuspensionRow,
    ProgrammeRow,
)
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
        statement = select(OrganisationRow).order_by(OrganisationRow.slug).limit(limit)
        needle = query.strip().lower()
        if needle:
            # The name's values, not its JSON text: SQLite writes 北都 there as \u5317\u90fd.
            statement = statement.where(or_(
                func.lower(OrganisationRow.slug).contains(needle),
                *(func.lower(OrganisationRow.name[language].as_string()).contains(needle)
                  for language in ("ja", "en"))))
        rows = list(session.scalars(statement))
        ids = [row.id for row in rows]
        counts = dict(session.execute(select(ProgrammeRow.organisation_id, func.count())
                                      .where(ProgrammeRow.organisation_id.in_(ids))
                                      .group_by(ProgrammeRow.organisation_id)).all())
        suspended = {row.organisation_id: Suspension(row.reason, row.suspended_at)
                     for row in session.scalars(select(OrganisationSuspensionRow).where(
                         OrganisationSuspensionRow.organisation_id.in_(ids)))}
        return [ConsoleOrganisation(row.slug, dict(row.name), row.kind,
                                    int(counts.get(row.id, 0)), suspended.get(row.id),
                                    row.corporate_number)
                for row in rows]


def suspension(session: Session, *, slug: str) -> Suspension | None:
    """The organisation's suspension, if any (inside the caller's transaction: the public
    pages mark a suspended organisation's programmes)."""
    row = session.scalar(select(OrganisationSuspensionRow).join(
        OrganisationRow, OrganisationRow.id == OrganisationSuspensionRow.organisation_id)
        .where(OrganisationRow.slug == slug))
    return Suspension(row.reason, row.suspended_at) if row is not None else None


def public_suspension(runtime: Runtime, *, slug: str) -> Suspension | None:
    """Whether the organisation is suspended (public: its pages say so)."""
    with runtime.transaction() as session:
        return suspension(session, slug=slug)


def suspend(runtime: Runtime, *, actor: Actor, slug: str, reason: str) -> Suspension:
    """Suspend ``slug`` for ``reason`` (kept, audited, shown to its members)."""
    principal = require_operator(actor, action="organisation.suspend")
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > 2000:
        en, ja = ("Give the reason for suspending (at most 2,000 characters).",
                  "停止の理由を入力してください（2,000文字まで）。")
        raise InputError(f"{en} / {ja}", problems=[Problem("reason", en, ja)])
    now = runtime.now()
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, slug)
        existing = session.scalar(select(OrganisationSuspensionRow).where(
            OrganisationSuspensionRow.organisation_id == row.id).with_for_update())
        if existing is not None:
            return Suspension(existing.reason, existing.suspended_at)
        session.add(OrganisationSuspensionRow(organisation_id=row.id, reason=cleaned,
                                              suspended_at=now,
                                              suspended_by=principal.subject))
        audit.record(session, at=now, actor=principal.subject, action="organisation.suspended",
                     subject=f"organisation:{slug}", details={"reason": cleaned})
        session.flush()
        return Suspension(cleaned, now)


def reinstate(runtime: Runtime, *, actor: Actor, slug: str) -> None:
    """Lift ``slug``'s suspension (nothing happens when it has none)."""
    principal = require_operator(actor, action="organisation.reinstate")
    now = runtime.now()
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, slug)
        existing = session.scalar(select(OrganisationSuspensionRow).where(
            OrganisationSuspensionRow.organisation_id == row.id).with_for_update())
        if existing is None:
            return
        session.delete(existing)
        audit.record(session, at=now, actor=principal.subject,
                     action="organisation.reinstated", subject=f"organisation:{slug}",
                     details={"suspended_at": existing.suspended_at.isoformat(),
                              "reason": existing.reason})
