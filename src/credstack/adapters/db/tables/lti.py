"""The LTI 1.3 tables (migrations ``0037_lti`` and ``0038_lti_identities``): credstack as an
LTI Advantage tool.

* ``lti_tool_keys`` — the tool's RSA keys (its JWKS; private halves sealed with the master key);
* ``lti_platforms`` and ``lti_deployments`` — the LMSs an organisation registered (by hand or
  by LTI Dynamic Registration, then approved) and their deployment ids;
* ``lti_logins`` — each OIDC login's ``state`` and ``nonce``, used once;
* ``lti_launches`` — a verified launch kept for the page that answers it (deep linking);
* ``lti_links`` — a course link: which programme it awards and on what rule;
* ``lti_learners`` — each learner of a link: their result, the decision, the credential;
* ``lti_identities`` — an LMS's user (issuer and ``sub``) linked to a credstack account;
* ``lti_registration_tokens`` (migration ``0049_lti_registration_tokens``) — the tokens an
  organisation's administrator makes for an LMS's Dynamic Registration (their SHA-256 only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument, SealedSecret


class LtiToolKeyRow(SealedSecret, Base):
    """One of the tool's RSA keys: the public JWK in the clear, the private key sealed."""

    __tablename__ = "lti_tool_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class LtiPlatformRow(Base):
    """An LMS registered by an organisation: its issuer and the client id it gave credstack."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id",
                                       name="uq_lti_platforms_issuer_client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    login_url: Mapped[str] = mapped_column(Text)
    token_url: Mapped[str] = mapped_column(Text)
    jwks_url: Mapped[str] = mapped_column(Text)
    #: ``hand`` (entered in the workspace) or ``dynamic`` (LTI Dynamic Registration).
    source: Mapped[str] = mapped_column(String(16))
    #: ``pending`` until an administrator approves a dynamic registration, then ``active``.
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)


class LtiDeploymentRow(Base):
    __tablename__ = "lti_deployments"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id",
                                       name="uq_lti_deployments_platform_deployment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"),
                                             index=True)
    deployment_id: Mapped[str] = mapped_column(String(255))


class LtiLoginRow(Base):
    """An OIDC login the tool answered: the launch that follows must bring its ``state`` and
    the ``nonce`` in its id_token, once."""

    __tablename__ = "lti_logins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"),
                                             index=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class LtiLaunchRow(Base):
    """A verified launch, named by a random id the page that answers it carries."""

    __tablename__ = "lti_launches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"),
                                             index=True)
    claims: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class LtiLinkRow(Base):
    """A course link: the programme it awards, on which rule, and the course's services."""

    __tablename__ = "lti_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"),
                                             index=True)
    deployment_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255))
    context_title: Mapped[str] = mapped_column(String(500))
    #: The LMS's resource link id, known from the first launch of the link.
    resource_link_id: Mapped[str | None] = mapped_column(String(255))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    #: ``score`` (``minimum`` fraction of the line item's maximum) or ``completion``.
    rule: Mapped[str] = mapped_column(String(16))
    line_item: Mapped[str] = mapped_column(String(500))
    minimum: Mapped[float | None] = mapped_column(Float)
    memberships_url: Mapped[str | None] = mapped_column(Text)
    lineitems_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    synced_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The awards run that holds the link (a random token) and until when: one run at a
    #: time reads and issues a link; a run that died lets go when its time is up.
    awarding_by: Mapped[str | None] = mapped_column(String(64))
    awarding_until: Mapped[dt.datetime | None] = mapped_column(STAMP)


class LtiLearnerRow(Base):
    """A learner of a course link as the last reading found them, and what was issued."""

    __tablename__ = "lti_learners"
    __table_args__ = (UniqueConstraint("link_id", "user_id", name="uq_lti_learners_link_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("lti_links.id", ondelete="CASCADE"),
                                         index=True)
    #: The LMS's user id (the launch's ``sub``, the roster's ``user_id``).
    user_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(320))
    score: Mapped[float | None] = mapped_column(Float)
    maximum: Mapped[float | None] = mapped_column(Float)
    #: ``passed``, ``pending`` (not yet), ``issued``, ``lowered`` (issued, the grade since
    #: fell below the rule) or ``blocked`` (cannot be decided: ``reason`` says why).
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    credential_id: Mapped[str | None] = mapped_column(String(2048))
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)


class LtiIdentityRow(Base):
    """An LMS's user linked to a credstack account by the learner (signed in from a launch):
    the link's credentials are issued to the account's address from then on."""

    __tablename__ = "lti_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject",
                                       name="uq_lti_identities_issuer_subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"),
                                             index=True)
    #: The platform's issuer and its user id there (the launch's ``iss`` and ``sub``).
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    #: The name and address the LMS gave, as the account page shows them.
    name: Mapped[str] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(320))
    linked_at: Mapped[dt.datetime] = mapped_column(STAMP)


class LtiRegistrationTokenRow(Base):
    """A Dynamic Registration token an organisation's administrator made: only its SHA-256
    is kept; it is spent by the first registration that presents it, before it expires."""

    __tablename__ = "lti_registration_tokens"
    __table_args__ = (UniqueConstraint("token_hash",
                                       name="uq_lti_registration_tokens_token_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    #: Who made it: the administrator's e-mail address (the audit entry names their id).
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The registration it made, once stored.
    platform_id: Mapped[int | None] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="SET NULL"))
