"""The rule engine: a learner's deposits against a target → a credit decision.

:func:`evaluate` is pure and deterministic: deposits are taken in the order of the day they
were earned, then their id (never in the order given, nor of a set or dict), requirements in
the target's order (prerequisites first). In that order:

1. each deposit is checked — verified, the credential not expired, its credits not lapsed
   under an expiry rule, not earned after ``today``, its route accepted, not withdrawn into
   another programme (``balances`` from the ledger), its credential not already counted, its
   stated credits and hours in agreement — or set aside with its :class:`Reason`; a
   deposit whose statements conflict counts only when a registrar ``resolved`` it, for the
   credits they decided (:func:`resolution_limit` bounds them), marked adjusted;
2. its credits are converted into the target's system with the target's rounding;
3. each requirement takes the deposits it needs among those passing its filters and not yet
   taken (a deposit counts once, for one requirement): for a programme, the deposit of it
   worth the most credits; for credits or hours, deposits in order until enough. Deposits
   no requirement took, and what a requirement's maximum left of a deposit, count as
   general credit when the target accepts it (so more learning never grants less); a
   deposit nothing took is set aside with its first cause (fitting no requirement, a cap
   or the total used up, prerequisites, requirements already met), and one only the
   requirements left out carries how it would count, for a registrar to count it;
4. every credit counted passes each cap on its route (shared caps are one limit for all
   their routes) and the target's total: a deposit worth more than the room left counts for
   the room, and names what limited it. Caps are never exceeded.

Minimum rules (Korea's 18 credits from accredited institutions) are then checked against
what was counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from credstack.core.creditbank.conversion import Converted, appraise, credit_rates, worth
from credstack.core.creditbank.decisions import (
    CapUse,
    Counted,
    Decision,
    Excluded,
    MinimumCheck,
    Reason,
    RequirementOutcome,
)
from credstack.core.creditbank.deposits import Deposit
from credstack.core.creditbank.jurisdictions import Rule, RuleKind
from credstack.core.creditbank.ledger import Balance, years_after
from credstack.core.creditbank.pathways import Requirement, Target
from credstack.errors import CreditConversionError, InputError, Problem

__all__ = ["evaluate", "resolution_limit"]

_ZERO = Decimal(0)

#: Conversions are pure and their inputs few (amounts, systems, roundings): re-evaluating
#: many learners converts the same amounts again and again.
_appraise = lru_cache(maxsize=16_384)(appraise)


@dataclass(frozen=True, slots=True)
class _Usable:
    deposit: Deposit
    converted: Converted | None
    hours: Decimal
    #: Its place in the evaluation order.
    order: int
    #: Whether a registrar decided what it is worth (its statements conflict).
    resolved: bool = False

    @property
    def credits(self) -> Decimal:
        return self.converted.credits if self.converted is not None else _ZERO


@dataclass(slots=True)
class _Tally:
    """What has been counted so far: deposits taken, credits per cap, the total."""

    target: Target
    limits: dict[str, Decimal]
    used: dict[str, Decimal] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    #: What is left of a deposit a requirement took in part (above its maximum).
    left: dict[str, Decimal] = field(default_factory=dict)
    granted: Decimal = _ZERO
    by_route: dict[str, Decimal] = field(default_factory=dict)
    #: The caps on each route, looked up once per route.
    caps_on: dict[str, tuple[Rule, ...]] = field(default_factory=dict)

    def caps(self, route: str) -> tuple[Rule, ...]:
        caps = self.caps_on.get(route)
        if caps is None:
            caps = self.caps_on[route] = tuple(
                rule for rule in self.target.rules
                if rule.kind is RuleKind.CAP and route in rule.routes)
        return caps

    def measure(self, usable: _Usable, room: Decimal | None) -> tuple[Decimal, list[str]]:
        """What ``usable`` would count, with what the caps, the total and ``room`` leave,
        and the names of the limits that cut it."""
        deposit = usable.deposit
        counted, limited = self.left.get(deposit.id, usable.credits), list[str]()
        for rule in self.caps(deposit.route):
            left = self.limits[rule.id] - self.used.get(rule.id, _ZERO)
            if left < counted:
                counted, limited = max(left, _ZERO), [*limited, rule.id]
        if room is not None and room < counted:
            counted, limited = max(room, _ZERO), [*limited, "requirement"]
        if self.target.total - self.granted < counted:
            counted, limited = self.target.total - self.granted, [*limited, "total"]
        return counted, limited

    def count(self, usable: _Usable, room: Decimal | None) -> Counted:
        """Take ``usable``, counting what :meth:`measure` leaves."""
        deposit = usable.deposit
        counted, limited = self.measure(usable, room)
        self.left[deposit.id] = self.left.get(deposit.id, usable.credits) - counted
        for rule in self.caps(deposit.route):
            self.used[rule.id] = self.used.get(rule.id, _ZERO) + counted
        self.taken.add(deposit.id)
        self.granted += counted
        self.by_route[deposit.route] = self.by_route.get(deposit.route, _ZERO) + counted
        return Counted(deposit.id, deposit.credential, deposit.route, counted,
                       usable.converted, tuple(limited),
                       tuple(rule.id for rule in self.caps(deposit.route)),
                       adjusted=usable.resolved)


def evaluate(target: Target, deposits: Iterable[Deposit], *, today: dt.date,
             balances: Mapping[str, Balance] | None = None,
             resolved: Mapping[str, Decimal] | None = None) -> Decision:
    """The credit decision for ``deposits`` against ``target`` on ``today`` (see the module
    docstring). ``balances`` (from :func:`~credstack.core.creditbank.ledger.balances`)
    sets aside deposits lapsed in the ledger, or with credits withdrawn into a programme
    other than ``target.id`` (withdrawn into the target itself, they keep counting when the
    decision is made again, after a rule change). ``resolved`` holds, by deposit id, the
    credits (in the target's system) a registrar decided a deposit whose stated credits and
    hours conflict is worth; such a deposit is otherwise set aside."""
    ordered = sorted(deposits, key=lambda d: (d.earned, d.id))
    ids = [deposit.id for deposit in ordered]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise InputError(code="creditbank.ws.deposit.ids_twice", params={"ids": tuple(twice)},
                         problems=[Problem("deposits", ", ".join(twice))])
    usable, excluded = _screen(target, ordered, today, balances or {}, resolved or {})
    tally = _Tally(target, {rule.id: rule.limit(target.total) or _ZERO
                            for rule in target.rules if rule.kind is RuleKind.CAP})
    pool = _Pool(usable)
    outcomes: dict[str, RequirementOutcome] = {}
    for requirement in target.requirements:
        outcomes[requirement.id] = _requirement(requirement, pool, tally, outcomes, today)
    general: tuple[Counted, ...] = ()
    if target.general_credit:
        general = tuple(tally.count(u, None) for u in usable
                        if tally.measure(u, None)[0] > 0)
    # No usable deposit is left out in silence: taken by nothing, it is set aside with its
    # real cause, and the registrar may still count one the requirements did not take.
    excluded += [_untaken(u, target, pool, tally, outcomes, today) for u in usable
                 if u.deposit.id not in tally.taken]
    caps = tuple(CapUse(rule, tally.limits[rule.id], tally.used.get(rule.id, _ZERO))
                 for rule in target.rules if rule.kind is RuleKind.CAP)
    minimums = tuple(
        MinimumCheck(rule, rule.limit(target.total) or _ZERO,
                     sum((tally.by_route.get(route, _ZERO) for route in rule.routes), _ZERO))
        for rule in target.rules if rule.kind is RuleKind.MINIMUM)
    return Decision(target, today, tuple(outcomes.values()), general, caps, minimums,
                    tuple(excluded), tally.granted)


def _untaken(usable: _Usable, target: Target, pool: _Pool, tally: _Tally,
             outcomes: Mapping[str, RequirementOutcome], today: dt.date) -> Excluded:
    """Why a usable deposit counted nowhere, by its first cause: worth nothing once rounded,
    fitting no requirement (without general credit), the total or a cap used up, the
    requirements it fits waiting on prerequisites, or met with other deposits."""
    deposit = usable.deposit
    if usable.credits <= 0:
        return Excluded(deposit.id, Reason.WORTH_NOTHING)
    fits = [r for r in target.requirements
            if any(u is usable for u in pool.for_requirement(r))
            and _matches(r, deposit, today, _since(r, outcomes))]
    if not fits and not target.general_credit:
        reason = Reason.DECIDED_NOT_TAKEN if usable.resolved else Reason.FITS_NO_REQUIREMENT
        return Excluded(deposit.id, reason, uncounted=_uncounted(usable, tally))
    if tally.granted >= target.total:
        return Excluded(deposit.id, Reason.TOTAL_REACHED)
    full = next((rule.id for rule in tally.caps(deposit.route)
                 if tally.used.get(rule.id, _ZERO) >= tally.limits[rule.id]), None)
    if full is not None:
        return Excluded(deposit.id, Reason.CAP_REACHED, full)
    # What is left: the requirements it fits took what they needed from others first, or
    # wait on requirements before them.
    waiting = any(outcomes[r.id].waiting_on for r in fits)
    return Excluded(deposit.id, Reason.PREREQUISITE_NOT_MET if waiting
                    else Reason.REQUIREMENTS_MET, uncounted=_uncounted(usable, tally))


def _uncounted(usable: _Usable, tally: _Tally) -> Counted:
    """``usable`` as it would count, at 0 credits: what a registrar's count starts from."""
    deposit = usable.deposit
    return Counted(deposit.id, deposit.credential, deposit.route, _ZERO, usable.converted,
                   caps=tuple(rule.id for rule in tally.caps(deposit.route)),
                   adjusted=usable.resolved)


def _since(requirement: Requirement, outcomes: Mapping[str, RequirementOutcome]
           ) -> dt.date | None:
    """The day a requirement's prerequisites were all met: deposits count from then on."""
    return max((day for a in requirement.after
                if (day := outcomes[a].met_on) is not None), default=None)


def resolution_limit(deposit: Deposit, target: Target) -> Decimal:
    """The most a registrar may decide a deposit whose statements conflict is worth in the
    target's system: the highest of what each of its statements is worth alone."""
    entry = deposit.entry
    return max((converted.credits for converted in worth(
        entry.credits, entry.hours, to_system=target.system, rounding=target.rounding)),
        default=_ZERO)


def _resolution(deposit: Deposit, target: Target, credits: Decimal) -> Converted:
    """A conflicting deposit as a registrar decided it: ``credits`` in the target's system,
    for the whole of what it states in its own (the first system it states credits in, else
    its hours, as the ledger enters it)."""
    entry = deposit.entry
    system, stated = entry.credits[0] if entry.credits else ("hours", entry.hours or _ZERO)
    return Converted(stated, system, target.system, None, credits, credits, None, ())


def _screen(target: Target, ordered: list[Deposit], today: dt.date,
            balances: Mapping[str, Balance], resolved: Mapping[str, Decimal]
            ) -> tuple[list[_Usable], list[Excluded]]:
    usable: list[_Usable] = []
    excluded: list[Excluded] = []
    credentials: set[str] = set()
    expiries = target.rules_of(RuleKind.EXPIRY)
    accepted = target.routes
    for deposit in ordered:
        balance = balances.get(deposit.id)
        lapsed = next((rule.id for rule in expiries if rule.years is not None
                       and years_after(deposit.earned, rule.years) <= today), None)
        reason: Reason | None = None
        if not deposit.verified:
            reason = Reason.NOT_VERIFIED
        elif deposit.expired(today):
            reason = Reason.EXPIRED
        elif lapsed is not None or (balance is not None and balance.lapsed):
            reason = Reason.LAPSED
        elif deposit.earned > today:
            reason = Reason.NOT_YET_EARNED
        elif accepted and deposit.route not in accepted:
            reason = Reason.ROUTE_NOT_ACCEPTED
        elif balance is not None and any(programme != target.id
                                         for programme in balance.withdrawals):
            reason = Reason.WITHDRAWN
        elif deposit.credential in credentials:
            reason = Reason.SAME_CREDENTIAL
        if reason is not None:
            excluded.append(Excluded(deposit.id, reason, lapsed))
            continue
        entry = deposit.entry
        try:
            appraisal = _appraise(entry.credits, entry.hours, to_system=target.system,
                                  rounding=target.rounding)
        except CreditConversionError:
            # A foreign credential's unknown system is a verdict on that deposit, not a
            # reason to refuse the whole decision (the target's own system was checked
            # when it was loaded).
            excluded.append(Excluded(deposit.id, Reason.UNKNOWN_SYSTEM))
            continue
        decided = resolved.get(deposit.id) if appraisal.conflicts else None
        if appraisal.conflicts and decided is None:
            excluded.append(Excluded(deposit.id, Reason.CONFLICT, None, appraisal.conflicts))
            continue
        credentials.add(deposit.credential)
        converted = (appraisal.converted if decided is None
                     else _resolution(deposit, target, decided))
        hours = entry.hours if entry.hours is not None else next(
            (amount * credit_rates()[system].hours_min for system, amount in entry.credits),
            _ZERO)
        usable.append(_Usable(deposit, converted, hours, len(usable), decided is not None))
    return usable, excluded


def _matches(requirement: Requirement, deposit: Deposit, today: dt.date,
             since: dt.date | None) -> bool:
    entry = deposit.entry
    level = requirement.level
    return ((requirement.field is None or requirement.field in entry.fields)
            and (requirement.skill is None or requirement.skill in deposit.skills)
            and (level is None or (deposit.level_in(level.framework) or 0) >= level.minimum)
            and (not requirement.routes or deposit.route in requirement.routes)
            and (requirement.within_years is None
                 or years_after(deposit.earned, requirement.within_years) > today)
            and (requirement.min_grade is None
                 or (deposit.grade is not None and deposit.grade >= requirement.min_grade))
            and (since is None or deposit.earned >= since))


class _Pool:
    """The usable deposits in evaluation order, indexed by programme and by field so that a
    requirement looks only at the deposits that may match it."""

    def __init__(self, usable: list[_Usable]) -> None:
        self.all = usable
        self.by_programme: dict[str, list[_Usable]] = {}
        self.by_field: dict[str, list[_Usable]] = {}
        for item in usable:
            entry = item.deposit.entry
            for key in dict.fromkeys((entry.achievement_id, entry.programme_url)):
                if key is not None:
                    self.by_programme.setdefault(key, []).append(item)
            for name in dict.fromkeys(entry.fields):
                self.by_field.setdefault(name, []).append(item)

    def for_requirement(self, requirement: Requirement) -> list[_Usable]:
        if requirement.programmes:
            merged = {item.order: item for programme in requirement.programmes
                      for item in self.by_programme.get(programme, ())}
            return [merged[order] for order in sorted(merged)]
        if requirement.field is not None:
            return self.by_field.get(requirement.field, [])
        return self.all


def _requirement(requirement: Requirement, pool: _Pool, tally: _Tally,
                 outcomes: Mapping[str, RequirementOutcome],
                 today: dt.date) -> RequirementOutcome:
    waiting = tuple(a for a in requirement.after if not outcomes[a].met)
    if waiting:
        return RequirementOutcome(
            requirement, False, (), _ZERO, _ZERO, requirement.min_credits or _ZERO,
            requirement.min_hours or _ZERO, requirement.programmes, waiting, None)
    since = _since(requirement, outcomes)
    candidates = [u for u in pool.for_requirement(requirement)
                  if u.deposit.id not in tally.taken
                  and _matches(requirement, u.deposit, today, since)]
    if requirement.programmes:
        return _programmes(requirement, candidates, tally)
    return _amounts(requirement, candidates, tally)


def _programmes(requirement: Requirement, candidates: list[_Usable],
                tally: _Tally) -> RequirementOutcome:
    needed = requirement.choose or len(requirement.programmes)
    counted: list[Counted] = []
    found: list[str] = []
    met_on: dt.date | None = None
    for programme in requirement.programmes:
        if len(found) == needed:
            break
        matching = [u for u in candidates if u.deposit.id not in tally.taken
                    and programme in (u.deposit.entry.achievement_id,
                                      u.deposit.entry.programme_url)]
        if not matching:
            continue
        # The deposit worth the most credits counts (the earliest, then the lowest id, among
        # equals); the programme was done when the first of them was earned.
        usable = min(matching, key=lambda u: (-u.credits, u.deposit.earned, u.deposit.id))
        room = (requirement.max_credits - sum((c.credits for c in counted), _ZERO)
                if requirement.max_credits is not None else None)
        counted.append(tally.count(usable, room))
        found.append(programme)
        done = matching[0].deposit.earned
        met_on = max(met_on or done, done)
    met = len(found) == needed
    missing = tuple(p for p in requirement.programmes if p not in found) if not met else ()
    credits = sum((c.credits for c in counted), _ZERO)
    return RequirementOutcome(requirement, met, tuple(counted), credits, _ZERO, _ZERO, _ZERO,
                              missing, (), met_on if met else None)


def _amounts(requirement: Requirement, candidates: list[_Usable],
             tally: _Tally) -> RequirementOutcome:
    cap = requirement.max_credits or requirement.min_credits
    counted: list[Counted] = []
    credits = hours = _ZERO
    met_on: dt.date | None = None

    def met() -> bool:
        return ((requirement.min_credits is None or credits >= requirement.min_credits)
                and (requirement.min_hours is None or hours >= requirement.min_hours))

    for usable in candidates:
        enough_credits = cap is None or credits >= cap
        enough_hours = requirement.min_hours is None or hours >= requirement.min_hours
        if enough_credits and enough_hours:
            break
        room = cap - credits if cap is not None else None
        if tally.measure(usable, room)[0] <= 0 and (enough_hours or usable.hours <= 0):
            continue
        one = tally.count(usable, room)
        counted.append(one)
        credits += one.credits
        hours += usable.hours
        if met_on is None and met():
            met_on = usable.deposit.earned
    return RequirementOutcome(
        requirement, met(), tuple(counted), credits, hours,
        max((requirement.min_credits or _ZERO) - credits, _ZERO),
        max((requirement.min_hours or _ZERO) - hours, _ZERO), (), (), met_on)
