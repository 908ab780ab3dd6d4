"""The VC Data Model gate over HTTP, rule by rule, for the issuer and the verifier alike.

What the W3C VC Data Model 2.0 and VC-API suites check (``docs/conformance.md``): each rule
broken is refused by ``POST /credentials/issue`` as an RFC 9457 problem detail naming the
rule and its JSON pointer, with nothing signed, stored or audited; the same credential,
signed elsewhere (Data Integrity and VC-JWT), is refused by ``POST /credentials/verify``
naming the same rule and pointer. And whatever the issuer signs, its verifier verifies.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.proofs.cryptosuites.vc_jwt import sign as sign_vc_jwt
from credstack.errors import MalformedCredentialError, UndefinedTermError
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import store_session
from tests.conftest import LiveServer, at_own_url, operator_client, serve
from tests.helpers import organisation
from tests.signed_credentials import ISSUER, KEY, METHOD, sign

SECRET = new_master_key_text()
SLUG = "hokuto-tech"
VC2 = "https://www.w3.org/ns/credentials/v2"
#: The digests of the VC 2.0 base context as the Recommendation prints them (§5.3, Examples
#: 25 and 26: the SRI one without the stray "M" of the published example).
V2_SRI = "sha384-l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU"
V2_MULTIBASE = "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA"


def base() -> dict[str, Any]:
    return {"@context": [VC2], "type": ["VerifiableCredential"],
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}}


def with_(**changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document.update(changes)
    return change


def without(name: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        del document[name]
    return change


#: (case, change, rule, JSON pointer in the credential).
BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("type without VerifiableCredential", with_(type=["ExampleCredential"]), "type-base",
     "/type"),
    ("no credentialSubject", without("credentialSubject"), "subject-required",
     "/credentialSubject"),
    ("null credentialSubject", with_(credentialSubject=None), "subject-empty",
     "/credentialSubject"),
    ("empty credentialSubject list", with_(credentialSubject=[]), "subject-empty",
     "/credentialSubject"),
    ("credentialSubject without a claim", with_(credentialSubject={}), "subject-no-claim",
     "/credentialSubject"),
    ("credentialSubject not an object", with_(credentialSubject=["did:example:learner"]),
     "subject-object", "/credentialSubject/0"),
    ("credentialStatus without type",
     with_(credentialStatus={"id": "https://university.example/status/1"}), "property-type",
     "/credentialStatus/type"),
    ("termsOfUse without type", with_(termsOfUse={"id": "https://university.example/tou"}),
     "property-type", "/termsOfUse/type"),
    ("evidence without type",
     with_(evidence=[{"id": "https://university.example/evidence/1"}]), "property-type",
     "/evidence/0/type"),
    ("refreshService without type",
     with_(refreshService={"id": "https://university.example/refresh"}), "property-type",
     "/refreshService/type"),
    ("credentialSchema without type",
     with_(credentialSchema={"id": "https://university.example/schema.json"}),
     "property-type", "/credentialSchema/type"),
    ("credentialSchema without id", with_(credentialSchema={"type": "JsonSchema"}),
     "schema-id", "/credentialSchema/id"),
    ("validFrom not a dateTimeStamp", with_(validFrom="Sat 25 Feb 2023 07:16:31 PM CST"),
     "date-time", "/validFrom"),
    ("validFrom without a time zone", with_(validFrom="2026-01-01T00:00:00"), "date-time",
     "/validFrom"),
    ("validUntil before validFrom", with_(validUntil="2025-01-01T00:00:00Z"),
     "validity-order", "/validUntil"),
    ("id not a URL", with_(id="credential 7"), "id-url", "/id"),
    ("relatedResource as strings", with_(relatedResource=[VC2]), "related-resource-object",
     "/relatedResource/0"),
    ("relatedResource without id",
     with_(relatedResource=[{"digestMultibase": V2_MULTIBASE}]), "related-resource-id",
     "/relatedResource/0/id"),
    ("relatedResource ids repeated",
     with_(relatedResource=[{"id": VC2, "digestSRI": V2_SRI},
                            {"id": VC2, "digestMultibase": V2_MULTIBASE}]),
     "related-resource-id-unique", "/relatedResource/1/id"),
    ("relatedResource without a digest", with_(relatedResource=[{"id": VC2}]),
     "related-resource-digest", "/relatedResource/0"),
    ("relatedResource with a wrong digestSRI",
     with_(relatedResource=[{"id": VC2, "digestSRI": "sha384-" + "A" * 64}]),
     "related-resource-digest-mismatch", "/relatedResource/0/digestSRI"),
    ("relatedResource with a wrong digestMultibase",
     with_(relatedResource=[{"id": VC2, "digestMultibase": "uEiA" + "A" * 43}]),
     "related-resource-digest-mismatch", "/relatedResource/0/digestMultibase"),
    ("relatedResource with a digest that is no multihash",
     with_(relatedResource=[{"id": VC2,
                             "digestMultibase": "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"}]),
     "related-resource-digest-form", "/relatedResource/0/digestMultibase"),
]

def vc_1_1(document: dict[str, Any]) -> None:
    """The credential as VC 1.1, with no issuanceDate."""
    document["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    document["credentialSubject"] = {"id": "did:example:learner",
                                     "https://schema.org/name": "Hanako"}
    del document["validFrom"]


#: Credentials the issuer must sign and its verifier verify.
GOOD: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("plain", with_()),
    ("relatedResource with the W3C's digests",
     with_(relatedResource=[{"id": VC2, "digestSRI": V2_SRI},
                            {"id": "https://www.w3.org/ns/credentials/examples/v2",
                             "digestMultibase":
                                 "uEiBXOT-8adbvubm13Jy2uYgLCUQ2Cr_i6vRZyeWM8iedfA"}])),
    ("relatedResource credstack does not hold",
     with_(relatedResource=[{"id": "https://university.example/policy",
                             "mediaType": "text/html",
                             "digestSRI": "sha384-" + "A" * 64}])),
    ("typed status, terms, evidence, refresh and schema",
     with_(termsOfUse={"type": "https://university.example/vocab#IssuerPolicy",
                       "id": "https://university.example/tou"},
           evidence=[{"type": "https://university.example/vocab#Evidence",
                      "id": "https://university.example/evidence/1"}],
           refreshService={"type": "https://university.example/vocab#ManualRefresh",
                           "id": "https://university.example/refresh"},
           credentialSchema={"type": "JsonSchema",
                             "id": "https://university.example/schema.json"})),
    ("several subjects", with_(credentialSubject=[{"id": "did:example:a", "name": "A"},
                                                  {"id": "did:example:b", "name": "B"}])),
    ("a VC 1.1 credential without issuanceDate", vc_1_1),
]


#: Rules whose breach also stops JSON-LD expansion, so that no Data Integrity (RDFC) proof
#: can be made: without VerifiableCredential the v2 context's type-scoped terms
#: (credentialSubject) are undefined; an id that is no URL is a relative IRI.
UNSIGNABLE: dict[str, type[Exception]] = {"type-base": UndefinedTermError,
                                          "id-url": MalformedCredentialError}


def changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    document = copy.deepcopy(base())
    change(document)
    return document


@pytest.fixture(scope="module")
def settings_once(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.from_env(data_dir=tmp_path_factory.mktemp("gate"), database_url="")


@pytest.fixture(scope="module")
def live(settings_once: Settings) -> Iterator[LiveServer]:
    configured, port = at_own_url(settings_once, secret_key=SECRET)
    yield from serve(configured, port=port)


@pytest.fixture(scope="module")
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with operator_client(live, timeout=30) as client:
        assert client.post("/api/organisations", json=organisation()).status_code == 201
        assert client.post(f"/api/organisations/{SLUG}/keys",
                           json={"type": "Ed25519"}).status_code == 201
        yield client


def rules_of(errors: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(error["rule"], error["pointer"]) for error in errors if "rule" in error}


@pytest.mark.parametrize("securing", ["eddsa-rdfc-2022", "vc-jwt"])
@pytest.mark.parametrize(("change", "rule", "pointer"), [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_the_issuer_refuses_each_rule_naming_it(http: httpx.Client, live: LiveServer,
                                                 change: Callable[[dict[str, Any]], None],
                                                 rule: str, pointer: str,
                                                 securing: str) -> None:
    """A problem detail naming the rule and ``/credential`` + its pointer, in en and ja;
    nothing audited as issued."""
    with store_session(live.settings) as session:
        before = audit.count(session)
    document = changed(change)
    response = http.post("/credentials/issue", json={
        "credential": document, "options": {"format": "vc-jwt"} if securing == "vc-jwt" else {
            "cryptosuite": securing}})
    assert response.status_code in {400, 422}, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (rule, "/credential" + pointer) in rules_of(body["errors"]), body
    assert all(error["message_ja"] for error in body["errors"] if "rule" in error)
    with store_session(live.settings) as session:
        assert audit.count(session) == before


def test_the_issuers_refusal_reads_as_it_did(http: httpx.Client) -> None:
    """The rule's item word for word as before its words moved into the catalogues (issue 53);
    the detail's English too, now followed by its Japanese as credstack's details read."""
    response = http.post("/credentials/issue", json={"credential": changed(with_(
        credentialSubject=None))})
    body = response.json()
    assert body["errors"] == [{
        "location": "credential.credentialSubject",
        "message": "must hold at least one subject (it is null or empty)",
        "rule": "subject-empty", "pointer": "/credential/credentialSubject",
        "message_ja": "少なくとも一つの主体が必要です（null か空です）"}]
    assert body["detail"] == (
        "the credential breaks 1 rule of the VC Data Model, so it is not signed; "
        "credentialSubject: must hold at least one subject (it is null or empty) / "
        "証明書が VC データモデルの規則に 1 件違反しているため、署名しません"
        "（credentialSubject：少なくとも一つの主体が必要です（null か空です））")


def verify(http: httpx.Client, credential: Any) -> httpx.Response:
    return http.post("/credentials/verify", json={"verifiableCredential": credential,
                                                  "options": {"checks": ["proof"]}})


@pytest.mark.parametrize("securing", ["eddsa-rdfc-2022", "vc-jwt"])
@pytest.mark.parametrize(("change", "rule", "pointer"), [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_the_verifier_refuses_each_rule_naming_it(http: httpx.Client,
                                                  change: Callable[[dict[str, Any]], None],
                                                  rule: str, pointer: str,
                                                  securing: str) -> None:
    """The same credential, signed by someone else, is not verified: the data-model check
    fails naming the same rule and pointer, after a proof that verifies."""
    document = {**changed(change), "issuer": ISSUER}
    if rule in UNSIGNABLE and securing != "vc-jwt":
        # No RDFC proof can cover it (the JSON-LD does not expand); a VC-JWT can.
        with pytest.raises(UNSIGNABLE[rule]):
            sign(document)
        return
    secured: Any = (sign(document) if securing != "vc-jwt"
                    else sign_vc_jwt(document, key=KEY, kid=METHOD))
    response = verify(http, secured)
    assert response.status_code == 400, response.text
    result = response.json()
    assert result["verified"] is False
    checks = {check["check"]: check for check in result["checks"]}
    assert checks["proof"]["ok"] is True
    [error] = [error for error in result["errors"] if error["check"] == "data-model"]
    assert (rule, pointer) in rules_of(error["problems"]), error


@pytest.mark.parametrize(("change", "rule", "pointer"), [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_nothing_the_issuer_signs_is_refused_by_its_verifier(
        http: httpx.Client, change: Callable[[dict[str, Any]], None], rule: str,
        pointer: str) -> None:
    """Issue, then verify what was issued: either the issuer refused (naming the rule), or
    its own verifier verifies — for every broken input, and every one with an id given."""
    del rule, pointer
    issued = http.post("/credentials/issue", json={"credential": changed(change)})
    if issued.status_code == 201:
        assert verify(http, issued.json()["verifiableCredential"]).status_code == 200
    else:
        assert issued.status_code in {400, 422}, issued.text


@pytest.mark.parametrize("securing", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt"])
@pytest.mark.parametrize("change", [case[1] for case in GOOD], ids=[case[0] for case in GOOD])
def test_what_the_issuer_signs_its_verifier_verifies(http: httpx.Client,
                                                     change: Callable[[dict[str, Any]], None],
                                                     securing: str) -> None:
    """Good credentials — right digests, a resource credstack does not hold (noted, not
    checked), typed properties, a VC 1.1 credential without issuanceDate (the issuer adds
    it; as a JWT, VC Data Model 1.1's own, issue 58) — are issued (201) and verified by
    credstack's own verifier, with every check."""
    options = {"format": "vc-jwt"} if securing == "vc-jwt" else {"cryptosuite": securing}
    issued = http.post("/credentials/issue", json={"credential": changed(change),
                                                   "options": options})
    assert issued.status_code == 201, issued.text
    credential = issued.json()["verifiableCredential"]
    answer = http.post("/credentials/verify", json={"verifiableCredential": credential})
    assert answer.status_code == 200, json.dumps(answer.json()["errors"], ensure_ascii=False)


def test_a_vc_1_1_credential_gets_its_issuance_date(http: httpx.Client) -> None:
    """VC Data Model 1.1 §4.6 requires issuanceDate: the issuer writes the time of issue."""
    document = changed(GOOD[-1][1])
    issued = http.post("/credentials/issue", json={"credential": document})
    assert issued.status_code == 201, issued.text
    assert issued.json()["verifiableCredential"]["issuanceDate"].endswith("Z")


def test_an_enveloped_credential_with_an_empty_context_is_refused(http: httpx.Client) -> None:
    """VC 2.0 §4.13.2: the envelope's @context holds the base context; [] is refused, naming
    the rule and the pointer."""
    token = sign_vc_jwt({**base(), "issuer": ISSUER}, key=KEY, kid=METHOD)
    envelope = {"@context": [], "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/vc+jwt,{token}"}
    refused = verify(http, envelope)
    assert refused.status_code == 400, refused.text
    [error] = [error for error in refused.json()["errors"] if error["check"] == "parse"]
    assert error["code"] == "envelope-context"
    assert rules_of(error["problems"]) == {("envelope-context", "/@context")}
    assert verify(http, {**envelope, "@context": VC2}).status_code == 200


def test_a_credential_sent_as_json_text_is_refused_not_parsed(http: httpx.Client) -> None:
    """verifiableCredential is a credential, not JSON text to parse again: refused (400),
    while the same credential as an object verifies."""
    credential = sign({**base(), "issuer": ISSUER})
    assert verify(http, credential).status_code == 200
    refused = verify(http, json.dumps(credential))
    assert refused.status_code == 400
    assert refused.json()["verified"] is False
    assert refused.json()["errors"][0]["code"] == "credential-as-string"


def test_the_issuer_binding_is_its_own_check(http: httpx.Client) -> None:
    """A credential naming an issuer whose key did not sign it (as the ECDSA specification's
    own vectors do, sent by the vc-di-ecdsa suite with no checks named): with checks
    ["proof"], or with no checks named, the proof's answer (verified), the issuer check
    listed and failed without deciding; with "issuer" asked for, not verified."""
    credential = sign({**base(), "issuer": "https://university.example/issuers/14"})
    for body in ({"options": {"checks": ["proof"]}}, {"options": {}}, {}):
        answered = http.post("/credentials/verify",
                             json={"verifiableCredential": credential, **body})
        assert answered.status_code == 200, (body, answered.text)
        checks = {check["check"]: check for check in answered.json()["checks"]}
        assert checks["issuer"]["ok"] is False and checks["issuer"]["kind"] == "info"
        assert "proof" in checks and "data-model" in checks
    full = http.post("/credentials/verify", json={
        "verifiableCredential": credential, "options": {"checks": ["proof", "issuer"]}})
    assert full.status_code == 400
    assert [error["code"] for error in full.json()["errors"]] == ["issuer-mismatch"]


def test_status_entries_only_when_asked(http: httpx.Client) -> None:
    """No options.credentialStatus: no entry and no status context; asked for: the entries
    asked for."""
    plain = http.post("/credentials/issue", json={"credential": base()})
    assert plain.status_code == 201, plain.text
    signed = plain.json()["verifiableCredential"]
    assert "credentialStatus" not in signed
    assert signed["@context"] == [VC2]
    asked = http.post("/credentials/issue", json={"credential": base(), "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}})
    assert asked.status_code == 201, asked.text
    entry = asked.json()["verifiableCredential"]["credentialStatus"]
    assert (entry["type"], entry["statusPurpose"]) == ("BitstringStatusListEntry", "revocation")


@pytest.fixture(scope="module")
def with_default_status(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A server whose operator set CREDSTACK_ISSUE_STATUS=revocation,suspension (as an
    issuer instance for the W3C Bitstring Status List suite is configured)."""
    settings = Settings.from_env(data_dir=tmp_path_factory.mktemp("status"), database_url="")
    configured, port = at_own_url(settings, secret_key=SECRET,
                                  issue_status=("revocation", "suspension"))
    for live_server in serve(configured, port=port):
        with operator_client(live_server, timeout=30) as client:
            assert client.post("/api/organisations", json=organisation()).status_code == 201
            assert client.post(f"/api/organisations/{SLUG}/keys",
                               json={"type": "Ed25519"}).status_code == 201
            yield client


def test_the_servers_default_status_entries_when_the_request_asks_for_none(
        with_default_status: httpx.Client) -> None:
    """CREDSTACK_ISSUE_STATUS set: a VC 2.0 credential whose request names no status gets
    the purposes configured, and its verifier verifies it with its status checked."""
    issued = with_default_status.post("/credentials/issue", json={"credential": base()})
    assert issued.status_code == 201, issued.text
    signed = issued.json()["verifiableCredential"]
    assert [(entry["type"], entry["statusPurpose"]) for entry in signed["credentialStatus"]] \
        == [("BitstringStatusListEntry", "revocation"),
            ("BitstringStatusListEntry", "suspension")]
    verified = with_default_status.post("/credentials/verify", json={
        "verifiableCredential": signed, "options": {"checks": ["proof", "credentialStatus"]}})
    assert verified.status_code == 200, verified.text


def test_the_request_overrides_the_servers_default_status(
        with_default_status: httpx.Client) -> None:
    """options.credentialStatus [] asks for no entry, one purpose for that one only."""
    none = with_default_status.post("/credentials/issue", json={
        "credential": base(), "options": {"credentialStatus": []}})
    assert none.status_code == 201, none.text
    assert "credentialStatus" not in none.json()["verifiableCredential"]
    one = with_default_status.post("/credentials/issue", json={"credential": base(), "options": {
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}}})
    assert one.status_code == 201, one.text
    assert one.json()["verifiableCredential"]["credentialStatus"]["statusPurpose"] \
        == "suspension"


def test_a_vc_1_1_credential_goes_without_the_servers_default_status(
        with_default_status: httpx.Client) -> None:
    """A VC 1.1 credential without the status context is signed without entries (not
    refused: the caller asked for none) and without the status context; asked for, refused."""
    document = base()
    vc_1_1(document)
    plain = with_default_status.post("/credentials/issue", json={"credential": document})
    assert plain.status_code == 201, plain.text
    signed = plain.json()["verifiableCredential"]
    assert "credentialStatus" not in signed
    assert "https://www.w3.org/ns/credentials/status/v1" not in signed["@context"]
    asked = with_default_status.post("/credentials/issue", json={
        "credential": document,
        "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}}})
    assert asked.status_code == 422
    assert [error.get("rule") for error in asked.json()["errors"]] == ["status-context"]
