"""The grants of credstack's authorization server, on authlib's grant classes.

* :class:`AuthorizationCodeGrant` (RFC 6749 §4.1) with PKCE (:class:`S256Challenge`: S256
  only, required of every client) and ``state`` (required when credstack's own scopes are
  asked for; optional for OID4VCI's alone, which PKCE protects from CSRF): a code is
  single-use — it is marked used the moment it is presented, so a second presentation is a
  replay: refused, every token it gave revoked, audited (``oauth.code.replayed``). A code
  lives ten minutes and names its client and redirect URI.
* :class:`RefreshTokenGrant` (RFC 6749 §6) with rotation: each refresh token is exchanged
  once for a new pair; presenting an exchanged one again revokes the whole family
  (``oauth.refresh.replayed``, RFC 9700 §4.14.2).
* :class:`ClientCredentialsGrant` (RFC 6749 §4.4) for API clients, exactly as before it moved
  onto this server (:func:`credstack.services.accounts.clients.grant_token`).

Each grant stores through the request's :class:`~credstack.services.oauth.context.Context`
(``server.context``), in the one transaction the token endpoint opens.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import (
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
    UnauthorizedClientError,
)
from authlib.oauth2.rfc7636 import CodeChallenge

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import oauth as store
from credstack.core.oauth.scopes import OFFLINE_ACCESS
from credstack.errors import AuthenticationRequiredError, InputError
from credstack.services import access as refusals
from credstack.services import accounts as clients
from credstack.services import accounts as users
from credstack.services import audit
from credstack.services.oauth import tokens
from credstack.services.oauth.context import Context, ascii_description
from credstack.services.oauth.extensions import Learner
from credstack.services.oauth.models import ApiClient, Code, RegisteredClient, Token

#: Longest values read from an authorization request (RFC 6749 sets none; these are far
#: beyond what any client sends, and keep a request from filling the code's row).
MAX_STATE = 1024
MAX_DETAILS = 8192


class InvalidAuthorizationDetailsError(OAuth2Error):  # type: ignore[misc]
    """RFC 9396 §5: ``authorization_details`` that are malformed or of an unknown type."""

    error = "invalid_authorization_details"


def _context(grant: Any) -> Context:
    context: Context = grant.server.context
    return context


class S256Challenge(CodeChallenge):  # type: ignore[misc]
    """PKCE (RFC 7636) as the Open Badges 3.0 profile and RFC 9700 §2.1.1 want it: every
    authorization request carries a ``code_challenge`` with ``code_challenge_method=S256``;
    ``plain``, or no method (which RFC 7636 reads as ``plain``), is a downgrade, refused."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge and "
                                      "code_challenge_method=S256.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256 (plain, or no "
                                      "method, is refused).")
        super().validate_code_challenge(grant, redirect_uri)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic",
                                                        "client_secret_post", "none"]

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        data = self.request.payload.data
        try:
            if len(data.get("state") or "") > MAX_STATE:
                raise InvalidRequestError(f"state is longer than {MAX_STATE} characters.")
            if "state" not in data and self._state_required(data.get("scope")):
                raise InvalidRequestError("state is required.")
            self.request.authorization_details = self._details(
                data.get("authorization_details"))
            if self.request.authorization_details and not data.get("scope"):
                # RFC 9396 §2: authorization_details instead of a scope ask for what they
                # name, not also for the scope the client registered (authlib's default).
                self.request.scope = ""
            context = _context(self)
            for extension in context.extensions:
                if extension.check_authorization is not None:
                    # No learner yet for a pushed request: checked again on the consent page.
                    extension.check_authorization(context, data,
                                                  getattr(self.request, "user", None))
        except OAuth2Error as error:
            error.redirect_uri = redirect_uri
            raise
        return redirect_uri

    def _state_required(self, scope: object) -> bool:
        """Whether the request must carry ``state``: when it asks for any of credstack's own
        scopes, as the Open Badges 3.0 profile wants of its API (OB 3.0 §7.2.2). A request
        only for an extension's scopes or ``authorization_details`` (OID4VCI 1.0, which asks
        no ``state``, and whose wallets send none) is protected from CSRF by the PKCE every
        request carries (RFC 9700 §2.1)."""
        theirs = {name for extension in _context(self).extensions for name in extension.scopes}
        asked = scope.split() if isinstance(scope, str) else []
        if not asked:
            # Without a scope or authorization_details, what the client registered is granted:
            # credstack's own, maybe.
            return not self.request.payload.data.get("authorization_details")
        return any(name not in theirs for name in asked)

    def _details(self, value: str | None) -> list[dict[str, Any]] | None:
        """RFC 9396 ``authorization_details``: a JSON array of objects whose ``type`` an
        extension accepts, each checked by it."""
        if value is None:
            return None
        if len(value) > MAX_DETAILS:
            raise InvalidAuthorizationDetailsError(
                f"authorization_details is longer than {MAX_DETAILS} characters.")
        try:
            entries = json.loads(value)
        except ValueError as error:
            raise InvalidAuthorizationDetailsError(
                "authorization_details is not JSON.") from error
        if not isinstance(entries, list) or not entries or not all(
                isinstance(entry, dict) for entry in entries):
            raise InvalidAuthorizationDetailsError(
                "authorization_details must be a non-empty JSON array of objects.")
        checkers = {kind: check for extension in _context(self).extensions
                    for kind, check in extension.authorization_details.items()}
        kept = []
        for index, entry in enumerate(entries):
            check = checkers.get(entry.get("type"))
            if check is None:
                raise InvalidAuthorizationDetailsError(
                    f"authorization_details[{index}] has a type this server does not know.")
            try:
                kept.append(check(entry))
            except InputError as error:
                raise InvalidAuthorizationDetailsError(
                    f"authorization_details[{index}]: "
                    f"{ascii_description(error.message)}") from error
        return kept

    def save_authorization_code(self, code: str, request: Any) -> None:
        context = _context(self)
        data = request.payload.data
        extra: dict[str, Any] = {}
        if getattr(request, "authorization_details", None):
            extra["authorization_details"] = request.authorization_details
        for extension in context.extensions:
            for name in extension.authorization_parameters:
                if isinstance(data.get(name), str):
                    extra[name] = data[name]
        for extension in context.extensions:
            if extension.take_authorization is not None:
                try:
                    extension.take_authorization(context, data, request.user)
                except OAuth2Error as error:
                    error.redirect_uri = request.payload.redirect_uri
                    error.state = data.get("state")
                    raise
        client: RegisteredClient = request.client
        made = store.add_code(
            context.session, secret=code, client_id=client.key, user_id=request.user.id,
            redirect_uri=request.payload.redirect_uri, scope=request.scope,
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"], extra=extra or None,
            at=context.now, expires_at=context.now + tokens.CODE_TTL)
        audit.record(context.session, at=context.now, actor=f"user:{request.user.id}",
                     action="oauth.code.issued", subject=f"client:{client.get_client_id()}",
                     details={"scope": request.scope,
                              "redirect_uri": request.payload.redirect_uri, "code": made,
                              "ip": context.ip})

    def query_authorization_code(self, code: str, client: Any) -> Code:
        """The code, claimed for this request; a replay revokes what it gave (see the
        module)."""
        context = _context(self)
        row = store.code(context.session, code) if 0 < len(code) <= tokens.MAX_TOKEN else None
        if row is None:
            raise InvalidGrantError("The code is not known.")
        if not isinstance(client, RegisteredClient) or row.client_id != client.key:
            raise InvalidGrantError("The code was issued to another client.")
        if not store.claim_code(context.session, row, at=context.now):
            revoked = store.revoke_from_code(context.session, row.id, at=context.now)
            who = f"client:{client.row.client_id}"
            refusals.audit_refused(context.runtime, context.session, at=context.now,
                                   actor=who, action="oauth.code.replayed", subject=who,
                                   ip=context.ip, details={"code": row.id, "revoked": revoked,
                                                           "ip": context.ip})
            raise InvalidGrantError("The code was used already: every token it gave has been "
                                    "revoked.")
        if context.now >= account_store.utc(row.expires_at):
            raise InvalidGrantError("The code has expired (a code is valid for ten minutes).")
        return Code(row)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        """Codes are kept, marked used, so that a replay is recognised."""

    def authenticate_user(self, authorization_code: Code) -> Learner | None:
        owner = users.user_row(_context(self).session, authorization_code.row.user_id)
        return None if owner is None or owner.disabled else owner

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        context = _context(self)
        client: RegisteredClient = self.request.client
        code: Code = self.request.authorization_code
        owner = self.authenticate_user(code)
        if owner is None:
            raise InvalidGrantError("The learner's account has been disabled.")
        issued = tokens.issue(
            context.session, now=context.now, ttl=context.ttl, grant_type=self.GRANT_TYPE,
            scope=code.row.scope, client_key=client.key, client_id=client.get_client_id(),
            user_id=owner.id, code_id=code.row.id, extra=code.row.extra, ip=context.ip,
            refresh=client.check_grant_type("refresh_token")
            and OFFLINE_ACCESS in code.row.scope.split())
        return 200, token_response(context, issued), self.TOKEN_RESPONSE_HEADER


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic",
                                                        "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def validate_token_request(self) -> None:
        client = self._validate_request_client()
        self.request.client = client
        token = self._validate_request_token(client)
        self._validate_token_scope(token)
        context = _context(self)
        if not store.rotate(context.session, token.row, at=context.now):
            self._replayed(token)
        self.request.refresh_token = token

    def authenticate_refresh_token(self, refresh_token: str) -> Token:
        context = _context(self)
        row = (store.token_by_refresh(context.session, refresh_token)
               if 0 < len(refresh_token) <= tokens.MAX_TOKEN else None)
        if row is None:
            raise InvalidGrantError("The refresh token is not known.")
        token = Token(row, now=context.now)
        client = self.request.client
        if not token.check_client(client):
            raise InvalidGrantError("The refresh token was issued to another client.")
        if row.rotated_at is not None:
            self._replayed(token)
        if row.revoked_at is not None:
            raise InvalidGrantError("The refresh token has been revoked.")
        if row.refresh_expires_at is None or \
                context.now >= account_store.utc(row.refresh_expires_at):
            raise InvalidGrantError("The refresh token has expired.")
        return token

    def _replayed(self, token: Token) -> None:
        context = _context(self)
        revoked = store.revoke_family(context.session, token.row.family, at=context.now)
        who = self.request.client.get_client_id()
        refusals.audit_refused(context.runtime, context.session, at=context.now,
                               actor=f"client:{who}", action="oauth.refresh.replayed",
                               subject=f"client:{who}", ip=context.ip,
                               details={"family": token.row.family, "token": token.row.id,
                                        "revoked": revoked, "ip": context.ip})
        raise InvalidGrantError("The refresh token was used already: every token of this "
                                "authorization has been revoked.")

    def authenticate_user(self, refresh_token: Token) -> Learner | None:
        if refresh_token.row.user_id is None:
            return None
        owner = users.user_row(_context(self).session, refresh_token.row.user_id)
        return None if owner is None or owner.disabled else owner

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        context = _context(self)
        old: Token = self.request.refresh_token
        owner = self.authenticate_user(old)
        if owner is None:
            raise InvalidGrantError("The learner's account has been disabled.")
        client: RegisteredClient = self.request.client
        issued = tokens.issue(
            context.session, now=context.now, ttl=context.ttl, grant_type=self.GRANT_TYPE,
            scope=self.request.payload.scope or old.row.scope, client_key=client.key,
            client_id=client.get_client_id(), user_id=owner.id, refresh=True,
            family=old.row.family, code_id=old.row.code_id, extra=old.row.extra, ip=context.ip)
        return 200, token_response(context, issued), self.TOKEN_RESPONSE_HEADER


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]

    def validate_token_request(self) -> None:
        client = self.authenticate_token_endpoint_client()
        if not isinstance(client, ApiClient) or not client.check_grant_type(self.GRANT_TYPE):
            raise UnauthorizedClientError("This client may not use the client_credentials "
                                          "grant.")
        self.request.client = client

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        context = _context(self)
        client: ApiClient = self.request.client
        try:
            issued = clients.grant_token(context.session, client.row,
                                         scope=self.request.payload.scope, ip=context.ip,
                                         now=context.now, ttl=context.ttl)
        except AuthenticationRequiredError as error:
            raise InvalidClientError(status_code=401,
                                     description=ascii_description(error.message)) from error
        except InputError as error:
            raise InvalidScopeError(ascii_description(error.message)) from error
        return 200, {"access_token": issued.access_token, "token_type": "Bearer",
                     "expires_in": issued.expires_in, "scope": issued.scope}, \
            self.TOKEN_RESPONSE_HEADER


def token_response(context: Context, issued: tokens.Issued) -> dict[str, Any]:
    """A token response: the token's fields, the stored ``authorization_details`` (RFC 9396
    §7) and what the extensions add."""
    response = dict(issued.response)
    details = (issued.row.extra or {}).get("authorization_details")
    if details:
        response["authorization_details"] = details
    for extension in context.extensions:
        if extension.token_fields is not None:
            response.update(extension.token_fields(issued.row))
    return response
