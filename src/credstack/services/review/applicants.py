"""The applicant's steps: opening an application, the self-evaluation and evidence, submitting,
answering, appealing, withdrawing, renewing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import review as store
from credstack.adapters.db.repositories.review import (
    StoredApplication,
)
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Principal
from credstack.core.certificates.active_content import refuse_active_content
from credstack.core.descriptors import get_profile
from credstack.core.review import (
    APPEALABLE,
    Event,
    Outcome,
    State,
    appeal_open,
    check_completeness,
    check_renewal,
    parse_self_evaluation,
    transition,
)
from credstack.core.wallet.uploads import UploadLimits
from credstack.errors import (
    ConflictError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    Problem,
    UnsupportedMediaError,
)
from credstack.services import audit, recognitions
from credstack.services.review.reading import _evidence, _view, _viewer
from credstack.services.review.records import (
    _change,
    _findings_dicts,
    _load,
    _message,
    _opt_utc,
    _require,
    _target,
    _text,
    _user_id,
    _utc,
)
from credstack.services.review.views import (
    MAX_EVIDENCE_BYTES,
    ApplicationView,
    EvidenceView,
    Target,
)
from credstack.words import words


def open_application(session: Session, principal: Principal, *, organisation: str,
                     programme_id: int, recognition_body: str, profile: str,
                     programme_version: int | None = None, now: dt.datetime,
                     kind: str = store.INITIAL, renewal_of: str | None = None
                     ) -> ApplicationView:
    """Open a draft application of ``organisation`` for a published version of its programme
    (the newest published one unless ``programme_version`` is given) to ``recognition_body``,
    to be checked against the framework profile ``profile``."""
    where = Target("", organisation, recognition_body)
    _require(principal, Action.APPLICATION_MANAGE, where)
    applicant = store.organisation_row(session, organisation)
    body = store.organisation_row(session, recognition_body)
    if applicant is None:
        raise NotFoundError(code="review.refused.no_organisation",
                            params={"organisation": organisation})
    if body is None or body.kind != "recognition-body":
        raise InputError(code="review.refused.not_a_body",
                         params={"recognition_body": recognition_body},
                         problems=[Problem("recognition_body", "a recognition body's slug")])
    if body.id == applicant.id:
        raise InputError(code="review.refused.own_programme",
                         problems=[Problem("recognition_body", "another organisation")])
    get_profile(profile)  # UnknownProfileError (422) for a profile credstack does not know
    programme = programme_store.get_programme(session, programme_id=programme_id)
    if programme.organisation_slug != organisation:
        raise NotFoundError(code="review.refused.no_programme",
                            params={"organisation": organisation, "programme_id": programme_id})
    if programme_version is None:
        published = programme_store.get_published_programme(session, programme_id=programme_id)
        programme_version = published.latest.version
    version = programme_store.get_version(session, programme_id=programme_id,
                                          version=programme_version)
    if version.status is not programme_store.Status.PUBLISHED:
        raise ConflictError(code="review.refused.draft_version",
                            params={"programme_version": programme_version,
                                    "programme_id": programme_id},
                            problems=[Problem("programme_version", "a published version")])
    row = store.add_application(
        session, public_id=store.new_public_id(), organisation_id=applicant.id,
        programme_id=programme_id, programme_version=programme_version,
        recognition_body_id=body.id, profile=profile, kind=kind, renewal_of=renewal_of,
        state=State.DRAFT.value, now=now, created_by=_user_id(principal))
    session.flush()
    audit.record(session, at=now, actor=principal.subject,
                 action="application.renewal-opened" if kind == store.RENEWAL
                 else "application.opened",
                 subject=f"application:{row.public_id}",
                 details={"applicant": organisation, "recognition_body": recognition_body,
                          "programme_id": programme_id, "programme_version": programme_version,
                          "profile": profile, "kind": kind, "renewal_of": renewal_of,
                          "version": row.version})
    return _view(session, principal, row)


def _editable(row: StoredApplication) -> list[Event]:
    """The steps that make an application editable again: none for a draft, ``revise`` for
    an incomplete one; for any other state the state machine refuses ``revise``."""
    return [] if row.state == State.DRAFT.value else [Event.REVISE]


def update_self_evaluation(session: Session, principal: Principal, *, application: str,
                           self_evaluation: Mapping[str, object],
                           expected_version: int | None = None, now: dt.datetime
                           ) -> ApplicationView:
    """Replace the texts of the criteria named in ``self_evaluation`` (an empty text clears
    one). A draft, or an incomplete application (which goes back to draft)."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    texts = parse_self_evaluation(self_evaluation)
    merged = {**row.self_evaluation}
    for criterion in self_evaluation:
        if criterion in texts:
            merged[criterion] = texts[criterion]
        else:
            merged.pop(criterion, None)
    _change(session, principal, row, events=_editable(row), expected=expected_version, now=now,
            action="application.self-evaluation-updated",
            details={"criteria": sorted(self_evaluation)}, self_evaluation=merged)
    return _view(session, principal, row)


_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


TEXT: Final = "text/plain"

#: How much reading an evidence PDF for active content may cost: the wallet's limits.
_PDF_LIMITS: Final = UploadLimits()


#: What a file's name may say about its type; a name that says otherwise is refused.
_EXTENSIONS: Final[Mapping[str, str]] = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".txt": TEXT, ".text": TEXT, ".md": TEXT, ".csv": TEXT,
}


_MARKUP = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|meta|[a-z]+[\s>])",
                     re.IGNORECASE)


def sniff(content: bytes, filename: str) -> str:
    """The media type of an evidence file, judged by its bytes (never by its name alone):
    PDF, PNG, JPEG or UTF-8 plain text. Markup (HTML, SVG, XML) is not plain text. A name
    whose extension says another type is refused too: an HTML page named ``.pdf``."""
    detected = next((media for magic, media in _MAGIC if content.startswith(magic)), None)
    if detected is None:
        body = content.removeprefix(b"\xef\xbb\xbf")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if (text is not None and not _MARKUP.match(body)
                and not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f"
                            for c in text)):
            detected = TEXT
    dot = filename.rfind(".")
    named = _EXTENSIONS.get(filename[dot:].lower()) if dot >= 0 else None
    if detected is None or (named is not None and named != detected) or (
            named is None and dot >= 0 and detected != TEXT):
        what = detected or "not PDF, PNG, JPEG or UTF-8 plain text"
        raise UnsupportedMediaError(
            code="review.refused.evidence_kind", params={"filename": filename, "what": what},
            problems=[Problem("file", what)])
    return detected


def _filename(name: str) -> str:
    """The last part of an uploaded file's name, without control characters, ≤ 255."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return cleaned[:255] or "evidence"


def add_evidence(session: Session, principal: Principal, *, application: str, filename: str,
                 content: bytes, now: dt.datetime, expected_version: int | None = None
                 ) -> EvidenceView:
    """Attach an evidence file (PDF, PNG, JPEG or UTF-8 text, at most 10 MiB, type judged by
    its bytes; a PDF that would act by itself when opened is refused, as in the wallet:
    :func:`~credstack.core.certificates.active_content.refuse_active_content`).
    The same content twice is one file: the existing one is returned."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    if len(content) > MAX_EVIDENCE_BYTES:
        raise InputTooLargeError(
            code="review.refused.evidence_too_large",
            params={"size": len(content), "most": MAX_EVIDENCE_BYTES},
            problems=[Problem("file", f"{len(content):,} bytes")])
    if not content:
        raise InputError(code="review.refused.evidence_empty",
                         problems=[Problem("file", code="review.refused.evidence_empty_hint")])
    name = _filename(filename)
    media_type = sniff(content, name)
    if media_type == "application/pdf":
        # Evaluators open evidence in a PDF reader: the wallet's screen applies.
        refuse_active_content(content, max_objects=_PDF_LIMITS.max_pdf_objects,
                              max_inflated_bytes=_PDF_LIMITS.max_pdf_stream_bytes,
                              max_tokens=_PDF_LIMITS.max_pdf_tokens)
    digest = hashlib.sha256(content).hexdigest()
    existing = store.find_evidence(session, row.id, digest)
    if existing is not None:
        return _evidence(existing)
    events = (_editable(row) if row.state in (State.DRAFT.value, State.INCOMPLETE.value)
              else None)
    if events is None:
        # More evidence may come with the answer to an information request.
        if row.state != State.INFORMATION_REQUESTED.value:
            transition(State(row.state), Event.REVISE)  # refuses, naming the allowed steps
        events = []
    _change(session, principal, row, events=events, expected=expected_version, now=now,
            action="evidence.added",
            details={"sha256": digest, "filename": name, "media_type": media_type,
                     "size": len(content)})
    added = store.add_evidence(session, application_id=row.id, filename=name,
                               media_type=media_type, content=content, sha256=digest,
                               uploaded_by=_user_id(principal), at=now)
    session.flush()
    return _evidence(added)


def evidence_content(session: Session, principal: Principal, *, application: str,
                     sha256: str) -> tuple[EvidenceView, bytes]:
    """An evidence file and its bytes, for anyone who may read the application."""
    row = _load(session, application)
    _viewer(session, principal, row, _target(session, row))
    found = store.find_evidence(session, row.id, sha256.lower(), content=True)
    if found is None:
        raise NotFoundError(code="review.refused.no_evidence",
                            params={"application": application, "sha256": sha256})
    return _evidence(found), found.content


def submit(session: Session, principal: Principal, *, application: str,
           expected_version: int | None = None, now: dt.datetime) -> ApplicationView:
    """Hand the application in; the completeness check runs at once. Complete: it awaits
    evaluators. Incomplete: the findings are stored and it goes back to the applicant
    (``incomplete``), who revises and submits again."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    version = programme_store.get_version(session, programme_id=row.programme_id,
                                          version=row.programme_version)
    report = check_completeness(programme=version.programme, profile=row.profile,
                                self_evaluation=row.self_evaluation,
                                evidence_files=len(store.evidence_rows(session, row.id)))
    outcome = Event.COMPLETENESS_PASSED if report.complete else Event.COMPLETENESS_FAILED
    events = [*(_editable(row) if row.state == State.INCOMPLETE.value else []), Event.SUBMIT,
              outcome]
    # The findings are kept in the words they have today, in English and Japanese.
    findings = _findings_dicts(report.worded(words).findings)
    _change(session, principal, row, events=events, expected=expected_version, now=now,
            action="application.submitted",
            details={"complete": report.complete, "errors": len(report.errors)},
            findings=findings)
    audit.record(session, at=now, actor="system",
                 action="application.complete" if report.complete
                 else "application.incomplete",
                 subject=f"application:{row.public_id}",
                 details={"profile": row.profile,
                          "errors": [f["code"] + " " + f["path"] for f in findings
                                     if f["severity"] == "error"]})
    return _view(session, principal, row)


def answer(session: Session, principal: Principal, *, application: str, text: str,
           expected_version: int | None = None, now: dt.datetime) -> ApplicationView:
    """Answer the committee's request for information; the review resumes."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    body = _text(text, "text")
    _change(session, principal, row, events=[Event.ANSWER_INFORMATION],
            expected=expected_version, now=now, action="information.answered",
            details={"length": len(body)})
    _message(session, principal, row, store.ANSWER, body, now)
    return _view(session, principal, row)


def appeal(session: Session, principal: Principal, *, application: str, grounds: str,
           expected_version: int | None = None, now: dt.datetime) -> ApplicationView:
    """Appeal a published decision that is appealable (not recognised, or recognised with
    conditions) within the appeal window."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    text = _text(grounds, "grounds")
    decisions = store.decision_rows(session, row.id)
    latest = decisions[-1] if decisions else None
    transition(State(row.state), Event.APPEAL)
    assert latest is not None and latest.published_at is not None
    if Outcome(latest.outcome) not in APPEALABLE:
        raise ConflictError(code="review.refused.appeal_unconditional",
                            problems=[Problem("outcome", latest.outcome)])
    if any(d.appeal for d in decisions):
        raise ConflictError(code="review.refused.appeal_decided",
                            problems=[Problem("appeal", "decided")])
    if not appeal_open(_utc(latest.published_at), now):
        raise ConflictError(code="review.refused.appeal_late",
                            problems=[Problem("appeal", "window closed")])
    _change(session, principal, row, events=[Event.APPEAL], expected=expected_version,
            now=now, action="application.appealed", details={"decision": latest.number})
    _message(session, principal, row, store.APPEAL, text, now)
    return _view(session, principal, row)


def withdraw_application(session: Session, principal: Principal, *, application: str,
                         reason: str, expected_version: int | None = None,
                         now: dt.datetime) -> ApplicationView:
    """The applicant withdraws the application (any time before a decision). Final."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    text = _text(reason, "reason")
    _change(session, principal, row, events=[Event.WITHDRAW], expected=expected_version,
            now=now, action="application.withdrawn", details={})
    _message(session, principal, row, store.WITHDRAWAL, text, now)
    return _view(session, principal, row)


def start_renewal(session: Session, principal: Principal, *, recognition: str,
                  programme_version: int | None = None, profile: str | None = None,
                  now: dt.datetime) -> ApplicationView:
    """Open a renewal application for the recognition numbered ``recognition`` (in force and
    ending within the renewal window), for the same programme, body and (unless given)
    profile; the newest published version unless ``programme_version`` is given."""
    record = recognitions.recognition(session, recognition)
    decision = store.decision_for_recognition(session, recognition)
    if decision is None:
        raise NotFoundError(f"No decision granted recognition {recognition}.")
    previous = store.application_by_id(session, decision.application_id)
    assert previous is not None
    where = _target(session, previous)
    _require(principal, Action.APPLICATION_MANAGE, where)
    if record.valid_until is None:
        raise ConflictError(code="review.refused.no_renewal")
    check_renewal(valid_until=_utc(record.valid_until),
                  withdrawn_at=_opt_utc(record.withdrawn_at), now=now)
    return open_application(session, principal, organisation=where.applicant,
                            programme_id=previous.programme_id,
                            programme_version=programme_version,
                            recognition_body=where.recognition_body,
                            profile=profile or previous.profile, now=now,
                            kind=store.RENEWAL, renewal_of=recognition)
