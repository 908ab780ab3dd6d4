"""A credit decision read back from the JSON data an application keeps.

An application keeps its decision as :meth:`~credstack.core.creditbank.decisions.Decision.
to_dict` wrote it, changed since by the registrar's adjustments
(:func:`~credstack.core.creditbank.adjustments.adjusted`). :func:`restored` makes it a
:class:`~credstack.core.creditbank.decisions.Decision` again, against the target version it
was evaluated against, so that :func:`~credstack.core.creditbank.decisions.explain` says
what the stored decision says — adjusted credits included — in Japanese or English.

The data names requirements and rules by id; their titles and wording come from the target.
An id the target no longer has (data kept from elsewhere) is named by its id, with the source
the data kept. What the data does not keep — the day each requirement was met — is None, and
conflicts between stated credits and hours are restored only from data that keeps them as
figures (``conflict_figures``; decisions kept before it have none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from credstack.core.creditbank import decisions
from credstack.core.creditbank.conversion import Conflict, Converted
from credstack.core.creditbank.jurisdictions import Rule, RuleKind
from credstack.core.creditbank.pathways import Requirement, Target

__all__ = ["restored"]


def restored(data: Mapping[str, Any], target: Target) -> decisions.Decision:
    """The decision ``data`` (as an application keeps it) made against ``target``."""
    system = str(data["system"])
    requirements = {requirement.id: requirement for requirement in target.requirements}
    rules = {rule.id: rule for rule in target.rules}
    return decisions.Decision(
        target=target,
        today=dt.date.fromisoformat(str(data["today"])),
        requirements=tuple(
            decisions.RequirementOutcome(
                requirement=requirements.get(item["id"])
                or Requirement(str(item["id"]), ja=str(item["id"]), en=str(item["id"])),
                met=bool(item["met"]),
                counted=tuple(_counted(counted, system) for counted in item["counted"]),
                credits=Decimal(item["credits"]), hours=Decimal(item["hours"]),
                missing_credits=Decimal(item["missing_credits"]),
                missing_hours=Decimal(item["missing_hours"]),
                missing_programmes=tuple(item.get("missing_programmes", ())),
                waiting_on=tuple(item.get("waiting_on", ())), met_on=None)
            for item in data["requirements"]),
        general=tuple(_counted(counted, system) for counted in data["general"]),
        caps=tuple(decisions.CapUse(_rule(rules, item, RuleKind.CAP), Decimal(item["limit"]),
                                    Decimal(item["used"])) for item in data["caps"]),
        minimums=tuple(decisions.MinimumCheck(_rule(rules, item, RuleKind.MINIMUM),
                                              Decimal(item["needed"]), Decimal(item["counted"]))
                       for item in data["minimums"]),
        excluded=tuple(
            decisions.Excluded(str(item["deposit"]), decisions.Reason(item["reason"]),
                               item.get("rule"),
                               tuple(_conflict(c) for c in item.get("conflict_figures", ())),
                               None if item.get("uncounted") is None
                               else _counted(item["uncounted"], system))
            for item in data["excluded"]),
        granted=Decimal(data["granted"]))


def _counted(data: Mapping[str, Any], system: str) -> decisions.Counted:
    converted = data.get("converted")
    return decisions.Counted(
        deposit=str(data["deposit"]), credential=str(data["credential"]),
        route=str(data["route"]), credits=Decimal(data["credits"]),
        converted=None if converted is None else Converted(
            stated=Decimal(converted["stated"]), from_system=str(converted["from"]),
            to_system=system,
            hours=None if converted["hours"] is None else Decimal(converted["hours"]),
            exact=Decimal(converted["exact"]), credits=Decimal(converted["credits"]),
            rounding=converted["rounding"], sources=tuple(converted["sources"])),
        limited_by=tuple(data.get("limited_by", ())), caps=tuple(data.get("caps", ())),
        adjusted=bool(data.get("adjusted", False)))


def _rule(rules: Mapping[str, Rule], data: Mapping[str, Any], kind: RuleKind) -> Rule:
    """The target's rule by the id the data names; one standing for it, if it has none."""
    ident = str(data["rule"])
    found = rules.get(ident)
    if found is not None:
        return found
    return Rule(ident, kind, (), None, None, None, (), ident, ident,
                str(data.get("source") or ""))


def _conflict(data: Mapping[str, Any]) -> Conflict:
    low, high = data["implied_hours"]
    stated_low, stated_high = data["stated_hours"]
    return Conflict(str(data["system"]), Decimal(data["credits"]),
                    (Decimal(low), Decimal(high)), (Decimal(stated_low), Decimal(stated_high)),
                    data.get("other_system"))
