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
* Signed requests by reference (RFC 9101): both wallets fetch the request object from the
  ``request_uri`` (``GET``, or ``POST``), check it is signed by the client id's ``did:key``
  and answer it; an answered request's object is no longer served.
* ``direct_post.jwt``: both wallets encrypt the answer to the request's key; a JWE for another
  key, or an answer in the clear, is refused and nothing is stored.

Needs ``node`` and ``interop/js/node_modules`` (see ``test_js_reference``).
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Iterator

import pytest
from joserfc.jwk import ECKey

from credstack.adapters.resolvers.fetch import CA_FILE_ENV, LOOPBACK_ENV
from credstack.core.access.policy import Membership, Role
from credstack.errors import AccessDeniedError, ExchangeProtocolError, InputError
from credstack.services.oid4vci import offers
from credstack.services.oid4vci import service as oid4vci
from credstack.services.oid4vp import holder, verifier
from credstack.services.wallet import credentials as wallet
from credstack.testing import ActingAs
from tests.interop.oid4vc import TlsIssuer, run_node, tls_issuer
from tests.interop.test_js_reference import Node, node
from tests.services.issuance.test_credentials import SLUG
from tests.services.oid4vci.issuing import Wallet, code_of, details, learners_credential, redeem
from tests.services.wallet.wallets import Wallets

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


def _holding(issuer: TlsIssuer, monkeypatch: pytest.MonkeyPatch) -> Wallets:
    """The wallets, Hanako's holding the credential issued to her (her wallet reaching the
    test server over loopback HTTPS)."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    monkeypatch.setenv(CA_FILE_ENV, str(issuer.ca_file))
    wallets = issuer.wallets
    learners_credential(wallets)
    user_id = wallets.hanako.principal.user_id
    assert user_id is not None
    # Opened, the wallet takes her account's address as an identifier, and what was issued
    # to it is delivered (deliver_issued alone finds no identifier in a wallet never opened).
    wallet.refresh(wallets.runtime, user_id=user_id, subject=wallets.hanako.principal.subject)
    return wallets


def test_credstacks_wallet_answers_with_only_the_matching_credential(
        issuer: TlsIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's wallet proposes the ldp_vc credential for the ldp_vc query, presents it
    with the holder key, and the employer reads verified."""
    wallets = _holding(issuer, monkeypatch)
    runtime = wallets.runtime
    made = verifier.create_request(runtime, actor=wallets.taro)
    proposal = holder.proposal(runtime, actor=wallets.hanako, uri=made.uri)
    assert proposal.choices["micro_credential_sd_jwt"] == []
    choice = proposal.choices["micro_credential_ldp"][0]
    holder.answer(runtime, actor=wallets.hanako, uri=made.uri,
                  chosen={"micro_credential_ldp": choice.public_id})
    found = verifier.result(runtime, actor=wallets.taro, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]


def _employer(wallets: Wallets) -> ActingAs:
    """Taro, as someone who may issue the test organisation's credentials: he may sign a
    request as it."""
    taro = wallets.taro.principal
    return ActingAs(dataclasses.replace(taro, memberships=frozenset(
        {*taro.memberships, Membership(SLUG, Role.ISSUER)})))


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_npm_wallet_checks_a_signed_request_object_and_answers_it(
        issuer: TlsIssuer, method: str) -> None:
    """The npm wallet fetches the request object from request_uri (GET, or POST), verifies
    it as signed by the client id's did:key, answers, and the employer reads verified; the
    request_uri of an answered request answers invalid_request_uri."""
    wallets = issuer.wallets
    employer = _employer(wallets)
    holder_wallet = Wallet.new()
    credential = _sd_jwt_held_by(issuer, holder_wallet)
    made = verifier.create_request(wallets.runtime, actor=employer, label="Signed",
                                   signed_as=SLUG, request_uri_method=method)
    assert made.uri.startswith("openid4vp://?client_id=decentralized_identifier%3Adid%3Akey")
    assert "request_uri=" in made.uri and "dcql_query" not in made.uri
    answer = run_node("oid4vp.mjs", {"request": made.uri, "credential": credential,
                                     "holderPrivateJwk": _private_jwk(holder_wallet)},
                      ca_file=issuer.ca_file)
    assert answer.get("status") == 200, answer
    assert made.request.signer is not None
    assert answer["clientId"] == "decentralized_identifier:" + made.request.signer
    assert str(answer["signer"]).startswith(made.request.signer + "#")
    found = verifier.result(wallets.runtime, actor=employer, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]
    assert found.signed_as == SLUG
    again = run_node("oid4vp.mjs", {"request": made.uri, "credential": credential,
                                    "holderPrivateJwk": _private_jwk(holder_wallet)},
                     ca_file=issuer.ca_file)
    assert "request_uri" in again.get("error", ""), again


def test_credstacks_wallet_answers_a_signed_request_and_says_who_signed(
        issuer: TlsIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's wallet fetches and checks the signed request, names its signer, answers
    it, and the employer reads verified; read again afterwards, the request is refused as no
    longer on offer."""
    wallets = _holding(issuer, monkeypatch)
    runtime = wallets.runtime
    employer = _employer(wallets)
    made = verifier.create_request(runtime, actor=employer, signed_as=SLUG)
    proposal = holder.proposal(runtime, actor=wallets.hanako, uri=made.uri)
    assert proposal.signed_by == made.request.signer
    assert proposal.request.client_id == made.request.client_id
    choice = proposal.choices["micro_credential_ldp"][0]
    sent = holder.answer(runtime, actor=wallets.hanako, uri=made.uri,
                         chosen={"micro_credential_ldp": choice.public_id})
    assert sent.proposal.signed_by == made.request.signer
    found = verifier.result(runtime, actor=employer, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]
    with pytest.raises(InputError, match="no longer offers this request"):
        holder.proposal(runtime, actor=wallets.hanako, uri=made.uri)


def test_only_someone_who_may_issue_its_credentials_signs_as_an_organisation(
        issuer: TlsIssuer) -> None:
    """A learner asking to sign as the organisation is refused and nothing is made."""
    wallets = issuer.wallets
    with pytest.raises(AccessDeniedError):
        verifier.create_request(wallets.runtime, actor=wallets.taro, signed_as=SLUG)


@pytest.mark.parametrize("signed", [False, True], ids=["by-value", "signed"])
def test_the_npm_wallet_encrypts_its_answer_with_direct_post_jwt(
        issuer: TlsIssuer, signed: bool) -> None:
    """direct_post.jwt: the npm wallet encrypts vp_token and state to the key of the
    request's client_metadata.jwks (ECDH-ES, P-256) and posts response=<JWE>; the employer
    reads verified, the stored answer is the decrypted one."""
    wallets = issuer.wallets
    employer = _employer(wallets)
    holder_wallet = Wallet.new()
    credential = _sd_jwt_held_by(issuer, holder_wallet)
    made = verifier.create_request(wallets.runtime, actor=employer,
                                   signed_as=SLUG if signed else None,
                                   response_mode="direct_post.jwt")
    [jwk] = made.request.client_metadata["jwks"]["keys"]
    assert jwk["kty"] == "EC" and jwk["crv"] == "P-256" and "d" not in jwk
    answer = run_node("oid4vp.mjs", {"request": made.uri, "credential": credential,
                                     "holderPrivateJwk": _private_jwk(holder_wallet)},
                      ca_file=issuer.ca_file)
    assert answer.get("status") == 200, answer
    assert answer["responseMode"] == "direct_post.jwt"
    found = verifier.result(wallets.runtime, actor=employer, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]


def test_a_response_encrypted_to_another_key_is_refused_and_nothing_stored(
        issuer: TlsIssuer) -> None:
    """The npm wallet encrypts to a key that is not the request's: invalid_request, the
    request stays unanswered (a good answer is still taken), the refusal audited."""
    wallets = issuer.wallets
    holder_wallet = Wallet.new()
    credential = _sd_jwt_held_by(issuer, holder_wallet)
    made = verifier.create_request(wallets.runtime, actor=wallets.taro,
                                   response_mode="direct_post.jwt")
    other = made.request.client_metadata["jwks"]["keys"][0] | dict(
        ECKey.generate_key("P-256").as_dict(private=False))
    answer = run_node("oid4vp.mjs", {"request": made.uri, "credential": credential,
                                     "holderPrivateJwk": _private_jwk(holder_wallet),
                                     "tamper": "encryption-key", "otherJwk": other},
                      ca_file=issuer.ca_file)
    assert answer.get("status") == 400, answer
    assert answer["body"]["error"] == "invalid_request"
    assert "does not decrypt with this request's key" in answer["body"]["error_description"]
    found = verifier.result(wallets.runtime, actor=wallets.taro, public_id=made.public_id)
    assert found.responded_at is None and found.outcome is None
    good = run_node("oid4vp.mjs", {"request": made.uri, "credential": credential,
                                   "holderPrivateJwk": _private_jwk(holder_wallet)},
                    ca_file=issuer.ca_file)
    assert good.get("status") == 200, good


def test_a_plain_answer_to_an_encrypted_request_is_refused(issuer: TlsIssuer) -> None:
    """A vp_token posted in the clear where direct_post.jwt was asked: invalid_request, nothing
    stored; the wallet's refusal (error, no credential) is taken in the clear."""
    wallets = issuer.wallets
    made = verifier.create_request(wallets.runtime, actor=wallets.taro,
                                   response_mode="direct_post.jwt")
    with pytest.raises(ExchangeProtocolError, match="encrypted"):
        verifier.receive(wallets.runtime, public_id=made.public_id,
                         form={"vp_token": "{}", "state": made.public_id})
    found = verifier.result(wallets.runtime, actor=wallets.taro, public_id=made.public_id)
    assert found.responded_at is None
    verifier.receive(wallets.runtime, public_id=made.public_id,
                     form={"error": "access_denied", "state": made.public_id})
    declined = verifier.result(wallets.runtime, actor=wallets.taro, public_id=made.public_id)
    assert declined.outcome == "error", "a refusal carries no credential: taken in the clear"


def test_credstacks_wallet_encrypts_its_answer(issuer: TlsIssuer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's wallet answers a signed direct_post.jwt request encrypted; verified."""
    wallets = _holding(issuer, monkeypatch)
    runtime = wallets.runtime
    employer = _employer(wallets)
    made = verifier.create_request(runtime, actor=employer, signed_as=SLUG,
                                   response_mode="direct_post.jwt")
    proposal = holder.proposal(runtime, actor=wallets.hanako, uri=made.uri)
    assert proposal.request.response_mode == "direct_post.jwt"
    choice = proposal.choices["micro_credential_ldp"][0]
    holder.answer(runtime, actor=wallets.hanako, uri=made.uri,
                  chosen={"micro_credential_ldp": choice.public_id})
    found = verifier.result(runtime, actor=employer, public_id=made.public_id)
    assert found.outcome == "verified", json.dumps(found.report)[:3000]
