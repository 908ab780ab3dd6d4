"""The committee's and the evaluators' steps: completeness, assignments, declarations of interest,
reviews, requests for information, decisions, publication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import review as store
from credstack.adapters.db.repositories.review import (
    StoredApplication,
    StoredDecision,
)
from credstack.adapters.db.transactions import Session
from credstack.core.access import PLATFORM, Action, Principal, Role
from credstack.core.accounts.emails import normalise_email
from credstack.core.review import (
    TIME_LIMITS,
    Assignment,
    Event,
    Outcome,
    State,
    check_assignment,
    check_declaration,
    check_review,
    parse_decision,
    parse_review,
    review_complete,
    summarise,
    transition,
)
from credstack.core.review.outcomes import decision_number, valid_until
from credstack.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    Problem,
)
from credstack.services import accounts, audit, mail, recognitions
from credstack.settings import Settings

if TYPE_CHECKING:
    from credstack.adapters.search.live import LiveIndex
from credstack.services.review.reading import _view
from credstack.services.review.records import (
    _assigned_evaluator,
    _change,
    _core_assignments,
    _label,
    _load,
    _message,
    _not_of_applicant,
    _require,
    _target,
    _text,
    _title,
    _user_id,
)
from credstack.services.review.views import MAX_MESSAGE, ApplicationView, Signer, Target


def assign_evaluator(session: Session, principal: Principal, *, application: str,
                     evaluator_email: str, expected_version: int | None = None,
                     now: dt.datetime) -> ApplicationView:
    """Assign an evaluator of the recognition body, named by e-mail address, under the
    conflict-of-interest rules (not a member of the applicant, not recused, not twice)."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_ASSIGN, where)
    _not_of_applicant(principal, where)
    transition(State(row.state), Event.ASSIGN_EVALUATOR)
    try:
        evaluator = accounts.user(session, email=normalise_email(evaluator_email))
    except (NotFoundError, InputError):
        raise InputError(code="recognition.review.refused.no_user",
                         params={"evaluator_email": evaluator_email},
                         problems=[Problem("evaluator", "unknown e-mail address")]) from None
    if not any(m.role is Role.EVALUATOR and m.organisation == where.recognition_body
               for m in evaluator.memberships):
        raise InputError(code="recognition.review.refused.not_evaluator",
                         params={"email": evaluator.email,
                                 "recognition_body": where.recognition_body},
                         problems=[Problem("evaluator", "not an evaluator of the body")])
    organisations = {m.organisation for m in evaluator.memberships if m.organisation != PLATFORM}
    check_assignment(evaluator=evaluator.subject, evaluator_organisations=organisations,
                     applicant=where.applicant,
                     assignments=_core_assignments(session, row))
    _change(session, principal, row, events=[Event.ASSIGN_EVALUATOR],
            expected=expected_version, now=now, action="evaluator.assigned",
            details={"evaluator": evaluator.subject})
    limit = TIME_LIMITS[State.UNDER_REVIEW].period
    existing = store.find_assignment(session, row.id, evaluator.id)
    if existing is not None:  # recused before: check_assignment refuses; kept for safety
        raise ConflictError(code="recognition.review.refused.assigned_before")
    store.add_assignment(session, application_id=row.id, evaluator_id=evaluator.id,
                         assigned_by=_user_id(principal), at=now, due_at=now + limit)
    store.notify(session, user_id=evaluator.id, application_id=row.id, text={
        "ja": f"{_named(session, row, 'ja')}の申請の評価者に選任されました。"
              "利益相反を申告してください。",
        "en": f"You were assigned to evaluate the application for {_named(session, row, 'en')}; "
              "please declare your interests first."}, dedupe=f"assigned:{row.public_id}", now=now)
    session.flush()
    return _view(session, principal, row)


def _named(session: Session, row: Any, language: str) -> str:
    """The programme an application is for, as a notification names it: its title in
    ``language`` (else another) in quotes, its code when it has no title — not the
    application's id, which means nothing to people."""
    version = programme_store.get_version(session, programme_id=row.programme_id,
                                          version=row.programme_version)
    title = _title(version.programme)
    text = title.get(language) or next(iter(title.values()), None) or version.programme.code
    return f"「{text}」" if language == "ja" else f"“{text}”"


def declare_interests(session: Session, principal: Principal, *, application: str,
                      conflict: bool, statement: str = "", expected_version: int | None = None,
                      now: dt.datetime) -> ApplicationView:
    """The assigned evaluator declares whether they have a conflict of interest; declaring
    one recuses them (the committee assigns someone else)."""
    row = _load(session, application)
    where = _target(session, row)
    mine = _assigned_evaluator(session, principal, row, where)
    check_declaration(_core_assignments(session, row), f"user:{mine.evaluator_id}")
    text = (statement or "").strip()
    if conflict and not text:
        raise InputError(code="recognition.review.refused.conflict_missing",
                         problems=[Problem("statement", code="review.refused.required")])
    if len(text) > MAX_MESSAGE:
        raise InputError(code="recognition.review.refused.statement_too_long",
                         problems=[Problem("statement", f"at most {MAX_MESSAGE:,} characters")])
    _change(session, principal, row, events=[Event.DECLARE_INTERESTS],
            expected=expected_version, now=now, action="interests.declared",
            details={"evaluator": f"user:{mine.evaluator_id}",
                     "declaration": store.CONFLICT if conflict else store.NO_CONFLICT})
    mine.declaration = store.CONFLICT if conflict else store.NO_CONFLICT
    mine.declaration_statement = text or None
    mine.declared_at = now
    session.flush()
    return _view(session, principal, row)


def submit_review(session: Session, principal: Principal, *, application: str,
                  scores: Mapping[str, object], comments: Mapping[str, object],
                  summary: str = "", expected_version: int | None = None, now: dt.datetime
                  ) -> ApplicationView:
    """The assigned evaluator's review against every criterion (score 1–4 and a comment).
    When it is the last review needed, the application becomes ``reviewed``."""
    row = _load(session, application)
    where = _target(session, row)
    mine = _assigned_evaluator(session, principal, row, where)
    me = f"user:{mine.evaluator_id}"
    check_review(_core_assignments(session, row), me)
    review = parse_review(scores, comments)
    text = (summary or "").strip()
    if len(text) > MAX_MESSAGE:
        raise InputError(code="recognition.review.refused.summary_too_long",
                         problems=[Problem("summary", f"at most {MAX_MESSAGE:,} characters")])
    after = [a if a.evaluator != me else Assignment(a.evaluator, a.declaration, True)
             for a in _core_assignments(session, row)]
    events = [Event.SUBMIT_REVIEW]
    if review_complete(after):
        events.append(Event.COMPLETE_REVIEW)
    _change(session, principal, row, events=events, expected=expected_version, now=now,
            action="review.submitted",
            details={"evaluator": me, "scores": {e.criterion: int(e.score)
                                                 for e in review.entries},
                     "complete": Event.COMPLETE_REVIEW in events})
    store.add_review(
        session, application_id=row.id, evaluator_id=mine.evaluator_id,
        scores={e.criterion: int(e.score) for e in review.entries},
        comments={e.criterion: e.comment for e in review.entries}, summary=text, at=now)
    session.flush()
    return _view(session, principal, row)


def request_information(session: Session, principal: Principal, *, application: str,
                        text: str, expected_version: int | None = None, now: dt.datetime
                        ) -> ApplicationView:
    """The committee asks the applicant for more information; the review pauses."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_ASSIGN, where)
    _not_of_applicant(principal, where)
    body = _text(text, "text")
    _change(session, principal, row, events=[Event.REQUEST_INFORMATION],
            expected=expected_version, now=now, action="information.requested",
            details={"length": len(body)})
    _message(session, principal, row, store.INFORMATION_REQUEST, body, now)
    _notify_applicant(session, row, where, now, dedupe=f"information:{row.public_id}:"
                      f"{row.version}", text={
                          "ja": f"{_named(session, row, 'ja')}の申請について追加情報の"
                                "依頼があります。",
                          "en": f"More information is requested on the application for "
                                f"{_named(session, row, 'en')}."})
    return _view(session, principal, row)


def _notify_applicant(session: Session, row: StoredApplication, where: Target, now: dt.datetime,
                      *, dedupe: str, text: Mapping[str, str]) -> None:
    for user, role in accounts.members(session, organisation=where.applicant):
        if role is Role.PROVIDER_ADMIN:
            store.notify(session, user_id=user.id, application_id=row.id, text=text,
                         dedupe=dedupe, now=now)


def _mail_decisions(session: Session, row: StoredApplication, where: Target,
                    decisions: Sequence[StoredDecision], now: dt.datetime) -> None:
    """E-mail each published decision to the applicant's administrators."""
    admins = [(user.id, user.email) for user, role in
              accounts.members(session, organisation=where.applicant)
              if role is Role.PROVIDER_ADMIN and not user.disabled]
    body = store.organisation_row(session, where.recognition_body)
    for decision in decisions:
        mail.recognition_decided(
            session, to=admins, application=row.public_id, number=decision.number,
            outcome=decision.outcome, title=decision.programme_title,
            recognition_body=where.recognition_body,
            recognition_body_name=dict(body.name) if body is not None else {}, now=now)


def _criteria_summary(session: Session, row: StoredApplication) -> dict[str, Any]:
    reviews = [parse_review(r.scores, r.comments) for r in store.review_rows(session, row.id)]
    summary = summarise(reviews)
    return {c.criterion: {"count": c.count, "mean": str(c.mean), "minimum": int(c.minimum),
                          "maximum": int(c.maximum)} for c in summary.criteria}


def _record_decision(session: Session, principal: Principal, row: StoredApplication,
                     where: Target, *, outcome: str, reasons_ja: str | None,
                     reasons_en: str | None, conditions_ja: str | None,
                     conditions_en: str | None, appeal: bool, now: dt.datetime,
                     signer: Signer | None, settings: Settings | None,
                     registry: LiveIndex | None, published: bool = False,
                     standing: StoredDecision | None = None) -> StoredDecision:
    """Insert the decision and, when it recognises the programme, grant the recognition
    (unless it confirms the ``standing`` decision, whose recognition it keeps)."""
    decided = parse_decision(outcome=outcome, reasons_ja=reasons_ja, reasons_en=reasons_en,
                             conditions_ja=conditions_ja, conditions_en=conditions_en)
    programme = programme_store.get_version(session, programme_id=row.programme_id,
                                            version=row.programme_version)
    applicant = store.organisation_row(session, where.applicant)
    assert applicant is not None
    title = _title(programme.programme)
    reasons, conditions = decided.reasons, decided.conditions
    number = decision_number(now.year, store.decision_sequence(session, now.year) + 1)
    recognition = None
    valid_from = until = None
    if standing is not None:
        recognition = standing.recognition
        valid_from, until = standing.valid_from, standing.valid_until
    elif decided.outcome.grants_recognition:
        if signer is None or settings is None:
            raise ConflictError(code="recognition.review.refused.no_signing_key")
        valid_from = now
        until = valid_until(decided.outcome, now)
        granted = recognitions.grant(
            session, signer_secret=signer() if callable(signer) else signer, settings=settings,
            recognition_body=where.recognition_body, programme_id=row.programme_id,
            version=row.programme_version, application=row.public_id, decision_number=number,
            outcome=decided.outcome, conditions=conditions, reasons=reasons,
            valid_from=valid_from, valid_until=until, now=now, actor=principal.subject,
            registry=registry)
        recognition = granted.number
    decision = store.add_decision(
        session, application_id=row.id, number=number, outcome=decided.outcome.value,
        reasons=reasons.to_dict(), conditions=conditions.to_dict() if conditions else None,
        decided_by=_user_id(principal), at=now, appeal=appeal, recognition=recognition,
        valid_from=valid_from, valid_until=until,
        criteria_summary=_criteria_summary(session, row), programme_title=title,
        provider_name=dict(applicant.name),
        search_text=store.search_key(
            number, *title.values(), programme.programme.code, applicant.slug,
            *applicant.name.values(), decided.outcome.value, decided.outcome.label.ja,
            decided.outcome.label.en, reasons.ja, reasons.en,
            *(conditions.ja, conditions.en) if conditions else ()),
        published_at=now if published else None)
    session.flush()
    audit.record(session, at=now, actor=principal.subject,
                 action="appeal.decided" if appeal else "decision.made",
                 subject=f"application:{row.public_id}",
                 details={"decision": number, "outcome": decided.outcome.value,
                          "recognition": recognition})
    return decision


def decide(session: Session, principal: Principal, *, application: str, outcome: str,
           reasons_ja: str | None = None, reasons_en: str | None = None,
           conditions_ja: str | None = None, conditions_en: str | None = None,
           expected_version: int | None = None, now: dt.datetime,
           signer: Signer | None = None, settings: Settings | None = None,
           registry: LiveIndex | None = None) -> ApplicationView:
    """The committee decides a reviewed application: recognised, recognised with conditions
    (which need conditions) or not recognised, with reasons. A recognition issues the
    body's endorsement credential (``signer``, ``settings``). Never by a member of the
    applicant organisation. Of two concurrent decisions exactly one is recorded."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_DECIDE, where)
    _not_of_applicant(principal, where)
    parse_decision(outcome=outcome, reasons_ja=reasons_ja, reasons_en=reasons_en,
                   conditions_ja=conditions_ja, conditions_en=conditions_en)
    # The compare-and-swap comes before any other write: the loser of a race stops here.
    _change(session, principal, row, events=[Event.DECIDE], expected=expected_version, now=now,
            action="application.decided", details={"outcome": outcome})
    _record_decision(session, principal, row, where, outcome=outcome, reasons_ja=reasons_ja,
                     reasons_en=reasons_en, conditions_ja=conditions_ja,
                     conditions_en=conditions_en, appeal=False, now=now, signer=signer,
                     settings=settings, registry=registry)
    return _view(session, principal, row)


def publish(session: Session, principal: Principal, *, application: str,
            expected_version: int | None = None, now: dt.datetime) -> ApplicationView:
    """Publish the decision: it appears, with its reasons, on the transparency page."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_DECIDE, where)
    _not_of_applicant(principal, where)
    pending = [d for d in store.decision_rows(session, row.id) if d.published_at is None]
    _change(session, principal, row, events=[Event.PUBLISH], expected=expected_version,
            now=now, action="decision.published",
            details={"decisions": [d.number for d in pending]})
    for decision in pending:
        decision.published_at = now
    _notify_applicant(session, row, where, now, dedupe=f"published:{row.public_id}:"
                      f"{row.version}", text={
                          "ja": f"{_named(session, row, 'ja')}の申請の決定が公表されました。",
                          "en": f"The decision on the application for "
                                f"{_named(session, row, 'en')} is published."})
    _mail_decisions(session, row, where, pending, now)
    session.flush()
    return _view(session, principal, row)


def decide_appeal(session: Session, principal: Principal, *, application: str, uphold: bool,
                  reasons_ja: str | None = None, reasons_en: str | None = None,
                  outcome: str | None = None, conditions_ja: str | None = None,
                  conditions_en: str | None = None, expected_version: int | None = None,
                  now: dt.datetime, signer: Signer | None = None,
                  settings: Settings | None = None, registry: LiveIndex | None = None
                  ) -> ApplicationView:
    """Decide an appeal. Dismissed: the decision stands, the dismissal and its reasons are
    published at once. Upheld: a new decision with ``outcome`` replaces the old one (a
    recognition the old one granted is withdrawn) and is published like any decision."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_DECIDE, where)
    _not_of_applicant(principal, where)
    previous = store.decision_rows(session, row.id)[-1:]
    standing = previous[0] if previous else None
    if uphold and not outcome:
        raise InputError(code="recognition.review.refused.upheld_needs_outcome",
                         problems=[Problem("outcome", code="review.refused.required")])
    new_outcome = outcome if uphold and outcome else (standing.outcome if standing else "")
    # Check the texts before anything is written (a dismissal's are its reasons only).
    parse_decision(outcome=new_outcome if uphold else Outcome.NOT_RECOGNISED.value,
                   reasons_ja=reasons_ja, reasons_en=reasons_en,
                   conditions_ja=conditions_ja if uphold else None,
                   conditions_en=conditions_en if uphold else None)
    event = Event.UPHOLD_APPEAL if uphold else Event.DISMISS_APPEAL
    _change(session, principal, row, events=[event], expected=expected_version, now=now,
            action="appeal.upheld" if uphold else "appeal.dismissed",
            details={"outcome": new_outcome})
    if not uphold:
        assert standing is not None
        conditions = _label(standing.conditions) if standing.conditions else None
        _record_decision(session, principal, row, where, outcome=standing.outcome,
                         reasons_ja=reasons_ja, reasons_en=reasons_en,
                         conditions_ja=conditions.ja if conditions else None,
                         conditions_en=conditions.en if conditions else None, appeal=True,
                         now=now, signer=None, settings=None, registry=registry,
                         published=True, standing=standing)
        return _view(session, principal, row)
    if standing is not None and standing.recognition is not None:
        withdrawn = recognitions.recognition(session, standing.recognition)
        if withdrawn.withdrawn_at is None:
            recognitions.withdraw(session, recognition=standing.recognition,
                                  reason="Replaced by the decision on appeal. / "
                                         "異議申立てに対する決定により置き換えられました。",
                                  now=now, actor=principal.subject, registry=registry)
    assert outcome is not None
    _record_decision(session, principal, row, where, outcome=outcome, reasons_ja=reasons_ja,
                     reasons_en=reasons_en, conditions_ja=conditions_ja,
                     conditions_en=conditions_en, appeal=True, now=now, signer=signer,
                     settings=settings, registry=registry)
    return _view(session, principal, row)


def withdraw_recognition(session: Session, principal: Principal, *, application: str,
                         reason: str, expected_version: int | None = None, now: dt.datetime,
                         registry: LiveIndex | None = None) -> ApplicationView:
    """Withdraw the recognition the application's latest decision granted: its endorsement
    is revoked through the body's status list. Final."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_DECIDE, where)
    _not_of_applicant(principal, where)
    text = _text(reason, "reason")
    granted = [d for d in store.decision_rows(session, row.id) if d.recognition]
    if not granted or row.state not in (State.PUBLISHED.value, State.APPEALED.value):
        raise ConflictError(code="recognition.review.refused.nothing_to_withdraw",
                            problems=[Problem("recognition", "none")])
    number = granted[-1].recognition
    assert number is not None
    _change(session, principal, row, events=[], expected=expected_version, now=now,
            action="application.recognition-withdrawn", details={"recognition": number})
    recognitions.withdraw(session, recognition=number, reason=text, now=now,
                          actor=principal.subject, registry=registry)
    _message(session, principal, row, store.WITHDRAWAL, text, now)
    return _view(session, principal, row)
