"""The account API over HTTP: one's own password, and the users administrators look after
(passwords set and reset, accounts disabled and enabled), with who may do what."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests import patiently
from tests.accounts import PASSWORD, add_user, api_client, bearer_token, sign_in, signed_in_client
from tests.conftest import LiveServer, serve

ADMIN = "admin@example.org"
STAFF = "staff@example.org"
NEW = "a brand new passphrase"


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    served = dataclasses.replace(settings, secret_key=new_master_key_text())
    for server in serve(served):
        add_user(server.settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
        add_user(server.settings, STAFF, roles=[("hokuto-tech", "issuer")])
        yield server


def token_client(live: LiveServer, email: str, scopes: list[str]) -> httpx.Client:
    token = bearer_token(live.url, *api_client(live.settings, email, scopes))
    return httpx.Client(base_url=live.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def test_a_user_changes_their_password_and_their_other_sessions_end(live):
    """POST /api/me/password: the current password is needed; the new one follows the
    policy; the session used stays, the others end; the new password signs in."""
    other = signed_in_client(live.url, STAFF)
    with signed_in_client(live.url, STAFF) as web:
        wrong = web.post("/api/me/password", json={"current_password": "not it at all",
                                                     "new_password": NEW})
        assert wrong.status_code == 422
        assert wrong.json()["errors"][0]["location"] == "current_password"
        short = web.post("/api/me/password", json={"current_password": PASSWORD,
                                                     "new_password": "short"})
        assert short.status_code == 422 and "12" in short.json()["detail"]
        assert web.post("/api/me/password", json={"current_password": PASSWORD,
                                                   "new_password": NEW}).status_code == 204
        assert web.get("/api/me").status_code == 200
    assert other.get("/api/me").status_code == 401
    other.close()
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        assert sign_in(browser, STAFF, PASSWORD).status_code == 401
        assert sign_in(browser, STAFF, NEW).status_code == 303


def test_an_access_token_cannot_change_its_owners_password(live):
    with token_client(live, STAFF, ["credentials:issue"]) as robot:
        refused = robot.post("/api/me/password", json={"current_password": PASSWORD,
                                                       "new_password": NEW})
    assert refused.status_code == 403


def test_a_provider_admin_resets_only_people_wholly_of_their_organisation(live):
    """Their issuer: a link; someone who also belongs elsewhere, or nowhere: 403; nobody: 404."""
    add_user(live.settings, "both@example.org",
             roles=[("hokuto-tech", "issuer"), ("saikai-u", "issuer")])
    add_user(live.settings, "loner@example.org")
    with token_client(live, ADMIN, ["accounts:manage"]) as admin:
        made = admin.post(f"/api/users/{STAFF}/password-reset")
        assert made.status_code == 201, made.text
        assert made.headers["cache-control"] == "no-store"
        assert "/password-reset/" in made.json()["reset_url"]
        for email in ("both@example.org", "loner@example.org"):
            assert admin.post(f"/api/users/{email}/password-reset").status_code == 403
            assert admin.put(f"/api/users/{email}/password",
                             json={"password": NEW}).status_code == 403
        assert admin.post("/api/users/nobody@example.org/password-reset").status_code == 404
        assert admin.put(f"/api/users/{STAFF}/password",
                         json={"password": NEW}).status_code == 204
        # Listing everyone, and disabling, are a registry admin's.
        assert admin.get("/api/users").status_code == 403
        assert admin.post(f"/api/users/{STAFF}/disable").status_code == 403


def test_a_disabled_user_is_refused_at_once_with_a_message_and_enabled_again(live):
    """Disabling ends the web session (403 saying so) and the tokens (401 saying so); the
    sign-in says so too; enabled again, the user signs in anew."""
    add_user(live.settings, "root@example.org", roles=[(None, "registry-admin")])
    web = signed_in_client(live.url, STAFF)
    robot = token_client(live, STAFF, ["credentials:issue"])
    with token_client(live, "root@example.org", ["accounts:manage"]) as root:
        listed = root.get("/api/users").json()
        assert {user["email"] for user in listed} >= {ADMIN, STAFF}
        disabled = root.post(f"/api/users/{STAFF}/disable")
        assert disabled.status_code == 200 and disabled.json()["disabled"] is True
        refused = web.get("/api/me")
        assert refused.status_code == 403
        assert refused.json()["type"] == "/problems/account-disabled"
        assert "disabled" in refused.json()["detail"]
        gone = robot.get("/api/me")
        assert gone.status_code == 401 and "disabled" in gone.json()["detail"]
        with httpx.Client(base_url=live.url, timeout=30) as browser:
            assert sign_in(browser, STAFF, PASSWORD).status_code == 403
        assert root.post(f"/api/users/{STAFF}/enable").json()["disabled"] is False
    assert web.get("/api/me").status_code == 401
    assert robot.get("/api/me").status_code == 200
    web.close()
    robot.close()
    with signed_in_client(live.url, STAFF) as again:
        assert again.get("/api/me").json()["email"] == STAFF


def test_guessing_the_current_password_locks_like_signing_in(live):
    """Wrong current passwords count as failed sign-ins: after five, even the right one is
    429 with Retry-After, and signing in is locked too."""
    with signed_in_client(live.url, STAFF) as web:
        for _ in range(5):
            assert web.post("/api/me/password", json={
                "current_password": "a wrong guess 123", "new_password": NEW}
            ).status_code == 422
        locked = web.post("/api/me/password", json={"current_password": PASSWORD,
                                                      "new_password": NEW})
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        assert sign_in(browser, STAFF, PASSWORD).status_code == 429


def test_an_organisations_admin_invites_lists_renews_and_revokes(live):
    """POST answers the link once (no-store), a second invitation of the address renews it
    (the old link stops working), GET lists the pending ones, DELETE revokes; an issuer is
    refused, a role the organisation does not give is a 422, an unknown id a 404."""
    with token_client(live, ADMIN, ["accounts:manage"]) as admin:
        made = admin.post("/api/organisations/hokuto-tech/invitations",
                          json={"email": "New@Example.jp", "role": "issuer", "language": "en"})
        assert made.status_code == 201, made.text
        assert made.headers["cache-control"] == "no-store"
        first = made.json()
        assert (first["email"], first["role"], first["renewed"]) == \
            ("new@example.jp", "issuer", False)
        assert "/invitations/" in first["invitation_url"]
        assert patiently.get(first["invitation_url"].replace(live.settings.public_url, live.url),
                             headers={"Accept": "text/html"}).status_code == 200
        again = admin.post("/api/organisations/hokuto-tech/invitations",
                           json={"email": "new@example.jp", "role": "learner"}).json()
        assert again["renewed"] and again["id"] == first["id"]
        assert patiently.get(first["invitation_url"].replace(live.settings.public_url, live.url),
                             headers={"Accept": "text/html"}).status_code == 404
        listed = admin.get("/api/organisations/hokuto-tech/invitations").json()
        assert [(i["email"], i["role"]) for i in listed] == [("new@example.jp", "learner")]
        refused = admin.post("/api/organisations/hokuto-tech/invitations",
                             json={"email": "x@example.jp", "role": "evaluator"})
        assert refused.status_code == 422, refused.text
        assert admin.delete(f"/api/organisations/hokuto-tech/invitations/{first['id']}"
                            ).status_code == 204
        assert admin.get("/api/organisations/hokuto-tech/invitations").json() == []
        assert admin.delete("/api/organisations/hokuto-tech/invitations/999"
                            ).status_code == 404
    with token_client(live, STAFF, ["credentials:issue"]) as issuer:
        assert issuer.get("/api/organisations/hokuto-tech/invitations").status_code == 403
        assert issuer.post("/api/organisations/hokuto-tech/invitations", json={
            "email": "y@example.jp", "role": "issuer"}).status_code == 403
