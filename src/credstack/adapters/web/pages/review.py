"""The signed-in pages of the review process, over :mod:`credstack.services.review.service`.

* ``GET /review`` — my dashboard: the applications I may see, what is waiting for me, my
  notifications.
* ``GET /review/new``, ``POST /review/new`` — a provider admin opens an application: a
  published programme version, the recognition body, the framework profile.
* ``GET /review/applications/{id}`` — one application, as the service lets this person see it,
  with the forms of the steps they may take now: the applicant's self-evaluation, evidence
  upload, submission, answers and appeal; the committee's assignment, requests for
  information, decision, publication and withdrawal of the recognition; the evaluator's
  conflict-of-interest declaration and review.
* ``POST /review/applications/{id}/<step>`` — one step each; ``GET …/evidence/{sha256}`` — an
  evidence file, as a download.

Every form posts with the session's CSRF token (checked by
:data:`~credstack.adapters.web.access.AccessDep` before the route runs) and the application's
``version``; a step that succeeds redirects back to the application (303, redirect after
post); input the service refuses comes back as the same page, 422, with each message next to
its field (``aria-invalid``, ``aria-describedby``) and what was typed kept. A step on a version
that is no longer current — someone else decided first — is a 409 page that says so. Roles are
checked here first (``access.require``, so that every refusal is in the audit log) and again
by the service, which also checks what needs stored facts (the evaluator is assigned, the
committee member is not of the applicant). Each write runs in a savepoint: a refused step
leaves nothing behind, and the page that explains it can still be read from the session.

Visitors who are not signed in are sent to ``/sign-in`` and back. Nothing here is cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.web import i18n
from credstack.adapters.web.access import Access, AccessDep
from credstack.adapters.web.dependencies import NowDep, SessionDep
from credstack.adapters.web.pages.rendering import render
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
from credstack.errors import (
    AccessDeniedError,
    ConflictError,
    CredstackError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    Problem,
    StaleStateError,
)
from credstack.services.accounts import service as accounts
from credstack.services.review import service as review

router = APIRouter(include_in_schema=False)

NO_STORE: Final = {"Cache-Control": "no-store"}
#: Form fields any of these forms may carry (six criteria × two, and a few more).
_MAX_FIELDS: Final = 40
#: The longest text field accepted before the service's own limits apply.
_MAX_FIELD_BYTES: Final = 256 * 1024
#: What the evidence upload offers to pick (the service judges the bytes, not this).
EVIDENCE_ACCEPT: Final = ".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain"
#: The messages a redirect after a successful step may show (``?done=``).
DONE: Final = frozenset({"opened", "saved", "uploaded", "submitted", "incomplete", "answered",
                         "appealed", "withdrawn", "assigned", "requested", "declared",
                         "reviewed", "decided", "published", "recognition-withdrawn",
                         "appeal-decided"})
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


# --- reading forms ----------------------------------------------------------------------


async def _form(request: Request) -> FormData:
    try:
        return await request.form(max_files=1, max_fields=_MAX_FIELDS,
                                  max_part_size=_MAX_FIELD_BYTES)
    except StarletteHTTPException as exc:
        raise InputError(f"The form could not be read: {exc.detail}") from None


FormDep = Annotated[FormData, Depends(_form)]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _version(form: FormData) -> int | None:
    """The application version the form was made from (None: not sent)."""
    value = _text(form, "version").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def in_language(message: str, language: str) -> str:
    """One language of a service message written ``"English / 日本語"``."""
    parts = message.rsplit(" / ", 1)
    if len(parts) != 2:
        return message
    first, second = parts
    japanese = second if _CJK.search(second) and not _CJK.search(first) else None
    if japanese is None:
        return message
    return japanese if language == "ja" else first


@dataclass(slots=True)
class FormState:
    """A form that came back with problems: which one, what was typed, what is wrong."""

    name: str
    values: Mapping[str, str] = field(default_factory=dict)
    #: Field name → message, in the page's language.
    errors: dict[str, str] = field(default_factory=dict)
    #: Problems that belong to no field of the form.
    general: list[str] = field(default_factory=list)


def form_state(name: str, form: FormData, error: CredstackError, language: str,
               fields: Callable[[str], str | None]) -> FormState:
    """``error``'s problems placed next to their fields (``fields`` maps a problem's location
    to a field name, or None when it has none)."""
    values = {key: value for key, value in form.multi_items() if isinstance(value, str)
              and key not in ("csrf_token", "version")}
    state = FormState(name, values)
    for problem in error.problems:
        message = in_language(problem.message, language)
        target = fields(problem.location)
        if target is not None and target not in state.errors:
            state.errors[target] = message
        elif target is None:
            state.general.append(message)
    if not error.problems or (not state.errors and not state.general):
        state.general.insert(0, in_language(error.message, language))
    return state


def _same_name(*names: str) -> Callable[[str], str | None]:
    known = set(names)
    return lambda location: location if location in known else None


# --- pages ------------------------------------------------------------------------------


def _page(request: Request, template: str, *, status_code: int = 200, **context: Any
          ) -> HTMLResponse:
    response = render(request, template, section="review", status_code=status_code, **context)
    response.headers.update(NO_STORE)
    return response


def _sign_in(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={quote(target, safe='/')}", status_code=303,
                            headers=NO_STORE)


def _who(access: Access) -> Principal | None:
    """The signed-in person, or None for a visitor (a bad token is still refused)."""
    if access.principal is None and access.via is None:
        return None
    return access.user()


def _application_url(application: str, done: str | None = None, anchor: str = "") -> str:
    url = f"/review/applications/{application}"
    if done is not None:
        url += f"?done={done}"
    return url + (f"#{anchor}" if anchor else "")


def _language(request: Request) -> str:
    return i18n.negotiate(request).language


def _upload_limit(request: Request) -> int:
    """The largest evidence file this server takes: the service's, or the body limit."""
    limit: int = min(review.MAX_EVIDENCE_BYTES, request.app.state.settings.max_body_bytes)
    return limit


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")


# --- the dashboard ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One application on the dashboard."""

    view: review.ApplicationView
    #: The steps waiting for me (event values), in order.
    tasks: tuple[str, ...]


@router.get("/review", response_class=HTMLResponse)
def dashboard(request: Request, access: AccessDep, session: SessionDep) -> Response:
    principal = _who(access)
    if principal is None:
        return _sign_in(request)
    rows = []
    for summary in review.list_applications(session, principal, limit=100):
        try:
            view = review.get_application(session, principal, application=summary.id)
        except AccessDeniedError:
            continue
        rows.append(Row(view, view.actions))
    notes = review.notifications(session, principal)
    return _page(request, "review_dashboard.html", rows=rows,
                 tasks=[row for row in rows if row.tasks], notifications=notes[:20],
                 can_apply=bool(principal.organisations(Role.PROVIDER_ADMIN)))


# --- a new application ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgrammeChoice:
    value: str
    organisation: str
    programme: programme_store.StoredProgramme
    version: int


def _choices(session: Session, principal: Principal) -> list[ProgrammeChoice]:
    """Every published version of the programmes of the organisations I administer."""
    found = []
    for slug in sorted(principal.organisations(Role.PROVIDER_ADMIN)):
        page = programme_store.list_programmes(session, organisation=slug, limit=200)
        for stored in page.items:
            for version in programme_store.list_versions(session, programme_id=stored.id):
                if version.status is programme_store.Status.PUBLISHED:
                    found.append(ProgrammeChoice(f"{stored.id}:{version.version}", slug,
                                                 stored, version.version))
    return sorted(found, key=lambda c: (c.organisation, c.programme.id, -c.version))


def _new_page(request: Request, session: Session, principal: Principal, *,
              state: FormState | None = None, status_code: int = 200) -> HTMLResponse:
    mine = principal.organisations()
    bodies = [b for b in organisation_store.list_organisations(session, kind="recognition-body")
              if b.slug not in mine]
    return _page(request, "review_new.html", status_code=status_code,
                 choices=_choices(session, principal), bodies=bodies,
                 profiles=list(profiles().values()), form=state or FormState("new"))


def _provider(access: Access) -> Principal:
    """The signed-in provider admin; anyone else is refused (and the refusal logged)."""
    principal = access.user()
    if not principal.organisations(Role.PROVIDER_ADMIN):
        access.require(Action.APPLICATION_MANAGE)
    return principal


@router.get("/review/new", response_class=HTMLResponse)
def new_application_form(request: Request, access: AccessDep, session: SessionDep
                         ) -> Response:
    if _who(access) is None:
        return _sign_in(request)
    return _new_page(request, session, _provider(access))


_NEW_FIELDS = {"programme": "programme", "programme_id": "programme",
               "programme_version": "programme", "recognition_body": "recognition_body",
               "profile": "profile", "organisation": "programme"}
_CHOOSE = "Choose a published programme version. / 公開済みのプログラム（版）を選んでください。"


@router.post("/review/new", response_class=HTMLResponse)
def new_application(request: Request, access: AccessDep, session: SessionDep, now: NowDep,
                    form: FormDep) -> Response:
    principal = _provider(access)
    chosen = _text(form, "programme")
    programme_id, _, version = chosen.partition(":")
    stored = None
    if programme_id.isdigit() and version.isdigit() and len(chosen) <= 24:
        try:
            stored = programme_store.get_programme(session, programme_id=int(programme_id))
        except NotFoundError:
            stored = None
    if stored is None:
        state = form_state("new", form, InputError(_CHOOSE, problems=[
            Problem("programme", _CHOOSE)]), _language(request), _NEW_FIELDS.get)
        return _new_page(request, session, principal, state=state, status_code=422)
    body = _text(form, "recognition_body")
    access.require(Action.APPLICATION_MANAGE, stored.organisation_slug)
    try:
        with session.begin_nested():
            opened = review.open_application(
                session, principal, organisation=stored.organisation_slug,
                programme_id=stored.id, programme_version=int(version), recognition_body=body,
                profile=_text(form, "profile"), now=now)
    except AccessDeniedError as exc:
        access.refuse(exc, action=Action.APPLICATION_MANAGE.value,
                      organisation=stored.organisation_slug)
        raise
    except (InputError, ConflictError, NotFoundError) as exc:
        state = form_state("new", form, exc, _language(request),
                           lambda location: _NEW_FIELDS.get(location.split(".")[0]))
        return _new_page(request, session, principal, state=state, status_code=422)
    return RedirectResponse(_application_url(opened.id, "opened"), status_code=303,
                            headers=NO_STORE)


# --- one application --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evaluator:
    email: str
    name: str


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


def _evaluators(session: Session, view: review.ApplicationView) -> list[Evaluator]:
    """The body's evaluators who may still be assigned (not yet assigned, not of the
    applicant)."""
    assigned = {a.evaluator_email for a in view.assignments}
    found = []
    for user, role in accounts.members(session, organisation=view.recognition_body):
        if role is not Role.EVALUATOR or user.email in assigned:
            continue
        if any(m.organisation == view.applicant for m in user.memberships):
            continue
        found.append(Evaluator(user.email, user.display_name))
    return found


def _load(session: Session, access: Access, application: str) -> review.Target:
    """Who the application belongs to; a malformed id is as unknown as a missing one."""
    if len(application) > 40 or not application.startswith("app_"):
        raise NotFoundError(f"No application {application[:40]!r}.")
    return review.target(session, application=application)


def _read(session: Session, access: Access, principal: Principal, where: review.Target
          ) -> review.ApplicationView:
    access.require(Action.APPLICATION_READ, where.applicant,
                   recognition_body=where.recognition_body)
    try:
        return review.get_application(session, principal, application=where.application)
    except AccessDeniedError as exc:
        access.refuse(exc, action=Action.APPLICATION_READ.value, organisation=where.applicant)
        raise


def _application_page(request: Request, session: Session, access: Access,
                      principal: Principal, where: review.Target, *,
                      state: FormState | None = None, status_code: int = 200,
                      done: str | None = None) -> HTMLResponse:
    view = _read(session, access, principal, where)
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
        latest=latest, evaluators=_evaluators(session, view) if committee else [],
        summary=_summary(view) if view.viewer is not review.Viewer.APPLICANT else None,
        mine=mine, accept=EVIDENCE_ACCEPT, upload_limit=size_text(_upload_limit(request)),
        max_comment=review.MAX_MESSAGE)


@router.get("/review/applications/{application}", response_class=HTMLResponse)
def application_page(request: Request, application: str, access: AccessDep,
                     session: SessionDep, done: str | None = None) -> Response:
    principal = _who(access)
    if principal is None:
        return _sign_in(request)
    where = _load(session, access, application)
    return _application_page(request, session, access, principal, where, done=done)


@router.get("/review/applications/{application}/evidence/{sha256}")
def evidence_file(application: str, sha256: str, access: AccessDep, session: SessionDep
                  ) -> Response:
    principal = access.user()
    where = _load(session, access, application)
    access.require(Action.APPLICATION_READ, where.applicant,
                   recognition_body=where.recognition_body)
    if not re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
        raise NotFoundError("No such evidence file.")
    try:
        found, content = review.evidence_content(session, principal, application=application,
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


# --- the steps --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One form: the action the route checks, the message shown after, where the page opens,
    and which field each problem location belongs to."""

    name: str
    action: Action
    done: str
    anchor: str
    fields: Callable[[str], str | None]


def _self_evaluation_field(location: str) -> str | None:
    if location.startswith("self_evaluation."):
        return location
    return None


def _review_field(location: str) -> str | None:
    criterion, _, part = location.partition(".")
    if part in ("score", "comment") and criterion in {c.id for c in CRITERIA}:
        return location
    return "summary" if location == "summary" else None


def _decision_field(location: str) -> str | None:
    if location in ("outcome", "reasons_ja", "reasons_en", "conditions_ja", "conditions_en"):
        return location
    if location == "reasons":
        return "reasons_ja"
    if location == "conditions":
        return "conditions_ja"
    return None


STEPS: Final[Mapping[str, Step]] = {step.name: step for step in (
    Step("self-evaluation", Action.APPLICATION_MANAGE, "saved", "self-evaluation",
         _self_evaluation_field),
    Step("evidence", Action.APPLICATION_MANAGE, "uploaded", "evidence",
         lambda location: "file"),
    Step("submit", Action.APPLICATION_MANAGE, "submitted", "findings", lambda location: None),
    Step("answer", Action.APPLICATION_MANAGE, "answered", "messages", _same_name("text")),
    Step("appeal", Action.APPLICATION_MANAGE, "appealed", "decisions", _same_name("grounds")),
    Step("withdraw", Action.APPLICATION_MANAGE, "withdrawn", "state", _same_name("reason")),
    Step("assign", Action.APPLICATION_ASSIGN, "assigned", "assignments",
         lambda location: "evaluator"),
    Step("request-information", Action.APPLICATION_ASSIGN, "requested", "messages",
         _same_name("text")),
    Step("interests", Action.APPLICATION_REVIEW, "declared", "review-form",
         lambda location: "statement" if location == "statement" else "conflict"),
    Step("review", Action.APPLICATION_REVIEW, "reviewed", "reviews", _review_field),
    Step("decide", Action.APPLICATION_DECIDE, "decided", "decisions", _decision_field),
    Step("publish", Action.APPLICATION_DECIDE, "published", "decisions",
         lambda location: None),
    Step("withdraw-recognition", Action.APPLICATION_DECIDE, "recognition-withdrawn",
         "decisions", lambda location: "reason" if location == "reason" else None),
    Step("appeal-decision", Action.APPLICATION_DECIDE, "appeal-decided", "decisions",
         lambda location: "uphold" if location == "appeal" else _decision_field(location)),
)}


def _run(step: Step, request: Request, session: Session, principal: Principal,
         where: review.Target, form: FormData, now: Any) -> str:
    """Take the step with the service; the ``done`` message to show after (it may differ
    from the step's, e.g. a submission found incomplete)."""
    common: dict[str, Any] = {"application": where.application,
                              "expected_version": _version(form), "now": now}
    state = request.app.state
    registry = getattr(state, "registry", None)
    if step.name == "self-evaluation":
        texts = {c.id: _text(form, f"self_evaluation.{c.id}") for c in CRITERIA}
        review.update_self_evaluation(session, principal, self_evaluation=texts, **common)
    elif step.name == "evidence":
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("Choose a file to upload. / ファイルを選んでください。",
                             problems=[Problem("file", "Choose a file to upload. / "
                                                "ファイルを選んでください。")])
        limit = review.MAX_EVIDENCE_BYTES
        content = upload.file.read(limit + 1)
        review.add_evidence(session, principal, filename=upload.filename, content=content,
                            **common)
    elif step.name == "submit":
        view = review.submit(session, principal, **common)
        return "submitted" if view.state is not State.INCOMPLETE else "incomplete"
    elif step.name == "answer":
        review.answer(session, principal, text=_text(form, "text"), **common)
    elif step.name == "appeal":
        review.appeal(session, principal, grounds=_text(form, "grounds"), **common)
    elif step.name == "withdraw":
        review.withdraw_application(session, principal, reason=_text(form, "reason"),
                                    **common)
    elif step.name == "assign":
        review.assign_evaluator(session, principal, evaluator_email=_text(form, "evaluator"),
                                **common)
    elif step.name == "request-information":
        review.request_information(session, principal, text=_text(form, "text"), **common)
    elif step.name == "interests":
        choice = _text(form, "conflict")
        if choice not in ("none", "conflict"):
            raise InputError("Say whether you have a conflict of interest. / "
                             "利益相反の有無を選んでください。",
                             problems=[Problem("conflict", "Say whether you have a conflict "
                                                "of interest. / 利益相反の有無を選んでください。")])
        review.declare_interests(session, principal, conflict=choice == "conflict",
                                 statement=_text(form, "statement"), **common)
    elif step.name == "review":
        scores = {c.id: _text(form, f"{c.id}.score") for c in CRITERIA}
        comments = {c.id: _text(form, f"{c.id}.comment") for c in CRITERIA}
        review.submit_review(session, principal, scores=scores, comments=comments,
                             summary=_text(form, "summary"), **common)
    elif step.name == "decide":
        review.decide(session, principal, outcome=_text(form, "outcome"),
                      reasons_ja=_text(form, "reasons_ja"), reasons_en=_text(form, "reasons_en"),
                      conditions_ja=_text(form, "conditions_ja"),
                      conditions_en=_text(form, "conditions_en"), signer=state.master_key,
                      settings=state.settings, registry=registry, **common)
    elif step.name == "publish":
        review.publish(session, principal, **common)
    elif step.name == "withdraw-recognition":
        review.withdraw_recognition(session, principal, reason=_text(form, "reason"),
                                    registry=registry, **common)
    elif step.name == "appeal-decision":
        uphold = _text(form, "uphold")
        if uphold not in ("uphold", "dismiss"):
            raise InputError("Uphold or dismiss the appeal. / 認容か棄却かを選んでください。",
                             problems=[Problem("appeal", "Uphold or dismiss the appeal. / "
                                                "認容か棄却かを選んでください。")])
        review.decide_appeal(session, principal, uphold=uphold == "uphold",
                             outcome=_text(form, "outcome") or None,
                             reasons_ja=_text(form, "reasons_ja"),
                             reasons_en=_text(form, "reasons_en"),
                             conditions_ja=_text(form, "conditions_ja"),
                             conditions_en=_text(form, "conditions_en"),
                             signer=state.master_key, settings=state.settings,
                             registry=registry, **common)
    return step.done


@router.post("/review/applications/{application}/{step_name}", response_class=HTMLResponse)
def take_step(request: Request, application: str, step_name: str, access: AccessDep,
              session: SessionDep, now: NowDep, form: FormDep) -> Response:
    step = STEPS.get(step_name)
    if step is None:
        raise NotFoundError(f"No step {step_name[:40]!r}.")
    principal = access.user()
    where = _load(session, access, application)
    access.require(step.action, where.applicant, recognition_body=where.recognition_body)
    try:
        # A savepoint: a step the service refuses halfway leaves nothing behind.
        with session.begin_nested():
            done = _run(step, request, session, principal, where, form, now)
    except AccessDeniedError as exc:
        access.refuse(exc, action=step.action.value, organisation=where.applicant)
        raise
    except StaleStateError as exc:
        return _conflict(request, where, step, exc, stale=True)
    except ConflictError as exc:
        return _conflict(request, where, step, exc, stale=False)
    except (InputError, InputTooLargeError) as exc:
        state = form_state(step.name, form, exc, _language(request), step.fields)
        return _application_page(request, session, access, principal, where, state=state,
                                 status_code=413 if isinstance(exc, InputTooLargeError)
                                 else 422)
    return RedirectResponse(_application_url(where.application, done, step.anchor),
                            status_code=303, headers=NO_STORE)


def _conflict(request: Request, where: review.Target, step: Step, error: CredstackError,
              *, stale: bool) -> HTMLResponse:
    return _page(request, "review_conflict.html", status_code=409, step=step.name,
                 stale=stale, detail=in_language(error.message, _language(request)),
                 back=_application_url(where.application, anchor=step.anchor))
