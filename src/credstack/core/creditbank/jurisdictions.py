"""Each jurisdiction's credit routes, awards and rules, as data naming their sources.

``jurisdictions.yaml`` beside this module holds Japan (60 of 124 bachelor's credits from prior
learning, one cap shared by three routes), Korea's Academic Credit Bank (140 credits for a
bachelor's, 80 for an associate degree, at least 18 from accredited institutions, six credit
sources), Malaysia (70 % through stacked micro-credentials, APEL(C) capped at 30 % as its own
rule), India (50 %, 70 % at skill universities; the Academic Bank of Credits' expiry after at
most 7 years) and Thailand's credit bank routes. :func:`jurisdictions` reads it once;
:func:`load_jurisdictions` reads another such file, refusing it with positioned problems
(:class:`~credstack.errors.PathwayError`).

A :class:`Rule` is one of three kinds (:class:`RuleKind`): a *cap* (at most ``credits``, or
``share`` of the award's total, from its routes together), a *minimum* (at least ``credits``
from its routes) or an *expiry* (a deposit counts for at most ``years``). A pathway's own
caps are rules too (:mod:`credstack.core.creditbank.pathways`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from credstack.core.creditbank.conversion import credit_rates
from credstack.core.creditbank.positions import Faults, pointer, read_tree

__all__ = ["Award", "Jurisdiction", "Route", "Rule", "RuleKind", "jurisdictions",
           "load_jurisdictions"]


class RuleKind(StrEnum):
    CAP = "cap"
    MINIMUM = "minimum"
    EXPIRY = "expiry"


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule with its source (see the module docstring)."""

    id: str
    kind: RuleKind
    routes: tuple[str, ...]
    credits: Decimal | None
    share: Decimal | None
    years: int | None
    #: The awards it applies to; empty: every award.
    awards: tuple[str, ...]
    ja: str
    en: str
    source: str

    def limit(self, total: Decimal) -> Decimal | None:
        """The credits this cap or minimum stands for, of a target of ``total`` credits."""
        if self.credits is not None:
            return self.credits
        return self.share * total if self.share is not None else None

    def text(self, language: str) -> str:
        return self.ja if language == "ja" else self.en


@dataclass(frozen=True, slots=True)
class Route:
    """A way credit reaches a programme (another university, APEL(C), a MOOC…)."""

    key: str
    ja: str
    en: str
    source: str


@dataclass(frozen=True, slots=True)
class Award:
    key: str
    credits: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    key: str
    ja: str
    en: str
    #: The credit system its figures are in; None when it states shares only.
    system: str | None
    routes: Mapping[str, Route]
    awards: Mapping[str, Award]
    rules: Mapping[str, Rule]


@cache
def jurisdictions() -> Mapping[str, Jurisdiction]:
    """The bundled jurisdictions, by key (``jp``, ``kr``, ``my``, ``in``, ``th``)."""
    text = resources.files(__package__).joinpath("jurisdictions.yaml").read_text("utf-8")
    return load_jurisdictions(text, source="jurisdictions.yaml")


def load_jurisdictions(text: str, *, source: str) -> Mapping[str, Jurisdiction]:
    """Jurisdictions read from YAML or JSON ``text``, all problems raised together."""
    data, positions = read_tree(text, source)
    faults = Faults(positions)
    out: dict[str, Jurisdiction] = {}
    if not isinstance(data, dict):
        faults.add("", "jurisdictions_not_mapping")
        faults.raise_if_any("jurisdictions_file")
    for key, entry in data.items():
        at = pointer(key)
        if not isinstance(entry, dict):
            faults.add(at, "not_mapping")
            continue
        jurisdiction = _jurisdiction(str(key), entry, at, faults)
        if jurisdiction is not None:
            out[str(key)] = jurisdiction
    faults.raise_if_any("jurisdictions_file")
    return out


def _jurisdiction(key: str, entry: dict[str, Any], at: str,
                  faults: Faults) -> Jurisdiction | None:
    system = entry.get("system")
    if system is not None and system not in credit_rates():
        faults.add(f"{at}/system", "unknown_system", system=system,
                   known=tuple(sorted(credit_rates())))
    name = entry.get("name") or {}
    routes: dict[str, Route] = {}
    for route, value in (entry.get("routes") or {}).items():
        where = f"{at}/routes{pointer(route)}"
        if not isinstance(value, dict):
            faults.add(where, "route_not_mapping")
            continue
        routes[str(route)] = Route(str(route), str(value.get("ja", "")),
                                   str(value.get("en", "")), _source(value, where, faults))
    awards: dict[str, Award] = {}
    for award, value in (entry.get("awards") or {}).items():
        where = f"{at}/awards{pointer(award)}"
        if not isinstance(value, dict):
            faults.add(where, "award_not_mapping")
            continue
        credits = positive(value.get("credits"), f"{where}/credits", faults)
        if credits is not None:
            awards[str(award)] = Award(str(award), credits, _source(value, where, faults))
    rules: dict[str, Rule] = {}
    for rule_id, value in (entry.get("rules") or {}).items():
        rule = parse_rule(str(rule_id), value, f"{at}/rules{pointer(rule_id)}", faults,
                          routes=routes.keys(), awards=awards.keys())
        if rule is not None:
            rules[rule.id] = rule
    return Jurisdiction(key, str(name.get("ja", key)), str(name.get("en", key)),
                        str(system) if system is not None else None, routes, awards, rules)


def parse_rule(rule_id: str, value: Any, where: str, faults: Faults, *,
               routes: Any, awards: Any) -> Rule | None:
    """One rule of a jurisdiction or a pathway, its references checked against the known
    ``routes`` (None: any route) and ``awards``; None (with the faults added) when it
    cannot be used."""
    if not isinstance(value, dict):
        faults.add(where, "rule_not_mapping")
        return None
    try:
        kind = RuleKind(str(value.get("kind")))
    except ValueError:
        faults.add(f"{where}/kind", "rule_kind")
        return None
    rule_routes = tuple(str(route) for route in value.get("routes") or ())
    for index, route in enumerate(rule_routes):
        if routes is not None and route not in routes:
            faults.add(f"{where}/routes/{index}", "unknown_route", route=route)
    rule_awards = tuple(str(award) for award in value.get("awards") or ())
    for index, award in enumerate(rule_awards):
        if award not in awards:
            faults.add(f"{where}/awards/{index}", "unknown_award", award=award)
    credits = positive(value.get("credits"), f"{where}/credits", faults)
    share = positive(value.get("share"), f"{where}/share", faults)
    years = value.get("years")
    if share is not None and share > 1:
        faults.add(f"{where}/share", "share_above_one", share=share)
    if kind is RuleKind.EXPIRY:
        if not isinstance(years, int) or isinstance(years, bool) or years <= 0:
            faults.add(f"{where}/years", "expiry_years")
            return None
    elif (credits is None) == (share is None):
        faults.add(where, "credits_or_share")
        return None
    elif not rule_routes:
        faults.add(f"{where}/routes", "rule_routes")
    return Rule(rule_id, kind, rule_routes, credits, share,
                years if kind is RuleKind.EXPIRY else None, rule_awards,
                str(value.get("ja", "")), str(value.get("en", "")),
                _source(value, where, faults))


def positive(value: Any, where: str, faults: Faults) -> Decimal | None:
    """A number above 0, or None when absent (a fault when it is anything else)."""
    if value is None:
        return None
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        faults.add(where, "not_positive", value=value)
        return None
    return number


def _source(value: Any, where: str, faults: Faults) -> str:
    source = value.get("source") if isinstance(value, dict) else None
    if not isinstance(source, str) or not source.strip():
        faults.add(f"{where}/source", "no_source")
        return ""
    return source

