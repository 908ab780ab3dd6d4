"""What an LMS and its people reach of credstack as an LTI 1.3 tool.

* ``GET|POST /lti/login`` — the OIDC third-party-initiated login: on to the LMS's
  authorization endpoint with a fresh state and nonce, the state kept in the browser in a
  cookie of its own (:func:`keep_state`) — and, when the LMS offers its storage
  (``lti_storage_target``, LTI Client Side postMessages), in the LMS's window too, by a page
  whose script (``static/lti-storage.js``) asks it to keep it, then goes on.
* ``POST /lti/launch`` — the launch (``id_token``, ``state``), accepted only with the cookie
  of its state (a launch posted from another browser is refused) or, without it, with the
  state the LMS's storage kept, read back by a page of credstack's and posted again from its
  own origin: an instructor's deep linking
  request gets the page to choose a programme and its rule; a resource link launch, the
  launched person's progress (and the awards job started, at most once a minute per link)
  and, once issued, their credential's OID4VCI offer (a QR code and a link).
* ``POST /lti/deep-link`` — the instructor's choice: a form that posts the signed content
  item back to the LMS. ``GET /lti/progress/{launch}`` shows the progress again (and
  ``…/offer.svg`` its offer's QR code);
  ``POST /lti/issue-now`` (an instructor's launch) starts the awards job now.
* ``GET|POST /lti/connect/{launch}?token=…`` — the launched learner, signed in, links their
  LMS account to their credstack account with the launch's connect token (only the page that
  answered the launch carries it, and its "see the latest" link passes it on); the awards of
  the course links where they met the rule but had no address run again.
  ``POST /account/lti/{id}/unlink`` undoes the link.
* ``GET /lti/jwks`` — the tool's JWK set. ``GET /lti/register/{slug}/{token}`` — LTI Dynamic
  Registration started from the LMS with a registration URL an administrator of the
  organisation made (single use, expiring; refusals limited per address and organisation),
  stored for the organisation's approval; ``/lti/register/{slug}`` without a token is refused.

Launch pages are shown inside the LMS's frame: their policy lets the LMS's origin frame
them and, for the deep linking answer, lets the form go to the LMS. A refused launch is a
page saying why (the service audited it).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from credstack.core.lti.awarding import Rule
from credstack.core.lti.launches import DEEP_LINKING
from credstack.core.types import whole_number
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import problem_said
from credstack.entrypoints.web.ids import PathId
from credstack.entrypoints.web.pages.rendering import error_page, render
from credstack.entrypoints.web.pages.signed_in import WebUserDep, see_other
from credstack.entrypoints.web.problems import detail_of
from credstack.errors import (
    AccessDeniedError,
    ConflictError,
    CredstackError,
    KeyStoreError,
    NotFoundError,
    RateLimitedError,
)
from credstack.services import lti
from credstack.services.background.lti import start_awards, start_on_launch
from credstack.services.oid4vci.offers import qr_svg
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]

#: The cookie that binds a login's state to the browser that started it (one per login, so
#: that two links launched at once in one LMS page do not overwrite each other's), and its
#: plain-HTTP fallback.
STATE_COOKIE = "credstack-lti-state-"
LAX_STATE_COOKIE = "credstack-lti-lax-"
#: A launch follows its login within seconds; ten minutes allow a slow LMS.
STATE_LIFETIME = 600


def keep_state(response: Response, state: str, *, https: bool) -> None:
    """Keep ``state`` in the browser until it posts the launch: HttpOnly, short-lived, sent
    to the launch URL only.

    The launch is a cross-site POST from the LMS, which a browser sends a cookie with only
    when it is ``SameSite=None`` — and so ``Secure``. Over plain HTTP browsers still keep a
    ``Secure`` cookie from ``localhost`` (a trustworthy origin), but from no other host; so
    there a second, ``SameSite=Lax`` cookie is kept too, which a launch from an LMS on the
    same site carries (and a client that keeps no ``Secure`` cookie over HTTP)."""
    response.set_cookie(STATE_COOKIE + state, state, max_age=STATE_LIFETIME,
                        path="/lti/launch", httponly=True, secure=True, samesite="none")
    if not https:
        response.set_cookie(LAX_STATE_COOKIE + state, state, max_age=STATE_LIFETIME,
                            path="/lti/launch", httponly=True, samesite="lax")


def _kept_state(request: Request, state: str) -> str | None:
    return request.cookies.get(STATE_COOKIE + state) or request.cookies.get(
        LAX_STATE_COOKIE + state)


def _forget_state(response: Response, state: str) -> None:
    response.delete_cookie(STATE_COOKIE + state, path="/lti/launch", httponly=True,
                           secure=True, samesite="none")
    response.delete_cookie(LAX_STATE_COOKIE + state, path="/lti/launch", httponly=True,
                           samesite="lax")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


_Page = TypeVar("_Page", bound=Response)


def _framed(response: _Page, *, frame: str, form_to: str | None = None) -> _Page:
    """The page's policy, letting ``frame`` (the LMS) frame it and a form go to ``form_to``."""
    actions = "'self'" + (f" {_origin(form_to)}" if form_to else "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"object-src 'none'; base-uri 'none'; form-action {actions}; "
        f"frame-ancestors 'self' {_origin(frame)}")
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(request: Request, error: CredstackError) -> Response:
    status = (403 if isinstance(error, AccessDeniedError)
              else 404 if isinstance(error, NotFoundError)
              else 409 if isinstance(error, ConflictError)
              else 401 if error.slug in ("authentication-required", "invalid-token") else 422)
    if isinstance(error, RateLimitedError):
        status = 429
    problem = error.problems[0] if error.problems else None
    detail = (f"{problem_said(problem, 'en', placed=False)} / "
              f"{problem_said(problem, 'ja', placed=False)}"
              if problem and (problem.code or problem.message_ja) else detail_of(error))
    page = error_page(request, status, error.title_en, error.title_ja, detail)
    if isinstance(error, RateLimitedError):
        page.headers["Retry-After"] = str(error.retry_after)
    return page


@router.api_route("/lti/login", methods=["GET", "POST"])
async def login(request: Request, runtime: RuntimeDep) -> Response:
    values: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        values |= {key: value for key, value in (await request.form()).items()
                   if isinstance(value, str)}
    try:
        found = await run_in_threadpool(
            lti.login, runtime, issuer=str(values.get("iss", "")),
            login_hint=str(values.get("login_hint", "")),
            target_link_uri=str(values.get("target_link_uri", "")),
            lti_message_hint=values.get("lti_message_hint"),
            client_id=values.get("client_id"))
    except CredstackError as error:
        return _refused(request, error)
    target = _storage_target(values.get("lti_storage_target"))
    if target is None:
        response: Response = RedirectResponse(found.redirect, status_code=302,
                                              headers={"Cache-Control": "no-store"})
    else:
        # The LMS offers its storage: the state is kept there too (a framed page whose
        # browser blocks third-party cookies keeps no cookie), by the page's script.
        origin = _origin(found.redirect)
        response = _framed(render(request, "lti_storage.html", launch=None, target=target,
                                  origin=origin, key=_storage_key(found.state),
                                  value=found.state, redirect=found.redirect), frame=origin)
    keep_state(response, found.state, https=runtime.settings.secure_cookies)
    return response


#: ``lti_storage_target``: ``_parent`` or the name of a frame of the LMS's window.
_TARGET = re.compile(r"[\w.-]{1,100}")


def _storage_target(value: Any) -> str | None:
    """The LMS's storage frame its login or launch names (LTI Client Side postMessages), if
    it names one."""
    return value if isinstance(value, str) and _TARGET.fullmatch(value) else None


def _storage_key(state: str) -> str:
    return "credstack_state_" + state.partition(".")[0]


def _connect_token(runtime: Runtime, launch: str) -> str | None:
    """The launch's connect token (none without the key store's master key: the page then
    says to open the link again rather than offer a link that cannot be made)."""
    try:
        return lti.connect_token(runtime, launch=launch)
    except KeyStoreError:
        return None


def _progress_page(request: Request, runtime: Runtime, launch: str | lti.Verified, *,
                   job: str | None = None, connect: str | None = None) -> HTMLResponse:
    language = i18n.negotiate(request).language
    shown = lti.progress(runtime, launch=launch, language=language)
    offer = lti.offer_shown(runtime, progress=shown)
    expires = i18n.Translator(language).timestamp(offer.expires_at) if offer else None
    public_id = launch if isinstance(launch, str) else launch.public_id
    return _framed(render(request, "lti_launch.html", progress=shown, launch=public_id,
                          job=job, offer=offer, expires=expires, connect=connect),
                   frame=shown.issuer)


@router.post("/lti/launch", response_class=HTMLResponse)
def launch(request: Request, runtime: RuntimeDep, id_token: FormText = "",
           state: FormText = "", lti_storage_target: FormText = "",
           lti_storage_state: FormText = "") -> Response:
    kept = _kept_state(request, state)
    target = _storage_target(lti_storage_target)
    if kept is None and target is not None and state:
        if not lti_storage_state:
            # No cookie came (a framed page in a browser that blocks third-party cookies):
            # the page reads the state back from the LMS's storage and posts again.
            origin = lti.login_origin(runtime, state=state)
            if origin is not None:
                return _framed(render(request, "lti_storage.html", target=target,
                                      origin=origin, key=_storage_key(state),
                                      launch={"id_token": id_token, "state": state}),
                               frame=origin)
        elif request.headers.get("origin") == _origin(runtime.settings.public_url):
            # Posted by that page (its own origin: no other site can post as it), with what
            # the LMS's storage kept for this browser.
            kept = lti_storage_state
    response = _launched(request, runtime, id_token=id_token, state=state, kept=kept)
    if state:
        # The state is spent (or refused): its cookies have done their work.
        _forget_state(response, state)
    return response


def _launched(request: Request, runtime: Runtime, *, id_token: str, state: str,
              kept: str | None) -> Response:
    try:
        verified = lti.launch(runtime, id_token=id_token, state=state, browser_state=kept)
        claims = verified.launch
        if claims.message_type == DEEP_LINKING:
            found, offered = lti.choices(runtime, launch=verified.public_id,
                                         language=i18n.negotiate(request).language)
            return _framed(render(request, "lti_deep_link.html", launch=verified.public_id,
                                  course=found.context_title, choices=offered),
                           frame=claims.issuer)
        if verified.link is not None:  # (else the progress page refuses it: not ours)
            start_on_launch(runtime, link=verified.link)
        return _progress_page(request, runtime, verified,
                              connect=_connect_token(runtime, verified.public_id))
    except CredstackError as error:
        # Shown in the LMS's frame, which the refusal's page lets frame it when the state
        # names the LMS (any other page's policy forbids framing: the frame would be blank).
        origin = lti.login_origin(runtime, state=state) if state else None
        refused = _refused(request, error)
        return _framed(refused, frame=origin) if origin else refused


@router.post("/lti/deep-link", response_class=HTMLResponse)
def deep_link(request: Request, runtime: RuntimeDep, launch: FormText = "",
              programme: FormText = "", rule: FormText = "", line_item: FormText = "",
              minimum: FormText = "") -> Response:
    try:
        chosen = Rule(rule, line_item, float(minimum) if minimum.strip() else None)
        answer = lti.make_link(runtime, launch=launch, language=i18n.negotiate(request).language,
                               programme_id=-1 if (chosen_id := whole_number(programme)) is None
                               else chosen_id,
                               rule=chosen)
    except ValueError:
        return error_page(request, 422, "Invalid input", "入力が正しくありません",
                          "The minimum is a number. / 最低点は数値です。")
    except CredstackError as error:
        return _refused(request, error)
    return _framed(render(request, "lti_return.html", answer=answer),
                   frame=answer.return_url, form_to=answer.return_url)


@router.get("/lti/progress/{launch}", response_class=HTMLResponse)
def progress(launch: str, request: Request, runtime: RuntimeDep,
             connect: Annotated[str, Query(max_length=100)] = "") -> Response:
    try:
        kept = connect if connect and lti.valid_token(runtime, launch=launch,
                                                      token=connect) else None
        return _progress_page(request, runtime, launch, connect=kept)
    except CredstackError as error:
        return _refused(request, error)


@router.get("/lti/progress/{launch}/offer.svg")
def offer_qr(launch: str, request: Request, runtime: RuntimeDep) -> Response:
    """The launch page's offer as a QR code: an image of its own, drawn only when shown (a
    QR code takes longer to draw than the rest of the launch's answer)."""
    try:
        offer = lti.claim_offer(runtime, launch=launch)
    except CredstackError as error:
        return _refused(request, error)
    if offer is None:
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    return Response(qr_svg(offer.by_reference), media_type="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@router.post("/lti/issue-now", response_class=HTMLResponse)
def issue_now(request: Request, runtime: RuntimeDep, launch: FormText = "") -> Response:
    try:
        shown = lti.progress(runtime, launch=launch, language=i18n.negotiate(request).language)
        if not shown.instructor:
            raise AccessDeniedError("Only an instructor may ask to issue now. / 今すぐ発行できる"
                                    "のは教員だけです。")
        job = start_awards(runtime, link=shown.link, now=True,
                           key=f"now:{runtime.now().isoformat(timespec='seconds')}")
        return _progress_page(request, runtime, launch, job=job.public_id)
    except CredstackError as error:
        return _refused(request, error)


@router.get("/lti/connect/{launch}", response_class=HTMLResponse)
def connect_form(launch: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                 token: Annotated[str, Query(max_length=100)] = "") -> Response:
    """The learner, signed in (in a window of its own: the LMS's frame keeps no session),
    confirms the link of their LMS account to this one."""
    try:
        shown = lti.progress(runtime, launch=launch, language=i18n.negotiate(request).language)
    except CredstackError as error:
        return _refused(request, error)
    response = render(request, "lti_connect.html", progress=shown, launch=launch, token=token,
                      email=access.principal.email if access.principal else "")
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/lti/connect/{launch}")
def connect(launch: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
            token: FormText = "") -> Response:
    try:
        linked = lti.link_identity(runtime, actor=access, launch=launch, token=token)
        # The learner met these links' rules with no address to issue to: now there is one.
        moment = runtime.now().isoformat(timespec="seconds")
        for link in linked.to_award:
            start_awards(runtime, link=link, key=f"linked:{linked.identity.id}:{moment}",
                         now=True)
    except CredstackError as error:
        return _refused(request, error)
    return see_other("/account?done=" + ("lti-linked-moved" if linked.delivered
                                         else "lti-linked"))


@router.post("/account/lti/{identity}/unlink")
def unlink(identity: PathId, runtime: RuntimeDep, access: WebUserDep) -> Response:
    lti.unlink_identity(runtime, actor=access, identity=identity)
    return see_other("/account?done=lti-unlinked")


@router.get("/lti/jwks")
def jwks(runtime: RuntimeDep) -> Response:
    return JSONResponse(lti.jwks(runtime), headers={"Cache-Control": "max-age=300"})


@router.get("/lti/register/{slug}", response_class=HTMLResponse)
@router.get("/lti/register/{slug}/{token}", response_class=HTMLResponse)
def register(slug: str, request: Request, runtime: RuntimeDep, token: str = "",
             openid_configuration: Annotated[str, Query(max_length=2000)] = "",
             registration_token: Annotated[str | None, Query(max_length=4000)] = None
             ) -> Response:
    try:
        platform = lti.register_dynamic(runtime, organisation=slug, token=token,
                                        configuration_url=openid_configuration,
                                        registration_token=registration_token,
                                        ip=client_ip(request))
    except CredstackError as error:
        return _refused(request, error)
    return _framed(render(request, "lti_registered.html", platform=platform),
                   frame=platform.issuer)
