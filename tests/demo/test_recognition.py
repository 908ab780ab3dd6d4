"""The demo recognition: the review process run with real data by the demo accounts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from sqlalchemy import func, select

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.tables import IssuedCredentialRow
from credstack.adapters.db.tables.audit import AuditEntryRow
from credstack.adapters.keystore import load_master_key, new_master_key_text
from credstack.core.crypto import KeyType
from credstack.core.review import State
from credstack.core.review.outcomes import Outcome, RecognitionStatus
from credstack.demo import load_demo_documents
from credstack.demo.accounts import load_demo_accounts
from credstack.demo.recognition import (
    COMMITTEE,
    EVALUATORS,
    LEARNER,
    issue_demo_credential,
    seed_demo_recognition,
)
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.recognitions import service as recognitions
from credstack.services.review import service as review
from credstack.settings import Settings
from tests.conftest import TEST_PASSWORD_MEMORY_KIB

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def test_demo_recognition_is_seeded_once_through_the_review_service(tmp_path: Path) -> None:
    """One published recognition with its endorsement, one application under review with
    two evaluators, an intact audit log, a learner credential; a second run changes nothing."""
    settings = dataclasses.replace(
        Settings.from_env(data_dir=tmp_path / "data", database_url=""),
        secret_key=new_master_key_text())
    secret = load_master_key(settings, announce=lambda _path: None)
    engine = make_engine(settings)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        # What ``serve --demo`` does first: the demo set, issuer keys, the demo accounts.
        documents = load_demo_documents()
        with sessions() as session, session.begin():
            programme_store.import_documents(session, documents=documents, now=NOW,
                                             source="demo")
            for organisation in documents.organisations:
                key_store.create_key(session, organisation=organisation.slug,
                                     key_type=KeyType.ED25519, now=NOW, secret=secret)
            load_demo_accounts(session, now=NOW, memory_kib=TEST_PASSWORD_MEMORY_KIB)

        with sessions() as session, session.begin():
            seeded = seed_demo_recognition(session, settings=settings, secret=secret, now=NOW)
        assert seeded is not None and seeded.created
        assert seeded.decision is not None and seeded.decision.startswith("R-2026-")
        assert seeded.programme_id is not None and seeded.programme_version is not None

        with sessions() as session:
            decisions = review.public_decisions(session)
            assert decisions.total == 1
            published = decisions.items[0]
            assert published.number == seeded.decision
            assert published.outcome is Outcome.RECOGNISED
            assert published.reasons.ja and published.reasons.en
            granted = recognitions.recognitions_for_programme(session, seeded.programme_id)
            assert [r.number for r in granted] == [seeded.decision]
            assert granted[0].status(NOW) is RecognitionStatus.VALID
            assert recognitions.endorsements_for(
                session, programme_id=seeded.programme_id, version=seeded.programme_version,
                public_url=settings.public_url)

            evaluator = accounts.user(session, email=EVALUATORS[0]).principal()
            tasks = review.list_applications(session, evaluator)
            pending = [t for t in tasks if t.state is State.UNDER_REVIEW]
            assert [t.id for t in pending] == [seeded.under_review]
            committee = accounts.user(session, email=COMMITTEE).principal()
            view = review.get_application(session, committee, application=pending[0].id)
            assert len(view.assignments) == 2 and not view.reviews
            assert view.programme_id != seeded.programme_id
            # And one submitted, waiting for the committee to assign its evaluators.
            waiting = [t for t in review.list_applications(session, committee)
                       if t.state is State.AWAITING_ASSIGNMENT]
            assert len(waiting) == 1
            assert waiting[0].id not in {pending[0].id}
            assert audit.verify(session, secret).ok
            entries = session.scalar(select(func.count()).select_from(AuditEntryRow))

        credential = issue_demo_credential(sessions, settings=settings, secret=secret,
                                           programme_id=seeded.programme_id,
                                           version=seeded.programme_version, now=NOW)
        assert credential.startswith("urn:uuid:")

        # Again (``serve --demo`` on the same data directory): nothing changes.
        with sessions() as session, session.begin():
            again = seed_demo_recognition(session, settings=settings, secret=secret, now=NOW)
        assert again is not None and not again.created
        assert (again.decision, again.under_review) == (seeded.decision, seeded.under_review)
        assert issue_demo_credential(sessions, settings=settings, secret=secret,
                                     programme_id=seeded.programme_id,
                                     version=seeded.programme_version, now=NOW) == credential
        with sessions() as session:
            assert review.public_decisions(session).total == 1
            assert len(review.list_applications(session, committee)) == 3
            assert session.scalar(select(func.count()).select_from(AuditEntryRow)) == entries
            stored = session.scalars(select(IssuedCredentialRow)).all()
            assert [row.learner for row in stored if row.learner == LEARNER] == [LEARNER]
            assert json.loads(recognitions.endorsement_document(session, seeded.decision))
    finally:
        engine.dispose()
