"""Passwords switched off per organisation (issue 57): its administrator (``accounts.manage``
on it: its provider admin, or a registry admin) decides that its members sign in with a
passkey or single sign-on only (``organisation.passwords.off``; ``…on`` undoes it). A member
of such an organisation who signs in with the right password is refused, told to use a
passkey (:func:`passwordless_organisations`, asked by
:mod:`credstack.services.accounts.sign_in`); a passkey signs them in as before.
"""

from __future__ import annotations

from credstack.adapters.db.repositories import accounts as accounts_store
from credstack.adapters.db.repositories import passkeys as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.errors import NotFoundError
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["passwordless_organisations", "passwords_allowed", "set_passwords_allowed"]


def passwords_allowed(runtime: Runtime, *, actor: Actor, organisation: str) -> bool:
    """Whether the members of ``organisation`` may sign in with a password."""
    actor.require(Action.ACCOUNTS_MANAGE, organisation)
    with runtime.sessions() as session:
        return store.passwords_off(session, _organisation_id(session, organisation)) is None


def set_passwords_allowed(runtime: Runtime, *, actor: Actor, organisation: str,
                          allowed: bool) -> bool:
    """Switch passwords on or off for ``organisation``'s members (audited when it changes);
    whether they are allowed now."""
    principal = actor.require(Action.ACCOUNTS_MANAGE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        organisation_id = _organisation_id(session, organisation)
        off = store.passwords_off(session, organisation_id) is not None
        if off == (not allowed):
            return allowed
        if allowed:
            store.switch_passwords_on(session, organisation_id)
        else:
            store.switch_passwords_off(session, organisation_id=organisation_id, at=now,
                                       by=principal.subject)
        audit.record(session, at=now, actor=principal.subject,
                     action="organisation.passwords.on" if allowed
                     else "organisation.passwords.off",
                     subject=f"organisation:{organisation}", details={})
    return allowed


def passwordless_organisations(session: Session, user_id: int) -> list[str]:
    """The user's organisations that switched passwords off, in the caller's transaction."""
    return store.passwordless_organisations(session, user_id)


def _organisation_id(session: Session, slug: str) -> int:
    row = accounts_store.organisation_row(session, slug)
    if row is None:
        raise NotFoundError(code="workspace.refused.no_organisation", params={"slug": slug})
    return row.id
