"""Reports of a problem with a programme, and the operator's answer.

* :func:`report` — anyone, from the programme's public page: a reason and what is wrong. One
  address may send :data:`~credstack.core.console.reports.REPORTS_PER_WINDOW` reports an
  hour (its address is kept as a keyed digest only, enough to count). Audited
  ``programme.reported``.
* :func:`hide` — the operator hides the programme with a public reason (its page then says
  so, and shows nothing else of it); every waiting report of it is settled. Audited
  ``programme.hidden``.
* :func:`dismiss` — the operator dismisses one report (``programme_report.dismissed``).
* :func:`unhide` — the operator shows a hidden programme again (``programme.unhidden``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from credstack.adapters.db.repositories import moderation as store
from credstack.adapters.db.repositories.programmes import reading as programme_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor
from credstack.core.console.reports import (
    REPORT_WINDOW,
    ReportReason,
    ReportStatus,
    refuse_flood,
    report_text,
)
from credstack.errors import ConflictError, InputError, NotFoundError, Problem
from credstack.services import audit, freshness
from credstack.services.console.operators import require_operator
from credstack.services.runtime import Runtime

__all__ = [
    "HiddenProgramme",
    "Hiding",
    "Marks",
    "ReportView",
    "dismiss",
    "hidden_programmes",
    "hide",
    "hiding",
    "hiding_in",
    "marks",
    "report",
    "reports",
    "unhide",
]


@dataclass(frozen=True, slots=True)
class Hiding:
    reason: str
    hidden_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ReportView:
    id: int
    programme_id: int
    organisation: str
    code: str
    title: dict[str, str]
    reason: ReportReason
    message: str
    status: ReportStatus
    created_at: dt.datetime
    hidden: Hiding | None


def _address_hash(runtime: Runtime, address: str) -> str:
    key = runtime.key().derive(b"credstack programme report addresses")
    return hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()


def report(runtime: Runtime, *, programme_id: int, reason: str, message: str,
           address: str) -> int:
    """Store a report of ``programme_id`` from the visitor at ``address``; its id."""
    try:
        the_reason = ReportReason(reason)
    except ValueError:
        code = "console.report.refused.kind"
        raise InputError(code=code, problems=[Problem("reason", code=code)]) from None
    text = report_text(message)
    now = runtime.now()
    digest = _address_hash(runtime, address)
    with runtime.transaction() as session:
        programme = programme_store.get_programme(session, programme_id=programme_id)
        recent, oldest = store.reports_from(session, digest, since=now - REPORT_WINDOW)
        refuse_flood(recent, oldest=oldest, now=now)
        report_id = store.add_report(session, programme_id=programme.id,
                                     reason=the_reason.value, message=text,
                                     address_hash=digest, status=ReportStatus.WAITING.value,
                                     at=now)
        audit.record(session, at=now, actor="visitor", action="programme.reported",
                     subject=f"programme:{programme.id}",
                     details={"report": report_id, "reason": the_reason.value})
        return report_id


def reports(runtime: Runtime, *, actor: Actor, status: ReportStatus | None = None,
            limit: int = 200) -> list[ReportView]:
    """Reports (of ``status``), oldest first."""
    require_operator(actor, action="programme_report.read")
    with runtime.transaction() as session:
        found = []
        for row in store.reports(session, status=status.value if status else None,
                                 limit=limit):
            programme = programme_store.get_programme(session, programme_id=row.programme_id)
            found.append(ReportView(row.id, programme.id, programme.organisation_slug,
                                    programme.code, _title(programme),
                                    ReportReason(row.reason), row.message,
                                    ReportStatus(row.status), row.created_at,
                                    hiding_in(session, programme_id=programme.id)))
        return found


def _title(programme: programme_store.StoredProgramme) -> dict[str, str]:
    title = programme.programme.title
    return dict(title.root) if title is not None else {}


@dataclass(frozen=True, slots=True)
class HiddenProgramme:
    programme_id: int
    organisation: str
    code: str
    title: dict[str, str]
    hiding: Hiding


def hidden_programmes(runtime: Runtime, *, actor: Actor, limit: int = 200
                      ) -> list[HiddenProgramme]:
    """The programmes the operator hid, newest first."""
    require_operator(actor, action="programme_report.read")
    with runtime.transaction() as session:
        found = []
        for row in store.hidings(session, limit=limit):
            programme = programme_store.get_programme(session, programme_id=row.programme_id)
            found.append(HiddenProgramme(programme.id, programme.organisation_slug,
                                         programme.code, _title(programme),
                                         Hiding(row.reason, row.hidden_at)))
        return found


def hiding_in(session: Session, *, programme_id: int) -> Hiding | None:
    """The programme's hiding, if any (inside the caller's transaction)."""
    return _hiding(store.hiding(session, programme_id))


def _hiding(stored: store.StoredHiding | None) -> Hiding | None:
    return Hiding(stored.reason, stored.hidden_at) if stored is not None else None


@dataclass(frozen=True, slots=True)
class Marks:
    """What a programme's public page says before anything else: hidden by the operator (and
    why), its organisation suspended."""

    hidden: Hiding | None
    suspended: bool


def hiding(runtime: Runtime, *, programme_id: int) -> Hiding | None:
    """Whether the operator hid the programme, and why (public: its page says so)."""
    with runtime.transaction() as session:
        return hiding_in(session, programme_id=programme_id)


#: The kind programmes' marks are kept under (:mod:`credstack.services.freshness`).
MARKS = "programme-marks"


def marks(runtime: Runtime, *, programme_id: int) -> Marks:
    """The programme's marks, in one statement (the page asks on every view, before its
    cache: a hiding or a suspension made through this process shows at once, one made
    through another within :data:`~credstack.services.freshness.FRESH_SECONDS`); a read, so
    no transaction is begun and committed around it."""
    return freshness.recent(runtime, MARKS, programme_id,
                            lambda: _read_marks(runtime, programme_id))


def known_marks(runtime: Runtime, *, programme_id: int) -> Marks | None:
    """The programme's marks if those read a moment ago still hold (``None``: read them)."""
    found = freshness.known(runtime, MARKS, programme_id)
    return found if isinstance(found, Marks) else None


def _read_marks(runtime: Runtime, programme_id: int) -> Marks:
    with runtime.sessions() as session:
        hidden, suspended = store.marks(session, programme_id)
    return Marks(_hiding(hidden), suspended)


def hide(runtime: Runtime, *, actor: Actor, programme_id: int, reason: str) -> Hiding:
    """Hide the programme with ``reason`` (shown on its page); settles its waiting reports."""
    principal = require_operator(actor, action="programme.hide")
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > 1000:
        code = "console.refused.hide_reason"
        raise InputError(code=code, problems=[Problem("reason", code=code)])
    now = runtime.now()
    with runtime.transaction() as session:
        programme = programme_store.get_programme(session, programme_id=programme_id)
        existing = hiding_in(session, programme_id=programme.id)
        if existing is not None:
            return existing
        store.add_hiding(session, programme_id=programme.id, reason=cleaned, at=now,
                         by=principal.subject)
        settled = store.settle_reports(session, programme.id,
                                       waiting=ReportStatus.WAITING.value,
                                       status=ReportStatus.HIDDEN.value, at=now,
                                       by=principal.subject)
        audit.record(session, at=now, actor=principal.subject, action="programme.hidden",
                     subject=f"programme:{programme.id}",
                     details={"reason": cleaned, "organisation": programme.organisation_slug,
                              "code": programme.code, "reports_settled": settled})
        session.flush()
        if runtime.registry is not None:
            runtime.registry.track_visibility(session, programme.id)
        return Hiding(cleaned, now)


def unhide(runtime: Runtime, *, actor: Actor, programme_id: int) -> None:
    """Show a hidden programme again (nothing happens when it is not hidden)."""
    principal = require_operator(actor, action="programme.unhide")
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.hiding(session, programme_id, lock=True)
        if row is None:
            return
        store.remove_hiding(session, programme_id)
        audit.record(session, at=now, actor=principal.subject, action="programme.unhidden",
                     subject=f"programme:{programme_id}", details={"reason": row.reason})
        if runtime.registry is not None:
            runtime.registry.track_visibility(session, programme_id)


def dismiss(runtime: Runtime, *, actor: Actor, report_id: int) -> None:
    """Dismiss a waiting report (the programme stays as it is)."""
    principal = require_operator(actor, action="programme_report.dismiss")
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.report_for_update(session, report_id)
        if row is None:
            raise NotFoundError(code="console.refused.no_report")
        if row.status != ReportStatus.WAITING.value:
            raise ConflictError(code="console.refused.settled_already")
        store.decide_report(session, row.id, status=ReportStatus.DISMISSED.value, at=now,
                            by=principal.subject)
        audit.record(session, at=now, actor=principal.subject,
                     action="programme_report.dismissed",
                     subject=f"programme:{row.programme_id}", details={"report": row.id})
