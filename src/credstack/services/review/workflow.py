"""The review process on a runtime: every step and reading in a transaction of its own.

The review API (:mod:`credstack.entrypoints.web.api.review`), the review pages
(:mod:`credstack.entrypoints.web.pages.review`) and ``credstack review`` hold no transaction:
they call these, which open one on the runtime, run the function of the same name in
:mod:`credstack.services.review.service` in it (with its checks, its audit entry and its
compare-and-swap on the application's version) and commit, or roll back when it raises, so a
step refused halfway leaves nothing behind. What only the pages show is read here too: the
dashboard, the programme versions a provider may apply for and the bodies it may apply to,
and the evaluators the committee may still assign.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Principal, Role
from credstack.errors import AccessDeniedError
from credstack.services import accounts
from credstack.services.review import applicants, assessment, reading, records, reminders
from credstack.services.review.views import ApplicationView
from credstack.services.runtime import Runtime

__all__ = [
    "ApplicationChoices",
    "Dashboard",
    "Evaluator",
    "ProgrammeChoice",
    "add_evidence",
    "answer",
    "appeal",
    "application_choices",
    "assign_evaluator",
    "dashboard",
    "decide",
    "decide_appeal",
    "declare_interests",
    "evaluators",
    "evidence_content",
    "get_application",
    "list_applications",
    "notifications",
    "open_application",
    "programme_organisation",
    "public_decision",
    "public_decisions",
    "publish",
    "request_information",
    "send_reminders",
    "start_renewal",
    "submit",
    "submit_review",
    "target",
    "update_self_evaluation",
    "withdraw_application",
    "withdraw_recognition",
]

P = ParamSpec("P")
T = TypeVar("T")


def _in_transaction(function: Callable[Concatenate[Session, P], T]
                    ) -> Callable[Concatenate[Runtime, P], T]:
    """``function``, which works in its caller's transaction, with a transaction of its own
    on the runtime given first."""

    def run(runtime: Runtime, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with runtime.transaction() as session:
            return function(session, *args, **kwargs)

    run.__name__ = function.__name__
    run.__doc__ = function.__doc__
    return run


open_application = _in_transaction(applicants.open_application)
start_renewal = _in_transaction(applicants.start_renewal)
update_self_evaluation = _in_transaction(applicants.update_self_evaluation)
add_evidence = _in_transaction(applicants.add_evidence)
evidence_content = _in_transaction(applicants.evidence_content)
submit = _in_transaction(applicants.submit)
answer = _in_transaction(applicants.answer)
appeal = _in_transaction(applicants.appeal)
withdraw_application = _in_transaction(applicants.withdraw_application)
assign_evaluator = _in_transaction(assessment.assign_evaluator)
declare_interests = _in_transaction(assessment.declare_interests)
submit_review = _in_transaction(assessment.submit_review)
request_information = _in_transaction(assessment.request_information)
decide = _in_transaction(assessment.decide)
publish = _in_transaction(assessment.publish)
decide_appeal = _in_transaction(assessment.decide_appeal)
withdraw_recognition = _in_transaction(assessment.withdraw_recognition)
get_application = _in_transaction(reading.get_application)
list_applications = _in_transaction(reading.list_applications)
public_decisions = _in_transaction(reading.public_decisions)
public_decision = _in_transaction(reading.public_decision)
notifications = _in_transaction(reminders.notifications)
target = _in_transaction(records.target)
send_reminders = _in_transaction(reminders.reminders)


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the review dashboard lists for one principal."""

    #: The applications they may read, newest first.
    applications: tuple[ApplicationView, ...]
    #: Their notifications, newest first.
    notifications: tuple[dict[str, Any], ...]


def dashboard(runtime: Runtime, principal: Principal, *, limit: int = 100) -> Dashboard:
    """The applications ``principal`` may read (at most ``limit``) and their notifications."""
    with runtime.transaction() as session:
        views = []
        for summary in reading.list_applications(session, principal, limit=limit):
            try:
                views.append(reading.get_application(session, principal,
                                                     application=summary.id))
            except AccessDeniedError:
                continue
        notes = reminders.notifications(session, principal)
    return Dashboard(tuple(views), tuple(notes))


@dataclass(frozen=True, slots=True)
class ProgrammeChoice:
    """A published programme version a provider admin may apply for."""

    value: str
    organisation: str
    programme: programme_store.StoredProgramme
    version: int


@dataclass(frozen=True, slots=True)
class ApplicationChoices:
    """What a new application may name: a programme version, a recognition body."""

    programmes: tuple[ProgrammeChoice, ...]
    bodies: tuple[organisation_store.StoredOrganisation, ...]


def application_choices(runtime: Runtime, principal: Principal) -> ApplicationChoices:
    """Every published version of the programmes of the organisations ``principal``
    administers, and every recognition body but their own organisations."""
    mine = principal.organisations()
    found = []
    with runtime.transaction() as session:
        for slug in sorted(principal.organisations(Role.PROVIDER_ADMIN)):
            page = programme_store.list_programmes(session, organisation=slug, limit=200)
            for stored in page.items:
                for version in programme_store.list_versions(session, programme_id=stored.id):
                    if version.status is programme_store.Status.PUBLISHED:
                        found.append(ProgrammeChoice(f"{stored.id}:{version.version}", slug,
                                                     stored, version.version))
        bodies = tuple(body for body in organisation_store.list_organisations(
            session, kind="recognition-body") if body.slug not in mine)
    programmes = sorted(found, key=lambda c: (c.organisation, c.programme.id, -c.version))
    return ApplicationChoices(tuple(programmes), bodies)


def programme_organisation(runtime: Runtime, *, programme_id: int) -> str:
    """The organisation whose programme ``programme_id`` is, which applies for it
    (:class:`~credstack.errors.NotFoundError` for an unknown programme)."""
    with runtime.transaction() as session:
        return programme_store.get_programme(session, programme_id=programme_id
                                             ).organisation_slug


@dataclass(frozen=True, slots=True)
class Evaluator:
    email: str
    name: str


def evaluators(runtime: Runtime, *, view: ApplicationView) -> list[Evaluator]:
    """The recognition body's evaluators who may still be assigned to the application in
    ``view`` (not yet assigned, not of the applicant)."""
    assigned = {a.evaluator_email for a in view.assignments}
    found = []
    with runtime.transaction() as session:
        members = accounts.members(session, organisation=view.recognition_body)
    for user, role in members:
        if role is not Role.EVALUATOR or user.email in assigned:
            continue
        if any(m.organisation == view.applicant for m in user.memberships):
            continue
        found.append(Evaluator(user.email, user.display_name))
    return found
