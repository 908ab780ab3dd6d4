"""Reading applications as each principal may see them, the public decisions, notifications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import review as store
from credstack.adapters.db.repositories.review import (
    StoredApplication,
    StoredAssignment,
    StoredDecision,
    StoredEvidence,
    StoredMessage,
)
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Principal, Role
from credstack.core.review import (
    Event,
    Label,
    Outcome,
    Party,
    State,
    allowed_events,
)
from credstack.errors import (
    InputError,
    NotFoundError,
    Problem,
)
from credstack.services.review.records import (
    _assignments,
    _deny,
    _label,
    _load,
    _opt_utc,
    _require,
    _target,
    _title,
    _utc,
)
from credstack.services.review.views import (
    DECISIONS_PER_PAGE,
    ApplicationSummary,
    ApplicationView,
    AssignmentView,
    DecisionPage,
    DecisionView,
    EvidenceView,
    MessageView,
    PublicDecision,
    ReviewView,
    Target,
    Viewer,
)


def _evidence(row: StoredEvidence) -> EvidenceView:
    return EvidenceView(row.sha256, row.filename, row.media_type, row.size,
                        _utc(row.uploaded_at))


def _viewer(session: Session, principal: Principal, row: StoredApplication, where: Target
            ) -> Viewer:
    """How ``principal`` stands to the application, if allowed to read it; else refused."""
    _require(principal, Action.APPLICATION_READ, where)
    return _relation(session, principal, row, where)


def _relation(session: Session, principal: Principal, row: StoredApplication, where: Target
              ) -> Viewer:
    """How ``principal`` stands to the application (the role check aside); refused if not
    at all."""
    if where.applicant in principal.organisations():
        # A member of the applicant sees the applicant's view whatever else they are.
        if principal.has_role(Role.PROVIDER_ADMIN, where.applicant):
            return Viewer.APPLICANT
        _deny("review.refused.applicants_only")
    if principal.has_role(Role.REGISTRY_ADMIN):
        return Viewer.REGISTRY_ADMIN
    if principal.has_role(Role.COMMITTEE_MEMBER, where.recognition_body):
        return Viewer.COMMITTEE
    if (principal.has_role(Role.EVALUATOR, where.recognition_body)
            and principal.user_id is not None
            and store.find_assignment(session, row.id, principal.user_id) is not None):
        return Viewer.EVALUATOR
    _deny("review.refused.may_not_read")
    raise AssertionError("unreachable")


def get_application(session: Session, principal: Principal, *, application: str
                    ) -> ApplicationView:
    """The application as ``principal`` may see it:

    * committee members of the body and registry admins: everything;
    * an assigned evaluator: their own assignment and review; every review once decided;
    * the applicant's administrators: reviews (without evaluators' names) and decisions only
      once published; assignments only as a count.
    """
    return _view(session, principal, _load(session, application), read=True)


_DECIDED: Final = frozenset({State.DECIDED.value, State.PUBLISHED.value, State.APPEALED.value})


def _view(session: Session, principal: Principal, row: StoredApplication, *,
          read: bool = False) -> ApplicationView:
    """The application as ``principal`` sees it. ``read``: a plain read, which needs
    ``application.read``; after a step the actor sees the result of what they were allowed
    to do (a token scoped to ``recognition:review`` alone included)."""
    where = _target(session, row)
    viewer = (_viewer if read else _relation)(session, principal, row, where)
    state = State(row.state)
    names = store.organisation_names(session, [row.organisation_id, row.recognition_body_id])
    version = programme_store.get_version(session, programme_id=row.programme_id,
                                          version=row.programme_version)
    assignment_rows = _assignments(session, row)
    review_rows = store.review_rows(session, row.id)
    decision_rows = store.decision_rows(session, row.id)
    people = store.people(session, [a.evaluator_id for a in assignment_rows])
    reviewed = {r.evaluator_id for r in review_rows}
    full = viewer in (Viewer.COMMITTEE, Viewer.REGISTRY_ADMIN)
    published = any(d.published_at is not None for d in decision_rows)

    assignments: list[AssignmentView] = []
    for a in assignment_rows:
        if full or (viewer is Viewer.EVALUATOR and a.evaluator_id == principal.user_id):
            email, name = people[a.evaluator_id]
            assignments.append(AssignmentView(
                a.evaluator_id, email, name, _utc(a.assigned_at),
                _opt_utc(a.due_at), a.declaration, a.declaration_statement,
                _opt_utc(a.declared_at), a.evaluator_id in reviewed))
    reviews: list[ReviewView] = []
    for r in review_rows:
        show = (full or (viewer is Viewer.EVALUATOR and (r.evaluator_id == principal.user_id
                                                         or row.state in _DECIDED))
                or (viewer is Viewer.APPLICANT and published))
        if not show:
            continue
        named = viewer is not Viewer.APPLICANT
        author = people.get(r.evaluator_id)
        reviews.append(ReviewView(
            r.evaluator_id if named else None,
            author[0] if named and author else None,
            author[1] if named and author else None,
            dict(r.scores), dict(r.comments), r.summary, _utc(r.submitted_at)))
    decisions = tuple(_decision(d) for d in decision_rows
                      if viewer is not Viewer.APPLICANT or d.published_at is not None)
    messages = tuple(MessageView(m.kind, _party(m, state), m.text, _utc(m.at))
                     for m in store.message_rows(session, row.id))
    return ApplicationView(
        id=row.public_id, viewer=viewer, applicant=where.applicant,
        applicant_name=names.get(row.organisation_id, {}),
        recognition_body=where.recognition_body,
        recognition_body_name=names.get(row.recognition_body_id, {}),
        programme_id=row.programme_id, programme_version=row.programme_version,
        programme_code=version.programme.code,
        programme_title=_title(version.programme), profile=row.profile, kind=row.kind,
        renewal_of=row.renewal_of, state=state, state_entered_at=_utc(row.state_entered_at),
        due_at=_opt_utc(row.due_at), self_evaluation=dict(row.self_evaluation),
        findings=tuple(row.findings), version=row.version, created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
        evidence=tuple(_evidence(e) for e in store.evidence_rows(session, row.id)),
        assignments=tuple(assignments), reviews=tuple(reviews), messages=messages,
        decisions=decisions, evaluators=len(assignment_rows),
        actions=_actions(viewer, state, principal, assignment_rows, reviewed, decision_rows))


def _party(message: StoredMessage, state: State) -> str:
    # A withdrawal's reason is the applicant's when the application was withdrawn (before any
    # decision), else the committee's (a recognition withdrawn after publication).
    if message.kind in (store.ANSWER, store.APPEAL) or (
            message.kind == store.WITHDRAWAL and state is State.WITHDRAWN):
        return Party.APPLICANT.value
    return Party.COMMITTEE.value


def _decision(row: StoredDecision) -> DecisionView:
    return DecisionView(
        row.number, Outcome(row.outcome), _label(row.reasons) or Label("", ""),
        _label(row.conditions), _utc(row.decided_at), row.appeal, row.recognition,
        _opt_utc(row.valid_from), _opt_utc(row.valid_until), _opt_utc(row.published_at),
        dict(row.criteria_summary))


_PARTIES: Final[Mapping[Viewer, frozenset[Party]]] = {
    Viewer.APPLICANT: frozenset({Party.APPLICANT}),
    Viewer.COMMITTEE: frozenset({Party.COMMITTEE}),
    Viewer.EVALUATOR: frozenset({Party.EVALUATOR}),
    Viewer.REGISTRY_ADMIN: frozenset(),
}


def _actions(viewer: Viewer, state: State, principal: Principal,
             assignments: Sequence[StoredAssignment], reviewed: set[int],
             decisions: Sequence[StoredDecision]) -> tuple[str, ...]:
    """The steps the viewer may take now (buttons to show; the service still checks)."""
    found: list[str] = []
    for event in allowed_events(state):
        if event.party not in _PARTIES[viewer]:
            continue
        if viewer is Viewer.EVALUATOR:
            mine = next((a for a in assignments if a.evaluator_id == principal.user_id), None)
            if mine is None:
                continue
            if event is Event.DECLARE_INTERESTS and mine.declaration is not None:
                continue
            if event is Event.SUBMIT_REVIEW and (mine.declaration != store.NO_CONFLICT
                                                 or mine.evaluator_id in reviewed):
                continue
        if event is Event.COMPLETE_REVIEW:
            continue  # taken automatically with the last review
        found.append(event.value)
    if state is State.INCOMPLETE and viewer is Viewer.APPLICANT:
        found.append(Event.SUBMIT.value)
    if (viewer is Viewer.COMMITTEE and state in (State.PUBLISHED, State.APPEALED)
            and any(d.recognition for d in decisions)):
        found.append("withdraw-recognition")
    return tuple(found)


def list_applications(session: Session, principal: Principal, *, state: str | None = None,
                      limit: int = 50, after: int | None = None) -> list[ApplicationSummary]:
    """The applications ``principal`` may read: their organisations' (provider admins), their
    recognition bodies' (committee members), those they are assigned to (evaluators), all
    (registry admins). A token without ``recognition:read`` lists none."""
    if principal.scopes is not None and Action.APPLICATION_READ.value not in principal.scopes:
        return []
    if state is not None and state not in State._value2member_map_:
        raise InputError(code="recognition.review.refused.unknown_state", params={"state": state},
                         problems=[Problem("state", ", ".join(State))])
    scope = store.ApplicationFilter(
        everything=principal.has_role(Role.REGISTRY_ADMIN),
        applicants=principal.organisations(Role.PROVIDER_ADMIN),
        bodies=principal.organisations(Role.COMMITTEE_MEMBER),
        evaluator=principal.user_id if principal.organisations(Role.EVALUATOR) else None)
    rows = store.list_application_rows(session, scope=scope, state=state, limit=limit,
                                       after=after)
    slugs = store.organisation_slugs(
        session, list({r.organisation_id for r in rows} | {r.recognition_body_id for r in rows}))
    return [ApplicationSummary(r.public_id, slugs[r.organisation_id],
                               slugs[r.recognition_body_id], r.programme_id,
                               r.programme_version, r.kind, State(r.state), _opt_utc(r.due_at),
                               _utc(r.updated_at), r.version) for r in rows]


def _public(row: StoredDecision, application: str, provider: str) -> PublicDecision:
    assert row.published_at is not None
    return PublicDecision(
        row.number, application, provider, dict(row.provider_name), dict(row.programme_title),
        Outcome(row.outcome), _label(row.reasons) or Label("", ""), _label(row.conditions),
        _utc(row.decided_at), _utc(row.published_at), row.appeal, row.recognition,
        _opt_utc(row.valid_from), _opt_utc(row.valid_until), dict(row.criteria_summary))


def public_decisions(session: Session, *, query: str | None = None, outcome: str | None = None,
                     page: int = 1, per_page: int = DECISIONS_PER_PAGE) -> DecisionPage:
    """Published decisions, newest first, for the transparency page: every word of ``query``
    must occur in the programme's title or code, the provider's name or slug, the outcome,
    the decision number, the reasons or the conditions (case-insensitive)."""
    if outcome and outcome not in Outcome._value2member_map_:
        raise InputError(code="review.refused.unknown_outcome", params={"outcome": outcome},
                         problems=[Problem("outcome", ", ".join(Outcome))])
    page = max(1, page)
    found = store.published_decisions(session, query=(query or "")[:200], outcome=outcome,
                                      offset=(page - 1) * per_page, limit=per_page)
    return DecisionPage(tuple(_public(d, pid, slug) for d, pid, slug in found.rows),
                        found.total, page, per_page)


def public_decision(session: Session, *, number: str) -> PublicDecision:
    """One published decision by number; :class:`NotFoundError` unless published."""
    row = store.find_decision(session, number)
    if row is None or row.published_at is None:
        raise NotFoundError(code="review.refused.no_decision", params={"number": number})
    application = store.application_by_id(session, row.application_id)
    assert application is not None
    slugs = store.organisation_slugs(session, [application.organisation_id])
    return _public(row, application.public_id, slugs[application.organisation_id])
