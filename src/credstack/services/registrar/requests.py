"""Requests for the registrar's documents and their delivery (issue 56).

A student or graduate, signed in with their own account (the wallet's: it outlives the
campus account), asks for documents by 学籍番号 and date of birth: which kinds, how many
copies, the language, the addressee (a company, a university) printed on them. The
registrar approves or refuses (with a reason) from a queue; or the organisation's rule
approves at once a request from an account the registrar confirmed before (an earlier
approval links the account to the record, so a stranger who knows a number and a birthday
never gets past the queue).

Approving issues the documents under the record's status entry (a PDF and a credential of
each kind, batch ``request:<id>``) and opens a delivery link for the organisation's period
(:data:`DEFAULT_DELIVERY_DAYS` unless set). The link's secret is derived from the master key
and the request's id, so the student can see it again; only its SHA-256 is stored. Whoever
holds it — the addressee, without an account — sees the documents with their verification
and downloads them; every view and download is logged and shown to the student and the
registrar. After the period the link answers :class:`~credstack.errors.GoneError` (410).

Audited: ``registrar.request.made``, ``.approved``, ``.refused``, ``registrar.request-rule``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import registrar as record_store
from credstack.adapters.db.repositories import registrar_requests as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.accounts.lockout import ACCOUNT_FAILURES, WINDOW, retry_after
from credstack.core.organisations import Organisation
from credstack.core.registrar.documents import DocumentKind, refusal
from credstack.core.verification.verdict import verdict_of
from credstack.errors import (
    ConflictError,
    GoneError,
    InputError,
    NotFoundError,
    Problem,
    RateLimitedError,
)
from credstack.services import audit, formats, wallet
from credstack.services.registrar import documents
from credstack.services.runtime import Runtime

__all__ = ["DEFAULT_DELIVERY_DAYS", "MAX_COPIES", "MAX_DELIVERY_DAYS", "Delivery",
           "DeliveryFile", "Institution", "RequestView", "approve", "delivery", "download",
           "institutions", "my_requests", "queue", "refuse", "request_documents",
           "request_figures", "request_rule", "set_request_rule"]

DEFAULT_DELIVERY_DAYS: Final = 92
MAX_COPIES: Final = 10
MAX_DELIVERY_DAYS: Final = 3660
_RULE_ACTOR: Final = "rule:auto-approve"


@dataclass(frozen=True, slots=True)
class RequestView:
    """A request as its student and the registrar see it, with the link's log."""

    request: store.StoredRequest
    organisation: str
    #: The delivery link's address, once approved (shown to the student and the registrar).
    link: str | None
    events: tuple[store.DeliveryEvent, ...]

    def expired(self, now: dt.datetime) -> bool:
        return self.request.expires_at is not None and now >= self.request.expires_at

    def to_dict(self) -> dict[str, object]:
        found = self.request
        return {"id": found.public_id, "organisation": self.organisation,
                "number": found.student_number, "kinds": list(found.kinds),
                "copies": found.copies, "language": found.language,
                "addressee": found.addressee, "state": found.state, "reason": found.reason,
                "created_at": found.created_at.isoformat(),
                "decided_at": found.decided_at.isoformat() if found.decided_at else None,
                "expires_at": found.expires_at.isoformat() if found.expires_at else None,
                "link": self.link,
                "events": [{"event": item.event, "document": item.document,
                            "at": item.at.isoformat()} for item in self.events]}


@dataclass(frozen=True, slots=True)
class DeliveryFile:
    kind: str
    form: str
    language: str
    credential_id: str
    media_type: str
    state: str
    #: The credential's verification now (a verdict's outcome; the PDF carries the same).
    outcome: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a delivery link shows: the request and each document with its verification."""

    request: store.StoredRequest
    organisation: str
    #: The organisation's name by language.
    organisation_name: dict[str, str]
    files: tuple[DeliveryFile, ...]


def _secret(runtime: Runtime, public_id: str) -> str:
    raw = runtime.key().derive(b"registrar-delivery:" + public_id.encode("ascii"))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _link(runtime: Runtime, found: store.StoredRequest) -> str | None:
    if found.state != "approved":
        return None
    return f"{runtime.settings.public_url}/delivery/{_secret(runtime, found.public_id)}"


def _batch(found: store.StoredRequest) -> str:
    return f"request:{found.public_id}"


def _rule(session: Session, organisation_id: int) -> store.RequestRule:
    return store.rule(session, organisation_id) or store.RequestRule(False,
                                                                     DEFAULT_DELIVERY_DAYS)


def _checked(kinds: Sequence[str], copies: int, language: str, addressee: str
             ) -> tuple[str, ...]:
    known = {kind.value for kind in DocumentKind}
    problems = [Problem("kinds", kind) for kind in kinds if kind not in known]
    if not kinds:
        problems.append(Problem("kinds", "none"))
    if not 1 <= copies <= MAX_COPIES:
        problems.append(Problem("copies", str(copies)))
    if language not in documents.LANGUAGES:
        problems.append(Problem("language", language))
    if not addressee.strip() or len(addressee) > 200:
        problems.append(Problem("addressee", addressee[:40]))
    if problems:
        raise InputError(code="registrar.request.invalid",
                         params={"kinds": ", ".join(sorted(known)), "copies": MAX_COPIES,
                                 "languages": ", ".join(documents.LANGUAGES)},
                         problems=problems)
    return tuple(dict.fromkeys(kinds))


def _approve(session: Session, runtime: Runtime, *, found: store.StoredRequest,
             organisation: str, by: str, now: dt.datetime) -> None:
    stored = record_store.stored_student(session, organisation_id=found.organisation_id,
                                         number=found.student_number)
    assert stored is not None, "a request's record exists (foreign key)"
    documents.issue_for_request(session, runtime, organisation=organisation,
                                organisation_id=found.organisation_id, stored=stored,
                                kinds=found.kinds, language=found.language,
                                addressee=found.addressee, batch=_batch(found), now=now)
    days = _rule(session, found.organisation_id).delivery_days
    store.decide(session, request_id=found.id, state="approved", reason=None, by=by, now=now,
                 token_hash=_hash(_secret(runtime, found.public_id)),
                 expires_at=now + dt.timedelta(days=days))
    store.link_holder(session, student_id=found.student_id, user_id=found.user_id, now=now)
    audit.record(session, at=now, actor=by, action="registrar.request.approved",
                 subject=f"{organisation}:{found.student_number}",
                 details={"request": found.public_id, "kinds": list(found.kinds),
                          "days": days})


#: The key an account's wrong (number, date of birth) pairs are counted under, beside the
#: sign-in attempts: a number and a birthday are the request's proof of who asks, and they
#: must not be guessed one try after another.
_ASKER: Final = "registrar-request:user:"


def _check_guesses(session: Session, asker: str, now: dt.datetime) -> None:
    """RateLimitedError after :data:`ACCOUNT_FAILURES` wrong pairs in :data:`WINDOW` (counted
    from the account's last request that found its record), as a sign-in is locked."""
    failures = account_store.recent_failures(session, key=asker, since=now - WINDOW,
                                             limit=ACCOUNT_FAILURES)
    wait = retry_after([account_store.utc(at) for at in failures], limit=ACCOUNT_FAILURES,
                       now=now)
    if wait is not None:
        raise RateLimitedError(code="registrar.request.too_many_guesses",
                               params={"seconds": wait}, retry_after=wait)


def request_documents(runtime: Runtime, *, actor: Actor, organisation: str, number: str,
                      birth_date: dt.date, kinds: Sequence[str], copies: int = 1,
                      language: str = "ja", addressee: str) -> RequestView:
    """The signed-in learner asks ``organisation`` for documents from the record ``number``
    (whose date of birth must be ``birth_date``: an unknown pair is not found). A kind the
    standing does not allow is refused now. Approved at once when the organisation's rule
    says so and the registrar confirmed this account before."""
    principal = actor.require(Action.WALLET_WRITE)
    assert principal.user_id is not None  # self-service actions need a user (the policy)
    wanted = _checked(kinds, copies, language, addressee)
    now = runtime.now().replace(microsecond=0)
    asker = f"{_ASKER}{principal.user_id}"
    with runtime.transaction() as session:
        _check_guesses(session, asker, now)
        row = organisation_store.existing_row(session, organisation)
        stored = record_store.stored_student(session, organisation_id=row.id, number=number)
        found_none = stored is None or stored.student.birth_date != birth_date
        if found_none:
            account_store.record_attempt(session, key=asker, ip="", at=now, succeeded=False)
    if found_none:
        # Raised after the transaction, so that the wrong guess counts.
        raise NotFoundError(code="registrar.request.no_record",
                            params={"number": number, "organisation": organisation})
    assert stored is not None
    with runtime.transaction() as session:
        account_store.record_attempt(session, key=asker, ip="", at=now, succeeded=True)
        for kind in wanted:
            code = refusal(DocumentKind(kind), stored.student)
            if code is not None:
                raise ConflictError(code=code, params={
                    "number": number, "kind": kind,
                    "standing": stored.student.standing.value})
        public_id = secrets.token_hex(8)
        store.add_request(session, public_id=public_id, student_id=stored.id,
                          user_id=principal.user_id, kinds=wanted, copies=copies,
                          language=language, addressee=addressee.strip(), now=now)
        audit.record(session, at=now, actor=principal.subject,
                     action="registrar.request.made", subject=f"{organisation}:{number}",
                     details={"request": public_id, "kinds": list(wanted), "copies": copies,
                              "language": language})
        found = store.by_public_id(session, public_id)
        assert found is not None
        if _rule(session, row.id).auto_approve and store.holds(
                session, student_id=stored.id, user_id=principal.user_id):
            _approve(session, runtime, found=found, organisation=organisation,
                     by=_RULE_ACTOR, now=now)
            found = store.by_public_id(session, public_id)
            assert found is not None
        return RequestView(found, organisation, _link(runtime, found), ())


def _slugs(session: Session, found: Sequence[store.StoredRequest]) -> dict[int, str]:
    return {organisation_id: _organisation(session, organisation_id).slug
            for organisation_id in {item.organisation_id for item in found}}


def _organisation(session: Session, organisation_id: int) -> Organisation:
    found = organisation_store.organisation_by_id(session, organisation_id)
    assert found is not None, "a record's organisation exists (foreign key)"
    return found


@dataclass(frozen=True, slots=True)
class Institution:
    """An organisation a student may ask for documents: one that holds records."""

    slug: str
    #: Its name by language.
    name: dict[str, str]


def institutions(runtime: Runtime, *, actor: Actor) -> list[Institution]:
    """The organisations holding students' records, which the signed-in learner may ask."""
    actor.require(Action.WALLET_READ)
    with runtime.transaction() as session:
        found = [_organisation(session, organisation_id) for organisation_id
                 in store.organisations_with_records(session)]
    return [Institution(item.slug, dict(item.name.root)) for item in found]


def request_figures(runtime: Runtime, *, actor: Actor, organisation: str) -> dict[str, int]:
    """How many of the organisation's requests are pending, approved and refused."""
    actor.require(Action.RECORDS_READ, organisation)
    with runtime.transaction() as session:
        counts = store.state_counts(session, organisation_store.existing_row(
            session, organisation).id)
    return {state: counts.get(state, 0) for state in ("pending", "approved", "refused")}


def my_requests(runtime: Runtime, *, actor: Actor) -> list[RequestView]:
    """The signed-in learner's requests, newest first, each with its link's log."""
    principal = actor.require(Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.transaction() as session:
        found = store.of_user(session, principal.user_id)
        slugs = _slugs(session, found)
        events = store.events_of(session, [item.id for item in found])
    return [RequestView(item, slugs[item.organisation_id], _link(runtime, item),
                        tuple(events[item.id])) for item in found]


def queue(runtime: Runtime, *, actor: Actor, organisation: str, state: str | None = "pending"
          ) -> list[RequestView]:
    """The organisation's requests in ``state`` (the queue: pending, oldest first)."""
    actor.require(Action.RECORDS_READ, organisation)
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        found = store.of_organisation(session, row.id, state=state)
        events = store.events_of(session, [item.id for item in found])
    return [RequestView(item, organisation, _link(runtime, item), tuple(events[item.id]))
            for item in found]


def _pending(session: Session, organisation_id: int, organisation: str, public_id: str
             ) -> store.StoredRequest:
    found = store.by_public_id(session, public_id)
    if found is None or found.organisation_id != organisation_id:
        raise NotFoundError(code="registrar.request.not_found",
                            params={"request": public_id, "organisation": organisation})
    if found.state != "pending":
        raise ConflictError(code="registrar.request.decided",
                            params={"request": public_id, "state": found.state})
    return found


def approve(runtime: Runtime, *, actor: Actor, organisation: str, public_id: str
            ) -> RequestView:
    """The registrar approves a pending request: its documents issued, its link opened."""
    now = runtime.now().replace(microsecond=0)
    with runtime.transaction() as session:
        principal = actor.require(Action.RECORDS_WRITE, organisation)
        row = organisation_store.existing_row(session, organisation)
        found = _pending(session, row.id, organisation, public_id)
        _approve(session, runtime, found=found, organisation=organisation,
                 by=principal.subject, now=now)
        done = store.by_public_id(session, public_id)
        assert done is not None
    return RequestView(done, organisation, _link(runtime, done), ())


def refuse(runtime: Runtime, *, actor: Actor, organisation: str, public_id: str,
           reason: str) -> RequestView:
    """The registrar refuses a pending request, saying why (the student reads it)."""
    if not reason.strip() or len(reason) > 500:
        raise InputError(code="registrar.request.reason", problems=[Problem("reason", "")])
    now = runtime.now().replace(microsecond=0)
    with runtime.transaction() as session:
        principal = actor.require(Action.RECORDS_WRITE, organisation)
        row = organisation_store.existing_row(session, organisation)
        found = _pending(session, row.id, organisation, public_id)
        store.decide(session, request_id=found.id, state="refused", reason=reason.strip(),
                     by=principal.subject, now=now)
        audit.record(session, at=now, actor=principal.subject,
                     action="registrar.request.refused",
                     subject=f"{organisation}:{found.student_number}",
                     details={"request": public_id, "reason": reason.strip()})
        done = store.by_public_id(session, public_id)
        assert done is not None
    return RequestView(done, organisation, None, ())


def request_rule(runtime: Runtime, *, actor: Actor, organisation: str) -> store.RequestRule:
    actor.require(Action.RECORDS_READ, organisation)
    with runtime.transaction() as session:
        return _rule(session, organisation_store.existing_row(session, organisation).id)


def set_request_rule(runtime: Runtime, *, actor: Actor, organisation: str,
                     auto_approve: bool, delivery_days: int) -> store.RequestRule:
    """The organisation's rule: approve confirmed accounts' requests at once or not, and the
    delivery links' period in days."""
    if not 1 <= delivery_days <= MAX_DELIVERY_DAYS:
        raise InputError(code="registrar.request.days", params={"max": MAX_DELIVERY_DAYS},
                         problems=[Problem("delivery_days", str(delivery_days))])
    now = runtime.now()
    with runtime.transaction() as session:
        principal = actor.require(Action.RECORDS_WRITE, organisation)
        row = organisation_store.existing_row(session, organisation)
        store.set_rule(session, organisation_id=row.id, auto_approve=auto_approve,
                       delivery_days=delivery_days, now=now)
        audit.record(session, at=now, actor=principal.subject,
                     action="registrar.request-rule", subject=organisation,
                     details={"auto_approve": auto_approve, "delivery_days": delivery_days})
    return store.RequestRule(auto_approve, delivery_days)


def _opened(session: Session, token: str, now: dt.datetime) -> store.StoredRequest:
    found = store.by_token(session, _hash(token)) if len(token) < 100 else None
    if found is None:
        raise NotFoundError(code="registrar.delivery.unknown")
    if found.expires_at is not None and now >= found.expires_at:
        raise GoneError(code="registrar.delivery.expired",
                        params={"expired": found.expires_at.date().isoformat()})
    return found


def delivery(runtime: Runtime, *, token: str) -> Delivery:
    """What the link ``/delivery/<token>`` shows, each credential verified now; logs a
    view. :class:`GoneError` after the period, :class:`NotFoundError` for no such link."""
    now = runtime.now()
    with runtime.transaction() as session:
        found = _opened(session, token, now)
        files = store.request_documents(session, student_id=found.student_id,
                                        batch=_batch(found))
        organisation = _organisation(session, found.organisation_id)
        store.add_event(session, request_id=found.id, event="view", document="", now=now)
    shown = []
    for item in files:
        outcome = ""
        if item.form == "vc":
            report = formats.verify_any(
                item.content, sources=wallet.verification_sources(runtime), now=now,
                settings=runtime.settings, sessions=runtime.sessions)
            outcome = verdict_of(report).outcome.value
        shown.append(DeliveryFile(item.kind, item.form, item.language, item.credential_id,
                                  item.media_type, item.state, outcome))
    outcomes = {item.credential_id: item.outcome for item in shown if item.outcome}
    return Delivery(found, organisation.slug, dict(organisation.name.root), tuple(
        DeliveryFile(item.kind, item.form, item.language, item.credential_id,
                     item.media_type, item.state, outcomes.get(item.credential_id, ""))
        for item in shown))


def download(runtime: Runtime, *, token: str, kind: str, form: str
             ) -> tuple[str, bytes, str]:
    """One document of the link (``kind`` in ``form``: pdf or vc): its media type, bytes and
    file name; logs the download."""
    now = runtime.now()
    with runtime.transaction() as session:
        found = _opened(session, token, now)
        for item in store.request_documents(session, student_id=found.student_id,
                                            batch=_batch(found)):
            if item.kind == kind and item.form == form:
                store.add_event(session, request_id=found.id, event="download",
                                document=f"{kind}.{form}", now=now)
                extension = "pdf" if form == "pdf" else "json"
                return (item.media_type, item.content,
                        f"{found.student_number}-{kind}-{item.language}.{extension}")
    raise NotFoundError(code="registrar.delivery.no_document",
                        params={"kind": kind, "form": form})
