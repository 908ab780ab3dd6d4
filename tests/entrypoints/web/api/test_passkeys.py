"""The passkeys API over HTTP, on SQLite and PostgreSQL (issue 57): registering several
named passkeys, signing in with one and no password, challenges bound to one browser and
used once, the relying party's checks, removal, each audited."""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import (
    SignedInClient,
    add_user,
    api_client,
    bearer_token,
    sign_in,
    signed_in_client,
    store_session,
)
from tests.conftest import LiveServer, at_own_url, serve
from tests.passkeys import SoftAuthenticator, b64url

LEARNER = "learner@example.jp"


_learner_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[LiveServer]:
    """The app at ``http://localhost:<port>``: its relying party id is ``localhost``. One
    server per database for the module: each test signs in as a learner of its own
    (:func:`learner`) and counts only the audit entries made since it began (:func:`mark`)."""
    served, port = at_own_url(dataclasses.replace(module_settings,
                                                  secret_key=new_master_key_text()))
    yield from serve(served, port=port)


@pytest.fixture
def learner(live: LiveServer) -> str:
    """A learner of this test alone, with no passkey yet."""
    email = f"learner-{next(_learner_numbers)}@example.jp"
    add_user(live.settings, email, name="Aoi Learner")
    return email


@pytest.fixture
def mark(live: LiveServer) -> int:
    """The audit log's last seq when the test began."""
    with store_session(live.settings) as session:
        last = audit.entries(session, latest=True, limit=1)
    return last[-1].seq if last else 0


@pytest.fixture
def own_server(settings: Settings) -> Iterator[LiveServer]:
    """A server of the test's own, for a test whose failed passkey sign-ins would count
    towards the lock of every passkey sign-in from its address (five failures in a row)."""
    served, port = at_own_url(dataclasses.replace(settings, secret_key=new_master_key_text()))
    for server in serve(served, port=port):
        add_user(server.settings, LEARNER, name="Aoi Learner")
        yield server


def entries(live: LiveServer, action: str, *, after: int | None = None
            ) -> list[dict[str, Any]]:
    """The audit entries of ``action`` (the last 200 entries', or those after seq ``after``)."""
    with store_session(live.settings) as session:
        found = (audit.entries(session, latest=True, limit=200) if after is None
                 else audit.entries(session, after=after, limit=200))
    return [{"actor": e.actor, "subject": e.subject, **e.details}
            for e in found if e.action == action]


def register(web: httpx.Client, device: SoftAuthenticator, name: str) -> httpx.Response:
    options = web.post("/api/me/passkeys/options")
    assert options.status_code == 200, options.text
    return web.post("/api/me/passkeys",
                    json={"name": name, "credential": device.create(options.json())})


def passkey_sign_in(live: LiveServer, device: SoftAuthenticator, *,
                    answer: Any = None) -> tuple[httpx.Client, httpx.Response]:
    """A fresh browser that signs in with ``device`` (or sends ``answer(options)``)."""
    browser = SignedInClient(base_url=live.url, timeout=30)
    options = browser.post("/api/passkeys/sign-in/options")
    assert options.status_code == 200, options.text
    assert options.json()["allowCredentials"] == []  # usernameless: the device offers its own
    credential = (answer or device.get)(options.json())
    return browser, browser.post("/api/passkeys/sign-in",
                                 json={"credential": credential, "next": "/wallet"})


def test_a_person_registers_passkeys_and_signs_in_with_one_without_a_password(
        live: LiveServer, learner: str, mark: int) -> None:
    """Two named passkeys on two devices; each signs a fresh browser in, no address or
    password asked; the sign-in and the registrations are audited, the last use kept."""
    phone = SoftAuthenticator(origin=live.settings.public_url)
    laptop = SoftAuthenticator(origin=live.settings.public_url)
    with signed_in_client(live.url, learner) as web:
        options = web.post("/api/me/passkeys/options").json()
        assert options["rp"] == {"id": "localhost", "name": "credstack"}
        assert options["authenticatorSelection"]["residentKey"] == "required"
        assert options["authenticatorSelection"]["userVerification"] == "required"
        made = web.post("/api/me/passkeys", json={"name": " Aoi's  phone ",
                                                  "credential": phone.create(options)})
        assert made.status_code == 201, made.text
        assert made.json()["name"] == "Aoi's phone"
        assert made.json()["transports"] == ["internal"]
        second = web.post("/api/me/passkeys/options").json()
        assert [c["id"] for c in second["excludeCredentials"]] == [
            b64url(phone.resident[0].credential_id)]
        assert second["user"]["id"] == options["user"]["id"]  # one handle per account
        assert web.post("/api/me/passkeys", json={
            "name": "Laptop", "credential": laptop.create(second)}).status_code == 201
        listed = web.get("/api/me/passkeys").json()
        assert [p["name"] for p in listed] == ["Aoi's phone", "Laptop"]
        assert all(p["lastUsedAt"] is None for p in listed)

    for device in (phone, laptop):
        browser, answer = passkey_sign_in(live, device)
        with browser:
            assert answer.status_code == 200, answer.text
            assert answer.json() == {"next": "/wallet"}
            me = browser.get("/api/me").json()
            assert me["email"] == learner
    registered = entries(live, "passkey.registered", after=mark)
    assert [e["name"] for e in registered] == ["Aoi's phone", "Laptop"]
    signed = [e for e in entries(live, "login.succeeded", after=mark)
              if e.get("method") == "passkey"]
    assert len(signed) == 2 and signed[0]["actor"] == signed[0]["subject"]
    with signed_in_client(live.url, learner) as web:
        assert all(p["lastUsedAt"] for p in web.get("/api/me/passkeys").json())


def test_a_sign_in_challenge_answers_once_and_only_to_its_browser(
        live: LiveServer, learner: str, mark: int) -> None:
    """The same answer sent twice, or by a browser that did not begin the ceremony, is
    refused with one message and audited; so is an answer to a challenge never given."""
    device = SoftAuthenticator(origin=live.settings.public_url)
    with signed_in_client(live.url, learner) as web:
        assert register(web, device, "Phone").status_code == 201
    browser = httpx.Client(base_url=live.url, timeout=30)
    with browser:
        options = browser.post("/api/passkeys/sign-in/options").json()
        credential = device.get(options)
        # Another browser, without this one's cookie, cannot use the answer.
        stranger = httpx.post(f"{live.url}/api/passkeys/sign-in",
                              json={"credential": credential})
        assert stranger.status_code == 401
        assert "passkey" in stranger.json()["detail"]
        first = browser.post("/api/passkeys/sign-in", json={"credential": credential})
        assert first.status_code == 200, first.text
        browser.cookies.set("credstack_passkey", "x", path="/api/passkeys/sign-in")
        again = browser.post("/api/passkeys/sign-in", json={"credential": credential})
        assert again.status_code == 401
    reasons = [e["reason"] for e in entries(live, "login.failed", after=mark)]
    assert reasons.count("no sign-in under way in this browser") == 2


@pytest.mark.parametrize("spoil", ["origin", "challenge", "unverified", "cloned", "unknown"])
def test_an_answer_that_does_not_check_out_signs_nobody_in(own_server: LiveServer,
                                                           spoil: str) -> None:
    """Another site's origin, another challenge, no user verification, a signature
    counter that went back (a copied authenticator) and an unknown passkey are refused."""
    device = SoftAuthenticator(origin=own_server.settings.public_url)
    with signed_in_client(own_server.url, LEARNER) as web:
        assert register(web, device, "Phone").status_code == 201
    if spoil == "cloned":
        _, answer = passkey_sign_in(own_server, device)
        assert answer.status_code == 200
        device.resident[0].sign_count -= 1
    if spoil == "origin":
        device.origin = "http://localhost.evil.example"
    if spoil == "unverified":
        device.verifies = False

    def answer_of(options: dict[str, Any]) -> dict[str, Any]:
        if spoil == "challenge":
            options = {**options, "challenge": b64url(b"another challenge altogether")}
        if spoil == "unknown":
            other = SoftAuthenticator(origin=own_server.settings.public_url)
            other.create({"rp": {"id": "localhost"}, "user": {"id": b64url(b"h")},
                          "challenge": options["challenge"]})
            return other.get(options)
        return device.get(options)

    browser, answer = passkey_sign_in(own_server, device, answer=answer_of)
    with browser:
        assert answer.status_code == 401, answer.text
        assert browser.get("/api/me").status_code == 401
    failed = entries(own_server, "login.failed")[-1]
    assert failed["method"] == "passkey" and failed["reason"]


def test_a_registration_is_bound_to_the_session_that_began_it(
        live: LiveServer, learner: str, mark: int) -> None:
    """The owner's other session cannot finish a registration this one began, nor can the
    same answer be kept twice; an access token registers nothing."""
    device = SoftAuthenticator(origin=live.settings.public_url)
    with signed_in_client(live.url, learner) as web, \
            signed_in_client(live.url, learner) as other:
        options = web.post("/api/me/passkeys/options").json()
        credential = device.create(options)
        elsewhere = other.post("/api/me/passkeys", json={"name": "X", "credential": credential})
        assert elsewhere.status_code == 422
        assert elsewhere.json()["errors"][0]["location"] == "credential"
        assert web.post("/api/me/passkeys",
                        json={"name": "Phone", "credential": credential}).status_code == 201
        replay = web.post("/api/me/passkeys",
                          json={"name": "Phone", "credential": copy.deepcopy(credential)})
        assert replay.status_code == 422
        nameless = web.post("/api/me/passkeys/options")
        assert nameless.status_code == 200
        empty = web.post("/api/me/passkeys", json={"name": "  ", "credential": credential})
        assert empty.status_code == 422 and empty.json()["errors"][0]["location"] == "name"
    refused = [e["reason"] for e in entries(live, "passkey.refused", after=mark)]
    assert refused == ["no registration under way in this session"] * 2
    token = bearer_token(live.url, *api_client(live.settings, learner, ["wallet:read"]))
    robot = httpx.post(f"{live.url}/api/me/passkeys/options",
                       headers={"Authorization": f"Bearer {token}"})
    assert robot.status_code == 403


def test_removing_a_passkey_ends_it_and_the_other_sessions(live: LiveServer,
                                                          learner: str) -> None:
    """DELETE /api/me/passkeys/{id}: audited with its name; it signs in no more; the other
    sessions of the account end, the one it was removed in stays."""
    device = SoftAuthenticator(origin=live.settings.public_url)
    with signed_in_client(live.url, learner) as web:
        made = register(web, device, "Old phone").json()
        browser, answer = passkey_sign_in(live, device)
        assert answer.status_code == 200
        assert web.delete("/api/me/passkeys/999").status_code == 404
        assert web.delete(f"/api/me/passkeys/{made['id']}").status_code == 204
        assert web.get("/api/me/passkeys").json() == []
        assert web.get("/api/me").status_code == 200
        with browser:
            assert browser.get("/api/me").status_code == 401
    removed = entries(live, "passkey.removed")
    assert removed[-1]["name"] == "Old phone" and removed[-1]["sessions_ended"] == 1
    _, again = passkey_sign_in(live, device)
    assert again.status_code == 401



def test_an_organisation_that_switches_passwords_off_signs_its_members_in_by_passkey(
        live: LiveServer) -> None:
    """Its administrator switches passwords off (audited; a member may not): a member's right
    password is refused on the sign-in page with a message saying to use a passkey (in
    English and Japanese); the member's passkey still signs in; switched on again, the
    password works."""
    admin = "admin@hokuto.example.jp"
    staff = "staff@hokuto.example.jp"
    add_user(live.settings, admin, roles=[("hokuto-tech", "provider-admin")])
    add_user(live.settings, staff, roles=[("hokuto-tech", "issuer")])
    device = SoftAuthenticator(origin=live.settings.public_url)
    with signed_in_client(live.url, staff) as web:
        assert register(web, device, "Staff phone").status_code == 201
        refused = web.put("/api/organisations/hokuto-tech/passwords", json={"allowed": False})
        assert refused.status_code == 403
    with signed_in_client(live.url, admin) as web:
        assert web.get("/api/organisations/hokuto-tech/passwords").json() == {"allowed": True}
        off = web.put("/api/organisations/hokuto-tech/passwords", json={"allowed": False})
        assert off.status_code == 200 and off.json() == {"allowed": False}
        assert entries(live, "organisation.passwords.off")[-1]["subject"] == \
            "organisation:hokuto-tech"

        for language, words in (("en", "switched passwords off"),
                                ("ja", "パスワードでのサインインを停止")):
            with httpx.Client(base_url=live.url, timeout=30,
                              headers={"Accept-Language": language}) as browser:
                answer = sign_in(browser, staff)
                assert answer.status_code == 403
                assert words in answer.text
        assert entries(live, "login.failed")[-1]["reason"] == "passwords switched off"
        with httpx.Client(base_url=live.url, timeout=30) as browser:
            # A wrong password is told as wrong: the switch is told only to the right one.
            wrong = sign_in(browser, staff, "not the password at all")
            assert wrong.status_code == 401 and "switched passwords off" not in wrong.text
        passkey_browser, by_passkey = passkey_sign_in(live, device)
        with passkey_browser:
            assert by_passkey.status_code == 200
            assert passkey_browser.get("/api/me").json()["email"] == staff

        on = web.put("/api/organisations/hokuto-tech/passwords", json={"allowed": True})
        assert on.json() == {"allowed": True}
    assert entries(live, "organisation.passwords.on")
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        assert sign_in(browser, staff).status_code == 303
