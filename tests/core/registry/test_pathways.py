"""Which requirements of a published target take a registry programme, decided from the
target's data alone."""

from __future__ import annotations

from credstack.core.creditbank import load_target
from credstack.core.registry.pathways import (
    Match,
    NamedProgramme,
    StackingIndex,
    named_programme,
    stacking,
)

BASE = "https://registry.example.jp"
TARGET = load_target(f"""\
id: x/bachelor
title: {{ja: 学士, en: Bachelor}}
kind: degree
system: jp-tani
jurisdiction: jp
award: bachelor
general_credit: true
requirements:
  - {{id: core, programmes: [{BASE}/programmes/31, {BASE}/achievements/32/v2]}}
  - {{id: pick, choose: 1, programmes: [{BASE}/programmes/310, "urn:example:31"]}}
  - {{id: green, credits: {{min: 4}}, field: green}}
  - {{id: any, credits: {{min: 2}}}}
""")


def test_registry_references_are_a_page_or_one_versions_achievement() -> None:
    assert named_programme(f"{BASE}/programmes/31", BASE + "/") == NamedProgramme(
        f"{BASE}/programmes/31", 31)
    assert named_programme(f"{BASE}/achievements/32/v2", BASE) == NamedProgramme(
        f"{BASE}/achievements/32/v2", 32, 2)
    for elsewhere in ("urn:example:31", f"{BASE}/programmes/31/x",
                      "https://other.example/programmes/31", f"{BASE}/programmes/"):
        assert named_programme(elsewhere, BASE) is None


def test_a_named_programme_counts_for_the_requirements_naming_it_only() -> None:
    """Programme 31 is named by ``core``; 310 and a foreign ``urn:example:31`` are not it."""
    found = stacking(TARGET, BASE, programme_id=31, fields=())
    assert [(s.requirement.id, s.match, s.version) for s in found] == [
        ("core", Match.NAMED, None)]
    [(s)] = stacking(TARGET, BASE, programme_id=32, fields=())
    assert (s.requirement.id, s.version) == ("core", 2)


def test_a_field_requirement_may_take_a_programme_of_that_field() -> None:
    """Credits in a field take a programme classified in it; credits in no field and
    general credit say nothing about one programme in particular."""
    found = stacking(TARGET, BASE, programme_id=7, fields=("digital", "green"))
    assert [(s.requirement.id, s.match) for s in found] == [("green", Match.FIELD)]
    assert stacking(TARGET, BASE, programme_id=7, fields=("digital",)) == ()


def test_the_index_answers_as_stacking_does() -> None:
    """The index worked out once per target gives what :func:`stacking` gives, in the
    target's order, for every programme and field."""
    index = StackingIndex.of(TARGET, BASE)
    for programme_id in (7, 31, 32, 310):
        for fields in ((), ("green",), ("digital", "green", "green")):
            assert index.stacking(programme_id=programme_id, fields=fields) == stacking(
                TARGET, BASE, programme_id=programme_id, fields=fields)
