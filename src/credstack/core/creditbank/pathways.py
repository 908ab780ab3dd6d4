"""A target credential and the rules by which other learning counts toward it, as data.

A :class:`Target` is a larger micro-credential, a 履修証明 programme or a degree programme:
its credit system and total, the rounding of conversions into that system, the routes by
which credit may arrive, its :class:`Requirement` s and its rules — the jurisdiction's caps,
minimums and expiries it adopts by id, and caps of its own. :func:`load_target` reads one
from YAML or JSON text and refuses it, with every problem placed by file, line, column and
JSON pointer (:class:`~credstack.errors.PathwayError`), when it names an unknown credit
system, jurisdiction, award, rule, route, rounding or requirement, when prerequisites form a
cycle, or when its caps and minimums contradict each other or the total.

A file::

    id: example-u/bachelor-informatics
    title: {ja: 情報学士課程, en: Bachelor of Informatics}
    kind: degree                 # micro-credential | rishu-programme | degree
    system: jp-tani
    jurisdiction: jp
    award: bachelor              # the total (124) comes from the award unless stated
    rules: [jp.prior-learning]   # the jurisdiction's rules this programme applies
    rounding: floor-whole
    general_credit: true         # deposits no requirement takes count toward the total
    caps:                        # caps of its own, each naming its source
      - {id: own.mooc, kind: cap, routes: [approved-learning], credits: 20,
         source: "Example University credit transfer regulation, Art. 4"}
    requirements:
      - {id: core, programmes: [urn:mc:a, urn:mc:b]}            # all of these
      - {id: pick, choose: 2, programmes: [urn:mc:c, urn:mc:d, urn:mc:e]}
      - id: data
        credits: {min: 8, max: 16}   # or hours: {min: 90}
        field: "0613"
        skill: data-analysis
        level: {framework: JEQF, min: 6}
        routes: [approved-learning]
        within_years: 5
        min_grade: 60
        after: [core]                # counted only after ``core`` is met
    programmes_elsewhere:        # programmes not in this registry, described for readers
      - {id: urn:mc:e, title: {ja: 統計学入門, en: Introduction to statistics},
         url: "https://other-univ.example/courses/stats"}

A programme elsewhere must be one a requirement names; its title and web page are what the
target's page and its CTDL say of it (they change nothing in a decision).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from credstack.core.creditbank.conversion import Rounding, credit_rates, roundings
from credstack.core.creditbank.jurisdictions import (
    Jurisdiction,
    Rule,
    RuleKind,
    jurisdictions,
    parse_rule,
    positive,
)
from credstack.core.creditbank.positions import Faults, pointer, read_tree

__all__ = ["Level", "ProgrammeElsewhere", "Requirement", "Target", "TargetKind", "load_target"]


class TargetKind(StrEnum):
    MICRO_CREDENTIAL = "micro-credential"
    RISHU_PROGRAMME = "rishu-programme"
    DEGREE = "degree"


@dataclass(frozen=True, slots=True)
class Level:
    framework: str
    minimum: int


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement: programmes (all of them, or ``choose`` of them) or credits or
    hours, among deposits passing every filter that is set."""

    id: str
    programmes: tuple[str, ...] = ()
    choose: int | None = None
    min_credits: Decimal | None = None
    #: The most this requirement takes; by default what it needs.
    max_credits: Decimal | None = None
    min_hours: Decimal | None = None
    field: str | None = None
    skill: str | None = None
    level: Level | None = None
    routes: tuple[str, ...] = ()
    within_years: int | None = None
    min_grade: Decimal | None = None
    #: Requirements that must be met first; deposits count here only if earned no earlier
    #: than the day those were met.
    after: tuple[str, ...] = ()
    ja: str = ""
    en: str = ""


@dataclass(frozen=True, slots=True)
class ProgrammeElsewhere:
    """A programme a requirement names that is not in this registry, as the target describes
    it: its title and the web page about it, when given."""

    reference: str
    ja: str = ""
    en: str = ""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A target and its rules (see the module docstring). ``requirements`` are in the order
    they are evaluated: every requirement after its prerequisites, else as written."""

    id: str
    ja: str
    en: str
    kind: TargetKind
    system: str
    total: Decimal
    rounding: Rounding
    jurisdiction: str | None
    award: str | None
    #: The routes by which credit may arrive (as stated, else all the jurisdiction's);
    #: empty: any.
    routes: tuple[str, ...]
    rules: tuple[Rule, ...]
    requirements: tuple[Requirement, ...]
    #: Whether deposits no requirement takes count toward the total as general credit.
    general_credit: bool = False
    #: The programmes elsewhere it describes, by their reference in its requirements.
    elsewhere: tuple[ProgrammeElsewhere, ...] = ()

    def described(self, reference: str) -> ProgrammeElsewhere | None:
        """How the target describes the programme ``reference`` names, if it does."""
        return next((p for p in self.elsewhere if p.reference == reference), None)

    def rules_of(self, kind: RuleKind) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.kind is kind)


_TOP = frozenset({"id", "title", "kind", "system", "jurisdiction", "award", "total", "rules",
                  "rounding", "routes", "caps", "requirements", "general_credit",
                  "programmes_elsewhere"})
_REQUIREMENT = frozenset({"id", "title", "programmes", "choose", "credits", "hours", "field",
                          "skill", "level", "routes", "within_years", "min_grade", "after"})


def load_target(text: str, *, source: str = "<target>",
                known: Mapping[str, Jurisdiction] | None = None) -> Target:
    """The target a YAML or JSON ``text`` describes, checked against the ``known``
    jurisdictions (the bundled ones by default); every problem is raised at once."""
    data, positions = read_tree(text, source)
    faults = Faults(positions)
    if not isinstance(data, dict):
        faults.add("", "a target is a mapping", "目標は対応表で書きます")
        faults.raise_if_any("the pathway", "経路ファイル")
    for key in sorted(set(data) - _TOP):
        faults.add(pointer(key), f"unknown key {key!r}", f"不明なキー {key!r} です")
    places = known if known is not None else jurisdictions()
    target = _target(data, faults, places)
    faults.raise_if_any("the pathway", "経路ファイル")
    assert target is not None
    return target


def _target(data: dict[str, Any], faults: Faults,
            places: Mapping[str, Jurisdiction]) -> Target | None:
    ident = _text(data, "id", faults)
    title = _mapping(data.get("title"))
    try:
        kind = TargetKind(str(data.get("kind")))
    except ValueError:
        faults.add("/kind", f"kind must be one of {', '.join(TargetKind)}",
                   f"kind は {', '.join(TargetKind)} のいずれかです")
        kind = TargetKind.DEGREE
    system = _text(data, "system", faults)
    if system and system not in credit_rates():
        faults.add("/system", f"unknown credit system {system!r}; known: "
                   f"{', '.join(sorted(credit_rates()))}", f"不明な単位制度 {system!r} です")
    rounding = roundings().get(str(data.get("rounding", "floor-whole")))
    if rounding is None:
        faults.add("/rounding", f"unknown rounding rule {data.get('rounding')!r}; known: "
                   f"{', '.join(sorted(roundings()))}",
                   f"不明な端数処理 {data.get('rounding')!r} です")
    place = _jurisdiction(data, faults, places)
    award = data.get("award")
    total = positive(data.get("total"), "/total", faults)
    if award is not None:
        known_award = place.awards.get(str(award)) if place is not None else None
        if known_award is None:
            faults.add("/award", f"unknown award {award!r}", f"不明な学位 {award!r} です")
        elif total is None and place is not None and place.system == system:
            total = known_award.credits
    if total is None:
        faults.add("/total", "state the total credits, or an award of the jurisdiction in the "
                   "target's credit system",
                   "総単位数（total）か、同じ単位制度の学位（award）が必要です")
    routes = tuple(str(route) for route in data.get("routes") or ())
    known_routes = tuple(place.routes) if place is not None else routes
    for index, route in enumerate(routes):
        if place is not None and route not in place.routes:
            faults.add(f"/routes/{index}", f"unknown route {route!r}",
                       f"不明な経路 {route!r} です")
    placed = _rules(data, faults, place, str(award) if award is not None else None,
                    (routes or known_routes) if place is not None or routes else None)
    rules = tuple(rule for rule, _ in placed.values())
    requirements = _requirements(data.get("requirements"), faults, routes or known_routes,
                                 bool(place is not None or routes))
    if total is not None:
        _contradictions(placed, requirements, total, faults)
    elsewhere = _elsewhere(data.get("programmes_elsewhere"), faults, requirements)
    if total is None or rounding is None or not ident or not system:
        return None
    return Target(ident, str(title.get("ja", ident)), str(title.get("en", ident)), kind,
                  system, total, rounding, place.key if place is not None else None,
                  str(award) if award is not None else None, routes or known_routes, rules,
                  requirements,
                  data.get("general_credit") is True, elsewhere)


_ELSEWHERE = frozenset({"id", "title", "url"})


def _elsewhere(value: Any, faults: Faults, requirements: tuple[Requirement, ...]
               ) -> tuple[ProgrammeElsewhere, ...]:
    """The programmes elsewhere described: each named by a requirement, once, its web page
    an http(s) address."""
    if value is None:
        return ()
    if not isinstance(value, list):
        faults.add("/programmes_elsewhere", "programmes_elsewhere is a list",
                   "programmes_elsewhere はリストで書きます")
        return ()
    named = {reference for r in requirements for reference in r.programmes}
    found: dict[str, ProgrammeElsewhere] = {}
    for index, item in enumerate(value):
        where = f"/programmes_elsewhere/{index}"
        if not isinstance(item, dict):
            faults.add(where, "a programme elsewhere is a mapping", "対応表で書きます")
            continue
        for key in sorted(set(item) - _ELSEWHERE):
            faults.add(f"{where}{pointer(key)}", f"unknown key {key!r}",
                       f"不明なキー {key!r} です")
        reference = _text(item, "id", faults, where)
        url = item.get("url")
        if url is not None and (not isinstance(url, str)
                                or not url.startswith(("https://", "http://"))):
            faults.add(f"{where}/url", "url is a web address (https://…)",
                       "url はウェブのアドレス（https://…）です")
            url = None
        if not reference:
            continue
        if reference not in named:
            faults.add(f"{where}/id", f"no requirement names the programme {reference!r}",
                       f"プログラム {reference!r} を挙げる要件がありません")
        elif reference in found:
            faults.add(f"{where}/id", f"the programme {reference!r} is described twice",
                       f"プログラム {reference!r} の説明が重複しています")
        else:
            title = _mapping(item.get("title"))
            found[reference] = ProgrammeElsewhere(reference, str(title.get("ja", "")),
                                                  str(title.get("en", "")), url)
    return tuple(found.values())


def _jurisdiction(data: dict[str, Any], faults: Faults,
                  places: Mapping[str, Jurisdiction]) -> Jurisdiction | None:
    key = data.get("jurisdiction")
    if key is None:
        return None
    place = places.get(str(key))
    if place is None:
        faults.add("/jurisdiction", f"unknown jurisdiction {key!r}; known: "
                   f"{', '.join(sorted(places))}", f"不明な法域 {key!r} です")
    return place


def _rules(data: dict[str, Any], faults: Faults, place: Jurisdiction | None,
           award: str | None, routes: tuple[str, ...] | None) -> dict[str, tuple[Rule, str]]:
    """The rules adopted by id and the target's own caps, each with where it stands."""
    out: list[tuple[Rule, str]] = []
    for index, rule_id in enumerate(data.get("rules") or ()):
        rule = place.rules.get(str(rule_id)) if place is not None else None
        if rule is None:
            faults.add(f"/rules/{index}", f"unknown rule {rule_id!r}",
                       f"不明なルール {rule_id!r} です")
        elif rule.awards and award not in rule.awards:
            faults.add(f"/rules/{index}", f"the rule {rule_id!r} applies to "
                       f"{', '.join(rule.awards)}, not to {award!r}",
                       f"ルール {rule_id!r} は {', '.join(rule.awards)} に適用されるものです")
        else:
            out.append((rule, f"/rules/{index}"))
    for index, value in enumerate(data.get("caps") or ()):
        where = f"/caps/{index}"
        rule_id = value.get("id") if isinstance(value, dict) else None
        if not isinstance(rule_id, str) or not rule_id:
            faults.add(where, "every cap has an id", "上限には id が必要です")
            continue
        rule = parse_rule(rule_id, value, where, faults, routes=routes,
                          awards=(award,) if award is not None else ())
        if rule is not None:
            out.append((rule, where))
    placed: dict[str, tuple[Rule, str]] = {}
    for rule, where in out:
        if rule.id in placed:
            faults.add(where, f"the rule id {rule.id!r} is used twice",
                       f"ルール id {rule.id!r} が重複しています")
        else:
            placed[rule.id] = (rule, where)
    return placed


def _requirements(value: Any, faults: Faults, routes: tuple[str, ...],
                  closed: bool) -> tuple[Requirement, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        faults.add("/requirements", "requirements are a list", "requirements はリストで書きます")
        return ()
    parsed: list[Requirement] = []
    where_of: dict[str, str] = {}
    for index, item in enumerate(value):
        where = f"/requirements/{index}"
        requirement = _requirement(item, where, faults, routes, closed)
        if requirement is None:
            continue
        if requirement.id in where_of:
            faults.add(f"{where}/id", f"the requirement id {requirement.id!r} is used twice",
                       f"要件 id {requirement.id!r} が重複しています")
            continue
        where_of[requirement.id] = where
        parsed.append(requirement)
    for requirement in parsed:
        for index, other in enumerate(requirement.after):
            if other not in where_of:
                faults.add(f"{where_of[requirement.id]}/after/{index}",
                           f"unknown requirement {other!r}", f"不明な要件 {other!r} です")
    return _ordered(parsed, where_of, faults)


def _requirement(item: Any, where: str, faults: Faults, routes: tuple[str, ...],
                 closed: bool) -> Requirement | None:
    if not isinstance(item, dict):
        faults.add(where, "a requirement is a mapping", "要件は対応表で書きます")
        return None
    for key in sorted(set(item) - _REQUIREMENT):
        faults.add(f"{where}{pointer(key)}", f"unknown key {key!r}", f"不明なキー {key!r} です")
    ident = _text(item, "id", faults, where)
    programmes = tuple(str(p) for p in item.get("programmes") or ())
    choose = item.get("choose")
    if choose is not None and (not isinstance(choose, int) or isinstance(choose, bool)
                               or not 0 < choose <= len(programmes)):
        faults.add(f"{where}/choose", f"choose must be from 1 to the {len(programmes)} "
                   "programmes listed", "choose は 1 から列挙したプログラム数までです")
        choose = None
    credits, hours = _mapping(item.get("credits")), _mapping(item.get("hours"))
    low = positive(credits.get("min"), f"{where}/credits/min", faults)
    high = positive(credits.get("max"), f"{where}/credits/max", faults)
    if low is not None and high is not None and high < low:
        faults.add(f"{where}/credits", f"max {high} is below min {low}",
                   f"最大 {high} が最小 {low} を下回っています")
    min_hours = positive(hours.get("min"), f"{where}/hours/min", faults)
    if not programmes and low is None and min_hours is None:
        faults.add(where, "a requirement names programmes, credits or hours",
                   "要件にはプログラム・単位数・時間数のいずれかが必要です")
    requirement_routes = tuple(str(r) for r in item.get("routes") or ())
    for index, route in enumerate(requirement_routes):
        if closed and route not in routes:
            faults.add(f"{where}/routes/{index}", f"unknown route {route!r}",
                       f"不明な経路 {route!r} です")
    level = _level(item.get("level"), f"{where}/level", faults)
    years = item.get("within_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool)
                              or years <= 0):
        faults.add(f"{where}/within_years", "within_years is a whole number above 0",
                   "within_years は1以上の整数です")
        years = None
    grade = positive(item.get("min_grade"), f"{where}/min_grade", faults)
    title = _mapping(item.get("title"))
    if not ident:
        return None
    return Requirement(ident, programmes, choose, low, high, min_hours,
                       _optional(item.get("field")), _optional(item.get("skill")), level,
                       requirement_routes, years, grade,
                       tuple(str(a) for a in item.get("after") or ()),
                       str(title.get("ja", ident)), str(title.get("en", ident)))


def _level(value: Any, where: str, faults: Faults) -> Level | None:
    if value is None:
        return None
    if (not isinstance(value, dict) or not isinstance(value.get("framework"), str)
            or not isinstance(value.get("min"), int) or isinstance(value.get("min"), bool)):
        faults.add(where, "a level is {framework: <name>, min: <whole number>}",
                   "レベルは {framework: 名称, min: 整数} で書きます")
        return None
    return Level(value["framework"], value["min"])


def _ordered(parsed: list[Requirement], where_of: dict[str, str],
             faults: Faults) -> tuple[Requirement, ...]:
    """Prerequisites first, else as written; a cycle is a fault placed at its first edge."""
    by_id = {requirement.id: requirement for requirement in parsed}
    state: dict[str, int] = {}
    order: list[Requirement] = []
    reported: set[frozenset[str]] = set()

    def visit(ident: str, trail: list[str]) -> None:
        state[ident] = 1
        for index, other in enumerate(by_id[ident].after):
            if other not in by_id:
                continue
            if state.get(other) == 1:
                cycle = [*trail[trail.index(other):], ident, other]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    path = " → ".join(cycle)
                    faults.add(f"{where_of[ident]}/after/{index}",
                               f"prerequisites form a cycle: {path}",
                               f"前提条件が循環しています：{path}")
            elif other not in state:
                visit(other, [*trail, ident])
        state[ident] = 2
        order.append(by_id[ident])

    for requirement in parsed:
        if requirement.id not in state:
            visit(requirement.id, [])
    return tuple(order)


def _contradictions(placed: dict[str, tuple[Rule, str]],
                    requirements: tuple[Requirement, ...], total: Decimal,
                    faults: Faults) -> None:
    """Caps above the total, two caps on the same routes with different limits, minimums a
    cap on the same routes forbids, requirements needing more than the total."""
    caps = [(rule, where) for rule, where in placed.values() if rule.kind is RuleKind.CAP]
    minimums: list[tuple[str, str, tuple[str, ...], Decimal]] = [
        (rule.id, where, rule.routes, rule.limit(total) or Decimal(0))
        for rule, where in placed.values() if rule.kind is RuleKind.MINIMUM]
    needed = Decimal(0)
    for index, requirement in enumerate(requirements):
        if requirement.min_credits is not None:
            needed += requirement.min_credits
            if requirement.routes:
                minimums.append((requirement.id, f"/requirements/{index}/credits/min",
                                 requirement.routes, requirement.min_credits))
    for rule, where in caps:
        limit = rule.limit(total)
        if limit is not None and limit > total:
            faults.add(where, f"the cap {rule.id!r} ({limit}) is above the "
                       f"total of {total} credits",
                       f"上限 {rule.id!r}（{limit}）が総単位数 {total} を超えています")
    for index, (rule, where) in enumerate(caps):
        for other, _ in caps[:index]:
            if set(rule.routes) == set(other.routes) and rule.limit(total) != other.limit(total):
                faults.add(where, f"the caps {other.id!r} and {rule.id!r} limit the same routes "
                           f"({', '.join(rule.routes)}) differently: only one can be the rule",
                           f"上限 {other.id!r} と {rule.id!r} が同じ経路に異なる上限を定めています")
    for name, where, routes, minimum in minimums:
        if minimum > total:
            faults.add(where, f"the minimum {name!r} ({minimum}) is above the total of {total}",
                       f"下限 {name!r}（{minimum}）が総単位数 {total} を超えています")
        for rule, _ in caps:
            limit = rule.limit(total)
            if limit is not None and set(routes) <= set(rule.routes) and limit < minimum:
                faults.add(where, f"the minimum {name!r} ({minimum} from {', '.join(routes)}) "
                           f"and the cap {rule.id!r} (at most {limit}) cannot both hold",
                           f"下限 {name!r}（{minimum}）と上限 {rule.id!r}（{limit}）は両立しません")
    if needed > total:
        faults.add("/requirements", f"the requirements need {needed} credits, more than the "
                   f"total of {total}",
                   f"要件の合計 {needed} 単位が総単位数 {total} を超えています")


def _text(data: dict[str, Any], key: str, faults: Faults, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        faults.add(f"{where}/{key}", f"{key} is required (a text)", f"{key} は必須です（文字列）")
        return ""
    return value


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _optional(value: Any) -> str | None:
    return str(value) if value is not None else None
