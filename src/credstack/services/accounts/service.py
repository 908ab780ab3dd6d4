"""Users and their roles in organisations.

A user is keyed by their e-mail address (trimmed, lower case); a membership gives them one
role in one organisation (a registry admin's names none). Evaluators and committee members
belong to recognition bodies only. Adding people and roles, listing them, and disabling or
enabling an account are done here for the API, the pages and the console alike, each change
audited once (``user.created``, ``membership.added``, ``membership.removed``,
``user.disabled``, ``user.enabled``).

Who may: ``accounts.manage`` on the organisation (its provider admin, or a registry admin);
only a registry admin grants the registry-admin role, adds users, lists everyone and disables
or enables an account. A provider admin looks after a person only when every membership of
theirs is in the admin's organisations (:mod:`credstack.core.accounts.management`). Nobody
gives a role to themselves (:func:`refuse_own_grant`): the policy keeps roles apart (the
registrar's decisions from the administrator's), and another administrator, or the
console's operator, grants them.

:func:`create_user`, :func:`add_membership`, :func:`user`, :func:`user_by_id` and
:func:`members` take the session of a transaction someone else opened (another service's,
or a setup that is not audited, such as the demo accounts); the caller audits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credstack.adapters.db.repositories import accounts as store
from credstack.adapters.db.repositories.accounts import StoredUser
from credstack.adapters.db.transactions import Session
from credstack.core.access import (
    PLATFORM,
    RECOGNITION_BODY_ROLES,
    ROLE_NAMES,
    Action,
    Actor,
    Membership,
    Principal,
    Role,
)
from credstack.core.accounts.emails import normalise_email
from credstack.core.accounts.management import managing_organisations
from credstack.core.accounts.passwords import check_password
from credstack.core.said import InLanguages
from credstack.errors import AccessDeniedError, ConflictError, InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.accounts import endings, hashing
from credstack.services.runtime import Runtime


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    display_name: str
    totp_enabled: bool
    disabled: bool
    created_at: dt.datetime
    memberships: frozenset[Membership]

    @property
    def subject(self) -> str:
        return f"user:{self.id}"

    def principal(self) -> Principal:
        """The user as a web-session principal (every scope their roles allow)."""
        return Principal(subject=self.subject, user_id=self.id, email=self.email,
                         memberships=self.memberships, scopes=None)


@dataclass(frozen=True, slots=True)
class Person:
    """A user as an administrator sees them, with what this administrator may do."""

    user: User
    #: Set a password or hand out a reset link.
    may_reset: bool
    #: Disable or enable the account (registry admins, never on themselves).
    may_disable: bool


@dataclass(frozen=True, slots=True)
class Me:
    """Who the caller is: the principal, and their account (None for the console)."""

    principal: Principal
    user: User | None


# --- users and their roles ----------------------------------------------------------------


def add_user(runtime: Runtime, *, actor: Actor, email: str, display_name: str, password: str,
             organisation: str | None = None, role: Role | str | None = None) -> User:
    """A new user (a registry admin's act), with ``role`` in ``organisation`` when given."""
    principal = actor.require(Action.ACCOUNTS_MANAGE)
    now = runtime.now()
    with runtime.transaction() as session:
        created = create_user(session, email=email, display_name=display_name,
                              password=password, now=now,
                              memory_kib=runtime.settings.password_memory_kib)
        audit.record(session, at=now, actor=principal.subject, action="user.created",
                     subject=created.subject, details={"email": created.email})
        if role is None:
            return created
        return _grant(session, principal, email=created.email, organisation=organisation,
                      role=_role(role), now=now)


def add_role(runtime: Runtime, *, actor: Actor, email: str, organisation: str | None,
             role: Role | str) -> User:
    """Give a user ``role`` in ``organisation`` (``None``: the platform, registry admins)."""
    the_role = _role(role)
    principal = _require_grant(actor, organisation, the_role)
    refuse_own_grant(actor, principal, email=email, organisation=organisation, role=the_role)
    now = runtime.now()
    with runtime.transaction() as session:
        return _grant(session, principal, email=email, organisation=organisation,
                      role=the_role, now=now)


def remove_role(runtime: Runtime, *, actor: Actor, email: str, organisation: str | None,
                role: Role | str) -> User:
    """Take ``role`` in ``organisation`` away from a user."""
    the_role = _role(role)
    principal = _require_grant(actor, organisation, the_role)
    now = runtime.now()
    with runtime.transaction() as session:
        row = user_row_by_email(session, email)
        organisation_id = None
        if organisation not in (None, PLATFORM):
            found = store.organisation_row(session, str(organisation))
            if found is None:
                raise NotFoundError(f"There is no organisation {organisation!r}.")
            organisation_id = found.id
        if not store.remove_membership(session, user_id=row.id,
                                       organisation_id=organisation_id, role=the_role.value):
            raise NotFoundError(f"{row.email} is not {the_role.value} of "
                                f"{organisation or 'the platform'}.")
        session.flush()
        audit.record(session, at=now, actor=principal.subject, action="membership.removed",
                     subject=f"user:{row.id}",
                     details=_membership_details(organisation, the_role))
        return view(session, row)


def list_users(runtime: Runtime, *, actor: Actor) -> list[User]:
    """Every user (registry admins)."""
    actor.require(Action.ACCOUNTS_MANAGE)
    with runtime.transaction() as session:
        return [view(session, row) for row in store.users(session)]


def list_members(runtime: Runtime, *, actor: Actor, organisation: str
                 ) -> list[tuple[User, Role]]:
    """The users with a role in ``organisation``, with that role."""
    actor.require(Action.ACCOUNTS_MANAGE, organisation)
    with runtime.transaction() as session:
        return members(session, organisation=organisation)


def people(runtime: Runtime, *, actor: Actor) -> list[Person]:
    """The people an administrator looks after: everyone for a registry admin, the members
    of their organisations for a provider admin; refused to anyone else."""
    principal = actor.user()
    administered = sorted(principal.organisations(Role.PROVIDER_ADMIN))
    everyone = actor.allows(Action.ACCOUNTS_MANAGE)
    if not everyone and not administered:
        actor.require(Action.ACCOUNTS_MANAGE)
    with runtime.transaction() as session:
        if everyone:
            found = [view(session, row) for row in store.users(session)]
        else:
            by_id = {person.id: person for organisation in administered
                     for person, _ in members(session, organisation=organisation)}
            found = sorted(by_id.values(), key=lambda person: person.email)
    return [Person(user=person, may_reset=_may_manage(actor, person),
                   may_disable=everyone and person.id != principal.user_id)
            for person in found]


def set_disabled(runtime: Runtime, *, actor: Actor, email: str, disabled: bool) -> User:
    """Disable an account (it can no longer sign in; its web sessions, tokens and API client
    secrets end at once, and stay ended when it is enabled: :mod:`.endings`) or enable it
    again. Registry admins only, never on themselves."""
    principal = actor.require(Action.ACCOUNTS_MANAGE)
    now = runtime.now()
    with runtime.transaction() as session:
        row = user_row_by_email(session, email)
        if disabled and row.id == principal.user_id:
            raise ConflictError(code="workspace.refused.own_account_disabled")
        if row.disabled == disabled:
            return view(session, row)
        row.disabled = disabled
        details: dict[str, object] = {}
        if disabled:
            details.update(endings.end_access(session, row.id, at=now, by="user.disabled"))
        audit.record(session, at=now, actor=principal.subject,
                     action="user.disabled" if disabled else "user.enabled",
                     subject=f"user:{row.id}", details=details)
        return view(session, row)


def me(runtime: Runtime, *, actor: Actor) -> Me:
    """Who is asking (:class:`~credstack.errors.AuthenticationRequiredError` for nobody)."""
    principal = actor.user()
    if principal.user_id is None:
        return Me(principal, None)
    with runtime.transaction() as session:
        return Me(principal, user_by_id(session, principal.user_id))


# --- who may look after whom ------------------------------------------------------------


def require_manager(actor: Actor, person: User) -> Principal:
    """The actor's principal if they may look after ``person``'s account; else refuse (and
    record the refusal) on the first organisation that does not allow it."""
    principal: Principal | None = None
    for organisation in managing_organisations(person.memberships):
        principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    assert principal is not None  # there is always at least one organisation to ask
    return principal


def own_account(actor: Actor, *, action: str, what: str) -> tuple[Principal, int]:
    """The signed-in user acting on their own account through a web session, and their id;
    an access token, or the console (which has no account), is refused (the code
    ``accounts.refused.owner_only.{what}``: passkeys, password, clients, totp)."""
    principal = actor.user()
    if principal.scopes is not None or principal.user_id is None:
        actor.refuse(AccessDeniedError(code=f"accounts.refused.owner_only.{what}"),
                     action=action)
    assert principal.user_id is not None
    return principal, principal.user_id


def _may_manage(actor: Actor, person: User) -> bool:
    return all(actor.allows(Action.ACCOUNTS_MANAGE, organisation)
               for organisation in managing_organisations(person.memberships))


def _require_grant(actor: Actor, organisation: str | None, role: Role) -> Principal:
    where = None if organisation in (None, "", PLATFORM) else organisation
    principal = actor.require(Action.ACCOUNTS_MANAGE, where)
    # A registry admin is one everywhere: only another registry admin makes or unmakes one.
    if role is Role.REGISTRY_ADMIN and not principal.has_role(Role.REGISTRY_ADMIN):
        actor.refuse(AccessDeniedError(
            code="workspace.refused.registry_admin_only"),
            action=Action.ACCOUNTS_MANAGE.value, organisation=where)
    return principal


def refuse_own_grant(actor: Actor, principal: Principal, *, email: str,
                     organisation: str | None, role: Role) -> None:
    """Refuse (recorded as a refusal, as the web records one) ``principal`` giving ``role``
    to the account ``email`` when it is their own: whoever may grant roles could otherwise
    hold two that the policy keeps apart, such as a provider admin the registrar's."""
    if principal.email is None or normalise_email(email) != normalise_email(principal.email):
        return
    where = None if organisation in (None, "", PLATFORM) else organisation
    names = InLanguages({"ja": ROLE_NAMES[role][0], "en": ROLE_NAMES[role][1]})
    actor.refuse(AccessDeniedError(
        code="workspace.refused.own_role" if where else "workspace.refused.own_platform_role",
        params={"role": role.value, "role_name": names, **({"where": where} if where else {})}),
        action=Action.ACCOUNTS_MANAGE.value, organisation=where)


def _grant(session: Session, principal: Principal, *, email: str, organisation: str | None,
           role: Role, now: dt.datetime) -> User:
    granted = add_membership(session, email=email, organisation=organisation, role=role,
                             now=now)
    audit.record(session, at=now, actor=principal.subject, action="membership.added",
                 subject=granted.subject, details=_membership_details(organisation, role))
    return granted


def _membership_details(organisation: str | None, role: Role) -> dict[str, object]:
    where = None if organisation in (None, "", PLATFORM) else organisation
    return {"organisation": where, "role": role.value}


# --- inside another transaction ------------------------------------------------------------


def create_user(session: Session, *, email: str, display_name: str, password: str,
                now: dt.datetime, memory_kib: int) -> User:
    """A new user (the password hashed with ``memory_kib``: the settings'
    ``password_memory_kib``), in the caller's transaction (the caller audits);
    :class:`~credstack.errors.ConflictError` when the address already has an account."""
    address = normalise_email(email)
    name = check_display_name(display_name)
    check_password(password, email=address)
    return create_user_with_hash(session, email=address, display_name=name,
                                 password_hash=hashing.hash_password(
                                     password, memory_kib=memory_kib), now=now)


def create_user_with_hash(session: Session, *, email: str, display_name: str,
                          password_hash: str, now: dt.datetime) -> User:
    """A new user whose password was checked and hashed when it was chosen (a sign-up
    confirmed later by e-mail), in the caller's transaction (the caller audits);
    :class:`~credstack.errors.ConflictError` when the address already has an account."""
    address = normalise_email(email)
    if store.user_by_email(session, address) is not None:
        raise ConflictError(f"There is already an account for {address}.")
    row = store.add_user(session, email=address, display_name=check_display_name(display_name),
                         password_hash=password_hash, at=now)
    return view(session, row)


def check_display_name(display_name: str) -> str:
    """The display name as kept (trimmed); InputError unless it has 1 to 200 characters."""
    name = display_name.strip()
    if not name or len(name) > 200:
        raise InputError("The display name must have 1 to 200 characters.",
                         problems=[Problem("display_name", "1 to 200 characters")])
    return name


def add_membership(session: Session, *, email: str, organisation: str | None, role: Role | str,
                   now: dt.datetime) -> User:
    """Give a user ``role`` in ``organisation``, in the caller's transaction (the caller
    checks who may, and audits).

    Evaluators and committee members belong to recognition bodies only; anyone else's role
    needs an organisation that exists, except a registry admin's, which needs none.
    """
    row = user_row_by_email(session, email)
    the_role = _role(role)
    organisation_id = _organisation_for(session, organisation, the_role)
    if store.membership_row(session, user_id=row.id, organisation_id=organisation_id,
                            role=the_role.value) is not None:
        raise ConflictError(f"{row.email} already is {the_role.value} of "
                            f"{organisation or 'the platform'}.")
    store.add_membership(session, user_id=row.id, organisation_id=organisation_id,
                         role=the_role.value, at=now)
    session.flush()
    return view(session, row)


def user(session: Session, *, email: str) -> User:
    """The user of ``email``, in the caller's transaction; NotFoundError when none."""
    return view(session, user_row_by_email(session, email))


def user_by_id(session: Session, user_id: int) -> User:
    """The user ``user_id``, in the caller's transaction; NotFoundError when none."""
    return view(session, user_row(session, user_id))


def members(session: Session, *, organisation: str) -> list[tuple[User, Role]]:
    """The users with a role in ``organisation``, with that role, in the caller's
    transaction."""
    found = store.organisation_row(session, organisation)
    if found is None:
        raise NotFoundError(f"There is no organisation {organisation!r}.")
    return [(view(session, row), Role(role)) for row, role in store.members(session, found.id)]


def user_row(session: Session, user_id: int) -> StoredUser:
    """The stored user ``user_id`` (for the other accounts services); NotFoundError when
    none."""
    row = store.user_row(session, user_id)
    if row is None:
        raise NotFoundError(f"There is no user {user_id}.")
    return row


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InputError(f"Unknown role {role!r}; roles are "
                         f"{', '.join(r.value for r in Role)}.",
                         problems=[Problem("role", f"unknown role {role}")]) from None


def _organisation_for(session: Session, organisation: str | None, role: Role) -> int | None:
    if organisation in (None, "", PLATFORM):
        if role is not Role.REGISTRY_ADMIN:
            raise InputError(f"The role {role.value} needs an organisation.",
                             problems=[Problem("organisation", "required for this role")])
        return None
    found = store.organisation_row(session, str(organisation))
    if found is None:
        raise NotFoundError(f"There is no organisation {organisation!r}.")
    if role in RECOGNITION_BODY_ROLES and found.kind != "recognition-body":
        raise InputError(f"{role.value} is a role of recognition bodies; {organisation} is a "
                         f"{found.kind}.",
                         problems=[Problem("role", "only in a recognition body")])
    return found.id


def user_row_by_email(session: Session, email: str) -> StoredUser:
    """The stored user of ``email`` (for the other accounts services); NotFoundError when
    none."""
    row = store.user_by_email(session, email.strip().lower())
    if row is None:
        raise NotFoundError(f"There is no account for {email.strip()}.")
    return row


def view(session: Session, row: StoredUser) -> User:
    """The view of a stored user (for the other accounts services)."""
    memberships = frozenset(Membership(slug or PLATFORM, Role(role))
                            for slug, role in store.memberships(session, row.id))
    return User(id=row.id, email=row.email, display_name=row.display_name,
                totp_enabled=row.totp_secret is not None, disabled=row.disabled,
                created_at=store.utc(row.created_at), memberships=memberships)
