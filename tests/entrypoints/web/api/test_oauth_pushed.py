"""Pushed authorization requests (RFC 9126) over HTTP: an application pushes its request to
``POST /oauth/par`` and sends the learner with the ``request_uri`` alone; what it pushed is
checked as the authorization endpoint checks a request, and is the pushing client's, once."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from tests import patiently
from tests.accounts import add_user, signed_in_client
from tests.conftest import Clock, LiveServer, at_own_url, serve
from tests.entrypoints.web.api.test_oauth_authorization import LEARNER, READ, entries, server
from tests.oauth import (
    authorization_url,
    consent,
    fetch_token,
    metadata,
    oauth_client,
    on_server,
    query_of,
    register,
)

__all__ = ["server"]

URN = "urn:ietf:params:oauth:request_uri:"


def _pushed(live: LiveServer, registered: dict[str, Any], **changes: Any
            ) -> tuple[httpx.Response, str, Any]:
    """Push the authorization request authlib's client would send in the URL (``changes``
    to its parameters; None leaves one out): the answer, the code verifier and the client."""
    client = oauth_client(registered)
    url, verifier = authorization_url(live.url, client)
    params = {**httpx.URL(url).params, **changes}
    endpoint = on_server(live.url, metadata(live.url)["pushed_authorization_request_endpoint"])
    answer = patiently.post(endpoint, data={k: v for k, v in params.items() if v is not None},
                            auth=(registered["client_id"], registered["client_secret"]))
    return answer, verifier, client


def _authorize(live: LiveServer, **params: str) -> str:
    return f"{live.url}/oauth/authorize?{urlencode(params)}"


def test_the_learner_answers_a_pushed_request_by_its_request_uri(server):
    """Pushed: 201 with a request_uri, not cached; the learner's browser carries only that
    (parameters beside it are not read); the code and token are the request's; and the
    request_uri is not answered twice."""
    registered = register(server.url, scope=f"{READ} offline_access")
    answer, verifier, client = _pushed(server, registered, scope=READ)
    assert answer.status_code == 201, answer.text
    assert answer.headers["cache-control"] == "no-store"
    pushed = answer.json()
    assert pushed["request_uri"].startswith(URN) and pushed["expires_in"] == 600
    url = _authorize(server, client_id=registered["client_id"],
                     request_uri=pushed["request_uri"], scope="offline_access",
                     redirect_uri="http://127.0.0.1:9/elsewhere")
    with signed_in_client(server.url, LEARNER) as browser:
        location = consent(browser, url)
        again = browser.get(url)
    assert location.startswith("http://127.0.0.1:9/callback?") and query_of(location)["state"]
    token = fetch_token(server.url, client, location, verifier)
    assert token["scope"] == READ and "refresh_token" not in token
    assert again.status_code == 400 and "answered already" in again.text
    assert "location" not in again.headers
    assert entries(server, "oauth.authorization.pushed")


@pytest.mark.parametrize(("changes", "auth", "status", "error"), [
    ({"code_challenge_method": "plain"}, None, 400, "invalid_request"),
    ({"redirect_uri": "http://127.0.0.1:9/elsewhere"}, None, 400, "invalid_request"),
    ({"request_uri": URN + "x"}, None, 400, "invalid_request"),
    ({}, ("wrong", "secret"), 401, "invalid_client"),
], ids=["plain-pkce", "unregistered-redirect", "request-uri-inside", "wrong-client"])
def test_a_pushed_request_is_checked_and_refused_as_json(server, changes, auth, status,
                                                         error):
    """A request the authorization endpoint would refuse is refused when pushed, as a JSON
    error (RFC 9126 §2.3), never a redirect; audited (oauth.par.refused)."""
    registered = register(server.url)
    if auth is not None:
        registered = {**registered, "client_id": auth[0], "client_secret": auth[1]}
        changes = {**changes, "client_id": registered["client_id"]}
    answer, _, _ = _pushed(server, registered, **changes)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error and "location" not in answer.headers
    assert entries(server, "oauth.par.refused")[-1]["error"] == error


def test_a_request_uri_is_the_pushing_clients_and_known(server):
    """Another client's request_uri, or one never made: a 400 page for the learner, nothing
    sent to any application, audited."""
    first, second = register(server.url), register(server.url)
    answer, _, _ = _pushed(server, first)
    request_uri = answer.json()["request_uri"]
    with signed_in_client(server.url, LEARNER) as browser:
        other = browser.get(_authorize(server, client_id=second["client_id"],
                                       request_uri=request_uri))
        unknown = browser.get(_authorize(server, client_id=first["client_id"],
                                         request_uri=URN + "never-made"))
    assert other.status_code == 400 and "another client" in other.text
    assert unknown.status_code == 400 and "not known" in unknown.text
    reasons = [entry["reason"] for entry in entries(server, "oauth.authorization.refused")]
    assert reasons[-2:] == ["request_uri was pushed by another client.",
                            "request_uri is not known."]


def test_a_pushed_request_expires_after_ten_minutes(settings):
    """Ten minutes after it was pushed, its request_uri is refused."""
    clock = Clock(dt.datetime.now(dt.UTC))
    configured, port = at_own_url(settings, secret_key=settings.secret_key
                                  or new_master_key_text())
    add_user(configured, LEARNER)
    for live in serve(configured, port=port, clock=clock):
        registered = register(live.url)
        answer, _, _ = _pushed(live, registered)
        clock.now += dt.timedelta(minutes=10, seconds=1)
        with signed_in_client(live.url, LEARNER) as browser:
            expired = browser.get(_authorize(live, client_id=registered["client_id"],
                                             request_uri=answer.json()["request_uri"]))
        assert expired.status_code == 400 and "expired" in expired.text
