"""The credit ledger's lifecycle, on SQLite and PostgreSQL, with real stores and real
verification: applying reserves the counted credits (two applications never hold the same
credits), refusal releases them, approval withdraws them from the reserve; a counted
credential revoked later flags the decision (at once for credstack's own, at the daily
re-check for any); credits lapse under their expiry rule once; a new version of a target
re-evaluates every learner in a background job and stores the fresh pending decisions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from credstack.core.access import Operator
from credstack.core.status.changes import StatusChange
from credstack.errors import LedgerError
from credstack.services.audit import service as audit
from credstack.services.background.worker import SCHEDULER, start_daily
from credstack.services.creditbank import accounts, applications, targets
from credstack.services.issuance.status import change_status
from credstack.services.jobs import runner
from credstack.services.jobs import service as jobs
from credstack.services.wallet import credentials as wallet
from credstack.settings import Settings
from credstack.testing import RecordingQueue
from tests.services.creditbank.banks import (
    BACHELOR,
    add_registrars,
    kept_credential,
    registrar,
)
from tests.services.issuance.test_credentials import ISSUER, SLUG
from tests.services.wallet.wallets import Wallets, wallet_runtime

ROUTE = "other-university"
OPERATOR = Operator("tester")
#: A second target of the same organisation: the same deposits could count toward both.
MASTER = BACHELOR.replace("hokuto/bachelor", "hokuto/second-bachelor")
#: India: credits in the Academic Bank of Credits lapse after 7 years (in.abc-expiry).
INDIA = """\
id: hokuto/in-diploma
title: {ja: ディプロマ（インド）, en: Diploma (India)}
kind: degree
system: jp-tani
jurisdiction: in
total: 20
rules: [in.abc-expiry]
general_credit: true
"""


@dataclasses.dataclass
class Bank:
    wallets: Wallets
    queue: RecordingQueue

    @property
    def runtime(self):  # type: ignore[no-untyped-def]
        return self.wallets.runtime

    def run_queued(self) -> list[str | None]:
        return [runner.run(self.runtime, public_id) for public_id in self.queue.take()]


@pytest.fixture
def bank(settings: Settings, tmp_path: Path) -> Iterator[Bank]:
    with wallet_runtime(tmp_path, settings=settings) as found:
        add_registrars(found.runtime, 900)
        queue = RecordingQueue()
        yield Bank(dataclasses.replace(
            found, runtime=dataclasses.replace(found.runtime, jobs=queue)), queue)


def _actions(bank: Bank) -> list[str]:
    with bank.runtime.sessions() as session:
        return [entry.action for entry in audit.entries(session, limit=200)]


def _deposited(bank: Bank, count: int, *, route: str = ROUTE) -> list[tuple[str, str, str]]:
    """``count`` credentials kept and deposited by Hanako: (wallet id, credential, deposit)."""
    made = []
    for n in range(count):
        wallet_id, credential = kept_credential(bank.wallets, batch=f"b{n}")
        deposit = accounts.deposit(bank.runtime, actor=bank.wallets.hanako,
                                   credential=wallet_id, kind="credential", route=route)
        made.append((wallet_id, credential, deposit.deposit.id))
    return made


def _publish(bank: Bank, text: str = BACHELOR) -> targets.PublishedTarget:
    return targets.publish(bank.runtime, actor=registrar(900), organisation=SLUG, text=text)


def _ledger(bank: Bank) -> accounts.Account:
    return accounts.account(bank.runtime, actor=bank.wallets.hanako)


def test_applying_reserves_the_counted_credits_and_approval_withdraws_them_from_the_reserve(
        bank: Bank) -> None:
    target = _publish(bank).public_id
    _deposited(bank, 2)
    applied = applications.apply(bank.runtime, actor=bank.wallets.hanako, target=target)
    reserves = [e for e in _ledger(bank).ledger if e.movement.value == "reserve"]
    assert [(e.credits, e.programme, e.source, e.rule) for e in reserves] == [
        (Decimal(1), "hokuto/bachelor", f"credit-application:{applied.public_id}",
         "general-credit")] * 2
    assert all(b.available == 0 for b in _ledger(bank).balances.values())
    applications.approve(bank.runtime, actor=registrar(900), public_id=applied.public_id)
    account = _ledger(bank)
    assert [e.movement.value for e in account.ledger].count("withdraw") == 2
    assert all((b.reserved, b.withdrawn, b.available) == ({}, Decimal(1), Decimal(0))
               for b in account.balances.values())


def test_two_applications_cannot_hold_the_same_credits_and_the_attempt_is_audited(
        bank: Bank) -> None:
    first, second = _publish(bank).public_id, _publish(bank, MASTER).public_id
    _deposited(bank, 1)
    held = applications.apply(bank.runtime, actor=bank.wallets.hanako, target=first)
    before = _ledger(bank).ledger
    with pytest.raises(LedgerError) as raised:
        applications.apply(bank.runtime, actor=bank.wallets.hanako, target=second)
    # The credits cannot all be reserved, because none is available.
    assert raised.value.code == "creditbank.ws.apply.unreserved"
    (why,) = raised.value.problems
    assert (why.code, why.params) == ("creditbank.ws.ledger.available_only", {"available": 0})
    assert _ledger(bank).ledger == before
    assert [a.target for a in applications.own_applications(
        bank.runtime, actor=bank.wallets.hanako)] == ["hokuto/bachelor"]
    assert "creditbank.apply-refused" in _actions(bank)
    # Refused, the first gives its credits back, and the second may hold them.
    applications.refuse(bank.runtime, actor=registrar(900), public_id=held.public_id,
                        reason="Outside the field.")
    again = applications.apply(bank.runtime, actor=bank.wallets.hanako, target=second)
    assert again.granted == "1"


def test_revoking_a_counted_credential_flags_its_decisions_at_once(bank: Bank) -> None:
    target = _publish(bank).public_id
    made = _deposited(bank, 2)
    applied = applications.apply(bank.runtime, actor=bank.wallets.hanako, target=target)
    approved = applications.approve(bank.runtime, actor=registrar(900),
                                    public_id=applied.public_id)
    assert not approved.flagged
    change_status(bank.runtime, actor=ISSUER, credential_id=made[1][1],
                  changes=[StatusChange.REVOKE])
    seen = applications.application(bank.runtime, actor=registrar(900),
                                    public_id=applied.public_id)
    assert seen.state == "approved" and seen.flagged and seen.flagged_at is not None
    assert seen.flag is not None and seen.flag["deposits"] == [
        {"deposit": made[1][2], "credential": made[1][1], "why": "revoked"}]
    assert seen.to_dict()["flagged"] is True
    assert [a.public_id for a in applications.applications(
        bank.runtime, actor=registrar(900), organisation=SLUG, flagged=True)] == [
        applied.public_id]
    assert applications.applications(bank.runtime, actor=registrar(900), organisation=SLUG,
                                     flagged=False) == []
    assert _actions(bank).count("creditbank.flagged") == 1
    # The daily re-check (started once a day, however often the schedule fires) finds the
    # same and flags nothing twice.
    started = start_daily(bank.runtime, "creditbank.recheck")
    assert start_daily(bank.runtime, "creditbank.recheck") == started
    assert bank.run_queued() == ["succeeded"]
    done = jobs.job(bank.runtime, actor=SCHEDULER, public_id=started)
    assert done.result == {"learners": 1, "deposits_checked": 2, "flagged": 0}
    assert _actions(bank).count("creditbank.flagged") == 1


def test_the_daily_recheck_flags_a_pending_decision_whose_credential_left_the_wallet(
        bank: Bank) -> None:
    target = _publish(bank).public_id
    made = _deposited(bank, 2)
    applied = applications.apply(bank.runtime, actor=bank.wallets.hanako, target=target)
    wallet.remove(bank.runtime, actor=bank.wallets.hanako, public_id=made[0][0])
    assert not applications.application(bank.runtime, actor=bank.wallets.hanako,
                                        public_id=applied.public_id).flagged
    started = jobs.start(bank.runtime, actor=OPERATOR, kind="creditbank.recheck",
                         payload={}, organisation=None, key="recheck-1")
    assert bank.run_queued() == ["succeeded"]
    done = jobs.job(bank.runtime, actor=OPERATOR, public_id=started.public_id)
    assert (done.done, done.total) == (1, 1)
    assert done.result is not None and done.result["flagged"] == 1
    seen = applications.application(bank.runtime, actor=bank.wallets.hanako,
                                    public_id=applied.public_id)
    assert seen.flag is not None
    assert [p["why"] for p in seen.flag["deposits"]] == ["removed from the wallet"]


def test_credits_lapse_under_the_expiry_rule_once_and_flag_a_pending_decision(
        bank: Bank) -> None:
    target = _publish(bank, INDIA).public_id
    _deposited(bank, 1, route="micro-credential")
    applied = applications.apply(bank.runtime, actor=bank.wallets.hanako, target=target)
    earned = _ledger(bank).ledger[0].on
    nearly = earned.replace(year=earned.year + 7) - dt.timedelta(days=1)
    for day, key in ((nearly, "early"), (nearly + dt.timedelta(days=1), "due"),
                     (nearly + dt.timedelta(days=2), "again")):
        jobs.start(bank.runtime, actor=OPERATOR, kind="creditbank.expire",
                   payload={"day": day.isoformat()}, organisation=None, key=key)
        assert bank.run_queued() == ["succeeded"]
        expired = [e for e in _ledger(bank).ledger if e.movement.value == "expire"]
        assert len(expired) == (0 if key == "early" else 1)
    (entry,) = expired
    assert (entry.rule, entry.credits, entry.on) == ("in.abc-expiry", Decimal(1),
                                                     nearly + dt.timedelta(days=1))
    (balance,) = _ledger(bank).balances.values()
    assert balance.lapsed and balance.reserved == {}
    seen = applications.application(bank.runtime, actor=bank.wallets.hanako,
                                    public_id=applied.public_id)
    assert seen.flag is not None and seen.flag["deposits"][0]["why"] == "lapsed (in.abc-expiry)"
    assert _actions(bank).count("creditbank.expired") == 1


def test_a_new_version_re_evaluates_every_learner_in_a_job_and_updates_pending_decisions(
        bank: Bank) -> None:
    first = _publish(bank)
    assert first.job is None  # a first version changes nobody's decision
    _deposited(bank, 2)
    applied = applications.apply(bank.runtime, actor=bank.wallets.hanako,
                                 target=first.public_id)
    assert applied.granted == "2"
    stricter = _publish(bank, BACHELOR.replace("general_credit: true", "general_credit: false"))
    assert stricter.version == 2 and stricter.job is not None
    assert bank.run_queued() == ["succeeded"]
    done = jobs.job(bank.runtime, actor=registrar(900), public_id=stricter.job)
    assert done.state == "succeeded" and (done.done, done.total) == (1, 1)
    assert done.result is not None and done.result["applications_updated"] == 1
    fresh = applications.application(bank.runtime, actor=bank.wallets.hanako,
                                     public_id=applied.public_id)
    assert (fresh.state, fresh.granted, fresh.version) == ("submitted", "0",
                                                           applied.version + 1)
    # Nothing counted any more: the reservation is given back.
    account = _ledger(bank)
    assert [e.movement.value for e in account.ledger].count("release") == 2
    assert all(b.available == b.entered for b in account.balances.values())
    assert "creditbank.reevaluated" in _actions(bank)
    # Version 3 gives the credits back; its job reserves them again.
    third = _publish(bank)
    assert bank.run_queued() == ["succeeded"]
    assert applications.application(bank.runtime, actor=bank.wallets.hanako,
                                    public_id=applied.public_id).granted == "2"
    assert all(b.available == 0 for b in _ledger(bank).balances.values())
    # Version 2's job run again late (a redelivered job) leaves version 3's decision alone.
    again = jobs.start(bank.runtime, actor=registrar(900), kind="creditbank.reevaluate",
                       payload={"target": stricter.public_id}, organisation=SLUG,
                       key="by-hand")
    assert bank.run_queued() == ["succeeded"]
    rerun = jobs.job(bank.runtime, actor=registrar(900), public_id=again.public_id)
    assert rerun.result is not None and rerun.result["applications_updated"] == 0
    assert applications.application(bank.runtime, actor=bank.wallets.hanako,
                                    public_id=applied.public_id).granted == "2"
    assert third.version == 3


def test_of_two_applications_at_once_for_the_same_credits_exactly_one_holds_them(
        bank: Bank) -> None:
    """Two targets, one credit, two applications at the same moment: one reserves it, the
    other is refused and reserves nothing."""
    chosen = [_publish(bank).public_id, _publish(bank, MASTER).public_id]
    _deposited(bank, 1)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def apply(target: str) -> None:
        start.wait()
        try:
            applications.apply(bank.runtime, actor=bank.wallets.hanako, target=target)
            outcomes.append("applied")
        except LedgerError:
            outcomes.append("refused")

    threads = [threading.Thread(target=apply, args=(target,)) for target in chosen]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["applied", "refused"]
    (balance,) = _ledger(bank).balances.values()
    assert sum(balance.reserved.values()) == balance.entered and balance.available == 0
    assert len(applications.own_applications(bank.runtime, actor=bank.wallets.hanako)) == 1
