"""LMS identities linked to credstack accounts: a learner who opens a course link and then
signs in (or signs up) links the LMS's user — the launch's issuer and ``sub`` — to their
account. From then on the awards of every course link of that LMS go to the account's
sign-in address (:func:`linked_addresses`), which the wallet holds verified, so that they
arrive in its wallet whatever address the LMS has (or has none). An LMS user is linked to
one account at most; the account page lists the links and unlinks one.

Linking asks for more than the launch's id (the capability of its progress page, which a
browser history or a shared screen may show for eight hours): the signed-in account, and the
launch's **connect token** (:func:`connect_token`) — shown only on the page that answered
the LMS's launch itself, valid for :data:`CONNECT_LIFETIME` after it, and spent by the link
(a launch links once). A replayed, forged or stale token is refused with its reason in ja and
en and audited (``lti.identity.refused``).

When the link is made, the credentials the LMS user was awarded before it — issued to the
address the LMS gave — are delivered into the account's wallet
(:func:`credstack.services.wallet.deliver_awarded`), and the course links where the learner
met the rule but could not be issued (the LMS gave no address) are named, for their awards
to run again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import lti as lti_store
from credstack.adapters.db.repositories.lti import StoredIdentity
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.said import Said
from credstack.errors import AuthenticationRequiredError, ConflictError, NotFoundError, Problem
from credstack.services import audit, wallet
from credstack.services.lti.launches import stored_launch
from credstack.services.runtime import Runtime

__all__ = ["CONNECT_LIFETIME", "Identity", "Linked", "connect_token", "link_identity",
           "linked_addresses", "linked_identities", "unlink_identity", "valid_token"]

#: How long after the launch its page may link the LMS account: the learner signs in (or
#: signs up) in a window of their own, minutes after the launch.
CONNECT_LIFETIME: Final = dt.timedelta(minutes=30)
_CONNECT_KEY: Final = b"credstack lti connect v1"
#: Why a link was refused, as the message key of the reason (with the minutes a launch may
#: link for, where the reason says them).
_REFUSALS: Final = {
    "token": "lti.identities.refused.token",
    "expired": "lti.identities.refused.expired",
    "used": "lti.identities.refused.used",
}


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


def _view(row: StoredIdentity, platform: str) -> Identity:
    return Identity(row.id, platform, row.issuer, row.subject, row.name, row.email,
                    row.linked_at)


@dataclass(frozen=True, slots=True)
class Linked:
    """A link made: the identity, how many credentials it already had moved into the wallet,
    and the course links whose awards should run again (the learner met their rule, and the
    LMS gave no address to issue to)."""

    identity: Identity
    delivered: int
    to_award: tuple[str, ...]


def connect_token(runtime: Runtime, *, launch: str) -> str:
    """The token that lets the page answering ``launch`` link its LMS user to an account: a
    MAC of the launch's id under a key of its own, so that only credstack makes it."""
    key = runtime.key().derive(_CONNECT_KEY)
    digest = hmac.digest(key, launch.encode(), "sha256")
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _refused(runtime: Runtime, reason: str, *, actor: str, launch: str
             ) -> AuthenticationRequiredError:
    why = Said(_REFUSALS[reason], minutes=CONNECT_LIFETIME.seconds // 60) \
        if reason == "expired" else Said(_REFUSALS[reason])
    audit.record_separately(runtime.sessions, at=runtime.now(), actor=actor,
                            action="lti.identity.refused", subject=f"lti-launch:{launch[:16]}",
                            details={"reason": reason})
    return AuthenticationRequiredError(
        code="lti.identities.refused.not_linked", params={"reason": why},
        problems=[Problem("token", code=why.key, params=why.params,
                          rule=f"lti-connect-{reason}")])


def valid_token(runtime: Runtime, *, launch: str, token: str) -> bool:
    """Whether ``token`` is the connect token of ``launch``."""
    return bool(token) and hmac.compare_digest(token.encode(),
                                               connect_token(runtime, launch=launch).encode())


def link_identity(runtime: Runtime, *, actor: Actor, launch: str, token: str) -> Linked:
    """Link the LMS user ``launch`` opened the page for to the signed-in account (see the
    module: ``token`` is the launch's connect token, spent here); refused when the LMS user
    is linked to another account."""
    principal = actor.require(Action.WALLET_WRITE)
    assert principal.user_id is not None  # self-service actions need a user (the policy)
    if not valid_token(runtime, launch=launch, token=token):
        raise _refused(runtime, "token", actor=principal.subject, launch=launch)
    try:
        identity, waiting, (platform_id, lms_user) = _link(runtime, principal.user_id,
                                                           principal.subject, launch)
    except _Refusal as refusal:
        # Audited once the link's transaction is over (SQLite has one writer at a time).
        raise _refused(runtime, refusal.reason, actor=principal.subject,
                       launch=launch) from None
    # Read once the link is committed: a credential an awards run notes after this reading
    # is delivered by the run, which then sees the link (:mod:`.awards`).
    with runtime.sessions() as session:
        credentials = _awarded(session, platform_id, lms_user)
    delivered = wallet.deliver_awarded(runtime, user_id=principal.user_id,
                                       subject=principal.subject, credential_ids=credentials)
    return Linked(identity, delivered, waiting)


class _Refusal(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _awarded(session: Session, platform_id: int, lms_user: str) -> list[str]:
    """The credentials the LMS user ``lms_user`` of the platform was issued by its links."""
    return [award.credential_id for award in lti_store.awards_of(session, platform_id, lms_user)
            if award.credential_id is not None]


def _link(runtime: Runtime, user_id: int, subject: str, launch: str
          ) -> tuple[Identity, tuple[str, ...], tuple[int, str]]:
    """The link made in one transaction: the identity, the course links to award again, and
    (platform, LMS user) (:class:`_Refusal` when it cannot be made)."""
    now = runtime.now()
    with runtime.transaction() as session:
        row, claims = stored_launch(session, launch)
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(
            tzinfo=dt.UTC)
        if now - created > CONNECT_LIFETIME:
            raise _Refusal("expired")
        # Spent here; the transaction undoes it when the link is refused below.
        if not lti_store.use_launch(session, launch, at=now):
            raise _Refusal("used")
        platform = lti_store.platform(session, row.platform_id)
        assert platform is not None
        found = lti_store.identity(session, issuer=claims.issuer, subject=claims.subject)
        if found is not None and found.user_id != user_id:
            raise ConflictError(
                code="lti.identities.refused.linked_elsewhere")
        awarded = lti_store.awards_of(session, platform.id, claims.subject)
        credentials = [award.credential_id for award in awarded
                       if award.credential_id is not None]
        # Met the rule and not issued: "blocked" for want of an address (or of a grade's
        # maximum, which a run again reports the same), or "passed" by a run still going.
        waiting = tuple(sorted({award.link for award in awarded if award.credential_id is None
                                and award.outcome in ("blocked", "passed")}))
        if found is None:
            found = lti_store.add_identity(session, user_id=user_id, platform_id=platform.id,
                                           issuer=claims.issuer, subject=claims.subject,
                                           name=claims.name[:500], email=claims.email, at=now)
        audit.record(session, at=now, actor=subject,
                     action="lti.identity.linked", subject=f"lti-platform:{platform.id}",
                     details={"issuer": claims.issuer, "sub": claims.subject,
                              "awarded": len(credentials), "to_award": len(waiting)})
        return _view(found, platform.name), waiting, (platform.id, claims.subject)


def linked_identities(runtime: Runtime, *, actor: Actor) -> list[Identity]:
    """The LMS users linked to the signed-in account, oldest first."""
    principal = actor.require(Action.WALLET_READ)
    with runtime.sessions() as session:
        if principal.user_id is None:
            return []
        return [_view(row, name)
                for row, name in lti_store.identities_of(session, principal.user_id)]


def unlink_identity(runtime: Runtime, *, actor: Actor, identity: int) -> None:
    """Unlink one of the signed-in account's LMS users: later awards go to the address the
    LMS gives again (credentials already issued stay in the wallet)."""
    principal = actor.require(Action.WALLET_WRITE)
    with runtime.transaction() as session:
        found = (lti_store.identities_of(session, principal.user_id, identity)
                 if principal.user_id is not None else [])
        if not found:
            raise NotFoundError(code="lti.identities.refused.no_identity",
                                params={"identity": identity})
        row = found[0][0]
        audit.record(session, at=runtime.now(), actor=principal.subject,
                     action="lti.identity.unlinked", subject=f"lti-platform:{row.platform_id}",
                     details={"issuer": row.issuer, "sub": row.subject})
        lti_store.delete_identity(session, row.id)


def linked_addresses(session: Session, *, issuer: str, subjects: Iterable[str]
                     ) -> dict[str, str]:
    """The sign-in address of the account each of ``subjects`` (users of the LMS
    ``issuer``) is linked to, for those linked."""
    return {subject: email for subject, (_, email)
            in lti_store.linked_users(session, issuer=issuer, subjects=subjects).items()}


def linked_accounts(session: Session, *, issuer: str, subjects: Iterable[str]
                    ) -> dict[str, int]:
    """The account (user id) each of ``subjects`` (users of the LMS ``issuer``) is linked
    to, for those linked."""
    return {subject: user for subject, (user, _)
            in lti_store.linked_users(session, issuer=issuer, subjects=subjects).items()}
