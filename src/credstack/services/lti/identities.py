"""LMS identities linked to credstack accounts: a learner who opens a course link and then
signs in (or signs up) links the LMS's user — the launch's issuer and ``sub`` — to their
account. From then on the awards of every course link of that LMS go to the account's
sign-in address (:func:`linked_addresses`), which the wallet holds verified, so that they
arrive in its wallet whatever address the LMS has (or has none). An LMS user is linked to
one account at most; the account page lists the links and unlinks one.

Linking takes the launch the learner opened (the page's capability, fresh for eight hours):
only the person the LMS launched holds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import UserRow
from credstack.adapters.db.tables.lti import LtiIdentityRow, LtiPlatformRow
from credstack.core.access import Action, Actor
from credstack.errors import ConflictError, NotFoundError
from credstack.services import audit
from credstack.services.lti.launches import fresh, stored_launch
from credstack.services.runtime import Runtime

__all__ = ["Identity", "link_identity", "linked_addresses", "linked_identities",
           "unlink_identity"]


@dataclass(frozen=True, slots=True)
class Identity:
    """An LMS user linked to the signed-in account, as the account page shows it."""

    id: int
    #: The LMS as its organisation registered it.
    platform: str
    issuer: str
    subject: str
    name: str
    email: str | None
    linked_at: dt.datetime


def _view(row: LtiIdentityRow, platform: str) -> Identity:
    return Identity(row.id, platform, row.issuer, row.subject, row.name, row.email,
                    row.linked_at)


def link_identity(runtime: Runtime, *, actor: Actor, launch: str) -> Identity:
    """Link the LMS user ``launch`` opened the page for to the signed-in account (again:
    nothing changes); refused when the LMS user is linked to another account."""
    principal = actor.require(Action.WALLET_WRITE)
    assert principal.user_id is not None  # self-service actions need a user (the policy)
    now = runtime.now()
    with runtime.transaction() as session:
        row, claims = stored_launch(session, launch)
        fresh(runtime, row)
        platform = session.get(LtiPlatformRow, row.platform_id)
        assert platform is not None
        found = session.scalar(select(LtiIdentityRow).where(
            LtiIdentityRow.issuer == claims.issuer, LtiIdentityRow.subject == claims.subject))
        if found is not None and found.user_id != principal.user_id:
            raise ConflictError(
                "This LMS account is linked to another credstack account: unlink it there "
                "first (its account page). / この LMS のアカウントは別の credstack アカウントに"
                "連携済みです。先にそちらのアカウントページで連携を解除してください。")
        if found is None:
            found = LtiIdentityRow(user_id=principal.user_id, platform_id=platform.id,
                                   issuer=claims.issuer, subject=claims.subject,
                                   name=claims.name[:500], email=claims.email, linked_at=now)
            session.add(found)
            session.flush()
            audit.record(session, at=now, actor=principal.subject,
                         action="lti.identity.linked", subject=f"lti-platform:{platform.id}",
                         details={"issuer": claims.issuer, "sub": claims.subject})
        return _view(found, platform.name)


def linked_identities(runtime: Runtime, *, actor: Actor) -> list[Identity]:
    """The LMS users linked to the signed-in account, oldest first."""
    principal = actor.require(Action.WALLET_READ)
    with runtime.sessions() as session:
        rows = session.execute(select(LtiIdentityRow, LtiPlatformRow.name).join(
            LtiPlatformRow, LtiPlatformRow.id == LtiIdentityRow.platform_id).where(
            LtiIdentityRow.user_id == principal.user_id).order_by(LtiIdentityRow.id)).all()
        return [_view(row, name) for row, name in rows]


def unlink_identity(runtime: Runtime, *, actor: Actor, identity: int) -> None:
    """Unlink one of the signed-in account's LMS users: later awards go to the address the
    LMS gives again (credentials already issued stay in the wallet)."""
    principal = actor.require(Action.WALLET_WRITE)
    with runtime.transaction() as session:
        row = session.scalar(select(LtiIdentityRow).where(
            LtiIdentityRow.id == identity, LtiIdentityRow.user_id == principal.user_id))
        if row is None:
            raise NotFoundError(f"No linked LMS account {identity} of yours. / 連携済みの "
                                f"LMS アカウント {identity} はありません。")
        audit.record(session, at=runtime.now(), actor=principal.subject,
                     action="lti.identity.unlinked", subject=f"lti-platform:{row.platform_id}",
                     details={"issuer": row.issuer, "sub": row.subject})
        session.execute(delete(LtiIdentityRow).where(LtiIdentityRow.id == row.id))


def linked_addresses(session: Session, *, issuer: str, subjects: Iterable[str]
                     ) -> dict[str, str]:
    """The sign-in address of the account each of ``subjects`` (users of the LMS
    ``issuer``) is linked to, for those linked."""
    wanted = list(subjects)
    found: dict[str, str] = {}
    # In slices: a course of thousands stays under the databases' bound parameter limits.
    for start in range(0, len(wanted), 500):
        found.update((subject, email) for subject, email in session.execute(select(
            LtiIdentityRow.subject, UserRow.email).join(
            UserRow, UserRow.id == LtiIdentityRow.user_id).where(
            LtiIdentityRow.issuer == issuer,
            LtiIdentityRow.subject.in_(wanted[start:start + 500]))))
    return found
