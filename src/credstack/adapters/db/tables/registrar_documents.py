"""The registrar's documents (migration ``0056_registrar_documents``, issue 56).

* ``registrar_document_status`` — the one status entry of a record's documents, per version
  of the record: every form of every document issued from it carries this entry, so revoking
  it (or correcting the record) withdraws them all at once;
* ``registrar_documents`` — each form issued (a PDF, an Open Badges 3.0 credential, a CLR), its
  content as handed out; ``request_key`` makes issuing for a class idempotent.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base


class RegistrarDocumentStatusRow(Base):
    __tablename__ = "registrar_document_status"
    __table_args__ = (
        UniqueConstraint("student_id", "record_version",
                         name="uq_registrar_document_status_student_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("registrar_students.id", ondelete="CASCADE"), index=True)
    record_version: Mapped[int] = mapped_column(Integer)
    status_list_id: Mapped[int] = mapped_column(ForeignKey("status_lists.id"))
    status_index: Mapped[int] = mapped_column(Integer)
    #: active or revoked.
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    state_changed_at: Mapped[dt.datetime | None] = mapped_column(STAMP, nullable=True)
    #: Why the documents were withdrawn (the registrar's words, or ``corrected``).
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)


class RegistrarDocumentRow(Base):
    __tablename__ = "registrar_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status_id: Mapped[int] = mapped_column(
        ForeignKey("registrar_document_status.id", ondelete="CASCADE"), index=True)
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: degree, graduation, expected, transcript, enrolment, courses.
    kind: Mapped[str] = mapped_column(String(16))
    #: pdf, vc or clr.
    form: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    #: The id of the credential the form is (a PDF: the credential it carries).
    credential_id: Mapped[str] = mapped_column(String(200), index=True)
    media_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    batch: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
