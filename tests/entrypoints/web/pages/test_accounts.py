"""Web sign-in over HTTP: passwords, the rate limit, TOTP, sessions, sign-out and CSRF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pyotp
import pytest
from sqlalchemy import select

from credstack.adapters.db.tables import UserRow
from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests import patiently
from tests.accounts import (
    NONCE_INPUT,
    PASSWORD,
    add_user,
    csrf_of,
    sign_in,
    signed_in_client,
    store_session,
    token_response,
)
from tests.conftest import Clock, LiveServer, serve, serve_with_key

EMAIL = "admin@example.org"


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    yield from serve_with_key(settings)


@pytest.fixture
def admin(live: LiveServer) -> int:
    return add_user(live.settings, EMAIL, name="Hokuto Admin",
                    roles=[("hokuto-tech", "provider-admin")])


def browser(live: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live.url, timeout=30)


def audit_actions(settings: Settings) -> list[str]:
    with store_session(settings) as session:
        return [entry.action for entry in audit.entries(session, limit=1000)]


def test_sign_in_sets_a_secure_session_cookie_and_shows_the_account(live, admin):
    """The right password: 303 to the home of the person's roles (a provider admin's: the
    organisation's workspace), an HttpOnly SameSite=Lax cookie, the account page."""
    with browser(live) as client:
        response = sign_in(client, "Admin@Example.org", PASSWORD)
        assert response.status_code == 303
        assert response.headers["location"] == "/home"
        landed = client.get("/home")
        assert (landed.status_code, landed.headers["location"]) == (303,
                                                                    "/workspace/hokuto-tech")
        cookie = response.headers["set-cookie"].lower()
        assert "credstack_session=" in cookie and "httponly" in cookie
        assert "samesite=lax" in cookie and "path=/" in cookie
        assert "secure" not in cookie.split("credstack_signin")[0]  # http public URL
        page = client.get("/account", headers={"accept-language": "en"})
        assert page.status_code == 200
        assert "Hokuto Admin" in page.text and "hokuto-tech" in page.text
        assert page.headers["cache-control"] == "no-store"
        me = client.get("/api/me").json()
        assert me["email"] == EMAIL and me["scopes"] is None
        assert me["memberships"] == [{"organisation": "hokuto-tech", "role": "provider-admin"}]


def test_next_is_followed_to_local_paths_only(live, admin):
    """``next`` after sign-in: a path here is kept; another site's address is not."""
    for target, expected in [("/programmes?page=2", "/programmes?page=2"),
                             ("https://evil.example/", "/home"),
                             ("//evil.example/", "/home")]:
        with browser(live) as client:
            form = client.get("/sign-in", params={"next": target})
            assert f'value="{expected.replace("&", "&amp;")}"' in form.text
            nonce = form.text.split('name="signin_nonce" value="')[1].split('"')[0]
            response = client.post("/sign-in", data={
                "email": EMAIL, "password": PASSWORD, "signin_nonce": nonce,
                "next_path": target})
            assert response.headers["location"] == expected


def test_a_wrong_password_is_refused_and_logged(live, admin):
    """401 with the form again (error tied to the fields), no cookie, a login.failed entry."""
    with browser(live) as client:
        response = sign_in(client, EMAIL, "not the password at all")
        assert response.status_code == 401
        assert "credstack_session" not in response.headers.get("set-cookie", "")
        assert 'aria-describedby="sign-in-error"' in response.text
        assert 'aria-invalid="true"' in response.text
        assert client.get("/api/me").status_code == 401
    assert "login.failed" in audit_actions(live.settings)


def test_the_sign_in_form_needs_its_own_nonce(live, admin):
    """A sign-in posted from elsewhere (no nonce cookie) is refused: no login CSRF."""
    response = patiently.post(f"{live.url}/sign-in", data={
        "email": EMAIL, "password": PASSWORD, "signin_nonce": "forged"})
    assert response.status_code == 403
    assert "credstack_session" not in response.headers.get("set-cookie", "")


def test_two_tabs_of_the_sign_in_form_both_sign_in_and_neither_replays(live, admin):
    """Two sign-in forms open in one browser (two tabs): the second tab's form does not void
    the first's, each signs in once, and a used form posted again is refused."""
    with browser(live) as client:
        nonces = []
        for _tab in range(2):
            found = NONCE_INPUT.search(client.get("/sign-in").text)
            assert found is not None
            nonces.append(found.group(1))
        posts = [{"email": EMAIL, "password": PASSWORD, "signin_nonce": nonce}
                 for nonce in nonces]
        for data in (posts[0], posts[1]):
            response = client.post("/sign-in", data=data)
            assert response.status_code == 303, response.text
            assert "credstack_session=" in response.headers["set-cookie"]
        replayed = client.post("/sign-in", data=posts[0])
        assert replayed.status_code == 403
        assert "credstack_session=" not in replayed.headers.get("set-cookie", "")


def test_the_rate_limit_locks_the_account_and_the_lock_holds(live, admin):
    """Five failures: the sixth attempt — even with the right password — is 429 with
    Retry-After, and so is the next one; the lockout is audited."""
    with browser(live) as client:
        for _ in range(5):
            assert sign_in(client, EMAIL, "wrong password 123").status_code == 401
        locked = sign_in(client, EMAIL, PASSWORD)
        assert locked.status_code == 429
        retry_after = int(locked.headers["retry-after"])
        assert 0 < retry_after <= 15 * 60
        assert sign_in(client, EMAIL, PASSWORD).status_code == 429
        assert client.get("/api/me").status_code == 401
    assert "login.locked" in audit_actions(live.settings)


def test_failures_from_elsewhere_do_not_lock_the_owner_out(live, admin):
    """The lock is per account *and* address: five wrong passwords sent from one address lock
    that address out of the account, while its owner, at another address, still signs in."""
    elsewhere = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=live.url, timeout=30, transport=elsewhere) as attacker:
        for _ in range(5):
            assert sign_in(attacker, EMAIL, "wrong password 123").status_code == 401
        assert sign_in(attacker, EMAIL, PASSWORD).status_code == 429
    with browser(live) as owner:
        assert sign_in(owner, EMAIL, PASSWORD).status_code == 303
        assert owner.get("/api/me").status_code == 200
    with httpx.Client(base_url=live.url, timeout=30, transport=httpx.HTTPTransport(
            local_address="127.0.0.2")) as attacker:
        assert sign_in(attacker, EMAIL, PASSWORD).status_code == 429


def test_the_rate_limit_per_address_spans_accounts(live, admin):
    """Twenty failures from one address, on any accounts, lock that address."""
    with browser(live) as client:
        for n in range(20):
            assert sign_in(client, f"nobody{n}@example.org", "wrong password 123"
                           ).status_code == 401
        assert sign_in(client, EMAIL, PASSWORD).status_code == 429


def enrol_totp(client: httpx.Client, *, now: dt.datetime) -> pyotp.TOTP:
    """Turn TOTP on through the pages, at the server's ``now``; the TOTP generator of the new
    secret."""
    started = client.post("/account/totp")
    assert started.status_code == 303 and started.headers["location"] == "/account/totp"
    page = client.get("/account/totp")
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in page.text
    secret = page.text.split('id="totp-secret" translate="no">')[1].split("<")[0]
    totp = pyotp.TOTP(secret)
    code = totp.at(now)
    wrong = client.post("/account/totp/confirm", data={"code": "000000"
                                                        if code != "000000" else "111111"})
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text
    confirmed = client.post("/account/totp/confirm", data={"code": code})
    assert confirmed.status_code == 303
    return totp


def test_totp_is_required_once_enrolled_and_a_code_is_never_accepted_twice(settings):
    """After enrolment the password alone fails; a fresh code works once; replayed: refused.
    The server's clock stands still: on the real one, a loaded machine crossed a 30-second
    step between enrolling and signing in, and the code of the step after was no longer
    the next one."""
    clock = Clock(dt.datetime.now(dt.UTC))
    for live in serve(dataclasses.replace(settings, secret_key=new_master_key_text()),
                      clock=clock):
        add_user(live.settings, EMAIL, name="Hokuto Admin",
                 roles=[("hokuto-tech", "provider-admin")])
        with signed_in_client(live.url, EMAIL) as client:
            totp = enrol_totp(client, now=clock.now)
            assert client.get("/api/me").json()["totp_enabled"] is True
        with store_session(live.settings) as session:
            stored = session.scalars(
                select(UserRow.totp_secret).where(UserRow.email == EMAIL)).one()
        assert stored and totp.secret not in stored  # sealed with the master key, not in clear
        with browser(live) as client:
            assert sign_in(client, EMAIL, PASSWORD).status_code == 401
            # The code used to confirm (this time step) is spent; the next step's is accepted
            # (one step of clock drift), once.
            spent = totp.at(clock.now)
            assert sign_in(client, EMAIL, PASSWORD, code=spent).status_code == 401
            fresh = totp.at(clock.now + dt.timedelta(seconds=30))
            assert sign_in(client, EMAIL, PASSWORD, code=fresh).status_code == 303
        with browser(live) as client:
            assert sign_in(client, EMAIL, PASSWORD, code=fresh).status_code == 401


def test_sign_out_ends_the_session_and_its_cookie_stays_refused(live, admin):
    """After signing out, the old cookie value no longer works anywhere."""
    client = signed_in_client(live.url, EMAIL)
    cookie = client.cookies["credstack_session"]
    response = client.post("/sign-out")
    assert response.status_code == 303
    client.close()
    with patiently.client(base_url=live.url, cookies={"credstack_session": cookie}) as replay:
        assert replay.get("/api/me").status_code == 401
        assert replay.get("/account").status_code == 303


@pytest.mark.parametrize(("setting", "after_use"), [("session_idle", 200),
                                                    ("session_ttl", 401)])
def test_sessions_expire(settings, setting, after_use):
    """A session ends after its idle limit (each use starts it again) and after its absolute
    lifetime (whatever the use). The server's clock is moved, not waited for: a loaded
    machine cannot make a step take longer than the limit."""
    clock = Clock(dt.datetime.now(dt.UTC))
    limits = {"session_idle": 86_400, "session_ttl": 86_400, setting: 3600}
    configured = dataclasses.replace(settings, secret_key=new_master_key_text(), **limits)
    for live in serve(configured, clock=clock):
        add_user(live.settings, EMAIL)
        with browser(live) as client:
            assert sign_in(client, EMAIL).status_code == 303
            assert client.get("/api/me").status_code == 200
            clock.advance(seconds=2000)
            assert client.get("/api/me").status_code == 200
            clock.advance(seconds=2000)
            assert client.get("/api/me").status_code == after_use
            clock.advance(seconds=3601)
            assert client.get("/api/me").status_code == 401


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(live, admin):
    """Cookie-authenticated writes need the session's CSRF token (header or form field):
    missing or wrong → 403, nothing created, the refusal audited."""
    with signed_in_client(live.url, EMAIL) as client:
        body = {"name": "robot", "scopes": ["programmes:write"]}
        for token in ("", "not-the-token"):
            refused = client.post("/api/me/clients", json=body,
                                  headers={"X-CSRF-Token": token})
            assert refused.status_code == 403, refused.text
            assert refused.json()["type"] == "/problems/csrf"
        form = client.post("/account/clients", data={"name": "robot", "scope":
                                                       "programmes:write"},
                           headers={"X-CSRF-Token": ""})
        assert form.status_code == 403
        assert client.get("/api/me/clients").json() == []
        # The same with the token: accepted (header, then form field).
        assert client.post("/api/me/clients", json=body).status_code == 201
        token = csrf_of(client)
        page = client.post("/account/clients", headers={"X-CSRF-Token": ""},
                           data={"name": "form robot", "scope": "programmes:write",
                                 "csrf_token": token})
        assert page.status_code == 200 and 'id="new-client-secret"' in page.text
        assert len(client.get("/api/me/clients").json()) == 2
        assert client.post("/sign-out", headers={"X-CSRF-Token": ""}).status_code == 403
        assert client.get("/api/me").status_code == 200
    assert "access.denied" in audit_actions(live.settings)


def test_the_header_shows_who_is_signed_in_and_htmx_sends_the_csrf_token(live, admin):
    """Signed in: the header names the user and <body> carries hx-headers with the token."""
    with browser(live) as client:
        page = client.get("/", headers={"accept-language": "en"})
        assert 'href="/sign-in"' in page.text and "hx-headers" not in page.text
    with signed_in_client(live.url, EMAIL) as client:
        page = client.get("/", headers={"accept-language": "en"})
        token = client.headers["X-CSRF-Token"]
        assert "Signed in as Hokuto Admin" in page.text
        assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in page.text


def test_members_of_an_organisation_are_managed_by_its_admin_only(live, admin):
    """accounts:manage: the provider admin adds and removes roles in their organisation,
    not in another, and cannot make a registry admin."""
    add_user(live.settings, "staff@example.org")
    add_user(live.settings, "other-admin@example.org", roles=[("saikai-u", "provider-admin")])
    with signed_in_client(live.url, EMAIL) as client:
        added = client.post("/api/organisations/hokuto-tech/members",
                            json={"email": "staff@example.org", "role": "issuer"})
        assert added.status_code == 201, added.text
        listed = client.get("/api/organisations/hokuto-tech/members").json()
        assert {(m["email"], m["role"]) for m in listed} == {
            (EMAIL, "provider-admin"), ("staff@example.org", "issuer")}
        assert client.post("/api/organisations/saikai-u/members",
                           json={"email": "staff@example.org", "role": "issuer"}
                           ).status_code == 403
        assert client.post("/api/organisations/hokuto-tech/members",
                           json={"email": "staff@example.org", "role": "registry-admin"}
                           ).status_code == 403
        assert client.delete("/api/organisations/hokuto-tech/members/staff@example.org/issuer"
                             ).status_code == 204
    with signed_in_client(live.url, "staff@example.org") as client:
        assert client.get("/api/me").json()["memberships"] == []


def test_the_account_page_changes_the_password_and_ends_the_other_sessions(live, admin):
    """Current password and the new one twice; mismatch, wrong current password and the
    policy are shown next to their fields; success ends every other session."""
    other = signed_in_client(live.url, EMAIL)
    with signed_in_client(live.url, EMAIL) as client:
        page = client.get("/account", headers={"accept-language": "en"})
        assert '<label for="current_password">' in page.text
        new = "a brand new passphrase"
        for data, message in [
                ({"current_password": PASSWORD, "new_password": new,
                  "new_password_again": new + "!"}, "The two new passwords differ."),
                ({"current_password": "not the password", "new_password": new,
                  "new_password_again": new}, "The current password is wrong."),
                ({"current_password": PASSWORD, "new_password": EMAIL,
                  "new_password_again": EMAIL}, "cannot be your e-mail address")]:
            refused = client.post("/account/password", data=data,
                                  headers={"accept-language": "en"})
            assert refused.status_code == 422 and message in refused.text
            assert 'aria-invalid="true"' in refused.text
        done = client.post("/account/password", data={
            "current_password": PASSWORD, "new_password": new, "new_password_again": new})
        assert done.status_code == 303
        assert done.headers["location"] == "/account?done=password-changed"
        assert client.get("/api/me").status_code == 200
    assert other.get("/api/me").status_code == 401
    other.close()
    assert "password.changed" in audit_actions(live.settings)


def test_the_account_page_offers_a_new_secret_for_a_client_a_password_change_ended(
        live, admin):
    """Issue 55, M2: after the password changed, the page says the client's secret ended
    and when, and offers a new one; the new secret is shown once and gets tokens, the old
    one stays refused; in Japanese too; another's client is not found."""
    with signed_in_client(live.url, EMAIL) as client:
        made = client.post("/api/me/clients", json={"name": "CI", "scopes":
                                                     ["programmes:write"]}).json()
        client_id, secret = made["client_id"], made["client_secret"]
        new = "a brand new passphrase"
        done = client.post("/account/password", data={
            "current_password": PASSWORD, "new_password": new, "new_password_again": new},
            headers={"accept-language": "en"}, follow_redirects=True)
        assert "the secrets of your API clients have ended" in done.text
        page = client.get("/account", headers={"accept-language": "en"})
        assert "Secret ended on " in page.text
        assert f'action="/account/clients/{client_id}/secret"' in page.text
        japanese = client.get("/account", headers={"accept-language": "ja"})
        assert "シークレットは無効になりました" in japanese.text
        assert "新しいシークレットを発行" in japanese.text
        renewed = client.post(f"/account/clients/{client_id}/secret",
                              headers={"accept-language": "en"})
        assert renewed.status_code == 200, renewed.text
        assert renewed.headers["cache-control"].startswith("no-store")
        assert "A new secret for CI" in renewed.text
        fresh = re.search(r'id="new-client-secret" translate="no">([^<]+)<', renewed.text)
        assert fresh is not None and fresh.group(1) != secret
        assert "Secret ended on " not in renewed.text
        assert token_response(live.url, client_id, fresh.group(1)).status_code == 200
        assert token_response(live.url, client_id, secret).status_code == 401
    add_user(live.settings, "someone@example.org", roles=[("hokuto-tech", "issuer")])
    with signed_in_client(live.url, "someone@example.org") as stranger:
        assert stranger.post(f"/account/clients/{client_id}/secret").status_code == 404
