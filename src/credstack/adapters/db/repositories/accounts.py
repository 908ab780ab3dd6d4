"""Queries of accounts: users, memberships, web sessions, API clients, tokens, sign-in
attempts and password reset links.

The tables are in :mod:`credstack.adapters.db.tables.accounts`; the services on top are in
:mod:`credstack.services.accounts`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Protocol

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import (
    AccessTokenRow,
    ApiClientRow,
    LoginAttemptRow,
    MembershipRow,
    OrganisationRow,
    PasswordResetRequestRow,
    PasswordResetRow,
    UserRow,
    WebSessionRow,
)
from credstack.adapters.db.times import utc as utc
from credstack.errors import ConflictError


class StoredUser(Protocol):
    """A stored user as the accounts services read and change it (the row a query returns;
    what they set is written when their transaction commits)."""

    id: int
    email: str
    display_name: str
    password_hash: str
    totp_secret: str | None
    totp_pending: str | None
    totp_last_step: int | None
    disabled: bool
    created_at: dt.datetime


class StoredApiClient(Protocol):
    """A stored API client of the client credentials grant (its secret kept as a digest)."""

    id: int
    client_id: str
    secret_hash: str
    user_id: int
    name: str
    scopes: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    secret_ended_at: dt.datetime | None
    secret_ended_by: str | None


class StoredAccessToken(Protocol):
    """A stored access token of an API client (kept as a digest)."""

    id: int
    client_id: int
    scopes: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


def digest(secret: str) -> str:
    """The stored form of a random secret (cookie, client secret, token): SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# --- users and memberships ------------------------------------------------------------


def user_by_email(session: Session, email: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.email == email))


def user_id_by_address(session: Session, email: str) -> int | None:
    """The id of the user who signs in with ``email`` (lower case), whatever the case it was
    stored in; None for none."""
    return session.scalar(select(UserRow.id).where(func.lower(UserRow.email) == email))


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


def add_membership(session: Session, *, user_id: int, organisation_id: int | None, role: str,
                   at: dt.datetime) -> None:
    """Give the user ``role`` in the organisation (None: on the platform)."""
    session.add(MembershipRow(user_id=user_id, organisation_id=organisation_id, role=role,
                              created_at=at))


def remove_membership(session: Session, *, user_id: int, organisation_id: int | None,
                      role: str) -> bool:
    """Take ``role`` in the organisation (None: on the platform) from the user; False when
    they did not hold it."""
    found = membership_row(session, user_id=user_id, organisation_id=organisation_id,
                           role=role)
    if found is None:
        return False
    session.delete(found)
    return True


def roles_in(session: Session, *, user_id: int, organisation_id: int) -> set[str]:
    """The roles the user holds in the organisation."""
    return set(session.scalars(select(MembershipRow.role).where(
        MembershipRow.organisation_id == organisation_id, MembershipRow.user_id == user_id)))


def holds_role_besides(session: Session, *, organisation_id: int, role: str, user_id: int
                       ) -> bool:
    """Whether someone other than ``user_id`` holds ``role`` in the organisation."""
    return session.scalar(select(MembershipRow.id).where(
        MembershipRow.organisation_id == organisation_id, MembershipRow.role == role,
        MembershipRow.user_id != user_id).limit(1)) is not None


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


def add_web_session(session: Session, *, token: str, user_id: int, csrf_token: str,
                    at: dt.datetime, expires_at: dt.datetime) -> None:
    """A new web session of the user, its cookie token ``token`` kept as its digest."""
    session.add(WebSessionRow(token_hash=digest(token), user_id=user_id, csrf_token=csrf_token,
                              created_at=at, last_seen_at=at, expires_at=expires_at))
    session.flush()


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


def end_sessions(session: Session, user_id: int, *, at: dt.datetime,
                 keep: str | None = None) -> int:
    """Revoke the user's live web sessions, all but the one of the cookie token ``keep``;
    how many ended."""
    kept = digest(keep) if keep else None
    ended = 0
    for row in live_sessions(session, user_id):
        if row.token_hash != kept:
            row.revoked_at = at
            ended += 1
    return ended


def end_api_tokens(session: Session, user_id: int, *, at: dt.datetime) -> int:
    """Revoke the live access tokens of the user's API clients (the clients stay); how
    many ended."""
    done = session.execute(
        update(AccessTokenRow)
        .where(AccessTokenRow.client_id.in_(select(ApiClientRow.id)
                                            .where(ApiClientRow.user_id == user_id)),
               AccessTokenRow.revoked_at.is_(None), AccessTokenRow.expires_at > at)
        .values(revoked_at=at).execution_options(synchronize_session=False))
    return int(done.rowcount)  # type: ignore[attr-defined]


def end_client_secrets(session: Session, user_id: int, *, at: dt.datetime, by: str) -> int:
    """End the secrets of the user's live API clients (``by``: the audit action that ends
    them); how many ended. The clients stay, for their owner to issue new secrets."""
    done = session.execute(
        update(ApiClientRow)
        .where(ApiClientRow.user_id == user_id, ApiClientRow.revoked_at.is_(None),
               ApiClientRow.secret_ended_at.is_(None))
        .values(secret_ended_at=at, secret_ended_by=by)
        .execution_options(synchronize_session=False))
    return int(done.rowcount)  # type: ignore[attr-defined]


def end_client_tokens(session: Session, client_key: int, *, at: dt.datetime) -> int:
    """Revoke the live access tokens of the API client ``client_key`` (its key); how many."""
    done = session.execute(
        update(AccessTokenRow)
        .where(AccessTokenRow.client_id == client_key, AccessTokenRow.revoked_at.is_(None),
               AccessTokenRow.expires_at > at)
        .values(revoked_at=at).execution_options(synchronize_session=False))
    return int(done.rowcount)  # type: ignore[attr-defined]


def renew_client_secret(row: StoredApiClient, secret: str) -> None:
    """Keep ``secret`` as the client's (its digest), working from now on."""
    row.secret_hash = digest(secret)
    row.secret_ended_at = None
    row.secret_ended_by = None


def add_user(session: Session, *, email: str, display_name: str, password_hash: str,
             at: dt.datetime) -> UserRow:
    """A new user (flushed); :class:`~credstack.errors.ConflictError` when the address has an
    account already (made by another transaction meanwhile: the unique index refused it; the
    transaction is then abandoned)."""
    row = UserRow(email=email, display_name=display_name, password_hash=password_hash,
                  disabled=False, created_at=at)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(f"There is already an account for {email}.") from None
    return row


def search_users(session: Session, needle: str, *, limit: int) -> list[UserRow]:
    """The users whose address or name holds ``needle`` (lower case; everyone when empty),
    newest first, at most ``limit``."""
    statement = select(UserRow).order_by(UserRow.id.desc()).limit(limit)
    if needle:
        statement = statement.where(or_(UserRow.email.contains(needle),
                                        func.lower(UserRow.display_name).contains(needle)))
    return list(session.scalars(statement))


def user_row(session: Session, user_id: int) -> UserRow | None:
    return session.get(UserRow, user_id)


def api_client_by_key(session: Session, key: int) -> ApiClientRow | None:
    """The client of an access token (which refers to it by its primary key)."""
    return session.get(ApiClientRow, key)


def add_api_client(session: Session, *, client_id: str, secret: str, user_id: int, name: str,
                   scopes: str, at: dt.datetime) -> StoredApiClient:
    """A new API client of the user (flushed), its secret kept as its digest."""
    row = ApiClientRow(client_id=client_id, secret_hash=digest(secret), user_id=user_id,
                       name=name, scopes=scopes, created_at=at)
    session.add(row)
    session.flush()
    return row


def add_access_token(session: Session, *, token: str, client_id: int, scopes: str,
                     at: dt.datetime, expires_at: dt.datetime) -> None:
    """A new access token of the client ``client_id`` (its key), kept as its digest."""
    session.add(AccessTokenRow(token_hash=digest(token), client_id=client_id, scopes=scopes,
                               issued_at=at, expires_at=expires_at))


# --- password reset links -------------------------------------------------------------


def password_reset(session: Session, token: str) -> PasswordResetRow | None:
    return session.scalar(select(PasswordResetRow)
                          .where(PasswordResetRow.token_hash == digest(token)))


def forget_resets(session: Session, user_id: int) -> int:
    """Delete the user's unused reset links (a newer link or a new password replaces them);
    how many went."""
    result = session.execute(delete(PasswordResetRow).where(
        PasswordResetRow.user_id == user_id, PasswordResetRow.used_at.is_(None)))
    return int(getattr(result, "rowcount", 0) or 0)


def add_reset(session: Session, *, token: str, user_id: int, at: dt.datetime,
              expires_at: dt.datetime) -> str:
    """A reset link of the user's, its token ``token`` kept as its digest (returned)."""
    token_hash = digest(token)
    session.add(PasswordResetRow(token_hash=token_hash, user_id=user_id, created_at=at,
                                 expires_at=expires_at))
    return token_hash


# --- password reset requests (by e-mail) -------------------------------------------------


def add_reset_request(session: Session, *, email: str, ip: str, user_id: int | None,
                      at: dt.datetime) -> int:
    """A request for a reset link by e-mail (``user_id``: the account sent one, if any); its
    id."""
    row = PasswordResetRequestRow(email=email, ip=ip, user_id=user_id, created_at=at)
    session.add(row)
    session.flush()
    return row.id


def reset_requests_since(session: Session, *, email: str | None = None, ip: str | None = None,
                         since: dt.datetime, limit: int) -> list[dt.datetime]:
    """When the reset requests for ``email`` (or from ``ip``) since ``since`` were made,
    newest first, at most ``limit``."""
    where = (PasswordResetRequestRow.email == email if email is not None
             else PasswordResetRequestRow.ip == ip)
    return [utc(at) for at in session.scalars(
        select(PasswordResetRequestRow.created_at)
        .where(where, PasswordResetRequestRow.created_at >= since)
        .order_by(PasswordResetRequestRow.created_at.desc()).limit(limit))]


def forget_reset_requests(session: Session, *, before: dt.datetime) -> None:
    """Delete the reset requests made before ``before``."""
    session.execute(delete(PasswordResetRequestRow)
                    .where(PasswordResetRequestRow.created_at < before))


# --- login attempts --------------------------------------------------------------------


def record_attempt(session: Session, *, key: str, ip: str, at: dt.datetime, succeeded: bool
                   ) -> None:
    session.add(LoginAttemptRow(key=key, ip=ip, at=at, succeeded=succeeded))


def recent_failures(session: Session, *, key: str | None = None, ip: str | None = None,
                    since: dt.datetime, limit: int) -> list[dt.datetime]:
    """Times of failed attempts since ``since`` (newest first) for an account, an address,
    or an account from one address (both given).

    For an account, only failures after its last success (from that address, when one is
    given) count: signing in with the right password (and code) proves the earlier failures
    were the owner's typing — and one address's success says nothing of another's failures.
    """
    query = select(LoginAttemptRow.at).where(LoginAttemptRow.at >= since,
                                             LoginAttemptRow.succeeded.is_(False))
    if key is not None:
        succeeded = [LoginAttemptRow.key == key, LoginAttemptRow.succeeded.is_(True)]
        if ip is not None:
            succeeded.append(LoginAttemptRow.ip == ip)
        last_success = (select(func.max(LoginAttemptRow.at)).where(*succeeded)
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


