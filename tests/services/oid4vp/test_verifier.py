"""The verifier's signed requests, without a server: the request object is served while the
request is on offer, by the method it names, and never for an unsigned request; it is signed
as the organisation's did:key fixed when the request was made, and a wallet reads it back as
the request. An answer's outcome has three states: one whose issuer key is out of reach
could not be checked, one proven wrong is not verified."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.access.policy import Membership, Role
from credstack.core.credentials.presentations import build_presentation, sign_presentation
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.oid4vp import request_objects
from credstack.errors import ExchangeProtocolError
from credstack.services.oid4vp import verifier
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.services.issuance.test_credentials import SLUG
from tests.services.wallet.wallets import Wallets, wallet_runtime
from tests.signed_credentials import signed_by_did_web

NOW = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> list[dt.datetime]:
    return [NOW]


@pytest.fixture
def wallets(tmp_path: Path, clock: list[dt.datetime]) -> Iterator[Wallets]:
    settings = dataclasses.replace(Settings.from_env(data_dir=tmp_path, database_url=""),
                                   public_url="https://verifier.example")
    with wallet_runtime(tmp_path, settings=settings, clock=lambda: clock[0]) as made:
        yield made


def _issuer(wallets: Wallets) -> ActingAs:
    taro = wallets.taro.principal
    return ActingAs(dataclasses.replace(taro, memberships=frozenset(
        {*taro.memberships, Membership(SLUG, Role.ISSUER)})))


def test_the_request_object_reads_back_as_the_request(wallets: Wallets) -> None:
    """What the request_uri serves is the request, signed by the client id's did:key."""
    made = verifier.create_request(wallets.runtime, actor=_issuer(wallets), signed_as=SLUG)
    shown = request_objects.reference(made.uri)
    assert shown is not None and shown.signer == made.request.signer
    token = verifier.request_object(wallets.runtime, public_id=made.public_id)
    assert request_objects.read(token, shown=shown, now=NOW) == made.request


def test_an_expired_request_object_is_not_served(wallets: Wallets,
                                                 clock: list[dt.datetime]) -> None:
    """Once the request has expired its object is invalid_request_uri; a wallet holding an
    object fetched before reads it expired."""
    made = verifier.create_request(wallets.runtime, actor=_issuer(wallets), signed_as=SLUG)
    token = verifier.request_object(wallets.runtime, public_id=made.public_id)
    clock[0] = NOW + verifier.LIFETIME
    with pytest.raises(ExchangeProtocolError, match="answered already or expired") as raised:
        verifier.request_object(wallets.runtime, public_id=made.public_id)
    assert raised.value.error == "invalid_request_uri"
    shown = request_objects.reference(made.uri)
    assert shown is not None
    with pytest.raises(ExchangeProtocolError, match="expired"):
        request_objects.read(token, shown=shown, now=clock[0])


def test_a_request_object_is_served_by_its_method_only(wallets: Wallets) -> None:
    made = verifier.create_request(wallets.runtime, actor=_issuer(wallets), signed_as=SLUG,
                                   request_uri_method="post")
    assert "request_uri_method=post" in made.uri
    assert verifier.request_object(wallets.runtime, public_id=made.public_id, method="post")
    with pytest.raises(ExchangeProtocolError, match="by POST") as raised:
        verifier.request_object(wallets.runtime, public_id=made.public_id, method="get")
    assert raised.value.status == 405


def test_an_unsigned_request_has_no_request_object(wallets: Wallets) -> None:
    made = verifier.create_request(wallets.runtime, actor=wallets.taro)
    assert made.uri.startswith("openid4vp://?client_id=redirect_uri")
    with pytest.raises(ExchangeProtocolError, match="No such request object") as raised:
        verifier.request_object(wallets.runtime, public_id=made.public_id)
    assert raised.value.status == 404


@pytest.fixture
def offline(tmp_path: Path, clock: list[dt.datetime]) -> Iterator[Wallets]:
    """A verifier that fetches nothing: a did:web issuer's key is out of its reach."""
    settings = dataclasses.replace(Settings.from_env(data_dir=tmp_path, database_url=""),
                                   public_url="https://verifier.example", verify_offline=True)
    with wallet_runtime(tmp_path, settings=settings, clock=lambda: clock[0]) as made:
        yield made


def _answer(wallets: Wallets, *, nonce: str | None = None) -> verifier.Result:
    """A holder answers a new request with a credential of a did:web issuer, in an ldp_vc
    presentation signed for the request's nonce (or ``nonce``); what the asker reads."""
    made = verifier.create_request(wallets.runtime, actor=wallets.taro, label="Hiring")
    [query] = [item for item in made.request.query.credentials if item.format == "ldp_vc"]
    holder_key = KeyPair.generate(KeyType.ED25519)
    holder = did_key.did_from_public_key(holder_key.public_key)
    presentation = sign_presentation(
        build_presentation([signed_by_did_web("did:web:issuer.example", anonymous=True)],
                           holder=holder),
        key=holder_key, verification_method=did_key.verification_method_id(
            holder_key.public_key),
        challenge=nonce or made.request.nonce, domain=made.request.client_id, created=NOW,
        document_loader=shared_document_loader())
    verifier.receive(wallets.runtime, public_id=made.public_id, form={
        "state": made.public_id, "vp_token": json.dumps({query.id: [presentation]})})
    return verifier.result(wallets.runtime, actor=wallets.taro, public_id=made.public_id)


def test_an_answer_whose_issuer_key_is_out_of_reach_could_not_be_checked(
        offline: Wallets) -> None:
    """Nothing proven wrong, the issuer's DID document not fetched: the outcome kept is
    could-not-be-checked (not not-verified), the query named as undecided."""
    found = _answer(offline)
    assert found.outcome == "could-not-be-checked", json.dumps(found.report)[:2000]
    assert found.report is not None and found.report["answered"] == []
    [identifier] = found.report["undecided"]
    [presentation] = found.report["presentations"][identifier]
    assert presentation["outcome"] == "could-not-be-checked"


def test_an_answer_proven_wrong_is_not_verified_though_a_key_is_out_of_reach(
        offline: Wallets) -> None:
    """The same answer bound to another nonce is proven wrong: not-verified."""
    found = _answer(offline, nonce="another-request")
    assert found.outcome == "not-verified"
    assert found.report is not None and found.report["undecided"] == []
