"""A registrar's adjustments of a credit decision, checked against the decision's own limits.

A decision (:meth:`~credstack.core.creditbank.decisions.Decision.to_dict`, as an application
keeps it) counts some credits for each deposit. A registrar may set the credits counted for a
counted deposit to another amount, giving a reason — or count one the requirements left out
(set aside with ``uncounted``, :data:`~credstack.core.creditbank.decisions.COUNTABLE`),
which then counts outside the requirements, as general credit; :func:`adjusted` applies a
list of such :class:`Adjustment` in order and refuses, with a
:class:`~credstack.errors.CreditAdjustmentError` naming each fault, any that would count

* a deposit the decision did not count and may not (set aside for another reason, or never
  deposited),
* fewer than 0 credits, or more than the deposit is worth in the target's system (its
  converted value),
* more than a cap allows (every cap the deposit's route falls under),
* more than the target's total,

or that gives no reason. Requirements keep the status the evaluation gave them: an
adjustment changes the credits granted, not which requirements are met. A deposit adjusted
is marked ``adjusted``, so that the decision's explanation says so.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from credstack.core.creditbank.conversion import figure
from credstack.core.creditbank.jurisdictions import jurisdictions
from credstack.errors import CreditAdjustmentError, Problem

__all__ = ["Adjustment", "adjusted"]


@dataclass(frozen=True, slots=True)
class Adjustment:
    """Count ``credits`` (in the target's system) for ``deposit``, because of ``reason``."""

    deposit: str
    credits: Decimal
    reason: str


def adjusted(decision: Mapping[str, Any], adjustments: Sequence[Adjustment]
             ) -> dict[str, Any]:
    """``decision`` (its JSON data) with ``adjustments`` applied: the counted credits,
    each requirement's credits, the caps' use and the credits granted recomputed."""
    result = copy.deepcopy(dict(decision))
    for index, adjustment in enumerate(adjustments):
        where = f"adjustments[{index}]"
        fault = _apply(result, adjustment)
        if fault is not None:
            raise CreditAdjustmentError(
                f"Adjustment of deposit {adjustment.deposit!r} to "
                f"{figure(adjustment.credits)} credits refused: {fault[0]} / 預け入れ "
                f"{adjustment.deposit!r} の {figure(adjustment.credits)} 単位への調整は"
                f"できません：{fault[1]}",
                problems=[Problem(where, fault[0]), Problem("deposit", adjustment.deposit)])
    return result


def _counted(decision: Mapping[str, Any]) -> list[tuple[dict[str, Any] | None,
                                                        dict[str, Any]]]:
    """Each counted deposit's data, with the requirement it counts in (None: general)."""
    found: list[tuple[dict[str, Any] | None, dict[str, Any]]] = [
        (requirement, counted) for requirement in decision["requirements"]
        for counted in requirement["counted"]]
    found.extend((None, counted) for counted in decision["general"])
    return found


def _apply(decision: dict[str, Any], adjustment: Adjustment) -> tuple[str, str] | None:
    if not adjustment.reason.strip():
        return ("an adjustment states its reason.", "調整には理由が必要です。")
    try:
        credits = Decimal(adjustment.credits)
    except InvalidOperation:
        return ("the credits are not a number.", "単位数が数値ではありません。")
    if not credits.is_finite() or credits < 0:
        return ("credits are 0 or more.", "単位数は0以上です。")
    places = [(requirement, counted) for requirement, counted in _counted(decision)
              if counted["deposit"] == adjustment.deposit]
    left_out = next((item for item in decision.get("excluded", ())
                     if item["deposit"] == adjustment.deposit and item.get("uncounted")),
                    None)
    if not places and left_out is not None:
        places = [(None, copy.deepcopy(left_out["uncounted"]))]
    if not places:
        return ("the decision counts no credits for that deposit.",
                "この判定はその預け入れの単位を数えていません。")
    requirement, counted = places[0]
    before = Decimal(counted["credits"])
    converted = counted.get("converted")
    worth = Decimal(converted["credits"]) if converted else before
    if credits > worth:
        return (f"the credential is worth {figure(worth)} credits in {decision['system']}.",
                f"この証明の価値は {decision['system']} で {figure(worth)} 単位です。")
    delta = credits - before
    for cap in decision["caps"]:
        if cap["rule"] in counted.get("caps", ()):
            used = Decimal(cap["used"]) + delta
            if used > Decimal(cap["limit"]):
                # The cap in its own words (a jurisdiction's rule), not by its id.
                en, ja = _rule_words(cap["rule"])
                return (f"the cap ({en}) allows {figure(Decimal(cap['limit']))} "
                        f"credits ({cap.get('source') or 'no source'}); this would count "
                        f"{figure(used)}.",
                        f"上限（{ja}）は {figure(Decimal(cap['limit']))} 単位までです"
                        f"（調整後 {figure(used)} 単位）。")
    granted = Decimal(decision["granted"]) + delta
    total = Decimal(decision["total"])
    if granted > total:
        return (f"the target's total is {figure(total)} credits.",
                f"目標の総単位数は {figure(total)} 単位です。")
    for cap in decision["caps"]:
        if cap["rule"] in counted.get("caps", ()):
            cap["used"] = str(Decimal(cap["used"]) + delta)
    counted["credits"] = str(credits)
    counted["adjusted"] = True
    if left_out is not None and not any(c is counted for _, c in _counted(decision)):
        decision["general"].append(counted)
        decision["excluded"].remove(left_out)
    if requirement is not None:
        requirement["credits"] = str(Decimal(requirement["credits"]) + delta)
    decision["granted"] = str(granted)
    decision["missing"] = str(total - granted)
    return None


def _rule_words(rule_id: str) -> tuple[str, str]:
    """A jurisdiction rule's text (en, ja); its id when no jurisdiction has it."""
    for place in jurisdictions().values():
        rule = place.rules.get(rule_id)
        if rule is not None:
            return rule.en, rule.ja
    return rule_id, rule_id
