"""An offer's issuer_state taken by the learner's consent, as the authorization server's
service is called: two consents to one offer at the same moment give one code, the other is
refused invalid_request, audited; whose offer it is, for a learner whose wallet was never
opened."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import delete, func, select

from credstack.adapters.db.tables.wallet import WalletIdentifierRow
from credstack.services.audit import service as audit
from credstack.services.oauth import service as oauth
from credstack.services.oauth.requests import HttpRequest, HttpResponse
from credstack.services.oid4vci import offers
from credstack.settings import Settings
from tests.services.issuance.test_credentials import ISSUER
from tests.services.oid4vci.issuing import learners_credential
from tests.services.wallet.wallets import HANAKO_EMAIL, Wallets, wallet_runtime

BASE = "http://localhost:8000"
REDIRECT = "http://127.0.0.1:9/cb"


@pytest.fixture
def wallets(settings: Settings, tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path, settings=settings) as made:
        yield made


def _consent(wallets: Wallets, client_id: str, state: str) -> HttpResponse:
    query = urlencode({"response_type": "code", "client_id": client_id,
                       "redirect_uri": REDIRECT, "scope": "openbadge_ldp_vc_jcs",
                       "issuer_state": state, "state": "s",
                       "code_challenge": create_s256_code_challenge("v" * 50),
                       "code_challenge_method": "S256"})
    return oauth.decide(wallets.runtime, actor=wallets.hanako, allow=True, request=HttpRequest(
        method="POST", url=f"{BASE}/oauth/authorize?{query}", headers={},
        query=parse_qs(query)))


def _public_client(wallets: Wallets) -> str:
    registered = oauth.register(wallets.runtime, request=HttpRequest(
        method="POST", url=f"{BASE}/oauth/register", headers={},
        json={"client_name": "Wallet", "redirect_uris": [REDIRECT],
              "scope": "openbadge_ldp_vc_jcs", "token_endpoint_auth_method": "none"}))
    return str(registered.json()["client_id"])


def test_two_consents_to_one_offer_at_once_give_one_code(wallets: Wallets) -> None:
    """Racing consents to one issuer_state: exactly one is sent a code, the other
    invalid_request (used already), and the refusal is audited."""
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets),
                               authorization_code=True)
    state = made.offer["grants"]["authorization_code"]["issuer_state"]
    client_id = _public_client(wallets)
    start = threading.Barrier(2)
    answers: list[dict[str, list[str]]] = []

    def answer() -> None:
        start.wait()
        location = _consent(wallets, client_id, state).location
        answers.append(parse_qs(urlsplit(location or "").query))

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted("code" in each for each in answers) == [False, True]
    refused = next(each for each in answers if "code" not in each)
    assert refused["error"] == ["invalid_request"]
    assert refused["error_description"] == ["issuer_state names an offer that was used "
                                            "already."]
    with wallets.runtime.sessions() as session:
        logged = [entry for entry in audit.entries(session, latest=True, limit=20)
                  if entry.action in {"oauth.authorization.refused", "oid4vci.offer.authorized",
                                      "oauth.code.issued"}]
    assert sorted(entry.action for entry in logged) == [
        "oauth.authorization.refused", "oauth.code.issued", "oid4vci.offer.authorized"]


def test_a_wallet_never_opened_is_known_by_its_sign_in_address(wallets: Wallets) -> None:
    """Hanako's wallet never opened: her offer is hers by the address she signs in with, and
    her token names its credential — unless Taro's wallet holds that address (verified there),
    as opening hers would not give it her then: refused as another learner's offer."""
    made = offers.create_offer(wallets.runtime, actor=ISSUER,
                               credential_id=learners_credential(wallets),
                               authorization_code=True)
    state = made.offer["grants"]["authorization_code"]["issuer_state"]
    client_id = _public_client(wallets)
    with wallets.runtime.transaction() as session:
        opened = session.scalar(select(func.count()).select_from(WalletIdentifierRow).where(
            WalletIdentifierRow.user_id == wallets.hanako.principal.user_id))
        assert opened == 0
        session.add(WalletIdentifierRow(
            user_id=wallets.taro.principal.user_id, kind="email", value=HANAKO_EMAIL,
            created_at=wallets.runtime.now(), verified_at=wallets.runtime.now()))
    refused = parse_qs(urlsplit(_consent(wallets, client_id, state).location or "").query)
    assert refused["error_description"] == ["issuer_state names an offer made for another "
                                            "learner."]
    with wallets.runtime.transaction() as session:
        session.execute(delete(WalletIdentifierRow))
    answer = parse_qs(urlsplit(_consent(wallets, client_id, state).location or "").query)
    token = oauth.token(wallets.runtime, request=HttpRequest(
        method="POST", url=f"{BASE}/oauth/token", headers={}, form={
            "grant_type": ["authorization_code"], "code": answer["code"],
            "redirect_uri": [REDIRECT], "code_verifier": ["v" * 50],
            "client_id": [client_id]}))
    assert token.status == 200, token.body
    [details] = token.json()["authorization_details"]
    assert len(details["credential_identifiers"]) == 1  # her offered credential, by address
