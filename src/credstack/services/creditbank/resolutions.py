"""A registrar's decision on a deposit the rules could not count (issue 51, defect 6).

A deposit whose stated credits and hours conflict (2 単位 for 10 hours) is set aside by the
engine — which figure to believe is a registrar's decision (:mod:`credstack.core.creditbank
.conversion`). :func:`adjust` is how a registrar sets the credits of one deposit of an
application, whichever it is:

* a deposit **awaiting a decision** (set aside for a conflict) is resolved: the credits the
  registrar decided (0 up to what its strongest statement is worth alone,
  :func:`~credstack.core.creditbank.engine.resolution_limit`; beyond, refused) become its
  worth, and the application's decision is evaluated again over the deposits it was made of
  (each verified again now, as approval does), the conflict resolved — the engine places the
  deposit by the target's rules and caps, marked adjusted — with the registrar's earlier
  adjustments applied again; the credits reserved for the application are released and
  reserved again for the new decision;
* a deposit the decision **counts** is adjusted by
  :func:`~credstack.services.creditbank.applications.adjust`.

Both keep the adjustment beside the decision (a resolution with ``"resolves": "conflict"``)
and are audited alike: ``creditbank.adjusted``, and ``creditbank.adjust-refused`` for a
refusal. :func:`awaiting` gives the page the deposits awaiting a decision and the most each
may count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from credstack.adapters.db.repositories import credit_accounts as account_store
from credstack.core.access import Actor
from credstack.core.creditbank import Adjustment, Deposit, Reason, Target, adjusted, balances
from credstack.core.creditbank import evaluate as evaluate_deposits
from credstack.core.creditbank.conversion import figure
from credstack.core.creditbank.engine import resolution_limit
from credstack.core.said import Said
from credstack.errors import CreditAdjustmentError, InputError, Problem
from credstack.services import audit
from credstack.services.creditbank import applications
from credstack.services.creditbank.accounts import reverified, stored
from credstack.services.creditbank.lifecycle import release, reserve
from credstack.services.creditbank.targets import parsed_target
from credstack.services.runtime import Runtime
from credstack.words import problem_words, words

__all__ = ["RESOLVES", "adjust", "awaiting"]

#: How an adjustment that resolved a conflict is marked beside the decision.
RESOLVES = "conflict"


def _awaiting(decision: Mapping[str, Any]) -> list[str]:
    """The deposits the decision set aside for a conflict between their statements."""
    return [item["deposit"] for item in decision.get("excluded", ())
            if item.get("reason") == Reason.CONFLICT.value]


def _named(decision: Mapping[str, Any]) -> set[str]:
    """Every deposit the decision was made of: counted or set aside."""
    return {*(c["deposit"] for r in decision["requirements"] for c in r["counted"]),
            *(c["deposit"] for c in decision["general"]),
            *(item["deposit"] for item in decision.get("excluded", ()))}


def awaiting(runtime: Runtime, *, actor: Actor, public_id: str) -> dict[str, Decimal]:
    """The deposits of application ``public_id`` awaiting a registrar's decision, each with
    the most it may be decided to count (for a registrar of the target's organisation)."""
    found = applications.application(runtime, actor=actor, public_id=public_id)
    waiting = _awaiting(found.decision)
    if not waiting or found.state != "submitted":
        return {}
    with runtime.sessions() as session:
        applications.registrar_of(actor, session, public_id)
        rows = account_store.deposits(session, waiting)
        target = applications.target_of(runtime, session, public_id)
    deposits = {row.public_id: stored(row, True).deposit for row in rows}
    return {deposit: resolution_limit(deposits[deposit], target)
            for deposit in waiting if deposit in deposits}


def _amount(credits: str) -> Decimal:
    try:
        amount = Decimal(credits)
    except (ArithmeticError, InvalidOperation):
        raise InputError(code="creditbank.ws.refused.not_a_number",
                         problems=[Problem("credits", "a number")]) from None
    if not amount.is_finite():
        raise InputError(code="creditbank.ws.refused.not_a_number",
                         problems=[Problem("credits", "a number")])
    return amount


def _refused(deposit: str, amount: Decimal, why: Said) -> CreditAdjustmentError:
    return CreditAdjustmentError(
        code="creditbank.ws.refused.resolution",
        params={"deposit": deposit, "credits": figure(amount), "why": why},
        problems=[Problem("credits", code=why.key, params=why.params),
                  Problem("deposit", deposit)])


def _checked(deposit: Deposit | None, target: Target, name: str, amount: Decimal) -> Deposit:
    if deposit is None:
        raise _refused(name, amount, Said("creditbank.ws.refused.resolution_gone"))
    limit = resolution_limit(deposit, target)
    if amount < 0 or amount > limit:
        raise _refused(name, amount, Said("creditbank.ws.refused.resolution_range",
                                          most=figure(limit)))
    return deposit


def adjust(runtime: Runtime, *, actor: Actor, public_id: str, deposit: str, credits: str,
           reason: str, version: int | None = None) -> applications.CreditApplication:
    """Count ``credits`` for ``deposit`` in the application's decision, because of
    ``reason``: a deposit awaiting a decision is resolved, one counted is adjusted (see the
    module docstring)."""
    with runtime.sessions() as session:
        principal, found = applications.registrar_of(actor, session, public_id)
        decision, learner = found[0].decision, found[3]
    if deposit not in _awaiting(decision):
        return applications.adjust(runtime, actor=actor, public_id=public_id,
                                   deposit=deposit, credits=credits, reason=reason,
                                   version=version)
    cleaned = applications.cleaned_reason(reason)
    amount = _amount(credits)
    # Verified again now, as approval does: a deposit that stopped verifying is set aside.
    deposits = [d.deposit for d in reverified(runtime, learner)
                if d.deposit.id in _named(decision)]
    now = runtime.now()
    try:
        with runtime.transaction() as session:
            row, target, organisation, user_id = applications.registrar_of(
                actor, session, public_id)[1]
            applications.submitted(row, version)
            rules = parsed_target(runtime, public_id=target.public_id,
                                  target_id=target.target_id, text=target.text)
            _checked(next((d for d in deposits if d.id == deposit), None), rules, deposit,
                     amount)
            new = _evaluated(session, row.account_id, rules, deposits, row.adjustments,
                             {deposit: amount}, now)
            made = [*row.adjustments, {"deposit": deposit, "credits": str(amount),
                                       "reason": cleaned, "by": principal.subject,
                                       "at": applications.stamp(now), "resolves": RESOLVES}]
            source = f"credit-application:{public_id}"
            release(session, row.account_id, programme=target.target_id, source=source,
                    now=now, rule="decided")
            reserve(session, row.account_id, new, programme=target.target_id, source=source,
                    now=now)
            applications.claim(session, row, decision=new, adjustments=made,
                               granted=new["granted"])
            audit.record(session, at=now, actor=principal.subject,
                         action="creditbank.adjusted", subject=source,
                         details={"deposit": deposit, "credits": str(amount),
                                  "reason": cleaned, "granted": new["granted"],
                                  "resolves": RESOLVES})
            return applications.view(applications.fresh(session, row), user_id,
                                     target.target_id, organisation)
    except CreditAdjustmentError as error:
        # The audit keeps why in words, as it always did (credits: …, in English).
        why = error.problems[0]
        audit.record_separately(runtime.sessions, at=now, actor=principal.subject,
                                action="creditbank.adjust-refused",
                                subject=f"credit-application:{public_id}",
                                details={"deposit": deposit, "credits": str(amount),
                                         "reason": f"{why.location}: {problem_words(why, 'en')}",
                                         "resolves": RESOLVES})
        raise


def _evaluated(session: Any, account_id: int, target: Target, deposits: list[Deposit],
               earlier: list[dict[str, Any]], decided: Mapping[str, Decimal],
               now: dt.datetime) -> dict[str, Any]:
    """The decision over ``deposits`` evaluated again with every conflict resolved so far
    and ``decided``, then the registrar's other adjustments applied again in order."""
    resolved = {item["deposit"]: Decimal(item["credits"]) for item in earlier
                if item.get("resolves") == RESOLVES} | dict(decided)
    fresh = evaluate_deposits(target, deposits, today=now.date(),
                              balances=balances(account_store.ledger(session, account_id)),
                              resolved=resolved).to_dict(words)
    return adjusted(fresh, [Adjustment(item["deposit"], Decimal(item["credits"]),
                                       item["reason"]) for item in earlier
                            if item.get("resolves") != RESOLVES])
