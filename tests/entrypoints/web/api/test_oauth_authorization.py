"""The authorization code grant over HTTP, driven by authlib's own client: discovery,
registration, PKCE authorisation with the consent form posted as a browser posts it, tokens,
refresh rotation, revocation; and every bad request the specifications name, refused with
their error, nothing issued, the attempt in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests import patiently
from tests.accounts import PASSWORD, add_user, signed_in_client, store_session
from tests.conftest import Clock, LiveServer, at_own_url, serve
from tests.oauth import (
    APP,
    OB,
    REDIRECT_URI,
    authorization_url,
    consent,
    consent_form,
    fetch_token,
    metadata,
    oauth_client,
    query_of,
    register,
)

LEARNER = "learner@example.jp"
READ = OB + "credential.readonly"


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    # The module's tests register more clients from one address than an hour allows anyone.
    configured, port = at_own_url(module_settings,
                                  secret_key=module_settings.secret_key or new_master_key_text(),
                                  oauth_registrations_per_hour=1_000)
    add_user(configured, LEARNER)
    yield from serve(configured, port=port)


def actions(live: LiveServer, *, last: int = 30) -> list[str]:
    with store_session(live.settings) as session:
        return [entry.action for entry in audit.entries(session, latest=True, limit=last)]


def entries(live: LiveServer, action: str) -> list[dict[str, Any]]:
    with store_session(live.settings) as session:
        return [dict(entry.details) for entry in audit.entries(session, latest=True, limit=60)
                if entry.action == action]


def me(live: LiveServer, token: str) -> httpx.Response:
    return patiently.get(f"{live.url}/api/me", headers={"Authorization": f"Bearer {token}"})


def authorised(live: LiveServer, registered: dict[str, Any] | None = None, *,
               learner: str = LEARNER, **params: Any) -> tuple[dict[str, Any], Any, str, str]:
    """(registration, authlib client, the redirect with the code, the verifier)."""
    registered = registered or register(live.url)
    client = oauth_client(registered)
    url, verifier = authorization_url(live.url, client, **params)
    with signed_in_client(live.url, learner) as browser:
        location = consent(browser, url)
    return registered, client, location, verifier


def test_an_application_goes_from_discovery_to_a_token_with_authlib(server):
    """RFC 8414 → RFC 7591 → PKCE authorisation (consent posted as a browser) → token: a
    bearer token acting for the learner with the granted scopes, and a refresh token."""
    registered, client, location, verifier = authorised(server, scope=f"{READ} offline_access")
    assert registered["client_id"].startswith("csc_") and registered["client_secret"]
    assert registered["client_secret_expires_at"] == 0
    assert query_of(location)["state"] and query_of(location)["code"]
    token = fetch_token(server.url, client, location, verifier)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert token["scope"].split() == [READ, "offline_access"]
    assert token["refresh_token"].startswith("csr_")
    who = me(server, token["access_token"]).json()
    assert who["email"] == LEARNER and who["subject"] == f"client:{registered['client_id']}"
    assert {"oauth.client.registered", "oauth.code.issued", "token.issued"} <= set(
        actions(server))


def test_the_application_waits_for_answers_as_long_as_the_suites_other_clients():
    """authlib's client (httpx underneath) would give up after httpx's 5 s: the token request
    of the test above did, on a loaded CI machine, where every other request waits 30 s."""
    client = oauth_client({"client_id": "csc_x", "client_secret": "s", "scope": READ,
                           "token_endpoint_auth_method": "client_secret_basic"})
    assert client.timeout == httpx.Timeout(patiently.TIMEOUT)


def test_the_metadata_is_what_rfc_8414_asks(server, monkeypatch):
    """The document validates with authlib's RFC 8414 model (HTTPS waived on loopback), names
    every endpoint and offers S256 only."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    document = metadata(server.url)
    AuthorizationServerMetadata(document).validate()
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert READ in document["scopes_supported"]
    assert {"authorization_code", "refresh_token", "client_credentials"} <= set(
        document["grant_types_supported"])
    assert document["pushed_authorization_request_endpoint"].endswith("/oauth/par")
    assert document["require_pushed_authorization_requests"] is False


def test_a_refused_consent_sends_access_denied_and_issues_nothing(server):
    """Deny: the application gets error=access_denied with its state, and no code."""
    client = oauth_client(register(server.url))
    url, _ = authorization_url(server.url, client)
    with signed_in_client(server.url, LEARNER) as browser:
        location = consent(browser, url, decision="deny")
    answer = query_of(location)
    assert answer["error"] == "access_denied" and "code" not in answer and answer["state"]
    assert "oauth.consent.refused" in actions(server, last=3)


def test_the_consent_page_names_the_application_and_each_scope(server):
    """The learner sees the application's name, where the answer goes, and each scope in
    words, in Japanese and in English."""
    client = oauth_client(register(server.url, client_name="Career Wallet"))
    url, _ = authorization_url(server.url, client)
    with signed_in_client(server.url, LEARNER) as browser:
        english = browser.get(url + "&lang=en").text
        japanese = browser.get(url + "&lang=ja").text
    assert "Career Wallet" in english and "127.0.0.1:9" in english
    assert "read the credentials (Open Badges) in your wallet" in english
    assert "ウォレットの証明書（Open Badges）の読み取り" in japanese
    assert 'name="csrf_token"' in english


def test_a_visitor_signs_in_before_the_consent_page(server):
    """Not signed in: sent to sign in, and back to the same request afterwards."""
    client = oauth_client(register(server.url))
    url, _ = authorization_url(server.url, client)
    response = patiently.get(url)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in?next=/oauth/authorize")


def test_the_consent_form_needs_the_sessions_csrf_token(server):
    """A post of the form without the CSRF token is refused; nothing is issued."""
    client = oauth_client(register(server.url))
    url, _ = authorization_url(server.url, client)
    with signed_in_client(server.url, LEARNER) as browser:
        action, _ = consent_form(browser.get(url))
        del browser.headers["X-CSRF-Token"]
        refused = browser.post(action, data={"decision": "allow"})
    assert refused.status_code == 403 and "location" not in refused.headers


def test_a_replayed_code_is_refused_and_revokes_every_token_it_gave(server):
    """RFC 6749 §4.1.2: the second use of a code is invalid_grant, and the tokens the first
    use gave stop working — the access token and the refresh token alike."""
    registered, client, location, verifier = authorised(server)
    token = fetch_token(server.url, client, location, verifier)
    assert me(server, token["access_token"]).status_code == 200
    replay = patiently.post(f"{server.url}/oauth/token", auth=(
        registered["client_id"], registered["client_secret"]), data={
        "grant_type": "authorization_code", "code": query_of(location)["code"],
        "redirect_uri": REDIRECT_URI, "code_verifier": verifier})
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert me(server, token["access_token"]).status_code == 401
    with pytest.raises(OAuthError, match="invalid_grant"):
        client.refresh_token(f"{server.url}/oauth/token", refresh_token=token["refresh_token"])
    [replayed] = entries(server, "oauth.code.replayed")[:1]
    assert replayed["revoked"] == 1


def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(server):
    """Each refresh gives a new pair; presenting the old refresh token again is invalid_grant
    and revokes every token of the authorisation (RFC 9700 §4.14.2)."""
    _, client, location, verifier = authorised(server)
    first = fetch_token(server.url, client, location, verifier)
    second = client.refresh_token(f"{server.url}/oauth/token",
                                  refresh_token=first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    assert me(server, second["access_token"]).status_code == 200
    with pytest.raises(OAuthError, match="invalid_grant"):
        client.refresh_token(f"{server.url}/oauth/token", refresh_token=first["refresh_token"])
    assert me(server, second["access_token"]).status_code == 401
    with pytest.raises(OAuthError, match="invalid_grant"):
        client.refresh_token(f"{server.url}/oauth/token",
                             refresh_token=second["refresh_token"])
    assert "oauth.refresh.replayed" in actions(server, last=10)


def test_no_refresh_token_without_offline_access(server):
    """A learner who did not grant offline_access gives the application no refresh token."""
    _, client, location, verifier = authorised(server, scope=READ)
    assert "refresh_token" not in fetch_token(server.url, client, location, verifier)


def test_revoking_a_refresh_token_revokes_its_family(server):
    """RFC 7009: 200, then neither the refresh token nor the access token works."""
    registered, client, location, verifier = authorised(server)
    token = fetch_token(server.url, client, location, verifier)
    revoked = patiently.post(f"{server.url}/oauth/revoke", data={"token": token["refresh_token"]},
                             auth=(registered["client_id"], registered["client_secret"]))
    assert revoked.status_code == 200
    assert me(server, token["access_token"]).status_code == 401
    assert "token.revoked" in actions(server, last=3)


def test_a_new_password_or_a_lock_ends_the_tokens_an_application_holds(server):
    """Issue 55, M2: the learner's password changed, or an administrator disabled the
    account (and enabled it again): the application's access and refresh tokens end for
    good (the refresh worked again after the account was enabled), counted in the entry."""
    add_user(server.settings, "mover@example.jp")
    add_user(server.settings, "locked@example.jp")
    add_user(server.settings, "root@example.jp", roles=[(None, "registry-admin")])
    held = {}
    for learner in ("mover@example.jp", "locked@example.jp"):
        _, client, location, verifier = authorised(server, learner=learner,
                                                   scope=f"{READ} offline_access")
        held[learner] = client, fetch_token(server.url, client, location, verifier)
    with signed_in_client(server.url, "mover@example.jp") as web:
        assert web.post("/api/me/password", json={
            "current_password": PASSWORD, "new_password": "a brand new passphrase"}
        ).status_code == 204
    assert entries(server, "password.changed")[0]["tokens_ended"] == 1
    with signed_in_client(server.url, "root@example.jp") as root:
        assert root.post("/api/users/locked@example.jp/disable").status_code == 200
        assert root.post("/api/users/locked@example.jp/enable").status_code == 200
    assert entries(server, "user.disabled")[0]["tokens_ended"] == 1
    for client, token in held.values():
        assert me(server, token["access_token"]).status_code == 401
        with pytest.raises(OAuthError, match="invalid_grant"):
            client.refresh_token(f"{server.url}/oauth/token",
                                 refresh_token=token["refresh_token"])


@pytest.mark.parametrize("pkce", [{"code_challenge_method": "plain"},
                                  {"code_challenge_method": None},
                                  {"code_challenge": None, "code_challenge_method": None}],
                         ids=["plain", "no-method", "no-challenge"])
def test_pkce_is_required_and_only_s256(server, pkce):
    """A downgrade — plain, no method (read as plain), no challenge at all — goes back to the
    application as invalid_request, before the learner is asked; no code is made."""
    registered = register(server.url)
    client = oauth_client(registered)
    url, _ = authorization_url(server.url, client)
    parts = httpx.URL(url)
    params = {k: v for k, v in parts.params.items()}
    for name, value in pkce.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    if pkce.get("code_challenge_method") == "plain":
        params["code_challenge"] = "a" * 43
    with signed_in_client(server.url, LEARNER) as browser:
        answer = browser.get(str(parts.copy_with(params=params)))
    assert answer.status_code == 302
    redirected = query_of(answer.headers["location"])
    assert redirected["error"] == "invalid_request" and "code" not in redirected
    assert "S256" in redirected["error_description"] or "PKCE" in redirected[
        "error_description"]
    audited = entries(server, "oauth.authorization.refused")[-1]
    assert audited["error"] == "invalid_request"
    assert audited["reason"] == redirected["error_description"]


@pytest.mark.parametrize(("scope", "required"), [
    (READ, True), ("openbadge_ldp_vc", False), (f"openbadge_ldp_vc {READ}", True),
    ("openbadge_ldp_vc offline_access", True)],
    ids=["open-badges", "oid4vci", "both", "oid4vci-offline"])
def test_state_is_required_unless_only_oid4vci_scopes_are_asked(server, scope, required):
    """OB 3.0 §7.2.2 wants state for its API's scopes (and credstack for all its own); an
    OID4VCI wallet asking only for a credential configuration's scope may leave it out, as
    OID4VCI 1.0 and its wallets do (the PKCE S256 every request carries stops CSRF)."""
    client = oauth_client(register(server.url, scope=scope))
    url, _ = authorization_url(server.url, client)
    parts = httpx.URL(url)
    params = {name: value for name, value in parts.params.items() if name != "state"}
    with signed_in_client(server.url, LEARNER) as browser:
        answer = browser.get(str(parts.copy_with(params=params)))
    if required:
        assert answer.status_code == 302
        redirected = query_of(answer.headers["location"])
        assert redirected["error"] == "invalid_request" and "code" not in redirected
        assert redirected["error_description"] == "state is required."
    else:
        assert answer.status_code == 200, answer.text
        consent_form(answer)


def test_a_wrong_code_verifier_is_invalid_grant_and_spends_the_code(server):
    """RFC 7636 §4.6: a verifier that does not match is invalid_grant; the code cannot be
    tried again with the right one."""
    registered, _, location, verifier = authorised(server)
    code = query_of(location)["code"]
    auth = (registered["client_id"], registered["client_secret"])
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    wrong = patiently.post(f"{server.url}/oauth/token", auth=auth,
                           data={**data, "code_verifier": "x" * 50})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    missing = patiently.post(f"{server.url}/oauth/token", auth=auth, data=data)
    assert missing.status_code == 400 and "access_token" not in missing.json()
    right = patiently.post(f"{server.url}/oauth/token", auth=auth,
                           data={**data, "code_verifier": verifier})
    assert right.status_code == 400 and right.json()["error"] == "invalid_grant"
    assert entries(server, "token.refused")[-1]["error"] == "invalid_grant"


def test_a_redirect_uri_on_another_host_is_never_followed(server):
    """An authorization request naming a redirect URI that is not exactly a registered one —
    another host, or the same with a path added — is shown to the learner as an error and
    never redirected (RFC 6749 §4.1.2.1); audited."""
    client = oauth_client(register(server.url))
    for elsewhere in ("https://attacker.example/callback", f"{REDIRECT_URI}/more"):
        url, _ = authorization_url(server.url, client, redirect_uri=elsewhere)
        with signed_in_client(server.url, LEARNER) as browser:
            answer = browser.get(url)
        assert answer.status_code == 400 and "location" not in answer.headers
        assert "invalid_request" in answer.text
    assert entries(server, "oauth.authorization.refused")[-1]["status"] == 400


@pytest.mark.parametrize(("changes", "error"), [
    ({"redirect_uris": ["https://a.example/cb", "https://b.example/cb"]},
     "invalid_redirect_uri"),
    ({"redirect_uris": ["http://wallet.example/cb"]}, "invalid_redirect_uri"),
    ({"redirect_uris": ["https://wallet.example/cb#x"]}, "invalid_redirect_uri"),
    ({"client_uri": "https://elsewhere.example/"}, "invalid_client_metadata"),
    ({"scope": "credentials:issue"}, "invalid_client_metadata"),
    ({"grant_types": ["password"]}, "invalid_client_metadata"),
])
def test_registration_refuses_what_the_profile_does_not_allow(server, changes, error):
    """RFC 7591 §3.2.2 errors: redirect URIs on two hosts, plain http off loopback, a
    fragment; other URLs on another host; a scope or grant credstack does not offer."""
    endpoint = f"{server.url}/oauth/register"
    request = {"client_name": "Bad", "redirect_uris": [REDIRECT_URI], "client_uri": f"{APP}/",
               **changes}
    response = patiently.post(endpoint, json=request)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == error
    assert "client_id" not in response.json()
    assert "oauth.registration.refused" in actions(server, last=2)


def test_a_code_is_bound_to_the_client_it_was_issued_to(server):
    """Another client presenting the code gets invalid_grant, and no token."""
    _, _, location, verifier = authorised(server)
    other = register(server.url)
    response = patiently.post(f"{server.url}/oauth/token", auth=(
        other["client_id"], other["client_secret"]), data={
        "grant_type": "authorization_code", "code": query_of(location)["code"],
        "redirect_uri": REDIRECT_URI, "code_verifier": verifier})
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_wrong_client_secret_is_invalid_client(server):
    """401 invalid_client with a Basic challenge; the code stays unused."""
    registered, client, location, verifier = authorised(server)
    response = patiently.post(f"{server.url}/oauth/token", auth=(
        registered["client_id"], "wrong"), data={
        "grant_type": "authorization_code", "code": query_of(location)["code"],
        "redirect_uri": REDIRECT_URI, "code_verifier": verifier})
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert fetch_token(server.url, client, location, verifier)["access_token"]


def test_oversized_requests_are_refused_before_they_are_read(server):
    """A token request body over 16 KiB: 413 invalid_request, audited; a state longer than
    1,024 characters: invalid_request back to the application."""
    response = patiently.post(f"{server.url}/oauth/token",
                              data={"grant_type": "client_credentials", "scope": "x" * 20_000})
    assert response.status_code == 413 and response.json()["error"] == "invalid_request"
    assert "oauth.request.refused" in actions(server, last=2)
    client = oauth_client(register(server.url))
    url, _ = authorization_url(server.url, client, state="s" * 2000)
    with signed_in_client(server.url, LEARNER) as browser:
        answer = browser.get(url)
    assert query_of(answer.headers["location"])["error"] == "invalid_request"


def test_a_public_client_is_held_by_pkce_alone(server):
    """token_endpoint_auth_method none: no secret is issued; the code needs its verifier."""
    registered = register(server.url, token_endpoint_auth_method="none")
    assert "client_secret" not in registered
    _, client, location, verifier = authorised(server, registered)
    assert fetch_token(server.url, client, location, verifier)["access_token"]


def test_an_expired_code_is_invalid_grant(settings):
    """Ten minutes after it was made, a code gives nothing."""
    clock = Clock(dt.datetime.now(dt.UTC))
    configured, port = at_own_url(settings, secret_key=settings.secret_key
                                  or new_master_key_text())
    add_user(configured, LEARNER)
    for live in serve(configured, port=port, clock=clock):
        _, client, location, verifier = authorised(live)
        clock.now += dt.timedelta(minutes=10, seconds=1)
        with pytest.raises(OAuthError, match="invalid_grant"):
            fetch_token(live.url, client, location, verifier)
        assert "expired" in entries(live, "token.refused")[-1]["reason"]
