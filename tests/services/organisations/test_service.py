"""Organisations: created by a registry admin, updated by their own provider admin, each
change audited once (an update that changes nothing writes nothing)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow
from credstack.core.access import Membership, Principal, Role
from credstack.core.organisations import Organisation, OrganisationKind
from credstack.errors import AccessDeniedError, ConflictError, NotFoundError
from credstack.services.organisations import service as organisations
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.helpers import organisation
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]

#: hokuto-tech's provider admin (the store fixture holds hokuto-tech and saikai-u).
HOKUTO_ADMIN = ActingAs(Principal(subject="user:7", user_id=7, email="admin@hokuto.example",
                                  memberships=frozenset({Membership("hokuto-tech",
                                                                    Role.PROVIDER_ADMIN)})))


def _profile(**changes: object) -> Organisation:
    return Organisation.model_validate(organisation(**changes))


def _logged(runtime: Runtime) -> list[tuple[str, str, str, dict[str, object]]]:
    return [(e.actor, e.action, e.subject, dict(e.details)) for e in entries(runtime)]


def test_creating_an_organisation_is_audited_with_its_profile(runtime: Runtime) -> None:
    """organisation.created names the organisation and says what it was created as."""
    created = organisations.create_organisation(
        runtime, actor=OPERATOR, organisation=_profile(slug="mcrc-japan",
                                                       kind="recognition-body"))
    assert (created.slug, created.programme_count) == ("mcrc-japan", 0)
    assert _logged(runtime) == [
        ("cli:tester", "organisation.created", "organisation:mcrc-japan",
         _profile(slug="mcrc-japan", kind="recognition-body").to_document())]


def test_only_a_registry_admin_creates_an_organisation(runtime: Runtime) -> None:
    """A provider admin is refused before anything is stored or audited."""
    with pytest.raises(AccessDeniedError):
        organisations.create_organisation(runtime, actor=HOKUTO_ADMIN,
                                          organisation=_profile(slug="new-one"))
    with pytest.raises(NotFoundError):
        organisations.get_organisation(runtime, slug="new-one")
    assert entries(runtime) == []


def test_a_taken_slug_is_a_conflict_and_writes_nothing(runtime: Runtime) -> None:
    with pytest.raises(ConflictError):
        organisations.create_organisation(runtime, actor=OPERATOR, organisation=_profile())
    assert entries(runtime) == []


def test_an_update_is_audited_with_the_fields_that_changed(runtime: Runtime) -> None:
    """organisation.updated by the organisation's own admin, with its new profile."""
    changed = _profile(url="https://hokuto.example.ac.jp/", country="JP",
                       name={"ja": "北都工科大学", "en": "Hokuto Tech"})
    stored = organisations.update_organisation(runtime, actor=HOKUTO_ADMIN,
                                               slug="hokuto-tech", organisation=changed)
    assert stored.organisation == changed
    assert organisations.get_organisation(runtime, slug="hokuto-tech").organisation == changed
    assert _logged(runtime) == [
        ("user:7", "organisation.updated", "organisation:hokuto-tech",
         {**changed.to_document(), "changed": ["name", "url"]})]


def test_an_update_that_changes_nothing_writes_nothing(runtime: Runtime) -> None:
    organisations.update_organisation(runtime, actor=HOKUTO_ADMIN, slug="hokuto-tech",
                                      organisation=_profile())
    assert entries(runtime) == []


def test_a_provider_admin_updates_only_their_organisation(runtime: Runtime) -> None:
    with pytest.raises(AccessDeniedError):
        organisations.update_organisation(runtime, actor=HOKUTO_ADMIN, slug="saikai-u",
                                          organisation=_profile(slug="saikai-u"))
    assert entries(runtime) == []


def test_the_slug_cannot_change(runtime: Runtime) -> None:
    with pytest.raises(ConflictError):
        organisations.update_organisation(runtime, actor=OPERATOR, slug="hokuto-tech",
                                          organisation=_profile(slug="hokuto-u"))
    assert entries(runtime) == []


def test_organisations_are_listed_by_slug_and_kind(runtime: Runtime) -> None:
    """Everyone reads the list; ``kind`` narrows it."""
    organisations.create_organisation(
        runtime, actor=OPERATOR, organisation=_profile(slug="mcrc-japan",
                                                       kind="recognition-body"))
    assert [o.slug for o in organisations.list_organisations(runtime)] == [
        "hokuto-tech", "mcrc-japan", "saikai-u"]
    bodies = organisations.list_organisations(runtime, kind=OrganisationKind.RECOGNITION_BODY)
    assert [o.slug for o in bodies] == ["mcrc-japan"]


@pytest.mark.parametrize("creating", [False, True])
def test_a_number_taken_at_the_same_moment_is_the_same_conflict(runtime: Runtime,
                                                                creating: bool) -> None:
    """Another operator saves the same corporate number between this save's check and its
    write (committed through another session just before this one flushes): the unique index
    refuses it, and the refusal is the 409 the check gives, naming the holder — not the
    database's error. Nothing of this save is kept or audited."""
    number = "7123456789012"

    def meanwhile(session: Session, *_: object) -> None:
        with runtime.sessions() as other, other.begin():
            other.execute(update(OrganisationRow).where(OrganisationRow.slug == "saikai-u")
                          .values(corporate_number=number))

    event.listen(runtime.sessions, "before_flush", meanwhile, once=True)
    try:
        with pytest.raises(ConflictError) as refused:
            if creating:
                organisations.create_organisation(runtime, actor=OPERATOR, organisation=_profile(
                    slug="mcrc-japan", corporate_number=number))
            else:
                organisations.set_corporate_number(runtime, actor=OPERATOR, slug="hokuto-tech",
                                                   number=number)
    finally:
        event.remove(runtime.sessions, "before_flush", meanwhile)
    assert "saikai-u" in refused.value.message and "法人番号" in refused.value.message
    assert [problem.location for problem in refused.value.problems] == ["corporate_number"]
    assert organisations.get_organisation(runtime, slug="saikai-u"
                                          ).organisation.corporate_number == number
    assert organisations.get_organisation(runtime, slug="hokuto-tech"
                                          ).organisation.corporate_number != number
    assert entries(runtime) == []
