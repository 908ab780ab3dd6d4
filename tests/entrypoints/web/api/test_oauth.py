"""OAuth 2.0 client credentials over HTTP: tokens, scopes, errors, expiry, revocation."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import create_engine, text

from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.oauth import token_cache
from credstack.settings import Settings
from tests import patiently
from tests.accounts import (
    add_user,
    api_client,
    bearer_token,
    signed_in_client,
    token_response,
)
from tests.conftest import LiveServer, serve_with_key

EMAIL = "admin@example.org"
SCOPES = ["accounts:manage", "keys:manage", "programmes:write"]


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests: each has an owner, an organisation
    and an API client of its own (:func:`owner`), and touches no other's tokens; the tests of
    a token's lifetime and of the registration limit have a server of their own."""
    yield from serve_with_key(module_settings)


@dataclass(frozen=True)
class Owner:
    """The provider admin who owns the test's API client, and their organisation."""

    email: str
    organisation: str

    @property
    def members(self) -> str:
        return f"/api/organisations/{self.organisation}/members"


@pytest.fixture
def owner(live: LiveServer) -> Owner:
    unique = uuid.uuid4().hex[:12]
    made = Owner(f"admin-{unique}@example.org", f"org-{unique}")
    add_user(live.settings, made.email, roles=[(made.organisation, "provider-admin")])
    return made


@pytest.fixture
def client(live: LiveServer, owner: Owner) -> tuple[str, str]:
    return api_client(live.settings, owner.email, SCOPES)


def me(live: LiveServer, token: str) -> httpx.Response:
    return patiently.get(f"{live.url}/api/me", headers={"Authorization": f"Bearer {token}"})


def test_a_token_is_issued_for_the_client_credentials_grant(live, owner, client):
    """RFC 6749 §4.4: Bearer token, expires_in, scope, no-store; it identifies the client."""
    response = token_response(live.url, *client)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"].split() == SCOPES
    assert response.headers["cache-control"] == "no-store"
    who = me(live, body["access_token"]).json()
    assert who["subject"] == f"client:{client[0]}" and who["email"] == owner.email
    assert who["scopes"] == SCOPES


def test_client_authentication_in_the_form_body_works_too(live, client):
    """client_id and client_secret as form fields (RFC 6749 §2.3.1)."""
    response = patiently.post(f"{live.url}/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client[0], "client_secret": client[1]})
    assert response.status_code == 200


def test_a_requested_scope_narrows_the_token(live, owner, client):
    """scope=keys:manage gives a token with that scope alone, refused everything else."""
    token = bearer_token(live.url, *client, scopes=["keys:manage"])
    assert me(live, token).json()["scopes"] == ["keys:manage"]
    refused = patiently.get(f"{live.url}{owner.members}",
                            headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    assert "accounts:manage" in refused.json()["detail"]
    full = bearer_token(live.url, *client)
    allowed = patiently.get(f"{live.url}{owner.members}",
                            headers={"Authorization": f"Bearer {full}"})
    assert allowed.status_code == 200


@pytest.mark.parametrize("scope", ["credentials:issue accounts:manage", "audit:read",
                                   "everything"])
def test_scopes_beyond_the_client_are_invalid_scope(live, client, scope):
    """A scope the client was not given, or that does not exist: 400 invalid_scope."""
    response = patiently.post(f"{live.url}/oauth/token", auth=client,
                              data={"grant_type": "client_credentials", "scope": scope})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("credentials", ["wrong-secret", "unknown-client"])
def test_bad_client_credentials_are_invalid_client(live, client, credentials):
    """A wrong secret or an unknown client: 401 invalid_client with a Basic challenge."""
    auth = (client[0], "wrong") if credentials == "wrong-secret" else ("cs_nobody", client[1])
    response = patiently.post(f"{live.url}/oauth/token", auth=auth,
                              data={"grant_type": "client_credentials"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


def test_two_client_authentication_methods_at_once_are_refused(live, client):
    """HTTP Basic and form credentials together: invalid_client (RFC 6749 §2.3)."""
    response = patiently.post(f"{live.url}/oauth/token", auth=client, data={
        "grant_type": "client_credentials", "client_id": client[0], "client_secret": client[1]})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(("grant", "error"), [("password", "unsupported_grant_type"),
                                              ("authorization_code", "unauthorized_client"),
                                              ("refresh_token", "unauthorized_client"),
                                              (None, "invalid_request")])
def test_other_grants_are_refused(live, client, grant, error):
    """An API client gets client_credentials only: a grant the server does not know is 400
    unsupported_grant_type, one it serves to applications unauthorized_client (RFC 6749
    §5.2); none given: invalid_request."""
    data = {"grant_type": grant} if grant else {}
    response = patiently.post(f"{live.url}/oauth/token", auth=client, data=data)
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_an_expired_token_is_refused(settings):
    """After expires_in the token answers 401 invalid_token, saying it has expired (that the
    same token is accepted within its lifetime is every other test's premise: on a loaded
    machine, two seconds can pass before the first use, so this one does not time it)."""
    for live in serve_with_key(settings, token_ttl=2):
        add_user(live.settings, EMAIL, roles=[("hokuto-tech", "provider-admin")])
        issued = time.monotonic()
        token = bearer_token(live.url, *api_client(live.settings, EMAIL, SCOPES))
        time.sleep(max(0.0, issued + 2.5 - time.monotonic()))
        response = me(live, token)
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["www-authenticate"]
        assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_refused(live, client):
    """RFC 7009: after /oauth/revoke the token is refused; another token of the client is not."""
    token, other = bearer_token(live.url, *client), bearer_token(live.url, *client)
    revoked = patiently.post(f"{live.url}/oauth/revoke", auth=client, data={"token": token})
    assert revoked.status_code == 200
    assert me(live, token).status_code == 401
    assert me(live, other).status_code == 200
    # Unknown tokens are no error (RFC 7009 §2.2); a bad client is.
    assert patiently.post(f"{live.url}/oauth/revoke", auth=client,
                          data={"token": "nonsense"}).status_code == 200
    assert patiently.post(f"{live.url}/oauth/revoke", auth=(client[0], "wrong"),
                          data={"token": other}).status_code == 401
    assert me(live, other).status_code == 200


def test_a_token_in_use_is_refused_at_once_once_revoked(live, client):
    """A token that was just used (and kept as verified for a moment) is refused by the next
    request after /oauth/revoke."""
    token = bearer_token(live.url, *client)
    assert me(live, token).status_code == 200
    assert patiently.post(f"{live.url}/oauth/revoke", auth=client,
                          data={"token": token}).status_code == 200
    assert me(live, token).status_code == 401


def test_a_token_revoked_by_another_process_is_refused_within_the_moment(live, client):
    """A revocation this server did not make (another server, a command) is seen within
    token_cache.KEPT_SECONDS."""
    token = bearer_token(live.url, *client)
    assert me(live, token).status_code == 200
    # Another process's write: through an engine of its own, which this process's count of
    # its writes does not see.
    engine = create_engine(live.settings.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "UPDATE access_tokens SET revoked_at = expires_at WHERE client_id ="
                " (SELECT id FROM api_clients WHERE client_id = :client)"),
                {"client": client[0]})
    finally:
        engine.dispose()
    deadline = time.monotonic() + token_cache.KEPT_SECONDS + 0.5
    while me(live, token).status_code == 200:
        assert time.monotonic() < deadline, "the revoked token still works"
        time.sleep(0.05)
    assert me(live, token).status_code == 401


def test_tokens_of_a_revoked_client_are_refused(live, owner, client):
    """Revoking the client (by its owner, on the web) ends its tokens and its grants."""
    token = bearer_token(live.url, *client)
    assert me(live, token).status_code == 200
    with signed_in_client(live.url, owner.email) as web:
        assert web.delete(f"/api/me/clients/{client[0]}").status_code == 204
        assert web.get("/api/me/clients").json()[0]["revoked_at"] is not None
    assert me(live, token).status_code == 401
    assert token_response(live.url, *client).status_code == 401


def test_a_removed_role_narrows_new_tokens_and_old_ones(live, owner, client):
    """Scopes are checked against the owner's roles now: after losing provider-admin the
    client gets only what remains, and old tokens are refused by the roles check."""
    token = bearer_token(live.url, *client)
    assert patiently.get(f"{live.url}{owner.members}",
                         headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with open_runtime(settings=live.settings) as runtime:
        accounts.remove_role(runtime, actor=Operator("test"), email=owner.email,
                             organisation=owner.organisation, role="provider-admin")
    assert patiently.get(f"{live.url}{owner.members}",
                         headers={"Authorization": f"Bearer {token}"}).status_code == 403
    response = token_response(live.url, *client)
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("header", ["Bearer", "Bearer not-a-token", "Basic abc", "Token x"])
def test_a_bad_authorization_header_is_401_never_anonymous(live, client, header):
    """A malformed or unknown bearer token is refused with WWW-Authenticate, not ignored."""
    response = patiently.get(f"{live.url}/api/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert "invalid_token" in response.headers["www-authenticate"]


def test_bearer_requests_need_no_csrf_token(live, owner, client):
    """An API write with a bearer token needs no CSRF token."""
    add_user(live.settings, "staff@example.org")
    token = bearer_token(live.url, *client)
    response = patiently.post(f"{live.url}{owner.members}",
                              headers={"Authorization": f"Bearer {token}"},
                              json={"email": "staff@example.org", "role": "issuer"})
    assert response.status_code == 201, response.text


def test_tokens_cannot_create_api_clients(live, client):
    """API clients are made by their signed-in owner, not by a token."""
    token = bearer_token(live.url, *client)
    response = patiently.post(f"{live.url}/api/me/clients", json={"scopes": ["keys:manage"]},
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_a_client_gets_only_scopes_its_owner_can_use(live, owner, client):
    """Creating a client with a scope beyond the owner's roles is refused (422)."""
    with signed_in_client(live.url, owner.email) as web:
        refused = web.post("/api/me/clients", json={"scopes": ["audit:read"]})
        assert refused.status_code == 422
        created = web.post("/api/me/clients", json={"name": "robot",
                                                    "scopes": ["programmes:write"]})
        assert created.status_code == 201
        assert created.headers["cache-control"] == "no-store"
        secret = created.json()["client_secret"]
    token = bearer_token(live.url, created.json()["client_id"], secret)
    assert me(live, token).json()["scopes"] == ["programmes:write"]


def test_a_registration_past_the_hourly_limit_is_an_rfc7591_error_and_audited(settings):
    """The address's registrations past CREDSTACK_OAUTH_REGISTRATIONS_PER_HOUR are answered
    as RFC 7591 errors are (a JSON ``error`` and ``error_description``, never problem
    details), 429 with ``Retry-After`` and ``no-store``, and written to the audit log as an
    ``oauth.registration.refused`` with the address."""
    configured = dataclasses.replace(settings, oauth_registrations_per_hour=2)
    metadata = {"client_name": "Wallet", "redirect_uris": ["https://wallet.example/cb"],
                "scope": "wallet:read"}
    for live in serve_with_key(configured):
        answers = [patiently.post(f"{live.url}/oauth/register", json=metadata)
                   for _ in range(3)]
        assert [a.status_code for a in answers] == [201, 201, 429]
        limited = answers[-1]
        assert limited.headers["content-type"] == "application/json"
        body = limited.json()
        assert set(body) == {"error", "error_description"}, body
        assert body["error"] == "temporarily_unavailable"
        assert "registered 2 clients in the last hour" in body["error_description"]
        assert body["error_description"].isascii()
        assert int(limited.headers["Retry-After"]) > 0
        assert limited.headers["Cache-Control"] == "no-store"
        with open_runtime(settings=live.settings) as runtime, \
                runtime.transaction() as session:
            refused = [e for e in audit.entries(session, latest=True, limit=20)
                       if e.action == "oauth.registration.refused"]
        assert len(refused) == 1
        assert refused[0].details["ip"] == "127.0.0.1"
        assert refused[0].details["error"] == "temporarily_unavailable"
        assert refused[0].details["status"] == 429
