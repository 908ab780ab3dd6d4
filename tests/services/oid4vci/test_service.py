"""The OID4VCI issuer's grant and credential endpoint, as a wallet meets them."""

from __future__ import annotations

import base64
import concurrent.futures
import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from credstack.core.oid4vci.metadata import CONFIGURATIONS
from credstack.core.proofs.cryptosuites import sd_jwt
from credstack.core.status.changes import StatusChange
from credstack.errors import ExchangeProtocolError
from credstack.services.access.service import flush_pending
from credstack.services.audit import service as audit
from credstack.services.issuance.status import change_status
from credstack.services.oid4vci import offers, service
from credstack.services.verification import service as verifier
from credstack.services.wallet.sources import sources
from credstack.settings import Settings
from tests.services.issuance.test_credentials import ISSUER
from tests.services.oid4vci.issuing import (
    Wallet,
    code_of,
    details,
    learners_credential,
    redeem,
)
from tests.services.wallet.wallets import Wallets, wallet_runtime


@pytest.fixture
def wallets(settings: Settings, tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path, settings=settings) as made:
        yield made


class _Refusal:
    """``with _Refusal("invalid_grant"):`` — the block raises that protocol error."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, trace: object) -> bool:
        assert isinstance(error, ExchangeProtocolError), f"expected {self.code}, got {error!r}"
        assert error.error == self.code, (error.error, error.message)
        return True


def _subject(credential: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(credential, dict):
        return dict(credential["credentialSubject"])
    if "~" in credential:
        claims = sd_jwt.disclose(sd_jwt.parse(credential)).claims
        return dict(claims["credentialSubject"])
    payload = json.loads(base64.urlsafe_b64decode(credential.split(".")[1] + "=="))
    return dict(payload["vc"]["credentialSubject"])


@pytest.mark.parametrize("configuration", list(CONFIGURATIONS))
def test_each_configuration_is_issued_bound_to_the_wallet_and_verifies(
        wallets: Wallets, configuration: str) -> None:
    """Offer → token (with the transaction code) → nonce → credential: the learner's credential,
    its subject the wallet's DID, verifying with the platform's keys."""
    runtime = wallets.runtime
    credential_id = learners_credential(wallets)
    made = offers.create_offer(runtime, actor=wallets.hanako, credential_id=credential_id)
    grant = redeem(runtime, code=code_of(made),
                                               tx_code=made.tx_code,
                                               authorization_details=details(configuration))
    assert grant.authorization_details is not None
    identifier = grant.authorization_details[0]["credential_identifiers"][0]
    wallet = Wallet.new()
    issued = service.issue(runtime, access_token=grant.access_token, body={
        "credential_identifier": identifier, "proofs": {"jwt": [wallet.proof(runtime)]}})
    assert issued.credential_id == credential_id
    assert _subject(issued.credential)["id"] == wallet.did
    report = verifier.verify(issued.credential, now=runtime.now(), sources=sources(runtime))
    assert report.ok, [check.to_dict() for check in report.failed]
    with runtime.sessions() as session:
        actions = [entry.action for entry in audit.entries(session, subject=credential_id)]
    assert "oid4vci.offer.created" in actions and "oid4vci.credential.issued" in actions


def test_the_configuration_id_may_name_the_credential_without_authorization_details(
        wallets: Wallets) -> None:
    """A token asked for without authorization_details is good for every offered
    configuration, named by its id."""
    runtime = wallets.runtime
    made = offers.create_offer(runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets), tx_code=False)
    grant = redeem(runtime, code=code_of(made), tx_code=None)
    assert grant.authorization_details is None
    issued = service.issue(runtime, access_token=grant.access_token, body={
        "credential_configuration_id": "OpenBadgeCredential_jwt_vc_json",
        "proofs": {"jwt": [Wallet.new().proof(runtime)]}})
    assert isinstance(issued.credential, str)


def test_the_transaction_code_is_required_checked_and_limited(wallets: Wallets) -> None:
    """No tx_code: invalid_request; a wrong one: invalid_grant, and five spend the offer."""
    runtime = wallets.runtime
    made = offers.create_offer(runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets))
    with _Refusal("invalid_request"):
        redeem(runtime, code=code_of(made), tx_code=None)
    wrong = "000000" if made.tx_code != "000000" else "111111"
    for _ in range(offers.MAX_TX_ATTEMPTS):
        with _Refusal("invalid_grant"):
            redeem(runtime, code=code_of(made), tx_code=wrong)
    with _Refusal("invalid_grant"):
        redeem(runtime, code=code_of(made), tx_code=made.tx_code)


def test_no_guess_is_checked_once_five_were_wrong_whatever_the_clock_says(
        settings: Settings, tmp_path: Path) -> None:
    """A request that started before the fifth wrong guess spent the offer (its now is
    earlier than the offer's new end) is refused too: the count decides, not the clock. (It
    was let through: a sixth guess, and the right code worked.)"""
    clock = [dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)]
    with wallet_runtime(tmp_path, settings=settings, clock=lambda: clock[0]) as wallets:
        runtime = wallets.runtime
        made = offers.create_offer(runtime, actor=wallets.hanako,
                                   credential_id=learners_credential(wallets))
        wrong = "000000" if made.tx_code != "000000" else "111111"
        for _ in range(offers.MAX_TX_ATTEMPTS):
            with _Refusal("invalid_grant"):
                redeem(runtime, code=code_of(made), tx_code=wrong)
        clock[0] -= dt.timedelta(seconds=1)
        with _Refusal("invalid_grant"):
            redeem(runtime, code=code_of(made), tx_code=made.tx_code)


def test_concurrent_wrong_guesses_are_counted_one_by_one_up_to_five(
        wallets: Wallets) -> None:
    """Twelve wrong guesses at once (real threads; on PostgreSQL real concurrent
    transactions): each counted by an increment in the database, five checked and audited
    with the counts 1…5, the rest refused unchecked."""
    runtime = wallets.runtime
    made = offers.create_offer(runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets))
    wrong = "000000" if made.tx_code != "000000" else "111111"
    start = threading.Barrier(12)

    def guess() -> str:
        start.wait()
        try:
            redeem(runtime, code=code_of(made), tx_code=wrong)
        except ExchangeProtocolError as error:
            return error.error
        return "granted"

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: guess(), range(12)))
    assert answers == ["invalid_grant"] * 12
    with runtime.sessions() as session:
        counted = sorted(entry.details["attempts"] for entry in audit.entries(session)
                         if entry.action == "oid4vci.offer.tx-code-failed")
    assert counted == list(range(1, offers.MAX_TX_ATTEMPTS + 1))


def test_wrong_guesses_past_the_address_budget_are_counted_not_written_one_by_one(
        settings: Settings, tmp_path: Path) -> None:
    """Wrong transaction codes at many offers from one address: the first of the minute are
    entries, the rest one counted entry (the log grew by one entry a guess), none lost."""
    budgeted = dataclasses.replace(settings, audit_refusals_per_minute=2)
    with wallet_runtime(tmp_path, settings=budgeted) as wallets:
        runtime = wallets.runtime
        guesses = 0
        for _ in range(3):
            made = offers.create_offer(runtime, actor=wallets.hanako,
                                       credential_id=learners_credential(wallets))
            wrong = "000000" if made.tx_code != "000000" else "111111"
            for _ in range(offers.MAX_TX_ATTEMPTS - 1):
                with _Refusal("invalid_grant"):
                    redeem(runtime, code=code_of(made), tx_code=wrong)
                guesses += 1
        flush_pending(runtime)
        with runtime.sessions() as session:
            logged = audit.entries(session, limit=1000)
    failed = [e for e in logged if e.action == "oid4vci.offer.tx-code-failed"]
    (counted,) = [e for e in logged if e.action == "oid4vci.offer.tx-code-failed.counted"]
    assert len(failed) == 2
    assert counted.details["refused"] == guesses - 2


def test_a_transaction_code_the_offer_did_not_ask_for_is_an_invalid_request(
        wallets: Wallets) -> None:
    runtime = wallets.runtime
    made = offers.create_offer(runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets), tx_code=False)
    with _Refusal("invalid_request"):
        redeem(runtime, code=code_of(made), tx_code="123456")


def test_a_replayed_code_is_refused_and_revokes_the_token_it_gave(wallets: Wallets) -> None:
    """The code is single use: presented again, it is invalid_grant and its token dies."""
    runtime = wallets.runtime
    made = offers.create_offer(runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets), tx_code=False)
    grant = redeem(runtime, code=code_of(made), tx_code=None)
    with _Refusal("invalid_grant"):
        redeem(runtime, code=code_of(made), tx_code=None)
    with _Refusal("invalid_token"):
        service.issue(runtime, access_token=grant.access_token, body={
            "credential_configuration_id": "OpenBadgeCredential_ldp_vc",
            "proofs": {"jwt": [Wallet.new().proof(runtime)]}})
    with _Refusal("invalid_grant"):
        redeem(runtime, code="not-a-code", tx_code=None)


def _token(wallets: Wallets) -> str:
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets), tx_code=False)
    return redeem(wallets.runtime, code=code_of(made),
                                              tx_code=None).access_token


def _ask(wallets: Wallets, token: str, proof: str) -> Any:
    return service.issue(wallets.runtime, access_token=token, body={
        "credential_configuration_id": "OpenBadgeCredential_ldp_vc_jcs",
        "proofs": {"jwt": [proof]}})


def test_a_nonce_is_accepted_once(wallets: Wallets) -> None:
    """The same nonce in a second proof is invalid_nonce, and nothing more is issued."""
    runtime, token, wallet = wallets.runtime, _token(wallets), Wallet.new()
    nonce = service.new_nonce(runtime)
    _ask(wallets, token, wallet.proof(runtime, nonce=nonce))
    with _Refusal("invalid_nonce"):
        _ask(wallets, token, wallet.proof(runtime, nonce=nonce))
    with _Refusal("invalid_nonce"):
        _ask(wallets, token, wallet.proof(runtime, nonce="made.up"))


@pytest.mark.parametrize(("change", "code"), [
    ({"aud": "https://elsewhere.example"}, "invalid_proof"),
    ({"typ": "JWT"}, "invalid_proof"),
    ({"nonce": ""}, "invalid_nonce"),
    ({"iat": 4102444800}, "invalid_proof"),
])
def test_a_proof_with_the_wrong_audience_type_nonce_or_time_is_refused(
        wallets: Wallets, change: dict[str, Any], code: str) -> None:
    runtime = wallets.runtime
    with _Refusal(code):
        _ask(wallets, _token(wallets), Wallet.new().proof(runtime, **change))


def test_a_request_without_proof_or_token_is_refused_with_the_spec_errors(
        wallets: Wallets) -> None:
    runtime, token = wallets.runtime, _token(wallets)
    with _Refusal("invalid_proof"):
        service.issue(runtime, access_token=token,
                      body={"credential_configuration_id": "OpenBadgeCredential_ldp_vc"})
    with _Refusal("invalid_credential_request"):
        service.issue(runtime, access_token=token, body={"proofs": {"jwt": ["x"]}})
    with _Refusal("unknown_credential_configuration"):
        service.issue(runtime, access_token=token, body={
            "credential_configuration_id": "mso_mdoc", "proofs": {"jwt": ["x"]}})
    with _Refusal("unknown_credential_identifier"):
        service.issue(runtime, access_token=token, body={
            "credential_identifier": "someone-else", "proofs": {"jwt": ["x"]}})
    with _Refusal("invalid_token"):
        service.issue(runtime, access_token="forged", body={
            "credential_configuration_id": "OpenBadgeCredential_ldp_vc",
            "proofs": {"jwt": [Wallet.new().proof(runtime)]}})
    with runtime.sessions() as session:
        refused = [entry for entry in audit.entries(session)
                   if entry.action == "oid4vci.credential.refused"]
    assert {entry.details["error"] for entry in refused} >= {
        "invalid_proof", "invalid_credential_request", "invalid_token"}


def test_a_revoked_credential_is_not_issued(wallets: Wallets) -> None:
    runtime = wallets.runtime
    credential_id = learners_credential(wallets)
    made = offers.create_offer(runtime, actor=wallets.hanako, credential_id=credential_id,
                               tx_code=False)
    token = redeem(runtime, code=code_of(made),
                                               tx_code=None).access_token
    change_status(runtime, actor=ISSUER, credential_id=credential_id,
                  changes=[StatusChange.REVOKE], reason="test")
    with _Refusal("credential_request_denied"):
        _ask(wallets, token, Wallet.new().proof(runtime))
