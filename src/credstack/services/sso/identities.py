"""Who a provider's person is here, and what the rules make them.

:func:`complete` runs once the provider's answer was checked: the identity (issuer and
stable subject) found linked signs its account in; a new person gets an account of their
own (no password: they sign in through the provider, or set one by a reset); a person whose
address already has an account is **not** signed in to it: a pending link is kept for
:data:`LINK_LIFETIME`, and only that account's owner, signed in, confirms it
(:func:`confirm_link`). The rules are applied at every sign-in (:func:`apply_rules`): roles
the rules give now within the provider's ceiling are added, roles they gave before and no
longer give are taken back, a role given by hand is never touched; every change and every
rule held back by the ceiling is audited (``sso.roles``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import sso as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor
from credstack.core.access.policy import Role
from credstack.core.sso.roles import Rule, changes, roles_for
from credstack.errors import (
    AccountDisabledError,
    AuthenticationRequiredError,
    ConflictError,
    NotFoundError,
)
from credstack.services import accounts, audit
from credstack.services.runtime import Runtime

__all__ = ["LINK_LIFETIME", "Completed", "apply_rules", "complete", "confirm_link"]

LINK_LIFETIME: Final = dt.timedelta(minutes=30)
#: The password hash of an account made by a provider: no password matches it.
NO_PASSWORD: Final = "!sso"  # noqa: S105 (not a password: a hash nothing matches)


@dataclass(frozen=True, slots=True)
class Completed:
    """A sign-in's end: a new session, or a link waiting for its account's owner."""

    signed_in: accounts.SignedIn | None
    link_token: str | None = None
    provider_name: str = ""


def apply_rules(session: Session, *, provider: store.StoredProvider,
                identity: store.StoredIdentity, attributes: Mapping[str, Any],
                at: dt.datetime, actor: str) -> None:
    """The rules applied to the identity's account, in the caller's transaction."""
    rules = [Rule(r.attribute, r.value, Role(r.role)) for r in store.rules(session, provider.id)]
    allowed = [Role(r) for r in provider.allowed_roles.split()]
    given, held_back = roles_for(attributes, rules, allowed)
    before = {Role(r) for r in identity.granted_roles.split()}
    held = {Role(r) for r in account_store.roles_in(session, user_id=identity.user_id,
                                                     organisation_id=provider.organisation_id)}
    add, take = changes(given=given, before=before, held=held)
    for role in sorted(add):
        account_store.add_membership(session, user_id=identity.user_id,
                                     organisation_id=provider.organisation_id, role=role.value,
                                     at=at)
    for role in sorted(take):
        account_store.remove_membership(session, user_id=identity.user_id,
                                        organisation_id=provider.organisation_id,
                                        role=role.value)
    identity.granted_roles = " ".join(sorted(given))
    if add or take or held_back:
        audit.record(session, at=at, actor=actor, action="sso.roles",
                     subject=f"user:{identity.user_id}",
                     details={"provider": provider.slug,
                              "organisation": store.organisation_slug(
                                  session, provider.organisation_id),
                              "added": sorted(add), "removed": sorted(take),
                              "held_back": sorted(held_back)})


def _sign_in(runtime: Runtime, session: Session, *, provider: store.StoredProvider,
             identity: store.StoredIdentity, attributes: Mapping[str, Any], ip: str,
             now: dt.datetime) -> accounts.SignedIn:
    user = accounts.user_row(session, identity.user_id)
    if user.disabled:
        raise AccountDisabledError(code="accounts.error.disabled")
    apply_rules(session, provider=provider, identity=identity, attributes=attributes, at=now,
                actor=f"sso:{provider.slug}")
    identity.last_signed_in_at = now
    audit.record(session, at=now, actor=f"user:{identity.user_id}", action="sso.sign_in",
                 subject=f"user:{identity.user_id}",
                 details={"provider": provider.slug, "issuer": identity.issuer,
                          "subject": identity.subject, "ip": ip})
    return accounts.start_session(session, user_id=identity.user_id,
                                  settings=runtime.settings, now=now)


def _address(attributes: Mapping[str, Any]) -> str | None:
    email = attributes.get("email") or attributes.get("mail")
    if isinstance(email, list):
        email = email[0] if email else None
    if not isinstance(email, str) or "@" not in email:
        return None
    # OpenID Connect: an address the provider says it has not verified is not an account's.
    if attributes.get("email_verified") is False:
        return None
    return email.strip().lower()


def _name(attributes: Mapping[str, Any], fallback: str) -> str:
    for key in ("jaDisplayName", "displayName", "name"):
        value = attributes.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return fallback[:200]


def complete(runtime: Runtime, *, provider_id: int, issuer: str, subject: str,
             attributes: Mapping[str, Any], ip: str, spend: Sequence[str] = (),
             then: Callable[[Session, accounts.SignedIn], None] | None = None) -> Completed:
    """The end of a checked sign-in (see the module's docstring), in one transaction: the
    keys ``spend`` are spent first (one spent already refuses the sign-in as ``replayed``),
    and ``then`` notes what it must of the web session made, if one is."""
    now = runtime.now()
    with runtime.transaction() as session:
        for key in spend:
            if not store.spend_state(session, state_id=key, at=now):
                raise AuthenticationRequiredError(
                    code="sso.refused.replayed",
                    params={"reason": "replayed", "detail": "this answer came back already"})
        completed = _complete(runtime, session, provider_id=provider_id, issuer=issuer,
                              subject=subject, attributes=attributes, ip=ip, now=now)
        if then is not None and completed.signed_in is not None:
            then(session, completed.signed_in)
        return completed


def _complete(runtime: Runtime, session: Session, *, provider_id: int, issuer: str,
              subject: str, attributes: Mapping[str, Any], ip: str, now: dt.datetime
              ) -> Completed:
    provider = store.provider(session, provider_id)
    assert provider is not None
    identity = store.identity(session, issuer=issuer, subject=subject)
    if identity is not None:
        return Completed(_sign_in(runtime, session, provider=provider, identity=identity,
                                  attributes=attributes, ip=ip, now=now),
                         provider_name=provider.name)
    address = _address(attributes)
    if address is None:
        raise AuthenticationRequiredError(code="sso.refused.claims",
                                          params={"reason": "claims",
                                                  "detail": "no verified e-mail address"})
    existing = account_store.user_by_email(session, address)
    if existing is not None:
        token = secrets.token_urlsafe(32)
        store.add_pending_link(session, token=token, provider_id=provider.id,
                               user_id=existing.id, issuer=issuer, subject=subject,
                               attributes=dict(attributes), at=now,
                               expires_at=now + LINK_LIFETIME)
        audit.record(session, at=now, actor=f"sso:{provider.slug}",
                     action="sso.link.pending", subject=f"user:{existing.id}",
                     details={"provider": provider.slug, "issuer": issuer,
                              "subject": subject, "ip": ip})
        return Completed(None, link_token=token, provider_name=provider.name)
    user = account_store.add_user(
        session, email=address,
        display_name=accounts.check_display_name(_name(attributes, address)),
        password_hash=NO_PASSWORD, at=now)
    identity = store.add_identity(session, provider_id=provider.id, user_id=user.id,
                                  issuer=issuer, subject=subject, at=now)
    audit.record(session, at=now, actor=f"sso:{provider.slug}",
                 action="sso.account.created", subject=f"user:{user.id}",
                 details={"provider": provider.slug, "issuer": issuer,
                          "subject": subject, "email": address})
    return Completed(_sign_in(runtime, session, provider=provider, identity=identity,
                              attributes=attributes, ip=ip, now=now),
                     provider_name=provider.name)


def confirm_link(runtime: Runtime, *, actor: Actor, token: str) -> str:
    """Link the pending identity of ``token`` to the signed-in account it was made for
    (``sso.link``), apply the rules; the provider's name. NotFoundError for an unknown,
    used or expired link, or one made for another account."""
    principal = actor.principal
    if principal is None or principal.user_id is None:
        raise AuthenticationRequiredError(code="sso.link.sign_in_first")
    now = runtime.now()
    with runtime.transaction() as session:
        link = store.pending_link(session, token) if token and len(token) <= 128 else None
        if (link is None or link.used_at is not None or now >= store.utc(link.expires_at)
                or link.user_id != principal.user_id):
            raise NotFoundError(code="sso.link.unknown")
        link.used_at = now
        provider = store.provider(session, link.provider_id)
        assert provider is not None
        try:
            identity = store.add_identity(session, provider_id=provider.id,
                                          user_id=principal.user_id, issuer=link.issuer,
                                          subject=link.subject, at=now)
        except ConflictError:
            raise NotFoundError(code="sso.link.unknown") from None
        audit.record(session, at=now, actor=principal.subject, action="sso.link",
                     subject=principal.subject,
                     details={"provider": provider.slug, "issuer": link.issuer,
                              "subject": link.subject})
        apply_rules(session, provider=provider, identity=identity, attributes=link.attributes,
                    at=now, actor=principal.subject)
        return provider.name
