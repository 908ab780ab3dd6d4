"""Tables of campus single sign-on (issue 57, migration ``0051_sso``): each organisation's
identity providers, the rules that turn their attributes into roles, the people they sign in
(an issuer and its stable subject, linked to one account), the links waiting for an account's
owner to confirm them, the sign-in states already spent, and the web sessions a SAML sign-in
made (migration ``0055_sso_saml_sessions``), for single logout, with the NameID to name in
the LogoutRequest credstack sends when the person signs out (``0058_sso_saml_logout``).

A provider's client secret is sealed with the key store's master key (as TOTP secrets are);
a pending link's token is kept as its SHA-256 only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument


class SsoProviderRow(Base):
    """An identity provider an organisation's administrator configured."""

    __tablename__ = "sso_providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: In URLs and in the sign-in page's search (unique across organisations).
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: ``oidc`` or ``saml``.
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    #: OIDC: ``issuer``, ``client_id``, ``scopes``; SAML: the IdP's entity id and metadata.
    config: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: The OIDC client secret, sealed (None: a SAML provider).
    secret: Mapped[str | None] = mapped_column(Text)
    #: The roles this provider's rules may give at most, space-separated: the administrator's
    #: ceiling, which no rule passes.
    allowed_roles: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)


class SsoRoleRuleRow(Base):
    """An attribute's value that gives a role in the provider's organisation."""

    __tablename__ = "sso_role_rules"
    __table_args__ = (UniqueConstraint("provider_id", "attribute", "value", "role",
                                       name="uq_sso_role_rules"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_providers.id",
                                                        ondelete="CASCADE"), index=True)
    attribute: Mapped[str] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))


class SsoIdentityRow(Base):
    """A person a provider signs in, by its issuer and stable subject, linked to an account."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_sso_identities"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_providers.id",
                                                        ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(500))
    #: The roles the rules gave at the last sign-in, space-separated: the next sign-in takes
    #: back those its rules no longer give (never a role given by hand).
    granted_roles: Mapped[str] = mapped_column(String(200), default="")
    linked_at: Mapped[dt.datetime] = mapped_column(STAMP)
    last_signed_in_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class SsoPendingLinkRow(Base):
    """An identity whose address has an account already: linked only once that account's
    owner, signed in, confirms it (within the link's lifetime, once)."""

    __tablename__ = "sso_pending_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_providers.id",
                                                        ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(500))
    #: The attributes of the sign-in, for the rules applied when the link is confirmed.
    attributes: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class SsoSpentStateRow(Base):
    """A sign-in's state once its answer came back: never accepted again."""

    __tablename__ = "sso_spent_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state_id: Mapped[str] = mapped_column(String(64), unique=True)
    spent_at: Mapped[dt.datetime] = mapped_column(STAMP, index=True)


class SsoSamlSessionRow(Base):
    """A web session a SAML identity provider's sign-in made: its LogoutRequest naming the
    NameID (and SessionIndex) ends it."""

    __tablename__ = "sso_saml_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_providers.id",
                                                        ondelete="CASCADE"))
    #: The SHA-256 of the NameID the assertion gave (a transient one names the session).
    name_id_hash: Mapped[str] = mapped_column(String(64), index=True)
    session_index: Mapped[str] = mapped_column(String(200))
    #: The NameID as the assertion gave it, for our LogoutRequest (None: noted before 0058).
    name_id: Mapped[str | None] = mapped_column(Text)
    name_id_format: Mapped[str | None] = mapped_column(String(200))
    name_qualifier: Mapped[str | None] = mapped_column(String(500))
    sp_name_qualifier: Mapped[str | None] = mapped_column(String(500))
    web_session_id: Mapped[int] = mapped_column(ForeignKey("web_sessions.id",
                                                           ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)


class SsoOidcSessionRow(Base):
    """A web session an OpenID provider's sign-in made (migration ``0060_sso_oidc_sessions``):
    its logout token naming the ``sid`` (or the subject) ends it."""

    __tablename__ = "sso_oidc_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_providers.id",
                                                        ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(500), index=True)
    #: The provider's session id the id_token gave (None: it gave none).
    sid: Mapped[str | None] = mapped_column(String(200), index=True)
    web_session_id: Mapped[int] = mapped_column(ForeignKey("web_sessions.id",
                                                           ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
