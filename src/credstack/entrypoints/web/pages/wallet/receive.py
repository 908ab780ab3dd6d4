"""Receiving another issuer's credential offer: ``GET/POST /wallet/receive``.

The learner pastes an ``openid-credential-offer://`` URI (and the transaction code the issuer
gave, when the offer asks for one); :func:`credstack.services.oid4vci.wallet.accept_offer`
runs the pre-authorised flow with the holder key and keeps the credential. The page then links
to the imported credential; what the service refuses is said in place in the page's language
(422, nothing stored). A form without JavaScript; CSRF-checked like every form.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import page, refusal_of
from credstack.errors import CredstackError
from credstack.services.oid4vci import wallet as oid4vci_wallet

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]


@router.get("/wallet/receive", response_class=HTMLResponse)
def form(request: Request, access: WebUserDep) -> Response:
    return page(request, "wallet_receive.html", offer="", problem=None, imported=None)


@router.post("/wallet/receive", response_class=HTMLResponse)
async def receive(request: Request, runtime: RuntimeDep, access: WebUserDep,
                  offer: FormText = "", tx_code: FormText = "") -> Response:
    language = i18n.negotiate(request).language
    try:
        imported = await run_in_threadpool(oid4vci_wallet.accept_offer, runtime,
                                           actor=access, uri=offer, tx_code=tx_code.strip() or None)
    except CredstackError as exc:
        return page(request, "wallet_receive.html", status_code=422, offer=offer,
                    problem=refusal_of(exc, language), imported=None)
    return page(request, "wallet_receive.html", offer="", problem=None, imported=imported)
