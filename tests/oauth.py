"""The OAuth 2.0 authorization code flow as an application and a learner's browser go through
it, for the tests of the authorization server and of the APIs it protects.

    client = register(server.url, scope=OB_SCOPES)            # RFC 7591, over HTTP
    session = oauth_client(client)                              # authlib's own client
    url, verifier = authorization_url(server.url, session)      # PKCE S256
    with signed_in_client(server.url, LEARNER) as browser:
        location = consent(browser, url)                        # the form posted as a browser
    token = fetch_token(server.url, session, location, verifier)

The application is authlib's ``OAuth2Client`` (httpx), unmodified; the learner's browser is an
``httpx.Client`` signed in with the session cookie, which reads the consent page's form (its
action and CSRF token) and posts it as a browser would.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client

from tests import patiently

#: Where the test application says it lives: a loopback address nothing listens on (the
#: learner's browser is never sent there; the tests read the redirect instead).
APP = "http://127.0.0.1:9"
REDIRECT_URI = f"{APP}/callback"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
OB_SCOPES = " ".join(OB + name for name in ("credential.readonly", "credential.upsert",
                                            "profile.readonly", "profile.update"))
CONSENT_FORM = re.compile(r'<form method="post" action="([^"]+)" class="consent-form"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def metadata(base_url: str) -> dict[str, Any]:
    """RFC 8414 discovery, with the endpoints moved to the address the test server listens on
    (its public URL names ``localhost``)."""
    document: dict[str, Any] = patiently.get(
        f"{base_url}/.well-known/oauth-authorization-server").json()
    return document


def on_server(base_url: str, url: str) -> str:
    """``url`` (on the public URL) on the test server's own address."""
    parts = urlsplit(url)
    return base_url + parts.path + (f"?{parts.query}" if parts.query else "")


def register(base_url: str, *, scope: str = f"{OB_SCOPES} offline_access",
             **changes: Any) -> dict[str, Any]:
    """A client registered through RFC 7591 (the registration endpoint from the metadata);
    its registration response."""
    endpoint = on_server(base_url, metadata(base_url)["registration_endpoint"])
    request = {"client_name": "Test wallet", "client_uri": f"{APP}/",
               "logo_uri": f"{APP}/logo.png", "tos_uri": f"{APP}/tos",
               "policy_uri": f"{APP}/privacy", "software_id": "tests-oauth",
               "software_version": "1.0", "redirect_uris": [REDIRECT_URI], "scope": scope,
               "grant_types": ["authorization_code", "refresh_token"],
               "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic",
               **changes}
    response = patiently.post(endpoint, json={k: v for k, v in request.items() if v is not None})
    assert response.status_code == 201, response.text
    registered: dict[str, Any] = response.json()
    return registered


def oauth_client(registered: dict[str, Any], **options: Any) -> OAuth2Client:
    """authlib's client for the registered application, waiting for an answer as long as the
    suite's other clients (:data:`tests.patiently.TIMEOUT`): authlib leaves httpx's 5 s, which
    a token request on a loaded two-core CI machine outlasted (no lock, pool or event loop held
    it: the test process, server included, was waiting for a core)."""
    options.setdefault("timeout", patiently.TIMEOUT)
    return OAuth2Client(registered["client_id"], registered.get("client_secret"),
                        scope=registered["scope"], redirect_uri=REDIRECT_URI,
                        code_challenge_method="S256",
                        token_endpoint_auth_method=registered["token_endpoint_auth_method"],
                        **options)


def authorization_url(base_url: str, client: OAuth2Client, **params: Any) -> tuple[str, str]:
    """The authorization request's URL (PKCE S256), and the code verifier."""
    verifier = generate_token(48)
    endpoint = on_server(base_url, metadata(base_url)["authorization_endpoint"])
    url, _ = client.create_authorization_url(endpoint, code_verifier=verifier, **params)
    return url, verifier


def consent_form(page: httpx.Response) -> tuple[str, str]:
    """The consent form's action and CSRF token, as a browser reads them."""
    action = CONSENT_FORM.search(page.text)
    token = CSRF.search(page.text)
    assert action is not None and token is not None, page.text
    return unescape(action.group(1)), token.group(1)


def consent(browser: httpx.Client, url: str, *, decision: str = "allow") -> str:
    """Open the consent page at ``url`` and answer it; where the learner is sent."""
    page = browser.get(url)
    # A refused request is redirected back to the client: its location says why.
    assert page.status_code == 200, (page.status_code, page.headers.get("location"), page.text)
    action, token = consent_form(page)
    answer = browser.post(action, data={"csrf_token": token, "decision": decision})
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def query_of(location: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def fetch_token(base_url: str, client: OAuth2Client, location: str, verifier: str
                ) -> dict[str, Any]:
    token: dict[str, Any] = client.fetch_token(f"{base_url}/oauth/token",
                                               authorization_response=location,
                                               code_verifier=verifier)
    return token
