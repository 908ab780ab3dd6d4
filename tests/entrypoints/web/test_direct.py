"""A plain JSON verification or issue request, answered by its route's function past the
inner layers, is answered exactly as the whole stack answers it: same status, body and
headers, counted, logged and given its request id like any request; what is not plain goes
the whole way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import LiveServer, operator_client
from tests.helpers import organisation

#: An unsigned credential: a full report, answered 400.
CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"],
              "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
              "validFrom": "2026-01-01T00:00:00Z",
              "credentialSubject": {"id": "did:example:learner", "name": "データ"}}
BODY = json.dumps({"verifiableCredential": CREDENTIAL, "options": {"checks": ["expiration"]}},
                  ensure_ascii=False).encode()
#: Headers that differ from one answer to the next whoever makes it.
EACH_ITS_OWN = {"date", "x-request-id"}


def _without_now(report: dict[str, Any]) -> dict[str, Any]:
    """``report`` without the moment each verification ran at (the validity check's)."""
    for check in report["checks"]:
        (check.get("details") or {}).pop("now", None)
    return report


def _chunked(body: bytes) -> Iterator[bytes]:
    """The body in two pieces, without a declared length (not a plain request)."""
    yield body[:10]
    yield body[10:]


def _verified_requests(client: httpx.Client) -> dict[str, float]:
    families = text_string_to_metric_families(client.get("/metrics").text)
    return {sample.labels["status"]: sample.value for family in families
            for sample in family.samples
            if sample.name == "credstack_http_requests_total"
            and sample.labels.get("route") == "/credentials/verify"}


def test_a_plain_verification_is_answered_as_the_whole_stack_answers_it(
        anonymous: httpx.Client) -> None:
    plain = anonymous.post("/credentials/verify", content=BODY,
                           headers={"content-type": "application/json"})
    whole = anonymous.post("/credentials/verify", content=_chunked(BODY),
                           headers={"content-type": "application/json"})
    assert plain.status_code == whole.status_code == 400
    assert _without_now(plain.json()) == _without_now(whole.json())
    assert plain.json()["checks"][0]["check"] == "parse"
    assert ({k: v for k, v in plain.headers.items() if k not in EACH_ITS_OWN}
            == {k: v for k, v in whole.headers.items() if k not in EACH_ITS_OWN})


def test_a_plain_verification_is_counted_and_carries_its_request_id(
        anonymous: httpx.Client) -> None:
    before = _verified_requests(anonymous).get("400", 0.0)
    answer = anonymous.post("/credentials/verify", content=BODY,
                            headers={"content-type": "application/json",
                                     "x-request-id": "verifier-42"})
    assert answer.headers["x-request-id"] == "verifier-42"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert _verified_requests(anonymous)["400"] == before + 1


def test_an_unusable_plain_request_is_refused_in_the_routes_words(
        anonymous: httpx.Client) -> None:
    """Not JSON, a repeated key: the route's own 400, as before."""
    for body, code in ((b"{", "not-json"),
                       (b'{"verifiableCredential": {}, "verifiableCredential": {}}',
                        "duplicate-key")):
        answer = anonymous.post("/credentials/verify", content=body,
                                headers={"content-type": "application/json"})
        assert answer.status_code == 400
        assert answer.json()["errors"][0]["code"] == code


def test_a_body_past_the_limit_or_too_deep_is_still_refused_by_its_layer(
        server: LiveServer, anonymous: httpx.Client) -> None:
    too_large = b" " * (server.settings.max_body_bytes + 1)
    answer = anonymous.post("/credentials/verify", content=too_large,
                            headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["type"] == "/problems/input-too-large"
    too_deep = b'{"verifiableCredential": ' + b"[" * 200 + b"]" * 200 + b"}"
    answer = anonymous.post("/credentials/verify", content=too_deep,
                            headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["type"] == "/problems/input-too-deep"


def _issue_body(number: int) -> bytes:
    return json.dumps({"credential": {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "credentialSubject": {"id": f"did:example:learner-{number}"}},
        "options": {"cryptosuite": "eddsa-jcs-2022"}}).encode()


def test_a_plain_issue_request_is_answered_as_the_whole_stack_answers_it(
        server: LiveServer) -> None:
    """POST /credentials/issue, plain and chunked: both issued (201) with the same headers;
    without a token, both refused alike (401 naming the bearer scheme)."""
    with operator_client(server, timeout=60) as client:
        assert client.post("/api/organisations", json=organisation()).status_code == 201
        assert client.post("/api/organisations/hokuto-tech/keys",
                           json={"type": "Ed25519"}).status_code == 201
        plain = client.post("/credentials/issue", content=_issue_body(1),
                            headers={"content-type": "application/json"})
        whole = client.post("/credentials/issue", content=_chunked(_issue_body(2)),
                            headers={"content-type": "application/json"})
    assert plain.status_code == whole.status_code == 201, (plain.text, whole.text)
    assert (plain.json()["verifiableCredential"]["credentialSubject"]["id"],
            whole.json()["verifiableCredential"]["credentialSubject"]["id"]) == (
        "did:example:learner-1", "did:example:learner-2")
    assert ({k: v for k, v in plain.headers.items() if k not in EACH_ITS_OWN | {"content-length"}}
            == {k: v for k, v in whole.headers.items()
                if k not in EACH_ITS_OWN | {"content-length"}})
    with httpx.Client(base_url=server.url, timeout=30) as anonymous:
        refused = [anonymous.post("/credentials/issue", content=body,
                                  headers={"content-type": "application/json"})
                   for body in (_issue_body(3), _chunked(_issue_body(3)))]
    assert [answer.status_code for answer in refused] == [401, 401]
    assert refused[0].json() == refused[1].json()
    assert refused[0].headers["www-authenticate"] == refused[1].headers["www-authenticate"]
