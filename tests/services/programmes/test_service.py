"""Programmes as the API serves them: drafts only for those who may write them, every change
audited once, and what is published indexed when the transaction commits."""

from __future__ import annotations

import pytest

from credstack.core.access import Membership, Principal, Role
from credstack.core.descriptors import Programme, parse_programme
from credstack.core.programmes import Change, Status
from credstack.entrypoints.bootstrap import build_runtime, engine_of
from credstack.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    ConflictError,
    NotFoundError,
)
from credstack.services.programmes import service as programmes
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.helpers import programme
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]

HOKUTO_ADMIN = ActingAs(Principal(subject="user:7", user_id=7, email="admin@hokuto.example",
                                  memberships=frozenset({Membership("hokuto-tech",
                                                                    Role.PROVIDER_ADMIN)})))
SAIKAI_ADMIN = ActingAs(Principal(subject="user:8", user_id=8, email="admin@saikai.example",
                                  memberships=frozenset({Membership("saikai-u",
                                                                    Role.PROVIDER_ADMIN)})))
ANONYMOUS = ActingAs(None)


def _descriptors(**changes: object) -> Programme:
    return parse_programme(programme(**changes))


def _logged(runtime: Runtime) -> list[tuple[str, str, str, dict[str, object]]]:
    return [(e.actor, e.action, e.subject, dict(e.details)) for e in entries(runtime)]


def _details(version: int, change: Change, status: Status) -> dict[str, object]:
    return {"organisation": "hokuto-tech", "code": "DS-101", "version": version,
            "change": change.value, "status": status.value}


def _draft(runtime: Runtime) -> int:
    return programmes.create_programme(runtime, actor=HOKUTO_ADMIN, programme=_descriptors(),
                                       publish=False).id


# --- writing -------------------------------------------------------------------------------


def test_creating_a_programme_is_audited_once(runtime: Runtime) -> None:
    """programme.created, by the provider admin, naming the programme and its version."""
    stored = programmes.create_programme(runtime, actor=HOKUTO_ADMIN,
                                         programme=_descriptors(), publish=True)
    assert (stored.latest.version, stored.latest.status) == (1, Status.PUBLISHED)
    assert _logged(runtime) == [("user:7", "programme.created", f"programme:{stored.id}",
                                 _details(1, Change.CREATED, Status.PUBLISHED))]


def test_each_update_is_audited_as_what_it_did(runtime: Runtime) -> None:
    """A replaced draft and a new version are updates, publishing a draft as it is a
    publication, and storing the same descriptors again writes nothing."""
    programme_id = _draft(runtime)
    changed = _descriptors(prerequisites={"ja": "なし", "en": "None"})
    steps = [(changed, False), (changed, True), (changed, True), (_descriptors(), False)]
    changes = [programmes.update_programme(runtime, actor=HOKUTO_ADMIN,
                                           programme_id=programme_id, programme=document,
                                           publish=publish)[1]
               for document, publish in steps]
    assert changes == [Change.DRAFT_REPLACED, Change.PUBLISHED, Change.UNCHANGED,
                       Change.NEW_VERSION]
    assert [(action, details) for _, action, _, details in _logged(runtime)] == [
        ("programme.created", _details(1, Change.CREATED, Status.DRAFT)),
        ("programme.updated", _details(1, Change.DRAFT_REPLACED, Status.DRAFT)),
        ("programme.published", _details(1, Change.PUBLISHED, Status.PUBLISHED)),
        ("programme.updated", _details(2, Change.NEW_VERSION, Status.DRAFT))]


def test_publishing_a_version_is_audited_once(runtime: Runtime) -> None:
    """programme.published; publishing it again is a conflict that writes nothing."""
    programme_id = _draft(runtime)
    stored = programmes.publish_version(runtime, actor=HOKUTO_ADMIN,
                                        programme_id=programme_id, version=1)
    assert stored.latest.status is Status.PUBLISHED
    with pytest.raises(ConflictError):
        programmes.publish_version(runtime, actor=HOKUTO_ADMIN, programme_id=programme_id,
                                   version=1)
    assert [action for _, action, _, _ in _logged(runtime)] == ["programme.created",
                                                                "programme.published"]
    assert _logged(runtime)[-1][3] == _details(1, Change.PUBLISHED, Status.PUBLISHED)


def test_only_the_awarding_organisation_writes_its_programmes(runtime: Runtime) -> None:
    """Another organisation's admin is refused creating, updating and publishing; nobody
    signed in is asked to sign in; the refusals are the actor's, nothing is stored or
    audited for them."""
    saikai, anonymous = ActingAs(SAIKAI_ADMIN.principal), ActingAs(None)
    with pytest.raises(AccessDeniedError):
        programmes.create_programme(runtime, actor=saikai, programme=_descriptors(),
                                    publish=True)
    programme_id = _draft(runtime)
    with pytest.raises(AccessDeniedError):
        programmes.update_programme(runtime, actor=saikai, programme_id=programme_id,
                                    programme=_descriptors(), publish=True)
    with pytest.raises(AuthenticationRequiredError):
        programmes.publish_version(runtime, actor=anonymous, programme_id=programme_id,
                                   version=1)
    assert [action for _, action, _, _ in _logged(runtime)] == ["programme.created"]
    assert [(action, organisation) for action, organisation, _ in saikai.refusals] == [
        ("programmes:write", "hokuto-tech"), ("programmes:write", "hokuto-tech")]
    assert [action for action, _, _ in anonymous.refusals] == ["sign-in"]


def test_a_programme_cannot_move_to_another_organisation(runtime: Runtime) -> None:
    """Descriptors naming another awarding body are refused, even for a registry admin."""
    programme_id = _draft(runtime)
    moved = _descriptors(awarding_body={"id": "saikai-u", "name": {"ja": "西海大学"}})
    with pytest.raises(ConflictError):
        programmes.update_programme(runtime, actor=OPERATOR, programme_id=programme_id,
                                    programme=moved, publish=True)
    assert len(entries(runtime)) == 1


# --- reading -------------------------------------------------------------------------------


def test_drafts_are_seen_only_by_those_who_may_write_them(runtime: Runtime) -> None:
    """The writer reads the draft; everyone else reads the published version, or nothing."""
    programme_id = programmes.create_programme(runtime, actor=HOKUTO_ADMIN,
                                               programme=_descriptors(), publish=True).id
    programmes.update_programme(runtime, actor=HOKUTO_ADMIN, programme_id=programme_id,
                                programme=_descriptors(prerequisites={"ja": "なし"}),
                                publish=False)
    for actor, newest in ((HOKUTO_ADMIN, 2), (OPERATOR, 2), (SAIKAI_ADMIN, 1), (ANONYMOUS, 1)):
        read = programmes.get_programme(runtime, actor=actor, programme_id=programme_id)
        versions = programmes.list_versions(runtime, actor=actor, programme_id=programme_id)
        assert read.latest.version == newest
        assert [v.version for v in versions] == list(range(1, newest + 1))
    assert programmes.get_version(runtime, actor=HOKUTO_ADMIN, programme_id=programme_id,
                                  version=2).status is Status.DRAFT
    with pytest.raises(NotFoundError):
        programmes.get_version(runtime, actor=ANONYMOUS, programme_id=programme_id, version=2)


def test_a_programme_never_published_does_not_exist_for_visitors(runtime: Runtime) -> None:
    programme_id = _draft(runtime)
    for read in (programmes.get_programme, programmes.list_versions):
        with pytest.raises(NotFoundError):
            read(runtime, actor=ANONYMOUS, programme_id=programme_id)


def test_the_list_shows_drafts_to_their_writers_only(runtime: Runtime) -> None:
    """Asked for drafts, a visitor gets none; the writer gets theirs."""
    _draft(runtime)
    mine = programmes.list_programmes(runtime, actor=HOKUTO_ADMIN, organisation="hokuto-tech",
                                      status=Status.DRAFT)
    assert (mine.total, [p.code for p in mine.items]) == (1, ["DS-101"])
    for actor in (ANONYMOUS, SAIKAI_ADMIN):
        for status in (Status.DRAFT, None):
            page = programmes.list_programmes(runtime, actor=actor, status=status)
            assert (page.items, page.total, page.next_after) == ([], 0, None)


def test_what_is_published_is_indexed_when_the_transaction_commits(runtime: Runtime) -> None:
    """A runtime with a search index counts a published programme at once, a draft never."""
    indexed = build_runtime(runtime.settings, clock=runtime.clock, with_registry=True,
                            engine=engine_of(runtime))
    assert indexed.registry is not None
    indexed.registry.refresh()
    draft = programmes.create_programme(indexed, actor=OPERATOR, programme=_descriptors(),
                                        publish=False)
    assert len(indexed.registry.index) == 0
    programmes.publish_version(indexed, actor=OPERATOR, programme_id=draft.id, version=1)
    assert len(indexed.registry.index) == 1
