"""Verification from what the runtime keeps (``KeptSources``): the report a verification
with the store makes, or :class:`WouldWait` — never a verdict — for anything it would have
to read, fetch or check afresh."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.waiting import WouldWait
from credstack.core.access.policy import Membership, Principal, Role
from credstack.core.descriptors import parse_programme
from credstack.core.status.changes import StatusChange
from credstack.services import public_verification as public
from credstack.services.issuance import credentials, status
from credstack.services.programmes import service as programme_service
from credstack.services.runtime import Runtime
from credstack.services.verification import service as verifier
from credstack.services.verification.caches import CachedSources, KeptSources
from credstack.testing import ActingAs
from tests.accounts import programme
from tests.services.issuance.test_credentials import CREDENTIAL, ISSUER, SLUG, issuing_runtime


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    with issuing_runtime(tmp_path, publish=False) as runtime:
        yield runtime


@pytest.fixture(params=["eddsa-jcs-2022", "eddsa-rdfc-2022"])
def signed(runtime: Runtime, request: pytest.FixtureRequest) -> dict[str, Any]:
    return credentials.issue_credential(
        runtime, actor=ISSUER, credential=CREDENTIAL, securing=request.param,
        status_option={"type": "BitstringStatusListEntry"}).to_json()


def _verify(runtime: Runtime, document: dict[str, Any], sources: CachedSources
            ) -> dict[str, Any]:
    report = verifier.verify(document, checks=public.checks_for(None), now=runtime.now(),
                             sources=sources).to_dict()
    return {**report, "checks": [
        {**check, "details": {name: value for name, value in (check["details"] or {}).items()
                              if name != "now"}} for check in report["checks"]]}


def _verified_twice(runtime: Runtime, document: dict[str, Any]) -> dict[str, Any]:
    """Verified with the store (the first signs the status list and records it: a write,
    after which every generation is read again)."""
    _verify(runtime, document, CachedSources(runtime))
    return _verify(runtime, document, CachedSources(runtime))


def test_nothing_kept_yet_would_block(runtime: Runtime, signed: dict[str, Any]) -> None:
    with pytest.raises(WouldWait):
        _verify(runtime, signed, KeptSources(runtime))


def test_once_verified_the_kept_answer_is_the_one_the_store_gives(
        runtime: Runtime, signed: dict[str, Any]) -> None:
    first = _verified_twice(runtime, signed)
    assert first["verified"] is True
    assert _verify(runtime, signed, KeptSources(runtime)) == first


def test_a_revocation_through_this_process_is_never_answered_from_before_it(
        runtime: Runtime, signed: dict[str, Any]) -> None:
    _verified_twice(runtime, signed)
    status.change_status(runtime, actor=ISSUER, credential_id=signed["id"],
                         changes=[StatusChange.REVOKE])
    with pytest.raises(WouldWait):
        _verify(runtime, signed, KeptSources(runtime))
    after = _verified_twice(runtime, signed)
    assert after["verified"] is False
    assert _verify(runtime, signed, KeptSources(runtime)) == after


def test_a_changed_credential_is_checked_afresh_not_refused(
        runtime: Runtime, signed: dict[str, Any]) -> None:
    """A proof not remembered (here: a forgery) is checked in a thread, where it fails."""
    _verified_twice(runtime, signed)
    forged = copy.deepcopy(signed)
    forged["credentialSubject"]["name"] = "Taro"
    with pytest.raises(WouldWait):
        _verify(runtime, forged, KeptSources(runtime))
    assert _verify(runtime, forged, CachedSources(runtime))["verified"] is False


def test_another_issuers_did_web_is_not_fetched(runtime: Runtime,
                                                signed: dict[str, Any]) -> None:
    _verify(runtime, signed, CachedSources(runtime))
    with pytest.raises(WouldWait):
        KeptSources(runtime).resolve_verification_method("did:web:issuer.example#key-1")
    with pytest.raises(WouldWait):
        KeptSources(runtime).fetch_status_list("https://issuer.example/status/1")


@pytest.fixture
def published(tmp_path: Path) -> Iterator[Runtime]:
    with issuing_runtime(tmp_path, publish=True) as runtime:
        yield runtime


def _of_programme(runtime: Runtime) -> dict[str, Any]:
    """A credential of the published programme's first version (one of our achievements)."""
    achievement = f"{runtime.settings.public_url}/achievements/1/v1"
    return credentials.issue_credential(runtime, actor=ISSUER, credential={
        **CREDENTIAL, "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "@context": [*CREDENTIAL["@context"],
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                              "achievement": {"id": achievement, "type": ["Achievement"],
                                              "name": "Data literacy",
                                              "criteria": {"narrative": "Passed."},
                                              "description": "A programme."}}},
        status_option={"type": "BitstringStatusListEntry"}).to_json()


def test_our_achievements_record_is_kept_until_the_registry_changes(published: Runtime) -> None:
    """A credential naming one of our programme versions is verified from what is kept — its
    registry record and recognitions too, no store read — and a new version of the programme
    (its record now says it is not the newest) is read again, never answered from before."""
    signed = _of_programme(published)
    first = _verified_twice(published, signed)
    assert first["meaning"]["registry"]["is_latest"] is True
    assert _verify(published, signed, KeptSources(published)) == first
    admin = ActingAs(Principal(subject="user:4", user_id=4, email="admin@hokuto.example",
                               memberships=frozenset({Membership(SLUG, Role.PROVIDER_ADMIN)})))
    programme_service.update_programme(published, actor=admin, programme_id=1, publish=False,
                                       programme=parse_programme(programme(
                                           description={"en": "Revised."})))
    with pytest.raises(WouldWait):
        _verify(published, signed, KeptSources(published))
    after = _verified_twice(published, signed)
    assert after["meaning"]["registry"]["is_latest"] is False
    assert after["meaning"]["registry"]["latest_version"] == 2
    assert _verify(published, signed, KeptSources(published)) == after
