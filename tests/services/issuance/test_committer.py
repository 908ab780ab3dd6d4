"""Concurrent VC-API issue requests share transactions (group commit), over HTTP against the
real application on each store: every request is answered with its own stored credential on
its own status index, each is audited once in a log that verifies, a repeated credential id
gets the first credential, and a request refused in a batch leaves the others stored and no
index given out without a credential."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from credstack.core.access.actors import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services import audit
from credstack.services.issuance import doctor
from credstack.settings import Settings
from tests.conftest import LiveServer, operator_client
from tests.helpers import organisation

SLUG = "hokuto-tech"
VC2 = "https://www.w3.org/ns/credentials/v2"
WITH_STATUS = {"credentialStatus": {"type": "BitstringStatusListEntry"}}
#: As many requests in flight at once as the load test sends (concurrency 20).
CONCURRENCY = 20


def credential(number: int, **extra: object) -> dict[str, Any]:
    return {"@context": [VC2], "type": ["VerifiableCredential"],
            "credentialSubject": {"id": f"did:example:learner-{number}",
                                  "name": f"Learner {number}"}, **extra}


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    """The operator's client, the server's issuer (one organisation with an Ed25519 key)
    made; one connection per request in flight."""
    with operator_client(server, timeout=60) as client:
        response = client.post("/api/organisations", json=organisation())
        assert response.status_code == 201, response.text
        response = client.post(f"/api/organisations/{SLUG}/keys", json={"type": "Ed25519"})
        assert response.status_code == 201, response.text
        yield client


def issue_all(http: httpx.Client, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """``bodies`` sent to ``POST /credentials/issue`` by :data:`CONCURRENCY` clients at once,
    the *n*th with the request id ``issue-<n>``."""
    def send(numbered: tuple[int, dict[str, Any]]) -> httpx.Response:
        number, body = numbered
        return http.post("/credentials/issue", json=body,
                         headers={"X-Request-ID": f"issue-{number}"})

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return list(pool.map(send, enumerate(bodies)))


def status_places(signed: dict[str, Any]) -> set[tuple[str, str]]:
    """The (list, index) of each of a credential's status entries, by list URL."""
    return {(entry["statusListCredential"], entry["statusListIndex"])
            for entry in signed["credentialStatus"]}


def store_checks(settings: Settings) -> tuple[bool, bool, Counter[tuple[str, str | None]]]:
    """``credstack doctor``'s status-list check and ``credstack audit verify`` on the store,
    and how many ``credential.issued`` entries name each credential and request id."""
    with open_runtime(settings=settings) as runtime:
        operator = Operator("tester")
        lists = doctor.check_status_lists(runtime, actor=operator)
        log = audit.verify_log(runtime, actor=operator)
        with runtime.transaction() as session:
            issued = Counter((entry.subject, entry.request_id)
                             for entry in audit.entries(session, limit=10_000)
                             if entry.action == "credential.issued")
    return lists.ok, log.ok, issued


def test_concurrent_issues_get_distinct_indexes_and_one_audit_entry_each(
        http: httpx.Client, server: LiveServer) -> None:
    """120 requests, 20 at a time, in both Data Integrity suites: each answered 201 with its
    own credential on its own status index; the lists agree with the stored credentials and
    the audit log verifies, with one entry per credential naming the request that asked for
    it (whichever request's thread committed the batch)."""
    bodies = [{"credential": credential(number),
               "options": {"cryptosuite": ("eddsa-rdfc-2022", "eddsa-jcs-2022")[number % 2],
                           **WITH_STATUS}} for number in range(120)]
    responses = issue_all(http, bodies)
    assert [response.status_code for response in responses] == [201] * 120, [
        response.text for response in responses if response.status_code != 201][:3]
    signed = [response.json()["verifiableCredential"] for response in responses]
    assert [item["credentialSubject"]["id"] for item in signed] == [
        f"did:example:learner-{number}" for number in range(120)]
    ids = [item["id"] for item in signed]
    assert len(set(ids)) == 120
    places = [place for item in signed for place in status_places(item)]
    assert len(set(places)) == len(places) == 240
    lists_ok, log_ok, issued = store_checks(server.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert issued == Counter((credential_id, f"issue-{number}")
                             for number, credential_id in enumerate(ids))


def test_a_credential_id_sent_many_times_at_once_is_issued_once(
        http: httpx.Client, server: LiveServer) -> None:
    """The same request with a credential id, 40 times at once: every answer is the one
    credential issued first, signed, stored and audited once; another credential under that
    id, sent with them, is refused naming the id."""
    same = {"credential": credential(1, id="urn:uuid:0b7c2f5e-6a1d-4c3b-9e8f-1a2b3c4d5e6f"),
            "options": WITH_STATUS}
    other = {"credential": {**same["credential"], "name": "Another credential"}}
    responses = issue_all(http, [same] * 20 + [other] + [same] * 20)
    answers = [response for number, response in enumerate(responses) if number != 20]
    assert [response.status_code for response in answers] == [201] * 40
    assert len({response.text for response in answers}) == 1
    refused = responses[20]
    assert refused.status_code in {400, 422}, refused.text
    [error] = refused.json()["errors"]
    assert (error["rule"], error["pointer"]) == ("credential-id-issued", "/credential/id")
    lists_ok, log_ok, issued = store_checks(server.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert [(subject, count) for (subject, _), count in issued.items()] == [
        ("urn:uuid:0b7c2f5e-6a1d-4c3b-9e8f-1a2b3c4d5e6f", 1)]


def test_a_refused_request_does_not_fail_the_others(http: httpx.Client,
                                                    server: LiveServer) -> None:
    """Among 60 requests at once, some refused as they are prepared (another issuer) and
    some as they are signed (a protected term redefined, under eddsa-jcs-2022; ES256 with no
    P-256 key): each refused alone, the others issued, and no status index is left given
    out without a credential."""
    refusals = {
        0: {"credential": credential(0, issuer="did:example:someone-else")},
        1: {"credential": credential(1, **{"@context": [VC2, {"name": "https://example.org/n"}]}),
            "options": {"cryptosuite": "eddsa-jcs-2022", **WITH_STATUS}},
        2: {"credential": credential(2), "options": {"format": "vc-jwt", "alg": "ES256",
                                                     **WITH_STATUS}},
    }
    bodies = [refusals.get(number % 6) or {"credential": credential(number),
                                           "options": {"cryptosuite": "eddsa-jcs-2022",
                                                       **WITH_STATUS}}
              for number in range(60)]
    responses = issue_all(http, bodies)
    for number, response in enumerate(responses):
        if number % 6 in refusals:
            assert 400 <= response.status_code < 500, (number, response.text)
        else:
            assert response.status_code == 201, (number, response.text)
    places = [place for number, response in enumerate(responses) if number % 6 not in refusals
              for place in status_places(response.json()["verifiableCredential"])]
    assert len(set(places)) == len(places) == 60
    lists_ok, log_ok, issued = store_checks(server.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert sum(issued.values()) == 30


def test_after_a_rotation_the_next_request_is_signed_with_the_new_key(
        http: httpx.Client) -> None:
    """The committer keeps the keys it opened, not which one is active: a request after a
    rotation is signed by the new key (#key-2), and what the old one signed still verifies."""
    def issue(number: int) -> dict[str, Any]:
        response = http.post("/credentials/issue", json={
            "credential": credential(number), "options": {"cryptosuite": "eddsa-jcs-2022"}})
        assert response.status_code == 201, response.text
        signed: dict[str, Any] = response.json()["verifiableCredential"]
        return signed

    before = issue(1)
    assert before["proof"]["verificationMethod"].endswith("#key-1")
    rotated = http.post(f"/api/organisations/{SLUG}/keys/rotate", json={"type": "Ed25519"})
    assert rotated.status_code == 201, rotated.text
    after = issue(2)
    assert after["proof"]["verificationMethod"].endswith("#key-2")
    for signed in (before, after):
        verified = http.post("/credentials/verify", json={"verifiableCredential": signed})
        assert verified.status_code == 200 and verified.json()["verified"], verified.text
