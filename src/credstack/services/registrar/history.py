"""A record's documents as the registrar reads them (issue 56): every form issued from the
record with its status entry's state, what happened to them — issued, viewed and downloaded
through a delivery link, revoked, corrected (a re-import replaced the record, withdrawing what
the old version issued) — and the figures, counted in the store.

Read with ``records:read`` (the certificate office's own right, not an issuer's); withdrawing
goes through :func:`credstack.services.registrar.documents.withdraw`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import registrar_documents as document_store
from credstack.adapters.db.repositories import registrar_requests as request_store
from credstack.core.access import Action, Actor
from credstack.services.registrar.records import stored_record
from credstack.services.runtime import Runtime

__all__ = ["DocumentRow", "HistoryEvent", "RecordDocuments", "record_documents"]

#: What a status entry revoked by a re-import says (:mod:`.documents`).
CORRECTED = "corrected"


@dataclass(frozen=True, slots=True)
class DocumentRow:
    kind: str
    form: str
    language: str
    credential_id: str
    state: str
    created_at: dt.datetime
    record_version: int


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One thing that happened to the record's documents: ``issued``, ``view``,
    ``download``, ``revoked`` or ``corrected``."""

    at: dt.datetime
    event: str
    #: The forms issued (``transcript.pdf``), the document downloaded, or the reason.
    detail: str
    #: For a view or a download: the addressee of the request whose link it went through.
    addressee: str = ""


@dataclass(frozen=True, slots=True)
class RecordDocuments:
    organisation: str
    number: str
    name: str
    version: int
    documents: tuple[DocumentRow, ...]
    #: Newest first.
    history: tuple[HistoryEvent, ...]
    #: forms, active, withdrawn, requests, views, downloads.
    figures: dict[str, int]


def record_documents(runtime: Runtime, *, actor: Actor, organisation: str, number: str
                     ) -> RecordDocuments:
    """The documents issued from the record of student ``number``, their history and
    figures."""
    actor.require(Action.RECORDS_READ, organisation)
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        stored = stored_record(session, row.id, organisation, number)
        documents = [DocumentRow(item.kind, item.form, item.language, item.credential_id,
                                 item.state, item.created_at, item.record_version)
                     for item in document_store.documents_of(session, student_id=stored.id)]
        entries = document_store.entries_of(session, student_id=stored.id)
        asked = request_store.of_student(session, stored.id)
        events = request_store.events_of(session, [item.id for item in asked])
    history: list[HistoryEvent] = []
    issued: dict[dt.datetime, list[str]] = {}
    for document in documents:
        issued.setdefault(document.created_at, []).append(f"{document.kind}.{document.form}")
    history += [HistoryEvent(at, "issued", " ".join(forms)) for at, forms in issued.items()]
    history += [HistoryEvent(entry.state_changed_at,
                             CORRECTED if entry.reason == CORRECTED else "revoked",
                             entry.reason or "")
                for entry in entries
                if entry.state != "active" and entry.state_changed_at is not None]
    for request in asked:
        history += [HistoryEvent(event.at, event.event, event.document, request.addressee)
                    for event in events[request.id]]
    history.sort(key=lambda item: item.at, reverse=True)
    logged = [event for request in asked for event in events[request.id]]
    figures = {"forms": len(documents),
               "active": sum(1 for item in documents if item.state == "active"),
               "withdrawn": sum(1 for item in documents if item.state != "active"),
               "requests": len(asked),
               "views": sum(1 for event in logged if event.event == "view"),
               "downloads": sum(1 for event in logged if event.event == "download")}
    return RecordDocuments(organisation, number, stored.student.name, stored.version,
                           tuple(documents), tuple(history), figures)
