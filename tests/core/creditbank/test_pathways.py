"""Pathway files: a target read from YAML or JSON, every fault placed by line, column and
JSON pointer."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from credstack.core.creditbank import RuleKind, TargetKind, load_jurisdictions, load_target
from credstack.entrypoints.web.i18n.codes import problem_said
from credstack.errors import PathwayError, Problem
from tests.words import words

HEAD = """\
id: u/bachelor
title: {ja: 学士, en: Bachelor}
kind: degree
system: jp-tani
jurisdiction: jp
award: bachelor
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(PathwayError) as caught:
        load_target(text, source="t.yaml")
    return [_both(problem) for problem in caught.value.problems]


def _both(problem: Problem) -> str:
    """A problem placed, in English and Japanese, as the pages of old said it."""
    return f"{problem_said(problem, 'en')} / {problem_said(problem, 'ja', placed=False)}"


def test_a_target_takes_its_total_and_routes_from_the_jurisdiction() -> None:
    """``award: bachelor`` in Japan is 124 単位; the adopted rule is Japan's shared cap."""
    target = load_target(HEAD + "rules: [jp.prior-learning]\n", source="t.yaml")
    assert target.kind is TargetKind.DEGREE
    assert target.total == Decimal(124)
    assert target.routes == ("other-university", "approved-learning", "before-admission")
    (rule,) = target.rules_of(RuleKind.CAP)
    assert rule.credits == Decimal(60) and "seed 001" in rule.source


def test_json_is_read_as_well() -> None:
    """The same target as JSON."""
    data = {"id": "u/mc", "title": {"ja": "MC", "en": "MC"}, "kind": "micro-credential",
            "system": "ects", "total": 5, "requirements": [{"id": "a", "programmes": ["x"]}]}
    target = load_target(json.dumps(data), source="t.json")
    assert target.total == Decimal(5) and target.requirements[0].programmes == ("x",)


def test_requirements_are_ordered_prerequisites_first() -> None:
    """``after`` puts a requirement behind the ones it names, else the written order stays."""
    target = load_target(HEAD + """requirements:
  - {id: b, credits: {min: 2}, after: [a]}
  - {id: a, programmes: [x]}
  - {id: c, credits: {min: 2}}
""", source="t.yaml")
    assert [r.id for r in target.requirements] == ["a", "b", "c"]


def test_a_cycle_of_prerequisites_is_named_with_its_line_and_column() -> None:
    """a → b → a is refused where the cycle closes."""
    problems = _problems(HEAD + """requirements:
  - id: a
    credits: {min: 2}
    after: [b]
  - id: b
    credits: {min: 2}
    after: [a]
""")
    assert problems == [
        "t.yaml:13:13 /requirements/1/after/0: prerequisites form a cycle: a → b → a / "
        "前提条件が循環しています：a → b → a"]


def test_a_cap_above_the_total_is_refused() -> None:
    """A cap of 130 単位 on a 124-credit degree is a mistake, not a rule."""
    problems = _problems(HEAD + """caps:
  - {id: own, kind: cap, routes: [approved-learning], credits: 130, source: regulation 4}
""")
    assert len(problems) == 1
    assert problems[0].startswith("t.yaml:8:5 /caps/0: the cap 'own' (130) is above the total")


def test_a_minimum_that_a_cap_on_the_same_routes_forbids_is_refused() -> None:
    """At least 20 credits from approved learning cannot hold under a cap of 10 on it."""
    problems = _problems(HEAD + """caps:
  - {id: own, kind: cap, routes: [approved-learning], credits: 10, source: regulation 4}
requirements:
  - {id: work, credits: {min: 20}, routes: [approved-learning]}
""")
    assert problems == [
        "t.yaml:10:31 /requirements/0/credits/min: the minimum 'work' (20 from "
        "approved-learning) and the cap 'own' (at most 10) cannot both hold / "
        "下限 'work'（approved-learning から 20）と上限 'own'（10）は両立しません"]


def test_requirements_needing_more_than_the_total_are_refused() -> None:
    """Two requirements of 70 credits each do not fit in 124."""
    problems = _problems(HEAD + """requirements:
  - {id: a, credits: {min: 70}}
  - {id: b, credits: {min: 70}}
""")
    assert problems[0].startswith("t.yaml:8:3 /requirements: the requirements need 140")


@pytest.mark.parametrize(("extra", "expected"), [
    ("rules: [jp.nothing]\n", "t.yaml:7:9 /rules/0: unknown rule 'jp.nothing'"),
    ("routes: [moon]\n", "t.yaml:7:10 /routes/0: unknown route 'moon'"),
    ("requirements:\n  - {id: a, credits: {min: 2}, after: [zz]}\n",
     "t.yaml:8:40 /requirements/0/after/0: unknown requirement 'zz'"),
    ("requirements:\n  - {id: a, credits: {min: 2}, routes: [moon]}\n",
     "t.yaml:8:41 /requirements/0/routes/0: unknown route 'moon'"),
    ("rounding: nearest\n", "t.yaml:7:11 /rounding: unknown rounding rule 'nearest'"),
    ("colour: blue\n", "t.yaml:7:9 /colour: unknown key 'colour'"),
    ("requirements:\n  - {id: a, choose: 3, programmes: [x, y]}\n",
     "t.yaml:8:21 /requirements/0/choose: choose must be from 1 to the 2 programmes"),
    ("requirements:\n  - {id: a, credits: {min: 5, max: 2}}\n",
     "t.yaml:8:22 /requirements/0/credits: max 2 is below min 5"),
])
def test_unknown_references_are_placed_by_line_column_and_pointer(
        extra: str, expected: str) -> None:
    """Each reference to something that does not exist names where it stands."""
    problems = _problems(HEAD + extra)
    assert len(problems) == 1 and problems[0].startswith(expected)


def test_an_unknown_credit_system_and_jurisdiction_are_both_reported() -> None:
    """Every problem of a file comes at once."""
    problems = _problems(HEAD.replace("jp-tani", "cats").replace("jurisdiction: jp",
                                                                 "jurisdiction: xx"))
    assert [p.split(":")[1:3] for p in problems][:2] == [
        ["4", "9 /system"], ["5", "15 /jurisdiction"]]


def test_korea_bachelor_adopts_the_accredited_minimum() -> None:
    """Korea's 18-credit minimum is a rule of its bachelor's degree (140 학점)."""
    text = HEAD.replace("jp-tani", "kr-hakjeom").replace("jurisdiction: jp",
                                                         "jurisdiction: kr")
    text = text.replace("award: bachelor", "award: bachelor\ntotal: 140")
    target = load_target(text + "rules: [kr.accredited-minimum]\n", source="t.yaml")
    assert target.total == Decimal(140)


def test_a_key_given_twice_is_refused_with_its_position() -> None:
    """YAML would keep the last value silently."""
    with pytest.raises(PathwayError) as caught:
        load_target("id: a\nid: b\n", source="t.yaml")
    assert re.search(r"t.yaml:2:1", words(caught.value))


def test_a_jurisdiction_rule_without_a_source_is_refused() -> None:
    """Every figure names its source."""
    with pytest.raises(PathwayError) as caught:
        load_jurisdictions("""xx:
  name: {ja: X, en: X}
  routes: {a: {ja: A, en: A, source: s}}
  rules:
    xx.cap: {kind: cap, routes: [a], share: 1.5}
""", source="j.yaml")
    assert [_both(p) for p in caught.value.problems] == [
        "j.yaml:5:45 /xx/rules/xx.cap/share: a share of 1.5 is more than the whole (1) / "
        "割合 1.5 が全体（1）を超えています",
        "j.yaml:5:13 /xx/rules/xx.cap/source: every figure names its source / "
        "すべての数値には出典（source）が必要です"]


def test_without_a_jurisdiction_or_routes_a_cap_may_name_any_route() -> None:
    """An open target's own caps are not checked against a list of routes it does not have."""
    target = load_target("""
id: u/mc
title: {ja: MC, en: MC}
kind: micro-credential
system: nz-credit
total: 40
caps:
  - {id: own.mooc, kind: cap, routes: [mooc], credits: 10, source: provider rule 2}
""", source="t.yaml")
    assert target.routes == () and target.rules[0].routes == ("mooc",)


def test_two_caps_on_the_same_routes_with_different_limits_are_refused() -> None:
    """Japan's 60 on the three routes and a second cap of 40 on the very same routes: which
    is the rule? (A cap on fewer routes, inside the shared one, is fine.)"""
    problems = _problems(HEAD + """rules: [jp.prior-learning]
caps:
  - {id: own.inner, kind: cap, routes: [approved-learning], credits: 20, source: reg 3}
  - {id: own.same, kind: cap, credits: 40, source: reg 4,
     routes: [before-admission, other-university, approved-learning]}
""")
    assert problems == [
        "t.yaml:10:5 /caps/1: the caps 'jp.prior-learning' and 'own.same' limit the same "
        "routes (before-admission, other-university, approved-learning) differently: only "
        "one can be the rule / 上限 'jp.prior-learning' と 'own.same' が同じ経路"
        "（before-admission, other-university, approved-learning）に異なる上限を定めています"]


def test_programmes_elsewhere_are_described_by_title_and_web_page() -> None:
    """A programme a requirement names, outside the registry, may be given a title and a web
    page; the target keeps them by reference and decides nothing differently."""
    target = load_target(HEAD + """requirements:
  - {id: pick, choose: 1, programmes: ["urn:mc:x", "urn:mc:y"]}
programmes_elsewhere:
  - id: "urn:mc:x"
    title: {ja: 統計学入門, en: Introduction to statistics}
    url: "https://other-univ.example/courses/stats"
""", source="t.yaml")
    described = target.described("urn:mc:x")
    assert described is not None
    assert (described.ja, described.en, described.url) == (
        "統計学入門", "Introduction to statistics", "https://other-univ.example/courses/stats")
    assert target.described("urn:mc:y") is None


def test_a_programme_elsewhere_no_requirement_names_or_without_a_web_address_is_refused(
        ) -> None:
    """Each fault placed: a reference no requirement names, a url that is no web address,
    an unknown key, a programme described twice."""
    problems = _problems(HEAD + """requirements:
  - {id: pick, programmes: ["urn:mc:x"]}
programmes_elsewhere:
  - {id: "urn:mc:z"}
  - {id: "urn:mc:x", url: "ftp://files.example/x"}
  - {id: "urn:mc:x", name: X}
""")
    assert problems[0].startswith("t.yaml:10:") and "/programmes_elsewhere/0/id" in problems[0]
    assert "no requirement names the programme 'urn:mc:z'" in problems[0]
    assert any("/programmes_elsewhere/1/url" in p and "https://" in p for p in problems)
    assert any("/programmes_elsewhere/2/name" in p and "unknown key" in p for p in problems)
    assert any("/programmes_elsewhere/2/id" in p and "described twice" in p for p in problems)
