"""OID4VP 1.0 against credstack's verifier, over HTTPS: an unmodified wallet library from the
npm registry (``@openid4vc/openid4vp`` 0.4.6, choosing with ``dcql`` 3.0.0; driven by
``interop/js/oid4vp.mjs``), and credstack's own wallet as the holder.

* The npm wallet holds an SD-JWT VC that credstack issued to its key over OID4VCI; it reads
  the employer's request (client identifier prefix ``redirect_uri``, ``direct_post``), runs
  the DCQL query, presents the credential with a key binding JWT for the request's client id
  and nonce (``@sd-jwt/core``) and posts it; the employer reads ``verified``. A presentation
  bound to another nonce is read ``not-verified``; a second answer to the same request is
  ``invalid_request``.
* The learner's credstack wallet answers a request for an ``ldp_vc`` micro-credential with
  the matching credential only, in a presentation signed by the holder key for the request's
  nonce and client id, posted to the verifier over HTTPS through the hardened fetcher.

Needs ``node`` and ``interop/js/node_modules`` (see ``test_js_reference``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest

from credstack.adapters.resolvers.fetch import CA_FILE_ENV, LOOPBACK_ENV
from credstack.services.oid4vci import offers
from credstack.services.oid4vci import service as oid4vci
from credstack.services.oid4vp import holder, verifier
from credstack.services.wallet import credentials as wallet
from tests.interop.oid4vc import TlsIssuer, run_node, tls_issuer
from tests.interop.test_js_reference import Node, node
from tests.services.oid4vci.issuing import Wallet, code_of, details, learners_credential, redeem

__all__ = ["node"]


@pytest.fixture(scope="module")
def issuer(node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsIssuer]:
    with tls_issuer(tmp_path_factory.mktemp("oid4vp")) as made:
        yield made


def _sd_jwt_held_by(issuer: TlsIssuer, holder_wallet: Wallet) -> str:
    """Hanako's credential, issued over OID4VCI as dc+sd-jwt bound to ``holder_wallet``."""
    wallets = issuer.wallets
    runtime = wallets.runtime
    made = offers.create_offer(runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets), tx_code=False)
    grant = redeem(runtime, code=code_of(made), tx_code=None,
                   authorization_details=details("OpenBadgeCredential_dc+sd-jwt"))
    issued = oid4vci.issue(runtime, access_token=grant.access_token, body={
        "credential_configuration_id": "OpenBadgeCredential_dc+sd-jwt",
        "proofs": {"jwt": [holder_wallet.proof(runtime)]}})
    assert isinstance(issued.credential, str)
    return issued.credential


def _private_jwk(holder_wallet: Wallet) -> dict[str, str]:
    secret = base64.urlsafe_b64encode(holder_wallet.key.secret_bytes()).rstrip(b"=").decode()
    return {**holder_wallet.key.public_key.to_jwk(), "d": secret}


def test_the_npm_wallet_answers_with_an_sd_jwt_and_the_employer_reads_it_verified(
        issuer: TlsIssuer) -> None:
    wallets = issuer.wallets
    holder_wallet = Wallet.new()
    credential = _sd_jwt_held_by(issuer, holder_wallet)
    made = verifier.create_request(wallets.runtime, actor=wallets.taro, label="Hiring")
    answer = run_node("oid4vp.mjs", {"request": made.uri, "credential": credential,
                                     "holderPrivateJwk": _private_jwk(holder_wallet)},
                      ca_file=issuer.ca_file)
    assert answer.get("status") == 200, answer
    assert answer["query"] == "micro_credential_sd_jwt"
    found = verifier.result(wallets.runtime, actor=wallets.taro, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]
    again = run_node("oid4vp.mjs", {"request": made.uri, "credential": credential,
                                    "holderPrivateJwk": _private_jwk(holder_wallet)},
                     ca_file=issuer.ca_file)
    assert again.get("status") == 400 and again["body"]["error"] == "invalid_request", again


def test_a_presentation_for_another_nonce_is_not_verified(issuer: TlsIssuer) -> None:
    wallets = issuer.wallets
    holder_wallet = Wallet.new()
    credential = _sd_jwt_held_by(issuer, holder_wallet)
    made = verifier.create_request(wallets.runtime, actor=wallets.taro)
    answer = run_node("oid4vp.mjs", {"request": made.uri, "credential": credential,
                                     "holderPrivateJwk": _private_jwk(holder_wallet),
                                     "tamper": "nonce"}, ca_file=issuer.ca_file)
    assert answer.get("status") == 200, answer
    found = verifier.result(wallets.runtime, actor=wallets.taro, public_id=made.public_id)
    assert found.outcome == "not-verified"


def test_credstacks_wallet_answers_with_only_the_matching_credential(
        issuer: TlsIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's wallet proposes the ldp_vc credential for the ldp_vc query, presents it
    with the holder key, and the employer reads verified."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    monkeypatch.setenv(CA_FILE_ENV, str(issuer.ca_file))
    wallets = issuer.wallets
    runtime = wallets.runtime
    learners_credential(wallets)
    user_id = wallets.hanako.principal.user_id
    assert user_id is not None
    wallet.deliver_issued(runtime, user_id=user_id, subject=wallets.hanako.principal.subject)
    made = verifier.create_request(runtime, actor=wallets.taro)
    proposal = holder.proposal(runtime, actor=wallets.hanako, uri=made.uri)
    assert proposal.choices["micro_credential_sd_jwt"] == []
    choice = proposal.choices["micro_credential_ldp"][0]
    holder.answer(runtime, actor=wallets.hanako, uri=made.uri,
                  chosen={"micro_credential_ldp": choice.public_id})
    found = verifier.result(runtime, actor=wallets.taro, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]
