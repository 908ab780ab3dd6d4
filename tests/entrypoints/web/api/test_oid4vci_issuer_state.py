"""An offer's ``issuer_state`` over HTTP: an authorization request naming one that is unknown,
expired, used already or another learner's is refused with invalid_request naming why — sent
back to the application from the consent page, answered as JSON at the PAR endpoint — audited,
and no code issued; the learner's consent takes the offer, once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from credstack.core.status.changes import StatusChange
from credstack.services.audit import service as audit
from credstack.services.issuance.status import change_status
from credstack.services.oid4vci import offers
from credstack.settings import Settings
from tests import patiently
from tests.accounts import signed_in_client
from tests.conftest import Clock, LiveServer, at_own_url, serve
from tests.oauth import (
    authorization_url,
    consent,
    fetch_token,
    metadata,
    oauth_client,
    on_server,
    query_of,
    register,
)
from tests.services.issuance.test_credentials import ISSUER
from tests.services.oid4vci.issuing import code_of, learners_credential, redeem
from tests.services.wallet.wallets import HANAKO_EMAIL, TARO_EMAIL, Wallets, wallet_runtime

SCOPE = "openbadge_ldp_vc_jcs"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def issuer(settings: Settings, tmp_path: Path, clock: Clock
           ) -> Iterator[tuple[LiveServer, Wallets]]:
    configured, port = at_own_url(settings)
    with wallet_runtime(tmp_path, settings=configured, clock=clock) as wallets:
        for server in serve(wallets.runtime.settings, port=port, clock=clock):
            yield server, wallets


def _state(wallets: Wallets) -> tuple[offers.NewOffer, str]:
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets),
                               authorization_code=True)
    return made, made.offer["grants"]["authorization_code"]["issuer_state"]


def _refused_at_consent(server: LiveServer, state: str, *, learner: str = HANAKO_EMAIL,
                        client: Any = None) -> dict[str, str]:
    """Open the authorization request naming ``state`` as ``learner``: where the learner is
    sent (the application's redirect URI, with the error)."""
    client = client or oauth_client(register(server.url, scope=SCOPE))
    url, _ = authorization_url(server.url, client, issuer_state=state)
    with signed_in_client(server.url, learner) as browser:
        answer = browser.get(url)
    assert answer.status_code == 302, answer.text
    return query_of(answer.headers["location"])


def _logged(wallets: Wallets, action: str) -> list[dict[str, Any]]:
    with wallets.runtime.sessions() as session:
        return [dict(entry.details) for entry in audit.entries(session, latest=True, limit=40)
                if entry.action == action]


def _codes_issued(wallets: Wallets) -> int:
    return len(_logged(wallets, "oauth.code.issued"))


@pytest.mark.parametrize(("case", "reason"), [
    ("unknown", "issuer_state is not known."),
    ("expired", "issuer_state names an offer that has expired."),
    ("redeemed", "issuer_state names an offer that was used already."),
    ("another learner", "issuer_state names an offer made for another learner."),
    ("revoked", "issuer_state names an offer of a credential that is revoked."),
])
def test_an_issuer_state_that_may_not_be_used_is_refused_at_the_consent_page(
        issuer: tuple[LiveServer, Wallets], clock: Clock, case: str, reason: str) -> None:
    """Unknown, past the offer's fifteen minutes, its pre-authorised code redeemed already,
    Hanako's offer opened by Taro, or its credential revoked since: invalid_request to the
    application with the reason and its state, before the learner is asked; audited with the
    reason; no code."""
    server, wallets = issuer
    made, state = _state(wallets)
    learner = HANAKO_EMAIL
    if case == "unknown":
        state = "is_" + "x" * 40
    elif case == "expired":
        clock.advance(minutes=15, seconds=1)
    elif case == "redeemed":
        redeem(wallets.runtime, code=code_of(made), tx_code=made.tx_code)
    elif case == "revoked":
        change_status(wallets.runtime, actor=ISSUER, credential_id=made.credential_id,
                      changes=[StatusChange.REVOKE])
    else:
        learner = TARO_EMAIL
    redirected = _refused_at_consent(server, state, learner=learner)
    assert redirected["error"] == "invalid_request"
    assert redirected["error_description"] == reason
    assert "code" not in redirected and redirected["state"]
    refused = _logged(wallets, "oauth.authorization.refused")[0]
    assert refused["error"] == "invalid_request" and refused["reason"] == reason
    assert _codes_issued(wallets) == 0


def test_the_learners_consent_takes_the_offer_once(issuer: tuple[LiveServer, Wallets]
                                                   ) -> None:
    """Hanako allows: the code is issued and the token names the offered credential; the
    offer is used — the same issuer_state asked again is refused, and its pre-authorised
    code is invalid_grant."""
    server, wallets = issuer
    made, state = _state(wallets)
    client = oauth_client(register(server.url, scope=SCOPE))
    url, verifier = authorization_url(server.url, client, issuer_state=state)
    with signed_in_client(server.url, HANAKO_EMAIL) as browser:
        location = consent(browser, url)
    token = fetch_token(server.url, client, location, verifier)
    assert token["authorization_details"][0]["credential_identifiers"]
    assert len(_logged(wallets, "oid4vci.offer.authorized")) == 1
    again = _refused_at_consent(server, state, client=client)
    assert again["error_description"] == "issuer_state names an offer that was used already."
    pre_authorized = patiently.post(f"{server.url}/oauth/token", data={
        "grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code",
        "pre-authorized_code": code_of(made), "tx_code": made.tx_code})
    assert pre_authorized.status_code == 400
    assert pre_authorized.json()["error"] == "invalid_grant"


def test_a_refusal_leaves_the_offer_for_its_learner(issuer: tuple[LiveServer, Wallets]
                                                    ) -> None:
    """Taro's attempt on Hanako's offer takes nothing from her: she still consents to it."""
    server, wallets = issuer
    _, state = _state(wallets)
    assert _refused_at_consent(server, state, learner=TARO_EMAIL)["error"] == "invalid_request"
    client = oauth_client(register(server.url, scope=SCOPE))
    url, verifier = authorization_url(server.url, client, issuer_state=state)
    with signed_in_client(server.url, HANAKO_EMAIL) as browser:
        location = consent(browser, url)
    assert fetch_token(server.url, client, location, verifier)["access_token"]


def _push(server: LiveServer, registered: dict[str, Any], state: str) -> httpx.Response:
    client = oauth_client(registered)
    url, _ = authorization_url(server.url, client, issuer_state=state)
    endpoint = on_server(server.url, metadata(server.url)["pushed_authorization_request_endpoint"])
    return patiently.post(endpoint, data=dict(httpx.URL(url).params),
                          auth=(registered["client_id"], registered["client_secret"]))


def test_a_pushed_request_is_refused_for_what_the_pushing_client_can_be_told(
        issuer: tuple[LiveServer, Wallets], clock: Clock) -> None:
    """At POST /oauth/par an unknown or expired issuer_state is invalid_request as JSON,
    audited (oauth.par.refused); whose offer it is waits for the learner: another learner
    opening the pushed request is sent back to the application with invalid_request."""
    server, wallets = issuer
    registered = register(server.url, scope=SCOPE)
    unknown = _push(server, registered, "is_" + "y" * 40)
    assert unknown.status_code == 400, unknown.text
    assert unknown.json() == {"error": "invalid_request",
                              "error_description": "issuer_state is not known."}
    assert _logged(wallets, "oauth.par.refused")[0]["reason"] == "issuer_state is not known."
    _, state = _state(wallets)
    pushed = _push(server, registered, state)
    assert pushed.status_code == 201, pushed.text
    with signed_in_client(server.url, TARO_EMAIL) as browser:
        answer = browser.get(f"{server.url}/oauth/authorize", params={
            "client_id": registered["client_id"], "request_uri": pushed.json()["request_uri"]})
    assert answer.status_code == 302
    assert query_of(answer.headers["location"])["error_description"] == \
        "issuer_state names an offer made for another learner."
    clock.advance(minutes=16)
    expired = _push(server, registered, state)
    assert expired.status_code == 400
    assert expired.json()["error_description"] == "issuer_state names an offer that has expired."
    assert _codes_issued(wallets) == 0
