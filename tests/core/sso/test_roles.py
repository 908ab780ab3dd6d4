"""The rules from a provider's attributes to roles: within the administrator's ceiling, and
taking back only what the rules gave."""

from __future__ import annotations

from credstack.core.access.policy import Role
from credstack.core.sso.roles import GIVABLE, Rule, changes, roles_for, values_of

RULES = [Rule("eduPersonAffiliation", "staff", Role.ISSUER),
         Rule("eduPersonAffiliation", "student", Role.LEARNER),
         Rule("eduPersonAffiliation", "faculty", Role.PROVIDER_ADMIN)]


def test_an_attribute_of_one_value_or_many_is_read_as_a_set() -> None:
    """A string, a list, a number: each value a string; anything else nothing."""
    assert values_of({"a": "x"}, "a") == {"x"}
    assert values_of({"a": ["x", "y", 3]}, "a") == {"x", "y", "3"}
    assert values_of({"a": {"x": 1}}, "a") == {"x"}
    assert values_of({}, "a") == frozenset()


def test_the_rules_give_roles_within_the_ceiling_and_name_those_held_back() -> None:
    """A staff member and student is an issuer and learner where both are allowed; with only
    learner allowed, issuer is held back."""
    person = {"eduPersonAffiliation": ["staff", "student"]}
    assert roles_for(person, RULES, [Role.ISSUER, Role.LEARNER]) == (
        {Role.ISSUER, Role.LEARNER}, frozenset())
    assert roles_for(person, RULES, [Role.LEARNER]) == ({Role.LEARNER}, {Role.ISSUER})


def test_no_rule_ever_gives_an_administrators_role() -> None:
    """Even a ceiling naming provider-admin does not let a rule give it."""
    assert Role.PROVIDER_ADMIN not in GIVABLE and Role.REGISTRY_ADMIN not in GIVABLE
    given, held_back = roles_for({"eduPersonAffiliation": "faculty"}, RULES,
                                 [Role.PROVIDER_ADMIN])
    assert given == frozenset() and held_back == {Role.PROVIDER_ADMIN}


def test_only_roles_the_rules_gave_before_are_taken_back() -> None:
    """A role given by hand stays when the rules stop giving it; one they gave goes."""
    add, take = changes(given={Role.LEARNER}, before={Role.ISSUER},
                        held={Role.ISSUER, Role.REGISTRAR})
    assert add == {Role.LEARNER} and take == {Role.ISSUER}
    add, take = changes(given=set(), before=set(), held={Role.ISSUER})
    assert add == frozenset() and take == frozenset()
