"""The authorization endpoint: where a learner lets an application into their wallet.

``GET /oauth/authorize?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…
&code_challenge=…&code_challenge_method=S256`` — a signed-in learner (anyone else is sent to
sign in and back) sees which application asks (its name, its site, where the answer goes)
for what (each scope in words, and what any ``authorization_details`` ask for), and answers
with one of two buttons of a plain form (no script needed; its CSRF token is the session's).
The form posts back to the same address (``POST /oauth/authorize``): *Allow* sends the
learner to the application with a code, *Deny* with ``access_denied``.

A request with an unknown client or a redirect URI that is not exactly a registered one is
shown to the learner as an error page and never redirected (RFC 6749 §4.1.2.1); any other
fault goes back to the application as an error on its redirect URI. Everything is audited by
the service (:mod:`credstack.services.oauth.service`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from credstack.entrypoints.web.api.oauth import as_response, http_request
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.rendering import error_page, render
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.services.oauth import server as endpoints
from credstack.services.oauth import service as oauth
from credstack.services.oauth.requests import HttpResponse

router = APIRouter(include_in_schema=False)

#: The consent page is the learner's own, and its form carries the request: never cached,
#: never framed by another site (a hidden frame could make the learner click Allow).
HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY",
           "Content-Security-Policy": "frame-ancestors 'none'"}


def _answer(request: Request, answer: HttpResponse) -> Response:
    """A redirect to the application, or the error page for a request that may not be sent
    back to it."""
    if answer.location is not None:
        return as_response(answer)
    body = answer.json()
    detail = str(body.get("error_description") or body.get("error") or "")
    page = error_page(request, 400, "This application's request cannot be answered",
                      "このアプリケーションの要求には応えられません",
                      f"{detail} ({body.get('error', 'invalid_request')})")
    page.headers.update(HEADERS)
    return page


@router.get(endpoints.AUTHORIZATION_PATH)
async def authorize(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    asked = await http_request(request, runtime)
    consent = await run_in_threadpool(oauth.consent, runtime, actor=access, request=asked)
    if isinstance(consent, HttpResponse):
        return _answer(request, consent)
    query = request.url.query
    response = render(request, "oauth_consent.html", section="account", consent=consent,
                      action=f"{endpoints.AUTHORIZATION_PATH}?{query}")
    response.headers.update(HEADERS)
    return response


@router.post(endpoints.AUTHORIZATION_PATH)
async def decide(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    form = await request.form()
    decision = form.get("decision")
    # Only the learner's answer is read from the form: the request itself is the address's.
    asked = await http_request(request, runtime, form={})
    answer = await run_in_threadpool(oauth.decide, runtime, actor=access, request=asked,
                                     allow=decision == "allow")
    return _answer(request, answer)

