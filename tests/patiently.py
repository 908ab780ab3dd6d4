"""One request to a test server, made patiently: it waits up to 120 s.

httpx's module functions wait five seconds for an answer. A test server on a loaded two-core CI
machine has taken longer than that to answer its first request (the metadata of a server
started a moment before), so the suite's one-off requests go through these, which wait as long
as ``operator_client`` and the page fixtures' clients — longer, since a server's first
``/openapi.json`` (every route's schema built) took over 30 s on a busy CI machine."""

from __future__ import annotations

from typing import Any

import httpx

TIMEOUT = 120.0
#: How to ask a server that is starting whether it answers yet: a refused connection is known
#: at once (it is not listening yet: ask again), but once connected, its answer is waited for
#: as long as any — a first answer under load took longer than a second, and a poll that gave
#: up after one second asked again and again until its deadline (seen at load 9).
STARTING = httpx.Timeout(TIMEOUT, connect=1.0)


def request(method: str, url: str, **options: Any) -> httpx.Response:
    options.setdefault("timeout", TIMEOUT)
    return httpx.request(method, url, **options)


def get(url: str, **options: Any) -> httpx.Response:
    return request("GET", url, **options)


def post(url: str, **options: Any) -> httpx.Response:
    return request("POST", url, **options)


def put(url: str, **options: Any) -> httpx.Response:
    return request("PUT", url, **options)


def client(**options: Any) -> httpx.Client:
    """An ``httpx.Client`` that waits as long as :func:`request` (httpx's own waits 5 s)."""
    options.setdefault("timeout", TIMEOUT)
    return httpx.Client(**options)
