"""The review dashboard, a new application, and one application's page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credstack.core.access import Action, Principal, Role
from credstack.core.descriptors import profiles
from credstack.core.review import (
    APPEALABLE,
    CRITERIA,
    Event,
    Outcome,
    Score,
    State,
    parse_review,
    summarise,
)
from credstack.core.types import whole_number
from credstack.entrypoints.web.access import Access, AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.review.forms import (
    DONE,
    EVIDENCE_ACCEPT,
    NO_STORE,
    FormDep,
    FormState,
    _application_url,
    _language,
    _page,
    _sign_in,
    _text,
    _upload_limit,
    _who,
    form_state,
    router,
    size_text,
)
from credstack.errors import (
    AccessDeniedError,
    ConflictError,
    InputError,
    NotFoundError,
    Problem,
)
from credstack.services.review import figures as review_figures
from credstack.services.review import service as review
from credstack.services.review import workflow
from credstack.services.runtime import Runtime

#: Steps a party may take but nobody waits for: withdrawing an application or a recognition,
#: appealing a decision. An application whose only steps are these is waiting for someone
#: else (its state says whom), not for the viewer.
OPTIONAL_STEPS = frozenset({"withdraw", "withdraw-recognition", "appeal"})


def tasks(view: review.ApplicationView) -> tuple[str, ...]:
    """The steps of ``view`` that wait for the viewer: its actions less the optional ones."""
    return tuple(step for step in view.actions if step not in OPTIONAL_STEPS)


@dataclass(frozen=True, slots=True)
class Row:
    """One application on the dashboard."""

    view: review.ApplicationView
    #: The steps waiting for me (event values), in order.
    tasks: tuple[str, ...]


@router.get("/review", response_class=HTMLResponse)
def dashboard(request: Request, access: AccessDep, runtime: RuntimeDep) -> Response:
    principal = _who(access)
    if principal is None:
        return _sign_in(request)
    found = workflow.dashboard(runtime, principal, limit=100)
    rows = [Row(view, tasks(view)) for view in found.applications]
    return _page(request, "review_dashboard.html", rows=rows,
                 tasks=[row for row in rows if row.tasks],
                 notifications=list(found.notifications[:20]),
                 can_apply=bool(principal.organisations(Role.PROVIDER_ADMIN)),
                 figures=review_figures.body_glance(runtime, principal=principal))


def _new_page(request: Request, runtime: Runtime, principal: Principal, *,
              state: FormState | None = None, status_code: int = 200,
              programme: int | None = None) -> HTMLResponse:
    choices = workflow.application_choices(runtime, principal)
    if state is None and programme is not None:
        # Choices come newest version first: the first of the programme is the one to apply.
        newest = next((choice.value for choice in choices.programmes
                       if choice.programme.id == programme), None)
        state = FormState("new", {"programme": newest}) if newest else None
    return _page(request, "review_new.html", status_code=status_code,
                 choices=list(choices.programmes), bodies=list(choices.bodies),
                 profiles=list(profiles().values()), form=state or FormState("new"))


def _provider(access: Access) -> Principal:
    """The signed-in provider admin; anyone else is refused (and the refusal logged)."""
    principal = access.user()
    if not principal.organisations(Role.PROVIDER_ADMIN):
        access.require(Action.APPLICATION_MANAGE)
    return principal


@router.get("/review/new", response_class=HTMLResponse)
def new_application_form(request: Request, access: AccessDep, runtime: RuntimeDep,
                         programme: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """The form; ``programme`` (the editor's "apply for recognition" link): that programme's
    newest published version chosen."""
    if _who(access) is None:
        return _sign_in(request)
    return _new_page(request, runtime, _provider(access), programme=programme)


_NEW_FIELDS = {"programme": "programme", "programme_id": "programme",
               "programme_version": "programme", "recognition_body": "recognition_body",
               "profile": "profile", "organisation": "programme"}


_CHOOSE = "Choose a published programme version. / 公開済みのプログラム（版）を選んでください。"


@router.post("/review/new", response_class=HTMLResponse)
def new_application(request: Request, access: AccessDep, runtime: RuntimeDep,
                    form: FormDep) -> Response:
    principal = _provider(access)
    chosen = _text(form, "programme")
    programme_text, _, version_text = chosen.partition(":")
    programme_id, version = whole_number(programme_text), whole_number(version_text)
    organisation = None
    if programme_id is not None and version is not None:
        try:
            organisation = workflow.programme_organisation(runtime,
                                                           programme_id=programme_id)
        except NotFoundError:
            organisation = None
    if organisation is None or programme_id is None or version is None:
        state = form_state("new", form, InputError(_CHOOSE, problems=[
            Problem("programme", _CHOOSE)]), _language(request), _NEW_FIELDS.get)
        return _new_page(request, runtime, principal, state=state, status_code=422)
    body = _text(form, "recognition_body")
    access.require(Action.APPLICATION_MANAGE, organisation)
    try:
        opened = workflow.open_application(
            runtime, principal, organisation=organisation, programme_id=programme_id,
            programme_version=version, recognition_body=body,
            profile=_text(form, "profile"), now=runtime.now())
    except AccessDeniedError as exc:
        access.refuse(exc, action=Action.APPLICATION_MANAGE.value, organisation=organisation)
        raise
    except (InputError, ConflictError, NotFoundError) as exc:
        state = form_state("new", form, exc, _language(request),
                           lambda location: _NEW_FIELDS.get(location.split(".")[0]))
        return _new_page(request, runtime, principal, state=state, status_code=422)
    return RedirectResponse(_application_url(opened.id, "opened"), status_code=303,
                            headers=NO_STORE)


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """The reviews so far, summed up for the committee."""

    summary: Any
    recommendation: Outcome | None


def _summary(view: review.ApplicationView) -> ScoreSummary | None:
    reviews = []
    for item in view.reviews:
        try:
            reviews.append(parse_review(item.scores, item.comments))
        except InputError:
            continue
    if not reviews:
        return None
    summed = summarise(reviews)
    return ScoreSummary(summed, summed.recommendation)


def _load(runtime: Runtime, application: str) -> review.Target:
    """Who the application belongs to; a malformed id is as unknown as a missing one."""
    if len(application) > 40 or not application.startswith("app_"):
        raise NotFoundError(f"No application {application[:40]!r}.")
    return workflow.target(runtime, application=application)


def _read(runtime: Runtime, access: Access, principal: Principal, where: review.Target
          ) -> review.ApplicationView:
    access.require(Action.APPLICATION_READ, where.applicant,
                   recognition_body=where.recognition_body)
    try:
        return workflow.get_application(runtime, principal, application=where.application)
    except AccessDeniedError as exc:
        access.refuse(exc, action=Action.APPLICATION_READ.value, organisation=where.applicant)
        raise


def _application_page(request: Request, runtime: Runtime, access: Access,
                      principal: Principal, where: review.Target, *,
                      state: FormState | None = None, status_code: int = 200,
                      done: str | None = None) -> HTMLResponse:
    view = _read(runtime, access, principal, where)
    actions = frozenset(view.actions)
    published = [d for d in view.decisions if d.published_at is not None]
    latest = view.decisions[-1] if view.decisions else None
    committee = view.viewer is review.Viewer.COMMITTEE
    mine = next((a for a in view.assignments if a.evaluator_id == principal.user_id), None)
    return _page(
        request, "review_application.html", status_code=status_code, view=view,
        actions=actions, criteria=CRITERIA, scores=list(Score), outcomes=list(Outcome),
        form=state or FormState(""), done=done if done in DONE else None,
        editable=(view.viewer is review.Viewer.APPLICANT
                  and view.state in (State.DRAFT, State.INCOMPLETE)),
        can_upload=(view.viewer is review.Viewer.APPLICANT
                    and view.state in (State.DRAFT, State.INCOMPLETE,
                                       State.INFORMATION_REQUESTED)),
        can_appeal=(Event.APPEAL.value in actions and bool(published)
                    and published[-1].outcome in APPEALABLE),
        latest=latest, evaluators=workflow.evaluators(runtime, view=view) if committee else [],
        summary=_summary(view) if view.viewer is not review.Viewer.APPLICANT else None,
        mine=mine, accept=EVIDENCE_ACCEPT, upload_limit=size_text(_upload_limit(request)),
        max_comment=review.MAX_MESSAGE)


@router.get("/review/applications/{application}", response_class=HTMLResponse)
def application_page(request: Request, application: str, access: AccessDep,
                     runtime: RuntimeDep, done: str | None = None) -> Response:
    principal = _who(access)
    if principal is None:
        return _sign_in(request)
    where = _load(runtime, application)
    return _application_page(request, runtime, access, principal, where, done=done)


@router.get("/review/applications/{application}/evidence/{sha256}")
def evidence_file(application: str, sha256: str, access: AccessDep, runtime: RuntimeDep
                  ) -> Response:
    principal = access.user()
    where = _load(runtime, application)
    access.require(Action.APPLICATION_READ, where.applicant,
                   recognition_body=where.recognition_body)
    if not re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
        raise NotFoundError("No such evidence file.")
    try:
        found, content = workflow.evidence_content(runtime, principal, application=application,
                                                   sha256=sha256)
    except AccessDeniedError as exc:
        access.refuse(exc, action=Action.APPLICATION_READ.value, organisation=where.applicant)
        raise
    # Always a download, never rendered here: a file is the applicant's, not this site's.
    name = quote(found.filename)
    return Response(content, media_type=found.media_type, headers={
        "Content-Disposition": f"attachment; filename=\"evidence\"; filename*=UTF-8''{name}",
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox",
        **NO_STORE})
