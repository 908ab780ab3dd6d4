"""Where each person works: the places a principal's roles open, and the first of them, their
home after signing in.

The issuer lands on issuing, the committee and its evaluators on their review queue, the
learner on the wallet, the employer on matching, the registrar on credit-bank decisions (in
a certificate office, an organisation keeping students' records which the caller names, on
the queue of document requests), the platform operator on the console's overview, a
provider's administrator on the organisation's workspace. Someone with several roles has
the places of each (the menu), and the home of the first in :data:`ORDER`. A role held in
one organisation opens that organisation's page; held in several, the workspace that lists
them. A signed-in person with no role is a learner who signed up on their own: the wallet
is theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from credstack.core.access.policy import Principal, Role

__all__ = ["OFFICE", "ORDER", "Place", "home", "places"]


@dataclass(frozen=True, slots=True)
class Place:
    """A page a role opens: its name (the menu's label is ``menu.<name>``) and its path."""

    name: str
    path: str


def _in(organisation_path: str) -> Callable[[tuple[str, ...]], str]:
    """The path of a role's page in its one organisation, else the workspace."""
    def path(organisations: tuple[str, ...]) -> str:
        if len(organisations) == 1:
            return organisation_path.format(slug=organisations[0])
        return "/workspace"
    return path


def _fixed(path: str) -> Callable[[tuple[str, ...]], str]:
    return lambda _: path


#: The roles in the order their homes win, each with the places it opens.
ORDER: Final[tuple[tuple[Role, tuple[tuple[str, Callable[[tuple[str, ...]], str]], ...]],
                   ...]] = (
    (Role.REGISTRY_ADMIN, (("console", _fixed("/console")), ("operator", _fixed("/workspace")),
                           ("people", _fixed("/people")), ("jobs", _fixed("/jobs")))),
    (Role.ISSUER, (("issuing", _in("/workspace/{slug}/issue")),
                   ("credentials", _in("/workspace/{slug}/credentials")))),
    (Role.COMMITTEE_MEMBER, (("review", _fixed("/review")),)),
    (Role.EVALUATOR, (("review", _fixed("/review")),)),
    (Role.REGISTRAR, (("creditbank", _in("/workspace/{slug}/creditbank")),
                      ("requests", _in("/workspace/{slug}/requests")),
                      ("records", _in("/workspace/{slug}/records")))),
    (Role.PROVIDER_ADMIN, (("workspace", _in("/workspace/{slug}")),
                           ("programmes", _in("/workspace/{slug}/programmes")),
                           ("issuing", _in("/workspace/{slug}/issue")),
                           ("recognition", _fixed("/review")))),
    (Role.EMPLOYER, (("employers", _fixed("/employers")),)),
    (Role.LEARNER, (("wallet", _fixed("/wallet")),)),
)


#: A certificate office's registrar: the queue of requests first, then the records.
OFFICE: Final[tuple[tuple[str, Callable[[tuple[str, ...]], str]], ...]] = (
    ("requests", _in("/workspace/{slug}/requests")),
    ("records", _in("/workspace/{slug}/records")),
    ("creditbank", _in("/workspace/{slug}/creditbank")))


def places(principal: Principal, *, offices: frozenset[str] = frozenset()
           ) -> tuple[Place, ...]:
    """The places ``principal``'s roles open, home first, each once; a registrar of one of
    ``offices`` (organisations keeping students' records) opens the queue of requests first."""
    found: dict[str, Place] = {}
    for role, opened in ORDER:
        if not principal.has_role(role):
            continue
        organisations = tuple(sorted(principal.organisations(role)))
        if role is Role.REGISTRAR and offices.intersection(organisations):
            opened = OFFICE
        for name, path in opened:
            place = Place(name, path(organisations))
            if place.path not in {seen.path for seen in found.values()}:
                found.setdefault(name, place)
    if not found:
        found["wallet"] = Place("wallet", "/wallet")
    return tuple(found.values())


def home(principal: Principal, *, offices: frozenset[str] = frozenset()) -> str:
    """Where ``principal`` lands after signing in (``offices`` as :func:`places` takes them)."""
    return places(principal, offices=offices)[0].path
