"""The credit bank's use cases on SQLite and PostgreSQL: publishing a target, depositing
wallet credentials (verified again at deposit; forged, revoked, suspended, someone else's or
twice refused and audited, nothing changed), evaluating and applying (verified again at
decision time), and the registrar's list, adjustments, approval (credits withdrawn once,
irrevocably; concurrent approvals: one wins) and refusal — each only for their organisation."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from credstack.core.status.changes import StatusChange
from credstack.core.verification.verdict import Outcome
from credstack.errors import (
    AccessDeniedError,
    ConflictError,
    CreditAdjustmentError,
    DepositRefusedError,
    IllegalTransitionError,
    NotFoundError,
    PathwayError,
)
from credstack.services.audit import service as audit
from credstack.services.creditbank import accounts, applications, targets
from credstack.services.issuance.status import change_status
from credstack.services.wallet import credentials as wallet
from credstack.settings import Settings
from credstack.testing import RecordingQueue
from credstack.words import error_words, words
from tests.services.creditbank.banks import (
    BACHELOR,
    OTHER,
    add_registrars,
    kept_credential,
    registrar,
)
from tests.services.issuance.test_credentials import ISSUER, SLUG
from tests.services.wallet.wallets import Wallets, issue_to, wallet_runtime

ROUTE = "other-university"


@pytest.fixture
def wallets(settings: Settings, tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path, settings=settings) as found:
        add_registrars(found.runtime, 900, 901)
        yield dataclasses.replace(found, runtime=dataclasses.replace(found.runtime,
                                                                     jobs=RecordingQueue()))


def _actions(wallets: Wallets) -> list[str]:
    with wallets.runtime.sessions() as session:
        return [entry.action for entry in audit.entries(session, limit=100)]


def _published(wallets: Wallets) -> str:
    return targets.publish(wallets.runtime, actor=registrar(900), organisation=SLUG,
                           text=BACHELOR).public_id


def test_a_registrar_publishes_a_target_and_a_bad_file_is_refused_with_positions(
        wallets: Wallets) -> None:
    first = targets.publish(wallets.runtime, actor=registrar(900), organisation=SLUG,
                            text=BACHELOR)
    again = targets.publish(wallets.runtime, actor=registrar(900), organisation=SLUG,
                            text=BACHELOR)
    assert (first.version, again.version) == (1, 2)
    assert [t.version for t in targets.published(wallets.runtime, organisation=SLUG)] == [2]
    with pytest.raises(PathwayError) as raised:
        targets.publish(wallets.runtime, actor=registrar(900), organisation=SLUG,
                        text=BACHELOR.replace("system: jp-tani", "system: furlongs"))
    assert any("target.yaml:4" in str(problem) for problem in raised.value.problems)
    with pytest.raises(AccessDeniedError):
        targets.publish(wallets.runtime, actor=registrar(901, OTHER), organisation=SLUG,
                        text=BACHELOR)
    with pytest.raises(AccessDeniedError):
        targets.publish(wallets.runtime, actor=wallets.hanako, organisation=SLUG,
                        text=BACHELOR)


def test_a_verified_credential_is_deposited_and_entered_in_the_ledger(wallets: Wallets
                                                                     ) -> None:
    wallet_id, credential_id = kept_credential(wallets)
    made = accounts.deposit(wallets.runtime, actor=wallets.hanako, credential=wallet_id,
                            kind="credential", route=ROUTE)
    assert made.deposit.credential == credential_id and made.outcome == "verified"
    account = accounts.account(wallets.runtime, actor=wallets.hanako)
    (entry,) = account.ledger
    assert (entry.movement.value, entry.credits, entry.system, entry.source) == (
        "deposit", Decimal(1), "jp-tani", credential_id)
    assert account.balances[made.deposit.id].available == Decimal(1)
    assert "creditbank.deposited" in _actions(wallets)
    # Taro's account is his own: empty.
    assert accounts.account(wallets.runtime, actor=wallets.taro).deposits == ()


def test_forged_revoked_suspended_twice_and_someone_elses_are_refused_and_audited(
        wallets: Wallets) -> None:
    [document] = issue_to(wallets, wallets.hanako.principal.email or "")
    forged = json.loads(document)
    forged["credentialSubject"]["achievement"]["name"] = "Advanced Everything"
    forged_id = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                         data=json.dumps(forged).encode()).item.public_id
    revoked_id, revoked = kept_credential(wallets, batch="revoked")
    change_status(wallets.runtime, actor=ISSUER, credential_id=revoked,
                  changes=[StatusChange.REVOKE])
    suspended_id, suspended = kept_credential(wallets, batch="suspended")
    change_status(wallets.runtime, actor=ISSUER, credential_id=suspended,
                  changes=[StatusChange.SUSPEND])
    for wallet_id, says in ((forged_id, "altered"), (revoked_id, "revoked"),
                            (suspended_id, "suspended")):
        with pytest.raises(DepositRefusedError) as raised:
            accounts.deposit(wallets.runtime, actor=wallets.hanako, credential=wallet_id,
                             kind="credential", route=ROUTE)
        assert says in error_words(raised.value, "en")
    good_id, _ = kept_credential(wallets, batch="good")
    accounts.deposit(wallets.runtime, actor=wallets.hanako, credential=good_id,
                     kind="credential", route=ROUTE)
    with pytest.raises(DepositRefusedError) as twice:
        accounts.deposit(wallets.runtime, actor=wallets.hanako, credential=good_id,
                         kind="credential", route=ROUTE)
    assert error_words(twice.value, "en") == ("This credential cannot be deposited: it is "
                                              "already deposited; one credential cannot count "
                                              "twice.")
    assert error_words(twice.value, "ja").startswith("この証明は預け入れできません：すでに")
    with pytest.raises(NotFoundError):
        accounts.deposit(wallets.runtime, actor=wallets.taro, credential=good_id,
                         kind="credential", route=ROUTE)
    assert len(accounts.account(wallets.runtime, actor=wallets.hanako).ledger) == 1
    assert accounts.account(wallets.runtime, actor=wallets.taro).ledger == ()
    assert _actions(wallets).count("creditbank.deposit-refused") == 5


def test_a_credential_revoked_after_deposit_is_set_aside_at_decision_time(wallets: Wallets
                                                                         ) -> None:
    target = _published(wallets)
    kept = [kept_credential(wallets, batch=f"b{n}") for n in range(2)]
    for wallet_id, _ in kept:
        accounts.deposit(wallets.runtime, actor=wallets.hanako, credential=wallet_id,
                         kind="credential", route=ROUTE)
    assert applications.evaluate(wallets.runtime, actor=wallets.hanako,
                                 target=target).granted == Decimal(2)
    change_status(wallets.runtime, actor=ISSUER, credential_id=kept[1][1],
                  changes=[StatusChange.REVOKE])
    decision = applications.evaluate(wallets.runtime, actor=wallets.hanako, target=target)
    assert decision.granted == Decimal(1)
    assert [e.reason.value for e in decision.excluded] == ["not-verified"]


def _applied(wallets: Wallets, count: int = 2) -> applications.CreditApplication:
    target = _published(wallets)
    for n in range(count):
        wallet_id, _ = kept_credential(wallets, batch=f"b{n}")
        accounts.deposit(wallets.runtime, actor=wallets.hanako, credential=wallet_id,
                         kind="credential", route=ROUTE)
    return applications.apply(wallets.runtime, actor=wallets.hanako, target=target)


def test_a_registrar_adjusts_within_the_rules_and_approves_withdrawing_the_credits(
        wallets: Wallets) -> None:
    applied = _applied(wallets)
    assert (applied.state, applied.granted) == ("submitted", "2")
    with pytest.raises(IllegalTransitionError):
        applications.apply(wallets.runtime, actor=wallets.hanako,
                           target=_published(wallets))
    runtime, clerk = wallets.runtime, registrar(900)
    listed = applications.applications(runtime, actor=clerk, organisation=SLUG)
    assert [a.public_id for a in listed] == [applied.public_id]
    first = applied.decision["general"][0]["deposit"]
    with pytest.raises(CreditAdjustmentError) as refused:
        applications.adjust(runtime, actor=clerk, public_id=applied.public_id,
                            deposit=first, credits="2", reason="Two courses' worth.")
    # The credential is worth 1 credit.
    assert (refused.value.problems[0].code, refused.value.problems[0].params["worth"]) == (
        "creditbank.ws.adjustment.worth", 1)
    adjusted = applications.adjust(runtime, actor=clerk, public_id=applied.public_id,
                                   deposit=first, credits="0",
                                   reason="Overlaps the first-year course.")
    assert adjusted.granted == "1" and adjusted.adjustments[0]["reason"]
    approved = applications.approve(runtime, actor=clerk, public_id=applied.public_id,
                                    version=adjusted.version)
    assert approved.state == "approved" and approved.decided_by == "user:900"
    account = accounts.account(runtime, actor=wallets.hanako)
    withdrawals = [e for e in account.ledger if e.movement.value == "withdraw"]
    assert [(e.credits, e.programme) for e in withdrawals] == [(Decimal(1), "hokuto/bachelor")]
    with pytest.raises(IllegalTransitionError):
        applications.approve(runtime, actor=clerk, public_id=applied.public_id)
    # The decision, issued by hokuto-tech to Hanako, reaches her wallet and verifies.
    assert approved.credential_id is not None
    [recognised] = [item for item in wallet.record(runtime, actor=wallets.hanako).items
                    if item.credential_id == approved.credential_id]
    checked, _ = wallet.check(runtime, actor=wallets.hanako, public_id=recognised.public_id)
    assert checked.outcome is Outcome.VERIFIED, checked.failed_reason
    document = json.loads(wallet.original(runtime, actor=wallets.hanako,
                                          public_id=recognised.public_id)[0])
    subject = document["credentialSubject"]
    assert subject["creditsEarned"] == 1 and subject["achievement"]["creditsAvailable"] == 124
    assert "Overlaps the first-year course." in subject["achievement"]["criteria"]["narrative"]
    actions = _actions(wallets)
    assert {"creditbank.applied", "creditbank.adjusted", "creditbank.adjust-refused",
            "creditbank.approved"} <= set(actions)


def test_another_organisations_registrar_and_another_learner_are_refused(wallets: Wallets
                                                                        ) -> None:
    applied = _applied(wallets, count=1)
    outsider = registrar(901, OTHER)
    with pytest.raises(AccessDeniedError):
        applications.applications(wallets.runtime, actor=outsider, organisation=SLUG)
    for step in (lambda: applications.approve(wallets.runtime, actor=outsider,
                                              public_id=applied.public_id),
                 lambda: applications.refuse(wallets.runtime, actor=outsider,
                                             public_id=applied.public_id, reason="No.")):
        with pytest.raises(AccessDeniedError):
            step()
    with pytest.raises(NotFoundError):
        applications.application(wallets.runtime, actor=wallets.taro,
                                 public_id=applied.public_id)
    with pytest.raises(AccessDeniedError):
        applications.approve(wallets.runtime, actor=wallets.hanako,
                             public_id=applied.public_id)
    assert applications.application(wallets.runtime, actor=wallets.hanako,
                                    public_id=applied.public_id).state == "submitted"
    refused = applications.refuse(wallets.runtime, actor=registrar(900),
                                  public_id=applied.public_id, reason="Outside the field.")
    assert refused.state == "refused"
    # The reservation made at application is given back: no credit moved out.
    account = accounts.account(wallets.runtime, actor=wallets.hanako)
    assert [e.movement.value for e in account.ledger] == ["deposit", "reserve", "release"]
    assert all(b.available == b.entered for b in account.balances.values())


def test_of_two_approvals_at_once_exactly_one_wins(wallets: Wallets) -> None:
    applied = _applied(wallets, count=1)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def approve() -> None:
        start.wait()
        try:
            applications.approve(wallets.runtime, actor=registrar(900),
                                 public_id=applied.public_id, version=applied.version)
            outcomes.append("approved")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "conflict"]
    withdrawals = [e for e in accounts.account(wallets.runtime, actor=wallets.hanako).ledger
                   if e.movement.value == "withdraw"]
    assert len(withdrawals) == 1


def test_a_counted_credential_revoked_before_approval_stops_it_until_adjusted(
        wallets: Wallets) -> None:
    target = _published(wallets)
    kept = [kept_credential(wallets, batch=f"b{n}") for n in range(2)]
    for wallet_id, _ in kept:
        accounts.deposit(wallets.runtime, actor=wallets.hanako, credential=wallet_id,
                         kind="credential", route=ROUTE)
    applied = applications.apply(wallets.runtime, actor=wallets.hanako, target=target)
    change_status(wallets.runtime, actor=ISSUER, credential_id=kept[1][1],
                  changes=[StatusChange.REVOKE])
    [revoked] = [d.deposit.id for d in accounts.account(
        wallets.runtime, actor=wallets.hanako).deposits if d.wallet_id == kept[1][0]]
    clerk = registrar(900)
    with pytest.raises(IllegalTransitionError, match=revoked):
        applications.approve(wallets.runtime, actor=clerk, public_id=applied.public_id)
    assert applications.application(wallets.runtime, actor=clerk,
                                    public_id=applied.public_id).state == "submitted"
    applications.adjust(wallets.runtime, actor=clerk, public_id=applied.public_id,
                        deposit=revoked, credits="0", reason="Revoked by its issuer.")
    approved = applications.approve(wallets.runtime, actor=clerk,
                                    public_id=applied.public_id)
    assert approved.granted == "1"
    withdrawn = [e.deposit for e in accounts.account(wallets.runtime,
                                                      actor=wallets.hanako).ledger
                 if e.movement.value == "withdraw"]
    assert revoked not in withdrawn and len(withdrawn) == 1


def test_an_application_read_alone_is_explained_in_both_languages_as_adjusted(
        wallets: Wallets) -> None:
    """The explanation follows the decision as kept: after an adjustment to 0 it says 0 of
    124 granted; lists carry no explanation."""
    target = _published(wallets)
    wallet_id, _ = kept_credential(wallets)
    made = accounts.deposit(wallets.runtime, actor=wallets.hanako, credential=wallet_id,
                            kind="credential", route=ROUTE)
    applied = applications.apply(wallets.runtime, actor=wallets.hanako, target=target)
    clerk = registrar(900)
    seen = applications.application(wallets.runtime, actor=clerk, public_id=applied.public_id)
    assert words(seen.explanation[0], "en").startswith("Bachelor of Informatics: 1 of 124")
    assert words(seen.explanation[0], "ja").startswith("学士課程（情報）：1 / 124")
    applications.adjust(wallets.runtime, actor=clerk, public_id=applied.public_id,
                        deposit=made.deposit.id, credits="0", reason="Not in our curriculum.")
    again = applications.application(wallets.runtime, actor=wallets.hanako,
                                     public_id=applied.public_id)
    assert words(again.explanation[0], "en").startswith("Bachelor of Informatics: 0 of 124")
    # The deposit is named by its credential's title (issue 39, defect 7).
    assert ("    Practical Introduction to Data Science: 0 Japanese credits adjusted"
            in words(again.explanation[2], "en"))
    assert [a.explanation for a in applications.own_applications(
        wallets.runtime, actor=wallets.hanako)] == [()]


def test_a_targets_history_lists_its_versions_newest_first_with_their_changes(
        wallets: Wallets) -> None:
    """From any version's id: every published version, what changed since the one before
    (nothing for a republished file), the first marked first; an unknown id is not found."""
    first = _published(wallets)
    same = targets.publish(wallets.runtime, actor=registrar(900), organisation=SLUG,
                           text=BACHELOR)
    bigger = targets.publish(wallets.runtime, actor=registrar(900), organisation=SLUG,
                             text=BACHELOR.replace("award: bachelor\n",
                                                   "award: bachelor\ntotal: 130\n"))
    found = targets.history(wallets.runtime, first)
    assert [v.published.public_id for v in found] == [bigger.public_id, same.public_id, first]
    assert [v.first for v in found] == [False, False, True]
    assert [words(c.said, "en") for c in found[0].changes] == ["total credits: 124 → 130"]
    assert found[1].changes == () and found[2].changes == ()
    assert targets.history(wallets.runtime, bigger.public_id) == found
    with pytest.raises(NotFoundError):
        targets.history(wallets.runtime, "0" * 32)
