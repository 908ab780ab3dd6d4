"""What changed in a target's rules between two versions: one change per difference, said in
Japanese and English; nothing when nothing changed."""

from __future__ import annotations

from credstack.core.creditbank import changes, load_target
from credstack.core.creditbank.changes import Change, Scope
from credstack.words import words

BEFORE = """\
id: u/data
title: {ja: データ履修証明, en: Data certificate}
kind: rishu-programme
system: jp-tani
jurisdiction: jp
total: 10
caps:
  - {id: own.mooc, kind: cap, routes: [approved-learning], credits: 4, source: "Reg. Art. 4"}
requirements:
  - {id: core, programmes: [urn:mc:a, urn:mc:b], title: {ja: 基礎, en: Core}}
  - {id: old, credits: {min: 2}, field: "0613"}
"""

AFTER = """\
id: u/data
title: {ja: データ履修証明, en: Data certificate}
kind: rishu-programme
system: jp-tani
jurisdiction: jp
total: 12
general_credit: true
caps:
  - {id: own.mooc, kind: cap, routes: [approved-learning], credits: 6, source: "Reg. Art. 4"}
requirements:
  - {id: core, programmes: [urn:mc:a, urn:mc:c], title: {ja: 基礎, en: Core}}
  - {id: project, credits: {min: 2, max: 4}, field: "0613", title: {ja: 演習, en: Project}}
"""


def _said(change: Change, language: str) -> str:
    return words(change.said, language)


def _changes(language: str) -> list[str]:
    before = load_target(BEFORE, source="before.yaml")
    after = load_target(AFTER, source="after.yaml")
    return [_said(change, language) for change in changes(before, after)]


def test_each_difference_is_one_change_said_in_english() -> None:
    """The total, general credit, the cap's credits, the programmes as added and removed,
    a requirement removed and one added — in that order."""
    assert _changes("en") == [
        "total credits: 10 → 12",
        "general credit: no → yes",
        "rule own.mooc, credits: 4 → 6",
        "requirement old removed",
        "requirement project (Project) added",
        "requirement core, programmes: added urn:mc:c; removed urn:mc:b",
    ]


def test_the_same_changes_are_said_in_japanese() -> None:
    assert _changes("ja") == [
        "総単位数：10 → 12",
        "一般単位の算入：なし → あり",
        "規則 own.mooc の単位数：4 → 6",
        "要件 old を削除",
        "要件 project（演習）を追加",
        "要件 core のプログラム：urn:mc:c を追加、urn:mc:b を削除",
    ]


def test_an_unchanged_target_has_no_changes() -> None:
    """Republishing the same rules, even written differently, changes nothing."""
    same = load_target(BEFORE, source="before.yaml")
    reordered = load_target(BEFORE.replace("kind: rishu-programme\n", "")
                            .replace("total: 10\n", "total: 10\nkind: rishu-programme\n"))
    assert changes(same, reordered) == ()


def test_a_jurisdictions_rule_adopted_or_dropped_is_named_with_its_wording() -> None:
    """Adopting Japan's prior-learning cap names it with the jurisdiction's words."""
    degree = "id: u/b\ntitle: {ja: 学士, en: Bachelor}\nkind: degree\nsystem: jp-tani\n" \
             "jurisdiction: jp\naward: bachelor\n"
    before = load_target(degree)
    after = load_target(degree + "rules: [jp.prior-learning]\n")
    [added] = changes(before, after)
    assert added.scope is Scope.RULE and added.aspect == "added"
    assert _said(added, "en").startswith("rule jp.prior-learning (at most 60 credits")
    [dropped] = changes(after, before)
    assert _said(dropped, "ja").startswith("規則 jp.prior-learning（")
    assert _said(dropped, "ja").endswith("を削除")


def test_programmes_elsewhere_described_added_or_described_otherwise_are_changes() -> None:
    """Describing a programme elsewhere is a change; so is describing it otherwise."""
    described = BEFORE + """programmes_elsewhere:
  - {id: "urn:mc:b", title: {ja: 統計, en: Statistics}}
"""
    moved = described.replace("en: Statistics}", "en: Statistics}, url: 'https://u.example/s'")
    before, first, second = (load_target(text) for text in (BEFORE, described, moved))
    assert [_said(c, "en") for c in changes(before, first)] == [
        "programmes elsewhere described: added urn:mc:b"]
    assert [_said(c, "en") for c in changes(first, second)] == [
        "programme elsewhere urn:mc:b, description: Statistics → "
        "Statistics <https://u.example/s>"]
    assert [_said(c, "ja") for c in changes(second, before)] == [
        "他機関のプログラムの説明：urn:mc:b を削除"]
