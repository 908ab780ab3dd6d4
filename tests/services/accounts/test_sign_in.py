"""Signing in: one message for anything wrong, the lockout, and disabled accounts."""

from __future__ import annotations

import pytest

from credstack.errors import AccountDisabledError, AuthenticationRequiredError, RateLimitedError
from credstack.services.accounts import service as accounts
from credstack.services.accounts import sessions, sign_in
from credstack.services.runtime import Runtime
from credstack.words import error_words
from tests.accounts import PASSWORD
from tests.conftest import Clock
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]
EMAIL = "staff@example.org"


@pytest.fixture
def staff(runtime: Runtime) -> accounts.User:
    return accounts.add_user(runtime, actor=OPERATOR, email=EMAIL, display_name="Staff",
                             password=PASSWORD)


def _sign_in(runtime: Runtime, password: str = PASSWORD) -> sessions.SignedIn:
    return sign_in.sign_in(runtime, email=EMAIL, password=password, totp_code=None,
                           ip="192.0.2.1")


def test_the_right_password_starts_a_session_in_the_same_transaction_as_its_entry(
        runtime: Runtime, staff: accounts.User) -> None:
    started = _sign_in(runtime)
    found = sessions.resolve(runtime, token=started.token)
    assert found is not None and found.user.id == staff.id
    assert entries(runtime)[-1].action == "login.succeeded"


def test_a_disabled_account_is_told_so_only_with_the_right_password(
        runtime: Runtime, staff: accounts.User) -> None:
    """The right password learns the account is disabled; a wrong one learns nothing."""
    accounts.set_disabled(runtime, actor=OPERATOR, email=EMAIL, disabled=True)
    with pytest.raises(AuthenticationRequiredError) as wrong:
        _sign_in(runtime, "not the password at all")
    assert not isinstance(wrong.value, AccountDisabledError)
    with pytest.raises(AccountDisabledError):
        _sign_in(runtime)
    assert [dict(e.details)["reason"] for e in entries(runtime)
            if e.action == "login.failed"] == ["wrong password", "account disabled"]


def test_the_lock_holds_even_for_the_right_password_and_lifts_after_the_window(
        runtime: Runtime, staff: accounts.User, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationRequiredError):
            _sign_in(runtime, "wrong password 123")
        clock.advance(seconds=1)
    with pytest.raises(RateLimitedError) as locked:
        _sign_in(runtime)
    assert 0 < locked.value.retry_after <= 15 * 60
    clock.advance(minutes=15)
    assert _sign_in(runtime).user.id == staff.id


def test_a_disabled_users_session_is_refused_with_a_message(
        runtime: Runtime, staff: accounts.User) -> None:
    started = _sign_in(runtime)
    accounts.set_disabled(runtime, actor=OPERATOR, email=EMAIL, disabled=True)
    with pytest.raises(AccountDisabledError) as refused:
        sessions.resolve(runtime, token=started.token)
    assert "disabled" in error_words(refused.value, "en")


def test_failures_lock_the_account_only_from_the_address_they_came_from(
        runtime: Runtime, staff: accounts.User, clock: Clock) -> None:
    """Five failures from one address lock that address out of the account; the owner at
    another address signs in, and that success does not unlock the first address."""
    for _ in range(5):
        with pytest.raises(AuthenticationRequiredError):
            sign_in.sign_in(runtime, email=EMAIL, password="wrong password 123",
                            totp_code=None, ip="203.0.113.9")
        clock.advance(seconds=1)
    assert _sign_in(runtime).user.id == staff.id
    with pytest.raises(RateLimitedError, match="for this account from this address"):
        sign_in.sign_in(runtime, email=EMAIL, password=PASSWORD, totp_code=None,
                        ip="203.0.113.9")


def test_a_locked_account_hammered_from_one_address_is_audited_as_a_count(
        runtime: Runtime, staff: accounts.User, clock: Clock) -> None:
    """Each attempt on a locked account was one ``login.locked`` entry, without limit: past
    the address's budget a minute they are counted into one ``login.locked.counted``."""
    for _ in range(5):
        with pytest.raises(AuthenticationRequiredError):
            _sign_in(runtime, "wrong password 123")
    per_minute = runtime.settings.audit_refusals_per_minute
    for _ in range(per_minute + 20):
        with pytest.raises(RateLimitedError):
            _sign_in(runtime)
    clock.advance(minutes=1, seconds=1)
    with pytest.raises(RateLimitedError):
        _sign_in(runtime)
    recorded = entries(runtime)
    assert len([e for e in recorded if e.action == "login.locked"]) == per_minute + 1
    (counted,) = [e for e in recorded if e.action == "login.locked.counted"]
    assert counted.details == {**counted.details, "refused": 20, "ip": "192.0.2.1"}
