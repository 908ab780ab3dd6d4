"""Providers' applications to join the platform, and the operator's decisions on them.

* :func:`apply` — anyone: the organisation's name in Japanese and English, its corporate
  number (法人番号, checked against its check digit), its kind, who applies and their
  address, up to :data:`~credstack.core.console.applications.MAX_DOCUMENTS` documents. A
  second application for a corporate number that has one waiting or approved is refused
  (:class:`~credstack.errors.ConflictError`), by the store's unique index as well, so two
  forms sent at once leave one. Audited ``provider_application.submitted``.
* :func:`approve` — the operator: the organisation is made (``organisation.created``), an
  invitation for the applicant's address to be its provider admin is made, and the
  applicant is e-mailed the link (``provider_application.approved``); all in one
  transaction, so nothing is half-done.
* :func:`refuse` — the operator, with a reason the applicant is e-mailed
  (``provider_application.refused``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import invitations as invitation_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import provider_applications as store
from credstack.adapters.db.repositories.provider_applications import (
    NewDocument,
    StoredApplication,
    StoredDocument,
)
from credstack.adapters.db.transactions import Session
from credstack.adapters.mail.rendering import APPLICATION_APPROVED, APPLICATION_REFUSED
from credstack.core.access import Actor, Role
from credstack.core.accounts.emails import normalise_email
from credstack.core.console.applications import (
    MAX_DOCUMENTS,
    ApplicationStatus,
    Document,
    screen_document,
)
from credstack.core.console.corporate_number import corporate_number
from credstack.core.mail import event_key
from credstack.core.organisations import Organisation, OrganisationKind
from credstack.core.said import Said
from credstack.errors import ConflictError, InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.console.operators import require_operator
from credstack.services.mail import NewMessage, queue_many
from credstack.services.runtime import Runtime
from credstack.services.workspace import INVITATION_VALID, invitation_url

__all__ = ["APPLYING_KINDS", "StoredApplication", "StoredDocument", "Upload", "application",
           "applications", "apply", "approve", "document", "refuse", "suggested_slug"]

#: The kinds a provider may apply as (a recognition body is made by the operator).
APPLYING_KINDS = tuple(kind for kind in OrganisationKind
                       if kind is not OrganisationKind.RECOGNITION_BODY)
_MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as the form sent it."""

    filename: str
    content: bytes


def _problem(field: str, code: str, **params: object) -> InputError:
    """Refuse with ``code``: its words are the refusal and the problem of ``field``."""
    return InputError(code=code, params=params,
                      problems=[Problem(field, code=code, params=params)])


def _name(value: str, field: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned or len(cleaned) > _MAX_NAME:
        raise _problem(field, "console.join.refused.name",
                       what=Said(f"console.join.field.{field}"), most=_MAX_NAME)
    return cleaned


def _email(value: str) -> str:
    try:
        return normalise_email(value)
    except InputError:
        raise _problem("email", "console.join.refused.email") from None


def _kind(value: str) -> OrganisationKind:
    try:
        kind = OrganisationKind(value)
    except ValueError:
        kind = None
    if kind is None or kind not in APPLYING_KINDS:
        raise _problem("kind", "console.join.refused.kind")
    return kind


def apply(runtime: Runtime, *, name_ja: str, name_en: str, corporate_number_text: str,
          kind: str, contact_name: str, email: str, documents: Sequence[Upload],
          language: str = "ja") -> StoredApplication:
    """Store a provider's application (public: no actor); its view. Everything is checked
    before anything is written."""
    names = {"ja": _name(name_ja, "name_ja"), "en": _name(name_en, "name_en")}
    number = corporate_number(corporate_number_text)
    the_kind = _kind(kind)
    contact = _name(contact_name, "contact_name")
    address = _email(email)
    files = [upload for upload in documents if upload.content or upload.filename]
    if len(files) > MAX_DOCUMENTS:
        raise _problem("documents", "console.join.refused.documents", most=MAX_DOCUMENTS)
    screened = [screen_document(upload.content, filename=upload.filename,
                                where=f"documents[{index}]")
                for index, upload in enumerate(files)]
    now = runtime.now()
    try:
        with runtime.transaction() as session:
            _refuse_duplicate(session, number)
            row = store.add(session, public_id=secrets.token_hex(12), name=names,
                            corporate_number=number, kind=the_kind.value,
                            contact_name=contact, email=address,
                            language=language if language in {"ja", "en"} else "ja",
                            status=ApplicationStatus.WAITING.value, at=now,
                            documents=[NewDocument(item.filename, item.media_type,
                                                   item.content) for item in screened])
            audit.record(session, at=now, actor=f"applicant:{address}",
                         action="provider_application.submitted",
                         subject=f"provider-application:{row.public_id}",
                         details={"name": names, "corporate_number": number,
                                  "kind": the_kind.value, "email": address,
                                  "documents": [_document_details(d) for d in screened]})
            return row
    except ConflictError:
        # Another form for the same number was stored at the same moment.
        raise _duplicate() from None


def _document_details(document: Document) -> dict[str, Any]:
    return {"filename": document.filename, "media_type": document.media_type,
            "size": len(document.content)}


def _duplicate() -> ConflictError:
    code = "console.join.refused.duplicate"
    return ConflictError(code=code, problems=[Problem("corporate_number", code=code)])


def _refuse_duplicate(session: Session, number: str) -> None:
    if store.count_for(session, number, statuses=(ApplicationStatus.WAITING.value,
                                                  ApplicationStatus.APPROVED.value)):
        raise _duplicate()


def applications(runtime: Runtime, *, actor: Actor, status: ApplicationStatus | None = None,
                 limit: int = 200) -> list[StoredApplication]:
    """The applications (of ``status``), oldest waiting first."""
    require_operator(actor, action="provider_application.read")
    with runtime.transaction() as session:
        return store.applications(
            session, status=status.value if status is not None else None, limit=limit)


def application(runtime: Runtime, *, actor: Actor, public_id: str) -> StoredApplication:
    require_operator(actor, action="provider_application.read")
    with runtime.transaction() as session:
        return _row(session, public_id)


def document(runtime: Runtime, *, actor: Actor, public_id: str, document_id: int
             ) -> tuple[StoredDocument, bytes]:
    """One document of an application, for the operator to read."""
    require_operator(actor, action="provider_application.read")
    with runtime.transaction() as session:
        row = _row(session, public_id)
        found = store.document(session, row.id, document_id)
        if found is None:
            raise NotFoundError(code="console.refused.no_document")
        info, content = found
        return info, content


def suggested_slug(name_en: str) -> str:
    """A slug for the organisation, from its English name (the operator may change it)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-")[:64].strip("-")
    return slug or "organisation"


def approve(runtime: Runtime, *, actor: Actor, public_id: str, slug: str) -> StoredApplication:
    """Approve a waiting application: the organisation ``slug`` is made, its provider admin
    invited at the applicant's address, and the applicant e-mailed the link."""
    principal = require_operator(actor, action="provider_application.approve")
    now = runtime.now()
    with runtime.transaction() as session:
        row = _waiting(session, public_id)
        try:
            organisation = Organisation(slug=slug.strip().lower(), kind=row.kind,
                                        name=row.name, country="JP", email=row.email,
                                        corporate_number=row.corporate_number)
        except ValidationError:
            raise _problem("slug", "console.refused.slug_invalid") from None
        if organisation_store.find_row(session, organisation.slug) is not None:
            raise _problem("slug", "console.refused.slug_taken", slug=organisation.slug)
        stored = organisation_store.create_organisation(session, organisation=organisation,
                                                        now=now)
        audit.record(session, at=now, actor=principal.subject, action="organisation.created",
                     subject=f"organisation:{stored.slug}",
                     details={**organisation.to_document(),
                              "application": row.public_id})
        token = secrets.token_urlsafe(32)
        organisation_row = organisation_store.existing_row(session, stored.slug)
        written = invitation_store.write_pending(
            session, organisation_id=organisation_row.id, email=row.email,
            role=Role.PROVIDER_ADMIN.value, token_hash=account_store.digest(token),
            invited_by=principal.subject, at=now, expires_at=now + INVITATION_VALID)
        # The organisation was made in this transaction: nobody else has invited anyone yet.
        assert written is not None
        invitation = written[0]
        row = store.decide(session, row.id, status=ApplicationStatus.APPROVED.value, at=now,
                           by=principal.subject, organisation_slug=stored.slug)
        url = invitation_url(runtime, token)
        audit.record(session, at=now, actor=principal.subject,
                     action="provider_application.approved",
                     subject=f"provider-application:{row.public_id}",
                     details={"organisation": stored.slug, "invitation": invitation.id,
                              "email": row.email, "role": Role.PROVIDER_ADMIN.value})
        queue_many(session, [NewMessage(
            event_key("provider_application.approved", row.public_id), row.email,
            APPLICATION_APPROVED,
            {"name": dict(row.name), "url": url, "organisation": stored.slug,
             "expires_at": invitation.expires_at.isoformat()}, None, row.language)], now=now)
        session.flush()
        return row


def refuse(runtime: Runtime, *, actor: Actor, public_id: str, reason: str) -> StoredApplication:
    """Refuse a waiting application with ``reason``, which the applicant is e-mailed."""
    principal = require_operator(actor, action="provider_application.refuse")
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > 2000:
        raise _problem("reason", "console.refused.refusal_reason")
    now = runtime.now()
    with runtime.transaction() as session:
        row = _waiting(session, public_id)
        row = store.decide(session, row.id, status=ApplicationStatus.REFUSED.value, at=now,
                           by=principal.subject, reason=cleaned)
        audit.record(session, at=now, actor=principal.subject,
                     action="provider_application.refused",
                     subject=f"provider-application:{row.public_id}",
                     details={"reason": cleaned, "email": row.email})
        queue_many(session, [NewMessage(
            event_key("provider_application.refused", row.public_id), row.email,
            APPLICATION_REFUSED, {"name": dict(row.name), "reason": cleaned}, None,
            row.language)], now=now)
        session.flush()
        return row


def _row(session: Session, public_id: str) -> StoredApplication:
    row = store.application(session, public_id)
    if row is None:
        raise NotFoundError(code="console.refused.no_application")
    return row


def _waiting(session: Session, public_id: str) -> StoredApplication:
    row = store.application(session, public_id, lock=True)
    if row is None:
        raise NotFoundError(code="console.refused.no_application")
    if row.status is not ApplicationStatus.WAITING:
        raise ConflictError(code="console.refused.decided_already")
    return row

