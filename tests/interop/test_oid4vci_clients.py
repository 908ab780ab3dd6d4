"""OID4VCI 1.0 with unmodified wallet libraries from the npm registry, over HTTPS.

Each client (pinned in ``interop/js/package-lock.json``, driven by ``interop/js/oid4vci.mjs``)
runs the pre-authorised code flow against a credstack server on loopback
(:mod:`tests.interop.oid4vc`): it resolves the offer by reference, reads the issuer metadata,
redeems the code (with the transaction code where the client supports one) at the token
endpoint, fetches a ``c_nonce`` and asks the credential endpoint with a ``jwt`` key proof of
the holder's ``did:key``. credstack then verifies what was issued, and finds it bound to that
key (its subject is the holder's DID; an SD-JWT names the holder key in ``cnf``).

* ``@openid4vc/openid4vci`` 0.4.6 (OpenWallet Foundation, OID4VCI 1.0): every configuration,
  and the negative cases: a wrong transaction code is ``invalid_grant``, a missing one
  ``invalid_request``, a proof for another audience ``invalid_proof``, a nonce used twice
  ``invalid_nonce``. It also runs the **authorisation code flow**, in two phases around the
  learner: the wallet (registered first over HTTP as an RFC 7591 public client, as the
  library takes a ``client_id`` and registers none) resolves the offer, which carries an
  ``issuer_state``, and both metadata documents, and makes the authorization request
  (``initiateAuthorization``: PKCE S256, ``issuer_state``, the configuration's ``scope`` or
  ``authorization_details`` naming it, pushed first to the PAR endpoint credstack
  advertises, RFC 9126; no ``state``, which the library cannot send); the learner, an
  ``httpx`` browser, signs in, reads the consent page and allows; the wallet reads the code
  from the redirect, redeems it with its code verifier
  (``retrieveAuthorizationCodeAccessTokenFromOffer``; the token response names the
  credential in ``authorization_details``) and asks for the credential as above. Redeemed
  with another code verifier or redirect URI, the code is ``invalid_grant``; redeemed twice,
  ``invalid_grant`` and the token it gave is revoked (the credential asked with it is
  ``invalid_token``); audited each time, nothing issued;
* ``@sphereon/oid4vci-client`` 0.20.1 (its newest; it speaks draft 15): the JSON-LD and JWT
  configurations with the transaction code, and by the authorisation code flow
  (``createAuthorizationRequestUrl`` with the configuration's ``scope``, PKCE S256 and the
  offer's ``issuer_state``, which it also sends as ``state``; pushed to the PAR endpoint,
  or, told not to, the plain authorization URL; its state exported between the phases;
  ``acquireAccessToken`` given the redirect). Asked for no scope, it sends
  ``authorization_details`` for every offered configuration with ``scope=openid``, which
  credstack, no OpenID Connect provider, refuses as ``invalid_scope``: the test names the
  scope, as the metadata gives it. Its release names ``@sphereon/ssi-types``
  ``0.36.1-next.159``, which the registry does not have: ``interop/js/package.json``
  overrides it with ``0.37.1``, the nearest published version; the client itself is
  unchanged;
* ``@digitalbazaar/oid4-client`` 5.10.0: the ``ldp_vc`` path. It supports no transaction
  code, so its offer asks for none; it reads the token endpoint and
  ``authorization_details_types_supported`` from the issuer metadata, sends ``proofs`` with a
  ``proof_type`` member, and signs proofs without ``typ`` and ``iat`` (with ``nbf``): the
  leniencies :mod:`credstack.core.oid4vci.proofs` and :mod:`~credstack.core.oid4vci.requests`
  document.

Needs ``node`` and ``interop/js/node_modules`` (see ``test_js_reference``).
"""

from __future__ import annotations

import base64
import json
import secrets
import ssl
from collections.abc import Iterator
from typing import Any

import pytest

from credstack.adapters.resolvers.fetch import CA_FILE_ENV, LOOPBACK_ENV
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.proofs.cryptosuites import sd_jwt
from credstack.errors import InputError
from credstack.services.audit import service as audit
from credstack.services.oid4vci import offers
from credstack.services.oid4vci import wallet as oid4vci_wallet
from credstack.services.verification import service as verifier
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import holders
from credstack.services.wallet.sources import sources
from tests import patiently
from tests.accounts import signed_in_client
from tests.interop.oid4vc import TlsIssuer, run_node, tls_issuer
from tests.interop.test_js_reference import Node, node
from tests.oauth import REDIRECT_URI, consent
from tests.services.oid4vci.issuing import learners_credential
from tests.services.wallet.wallets import HANAKO_EMAIL

__all__ = ["node"]


@pytest.fixture(scope="module")
def issuer(node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsIssuer]:
    with tls_issuer(tmp_path_factory.mktemp("oid4vci")) as made:
        yield made


def _holder() -> dict[str, Any]:
    key = KeyPair.from_secret_bytes(KeyType.ED25519, secrets.token_bytes(32))
    secret = base64.urlsafe_b64encode(key.secret_bytes()).rstrip(b"=").decode()
    return {"did": did_key.did_from_public_key(key.public_key),
            "kid": did_key.verification_method_id(key.public_key),
            "privateJwk": {**key.public_key.to_jwk(), "d": secret}}


def _run(issuer: TlsIssuer, client: str, configuration: str, *, tx_code: bool = True,
         offered: list[str] | None = None, tx: str | None = "right",
         tamper: str | None = None, **more: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    wallets = issuer.wallets
    credential_id = learners_credential(wallets)
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=credential_id, tx_code=tx_code,
                               configurations=offered)
    holder = _holder()
    code = made.tx_code if tx == "right" else tx
    answer = run_node("oid4vci.mjs", {
        "client": client, "offer": made.by_reference, "txCode": code,
        "configuration": configuration, "holder": holder, "proofTamper": tamper, **more},
        ca_file=issuer.ca_file)
    return answer, holder, credential_id


def _subject(credential: Any) -> dict[str, Any]:
    if isinstance(credential, dict):
        return dict(credential["credentialSubject"])
    if "~" in credential:
        return dict(sd_jwt.disclose(sd_jwt.parse(credential)).claims["credentialSubject"])
    payload = json.loads(base64.urlsafe_b64decode(credential.split(".")[1] + "=="))
    return dict(payload["vc"]["credentialSubject"])


def _verified_and_bound(issuer: TlsIssuer, answer: dict[str, Any], holder: dict[str, Any],
                        credential_id: str) -> None:
    assert "credential" in answer, answer
    credential = answer["credential"]
    runtime = issuer.wallets.runtime
    report = verifier.verify(credential, now=runtime.now(), sources=sources(runtime))
    assert report.ok, [check.to_dict() for check in report.failed]
    assert _subject(credential)["id"] == holder["did"]
    if isinstance(credential, str) and "~" in credential:
        assert sd_jwt.parse(credential).payload["cnf"]["jwk"]["x"] == holder["privateJwk"]["x"]
    with runtime.sessions() as session:
        actions = [entry.action for entry in audit.entries(session, subject=credential_id)]
    assert actions[-1] == "oid4vci.credential.issued"


@pytest.mark.parametrize("configuration", [
    "OpenBadgeCredential_ldp_vc", "OpenBadgeCredential_ldp_vc_jcs",
    "OpenBadgeCredential_jwt_vc_json", "OpenBadgeCredential_dc+sd-jwt"])
def test_openid4vc_client_completes_the_flow_for_every_configuration(
        issuer: TlsIssuer, configuration: str) -> None:
    """@openid4vc/openid4vci: offer by reference → token with tx_code → nonce → credential."""
    answer, holder, credential_id = _run(issuer, "openid4vc", configuration)
    _verified_and_bound(issuer, answer, holder, credential_id)


@pytest.mark.parametrize(("tx", "tamper", "status", "error"), [
    ("000000x", None, 400, "invalid_grant"),
    (None, None, 400, "invalid_request"),
    ("right", "aud", 400, "invalid_proof"),
    ("right", "nonce-replay", 400, "invalid_nonce"),
])
def test_openid4vc_client_meets_the_spec_errors(issuer: TlsIssuer, tx: str | None,
                                               tamper: str | None, status: int,
                                               error: str) -> None:
    """A wrong or missing transaction code, a proof for another audience, a nonce used
    twice: the specification's error, and nothing more issued."""
    before = _head(issuer)
    answer, _, _ = _run(issuer, "openid4vc", "OpenBadgeCredential_ldp_vc", tx=tx,
                        tamper=tamper)
    assert "error" in answer, answer
    assert error in json.dumps(answer.get("body")) or error in answer["error"], answer
    assert len(_logged(issuer, before, "oid4vci.credential.issued")) == (
        1 if tamper == "nonce-replay" else 0)


def _head(issuer: TlsIssuer) -> int:
    """The audit log's last ``seq``."""
    with issuer.wallets.runtime.sessions() as session:
        last = audit.entries(session, latest=True, limit=1)
    return last[-1].seq if last else 0


def _logged(issuer: TlsIssuer, after: int, action: str) -> list[dict[str, Any]]:
    """The details of the ``action`` entries written since ``seq`` ``after``."""
    found: list[dict[str, Any]] = []
    with issuer.wallets.runtime.sessions() as session:
        while batch := audit.entries(session, after=after, limit=500):
            found += [dict(entry.details) for entry in batch if entry.action == action]
            after = batch[-1].seq
    return found


@pytest.mark.parametrize("configuration", [
    "OpenBadgeCredential_ldp_vc", "OpenBadgeCredential_jwt_vc_json"])
def test_sphereon_client_completes_the_flow(issuer: TlsIssuer, configuration: str) -> None:
    """@sphereon/oid4vci-client: the same flow, with the transaction code as its PIN."""
    answer, holder, credential_id = _run(issuer, "sphereon", configuration)
    _verified_and_bound(issuer, answer, holder, credential_id)


def test_digitalbazaar_client_completes_the_ldp_vc_flow(issuer: TlsIssuer) -> None:
    """@digitalbazaar/oid4-client: authorization_details → credential_identifier → ldp_vc."""
    answer, holder, credential_id = _run(issuer, "digitalbazaar", "OpenBadgeCredential_ldp_vc",
                                         tx_code=False, tx=None,
                                         offered=["OpenBadgeCredential_ldp_vc"])
    _verified_and_bound(issuer, answer, holder, credential_id)


def test_a_redeemed_offer_is_no_longer_served_by_reference(issuer: TlsIssuer) -> None:
    """Once a wallet has redeemed it, the offer's URI answers 410 Gone."""
    wallets = issuer.wallets
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets))
    with patiently.client(verify=ssl.create_default_context(cafile=issuer.ca_file)) as client:
        assert client.get(made.url).json() == made.offer
        answer = run_node("oid4vci.mjs", {
            "client": "openid4vc", "offer": made.by_reference, "txCode": made.tx_code,
            "configuration": "OpenBadgeCredential_ldp_vc", "holder": _holder()},
            ca_file=issuer.ca_file)
        assert "credential" in answer, answer
        assert client.get(made.url).status_code == 410


def test_credstacks_wallet_receives_an_offer_from_an_issuer(
        issuer: TlsIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner pastes another issuer's offer (here, this server's, reached over HTTPS as
    any issuer would be): the wallet runs the pre-authorised flow with the holder key and
    keeps the credential, verified, bound to the holder's DID."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    monkeypatch.setenv(CA_FILE_ENV, str(issuer.ca_file))
    wallets = issuer.wallets
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=learners_credential(wallets),
                               configurations=["OpenBadgeCredential_ldp_vc"])
    with pytest.raises(InputError):
        oid4vci_wallet.accept_offer(wallets.runtime, actor=wallets.hanako,
                                    uri=made.by_reference)
    imported = oid4vci_wallet.accept_offer(wallets.runtime, actor=wallets.hanako,
                                           uri=made.by_reference, tx_code=made.tx_code)
    assert imported.report.ok, [check.to_dict() for check in imported.report.failed]
    holder_did, _ = holders.holder(wallets.runtime, actor=wallets.hanako)
    original, item = wallet.original(wallets.runtime, actor=wallets.hanako,
                                     public_id=imported.item.public_id)
    assert json.loads(original)["credentialSubject"]["id"] == holder_did.did
    assert item.source_url == issuer.wallets.runtime.settings.public_url


# --- the authorisation code flow ------------------------------------------------------------


def _tls(issuer: TlsIssuer) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=issuer.ca_file)


def _public_client(issuer: TlsIssuer) -> str:
    """A wallet registered as a public client (RFC 7591, ``token_endpoint_auth_method``
    ``none``) for every configuration's scope: its ``client_id``."""
    with patiently.client(verify=_tls(issuer)) as client:
        served = client.get(f"{issuer.url}/.well-known/openid-credential-issuer").json()
        registration = client.get(f"{issuer.url}/.well-known/oauth-authorization-server"
                                  ).json()["registration_endpoint"]
        scopes = " ".join(entry["scope"] for entry in
                          served["credential_configurations_supported"].values())
        answer = client.post(registration, json={
            "client_name": "Wallet (@openid4vc/openid4vci)", "redirect_uris": [REDIRECT_URI],
            "grant_types": ["authorization_code"], "response_types": ["code"],
            "token_endpoint_auth_method": "none", "scope": scopes})
    assert answer.status_code == 201, answer.text
    client_id: str = answer.json()["client_id"]
    return client_id


def _authorization_code_flow(issuer: TlsIssuer, configuration: str, *,
                             tamper: str | None = None, client: str = "openid4vc",
                             by_details: bool = False, push: bool = True
                             ) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The wallet library's two phases around the learner's: it makes the authorization
    request; Hanako signs in, reads the consent page and allows it; it redeems the code from
    the redirect and asks for the credential."""
    wallets = issuer.wallets
    credential_id = learners_credential(wallets)
    made = offers.create_offer(wallets.runtime, actor=wallets.hanako,
                               credential_id=credential_id, authorization_code=True)
    holder = _holder()
    wallet = {"offer": made.by_reference, "configuration": configuration, "holder": holder,
              "clientId": _public_client(issuer), "redirectUri": REDIRECT_URI,
              "byDetails": by_details, "push": push}
    started = run_node("oid4vci.mjs", {"client": f"{client}Authorize", **wallet},
                       ca_file=issuer.ca_file)
    assert "authorizationRequestUrl" in started, started
    # Pushed first (RFC 9126), the browser carries only the reference; else the request.
    assert ("request_uri=urn" in started["authorizationRequestUrl"]) is push, started
    with signed_in_client(issuer.url, HANAKO_EMAIL, verify=_tls(issuer)) as browser:
        location = consent(browser, started["authorizationRequestUrl"])
    assert location.startswith(REDIRECT_URI + "?"), location
    answer = run_node("oid4vci.mjs", {
        "client": f"{client}Redeem", **wallet, "session": started["session"],
        "redirectUrl": location, "codeTamper": tamper}, ca_file=issuer.ca_file)
    return answer, holder, credential_id


@pytest.mark.parametrize(("configuration", "by_details"), [
    ("OpenBadgeCredential_ldp_vc", False), ("OpenBadgeCredential_dc+sd-jwt", False),
    ("OpenBadgeCredential_jwt_vc_json", True)])
def test_openid4vc_client_completes_the_authorization_code_flow(
        issuer: TlsIssuer, configuration: str, by_details: bool) -> None:
    """@openid4vc/openid4vci: offer with issuer_state → authorization request (PKCE S256; a
    scope, or authorization_details) → the learner consents → code → token with
    authorization_details → nonce → credential."""
    answer, holder, credential_id = _authorization_code_flow(issuer, configuration,
                                                             by_details=by_details)
    _verified_and_bound(issuer, answer, holder, credential_id)
    [details] = answer["authorizationDetails"]
    assert details["credential_configuration_id"] == configuration
    assert len(details["credential_identifiers"]) == 1


@pytest.mark.parametrize("tamper", ["verifier", "redirect_uri"])
def test_openid4vc_client_redeems_no_code_with_another_verifier_or_redirect_uri(
        issuer: TlsIssuer, tamper: str) -> None:
    """The code redeemed with a code_verifier or redirect_uri other than the authorization
    request's: invalid_grant, audited (token.refused), nothing issued."""
    before = _head(issuer)
    answer, _, _ = _authorization_code_flow(issuer, "OpenBadgeCredential_ldp_vc",
                                            tamper=tamper)
    assert answer.get("status") == 400 and answer["body"]["error"] == "invalid_grant", answer
    assert "credential" not in answer
    assert [(entry["error"], entry["grant_type"]) for entry in _logged(
        issuer, before, "token.refused")] == [("invalid_grant", "authorization_code")]
    assert _logged(issuer, before, "oid4vci.credential.issued") == []


def test_openid4vc_client_redeeming_a_code_twice_loses_its_token(issuer: TlsIssuer) -> None:
    """The same code redeemed again: invalid_grant, and the token it gave first is revoked
    (oauth.code.replayed) — the credential asked with it is refused (invalid_token,
    audited), and nothing is issued."""
    before = _head(issuer)
    answer, _, _ = _authorization_code_flow(issuer, "OpenBadgeCredential_ldp_vc",
                                            tamper="replay")
    assert answer["replay"].get("status") == 400, answer
    assert answer["replay"]["body"]["error"] == "invalid_grant", answer
    assert "credential" not in answer and "invalid_token" in answer["error"], answer
    assert [entry["revoked"] for entry in _logged(issuer, before, "oauth.code.replayed")] \
        == [1]
    assert [entry["error"] for entry in _logged(issuer, before, "token.refused")] == [
        "invalid_grant"]
    assert [entry["error"] for entry in _logged(
        issuer, before, "oid4vci.credential.refused")] == ["invalid_token"]
    assert _logged(issuer, before, "oid4vci.credential.issued") == []


@pytest.mark.parametrize(("configuration", "push"), [
    ("OpenBadgeCredential_ldp_vc", True), ("OpenBadgeCredential_jwt_vc_json", False)])
def test_sphereon_client_completes_the_authorization_code_flow(
        issuer: TlsIssuer, configuration: str, push: bool) -> None:
    """@sphereon/oid4vci-client: createAuthorizationRequestUrl (pushed, or the plain URL) →
    the learner consents → acquireAccessToken with the redirect → credential."""
    answer, holder, credential_id = _authorization_code_flow(issuer, configuration,
                                                             client="sphereon", push=push)
    _verified_and_bound(issuer, answer, holder, credential_id)
