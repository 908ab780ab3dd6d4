"""A credit decision: what counted toward a target, by which rule, and what is missing.

:func:`~credstack.core.creditbank.engine.evaluate` makes a :class:`Decision`; this module
holds its parts and :func:`explain`, which says it as lines, each a message key and its values
(:class:`~credstack.core.said.Said`) that the entrypoint words in its reader's language:

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from credstack.core import vocabularies
from credstack.core.creditbank.conversion import (
    Conflict,
    Converted,
    figure,
    roundings,
    unit_of,
)
from credstack.core.creditbank.jurisdictions import Rule
from credstack.core.creditbank.pathways import Requirement, Target
from credstack.core.said import InLanguages, Named, Said, Words

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

    def to_dict(self, words: Words) -> dict[str, Any]:
        """The decision as JSON data (decimals as strings), to keep with an application and
        to put in the credential that records it; ``words`` word its conflicts in English
        (``conflicts``, beside their figures)."""
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
                          "conflicts": [words(c.said, "en") for c in e.conflicts],
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


def explain(decision: Decision,
            names: Mapping[str, Mapping[str, str]] | None = None) -> tuple[Said, ...]:
    """The decision as lines a learner or registrar reads, each a ``creditbank.explain.*``
    message key with its values (the entrypoint words them in the reader's language; a line
    under another starts with four spaces); ``names`` are the deposits' credentials' titles by
    language (deposit id → language → title), a deposit without one named by its id."""

    def called(deposit: str) -> InLanguages | str:
        titles = (names or {}).get(deposit, {})
        return InLanguages(titles) if any(titles.values()) else deposit

    rules: dict[str, InLanguages] = {rule.id: _titled(rule.ja, rule.en) for rule in (
        *(cap.rule for cap in decision.caps), *(check.rule for check in decision.minimums))}

    def rule_named(rule: str) -> InLanguages | str:
        return rules.get(rule, rule)

    target = decision.target

    def unit(amount: Decimal) -> InLanguages | Said | str:
        return unit_of(target.system, amount)

    lines = [Said("creditbank.explain.granted", target=_titled(target.ja, target.en),
                  granted=figure(decision.granted), total=figure(target.total),
                  unit=unit(target.total), missing=figure(decision.missing))]
    for outcome in decision.requirements:
        lines.append(Said("creditbank.explain.requirement",
                          name=_titled(outcome.requirement.ja, outcome.requirement.en),
                          state=_state(outcome.met), credits=figure(outcome.credits),
                          unit=unit(outcome.credits)))
        lines += [_counted(c, unit, called(c.deposit), rule_named) for c in outcome.counted]
        if outcome.waiting_on:
            lines.append(Said("creditbank.explain.waiting_on",
                              requirements=", ".join(outcome.waiting_on)))
        if outcome.missing_programmes:
            lines.append(Said("creditbank.explain.missing_programmes",
                              programmes=", ".join(outcome.missing_programmes)))
        if outcome.missing_credits > 0:
            lines.append(Said("creditbank.explain.missing", credits=figure(
                outcome.missing_credits), unit=unit(outcome.missing_credits)))
        if outcome.missing_hours > 0:
            lines.append(Said("creditbank.explain.missing_hours",
                              hours=figure(outcome.missing_hours)))
    if decision.general:
        lines.append(Said("creditbank.explain.general"))
        lines += [_counted(c, unit, called(c.deposit), rule_named) for c in decision.general]
    # Caps and minimums are named by what they say, not by their rules' ids.
    lines += [Said("creditbank.explain.cap", rule=_titled(cap.rule.ja, cap.rule.en),
                   used=figure(cap.used), limit=figure(cap.limit), source=cap.rule.source)
              for cap in decision.caps]
    lines += [Said("creditbank.explain.minimum", rule=_titled(check.rule.ja, check.rule.en),
                   counted=figure(check.counted), needed=figure(check.needed),
                   state=_state(check.met), source=check.rule.source)
              for check in decision.minimums]
    for excluded in decision.excluded:
        why: Said | Named = Named("creditbank-reason", excluded.reason.value)
        if excluded.rule:
            why = Said("creditbank.explain.why_rule", why=why,
                       rule=rule_named(excluded.rule))
        if excluded.conflicts:
            why = Said("creditbank.explain.why_conflicts", why=why,
                       conflicts=_joined("creditbank.explain.conflicts_and",
                                         [c.said for c in excluded.conflicts]))
        lines.append(Said("creditbank.explain.excluded", name=called(excluded.deposit),
                          why=why))
    return tuple(lines)


def _titled(ja: str, en: str) -> InLanguages:
    """A title or wording the target or a rule writes in Japanese and English."""
    return InLanguages({"ja": ja, "en": en})


def _state(met: bool) -> Said:
    return Said("creditbank.explain.met" if met else "creditbank.explain.not_met")


def _joined(key: str, items: Sequence[Any]) -> Any:
    """``items`` said one after another (``key`` joins two: ``{first}; {then}``)."""
    said = items[0]
    for item in items[1:]:
        said = Said(key, first=said, then=item)
    return said


def _counted(counted: Counted, unit: Callable[[Decimal], InLanguages | Said | str],
             name: InLanguages | str, rule_named: Callable[[str], InLanguages | str]
             ) -> Said:
    line = Said("creditbank.explain.counted", name=name, credits=figure(counted.credits),
                unit=unit(counted.credits))
    converted = counted.converted
    if converted is not None and converted.rounding is not None:
        rule = roundings().get(converted.rounding)
        exact = converted.exact.quantize(Decimal("0.01"))
        line = Said("creditbank.explain.converted_one" if converted.stated == 1
                    else "creditbank.explain.converted", line=line,
                    stated=Said("creditbank.explain.amount", amount=figure(converted.stated),
                                unit=unit_of(converted.from_system, converted.stated)),
                    exact=Said("creditbank.explain.amount", amount=figure(exact),
                               unit=unit(exact)),
                    rounded=converted.rounding if rule is None else _titled(rule.ja, rule.en))
    if counted.adjusted:
        return Said("creditbank.explain.adjusted", line=line)
    if counted.limited_by:
        return Said("creditbank.explain.limited", line=line, rules=_joined(
            "creditbank.explain.rules_and", [rule_named(rule) for rule in counted.limited_by]))
    if counted.caps:
        return Said("creditbank.explain.under", line=line, rules=_joined(
            "creditbank.explain.rules_and", [rule_named(rule) for rule in counted.caps]))
    return line
