"""Whose account an administrator may look after."""

from __future__ import annotations

from credstack.core.access import PLATFORM, Membership, Role
from credstack.core.accounts.management import managing_organisations


def test_every_organisation_of_the_user_must_allow_it() -> None:
    memberships = [Membership("saikai-u", Role.ISSUER), Membership("hokuto-tech", Role.LEARNER),
                   Membership("hokuto-tech", Role.ISSUER)]
    assert managing_organisations(memberships) == ("hokuto-tech", "saikai-u")


def test_a_platform_role_or_no_role_is_the_registry_admins_to_look_after() -> None:
    assert managing_organisations([]) == (None,)
    assert managing_organisations([Membership(PLATFORM, Role.REGISTRY_ADMIN),
                                   Membership("hokuto-tech", Role.ISSUER)]) == (None,)
