"""Importing whole files of organisations and programmes (``credstack mc import``).

An import is one transaction, all or nothing: every record is checked first and any problem
leaves the store untouched. Each programme becomes a published version: new programmes
version 1, changed ones the next version, identical ones are left alone; awarding bodies the
store lacks are created. It spans organisations, so it is a registry admin's act.

An import is audited once, not once per programme (imports run to a million programmes), as
``programmes.imported`` with the source, the format and its counts. A dry run, or an import
that changes nothing, writes nothing.
"""

from __future__ import annotations

import datetime as dt

from credstack.adapters.db.repositories import programmes as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor, Principal
from credstack.core.descriptors import Documents, Format
from credstack.core.programmes import Change
from credstack.services import audit
from credstack.services.programmes.views import ImportProgress, ImportReport
from credstack.services.runtime import Runtime

__all__ = ["import_documents", "import_file"]


def _no_progress(stage: str, done: int, total: int) -> None:
    del stage, done, total


def import_file(runtime: Runtime, *, actor: Actor, data: str | bytes, fmt: Format,
                dry_run: bool = False, source: str = "input",
                progress: ImportProgress = _no_progress) -> ImportReport:
    """Read a whole file in ``fmt`` and import it; what changed (or would, in a dry run).

    ``progress`` is told (stage, done, total) as the import goes: "reading", "checking",
    then "writing". :class:`~credstack.errors.DescriptorError` names every record that
    cannot be stored.
    """
    principal = actor.require(Action.PROGRAMME_WRITE, None)
    now = runtime.now()
    with runtime.transaction() as session:
        report = store.import_file(session, data=data, fmt=fmt, now=now, dry_run=dry_run,
                                   source=source, progress=progress)
        if dry_run:
            session.rollback()
            return report
        _audit(session, report, principal=principal, now=now, source=source,
               fmt=fmt.value)
    return report


def import_documents(runtime: Runtime, *, actor: Actor, documents: Documents,
                     source: str) -> ImportReport:
    """Import documents already read (the demo set), as :func:`import_file` imports a file:
    one transaction, audited once with its counts."""
    principal = actor.require(Action.PROGRAMME_WRITE, None)
    now = runtime.now()
    with runtime.transaction() as session:
        report = store.import_documents(session, documents=documents, now=now, source=source)
        _audit(session, report, principal=principal, now=now, source=source, fmt="documents")
    return report


def _audit(session: Session, report: ImportReport, *, principal: Principal,
           now: dt.datetime, source: str, fmt: str) -> None:
    """Write the import's one audit entry (which the platform's figures count), unless it
    changed nothing."""
    counts = {change.value: report.count(change) for change in Change}
    if report.organisations_created or report.organisations_updated or any(
            count for change, count in counts.items() if change != Change.UNCHANGED):
        audit.record(session, at=now, actor=principal.subject,
                     action="programmes.imported", subject="programmes",
                     details={"source": source, "format": fmt,
                              "organisations_created": len(report.organisations_created),
                              "organisations_updated": len(report.organisations_updated),
                              "programmes": counts})
