"""Queries of campus single sign-on: providers and their rules, identities, pending links and
spent states (tables in :mod:`credstack.adapters.db.tables.sso`; the services on top are in
:mod:`credstack.services.sso`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Protocol

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow, WebSessionRow
from credstack.adapters.db.tables.sso import (
    SsoIdentityRow,
    SsoOidcSessionRow,
    SsoPendingLinkRow,
    SsoProviderRow,
    SsoRoleRuleRow,
    SsoSamlSessionRow,
    SsoSpentStateRow,
)
from credstack.adapters.db.times import utc as utc
from credstack.errors import ConflictError

__all__ = [
    "StoredIdentity",
    "StoredLink",
    "StoredProvider",
    "StoredRule",
    "add_identity",
    "add_oidc_session",
    "add_pending_link",
    "add_provider",
    "add_saml_session",
    "forget_spent",
    "identity",
    "identity_counts",
    "identity_of",
    "oidc_logout",
    "organisation_slug",
    "pending_link",
    "provider",
    "provider_by_slug",
    "providers",
    "rules",
    "saml_logout",
    "saml_session_of",
    "set_rules",
    "spend_state",
    "utc",
    "with_organisations",
]


class StoredProvider(Protocol):
    """A stored identity provider as the services read and change it."""

    id: int
    slug: str
    organisation_id: int
    kind: str
    name: str
    config: dict[str, Any]
    secret: str | None
    allowed_roles: str
    enabled: bool


class StoredRule(Protocol):
    attribute: str
    value: str
    role: str


class StoredIdentity(Protocol):
    """An issuer's subject linked to an account."""

    id: int
    provider_id: int
    user_id: int
    issuer: str
    subject: str
    granted_roles: str
    last_signed_in_at: dt.datetime | None


class StoredSamlSession(Protocol):
    """What a SAML sign-in noted of the web session it made."""

    provider_id: int
    session_index: str
    name_id: str | None
    name_id_format: str | None
    name_qualifier: str | None
    sp_name_qualifier: str | None


class StoredLink(Protocol):
    """A link waiting for the account's owner."""

    provider_id: int
    user_id: int
    issuer: str
    subject: str
    attributes: dict[str, Any]
    expires_at: dt.datetime
    used_at: dt.datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_provider(session: Session, *, slug: str, organisation_id: int, kind: str, name: str,
                 config: dict[str, Any], secret: str | None, allowed_roles: str,
                 at: dt.datetime) -> StoredProvider:
    """A new provider (flushed); ConflictError when the slug is taken."""
    row = SsoProviderRow(slug=slug, organisation_id=organisation_id, kind=kind, name=name,
                         config=config, secret=secret, allowed_roles=allowed_roles,
                         enabled=True, created_at=at)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(f"There is already an identity provider named {slug!r}.") from None
    return row


def provider(session: Session, provider_id: int) -> StoredProvider | None:
    return session.get(SsoProviderRow, provider_id)


def provider_by_slug(session: Session, slug: str) -> StoredProvider | None:
    return session.scalar(select(SsoProviderRow).where(SsoProviderRow.slug == slug))


def providers(session: Session, *, organisation_id: int | None = None,
              enabled_only: bool = False) -> list[tuple[StoredProvider, str]]:
    """Providers (of one organisation, or all) with their organisation's slug, by name."""
    query = select(SsoProviderRow, OrganisationRow.slug).join(
        OrganisationRow, OrganisationRow.id == SsoProviderRow.organisation_id)
    if organisation_id is not None:
        query = query.where(SsoProviderRow.organisation_id == organisation_id)
    if enabled_only:
        query = query.where(SsoProviderRow.enabled.is_(True))
    return [(row, slug) for row, slug in session.execute(query.order_by(SsoProviderRow.name))]


def enabled_with_organisations(session: Session
                               ) -> list[tuple[StoredProvider, str, dict[str, str]]]:
    """The enabled providers with their organisation's slug and names, by name."""
    query = select(SsoProviderRow, OrganisationRow.slug, OrganisationRow.name).join(
        OrganisationRow, OrganisationRow.id == SsoProviderRow.organisation_id).where(
        SsoProviderRow.enabled.is_(True)).order_by(SsoProviderRow.name)
    return [(row, slug, dict(names or {})) for row, slug, names in session.execute(query)]


def with_organisations(session: Session) -> list[tuple[StoredProvider, str, dict[str, str]]]:
    """Every provider with its organisation's slug and names."""
    query = select(SsoProviderRow, OrganisationRow.slug, OrganisationRow.name).join(
        OrganisationRow, OrganisationRow.id == SsoProviderRow.organisation_id)
    return [(row, slug, dict(names or {})) for row, slug, names in session.execute(query)]


def identity_counts(session: Session) -> dict[int, int]:
    """How many accounts each provider signs in (its linked identities), by provider id."""
    query = select(SsoIdentityRow.provider_id, func.count()).group_by(
        SsoIdentityRow.provider_id)
    return {provider_id: count for provider_id, count in session.execute(query)}


def organisation_slug(session: Session, organisation_id: int) -> str:
    slug = session.scalar(select(OrganisationRow.slug).where(
        OrganisationRow.id == organisation_id))
    assert slug is not None
    return slug


def rules(session: Session, provider_id: int) -> list[StoredRule]:
    return list(session.scalars(select(SsoRoleRuleRow).where(
        SsoRoleRuleRow.provider_id == provider_id).order_by(SsoRoleRuleRow.id)))


def set_rules(session: Session, provider_id: int, wanted: list[tuple[str, str, str]]) -> None:
    """The provider's rules become ``wanted`` (attribute, value, role)."""
    session.execute(delete(SsoRoleRuleRow).where(SsoRoleRuleRow.provider_id == provider_id))
    for attribute, value, role in dict.fromkeys(wanted):
        session.add(SsoRoleRuleRow(provider_id=provider_id, attribute=attribute, value=value,
                                   role=role))
    session.flush()


def identity(session: Session, *, issuer: str, subject: str) -> StoredIdentity | None:
    return session.scalar(select(SsoIdentityRow).where(
        SsoIdentityRow.issuer == issuer, SsoIdentityRow.subject == subject))


def identity_of(session: Session, *, user_id: int, provider_id: int) -> StoredIdentity | None:
    return session.scalar(select(SsoIdentityRow).where(
        SsoIdentityRow.user_id == user_id, SsoIdentityRow.provider_id == provider_id))


def add_identity(session: Session, *, provider_id: int, user_id: int, issuer: str,
                 subject: str, at: dt.datetime) -> StoredIdentity:
    """A new identity (flushed); ConflictError when the issuer's subject is linked already."""
    row = SsoIdentityRow(provider_id=provider_id, user_id=user_id, issuer=issuer,
                         subject=subject, granted_roles="", linked_at=at)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError("This identity is linked to an account already.") from None
    return row


def add_pending_link(session: Session, *, token: str, provider_id: int, user_id: int,
                     issuer: str, subject: str, attributes: dict[str, Any],
                     at: dt.datetime, expires_at: dt.datetime) -> None:
    session.add(SsoPendingLinkRow(token_hash=_digest(token), provider_id=provider_id,
                                  user_id=user_id, issuer=issuer, subject=subject,
                                  attributes=attributes, created_at=at, expires_at=expires_at))
    session.flush()


def pending_link(session: Session, token: str) -> StoredLink | None:
    return session.scalar(select(SsoPendingLinkRow).where(
        SsoPendingLinkRow.token_hash == _digest(token)).with_for_update())


def spend_state(session: Session, *, state_id: str, at: dt.datetime) -> bool:
    """Note ``state_id`` as used; False when it was used already."""
    if session.scalar(select(SsoSpentStateRow.id).where(
            SsoSpentStateRow.state_id == state_id)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SsoSpentStateRow(state_id=state_id, spent_at=at))
            session.flush()
    except IntegrityError:
        return False
    return True


def forget_spent(session: Session, *, before: dt.datetime) -> int:
    """Forget states spent before ``before`` (they have expired anyway)."""
    result = session.execute(delete(SsoSpentStateRow).where(SsoSpentStateRow.spent_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


def add_saml_session(session: Session, *, provider_id: int, name_id: str, session_index: str,
                     token: str, at: dt.datetime, name_id_format: str = "",
                     name_qualifier: str = "", sp_name_qualifier: str = "") -> None:
    """Note that the web session of cookie token ``token`` came from the SAML sign-in of
    ``name_id`` (and ``session_index``) at provider ``provider_id``."""
    web = session.scalar(select(WebSessionRow.id).where(
        WebSessionRow.token_hash == _digest(token)))
    assert web is not None
    session.add(SsoSamlSessionRow(provider_id=provider_id, name_id_hash=_digest(name_id),
                                  session_index=session_index[:200], web_session_id=web,
                                  name_id=name_id, name_id_format=name_id_format[:200],
                                  name_qualifier=name_qualifier[:500],
                                  sp_name_qualifier=sp_name_qualifier[:500], created_at=at))
    session.flush()


def saml_session_of(session: Session, token: str) -> StoredSamlSession | None:
    """What the SAML sign-in that made the live web session of cookie token ``token`` noted
    (None: not a SAML sign-in's, or ended)."""
    return session.scalar(select(SsoSamlSessionRow).join(
        WebSessionRow, WebSessionRow.id == SsoSamlSessionRow.web_session_id).where(
        WebSessionRow.token_hash == _digest(token), WebSessionRow.revoked_at.is_(None)))


def _revoked(session: Session, query: Select[WebSessionRow], at: dt.datetime
             ) -> list[int]:
    """End the live web sessions ``query`` selects; the users whose sessions ended."""
    users = set()
    for row in session.scalars(query):
        row.revoked_at = at
        users.add(row.user_id)
    return sorted(users)


def saml_logout(session: Session, *, provider_id: int, name_id: str, session_index: str,
                at: dt.datetime) -> list[int]:
    """End the live web sessions the provider's sign-ins of ``name_id`` made (only that
    ``session_index``'s when one is given); the users whose sessions ended."""
    query = select(WebSessionRow).join(
        SsoSamlSessionRow, SsoSamlSessionRow.web_session_id == WebSessionRow.id).where(
        SsoSamlSessionRow.provider_id == provider_id,
        SsoSamlSessionRow.name_id_hash == _digest(name_id),
        WebSessionRow.revoked_at.is_(None))
    if session_index:
        query = query.where(SsoSamlSessionRow.session_index == session_index[:200])
    return _revoked(session, query, at)


def add_oidc_session(session: Session, *, provider_id: int, subject: str, sid: str | None,
                     token: str, at: dt.datetime) -> None:
    """Note that the web session of cookie token ``token`` came from the OpenID sign-in of
    ``subject`` (in the provider's session ``sid``) at provider ``provider_id``."""
    web = session.scalar(select(WebSessionRow.id).where(
        WebSessionRow.token_hash == _digest(token)))
    assert web is not None
    session.add(SsoOidcSessionRow(provider_id=provider_id, subject=subject[:500],
                                  sid=sid[:200] if sid else None, web_session_id=web,
                                  created_at=at))
    session.flush()


def oidc_logout(session: Session, *, provider_id: int, subject: str | None, sid: str | None,
                at: dt.datetime) -> list[int]:
    """End the live web sessions the provider's sign-ins made in its session ``sid`` (when
    given) of ``subject`` (when given); the users whose sessions ended."""
    query = select(WebSessionRow).join(
        SsoOidcSessionRow, SsoOidcSessionRow.web_session_id == WebSessionRow.id).where(
        SsoOidcSessionRow.provider_id == provider_id, WebSessionRow.revoked_at.is_(None))
    if subject is not None:
        query = query.where(SsoOidcSessionRow.subject == subject[:500])
    if sid is not None and subject is not None:
        # A sign-in whose id_token named no session is ended by its subject alone.
        query = query.where(or_(SsoOidcSessionRow.sid == sid[:200],
                                SsoOidcSessionRow.sid.is_(None)))
    elif sid is not None:
        query = query.where(SsoOidcSessionRow.sid == sid[:200])
    return _revoked(session, query, at)
