"""The organisations the operator suspended (``organisation_suspensions``): the refusal an
issuer gets while suspended, each suspension read, added and lifted, and organisations as the
console lists them, each with its suspension."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow, OrganisationSuspensionRow, ProgrammeRow
from credstack.errors import OrganisationSuspendedError, Problem

__all__ = ["ListedOrganisation", "StoredSuspension", "add_suspension", "organisations",
           "refuse_if_suspended", "remove_suspension", "suspension", "suspension_of"]


def refuse_if_suspended(session: Session, *, organisation_id: int, slug: str) -> None:
    """:class:`~credstack.errors.OrganisationSuspendedError` when the operator suspended the
    organisation (it issues nothing until reinstated)."""
    found = session.scalar(select(OrganisationSuspensionRow.id).where(
        OrganisationSuspensionRow.organisation_id == organisation_id))
    if found is not None:
        en = (f"{slug} is suspended by the platform's operator: it cannot issue credentials "
              "until it is reinstated. Its published programmes stay readable. Ask the "
              "platform's operator why.")
        ja = (f"{slug} はプラットフォームの運営者により停止されています。再開されるまで証明書を"
              "発行できません（公開済みのプログラムは引き続き閲覧できます）。理由は運営者に"
              "お問い合わせください。")
        raise OrganisationSuspendedError(f"{en} / {ja}",
                                         problems=[Problem("organisation", en, ja)])


@dataclass(frozen=True, slots=True)
class StoredSuspension:
    reason: str
    suspended_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ListedOrganisation:
    """An organisation as the console lists it: its number of programmes, its suspension."""

    id: int
    slug: str
    name: dict[str, str]
    kind: str
    corporate_number: str | None
    programmes: int
    suspension: StoredSuspension | None


def organisations(session: Session, needle: str, *, limit: int) -> list[ListedOrganisation]:
    """Organisations whose slug or name holds ``needle`` (lower case; all when empty), by
    slug, at most ``limit``."""
    statement = select(OrganisationRow).order_by(OrganisationRow.slug).limit(limit)
    if needle:
        # The name's values, not its JSON text: SQLite writes 北都 there as \u5317\u90fd.
        statement = statement.where(or_(
            func.lower(OrganisationRow.slug).contains(needle),
            *(func.lower(OrganisationRow.name[language].as_string()).contains(needle)
              for language in ("ja", "en"))))
    rows = list(session.scalars(statement))
    ids = [row.id for row in rows]
    counts: dict[int, int] = {organisation_id: count for organisation_id, count in
                              session.execute(select(ProgrammeRow.organisation_id, func.count())
                                              .where(ProgrammeRow.organisation_id.in_(ids))
                                              .group_by(ProgrammeRow.organisation_id))}
    suspended = {row.organisation_id: StoredSuspension(row.reason, row.suspended_at)
                 for row in session.scalars(select(OrganisationSuspensionRow).where(
                     OrganisationSuspensionRow.organisation_id.in_(ids)))}
    return [ListedOrganisation(row.id, row.slug, dict(row.name), row.kind,
                               row.corporate_number, int(counts.get(row.id, 0)),
                               suspended.get(row.id)) for row in rows]


def suspension_of(session: Session, slug: str) -> StoredSuspension | None:
    """The suspension of the organisation ``slug``; None for none."""
    row = session.scalar(select(OrganisationSuspensionRow).join(
        OrganisationRow, OrganisationRow.id == OrganisationSuspensionRow.organisation_id)
        .where(OrganisationRow.slug == slug))
    return StoredSuspension(row.reason, row.suspended_at) if row is not None else None


def suspension(session: Session, organisation_id: int) -> StoredSuspension | None:
    """The organisation's suspension, its row locked for update; None for none."""
    row = session.scalar(select(OrganisationSuspensionRow).where(
        OrganisationSuspensionRow.organisation_id == organisation_id).with_for_update())
    return StoredSuspension(row.reason, row.suspended_at) if row is not None else None


def add_suspension(session: Session, *, organisation_id: int, reason: str, at: dt.datetime,
                   by: str) -> None:
    session.add(OrganisationSuspensionRow(organisation_id=organisation_id, reason=reason,
                                          suspended_at=at, suspended_by=by))
    session.flush()


def remove_suspension(session: Session, organisation_id: int) -> None:
    session.execute(delete(OrganisationSuspensionRow).where(
        OrganisationSuspensionRow.organisation_id == organisation_id))
