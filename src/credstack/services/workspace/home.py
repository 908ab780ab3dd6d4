"""Where a signed-in user works: their organisations, and one organisation's home.

Anyone signed in has a workspace, listing the organisations they hold a role in (a registry
admin, who may act on every organisation, sees all of them). An organisation's home is open
to its members and to registry admins; it names the parts of the workspace this user may use
there, each decided by :func:`credstack.core.access.decide` for the action behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from credstack.adapters.db.repositories import organisations as store
from credstack.adapters.db.repositories.organisations import StoredOrganisation
from credstack.core.access import Action, Actor, Principal, Role
from credstack.errors import AccessDeniedError
from credstack.services.runtime import Runtime

__all__ = ["SECTIONS", "Home", "Workplace", "home", "workplaces"]

#: The parts of an organisation's workspace, in the order of its navigation, with the action
#: that opens each (None: every member may open it).
SECTIONS: tuple[tuple[str, Action | None], ...] = (
    ("programmes", Action.PROGRAMME_WRITE),
    ("issue", Action.CREDENTIAL_ISSUE),
    ("credentials", Action.CREDENTIAL_READ),
    ("activity", Action.CREDENTIAL_READ),
    ("mail", Action.CREDENTIAL_ISSUE),
    ("members", Action.ACCOUNTS_MANAGE),
    ("clients", Action.ACCOUNTS_MANAGE),
    ("keys", Action.KEYS_MANAGE),
    ("authority", Action.KEYS_MANAGE),
    ("profile", Action.ORGANISATION_UPDATE),
    ("lti", Action.ORGANISATION_UPDATE),
    ("sso", Action.ORGANISATION_UPDATE),
    # Recognition: a provider's applications, a recognition body's queue.
    ("review", Action.APPLICATION_READ),
    # The certificate office: the students' academic records (issue 56).
    ("records", Action.RECORDS_READ),
    # Its queue of students' requests for documents, and the rule that approves them.
    ("requests", Action.RECORDS_READ),
    ("jobs", None),
)


@dataclass(frozen=True, slots=True)
class Workplace:
    """An organisation and the signed-in user's roles in it (none for a registry admin who
    is not a member)."""

    organisation: StoredOrganisation
    roles: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class Home:
    """An organisation's home: the organisation, the user's roles there, and the sections of
    :data:`SECTIONS` they may open."""

    organisation: StoredOrganisation
    roles: tuple[Role, ...]
    sections: tuple[str, ...]


def _roles(principal: Principal, slug: str) -> tuple[Role, ...]:
    return tuple(sorted((m.role for m in principal.memberships if m.organisation == slug),
                        key=lambda role: role.value))


def workplaces(runtime: Runtime, *, actor: Actor) -> list[Workplace]:
    """The organisations the signed-in user belongs to, by slug (every organisation for a
    registry admin)."""
    principal = actor.user()
    everywhere = principal.has_role(Role.REGISTRY_ADMIN)
    mine = principal.organisations()
    with runtime.transaction() as session:
        found = store.list_organisations(session)
    return [Workplace(organisation, _roles(principal, organisation.slug)) for organisation in found
            if everywhere or organisation.slug in mine]


def home(runtime: Runtime, *, actor: Actor, slug: str) -> Home:
    """The home of organisation ``slug`` for a member or a registry admin (anyone else is
    refused, and the refusal recorded); NotFoundError when there is no such organisation."""
    principal = actor.user()
    with runtime.transaction() as session:
        organisation = store.get_organisation(session, slug=slug)
    if slug not in principal.organisations() and not principal.has_role(Role.REGISTRY_ADMIN):
        actor.refuse(AccessDeniedError(
            code="workspace.refused.members_only", params={"slug": slug}),
            action="workspace.read", organisation=slug)
    sections = tuple(name for name, action in SECTIONS
                     if action is None or actor.allows(action, slug))
    return Home(organisation, _roles(principal, slug), sections)
