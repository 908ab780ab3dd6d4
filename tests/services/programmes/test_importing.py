"""Importing whole files: all or nothing, a registry admin's act, audited once per import
with its counts (a dry run, or an import that changes nothing, writes nothing)."""

from __future__ import annotations

import json

import pytest

from credstack.core.access import Membership, Principal, Role
from credstack.core.descriptors import Format
from credstack.core.programmes import Change
from credstack.errors import AccessDeniedError, DescriptorError
from credstack.services.organisations import service as organisations
from credstack.services.programmes import importing
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.helpers import organisation, programme
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]


def _file(*programmes: dict, organisations: tuple[dict, ...] = ()) -> str:
    return json.dumps({"organisations": list(organisations), "programmes": list(programmes)})


def _import(runtime: Runtime, data: str, *, dry_run: bool = False) -> importing.ImportReport:
    return importing.import_file(runtime, actor=OPERATOR, data=data, fmt=Format.JSON,
                                 dry_run=dry_run, source="file.json")


def test_an_import_is_audited_once_with_its_counts(runtime: Runtime) -> None:
    """programmes.imported, by the operator, whatever the number of programmes."""
    data = _file(programme(), programme(code="DS-201"),
                 organisations=(organisation(slug="kaiyo-u"),
                                organisation(url="https://hokuto.example.ac.jp/")))
    report = _import(runtime, data)
    assert report.count(Change.CREATED) == 2
    [entry] = entries(runtime)
    assert (entry.actor, entry.action, entry.subject) == ("cli:tester", "programmes.imported",
                                                          "programmes")
    assert dict(entry.details) == {
        "source": "file.json", "format": "json", "organisations_created": 1,
        "organisations_updated": 1,
        "programmes": {"created": 2, "new-version": 0, "draft-replaced": 0, "published": 0,
                       "unchanged": 0}}


def test_a_dry_run_and_an_unchanged_import_write_nothing(runtime: Runtime) -> None:
    data = _file(programme())
    assert _import(runtime, data, dry_run=True).count(Change.CREATED) == 1
    assert entries(runtime) == []
    assert organisations.get_organisation(runtime, slug="hokuto-tech").programme_count == 0
    _import(runtime, data)
    assert _import(runtime, data).count(Change.UNCHANGED) == 1
    assert len(entries(runtime)) == 1


def test_a_bad_record_imports_nothing_and_audits_nothing(runtime: Runtime) -> None:
    with pytest.raises(DescriptorError):
        _import(runtime, _file(programme(), programme()))
    assert entries(runtime) == []
    assert organisations.get_organisation(runtime, slug="hokuto-tech").programme_count == 0


def test_an_import_is_a_registry_admins_act(runtime: Runtime) -> None:
    """Even the provider admin of every organisation in the file is refused."""
    admin = ActingAs(Principal(subject="user:7", user_id=7, email="admin@hokuto.example",
                               memberships=frozenset({Membership("hokuto-tech",
                                                                 Role.PROVIDER_ADMIN)})))
    with pytest.raises(AccessDeniedError):
        importing.import_file(runtime, actor=admin, data=_file(programme()), fmt=Format.JSON)
    assert entries(runtime) == []
