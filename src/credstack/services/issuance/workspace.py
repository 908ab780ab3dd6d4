"""Issuing from an organisation's workspace in the browser: the use cases behind
``/workspace/{slug}/issue`` and ``/workspace/{slug}/credentials``.

* :func:`issuing_programmes` — the organisation's programmes with their published versions,
  for the issuing forms.
* :func:`issue_one` — one learner's credential from the form (name in Japanese and English,
  e-mail address and numbers, date, securing mechanism): the row is checked as a cohort
  file's row is (:func:`~credstack.core.credentials.cohorts.read_cohort`) and issued by the
  bulk issuance service as a cohort of one, so it is audited, status-listed and idempotent
  like every bulk credential — the same learner, programme version and batch give the same
  credential, which is what makes a form sent twice issue once.
* :func:`credential_list` — the organisation's credentials, searched and filtered, a page at
  a time (indexed queries; no document is read).
* :func:`credential_detail` — one credential with its status history (the audit entries
  about it) and its public verification link.
* :func:`change_status` — revoke, suspend or reinstate with a reason that is required and
  kept in the audit entry.

Everyone here must hold an issuing role of the organisation named in the address
(``credentials:issue``, ``credentials:read``, ``credentials:status``: issuer or provider
admin of it, or a registry admin); a credential or programme of another organisation is
answered as one that does not exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from typing import Final

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories.credentials import (
    CredentialSearch,
    CredentialSummary,
    StoredCredential,
)
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.certificates.content import verification_url
from credstack.core.credentials.cohorts import read_cohort
from credstack.core.status.changes import StatusChange
from credstack.core.types import MultilingualText
from credstack.core.wallet.entries import stated_grade
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.issuance import cohorts, status
from credstack.services.issuance import service as issuance
from credstack.services.runtime import Runtime

__all__ = [
    "PAGE_SIZE",
    "CredentialDetail",
    "CredentialPage",
    "CredentialSearch",
    "HistoryEntry",
    "LearnerForm",
    "ProgrammeChoice",
    "change_status",
    "credential_detail",
    "credential_list",
    "issue_one",
    "issuing_programmes",
]

#: Credentials on one page of the list.
PAGE_SIZE: Final = 50
#: The longest reason for a status change.
MAX_REASON_LENGTH: Final = 500
#: The states a credential can be in, for the list's filter.
STATES: Final = ("active", "suspended", "revoked")


@dataclass(frozen=True, slots=True)
class ProgrammeChoice:
    """A programme of the organisation, with the versions credentials can be issued for."""

    programme_id: int
    code: str
    title: MultilingualText | None
    #: Published versions, newest first (empty: nothing can be issued for it yet).
    versions: tuple[int, ...]


def _programmes(runtime: Runtime, organisation: str) -> list[ProgrammeChoice]:
    with runtime.transaction() as session:
        existing_row(session, organisation)
        page = programme_store.list_programmes(session, organisation=organisation, limit=500)
        choices = []
        for stored in page.items:
            versions = programme_store.list_versions(session, programme_id=stored.id)
            choices.append(ProgrammeChoice(
                stored.id, stored.code, stored.programme.title,
                tuple(sorted((v.version for v in versions
                              if v.status == programme_store.Status.PUBLISHED), reverse=True))))
    return choices


def issuing_programmes(runtime: Runtime, *, actor: Actor, organisation: str
                       ) -> list[ProgrammeChoice]:
    """The organisation's programmes and their published versions, for someone who may
    issue its credentials."""
    actor.require(Action.CREDENTIAL_ISSUE, organisation)
    return _programmes(runtime, organisation)


def own_programme(runtime: Runtime, organisation: str, programme_id: int) -> None:
    with runtime.transaction() as session:
        stored = programme_store.get_programme(session, programme_id=programme_id)
    if stored.organisation_slug != organisation:
        raise NotFoundError(code="issuing.refused.no_programme",
                            params={"organisation": organisation, "programme_id": programme_id})


# --- one learner -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LearnerForm:
    """What the issuing form says about the learner (empty strings: not given)."""

    name_ja: str = ""
    name_en: str = ""
    email: str = ""
    student_id: str = ""
    issued_on: str = ""
    grade: str = ""


#: The cohort column of each field of the form, and the form field of each column.
_COLUMNS: Final = (("name_ja", "name.ja"), ("name_en", "name.en"), ("email", "email"),
                   ("student_id", "student_id"), ("issued_on", "issued_on"),
                   ("grade", "grade"))


def _form_problems(exc: InputError) -> list[Problem]:
    """The problems of the one-row cohort, located at the form's fields."""
    located = []
    for problem in exc.problems:
        name = next((form_field for form_field, column in _COLUMNS
                     if problem.location.endswith(f"({column})")), "learner")
        located.append(replace(problem, location=name))
    return located


def issue_one(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int,
              version: int | None, learner: LearnerForm, batch: str,
              securing: str = "eddsa-rdfc-2022", language: str = "ja") -> str:
    """Issue ``programme_id``'s credential to one learner; the credential's id.

    :class:`~credstack.errors.InputError` names the form's fields that are wrong
    (``name_ja``, ``email``, ``issued_on``, ``learner`` when nothing names the learner…);
    sent again with the same learner, programme version and batch, the stored credential's
    id is returned and nothing new is issued.
    """
    actor.require(Action.CREDENTIAL_ISSUE, organisation)
    own_programme(runtime, organisation, programme_id)
    if securing not in issuance.SECURINGS:
        raise InputError(f"unknown securing mechanism {securing!r}", problems=[Problem(
            "securing", f"use one of {', '.join(issuance.SECURINGS)}")])
    if not any(getattr(learner, name).strip() for name in ("email", "student_id")):
        raise InputError(code="issuing.refused.no_learner", problems=[
            Problem("learner", code="issuing.refused.learner_needed")])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column for _, column in _COLUMNS])
    writer.writerow([getattr(learner, name).replace("\r", " ").replace("\n", " ")
                     for name, _ in _COLUMNS])
    try:
        cohort = read_cohort(buffer.getvalue(), source="form")
    except InputError as exc:
        raise InputError(code="issuing.refused.learner_unusable",
                         problems=_form_problems(exc)) from None
    result = cohorts.issue_cohort(runtime, actor=actor, programme_id=programme_id,
                                  cohort=cohort, batch=batch.strip(), version=version,
                                  securing=securing, language=language, workers=1)
    with runtime.transaction() as session:
        found = credential_store.credential_ids_by_keys(session, result.keys)
    return found[result.keys[0]]


# --- the list --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CredentialPage:
    """One page of the organisation's credentials and what the filters can offer."""

    items: list[CredentialSummary]
    total: int
    number: int
    pages: int
    programmes: list[ProgrammeChoice]
    batches: list[str]

    def programme(self, programme_id: int | None) -> ProgrammeChoice | None:
        return next((p for p in self.programmes if p.programme_id == programme_id), None)


def credential_list(runtime: Runtime, *, actor: Actor, organisation: str,
                    search: CredentialSearch, number: int = 1,
                    page_size: int = PAGE_SIZE) -> CredentialPage:
    """Page ``number`` of the organisation's credentials narrowed by ``search``, newest
    first, for someone who may read them."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    if search.state is not None and search.state not in STATES:
        raise InputError(f"unknown state {search.state!r}", problems=[Problem(
            "state", f"use one of {', '.join(STATES)}")])
    programmes = _programmes(runtime, organisation)
    with runtime.transaction() as session:
        organisation_id = existing_row(session, organisation).id
        number = max(number, 1)
        items, total = credential_store.search_credentials(
            session, organisation_id=organisation_id, search=search,
            offset=(number - 1) * page_size, limit=page_size)
        pages = max(1, -(-total // page_size))
        if number > pages and total:
            number = pages
            items, total = credential_store.search_credentials(
                session, organisation_id=organisation_id, search=search,
                offset=(number - 1) * page_size, limit=page_size)
        batches = credential_store.batches(session, organisation_id=organisation_id)
    return CredentialPage(items, total, number, pages, programmes, batches)


# --- one credential --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A change of the credential: ``issued``, ``revoke``, ``suspend`` or ``reinstate``."""

    at: dt.datetime
    action: str
    actor: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CredentialDetail:
    stored: StoredCredential
    programme: ProgrammeChoice | None
    version: int | None
    history: list[HistoryEntry] = field(default_factory=list)
    verification_url: str = ""
    #: The grade the credential states (its subject's first result with a value).
    grade: str | None = None

    @property
    def changes(self) -> tuple[StatusChange, ...]:
        """What may be done to it now (revocation is final)."""
        return {"active": (StatusChange.SUSPEND, StatusChange.REVOKE),
                "suspended": (StatusChange.REINSTATE, StatusChange.REVOKE)
                }.get(self.stored.state, ())


def _stored_of(runtime: Runtime, organisation: str, credential_id: str) -> StoredCredential:
    with runtime.transaction() as session:
        stored = credential_store.get_credential(session, credential_id=credential_id)
    if stored.organisation != organisation:
        raise NotFoundError(code="issuing.refused.not_issued",
                            params={"organisation": organisation,
                                    "credential_id": credential_id})
    return stored


def person_name(session: Session, actor: str) -> str:
    """Who an audit entry's actor is, as people name them: a user's (``user:3``) display
    name; any other actor (an API client, the command line) as recorded."""
    kind, _, number = actor.partition(":")
    if kind == "user" and number.isdigit():
        row = account_store.user_row(session, int(number))
        if row is not None:
            return row.display_name
    return actor


def credential_detail(runtime: Runtime, *, actor: Actor, organisation: str,
                      credential_id: str) -> CredentialDetail:
    """The credential, its programme, its history and its public verification link."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    stored = _stored_of(runtime, organisation, credential_id)
    with runtime.transaction() as session:
        entries = audit.entries(session, subject=credential_id, limit=200, latest=True)
        programme_id, version = credential_store.programme_version_of(
            session, credential_id=credential_id) or (None, None)
        changes = [entry for entry in entries
                   if entry.action in {"credential.revoke", "credential.suspend",
                                       "credential.reinstate"}]
        # Who issued it: the entry of its own issue, or of the cohort batch it came in.
        issuers = [entry.actor for entry in entries if entry.action == "credential.issued"]
        if not issuers and programme_id is not None and stored.batch:
            issuers = [entry.actor for entry in audit.entries(
                session, subject=f"programme:{programme_id}", limit=200, latest=True)
                if entry.action == "credentials.issued"
                and entry.details.get("batch") == stored.batch]
        names = {actor: person_name(session, actor)
                 for actor in [*(entry.actor for entry in changes), *issuers[:1]]}
    choice = next((p for p in _programmes(runtime, organisation)
                   if p.programme_id == programme_id), None)
    history = [HistoryEntry(stored.issued_at, "issued",
                            names[issuers[0]] if issuers else "")]
    history += [HistoryEntry(entry.at, entry.action.removeprefix("credential."),
                             names[entry.actor], entry.details.get("reason"))
                for entry in changes]
    return CredentialDetail(stored, choice, version, history,
                            verification_url(runtime.settings.public_url, credential_id),
                            stated_grade(stored.as_json()))


def change_status(runtime: Runtime, *, actor: Actor, organisation: str, credential_id: str,
                  change: StatusChange, reason: str) -> StoredCredential:
    """Revoke, suspend or reinstate one of the organisation's credentials, for ``reason``
    (required: 1–500 characters, kept in the audit entry)."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON_LENGTH:
        raise InputError(code="issuing.refused.no_reason", problems=[Problem(
            "reason", code="issuing.refused.reason_length", params={"most": MAX_REASON_LENGTH})])
    return status.change_status(runtime, actor=actor, credential_id=credential_id,
                                changes=[change], reason=reason, organisation=organisation)

