"""Signing in through an organisation's OpenID provider (issue 57), against a real one:
panva's ``oidc-provider`` (OpenID Certified), started by ``interop/oidc/provider.mjs`` on
loopback, with one client for credstack and three campus people.

Its administrator configures the provider over the API; a staff member becomes an issuer and
a student a learner on their first sign-in (accounts made for them), the rules applied again
at the next sign-in within the ceiling the administrator set; a person whose address already
has an account is linked only once that account's owner, signed in, confirms it. An answer
re-signed with a wrong ``nonce``, ``aud`` or ``iss``, expired or signed with another key is
refused with its named reason and audited; so are a state from another browser, a replayed
state and an unknown provider. Skipped without Node.js and the provider's npm packages
(``npm ci --prefix interop/oidc``), which CI installs; failed there instead
(``CREDSTACK_REQUIRE_NODE=1``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import (
    add_organisation,
    add_user,
    issued_credentials,
    provider_store,
    signed_in_client,
    store_session,
)
from tests.conftest import LiveServer, at_own_url, free_port, keyed_sqlite, operator_client, serve
from tests.entrypoints.web.pages.conftest import new_tab

if TYPE_CHECKING:
    from playwright.sync_api import Browser

INTEROP = Path(__file__).resolve().parents[4] / "interop" / "oidc"
REQUIRE_NODE = os.environ.get("CREDSTACK_REQUIRE_NODE") == "1"
ORG = "hokuto-uni"
SLUG = "hokuto-campus"
CLIENT_ID = "credstack-test"
CLIENT_SECRET = "a-client-secret-of-forty-characters-or-so"


def _need_provider() -> None:
    missing = ("node" if shutil.which("node") is None else
               "interop/oidc/node_modules (npm ci --prefix interop/oidc)"
               if not (INTEROP / "node_modules" / "oidc-provider").is_dir() else None)
    if missing is None:
        return
    if REQUIRE_NODE:
        pytest.fail(f"CREDSTACK_REQUIRE_NODE=1 but {missing} is missing")
    pytest.skip(f"the OpenID provider needs {missing}")


@dataclass
class Campus:
    live: LiveServer
    provider: str

    def tamper(self, how: str) -> None:
        """The provider's next id_token re-signed with ``how`` made wrong."""
        assert httpx.post(f"{self.provider}/__test/tamper", content=how).status_code == 200


def _start_provider(port: int, callback: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        ["node", str(INTEROP / "provider.mjs")], cwd=INTEROP, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env={**os.environ, "PORT": str(port), "CLIENT_ID": CLIENT_ID,
             "CLIENT_SECRET": CLIENT_SECRET, "REDIRECT_URI": callback,
             "BACKCHANNEL_LOGOUT_URI": callback.replace(
                 "/sso/oidc/callback", f"/sso/oidc/{SLUG}/backchannel-logout")})
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("ready "):
        process.kill()
        raise RuntimeError(f"the OpenID provider did not start: {line!r}")
    return process


@pytest.fixture(scope="module")
def campus(module_settings: Settings) -> Iterator[Campus]:
    _need_provider()
    settings, port = at_own_url(dataclasses.replace(module_settings,
                                                    secret_key=new_master_key_text()))
    # The provider redirects to the address credstack is served on.
    settings = dataclasses.replace(settings, public_url=f"http://127.0.0.1:{port}")
    add_organisation(settings, ORG)
    add_user(settings, "admin@hokuto.example.jp", name="Admin", roles=[(ORG, "provider-admin")])
    provider_port = free_port()
    process = _start_provider(provider_port, f"{settings.public_url}/sso/oidc/callback")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
            for live in serve(settings, port=port):
                yield Campus(live, f"http://127.0.0.1:{provider_port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def configured(campus: Campus) -> Campus:
    """The organisation's administrator has configured the provider and its rules."""
    with signed_in_client(campus.live.url, "admin@hokuto.example.jp") as admin:
        added = admin.post(f"/api/organisations/{ORG}/sso/providers", json={
            "slug": SLUG, "name": "北斗大学 (Hokuto University)", "issuer": campus.provider,
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "scopes": "openid email profile affiliation",
            "allowed_roles": ["issuer", "learner"],
            "rules": [{"attribute": "eduperson_affiliation", "value": "staff",
                       "role": "issuer"},
                      {"attribute": "eduperson_affiliation", "value": "student",
                       "role": "learner"}]})
        assert added.status_code == 201, added.text
        assert "client_secret" not in added.json()
    return campus


def _browser(_: Campus) -> httpx.Client:
    return httpx.Client(timeout=30, headers={"Accept-Language": "en"})


def sign_in_through(campus: Campus, browser: httpx.Client, login: str, *,
                    slug: str = SLUG, next_path: str = "/account") -> httpx.Response:
    """Start at credstack, sign in as ``login`` at the provider, and come back; credstack's
    answer to the provider's redirect (not followed)."""
    answer = browser.get(f"{campus.live.url}/sso/{slug}/start", params={"next": next_path})
    for _ in range(12):
        if answer.status_code not in (302, 303):
            return answer
        target = urljoin(str(answer.url), answer.headers["location"])
        if target.startswith(f"{campus.live.url}/sso/oidc/callback"):
            return browser.get(target)
        answer = browser.get(target)
        if answer.status_code == 200 and 'name="login"' in answer.text:
            answer = browser.post(str(answer.url), data={"login": login})
    raise AssertionError("too many redirects")


def callback_of(campus: Campus, browser: httpx.Client, login: str) -> str:
    """The provider's redirect back to credstack, not yet followed."""
    answer = browser.get(f"{campus.live.url}/sso/{SLUG}/start")
    while True:
        target = urljoin(str(answer.url), answer.headers["location"])
        if target.startswith(f"{campus.live.url}/sso/oidc/callback"):
            return target
        answer = browser.get(target)
        if answer.status_code == 200 and 'name="login"' in answer.text:
            answer = browser.post(str(answer.url), data={"login": login})


def entries(live: LiveServer, action: str) -> list[dict[str, Any]]:
    with store_session(live.settings) as session:
        return [dict(entry.details, about=entry.subject)
                for entry in audit.entries(session, limit=100_000) if entry.action == action]


def roles(campus: Campus, email: str) -> set[tuple[str, str]]:
    with operator_client(campus.live) as operator:
        people = operator.get("/api/users").json()
    [person] = [p for p in people if p["email"] == email]
    return {(m["organisation"], m["role"]) for m in person["memberships"]}


def test_a_staff_member_signs_in_and_becomes_an_issuer(configured: Campus) -> None:
    """A first sign-in makes the account (the provider's name and address), signs it in,
    gives the role the rules give, and audits each step."""
    with _browser(configured) as browser:
        answer = sign_in_through(configured, browser, "staff1")
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/account"
        assert browser.cookies.get("credstack_session")
        page = browser.get(f"{configured.live.url}/account")
        assert page.status_code == 200
        assert "staff1@uni.example.jp" in page.text
    assert roles(configured, "staff1@uni.example.jp") == {(ORG, "issuer")}
    [created] = [e for e in entries(configured.live, "sso.account.created")
                 if e["email"] == "staff1@uni.example.jp"]
    assert created["about"].startswith("user:") and created["provider"] == SLUG
    assert any(e["added"] == ["issuer"] for e in entries(configured.live, "sso.roles"))
    assert any(e["subject"] == "u-0001" for e in entries(configured.live, "sso.sign_in"))


def test_the_rules_apply_again_at_each_sign_in_within_the_ceiling(configured: Campus) -> None:
    """A student is a learner; when the administrator's rules change, the next sign-in takes
    back what the rules gave and no longer give, and never gives a role past the ceiling."""
    with _browser(configured) as browser:
        assert sign_in_through(configured, browser, "student1").status_code == 303
    assert roles(configured, "student1@uni.example.jp") == {(ORG, "learner")}
    with signed_in_client(configured.live.url, "admin@hokuto.example.jp") as admin:
        past = admin.put(f"/api/sso/providers/{SLUG}/rules", json={
            "allowed_roles": ["learner"],
            "rules": [{"attribute": "eduperson_affiliation", "value": "member",
                       "role": "issuer"}]})
        assert past.status_code == 422, past.text
        changed = admin.put(f"/api/sso/providers/{SLUG}/rules", json={
            "allowed_roles": ["learner"],
            "rules": [{"attribute": "eduperson_affiliation", "value": "staff",
                       "role": "learner"}]})
        assert changed.status_code == 200, changed.text
        never = admin.put(f"/api/sso/providers/{SLUG}/rules", json={
            "allowed_roles": ["provider-admin"], "rules": []})
        assert never.status_code == 422, never.text
    with _browser(configured) as browser:
        assert sign_in_through(configured, browser, "student1").status_code == 303
    assert roles(configured, "student1@uni.example.jp") == set()
    assert any(e["removed"] == ["learner"] for e in entries(configured.live, "sso.roles"))
    assert entries(configured.live, "sso.rules.set")
    with signed_in_client(configured.live.url, "admin@hokuto.example.jp") as admin:
        restored = admin.put(f"/api/sso/providers/{SLUG}/rules", json={
            "allowed_roles": ["issuer", "learner"],
            "rules": [{"attribute": "eduperson_affiliation", "value": "staff",
                       "role": "issuer"},
                      {"attribute": "eduperson_affiliation", "value": "student",
                       "role": "learner"}]})
        assert restored.status_code == 200


def test_an_existing_account_is_linked_only_when_its_owner_confirms(configured: Campus
                                                                    ) -> None:
    """The provider's address has an account already: nobody is signed in to it; its owner,
    signed in with their password, confirms, and from then on the provider signs them in."""
    add_user(configured.live.settings, "student2@uni.example.jp", name="高橋 次郎")
    with _browser(configured) as browser:
        answer = sign_in_through(configured, browser, "student2")
        assert answer.status_code == 303
        location = answer.headers["location"]
        assert location.startswith("/sso/link?token=")
        assert not browser.cookies.get("credstack_session")
        # Not signed in: the link page sends the visitor to sign in first.
        asked = browser.get(f"{configured.live.url}{location}")
        assert asked.status_code in (302, 303) and "/sign-in" in asked.headers["location"]
    token = parse_qs(urlsplit(location).query)["token"][0]
    with signed_in_client(configured.live.url, "admin@hokuto.example.jp") as other:
        refused = other.post("/sso/link", data={"token": token})
        assert refused.status_code == 404
    with signed_in_client(configured.live.url, "student2@uni.example.jp") as owner:
        form = owner.get(f"/sso/link?token={token}")
        assert form.status_code == 200
        linked = owner.post("/sso/link", data={"token": token})
        assert linked.status_code == 303, linked.text
        again = owner.post("/sso/link", data={"token": token})
        assert again.status_code == 404
    assert entries(configured.live, "sso.link.pending") and entries(configured.live, "sso.link")
    assert roles(configured, "student2@uni.example.jp") == {(ORG, "learner")}
    with _browser(configured) as browser:
        answer = sign_in_through(configured, browser, "student2")
        assert answer.status_code == 303 and answer.headers["location"] == "/account"
        assert browser.get(f"{configured.live.url}/account").status_code == 200


@pytest.mark.parametrize(("how", "reason"), [
    ("nonce", "nonce"), ("aud", "audience"), ("iss", "issuer"), ("expired", "expired"),
    ("signature", "bad-signature")])
def test_a_wrong_id_token_is_refused_with_its_reason(configured: Campus, how: str,
                                                     reason: str) -> None:
    """The provider's id_token re-signed with one claim wrong (or with another key): refused,
    the page names the reason, the audit log records it, and nobody is signed in."""
    before = len(entries(configured.live, "sso.sign_in.refused"))
    configured.tamper(how)
    with _browser(configured) as browser:
        answer = sign_in_through(configured, browser, "staff1")
        assert answer.status_code == 401, answer.text
        assert f'data-reason="{reason}"' in answer.text
        assert not browser.cookies.get("credstack_session")
    refused = entries(configured.live, "sso.sign_in.refused")[before:]
    assert [e["reason"] for e in refused] == [reason]


def test_a_state_from_another_browser_or_used_twice_is_refused(configured: Campus) -> None:
    """The provider's answer opened in a browser that did not start the sign-in (no state
    cookie) is refused; so is the same answer brought back twice."""
    with _browser(configured) as started, _browser(configured) as other:
        target = callback_of(configured, started, "staff1")
        stolen = other.get(target)
        assert stolen.status_code == 401
        assert 'data-reason="state-cookie"' in stolen.text
        first = started.get(target)
        assert first.status_code == 303
    with _browser(configured) as browser:
        target = callback_of(configured, browser, "staff1")
        state = browser.cookies.get("credstack-sso-state")
        assert browser.get(target).status_code == 303
        browser.cookies.set("credstack-sso-state", state or "", path="/sso/")
        replayed = browser.get(target)
        assert replayed.status_code == 401
        assert 'data-reason="state"' in replayed.text
    reasons = [e["reason"] for e in entries(configured.live, "sso.sign_in.refused")]
    assert "state-cookie" in reasons and "state" in reasons


def test_an_unknown_provider_and_a_foreign_next_are_refused(configured: Campus) -> None:
    """An unknown provider is a page saying so (audited); a ``next`` off this site is
    replaced by home (no open redirect)."""
    with _browser(configured) as browser:
        unknown = browser.get(f"{configured.live.url}/sso/no-such-campus/start")
        assert unknown.status_code == 401
        assert 'data-reason="provider"' in unknown.text
        answer = sign_in_through(configured, browser, "staff1", next_path="//evil.example/")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/home"


def test_a_sign_out_at_the_provider_ends_the_credstack_session_by_back_channel(
        configured: Campus) -> None:
    """The person signs out at the provider (its end-session page): it posts a logout token
    naming its session (``sid``) to our back-channel logout URI, and the credstack session
    that sign-in made ends (its cookie no longer works), audited."""
    live = configured.live
    with _browser(configured) as browser:
        assert sign_in_through(configured, browser, "student2").status_code == 303
        token = browser.cookies.get("credstack_session")
        assert token and browser.get(f"{live.url}/account").status_code == 200
        ending = browser.get(f"{configured.provider}/session/end")
        assert ending.status_code == 200, ending.text[:2000]
        action = re.search(r'<form[^>]*action="([^"]+)"', ending.text)
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                                 ending.text))
        assert action, ending.text[:2000]
        done = browser.post(urljoin(str(ending.url), action[1]),
                            data={**fields, "logout": "yes"})
        assert done.status_code in (200, 302, 303), done.text[:2000]
    with httpx.Client(cookies={"credstack_session": token}) as after:
        assert after.get(f"{live.url}/account").status_code in (302, 303)
    [ended] = [e for e in entries(live, "sso.logout") if e.get("protocol") == "oidc"]
    assert ended["provider"] == SLUG and ended["sid"]


def _logout_token(campus: Campus, **claims: Any) -> str:
    made = httpx.post(f"{campus.provider}/__test/logout-token", json=claims)
    assert made.status_code == 200
    return str(made.json()["logout_token"])


@pytest.mark.parametrize(("claims", "reason"), [
    ({"sub": "u-0001", "nonce": "n"}, "nonce"),
    ({"sub": "u-0001", "aud": "another-client"}, "audience"),
    ({"sub": "u-0001", "iss": "http://127.0.0.1:1"}, "issuer"),
    ({"sub": "u-0001", "events": None}, "claims"),
    ({"sub": "u-0001", "jti": None}, "claims"),
    ({}, "claims"),
    ({"sub": "u-0001", "iat": 1_000_000_000}, "expired"),
])
def test_a_wrong_logout_token_is_refused_with_its_reason(configured: Campus,
                                                          claims: dict[str, Any],
                                                          reason: str) -> None:
    """A logout token signed by the provider but with a nonce, for another client, from
    another issuer, without the logout event, a jti, a sid or sub, or issued long ago: 400
    naming the reason, audited, no session ended."""
    url = f"{configured.live.url}/sso/oidc/{SLUG}/backchannel-logout"
    answer = httpx.post(url, data={"logout_token": _logout_token(configured, **claims)})
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_request", "error_description": reason}
    assert answer.headers["cache-control"] == "no-store"
    assert entries(configured.live, "sso.logout.refused")[-1]["reason"] == reason


def test_a_logout_token_brought_twice_is_refused(configured: Campus) -> None:
    """The same logout token (its jti) posted again is refused as replayed; one of another
    key's signature as bad-signature."""
    url = f"{configured.live.url}/sso/oidc/{SLUG}/backchannel-logout"
    token = _logout_token(configured, sub="u-9999")
    assert httpx.post(url, data={"logout_token": token}).status_code == 200
    again = httpx.post(url, data={"logout_token": token})
    assert again.status_code == 400 and again.json()["error_description"] == "replayed"
    head, body, signature = token.split(".")
    forged = httpx.post(url, data={"logout_token": f"{head}.{body}.{signature[::-1]}"})
    assert forged.status_code == 400
    assert forged.json()["error_description"] in ("bad-signature", "malformed")


def test_only_the_organisations_administrator_configures_its_providers(configured: Campus
                                                                        ) -> None:
    """Someone of another organisation may neither list nor add this one's providers."""
    add_user(configured.live.settings, "outsider@example.org", roles=[("other-uni",
                                                                       "provider-admin")])
    with signed_in_client(configured.live.url, "outsider@example.org") as outsider:
        assert outsider.get(f"/api/organisations/{ORG}/sso/providers").status_code == 403
        added = outsider.post(f"/api/organisations/{ORG}/sso/providers", json={
            "slug": "rogue", "name": "Rogue", "issuer": configured.provider,
            "client_id": "x", "allowed_roles": ["issuer"], "rules": []})
        assert added.status_code == 403
    with signed_in_client(configured.live.url, "admin@hokuto.example.jp") as admin:
        listed = admin.get(f"/api/organisations/{ORG}/sso/providers").json()
        assert [p["slug"] for p in listed] == [SLUG]


#: The title of the test programme the graduate's credentials are of.
TITLE = "Practical Introduction to Data Science"


@pytest.fixture(scope="module")
def graduating(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campus]:
    """A campus at ``http://localhost`` (WebAuthn takes no IP address) whose student has
    two credentials issued to their campus address before they first sign in."""
    _need_provider()
    settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("graduating")))
    now = dt.datetime.now(dt.UTC)
    assert settings.secret_key is not None
    provider_store(settings, secret=settings.secret_key, now=now)
    issued_credentials(settings, secret=settings.secret_key, now=now, batch="spring",
                       cohort="email,name\nstudent2@uni.example.jp,高橋 次郎\n")
    issued_credentials(settings, secret=settings.secret_key, now=now, batch="autumn",
                       cohort="email,name\nstudent2@uni.example.jp,高橋 次郎\n")
    add_organisation(settings, ORG)
    add_user(settings, "admin@hokuto.example.jp", name="Admin", roles=[(ORG, "provider-admin")])
    provider_port = free_port()
    process = _start_provider(provider_port, f"{settings.public_url}/sso/oidc/callback")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
            for live in serve(settings, port=port):
                with signed_in_client(live.url, "admin@hokuto.example.jp") as admin:
                    added = admin.post(f"/api/organisations/{ORG}/sso/providers", json={
                        "slug": SLUG, "name": "北斗大学 (Hokuto University)",
                        "issuer": f"http://127.0.0.1:{provider_port}",
                        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                        "scopes": "openid email profile affiliation",
                        "allowed_roles": ["learner"],
                        "rules": [{"attribute": "eduperson_affiliation", "value": "student",
                                   "role": "learner"}]})
                    assert added.status_code == 201, added.text
                yield Campus(live, f"http://127.0.0.1:{provider_port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.browser
def test_a_graduate_keeps_their_wallet_with_a_passkey_after_the_campus_account_ends(
        graduating: Campus, browser: Browser) -> None:
    """In Chromium: the student signs in through the campus (the sign-in page's institution
    link), finds both credentials in the wallet, registers a passkey with the platform
    authenticator; the campus account ends, the campus no longer signs them in — and the
    passkey still does, to the same wallet with both credentials."""
    from playwright.sync_api import expect

    from tests.entrypoints.web.pages.test_passkeys_browser import authenticator

    base = graduating.live.settings.public_url
    page = new_tab(browser, locale="en-GB")
    try:
        authenticator(page)
        page.goto(f"{base}/sign-in?next=/wallet")
        page.get_by_role("link", name="北斗大学 (Hokuto University)").click()
        page.get_by_label("User name").fill("student2")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/wallet*")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # Both credentials issued to the campus address, each verified as it is shown.
        assert page.locator("main").inner_text().count(TITLE) == 2

        page.goto(f"{base}/account")
        page.locator("#passkey-name").fill("My phone")
        page.get_by_role("button", name="Create the passkey").click()
        page.wait_for_url("**/account?done=passkey-added*")
        page.get_by_role("button", name="Sign out").click()

        assert httpx.post(f"{graduating.provider}/__test/leave", content="student2"
                          ).json() == {"left": True}
        # Another day: the campus session is gone too (the browser's cookies are).
        page.context.clear_cookies()
        page.goto(f"{base}/sign-in?next=/wallet")
        page.get_by_role("link", name="北斗大学 (Hokuto University)").click()
        page.get_by_label("User name").fill("student2")
        page.get_by_role("button", name="Sign in").click()
        # The campus no longer signs them in: its refusal comes back to credstack's page.
        page.wait_for_url(f"{base}/sso/oidc/callback*")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert "/wallet" not in page.url

        page.goto(f"{base}/sign-in?next=/wallet")
        page.locator("#passkey-sign-in").get_by_role("button").click()
        page.wait_for_url(f"{base}/wallet*")
        assert page.locator("main").inner_text().count(TITLE) == 2
    finally:
        page.context.close()
