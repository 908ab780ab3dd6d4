"""A target credential and the rules by which other learning counts toward it, as data.

A :class:`Target` is a larger micro-credential, a certificate programme (rishu shōmei) or a
degree programme: its credit system and total, the rounding of conversions into that system,
the routes by which credit may arrive, its :class:`Requirement` s and its rules — the
jurisdiction's caps,
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
        faults.add("", "target_not_mapping")
        faults.raise_if_any("pathway_file")
    for key in sorted(set(data) - _TOP):
        faults.add(pointer(key), "unknown_key", key=key)
    places = known if known is not None else jurisdictions()
    target = _target(data, faults, places)
    faults.raise_if_any("pathway_file")
    assert target is not None
    return target


def _target(data: dict[str, Any], faults: Faults,
            places: Mapping[str, Jurisdiction]) -> Target | None:
    ident = _text(data, "id", faults)
    title = _mapping(data.get("title"))
    if "title" in data and not any(str(value).strip() for value in title.values()):
        # A title given with nothing in it (a form's empty fields): not the id in its place.
        faults.add("/title", "no_title")
    try:
        kind = TargetKind(str(data.get("kind")))
    except ValueError:
        faults.add("/kind", "kind", kinds=tuple(TargetKind))
        kind = TargetKind.DEGREE
    system = _text(data, "system", faults)
    if system and system not in credit_rates():
        faults.add("/system", "unknown_system", system=system,
                   known=tuple(sorted(credit_rates())))
    rounding = roundings().get(str(data.get("rounding", "floor-whole")))
    if rounding is None:
        faults.add("/rounding", "unknown_rounding", rounding=data.get("rounding"),
                   known=tuple(sorted(roundings())))
    place = _jurisdiction(data, faults, places)
    award = data.get("award")
    total = positive(data.get("total"), "/total", faults)
    if award is not None:
        known_award = place.awards.get(str(award)) if place is not None else None
        if known_award is None:
            faults.add("/award", "unknown_award", award=award)
        elif total is None and place is not None and place.system == system:
            total = known_award.credits
    if total is None:
        faults.add("/total", "no_total")
    routes = tuple(str(route) for route in data.get("routes") or ())
    known_routes = tuple(place.routes) if place is not None else routes
    for index, route in enumerate(routes):
        if place is not None and route not in place.routes:
            faults.add(f"/routes/{index}", "unknown_route", route=route)
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
        faults.add("/programmes_elsewhere", "elsewhere_not_list")
        return ()
    named = {reference for r in requirements for reference in r.programmes}
    found: dict[str, ProgrammeElsewhere] = {}
    for index, item in enumerate(value):
        where = f"/programmes_elsewhere/{index}"
        if not isinstance(item, dict):
            faults.add(where, "elsewhere_not_mapping")
            continue
        for key in sorted(set(item) - _ELSEWHERE):
            faults.add(f"{where}{pointer(key)}", "unknown_key", key=key)
        reference = _text(item, "id", faults, where)
        url = item.get("url")
        if url is not None and (not isinstance(url, str)
                                or not url.startswith(("https://", "http://"))):
            faults.add(f"{where}/url", "url")
            url = None
        if not reference:
            continue
        if reference not in named:
            faults.add(f"{where}/id", "elsewhere_unnamed", programme=reference)
        elif reference in found:
            faults.add(f"{where}/id", "elsewhere_twice", programme=reference)
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
        faults.add("/jurisdiction", "unknown_jurisdiction", jurisdiction=key,
                   known=tuple(sorted(places)))
    return place


def _rules(data: dict[str, Any], faults: Faults, place: Jurisdiction | None,
           award: str | None, routes: tuple[str, ...] | None) -> dict[str, tuple[Rule, str]]:
    """The rules adopted by id and the target's own caps, each with where it stands."""
    out: list[tuple[Rule, str]] = []
    for index, rule_id in enumerate(data.get("rules") or ()):
        rule = place.rules.get(str(rule_id)) if place is not None else None
        if rule is None:
            faults.add(f"/rules/{index}", "unknown_rule", rule=rule_id)
        elif rule.awards and award not in rule.awards:
            faults.add(f"/rules/{index}", "rule_award", rule=rule_id, awards=rule.awards,
                       award=award)
        else:
            out.append((rule, f"/rules/{index}"))
    for index, value in enumerate(data.get("caps") or ()):
        where = f"/caps/{index}"
        rule_id = value.get("id") if isinstance(value, dict) else None
        if not isinstance(rule_id, str) or not rule_id:
            faults.add(where, "cap_id")
            continue
        rule = parse_rule(rule_id, value, where, faults, routes=routes,
                          awards=(award,) if award is not None else ())
        if rule is not None:
            out.append((rule, where))
    placed: dict[str, tuple[Rule, str]] = {}
    for rule, where in out:
        if rule.id in placed:
            faults.add(where, "rule_twice", rule=rule.id)
        else:
            placed[rule.id] = (rule, where)
    return placed


def _requirements(value: Any, faults: Faults, routes: tuple[str, ...],
                  closed: bool) -> tuple[Requirement, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        faults.add("/requirements", "requirements_not_list")
        return ()
    parsed: list[Requirement] = []
    where_of: dict[str, str] = {}
    for index, item in enumerate(value):
        where = f"/requirements/{index}"
        requirement = _requirement(item, where, faults, routes, closed)
        if requirement is None:
            continue
        if requirement.id in where_of:
            faults.add(f"{where}/id", "requirement_twice", requirement=requirement.id)
            continue
        where_of[requirement.id] = where
        parsed.append(requirement)
    for requirement in parsed:
        for index, other in enumerate(requirement.after):
            if other not in where_of:
                faults.add(f"{where_of[requirement.id]}/after/{index}",
                           "unknown_requirement", requirement=other)
    return _ordered(parsed, where_of, faults)


def _requirement(item: Any, where: str, faults: Faults, routes: tuple[str, ...],
                 closed: bool) -> Requirement | None:
    if not isinstance(item, dict):
        faults.add(where, "requirement_not_mapping")
        return None
    for key in sorted(set(item) - _REQUIREMENT):
        faults.add(f"{where}{pointer(key)}", "unknown_key", key=key)
    ident = _text(item, "id", faults, where)
    programmes = tuple(str(p) for p in item.get("programmes") or ())
    choose = item.get("choose")
    if choose is not None and (not isinstance(choose, int) or isinstance(choose, bool)
                               or not 0 < choose <= len(programmes)):
        faults.add(f"{where}/choose", "choose", count=len(programmes))
        choose = None
    credits, hours = _mapping(item.get("credits")), _mapping(item.get("hours"))
    low = positive(credits.get("min"), f"{where}/credits/min", faults)
    high = positive(credits.get("max"), f"{where}/credits/max", faults)
    if low is not None and high is not None and high < low:
        faults.add(f"{where}/credits", "max_below_min", high=high, low=low)
    min_hours = positive(hours.get("min"), f"{where}/hours/min", faults)
    if not programmes and low is None and min_hours is None:
        faults.add(where, "requirement_empty")
    requirement_routes = tuple(str(r) for r in item.get("routes") or ())
    for index, route in enumerate(requirement_routes):
        if closed and route not in routes:
            faults.add(f"{where}/routes/{index}", "unknown_route", route=route)
    level = _level(item.get("level"), f"{where}/level", faults)
    years = item.get("within_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool)
                              or years <= 0):
        faults.add(f"{where}/within_years", "within_years")
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
        faults.add(where, "level")
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
                    faults.add(f"{where_of[ident]}/after/{index}", "cycle",
                               path=" → ".join(cycle))
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
            faults.add(where, "cap_above_total", rule=rule.id, limit=limit, total=total)
    for index, (rule, where) in enumerate(caps):
        for other, _ in caps[:index]:
            if set(rule.routes) == set(other.routes) and rule.limit(total) != other.limit(total):
                faults.add(where, "caps_differ", other=other.id, rule=rule.id,
                           routes=rule.routes)
    for name, where, routes, minimum in minimums:
        if minimum > total:
            faults.add(where, "minimum_above_total", name=name, minimum=minimum, total=total)
        for rule, _ in caps:
            limit = rule.limit(total)
            if limit is not None and set(routes) <= set(rule.routes) and limit < minimum:
                faults.add(where, "minimum_cap", name=name, minimum=minimum, routes=routes,
                           rule=rule.id, limit=limit)
    if needed > total:
        faults.add("/requirements", "needed_above_total", needed=needed, total=total)


def _text(data: dict[str, Any], key: str, faults: Faults, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        faults.add(f"{where}/{key}", "text_required", key=key)
        return ""
    return value


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _optional(value: Any) -> str | None:
    return str(value) if value is not None else None
