"""Hosted Open Badges 2.0 badges served behind redirects, by a real local HTTP server.

Another issuer's site (loopback allowed, as in every fetching test): its assertion answers
301 to the same path with a trailing slash, its BadgeClass 302 to a "CDN" (another host name
for the same server). Up to three redirects are followed, each hop checked before it is
requested; the served assertion's id must still be the URL it was requested from — its own
id — not where the redirects led.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.descriptors.models import Programme
from credstack.core.types import MultilingualText
from credstack.core.verification import VerificationReport
from credstack.services.openbadges_v2.verification import verify_ob2
from tests.helpers import programme as demo_programme
from tests.loopback import QuietHandler, serving

NOW = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
EMAIL = "hanako@example.ac.jp"


class _Issuer(QuietHandler):
    routes: ClassVar[dict[str, tuple[int, Any]]] = {}

    def do_GET(self) -> None:
        status, value = self.routes.get(self.path, (404, None))
        self.send_response(status)
        body = b"" if 300 <= status < 400 else json.dumps(value).encode()
        if 300 <= status < 400:
            self.send_header("Location", value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, tuple[int, Any]]]]:
    """The issuer's site, its documents behind redirects; yields its base URL and routes."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    handler = type("Handler", (_Issuer,), {"routes": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}"
    issuer, badge = f"{base}/issuer", f"{base}/badge"
    handler.routes.update({
        "/issuer": (200, ob2.build_issuer_profile(
            issuer_id=issuer, name=MultilingualText({"ja": "北都工科大学"}), url=base,
            email="badges@example.ac.jp")),
        "/badge": (302, f"http://localhost:{port}/cdn/badge.json"),
        "/cdn/badge.json": (200, ob2.build_badge_class(
            programme=Programme.model_validate(demo_programme()), badge_id=badge,
            issuer_id=issuer)),
        "/assertions/1": (301, "/assertions/1/"),
        "/assertions/1/": (200, _assertion(f"{base}/assertions/1", badge)),
    })
    with serving(server):
        yield base, handler.routes


def _assertion(assertion_id: str, badge: str) -> dict[str, Any]:
    return ob2.build_assertion(assertion_id=assertion_id, badge=badge,
                               recipient=ob2.identity_object(EMAIL, salt="pepper"),
                               issued_on="2026-04-01T00:00:00Z",
                               verification={"type": "HostedBadge"})


def _failed(report: VerificationReport) -> dict[str, str | None]:
    return {check.name: check.code for check in report.failed}


def _undecided(report: VerificationReport) -> dict[str, str | None]:
    """The checks that could not be decided: a document credstack may not fetch is out of
    reach, not proof of a forgery."""
    assert not report.ok
    return {check.name: check.code for check in report.undecided}


def test_a_badge_hosted_behind_redirects_verifies(
        site: tuple[str, dict[str, tuple[int, Any]]]) -> None:
    """A trailing-slash redirect and a CDN redirect are followed; given as JSON or URL."""
    base, routes = site
    for badge in (routes["/assertions/1/"][1], f"{base}/assertions/1"):
        report = verify_ob2(badge, recipient=EMAIL, now=NOW)
        assert report.ok, [(check.reason_en, check.details) for check in report.failed]


def test_the_served_id_must_be_the_url_requested_not_the_redirect_target(
        site: tuple[str, dict[str, tuple[int, Any]]]) -> None:
    """An assertion whose id is X must be served (through redirects or not) calling itself
    X; one that calls itself by the URL the redirect led to is another id."""
    base, routes = site
    routes["/assertions/1/"] = (200, _assertion(f"{base}/assertions/1/", f"{base}/badge"))
    report = verify_ob2(_assertion(f"{base}/assertions/1", f"{base}/badge"), now=NOW)
    assert _failed(report) == {"proof": "id-mismatch"}


@pytest.mark.parametrize(("target", "reason"), [
    ("http://10.20.30.40/assertions/1", "private or reserved address"),
    ("http://example.org/assertions/1", "not an https URL"),
])
def test_a_hosted_assertion_redirecting_where_credstack_may_not_go_is_not_checked(
        site: tuple[str, dict[str, tuple[int, Any]]], target: str, reason: str) -> None:
    """A redirect to a private address or a plain-HTTP host is not followed, naming the hop:
    the assertion could not be checked."""
    base, routes = site
    routes["/assertions/1/"] = (302, target)
    report = verify_ob2(_assertion(f"{base}/assertions/1", f"{base}/badge"), now=NOW)
    assert _undecided(report) == {"proof": "redirect-refused"}
    assert f"(hop 2) to {target}" in report.undecided[0].reason_en
    assert reason in report.undecided[0].reason_en


def test_more_than_three_redirects_are_refused(
        site: tuple[str, dict[str, tuple[int, Any]]]) -> None:
    """OB 2.0 documents get at most three redirects."""
    base, routes = site
    routes.update({"/assertions/1/": (302, "/r2"), "/r2": (302, "/r3"), "/r3": (302, "/r4"),
                   "/r4": (200, routes["/assertions/1/"][1])})
    report = verify_ob2(f"{base}/assertions/1", now=NOW)
    assert _undecided(report) == {"parse": "redirect-refused"}
    assert "more than 3 times" in report.undecided[0].reason_en
