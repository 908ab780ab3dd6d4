"""Tables and queries of accounts: users, memberships, web sessions, API clients, tokens.

Secrets are never stored: a session cookie, an API client's secret and an access token are
random (256 bits) and kept as their SHA-256 digests, which is enough for values that cannot
be guessed; passwords get argon2id (:mod:`credstack.services.accounts.service`). ``login_attempts``
is the rate limiter's memory — kept in the database so that every worker process and every
restart sees the same count. Migration ``0006_accounts``; the service on top is
:mod:`credstack.services.accounts.service`.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from credstack.adapters.db.tables import Base, OrganisationRow

STAMP = DateTime(timezone=True)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Lower case (the service normalises), so that uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: The confirmed TOTP secret, sealed (see ``adapters.accounts._seal_totp``); None while
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


def digest(secret: str) -> str:
    """The stored form of a random secret (cookie, client secret, token): SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# --- users and memberships ------------------------------------------------------------


def user_by_email(session: Session, email: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.email == email))


def users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow).order_by(UserRow.id)))


def memberships(session: Session, user_id: int) -> list[tuple[str | None, str]]:
    """(organisation slug or None, role) of a user, in a stable order."""
    rows = session.execute(
        select(OrganisationRow.slug, MembershipRow.role)
        .select_from(MembershipRow)
        .outerjoin(OrganisationRow, OrganisationRow.id == MembershipRow.organisation_id)
        .where(MembershipRow.user_id == user_id)
        .order_by(OrganisationRow.slug, MembershipRow.role))
    return [(slug, role) for slug, role in rows]


def organisation_row(session: Session, slug: str) -> OrganisationRow | None:
    return session.scalar(select(OrganisationRow).where(OrganisationRow.slug == slug))


def membership_row(session: Session, *, user_id: int, organisation_id: int | None, role: str
                   ) -> MembershipRow | None:
    organisation = (MembershipRow.organisation_id.is_(None) if organisation_id is None
                    else MembershipRow.organisation_id == organisation_id)
    return session.scalar(select(MembershipRow).where(
        MembershipRow.user_id == user_id, organisation, MembershipRow.role == role))


def members(session: Session, organisation_id: int) -> list[tuple[UserRow, str]]:
    rows = session.execute(
        select(UserRow, MembershipRow.role).join(MembershipRow,
                                                 MembershipRow.user_id == UserRow.id)
        .where(MembershipRow.organisation_id == organisation_id)
        .order_by(UserRow.email, MembershipRow.role))
    return [(user, role) for user, role in rows]


# --- sessions, clients, tokens --------------------------------------------------------


def web_session(session: Session, token: str) -> WebSessionRow | None:
    return session.scalar(select(WebSessionRow).where(WebSessionRow.token_hash == digest(token)))


def live_sessions(session: Session, user_id: int) -> list[WebSessionRow]:
    return list(session.scalars(select(WebSessionRow).where(
        WebSessionRow.user_id == user_id, WebSessionRow.revoked_at.is_(None))))


def api_client(session: Session, client_id: str) -> ApiClientRow | None:
    return session.scalar(select(ApiClientRow).where(ApiClientRow.client_id == client_id))


def api_clients(session: Session, user_id: int) -> list[ApiClientRow]:
    return list(session.scalars(select(ApiClientRow).where(ApiClientRow.user_id == user_id)
                                .order_by(ApiClientRow.id)))


def access_token(session: Session, token: str) -> AccessTokenRow | None:
    return session.scalar(select(AccessTokenRow)
                          .where(AccessTokenRow.token_hash == digest(token)))


# --- login attempts --------------------------------------------------------------------


def record_attempt(session: Session, *, key: str, ip: str, at: dt.datetime, succeeded: bool
                   ) -> None:
    session.add(LoginAttemptRow(key=key, ip=ip, at=at, succeeded=succeeded))


def recent_failures(session: Session, *, key: str | None = None, ip: str | None = None,
                    since: dt.datetime, limit: int) -> list[dt.datetime]:
    """Times of failed attempts since ``since`` (newest first) for an account or an address.

    For an account, only failures after its last success count: signing in with the right
    password (and code) proves the earlier failures were the owner's typing.
    """
    query = select(LoginAttemptRow.at).where(LoginAttemptRow.at >= since,
                                             LoginAttemptRow.succeeded.is_(False))
    if key is not None:
        last_success = (select(func.max(LoginAttemptRow.at))
                        .where(LoginAttemptRow.key == key, LoginAttemptRow.succeeded.is_(True))
                        .scalar_subquery())
        query = query.where(LoginAttemptRow.key == key,
                            LoginAttemptRow.at > func.coalesce(last_success, since))
    if ip is not None:
        query = query.where(LoginAttemptRow.ip == ip)
    return list(session.scalars(query.order_by(LoginAttemptRow.at.desc()).limit(limit)))


def forget_attempts(session: Session, *, before: dt.datetime) -> int:
    """Delete attempts older than ``before`` (they no longer count); how many went."""
    result = session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))
    return int(getattr(result, "rowcount", 0) or 0)


def utc(stamp: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite gives them back naive)."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)
