"""Asking a wallet for a credential, as a page: OID4VP 1.0 for an employer.

* ``GET /verifier`` — what it is, and a form (a note, optional; for a person who may issue an
  organisation's credentials, the organisation to sign the request as and how the wallet
  fetches it; for anyone, whether the answer is to come encrypted, ``direct_post.jwt``) to
  make a request;
* ``POST /verifier`` — makes the request (:func:`credstack.services.oid4vp.verifier
  .create_request`: one micro-credential, in whichever format the wallet holds it; unsigned
  by value, or signed by reference) and goes to its page;
* ``GET /verifier/requests/{id}`` — the request as a QR code (a link for a wallet app on the
  same device, and a link to send an applicant whose wallet is on this server, who answers at
  ``/wallet/answer``) until the wallet answers; then the outcome the one verifier reached and
  what was answered. Only whoever asked sees it.

Signed-in people only; plain forms without JavaScript (reloading the page shows the answer);
Japanese and English.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.rendering import render
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.services.oid4vci.offers import qr_data_uri
from credstack.services.oid4vp import verifier

router = APIRouter(include_in_schema=False)

_NO_STORE = {"Cache-Control": "no-store"}


@router.get("/verifier", response_class=HTMLResponse)
def ask(request: Request, access: WebUserDep) -> Response:
    response = render(request, "verifier_ask.html", section="verify", found=None,
                      organisations=verifier.signing_organisations(access))
    response.headers.update(_NO_STORE)
    return response


@router.post("/verifier")
def create(request: Request, runtime: RuntimeDep, access: WebUserDep,
           label: Annotated[str, Form(max_length=200)] = "",
           signed_as: Annotated[str, Form(max_length=64)] = "",
           request_uri_method: Annotated[Literal["get", "post"], Form()] = "get",
           did_method: Annotated[Literal["did:key", "did:web"], Form()] = "did:key",
           encrypted: Annotated[str, Form(max_length=8)] = "") -> Response:
    made = verifier.create_request(runtime, actor=access, label=label,
                                   signed_as=signed_as or None,
                                   request_uri_method=request_uri_method,
                                   did_method=did_method,
                                   response_mode="direct_post.jwt" if encrypted
                                   else "direct_post")
    return RedirectResponse(f"/verifier/requests/{made.public_id}", status_code=303,
                            headers=_NO_STORE)


@router.get("/verifier/requests/{public_id}", response_class=HTMLResponse)
def show(public_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep
         ) -> Response:
    found = verifier.result(runtime, actor=access, public_id=public_id)
    t = i18n.Translator(i18n.negotiate(request).language)
    waiting = found.responded_at is None
    # An applicant who keeps their credentials in this server's wallet answers on its page;
    # the employer sends them this link (by e-mail, a chat) instead of a QR code to scan.
    here = runtime.settings.public_url.rstrip("/")
    response = render(request, "verifier_ask.html", section="verify", found=found,
                      qr=qr_data_uri(found.uri) if waiting else None,
                      wallet_link=f"{here}/wallet/answer?{urlencode({'request': found.uri})}",
                      expires=t.timestamp(found.expires_at))
    response.headers.update(_NO_STORE)
    return response
