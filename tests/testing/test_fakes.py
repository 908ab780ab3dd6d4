"""The in-memory fakes stand in for the core's seams: the real verifier and a real service
run against them and decide as they do against the real adapters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.access.policy import PLATFORM, Action, Membership, Principal, Role
from credstack.core.crypto.canonicalization import rdfc_canonicalize
from credstack.core.verification import VerificationReport, verify_credential
from credstack.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    UnknownContextError,
    VerificationMethodUnavailableError,
)
from credstack.testing import (
    ActingAs,
    MemoryContexts,
    MemoryDocuments,
    MemoryMethods,
    MemoryProgrammes,
    MemoryRecognitions,
    MemorySchemas,
    MemoryStatusLists,
)
from credstack.words import words
from tests.signed_credentials import VALID_FROM, sign, status_list, unsigned

NOW = VALID_FROM + dt.timedelta(days=30)
LIST_URL = "https://credstack.example/status/1"


def _verify(credential: dict[str, Any], *, status_lists: MemoryStatusLists,
            programmes: MemoryProgrammes | None = None) -> VerificationReport:
    return verify_credential(credential, document_loader=shared_document_loader(),
                             resolve_verification_method=MemoryMethods(),
                             fetch_status_list=status_lists, now=NOW,
                             programme_lookup=programmes or MemoryProgrammes(), words=words)


def test_a_status_list_held_in_memory_decides_revocation() -> None:
    """The verifier asks the fake for the list the credential names, and a set bit revokes."""
    credential = sign(unsigned(status=(("revocation", 7, LIST_URL),)))
    clean = MemoryStatusLists({LIST_URL: status_list(LIST_URL, purpose="revocation")})
    revoked = MemoryStatusLists({LIST_URL: status_list(LIST_URL, purpose="revocation",
                                                       set_index=7)})

    assert _verify(credential, status_lists=clean).ok
    assert clean.requests == [LIST_URL]
    report = _verify(credential, status_lists=revoked)
    assert not report.ok
    assert report.check("status").ok is False


def test_a_list_the_fake_does_not_hold_is_not_found() -> None:
    credential = sign(unsigned(status=(("revocation", 7, LIST_URL),)))
    empty = MemoryStatusLists()
    report = _verify(credential, status_lists=empty)
    assert empty.requests == [LIST_URL]
    # A list that is not there leaves the status undecided (could not be checked), not failed.
    status = report.check("status")
    assert status.ok is None and status.missing is not None


def test_lookups_answer_none_for_what_they_do_not_hold() -> None:
    documents = MemoryDocuments({"https://a.example/badge": b"{}"})
    assert documents("https://a.example/badge") == b"{}"
    assert documents("https://a.example/other") is None
    assert documents.requests == ["https://a.example/badge", "https://a.example/other"]
    assert MemorySchemas()("https://schema.example/s.json") is None
    recognitions = MemoryRecognitions({"urn:a": [{"number": "R-1"}]})
    assert recognitions("urn:a") == [{"number": "R-1"}]
    assert recognitions("urn:b") is None


def test_an_unknown_method_is_refused_as_the_real_resolvers_refuse_it() -> None:
    methods = MemoryMethods()
    with pytest.raises(VerificationMethodUnavailableError, match=re.escape("did:web:a.example#k")):
        methods("did:web:a.example#k")
    assert methods.requests == ["did:web:a.example#k"]


def test_the_context_fake_never_fetches_an_unknown_context() -> None:
    """Canonicalizing with a context the fake does not hold fails with the loader's error."""
    document = {"@context": {"name": "https://schema.org/name"}, "name": "x"}
    remote = {"@context": "https://contexts.example/v1", "name": "x"}
    contexts = MemoryContexts({"https://contexts.example/v1": {
        "@context": {"name": "https://schema.org/name"}}})

    assert rdfc_canonicalize(remote, document_loader=contexts) \
        == rdfc_canonicalize(document, document_loader=contexts)
    assert contexts.requests == ["https://contexts.example/v1"]
    with pytest.raises(UnknownContextError, match=re.escape("https://elsewhere.example/v1")):
        rdfc_canonicalize({"@context": "https://elsewhere.example/v1", "name": "x"},
                          document_loader=contexts)


ADMIN = Principal(subject="user:1", user_id=1, email="admin@credstack.example",
                  memberships=frozenset({Membership(PLATFORM, Role.REGISTRY_ADMIN)}))
LEARNER = Principal(subject="user:2", user_id=2, email="hanako@example.jp",
                    memberships=frozenset())


def test_an_anonymous_actor_is_asked_to_sign_in_and_the_refusal_is_kept() -> None:
    actor = ActingAs(None)
    assert not actor.allows(Action.CREDENTIAL_STATUS, "org")
    with pytest.raises(AuthenticationRequiredError):
        actor.require(Action.CREDENTIAL_STATUS, "org")
    with pytest.raises(AuthenticationRequiredError):
        actor.user()
    assert [(action, organisation) for action, organisation, _ in actor.refusals] \
        == [(Action.CREDENTIAL_STATUS.value, "org"), ("sign-in", None)]


def test_an_actor_decides_with_the_platform_policy() -> None:
    """A registry admin may change a credential's status; a learner with no role may not."""
    assert ActingAs(ADMIN).require(Action.CREDENTIAL_STATUS, "org") == ADMIN
    learner = ActingAs(LEARNER)
    assert learner.user() == LEARNER
    with pytest.raises(AccessDeniedError):
        learner.require(Action.CREDENTIAL_STATUS, "org")
    assert len(learner.refusals) == 1

