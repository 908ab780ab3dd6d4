"""The pages of accounts: sign in, sign out, and one's own account (password, TOTP, API
clients).

Plain forms that work without JavaScript. Signing in is protected against login CSRF by a
short-lived cookie (``credstack_signin``, ``SameSite=Lax``) whose value the form repeats:
another site can post the form but cannot read or send that cookie. Every other form here
is cookie-authenticated and carries the session's CSRF token (checked by
:data:`~credstack.entrypoints.web.access.AccessDep`). Pages about the account are never cached.
``next`` after signing in is followed only to a path on this site.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.access import (
    DESCRIPTIONS,
    PLATFORM,
    ROLE_NAMES,
    Action,
    Actor,
    Membership,
    Role,
    homes,
    usable_scopes,
)
from credstack.core.sso import discovery
from credstack.demo.accounts import DEMO_PASSWORD, demo_accounts
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import (
    SESSION_COOKIE,
    Access,
    AccessDep,
    clear_session_cookie,
    client_ip,
    set_session_cookie,
)
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.rendering import render

# The signed-in user of a page of one's own, where the other pages have always found it.
from credstack.entrypoints.web.pages.signed_in import NO_STORE as NO_STORE
from credstack.entrypoints.web.pages.signed_in import SignInFirst as SignInFirst
from credstack.entrypoints.web.pages.signed_in import WebUserDep as WebUserDep
from credstack.entrypoints.web.pages.signed_in import see_other as see_other
from credstack.entrypoints.web.pages.signed_in import to_sign_in as to_sign_in
from credstack.entrypoints.web.pages.signed_in import web_user as web_user
from credstack.entrypoints.web.pages.wallet.views import row_of
from credstack.errors import (
    AccessDeniedError,
    AccountDisabledError,
    AuthenticationRequiredError,
    ConflictError,
    InputError,
    RateLimitedError,
)
from credstack.services import lti
from credstack.services.accounts import clients, passkeys, passwords, sessions, sign_in, totp
from credstack.services.accounts import service as accounts
from credstack.services.registrar import records as registrar_records
from credstack.services.runtime import Runtime
from credstack.services.sso import providers, saml
from credstack.services.wallet import archive
from credstack.services.wallet import credentials as wallet
from credstack.settings import Settings

router = APIRouter(include_in_schema=False)

SIGNIN_COOKIE = "credstack_signin"
#: What ``/account?done=…`` may announce.
#: How many of the newest credentials the account page lists (the wallet has them all).
WALLET_SHOWN = 5
DONE = frozenset({"totp-on", "totp-off", "client-revoked", "password-changed", "lti-linked",
                  "lti-linked-moved", "lti-unlinked", "passkey-added", "passkey-removed",
                  "recovered"})

FormText = Annotated[str, Form()]
#: Where a person lands after signing in unless they were going somewhere: their roles'
#: home (:func:`credstack.core.access.homes.home`).
HOME = "/home"


#: The campus sign-in's cookie of the path to go on to (``pages.sso``), for its paths only.
NEXT_COOKIE = "credstack-sso-next"
SSO_PATHS = "/sso/"


def safe_next(value: str | None) -> str:
    """``value`` if it is a path on this site, else ``/home``, the signed-in person's home (no
    open redirects)."""
    if (not value or not value.startswith("/") or value.startswith("//")
            or "\\" in value or any(ord(c) < 0x20 for c in value)):
        return HOME
    return value


def page(request: Request, template: str, *, status_code: int = 200, **context: Any
         ) -> HTMLResponse:
    """An account page (never cached)."""
    response = render(request, template, section="account", status_code=status_code,
                      **context)
    response.headers.update(NO_STORE)
    return response


#: How many forms of one kind a browser may hold open at once (tabs): each form's nonce
#: stays good until that form is used, or until this many newer forms push it out.
OPEN_FORMS = 8


def _outstanding(request: Request, name: str) -> list[str]:
    return [nonce for nonce in request.cookies.get(name, "").split(".") if nonce]


def _keep_nonces(response: Response, request: Request, *, name: str, path: str,
                 nonces: list[str]) -> None:
    if not nonces:
        response.delete_cookie(name, path=path)
        return
    settings: Settings = request.app.state.settings
    response.set_cookie(name, ".".join(nonces[-OPEN_FORMS:]), max_age=3600, path=path,
                        httponly=True, samesite="lax", secure=settings.secure_cookies)


def set_nonce_cookie(response: Response, request: Request, *, name: str, path: str,
                     nonce: str) -> None:
    """Send the value a form repeats, so that no other site can post it (see the module's
    docstring), in the cookie ``name`` on ``path``, beside the nonces of the same browser's
    other open forms: a second tab's form does not void the first's."""
    nonces = [*_outstanding(request, name), nonce]
    _keep_nonces(response, request, name=name, path=path, nonces=nonces)


def nonce_matches(request: Request, *, name: str, presented: str) -> bool:
    """Whether ``presented`` is the nonce of one of this browser's open forms."""
    return bool(presented) and any(secrets.compare_digest(nonce.encode(), presented.encode())
                                   for nonce in _outstanding(request, name))


def spend_nonce(response: Response, request: Request, *, name: str, path: str,
                presented: str) -> None:
    """The form of ``presented`` has done its work: its nonce is good no more (a replay of
    the same post is refused), the other open forms keep theirs."""
    nonces = [nonce for nonce in _outstanding(request, name) if nonce != presented]
    _keep_nonces(response, request, name=name, path=path, nonces=nonces)


def role_rows(memberships: Iterable[Membership], *, language: str
              ) -> list[tuple[str | None, str]]:
    """(organisation, or None for the platform; the role's name) in ``language``, sorted."""
    pick = 0 if language == "ja" else 1
    return [(m.organisation if m.organisation != PLATFORM else None, ROLE_NAMES[m.role][pick])
            for m in sorted(memberships, key=lambda m: (m.organisation, m.role.value))]


def install(app: FastAPI) -> None:
    """Send whoever asks for a page of one's own without signing in to sign in first."""
    app.add_exception_handler(SignInFirst, to_sign_in)


# --- signing in and out ------------------------------------------------------------------


def _campus(request: Request, query: str, next_path: str) -> dict[str, Any]:
    """The sign-in page's "sign in with your institution": every enabled identity provider
    when there are few, else those the query finds (:mod:`credstack.core.sso.discovery`);
    each a link that starts the sign-in there and comes back to ``next_path``."""
    runtime: Runtime = request.app.state.runtime
    offered = providers.institutions(runtime)
    language = i18n.negotiate(request).language
    shown = offered if len(offered) < discovery.LISTED_WITHOUT_SEARCH \
        else discovery.matching(offered, query)
    follow = f"?{urlencode({'next': next_path})}" if next_path != HOME else ""
    return {"campus_offered": bool(offered),
            "campus_search": len(offered) >= discovery.LISTED_WITHOUT_SEARCH,
            "campus_query": query,
            "campus_results": [{"href": f"/sso/{i.slug}/start{follow}", "name": i.name,
                                "organisation": i.organisation_name(language)}
                               for i in shown]}


def _sign_in_page(request: Request, *, status_code: int = 200, email: str = "",
                  next_path: str = HOME, error: str | None = None,
                  retry_after: int | None = None, done: str | None = None,
                  institution: str = "") -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    settings: Settings = request.app.state.settings
    response = page(request, "sign_in.html", status_code=status_code, email=email,
                    **_campus(request, institution, next_path),
                    next_path=next_path, error=error, retry_after=retry_after, done=done,
                    signin_nonce=nonce, sign_up_open=settings.sign_up_open,
                    reset_by_email=settings.mail_reaches_people,
                    # Published on a demo server only: anyone may try every role there.
                    demo_accounts=demo_accounts() if settings.demo else (),
                    demo_password=DEMO_PASSWORD if settings.demo else None)
    set_nonce_cookie(response, request, name=SIGNIN_COOKIE, path="/sign-in", nonce=nonce)
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request,
                 next_path: Annotated[str | None, Query(alias="next")] = None,
                 done: Annotated[str | None, Query()] = None,
                 institution: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    return _sign_in_page(request, next_path=safe_next(next_path),
                         done=done if done == "password-set" else None,
                         institution=institution)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in_submit(request: Request, runtime: RuntimeDep, email: FormText = "",
                   password: FormText = "", code: FormText = "",
                   next_path: FormText = HOME, signin_nonce: FormText = "") -> Response:
    target = safe_next(next_path)
    if not nonce_matches(request, name=SIGNIN_COOKIE, presented=signin_nonce):
        return _sign_in_page(request, status_code=403, email=email, next_path=target,
                             error="accounts.error.form_expired")
    try:
        started = sign_in.sign_in(runtime, email=email, password=password,
                                  totp_code=code or None, ip=client_ip(request))
    except RateLimitedError as exc:
        response = _sign_in_page(request, status_code=429, email=email, next_path=target,
                                 error="accounts.error.locked", retry_after=exc.retry_after)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except AccountDisabledError:
        return _sign_in_page(request, status_code=403, email=email, next_path=target,
                             error="accounts.error.disabled")
    except AccessDeniedError:
        # The right password of a member whose organisation switched passwords off.
        return _sign_in_page(request, status_code=403, email=email, next_path=target,
                             error="accounts.error.passwords_off")
    except AuthenticationRequiredError:
        return _sign_in_page(request, status_code=401, email=email, next_path=target,
                             error="accounts.error.wrong")
    redirect = see_other(target)
    set_session_cookie(redirect, token=started.token, settings=runtime.settings)
    spend_nonce(redirect, request, name=SIGNIN_COOKIE, path="/sign-in", presented=signin_nonce)
    return redirect


def leave(request: Request, runtime: Runtime, *, actor: Actor, token: str, next_path: str
          ) -> Response | None:
    """The redirect carrying our LogoutRequest to the identity provider whose SAML sign-in
    made the session of ``token``, ``next_path`` kept for its answer (None: no such
    provider; the caller ends the session here in both cases)."""
    sent = saml.sign_out(runtime, actor=actor, token=token, ip=client_ip(request))
    if sent is None:
        return None
    # A page that moves on (a refresh and a link), not a redirect: the sign-out is a form's
    # post, and a page's form-action 'self' forbids its redirects to another site (Chromium
    # stayed on the page the person was on, the identity provider never asked).
    response = render(request, "sso_leaving.html", url=sent.url)
    response.set_cookie(NEXT_COOKIE, safe_next(next_path) if next_path else "/",
                        max_age=int(saml.STATE_LIFETIME.total_seconds()), path=SSO_PATHS,
                        httponly=True, secure=runtime.settings.secure_cookies, samesite="lax")
    response.headers.update(NO_STORE)
    return response


@router.post("/sign-out")
def sign_out(request: Request, runtime: RuntimeDep, access: AccessDep,
             next_path: FormText = "") -> Response:
    """Sign out, then home, or on to ``next_path`` (a claim's "switch account" goes on to sign
    in again, and back to the claim)."""
    token = request.cookies.get(SESSION_COOKIE)
    response = None
    if token and access.via == "session":
        # A SAML sign-in's session ends at the identity provider too (single logout): the
        # browser carries our LogoutRequest there first.
        response = leave(request, runtime, actor=access, token=token, next_path=next_path)
        sessions.sign_out(runtime, actor=access, token=token, ip=client_ip(request))
    if response is None:
        response = see_other(safe_next(next_path) if next_path else "/")
    clear_session_cookie(response, settings=runtime.settings)
    return response


@router.get("/home")
def home(runtime: RuntimeDep, access: WebUserDep) -> Response:
    """The signed-in person's home: issuing, the review queue, the wallet… (their roles'); a
    certificate office's registrar, the queue of document requests."""
    principal = access.principal
    assert principal is not None
    offices = registrar_records.offices(runtime, actor=access)
    return see_other(homes.home(principal, offices=offices))


# --- the account page --------------------------------------------------------------------


def _account_page(request: Request, runtime: Runtime, access: Access, *,
                  status_code: int = 200, **context: Any) -> HTMLResponse:
    user = accounts.me(runtime, actor=access).user
    assert user is not None  # web_user() let only a signed-in user through
    language = i18n.negotiate(request).language
    pick = 0 if language == "ja" else 1
    scope_labels = {action.value: DESCRIPTIONS[action][pick] for action in Action}
    values: dict[str, Any] = {
        "new_client": None, "renewed": False, "error": None, "error_field": None,
        "done": None, **context}
    # The learner's credentials, newest first (what was issued to them here arrives first).
    record = wallet.record(runtime, actor=access)
    t = i18n.Translator(language)
    return page(
        request, "account.html", status_code=status_code, user=user,
        wallet_totals=record.totals, wallet_held=len(record.items),
        wallet_rows=[row_of(item, t, record.now) for item in record.items[:WALLET_SHOWN]],
        memberships=role_rows(user.memberships, language=language),
        clients=clients.list_own_clients(runtime, actor=access),
        passkeys=passkeys.list_own(runtime, actor=access),
        lti_identities=lti.linked_identities(runtime, actor=access),
        scopes=sorted(usable_scopes(user.memberships)), scope_labels=scope_labels,
        administers=access.allows(Action.ACCOUNTS_MANAGE)
        or bool(user.principal().organisations(Role.PROVIDER_ADMIN)), **values)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, runtime: RuntimeDep, access: WebUserDep,
            done: Annotated[str | None, Query()] = None) -> Response:
    return _account_page(request, runtime, access, done=done if done in DONE else None)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(request: Request, runtime: RuntimeDep, access: WebUserDep,
                    current_password: FormText = "", new_password: FormText = "",
                    new_password_again: FormText = "") -> Response:
    if new_password != new_password_again:
        return _account_page(request, runtime, access, status_code=422,
                             error="accounts.error.password_again",
                             error_field="new_password_again")
    try:
        passwords.change_password(runtime, actor=access, current_password=current_password,
                                  new_password=new_password, ip=client_ip(request),
                                  keep_session=request.cookies.get(SESSION_COOKIE))
    except InputError as exc:
        field = exc.problems[0].location if exc.problems else "new_password"
        return _account_page(request, runtime, access, status_code=422,
                             error=password_error(field, exc), error_field=field)
    return see_other("/account?done=password-changed")


def password_error(field: str, exc: InputError) -> str:
    """The message key of a refused password: wrong current one, or the policy's problem."""
    if field == "current_password":
        return "accounts.error.current_password"
    problem = exc.problems[0].message if exc.problems else ""
    if problem.startswith("shorter"):
        return "accounts.error.password_short"
    if problem.startswith("longer"):
        return "accounts.error.password_long"
    return "accounts.error.password_email"


@router.get("/account/archive")
def wallet_archive(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    """The whole wallet as a ZIP archive, its README in the page's language (services:
    :func:`~credstack.services.wallet.archive.export_archive`)."""
    data = archive.export_archive(runtime, actor=access,
                                  language=i18n.negotiate(request).language)
    stamp = runtime.now().strftime("%Y%m%d")
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="credstack-wallet-{stamp}.zip"',
        "Cache-Control": "no-store"})


@router.post("/account/delete", response_class=HTMLResponse)
def delete_account(request: Request, runtime: RuntimeDep, access: WebUserDep,
                   email: FormText = "", password: FormText = "",
                   understand: FormText = "") -> Response:
    """Close the account and delete the wallet, once confirmed; then signed out."""
    if understand != "yes":
        return _account_page(request, runtime, access, status_code=422,
                             error="accounts.delete.unconfirmed", error_field="delete")
    try:
        archive.close_account(runtime, actor=access, email=email, password=password)
    except AccessDeniedError:
        return _account_page(request, runtime, access, status_code=422,
                             error="accounts.delete.wrong", error_field="delete")
    except ConflictError:
        return _account_page(request, runtime, access, status_code=409,
                             error="accounts.delete.kept", error_field="delete")
    response = page(request, "account_deleted.html")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/account/clients", response_class=HTMLResponse)
def create_client(request: Request, runtime: RuntimeDep, access: WebUserDep,
                  name: FormText = "", scope: Annotated[list[str] | None, Form()] = None
                  ) -> Response:
    try:
        created = clients.add_own_client(runtime, actor=access, name=name, scopes=scope or [])
    except InputError as exc:
        field = exc.problems[0].location if exc.problems else "scope"
        return _account_page(request, runtime, access, status_code=422,
                             error=f"accounts.error.client_{field}", error_field=field)
    return _account_page(request, runtime, access, new_client=created)


@router.post("/account/clients/{client_id}/secret", response_class=HTMLResponse)
def renew_client_secret(client_id: str, request: Request, runtime: RuntimeDep,
                        access: WebUserDep) -> Response:
    """A new secret for one of the user's clients (its old one ended, or not), shown once."""
    renewed = clients.renew_own_secret(runtime, actor=access, client_id=client_id)
    return _account_page(request, runtime, access, new_client=renewed, renewed=True)


@router.post("/account/clients/{client_id}/revoke")
def revoke_client(client_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep
                  ) -> Response:
    clients.revoke_own_client(runtime, actor=access, client_id=client_id)
    return see_other("/account?done=client-revoked")


# --- TOTP --------------------------------------------------------------------------------


@router.post("/account/totp")
def begin_totp(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    totp.begin(runtime, actor=access)
    return see_other("/account/totp")


@router.get("/account/totp", response_class=HTMLResponse)
def totp_page(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    enrolment = totp.pending(runtime, actor=access)
    if enrolment is None:
        return see_other("/account")
    return page(request, "account_totp.html", enrolment=enrolment, error=None)


@router.post("/account/totp/confirm", response_class=HTMLResponse)
def confirm_totp(request: Request, runtime: RuntimeDep, access: WebUserDep,
                 code: FormText = "") -> Response:
    try:
        totp.confirm(runtime, actor=access, code=code)
    except InputError:
        return page(request, "account_totp.html", status_code=422,
                    enrolment=totp.pending(runtime, actor=access),
                    error="accounts.error.code")
    return see_other("/account?done=totp-on")


@router.post("/account/totp/disable", response_class=HTMLResponse)
def disable_totp(request: Request, runtime: RuntimeDep, access: WebUserDep,
                 code: FormText = "") -> Response:
    try:
        totp.disable(runtime, actor=access, code=code)
    except InputError:
        return _account_page(request, runtime, access, status_code=422,
                             error="accounts.error.code", error_field="disable-code")
    return see_other("/account?done=totp-off")
