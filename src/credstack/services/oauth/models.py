"""Stored clients, codes and tokens as authlib's grants ask about them (its ``ClientMixin``,
``AuthorizationCodeMixin`` and ``TokenMixin``).

Two kinds of client share the token endpoint: the API clients of the client credentials
grant (:class:`ApiClient`, ``cs_…``, owned by a user, made on the account page or with
``credstack accounts client``) and the applications that registered themselves
(:class:`RegisteredClient`, RFC 7591), which act for the learner who consents.
"""

from __future__ import annotations

import datetime as dt
import hmac

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories.oauth import StoredClient, StoredCode, StoredToken
from credstack.core.oauth import registration
from credstack.core.oauth import scopes as scope_rules

#: How a confidential client may authenticate (RFC 7591 §2): either, whichever it registered.
SECRET_METHODS = frozenset({"client_secret_basic", "client_secret_post"})


def _secret_matches(stored: str | None, presented: str) -> bool:
    expected = stored if stored is not None else account_store.digest("")
    matches = hmac.compare_digest(expected, account_store.digest(presented))
    return matches and stored is not None


class ApiClient(ClientMixin):  # type: ignore[misc]
    """An API client of the client credentials grant."""

    kind = "api"

    def __init__(self, row: account_store.StoredApiClient) -> None:
        self.row = row
        self.key = row.id

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        return scope or ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return _secret_matches(self.row.secret_hash, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in SECRET_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class RegisteredClient(ClientMixin):  # type: ignore[misc]
    """An application that registered itself (RFC 7591) and acts for consenting learners."""

    kind = "registered"

    def __init__(self, row: StoredClient) -> None:
        self.row = row
        self.key = row.id

    @property
    def name(self) -> str:
        return self.row.name

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        # The Open Badges 3.0 profile requires redirect_uri in every authorization request.
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The requested scopes (all the registered ones when none is asked for), or None
        when one was not registered: refused as ``invalid_scope``, never narrowed silently."""
        registered = set(self.row.scope.split())
        requested = scope_rules.split(scope) or sorted(registered)
        if set(requested) - registered:
            return None
        return " ".join(requested)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """One of the registered URIs, character for character (RFC 9700 §4.1.1), but for a
        loopback redirect's port (RFC 8252 §7.3)."""
        return any(registration.redirect_uri_matches(registered, redirect_uri)
                   for registered in self.row.redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        return _secret_matches(self.row.secret_hash, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.row.auth_method == "none":
            return method == "none"
        return method in SECRET_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.row.grant_types.split()


class Code(AuthorizationCodeMixin):  # type: ignore[misc]
    """An authorization code being redeemed."""

    def __init__(self, row: StoredCode) -> None:
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scope


class Token(TokenMixin):  # type: ignore[misc]
    """A token of the authorization code or refresh token grant (or an extension's)."""

    def __init__(self, row: StoredToken, *, now: dt.datetime) -> None:
        self.row = row
        self.now = now

    def check_client(self, client: ClientMixin) -> bool:
        return isinstance(client, RegisteredClient) and client.key == self.row.client_id

    def get_scope(self) -> str:
        return self.row.scope

    def get_expires_in(self) -> int:
        return max(0, int((account_store.utc(self.row.expires_at) - self.now).total_seconds()))

    def is_expired(self) -> bool:
        return self.now >= account_store.utc(self.row.expires_at)

    def is_revoked(self) -> bool:
        return self.row.revoked_at is not None


class ApiToken(TokenMixin):  # type: ignore[misc]
    """A token of the client credentials grant (for revocation)."""

    def __init__(self, row: account_store.StoredAccessToken) -> None:
        self.row = row

    def check_client(self, client: ClientMixin) -> bool:
        return isinstance(client, ApiClient) and client.key == self.row.client_id

    def get_scope(self) -> str:
        return self.row.scopes

    def is_revoked(self) -> bool:
        return self.row.revoked_at is not None
