"""An invitation's link, from the invited person's side: reading it and accepting it.

The link (``/invitations/{token}``) works once, until it expires or is revoked. It is
accepted by the account of the address it was sent to: by that user signed in
(:func:`accept`), or, when the address has no account yet, by making one there
(:func:`join`), which signs the new user in. Someone signed in with another address is
refused (the link was meant for someone else), and nothing about the invitation changes.

Accepting twice (a form sent twice) is harmless: the second time finds the invitation
accepted by the same user and changes nothing. Audited: ``invitation.accepted``,
``membership.added``, and ``user.created`` for a new account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import invitations as invitation_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories.invitations import StoredInvitation
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor, Role
from credstack.core.organisations import Organisation
from credstack.errors import AccessDeniedError, NotFoundError
from credstack.services import accounts, audit
from credstack.services.accounts import SignedIn
from credstack.services.runtime import Runtime

__all__ = ["Invited", "accept", "invited", "join"]

#: Invitation tokens are 43 characters; anything much longer is not one of ours.
MAX_TOKEN = 128
#: The refusal's code: an invitation link that cannot be used.
UNUSABLE = "workspace.refused.invitation_unusable"


@dataclass(frozen=True, slots=True)
class Invited:
    """What an invitation's link offers, as its page shows it."""

    organisation: Organisation
    email: str
    role: Role
    expires_at: dt.datetime
    #: Whether the address has an account already (then its user signs in to accept).
    has_account: bool
    #: Set when the invitation was accepted by the user asking (a form sent twice).
    accepted: bool = False


def invited(runtime: Runtime, *, token: str, actor: Actor | None = None) -> Invited:
    """The invitation of ``token`` while it can be used — or, for ``actor`` who accepted it
    already, as accepted; NotFoundError otherwise."""
    now = runtime.now()
    with runtime.transaction() as session:
        row = _find(session, token)
        user_id = actor.principal.user_id if actor and actor.principal else None
        accepted = row is not None and row.accepted_at is not None and \
            row.accepted_by is not None and row.accepted_by == user_id
        if row is None or (not accepted and not row.usable(now)):
            raise NotFoundError(code=UNUSABLE)
        return _view(session, row, accepted=accepted)


def accept(runtime: Runtime, *, actor: Actor, token: str) -> Invited:
    """The signed-in user accepts the invitation sent to their address: they take its role
    in the organisation."""
    principal = actor.user()
    now = runtime.now()
    with runtime.transaction() as session:
        row = _find(session, token, lock=True)
        if row is not None and row.accepted_at is not None \
                and row.accepted_by == principal.user_id:
            return _view(session, row, accepted=True)
        if row is None or not row.usable(now):
            raise NotFoundError(code=UNUSABLE)
        if principal.user_id is None or (principal.email or "").lower() != row.email:
            actor.refuse(AccessDeniedError(
                code="workspace.refused.invitation_for_another",
                params={"email": row.email, "signed_in": principal.email or principal.subject}),
                action="invitation.accept", organisation=_organisation(session, row).slug)
        assert principal.user_id is not None
        taken = _take(session, row, user_id=principal.user_id, actor=principal.subject, now=now)
        return _view(session, taken, accepted=True)


def join(runtime: Runtime, *, token: str, display_name: str, password: str) -> SignedIn:
    """Make the account of the invited address (it has none yet), give it the invitation's
    role and sign it in: the new web session.

    ConflictError when the address has an account already (its user signs in instead);
    InputError for a display name or password the account rules refuse.
    """
    now = runtime.now()
    with runtime.transaction() as session:
        row = _find(session, token, lock=True)
        if row is None or not row.usable(now):
            raise NotFoundError(code=UNUSABLE)
        created = accounts.create_user(session, email=row.email, display_name=display_name,
                                       password=password, now=now,
                                       memory_kib=runtime.settings.password_memory_kib)
        audit.record(session, at=now, actor=created.subject, action="user.created",
                     subject=created.subject,
                     details={"email": created.email, "via": "invitation"})
        _take(session, row, user_id=created.id, actor=created.subject, now=now)
        return accounts.start_session(session, user_id=created.id, settings=runtime.settings,
                                      now=now)


def _find(session: Session, token: str, *, lock: bool = False) -> StoredInvitation | None:
    if not 0 < len(token) <= MAX_TOKEN:
        return None
    return invitation_store.by_token(session, account_store.digest(token), lock=lock)


def _organisation(session: Session, row: StoredInvitation) -> Organisation:
    organisation = organisation_store.organisation_by_id(session, row.organisation_id)
    assert organisation is not None
    return organisation


def _take(session: Session, row: StoredInvitation, *, user_id: int, actor: str,
          now: dt.datetime) -> StoredInvitation:
    """The invited user takes the role (unless they hold it already); the invitation is
    used up."""
    slug = _organisation(session, row).slug
    if account_store.membership_row(session, user_id=user_id,
                                     organisation_id=row.organisation_id,
                                     role=row.role) is None:
        account_store.add_membership(session, user_id=user_id,
                                     organisation_id=row.organisation_id, role=row.role, at=now)
        audit.record(session, at=now, actor=actor, action="membership.added",
                     subject=f"user:{user_id}",
                     details={"organisation": slug, "role": row.role, "via": "invitation"})
    taken = invitation_store.accept(session, row.id, user_id=user_id, at=now)
    audit.record(session, at=now, actor=actor, action="invitation.accepted",
                 subject=f"organisation:{slug}",
                 details={"invitation": row.id, "email": row.email, "role": row.role})
    return taken


def _view(session: Session, row: StoredInvitation, *, accepted: bool = False) -> Invited:
    return Invited(organisation=_organisation(session, row), email=row.email,
                   role=Role(row.role), expires_at=row.expires_at,
                   has_account=account_store.user_by_email(session, row.email) is not None,
                   accepted=accepted)
