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

from credstack.core.creditbank.jurisdictions import jurisdictions
from credstack.errors import CreditAdjustmentError, Problem

__all__ = ["ADJUSTMENT", "Adjustment", "adjusted"]

#: The message keys of a refused adjustment begin so.
ADJUSTMENT = "creditbank.ws.adjustment."


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
            why = Problem(where, code=ADJUSTMENT + fault[0], params=fault[1])
            raise CreditAdjustmentError(
                code=ADJUSTMENT + "refused", params={
                    "deposit": adjustment.deposit, "credits": adjustment.credits, "why": why},
                problems=[why, Problem("deposit", adjustment.deposit)])
    return result


def _counted(decision: Mapping[str, Any]) -> list[tuple[dict[str, Any] | None,
                                                        dict[str, Any]]]:
    """Each counted deposit's data, with the requirement it counts in (None: general)."""
    found: list[tuple[dict[str, Any] | None, dict[str, Any]]] = [
        (requirement, counted) for requirement in decision["requirements"]
        for counted in requirement["counted"]]
    found.extend((None, counted) for counted in decision["general"])
    return found


#: The fault (``creditbank.ws.adjustment.<fault>``) and its values.
_Fault = tuple[str, dict[str, object]]


def _apply(decision: dict[str, Any], adjustment: Adjustment) -> _Fault | None:
    if not adjustment.reason.strip():
        return ("no_reason", {})
    try:
        credits = Decimal(adjustment.credits)
    except InvalidOperation:
        return ("not_a_number", {})
    if not credits.is_finite() or credits < 0:
        return ("negative", {})
    places = [(requirement, counted) for requirement, counted in _counted(decision)
              if counted["deposit"] == adjustment.deposit]
    left_out = next((item for item in decision.get("excluded", ())
                     if item["deposit"] == adjustment.deposit and item.get("uncounted")),
                    None)
    if not places and left_out is not None:
        places = [(None, copy.deepcopy(left_out["uncounted"]))]
    if not places:
        return ("not_counted", {})
    requirement, counted = places[0]
    before = Decimal(counted["credits"])
    converted = counted.get("converted")
    worth = Decimal(converted["credits"]) if converted else before
    if credits > worth:
        return ("worth", {"worth": worth, "system": decision["system"]})
    delta = credits - before
    for cap in decision["caps"]:
        if cap["rule"] in counted.get("caps", ()):
            used = Decimal(cap["used"]) + delta
            if used > Decimal(cap["limit"]):
                # The cap in its own words (a jurisdiction's rule), not by its id.
                values = {"rule": _rule_words(cap["rule"]), "limit": Decimal(cap["limit"]),
                          "used": used}
                if cap.get("source"):
                    return ("cap", values | {"source": cap["source"]})
                return ("cap_no_source", values)
    granted = Decimal(decision["granted"]) + delta
    total = Decimal(decision["total"])
    if granted > total:
        return ("total", {"total": total})
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


def _rule_words(rule_id: str) -> dict[str, str]:
    """A jurisdiction rule's text by language (its data); its id when no jurisdiction has
    it."""
    for place in jurisdictions().values():
        rule = place.rules.get(rule_id)
        if rule is not None:
            return {"en": rule.en, "ja": rule.ja}
    return {"en": rule_id, "ja": rule_id}
