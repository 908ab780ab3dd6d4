"""The ledger's lifecycle after an application: flags, expiry and re-evaluation (issue 16).

* :func:`flag_credential` — one of credstack's own credentials was revoked or suspended
  (:func:`credstack.services.issuance.status.change_status` calls it **in the same
  transaction**, so the flag cannot be lost between the two): every application, pending or
  approved, whose decision counted a deposit of that credential is flagged for review;
* :func:`recheck` — the daily ``creditbank.recheck`` job: every deposit counted in a pending
  or approved decision is verified again now (foreign credentials too: their issuers' status
  lists are read again); one that no longer verifies (revoked, suspended, expired, removed
  from the wallet) flags the application, with the reason;
* :func:`expire` — the daily ``creditbank.expire`` job: the ``expire`` entries the expiry
  rules call for (:func:`~credstack.core.creditbank.ledger.expiries_due`; India's Academic
  Bank of Credits: 7 years). The rules that apply to a learner's credits are the expiry
  rules of the targets the learner has applied to (a bank's learner banks toward its
  jurisdiction's programmes); a pending application counting a lapsed deposit is flagged;
* :func:`reevaluate` — the ``creditbank.reevaluate`` job a new version of a target starts:
  every learner with deposits or applications is evaluated against the new rules (deposits
  as verified at deposit, less those flagged; approval verifies them again anyway), and a
  pending application into an earlier version gets the fresh decision — its reservation
  released and made again for what the new decision counts. One the registrar has adjusted
  keeps its adjustments and is flagged instead (the new rules may make them wrong).

A flag is ``{"reason", "reason_ja", "reason_key", "deposits": [{"deposit", "credential",
"why"}], "by"}`` (``reason_key`` the ``creditbank.flag.*`` key the page words, ``reason`` and
``reason_ja`` its English and Japanese, the words alone in a flag made before the key; a
ledger's refusal or a rule change: ``why`` its code and ``why_params`` its values);
it only grows (a reinstated credential does not clear it: the registrar has to look).
Every flag, expiry and re-evaluated decision is audited (``creditbank.flagged``,
``creditbank.expired``, ``creditbank.reevaluated``). Each is idempotent: a deposit already
named in a flag, a deposit already lapsed, a decision already of the new version are left.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_UP, Decimal
from typing import Any

from credstack.adapters.db.repositories import credit_accounts as account_store
from credstack.adapters.db.repositories import credit_applications as application_store
from credstack.adapters.db.repositories import credit_targets as target_store
from credstack.adapters.db.repositories.credit_accounts import DepositRecord
from credstack.adapters.db.repositories.credit_applications import StoredApplication
from credstack.adapters.db.transactions import Session
from credstack.core.creditbank import (
    Deposit,
    DepositKind,
    LedgerEntry,
    Movement,
    RuleKind,
    balances,
    deposit_of,
    load_target,
    post,
)
from credstack.core.creditbank import evaluate as evaluate_deposits
from credstack.core.creditbank.conversion import figure
from credstack.core.creditbank.ledger import expiries_due
from credstack.core.said import Said
from credstack.core.verification.verdict import Outcome
from credstack.core.wallet.entries import Entry
from credstack.errors import LedgerError, NotFoundError
from credstack.services import audit, wallet
from credstack.services.creditbank.accounts import post_entry
from credstack.services.runtime import Runtime
from credstack.words import words

__all__ = [
    "LIVE",
    "Progress",
    "counted",
    "expire",
    "flag",
    "flag_credential",
    "recheck",
    "reevaluate",
    "release",
    "reserve",
]

#: The states whose decision still matters: a flag is raised on these.
LIVE = ("submitted", "approved")
_CENT = Decimal("0.01")

Progress = Callable[[int, int | None], None]


def _quiet(done: int, total: int | None) -> None:
    return None


def counted(decision: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What a decision counts for more than 0 credits: ``(rule, counted item)``, the rule
    being ``requirement:<id>`` or ``general-credit``."""
    items = [(f"requirement:{r['id']}", c) for r in decision["requirements"]
             for c in r["counted"]] + [("general-credit", c) for c in decision["general"]]
    return [(rule, item) for rule, item in items if Decimal(item["credits"]) > 0]


def share(item: dict[str, Any], available: Decimal) -> Decimal:
    """The credits to take from a deposit, in its own system, for what was counted."""
    credits = Decimal(item["credits"])
    converted = item.get("converted")
    worth = Decimal(converted["credits"]) if converted else credits
    stated = Decimal(converted["stated"]) if converted else credits
    if worth <= 0 or credits >= worth:
        return min(stated, available)
    return min((stated * credits / worth).quantize(_CENT, rounding=ROUND_UP), available)


def _append(session: Session, account_id: int, new: Sequence[LedgerEntry],
            now: dt.datetime) -> None:
    """Append ``new`` to the account's ledger, each checked against the entries before it
    (:func:`~credstack.core.creditbank.ledger.post`; a LedgerError otherwise), read once."""
    if not new:
        return
    entries = account_store.ledger(session, account_id)
    for entry in new:
        entries = post(entries, entry)
    account_store.append(session, account_id, new, now)


def reserve(session: Session, account_id: int, decision: dict[str, Any], *, programme: str,
            source: str, now: dt.datetime) -> list[dict[str, str]]:
    """Reserve for ``programme`` the credits ``decision`` counts (``reserve`` entries naming
    ``source`` and the rule); a :class:`~credstack.errors.LedgerError` when a deposit has
    not that much available (reserved elsewhere, withdrawn, lapsed) — the caller's
    transaction then rolls back, so nothing is reserved."""
    known = balances(account_store.ledger(session, account_id))
    new: list[LedgerEntry] = []
    for rule, item in counted(decision):
        balance = known.get(item["deposit"])
        amount = share(item, balance.entered) if balance is not None else Decimal(0)
        if balance is not None and amount > 0:
            new.append(LedgerEntry(Movement.RESERVE, item["deposit"], amount, balance.system,
                                   now.date(), rule, source, programme))
    _append(session, account_id, new, now)
    return [{"deposit": e.deposit, "credits": str(e.credits), "system": e.system}
            for e in new]


def release(session: Session, account_id: int, *, programme: str, source: str,
            now: dt.datetime, rule: str = "released") -> list[dict[str, str]]:
    """Give back every credit held for ``programme`` (``release`` entries)."""
    new = [LedgerEntry(Movement.RELEASE, b.deposit, b.reserved[programme], b.system,
                       now.date(), rule, source, programme)
           for b in balances(account_store.ledger(session, account_id)).values()
           if b.reserved.get(programme, Decimal(0)) > 0]
    _append(session, account_id, new, now)
    return [{"deposit": e.deposit, "credits": str(e.credits), "system": e.system}
            for e in new]


#: Why an application is flagged when a credential it counted no longer verifies.
_REASON = "creditbank.flag.no_longer_verifies"
#: What a flag keeps of its reason: its words, and its key (a flag made before keys: none).
_KEPT: tuple[str, ...] = ("reason", "reason_ja", "reason_key")


def flag(session: Session, row: StoredApplication, problems: Sequence[dict[str, Any]], *,
         by: str, now: dt.datetime, reason: str = _REASON) -> bool:
    """Flag ``row`` for review for ``problems`` (``{"deposit", "credential", "why"}``) not
    named by its flag yet, ``reason`` a ``creditbank.flag.*`` key; audited. False when there
    was nothing new."""
    existing = dict(row.flag or {})
    known = {p["deposit"] for p in existing.get("deposits", [])}
    new = [dict(p) for p in problems if p["deposit"] not in known]
    if not new:
        return False
    # The first reason stays; its words are kept beside its key (a flag made before the key,
    # its words only), for the readers of the stored flag.
    said: dict[str, Any] = {"reason": words(Said(reason), "en"),
                            "reason_ja": words(Said(reason), "ja"), "reason_key": reason}
    kept: dict[str, Any] = ({name: existing[name] for name in _KEPT if name in existing}
                            if "reason" in existing else said)
    value = {**kept, "deposits": [*existing.get("deposits", []), *new],
             "by": existing.get("by", by)}
    application_store.set_flag(session, row.id, value, row.flagged_at or now)
    audit.record(session, at=now, actor=by, action="creditbank.flagged",
                 subject=f"credit-application:{row.public_id}",
                 details={"state": row.state, "deposits": new,
                          "reason": words(Said(reason), "en")})
    return True


def _counted_ids(decision: dict[str, Any]) -> set[str]:
    return {item["deposit"] for _, item in counted(decision)}


def flag_credential(session: Session, *, credential_id: str, why: str, by: str,
                    now: dt.datetime) -> list[str]:
    """Flag every live application counting a deposit of ``credential_id`` (its own id,
    ``urn:uuid:…``) with ``why``; the applications' public ids."""
    flagged: list[str] = []
    for deposit, account_id in account_store.deposits_of_credential(session, credential_id):
        for row in application_store.of_account(session, account_id, LIVE):
            if deposit in _counted_ids(row.decision) and flag(
                    session, row, [{"deposit": deposit, "credential": credential_id,
                                    "why": why}], by=by, now=now):
                flagged.append(row.public_id)
    return flagged


def recheck(runtime: Runtime, *, by: str, progress: Progress = _quiet) -> dict[str, Any]:
    """Verify again every deposit counted in a live decision, and flag the applications
    whose counted credentials no longer verify (see the module docstring)."""
    with runtime.sessions() as session:
        found = application_store.live(session, LIVE)
    by_user: dict[int, list[tuple[int, set[str]]]] = defaultdict(list)
    for row_id, user_id, decision in found:
        by_user[user_id].append((row_id, _counted_ids(decision)))
    checked = flagged = 0
    progress(0, len(by_user))
    for done, (user_id, applied) in enumerate(sorted(by_user.items()), start=1):
        wanted = set().union(*(ids for _, ids in applied))
        with runtime.sessions() as session:
            rows = account_store.deposits(session, wanted)
        lapsed: dict[str, dict[str, str]] = {}
        now = runtime.now()
        for row in rows:
            checked += 1
            why: str | None = "removed from the wallet"
            if row.wallet_credential_id is not None:
                item, _ = wallet.recheck(runtime, user_id=user_id,
                                         public_id=row.wallet_public_id)
                if item.verified(now):
                    why = None
                elif item.entry.expired(now):
                    why = "expired"
                else:
                    why = item.failed_reason or item.failed_check or "not verified"
            if why is not None:
                lapsed[row.public_id] = {"deposit": row.public_id,
                                         "credential": row.credential, "why": why}
        if lapsed:
            with runtime.transaction() as session:
                for row_id, ids in applied:
                    application = application_store.application(session, row_id)
                    problems = [lapsed[d] for d in sorted(ids) if d in lapsed]
                    if application is not None and problems and flag(
                            session, application, problems, by=by, now=now):
                        flagged += 1
        progress(done, len(by_user))
    return {"learners": len(by_user), "deposits_checked": checked, "flagged": flagged}


def _expiry_rules(session: Session, account_id: int) -> list[tuple[str, int]]:
    """The expiry rules ``(id, years)`` of the targets the account applied to."""
    texts = application_store.target_texts(session, account_id)
    rules: dict[str, int] = {}
    for target_id, text in texts:
        for rule in load_target(text, source=f"{target_id}.yaml").rules_of(RuleKind.EXPIRY):
            if rule.years is not None:
                rules[rule.id] = rule.years
    return sorted(rules.items())


def expire(runtime: Runtime, *, by: str, today: dt.date | None = None,
           progress: Progress = _quiet) -> dict[str, Any]:
    """Post the ``expire`` entries due by ``today`` (see the module docstring)."""
    day = today or runtime.now().date()
    with runtime.sessions() as session:
        accounts = application_store.accounts_applied(session)
    expired = flagged = 0
    progress(0, len(accounts))
    for done, account_id in enumerate(accounts, start=1):
        now = runtime.now()
        with runtime.transaction() as session:
            for rule, years in _expiry_rules(session, account_id):
                for entry in expiries_due(account_store.ledger(session, account_id), today=day,
                                          years=years, rule=rule):
                    post_entry(session, account_id, entry, now)
                    expired += 1
                    audit.record(session, at=now, actor=by, action="creditbank.expired",
                                 subject=f"credit-deposit:{entry.deposit}",
                                 details={"credits": str(entry.credits),
                                          "system": entry.system, "rule": rule,
                                          "on": str(entry.on)})
                    flagged += _flag_lapsed(session, account_id, entry, by=by, now=now)
        progress(done, len(accounts))
    return {"accounts": len(accounts), "expired": expired, "flagged": flagged,
            "day": str(day)}


def _flag_lapsed(session: Session, account_id: int, entry: LedgerEntry, *, by: str,
                 now: dt.datetime) -> int:
    count = 0
    credential = next((deposit.credential for deposit
                       in account_store.deposits(session, [entry.deposit])), "")
    for row in application_store.of_account(session, account_id, ("submitted",)):
        if entry.deposit in _counted_ids(row.decision) and flag(
                session, row, [{"deposit": entry.deposit, "credential": credential,
                                "why": f"lapsed ({entry.rule})"}], by=by, now=now):
            count += 1
    return count


#: Learners re-evaluated per transaction by :func:`reevaluate`.
CHUNK = 500


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def owner_of(runtime: Runtime, target: str) -> str:
    """The slug of the organisation that published ``target`` (its public id);
    :class:`~credstack.errors.NotFoundError` when no such target is published."""
    with runtime.sessions() as session:
        found = target_store.published_version(session, target)
    if found is None:
        raise NotFoundError(code="creditbank.refused.no_target", params={"public_id": target})
    return found.organisation


def reevaluate(runtime: Runtime, *, target: str, by: str, progress: Progress = _quiet,
               chunk: int = CHUNK) -> dict[str, Any]:
    """Evaluate every learner with deposits or applications against the published target
    ``target`` (its public id, a new version) and store the fresh decision of each pending
    application into an earlier version of it (see the module docstring)."""
    with runtime.sessions() as session:
        row = target_store.version(session, target)
        if row is None:
            raise NotFoundError(code="creditbank.ws.refused.no_version",
                                params={"target": target})
        text, row_id, programme = row.text, row.id, row.target_id
        accounts = application_store.accounts_with_anything(session)
        # Earlier versions only: a late job of version 2 never takes back what version 3's
        # job gave a pending application.
        versions = target_store.earlier_versions(session, row)
    parsed = load_target(text, source=f"{programme}.yaml")
    total = len(accounts)
    evaluated = updated = flagged = 0
    granted = Decimal(0)
    progress(0, total)
    for part in _chunks(accounts, chunk):
        now = runtime.now()
        today = now.date()
        with runtime.transaction() as session:
            deposits: dict[int, list[DepositRecord]] = defaultdict(list)
            for deposit in account_store.deposits_of_accounts(session, part):
                deposits[deposit.account_id].append(deposit)
            ledgers = account_store.ledgers(session, part)
            pending: dict[int, list[StoredApplication]] = defaultdict(list)
            flagged_deposits: dict[int, set[str]] = defaultdict(set)
            for application in application_store.live_of(session, part, LIVE):
                for problem in (application.flag or {}).get("deposits", []):
                    flagged_deposits[application.account_id].add(problem["deposit"])
                if (application.state == "submitted"
                        and application.target_version_id in versions):
                    pending[application.account_id].append(application)
            for account_id in part:
                doubtful = flagged_deposits[account_id]
                made = [_deposit(d, Outcome(d.outcome).trusted
                                 and d.public_id not in doubtful)
                        for d in deposits[account_id]]
                decision = evaluate_deposits(parsed, made, today=today,
                                             balances=balances(ledgers.get(account_id, [])))
                evaluated += 1
                granted += decision.granted
                for application in pending[account_id]:
                    fresh = decision.to_dict(words)
                    outcome = _store(session, application, fresh, row_id=row_id,
                                     programme=programme, by=by, now=now)
                    updated += outcome == "updated"
                    flagged += outcome == "flagged"
        progress(min(evaluated, total), total)
    with runtime.transaction() as session:
        audit.record(session, at=runtime.now(), actor=by, action="creditbank.reevaluated",
                     subject=f"credit-target:{target}",
                     details={"learners": evaluated, "applications_updated": updated,
                              "applications_flagged": flagged})
    return {"target": target, "learners": evaluated, "applications_updated": updated,
            "applications_flagged": flagged, "granted_total": str(granted)}


def _deposit(row: DepositRecord, verified: bool) -> Deposit:
    """A deposit as stored (the columns :func:`reevaluate` reads), as
    :func:`~credstack.services.creditbank.accounts.stored` makes it."""
    entry = Entry.from_dict(row.entry)
    earned = (entry.issued.date() if entry.issued is not None
              else row.deposited_at.date())
    return deposit_of(entry, id=row.public_id, credential=row.credential,
                      kind=DepositKind(row.kind), route=row.route, verified=verified,
                      earned=earned)


def _why(error: LedgerError) -> dict[str, Any]:
    """Why the ledger refused, as a flag keeps it: the refusal's code (a message key) and its
    values as text (``why``, ``why_params``), for the page to word; else its message."""
    problem = error.problems[0] if error.problems else None
    if problem is None or not problem.code:
        return {"why": str(problem or error)}
    return {"why": problem.code, "why_params": {
        name: figure(value) if isinstance(value, Decimal) else str(value)
        for name, value in problem.params.items()}}


def _store(session: Session, application: StoredApplication, fresh: dict[str, Any], *,
           row_id: int, programme: str, by: str, now: dt.datetime) -> str:
    """Give a pending application its fresh decision (reservations made again), or flag it
    when the registrar adjusted it or the new decision cannot be reserved."""
    subject = f"credit-application:{application.public_id}"
    if application.adjustments:
        flag(session, application, [{"deposit": "*", "credential": "",
                                     "why": "creditbank.flag.why.rules_changed",
                                     "why_params": {}}],
             by=by, now=now, reason="creditbank.flag.rules_changed")
        return "flagged"
    source = f"credit-application:{application.public_id}"
    try:
        with session.begin_nested():
            release(session, application.account_id, programme=programme, source=source,
                    now=now, rule="re-evaluated")
            reserve(session, application.account_id, fresh, programme=programme,
                    source=source, now=now)
    except LedgerError as error:
        flag(session, application, [{"deposit": "*", "credential": "", **_why(error)}],
             by=by, now=now, reason="creditbank.flag.reserved_elsewhere")
        return "flagged"
    application_store.reevaluated(session, application.id, decision=fresh, target=row_id)
    audit.record(session, at=now, actor=by, action="creditbank.reevaluated",
                 subject=subject, details={"granted_before": application.granted,
                                           "granted": fresh["granted"]})
    return "updated"
