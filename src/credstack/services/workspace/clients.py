"""The API clients of an organisation's members, as its administrator looks after them.

An API client belongs to a user and acts for them with the scopes its owner's roles allow
(:mod:`credstack.services.accounts.clients`). An organisation's administrator
(``accounts.manage`` on it) sees the clients of its members, makes one for themselves or for
a member they look after (every organisation of the member is theirs), and revokes them. A
member's client of the same name that is still active is not made twice (a form sent twice):
:class:`~credstack.errors.ConflictError`. Audited as ``client.created`` and ``client.revoked``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor, Principal, Role, usable_scopes
from credstack.core.accounts.management import managing_organisations
from credstack.errors import ConflictError, NotFoundError, Problem
from credstack.services import accounts, audit
from credstack.services.accounts import ApiClient, NewClient, User
from credstack.services.runtime import Runtime

__all__ = ["ClientRow", "Clients", "create", "listing", "revoke"]


@dataclass(frozen=True, slots=True)
class ClientRow:
    client: ApiClient
    owner: User
    #: Whether this administrator may revoke it.
    may_revoke: bool


@dataclass(frozen=True, slots=True)
class Clients:
    """The members' clients (active first, newest first), the members a client can be made
    for, and the scopes the members' roles can use."""

    clients: tuple[ClientRow, ...]
    owners: tuple[User, ...]
    scopes: tuple[str, ...]


def _may_look_after(actor: Actor, principal: Principal, person: User) -> bool:
    return person.id == principal.user_id or all(
        actor.allows(Action.ACCOUNTS_MANAGE, organisation)
        for organisation in managing_organisations(person.memberships))


def listing(runtime: Runtime, *, actor: Actor, organisation: str) -> Clients:
    """The API clients of ``organisation``'s members."""
    principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    with runtime.transaction() as session:
        members = {person.id: person for person, _ in
                   accounts.members(session, organisation=organisation)}
        rows = [row for user_id in members for row in account_store.api_clients(session, user_id)]
    found = [accounts.client_view(row) for row in rows]
    found.sort(key=lambda client: (client.revoked_at is not None, -client.created_at.timestamp()))
    owners = tuple(sorted((person for person in members.values()
                           if _may_look_after(actor, principal, person)),
                          key=lambda person: person.email))
    scopes = usable_scopes(m for person in members.values() for m in person.memberships
                           if m.organisation == organisation or m.role is Role.REGISTRY_ADMIN)
    return Clients(
        clients=tuple(ClientRow(client, members[client.user_id],
                                _may_look_after(actor, principal, members[client.user_id]))
                      for client in found),
        owners=owners, scopes=tuple(sorted(scopes)))


def create(runtime: Runtime, *, actor: Actor, organisation: str, owner: str, name: str,
           scopes: Iterable[str]) -> NewClient:
    """A new API client for the member ``owner`` (an e-mail address) allowed ``scopes``; its
    secret is in the answer and nowhere else."""
    principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    now = runtime.now()
    # Who may is decided before the transaction opens: a refusal is written in a
    # transaction of its own, which must not wait for a connection while this one holds one.
    with runtime.sessions() as session:
        person = _member(session, organisation, owner)
    if person.id != principal.user_id:
        principal = accounts.require_manager(actor, person)
    with runtime.transaction() as session:
        label = name.strip() or "API client"
        if any(row.name == label and row.revoked_at is None
               for row in account_store.api_clients(session, person.id)):
            raise ConflictError(
                code="workspace.refused.client_name_taken",
                params={"email": person.email, "label": label},
                problems=[Problem("name", "an active client has this name")])
        created = accounts.create_client(session, user_id=person.id, name=label,
                                                 scopes=scopes, now=now)
        audit.record(session, at=now, actor=principal.subject, action="client.created",
                     subject=f"client:{created.client.client_id}",
                     details={"scopes": sorted(created.client.scopes),
                              "owner": f"user:{person.id}", "organisation": organisation})
        return created


def revoke(runtime: Runtime, *, actor: Actor, organisation: str, client_id: str) -> ApiClient:
    """Revoke a member's API client and every token it holds (revoked already: as it is)."""
    principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    now = runtime.now()
    # As create: who may is decided before the transaction opens.
    with runtime.sessions() as session:
        owner = _client_owner(session, organisation, client_id)
    if owner.id != principal.user_id:
        principal = accounts.require_manager(actor, owner)
    with runtime.transaction() as session:
        _client_owner(session, organisation, client_id)
        row = account_store.api_client(session, client_id)
        assert row is not None  # _client_owner found it in this transaction
        if row.revoked_at is None:
            row.revoked_at = now
            audit.record(session, at=now, actor=principal.subject, action="client.revoked",
                         subject=f"client:{row.client_id}",
                         details={"owner": f"user:{row.user_id}", "organisation": organisation})
        return accounts.client_view(row)


def _client_owner(session: Session, organisation: str, client_id: str) -> User:
    """The member of ``organisation`` whose API client ``client_id`` is."""
    row = account_store.api_client(session, client_id) \
        if len(client_id) <= accounts.MAX_CLIENT_ID else None
    members = {person.id: person for person, _ in
               accounts.members(session, organisation=organisation)}
    if row is None or row.user_id not in members:
        raise NotFoundError(code="workspace.refused.no_client",
                            params={"organisation": organisation, "client_id": client_id})
    return members[row.user_id]


def _member(session: Session, organisation: str, email: str) -> User:
    address = email.strip().lower()
    for person, _ in accounts.members(session, organisation=organisation):
        if person.email == address:
            return person
    raise NotFoundError(code="workspace.refused.not_member",
                        params={"email": email, "organisation": organisation},
                        problems=[Problem("owner", "not a member")])
