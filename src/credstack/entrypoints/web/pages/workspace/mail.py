"""``/workspace/{slug}/mail``: the organisation's outbox — how many e-mails are waiting, sent,
failed or bounced, the latest ones with their last error, filtered by state — and the name
its e-mail is sent under (a form, for whoever may update the organisation).

``/workspace/{slug}/mail/{id}`` shows one message as its recipient reads it — its HTML as
the mail program shows it, framed from ``…/{id}/html``, and its text part with its links
followable — with a button that sends it again (``POST …/resend``, audited)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.access import Action
from credstack.core.mail import MailState
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.rendering import mail_preview
from credstack.entrypoints.web.pages.workspace.views import page, problem_of, see_other
from credstack.errors import InputError, NotFoundError
from credstack.services.mail import service as mail
from credstack.services.runtime import Runtime
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)

DONE: Final = frozenset({"sender"})
MESSAGE_DONE: Final = frozenset({"resent"})
#: Addresses in a message's text, shown as links.
_LINK: Final = re.compile(r"https?://[^\s<>\"']+")
#: The latest messages shown.
SHOWN: Final = 50


def mail_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
              state: MailState | None = None, status_code: int = 200,
              sender: str | None = None, **context: Any) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    outbox = mail.outbox(runtime, actor=access, organisation=slug, state=state, limit=SHOWN)
    chosen = mail.chosen_sender_name(runtime, actor=access, organisation=slug)
    values: dict[str, Any] = {"problem": None, "done": None, **context}
    return page(request, "workspace_mail.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="mail", outbox=outbox,
                states=list(MailState), state=state,
                sender=chosen if sender is None else sender,
                may_name=access.allows(Action.ORGANISATION_UPDATE, slug), **values)


@router.get("/workspace/{slug}/mail", response_class=HTMLResponse)
def outbox(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
           state: Annotated[str | None, Query(max_length=20)] = None,
           done: Annotated[str | None, Query()] = None) -> Response:
    # An unknown state is no filter (a hand-made link loses nothing but the filter).
    chosen = MailState(state) if state in {s.value for s in MailState} else None
    return mail_page(request, runtime, access, slug, state=chosen,
                     done=done if done in DONE else None)


@router.post("/workspace/{slug}/mail/sender", response_class=HTMLResponse)
def name_sender(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                name: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        mail.set_sender_name(runtime, actor=access, organisation=slug, name=name or None)
    except InputError as exc:
        problem = problem_of(request, exc)
        return mail_page(request, runtime, access, slug, status_code=problem.status,
                         sender=name, problem=problem)
    return see_other(f"/workspace/{slug}/mail?done=sender")


@router.get("/workspace/{slug}/mail/{message_id:int}", response_class=HTMLResponse)
def message_page(slug: str, message_id: int, request: Request, runtime: RuntimeDep,
                 access: WebUserDep, done: Annotated[str | None, Query()] = None) -> Response:
    found = home.home(runtime, actor=access, slug=slug)
    message = mail.shown(runtime, actor=access, organisation=slug, message_id=message_id)
    links = list(dict.fromkeys(_LINK.findall(message.text or "")))
    return page(request, "workspace_mail_message.html", slug=slug, home=found,
                sections=found.sections, here="mail", shown=message, links=links,
                done=done if done in MESSAGE_DONE else None)


@router.get("/workspace/{slug}/mail/{message_id:int}/html", response_class=HTMLResponse)
def message_html(slug: str, message_id: int, runtime: RuntimeDep, access: WebUserDep
                 ) -> Response:
    message = mail.shown(runtime, actor=access, organisation=slug, message_id=message_id)
    if message.html is None:
        raise NotFoundError(code="mailbox.refused.unwritable", params={"message_id": message_id})
    return mail_preview(message.html)


@router.post("/workspace/{slug}/mail/{message_id:int}/resend")
def resend(slug: str, message_id: int, runtime: RuntimeDep, access: WebUserDep) -> Response:
    mail.resend(runtime, actor=access, organisation=slug, message_id=message_id)
    return see_other(f"/workspace/{slug}/mail/{message_id}?done=resent")
