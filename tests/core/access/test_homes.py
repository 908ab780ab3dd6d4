"""Each role's home after signing in, and the places a menu shows: one role, several,
several organisations, none."""

from __future__ import annotations

import pytest

from credstack.core.access import PLATFORM, Membership, Principal, Role
from credstack.core.access.homes import home, places


def _principal(*memberships: tuple[str, Role]) -> Principal:
    return Principal("user:1", 1, "someone@example.jp",
                     frozenset(Membership(slug, role) for slug, role in memberships))


@pytest.mark.parametrize(("membership", "landing"), [
    (("hokuto", Role.ISSUER), "/workspace/hokuto/issue"),
    (("body", Role.COMMITTEE_MEMBER), "/review"),
    (("body", Role.EVALUATOR), "/review"),
    (("hokuto", Role.LEARNER), "/wallet"),
    (("bridge", Role.EMPLOYER), "/employers"),
    (("hokuto", Role.REGISTRAR), "/workspace/hokuto/creditbank"),
    ((PLATFORM, Role.REGISTRY_ADMIN), "/console"),
    (("hokuto", Role.PROVIDER_ADMIN), "/workspace/hokuto"),
])
def test_each_role_lands_where_its_work_is(membership: tuple[str, Role], landing: str) -> None:
    """One role, one home."""
    assert home(_principal(membership)) == landing


def test_a_person_without_a_role_lands_on_the_wallet() -> None:
    """Someone who signed up on their own is a learner."""
    assert [place.name for place in places(_principal())] == ["wallet"]


def test_the_menu_shows_each_roles_places_once_and_nothing_else() -> None:
    """An issuer who is also a learner: issuing first, then the wallet; no review, no
    operator pages; a role in two organisations opens the workspace listing them."""
    shown = places(_principal(("hokuto", Role.ISSUER), ("hokuto", Role.LEARNER)))
    assert [place.name for place in shown] == ["issuing", "credentials", "wallet"]
    twice = places(_principal(("a", Role.ISSUER), ("b", Role.ISSUER)))
    assert twice[0].path == "/workspace"
    admin = places(_principal(("hokuto", Role.PROVIDER_ADMIN), ("hokuto", Role.ISSUER)))
    assert [place.name for place in admin] == ["issuing", "credentials", "workspace",
                                               "programmes", "recognition"]


def test_a_certificate_offices_registrar_lands_on_the_queue_of_requests() -> None:
    """A registrar whose organisation keeps students' records (issue 56) lands on the queue
    of document requests, the records next, the credit bank after; a registrar elsewhere, or
    of an organisation without records, on the credit bank as before."""
    clerk = _principal(("hokuto", Role.REGISTRAR))
    assert home(clerk, offices=frozenset({"hokuto"})) == "/workspace/hokuto/requests"
    assert [place.name for place in places(clerk, offices=frozenset({"hokuto"}))] == [
        "requests", "records", "creditbank"]
    assert home(clerk, offices=frozenset({"elsewhere"})) == "/workspace/hokuto/creditbank"
    both = _principal(("a", Role.REGISTRAR), ("b", Role.REGISTRAR))
    assert home(both, offices=frozenset({"a"})) == "/workspace"
