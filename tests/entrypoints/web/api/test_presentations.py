"""``POST /presentations/verify`` (W3C VC-API) through a real server on SQLite and PostgreSQL.

The holder (a ``did:key``) presents the demo programme's OB 3.0 credential
(``tests.signed_credentials``) and signs the presentation for ``authentication`` with the
challenge and domain the request's ``options`` carry — as the W3C VC Data Model 2.0 suite's
presentation verifier tests do (they sign with eddsa-rdfc-2022; see ``present``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.proofs import CRYPTOSUITES
from credstack.settings import Settings
from tests.conftest import LiveServer, operator_client, operator_token, serve
from tests.signed_credentials import signed, signed_by_did_web, tampered

CHALLENGE = "u3Yl0c9x7bQ2n1kWm8pAzRg"
DOMAIN = "github.com/w3c/vc-data-model-2.0-test-suite"
HOLDER_KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(64, 96)))
HOLDER = did_key.did_from_public_key(HOLDER_KEY.public_key)
HOLDER_METHOD = did_key.verification_method_id(HOLDER_KEY.public_key)


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests: each verifies what it sends and
    writes nothing."""
    yield from serve(module_settings)


@pytest.fixture(scope="module")
def _operator(server: LiveServer) -> str:
    return operator_token(server)


@pytest.fixture
def http(server: LiveServer, _operator: str) -> Iterator[httpx.Client]:
    """The platform operator's client of the module's server, with no cookie of another
    test's."""
    with operator_client(server, token=_operator) as client:
        yield client


def presentation(*credentials: Mapping[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                                "type": ["VerifiablePresentation"], "holder": HOLDER}
    if credentials:
        document["verifiableCredential"] = list(credentials)
    return document


def present(document: Mapping[str, Any], *, suite: str = "eddsa-jcs-2022",
            challenge: str = CHALLENGE, domain: str = DOMAIN) -> dict[str, Any]:
    """The holder's proof for ``challenge`` and ``domain`` (``sign_data_integrity`` has no
    options for them yet, so the cryptosuite is asked directly)."""
    options = {"type": "DataIntegrityProof", "cryptosuite": suite,
               "created": "2026-01-01T00:00:00Z", "verificationMethod": HOLDER_METHOD,
               "proofPurpose": "authentication", "challenge": challenge, "domain": domain}
    proof = CRYPTOSUITES[suite].create_proof(document, options, key=HOLDER_KEY,
                                             document_loader=shared_document_loader())
    return {**document, "proof": proof}


def post(http: httpx.Client, vp: Any, **options: Any) -> httpx.Response:
    return http.post("/presentations/verify",
                     json={"verifiablePresentation": vp, "options": options})


def error_checks(body: dict[str, Any]) -> list[str]:
    return [error["check"] for error in body["errors"]]


def test_a_presentation_with_a_valid_credential_verifies(http: httpx.Client) -> None:
    """200, every check passed, the presentation's own result and the credential's."""
    response = post(http, present(presentation(signed())), challenge=CHALLENGE, domain=DOMAIN)
    body = response.json()
    assert response.status_code == 200, body["errors"]
    assert body["verified"] is True and body["errors"] == []
    assert [check["check"] for check in body["checks"]] == [
        "parse", "data-model", "contexts", "proof", "challenge", "domain", "holder",
        "credentials"]
    assert body["presentationResult"]["verified"] is True
    [credential] = body["credentialResults"]
    assert credential["verified"] is True
    assert credential["meaning"]["achievement"]["type"] == "MicroCredential"
    assert [check["check"] for check in credential["checks"]][:6] == [
        "parse", "data-model", "open-badges", "credential-schema", "contexts", "proof"]


def test_a_presentation_for_another_challenge_is_400_naming_the_challenge(
        http: httpx.Client) -> None:
    response = post(http, present(presentation(signed())), challenge="not-the-one",
                    domain=DOMAIN)
    body = response.json()
    assert response.status_code == 400
    assert body["verified"] is False and error_checks(body) == ["challenge"]
    assert body["errors"][0]["code"] == "challenge-mismatch"
    assert body["errors"][0]["message"]["ja"]


def test_a_presentation_for_another_domain_is_400(http: httpx.Client) -> None:
    response = post(http, present(presentation(signed())), challenge=CHALLENGE,
                    domain="evil.example")
    assert response.status_code == 400
    assert error_checks(response.json()) == ["domain"]


def test_a_presentation_changed_after_signing_is_400_naming_the_proof(
        http: httpx.Client) -> None:
    vp = present(presentation(signed()))
    vp["holder"] = {"id": HOLDER, "name": "Someone else"}
    response = post(http, vp, challenge=CHALLENGE, domain=DOMAIN)
    body = response.json()
    assert response.status_code == 400
    assert error_checks(body)[0] == "proof"
    assert body["errors"][0]["code"] == "signature"


def test_a_tampered_credential_inside_makes_the_presentation_400(http: httpx.Client) -> None:
    """The holder's proof is fine; the credential it presents is not."""
    response = post(http, present(presentation(tampered())), challenge=CHALLENGE,
                    domain=DOMAIN)
    body = response.json()
    assert response.status_code == 400
    assert error_checks(body) == ["credentials"]
    assert body["presentationResult"]["verified"] is True
    [credential] = body["credentialResults"]
    assert credential["verified"] is False
    assert "proof" in [error["check"] for error in credential["errors"]]


def test_a_credential_that_could_not_be_checked_makes_the_presentation_undecided(
        http: httpx.Client) -> None:
    """The holder's proof is fine; the credential's issuer key is out of reach (a loopback
    did:web this server may not fetch from): could not be checked, not forged."""
    response = post(http, present(presentation(signed_by_did_web("did:web:localhost%3A9"))),
                    challenge=CHALLENGE, domain=DOMAIN)
    body = response.json()
    assert response.status_code == 400
    assert body["verified"] is False and body["outcome"] == "could-not-be-checked"
    assert error_checks(body) == ["credentials"]
    assert body["errors"][0]["outcome"] == "could-not-be-checked"
    assert body["presentationResult"]["outcome"] == "verified"
    [credential] = body["credentialResults"]
    assert credential["outcome"] == "could-not-be-checked"


def _enveloped(document: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` secured as a vp+jwt by the holder (nonce and aud for the challenge and
    domain), in an EnvelopedVerifiablePresentation."""
    def part(value: Any) -> str:
        data = value if isinstance(value, bytes) else json.dumps(value).encode()
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = (f"{part({'alg': 'EdDSA', 'typ': 'vp+jwt', 'kid': HOLDER_METHOD})}."
                     f"{part({**document, 'nonce': CHALLENGE, 'aud': DOMAIN})}")
    token = f"{signing_input}.{part(HOLDER_KEY.sign(signing_input.encode()))}"
    return {"@context": "https://www.w3.org/ns/credentials/v2",
            "type": "EnvelopedVerifiablePresentation", "id": f"data:application/vp+jwt,{token}"}


def test_an_enveloped_presentation_verifies_and_a_tampered_one_is_400(
        http: httpx.Client) -> None:
    """VC-JOSE-COSE §3.1.2 in VC Data Model 2.0 §4.13.2: the holder's JWS, its credential."""
    response = post(http, _enveloped(presentation(signed())), challenge=CHALLENGE,
                    domain=DOMAIN)
    body = response.json()
    assert response.status_code == 200, body["errors"]
    assert body["credentialResults"][0]["verified"] is True
    vp = _enveloped(presentation(signed()))
    head, _, signature = vp["id"].rpartition(".")
    vp["id"] = f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    response = post(http, vp, challenge=CHALLENGE, domain=DOMAIN)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "signature"


def test_the_w3c_suites_rdfc_presentation_without_credentials_verifies(
        http: httpx.Client) -> None:
    """As ``presentation-ok.json`` of the VC DM 2.0 suite, signed with eddsa-rdfc-2022."""
    vp = present({"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiablePresentation"]}, suite="eddsa-rdfc-2022")
    response = post(http, vp, challenge=CHALLENGE, domain=DOMAIN)
    assert response.status_code == 200, response.json()["errors"]
    vp["proof"]["proofValue"] = "z5nmMBw2u9TGKd9NxxHJtyZKgjN2Eh"
    assert post(http, vp, challenge=CHALLENGE, domain=DOMAIN).status_code == 400


def test_an_unsigned_presentation_needs_no_proof_only_without_a_challenge(
        http: httpx.Client) -> None:
    vp = presentation(signed())
    response = post(http, vp)
    body = response.json()
    assert response.status_code == 200, body["errors"]
    assert "unsigned-presentation" in [warning["code"] for warning in body["warnings"]]
    response = post(http, vp, challenge=CHALLENGE)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "missing-proof"


def test_the_proofless_form_is_accepted(http: httpx.Client) -> None:
    """VC-API's ProoflessVerifyPresentationRequest: ``{"presentation": {…}}``."""
    response = http.post("/presentations/verify",
                         json={"presentation": presentation(signed())})
    assert response.status_code == 200, response.json()["errors"]


def test_a_nonconforming_document_is_refused(http: httpx.Client) -> None:
    response = post(http, {"type": ["NonconformingDocument"]}, challenge=CHALLENGE)
    assert response.status_code == 400
    assert response.json()["verified"] is False
    assert "data-model" in error_checks(response.json())


@pytest.mark.parametrize(("content", "code"), [
    (b"{not json", "not-json"),
    (b"[1, 2]", "not-an-object"),
    (b'{"verifiableCredential": {}}', "missing-verifiablePresentation"),
    (b'{"verifiablePresentation": "eyJ.eyJ.c2ln"}', "invalid-verifiablePresentation"),
    (b'{"verifiablePresentation": {}, "presentation": {}}', "ambiguous-presentation"),
    (b'{"verifiablePresentation": {}, "options": []}', "invalid-options"),
    (b'{"verifiablePresentation": {}, "options": {"challenge": 5}}',
     "invalid-options-challenge"),
    (b'{"verifiablePresentation": {}, "options": {"domain": ["a"]}}', "invalid-options-domain"),
    (b'{"verifiablePresentation": {}, "options": {"checks": "proof"}}', "invalid-options"),
    (b'{"verifiablePresentation": {}, "verifiablePresentation": {}}', "duplicate-key"),
])
def test_an_unusable_request_is_400_with_a_named_error(http: httpx.Client, content: bytes,
                                                       code: str) -> None:
    response = http.post("/presentations/verify", content=content,
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert body["verified"] is False and body["credentialResults"] == []
    [error] = body["errors"]
    assert error["code"] == code and error["check"] == "request"
    assert error["message"]["en"] and error["message"]["ja"]


def test_unknown_options_are_ignored(http: httpx.Client) -> None:
    response = post(http, present(presentation(signed())), challenge=CHALLENGE, domain=DOMAIN,
                    returnPresentation=False, somethingElse={"x": 1})
    assert response.status_code == 200


def test_the_endpoint_is_documented(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    operation = spec["paths"]["/presentations/verify"]["post"]
    assert "vc-api" in operation["tags"]
    assert {"200", "400"} <= set(operation["responses"])
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"verifiablePresentation", "presentation", "options"} <= set(schema["properties"])
    json.dumps(operation)
