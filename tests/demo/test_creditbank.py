"""The demo credit bank: a published target the demo learner's credential partly meets, a
share and a deposit, made through the services as the demo accounts would."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from credstack.demo.accounts import PROVIDER, create_demo_accounts
from credstack.demo.creditbank import ROUTE, prepare_demo_creditbank
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.recognition import LEARNER, prepare_demo_recognition
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.accounts import service as accounts
from credstack.services.creditbank import accounts as bank
from credstack.services.creditbank import applications, targets
from credstack.services.wallet import sharing
from credstack.testing import ActingAs
from tests.conftest import keyed_sqlite


def test_the_demo_learner_partly_meets_the_registrars_published_target(tmp_path: Path
                                                                       ) -> None:
    with open_runtime(settings=keyed_sqlite(tmp_path)) as runtime:
        # What ``serve --demo`` does, in its order.
        load_demo_programmes(runtime, only_if_empty=True)
        create_demo_accounts(runtime)
        assert prepare_demo_recognition(runtime) is not None
        made = prepare_demo_creditbank(runtime)

        [published] = targets.published(runtime, organisation=PROVIDER)
        assert published.public_id == made.target
        with runtime.sessions() as session:
            learner = ActingAs(accounts.user(session, email=LEARNER).principal())
        assert made.deposited is not None
        held = bank.account(runtime, actor=learner)
        assert [(d.wallet_id, d.deposit.route) for d in held.deposits] == [
            (made.deposited, ROUTE)]
        assert [s.target for s in sharing.list_shares(runtime, actor=learner)] == [
            made.deposited]
        decision = applications.evaluate(runtime, actor=learner, target=made.target)
        met = {o.requirement.id: o.met for o in decision.requirements}
        assert met == {"foundation": True, "practice": False}
        assert Decimal(0) < decision.granted < decision.target.total

        # Again (``serve --demo`` on the same data directory): nothing is added.
        assert prepare_demo_creditbank(runtime) == made
        assert len(targets.published(runtime, organisation=PROVIDER)) == 1
        assert len(bank.account(runtime, actor=learner).deposits) == 1
        assert len(sharing.list_shares(runtime, actor=learner)) == 1
