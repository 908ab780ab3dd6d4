"""credstack's OAuth 2.0 authorization server: authlib's, bound to one request's transaction.

authlib (``authlib.oauth2``) does the protocol work — parsing and checking each request,
client authentication, PKCE, the error responses of RFC 6749 §4.1.2.1 and §5.2 — and calls
back into credstack for storage and the audit log: :mod:`.grants` (the grants),
:mod:`.models` (clients, codes, tokens as authlib reads them), :mod:`.tokens` (issuing and
looking up tokens). authlib's framework integrations (Flask, Django) are not used: the web
adapter hands over an :class:`~.requests.HttpRequest` and gets an
:class:`~.requests.HttpResponse` back, which suits FastAPI and keeps the protocol below the
web layer.

A server is made for each request (:func:`server_for`), bound to a
:class:`~.context.Context`: the request's transaction, the time, the caller's address. That
keeps authlib's callbacks, which take no session, on the right transaction without any state
shared between requests; making one costs a few microseconds.

**Extending it.** Other protocols (OID4VCI) add grants, scopes and ``authorization_details``
types as an :class:`~.extensions.Extension`, which the composition root lists in the
runtime's ``oauth_extensions``: the protocols stand above this server and import it, not the
other way round.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import AuthorizationServer
from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidRequestError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7591 import (
    ClientMetadataClaims,
    ClientRegistrationEndpoint,
    InvalidClientMetadataError,
    InvalidRedirectURIError,
)

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import oauth as store
from credstack.core.oauth import registration, scopes
from credstack.errors import AuthenticationRequiredError, InputError
from credstack.services import accounts as clients
from credstack.services import audit
from credstack.services.oauth import grants, tokens
from credstack.services.oauth.context import Context, ascii_description
from credstack.services.oauth.extensions import Extension
from credstack.services.oauth.models import ApiClient, ApiToken, RegisteredClient, Token
from credstack.services.oauth.requests import HttpResponse, JsonRequest, Request

#: Where the endpoints are, under the public base URL.
AUTHORIZATION_PATH = "/oauth/authorize"
TOKEN_PATH = "/oauth/token"  # noqa: S105 (a path, not a password)
REVOCATION_PATH = "/oauth/revoke"
REGISTRATION_PATH = "/oauth/register"
PAR_PATH = "/oauth/par"
METADATA_PATH = "/.well-known/oauth-authorization-server"
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")


def supported_scopes(extensions: tuple[Extension, ...]) -> frozenset[str]:
    """What an application may ask a learner for."""
    return scopes.DELEGABLE | {scope for extension in extensions for scope in extension.scopes}


def describe_scope(scope: str, extensions: tuple[Extension, ...]) -> tuple[str, str]:
    for extension in extensions:
        if scope in extension.scopes:
            return extension.scopes[scope]
    return scopes.describe(scope)


class Server(AuthorizationServer):  # type: ignore[misc]
    """authlib's authorization server on credstack's store, for one request."""

    def __init__(self, context: Context, *, base_url: str) -> None:
        super().__init__(scopes_supported=sorted(supported_scopes(context.extensions)))
        self.context = context
        self.base_url = base_url
        self.register_grant(grants.AuthorizationCodeGrant, [grants.S256Challenge(required=True)])
        self.register_grant(grants.RefreshTokenGrant)
        self.register_grant(grants.ClientCredentialsGrant)
        for extension in context.extensions:
            for grant, grant_extensions in extension.grants:
                self.register_grant(grant, list(grant_extensions))
        self.register_endpoint(Revocation)
        self.register_endpoint(Registration)

    def query_client(self, client_id: str) -> ApiClient | RegisteredClient | None:
        if not client_id or len(client_id) > registration.MAX_TEXT:
            return None
        if client_id.startswith("cs_"):
            row = clients.usable_client(self.context.session, client_id)
            return ApiClient(row) if row is not None else None
        found = store.client(self.context.session, client_id)
        return RegisteredClient(found) if found is not None and found.revoked_at is None \
            else None

    def authenticate_client(self, request: Any, methods: Any, endpoint: str = "token") -> Any:
        """authlib's client authentication, then an API client whose secret has ended
        (its owner's password changed, their account disabled) refused as
        ``invalid_client``, saying why: the secret presented was right."""
        client = super().authenticate_client(request, methods, endpoint)
        if isinstance(client, ApiClient):
            try:
                clients.refuse_ended(client.row)
            except AuthenticationRequiredError as ended:
                raise InvalidClientError(
                    status_code=401, description=ascii_description(ended.message)) from ended
        return client

    def save_token(self, token: Mapping[str, Any], request: Any) -> None:
        """Each grant stores its tokens itself (:func:`.tokens.issue`)."""

    def create_oauth2_request(self, request: Any) -> Request:
        return request if isinstance(request, Request) else Request(request)

    def create_json_request(self, request: Any) -> JsonRequest:
        return request if isinstance(request, JsonRequest) else JsonRequest(request)

    def handle_response(self, status: int, body: Any, headers: Any) -> HttpResponse:
        return HttpResponse(status, body if isinstance(body, Mapping | str) else "",
                            tuple((str(name), str(value)) for name, value in headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """authlib's signals are not used: the grants audit what they do."""

    def metadata(self) -> dict[str, Any]:
        return metadata(self.base_url, self.context.extensions)


def metadata(base_url: str, extensions: tuple[Extension, ...]) -> dict[str, Any]:
    """RFC 8414 authorization server metadata."""
    grant_types = ["authorization_code", "refresh_token", "client_credentials",
                   *(grant.GRANT_TYPE for extension in extensions
                     for grant, _ in extension.grants)]
    document: dict[str, Any] = {
        "issuer": base_url,
        "authorization_endpoint": base_url + AUTHORIZATION_PATH,
        "token_endpoint": base_url + TOKEN_PATH,
        "registration_endpoint": base_url + REGISTRATION_PATH,
        # RFC 9126: offered (OID4VCI 1.0 §5.1.4 recommends it), not required of every client.
        "pushed_authorization_request_endpoint": base_url + PAR_PATH,
        "require_pushed_authorization_requests": False,
        "revocation_endpoint": base_url + REVOCATION_PATH,
        "scopes_supported": sorted(supported_scopes(extensions)),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": grant_types,
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "revocation_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "code_challenge_methods_supported": ["S256"],
        "ui_locales_supported": ["ja", "en"],
        "service_documentation": base_url + "/docs",
    }
    details = sorted({kind for extension in extensions
                      for kind in extension.authorization_details})
    if details:
        document["authorization_details_types_supported"] = details
    for extension in extensions:
        document.update(extension.metadata)
    return document


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    """RFC 7009 for every kind of token: an API client's, and a learner's authorization's
    (revoking a refresh token revokes its whole family, RFC 7009 §2.1)."""

    CLIENT_AUTH_METHODS: ClassVar[list[str]] = list(AUTH_METHODS)

    def query_token(self, token_string: str, token_type_hint: str | None
                    ) -> ApiToken | Token | None:
        context: Context = self.server.context
        if not 0 < len(token_string) <= tokens.MAX_TOKEN:
            return None
        if token_string.startswith(tokens.REFRESH_PREFIX):
            row = store.token_by_refresh(context.session, token_string)
        elif token_string.startswith(tokens.ACCESS_PREFIX):
            row = store.token_by_access(context.session, token_string)
        else:
            found = account_store.access_token(context.session, token_string)
            return ApiToken(found) if found is not None else None
        return Token(row, now=context.now) if row is not None else None

    def revoke_token(self, token: ApiToken | Token, request: Request) -> None:
        context: Context = self.server.context
        client = request.client
        if isinstance(token, ApiToken):
            assert isinstance(client, ApiClient)
            clients.revoke_held(context.session, client.row, token.row, ip=context.ip,
                                now=context.now)
            return
        refresh = request.form["token"].startswith(tokens.REFRESH_PREFIX)
        if refresh:
            revoked = store.revoke_family(context.session, token.row.family, at=context.now)
        else:
            revoked = int(token.row.revoked_at is None)
            token.row.revoked_at = token.row.revoked_at or context.now
        audit.record(context.session, at=context.now, actor=f"client:{client.get_client_id()}",
                     action="token.revoked", subject=f"client:{client.get_client_id()}",
                     details={"token": token.row.id, "family": token.row.family if refresh
                              else None, "revoked": revoked, "ip": context.ip})


class _Claims(ClientMetadataClaims):  # type: ignore[misc]
    """authlib's checks of the registered metadata, but for the redirect URIs: credstack's
    rules have checked them, and authlib's want a host, which a native app's private-use
    scheme (``com.example.wallet:/callback``, RFC 8252 §7.1) has none of."""

    def validate_redirect_uris(self) -> None:
        """Checked by :func:`credstack.core.oauth.registration.client_metadata`."""


class Registration(ClientRegistrationEndpoint):  # type: ignore[misc]
    """RFC 7591 dynamic registration, open to anyone (the Open Badges 3.0 profile wants no
    initial access token), with the profile's rules (:mod:`credstack.core.oauth.registration`).
    """

    def __init__(self, server: Any = None) -> None:
        super().__init__(server, claims_classes=[_Claims])

    def authenticate_token(self, request: JsonRequest) -> bool:
        return True

    def get_server_metadata(self) -> dict[str, Any]:
        metadata: dict[str, Any] = self.server.metadata()
        return metadata

    def extract_client_metadata(self, request: JsonRequest) -> dict[str, Any]:
        data = request.payload.data
        if not isinstance(data, Mapping) or not data:
            raise InvalidRequestError("The registration request must be a non-empty JSON "
                                      "object.")
        # The profile's rules first, so that a bad redirect URI is named as such (RFC 7591
        # §3.2.2 invalid_redirect_uri), then authlib's checks of the registered claims.
        try:
            checked = registration.client_metadata(
                data, scopes_supported=supported_scopes(self.server.context.extensions),
                default_scope=" ".join(sorted(scopes.DELEGABLE - {scopes.OFFLINE_ACCESS})))
        except registration.RedirectUriError as error:
            raise InvalidRedirectURIError(ascii_description(error.message)) from error
        except InputError as error:
            raise InvalidClientMetadataError(ascii_description(error.message)) from error
        super().extract_client_metadata(request)
        request.checked = checked
        return checked.to_dict()

    def generate_client_info(self, request: JsonRequest) -> dict[str, Any]:
        context: Context = self.server.context
        public = request.checked.token_endpoint_auth_method == "none"  # noqa: S105
        info: dict[str, Any] = {"client_id": "csc_" + secrets.token_urlsafe(16),
                                "client_id_issued_at": int(context.now.timestamp())}
        if not public:
            info.update(client_secret=secrets.token_urlsafe(32), client_secret_expires_at=0)
        return info

    def save_client(self, client_info: Mapping[str, Any], client_metadata: Mapping[str, Any],
                    request: JsonRequest) -> RegisteredClient:
        context: Context = self.server.context
        checked: registration.ClientMetadata = request.checked
        secret = client_info.get("client_secret")
        row = store.add_client(
            context.session, client_id=client_info["client_id"],
            secret_hash=account_store.digest(secret) if secret else None,
            name=checked.client_name, client_metadata=dict(client_metadata),
            redirect_uris=list(checked.redirect_uris), scope=checked.scope,
            grant_types=" ".join(checked.grant_types),
            auth_method=checked.token_endpoint_auth_method, registered_ip=context.ip,
            at=context.now)
        audit.record(context.session, at=context.now, actor="anonymous",
                     action="oauth.client.registered", subject=f"client:{row.client_id}",
                     details={"name": row.name, "redirect_uris": row.redirect_uris,
                              "scope": row.scope, "auth_method": row.auth_method,
                              "ip": context.ip})
        return RegisteredClient(row)


def server_for(context: Context, *, base_url: str) -> Server:
    return Server(context, base_url=base_url)
