"""``POST /credentials/verify`` (W3C VC-API) through a real server on SQLite and PostgreSQL.

Credentials are a demo programme's OB 3.0 credential signed in the test under a did:key
(``tests.signed_credentials``). Status lists are served by a small HTTP server on loopback,
which the verifier may fetch from only because the test sets
``CREDSTACK_ALLOW_LOOPBACK_FETCH=1``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from contextlib import closing
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from credstack.settings import Settings
from tests.conftest import LiveServer, free_port, operator_client, operator_token, serve
from tests.loopback import QuietHandler, serving
from tests.signed_credentials import (
    PINNED_CONTEXT_URL,
    jwt,
    pin_context,
    presentation,
    sd_jwt_credential,
    sign,
    signed,
    signed_by_did_web,
    signed_with_pinned_context,
    signed_with_status,
    status_list,
    tampered,
    unsigned,
)


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests: each verifies what it sends, against
    status lists and DIDs of its own (new ports), and writes nothing."""
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


def _errors(body: dict[str, Any]) -> list[str]:
    return [error["check"] for error in body["errors"]]


def test_a_valid_credential_verifies_with_its_meaning(http: httpx.Client) -> None:
    response = http.post("/credentials/verify", json={"verifiableCredential": signed()})
    body = response.json()
    assert response.status_code == 200, body["errors"]
    assert body["verified"] is True
    assert body["errors"] == []
    assert [check["check"] for check in body["checks"]] == [
        "parse", "data-model", "open-badges", "credential-schema", "contexts", "proof", "issuer",
        "validity", "status", "meaning"]
    assert (body["authentic"], body["conformant"], body["strict"]) == (True, True, False)
    meaning = body["meaning"]
    assert meaning["is_micro_credential"] is True
    assert meaning["achievement"]["type"] == "MicroCredential"
    assert {report["profile"] for report in meaning["conformance"]} >= {"jp-mc"}
    assert meaning["registry"] is None


def test_a_tampered_credential_is_refused_naming_the_proof(http: httpx.Client) -> None:
    response = http.post("/credentials/verify", json={"verifiableCredential": tampered()})
    body = response.json()
    assert response.status_code == 400
    assert body["verified"] is False
    assert "proof" in _errors(body)
    proof = next(check for check in body["checks"] if check["check"] == "proof")
    assert proof["ok"] is False and proof["reason"]["ja"]


def test_the_contexts_the_operator_pins_are_read(http: httpx.Client, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A credential whose context ``CREDSTACK_CONTEXTS_FILE`` pins verifies; without the
    setting its context is unknown, named, and never fetched."""
    credential = signed_with_pinned_context()
    monkeypatch.setenv("CREDSTACK_CONTEXTS_FILE", str(pin_context(tmp_path)))
    response = http.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 200, response.json()["errors"]
    assert response.json()["verified"] is True
    monkeypatch.delenv("CREDSTACK_CONTEXTS_FILE")
    response = http.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 400
    assert response.json()["outcome"] == "could-not-be-checked"
    contexts = next(check for check in response.json()["checks"] if check["check"] == "contexts")
    assert contexts["ok"] is None and PINNED_CONTEXT_URL in contexts["reason"]["en"]


def test_a_vc_jwt_verifies(http: httpx.Client) -> None:
    response = http.post("/credentials/verify", json={"verifiableCredential": jwt()})
    assert response.status_code == 200, response.json()["errors"]
    assert response.json()["verified"] is True


def test_a_presentation_given_as_the_credential_is_verified_as_one(http: httpx.Client) -> None:
    """A VP sent as verifiableCredential: verified as a presentation, each credential's report
    in its own check; a tampered credential inside makes it 400, naming that credential."""
    response = http.post("/credentials/verify",
                         json={"verifiableCredential": presentation(signed())})
    body = response.json()
    assert response.status_code == 200, body["errors"]
    checks = {check["check"]: check for check in body["checks"]}
    assert checks["presentation"]["kind"] == "info"
    assert checks["presentation"]["title"]["en"] == "Verifiable Presentation"
    assert checks["credential[0]"]["details"]["report"]["verified"] is True
    assert body["meaning"]["achievement"]["type"] == "MicroCredential"
    refused = http.post("/credentials/verify",
                        json={"verifiableCredential": presentation(signed(), tampered())})
    assert refused.status_code == 400
    assert _errors(refused.json()) == ["credential[1]"]


def test_an_sd_jwt_verifies_and_a_forged_disclosure_is_refused(http: httpx.Client) -> None:
    """Sent as verifiableCredential: verified with its disclosures; one disclosure that no
    signed digest references makes it 400, naming the proof."""
    token = sd_jwt_credential()
    response = http.post("/credentials/verify", json={"verifiableCredential": token})
    assert response.status_code == 200, response.json()["errors"]
    parse = next(check for check in response.json()["checks"] if check["check"] == "parse")
    assert parse["details"]["format"] == "vc+sd-jwt"
    jwt, _, rest = token.partition("~")
    forged = f"{jwt}~WyJzYWx0IiwgIm5hbWUiLCAiRXZpbCJd~{rest}"
    refused = http.post("/credentials/verify", json={"verifiableCredential": forged})
    assert refused.status_code == 400
    proof = next(error for error in refused.json()["errors"] if error["check"] == "proof")
    assert proof["code"] == "disclosure" and "disclosures[0]" in proof["detail"]
    # The core says it as codes; the report's words are the catalogues' (issue 53).
    reason = next(check for check in refused.json()["checks"]
                  if check["check"] == "proof")["reason"]
    assert reason == {
        "en": "the issuer's signature verifies, but not every disclosure is the issuer's: "
              "disclosures[0]: is not referenced by any digest the issuer signed: it was "
              "added or changed after signing",
        "ja": "発行者の署名は確認できましたが、発行者が署名していない開示（disclosure）があります"
              "（disclosures[0]：発行者が署名したどのダイジェストからも参照されていません。"
              "署名後に追加・変更されています、全 1 件）。署名後に追加・変更された可能性があります"}


def test_options_checks_choose_the_optional_checks(http: httpx.Client) -> None:
    """Named checks add status; the essential checks, validity included, always run."""
    response = http.post("/credentials/verify", json={
        "verifiableCredential": signed(),
        "options": {"checks": ["proof"], "unknownOption": True}})
    assert response.status_code == 200
    names = [check["check"] for check in response.json()["checks"]]
    assert names == ["parse", "data-model", "open-badges", "credential-schema", "contexts",
                     "proof", "issuer", "validity", "meaning"]
    response = http.post("/credentials/verify", json={
        "verifiableCredential": signed(), "options": {"checks": ["proof", "credentialStatus"]}})
    assert "status" in [check["check"] for check in response.json()["checks"]]


@pytest.mark.parametrize(("content", "named"), [
    (b"{not json", "not JSON"),
    (b'{"credential": {}}', "verifiableCredential"),
    (b"[1, 2]", "verifiableCredential"),
    (b'{"verifiableCredential": 5}', "verifiableCredential"),
    (b'{"verifiableCredential": {}, "verifiableCredential": {}}', "repeats"),
])
def test_an_unusable_request_is_400_not_verified(http: httpx.Client, content: bytes,
                                                 named: str) -> None:
    response = http.post("/credentials/verify", content=content,
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert body["verified"] is False
    assert named in body["errors"][0]["detail"]


def test_a_did_web_key_that_may_not_be_fetched_could_not_be_checked(http: httpx.Client) -> None:
    """A did:web document on a loopback host is never fetched outside tests: the proof could
    not be checked (not failed), naming the DID and why."""
    credential = signed()
    credential["proof"]["verificationMethod"] = "did:web:localhost%3A9#key-1"
    response = http.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 400
    body = response.json()
    assert body["verified"] is False and body["outcome"] == "could-not-be-checked"
    proof = next(check for check in body["checks"] if check["check"] == "proof")
    assert proof["ok"] is None and proof["outcome"] == "undecided"
    assert "did:web:localhost%3A9" in proof["reason"]["en"]
    assert "loopback" in proof["missing"]["detail"]
    assert proof["missing"]["why"] == "not-allowed"


def test_a_did_web_on_a_closed_port_could_not_be_checked(
        http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issuer's DID document on a real loopback address where nothing listens: the
    standard shape (verified, checks, errors, warnings) says verified false; ``outcome``
    and the error's ``missing`` say it could not be checked, and what was out of reach."""
    monkeypatch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
    did = f"did:web:localhost%3A{free_port()}"
    response = http.post("/credentials/verify",
                         json={"verifiableCredential": signed_by_did_web(did)})
    assert response.status_code == 400
    body = response.json()
    assert {"verified", "checks", "errors", "warnings"} <= set(body)
    assert body["verified"] is False and body["outcome"] == "could-not-be-checked"
    [error] = [error for error in body["errors"] if error["outcome"] == "could-not-be-checked"]
    assert error["check"] == "proof" and error["code"] == "key-out-of-reach"
    assert error["missing"]["what"] == "key" and error["missing"]["why"] == "unreachable"
    assert error["missing"]["url"].startswith(f"http://localhost:{did.rsplit('%3A', 1)[1]}")
    assert {item["outcome"] for item in body["errors"]} <= {"could-not-be-checked",
                                                             "not-checked"}


def test_an_offline_server_fetches_no_status_list(settings: Settings) -> None:
    """``CREDSTACK_VERIFY_OFFLINE``: a credential whose status list would be fetched could
    not be checked, saying it was offline; one that needs nothing fetched verifies."""
    with closing(serve(dataclasses.replace(settings, verify_offline=True))) as served:
        live = next(served)
        with operator_client(live) as client:
            listed = client.post("/credentials/verify", json={
                "verifiableCredential": signed_with_status(
                    "https://status.credstack.example/lists/1")})
            plain = client.post("/credentials/verify", json={"verifiableCredential": signed()})
    assert listed.status_code == 400 and listed.json()["outcome"] == "could-not-be-checked"
    status = next(check for check in listed.json()["checks"] if check["check"] == "status")
    assert status["missing"]["why"] == "offline"
    assert plain.status_code == 200 and plain.json()["outcome"] == "verified"


def test_the_endpoint_is_documented(http: httpx.Client) -> None:
    operation = http.get("/openapi.json").json()["paths"]["/credentials/verify"]["post"]
    assert operation["tags"] == ["vc-api"]
    assert operation["summary"]
    assert "verifiableCredential" in json.dumps(operation["requestBody"])


# --- authentic versus conformant ----------------------------------------------------------

def nonconforming() -> dict[str, Any]:
    """Signed by its issuer as it is; the issuer is a bare DID (Open Badges wants a Profile)."""
    document = unsigned()
    document["issuer"] = document["issuer"]["id"]
    return sign(document)


def test_an_authentic_credential_with_shape_findings_verifies_with_warnings(
        http: httpx.Client) -> None:
    """200, authentic, not conformant: the finding is in warnings with its problems."""
    response = http.post("/credentials/verify", json={"verifiableCredential": nonconforming()})
    body = response.json()
    assert response.status_code == 200, body["errors"]
    assert (body["verified"], body["authentic"], body["conformant"], body["strict"]) == (
        True, True, False, False)
    assert body["errors"] == []
    finding = body["warnings"][0]
    assert finding["check"] == "open-badges"
    assert finding["problems"] == [{"location": "issuer", "message": "must be a Profile "
                                    "object in an Open Badges credential"}]
    open_badges = next(c for c in body["checks"] if c["check"] == "open-badges")
    assert (open_badges["ok"], open_badges["question"]) == (False, "conformant")


def test_options_strict_makes_conformance_findings_errors(http: httpx.Client) -> None:
    response = http.post("/credentials/verify", json={
        "verifiableCredential": nonconforming(), "options": {"strict": True}})
    body = response.json()
    assert response.status_code == 400
    assert (body["verified"], body["authentic"], body["strict"]) == (False, True, True)
    assert _errors(body) == ["open-badges"]
    response = http.post("/credentials/verify", json={
        "verifiableCredential": signed(), "options": {"strict": True}})
    assert response.status_code == 200, "a conformant credential verifies strictly too"


def test_options_strict_must_be_a_boolean(http: httpx.Client) -> None:
    response = http.post("/credentials/verify", json={
        "verifiableCredential": signed(), "options": {"strict": "yes"}})
    assert response.status_code == 400
    assert "options.strict must be true or false" in response.json()["errors"][0]["detail"]


def test_the_result_model_documents_both_answers(http: httpx.Client) -> None:
    schemas = http.get("/openapi.json").json()["components"]["schemas"]
    result = schemas["VerificationResult"]["properties"]
    assert {"authentic", "conformant", "strict"} <= set(result)
    operation = http.get("/openapi.json").json()["paths"]["/credentials/verify"]["post"]
    assert "strict" in json.dumps(operation["requestBody"])


# --- status lists over HTTP -----------------------------------------------------------------

class StatusLists(ThreadingHTTPServer):
    documents: dict[str, bytes]


class _Handler(QuietHandler):
    server: StatusLists

    def do_GET(self) -> None:
        body = self.server.documents.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if body is not None:
            self.wfile.write(body)


@pytest.fixture
def status_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[StatusLists]:
    monkeypatch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
    lists = StatusLists(("127.0.0.1", 0), _Handler)
    lists.documents = {}
    with serving(lists):
        yield lists


def with_status(lists: StatusLists, *, revoked: bool) -> dict[str, Any]:
    url = f"http://127.0.0.1:{lists.server_address[1]}/lists/revocation/1"
    lists.documents["/lists/revocation/1"] = json.dumps(
        status_list(url, purpose="revocation", set_index=7 if revoked else None)).encode()
    return sign(unsigned(status=(("revocation", 7, url),)))


def test_status_is_fetched_and_checked(http: httpx.Client, status_server: StatusLists) -> None:
    response = http.post("/credentials/verify",
                         json={"verifiableCredential": with_status(status_server,
                                                                    revoked=False)})
    assert response.status_code == 200, response.json()["errors"]
    response = http.post("/credentials/verify",
                         json={"verifiableCredential": with_status(status_server,
                                                                    revoked=True)})
    assert response.status_code == 400
    status = next(c for c in response.json()["checks"] if c["check"] == "status")
    assert status["code"] == "revoked"


def test_a_status_list_that_cannot_be_fetched_could_not_be_checked(
        http: httpx.Client, status_server: StatusLists, monkeypatch: pytest.MonkeyPatch) -> None:
    credential = with_status(status_server, revoked=False)
    monkeypatch.delenv("CREDSTACK_ALLOW_LOOPBACK_FETCH")
    response = http.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 400
    assert response.json()["outcome"] == "could-not-be-checked"
    status = next(c for c in response.json()["checks"] if c["check"] == "status")
    assert status["ok"] is None and status["missing"]["what"] == "status-list"
    assert "loopback" in status["reason"]["en"]
