"""Recognitions in the store: grant issues an endorsement, withdraw revokes it, and learner
credential verification reports the recognition (valid, withdrawn, expired, none).

Both databases; a provider with a published programme and an issuer key, a recognition body
with its own key, and a learner credential issued for the programme. Verification uses the
deployment's own sources (DIDs and status lists read from the store: nothing is fetched).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.adapters.search.live import LiveIndex
from credstack.core.credentials.cohorts import read_cohort
from credstack.core.verification import CheckKind, VerificationReport
from credstack.errors import ConflictError, InputError, NotFoundError
from credstack.services.audit import service as audit
from credstack.services.issuance import service as issuance
from credstack.services.recognitions import service as recognitions
from credstack.services.verification import service as verifier
from credstack.settings import Settings
from tests.accounts import add_issuer, add_programme
from tests.helpers import organisation

SECRET = new_master_key_text()
PUBLIC_URL = "https://credstack.example"
NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
VALID_FROM = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
VALID_UNTIL = dt.datetime(2029, 4, 1, tzinfo=dt.UTC)
BODY: dict[str, Any] = {"slug": "jmicro", "kind": "recognition-body",
                        "name": {"ja": "日本マイクロクレデンシャル機構",
                                 "en": "Japan Micro-credential Organisation"},
                        "country": "JP"}


@dataclass
class Store:
    settings: Settings
    sessions: sessionmaker[Session]
    secret: MasterKey
    programme_id: int
    learner_credential: dict[str, Any]

    def sources(self) -> verifier.VerificationSources:
        return verifier.VerificationSources.from_settings(self.settings, self.sessions)

    def verify(self, credential: Any, *, now: dt.datetime = NOW) -> VerificationReport:
        return verifier.verify(credential, now=now, sources=self.sources())

    def grant(self, number: str = "R-2026-0001", **changes: Any) -> recognitions.RecognitionRecord:
        values: dict[str, Any] = dict(
            signer_secret=self.secret, settings=self.settings, recognition_body="jmicro",
            programme_id=self.programme_id, version=1, application="app_abcdefgh",
            decision_number=number, outcome="recognised-with-conditions",
            conditions="Publish the assessment rubric.", reasons="Meets every criterion.",
            valid_from=VALID_FROM, valid_until=VALID_UNTIL, now=NOW)
        values.update(changes)
        with self.sessions() as session, session.begin():
            return recognitions.grant(session, **values)


def prepare(settings: Settings, *, public_url: str = PUBLIC_URL) -> Store:
    """A provider with a published programme, a recognition body, both with keys, and one
    learner credential of the programme (close ``store.sessions``' engine with ``dispose``)."""
    configured = dataclasses.replace(settings, secret_key=SECRET, public_url=public_url)
    engine = make_engine(configured)
    migrate(engine)
    sessions = session_factory(engine)
    secret = MasterKey.from_text(SECRET, source="test")
    audit.attach_key(sessions, secret)
    with sessions() as session, session.begin():
        for document in (organisation(), BODY):
            add_issuer(session, now=NOW, secret=secret, document=document)
        programme_id = add_programme(session, now=NOW)
    result = issuance.issue_cohort(
        sessions, secret=secret, public_url=configured.public_url, programme_id=programme_id,
        cohort=read_cohort("email,name\nhanako@example.jp,山田花子\n"), batch="2026-spring",
        now=NOW, workers=1)
    with sessions() as session:
        document = next(issuance.cohort_documents(session, result.keys))
    return Store(configured, sessions, secret, programme_id, json.loads(document))


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    prepared = prepare(settings)
    try:
        yield prepared
    finally:
        engine = prepared.sessions.kw["bind"]
        engine.dispose()


def recognition_check(report: VerificationReport) -> Any:
    check = report.check("recognition")
    assert check is not None, [c.name for c in report.checks]
    return check


# --- granting -------------------------------------------------------------------------------

def test_grant_issues_a_signed_endorsement_of_the_achievement(store: Store) -> None:
    """The body's did:web signs an EndorsementCredential with a revocation entry; it verifies."""
    record = store.grant()
    assert record.outcome.value == "recognised-with-conditions"
    assert record.credential_id == f"{PUBLIC_URL}/recognitions/R-2026-0001"
    with store.sessions() as session:
        endorsement = json.loads(recognitions.endorsement_document(session, "R-2026-0001"))
    assert endorsement["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert endorsement["issuer"]["id"] == key_store.organisation_did(PUBLIC_URL, "jmicro")
    assert endorsement["issuer"]["name"] == BODY["name"]["ja"]
    assert endorsement["credentialSubject"]["id"] == issuance.achievement_url(
        PUBLIC_URL, store.programme_id, 1)
    assert endorsement["validUntil"] == "2029-04-01T00:00:00Z"
    assert endorsement["credentialStatus"]["statusPurpose"] == "revocation"
    assert endorsement["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    comment = endorsement["credentialSubject"]["endorsementComment"]
    assert "条件付き認定" in comment and "R-2026-0001" in comment
    assert f"{PUBLIC_URL}/recognition/decisions/R-2026-0001" in comment
    report = store.verify(endorsement)
    assert report.ok, [check.to_dict() for check in report.failed]
    assert report.check("recognition") is None  # An endorsement is no learner credential.


def test_grant_refuses_what_is_not_a_recognition(store: Store) -> None:
    """Not recognised, a provider as the body, a taken number, a draft: refused, nothing kept."""
    with pytest.raises(InputError):
        store.grant(outcome="not-recognised", conditions=None)
    with pytest.raises(ConflictError, match="not a recognition body"):
        store.grant(recognition_body="hokuto-tech")
    store.grant()
    with pytest.raises(ConflictError, match="already"):
        store.grant()
    with pytest.raises(NotFoundError):
        store.grant("R-2026-0002", version=2)
    with store.sessions() as session:
        assert [r.number for r in recognitions.recognitions_for_programme(
            session, store.programme_id)] == ["R-2026-0001"]


# --- learner credential verification --------------------------------------------------------

def test_a_learner_credential_without_recognition_reports_none_and_verifies(
        store: Store) -> None:
    """No recognition: informational "none", the credential is still verified."""
    report = store.verify(store.learner_credential)
    assert report.ok, [check.to_dict() for check in report.failed]
    check = recognition_check(report)
    assert check.kind is CheckKind.INFO and check.code == "none"
    assert check.details["recognitions"] == []
    assert report.to_dict()["verified"] is True


def test_a_recognised_programme_is_reported_valid_with_who_and_conditions(store: Store) -> None:
    """After the grant the learner credential's report names the body, outcome and period."""
    store.grant()
    report = store.verify(store.learner_credential)
    assert report.ok
    check = recognition_check(report)
    assert check.code == "valid" and not check.warnings
    (found,) = check.details["recognitions"]
    assert found["status"] == "valid"
    assert found["number"] == "R-2026-0001"
    assert found["outcome"] == "recognised-with-conditions"
    assert found["conditions"]["en"] == "Publish the assessment rubric."
    assert found["issuer"]["slug"] == "jmicro"
    assert found["issuer"]["id"] == key_store.organisation_did(PUBLIC_URL, "jmicro")
    assert found["valid_until"].startswith("2029-04-01")
    assert "Japan Micro-credential Organisation" in check.reason_en
    assert "日本マイクロクレデンシャル機構" in check.reason_ja
    as_json = next(c for c in report.to_dict()["checks"] if c["check"] == "recognition")
    assert as_json["details"]["status"] == "valid" and as_json["kind"] == "info"


def test_withdrawal_revokes_the_endorsement_and_is_reported_withdrawn(store: Store) -> None:
    """Withdrawn: the endorsement is revoked in its list; the learner credential still verifies."""
    store.grant()
    with store.sessions() as session, session.begin():
        record = recognitions.withdraw(session, recognition="R-2026-0001",
                                       reason="Conditions not met.", now=NOW)
    assert record.withdrawn_at == NOW and record.withdrawal_reason == "Conditions not met."
    with store.sessions() as session:
        endorsement = recognitions.endorsement_document(session, "R-2026-0001")
    revoked = store.verify(endorsement)
    assert not revoked.ok
    status = revoked.check("status")
    assert status is not None and status.code == "revoked"
    report = store.verify(store.learner_credential)
    assert report.ok
    check = recognition_check(report)
    assert check.code == "withdrawn"
    assert [notice.code for notice in check.warnings] == ["recognition-withdrawn"]
    assert "recognition" in [w["check"] for w in report.to_dict()["warnings"]]
    with store.sessions() as session, session.begin(), pytest.raises(ConflictError):
        recognitions.withdraw(session, recognition="R-2026-0001", reason="again", now=NOW)
    with store.sessions() as session:
        logged = audit.entries(session, subject="recognition:R-2026-0001")
    assert [entry.action for entry in logged] == ["recognition.granted", "recognition.withdrawn"]


def test_after_valid_until_the_recognition_is_reported_expired(store: Store) -> None:
    """A clock past validUntil: expired (a warning), the learner credential still verifies."""
    store.grant()
    later = VALID_UNTIL + dt.timedelta(days=1)
    report = store.verify(store.learner_credential, now=later)
    assert report.ok, [check.to_dict() for check in report.failed]
    check = recognition_check(report)
    assert check.code == "expired"
    assert [notice.code for notice in check.warnings] == ["recognition-expired"]
    with store.sessions() as session:
        assert recognitions.recognition(session, "R-2026-0001").status(later).value == "expired"


def test_a_renewed_recognition_is_valid_despite_an_expired_one(store: Store) -> None:
    """The best recognition decides: one valid among expired ones is "valid", no warning."""
    store.grant("R-2023-0001", valid_from=VALID_FROM - dt.timedelta(days=3 * 365),
                valid_until=VALID_FROM, outcome="recognised", conditions=None)
    store.grant("R-2026-0002", outcome="recognised", conditions=None)
    check = recognition_check(store.verify(store.learner_credential))
    assert check.code == "valid" and not check.warnings
    assert sorted(item["status"] for item in check.details["recognitions"]) == ["expired",
                                                                                 "valid"]


def test_a_foreign_achievement_gets_no_recognition_check(store: Store) -> None:
    """Without sources there is no lookup; the check is simply absent."""
    report = verifier.verify(store.learner_credential, now=NOW)
    assert report.check("recognition") is None


# --- the registry index ---------------------------------------------------------------------

def test_grant_and_withdraw_update_the_search_facet(store: Store) -> None:
    """The recognition facet says "recognised" after a grant and not after the withdrawal."""
    live = LiveIndex(store.settings, store.sessions, check_seconds=0, clock=lambda: NOW)
    live.start()

    def facet() -> tuple[str, ...]:
        from credstack.adapters.search.store import store_generation

        with store.sessions() as session:
            assert live.index.store_generation == store_generation(session)
        numbers = live.index.programme_numbers()
        number = numbers[store.programme_id]
        return tuple(value for value, bitmap in live.index.data.facets["recognition"].items()
                     if number in bitmap)

    assert facet() == ("internal-qa",)
    store.grant(registry=live)
    assert facet() == ("recognised",)
    with store.sessions() as session, session.begin():
        recognitions.withdraw(session, recognition="R-2026-0001", reason="Withdrawn.",
                              now=NOW, registry=live)
    assert facet() == ("internal-qa",)
    live.rebuild()
    assert facet() == ("internal-qa",)
