"""Recognitions: granting one issues an Open Badges 3.0 endorsement, withdrawing revokes it.

* :func:`grant` — the committee recognised a programme version: the recognition body signs an
  ``EndorsementCredential`` about the version's achievement
  (:func:`credstack.core.credentials.endorsements.build_endorsement_credential`) through the
  issuing path every credential takes (:func:`credstack.services.issuance.service.issue_document`,
  ``eddsa-rdfc-2022``, one *revocation* status entry in the body's own status list), and the
  recognition is recorded with it (``recognitions``).
* :func:`withdraw` — revokes that credential through the status list
  (:func:`credstack.adapters.db.repositories.credentials.change_status`) and records when
  and why. Revocation is final, so is withdrawal.
* :func:`recognitions_for_programme`, :func:`recognition` — read them back as
  :class:`RecognitionRecord`.
* :func:`endorsements_for` — what credential verification's ``recognition`` step needs
  (:class:`~credstack.core.verification.recognition.RecognitionLookup`).

Both writes happen in the caller's transaction, with their audit entry
(``recognition.granted``, ``recognition.withdrawn``; subject ``recognition:<number>``).
Given the process's :class:`~credstack.adapters.search.live.LiveIndex` (``registry``), they
update the registry's search index when that transaction commits.

The endorsement's ``id`` is ``<public url>/recognitions/<decision number>``, where it is
served; its mark is ``…/mark.svg``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import recognitions as store
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.transactions import Session
from credstack.adapters.keystore import MasterKey
from credstack.core.credentials.endorsements import build_endorsement_credential, decision_url
from credstack.core.images.certification_mark import MarkDesign
from credstack.core.organisations import OrganisationKind
from credstack.core.review.labels import Label
from credstack.core.review.outcomes import (
    Outcome,
    RecognitionStatus,
    granting_outcome,
    recognition_status,
)
from credstack.core.status.changes import StatusChange
from credstack.errors import ConflictError, InputError, Problem
from credstack.services import audit, issuance
from credstack.settings import Settings
from credstack.words import words

if TYPE_CHECKING:
    from credstack.adapters.search.live import LiveIndex

__all__ = [
    "RecognitionRecord",
    "endorsement_document",
    "endorsements_for",
    "grant",
    "recognition",
    "recognition_url",
    "recognitions_for_programme",
    "withdraw",
]

#: Endorsements are Data Integrity credentials (the suite OB 3.0 certification requires).
SECURING: Final = "eddsa-rdfc-2022"
_REVOCATION_ONLY: Final = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}


def recognition_url(public_url: str, number: str) -> str:
    """Where the endorsement credential of decision ``number`` is served (its ``id``)."""
    return f"{public_url.rstrip('/')}/recognitions/{number}"


@dataclass(frozen=True, slots=True)
class RecognitionRecord:
    """A granted recognition (withdrawn or not) and its endorsement credential's id."""

    number: str
    programme_id: int
    version: int
    recognition_body: str
    recognition_body_name: Mapping[str, str]
    application: str
    outcome: Outcome
    conditions: Label | None
    reasons: Label
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    credential_id: str
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str | None
    created_at: dt.datetime

    def status(self, now: dt.datetime) -> RecognitionStatus:
        """valid, expired, withdrawn or not-yet-valid at ``now``."""
        return recognition_status(self.valid_from, self.valid_until, self.withdrawn_at, now)

    def mark(self, programme_title: Mapping[str, str] | None) -> MarkDesign:
        return MarkDesign(outcome=self.outcome, body_name=self.recognition_body_name,
                          programme_title=programme_title, decision_number=self.number,
                          valid_until=self.valid_until.date() if self.valid_until else None)

    def to_dict(self, *, now: dt.datetime, public_url: str) -> dict[str, Any]:
        """The public JSON of the recognition (the API's), with its status at ``now``."""
        base = recognition_url(public_url, self.number)
        return {
            "number": self.number,
            "programme_id": self.programme_id,
            "version": self.version,
            "achievement": issuance.achievement_url(public_url, self.programme_id,
                                                    self.version),
            "recognition_body": {"slug": self.recognition_body,
                                 "name": dict(self.recognition_body_name)},
            "application": self.application,
            "outcome": self.outcome.value,
            "outcome_label": self.outcome.label.to_dict(),
            "conditions": self.conditions.to_dict() if self.conditions else None,
            "reasons": self.reasons.to_dict(),
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "status": self.status(now).value,
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
            "withdrawal_reason": self.withdrawal_reason,
            "credential_id": self.credential_id,
            "credential_url": base,
            "mark_url": {"ja": f"{base}/mark.svg?lang=ja", "en": f"{base}/mark.svg?lang=en"},
            "decision_url": decision_url(public_url, self.number),
        }


def _label(value: Mapping[str, str] | None) -> Label | None:
    if not value:
        return None
    return Label(value.get("ja", ""), value.get("en", ""))


def _text(value: str | Label | None, name: str) -> Label | None:
    if value is None:
        return None
    label = Label(value, value) if isinstance(value, str) else value
    label = Label(label.ja.strip(), label.en.strip())
    if not (label.ja or label.en):
        return None
    if max(len(label.ja), len(label.en)) > 10_000:
        raise InputError(f"the {name} are too long", problems=[
            Problem(name, "at most 10,000 characters per language")])
    return label


def _record(stored: store.StoredRecognition) -> RecognitionRecord:
    reasons = _label(stored.reasons) or Label("", "")
    return RecognitionRecord(
        number=stored.number, programme_id=stored.programme_id, version=stored.version,
        recognition_body=stored.organisation, recognition_body_name=stored.organisation_name,
        application=stored.application, outcome=Outcome(stored.outcome),
        conditions=_label(stored.conditions), reasons=reasons, valid_from=stored.valid_from,
        valid_until=stored.valid_until, credential_id=stored.credential_id,
        withdrawn_at=stored.withdrawn_at, withdrawal_reason=stored.withdrawal_reason,
        created_at=stored.created_at)


def _reindex(registry: LiveIndex | None, session: Session, programme_id: int) -> None:
    if registry is not None:
        registry.track_recognition(session, programme_id)


def grant(session: Session, *, signer_secret: MasterKey, settings: Settings,
          recognition_body: str, programme_id: int, version: int, application: str,
          decision_number: str, outcome: Outcome | str, conditions: str | Label | None,
          reasons: str | Label, valid_from: dt.datetime, valid_until: dt.datetime | None,
          now: dt.datetime, actor: str = "system", registry: LiveIndex | None = None
          ) -> RecognitionRecord:
    """Recognise a published programme version: issue and record its endorsement credential.

    Refused with :class:`~credstack.errors.InputError` for an outcome that grants no
    recognition or a malformed decision; :class:`~credstack.errors.ConflictError` when the
    decision number is taken, the version is a draft, or ``recognition_body`` is not a
    recognition body; :class:`~credstack.errors.NotFoundError` for an unknown programme,
    version or organisation, or a body without an issuer key.
    """
    chosen = granting_outcome(outcome)
    conditions_label = _text(conditions, "conditions")
    reasons_label = _text(reasons, "reasons")
    if reasons_label is None:
        raise InputError("the decision gives no reasons", problems=[
            Problem("reasons", "give the reasons in Japanese or English")])
    if not application.strip() or len(application) > 64:
        raise InputError("the application is not named", problems=[
            Problem("application", "give the application's public id (at most 64 characters)")])
    body = existing_row(session, recognition_body)
    if body.kind != OrganisationKind.RECOGNITION_BODY.value:
        raise ConflictError(f"{recognition_body!r} is a {body.kind}, not a recognition body; "
                            "only a recognition body recognises programmes.")
    stored = programme_store.get_version(session, programme_id=programme_id, version=version)
    if stored.status != programme_store.Status.PUBLISHED:
        raise ConflictError(f"Version {version} of programme {programme_id} is a draft; only "
                            "a published version can be recognised.")
    if store.find(session, decision_number) is not None:
        raise ConflictError(f"Decision {decision_number} already granted a recognition.")
    public_url = settings.public_url
    signer = issuance.signer_for(session, organisation=recognition_body, secret=signer_secret,
                                 public_url=public_url)
    unsigned = build_endorsement_credential(
        issuer=signer.profile, credential_id=recognition_url(public_url, decision_number),
        achievement_id=issuance.achievement_url(public_url, programme_id, version),
        outcome=chosen, conditions=conditions_label, decision_number=decision_number,
        decision_page=decision_url(public_url, decision_number), valid_from=valid_from,
        valid_until=valid_until, programme_title=stored.programme.title, words=words)
    issued = issuance.issue_document(session, signer=signer, credential=unsigned,
                                     securing=SECURING, now=now, public_url=public_url,
                                     status_option=_REVOCATION_ONLY)
    saved = store.insert(
        session, number=decision_number, programme_id=programme_id, version=version,
        organisation_id=body.id, application=application, outcome=chosen.value,
        conditions=conditions_label.to_dict() if conditions_label else None,
        reasons=reasons_label.to_dict(), valid_from=valid_from, valid_until=valid_until,
        credential_id=issued.credential_id, now=now)
    audit.record(session, at=now, actor=actor, action="recognition.granted",
                 subject=f"recognition:{decision_number}", key=signer_secret,
                 details={"programme_id": programme_id, "version": version,
                          "recognition_body": recognition_body, "application": application,
                          "outcome": chosen.value, "valid_from": valid_from.isoformat(),
                          "valid_until": valid_until.isoformat() if valid_until else None,
                          "credential_id": issued.credential_id})
    _reindex(registry, session, programme_id)
    return _record(saved)


def withdraw(session: Session, *, recognition: str, reason: str, now: dt.datetime,
             actor: str = "system", registry: LiveIndex | None = None,
             secret: MasterKey | None = None) -> RecognitionRecord:
    """Withdraw a recognition: revoke its endorsement through the body's status list.

    The audit entry is signed with ``secret``, or the key the session factory carries
    (:func:`credstack.services.audit.service.attach_key`).

    :class:`~credstack.errors.ConflictError` when it is withdrawn already (revocation is
    final); :class:`~credstack.errors.InputError` without a reason.
    """
    if not reason.strip() or len(reason) > 10_000:
        raise InputError("a withdrawal needs its reason", problems=[
            Problem("reason", "give the reason (at most 10,000 characters)")])
    current = store.get(session, recognition, lock=True)
    if current.withdrawn_at is not None:
        raise ConflictError(f"Recognition {recognition} was already withdrawn on "
                            f"{current.withdrawn_at.date().isoformat()}; withdrawal is final.")
    credential_store.change_status(session, credential_id=current.credential_id,
                                   action=StatusChange.REVOKE, now=now,
                                   organisation=current.organisation)
    saved = store.mark_withdrawn(session, number=recognition, reason=reason.strip(), now=now)
    audit.record(session, at=now, actor=actor, action="recognition.withdrawn",
                 subject=f"recognition:{recognition}", key=secret,
                 details={"programme_id": saved.programme_id, "version": saved.version,
                          "reason": saved.withdrawal_reason,
                          "credential_id": saved.credential_id})
    _reindex(registry, session, saved.programme_id)
    return _record(saved)


def recognition(session: Session, number: str) -> RecognitionRecord:
    """The recognition granted by decision ``number`` (:class:`NotFoundError` if none)."""
    return _record(store.get(session, number))


def recognitions_for_programme(session: Session, programme_id: int, *,
                               version: int | None = None) -> list[RecognitionRecord]:
    """A programme's recognitions (of one version, if given), newest first."""
    return [_record(found) for found in store.by_programme(session, programme_id,
                                                            version=version)]


def endorsement_document(session: Session, number: str) -> str:
    """The endorsement credential of decision ``number``, exactly as issued (JSON text)."""
    found = store.get(session, number)
    return credential_store.get_credential(session, credential_id=found.credential_id).document


def endorsements_for(session: Session, *, programme_id: int, version: int, public_url: str
                     ) -> list[dict[str, Any]]:
    """Every recognition of a programme version with its endorsement credential, as the
    verification pipeline's ``recognition`` step reads them."""
    found = []
    for item in store.by_programme(session, programme_id, version=version):
        document = credential_store.get_credential(session,
                                                   credential_id=item.credential_id).document
        found.append({
            "credential": json.loads(document),
            "number": item.number,
            "outcome": item.outcome,
            "conditions": item.conditions,
            "decision_url": decision_url(public_url, item.number),
            "recognition_body": {"slug": item.organisation, "name": item.organisation_name},
        })
    return found
