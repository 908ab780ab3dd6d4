"""``/healthz``, ``/readyz`` and ``/metrics`` on the real application, over HTTP."""

from __future__ import annotations

import dataclasses
import socket

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from credstack.services.audit import service as audit
from credstack.services.background.worker import SCHEDULER
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user, api_client, bearer_token, store_sessions
from tests.conftest import LiveServer, free_port, operator_client, serve


def _samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """The samples called ``name`` of a Prometheus exposition, with their labels."""
    return [(dict(sample.labels), sample.value)
            for family in text_string_to_metric_families(text)
            for sample in family.samples if sample.name == name]


def _count(text: str, **labels: str) -> float:
    return sum(value for found, value in _samples(text, "credstack_http_requests_total")
               if all(found.get(key) == wanted for key, wanted in labels.items()))


def _audit_entries(settings: Settings) -> int:
    """The entries written for requests: the scheduler's (a job it starts on the hour, in
    whichever test's server happens to be up then) are not counted."""
    scheduler = SCHEDULER.principal.subject
    with store_sessions(settings) as sessions, sessions() as session:
        return sum(entry.actor != scheduler
                   for entry in audit.entries(session, limit=audit.count(session) + 1))


def test_the_probes_answer_without_credentials_and_write_no_audit_entry(
        server: LiveServer, anonymous: httpx.Client) -> None:
    """The probes and a loopback scrape answer anyone, and leave the audit log as it was
    (an anonymous request to a protected route, for contrast, writes a refusal)."""
    before = _audit_entries(server.settings)
    answer = anonymous.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert anonymous.get("/readyz").status_code == 200
    assert anonymous.get("/metrics").status_code == 200
    assert _audit_entries(server.settings) == before
    assert anonymous.get("/api/jobs").status_code == 401
    assert _audit_entries(server.settings) == before + 1


def test_readyz_says_only_ready_or_not_to_anyone(server: LiveServer,
                                                anonymous: httpx.Client) -> None:
    """An anonymous caller, a wrong metrics token and a signed-in non-operator learn only
    whether the server is ready: not where the store is nor who connects to it."""
    assert anonymous.get("/readyz").json() == {"status": "ready"}
    assert anonymous.get("/readyz", headers={"Authorization": "Bearer guessed"}
                         ).json() == {"status": "ready"}
    add_user(server.settings, "readyz-learner@example.jp")
    learner = bearer_token(server.url, *api_client(server.settings,
                                                   "readyz-learner@example.jp", ["wallet:read"]))
    assert anonymous.get("/readyz", headers={"Authorization": f"Bearer {learner}"}
                         ).json() == {"status": "ready"}


def test_readyz_says_each_dependency_is_ready_to_the_operator(server: LiveServer) -> None:
    """The platform operator reads each check: the store, the job queue and the
    (unconfigured) mail transport are each ready."""
    with operator_client(server) as operator:
        answer = operator.get("/readyz")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ready"
    assert body["not_ready"] == []
    assert set(body["checks"]) == {"store", "jobs", "mail"}
    assert all(check["ready"] for check in body["checks"].values())
    assert "outbox" in body["checks"]["mail"]["detail"]


def test_readyz_is_503_naming_an_smtp_server_that_does_not_answer(
        settings: Settings) -> None:
    """With an SMTP server nobody listens at, ``/readyz`` is 503 to anyone, and names
    ``mail`` to whoever sends the metrics token."""
    silent = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=free_port(),
                                 smtp_security="none", mail_from="noreply@credstack.test",
                                 metrics_token="scrape-secret")
    for live in serve(silent):
        assert patiently.get(f"{live.url}/readyz", timeout=15).json() == \
            {"status": "not ready"}
        answer = patiently.get(f"{live.url}/readyz", timeout=15,
                               headers={"Authorization": "Bearer scrape-secret"})
        assert answer.status_code == 503
        body = answer.json()
        assert body["not_ready"] == ["mail"]
        assert body["checks"]["mail"]["ready"] is False
        assert "cannot be reached" in body["checks"]["mail"]["detail"]
        assert "SMTP" in body["checks"]["mail"]["detail_ja"]


def test_the_probes_and_the_metrics_are_in_the_openapi_description(
        anonymous: httpx.Client) -> None:
    """Whoever reads ``/openapi.json`` finds the three operations endpoints."""
    paths = anonymous.get("/openapi.json").json()["paths"]
    assert {"/healthz", "/readyz", "/metrics"} <= set(paths)
    assert "503" in paths["/readyz"]["get"]["responses"]


def test_metrics_count_requests_by_route_template_and_status(anonymous: httpx.Client) -> None:
    """Requests show under their route's template, never their raw path, with their status
    and a latency histogram; a Prometheus parser reads the whole exposition."""
    before = anonymous.get("/metrics")
    assert before.status_code == 200
    assert before.headers["content-type"].startswith("text/plain")
    for programme in (911, 912, 913):
        assert anonymous.get(f"/api/programmes/{programme}").status_code == 404
    anonymous.get("/no/such/path")
    text = anonymous.get("/metrics").text
    route = "/api/programmes/{programme_id}"
    assert _count(text, route=route, status="404") - _count(before.text, route=route,
                                                            status="404") == 3
    assert not [labels for labels, _ in _samples(text, "credstack_http_requests_total")
                if "911" in labels["route"] or "/no/such" in labels["route"]]
    assert _count(text, route="unmatched", status="404") >= 1
    buckets = _samples(text, "credstack_http_request_duration_seconds_count")
    assert any(labels["route"] == route and value >= 3 for labels, value in buckets)


def test_a_request_id_is_echoed_and_one_is_made_when_none_or_a_bad_one_is_sent(
        anonymous: httpx.Client) -> None:
    """A well-formed ``X-Request-ID`` comes back as sent; a missing or malformed one is
    replaced by a fresh id."""
    assert anonymous.get("/healthz", headers={"X-Request-ID": "trace-42.a:b"}
                         ).headers["x-request-id"] == "trace-42.a:b"
    made = anonymous.get("/healthz").headers["x-request-id"]
    assert len(made) == 32
    bad = anonymous.get("/healthz", headers={"X-Request-ID": "a b\"<script>" + "x" * 80})
    assert bad.headers["x-request-id"] not in {"", made}
    assert len(bad.headers["x-request-id"]) == 32


def _outside_address() -> str | None:
    """An address of this machine that is not loopback (none: ``None``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_metrics_need_loopback_or_the_token(sqlite_settings: Settings) -> None:
    """From another address ``/metrics`` is 404 without the token and 200 with it."""
    secured = dataclasses.replace(sqlite_settings, metrics_token="scrape-secret-1")
    port = free_port()
    for live in serve(secured, port=port, host="0.0.0.0"):
        address = _outside_address()
        if address is None:
            pytest.skip("this machine has no address but loopback")
        url = f"http://{address}:{port}/metrics"
        assert patiently.get(url).status_code == 404
        assert patiently.get(url, timeout=30,
                             headers={"Authorization": "Bearer wrong"}).status_code == 404
        scraped = patiently.get(url, timeout=30,
                                headers={"Authorization": "Bearer scrape-secret-1"})
        assert scraped.status_code == 200
        assert _samples(scraped.text, "credstack_http_requests_total")
        assert patiently.get(f"{live.url}/metrics").status_code == 200
