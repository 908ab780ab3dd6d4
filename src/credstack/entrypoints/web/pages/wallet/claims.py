"""``GET /claim/{credential_id}`` — the claim link of a credential's e-mail.

It counts that the link was followed (unless a chat app or a scanner fetched it for a
preview; nothing about who followed it) and then answers by who is looking
(:func:`credstack.services.wallet.claims.claim`):

* nobody signed in: the page names the credential and its issuer, and offers to sign in or
  make an account, each coming back here;
* the learner it was sent to: on to the credential's page in their wallet, where it now is;
* someone else: the page says it was sent to another address and offers to switch account
  (sign out, then sign in and back here); their wallet is neither shown nor given it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from credstack.core.activity.events import Channel, Kind
from credstack.core.activity.visitors import fetched_for_a_preview
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.signed_in import web_user
from credstack.entrypoints.web.pages.wallet.views import page, see_other
from credstack.errors import NotFoundError
from credstack.services import counting
from credstack.services.wallet import claims
from credstack.settings import Settings

router = APIRouter(include_in_schema=False)


@router.get("/claim/{credential_id:path}")
async def claim_link(credential_id: str, request: Request, runtime: RuntimeDep,
                     access: AccessDep, back: Annotated[str | None, Query()] = None
                     ) -> Response:
    """The e-mail's claim link: counted, then the credential for whoever follows it.
    ``back``: the learner came back from signing in or up (the link's opening was counted
    when they first followed it)."""
    if back is None and not fetched_for_a_preview(request.headers.get("user-agent")):
        await run_in_threadpool(counting.count_event, runtime, credential_id=credential_id,
                                kind=Kind.OPENED, channel=Channel.LINK)
    here = "/claim/" + quote(credential_id, safe=":")
    try:
        found = await run_in_threadpool(claims.claim, runtime, actor=access,
                                        credential_id=credential_id)
    except NotFoundError:
        return page(request, "wallet_claim.html", status_code=404, claim=None, here=here)
    if found.claimant is claims.Claimant.RECIPIENT and web_user(access):
        return see_other(f"/wallet/credentials/{found.held}" if found.held else "/wallet")
    settings: Settings = request.app.state.settings
    return page(request, "wallet_claim.html", claim=found, here=here,
                back=quote(f"{here}?back=1", safe=""), sign_up_open=settings.sign_up_open,
                someone_else=found.claimant is claims.Claimant.SOMEONE_ELSE
                and web_user(access))
