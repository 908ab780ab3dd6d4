"""Headers every answer of the web application carries, whatever route (or none) made it."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from credstack.settings import Settings
from tests import patiently
from tests.conftest import LiveServer, serve, sqlite_store, wait_until


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests: they read headers and write
    nothing."""
    yield from serve(module_settings)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/api/programmes", None),
    ("GET", "/api/programmes/999", None),
    ("GET", "/openapi.json", None),
    ("GET", "/no-such-page", None),
    ("GET", "/static/credstack.css", None),
    ("POST", "/credentials/verify", b'{"verifiableCredential": 1}'),
    ("POST", "/credentials/issue", b"x" * (2 * 1024 * 1024)),
    ("POST", "/sign-in", b"email=a"),
])
def test_every_answer_forbids_sniffing_its_media_type(anonymous: httpx.Client, method: str,
                                                     path: str, body: bytes | None) -> None:
    """``X-Content-Type-Options: nosniff`` on JSON, problems, pages, static files, the 413
    given before routing and the 403 of a cross-site form: a browser never reads a JSON
    answer as a page or a script."""
    form = path == "/sign-in"
    response = anonymous.request(method, path, content=body, headers={
        "content-type": "application/x-www-form-urlencoded" if form else "application/json",
        **({"origin": "https://elsewhere.example"} if form else {})})
    assert response.headers.get("x-content-type-options") == "nosniff", (
        response.status_code, dict(response.headers))


def test_nosniff_is_not_repeated_where_a_route_sets_it(server: LiveServer) -> None:
    """A page that sets the header itself carries it once."""
    response = patiently.get(f"{server.url}/", headers={"accept": "text/html"})
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]


@pytest.fixture(scope="module")
def https_public(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path
                 ) -> Iterator[LiveServer]:
    """A server whose public URL is https (behind a proxy that ends TLS), for the module's
    tests of it: they only read headers."""
    settings = sqlite_store(tmp_path_factory.mktemp("https-public") / "data", _sqlite_template)
    yield from serve(dataclasses.replace(settings, public_url="https://credstack.example"))


@pytest.mark.parametrize("path", ["/", "/api/programmes", "/no-such-page", "/docs"])
def test_https_deployments_tell_browsers_to_use_https_only(https_public: LiveServer,
                                                           path: str) -> None:
    """``Strict-Transport-Security`` for a year on every answer when the public URL is https
    (there was none): a browser never again tries the site over plain HTTP."""
    response = patiently.get(f"{https_public.url}{path}", headers={"accept": "text/html"},
                             timeout=30)
    assert response.headers.get_list("strict-transport-security") == ["max-age=31536000"]


def test_plain_http_deployments_send_no_hsts(server: LiveServer) -> None:
    """Over http (a laptop, the tests) the header would be ignored at best."""
    assert "strict-transport-security" not in patiently.get(f"{server.url}/api/programmes",
                                                            timeout=30).headers


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_the_api_viewers_have_a_content_security_policy(server: LiveServer,
                                                        path: str) -> None:
    """Swagger UI and ReDoc run no script but their own bundled ones and their inline
    start-up script, named by its hash (there was no policy at all)."""
    response = patiently.get(f"{server.url}{path}")
    policy = response.headers.get("content-security-policy", "")
    directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    for text in _INLINE_SCRIPT.findall(response.text):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives["script-src"]


def test_swagger_ui_works_under_its_policy(server: LiveServer, browser: Any) -> None:
    """The policy lets the viewer draw the API: its operations appear, nothing refused."""
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{server.url}/docs")
    wait_until(page, "document.querySelectorAll('.opblock').length > 10", seconds=30)
    assert refused == []
    page.close()
