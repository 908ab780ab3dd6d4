"""The issuer's view of what happens to its credentials (see the package's docstring).

Every function is for whoever may read the organisation's credentials
(``credentials:read``: its issuers and provider admins, registry admins) and reads counts
kept as the events happened: a batch of any size is one row per kind of event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from credstack.adapters.db.repositories import activity as store
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import mail as outbox
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.activity.events import CREDENTIAL_KINDS, Kind, Tally, Totals
from credstack.core.activity.figures import MonthRow, figures_csv, month_rows
from credstack.core.figures import Glance, Month, glance
from credstack.errors import NotFoundError
from credstack.services import counting
from credstack.services.runtime import Runtime

__all__ = ["BATCH_PAGE", "GLANCE", "BatchLine", "BatchView", "CredentialMessage",
           "CredentialView", "LearnerProgress", "OrganisationView", "batch_learners", "batch_view",
           "credential_view", "organisation_csv", "organisation_glance", "organisation_view"]

#: The learners of a batch shown on one page.
BATCH_PAGE = 200
LearnerProgress = store.LearnerProgress
#: The figures an organisation's home shows at a glance, in its order.
GLANCE = (Kind.ISSUED, Kind.CLAIMED, Kind.SHARED, Kind.VERIFIED)


@dataclass(frozen=True, slots=True)
class BatchLine:
    """One batch in the organisation's list: how many credentials each kind reached."""

    name: str
    counts: dict[Kind, int]
    last_issued: dt.datetime | None

    def __getitem__(self, kind: Kind) -> int:
        return self.counts.get(kind, 0)


@dataclass(frozen=True, slots=True)
class OrganisationView:
    slug: str
    months: list[MonthRow]
    batches: list[BatchLine]

    @property
    def totals(self) -> dict[Kind, int]:
        return {kind: sum(row[kind] for row in self.months) for kind in Kind}


@dataclass(frozen=True, slots=True)
class BatchView:
    slug: str
    #: ``""``: the credentials issued in no batch.
    batch: str
    totals: Totals


@dataclass(frozen=True, slots=True)
class CredentialMessage:
    """An e-mail about the credential, as the outbox has it."""

    id: int
    event: str
    template: str
    to: str
    state: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CredentialView:
    slug: str
    stored: credential_store.StoredCredential
    totals: Totals
    claimed_by: str | None
    messages: list[CredentialMessage] = field(default_factory=list)

    @property
    def issued_to(self) -> list[str]:
        """The addresses its "issued" e-mail went to, first one first."""
        return list(dict.fromkeys(message.to for message in self.messages
                                  if message.event.startswith("credential.issued:")))


def _organisation_id(session: Session, slug: str) -> int:
    row = organisation_store.find_row(session, slug)
    if row is None:
        raise NotFoundError(code="editor.refused.no_organisation", params={"slug": slug})
    return row.id


def organisation_view(runtime: Runtime, *, actor: Actor, organisation: str
                      ) -> OrganisationView:
    """The organisation's figures per month and its batches."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    counting.flush(runtime)
    with runtime.transaction() as session:
        organisation_id = _organisation_id(session, organisation)
        months = month_rows(store.month_counts(session, organisation_id=organisation_id))
        batches = [BatchLine(name, counts, last) for name, counts, last in
                   store.organisation_batches(session, organisation_id=organisation_id)]
    return OrganisationView(organisation, months, batches)


def organisation_glance(runtime: Runtime, *, actor: Actor, organisation: str
                        ) -> list[Glance]:
    """The figures of :data:`GLANCE`: how many credentials each reached this month and last
    month, and over all time."""
    view = organisation_view(runtime, actor=actor, organisation=organisation)
    month = Month.of(runtime.now().date())
    totals = view.totals
    return [glance(kind.value, {Month.parse(row.month): row[kind] for row in view.months},
                   month=month, total=totals[kind]) for kind in GLANCE]


def organisation_csv(runtime: Runtime, *, actor: Actor, organisation: str) -> str:
    """The organisation's figures per month as CSV."""
    return figures_csv(organisation_view(runtime, actor=actor, organisation=organisation)
                       .months)


def batch_view(runtime: Runtime, *, actor: Actor, organisation: str, batch: str) -> BatchView:
    """One batch: its size and each kind's tally. NotFoundError for a batch with no
    credential."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    counting.flush(runtime)
    with runtime.transaction() as session:
        organisation_id = _organisation_id(session, organisation)
        tallies = store.batch_tallies(session, organisation_id=organisation_id, batch=batch)
    # The batch's size is its tally of issued credentials (kept as they are stored, and
    # counted for those stored before the tallies by migration 0032): nothing is counted.
    size = tallies[Kind.ISSUED].credentials if Kind.ISSUED in tallies else 0
    if size == 0:
        raise NotFoundError(code="activity.refused.no_batch",
                            params={"organisation": organisation, "batch": batch})
    return BatchView(organisation, batch, Totals(size, tallies))


def batch_learners(runtime: Runtime, *, actor: Actor, organisation: str, batch: str,
                   not_yet: Kind | None = None, after: int = 0, limit: int = BATCH_PAGE
                   ) -> list[LearnerProgress]:
    """Each learner of one batch (by the order they were issued, from row ``after``, at most
    ``limit``): when their credential was e-mailed, opened, claimed, shared and verified
    first, and when they were reminded; with ``not_yet``, only those it has not happened to."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    if not_yet is not None and not_yet not in CREDENTIAL_KINDS:
        raise NotFoundError(f"No kind of event {not_yet!r} happens to a credential.")
    counting.flush(runtime)
    with runtime.transaction() as session:
        return store.batch_learners(session, organisation_id=_organisation_id(
            session, organisation), batch=batch, not_yet=not_yet, after=after, limit=limit)


def credential_view(runtime: Runtime, *, actor: Actor, organisation: str, credential_id: str
                    ) -> CredentialView:
    """One credential: each kind's count and dates, and its e-mails."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    counting.flush(runtime)
    with runtime.transaction() as session:
        key = store.credential_key(session, credential_id)
        stored = (credential_store.get_credential(session, credential_id=credential_id)
                  if key is not None else None)
        if key is None or stored is None or stored.organisation != organisation:
            raise NotFoundError(code="issuing.refused.not_issued",
                                params={"organisation": organisation,
                                        "credential_id": credential_id})
        tallies, claimed_by = store.credential_tallies(session, key.row_id)
        messages = [CredentialMessage(row.id, row.event_key, row.template, row.to_address,
                                      row.state, row.created_at, row.sent_at)
                    for row in outbox.credential_messages(session, credential_id)]
    totals = Totals(1, {kind: tallies.get(kind) or Tally(kind) for kind in CREDENTIAL_KINDS})
    return CredentialView(organisation, stored, totals, claimed_by, messages)

