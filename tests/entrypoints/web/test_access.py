"""Who is asking comes first: a write from a stranger is refused before its body is judged."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.access import service as refusals
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import NONCE_INPUT, PASSWORD, add_user, signed_in_client
from tests.conftest import LiveServer, operator_client, operator_token, serve
from tests.helpers import organisation


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests: each signs in a staff member of its
    own (:func:`staff`) and reads only what that one made; the audit-counting tests have a
    store of their own."""
    yield from serve(module_settings)


@pytest.fixture(scope="module")
def _operator(server: LiveServer) -> str:
    return operator_token(server)


@pytest.fixture
def http(server: LiveServer, _operator: str) -> Iterator[httpx.Client]:
    """The platform operator's client of the module's server, with no cookie of another
    test's."""
    with operator_client(server, token=_operator) as client:
        yield client


@pytest.fixture
def staff(server: LiveServer) -> str:
    """A provider admin of the test's own (its e-mail), on the module's server."""
    email = f"staff-{uuid.uuid4().hex[:12]}@example.org"
    add_user(server.settings, email, roles=[("hokuto-tech", "provider-admin")])
    return email

#: Writes to routes that ask who is calling, each with a body that does not validate.
BAD_WRITES = [
    ("POST", "/api/programmes", {"descriptors": {"code": 7}, "publish": "perhaps"}),
    ("PUT", "/api/programmes/1", {"descriptors": []}),
    ("POST", "/api/organisations", {"slug": ""}),
    ("POST", "/credentials/issue", {"credential": "not an object"}),
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_WRITES)
def test_an_unauthenticated_write_with_a_bad_body_is_401_not_422(anonymous: httpx.Client,
                                                                  method, path, body):
    """Without credentials the answer is 401 (sign in), whatever the body holds."""
    response = anonymous.request(method, path, json=body)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("method", "path", "body"), BAD_WRITES[:2])
def test_malformed_json_from_a_stranger_is_401_too(anonymous: httpx.Client, method, path,
                                                   body):
    """Even JSON that does not parse is not judged before the caller is known."""
    response = anonymous.request(method, path, content=b"{not json",
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 401, response.text


def test_a_bad_token_is_401_before_the_body(anonymous: httpx.Client) -> None:
    """A token that signs no one in is refused as such, before the body."""
    response = anonymous.post("/api/programmes", json={"descriptors": 1},
                              headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert "invalid_token" in response.headers.get("www-authenticate", "")


def test_a_signed_in_caller_hears_about_the_body(http: httpx.Client) -> None:
    """With credentials, the same bad body is 422 with the problems named."""
    response = http.post("/api/programmes", json={"descriptors": {"code": 7}})
    assert response.status_code == 422
    assert response.json()["errors"]


def test_public_writes_still_judge_the_body(anonymous: httpx.Client) -> None:
    """Verifying needs no one signed in: a bad body there stays a 422."""
    response = anonymous.post("/credentials/verify", json={"verifiableCredential": 1})
    assert response.status_code in {400, 422}


EVIL = "https://credstack.example.evil"


@pytest.mark.parametrize("sent_from", [{"Origin": EVIL}, {"Referer": f"{EVIL}/page"},
                                       {"Origin": EVIL, "Referer": "{own}/account"}])
def test_a_form_sent_from_another_site_is_refused_though_its_token_is_right(
        server: LiveServer, staff: str, sent_from: dict[str, str]) -> None:
    """A form post whose ``Origin`` (or, without one, ``Referer``) is another site: 403 with
    a message in English and Japanese, nothing changed — even with the session's CSRF
    token, and for a form that needs no session (signing in)."""
    headers = {name: value.format(own=server.url) for name, value in sent_from.items()}
    with signed_in_client(server.url, staff) as client:
        token = client.headers["X-CSRF-Token"]
        refused = client.post("/account/clients", headers={**headers, "X-CSRF-Token": ""},
                              data={"name": "robot", "scope": "programmes:write",
                                    "csrf_token": token})
        assert refused.status_code == 403, refused.text
        problem = refused.json()
        assert problem["type"] == "/problems/cross-site"
        assert "another site" in problem["detail"] and "別のサイト" in problem["detail"]
        assert client.get("/api/me/clients").json() == []
        for language, words in (("en", "another site"), ("ja", "別のサイト")):
            page = client.post("/sign-out", headers={**headers, "accept": "text/html",
                                                     "accept-language": language})
            assert page.status_code == 403
            assert words in page.text
        assert client.get("/api/me").status_code == 200
    with httpx.Client(base_url=server.url, timeout=30) as stranger:
        form = stranger.get("/sign-in")
        nonce = NONCE_INPUT.search(form.text)
        assert nonce is not None
        signing_in = stranger.post("/sign-in", headers=headers, data={
            "email": staff, "password": PASSWORD, "signin_nonce": nonce.group(1)})
        assert signing_in.status_code == 403
        assert stranger.get("/api/me").status_code == 401


@pytest.mark.parametrize("sent_from", [{}, {"Origin": "{own}"}, {"Referer": "{own}/account"},
                                       {"Origin": "{public}"}, {"Origin": "null"}])
def test_a_form_from_this_site_or_from_no_browser_is_accepted(
        server: LiveServer, staff: str, sent_from: dict[str, str]) -> None:
    """The same form from this site's pages (either of its origins), with no ``Origin`` or
    ``Referer`` at all (a client that is no browser, with the token), or from a page that
    sends neither its origin nor a referrer (``Origin: null``) works as before."""
    public = server.settings.public_url.rstrip("/")
    headers = {name: value.format(own=server.url, public=public)
               for name, value in sent_from.items()}
    with signed_in_client(server.url, staff) as client:
        token = client.headers["X-CSRF-Token"]
        made = client.post("/account/clients", headers={**headers, "X-CSRF-Token": ""},
                           data={"name": "robot", "scope": "programmes:write",
                                 "csrf_token": token})
        assert made.status_code == 200, made.text
        assert len(client.get("/api/me/clients").json()) == 1


def test_an_api_client_with_a_token_is_not_judged_by_its_origin(http: httpx.Client) -> None:
    """A bearer request is no form a browser sent by itself: its ``Origin`` does not matter."""
    response = http.post("/api/organisations", headers={"Origin": EVIL},
                         json=organisation(slug=f"org-{uuid.uuid4().hex[:12]}"))
    assert response.status_code == 201, response.text


def test_a_flood_of_refused_requests_is_audited_as_counts_past_the_budget(
        sqlite_settings: Settings) -> None:
    """6,005 anonymous refusals in 27 s wrote 6,045 entries; now an address's first
    PER_SOURCE refusals a minute are entries, the rest one counted entry, written at the
    latest when the server stops: every refusal is in the log, which stays intact."""
    settings = dataclasses.replace(sqlite_settings, secret_key=new_master_key_text())
    served = serve(settings)
    live = next(served)
    with httpx.Client(base_url=live.url, timeout=30) as client:
        statuses = {client.post("/api/organisations", json={}).status_code
                    for _ in range(120)}
    served.close()
    assert statuses == {401}
    with open_runtime(settings=settings) as runtime, runtime.transaction() as session:
        recorded = audit.entries(session, limit=1000)
        report = audit.verify(session, runtime.key())
    denied = [e for e in recorded if e.action == "access.denied"]
    counted = [e for e in recorded if e.action == "access.denied.counted"]
    assert len(denied) == refusals.PER_SOURCE
    assert sum(e.details["refused"] for e in counted) == 120 - refusals.PER_SOURCE
    assert report.ok


#: Anonymous requests each refused and audited by a service of its own (not ``access.denied``):
#: the audit action, the request.
OTHER_REFUSALS = [
    ("token.refused", "POST", "/oauth/token",
     {"data": {"grant_type": "client_credentials", "client_id": "nobody",
               "client_secret": "wrong"}}),
    ("token.revoke.refused", "POST", "/oauth/revoke", {"data": {"token": "x"}}),
    ("oauth.registration.refused", "POST", "/oauth/register",
     {"json": {"redirect_uris": ["ftp://example.org/back"]}}),
    ("oauth.par.refused", "POST", "/oauth/par",
     {"data": {"client_id": "nobody", "response_type": "code"}}),
    ("oid4vci.credential.refused", "POST", "/oid4vci/credential", {"json": {}}),
    ("oid4vp.response.refused", "POST", "/oid4vp/responses/nothing-here",
     {"data": {"state": "x"}}),
]


def test_a_flood_of_any_kind_of_refusal_is_audited_as_counts_past_the_budget(
        sqlite_settings: Settings) -> None:
    """Not only ``access.denied``: a refused token, revocation, registration, pushed request,
    credential request or presentation response is written one by one up to the address's
    budget a minute, then counted into one ``<action>.counted`` entry — every refusal in the
    log, the log bounded and intact."""
    per_minute, sent = 3, 10
    settings = dataclasses.replace(sqlite_settings, secret_key=new_master_key_text(),
                                   audit_refusals_per_minute=per_minute)
    served = serve(settings)
    live = next(served)
    with httpx.Client(base_url=live.url, timeout=30) as client:
        for _, method, path, body in OTHER_REFUSALS:
            statuses = {client.request(method, path, **body).status_code for _ in range(sent)}
            assert all(400 <= status < 500 for status in statuses), (path, statuses)
    served.close()
    with open_runtime(settings=settings) as runtime, runtime.transaction() as session:
        recorded = audit.entries(session, limit=1000)
        report = audit.verify(session, runtime.key())
    for action, _, path, _ in OTHER_REFUSALS:
        one_by_one = [e for e in recorded if e.action == action]
        counted = [e for e in recorded if e.action == f"{action}.counted"]
        assert len(one_by_one) == per_minute, (path, len(one_by_one))
        assert sum(e.details["refused"] for e in counted) == sent - per_minute, path
        assert all(e.details["ip"] == "127.0.0.1" for e in counted)
    assert report.ok
