"""A credit decision: what counted toward a target, by which rule, and what is missing.

:func:`~credstack.core.creditbank.engine.evaluate` makes a :class:`Decision`; this module
holds its parts and :func:`explain`, which renders it as lines in Japanese or English:

* one :class:`RequirementOutcome` per requirement — the :class:`Counted` deposits (credits
  in the target's system, the conversion behind them, the caps that limited them), whether
  it is met and what is missing;
* ``general``: deposits counted as general credit, when the target accepts it;
* one :class:`CapUse` per cap (limit, used, source) and one :class:`MinimumCheck` per
  minimum rule;
* one :class:`Excluded` per deposit that could not count, with its :class:`Reason`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from credstack.core import vocabularies
from credstack.core.creditbank.conversion import (
    Conflict,
    Converted,
    credit_rates,
    figure,
    roundings,
)
from credstack.core.creditbank.jurisdictions import Rule
from credstack.core.creditbank.pathways import Requirement, Target

__all__ = ["COUNTABLE", "CapUse", "Counted", "Decision", "Excluded", "MinimumCheck", "Reason",
           "RequirementOutcome", "explain"]


class Reason(StrEnum):
    NOT_VERIFIED = "not-verified"
    EXPIRED = "expired"
    LAPSED = "lapsed"
    NOT_YET_EARNED = "not-yet-earned"
    ROUTE_NOT_ACCEPTED = "route-not-accepted"
    CONFLICT = "conflict"
    UNKNOWN_SYSTEM = "unknown-credit-system"
    SAME_CREDENTIAL = "same-credential"
    WITHDRAWN = "withdrawn"
    #: A registrar decided what it is worth, but no requirement of the target takes it and
    #: the target grants no general credit: it counts nowhere.
    DECIDED_NOT_TAKEN = "decided-not-taken"
    #: Usable, but it fits no requirement and the target grants no general credit.
    FITS_NO_REQUIREMENT = "fits-no-requirement"
    #: Usable, but the requirements it fits were met (or full) with other deposits.
    REQUIREMENTS_MET = "requirements-met"
    #: Usable, but the requirements it fits wait on prerequisites not met.
    PREREQUISITE_NOT_MET = "prerequisite-not-met"
    #: Usable, but a cap on its route is used up (the cap is the reason's rule).
    CAP_REACHED = "cap-reached"
    #: Usable, but the target's total is already granted.
    TOTAL_REACHED = "total-reached"
    #: Usable, but it is worth no credit in the target's system once rounded.
    WORTH_NOTHING = "worth-nothing"

    def text(self, language: str) -> str:
        """Why, in ``language`` (in English when that language has no words for it)."""
        said = vocabularies.name("creditbank-reason", self.value, language)
        if said is None:
            raise KeyError(f"{self.value!r} has no words in the creditbank-reason vocabulary")
        return said


#: The reasons a registrar may still count a deposit for (its worth, within the caps and
#: the total): it was usable, only the requirements did not take it.
COUNTABLE = frozenset({Reason.DECIDED_NOT_TAKEN, Reason.FITS_NO_REQUIREMENT,
                       Reason.REQUIREMENTS_MET, Reason.PREREQUISITE_NOT_MET})


@dataclass(frozen=True, slots=True)
class Counted:
    deposit: str
    credential: str
    route: str
    #: Credits counted, in the target's system (after conversion, rounding and caps).
    credits: Decimal
    converted: Converted | None
    #: The ids of the caps, requirement maximum (``requirement``) or target total (``total``)
    #: that counted less than the deposit is worth.
    limited_by: tuple[str, ...] = ()
    #: The ids of every cap its route falls under (applied, whether or not it limited).
    caps: tuple[str, ...] = ()
    #: Whether a registrar set its credits (:mod:`.adjustments`), with a reason kept beside
    #: the decision.
    adjusted: bool = False


@dataclass(frozen=True, slots=True)
class RequirementOutcome:
    requirement: Requirement
    met: bool
    counted: tuple[Counted, ...]
    credits: Decimal
    hours: Decimal
    missing_credits: Decimal
    missing_hours: Decimal
    missing_programmes: tuple[str, ...]
    #: Prerequisites not met, which keep this requirement from counting anything.
    waiting_on: tuple[str, ...]
    met_on: dt.date | None


@dataclass(frozen=True, slots=True)
class CapUse:
    rule: Rule
    limit: Decimal
    used: Decimal


@dataclass(frozen=True, slots=True)
class MinimumCheck:
    rule: Rule
    needed: Decimal
    counted: Decimal

    @property
    def met(self) -> bool:
        return self.counted >= self.needed


@dataclass(frozen=True, slots=True)
class Excluded:
    deposit: str
    reason: Reason
    #: The rule behind the reason (an expiry's id), if any.
    rule: str | None = None
    conflicts: tuple[Conflict, ...] = ()
    #: For a deposit a registrar may still count (:data:`COUNTABLE`): how it would count,
    #: at 0 credits (its credential, route, conversion and caps).
    uncounted: Counted | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    target: Target
    today: dt.date
    requirements: tuple[RequirementOutcome, ...]
    general: tuple[Counted, ...]
    caps: tuple[CapUse, ...]
    minimums: tuple[MinimumCheck, ...]
    excluded: tuple[Excluded, ...]
    granted: Decimal

    @property
    def missing(self) -> Decimal:
        """Credits still to earn toward the target's total."""
        return self.target.total - self.granted

    @property
    def requirements_met(self) -> bool:
        return (all(outcome.met for outcome in self.requirements)
                and all(check.met for check in self.minimums))

    def counted(self) -> tuple[Counted, ...]:
        """Every counted deposit, requirements first, in evaluation order."""
        return (*(c for outcome in self.requirements for c in outcome.counted), *self.general)

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON data (decimals as strings), to keep with an application and
        to put in the credential that records it."""
        return {
            "target": self.target.id, "system": self.target.system, "today": str(self.today),
            "total": str(self.target.total), "granted": str(self.granted),
            "missing": str(self.missing), "requirements_met": self.requirements_met,
            "requirements": [{
                "id": o.requirement.id, "met": o.met, "credits": str(o.credits),
                "hours": str(o.hours), "missing_credits": str(o.missing_credits),
                "missing_hours": str(o.missing_hours),
                "missing_programmes": list(o.missing_programmes),
                "waiting_on": list(o.waiting_on),
                "counted": [_counted_dict(c) for c in o.counted]}
                for o in self.requirements],
            "general": [_counted_dict(c) for c in self.general],
            "caps": [{"rule": c.rule.id, "limit": str(c.limit), "used": str(c.used),
                      "source": c.rule.source} for c in self.caps],
            "minimums": [{"rule": m.rule.id, "needed": str(m.needed),
                          "counted": str(m.counted), "met": m.met, "source": m.rule.source}
                         for m in self.minimums],
            "excluded": [{"deposit": e.deposit, "reason": e.reason.value, "rule": e.rule,
                          "conflicts": [c.describe("en") for c in e.conflicts],
                          "conflict_figures": [_conflict_dict(c) for c in e.conflicts],
                          **({} if e.uncounted is None
                             else {"uncounted": _counted_dict(e.uncounted)})}
                         for e in self.excluded],
        }


def _counted_dict(counted: Counted) -> dict[str, Any]:
    converted = counted.converted
    return {
        "deposit": counted.deposit, "credential": counted.credential, "route": counted.route,
        "credits": str(counted.credits), "limited_by": list(counted.limited_by),
        "caps": list(counted.caps), "adjusted": counted.adjusted,
        "converted": None if converted is None else {
            "stated": str(converted.stated), "from": converted.from_system,
            "hours": None if converted.hours is None else str(converted.hours),
            "exact": str(converted.exact), "credits": str(converted.credits),
            "rounding": converted.rounding, "sources": list(converted.sources)},
    }


def _conflict_dict(conflict: Conflict) -> dict[str, Any]:
    """A conflict as figures, so that a kept decision explains it again in any language."""
    return {"system": conflict.system, "credits": str(conflict.credits),
            "implied_hours": [str(value) for value in conflict.implied_hours],
            "stated_hours": [str(value) for value in conflict.stated_hours],
            "other_system": conflict.other_system}


def explain(decision: Decision, language: str,
            names: Mapping[str, Mapping[str, str]] | None = None) -> tuple[str, ...]:
    """The decision as lines a learner or registrar reads, in ``ja`` or ``en``; ``names``
    are the deposits' credentials' titles by language (deposit id → language → title), a
    deposit without one named by its id."""
    ja = language == "ja"

    def called(deposit: str) -> str:
        titles = (names or {}).get(deposit, {})
        return titles.get(language) or next(iter(titles.values()), deposit)

    rules: dict[str, str] = {rule.id: rule.ja if ja else rule.en for rule in (
        *(cap.rule for cap in decision.caps), *(check.rule for check in decision.minimums))}

    def rule_named(rule: str) -> str:
        return rules.get(rule, rule)

    target = decision.target
    rate = credit_rates()[target.system]

    def unit(amount: Decimal) -> str:
        return rate.unit(language, amount)

    lines = [
        (f"{target.ja}：{figure(decision.granted)} / {figure(target.total)} "
         f"{unit(target.total)} を認定（残り {figure(decision.missing)}）") if ja else
        (f"{target.en}: {figure(decision.granted)} of {figure(target.total)} "
         f"{unit(target.total)} granted ({figure(decision.missing)} to go)")]
    for outcome in decision.requirements:
        name = outcome.requirement.ja if ja else outcome.requirement.en
        state = _state(outcome.met, ja)
        lines.append(f"- {name}: {state}, {figure(outcome.credits)} {unit(outcome.credits)}")
        lines += [_counted(c, unit, ja, called(c.deposit), rule_named) for c in outcome.counted]
        if outcome.waiting_on:
            lines.append(f"    前提条件が未充足：{', '.join(outcome.waiting_on)}" if ja else
                         f"    waiting on: {', '.join(outcome.waiting_on)}")
        if outcome.missing_programmes:
            lines.append(f"    不足のプログラム：{', '.join(outcome.missing_programmes)}" if ja
                         else f"    missing programmes: {', '.join(outcome.missing_programmes)}")
        if outcome.missing_credits > 0:
            missing = f"{figure(outcome.missing_credits)} {unit(outcome.missing_credits)}"
            lines.append(f"    不足：{missing}" if ja else f"    missing: {missing}")
        if outcome.missing_hours > 0:
            lines.append(f"    不足：{figure(outcome.missing_hours)} 時間" if ja else
                         f"    missing: {figure(outcome.missing_hours)} h")
    if decision.general:
        lines.append("- その他の単位" if ja else "- general credit")
        lines += [_counted(c, unit, ja, called(c.deposit), rule_named) for c in decision.general]
    # Caps and minimums are named by what they say, not by their rules' ids.
    for cap in decision.caps:
        lines.append(f"上限：{cap.rule.ja} — {figure(cap.used)} / {figure(cap.limit)} を算入"
                     f"（出典 {cap.rule.source}）" if ja else
                     f"cap: {cap.rule.en} — {figure(cap.used)} of {figure(cap.limit)} used "
                     f"(source: {cap.rule.source})")
    for check in decision.minimums:
        state = _state(check.met, ja)
        lines.append(f"下限：{check.rule.ja} — {figure(check.counted)} / "
                     f"{figure(check.needed)} {state}（出典 {check.rule.source}）" if ja else
                     f"minimum: {check.rule.en} — {figure(check.counted)} of "
                     f"{figure(check.needed)}, {state} (source: {check.rule.source})")
    for excluded in decision.excluded:
        why = excluded.reason.text(language)
        if excluded.rule:
            why += f" ({rule_named(excluded.rule)})"
        if excluded.conflicts:
            why += ": " + "; ".join(c.describe(language) for c in excluded.conflicts)
        lines.append(f"対象外 {called(excluded.deposit)}：{why}" if ja else
                     f"not counted {called(excluded.deposit)}: {why}")
    return tuple(lines)


def _state(met: bool, ja: bool) -> str:
    if ja:
        return "充足" if met else "未充足"
    return "met" if met else "not met"


def _unit_of(system: str, ja: bool, amount: Decimal) -> str:
    """A system's unit in words after ``amount``: hours are 時間 / hours, a credit system
    its unit."""
    if system == "hours":
        return "時間" if ja else "hour" if amount == 1 else "hours"
    rate = credit_rates().get(system)
    return system if rate is None else rate.unit("ja" if ja else "en", amount)


def _counted(counted: Counted, unit: Callable[[Decimal], str], ja: bool, name: str,
             rule_named: Callable[[str], str]) -> str:
    line = f"    {name}: {figure(counted.credits)} {unit(counted.credits)}"
    converted = counted.converted
    if converted is not None and converted.rounding is not None:
        rule = roundings().get(converted.rounding)
        rounded = converted.rounding if rule is None else rule.ja if ja else rule.en
        stated = (f"{figure(converted.stated)} "
                  f"{_unit_of(converted.from_system, ja, converted.stated)}")
        exact = converted.exact.quantize(Decimal("0.01"))
        exact_text = f"{figure(exact)} {unit(exact)}"
        line += (f"（{stated}を換算すると {exact_text}、{rounded}）" if ja else
                 f" ({stated} {'converts' if converted.stated == 1 else 'convert'} to "
                 f"{exact_text}, {rounded})")
    if counted.adjusted:
        line += "　教務による調整" if ja else " adjusted by the registrar"
    elif counted.limited_by:
        limits = [rule_named(rule) for rule in counted.limited_by]
        line += f"　制限：{'、'.join(limits)}" if ja else f" limited by {'; '.join(limits)}"
    elif counted.caps:
        caps = [rule_named(rule) for rule in counted.caps]
        line += f"　上限の対象：{'、'.join(caps)}" if ja else f" under {'; '.join(caps)}"
    return line
