"""credstack as an LTI 1.3 tool, as the store keeps it (tables in
:mod:`credstack.adapters.db.tables.lti`): the tool's keys, the LMSs registered and their
deployments, the logins' spent states, the verified launches, the course links and their
learners, and the LMS users linked to accounts.

Rows come back as small records; times as the store gives them (SQLite: naive, in UTC).
A unique index's refusal comes back as :class:`~credstack.errors.ConflictError` (or, for the
tool's key, ``False``), never as the database's error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow, ProgrammeRow, UserRow
from credstack.adapters.db.tables.lti import (
    LtiDeploymentRow,
    LtiIdentityRow,
    LtiLaunchRow,
    LtiLearnerRow,
    LtiLinkRow,
    LtiLoginRow,
    LtiPlatformRow,
    LtiToolKeyRow,
)
from credstack.errors import ConflictError

__all__ = ["Award", "Learner", "LearnerReading", "StoredIdentity", "StoredLaunch", "StoredLink",
           "StoredPlatform", "ToolKey", "add_identity", "add_launch", "add_link",
           "add_platform", "add_tool_key", "awards_of", "claim_link", "delete_identity",
           "expired", "identities_of", "identity", "launched_links", "learners",
           "link", "link_of_launch", "link_organisation", "linked_users", "mark_issued",
           "newest_tool_key", "note_launch", "note_learners", "organisation_links",
           "organisation_platforms", "outcome_counts", "platform", "platform_by_issuer",
           "release_link", "set_platform_state", "spend_state", "stored_launch",
           "synced", "tool_jwks", "use_launch"]

#: Subjects per query: a course of thousands stays under the databases' parameter limits.
_SLICE = 500


# --- the tool's keys ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ToolKey:
    """A tool key: its id, public JWK, and private half sealed with the master key."""

    kid: str
    public_jwk: dict[str, Any]
    master_key_id: str
    encrypted_secret: bytes
    nonce: bytes


def _key(row: LtiToolKeyRow) -> ToolKey:
    return ToolKey(row.kid, dict(row.public_jwk), row.master_key_id, row.encrypted_secret,
                   row.nonce)


def newest_tool_key(session: Session) -> ToolKey | None:
    """The newest tool key; None before the first."""
    row = session.scalars(select(LtiToolKeyRow).order_by(LtiToolKeyRow.id.desc())
                          .limit(1)).first()
    return None if row is None else _key(row)


def add_tool_key(session: Session, key: ToolKey, *, at: dt.datetime) -> bool:
    """Store ``key``; False when another transaction stored one with its id first."""
    try:
        with session.begin_nested():
            session.add(LtiToolKeyRow(kid=key.kid, public_jwk=key.public_jwk,
                                      master_key_id=key.master_key_id,
                                      encrypted_secret=key.encrypted_secret, nonce=key.nonce,
                                      created_at=at))
    except IntegrityError:
        return False
    return True


def tool_jwks(session: Session) -> list[dict[str, Any]]:
    """Every tool key's public JWK, oldest first."""
    return list(session.scalars(select(LtiToolKeyRow.public_jwk).order_by(LtiToolKeyRow.id)))


# --- platforms ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StoredPlatform:
    """An LMS an organisation registered, with its deployment ids in the order given."""

    id: int
    organisation_id: int
    name: str
    issuer: str
    client_id: str
    login_url: str
    token_url: str
    jwks_url: str
    source: str
    state: str
    deployments: tuple[str, ...]


def _platform(session: Session, row: LtiPlatformRow) -> StoredPlatform:
    deployments = session.scalars(select(LtiDeploymentRow.deployment_id).where(
        LtiDeploymentRow.platform_id == row.id).order_by(LtiDeploymentRow.id))
    return StoredPlatform(row.id, row.organisation_id, row.name, row.issuer, row.client_id,
                          row.login_url, row.token_url, row.jwks_url, row.source, row.state,
                          tuple(deployments))


def platform(session: Session, platform_id: int) -> StoredPlatform | None:
    """The platform ``platform_id``; None for none."""
    row = session.get(LtiPlatformRow, platform_id)
    return None if row is None else _platform(session, row)


def platform_by_issuer(session: Session, issuer: str, client_id: str | None
                       ) -> StoredPlatform | None:
    """The one active platform of ``issuer`` (and ``client_id`` when given); None when there
    is none or more than one."""
    query = select(LtiPlatformRow).where(LtiPlatformRow.issuer == issuer.rstrip("/"),
                                         LtiPlatformRow.state == "active")
    if client_id:
        query = query.where(LtiPlatformRow.client_id == client_id)
    rows = session.scalars(query.limit(2)).all()
    return _platform(session, rows[0]) if len(rows) == 1 else None


def organisation_platforms(session: Session, organisation_id: int) -> list[StoredPlatform]:
    """The organisation's platforms, pending ones first."""
    rows = session.scalars(select(LtiPlatformRow).where(
        LtiPlatformRow.organisation_id == organisation_id).order_by(
        LtiPlatformRow.state.desc(), LtiPlatformRow.id))
    return [_platform(session, row) for row in rows]


def add_platform(session: Session, *, organisation_id: int, name: str, issuer: str,
                 client_id: str, login_url: str, token_url: str, jwks_url: str, source: str,
                 state: str, deployments: Iterable[str], at: dt.datetime) -> StoredPlatform:
    """Store a platform and its deployments; :class:`~credstack.errors.ConflictError` when
    the issuer and client id are registered already (the transaction is then abandoned)."""
    row = LtiPlatformRow(organisation_id=organisation_id, name=name, issuer=issuer,
                         client_id=client_id, login_url=login_url, token_url=token_url,
                         jwks_url=jwks_url, source=source, state=state, created_at=at)
    session.add(row)
    try:
        session.flush()
        session.add_all(LtiDeploymentRow(platform_id=row.id, deployment_id=deployment)
                        for deployment in deployments)
        session.flush()
    except IntegrityError:
        raise ConflictError(f"{issuer} with client id {client_id} is registered "
                            "already.") from None
    return _platform(session, row)


def set_platform_state(session: Session, platform_id: int, state: str) -> StoredPlatform:
    """Put the platform ``platform_id`` (which exists) in ``state``."""
    row = session.get(LtiPlatformRow, platform_id)
    assert row is not None
    row.state = state
    return _platform(session, row)


# --- logins and launches --------------------------------------------------------------------

def spend_state(session: Session, *, state: str, nonce: str, platform_id: int,
                at: dt.datetime) -> None:
    """Store a login's state (and nonce) as used (flushed); :class:`~credstack.errors.
    ConflictError` when it was used already (the transaction is then abandoned)."""
    session.add(LtiLoginRow(state=state, nonce=nonce, platform_id=platform_id, created_at=at,
                            used_at=at))
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError("This login's state was used already.") from None


@dataclass(frozen=True, slots=True)
class StoredLaunch:
    """A verified launch kept for the page that answers it."""

    id: int
    platform_id: int
    claims: dict[str, Any]
    created_at: dt.datetime


def add_launch(session: Session, *, public_id: str, platform_id: int, claims: dict[str, Any],
               at: dt.datetime) -> None:
    session.add(LtiLaunchRow(public_id=public_id, platform_id=platform_id, claims=claims,
                             created_at=at))


def stored_launch(session: Session, public_id: str) -> StoredLaunch | None:
    """The launch ``public_id``; None for none."""
    row = session.scalar(select(LtiLaunchRow).where(LtiLaunchRow.public_id == public_id))
    return None if row is None else StoredLaunch(row.id, row.platform_id, dict(row.claims),
                                                 row.created_at)


def use_launch(session: Session, public_id: str, *, at: dt.datetime) -> bool:
    """Mark the launch ``public_id`` used (one conditional update); False when it was used
    already (or is unknown)."""
    used = session.execute(update(LtiLaunchRow).where(
        LtiLaunchRow.public_id == public_id, LtiLaunchRow.used_at.is_(None)).values(used_at=at))
    return getattr(used, "rowcount", 0) == 1


def expired(now: dt.datetime, *, state_kept: dt.timedelta, launch_kept: dt.timedelta
            ) -> dict[str, tuple[Any, Any]]:
    """The LTI rows that may go at ``now``, for
    :func:`credstack.services.housekeeping.delete_expired`: by kind (logins, launches), the
    table's id column and the condition. A login goes ``state_kept`` after it was made, a
    launch ``launch_kept`` after it."""
    return {
        "logins": (LtiLoginRow.id, LtiLoginRow.created_at < now - state_kept),
        "launches": (LtiLaunchRow.id, LtiLaunchRow.created_at < now - launch_kept),
    }


# --- course links ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StoredLink:
    """A course link: which programme it awards, on what rule, and what launches taught it
    of the LMS's services; who holds it for an awards run, until when."""

    id: int
    public_id: str
    platform_id: int
    context_title: str
    resource_link_id: str | None
    programme_id: int
    rule: str
    line_item: str
    minimum: float | None
    memberships_url: str | None
    lineitems_url: str | None
    synced_at: dt.datetime | None


def _link(row: LtiLinkRow) -> StoredLink:
    return StoredLink(row.id, row.public_id, row.platform_id, row.context_title,
                      row.resource_link_id, row.programme_id, row.rule, row.line_item,
                      row.minimum, row.memberships_url, row.lineitems_url, row.synced_at)


def add_link(session: Session, *, public_id: str, platform_id: int, deployment_id: str,
             context_id: str, context_title: str, programme_id: int, rule: str,
             line_item: str, minimum: float | None, memberships_url: str | None,
             lineitems_url: str | None, at: dt.datetime) -> None:
    session.add(LtiLinkRow(
        public_id=public_id, platform_id=platform_id, deployment_id=deployment_id,
        context_id=context_id, context_title=context_title, programme_id=programme_id,
        rule=rule, line_item=line_item, minimum=minimum, memberships_url=memberships_url,
        lineitems_url=lineitems_url, created_at=at))


def link(session: Session, public_id: str) -> StoredLink | None:
    """The course link ``public_id``; None for none."""
    row = session.scalar(select(LtiLinkRow).where(LtiLinkRow.public_id == public_id))
    return None if row is None else _link(row)


def link_of_launch(session: Session, public_id: str, platform_id: int
                   ) -> tuple[StoredLink, str] | None:
    """The course link ``public_id`` of the platform ``platform_id`` (what a launch names),
    with the platform's name; None for none."""
    found = session.execute(select(LtiLinkRow, LtiPlatformRow.name).join(
        LtiPlatformRow, LtiPlatformRow.id == LtiLinkRow.platform_id).where(
        LtiLinkRow.public_id == public_id, LtiLinkRow.platform_id == platform_id)).first()
    return None if found is None else (_link(found[0]), found[1])


def note_launch(session: Session, *, public_id: str, platform_id: int,
                resource_link_id: str | None, memberships_url: str | None,
                lineitems_url: str | None) -> str | None:
    """The course link a resource link launch opened (its public id), noting on it what the
    launch says of it when that changed: the resource link id once, the services' URLs
    whenever the launch names them; None when the launch names no link of the platform."""
    row = session.scalar(select(LtiLinkRow).where(LtiLinkRow.public_id == public_id,
                                                  LtiLinkRow.platform_id == platform_id))
    if row is None:
        return None
    noted = (row.resource_link_id or resource_link_id, memberships_url or row.memberships_url,
             lineitems_url or row.lineitems_url)
    if noted != (row.resource_link_id, row.memberships_url, row.lineitems_url):
        row.resource_link_id, row.memberships_url, row.lineitems_url = noted
    return row.public_id


def organisation_links(session: Session, slug: str) -> list[tuple[StoredLink, str]]:
    """The course links of the organisation ``slug``'s platforms, with each platform's name,
    oldest first."""
    rows = session.execute(select(LtiLinkRow, LtiPlatformRow.name).join(
        LtiPlatformRow, LtiPlatformRow.id == LtiLinkRow.platform_id).join(
        OrganisationRow, OrganisationRow.id == LtiPlatformRow.organisation_id).where(
        OrganisationRow.slug == slug).order_by(LtiLinkRow.id)).all()
    return [(_link(row), name) for row, name in rows]


def link_organisation(session: Session, public_id: str) -> str | None:
    """The slug of the organisation whose programme the link ``public_id`` awards (one
    indexed join, not the programme read whole)."""
    return session.scalar(select(OrganisationRow.slug).join(
        ProgrammeRow, ProgrammeRow.organisation_id == OrganisationRow.id).join(
        LtiLinkRow, LtiLinkRow.programme_id == ProgrammeRow.id).where(
        LtiLinkRow.public_id == public_id))


def launched_links(session: Session) -> list[str]:
    """The public ids of the links launched once (which know their services), oldest first."""
    return list(session.scalars(select(LtiLinkRow.public_id).where(
        LtiLinkRow.resource_link_id.is_not(None)).order_by(LtiLinkRow.id)))


def claim_link(session: Session, link_id: int, *, token: str, now: dt.datetime,
               until: dt.datetime) -> bool:
    """Claim the link for an awards run (``token``) until ``until``, unless another run's
    claim stands at ``now``. One statement: on PostgreSQL the second of two at once waits for
    the first to commit and then finds the link claimed; SQLite runs them one after the
    other."""
    claimed = session.execute(update(LtiLinkRow).where(
        LtiLinkRow.id == link_id, or_(LtiLinkRow.awarding_until.is_(None),
                                      LtiLinkRow.awarding_until <= now))
        .values(awarding_by=token, awarding_until=until))
    return getattr(claimed, "rowcount", 0) == 1


def release_link(session: Session, link_id: int, *, token: str) -> None:
    """End the claim ``token`` on the link, if it still stands."""
    session.execute(update(LtiLinkRow).where(
        LtiLinkRow.id == link_id, LtiLinkRow.awarding_by == token)
        .values(awarding_by=None, awarding_until=None))


def synced(session: Session, link_id: int, *, at: dt.datetime) -> None:
    """Note that the link's learners were read at ``at``."""
    session.execute(update(LtiLinkRow).where(LtiLinkRow.id == link_id).values(synced_at=at))


# --- learners -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LearnerReading:
    """What one reading of the LMS decided of a learner."""

    name: str
    email: str | None
    score: float | None
    maximum: float | None
    outcome: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class Learner:
    """A learner of a course link: the LMS's user id, the last reading, the credential."""

    user_id: str
    reading: LearnerReading
    credential_id: str | None


def _learner(row: LtiLearnerRow) -> Learner:
    return Learner(row.user_id, LearnerReading(row.name, row.email, row.score, row.maximum,
                                               row.outcome, row.reason), row.credential_id)


def learners(session: Session, link_id: int) -> list[Learner]:
    """The link's learners, by outcome (descending) and name."""
    return [_learner(row) for row in session.scalars(select(LtiLearnerRow).where(
        LtiLearnerRow.link_id == link_id).order_by(LtiLearnerRow.outcome.desc(),
                                                   LtiLearnerRow.name))]


def learner(session: Session, link_id: int, user_id: str) -> Learner | None:
    """The link's learner ``user_id``; None for none."""
    row = session.scalar(select(LtiLearnerRow).where(LtiLearnerRow.link_id == link_id,
                                                     LtiLearnerRow.user_id == user_id))
    return None if row is None else _learner(row)


def outcome_counts(session: Session, link_id: int) -> dict[str, int]:
    """The link's learners counted by outcome."""
    return dict(session.execute(select(LtiLearnerRow.outcome, func.count()).where(
        LtiLearnerRow.link_id == link_id).group_by(LtiLearnerRow.outcome)).all())


def note_learners(session: Session, link_id: int, readings: Mapping[str, LearnerReading], *,
                  at: dt.datetime) -> None:
    """Write the reading of each learner (by LMS user id) that changed, adding the new
    learners: only what changed is written, so that an hourly reading of a large course that
    changed little holds the store's write lock briefly."""
    known = {row.user_id: row for row in session.scalars(
        select(LtiLearnerRow).where(LtiLearnerRow.link_id == link_id))}
    for user_id, reading in readings.items():
        row = known.get(user_id)
        if row is None:
            row = LtiLearnerRow(link_id=link_id, user_id=user_id, name="", outcome="")
            session.add(row)
        found = (reading.name, reading.email, reading.score, reading.maximum, reading.outcome,
                 reading.reason)
        if found != (row.name, row.email, row.score, row.maximum, row.outcome, row.reason):
            (row.name, row.email, row.score, row.maximum, row.outcome, row.reason) = found
            row.updated_at = at


def mark_issued(session: Session, link_id: int, *, addresses: Mapping[str, str | None],
                issued: Mapping[str, str]) -> None:
    """The link's learners who passed and were issued: ``addresses`` gives the address each
    (by LMS user id) was issued to, ``issued`` the credential each address was issued."""
    for row in session.scalars(select(LtiLearnerRow).where(
            LtiLearnerRow.link_id == link_id, LtiLearnerRow.outcome == "passed")):
        address = addresses.get(row.user_id)
        if address is not None and address in issued:
            row.email = address
            row.credential_id = issued[address]
            row.outcome = "issued"


@dataclass(frozen=True, slots=True)
class Award:
    """What one course link decided of an LMS user: the link, the outcome, the credential."""

    link: str
    outcome: str
    credential_id: str | None


def awards_of(session: Session, platform_id: int, user_id: str) -> list[Award]:
    """What the links of the platform decided of its user ``user_id``."""
    return [Award(link, outcome, credential) for credential, outcome, link in session.execute(
        select(LtiLearnerRow.credential_id, LtiLearnerRow.outcome, LtiLinkRow.public_id).join(
            LtiLinkRow, LtiLinkRow.id == LtiLearnerRow.link_id).where(
            LtiLinkRow.platform_id == platform_id, LtiLearnerRow.user_id == user_id))]


# --- identities -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StoredIdentity:
    """An LMS user (issuer and ``sub``) linked to the account ``user_id``."""

    id: int
    user_id: int
    platform_id: int
    issuer: str
    subject: str
    name: str
    email: str | None
    linked_at: dt.datetime


def _identity(row: LtiIdentityRow) -> StoredIdentity:
    return StoredIdentity(row.id, row.user_id, row.platform_id, row.issuer, row.subject,
                          row.name, row.email, row.linked_at)


def identity(session: Session, *, issuer: str, subject: str) -> StoredIdentity | None:
    """The link of the LMS user ``subject`` of ``issuer``; None for none."""
    row = session.scalar(select(LtiIdentityRow).where(LtiIdentityRow.issuer == issuer,
                                                      LtiIdentityRow.subject == subject))
    return None if row is None else _identity(row)


def add_identity(session: Session, *, user_id: int, platform_id: int, issuer: str,
                 subject: str, name: str, email: str | None, at: dt.datetime
                 ) -> StoredIdentity:
    row = LtiIdentityRow(user_id=user_id, platform_id=platform_id, issuer=issuer,
                         subject=subject, name=name, email=email, linked_at=at)
    session.add(row)
    session.flush()
    return _identity(row)


def identities_of(session: Session, user_id: int, identity_id: int | None = None
                  ) -> list[tuple[StoredIdentity, str]]:
    """The LMS users linked to the account ``user_id`` (only ``identity_id`` when given),
    with their platform's name, oldest first."""
    query = select(LtiIdentityRow, LtiPlatformRow.name).join(
        LtiPlatformRow, LtiPlatformRow.id == LtiIdentityRow.platform_id).where(
        LtiIdentityRow.user_id == user_id)
    if identity_id is not None:
        query = query.where(LtiIdentityRow.id == identity_id)
    return [(_identity(row), name)
            for row, name in session.execute(query.order_by(LtiIdentityRow.id)).all()]


def delete_identity(session: Session, identity_id: int) -> None:
    session.execute(delete(LtiIdentityRow).where(LtiIdentityRow.id == identity_id))


def linked_users(session: Session, *, issuer: str, subjects: Iterable[str]
                 ) -> dict[str, tuple[int, str]]:
    """(user id, sign-in address) of the account each of ``subjects`` (users of the LMS
    ``issuer``) is linked to, for those linked."""
    wanted = list(subjects)
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), _SLICE):
        found.update((subject, (user, email)) for subject, user, email in session.execute(
            select(LtiIdentityRow.subject, UserRow.id, UserRow.email).join(
                UserRow, UserRow.id == LtiIdentityRow.user_id).where(
                LtiIdentityRow.issuer == issuer,
                LtiIdentityRow.subject.in_(wanted[start:start + _SLICE]))))
    return found
