"""Headers every answer of the web application carries, whatever route (or none) made it."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import LiveServer


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
    response = httpx.get(f"{server.url}/", headers={"accept": "text/html"}, timeout=10)
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
