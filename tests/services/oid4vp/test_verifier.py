"""The verifier's signed requests, without a server: the request object is served while the
request is on offer, by the method it names, and never for an unsigned request; it is signed
as the organisation's did:key fixed when the request was made, and a wallet reads it back as
the request."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.core.access.policy import Membership, Role
from credstack.core.oid4vp import request_objects
from credstack.errors import ExchangeProtocolError
from credstack.services.oid4vp import verifier
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.services.issuance.test_credentials import SLUG
from tests.services.wallet.wallets import Wallets, wallet_runtime

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
    assert raised.value.code == "invalid_request_uri"
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
