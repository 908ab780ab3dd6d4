"""Bulk issuance on a runtime: a programme version's credential to a whole cohort.

The service behind ``credstack issue``: whoever acts must be allowed ``credentials:issue`` on
the programme's organisation, and every transaction that stores credentials writes one
``credentials.issued`` audit entry with its counts (subject ``programme:<id>``) — one entry per
chunk of ``chunk_size`` learners, never one per credential, so that auditing costs nothing
measurable at thousands of credentials a second, and the entry exists exactly when the
credentials it counts do: a run that is killed and resumed adds entries only for what it
stored. The same transaction queues the e-mail of each credential issued to an e-mail
address, each with an OID4VCI credential offer for a wallet app
(:func:`credstack.services.issuance.emails.cohort_issued`), so a learner is told exactly
when the credential exists, once. Signing, storing and resuming are
:func:`credstack.services.issuance.service.issue_cohort`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from random import Random

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.credentials.cohorts import Cohort
from credstack.services import audit
from credstack.services import operations as metrics
from credstack.services.issuance import emails
from credstack.services.issuance import service as issuance
from credstack.services.runtime import Runtime

__all__ = ["cohort_documents", "issue_cohort"]


def issue_cohort(runtime: Runtime, *, actor: Actor, programme_id: int, cohort: Cohort,
                 batch: str, version: int | None = None, securing: str = "eddsa-rdfc-2022",
                 alg: str = "EdDSA", valid_until: dt.datetime | None = None,
                 language: str = "ja", workers: int | None = None, chunk_size: int = 2000,
                 progress: Callable[[issuance.CohortProgress], None] = lambda _: None,
                 rng: Random | None = None) -> issuance.CohortResult:
    """Issue ``programme_id``'s credential to every learner of ``cohort`` in ``batch``
    (idempotent and resumable: see :func:`credstack.services.issuance.service.issue_cohort`
    for the parameters)."""
    now = runtime.now()
    with runtime.transaction() as session:
        organisation = programme_store.get_programme(session, programme_id=programme_id
                                                     ).organisation_slug
    principal = actor.require(Action.CREDENTIAL_ISSUE, organisation)
    maker = emails.mail_offers(runtime, created_by=principal.subject)

    def record(session: Session, chunk: issuance.CohortChunk) -> None:
        emails.cohort_issued(session, chunk=chunk, language=language, now=now, offers=maker)
        audit.record(session, at=now, actor=principal.subject, action="credentials.issued",
                     subject=f"programme:{chunk.programme_id}",
                     details={"organisation": chunk.organisation, "version": chunk.version,
                              "batch": chunk.batch, "securing": chunk.securing,
                              "issued": chunk.issued, "reused": chunk.reused,
                              "cohort": len(cohort)})
        metrics.after_commit(session, lambda: metrics.count_credentials("issued", chunk.issued))

    return issuance.issue_cohort(
        runtime.sessions, secret=runtime.key(), public_url=runtime.settings.public_url,
        programme_id=programme_id, cohort=cohort, batch=batch, now=now, version=version,
        securing=securing, alg=alg, valid_until=valid_until, language=language,
        workers=workers, chunk_size=chunk_size, progress=progress, on_chunk=record, rng=rng)


def cohort_documents(runtime: Runtime, *, keys: Sequence[str]) -> Iterator[str]:
    """The stored documents of a cohort's request keys (:attr:`~credstack.services.issuance.
    service.CohortResult.keys`), in their order, read in one transaction as they are used."""
    with runtime.transaction() as session:
        yield from issuance.cohort_documents(session, keys)
