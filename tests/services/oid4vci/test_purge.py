"""The hourly purge of expired OID4VC rows: what has expired goes, in bounded batches,
what still lives stays, and one audit entry tells of each run that removed anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from credstack.adapters.db.tables.oid4vc import Oid4vciNonceRow, Oid4vciOfferRow, Oid4vpRequestRow
from credstack.core.access import Operator
from credstack.errors import AccessDeniedError
from credstack.services.audit import service as audit
from credstack.services.oid4vci import offers, purge, service
from credstack.services.oid4vp import verifier
from credstack.settings import Settings
from tests.conftest import Clock
from tests.services.oid4vci.issuing import Wallet, code_of, learners_credential, redeem
from tests.services.wallet.wallets import Wallets, wallet_runtime

SCHEDULER = Operator("scheduler")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def wallets(settings: Settings, tmp_path: Path, clock: Clock) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path, settings=settings, clock=clock) as made:
        yield made


def _public_ids(wallets: Wallets) -> dict[str, set[str]]:
    with wallets.runtime.sessions() as session:
        return {"offers": set(session.scalars(select(Oid4vciOfferRow.public_id))),
                "requests": set(session.scalars(select(Oid4vpRequestRow.public_id))),
                "nonces": {str(n) for n in session.scalars(select(Oid4vciNonceRow.id))}}


def _purges(wallets: Wallets) -> list[dict[str, object]]:
    with wallets.runtime.sessions() as session:
        return [dict(entry.details) for entry in audit.entries(session, limit=1000)
                if entry.action == "oid4vc.purged"]


def _issue_with_nonce(wallets: Wallets, credential_id: str) -> None:
    """A page offer redeemed and its credential fetched: a used nonce is stored."""
    runtime = wallets.runtime
    made = offers.create_offer(runtime, actor=wallets.hanako, credential_id=credential_id)
    grant = redeem(runtime, code=code_of(made), tx_code=made.tx_code)
    service.issue(runtime, access_token=grant.access_token, body={
        "credential_configuration_id": "OpenBadgeCredential_jwt_vc_json",
        "proofs": {"jwt": [Wallet.new().proof(runtime)]}})


def test_expired_rows_go_in_batches_and_live_ones_stay(wallets: Wallets, clock: Clock
                                                       ) -> None:
    """Half an hour on: the spent nonce, the page offers and the unanswered request of then
    are deleted (batch of one: several transactions), the e-mail's week-long offer, an
    issuer_state offer, and what was made since stay; one audit entry with the counts."""
    runtime = wallets.runtime
    credential_id = learners_credential(wallets)  # with the issuance e-mail's offer
    mailed = _public_ids(wallets)["offers"]
    _issue_with_nonce(wallets, credential_id)
    unredeemed = offers.create_offer(runtime, actor=wallets.hanako,
                                     credential_id=credential_id)
    signed_in = offers.create_offer(runtime, actor=wallets.hanako, credential_id=credential_id,
                                    authorization_code=True)
    asked = verifier.create_request(runtime, actor=wallets.hanako, label="then")
    before = _public_ids(wallets)
    assert len(before["nonces"]) == 1 and len(before["offers"]) == 4

    clock.advance(minutes=30)
    _issue_with_nonce(wallets, credential_id)
    live = _public_ids(wallets)
    fresh_request = verifier.create_request(runtime, actor=wallets.hanako, label="now")

    removed = purge.purge(runtime, actor=SCHEDULER, batch=1)
    assert removed.to_dict() == {"nonces": 1, "offers": 2, "requests": 1}
    left = _public_ids(wallets)
    assert left["offers"] == (mailed | {signed_in.public_id}
                              | (live["offers"] - before["offers"]))
    assert unredeemed.public_id not in left["offers"]
    assert left["nonces"] == live["nonces"] - before["nonces"] and len(left["nonces"]) == 1
    assert left["requests"] == {fresh_request.public_id}
    assert asked.public_id not in left["requests"]
    assert _purges(wallets) == [{"nonces": 1, "offers": 2, "requests": 1, "batch": 1}]

    assert purge.purge(runtime, actor=SCHEDULER).total == 0
    assert len(_purges(wallets)) == 1  # nothing removed, nothing recorded

    clock.advance(days=8)
    assert purge.purge(runtime, actor=SCHEDULER).offers == len(mailed) + 1
    with runtime.sessions() as session:
        kept = set(session.scalars(select(Oid4vciOfferRow.public_id)))
        assert session.scalar(select(func.count()).select_from(Oid4vpRequestRow)) == 0
    assert kept == {signed_in.public_id}  # until the refresh tokens' lifetime has passed
    clock.advance(days=31)
    assert purge.purge(runtime, actor=SCHEDULER).offers == 1


def test_only_the_platform_may_purge(wallets: Wallets, clock: Clock) -> None:
    """A learner may not run the purge; the refusal is an error, nothing is deleted."""
    verifier.create_request(wallets.runtime, actor=wallets.hanako)
    clock.advance(hours=1)
    with pytest.raises(AccessDeniedError):
        purge.purge(wallets.runtime, actor=wallets.hanako)
    assert len(_public_ids(wallets)["requests"]) == 1


def test_an_expiry_just_passed_is_kept_for_its_grace(wallets: Wallets, clock: Clock) -> None:
    """A redeemed page offer is kept ten minutes past its end (a replayed code still finds
    it); then it goes."""
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets))
    clock.advance(minutes=15, seconds=1)
    assert purge.purge(wallets.runtime, actor=SCHEDULER).offers == 0
    clock.advance(minutes=10)
    assert purge.purge(wallets.runtime, actor=SCHEDULER).offers == 1
    assert made.public_id not in _public_ids(wallets)["offers"]


