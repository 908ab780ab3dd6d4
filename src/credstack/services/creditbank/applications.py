"""Credit decisions and applications for credit transfer, and the registrar's part.

* :func:`evaluate` — the caller's deposits, each **verified again now**, against a published
  target: a :class:`~credstack.core.creditbank.decisions.Decision` (deposits that no longer
  verify are set aside, with the reason);
* :func:`apply` — the same, kept as an application (``submitted``) for the target's
  organisation to decide; one pending application per learner and target (whatever its
  version);
* :func:`applications` — a registrar's list of the applications into their organisation's
  targets; :func:`own_applications` — the learner's own; :func:`application` — one, for its
  learner or a registrar of the target's organisation (anyone else: not found);
* :func:`adjust` — a registrar sets the credits counted for a deposit, with a reason,
  checked by :func:`~credstack.core.creditbank.adjustments.adjusted` (beyond a cap: refused);
* :func:`approve` — the counted credits are withdrawn from the learner's ledger into the
  target, irrevocably, and the target's organisation issues the learner a credential of the
  decision (:mod:`credstack.core.creditbank.recognised`: Open Badges 3.0, ``creditsEarned``),
  signed with its key and kept like every credential it issues (its wallet takes it in).
  Of two approvals of one application at once exactly one wins: the
  state changes by a conditional update (``state = 'submitted' AND version = …``), the other
  gets an :class:`~credstack.errors.IllegalTransitionError` (a conflict) and changes nothing;
* :func:`refuse` — with a reason; the credits reserved at application are released.

Applying reserves, for the target, the credits the decision counts (``reserve`` entries
naming the application and the rule, :func:`~credstack.services.creditbank.lifecycle.
reserve`): credits another application holds or that were withdrawn cannot be reserved
again, and the application is refused (:class:`~credstack.errors.LedgerError`, nothing
changed, audited ``creditbank.apply-refused``). Approval withdraws from that reserve and
releases what it did not withdraw. A decision whose counted credential later stops
verifying is flagged for review (:mod:`.lifecycle`): ``flag`` and ``flagged_at``.

Approving withdraws, for each counted deposit, the share of its credits the decision
counted, in the deposit's own credit system (all of them when the whole deposit counted);
the ledger refuses credits withdrawn twice or into another programme, so a credential never
counts twice where the rules forbid it. Audited: ``creditbank.applied``,
``creditbank.adjusted``, ``creditbank.approved``, ``creditbank.refused``; refusals of an
adjustment are audited as ``creditbank.adjust-refused``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_UP, Decimal
from typing import Any

from credstack.adapters.db.repositories import accounts as user_store
from credstack.adapters.db.repositories import credit_accounts as account_store
from credstack.adapters.db.repositories import credit_applications as application_store
from credstack.adapters.db.repositories.credit_applications import StoredApplication
from credstack.adapters.db.repositories.credit_targets import StoredTarget
from credstack.adapters.db.times import utc
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor, Principal
from credstack.core.credentials.issue_requests import DEFAULT_PURPOSES
from credstack.core.creditbank import (
    Adjustment,
    Decision,
    LedgerEntry,
    Movement,
    Target,
    adjusted,
    balances,
    explain,
    load_target,
    restored,
)
from credstack.core.creditbank import (
    evaluate as evaluate_deposits,
)
from credstack.core.creditbank.recognised import decision_credential
from credstack.core.said import Said
from credstack.core.wallet.entries import Entry
from credstack.errors import (
    CreditAdjustmentError,
    IllegalTransitionError,
    InputError,
    LedgerError,
    NotFoundError,
    Problem,
    StaleStateError,
)
from credstack.services import audit, issuance
from credstack.services.creditbank.accounts import post_entry, reverified
from credstack.services.creditbank.lifecycle import release, reserve
from credstack.services.creditbank.targets import parsed_target, target_row
from credstack.services.runtime import Runtime
from credstack.words import words

__all__ = ["CreditApplication", "adjust", "application", "applications", "apply", "approve",
           "claim", "cleaned_reason", "evaluate", "fresh", "own_applications", "refuse",
           "registrar_of", "stamp", "submitted", "target_of", "view"]

MAX_REASON = 2000
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class CreditApplication(StoredApplication):
    """An application as its learner and the registrars see it: the stored one, with who
    applied, into which target (its public id) of which organisation."""

    learner: int
    target: str
    organisation: str
    #: The decision as adjusted, explained (:func:`~credstack.core.creditbank.explain`: its
    #: lines as message keys and values, which the reader's page words): for an application
    #: read alone, empty in lists.
    explanation: tuple[Said, ...] = ()
    #: The deposits' credential titles and the requirements' titles, by id and language,
    #: to show them by name (only in one application's view).
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    requirement_titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return self.flag is not None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.public_id, "learner": self.learner, "target": self.target,
                "organisation": self.organisation, "state": self.state,
                "decision": self.decision, "adjustments": list(self.adjustments),
                "granted": self.granted, "reason": self.reason,
                "decided_by": self.decided_by, "version": self.version,
                "submitted_at": stamp(self.submitted_at),
                "decided_at": stamp(self.decided_at) if self.decided_at else None,
                "credential": self.credential_id, "flagged": self.flagged,
                "flag": self.flag,
                "flagged_at": stamp(self.flagged_at) if self.flagged_at else None}


def stamp(moment: dt.datetime) -> str:
    return utc(moment).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _decide(runtime: Runtime, user_id: int, target_id: str) -> tuple[Decision, int]:
    """The decision for the user's deposits (re-verified now) against the target, and the
    target's row id."""
    with runtime.sessions() as session:
        row, _ = target_row(session, target_id)
        text, row_id = row.text, row.id
        owner = account_store.existing_account(session, user_id)
        entries = account_store.ledger(session, owner) if owner is not None else ()
    target = load_target(text, source=f"{target_id}.yaml")
    deposits = [found.deposit for found in reverified(runtime, user_id)]
    return (evaluate_deposits(target, deposits, today=runtime.now().date(),
                              balances=balances(entries)), row_id)


def evaluate(runtime: Runtime, *, actor: Actor, target: str) -> Decision:
    """The caller's deposits against the published target ``target`` (its public id)."""
    principal = actor.require(Action.CREDITBANK_READ)
    assert principal.user_id is not None
    return _decide(runtime, principal.user_id, target)[0]


def view(row: StoredApplication, user_id: int, target: str, organisation: str
         ) -> CreditApplication:
    stored = {name.name: getattr(row, name.name) for name in fields(StoredApplication)}
    return CreditApplication(**stored, learner=user_id, target=target,
                             organisation=organisation)


def apply(runtime: Runtime, *, actor: Actor, target: str) -> CreditApplication:
    """Apply for credit transfer into ``target`` with the decision evaluated now, reserving
    for the target the credits it counts (``reserve`` entries naming the application and the
    rule). Credits another application holds, or withdrawn, cannot be reserved again: the
    application is refused with a :class:`~credstack.errors.LedgerError` saying which,
    nothing is changed, and the attempt is audited (``creditbank.apply-refused``)."""
    principal = actor.require(Action.CREDITBANK_WRITE)
    assert principal.user_id is not None
    decision, target_row_id = _decide(runtime, principal.user_id, target)
    now = runtime.now()
    try:
        with runtime.transaction() as session:
            # Locked: two applications at once read the ledger one after the other, so the
            # second sees the first's reservations (it raced past them on PostgreSQL).
            owner = account_store.add_account_if_new(session, principal.user_id, now, lock=True)
            same, organisation = target_row(session, target)
            pending = application_store.pending_into(
                session, account=owner, organisation_id=same.organisation_id,
                target_id=same.target_id)
            if pending is not None:
                raise IllegalTransitionError(code="creditbank.refused.pending",
                                             params={"pending": pending})
            row = application_store.add(
                session, public_id=secrets.token_hex(16), account=owner, target=target_row_id,
                decision=decision.to_dict(words), granted=str(decision.granted), at=now)
            held = reserve(session, owner, row.decision, programme=same.target_id,
                           source=f"credit-application:{row.public_id}", now=now)
            audit.record(session, at=now, actor=principal.subject,
                         action="creditbank.applied",
                         subject=f"credit-application:{row.public_id}",
                         details={"target": decision.target.id, "granted": row.granted,
                                  "reserved": held})
            return view(row, principal.user_id, decision.target.id, organisation)
    except LedgerError as error:
        # Why, as the ledger said it (a code the page words), or a change made at the same
        # moment (the repository's refusal, which names no entry).
        why = (replace(error.problems[0], location="credits") if error.problems
               else Problem("credits", code="creditbank.ws.apply.concurrent"))
        audit.record_separately(runtime.sessions, at=now, actor=principal.subject,
                                action="creditbank.apply-refused",
                                subject=f"credit-target:{target}",
                                details={"target": decision.target.id, "reason": str(why),
                                         "error": str(error)[:500]})
        raise LedgerError(code="creditbank.ws.apply.unreserved", params={"why": why},
                          problems=[why]) from error


_Found = tuple[StoredApplication, StoredTarget, str, int]


def _find(session: Session, public_id: str) -> _Found | None:
    return application_store.find(session, public_id)


def _missing(public_id: str) -> NotFoundError:
    return NotFoundError(code="creditbank.refused.no_application",
                         params={"public_id": public_id})


def registrar_of(actor: Actor, session: Session, public_id: str) -> tuple[Principal, _Found]:
    """A registrar of the application's target's organisation, and the application (its row,
    its target's row, the organisation's slug and the learner's user id)."""
    found = _find(session, public_id)
    if found is None:
        raise _missing(public_id)
    principal = actor.require(Action.CREDITBANK_DECIDE, found[2])
    return principal, found


def target_of(runtime: Runtime, session: Session, public_id: str) -> Target:
    """The target version application ``public_id`` was made into, parsed."""
    found = _find(session, public_id)
    if found is None:
        raise _missing(public_id)
    row = found[1]
    return parsed_target(runtime, public_id=row.public_id, target_id=row.target_id,
                         text=row.text)


def application(runtime: Runtime, *, actor: Actor, public_id: str) -> CreditApplication:
    """One application, for its learner or a registrar of the target's organisation, with
    its decision explained."""
    principal = actor.user()
    with runtime.sessions() as session:
        found = _find(session, public_id)
        if found is None:
            raise _missing(public_id)
        row, target, organisation, user_id = found
        if user_id != principal.user_id:
            if not actor.allows(Action.CREDITBANK_DECIDE, organisation):
                raise _missing(public_id)
        else:
            actor.require(Action.CREDITBANK_READ)
        seen = view(row, user_id, target.target_id, organisation)
        names = deposit_titles(session, row.account_id)
        # Explained against the target version it was evaluated against (its rules' words).
        version = parsed_target(runtime, public_id=target.public_id,
                                target_id=target.target_id, text=target.text)
    decision = restored(seen.decision, version)
    return replace(seen, explanation=explain(decision, names), names=names,
                   requirement_titles={r.id: {"ja": r.ja, "en": r.en}
                                       for r in version.requirements})


def deposit_titles(session: Session, account_id: int) -> dict[str, Mapping[str, str]]:
    """The account's deposits' credential titles by language (deposit id → language →
    title), to name them in an explanation instead of by their ids."""
    return {deposit.public_id: Entry.from_dict(deposit.entry).title
            for deposit in account_store.deposits_of(session, account=account_id)}


def own_applications(runtime: Runtime, *, actor: Actor) -> list[CreditApplication]:
    """The caller's own applications, oldest first."""
    principal = actor.require(Action.CREDITBANK_READ)
    assert principal.user_id is not None
    with runtime.sessions() as session:
        return [view(row, principal.user_id, target, slug) for row, target, slug
                in application_store.of_user(session, principal.user_id)]


def applications(runtime: Runtime, *, actor: Actor, organisation: str,
                 state: str | None = None, flagged: bool | None = None
                 ) -> list[CreditApplication]:
    """The applications into ``organisation``'s targets (in ``state``; ``flagged``: only
    those flagged for review, or only those not), oldest first."""
    actor.require(Action.CREDITBANK_DECIDE, organisation)
    with runtime.sessions() as session:
        return [view(row, user_id, target, organisation) for row, target, user_id
                in application_store.into(session, organisation, state=state,
                                          flagged=flagged)]


def cleaned_reason(reason: str) -> str:
    """The reason given, trimmed; an InputError when there is none or it is too long."""
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > MAX_REASON:
        raise InputError(code="creditbank.ws.refused.reason", params={"most": MAX_REASON},
                         problems=[Problem("reason", "required")])
    return cleaned


def submitted(row: StoredApplication, version: int | None) -> None:
    if row.state != "submitted":
        raise IllegalTransitionError(code="creditbank.ws.refused.decided_already",
                                     params={"state": row.state})
    if version is not None and version != row.version:
        raise StaleStateError(code="creditbank.ws.refused.stale",
                              params={"version": version, "now": row.version})


def fresh(session: Session, row: StoredApplication) -> StoredApplication:
    """The application as it is now, after the changes made to it."""
    found = application_store.application(session, row.id)
    assert found is not None
    return found


def claim(session: Session, row: StoredApplication, **values: Any) -> None:
    """Change a submitted application if nobody changed it first; a conflict otherwise."""
    if not application_store.claim(session, row, **values):
        raise IllegalTransitionError(code="creditbank.ws.refused.concurrent")


def adjust(runtime: Runtime, *, actor: Actor, public_id: str, deposit: str, credits: str,
           reason: str, version: int | None = None) -> CreditApplication:
    """Count ``credits`` for ``deposit`` in the application's decision, because of
    ``reason``; refused beyond a cap, the total or the credential's worth (audited)."""
    cleaned = cleaned_reason(reason)
    try:
        amount = Decimal(credits)
    except ArithmeticError:
        raise InputError(code="creditbank.ws.refused.not_a_number",
                         problems=[Problem("credits", "a number")]) from None
    now = runtime.now()
    with runtime.sessions() as session:
        principal = registrar_of(actor, session, public_id)[0]
    try:
        with runtime.transaction() as session:
            row, target, organisation, user_id = registrar_of(actor, session, public_id)[1]
            submitted(row, version)
            new = adjusted(row.decision, [Adjustment(deposit, amount, cleaned)])
            made = [*row.adjustments, {"deposit": deposit, "credits": str(amount),
                                       "reason": cleaned, "by": principal.subject,
                                       "at": stamp(now)}]
            claim(session, row, decision=new, adjustments=made, granted=new["granted"])
            audit.record(session, at=now, actor=principal.subject,
                         action="creditbank.adjusted",
                         subject=f"credit-application:{public_id}",
                         details={"deposit": deposit, "credits": str(amount),
                                  "reason": cleaned, "granted": new["granted"]})
            row = fresh(session, row)
            return view(row, user_id, target.target_id, organisation)
    except CreditAdjustmentError as error:
        audit.record_separately(runtime.sessions, at=now, actor=principal.subject,
                                action="creditbank.adjust-refused",
                                subject=f"credit-application:{public_id}",
                                details={"deposit": deposit, "credits": str(amount),
                                         "reason": str(error.problems[0])})
        raise


def _counted_deposits(decision: dict[str, Any]) -> frozenset[str]:
    """The deposits the decision counts more than 0 credits for."""
    return frozenset(c["deposit"] for c in [
        *(c for r in decision["requirements"] for c in r["counted"]), *decision["general"]]
        if Decimal(c["credits"]) > 0)


def _withdrawal(counted: dict[str, Any], available: Decimal) -> Decimal:
    """The credits to withdraw from a deposit, in its own system, for what was counted."""
    credits = Decimal(counted["credits"])
    converted = counted.get("converted")
    worth = Decimal(converted["credits"]) if converted else credits
    stated = Decimal(converted["stated"]) if converted else credits
    if worth <= 0 or credits >= worth:
        return min(stated, available)
    share = (stated * credits / worth).quantize(_CENT, rounding=ROUND_UP)
    return min(share, available)


def approve(runtime: Runtime, *, actor: Actor, public_id: str, version: int | None = None
            ) -> CreditApplication:
    """Approve: the counted credits are withdrawn into the target, irrevocably. Every
    credential counted is verified again first: while one counted for more than 0 credits no
    longer verifies (revoked, suspended, expired since the application), the approval is
    refused — adjust it to 0 with a reason, or refuse the application."""
    with runtime.sessions() as session:
        found = registrar_of(actor, session, public_id)[1]
        learner, counted_now = found[3], _counted_deposits(found[0].decision)
    lapsed = sorted(d.deposit.id for d in reverified(runtime, learner)
                    if not d.deposit.verified and d.deposit.id in counted_now)
    if lapsed:
        raise IllegalTransitionError(
            code="creditbank.ws.refused.lapsed", params={"deposits": ", ".join(lapsed)},
            problems=[Problem("deposits", ", ".join(lapsed))])
    now = runtime.now()
    with runtime.transaction() as session:
        principal, (row, target, organisation, user_id) = registrar_of(actor, session,
                                                                     public_id)
        submitted(row, version)
        if _counted_deposits(row.decision) != counted_now:
            raise StaleStateError(code="creditbank.ws.refused.changed_while_approving")
        claim(session, row, state="approved", decided_by=principal.subject, decided_at=now)
        owner = account_store.add_account_if_new(session, user_id, now)
        decision = row.decision
        withdrawn: list[dict[str, str]] = []
        counted = [(f"requirement:{r['id']}", c) for r in decision["requirements"]
                   for c in r["counted"]] + [("general-credit", c) for c in decision["general"]]
        for rule, item in counted:
            if Decimal(item["credits"]) <= 0:
                continue
            balance = balances(account_store.ledger(session, owner)).get(item["deposit"])
            if balance is None:
                continue
            amount = _withdrawal(item, balance.available
                                 + balance.reserved.get(target.target_id, Decimal(0)))
            if amount <= 0:
                continue
            post_entry(session, owner, LedgerEntry(
                Movement.WITHDRAW, item["deposit"], amount, balance.system, now.date(), rule,
                f"credit-application:{public_id}", target.target_id), now)
            withdrawn.append({"deposit": item["deposit"], "credits": str(amount),
                              "system": balance.system})
        # What was reserved and not withdrawn (a deposit adjusted to less) is given back.
        released = release(session, owner, programme=target.target_id,
                           source=f"credit-application:{public_id}", now=now)
        issued = _issue(runtime, session, row, target, organisation, user_id, now)
        application_store.set_credential(session, row.id, issued)
        audit.record(session, at=now, actor=principal.subject, action="creditbank.approved",
                     subject=f"credit-application:{public_id}",
                     details={"granted": row.granted, "withdrawn": withdrawn,
                              "released": released, "target": target.target_id,
                              "credential": issued})
        row = fresh(session, row)
        return view(row, user_id, target.target_id, organisation)


def _issue(runtime: Runtime, session: Session, row: StoredApplication,
           target: StoredTarget, organisation: str, user_id: int, now: dt.datetime) -> str:
    """Sign and keep the credential recording the approved decision, issued by the target's
    organisation to the learner's sign-in address (hashed in the credential, kept beside it
    so that their wallet takes it in); its id."""
    learner = user_store.user_row(session, user_id)
    assert learner is not None
    parsed = load_target(target.text, source=f"{target.target_id}.yaml")
    public_url = runtime.settings.public_url.rstrip("/")
    document = decision_credential(
        target_url=f"{public_url}/api/creditbank/targets/{target.public_id}",
        title={"ja": parsed.ja, "en": parsed.en}, email=learner.email,
        salt=secrets.token_hex(8), decision=row.decision, adjustments=row.adjustments,
        words=words)
    signer = issuance.signer_for(session, organisation=organisation, secret=runtime.key(),
                                 public_url=runtime.settings.public_url)
    return issuance.issue_document(session, signer=signer, credential=document,
                                   securing="eddsa-rdfc-2022", now=now,
                                   public_url=runtime.settings.public_url,
                                   status_default=DEFAULT_PURPOSES,
                                   learner=learner.email).credential_id


def refuse(runtime: Runtime, *, actor: Actor, public_id: str, reason: str,
           version: int | None = None) -> CreditApplication:
    """Refuse the application, with a reason; no credits move."""
    cleaned = cleaned_reason(reason)
    now = runtime.now()
    with runtime.transaction() as session:
        principal, (row, target, organisation, user_id) = registrar_of(actor, session,
                                                                     public_id)
        submitted(row, version)
        claim(session, row, state="refused", reason=cleaned, decided_by=principal.subject,
               decided_at=now)
        released = release(session, row.account_id, programme=target.target_id,
                           source=f"credit-application:{public_id}", now=now)
        audit.record(session, at=now, actor=principal.subject, action="creditbank.refused",
                     subject=f"credit-application:{public_id}",
                     details={"reason": cleaned, "released": released})
        row = fresh(session, row)
        return view(row, user_id, target.target_id, organisation)


def applicants(runtime: Runtime, *, actor: Actor, organisation: str
               ) -> dict[int, tuple[str, str]]:
    """The learners who applied into ``organisation``'s targets, by user id: (display name,
    email address), for its registrars' pages; nobody else's."""
    actor.require(Action.CREDITBANK_DECIDE, organisation)
    with runtime.sessions() as session:
        return application_store.applicants(session, organisation)
