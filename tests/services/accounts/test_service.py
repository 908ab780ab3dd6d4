"""Users and their roles: adding, granting, disabling, each change audited once."""

from __future__ import annotations

import pytest

from credstack.core.access import PLATFORM, Membership, Role
from credstack.errors import ConflictError, InputError, NotFoundError
from credstack.services.accounts import service as accounts
from credstack.services.accounts import sessions, sign_in
from credstack.services.runtime import Runtime
from tests.accounts import PASSWORD
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]


def _add(runtime: Runtime, email: str, **role: str) -> accounts.User:
    return accounts.add_user(runtime, actor=OPERATOR, email=email, display_name=email,
                             password=PASSWORD, **role)


def test_a_user_added_with_a_role_writes_both_entries_in_order(runtime: Runtime) -> None:
    """user.created, then membership.added, by the operator."""
    user = _add(runtime, "Staff@Example.org", organisation="hokuto-tech", role="issuer")
    assert user.email == "staff@example.org"
    assert user.memberships == {Membership("hokuto-tech", Role.ISSUER)}
    logged = [(e.actor, e.action, e.subject, dict(e.details)) for e in entries(runtime)]
    assert logged == [
        ("cli:tester", "user.created", user.subject, {"email": "staff@example.org"}),
        ("cli:tester", "membership.added", user.subject,
         {"organisation": "hokuto-tech", "role": "issuer"})]


def test_a_refused_role_leaves_no_user_behind(runtime: Runtime) -> None:
    """One transaction: an evaluator outside a recognition body refuses the whole add."""
    with pytest.raises(InputError):
        _add(runtime, "staff@example.org", organisation="hokuto-tech", role="evaluator")
    assert accounts.list_users(runtime, actor=OPERATOR) == []
    assert entries(runtime) == []


def test_roles_are_added_and_removed_and_the_platform_is_written_as_none(
        runtime: Runtime) -> None:
    _add(runtime, "staff@example.org")
    accounts.add_role(runtime, actor=OPERATOR, email="staff@example.org", organisation=None,
                      role=Role.REGISTRY_ADMIN)
    user = accounts.remove_role(runtime, actor=OPERATOR, email="staff@example.org",
                                organisation=PLATFORM, role="registry-admin")
    assert user.memberships == frozenset()
    assert [(e.action, dict(e.details)) for e in entries(runtime)][1:] == [
        ("membership.added", {"organisation": None, "role": "registry-admin"}),
        ("membership.removed", {"organisation": None, "role": "registry-admin"})]
    with pytest.raises(NotFoundError):
        accounts.remove_role(runtime, actor=OPERATOR, email="staff@example.org",
                             organisation="hokuto-tech", role="issuer")


def test_a_disabled_user_cannot_sign_in_and_their_sessions_end(runtime: Runtime) -> None:
    """Disabling ends every session (and says how many); enabling brings none back."""
    _add(runtime, "staff@example.org")
    started = sign_in.sign_in(runtime, email="staff@example.org", password=PASSWORD,
                              totp_code=None, ip="192.0.2.1")
    disabled = accounts.set_disabled(runtime, actor=OPERATOR, email="staff@example.org",
                                     disabled=True)
    assert disabled.disabled
    again = accounts.set_disabled(runtime, actor=OPERATOR, email="staff@example.org",
                                  disabled=True)
    assert again.disabled
    enabled = accounts.set_disabled(runtime, actor=OPERATOR, email="staff@example.org",
                                    disabled=False)
    assert not enabled.disabled
    assert sessions.resolve(runtime, token=started.token) is None
    logged = [(e.action, dict(e.details)) for e in entries(runtime)
              if e.action.startswith("user.") and e.action != "user.created"]
    assert logged == [("user.disabled", {"sessions_ended": 1, "tokens_ended": 0,
                                         "client_secrets_ended": 0}), ("user.enabled", {})]


def test_an_unknown_user_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFoundError):
        accounts.set_disabled(runtime, actor=OPERATOR, email="nobody@example.org",
                              disabled=True)


def test_an_address_has_one_account(runtime: Runtime) -> None:
    _add(runtime, "staff@example.org")
    with pytest.raises(ConflictError):
        _add(runtime, "STAFF@example.org")
