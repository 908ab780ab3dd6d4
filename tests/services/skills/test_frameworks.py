"""Importing competency frameworks on SQLite and PostgreSQL: all or nothing, idempotent,
given back exactly, audited."""

from __future__ import annotations

import json

import orjson
import pytest

from credstack.core.access import Membership, Principal, Role
from credstack.errors import AccessDeniedError, FrameworkError, NotFoundError
from credstack.services.audit import service as audit
from credstack.services.skills import frameworks
from credstack.services.skills.standards import import_standard
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.services.skills.skillstores import OPERATOR, THIRD_PARTY, skills_runtime


def _actions(runtime: object) -> list[str]:
    with runtime.sessions() as session:  # type: ignore[attr-defined]
        return [entry.action for entry in audit.entries(session, limit=100)]


def test_a_third_party_package_comes_back_with_zero_differences(settings: Settings) -> None:
    """Imported, then exported as CASE getCFPackage: the same JSON, every key in its order."""
    text = THIRD_PARTY.read_text(encoding="utf-8")
    with skills_runtime(settings) as runtime:
        done = frameworks.import_package(runtime, actor=OPERATOR, text=text,
                                         source=THIRD_PARTY.name)
        assert (done.state, done.items, done.associations) == ("created", 5, 6)
        exported = frameworks.package_json(runtime, identifier=done.identifier)
        assert exported == orjson.dumps(orjson.loads(text))
        assert _actions(runtime).count("skills.framework-imported") == 1


def test_importing_the_same_package_again_writes_nothing(settings: Settings) -> None:
    """Idempotent: unchanged, no second audit entry; a changed package replaces the items."""
    text = THIRD_PARTY.read_text(encoding="utf-8")
    with skills_runtime(settings) as runtime:
        frameworks.import_package(runtime, actor=OPERATOR, text=text)
        again = frameworks.import_package(runtime, actor=OPERATOR, text=text)
        assert again.state == "unchanged"
        data = json.loads(text)
        data["CFItems"] = data["CFItems"][:2]
        data["CFAssociations"] = data["CFAssociations"][:2]
        changed = frameworks.import_package(runtime, actor=OPERATOR, text=json.dumps(data))
        assert (changed.state, changed.items) == ("replaced", 2)
        assert _actions(runtime).count("skills.framework-imported") == 2


def test_a_bad_package_leaves_the_store_as_it_was(settings: Settings) -> None:
    """A fault anywhere: refused whole with its position; nothing stored or audited."""
    data = json.loads(THIRD_PARTY.read_text(encoding="utf-8"))
    data["CFItems"][3]["identifier"] = data["CFItems"][1]["identifier"]
    with skills_runtime(settings) as runtime:
        with pytest.raises(FrameworkError) as caught:
            frameworks.import_package(runtime, actor=OPERATOR, text=json.dumps(data, indent=1),
                                      source="bad.json")
        assert caught.value.problems[0].location.startswith("bad.json:")
        assert frameworks.frameworks(runtime) == []
        assert "skills.framework-imported" not in _actions(runtime)


def test_identifiers_another_framework_holds_are_refused(settings: Settings) -> None:
    """A second framework reusing an item identifier is refused, placed at the item."""
    data = json.loads(THIRD_PARTY.read_text(encoding="utf-8"))
    with skills_runtime(settings) as runtime:
        frameworks.import_package(runtime, actor=OPERATOR, text=json.dumps(data))
        data["CFDocument"]["identifier"] = "0b6f2c1a-8e4d-4f0a-9c2b-5d7e1a9f4c20"
        data["CFDocument"]["uri"] = "https://frameworks.example.org/uri/other"
        with pytest.raises(FrameworkError) as caught:
            frameworks.import_package(runtime, actor=OPERATOR, text=json.dumps(data))
        assert caught.value.problems[0].location == "/CFItems/0/identifier"
        assert len(frameworks.frameworks(runtime)) == 1


def test_an_unknown_framework_is_not_found(settings: Settings) -> None:
    """Asking for a framework that was never imported."""
    with skills_runtime(settings) as runtime, pytest.raises(NotFoundError):
        frameworks.package_json(runtime, identifier="nope")


def test_only_registry_admins_import(settings: Settings) -> None:
    """A provider administrator may not change the shared frameworks."""
    admin = ActingAs(Principal("user:1", 1, "a@example.jp",
                               frozenset({Membership("hokuto-tech", Role.PROVIDER_ADMIN)})))
    with skills_runtime(settings) as runtime, pytest.raises(AccessDeniedError):
        frameworks.import_package(runtime, actor=admin,
                                  text=THIRD_PARTY.read_text(encoding="utf-8"))


def test_the_digital_skill_standards_are_published_here_with_labels(settings: Settings) -> None:
    """The bundled DSS outline: items under the public URL, Japanese and English labels."""
    with skills_runtime(settings) as runtime:
        done = import_standard(runtime, actor=OPERATOR, name="dss")
        assert done.state == "created" and done.items == 49
        package = orjson.loads(frameworks.package_json(runtime, identifier=done.identifier))
        assert package["CFItems"][0]["uri"].startswith(runtime.settings.public_url)
        assert import_standard(runtime, actor=OPERATOR, name="dss").state == "unchanged"
