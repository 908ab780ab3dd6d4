"""``HEAD`` is answered wherever ``GET`` is, on pages and the API alike: the same status and
headers, no body (RFC 9110, section 9.3.2; issue 55, L6)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.routing import BaseRoute, Route

from credstack.entrypoints.web.app import create_app
from tests.conftest import LiveServer, keyed_sqlite, serve

#: Answers whose headers differ from one request to the next by design.
VARYING = {"date", "x-request-id", "set-cookie", "content-security-policy", "etag",
           "last-modified", "content-length", "vary"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from serve(keyed_sqlite(tmp_path_factory.mktemp("head")))


def _routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """``routes`` and those of the routers included among them (all without a prefix)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from _routes(included.routes) if included is not None else (route,)


def _get_paths(folder: Path) -> list[str]:
    """Every route of the app that answers ``GET`` at a path without parameters."""
    app = create_app(keyed_sqlite(folder), run_jobs=False)
    return sorted({route.path for route in _routes(app.routes)
                   if isinstance(route, Route) and "GET" in (route.methods or ())
                   and "{" not in route.path})


def test_every_get_route_answers_head_alike(live: LiveServer,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    """For each parameterless GET route (pages and API), HEAD answers GET's status and
    content type, with no body."""
    paths = _get_paths(tmp_path_factory.mktemp("routes"))
    assert len(paths) > 50
    differing = []
    with httpx.Client(base_url=live.url, timeout=60,
                      headers={"Accept-Language": "en"}) as client:
        for path in paths:
            got = client.get(path)
            head = client.head(path)
            if (head.status_code, head.headers.get("content-type")) != \
                    (got.status_code, got.headers.get("content-type")) or head.content:
                differing.append(f"{path}: GET {got.status_code}, HEAD {head.status_code}")
    assert differing == []


@pytest.mark.parametrize("path", ["/", "/sign-in", "/api/programmes", "/healthz",
                                  "/static/favicon.svg"])
def test_head_answers_the_headers_of_get(live: LiveServer, path: str) -> None:
    """A page's, an API route's, the probe's and a static file's HEAD: GET's headers (its
    length included), no body."""
    with httpx.Client(base_url=live.url, timeout=60) as client:
        got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert {k: v for k, v in head.headers.items() if k not in VARYING} == \
        {k: v for k, v in got.headers.items() if k not in VARYING}
