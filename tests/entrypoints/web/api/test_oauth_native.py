"""Native apps over HTTP (RFC 8252): a wallet on a phone registers a private-use URI scheme
redirect in reverse domain form as a public client, and the learner's consent sends the code
to it — exactly that URI (a desktop app's loopback redirect, on any port); other custom
schemes, a confidential client's private-use redirect and ``localhost`` are refused at
registration, naming the URI, audited."""

from __future__ import annotations

from typing import Any

import pytest
from authlib.integrations.httpx_client import OAuth2Client

from tests import patiently
from tests.accounts import signed_in_client
from tests.entrypoints.web.api.test_oauth_authorization import (
    LEARNER,
    READ,
    actions,
    entries,
    me,
    server,
)
from tests.oauth import authorization_url, consent, fetch_token, query_of, register

__all__ = ["server"]

APP_REDIRECT = "com.example.wallet:/oauth/callback"


def _native(live: Any, **changes: Any) -> dict[str, Any]:
    return register(live.url, **{
        "redirect_uris": [APP_REDIRECT], "token_endpoint_auth_method": "none",
        "client_uri": "https://example.com/", "logo_uri": None, "tos_uri": None,
        "policy_uri": None, **changes})


def _client(registered: dict[str, Any], redirect_uri: str = APP_REDIRECT) -> OAuth2Client:
    return OAuth2Client(registered["client_id"], None, scope=registered["scope"],
                        redirect_uri=redirect_uri, code_challenge_method="S256",
                        token_endpoint_auth_method="none", timeout=patiently.TIMEOUT)


def test_a_native_app_gets_its_code_at_its_private_use_scheme(server):
    """Registered without a secret; the consent page names the scheme the code goes to; the
    learner is sent to com.example.wallet:/oauth/callback with the code, which the app
    redeems with its PKCE verifier alone."""
    registered = _native(server, scope=f"{READ} offline_access")
    assert "client_secret" not in registered
    assert registered["redirect_uris"] == [APP_REDIRECT]
    client = _client(registered)
    url, verifier = authorization_url(server.url, client, state="s1")
    with signed_in_client(server.url, LEARNER) as browser:
        page = browser.get(url)
        assert "com.example.wallet:" in page.text
        location = consent(browser, url)
    assert location.startswith(APP_REDIRECT + "?") and query_of(location)["state"] == "s1"
    token = fetch_token(server.url, client, location, verifier)
    assert me(server, token["access_token"]).status_code == 200


def test_only_the_registered_private_use_uri_is_followed(server):
    """Another path under the same scheme, or the scheme of another app: a 400 page for the
    learner, never a redirect (exact match, RFC 9700 §4.1.1)."""
    registered = _native(server, scope=READ)
    for elsewhere in ("com.example.wallet:/oauth/callback/more", "com.example.wallets:/oauth/"
                      "callback", "com.example.wallet://oauth/callback"):
        url, _ = authorization_url(server.url, _client(registered, elsewhere), state="s")
        with signed_in_client(server.url, LEARNER) as browser:
            answer = browser.get(url)
        assert answer.status_code == 400 and "location" not in answer.headers
    assert entries(server, "oauth.authorization.refused")[0]["status"] == 400


def test_a_loopback_redirect_may_come_back_on_any_port(server):
    """A desktop wallet listens on a port it picks when it starts: registered as
    http://127.0.0.1:9/callback, it asks with http://127.0.0.1:<its port>/callback and gets its
    code there (RFC 8252 §7.3); another path, or another host, is still refused."""
    registered = _native(server, scope=READ, redirect_uris=["http://127.0.0.1:9/callback"],
                         client_uri=None)
    client = _client(registered, "http://127.0.0.1:53127/callback")
    url, verifier = authorization_url(server.url, client, state="s2")
    with signed_in_client(server.url, LEARNER) as browser:
        location = consent(browser, url)
    assert location.startswith("http://127.0.0.1:53127/callback?")
    token = fetch_token(server.url, client, location, verifier)
    assert me(server, token["access_token"]).status_code == 200
    for elsewhere in ("http://127.0.0.1:53127/other", "http://[::1]:53127/callback",
                      "https://127.0.0.1:53127/callback"):
        url, _ = authorization_url(server.url, _client(registered, elsewhere), state="s")
        with signed_in_client(server.url, LEARNER) as browser:
            answer = browser.get(url)
        assert answer.status_code == 400 and "location" not in answer.headers


@pytest.mark.parametrize(("uri", "public", "says"), [
    ("javascript:alert(document.cookie)", True, "javascript: scheme"),
    ("data:text/html,hi", True, "data: scheme"),
    ("file:///etc/passwd", True, "file: scheme"),
    ("mywallet:/callback", True, "reverse domain form"),
    ("com.example.wallet:/oauth/callback", False, "public client"),
    ("http://localhost:8123/callback", True, "not localhost"),
], ids=["javascript", "data", "file", "no-period", "confidential", "localhost"])
def test_other_redirect_uris_are_refused_naming_them(server, uri, public, says):
    """invalid_redirect_uri whose description names the URI and why; audited; no client."""
    request = {"client_name": "Bad", "redirect_uris": [uri], "scope": READ,
               **({"token_endpoint_auth_method": "none"} if public else {})}
    response = patiently.post(f"{server.url}/oauth/register", json=request)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_redirect_uri" and "client_id" not in body
    assert uri[:20] in body["error_description"] and says in body["error_description"]
    assert "oauth.registration.refused" in actions(server, last=2)
