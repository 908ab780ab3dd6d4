"""Queries of passkeys and of the challenges of their ceremonies.

The tables are in :mod:`credstack.adapters.db.tables.passkeys`; the services on top are
:mod:`credstack.services.accounts.passkeys` (registering, listing, removing) and
:mod:`credstack.services.accounts.passkey_sign_in`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.accounts import digest
from credstack.adapters.db.tables import (
    MembershipRow,
    OrganisationRow,
    PasskeyChallengeRow,
    PasskeyRow,
    PasswordsOffRow,
)


def add(session: Session, *, user_id: int, credential_id: str, user_handle: str,
        public_key: bytes, sign_count: int, transports: str, name: str, at: dt.datetime
        ) -> PasskeyRow:
    row = PasskeyRow(user_id=user_id, credential_id=credential_id, user_handle=user_handle,
                     public_key=public_key, sign_count=sign_count, transports=transports,
                     name=name, created_at=at, last_used_at=None)
    session.add(row)
    session.flush()
    return row


def of_user(session: Session, user_id: int) -> list[PasskeyRow]:
    """The account's passkeys, oldest first."""
    return list(session.scalars(select(PasskeyRow).where(PasskeyRow.user_id == user_id)
                                .order_by(PasskeyRow.created_at, PasskeyRow.id)))


def count_of_user(session: Session, user_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(PasskeyRow)
                              .where(PasskeyRow.user_id == user_id)) or 0)


def one_of_user(session: Session, *, user_id: int, passkey_id: int) -> PasskeyRow | None:
    return session.scalar(select(PasskeyRow).where(PasskeyRow.id == passkey_id,
                                                   PasskeyRow.user_id == user_id))


def by_credential_id(session: Session, credential_id: str) -> PasskeyRow | None:
    return session.scalar(select(PasskeyRow).where(PasskeyRow.credential_id == credential_id))


def user_handle(session: Session, user_id: int) -> str | None:
    """The WebAuthn user handle the account's passkeys carry (None: it has none yet)."""
    return session.scalar(select(PasskeyRow.user_handle).where(PasskeyRow.user_id == user_id)
                          .limit(1))


def remove(session: Session, row: PasskeyRow) -> None:
    session.delete(row)
    session.flush()


# --- challenges ---------------------------------------------------------------------------


def add_challenge(session: Session, *, purpose: str, binding: str, challenge: str,
                  user_id: int | None, user_handle: str | None = None, at: dt.datetime,
                  expires_at: dt.datetime) -> None:
    """Keep a new ceremony's challenge, bound to ``binding`` (kept as its SHA-256); an
    unfinished ceremony of the same browser and purpose is dropped (one at a time), and so
    are the expired ones of everybody."""
    bound = digest(binding)
    session.execute(delete(PasskeyChallengeRow).where(
        (PasskeyChallengeRow.expires_at < at)
        | ((PasskeyChallengeRow.binding_hash == bound)
           & (PasskeyChallengeRow.purpose == purpose))))
    session.add(PasskeyChallengeRow(purpose=purpose, binding_hash=bound, challenge=challenge,
                                    user_id=user_id, user_handle=user_handle, created_at=at,
                                    expires_at=expires_at))


def take_challenge(session: Session, *, purpose: str, binding: str
                   ) -> PasskeyChallengeRow | None:
    """The challenge of the browser's ceremony for ``purpose``, deleted as it is read: it
    answers once, whatever the answer's verdict."""
    row = session.scalar(select(PasskeyChallengeRow).where(
        PasskeyChallengeRow.binding_hash == digest(binding),
        PasskeyChallengeRow.purpose == purpose).with_for_update())
    if row is not None:
        session.delete(row)
        session.flush()
    return row


# --- organisations whose passwords are switched off ---------------------------------------


def passwords_off(session: Session, organisation_id: int) -> PasswordsOffRow | None:
    return session.scalar(select(PasswordsOffRow)
                          .where(PasswordsOffRow.organisation_id == organisation_id))


def switch_passwords_off(session: Session, *, organisation_id: int, at: dt.datetime, by: str
                         ) -> None:
    session.add(PasswordsOffRow(organisation_id=organisation_id, switched_off_at=at,
                                switched_off_by=by))
    session.flush()


def switch_passwords_on(session: Session, organisation_id: int) -> None:
    session.execute(delete(PasswordsOffRow)
                    .where(PasswordsOffRow.organisation_id == organisation_id))


def passwordless_organisations(session: Session, user_id: int) -> list[str]:
    """The slugs of the user's organisations whose passwords are switched off."""
    return list(session.scalars(
        select(OrganisationRow.slug).distinct()
        .join(MembershipRow, MembershipRow.organisation_id == OrganisationRow.id)
        .join(PasswordsOffRow, PasswordsOffRow.organisation_id == OrganisationRow.id)
        .where(MembershipRow.user_id == user_id).order_by(OrganisationRow.slug)))
