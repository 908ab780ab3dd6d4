"""An organisation's members and their roles, and the invitations that bring new ones in.

Who may: ``accounts.manage`` on the organisation (its provider admin, or a registry admin).

* :func:`invite` makes an invitation for an e-mail address to take a role: a link with a
  random token (kept as its SHA-256 only), valid for :data:`INVITATION_VALID`, used once.
  Inviting an address that already has a pending invitation renews that one (a new link, a
  new expiry, the role asked for now) instead of making a second: a form sent twice leaves
  one invitation, and the link shown last is the one that works. The link is given to the
  administrator to pass on, and e-mailed to the address invited (through the outbox:
  :func:`credstack.services.mail.events.invitation`).
* Nobody invites themselves or changes their own role
  (:func:`credstack.services.accounts.service.refuse_own_grant`).
* :func:`change_role` replaces one role of a member by another; :func:`remove_member` takes
  every role they hold in the organisation away. Neither may leave the organisation without
  a provider admin (:class:`~credstack.errors.ConflictError`, saying so).

Audited: ``invitation.created``, ``invitation.renewed``, ``invitation.revoked``,
``membership.added``, ``membership.removed`` (a change of role is one of each).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import invitations as invitation_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories.invitations import StoredInvitation
from credstack.adapters.db.transactions import Session
from credstack.core.access import (
    RECOGNITION_BODY_ROLES,
    ROLE_NAMES,
    Action,
    Actor,
    Principal,
    Role,
)
from credstack.core.accounts.emails import normalise_email
from credstack.core.said import InLanguages
from credstack.errors import ConflictError, InputError, NotFoundError, Problem
from credstack.services import accounts, audit, mail
from credstack.services.accounts import User
from credstack.services.runtime import Runtime

__all__ = [
    "INVITATION_VALID",
    "Invitation",
    "Member",
    "NewInvitation",
    "Roster",
    "assignable_roles",
    "change_role",
    "invitation_url",
    "invite",
    "remove_member",
    "revoke_invitation",
    "roster",
]

#: How long an invitation's link works.
INVITATION_VALID = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the organisation and every role they hold in it."""

    user: User
    roles: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class Invitation:
    """A pending invitation (its token is never kept, so never shown again)."""

    id: int
    email: str
    role: Role
    invited_by: str
    created_at: dt.datetime
    expires_at: dt.datetime

    def expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """An invitation just made or renewed, and its link (shown once, to pass on)."""

    invitation: Invitation
    url: str
    renewed: bool


@dataclass(frozen=True, slots=True)
class Roster:
    """The organisation's members, its pending invitations and the roles it gives."""

    organisation: str
    kind: str
    members: tuple[Member, ...]
    invitations: tuple[Invitation, ...]
    roles: tuple[Role, ...]


def assignable_roles(kind: str) -> tuple[Role, ...]:
    """The roles an organisation of ``kind`` gives its members: a recognition body's
    administrators, committee members and evaluators; anyone else's administrators, issuers,
    learners, employers and registrars (registry admins belong to the platform, not to one)."""
    if kind == "recognition-body":
        return (Role.PROVIDER_ADMIN, Role.COMMITTEE_MEMBER, Role.EVALUATOR)
    return tuple(role for role in Role
                 if role not in RECOGNITION_BODY_ROLES and role is not Role.REGISTRY_ADMIN)


def invitation_url(runtime: Runtime, token: str) -> str:
    return f"{runtime.settings.public_url.rstrip('/')}/invitations/{token}"


# --- reading -----------------------------------------------------------------------------


def roster(runtime: Runtime, *, actor: Actor, organisation: str) -> Roster:
    """The members of ``organisation`` with their roles, by e-mail address, and its pending
    invitations, newest first."""
    actor.require(Action.ACCOUNTS_MANAGE, organisation)
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        return Roster(organisation=organisation, kind=row.kind,
                      members=tuple(_members(session, organisation)),
                      invitations=tuple(_invitation(found) for found
                                        in invitation_store.pending(session, row.id)),
                      roles=assignable_roles(row.kind))


def _members(session: Session, organisation: str) -> list[Member]:
    roles: dict[int, list[Role]] = defaultdict(list)
    users: dict[int, User] = {}
    for person, role in accounts.members(session, organisation=organisation):
        users[person.id] = person
        roles[person.id].append(role)
    return [Member(users[key], tuple(sorted(roles[key], key=lambda r: r.value)))
            for key in sorted(users, key=lambda key: users[key].email)]


def _invitation(row: StoredInvitation) -> Invitation:
    return Invitation(id=row.id, email=row.email, role=Role(row.role),
                      invited_by=row.invited_by, created_at=row.created_at,
                      expires_at=row.expires_at)


# --- inviting ----------------------------------------------------------------------------


def invite(runtime: Runtime, *, actor: Actor, organisation: str, email: str,
           role: Role | str, language: str = "ja") -> NewInvitation:
    """Invite ``email`` to take ``role`` in ``organisation`` (renewing their pending
    invitation, if any); the link to pass on. ``language``: the e-mail's, when it is sent.

    InputError for an address that is not one or a role the organisation does not give;
    ConflictError when the address already holds that role there.
    """
    principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    address = normalise_email(email)
    now = runtime.now()
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        the_role = _assignable(role, row.kind)
        accounts.refuse_own_grant(actor, principal, email=address, organisation=organisation,
                                  role=the_role)
        invited = account_store.user_by_email(session, address)
        if invited is not None and account_store.membership_row(
                session, user_id=invited.id, organisation_id=row.id,
                role=the_role.value) is not None:
            raise ConflictError(
                code="workspace.refused.holds_role_already",
                params={"address": address, "role": _named(the_role), "organisation": organisation},
                problems=[Problem("email", "already holds this role")])
        token = secrets.token_urlsafe(32)
        written = invitation_store.write_pending(
            session, organisation_id=row.id, email=address, role=the_role.value,
            token_hash=account_store.digest(token), invited_by=principal.subject, at=now,
            expires_at=now + INVITATION_VALID)
        if written is None:
            # Another request invited the same address at the same moment: its invitation
            # stands, and this one is the same invitation sent twice.
            raise ConflictError(code="workspace.refused.invited_just_now",
                                params={"address": address, "organisation": organisation})
        stored, renewed = written
        url = invitation_url(runtime, token)
        audit.record(session, at=now, actor=principal.subject,
                     action="invitation.renewed" if renewed else "invitation.created",
                     subject=f"organisation:{organisation}",
                     details={"invitation": stored.id, "email": address,
                              "role": the_role.value,
                              "valid_days": INVITATION_VALID.days})
        mail.invitation(session, invitation_id=stored.id, token_hash=stored.token_hash,
                        to=stored.email, url=url, role=stored.role, organisation=row.slug,
                        organisation_name=row.name, expires_at=stored.expires_at,
                        language=language, now=now)
        return NewInvitation(_invitation(stored), url, renewed=renewed)


def revoke_invitation(runtime: Runtime, *, actor: Actor, organisation: str,
                      invitation_id: int) -> None:
    """Revoke a pending invitation of ``organisation`` (its link stops working); one that was
    accepted or revoked already is left as it is."""
    principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        found = invitation_store.invitation(session, invitation_id)
        if found is None or found.organisation_id != row.id:
            raise NotFoundError(code="workspace.refused.no_invitation",
                                params={"organisation": organisation,
                                        "invitation_id": invitation_id})
        if found.accepted_at is not None or found.revoked_at is not None:
            return
        invitation_store.revoke(session, found.id, at=now)
        audit.record(session, at=now, actor=principal.subject, action="invitation.revoked",
                     subject=f"organisation:{organisation}",
                     details={"invitation": found.id, "email": found.email})


# --- changing roles ----------------------------------------------------------------------


def change_role(runtime: Runtime, *, actor: Actor, organisation: str, email: str,
                role: Role | str, new_role: Role | str) -> User:
    """Give the member ``email`` ``new_role`` in place of ``role`` (nothing changes when they
    are the same or when the change was made already: a form sent twice)."""
    principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        organisation_id, kind = _locked_organisation(session, organisation)
        old, new = _role(role), _assignable(new_role, kind)
        person = accounts.user_row_by_email(session, email)
        if old is not new:
            accounts.refuse_own_grant(actor, principal, email=person.email,
                                      organisation=organisation, role=new)
        current = _roles_of(session, organisation_id, person.id)
        if old not in current:
            if new in current:
                return accounts.view(session, person)  # changed already
            raise NotFoundError(code="workspace.refused.lacks_role", params={
                "email": person.email, "role": _named(old), "organisation": organisation})
        if old is new:
            return accounts.view(session, person)
        if old is Role.PROVIDER_ADMIN:
            _keep_an_admin(session, organisation_id, organisation, leaving=person.id,
                           email=person.email)
        if new not in current:
            account_store.add_membership(session, user_id=person.id,
                                         organisation_id=organisation_id, role=new.value,
                                         at=now)
            _audit_membership(session, principal, "membership.added", person.id,
                              organisation, new, now)
        _delete_membership(session, organisation_id, person.id, old)
        _audit_membership(session, principal, "membership.removed", person.id, organisation,
                          old, now)
        session.flush()
        return accounts.view(session, person)


def remove_member(runtime: Runtime, *, actor: Actor, organisation: str, email: str) -> None:
    """Take every role ``email`` holds in ``organisation`` away (nothing happens when they
    hold none: removed already)."""
    principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        organisation_id, _ = _locked_organisation(session, organisation)
        person = accounts.user_row_by_email(session, email)
        current = _roles_of(session, organisation_id, person.id)
        if Role.PROVIDER_ADMIN in current:
            _keep_an_admin(session, organisation_id, organisation, leaving=person.id,
                           email=person.email)
        for role in sorted(current, key=lambda r: r.value):
            _delete_membership(session, organisation_id, person.id, role)
            _audit_membership(session, principal, "membership.removed", person.id,
                              organisation, role, now)
        session.flush()


def _locked_organisation(session: Session, slug: str) -> tuple[int, str]:
    """The organisation's id and kind, the organisation locked until the transaction ends
    (PostgreSQL), so that two administrators demoting each other at once cannot leave it with
    none."""
    row = organisation_store.find_row(session, slug, lock=True)
    if row is None:
        raise NotFoundError(code="workspace.refused.no_such_organisation", params={"slug": slug})
    return row.id, row.kind


def _roles_of(session: Session, organisation_id: int, user_id: int) -> set[Role]:
    return {Role(role) for role in account_store.roles_in(
        session, user_id=user_id, organisation_id=organisation_id)}


def _keep_an_admin(session: Session, organisation_id: int, slug: str, *, leaving: int,
                   email: str) -> None:
    if not account_store.holds_role_besides(session, organisation_id=organisation_id,
                                            role=Role.PROVIDER_ADMIN.value, user_id=leaving):
        raise ConflictError(
            code="workspace.refused.last_administrator", params={"email": email, "slug": slug},
            problems=[Problem("role", "the last administrator")])


def _delete_membership(session: Session, organisation_id: int, user_id: int, role: Role
                       ) -> None:
    account_store.remove_membership(session, user_id=user_id,
                                    organisation_id=organisation_id, role=role.value)


def _audit_membership(session: Session, principal: Principal, action: str, user_id: int,
                      organisation: str, role: Role, now: dt.datetime) -> None:
    audit.record(session, at=now, actor=principal.subject, action=action,
                 subject=f"user:{user_id}",
                 details={"organisation": organisation, "role": role.value})


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InputError(code="workspace.refused.unknown_role", params={"role": role},
                         problems=[Problem("role", f"unknown role {role}")]) from None


def _named(role: Role) -> InLanguages:
    """The role's name in Japanese and English (a message shows the reader's)."""
    return InLanguages({"ja": ROLE_NAMES[role][0], "en": ROLE_NAMES[role][1]})


def _assignable(role: Role | str, kind: str) -> Role:
    the_role = _role(role)
    if the_role not in assignable_roles(kind):
        raise InputError(code="workspace.refused.role_not_given",
                         params={"kind": kind, "role": the_role.value,
                                 "role_name": _named(the_role)},
                         problems=[Problem("role", f"not given by a {kind}")])
    return the_role
