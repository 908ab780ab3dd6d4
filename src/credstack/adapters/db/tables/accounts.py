"""Tables of accounts: users, memberships, web sessions, API clients, tokens, sign-in attempts
password reset links and the requests for them by e-mail (migrations ``0006_accounts``,
``0011_password_resets`` and ``0021_workspace_finish``).

Secrets are never stored: a session cookie, an API client's secret, an access token and a
password reset link are random (256 bits) and kept as their SHA-256 digests, which is enough
for values that cannot be guessed; passwords get argon2id
(:mod:`credstack.services.accounts.passwords`). ``login_attempts`` is the rate limiter's
memory, kept in the database so that every worker process and every restart sees the same
count.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Lower case (the service normalises), so that uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: The confirmed TOTP secret, sealed (see ``services.accounts.totp``); None while
    #: TOTP is off.
    totp_secret: Mapped[str | None] = mapped_column(String(128))
    #: A TOTP secret shown for enrolment but not yet confirmed with a code (sealed too).
    totp_pending: Mapped[str | None] = mapped_column(String(128))
    #: The last time step whose code was accepted: that code, and older ones, never again.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)


class MembershipRow(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id", "role",
                         name="uq_memberships_user_organisation_role"),
        # A registry admin's membership names no organisation; NULLs are distinct in a unique
        # constraint, so a partial index keeps those unique too.
        Index("ix_memberships_platform_role", "user_id", "role", unique=True,
              sqlite_where=text("organisation_id IS NULL"),
              postgresql_where=text("organisation_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"),
                                                        index=True)
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    last_seen_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class ApiClientRow(Base):
    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Space-separated scopes, as OAuth writes them.
    scopes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: When the secret stopped working (the owner's password changed, the account was
    #: disabled) and why, as the audit action that ended it; both empty again once the
    #: owner issues a new secret.
    secret_ended_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    secret_ended_by: Mapped[str | None] = mapped_column(String(40))


class AccessTokenRow(Base):
    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"),
                                           index=True)
    scopes: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class LoginAttemptRow(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_key_at", "key", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The account asked for (the normalised e-mail address, known or not).
    key: Mapped[str] = mapped_column(String(320))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(STAMP)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class PasswordResetRow(Base):
    """A one-time link an administrator handed to a user to set a new password."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: When the link was used; it never works again.
    used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class PasswordResetRequestRow(Base):
    """A request, made on the sign-in page, for a password reset link by e-mail.

    One row per request whether or not the address has an account, so that the rate limit
    counts both alike and tells nobody which addresses have one; ``user_id`` names the account
    that was sent a link (None: no account, or a disabled one). Rows are deleted a day after.
    """

    __tablename__ = "password_reset_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Lower case, as accounts keep addresses.
    email: Mapped[str] = mapped_column(String(320), index=True)
    #: The address the request came from (the limit per visitor's address).
    ip: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
