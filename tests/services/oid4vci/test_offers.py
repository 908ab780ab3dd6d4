"""Credential offers: only for the credential's learner or issuer, served once by reference."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.errors import AccessDeniedError, GoneError, NotFoundError
from credstack.services.audit import service as audit
from credstack.services.oid4vci import offers
from tests.services.issuance.test_credentials import ISSUER
from tests.services.oid4vci.issuing import code_of, learners_credential, redeem
from tests.services.wallet.wallets import Wallets, wallet_runtime


@pytest.fixture
def wallets(tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path) as made:
        yield made


def test_someone_elses_credential_cannot_be_offered_and_the_refusal_is_recorded(
        wallets: Wallets) -> None:
    """Taro may not offer Hanako's credential to his wallet; nothing is made."""
    credential_id = learners_credential(wallets)
    with pytest.raises(AccessDeniedError):
        offers.create_offer(wallets.runtime, actor=wallets.taro, credential_id=credential_id)
    with wallets.runtime.sessions() as session:
        made = [entry.details for entry in audit.entries(session)
                if entry.action == "oid4vci.offer.created"]
    # Only the offer of the issuance e-mail, made when the credential was issued.
    assert [entry["channel"] for entry in made] == ["mail"]


def test_the_issuer_may_offer_the_learners_credential(wallets: Wallets) -> None:
    """An issuer of the organisation makes the offer the issuance e-mail carries."""
    made = offers.create_offer(wallets.runtime, actor=ISSUER,
                               credential_id=learners_credential(wallets), channel="mail",
                               tx_code=False)
    assert made.tx_code is None
    assert made.by_reference.startswith("openid-credential-offer://?credential_offer_uri=")
    assert (made.expires_at - wallets.runtime.now()).days == 6


def test_the_offer_by_reference_is_the_offer_by_value_until_it_is_redeemed(
        wallets: Wallets) -> None:
    runtime = wallets.runtime
    made = offers.create_offer(runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets))
    assert offers.offer_document(runtime, public_id=made.public_id) == made.offer
    assert made.offer["grants"][
        "urn:ietf:params:oauth:grant-type:pre-authorized_code"]["tx_code"]["length"] == 6
    redeem(runtime, code=code_of(made), tx_code=made.tx_code)
    with pytest.raises(GoneError):
        offers.offer_document(runtime, public_id=made.public_id)
    with pytest.raises(NotFoundError):
        offers.offer_document(runtime, public_id="no-such-offer")


def test_an_unknown_credential_cannot_be_offered(wallets: Wallets) -> None:
    with pytest.raises(NotFoundError):
        offers.create_offer(wallets.runtime, actor=wallets.hanako,
                            credential_id="urn:uuid:00000000-0000-0000-0000-000000000000")
