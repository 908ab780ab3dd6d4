"""Bulk issuance on a runtime: who may issue a cohort, and one audit entry per transaction
that stores credentials, with its counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.tables import IssuedCredentialRow, StatusListRow
from credstack.adapters.db.tables.mail import MailOutboxRow
from credstack.core.access.policy import Action, Membership, Principal, Role
from credstack.core.credentials.cohorts import Cohort, read_cohort
from credstack.errors import AccessDeniedError
from credstack.services.audit import service as audit
from credstack.services.issuance import cohorts
from credstack.services.issuance import service as issuance
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.services.issuance.test_credentials import ISSUER, SLUG, issuing_runtime


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    with issuing_runtime(tmp_path, publish=True) as runtime:
        yield runtime


@pytest.fixture
def postgres_runtime(tmp_path: Path, migrated_postgres_url: str) -> Iterator[Runtime]:
    with issuing_runtime(tmp_path, publish=True, database_url=migrated_postgres_url
                         ) as runtime:
        yield runtime


def _cohort(count: int) -> Cohort:
    rows = "".join(f"learner{i}@example.jp,Learner {i}\n" for i in range(count))
    return read_cohort(f"email,name.en\n{rows}".encode())


def _entries(runtime: Runtime, action: str = "credentials.issued"
             ) -> list[tuple[str, str, str, dict[str, object]]]:
    with runtime.transaction() as session:
        return [(e.actor, e.action, e.subject, dict(e.details))
                for e in audit.entries(session, limit=100) if e.action == action]


def _details(issued: int, reused: int, cohort: int) -> dict[str, object]:
    return {"organisation": SLUG, "version": 1, "batch": "2026-spring",
            "securing": "eddsa-rdfc-2022", "issued": issued, "reused": reused,
            "cohort": cohort}


def test_each_transaction_that_stores_credentials_writes_one_entry(runtime: Runtime) -> None:
    """Five learners two to a transaction: three entries with their counts, not five."""
    result = cohorts.issue_cohort(runtime, actor=ISSUER, programme_id=1, cohort=_cohort(5),
                                  batch="2026-spring", workers=1, chunk_size=2)
    assert (result.issued, result.reused) == (5, 0)
    entry = ("user:3", "credentials.issued", "programme:1")
    assert _entries(runtime) == [(*entry, _details(2, 0, 5)), (*entry, _details(2, 0, 5)),
                                 (*entry, _details(1, 0, 5))]
    # The e-mails' credential offers: one entry per transaction too, with how many.
    assert [(actor, subject, details["offers"]) for actor, _, subject, details in
            _entries(runtime, "oid4vci.offer.created")] == [("user:3", "programme:1", 2),
                                                            ("user:3", "programme:1", 2),
                                                            ("user:3", "programme:1", 1)]
    with runtime.sessions() as session:
        assert audit.verify(session, runtime.key()).ok


def test_a_resumed_run_counts_only_what_it_stored(runtime: Runtime) -> None:
    """Running the batch again with one more learner writes one entry, for that learner;
    running it once more, with nothing left to issue, writes none (and makes no offer)."""
    cohorts.issue_cohort(runtime, actor=ISSUER, programme_id=1, cohort=_cohort(2),
                         batch="2026-spring", workers=1)
    again = cohorts.issue_cohort(runtime, actor=ISSUER, programme_id=1, cohort=_cohort(3),
                                 batch="2026-spring", workers=1)
    assert (again.issued, again.reused) == (1, 2)
    cohorts.issue_cohort(runtime, actor=ISSUER, programme_id=1, cohort=_cohort(3),
                         batch="2026-spring", workers=1)
    assert [details for *_, details in _entries(runtime)] == [_details(2, 0, 2),
                                                               _details(1, 2, 3)]
    assert [details["offers"] for *_, details in _entries(runtime, "oid4vci.offer.created")
            ] == [2, 1]
    documents = list(cohorts.cohort_documents(runtime, keys=again.keys))
    assert len(documents) == 3 and len(set(documents)) == 3


def test_someone_who_may_not_issue_is_refused_before_anything_is_signed(runtime: Runtime
                                                                        ) -> None:
    """An issuer of another organisation: refused (and the refusal reported), nothing is
    stored or audited."""
    stranger = ActingAs(Principal(subject="user:8", user_id=8, email="x@other.example",
                                  memberships=frozenset({Membership("other", Role.ISSUER)})))
    with pytest.raises(AccessDeniedError):
        cohorts.issue_cohort(runtime, actor=stranger, programme_id=1, cohort=_cohort(2),
                             batch="2026-spring", workers=1)
    assert [action for action, _, _ in stranger.refusals] == [Action.CREDENTIAL_ISSUE.value]
    assert _entries(runtime) == []


def test_on_postgresql_chunks_are_copied_in_and_the_planner_learns_of_them(
        postgres_runtime: Runtime) -> None:
    """130 learners 60 to a transaction: the credentials, their e-mails and wallet offers go
    in by COPY; statistics are gathered each time the run has doubled what it stored (after
    60 and 120), so PostgreSQL plans the next chunk's lookups on what the tables hold."""
    result = cohorts.issue_cohort(postgres_runtime, actor=ISSUER, programme_id=1,
                                  cohort=_cohort(130), batch="2026-spring", workers=1,
                                  chunk_size=60)
    assert (result.issued, result.reused) == (130, 0)
    with postgres_runtime.sessions() as session:
        known = dict(session.execute(text(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('issued_credentials', 'mail_outbox', 'oid4vci_offers')")).all())
        queued = session.scalars(select(MailOutboxRow).order_by(MailOutboxRow.id)).all()
        assert audit.verify(session, postgres_runtime.key()).ok
    assert known == {"issued_credentials": 120, "mail_outbox": 120, "oid4vci_offers": 120}
    assert [row.to_address for row in queued] == [f"learner{i}@example.jp" for i in range(130)]
    assert all(row.context["learner_name"] == {"en": f"Learner {i}"}
               for i, row in enumerate(queued))
    documents = [json.loads(stored) for stored in cohorts.cohort_documents(
        postgres_runtime, keys=result.keys)]
    assert len({document["id"] for document in documents}) == 130
    assert {document["proof"]["cryptosuite"] for document in documents} == {"eddsa-rdfc-2022"}


def test_a_chunk_signed_ahead_on_indexes_taken_meanwhile_is_signed_again(runtime: Runtime
                                                                         ) -> None:
    """The workers sign the next chunk while one is stored, on status indexes drawn but not
    taken. When the rest of the list is taken in between (here in the first chunk's
    transaction, after the draw), the next chunk is signed again on a new list; the chunk
    after it is taken as drawn. Every stored credential's status entries name its own
    stored index, and each list marks exactly the indexes given out."""
    filled: list[int] = []

    def fill_the_list(session: Session, chunk: issuance.CohortChunk) -> None:
        if not filled:
            row = session.scalars(select(StatusListRow)).one()
            filled.append(row.size - row.used)
            status_lists.allocate(session, organisation_id=row.organisation_id,
                                  count=row.size - row.used, now=runtime.now(), rng=Random(7))

    result = issuance.issue_cohort(
        runtime.sessions, secret=runtime.key(), public_url=runtime.settings.public_url,
        programme_id=1, cohort=_cohort(6), batch="2026-spring", now=runtime.now(),
        workers=2, chunk_size=2, on_chunk=fill_the_list)
    assert (result.issued, result.reused) == (6, 0)
    with runtime.sessions() as session:
        rows = session.scalars(select(IssuedCredentialRow).order_by(IssuedCredentialRow.id)
                               ).all()
        lists = {row.id: row for row in session.scalars(select(StatusListRow))}
        stored = [(lists[row.status_list_id].number, row.status_index,
                   json.loads(row.document)["credentialStatus"]) for row in rows]
        marked = {row.number: int.from_bytes(row.allocated).bit_count()
                  for row in lists.values()}
    assert [number for number, _, _ in stored] == [1, 1, 2, 2, 2, 2]
    for number, index, entries in stored:
        assert {(entry["statusListIndex"], entry["statusListCredential"].split("/")[-2])
                for entry in entries} == {(str(index), str(number))}
    assert marked == {1: 2 + filled[0], 2: 4}
    assert len({(number, index) for number, index, _ in stored}) == 6
