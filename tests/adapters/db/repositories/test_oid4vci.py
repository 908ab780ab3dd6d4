"""OID4VCI's statements: an offer's code is redeemed once, even by two requests that read
the offer at the same moment."""

from __future__ import annotations

from pathlib import Path

from credstack.adapters.db.repositories import oid4vci as offer_store
from credstack.services.oid4vci import offers
from tests.services.oid4vci.issuing import code_of, learners_credential
from tests.services.wallet.wallets import wallet_runtime


def test_of_two_requests_that_read_an_offer_together_only_one_redeems_it(tmp_path: Path
                                                                         ) -> None:
    # SQLite: each request reads the offer before either takes the write lock (PostgreSQL
    # locks the offer's row as it is read, so the second reads it redeemed).
    with wallet_runtime(tmp_path) as wallets:
        runtime = wallets.runtime
        made = offers.create_offer(runtime, actor=wallets.hanako,
                                   credential_id=learners_credential(wallets), tx_code=False)
        digest = offers.code_digest(code_of(made))
        with runtime.sessions() as first, runtime.sessions() as second:
            read_first = offer_store.offer_to_redeem(first, digest)
            read_second = offer_store.offer_to_redeem(second, digest)
            assert read_first is not None and read_second is not None
            assert read_first.redeemed_at is None and read_second.redeemed_at is None
            assert offer_store.redeem(second, read_second.id, at=runtime.now())
            second.commit()
            assert not offer_store.redeem(first, read_first.id, at=runtime.now())
            first.rollback()


def test_an_offer_to_serve_says_what_it_asks_for_and_until_when(tmp_path: Path) -> None:
    """The offer served by reference is read with its configurations, whether it asks for a
    transaction code and names an issuer_state, its end (aware) and its redemption."""
    with wallet_runtime(tmp_path) as wallets:
        runtime = wallets.runtime
        credential_id = learners_credential(wallets)
        plain = offers.create_offer(runtime, actor=wallets.hanako, credential_id=credential_id,
                                    tx_code=False)
        asking = offers.create_offer(runtime, actor=wallets.hanako, credential_id=credential_id,
                                     authorization_code=True)
        with runtime.sessions() as session:
            served = offer_store.offer_to_serve(session, plain.public_id)
            both = offer_store.offer_to_serve(session, asking.public_id)
            missing = offer_store.offer_to_serve(session, "no-such-offer")
        assert served is not None and both is not None and missing is None
        assert served.configurations.split() == plain.offer["credential_configuration_ids"]
        assert (served.tx_code, served.authorization_code) == (False, False)
        assert (both.tx_code, both.authorization_code) == (True, True)
        assert served.expires_at == plain.expires_at and served.expires_at.tzinfo is not None
        assert served.redeemed_at is None
