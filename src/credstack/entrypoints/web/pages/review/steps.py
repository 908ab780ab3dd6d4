"""The steps of the review process posted from an application's page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from credstack.core.access import Action, Principal
from credstack.core.review import (
    CRITERIA,
    State,
)
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.review.applications import _application_page, _load
from credstack.entrypoints.web.pages.review.forms import (
    NO_STORE,
    FormDep,
    _application_url,
    _language,
    _page,
    _same_name,
    _text,
    _version,
    form_state,
    router,
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
from credstack.services.review import service as review
from credstack.services.review import workflow
from credstack.services.runtime import Runtime


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


def _run(step: Step, runtime: Runtime, principal: Principal, where: review.Target,
         form: FormData) -> str:
    """Take the step with the service, in a transaction of its own; the ``done`` message to
    show after (it may differ from the step's, e.g. a submission found incomplete)."""
    common: dict[str, Any] = {"application": where.application,
                              "expected_version": _version(form), "now": runtime.now()}
    if step.name == "self-evaluation":
        texts = {c.id: _text(form, f"self_evaluation.{c.id}") for c in CRITERIA}
        workflow.update_self_evaluation(runtime, principal, self_evaluation=texts, **common)
    elif step.name == "evidence":
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("Choose a file to upload. / ファイルを選んでください。",
                             problems=[Problem("file", "Choose a file to upload. / "
                                                "ファイルを選んでください。")])
        limit = review.MAX_EVIDENCE_BYTES
        content = upload.file.read(limit + 1)
        workflow.add_evidence(runtime, principal, filename=upload.filename, content=content,
                            **common)
    elif step.name == "submit":
        view = workflow.submit(runtime, principal, **common)
        return "submitted" if view.state is not State.INCOMPLETE else "incomplete"
    elif step.name == "answer":
        workflow.answer(runtime, principal, text=_text(form, "text"), **common)
    elif step.name == "appeal":
        workflow.appeal(runtime, principal, grounds=_text(form, "grounds"), **common)
    elif step.name == "withdraw":
        workflow.withdraw_application(runtime, principal, reason=_text(form, "reason"),
                                    **common)
    elif step.name == "assign":
        workflow.assign_evaluator(runtime, principal, evaluator_email=_text(form, "evaluator"),
                                **common)
    elif step.name == "request-information":
        workflow.request_information(runtime, principal, text=_text(form, "text"), **common)
    elif step.name == "interests":
        choice = _text(form, "conflict")
        if choice not in ("none", "conflict"):
            raise InputError("Say whether you have a conflict of interest. / "
                             "利益相反の有無を選んでください。",
                             problems=[Problem("conflict", "Say whether you have a conflict "
                                                "of interest. / 利益相反の有無を選んでください。")])
        workflow.declare_interests(runtime, principal, conflict=choice == "conflict",
                                 statement=_text(form, "statement"), **common)
    elif step.name == "review":
        scores = {c.id: _text(form, f"{c.id}.score") for c in CRITERIA}
        comments = {c.id: _text(form, f"{c.id}.comment") for c in CRITERIA}
        workflow.submit_review(runtime, principal, scores=scores, comments=comments,
                             summary=_text(form, "summary"), **common)
    elif step.name == "decide":
        workflow.decide(runtime, principal, outcome=_text(form, "outcome"),
                      reasons_ja=_text(form, "reasons_ja"), reasons_en=_text(form, "reasons_en"),
                      conditions_ja=_text(form, "conditions_ja"),
                      conditions_en=_text(form, "conditions_en"), signer=runtime.master_key,
                      settings=runtime.settings, registry=runtime.registry, **common)
    elif step.name == "publish":
        workflow.publish(runtime, principal, **common)
    elif step.name == "withdraw-recognition":
        workflow.withdraw_recognition(runtime, principal, reason=_text(form, "reason"),
                                    registry=runtime.registry, **common)
    elif step.name == "appeal-decision":
        uphold = _text(form, "uphold")
        if uphold not in ("uphold", "dismiss"):
            raise InputError("Uphold or dismiss the appeal. / 認容か棄却かを選んでください。",
                             problems=[Problem("appeal", "Uphold or dismiss the appeal. / "
                                                "認容か棄却かを選んでください。")])
        workflow.decide_appeal(runtime, principal, uphold=uphold == "uphold",
                             outcome=_text(form, "outcome") or None,
                             reasons_ja=_text(form, "reasons_ja"),
                             reasons_en=_text(form, "reasons_en"),
                             conditions_ja=_text(form, "conditions_ja"),
                             conditions_en=_text(form, "conditions_en"),
                             signer=runtime.master_key,
                             settings=runtime.settings, registry=runtime.registry, **common)
    return step.done


@router.post("/review/applications/{application}/{step_name}", response_class=HTMLResponse)
def take_step(request: Request, application: str, step_name: str, access: AccessDep,
              runtime: RuntimeDep, form: FormDep) -> Response:
    step = STEPS.get(step_name)
    if step is None:
        raise NotFoundError(f"No step {step_name[:40]!r}.")
    principal = access.user()
    where = _load(runtime, application)
    access.require(step.action, where.applicant, recognition_body=where.recognition_body)
    try:
        # The step's own transaction: a step the service refuses halfway leaves nothing
        # behind.
        done = _run(step, runtime, principal, where, form)
    except AccessDeniedError as exc:
        access.refuse(exc, action=step.action.value, organisation=where.applicant)
        raise
    except StaleStateError as exc:
        return _conflict(request, where, step, exc, stale=True)
    except ConflictError as exc:
        return _conflict(request, where, step, exc, stale=False)
    except (InputError, InputTooLargeError) as exc:
        state = form_state(step.name, form, exc, _language(request), step.fields)
        return _application_page(request, runtime, access, principal, where, state=state,
                                 status_code=413 if isinstance(exc, InputTooLargeError)
                                 else 422)
    return RedirectResponse(_application_url(where.application, done, step.anchor),
                            status_code=303, headers=NO_STORE)


def _conflict(request: Request, where: review.Target, step: Step, error: CredstackError,
              *, stale: bool) -> HTMLResponse:
    return _page(request, "review_conflict.html", status_code=409, step=step.name,
                 stale=stale, detail=said(error, _language(request)),
                 back=_application_url(where.application, anchor=step.anchor))
