"""The OID4VCI endpoints over HTTP: metadata, offers, nonces, the credential endpoint's
errors, and the authorisation code flow on credstack's authorization server (an application
registers, the learner signs in and consents, the wallet receives the offered credential)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from credstack.services.oid4vci import offers
from credstack.services.verification import service as verifier
from credstack.services.wallet.sources import sources
from credstack.settings import Settings
from tests import patiently
from tests.accounts import signed_in_client
from tests.conftest import LiveServer, at_own_url, serve
from tests.oauth import OB, authorization_url, consent, fetch_token, oauth_client, register
from tests.services.oid4vci.issuing import Wallet, learners_credential
from tests.services.wallet.wallets import HANAKO_EMAIL, Wallets, wallet_runtime

JCS = "OpenBadgeCredential_ldp_vc_jcs"
READ = OB + "credential.readonly"


@pytest.fixture
def issuer(settings: Settings, tmp_path: Path) -> Iterator[tuple[LiveServer, Wallets]]:
    configured, port = at_own_url(settings)
    with wallet_runtime(tmp_path, settings=configured) as wallets:
        for server in serve(wallets.runtime.settings, port=port):
            yield server, wallets


def test_the_metadata_describes_every_configuration_and_the_endpoints(
        issuer: tuple[LiveServer, Wallets]) -> None:
    server, _ = issuer
    document = patiently.get(f"{server.url}/.well-known/openid-credential-issuer").json()
    assert document["credential_issuer"] == server.settings.public_url
    assert document["nonce_endpoint"].endswith("/oid4vci/nonce")
    configurations = document["credential_configurations_supported"]
    assert configurations["OpenBadgeCredential_ldp_vc"]["credential_signing_alg_values_supported"] \
        == ["eddsa-rdfc-2022"]
    assert configurations["OpenBadgeCredential_dc+sd-jwt"]["vct"]
    assert configurations[JCS]["proof_types_supported"]["jwt"]
    authorization = patiently.get(f"{server.url}/.well-known/oauth-authorization-server").json()
    assert authorization["pre-authorized_grant_anonymous_access_supported"] is True
    assert "urn:ietf:params:oauth:grant-type:pre-authorized_code" in \
        authorization["grant_types_supported"]
    assert "openid_credential" in authorization["authorization_details_types_supported"]


def test_a_nonce_is_fresh_each_time_and_never_cached(
        issuer: tuple[LiveServer, Wallets]) -> None:
    server, _ = issuer
    first, second = (patiently.post(f"{server.url}/oid4vci/nonce") for _ in range(2))
    assert first.headers["cache-control"] == "no-store"
    assert first.json()["c_nonce"] != second.json()["c_nonce"]


@pytest.mark.parametrize(("headers", "body", "status", "error"), [
    ({}, {"credential_configuration_id": JCS, "proofs": {"jwt": ["x"]}}, 401,
     "invalid_token"),
    ({"Authorization": "Bearer csa_unknown"}, {"credential_configuration_id": JCS}, 401,
     "invalid_token"),
])
def test_the_credential_endpoint_answers_with_the_spec_errors(
        issuer: tuple[LiveServer, Wallets], headers: dict[str, str], body: dict[str, Any],
        status: int, error: str) -> None:
    server, _ = issuer
    answer = patiently.post(f"{server.url}/oid4vci/credential", headers=headers, json=body)
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert answer.headers["www-authenticate"] == f'Bearer error="{error}"'


def test_the_learner_makes_an_offer_over_the_api(issuer: tuple[LiveServer, Wallets]) -> None:
    """The learner's own credential: the offer, its URIs and the transaction code."""
    server, wallets = issuer
    credential_id = learners_credential(wallets)
    with signed_in_client(server.url, HANAKO_EMAIL) as learner:
        made = learner.post("/api/oid4vci/offers", json={"credential_id": credential_id})
    assert made.status_code == 201, made.text
    body = made.json()
    assert len(body["tx_code"]) == 6
    served = patiently.get(body["offer_url"].replace(server.settings.public_url, server.url))
    assert served.json() == body["offer"]


def test_the_authorization_code_flow_issues_the_offered_credential(
        issuer: tuple[LiveServer, Wallets]) -> None:
    """An application registers for a credential scope, the learner consents (the offer's
    issuer_state travels with the request), the token names the credential in
    authorization_details, and the credential comes bound to the wallet's key."""
    server, wallets = issuer
    credential_id = learners_credential(wallets)
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=credential_id, authorization_code=True)
    state = made.offer["grants"]["authorization_code"]["issuer_state"]
    registered = register(server.url, scope="openbadge_ldp_vc_jcs")
    client = oauth_client(registered)
    url, verifier_code = authorization_url(server.url, client, issuer_state=state)
    with signed_in_client(server.url, HANAKO_EMAIL) as browser:
        location = consent(browser, url)
    token = fetch_token(server.url, client, location, verifier_code)
    details = token["authorization_details"]
    assert details[0]["credential_configuration_id"] == JCS
    wallet = Wallet.new()
    answer = patiently.post(f"{server.url}/oid4vci/credential", headers={
        "Authorization": f"Bearer {token['access_token']}"}, json={
        "credential_identifier": details[0]["credential_identifiers"][0],
        "proofs": {"jwt": [wallet.proof(wallets.runtime)]}})
    assert answer.status_code == 200, answer.text
    credential = answer.json()["credentials"][0]["credential"]
    assert credential["id"] == credential_id
    assert credential["credentialSubject"]["id"] == wallet.did
    report = verifier.verify(json.dumps(credential), now=wallets.runtime.now(),
                             sources=sources(wallets.runtime))
    assert report.ok, [check.to_dict() for check in report.failed]


def test_authorization_details_alone_grant_only_what_they_name(
        issuer: tuple[LiveServer, Wallets]) -> None:
    """RFC 9396 §2: a request with authorization_details and no scope is granted the
    configuration they name — not also every scope the application registered (authlib's
    default for a request without one), which the token would otherwise carry."""
    server, wallets = issuer
    credential_id = learners_credential(wallets)
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=credential_id, authorization_code=True)
    registered = register(server.url, scope=f"openbadge_ldp_vc openbadge_ldp_vc_jcs {READ}")
    client = oauth_client(registered)
    url, verifier_code = authorization_url(
        server.url, client, issuer_state=made.offer["grants"]["authorization_code"][
            "issuer_state"], authorization_details=json.dumps(
            [{"type": "openid_credential", "credential_configuration_id": JCS}]))
    parts = httpx.URL(url)
    without_scope = parts.copy_with(params={name: value for name, value in parts.params.items()
                                            if name != "scope"})
    with signed_in_client(server.url, HANAKO_EMAIL) as browser:
        page = browser.get(str(without_scope))
        assert READ not in page.text and "openbadge_ldp_vc" not in page.text
        location = consent(browser, str(without_scope))
    token = fetch_token(server.url, client, location, verifier_code)
    assert not token.get("scope")
    assert [entry["credential_configuration_id"] for entry in token["authorization_details"]] \
        == [JCS]
    refused = patiently.get(f"{server.url}/ims/ob/v3p0/credentials", headers={
        "Authorization": f"Bearer {token['access_token']}"})
    assert refused.status_code == 403, refused.text
