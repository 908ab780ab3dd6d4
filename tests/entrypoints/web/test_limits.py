"""Request bodies over the size limit: 413 whether the length is declared or streamed."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests import patiently
from tests.conftest import LiveServer, operator_client

CHUNK = b" " * 64 * 1024


def chunks(total: int, first: bytes = b"") -> Iterator[bytes]:
    """``total`` bytes of a JSON body (whitespace after ``first``), without a length: httpx
    sends them with ``Transfer-Encoding: chunked``."""
    yield first
    sent = len(first)
    while sent < total:
        yield CHUNK
        sent += len(CHUNK)


@pytest.mark.parametrize(("path", "first"), [
    # A route whose body FastAPI parses and validates (a Pydantic model).
    ("/api/programmes", b'{"descriptors": {}'),
    # A route that reads the body itself.
    ("/credentials/issue", b'{"credential": {}'),
    ("/credentials/verify", b'{"verifiableCredential": {}'),
])
def test_a_chunked_body_over_the_limit_is_refused_as_too_large(server: LiveServer, path: str,
                                                              first: bytes) -> None:
    """413 with the input-too-large problem, as for a declared length, not a 400."""
    limit = server.settings.max_body_bytes
    with operator_client(server) as client:
        response = client.post(path, content=chunks(limit + len(CHUNK), first),
                               headers={"content-type": "application/json"})
    assert response.status_code == 413, response.text
    problem = response.json()
    assert problem["type"] == "/problems/input-too-large"
    assert f"{limit:,} bytes" in problem["detail"]


def test_a_chunked_body_within_the_limit_is_read(server: LiveServer) -> None:
    """A streamed body under the limit reaches the route (here: not a credential, 400)."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        response = client.post("/credentials/verify",
                               content=chunks(10_000, b'{"verifiableCredential": 1}'),
                               headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["code"] == "invalid-verifiableCredential"


def test_a_client_gone_before_its_body_came_is_no_server_error(
        server: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
    """A client that declares a body, sends part of it and leaves (a load test stopping, a
    phone losing its network) costs no "Exception in ASGI application" traceback: nobody is
    left to answer, and the server answers the next request."""
    with socket.create_connection(("127.0.0.1", httpx.URL(server.url).port or 80)) as raw:
        raw.sendall(b"POST /credentials/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    b"application/json\r\nContent-Length: 1000\r\n\r\n{\"verifiable")
        time.sleep(0.3)
    time.sleep(0.5)
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == [], errors[0].getMessage()
    assert patiently.get(f"{server.url}/api/search").status_code == 200
