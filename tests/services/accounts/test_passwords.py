"""Passwords: set by an administrator, reset with a one-time link."""

from __future__ import annotations

import pytest

from credstack.errors import (
    AuthenticationRequiredError,
    InputError,
    InvalidTokenError,
    NotFoundError,
)
from credstack.services.accounts import clients, passwords, sessions, sign_in
from credstack.services.accounts import service as accounts
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.accounts import PASSWORD
from tests.conftest import Clock
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]
EMAIL = "staff@example.org"
NEW = "a brand new passphrase"


@pytest.fixture
def staff(runtime: Runtime) -> accounts.User:
    return accounts.add_user(runtime, actor=OPERATOR, email=EMAIL, display_name="Staff",
                             password=PASSWORD, organisation="hokuto-tech", role="issuer")


def _sign_in(runtime: Runtime, password: str) -> sessions.SignedIn:
    return sign_in.sign_in(runtime, email=EMAIL, password=password, totp_code=None,
                           ip="192.0.2.1")


def test_a_set_password_replaces_the_old_one_and_ends_every_session(
        runtime: Runtime, staff: accounts.User) -> None:
    started = _sign_in(runtime, PASSWORD)
    passwords.set_password(runtime, actor=OPERATOR, email=EMAIL, password=NEW)
    assert sessions.resolve(runtime, token=started.token) is None
    with pytest.raises(AuthenticationRequiredError):
        _sign_in(runtime, PASSWORD)
    assert _sign_in(runtime, NEW).user.id == staff.id
    (entry,) = [e for e in entries(runtime) if e.action == "password.set"]
    assert (entry.actor, entry.subject, dict(entry.details)) == (
        "cli:tester", staff.subject, {"sessions_ended": 1, "tokens_ended": 0,
                                      "client_secrets_ended": 0})


def test_a_new_password_ends_the_api_tokens_and_client_secrets_issued_before_it(
        runtime: Runtime, staff: accounts.User) -> None:
    """Whoever stole the password may hold a token of the user's API client, or its secret:
    both end with the password (issue 55, M2: the secret did not), counted in the entry; the
    client itself stays, refused until its owner issues a new secret, which works."""
    made = clients.add_client(runtime, actor=OPERATOR, owner=EMAIL, name="CI",
                              scopes=["credentials:issue"])
    held = [clients.issue_token(runtime, client_id=made.client.client_id, secret=made.secret,
                                scope=None, ip="192.0.2.9").access_token for _ in range(2)]
    assert clients.token_info(runtime, token=held[0])
    passwords.set_password(runtime, actor=OPERATOR, email=EMAIL, password=NEW)
    for token in held:
        with pytest.raises(InvalidTokenError, match="revoked"):
            clients.token_info(runtime, token=token)
    (entry,) = [e for e in entries(runtime) if e.action == "password.set"]
    assert (entry.details["tokens_ended"], entry.details["client_secrets_ended"]) == (2, 1)
    with pytest.raises(AuthenticationRequiredError, match="administrator set its owner's"):
        clients.issue_token(runtime, client_id=made.client.client_id, secret=made.secret,
                            scope=None, ip="192.0.2.9")
    with pytest.raises(AuthenticationRequiredError, match=r"^Client authentication failed\.$"):
        clients.issue_token(runtime, client_id=made.client.client_id, secret="wrong",
                            scope=None, ip="192.0.2.9")
    signed_in = _sign_in(runtime, NEW)
    renewed = clients.renew_own_secret(runtime, actor=ActingAs(signed_in.user.principal()),
                                       client_id=made.client.client_id)
    assert renewed.client.secret_ended_at is None
    fresh = clients.issue_token(runtime, client_id=made.client.client_id,
                                secret=renewed.secret, scope=None, ip="192.0.2.9")
    assert clients.token_info(runtime, token=fresh.access_token)


def test_the_policy_holds_for_a_set_password(runtime: Runtime, staff: accounts.User) -> None:
    with pytest.raises(InputError, match="shorter than 12"):
        passwords.set_password(runtime, actor=OPERATOR, email=EMAIL, password="short")
    with pytest.raises(InputError, match="e-mail address"):
        passwords.set_password(runtime, actor=OPERATOR, email=EMAIL, password=EMAIL.upper())


def test_a_reset_link_sets_a_new_password_once(runtime: Runtime, staff: accounts.User) -> None:
    """The link names the user, works once, ends their sessions; the old password works
    until it is used."""
    started = _sign_in(runtime, PASSWORD)
    link = passwords.start_reset(runtime, actor=OPERATOR, email=EMAIL)
    assert link.url == f"{runtime.settings.public_url.rstrip('/')}/password-reset/{link.token}"
    assert passwords.reset_for(runtime, token=link.token).email == EMAIL
    assert sessions.resolve(runtime, token=started.token) is not None
    with pytest.raises(InputError):
        passwords.complete_reset(runtime, token=link.token, password="short")
    passwords.complete_reset(runtime, token=link.token, password=NEW)
    assert sessions.resolve(runtime, token=started.token) is None
    assert _sign_in(runtime, NEW).user.id == staff.id
    with pytest.raises(NotFoundError):
        passwords.complete_reset(runtime, token=link.token, password="yet another passphrase")
    logged = [(e.actor, e.action, dict(e.details)) for e in entries(runtime)
              if e.action.startswith("password.")]
    assert logged == [("cli:tester", "password.reset", {"valid_hours": 24}),
                      (staff.subject, "password.changed",
                       {"via": "reset link", "sessions_ended": 1,
                        "tokens_ended": 0, "client_secrets_ended": 0})]


def test_a_reset_link_expires_after_a_day(runtime: Runtime, staff: accounts.User,
                                          clock: Clock) -> None:
    link = passwords.start_reset(runtime, actor=OPERATOR, email=EMAIL)
    clock.advance(hours=23, minutes=59)
    assert passwords.reset_for(runtime, token=link.token).id == staff.id
    clock.advance(minutes=1)
    with pytest.raises(NotFoundError):
        passwords.reset_for(runtime, token=link.token)


def test_a_newer_link_or_a_new_password_voids_an_unused_link(runtime: Runtime,
                                                             staff: accounts.User) -> None:
    first = passwords.start_reset(runtime, actor=OPERATOR, email=EMAIL)
    second = passwords.start_reset(runtime, actor=OPERATOR, email=EMAIL)
    with pytest.raises(NotFoundError):
        passwords.reset_for(runtime, token=first.token)
    passwords.set_password(runtime, actor=OPERATOR, email=EMAIL, password=NEW)
    with pytest.raises(NotFoundError):
        passwords.reset_for(runtime, token=second.token)


@pytest.mark.parametrize("token", ["", "x" * 500, "not-a-token"])
def test_an_unknown_link_is_not_found(runtime: Runtime, token: str) -> None:
    with pytest.raises(NotFoundError):
        passwords.reset_for(runtime, token=token)
