"""Every actor refuses the same way: nobody signed in is asked to sign in, a principal whose
roles do not allow the action is told which action and where."""

from __future__ import annotations

import pytest

from credstack.core.access.actors import Operator, refusal
from credstack.core.access.policy import Action, Membership, Principal, Role
from credstack.errors import AccessDeniedError, AuthenticationRequiredError, Problem

ISSUER = Principal(subject="user:7", user_id=7, email="issuer@hokuto.example",
                   memberships=frozenset({Membership("hokuto-tech", Role.ISSUER)}))


def test_nobody_is_asked_to_sign_in() -> None:
    error = refusal(None, Action.CREDENTIAL_STATUS, "hokuto-tech")
    assert isinstance(error, AuthenticationRequiredError)


def test_a_role_in_another_organisation_is_refused_naming_the_action_and_where() -> None:
    error = refusal(ISSUER, Action.CREDENTIAL_STATUS, "elsewhere")
    assert isinstance(error, AccessDeniedError)
    assert error.problems == (Problem("action", Action.CREDENTIAL_STATUS.value),
                              Problem("organisation", "elsewhere"))


def test_a_role_that_allows_the_action_is_not_refused() -> None:
    assert refusal(ISSUER, Action.CREDENTIAL_STATUS, "hokuto-tech") is None


def test_the_operator_is_a_registry_admin_who_still_may_not_decide_an_application() -> None:
    operator = Operator("alice")
    assert operator.require(Action.CREDENTIAL_STATUS, "hokuto-tech").subject == "cli:alice"
    assert not operator.allows(Action.APPLICATION_DECIDE, "body")
    with pytest.raises(AccessDeniedError):
        operator.require(Action.APPLICATION_DECIDE, "body")
