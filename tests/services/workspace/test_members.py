"""An organisation's roles: nobody gives a role to themselves, whichever way they try."""

from __future__ import annotations

import pytest

from credstack.core.access import Membership, Principal, Role
from credstack.errors import AccessDeniedError
from credstack.services.accounts import service as accounts
from credstack.services.runtime import Runtime
from credstack.services.workspace import members
from credstack.testing import ActingAs
from credstack.words import error_words
from tests.accounts import PASSWORD
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]
ADMIN = "admin@example.org"


def _admin(runtime: Runtime) -> ActingAs:
    user = accounts.add_user(runtime, actor=OPERATOR, email=ADMIN, display_name="Admin",
                             password=PASSWORD, organisation="hokuto-tech",
                             role="provider-admin")
    return ActingAs(Principal(subject=user.subject, user_id=user.id, email=ADMIN,
                              memberships=frozenset({Membership("hokuto-tech",
                                                                Role.PROVIDER_ADMIN)})))


def _roles(runtime: Runtime) -> set[Membership]:
    (user,) = [u for u in accounts.list_users(runtime, actor=OPERATOR) if u.email == ADMIN]
    return set(user.memberships)


def test_a_provider_admin_cannot_give_themselves_the_registrar_role(runtime: Runtime) -> None:
    """The policy keeps the registrar's decisions apart from the administrator's: the
    administrator adding the role to their own account is refused, naming why, in both
    languages, and nothing changes (it was granted)."""
    admin = _admin(runtime)
    for attempt in (
        lambda: accounts.add_role(runtime, actor=admin, email=ADMIN,
                                  organisation="hokuto-tech", role=Role.REGISTRAR),
        lambda: members.change_role(runtime, actor=admin, organisation="hokuto-tech",
                                    email=ADMIN, role=Role.PROVIDER_ADMIN,
                                    new_role=Role.REGISTRAR),
        lambda: members.invite(runtime, actor=admin, organisation="hokuto-tech",
                               email=ADMIN.upper(), role=Role.REGISTRAR),
    ):
        with pytest.raises(AccessDeniedError) as refused:
            attempt()
        english, japanese = (error_words(refused.value, language) for language in ("en", "ja"))
        assert "to yourself" in english and "自分" in japanese
    assert _roles(runtime) == {Membership("hokuto-tech", Role.PROVIDER_ADMIN)}
    assert [e.action for e in entries(runtime)] == ["user.created", "membership.added"]
    assert len(admin.refusals) == 3, "each refusal is what the web writes to the audit log"


def test_a_provider_admin_still_gives_roles_to_others(runtime: Runtime) -> None:
    admin = _admin(runtime)
    accounts.add_user(runtime, actor=OPERATOR, email="clerk@example.org", display_name="Clerk",
                      password=PASSWORD)
    granted = accounts.add_role(runtime, actor=admin, email="clerk@example.org",
                                organisation="hokuto-tech", role=Role.REGISTRAR)
    assert Membership("hokuto-tech", Role.REGISTRAR) in granted.memberships
