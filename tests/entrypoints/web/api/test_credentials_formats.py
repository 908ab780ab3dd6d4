"""``POST /credentials/issue`` in every format of *Securing Verifiable Credentials using JOSE
and COSE* (issue 58): ``vc+jwt``, ``vc+sd-jwt`` and ``vc+cose`` with EdDSA, ES256, ES384 and
ES512 keys, each enveloped as VC Data Model 2.0 §4.13 says and verified by
``POST /credentials/verify`` (a changed byte refused); an unknown format is 400 naming the
formats; a VC 1.1 credential is not secured by SD-JWT or COSE (they secure VC 2.0), and
as a JWT it is a VC Data Model 1.1 JWT (``typ: JWT``, a ``vc`` claim).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import ECKey, OKPKey

from credstack.adapters.keystore import new_master_key_text
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.crypto.multikey import decode_public_key
from credstack.core.proofs import sign_vc_jwt
from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose
from credstack.settings import Settings
from tests.conftest import LiveServer, at_own_url, operator_client, serve
from tests.helpers import organisation

SECRET = new_master_key_text()
SLUG = "hokuto-tech"
VC2 = "https://www.w3.org/ns/credentials/v2"
FORMATS = {"vc+jwt": "application/vc+jwt", "vc+sd-jwt": "application/vc+sd-jwt",
           "vc+cose": "application/vc+cose"}
ALGORITHMS = {"EdDSA": "Ed25519", "ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}


def credential() -> dict[str, Any]:
    return {"@context": [VC2], "type": ["VerifiableCredential"],
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings.from_env(data_dir=tmp_path_factory.mktemp("formats"), database_url="")
    configured, port = at_own_url(settings, secret_key=SECRET)
    yield from serve(configured, port=port)


@pytest.fixture(scope="module")
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with operator_client(live, timeout=30) as client:
        assert client.post("/api/organisations", json=organisation()).status_code == 201
        for key_type in ALGORITHMS.values():
            made = client.post(f"/api/organisations/{SLUG}/keys", json={"type": key_type})
            assert made.status_code == 201, made.text
        yield client


def issue(http: httpx.Client, document: dict[str, Any], **options: str) -> httpx.Response:
    return http.post("/credentials/issue", json={"credential": document, "options": options})


def secured(envelope: dict[str, Any], media_type: str) -> str:
    """The secured form a ``data:`` URL envelope carries (a COSE message in base64)."""
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    assert envelope["@context"] == [VC2]
    prefix = f"data:{media_type};base64," if media_type.endswith("cose") \
        else f"data:{media_type},"
    assert envelope["id"].startswith(prefix), envelope["id"][:60]
    return str(envelope["id"][len(prefix):])


def public_key(http: httpx.Client, kid: str) -> dict[str, str]:
    """The JWK of the did:web method ``kid`` names, from the issuer's published DID
    document."""
    document = http.get(f"/organisations/{SLUG}/did.json").json()
    [method] = [item for item in document["verificationMethod"] if item["id"] == kid]
    return decode_public_key(method["publicKeyMultibase"]).to_jwk()


def test_an_unknown_format_is_400_naming_the_formats(http: httpx.Client) -> None:
    """``bogus-format``: a problem detail (400) whose error lists every format issued."""
    refused = issue(http, credential(), format="bogus-format")
    assert refused.status_code == 400, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    [error] = refused.json()["errors"]
    assert error["location"] == "options.format"
    assert all(name in error["message"] for name in (*FORMATS, "ldp_vc"))


@pytest.mark.parametrize("alg", ALGORITHMS)
@pytest.mark.parametrize("format_name", FORMATS)
def test_each_format_and_algorithm_is_issued_and_verified(http: httpx.Client,
                                                          format_name: str, alg: str) -> None:
    """The credential comes back enveloped in its media type, signed with the algorithm
    asked for by the key its kid names, and the verifier verifies it."""
    issued = issue(http, credential(), format=format_name, alg=alg)
    assert issued.status_code == 201, issued.text
    envelope = issued.json()["verifiableCredential"]
    text = secured(envelope, FORMATS[format_name])
    if format_name == "vc+cose":
        message = vc_cose.parse(base64.b64decode(text))
        assert message.algorithm_name == alg
        assert message.protected[16] == "application/vc+cose"
        payload = json.loads(message.payload)
    else:
        token = text.split("~")[0]
        kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"]
        jwk = public_key(http, kid)
        key = OKPKey.import_key(jwk) if jwk["kty"] == "OKP" else ECKey.import_key(jwk)  # type: ignore[arg-type]
        # An outside JOSE library checks the signature with the published key.
        verified = jws.deserialize_compact(token, key, algorithms=[alg])
        assert verified.headers()["typ"] == format_name
        payload = json.loads(verified.payload)
    assert payload["issuer"].startswith("did:web:")
    answer = http.post("/credentials/verify", json={"verifiableCredential": envelope})
    assert answer.status_code == 200, json.dumps(answer.json(), ensure_ascii=False)[:800]


def test_an_sd_jwt_discloses_the_subjects_claims_selectively(http: httpx.Client) -> None:
    """The subject's members but its id are disclosures (the payload holds their digests);
    disclosing them all gives back the credential."""
    issued = issue(http, credential(), format="vc+sd-jwt")
    token = secured(issued.json()["verifiableCredential"], FORMATS["vc+sd-jwt"])
    parsed = sd_jwt.parse(token)
    assert "name" not in parsed.payload["credentialSubject"]
    assert parsed.payload["credentialSubject"]["id"] == "did:example:learner"
    assert len(parsed.payload["credentialSubject"]["_sd"]) == 1
    disclosed = sd_jwt.disclose(parsed)
    assert disclosed.problems == ()
    assert disclosed.claims["credentialSubject"]["name"] == "Hanako"


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_changed_credential_is_refused(http: httpx.Client, format_name: str) -> None:
    """One claim changed after signing: the verifier refuses it."""
    issued = issue(http, credential(), format=format_name)
    text = secured(issued.json()["verifiableCredential"], FORMATS[format_name])
    if format_name == "vc+cose":
        tampered = base64.b64encode(base64.b64decode(text).replace(b"Hanako", b"Hanaka"))
        changed = f"data:application/vc+cose;base64,{tampered.decode()}"
    else:
        jwt, *rest = text.split("~")
        header, payload, signature = jwt.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["credentialSubject"]["id"] = "did:example:someone-else"
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        changed = f"data:{FORMATS[format_name]}," + "~".join([f"{header}.{payload}."
                                                              f"{signature}", *rest])
    envelope = {"@context": [VC2], "type": "EnvelopedVerifiableCredential", "id": changed}
    answer = http.post("/credentials/verify", json={"verifiableCredential": envelope})
    assert answer.status_code != 200, answer.text
    assert any(error["check"] == "proof" for error in answer.json()["errors"])


VC1 = "https://www.w3.org/2018/credentials/v1"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"


def vc1_credential() -> dict[str, Any]:
    return {"@context": [VC1, EXAMPLES], "id": f"urn:uuid:{uuid.uuid4()}",
            "type": ["VerifiableCredential"],
            "issuanceDate": "2026-01-01T00:00:00Z", "expirationDate": "2036-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}}


@pytest.mark.parametrize("format_name", ["vc+sd-jwt", "vc+cose"])
def test_a_vc_1_1_credential_is_not_secured_with_sd_jwt_or_cose(http: httpx.Client,
                                                                format_name: str) -> None:
    """SD-JWT and COSE secure VC Data Model 2.0: VC 1.1 is refused, naming @context."""
    document = {"@context": [VC1], "type": ["VerifiableCredential"],
                "credentialSubject": {"id": "did:example:learner"}}
    refused = issue(http, document, format=format_name)
    assert refused.status_code == 422, refused.text
    assert any(error["location"] == "credential.@context[0]"
               for error in refused.json()["errors"])


@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
def test_a_vc_1_1_credential_is_issued_as_a_vc_data_model_1_1_jwt(http: httpx.Client,
                                                                   alg: str) -> None:
    """VC 1.1 as a JWT is VC Data Model 1.1 §6.3.1's: typ JWT, the credential in a vc claim,
    iss/jti/sub/nbf/exp agreeing with it, enveloped as application/jwt; an outside JOSE
    library checks the signature and credstack's verifier verifies it."""
    document = vc1_credential()
    issued = issue(http, document, format="vc+jwt", alg=alg)
    assert issued.status_code == 201, issued.text
    envelope = issued.json()["verifiableCredential"]
    token = secured(envelope, "application/jwt")
    kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"]
    jwk = public_key(http, kid)
    key = OKPKey.import_key(jwk) if jwk["kty"] == "OKP" else ECKey.import_key(jwk)  # type: ignore[arg-type]
    verified = jws.deserialize_compact(token, key, algorithms=[alg])
    assert verified.headers()["typ"] == "JWT"
    claims = json.loads(verified.payload)
    vc = claims["vc"]
    assert vc["@context"] == [VC1, EXAMPLES] and vc["credentialSubject"]["name"] == "Hanako"
    assert claims["iss"] == vc["issuer"] and claims["iss"].startswith("did:web:")
    assert claims["jti"] == document["id"]
    assert claims["sub"] == "did:example:learner"
    assert (claims["nbf"], claims["exp"]) == (1767225600, 2082758400)
    answer = http.post("/credentials/verify", json={"verifiableCredential": envelope})
    assert answer.status_code == 200, json.dumps(answer.json(), ensure_ascii=False)[:800]
    assert answer.json()["verified"] is True


def test_a_vc_1_1_jwt_without_dates_gets_its_issuance_date(http: httpx.Client) -> None:
    """The CCG suites' input (VC 1.1, no issuanceDate): issued at the time of issue (nbf),
    verified."""
    document = {"@context": [VC1], "type": ["VerifiableCredential"],
                "credentialSubject": {"id": "did:example:learner"}}
    issued = issue(http, document, format="vc+jwt")
    assert issued.status_code == 201, issued.text
    envelope = issued.json()["verifiableCredential"]
    token = secured(envelope, "application/jwt")
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["nbf"] == claims["iat"]
    assert claims["vc"]["issuanceDate"].endswith("Z")
    answer = http.post("/credentials/verify", json={"verifiableCredential": envelope})
    assert answer.status_code == 200, json.dumps(answer.json(), ensure_ascii=False)[:800]


@pytest.mark.parametrize("claim", ["vc", "sub", "nbf"])
def test_a_changed_vc_1_1_jwt_is_refused(http: httpx.Client, claim: str) -> None:
    """A VC 1.1 JWT with its credential or a registered claim changed after signing is
    refused."""
    issued = issue(http, vc1_credential(), format="vc+jwt")
    token = secured(issued.json()["verifiableCredential"], "application/jwt")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    if claim == "vc":
        claims["vc"]["credentialSubject"]["name"] = "Taro"
    elif claim == "sub":
        claims["sub"] = claims["vc"]["credentialSubject"]["id"] = "did:example:someone-else"
    else:
        claims["nbf"] -= 86400
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    envelope = {"@context": [VC2], "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/jwt,{header}.{payload}.{signature}"}
    answer = http.post("/credentials/verify", json={"verifiableCredential": envelope})
    assert answer.status_code != 200, answer.text
    assert any(error["check"] == "proof" for error in answer.json()["errors"])


def test_a_key_given_in_options_jwks_verifies_what_no_resolver_would(http: httpx.Client
                                                                      ) -> None:
    """options.jwks: a vc+jwt of an HTTPS issuer with a bare kid verifies with the key given
    (its kid the token's); with another key it does not; a private key is refused (400)."""
    key = KeyPair.generate(KeyType.ED25519)
    document = {**credential(), "@context": [VC2, EXAMPLES], "issuer": "https://issuer.example"}
    token = sign_vc_jwt(document, key=key, kid="key-1")
    envelope = {"@context": [VC2], "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/vc+jwt,{token}"}
    jwks = {"keys": [{**key.public_key.to_jwk(), "kid": "key-1"}]}
    answer = http.post("/credentials/verify", json={"verifiableCredential": envelope,
                                                    "options": {"jwks": jwks}})
    assert answer.status_code == 200, json.dumps(answer.json(), ensure_ascii=False)[:800]
    other = KeyPair.generate(KeyType.ED25519).public_key.to_jwk()
    answer = http.post("/credentials/verify", json={"verifiableCredential": envelope,
                                                    "options": {"jwks": other}})
    assert answer.status_code == 400
    assert any(error["check"] == "proof" for error in answer.json()["errors"])
    private = {**key.public_key.to_jwk(), "d": base64.urlsafe_b64encode(
        key.secret_bytes()).rstrip(b"=").decode()}
    answer = http.post("/credentials/verify", json={"verifiableCredential": envelope,
                                                    "options": {"jwks": private}})
    assert answer.status_code == 400
    assert "options.jwks" in answer.text and "private" in answer.text


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_same_id_asked_for_with_another_algorithm_is_refused(http: httpx.Client,
                                                                 format_name: str) -> None:
    """Sent again as it was: the stored credential (201, nothing signed). With another
    options.alg or options.format: refused (400-class) naming the option and what the id was
    issued as — not the credential of the first algorithm, nor a second one under the id."""
    document = {**credential(), "id": f"urn:uuid:{uuid.uuid4()}"}
    first = issue(http, document, format=format_name, alg="EdDSA")
    assert first.status_code == 201, first.text
    again = issue(http, document, format=format_name, alg="EdDSA")
    assert (again.status_code, again.json()) == (201, first.json())
    other_format = next(name for name in FORMATS if name != format_name)
    for options, location, issued_as in (
            ({"alg": "ES256", "format": format_name}, "options.alg", "EdDSA"),
            ({"alg": "EdDSA", "format": other_format}, "options.format", "")):
        refused = issue(http, document, **options)
        assert refused.status_code in {400, 422}, refused.text  # as any other id refused
        assert refused.headers["content-type"].startswith("application/problem+json")
        [error] = refused.json()["errors"]
        assert (error["location"], error["rule"]) == (location, "credential-id-secured-otherwise")
        assert document["id"] in error["message"] and issued_as in error["message"]
