"""The account API over HTTP: one's own password, and the users administrators look after
(passwords set and reset, accounts disabled and enabled), with who may do what."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests import patiently
from tests.accounts import (
    PASSWORD,
    add_user,
    api_client,
    bearer_token,
    sign_in,
    signed_in_client,
    store_session,
    token_response,
)
from tests.conftest import LiveServer, serve

ADMIN = "admin@example.org"
STAFF = "staff@example.org"
ROOT = "root@example.org"
NEW = "a brand new passphrase"
_staff_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module: each test acts on an issuer of its own
    (:func:`staff`), whose password, sessions, tokens and clients no other test touches; the
    organisation's admin and the registry admin are only read."""
    served = dataclasses.replace(module_settings, secret_key=new_master_key_text())
    for server in serve(served):
        add_user(server.settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
        add_user(server.settings, ROOT, roles=[(None, "registry-admin")])
        yield server


@pytest.fixture
def staff(live: LiveServer) -> str:
    """An issuer of hokuto-tech's for this test alone."""
    email = f"staff-{next(_staff_numbers)}@example.org"
    add_user(live.settings, email, roles=[("hokuto-tech", "issuer")])
    return email


@pytest.fixture
def own_server(settings: Settings) -> Iterator[LiveServer]:
    """A server of the test's own, for a test that locks sign-ins from its address (the
    address's limit counts failures on every account)."""
    served = dataclasses.replace(settings, secret_key=new_master_key_text())
    for server in serve(served):
        add_user(server.settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
        add_user(server.settings, STAFF, roles=[("hokuto-tech", "issuer")])
        yield server


def token_client(live: LiveServer, email: str, scopes: list[str]) -> httpx.Client:
    token = bearer_token(live.url, *api_client(live.settings, email, scopes))
    return httpx.Client(base_url=live.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def last_entry(live: LiveServer, action: str) -> dict[str, object]:
    with store_session(live.settings) as session:
        found = [entry for entry in audit.entries(session, latest=True, limit=50)
                 if entry.action == action]
    assert found, action
    return dict(found[-1].details)


def bearer(live: LiveServer, token: str) -> httpx.Response:
    return patiently.get(f"{live.url}/api/me", headers={"Authorization": f"Bearer {token}"})


def test_a_user_changes_their_password_and_their_other_sessions_end(live, staff):
    """POST /api/me/password: the current password is needed; the new one follows the
    policy; the session used stays, the others end; the new password signs in."""
    other = signed_in_client(live.url, staff)
    with signed_in_client(live.url, staff) as web:
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
        assert sign_in(browser, staff, PASSWORD).status_code == 401
        assert sign_in(browser, staff, NEW).status_code == 303


def test_an_access_token_cannot_change_its_owners_password(live, staff):
    with token_client(live, staff, ["credentials:issue"]) as robot:
        refused = robot.post("/api/me/password", json={"current_password": PASSWORD,
                                                       "new_password": NEW})
    assert refused.status_code == 403


def test_a_provider_admin_resets_only_people_wholly_of_their_organisation(live, staff):
    """Their issuer: a link; someone who also belongs elsewhere, or nowhere: 403; nobody: 404."""
    add_user(live.settings, "both@example.org",
             roles=[("hokuto-tech", "issuer"), ("saikai-u", "issuer")])
    add_user(live.settings, "loner@example.org")
    with token_client(live, ADMIN, ["accounts:manage"]) as admin:
        made = admin.post(f"/api/users/{staff}/password-reset")
        assert made.status_code == 201, made.text
        assert made.headers["cache-control"] == "no-store"
        assert "/password-reset/" in made.json()["reset_url"]
        for email in ("both@example.org", "loner@example.org"):
            assert admin.post(f"/api/users/{email}/password-reset").status_code == 403
            assert admin.put(f"/api/users/{email}/password",
                             json={"password": NEW}).status_code == 403
        assert admin.post("/api/users/nobody@example.org/password-reset").status_code == 404
        assert admin.put(f"/api/users/{staff}/password",
                         json={"password": NEW}).status_code == 204
        # Listing everyone, and disabling, are a registry admin's.
        assert admin.get("/api/users").status_code == 403
        assert admin.post(f"/api/users/{staff}/disable").status_code == 403


def test_a_disabled_user_is_refused_at_once_with_a_message_and_enabled_again(live, staff):
    """Disabling ends the web session (403 saying so) and the tokens (401 saying so); the
    sign-in says so too; enabled again, the user signs in anew."""
    web = signed_in_client(live.url, staff)
    robot = token_client(live, staff, ["credentials:issue"])
    with token_client(live, ROOT, ["accounts:manage"]) as root:
        listed = root.get("/api/users").json()
        assert {user["email"] for user in listed} >= {ADMIN, staff}
        disabled = root.post(f"/api/users/{staff}/disable")
        assert disabled.status_code == 200 and disabled.json()["disabled"] is True
        refused = web.get("/api/me")
        assert refused.status_code == 403
        assert refused.json()["type"] == "/problems/account-disabled"
        assert "disabled" in refused.json()["detail"]
        gone = robot.get("/api/me")
        assert gone.status_code == 401 and "disabled" in gone.json()["detail"]
        with httpx.Client(base_url=live.url, timeout=30) as browser:
            assert sign_in(browser, staff, PASSWORD).status_code == 403
        assert root.post(f"/api/users/{staff}/enable").json()["disabled"] is False
    assert web.get("/api/me").status_code == 401
    # What ended stays ended when the account is enabled again.
    assert robot.get("/api/me").status_code == 401
    web.close()
    robot.close()
    with signed_in_client(live.url, staff) as again:
        assert again.get("/api/me").json()["email"] == staff


def test_a_password_change_ends_the_api_clients_secret_until_its_owner_issues_a_new_one(
        live, staff):
    """Issue 55, M2: a client made before the password changed got tokens after it. Now the
    change ends the sessions in other browsers, the tokens and the client's secret (one
    entry counting each); the client stays, listed with when its secret ended; a token
    request with it is invalid_client, worded as for a wrong secret unless the secret is
    right; the owner issues a new secret (answered once) and tokens come again."""
    other = signed_in_client(live.url, staff)
    with signed_in_client(live.url, staff) as web:
        made = web.post("/api/me/clients", json={"name": "CI", "scopes": ["credentials:issue"]})
        assert made.status_code == 201, made.text
        client_id, secret = made.json()["client_id"], made.json()["client_secret"]
        held = bearer_token(live.url, client_id, secret)
        assert bearer(live, held).status_code == 200
        assert web.post("/api/me/password", json={"current_password": PASSWORD,
                                                   "new_password": NEW}).status_code == 204
        assert other.get("/api/me").status_code == 401
        assert bearer(live, held).status_code == 401
        ended = token_response(live.url, client_id, secret)
        assert ended.status_code == 401 and ended.json()["error"] == "invalid_client"
        assert "password" in ended.json()["error_description"]
        assert last_entry(live, "password.changed") == {
            "via": "account", "sessions_ended": 1, "tokens_ended": 1,
            "client_secrets_ended": 1}
        wrong = token_response(live.url, client_id, "not the secret")
        live_client, _ = api_client(live.settings, ADMIN, ["credentials:issue"])
        wrong_live = token_response(live.url, live_client, "not the secret")
        assert wrong.status_code == wrong_live.status_code == 401
        assert wrong.json() == wrong_live.json()
        assert "password" not in wrong.text
        [listed] = web.get("/api/me/clients").json()
        assert listed["secret_ended_at"] is not None and listed["revoked_at"] is None
        renewed = web.post(f"/api/me/clients/{client_id}/secret")
        assert renewed.status_code == 201, renewed.text
        assert renewed.headers["cache-control"] == "no-store"
        fresh = renewed.json()["client_secret"]
        assert fresh != secret and renewed.json()["secret_ended_at"] is None
        assert bearer(live, bearer_token(live.url, client_id, fresh)).status_code == 200
        assert token_response(live.url, client_id, secret).status_code == 401
        assert last_entry(live, "client.secret_renewed") == {"owner": f"user:{listed_owner(web)}",
                                                              "tokens_ended": 0}
    other.close()


def listed_owner(web: httpx.Client) -> int:
    user_id: int = web.get("/api/me").json()["user_id"]
    return user_id


def test_only_the_signed_in_owner_issues_a_clients_new_secret(live, staff):
    """Not an access token (not even the client's own), not another user (404 as for a
    client that does not exist), not for a revoked client (409)."""
    client_id, secret = api_client(live.settings, staff, ["credentials:issue"])
    with token_client(live, staff, ["credentials:issue"]) as robot:
        assert robot.post(f"/api/me/clients/{client_id}/secret").status_code == 403
    with signed_in_client(live.url, ADMIN) as stranger:
        assert stranger.post(f"/api/me/clients/{client_id}/secret").status_code == 404
    with signed_in_client(live.url, staff) as web:
        assert web.post("/api/me/clients/cs_nobody/secret").status_code == 404
        assert web.delete(f"/api/me/clients/{client_id}").status_code == 204
        assert web.post(f"/api/me/clients/{client_id}/secret").status_code == 409
    assert token_response(live.url, client_id, secret).status_code == 401


def test_an_administrators_lock_ends_the_clients_secret_and_tokens_for_good(live, staff):
    """Disabling an account ends its sessions, tokens and API client secrets (counted in the
    one user.disabled entry); enabled again, none of them works until the owner issues a
    new secret."""
    client_id, secret = api_client(live.settings, staff, ["credentials:issue"])
    held = bearer_token(live.url, client_id, secret)
    web = signed_in_client(live.url, staff)
    with token_client(live, ROOT, ["accounts:manage"]) as root:
        assert root.post(f"/api/users/{staff}/disable").status_code == 200
        assert last_entry(live, "user.disabled") == {
            "sessions_ended": 1, "tokens_ended": 1, "client_secrets_ended": 1}
        assert root.post(f"/api/users/{staff}/enable").status_code == 200
    assert bearer(live, held).status_code == 401
    assert web.get("/api/me").status_code == 401
    web.close()
    refused = token_response(live.url, client_id, secret)
    assert refused.status_code == 401 and "disabled" in refused.json()["error_description"]
    with signed_in_client(live.url, staff) as again:
        fresh = again.post(f"/api/me/clients/{client_id}/secret").json()["client_secret"]
    assert bearer(live, bearer_token(live.url, client_id, fresh)).status_code == 200


def test_a_password_an_administrator_sets_ends_the_clients_secret(live, staff):
    """PUT /api/users/{email}/password: the same endings, in the password.set entry."""
    client_id, secret = api_client(live.settings, staff, ["credentials:issue"])
    with token_client(live, ADMIN, ["accounts:manage"]) as admin:
        assert admin.put(f"/api/users/{staff}/password",
                         json={"password": NEW}).status_code == 204
    assert last_entry(live, "password.set") == {
        "sessions_ended": 0, "tokens_ended": 0, "client_secrets_ended": 1}
    assert token_response(live.url, client_id, secret).status_code == 401


def test_guessing_the_current_password_locks_like_signing_in(own_server):
    """Wrong current passwords count as failed sign-ins: after five, even the right one is
    429 with Retry-After, and signing in is locked too."""
    with signed_in_client(own_server.url, STAFF) as web:
        for _ in range(5):
            assert web.post("/api/me/password", json={
                "current_password": "a wrong guess 123", "new_password": NEW}
            ).status_code == 422
        locked = web.post("/api/me/password", json={"current_password": PASSWORD,
                                                      "new_password": NEW})
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    with httpx.Client(base_url=own_server.url, timeout=30) as browser:
        assert sign_in(browser, STAFF, PASSWORD).status_code == 429


def test_an_organisations_admin_invites_lists_renews_and_revokes(live, staff):
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
    with token_client(live, staff, ["credentials:issue"]) as issuer:
        assert issuer.get("/api/organisations/hokuto-tech/invitations").status_code == 403
        assert issuer.post("/api/organisations/hokuto-tech/invitations", json={
            "email": "y@example.jp", "role": "issuer"}).status_code == 403
