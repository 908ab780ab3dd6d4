"""The issuer's view of what happens to its credentials, and the notices to learners.

* ``GET /workspace/{slug}/activity`` — the organisation's figures per month (a table, and
  ``…/activity.csv``) and its batches; ``…/activity/batch?name=`` one batch;
  ``…/activity/batch?name=`` is one batch: its tallies, then each learner's progress (when
  the credential was e-mailed, opened, claimed, shared, verified; ``&not_yet=claimed``: only
  those it has not happened to; ``&after=``: the next page) with a button that reminds now
  those who have not claimed (``POST …/activity/batch/remind``, audited);
  ``…/activity/credential?id=`` one credential, with its e-mails (each shown as the learner
  got it, on the outbox's page) and a form that sends the "issued" e-mail again, to the same
  or a corrected address (``POST …/activity/resend``).
* ``GET /workspace/{slug}/notices`` — the claim reminder and expiry notices' settings
  (``POST``), and ``POST …/notices/send``: what is due, now.

Forms are plain HTML with the session's CSRF token; nothing needs JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Any, Final
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.access import Action
from credstack.core.activity.events import CREDENTIAL_KINDS, Kind
from credstack.core.activity.figures import month_series
from credstack.core.activity.notices import read_days
from credstack.core.figures import Month, bar_chart
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import problem_said
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import (
    FormProblem,
    page,
    problem_of,
    see_other,
)
from credstack.errors import InputError
from credstack.services.activity import messages, notices, service
from credstack.services.runtime import Runtime
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)

CREDENTIAL_DONE: Final = frozenset({"resent"})
NOTICES_DONE: Final = frozenset({"saved", "sent"})


def _frame(runtime: Runtime, access: Access, slug: str) -> dict[str, Any]:
    found = home.home(runtime, actor=access, slug=slug)
    return {"slug": slug, "home": found, "sections": found.sections, "here": "activity"}


def credential_url(slug: str, credential_id: str, **more: str) -> str:
    return f"/workspace/{slug}/activity/credential?" + urlencode({"id": credential_id, **more})


def batch_url(slug: str, batch: str) -> str:
    return f"/workspace/{slug}/activity/batch?" + urlencode({"name": batch})


@router.get("/workspace/{slug}/activity", response_class=HTMLResponse)
def organisation_page(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep
                      ) -> Response:
    frame = _frame(runtime, access, slug)
    view = service.organisation_view(runtime, actor=access, organisation=slug)
    t = i18n.Translator(i18n.negotiate(request).language)

    def label(month: Month) -> str:
        return f"{month.year}年{month.month}月" if t.language == "ja" else str(month)

    charts = []
    labels = {kind: str(t(f"activity.kind.{kind.value}")) for kind in Kind}
    for series in month_series(view.months, labels=labels):
        charts.append(bar_chart(series, title=series.label, month_label=label,
                                id_prefix="activity", description=str(t(
                                    "activity.chart.describe", kind=series.label,
                                    first=label(series.months[0]),
                                    last=label(series.months[-1]), n=t.number(series.total)))))
    return page(request, "workspace_activity.html", view=view, kinds=list(Kind),
                charts=charts, batch_url=batch_url, **frame)


@router.get("/workspace/{slug}/activity.csv")
def organisation_csv(slug: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    text = service.organisation_csv(runtime, actor=access, organisation=slug)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'attachment; filename="{slug}-activity.csv"'})


@router.get("/workspace/{slug}/activity/batch", response_class=HTMLResponse)
def batch_page(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
               name: Annotated[str, Query(max_length=200)] = "",
               not_yet: Annotated[str, Query(max_length=20)] = "",
               after: Annotated[int, Query(ge=0)] = 0,
               reminded: Annotated[int | None, Query(ge=0)] = None) -> Response:
    frame = _frame(runtime, access, slug)
    view = service.batch_view(runtime, actor=access, organisation=slug, batch=name)
    listing = f"/workspace/{slug}/credentials?" + urlencode({"batch": name}) if name else None
    # An unknown kind is no filter (a hand-made link loses nothing but the filter).
    chosen = next((kind for kind in CREDENTIAL_KINDS if kind.value == not_yet), None)
    learners = service.batch_learners(runtime, actor=access, organisation=slug, batch=name,
                                      not_yet=chosen, after=after)
    following = (batch_url(slug, name) + "&" + urlencode(
        {"not_yet": chosen.value if chosen else "", "after": learners[-1].row_id})
        if len(learners) == service.BATCH_PAGE else None)
    return page(request, "workspace_activity_batch.html", view=view,
                kinds=[Kind.ISSUED, *CREDENTIAL_KINDS], listing=listing, learners=learners,
                credential_kinds=CREDENTIAL_KINDS, not_yet=chosen, following=following,
                reminded=reminded, credential_url=credential_url,
                may_remind=access.allows(Action.CREDENTIAL_ISSUE, slug), **frame)


@router.post("/workspace/{slug}/activity/batch/remind")
def remind_batch(slug: str, runtime: RuntimeDep, access: WebUserDep,
                 name: Annotated[str, Form(max_length=200)] = "") -> Response:
    sent = notices.remind_batch(runtime, actor=access, organisation=slug, batch=name)
    return see_other(batch_url(slug, name) + "&" + urlencode({"reminded": sent}))


def _credential_page(request: Request, runtime: Runtime, access: Access, slug: str,
                     credential_id: str, *, status_code: int = 200,
                     problem: FormProblem | None = None, done: str | None = None,
                     to: str = "") -> HTMLResponse:
    frame = _frame(runtime, access, slug)
    view = service.credential_view(runtime, actor=access, organisation=slug,
                                   credential_id=credential_id)
    issued = [message for message in view.messages if message.template == "credential_issued"]
    return page(request, "workspace_activity_credential.html", status_code=status_code,
                view=view, kinds=list(CREDENTIAL_KINDS), problem=problem, done=done,
                to=to or (issued[0].to if issued else ""), resendable=issued[:1],
                details=f"/workspace/{slug}/credentials/{quote(credential_id, safe=':')}",
                batch_url=batch_url, **frame)


@router.get("/workspace/{slug}/activity/credential", response_class=HTMLResponse)
def credential_page(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                    credential_id: Annotated[str, Query(alias="id", max_length=2048)] = "",
                    done: Annotated[str, Query(max_length=20)] = "") -> Response:
    return _credential_page(request, runtime, access, slug, credential_id,
                            done=done if done in CREDENTIAL_DONE else None)


@router.post("/workspace/{slug}/activity/resend", response_class=HTMLResponse)
def resend(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
           credential_id: Annotated[str, Form(max_length=2048)] = "",
           message_id: Annotated[int, Form()] = 0,
           to: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        messages.send_again(runtime, actor=access, organisation=slug, message_id=message_id,
                            to=to)
    except InputError as exc:
        return _credential_page(request, runtime, access, slug, credential_id,
                                status_code=422, problem=problem_of(request, exc), to=to)
    return see_other(credential_url(slug, credential_id, done="resent"))


# --- notices ---------------------------------------------------------------------------------


def _notices_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
                  status_code: int = 200, problem: FormProblem | None = None,
                  done: str | None = None, values: dict[str, str] | None = None,
                  sent: dict[str, int] | None = None) -> HTMLResponse:
    frame = _frame(runtime, access, slug)
    chosen = notices.settings(runtime, actor=access, organisation=slug)
    shown = values or {"reminder": str(chosen.claim_reminder_days or ""),
                       "expiry": ", ".join(str(day) for day in chosen.expiry_days)}
    return page(request, "workspace_notices.html", status_code=status_code, problem=problem,
                done=done, values=shown, sent=sent or {}, settings=chosen,
                may_change=access.allows(Action.ORGANISATION_UPDATE, slug), **frame)


@router.get("/workspace/{slug}/notices", response_class=HTMLResponse)
def notices_page(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                 done: Annotated[str, Query(max_length=20)] = "",
                 reminders: Annotated[int, Query(ge=0)] = 0,
                 expiry: Annotated[int, Query(ge=0)] = 0) -> Response:
    return _notices_page(request, runtime, access, slug,
                         done=done if done in NOTICES_DONE else None,
                         sent={"reminders": reminders, "expiry": expiry})


@router.post("/workspace/{slug}/notices", response_class=HTMLResponse)
def save_notices(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                 reminder: Annotated[str, Form(max_length=20)] = "",
                 expiry: Annotated[str, Form(max_length=100)] = "") -> Response:
    try:
        notices.save_settings(runtime, actor=access, organisation=slug,
                              chosen=read_days(reminder=reminder, expiry=expiry))
    except InputError as exc:
        general = problem_of(request, exc)
        # The field's own words (which say what is wanted), not only that it was refused.
        text = (problem_said(exc.problems[0], i18n.negotiate(request).language, placed=False)
                if exc.problems else general.text)
        return _notices_page(request, runtime, access, slug, status_code=422,
                             problem=FormProblem(text, general.field, 422),
                             values={"reminder": reminder, "expiry": expiry})
    return see_other(f"/workspace/{slug}/notices?done=saved")


@router.post("/workspace/{slug}/notices/send")
def send_notices(slug: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    sent = notices.send_due(runtime, actor=access, organisation=slug)
    return see_other(f"/workspace/{slug}/notices?" + urlencode({
        "done": "sent", "reminders": sent["reminders"], "expiry": sent["expiry_notices"]}))
