"""The recognition API: applications for recognition and every step of their review, the
published criteria and the public decisions (the transparency page's data).

Authorisation is in two layers. Each route first asks :class:`~credstack.entrypoints.web.access.
Access` for the action on the application's organisations (``access.require(action,
applicant, recognition_body=body)``); the service (:mod:`credstack.services.review.service`) then
checks what needs stored facts (an *assigned* evaluator, a committee member outside the
applicant). Both kinds of refusal answer 403 and leave an ``access.denied`` audit entry. An
application of another organisation is 403, not 404 (see the service's docstring); an unknown
id is 404 — asked only after the caller is signed in.

Changes take the version the caller last read, as ``If-Match: "<version>"`` or the body's
``version``; another version answers 409 (``stale-state``) and changes nothing. Responses carry
the new version as ``ETag``.

Evidence files are uploaded as ``multipart/form-data`` (field ``file``), at most 10 MiB; the
server's request body limit (``CREDSTACK_MAX_BODY_BYTES``) must allow that much.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Header, Path, Query, Response, UploadFile, status
from pydantic import BaseModel, ConfigDict, Field

from credstack.core.access import Action, Principal
from credstack.core.review import CRITERIA, TRANSITIONS, Event, Score, State
from credstack.core.types import whole_number
from credstack.entrypoints.web.access import Access, AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import MAX_ID
from credstack.errors import AccessDeniedError, InputError, Problem
from credstack.services.review import service as review
from credstack.services.review import workflow
from credstack.services.runtime import Runtime

router = APIRouter(prefix="/api/recognition", tags=["recognition"])

ApplicationId = Annotated[str, Path(max_length=64, description="The application's public id "
                                    "(app_…).")]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The version last read, "
                                       "as the ETag gave it.")]
T = TypeVar("T")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=100_000)

    #: The version last read; ``If-Match`` says the same.
    version: int | None = Field(default=None, ge=1)


class ApplicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation: str = Field(max_length=64, description="The applicant's slug.")
    programme_id: int = Field(ge=1, le=MAX_ID)
    programme_version: int | None = Field(default=None, ge=1, le=MAX_ID)
    recognition_body: str = Field(max_length=64)
    profile: str = Field(max_length=64, description="A framework profile id (jp-mc, eu-mc …).")


class RenewalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recognition: str = Field(max_length=64, description="The recognition's number.")
    programme_version: int | None = Field(default=None, ge=1, le=MAX_ID)
    profile: str | None = Field(default=None, max_length=64)


class SelfEvaluation(_Body):
    self_evaluation: dict[str, str]


class Step(_Body):
    pass


class AssignmentCreate(_Body):
    evaluator: str = Field(max_length=320, description="The evaluator's e-mail address.")


class DeclarationCreate(_Body):
    conflict: bool
    statement: str = ""


class ReviewCreate(_Body):
    scores: dict[str, int | str]
    comments: dict[str, str]
    summary: str = ""


class TextCreate(_Body):
    text: str


class DecisionCreate(_Body):
    outcome: str = Field(max_length=64)
    reasons_ja: str | None = None
    reasons_en: str | None = None
    conditions_ja: str | None = None
    conditions_en: str | None = None


class AppealCreate(_Body):
    grounds: str


class AppealDecisionCreate(_Body):
    uphold: bool
    outcome: str | None = Field(default=None, max_length=64)
    reasons_ja: str | None = None
    reasons_en: str | None = None
    conditions_ja: str | None = None
    conditions_en: str | None = None


class WithdrawalCreate(_Body):
    reason: str


# --- helpers -----------------------------------------------------------------------------


def _expected(if_match: str | None, body: _Body | None = None) -> int | None:
    """The caller's version: ``If-Match`` (``"3"``, ``W/"3"`` or ``3``) or the body's."""
    if if_match is not None:
        value = if_match.strip().removeprefix("W/").strip('"')
        header = whole_number(value)
        if header is None:
            raise InputError("If-Match must be the application's ETag, such as \"3\". / "
                             "If-Match には ETag を指定してください。",
                             problems=[Problem("If-Match", if_match[:40])])
        if body is not None and body.version is not None and body.version != header:
            raise InputError("If-Match and the body's version disagree. / If-Match と version "
                             "が一致しません。", problems=[Problem("version", str(body.version))])
        return header
    return body.version if body is not None else None


def _guarded(access: Access, action: Action, where: review.Target, call: Callable[[], T]) -> T:
    """Run a service call; its record-level refusals are logged like the route's own."""
    try:
        return call()
    except AccessDeniedError as exc:
        access.refuse(exc, action=action.value, organisation=where.applicant)
        raise


def _authorised(access: Access, runtime: Runtime, application: str, action: Action
                ) -> tuple[Principal, review.Target]:
    access.user()  # signed in before anything about the id is said
    where = workflow.target(runtime, application=application)
    principal = access.require(action, where.applicant, recognition_body=where.recognition_body)
    return principal, where


def _answer(view: review.ApplicationView, response: Response) -> dict[str, Any]:
    response.headers["ETag"] = f'"{view.version}"'
    response.headers["Cache-Control"] = "no-store"
    return view.to_dict()


# --- applications ------------------------------------------------------------------------


@router.post("/applications", status_code=status.HTTP_201_CREATED,
             summary="Open a draft application for a programme version")
def open_application(body: ApplicationCreate, access: AccessDep, runtime: RuntimeDep,
                     response: Response) -> dict[str, Any]:
    principal = access.require(Action.APPLICATION_MANAGE, body.organisation,
                               recognition_body=body.recognition_body)
    view = workflow.open_application(
        runtime, principal, organisation=body.organisation, programme_id=body.programme_id,
        programme_version=body.programme_version, recognition_body=body.recognition_body,
        profile=body.profile, now=runtime.now())
    response.headers["Location"] = f"/api/recognition/applications/{view.id}"
    return _answer(view, response)


@router.post("/renewals", status_code=status.HTTP_201_CREATED,
             summary="Open a renewal application for a recognition about to end")
def start_renewal(body: RenewalCreate, access: AccessDep, runtime: RuntimeDep,
                  response: Response) -> dict[str, Any]:
    principal = access.user()
    view = workflow.start_renewal(runtime, principal, recognition=body.recognition,
                                  programme_version=body.programme_version,
                                  profile=body.profile, now=runtime.now())
    response.headers["Location"] = f"/api/recognition/applications/{view.id}"
    return _answer(view, response)


@router.get("/applications", summary="The applications the caller may read")
def list_applications(
    access: AccessDep, runtime: RuntimeDep,
    state: Annotated[State | None, Query(description="Only applications in this state.")]
    = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> dict[str, Any]:
    principal = access.user()
    items = workflow.list_applications(runtime, principal, state=state.value if state else None,
                                      limit=limit, after=after)
    return {"items": [item.to_dict() for item in items]}


@router.get("/applications/{application}", summary="One application, as the caller may see it")
def get_application(application: ApplicationId, access: AccessDep, runtime: RuntimeDep,
                    response: Response) -> dict[str, Any]:
    principal, where = _authorised(access, runtime, application, Action.APPLICATION_READ)
    view = _guarded(access, Action.APPLICATION_READ, where, lambda: workflow.get_application(
        runtime, principal, application=application))
    return _answer(view, response)


@router.patch("/applications/{application}/self-evaluation",
              summary="Write the self-evaluation (criterion id -> text)")
def update_self_evaluation(application: ApplicationId, body: SelfEvaluation, access: AccessDep,
                           runtime: RuntimeDep, response: Response,
                           if_match: IfMatch = None) -> dict[str, Any]:
    principal, where = _authorised(access, runtime, application, Action.APPLICATION_MANAGE)
    view = _guarded(access, Action.APPLICATION_MANAGE, where, lambda: (
        workflow.update_self_evaluation(
            runtime, principal, application=application, self_evaluation=body.self_evaluation,
            expected_version=_expected(if_match, body), now=runtime.now())))
    return _answer(view, response)


@router.post("/applications/{application}/evidence", status_code=status.HTTP_201_CREATED,
             summary="Attach an evidence file (PDF, PNG, JPEG or UTF-8 text, at most 10 MiB)")
def add_evidence(application: ApplicationId, file: UploadFile, access: AccessDep,
                 runtime: RuntimeDep, response: Response,
                 if_match: IfMatch = None) -> dict[str, Any]:
    principal, where = _authorised(access, runtime, application, Action.APPLICATION_MANAGE)
    # One byte more than allowed is enough to refuse; never the whole of a huge upload.
    content = file.file.read(review.MAX_EVIDENCE_BYTES + 1)
    evidence = _guarded(access, Action.APPLICATION_MANAGE, where, lambda: workflow.add_evidence(
        runtime, principal, application=application, filename=file.filename or "",
        content=content, now=runtime.now(), expected_version=_expected(if_match)))
    response.headers["Location"] = (f"/api/recognition/applications/{application}/evidence/"
                                    f"{evidence.sha256}")
    return evidence.to_dict()


@router.get("/applications/{application}/evidence/{sha256}",
            summary="An evidence file's content")
def evidence_content(application: ApplicationId,
                     sha256: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$")],
                     access: AccessDep, runtime: RuntimeDep) -> Response:
    principal, where = _authorised(access, runtime, application, Action.APPLICATION_READ)
    evidence, content = _guarded(access, Action.APPLICATION_READ, where,
                                 lambda: workflow.evidence_content(
                                     runtime, principal, application=application,
                                     sha256=sha256))
    media_type = evidence.media_type
    if media_type == review.TEXT:
        media_type = "text/plain; charset=utf-8"
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(evidence.filename)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "ETag": f'"{evidence.sha256}"',
    })


def _step(action: Action, call: Callable[..., review.ApplicationView]
          ) -> Callable[..., dict[str, Any]]:
    """A POST route for one step: authorise, call the service, answer the new view."""

    def run(application: str, body: _Body, access: Access, runtime: Runtime,
            response: Response, if_match: str | None, **extra: Any) -> dict[str, Any]:
        principal, where = _authorised(access, runtime, application, action)
        view = _guarded(access, action, where, lambda: call(
            runtime, principal, application=application,
            expected_version=_expected(if_match, body), now=runtime.now(), **extra))
        return _answer(view, response)

    return run


_submit = _step(Action.APPLICATION_MANAGE, workflow.submit)
_assign = _step(Action.APPLICATION_ASSIGN, workflow.assign_evaluator)
_declare = _step(Action.APPLICATION_REVIEW, workflow.declare_interests)
_review = _step(Action.APPLICATION_REVIEW, workflow.submit_review)
_request_information = _step(Action.APPLICATION_ASSIGN, workflow.request_information)
_answer_information = _step(Action.APPLICATION_MANAGE, workflow.answer)
_decide = _step(Action.APPLICATION_DECIDE, workflow.decide)
_publish = _step(Action.APPLICATION_DECIDE, workflow.publish)
_appeal = _step(Action.APPLICATION_MANAGE, workflow.appeal)
_decide_appeal = _step(Action.APPLICATION_DECIDE, workflow.decide_appeal)
_withdraw = _step(Action.APPLICATION_MANAGE, workflow.withdraw_application)
_withdraw_recognition = _step(Action.APPLICATION_DECIDE, workflow.withdraw_recognition)


@router.post("/applications/{application}/submit",
             summary="Submit; the completeness check runs at once")
def submit(application: ApplicationId, access: AccessDep, runtime: RuntimeDep,
           response: Response, body: Step | None = None, if_match: IfMatch = None
           ) -> dict[str, Any]:
    return _submit(application, body or Step(), access, runtime, response, if_match)


@router.post("/applications/{application}/assignments",
             summary="Assign an evaluator (by e-mail address)")
def assign_evaluator(application: ApplicationId, body: AssignmentCreate, access: AccessDep,
                     runtime: RuntimeDep, response: Response,
                     if_match: IfMatch = None) -> dict[str, Any]:
    return _assign(application, body, access, runtime, response, if_match,
                   evaluator_email=body.evaluator)


@router.post("/applications/{application}/declaration",
             summary="The assigned evaluator declares their interests")
def declare_interests(application: ApplicationId, body: DeclarationCreate, access: AccessDep,
                      runtime: RuntimeDep, response: Response,
                      if_match: IfMatch = None) -> dict[str, Any]:
    return _declare(application, body, access, runtime, response, if_match,
                    conflict=body.conflict, statement=body.statement)


@router.post("/applications/{application}/reviews",
             summary="The assigned evaluator's review: a score and comment per criterion")
def submit_review(application: ApplicationId, body: ReviewCreate, access: AccessDep,
                  runtime: RuntimeDep, response: Response,
                  if_match: IfMatch = None) -> dict[str, Any]:
    return _review(application, body, access, runtime, response, if_match,
                   scores=body.scores, comments=body.comments, summary=body.summary)


@router.post("/applications/{application}/information-requests",
             summary="The committee asks the applicant for more information")
def request_information(application: ApplicationId, body: TextCreate, access: AccessDep,
                        runtime: RuntimeDep, response: Response,
                        if_match: IfMatch = None) -> dict[str, Any]:
    return _request_information(application, body, access, runtime, response, if_match,
                                text=body.text)


@router.post("/applications/{application}/answers",
             summary="The applicant answers the request for information")
def answer(application: ApplicationId, body: TextCreate, access: AccessDep,
           runtime: RuntimeDep, response: Response, if_match: IfMatch = None
           ) -> dict[str, Any]:
    return _answer_information(application, body, access, runtime, response, if_match,
                               text=body.text)


@router.post("/applications/{application}/decision",
             summary="The committee decides (recognition issues the endorsement credential)")
def decide(application: ApplicationId, body: DecisionCreate, access: AccessDep,
           runtime: RuntimeDep, response: Response,
           if_match: IfMatch = None) -> dict[str, Any]:
    return _decide(application, body, access, runtime, response, if_match,
                   outcome=body.outcome, reasons_ja=body.reasons_ja,
                   reasons_en=body.reasons_en, conditions_ja=body.conditions_ja,
                   conditions_en=body.conditions_en, signer=runtime.master_key,
                   settings=runtime.settings, registry=runtime.registry)


@router.post("/applications/{application}/publish",
             summary="Publish the decision on the transparency page")
def publish(application: ApplicationId, access: AccessDep, runtime: RuntimeDep,
            response: Response, body: Step | None = None, if_match: IfMatch = None
            ) -> dict[str, Any]:
    return _publish(application, body or Step(), access, runtime, response, if_match)


@router.post("/applications/{application}/appeal", summary="The applicant appeals")
def appeal(application: ApplicationId, body: AppealCreate, access: AccessDep,
           runtime: RuntimeDep, response: Response, if_match: IfMatch = None
           ) -> dict[str, Any]:
    return _appeal(application, body, access, runtime, response, if_match,
                   grounds=body.grounds)


@router.post("/applications/{application}/appeal-decision",
             summary="The committee upholds or dismisses the appeal")
def decide_appeal(application: ApplicationId, body: AppealDecisionCreate, access: AccessDep,
                  runtime: RuntimeDep, response: Response,
                  if_match: IfMatch = None) -> dict[str, Any]:
    return _decide_appeal(application, body, access, runtime, response, if_match,
                          uphold=body.uphold, outcome=body.outcome,
                          reasons_ja=body.reasons_ja, reasons_en=body.reasons_en,
                          conditions_ja=body.conditions_ja, conditions_en=body.conditions_en,
                          signer=runtime.master_key,
                          settings=runtime.settings, registry=runtime.registry)


@router.post("/applications/{application}/withdraw",
             summary="The applicant withdraws the application (before a decision)")
def withdraw_application(application: ApplicationId, body: WithdrawalCreate,
                         access: AccessDep, runtime: RuntimeDep,
                         response: Response, if_match: IfMatch = None) -> dict[str, Any]:
    return _withdraw(application, body, access, runtime, response, if_match,
                     reason=body.reason)


@router.post("/applications/{application}/withdraw-recognition",
             summary="The committee withdraws the recognition (revokes the endorsement)")
def withdraw_recognition(application: ApplicationId, body: WithdrawalCreate,
                         access: AccessDep, runtime: RuntimeDep,
                         response: Response, if_match: IfMatch = None) -> dict[str, Any]:
    return _withdraw_recognition(application, body, access, runtime, response, if_match,
                                 reason=body.reason, registry=runtime.registry)


@router.get("/notifications", summary="The caller's notifications (reminders, assignments)")
def notifications(access: AccessDep, runtime: RuntimeDep,
                  unread: Annotated[bool, Query()] = False) -> dict[str, Any]:
    principal = access.user()
    return {"items": workflow.notifications(runtime, principal, unread_only=unread)}


# --- public ------------------------------------------------------------------------------


@router.get("/criteria", summary="The published review criteria, score scale and process")
def criteria(response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = "public, max-age=3600"
    return {
        "criteria": [{"id": c.id, "title": c.title.to_dict(),
                      "description": c.description.to_dict(),
                      "checklist": [{"id": q.id, "text": q.text.to_dict()}
                                    for q in c.checklist]} for c in CRITERIA],
        "scores": [{"value": int(s), "label": s.label.to_dict()} for s in Score],
        "states": [{"id": s.value, "label": s.label.to_dict()} for s in State],
        "steps": [{"from": source.value, "event": event.value, "to": target.value,
                   "label": Event(event).label.to_dict(), "party": Event(event).party.value}
                  for source, steps in TRANSITIONS.items()
                  for event, target in steps.items()],
    }


@router.get("/decisions", summary="Published decisions, searchable (the transparency page)")
def public_decisions(
    runtime: RuntimeDep,
    q: Annotated[str | None, Query(max_length=200, description="Words to find in the "
                                   "programme, provider, outcome, reasons or conditions.")]
    = None,
    outcome: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    return workflow.public_decisions(runtime, query=q, outcome=outcome, page=page,
                                   per_page=per_page).to_dict()


@router.get("/decisions/{number}", summary="One published decision")
def public_decision(number: Annotated[str, Path(max_length=32)], runtime: RuntimeDep
                    ) -> dict[str, Any]:
    return workflow.public_decision(runtime, number=number).to_dict()
