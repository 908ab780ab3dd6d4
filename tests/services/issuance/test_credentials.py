"""Issuing one credential on a runtime, as whoever acts: the caller's organisation signs,
someone without an issuing role is refused, the status list and the Achievement are served."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.actors import operator_principal
from credstack.core.access.policy import Action, Membership, Principal, Role
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import AccessDeniedError, AuthenticationRequiredError, NotFoundError
from credstack.services.audit import service as audit
from credstack.services.issuance import credentials
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.accounts import add_issuer, add_programme

SLUG = "hokuto-tech"
ISSUER = ActingAs(Principal(subject="user:3", user_id=3, email="issuer@hokuto.example",
                            memberships=frozenset({Membership(SLUG, Role.ISSUER)})))
OPERATOR = operator_principal("tester")
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:learner", "name": "Hanako"},
}


@contextmanager
def issuing_runtime(folder: Path, *, publish: bool, database_url: str = ""
                    ) -> Iterator[Runtime]:
    """A runtime on a new store (SQLite, or an empty PostgreSQL ``database_url``): one
    organisation with its Ed25519 key and one programme (published or a draft)."""
    settings = dataclasses.replace(Settings.from_env(data_dir=folder,
                                                     database_url=database_url),
                                   secret_key=new_master_key_text())
    with open_runtime(settings=settings) as runtime:
        now = runtime.now()
        with runtime.transaction() as session:
            add_issuer(session, now=now, secret=runtime.key())
            add_programme(session, now=now, publish=publish)
        yield runtime


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    with issuing_runtime(tmp_path, publish=False) as runtime:
        yield runtime


def test_the_callers_organisation_signs_with_status_entries(runtime: Runtime) -> None:
    """Signed as the caller's organisation, with the status entries the caller asks for."""
    issued = credentials.issue_credential(
        runtime, actor=ISSUER, credential=CREDENTIAL,
        status_option={"type": "BitstringStatusListEntry"})
    document = issued.to_json()
    assert str(document["issuer"]).endswith(f":organisations:{SLUG}")
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    purposes = {entry["statusPurpose"] for entry in document["credentialStatus"]}
    assert purposes == {"revocation", "suspension"}
    list_url = document["credentialStatus"][0]["statusListCredential"]
    number, purpose = list_url.rsplit("/", 2)[-2:]
    signed = credentials.signed_status_list(runtime, organisation=SLUG, number=int(number),
                                            purpose=purpose)
    assert signed["id"] == list_url


def test_nobody_signed_in_is_asked_to_sign_in_and_a_learner_is_refused(runtime: Runtime
                                                                        ) -> None:
    anonymous = ActingAs(None)
    with pytest.raises(AuthenticationRequiredError):
        credentials.issue_credential(runtime, actor=anonymous, credential=CREDENTIAL)
    learner = ActingAs(Principal(subject="user:9", user_id=9, email="l@example.jp",
                                 memberships=frozenset({Membership(SLUG, Role.LEARNER)})))
    with pytest.raises(AccessDeniedError):
        credentials.issue_credential(runtime, actor=learner, credential=CREDENTIAL)
    assert [action for action, _, _ in learner.refusals] == [Action.CREDENTIAL_ISSUE.value]


def test_publishing_a_list_needs_the_status_role(runtime: Runtime) -> None:
    with pytest.raises(AccessDeniedError):
        credentials.publish_status_list(
            runtime, actor=ActingAs(Principal(subject="user:9", user_id=9, email=None,
                                              memberships=frozenset())),
            organisation=SLUG, number=1, purpose="revocation")


def test_the_achievement_of_an_unpublished_version_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFoundError, match="not published"):
        credentials.achievement_document(runtime, programme_id=1, version=1)


def test_issuing_writes_one_audit_entry_in_its_transaction(runtime: Runtime) -> None:
    """The credential and its ``credential.issued`` entry (who, which organisation, how
    secured) are stored together; the log stays intact."""
    issued = credentials.issue_credential(runtime, actor=ISSUER, credential=CREDENTIAL,
                                          securing="eddsa-jcs-2022")
    with runtime.transaction() as session:
        entries = audit.entries(session, limit=10)
    assert [(e.actor, e.action, e.subject, dict(e.details)) for e in entries] == [
        ("user:3", "credential.issued", issued.credential_id,
         {"organisation": SLUG, "securing": "eddsa-jcs-2022"})]
    with runtime.sessions() as session:
        assert audit.verify(session, runtime.key()).ok


def test_a_refused_issuance_stores_nothing_and_writes_no_entry(runtime: Runtime) -> None:
    """Someone who may not issue for the organisation is refused before anything is
    signed."""
    learner = ActingAs(Principal(subject="user:9", user_id=9, email="l@example.jp",
                                 memberships=frozenset({Membership(SLUG, Role.LEARNER)})))
    with pytest.raises(AccessDeniedError):
        credentials.issue_credential(runtime, actor=learner, credential=CREDENTIAL)
    with runtime.transaction() as session:
        assert audit.entries(session, limit=10) == []
    assert credentials.list_credentials(runtime, actor=ActingAs(OPERATOR)) == []


def test_a_credentials_record_is_read_by_its_organisation_not_by_others(runtime: Runtime
                                                                        ) -> None:
    """``stored_credential`` and ``list_credentials`` apply ``credentials:read``."""
    issued = credentials.issue_credential(runtime, actor=ISSUER, credential=CREDENTIAL)
    stored = credentials.stored_credential(runtime, actor=ISSUER,
                                           credential_id=issued.credential_id)
    assert (stored.organisation, stored.state) == (SLUG, "active")
    assert [item.credential_id for item in credentials.list_credentials(
        runtime, actor=ISSUER, organisation=SLUG)] == [issued.credential_id]
    stranger = ActingAs(Principal(subject="user:8", user_id=8, email="x@other.example",
                                  memberships=frozenset({Membership("other", Role.ISSUER)})))
    with pytest.raises(AccessDeniedError):
        credentials.stored_credential(runtime, actor=stranger,
                                      credential_id=issued.credential_id)
    with pytest.raises(AccessDeniedError):
        credentials.list_credentials(runtime, actor=stranger, organisation=SLUG)
    with pytest.raises(AccessDeniedError):
        credentials.list_credentials(runtime, actor=ISSUER)
