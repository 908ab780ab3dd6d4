"""The application as a whole: what it serves besides the API and the pages."""

from __future__ import annotations

import gc
import inspect
import re
import weakref
from types import GeneratorType
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI

from credstack.entrypoints.web.app import create_app
from credstack.settings import Settings
from tests import patiently
from tests.conftest import keyed_sqlite, operator_client, serve
from tests.helpers import organisation

CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


@pytest.mark.parametrize("viewer", ["/docs", "/redoc"])
def test_the_api_viewers_load_nothing_from_another_site(server, viewer):
    """/docs and /redoc reference only credstack's own assets, and each of them is served
    with its content type: the API viewer works without the internet."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        page = http.get(viewer)
        assert page.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assets += re.findall(r"(?:url|openapi_url|spec-url): ?['\"]([^'\"]+)['\"]", page.text)
        assert assets
        for asset in assets:
            assert not urlsplit(asset).netloc, f"{viewer} loads {asset} from another site"
        assert "cdn." not in page.text and "fonts.googleapis" not in page.text
        for asset in assets:
            answer = http.get(asset)
            assert answer.status_code == 200, asset
            suffix = asset[asset.rfind("."):]
            expected = CONTENT_TYPES.get(suffix, "json" if "openapi" in asset else "")
            assert expected in answer.headers["content-type"], (asset, answer.headers)


@pytest.mark.browser
def test_the_api_viewer_renders_with_every_other_site_unreachable(server, browser):
    """In Chromium with every request to another site refused, /docs shows the operations."""
    from playwright.sync_api import expect

    from tests.entrypoints.web.pages.conftest import new_tab, shot

    tab = new_tab(browser, locale="en-GB")
    elsewhere: list[str] = []

    def refuse_elsewhere(route: Any) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    try:
        tab.route("**/*", refuse_elsewhere)
        tab.goto(f"{server.url}/docs")
        # Generous waits: the test is about assets served offline, not speed, and Swagger UI
        # lays out several hundred operations (seconds on a loaded 2-core CI machine).
        expect(tab.locator(".swagger-ui .info .title")).to_contain_text("credstack",
                                                                        timeout=30_000)
        expect(tab.locator(".opblock").first).to_be_visible(timeout=30_000)
        shot(tab, "api-docs-offline", full_page=False)
    finally:
        tab.context.close()
    assert elsewhere == []


def test_a_server_of_its_own_freezes_what_it_started_with_and_thaws_it_when_it_stops(
        sqlite_settings: Settings) -> None:
    """As `credstack serve` runs it: what lives as long as the server is out of the garbage
    collector's sight while it runs, and given back when it stops."""
    for _ in serve(sqlite_settings, freeze_heap=True):
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_an_app_among_others_in_one_process_leaves_the_collector_alone(
        sqlite_settings: Settings) -> None:
    """Where apps come and go in one process (these tests), none freezes the heap: each start
    would pay a full collection of all the process holds, and keep it from the others."""
    before = gc.get_freeze_count()
    for _ in serve(sqlite_settings):
        assert gc.get_freeze_count() == before


def test_a_stopped_server_lets_its_app_be_collected(sqlite_settings: Settings) -> None:
    """A process that starts and stops servers (the tests, a benchmark) keeps none of their
    apps: in CI a worker starts hundreds, and kept apps made requests time out."""
    # Each app is reached through the serving generator's own variable and held weakly, not
    # found by scanning the heap: a CI worker's heap is large, and each scan took seconds.
    apps: list[weakref.ref[FastAPI]] = []
    for _ in range(3):
        running = serve(sqlite_settings)
        assert isinstance(running, GeneratorType)
        for live in running:
            assert patiently.get(f"{live.url}/docs").status_code == 200
            apps.append(weakref.ref(inspect.getgeneratorlocals(running)["app"]))
    gc.collect()
    assert [ref for ref in apps if ref() is not None] == []


def test_every_page_has_an_icon_and_the_conventional_address_finds_it(
        server: Any) -> None:
    """Pages link their icon; /favicon.ico leads to it (no 404 on every page)."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        page = http.get("/", headers={"Accept": "text/html"})
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
        icon = http.get("/favicon.ico", follow_redirects=True)
        assert icon.status_code == 200
        assert icon.headers["content-type"].startswith("image/svg+xml")
        assert icon.text.startswith("<svg")


def test_what_a_verifier_calls_for_every_credential_is_matched_first(
        sqlite_settings: Settings) -> None:
    """POST /credentials/verify and the status lists are tried before any other route, the
    API viewers' included: each route passed over is a pattern tried on every request."""
    from credstack.entrypoints.web.app import create_app

    app = create_app(sqlite_settings, run_jobs=False)
    first: list[str] = []
    for route in app.router.routes[:2]:
        router = getattr(route, "original_router", None)
        first += [getattr(inner, "path", "") for inner in getattr(router, "routes", [])]
    assert "/credentials/verify" in first
    assert "/status-lists/{organisation}/{number}/{purpose}" in first


def test_the_apps_of_a_process_share_one_openapi_description(sqlite_settings: Settings,
                                                              tmp_path: Any) -> None:
    """The description (0.5–0.8 s of CPU to build) is built once for every app with the
    same routes, whatever their settings; an app whose routes differ has its own."""
    first = create_app(sqlite_settings).openapi()
    assert create_app(keyed_sqlite(tmp_path / "other")).openapi() is first
    assert "/credentials/verify" in first["paths"]
    changed = create_app(keyed_sqlite(tmp_path / "changed"))

    @changed.get("/api/only-here")
    def only_here() -> dict[str, str]:
        return {}

    own = changed.openapi()
    assert "/api/only-here" in own["paths"] and "/api/only-here" not in first["paths"]


def test_the_apps_of_a_process_share_their_routers_and_each_answers_from_its_own_store(
        tmp_path: Any) -> None:
    """A router's routes are prepared once per process, not once per app (0.1–0.6 s of CPU
    at each new app's first requests): every app includes it through the same inclusion,
    which holds no app; each app still answers from its own store."""
    def included(app: FastAPI) -> dict[int, Any]:
        return {id(route.original_router): route for route in app.router.routes
                if hasattr(route, "original_router")}

    one, other = (keyed_sqlite(tmp_path / name) for name in ("one", "other"))
    first, second = included(create_app(one)), included(create_app(other))
    assert len(first) > 50 and first.keys() == second.keys()
    assert all(second[router] is route for router, route in first.items())
    assert all(route.include_context.dependency_overrides_provider is None
               for route in first.values())
    for settings, listed in ((one, ["hokuto-tech"]), (other, [])):
        for live in serve(settings):
            with operator_client(live) as http:
                if listed:
                    assert http.post("/api/organisations",
                                     json=organisation()).status_code == 201
                answer = http.get("/api/organisations")
                assert answer.status_code == 200
                assert [item["slug"] for item in answer.json()] == listed
