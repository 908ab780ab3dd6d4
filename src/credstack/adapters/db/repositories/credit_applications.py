"""Applications for credit transfer: a learner's decision evaluated against a target version,
then approved or refused by a registrar of the target's organisation (table in
:mod:`credstack.adapters.db.tables.creditbank`).

An application comes back as :class:`StoredApplication`, its times aware. A change to a
submitted one names the version it read (:func:`claim`: optimistic locking); every other
change makes the next version too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, union, update
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.credit_targets import StoredTarget
from credstack.adapters.db.tables import OrganisationRow, UserRow
from credstack.adapters.db.tables.creditbank import (
    CreditAccountRow,
    CreditApplicationRow,
    CreditDepositRow,
    CreditTargetRow,
)
from credstack.adapters.db.times import utc

__all__ = ["StoredApplication", "accounts_applied", "accounts_with_anything", "add",
           "applicants", "application", "claim", "figures", "find", "into", "live", "live_of",
           "of_account", "of_user", "pending_into", "reevaluated", "set_credential",
           "set_flag", "target_texts"]


@dataclass(frozen=True, slots=True)
class StoredApplication:
    """A learner's application for credit transfer into a version of a target, as kept."""

    id: int
    public_id: str
    account_id: int
    #: The target version's row id.
    target_version_id: int
    state: str
    decision: dict[str, Any]
    adjustments: list[dict[str, Any]]
    granted: str
    reason: str | None
    decided_by: str | None
    version: int
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    #: The credential issued to the learner when approved.
    credential_id: str | None
    #: Flagged for review: a counted credential no longer verifies, or the rules changed
    #: after an adjustment; ``{"reason", "reason_ja", "deposits", "by"}``.
    flag: dict[str, Any] | None
    flagged_at: dt.datetime | None


def _stored(row: CreditApplicationRow) -> StoredApplication:
    return StoredApplication(
        row.id, row.public_id, row.account_id, row.target_id, row.state, dict(row.decision),
        list(row.adjustments), row.granted, row.reason, row.decided_by, row.version,
        utc(row.submitted_at), utc(row.decided_at) if row.decided_at else None,
        row.credential_id, dict(row.flag) if row.flag else None,
        utc(row.flagged_at) if row.flagged_at else None)


def _target(row: CreditTargetRow, slug: str) -> StoredTarget:
    return StoredTarget(row.id, row.public_id, row.organisation_id, slug, row.target_id,
                        row.version, row.text, utc(row.created_at))


def _joined() -> Any:
    return select(CreditApplicationRow, CreditTargetRow, OrganisationRow.slug,
                  CreditAccountRow.user_id).join(
        CreditTargetRow, CreditTargetRow.id == CreditApplicationRow.target_id).join(
        OrganisationRow, OrganisationRow.id == CreditTargetRow.organisation_id).join(
        CreditAccountRow, CreditAccountRow.id == CreditApplicationRow.account_id)


def application(session: Session, application_id: int) -> StoredApplication | None:
    """The application of row id ``application_id`` as it is now; None for none."""
    row = session.get(CreditApplicationRow, application_id, populate_existing=True)
    return None if row is None else _stored(row)


def find(session: Session, public_id: str
         ) -> tuple[StoredApplication, StoredTarget, str, int] | None:
    """The application ``public_id``, the target version it was made into, the slug of the
    target's organisation and the learner's user id; None for none."""
    found = session.execute(_joined().where(CreditApplicationRow.public_id == public_id)
                            .execution_options(populate_existing=True)).first()
    if found is None:
        return None
    return _stored(found[0]), _target(found[1], found[2]), found[2], found[3]


def of_user(session: Session, user_id: int) -> list[tuple[StoredApplication, str, str]]:
    """The user's applications with their targets' ids and organisations' slugs, oldest
    first."""
    return [(_stored(row), target.target_id, slug) for row, target, slug, _ in session.execute(
        _joined().where(CreditAccountRow.user_id == user_id)
        .order_by(CreditApplicationRow.id))]


def into(session: Session, organisation: str, *, state: str | None = None,
         flagged: bool | None = None) -> list[tuple[StoredApplication, str, int]]:
    """The applications into the targets of the organisation of slug ``organisation`` (in
    ``state``; ``flagged``: only those flagged, or only those not), with their targets' ids
    and learners' user ids, oldest first."""
    query = _joined().where(OrganisationRow.slug == organisation)
    if state is not None:
        query = query.where(CreditApplicationRow.state == state)
    if flagged is not None:
        query = query.where(CreditApplicationRow.flagged_at.is_not(None) if flagged
                            else CreditApplicationRow.flagged_at.is_(None))
    return [(_stored(row), target.target_id, user_id) for row, target, _, user_id
            in session.execute(query.order_by(CreditApplicationRow.id))]


def pending_into(session: Session, *, account: int, organisation_id: int, target_id: str
                 ) -> str | None:
    """The public id of the account's application still being decided into any version of
    the organisation's ``target_id``; None for none."""
    return session.scalar(select(CreditApplicationRow.public_id).where(
        CreditApplicationRow.account_id == account,
        CreditApplicationRow.state == "submitted",
        CreditApplicationRow.target_id.in_(select(CreditTargetRow.id).where(
            CreditTargetRow.organisation_id == organisation_id,
            CreditTargetRow.target_id == target_id))))


def add(session: Session, *, public_id: str, account: int, target: int,
        decision: dict[str, Any], granted: str, at: dt.datetime) -> StoredApplication:
    """A new application of the account into the target version of row id ``target``."""
    row = CreditApplicationRow(public_id=public_id, account_id=account, target_id=target,
                               state="submitted", decision=decision, adjustments=[],
                               granted=granted, version=1, submitted_at=at)
    session.add(row)
    session.flush()
    return _stored(row)


def claim(session: Session, application: StoredApplication, **values: Any) -> bool:
    """Change the submitted ``application`` (``values``: columns) unless somebody changed it
    since it was read; whether it was changed."""
    changed = session.execute(update(CreditApplicationRow).where(
        CreditApplicationRow.id == application.id, CreditApplicationRow.state == "submitted",
        CreditApplicationRow.version == application.version).values(
        version=application.version + 1, **values).execution_options(
        synchronize_session=False))
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


def set_credential(session: Session, application_id: int, credential_id: str) -> None:
    """Name the credential issued for the approved application."""
    session.execute(update(CreditApplicationRow).where(
        CreditApplicationRow.id == application_id).values(
        credential_id=credential_id).execution_options(synchronize_session=False))


def set_flag(session: Session, application_id: int, flag: dict[str, Any],
             at: dt.datetime) -> None:
    """Flag the application for review (``at``: when it was first flagged)."""
    session.execute(update(CreditApplicationRow).where(
        CreditApplicationRow.id == application_id).values(
        flag=flag, flagged_at=at,
        version=CreditApplicationRow.version + 1).execution_options(
        synchronize_session=False))


def reevaluated(session: Session, application_id: int, *, decision: dict[str, Any],
                target: int) -> None:
    """Give the application the fresh decision against the target version of row id
    ``target``."""
    session.execute(update(CreditApplicationRow).where(
        CreditApplicationRow.id == application_id).values(
        decision=decision, granted=decision["granted"], target_id=target,
        version=CreditApplicationRow.version + 1).execution_options(
        synchronize_session=False))


def of_account(session: Session, account: int, states: Sequence[str]
               ) -> list[StoredApplication]:
    """The account's applications in one of ``states``, oldest first."""
    return [_stored(row) for row in session.scalars(select(CreditApplicationRow).where(
        CreditApplicationRow.account_id == account,
        CreditApplicationRow.state.in_(states)).order_by(CreditApplicationRow.id))]


def live(session: Session, states: Sequence[str]) -> list[tuple[int, int, dict[str, Any]]]:
    """(row id, learner's user id, decision) of every application in one of ``states``,
    oldest first."""
    return [(row_id, user_id, decision) for row_id, user_id, decision in session.execute(
        select(CreditApplicationRow.id, CreditAccountRow.user_id,
               CreditApplicationRow.decision).join(
            CreditAccountRow, CreditAccountRow.id == CreditApplicationRow.account_id).where(
            CreditApplicationRow.state.in_(states)).order_by(CreditApplicationRow.id))]


def live_of(session: Session, accounts: Iterable[int], states: Sequence[str]
            ) -> list[StoredApplication]:
    """The applications of ``accounts`` in one of ``states``."""
    return [_stored(row) for row in session.scalars(select(CreditApplicationRow).where(
        CreditApplicationRow.account_id.in_(list(accounts)),
        CreditApplicationRow.state.in_(states)))]


def target_texts(session: Session, account: int) -> list[tuple[str, str]]:
    """(target id, pathway file) of each target version the account applied to."""
    return [(target_id, text) for target_id, text in session.execute(
        select(CreditTargetRow.target_id, CreditTargetRow.text).join(
            CreditApplicationRow, CreditApplicationRow.target_id == CreditTargetRow.id).where(
            CreditApplicationRow.account_id == account).distinct())]


def accounts_applied(session: Session) -> list[int]:
    """The accounts that made an application, in order."""
    return list(session.scalars(select(CreditApplicationRow.account_id).distinct()
                                .order_by(CreditApplicationRow.account_id)))


def accounts_with_anything(session: Session) -> list[int]:
    """The accounts with a deposit or an application, in order."""
    query = union(select(CreditDepositRow.account_id),
                  select(CreditApplicationRow.account_id)).subquery()
    return sorted(session.scalars(select(query.c.account_id)))


def applicants(session: Session, organisation: str) -> dict[int, tuple[str, str]]:
    """The learners who applied into the targets of the organisation of slug
    ``organisation``, by user id: (display name, e-mail address)."""
    rows = session.execute(select(UserRow.id, UserRow.display_name, UserRow.email).join(
        CreditAccountRow, CreditAccountRow.user_id == UserRow.id).join(
        CreditApplicationRow, CreditApplicationRow.account_id == CreditAccountRow.id).join(
        CreditTargetRow, CreditTargetRow.id == CreditApplicationRow.target_id).join(
        OrganisationRow, OrganisationRow.id == CreditTargetRow.organisation_id).where(
        OrganisationRow.slug == organisation).distinct()).all()
    return {user_id: (name, email) for user_id, name, email in rows}


def figures(session: Session, organisation: str, *, since: dt.datetime
            ) -> dict[str, tuple[list[dt.datetime], int]]:
    """What the registrars of the organisation of slug ``organisation`` saw happen to the
    applications into its targets: for each figure, its moments from ``since`` on and its
    count over all time. ``submitted``: when they were made; ``approved`` and ``refused``:
    when they were decided so."""
    targets = (select(CreditTargetRow.id).join(
        OrganisationRow, OrganisationRow.id == CreditTargetRow.organisation_id)
        .where(OrganisationRow.slug == organisation))
    into_targets = CreditApplicationRow.target_id.in_(targets)
    found: dict[str, tuple[list[dt.datetime], int]] = {}
    for key, column, state in (("submitted", CreditApplicationRow.submitted_at, None),
                               ("approved", CreditApplicationRow.decided_at, "approved"),
                               ("refused", CreditApplicationRow.decided_at, "refused")):
        conditions = [into_targets] + ([CreditApplicationRow.state == state] if state else [])
        moments = [utc(moment) for moment in session.scalars(
            select(column).where(*conditions, column >= since)) if moment is not None]
        total = session.scalar(select(func.count(column)).where(*conditions)) or 0
        found[key] = (moments, total)
    return found
