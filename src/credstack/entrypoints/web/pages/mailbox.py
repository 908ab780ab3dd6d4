"""``/mailbox``: the local mailbox of a demo or development server that sends no e-mail.

Like Mailpit's inbox, only here and only there (:attr:`~credstack.settings.Settings.
local_mailbox`): a signed-in person sees the e-mail to their own address; anyone else names
an address (the one they signed up with, before they have an account). Each message shows
its subject, the e-mail as the reader's mail program shows it (its HTML, framed from
``/mailbox/{id}``: :func:`~credstack.entrypoints.web.pages.rendering.mail_preview`),
its text and its links as they would have been sent. Elsewhere the page does not exist (404).
Never cached.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import NO_STORE, page, web_user
from credstack.entrypoints.web.pages.rendering import mail_preview
from credstack.services.mail import service as mail

router = APIRouter(include_in_schema=False)


@router.get("/mailbox", response_class=HTMLResponse)
def mailbox(request: Request, runtime: RuntimeDep, access: AccessDep,
            to: Annotated[str | None, Query(max_length=320)] = None) -> Response:
    own = access.principal.email if web_user(access) and access.principal else None
    address = (to or own or "").strip()
    # Asked even without an address, so that a server without a mailbox answers 404.
    messages = mail.mailbox(runtime, address=address)
    response = page(request, "mailbox.html", address=address, messages=messages)
    response.headers.update(NO_STORE)
    return response


@router.get("/mailbox/{message_id:int}", response_class=HTMLResponse)
def mailbox_message(message_id: int, runtime: RuntimeDep, access: AccessDep,
                    to: Annotated[str | None, Query(max_length=320)] = None) -> Response:
    own = access.principal.email if web_user(access) and access.principal else None
    html = mail.mailbox_html(runtime, address=(to or own or ""), message_id=message_id)
    return mail_preview(html)
