"""The Open Badges 3.0 and CLR 2.0 REST APIs over HTTP, driven by authlib's client through
the authorization code flow: discovery, paged credentials with their headers, upsert by
OB 3.0's equality rule, the profile, scopes, ``Imsx_StatusInfo`` errors; and one credential
equal on every channel (VC-API, the REST API, the wallet's download, OID4VCI)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.credentials.openbadges_v3 import equality
from credstack.core.oid4vci.metadata import PRE_AUTHORIZED_GRANT
from credstack.entrypoints.bootstrap import open_runtime
from credstack.settings import Settings
from tests import patiently
from tests.accounts import (
    add_user,
    api_client,
    bearer_token,
    issued_credentials,
    provider_store,
    signed_in_client,
)
from tests.conftest import LiveServer, at_own_url, serve
from tests.oauth import (
    OB,
    authorization_url,
    consent,
    fetch_token,
    oauth_client,
    on_server,
    register,
)
from tests.services.oid4vci.issuing import Wallet

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
PROVIDER = "hokuto-tech"
LEARNER = "learner@example.jp"
ISSUER = "issuer@example.org"
CLR = "https://purl.imsglobal.org/spec/clr/v2p0/scope/"
ALL_OB = " ".join(OB + name for name in ("credential.readonly", "credential.upsert",
                                         "profile.readonly", "profile.update"))


@dataclass
class Store:
    server: LiveServer
    issued: list[str]


@pytest.fixture(scope="module")
def store(module_settings: Settings) -> Iterator[Store]:
    secret = new_master_key_text()
    configured, port = at_own_url(module_settings, secret_key=secret, default_issuer=PROVIDER)
    provider_store(configured, secret=secret, now=NOW)
    issued = []
    for batch, securing in (("spring", "eddsa-rdfc-2022"), ("summer", "eddsa-jcs-2022"),
                            ("autumn", "vc-jwt")):
        issued += issued_credentials(configured, secret=secret, now=NOW, batch=batch,
                                     securing=securing,
                                     cohort=f"email,name.en\n{LEARNER},Learner\n")
    add_user(configured, LEARNER)
    add_user(configured, ISSUER, roles=[(PROVIDER, "issuer")])
    for server in serve(configured, port=port):
        yield Store(server, issued)


def token_for(live: LiveServer, scope: str) -> str:
    """An access token of a freshly registered application the learner allowed ``scope``."""
    client = oauth_client(register(live.url, scope=scope))
    url, verifier = authorization_url(live.url, client)
    with signed_in_client(live.url, LEARNER) as browser:
        location = consent(browser, url)
    token: str = fetch_token(live.url, client, location, verifier)["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def schema(shared_ref: Path, name: str) -> dict[str, Any]:
    """One of the OpenAPI document's component schemas, its references resolvable."""
    document = json.loads((shared_ref / "schemas/ob-v3p0/openapi.json").read_text())
    return {**document, "$ref": f"#/components/schemas/{name}"}


def envelope(shared_ref: Path) -> dict[str, Any]:
    """GetOpenBadgeCredentialsResponse with each credential an object: the credentials are
    served as issued, and the issuer's two status entries (revocation and suspension, a VC
    2.0 array) are not the one object the OB 3.0 schema has for credentialStatus."""
    response = json.loads((shared_ref / "schemas/ob-v3p0/openapi.json").read_text())[
        "components"]["schemas"]["GetOpenBadgeCredentialsResponse"]
    properties = response["properties"]
    return {**response, "properties": {
        "credential": {**properties["credential"], "items": {"type": "object"}},
        "compactJwsString": properties["compactJwsString"]}}


def assert_status_info(shared_ref: Path, response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    jsonschema.validate(response.json(), schema(shared_ref, "Imsx_StatusInfo"))


def credential_v(version: int, *, valid_from: str) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential (the wallet keeps it, unverified): the same one in
    every version (issuer id and id), only its name and validFrom change."""
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:6f1d6c3e-0000-4000-8000-000000000001",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "https://elsewhere.example/issuer", "type": ["Profile"],
                       "name": "Elsewhere"},
            "validFrom": valid_from, "name": f"Badge, version {version}",
            "credentialSubject": {"type": ["AchievementSubject"], "identifier": [{
                "type": "IdentityObject", "identityHash": LEARNER, "identityType": "emailAddress",
                "hashed": False}], "achievement": {
                "id": "https://elsewhere.example/achievements/1", "type": ["Achievement"],
                "name": "Badge", "description": "A badge.", "criteria": {"narrative": "Done."}}}}


def test_discovery_needs_no_token_and_names_the_registration_endpoint(store, shared_ref):
    """GET /discovery: an OpenAPI 3.0 SDD valid under the spec's schema, whose OAuth2ACG
    scheme points at the registration, authorization and token endpoints."""
    for base, scope in (("/ims/ob/v3p0", OB), ("/ims/clr/v2p0", CLR)):
        response = patiently.get(store.server.url + base + "/discovery")
        assert response.status_code == 200
        document = response.json()
        jsonschema.validate(document, schema(shared_ref, "ServiceDescriptionDocument"))
        scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
        assert scheme["x-imssf-registrationUrl"].endswith("/oauth/register")
        assert scope + "credential.readonly" in scheme["flows"]["authorizationCode"]["scopes"]
        assert document["servers"][0]["url"].endswith(base)


def test_an_authlib_application_pages_through_posts_and_reads_back(store, shared_ref):
    """Discovery → registration (from the SDD) → PKCE → consent → token → GET in pages of 2
    (X-Total-Count, Link first/last/next/prev) → POST a credential (201, echoed) → GET finds
    it."""
    live = store.server
    sdd = patiently.get(f"{live.url}/ims/ob/v3p0/discovery").json()
    registration = sdd["components"]["securitySchemes"]["OAuth2ACG"]["x-imssf-registrationUrl"]
    assert on_server(live.url, registration) == f"{live.url}/oauth/register"
    token = token_for(live, ALL_OB)
    first = patiently.get(f"{live.url}/ims/ob/v3p0/credentials?limit=2", headers=bearer(token))
    assert first.status_code == 200, first.text
    assert first.headers["x-total-count"] == "3"
    assert 'rel="next"' in first.headers["link"] and 'rel="prev"' not in first.headers["link"]
    assert 'rel="last"' in first.headers["link"] and 'rel="first"' in first.headers["link"]
    second = patiently.get(f"{live.url}/ims/ob/v3p0/credentials?limit=2&offset=2",
                           headers=bearer(token))
    assert 'rel="prev"' in second.headers["link"] and 'rel="next"' not in second.headers["link"]
    pages = [first.json(), second.json()]
    for page in pages:
        jsonschema.validate(page, envelope(shared_ref))
    ids = {equality.identity(document).credential for page in pages
           for document in page["credential"]}
    assert len(ids) == 2 and sum(len(page["compactJwsString"]) for page in pages) == 1
    posted = patiently.post(f"{live.url}/ims/ob/v3p0/credentials", headers=bearer(token),
                            json=credential_v(1, valid_from="2024-01-01T00:00:00Z"))
    assert posted.status_code == 201, posted.text
    assert posted.json()["name"] == "Badge, version 1"
    after = patiently.get(f"{live.url}/ims/ob/v3p0/credentials?limit=10",
                          headers=bearer(token)).json()
    assert any(equality.equal(document, posted.json()) for document in after["credential"])


def test_upsert_replaces_by_the_equality_rule_and_keeps_the_newest(store):
    """The same credential again: 304; a newer validFrom: 200, replacing; an older one: 304;
    the list holds the newest alone."""
    live = store.server
    token = token_for(live, ALL_OB)
    url = f"{live.url}/ims/ob/v3p0/credentials"
    first = credential_v(1, valid_from="2025-01-01T00:00:00Z")
    first["id"] = "urn:uuid:6f1d6c3e-0000-4000-8000-000000000002"
    newer = {**first, "validFrom": "2025-06-01T00:00:00Z", "name": "Badge, version 2",
             "id": " urn:uuid:6f1d6c3e-0000-4000-8000-00000000000%32 "}
    older = {**first, "validFrom": "2024-06-01T00:00:00Z", "name": "Badge, version 0"}
    assert patiently.post(url, headers=bearer(token), json=first).status_code == 201
    assert patiently.post(url, headers=bearer(token), json=first).status_code == 304
    replaced = patiently.post(url, headers=bearer(token), json=newer)
    assert replaced.status_code == 200 and replaced.json()["name"] == "Badge, version 2"
    assert patiently.post(url, headers=bearer(token), json=older).status_code == 304
    listed = patiently.get(f"{url}?limit=100", headers=bearer(token)).json()["credential"]
    same = [document for document in listed if equality.equal(document, first)]
    assert [document["name"] for document in same] == ["Badge, version 2"]


def test_a_forged_newer_representation_never_displaces_a_verified_credential(store,
                                                                           shared_ref):
    """An issued credential sent back with a later validFrom and another name (its proof no
    longer matches): 400, and the verified one stays as it was."""
    live = store.server
    token = token_for(live, ALL_OB)
    url = f"{live.url}/ims/ob/v3p0/credentials"
    listed = patiently.get(f"{url}?limit=100", headers=bearer(token)).json()["credential"]
    genuine = next(document for document in listed if "proof" in document)
    forged = {**genuine, "validFrom": "2099-01-01T00:00:00Z", "name": "Forged"}
    refused = patiently.post(url, headers=bearer(token), json=forged)
    assert_status_info(shared_ref, refused, 400)
    assert "does not verify" in refused.json()["imsx_description"]
    after = patiently.get(f"{url}?limit=100", headers=bearer(token)).json()["credential"]
    assert [document for document in after if equality.equal(document, genuine)] == [genuine]


def test_a_vc_jwt_is_upserted_as_text_and_echoed(store):
    """text/plain: a compact JWS; the answer is the same text."""
    live = store.server
    token = token_for(live, ALL_OB)
    listed = patiently.get(f"{live.url}/ims/ob/v3p0/credentials", headers=bearer(token)).json()
    [jws] = listed["compactJwsString"]
    again = patiently.post(f"{live.url}/ims/ob/v3p0/credentials", content=jws,
                           headers={**bearer(token), "Content-Type": "text/plain"})
    assert again.status_code == 304


@pytest.mark.parametrize(("body", "media", "status"), [
    (b"{not json", "application/json", 400),
    (b'{"type": ["VerifiableCredential", "ClrCredential"]}', "application/json", 400),
    (b"not.a jws", "text/plain", 400),
    (b"<xml/>", "application/xml", 415),
])
def test_bad_upserts_are_refused_with_status_info(store, shared_ref, body, media, status):
    """Not JSON, not an OpenBadgeCredential, not a compact JWS, another media type: the
    specification's status and an Imsx_StatusInfo naming what was wrong."""
    token = token_for(store.server, ALL_OB)
    response = patiently.post(f"{store.server.url}/ims/ob/v3p0/credentials", content=body,
                              headers={**bearer(token), "Content-Type": media})
    assert_status_info(shared_ref, response, status)
    assert response.json()["imsx_codeMajor"] == "failure"


def test_scopes_hold_each_operation(store, shared_ref):
    """No token: 401; a read-only token cannot upsert or read the profile (403); an OB token
    does not reach the CLR API; each refusal is Imsx_StatusInfo."""
    live = store.server
    assert_status_info(shared_ref, patiently.get(f"{live.url}/ims/ob/v3p0/credentials"), 401)
    token = token_for(live, OB + "credential.readonly")
    assert patiently.get(f"{live.url}/ims/ob/v3p0/credentials",
                         headers=bearer(token)).status_code == 200
    for method, path in (("POST", "/ims/ob/v3p0/credentials"), ("GET", "/ims/ob/v3p0/profile"),
                         ("GET", "/ims/clr/v2p0/credentials")):
        response = patiently.request(method, live.url + path, headers=bearer(token), json={})
        assert_status_info(shared_ref, response, 403)


def test_bad_paging_parameters_are_400(store, shared_ref):
    """limit 0 or above 100, a negative offset, a since that is no date: 400 naming it."""
    token = token_for(store.server, OB + "credential.readonly")
    for query in ("limit=0", "limit=101", "offset=-1", "since=yesterday"):
        response = patiently.get(f"{store.server.url}/ims/ob/v3p0/credentials?{query}",
                                 headers=bearer(token))
        assert_status_info(shared_ref, response, 400)
        assert query.split("=")[0] in response.json()["imsx_description"]


def test_the_profile_is_read_and_its_name_updated(store, shared_ref):
    """GET: the holder DID, name and e-mail address (a valid Profile); PUT changes the name;
    changing the e-mail address is refused, naming it, and nothing changes."""
    live = store.server
    token = token_for(live, ALL_OB)
    profile = patiently.get(f"{live.url}/ims/ob/v3p0/profile", headers=bearer(token)).json()
    assert profile["id"].startswith("did:key:") and profile["email"] == LEARNER
    profile_schema = json.loads(
        (shared_ref / "schemas/ob-v3p0/json/ob_v3p0_profile_schema.json").read_text())
    jsonschema.validate(profile, profile_schema)
    renamed = patiently.put(f"{live.url}/ims/ob/v3p0/profile", headers=bearer(token),
                            json={**profile, "name": "山田 花子"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "山田 花子"
    refused = patiently.put(f"{live.url}/ims/ob/v3p0/profile", headers=bearer(token),
                            json={**profile, "email": "else@example.jp"})
    assert_status_info(shared_ref, refused, 400)
    assert "email" in refused.json()["imsx_description"]
    again = patiently.get(f"{live.url}/ims/ob/v3p0/profile", headers=bearer(token)).json()
    assert again["email"] == LEARNER and again["name"] == "山田 花子"


def test_the_clr_api_carries_clr_credentials_only(store):
    """The CLR API lists the wallet's ClrCredentials (none yet here) with its own scope, and
    refuses an OpenBadgeCredential."""
    live = store.server
    token = token_for(live, " ".join(CLR + name for name in (
        "credential.readonly", "credential.upsert", "profile.readonly")))
    listed = patiently.get(f"{live.url}/ims/clr/v2p0/credentials", headers=bearer(token))
    assert listed.status_code == 200 and listed.headers["x-total-count"] == "0"
    assert listed.json() == {"credential": [], "compactJwsString": []}
    refused = patiently.post(f"{live.url}/ims/clr/v2p0/credentials", headers=bearer(token),
                             json=credential_v(1, valid_from="2024-01-01T00:00:00Z"))
    assert refused.status_code == 400 and "ClrCredential" in refused.json()["imsx_description"]
    assert patiently.get(f"{live.url}/ims/clr/v2p0/profile",
                         headers=bearer(token)).status_code == 200


def test_one_credential_is_equal_on_every_channel(store):
    """Issued through the VC-API to the learner (their DID and e-mail address), the credential
    the REST API serves and the wallet's download are equal under OB 3.0 §10 — indeed the
    same JSON."""
    live = store.server
    token = token_for(live, ALL_OB)
    holder = patiently.get(f"{live.url}/ims/ob/v3p0/profile", headers=bearer(token)).json()["id"]
    issuer_token = bearer_token(live.url, *api_client(live.settings, ISSUER,
                                                      ["credentials:issue"]))
    issued = patiently.post(f"{live.url}/credentials/issue", headers=bearer(issuer_token), json={
        "credential": {
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialSubject": {"type": ["AchievementSubject"], "id": holder,
                                  "identifier": [{"type": "IdentityObject",
                                                  "identityHash": LEARNER, "hashed": False,
                                                  "identityType": "emailAddress"}],
                                  "achievement": {
                                      "id": "https://example.org/achievements/python",
                                      "type": ["Achievement"], "name": "Python basics",
                                      "description": "Writes small Python programs.",
                                      "criteria": {"narrative": "Passed the exam."}}}},
        "options": {"cryptosuite": "eddsa-rdfc-2022"}}, timeout=30)
    assert issued.status_code == 201, issued.text
    by_vc_api = issued.json()["verifiableCredential"]
    listed = patiently.get(f"{live.url}/ims/ob/v3p0/credentials?limit=100",
                           headers=bearer(token)).json()["credential"]
    [by_rest] = [document for document in listed if equality.equal(document, by_vc_api)]
    with signed_in_client(live.url, LEARNER) as browser:
        [item] = [item for item in browser.get("/api/wallet").json()["credentials"]
                  if item["credential_id"] == by_vc_api["id"]]
        downloaded = browser.get(f"/api/wallet/credentials/{item['id']}/original").json()
    assert equality.equal(by_rest, downloaded) and equality.equal(by_vc_api, downloaded)
    assert by_rest == by_vc_api == downloaded
    by_oid4vci = _through_oid4vci(live, by_vc_api["id"], issuer_token)
    assert equality.equal(by_oid4vci, by_vc_api) and equality.equal(by_oid4vci, by_rest)


#: OID4VCI's configuration of the credential as it is issued (``ldp_vc``, eddsa-rdfc-2022).
LDP_VC = "OpenBadgeCredential_ldp_vc"


def _through_oid4vci(live: LiveServer, credential_id: str, issuer_token: str
                     ) -> dict[str, Any]:
    """The credential fetched by a wallet through OID4VCI's pre-authorised flow: the issuer
    offers it, the wallet redeems the offer and proves its own key (the credential comes
    bound to that key, so its subject's id differs, and its proof is new)."""
    offered = patiently.post(f"{live.url}/api/oid4vci/offers", headers=bearer(issuer_token),
                             json={"credential_id": credential_id, "tx_code": False}, timeout=30)
    assert offered.status_code == 201, offered.text
    grant = offered.json()["offer"]["grants"][PRE_AUTHORIZED_GRANT]
    token = patiently.post(f"{live.url}/oauth/token", data={
        "grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": grant["pre-authorized_code"]})
    assert token.status_code == 200, token.text
    nonce = patiently.post(f"{live.url}/oid4vci/nonce").json()["c_nonce"]
    wallet = Wallet.new()
    with open_runtime(settings=live.settings) as runtime:
        proof = wallet.proof(runtime, nonce=nonce)
    answer = patiently.post(f"{live.url}/oid4vci/credential", headers=bearer(
        token.json()["access_token"]), json={"credential_configuration_id": LDP_VC,
                                             "proofs": {"jwt": [proof]}}, timeout=30)
    assert answer.status_code == 200, answer.text
    credential: dict[str, Any] = answer.json()["credentials"][0]["credential"]
    assert credential["credentialSubject"]["id"] == wallet.did
    return credential
