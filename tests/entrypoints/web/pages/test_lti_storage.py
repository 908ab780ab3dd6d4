"""A launch framed by the LMS in a browser that blocks third-party cookies (Chromium's
third-party cookie phase-out, the LMS on ``127.0.0.1`` and credstack on ``localhost``: two
sites): with no storage offered, the framed launch has no state cookie and is refused; with
the LMS offering its storage (LTI Client Side postMessages: ``lti_storage_target`` in the
login and the launch), credstack's login page keeps the state in the LMS's window
(``lti.put_data``), its launch page reads it back (``lti.get_data``) and the launch passes.
The LMS's course page (``/course`` of the test LMS) answers the messages as the
specification's examples do, and keeps what it was sent for these tests to read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import add_user, provider_store, store_session
from tests.conftest import CHROMIUM, LiveServer, at_own_url, need_browser, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_lti import ADMIN, SLUG, grade_the_course
from tests.lti_platform import TestPlatform

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def blocking() -> Iterator[Any]:
    """Chromium that keeps no third-party cookie."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--test-third-party-cookie-phaseout"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lms(browser_store: Settings) -> Iterator[tuple[LiveServer, TestPlatform]]:
    secret = new_master_key_text()
    settings, port = at_own_url(dataclasses.replace(browser_store, secret_key=secret))
    provider_store(settings, secret=secret, now=dt.datetime.now(dt.UTC))
    add_user(settings, ADMIN, name="Admin", roles=[(SLUG, "provider-admin")])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
        for live in serve(settings, port=port):
            platform = TestPlatform(settings.public_url)
            grade_the_course(platform)
            with platform.serving():
                admin = FormBrowser(live, ADMIN)
                admin.post(f"/workspace/{SLUG}/lti", {
                    "name": "Test LMS", "issuer": platform.url,
                    "client_id": platform.client_id, "login_url": f"{platform.url}/authorize",
                    "token_url": f"{platform.url}/token", "jwks_url": f"{platform.url}/jwks",
                    "deployments": platform.deployment})
                admin.close()
                with httpx.Client(timeout=30) as client:
                    platform.deep_link(client, line_item="final")
                yield live, platform


#: The frame shows credstack's answer (not the storage's launch page, unless it failed).
_ANSWERED = ("document.location.pathname === '/lti/launch' && !!document.querySelector('h1')"
             " && (!document.getElementById('lti-storage')"
             " || !!document.querySelector('[data-lti-storage-failed]:not([hidden])'))")


def _answered(frame: Any) -> bool:
    """Whether the launch has answered in ``frame``; false while the frame navigates."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        return bool(frame.evaluate(_ANSWERED))
    except PlaywrightError as error:
        if "context was destroyed" in str(error) or "navigat" in str(error):
            return False
        raise


def _refusals(live: LiveServer) -> list[Any]:
    with store_session(live.settings) as session:
        return [entry.details for entry in audit.entries(session, limit=100_000)
                if entry.action == "lti.launch.refused"]


def _framed_launch(blocking: Any, platform: TestPlatform, user: str) -> tuple[str, list[Any]]:
    """The course page opened, the framed launch's button pressed: the frame's text once it
    answers, and the messages the course page was sent."""
    context = blocking.new_context(locale="en-GB")
    try:
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.goto(f"{platform.url}/course?user={user}")
        frame = tab.frame_locator("iframe[name=tool]")
        frame.get_by_role("button", name="Launch").click()
        tool = tab.frame(name="tool")
        assert tool is not None
        # The storage's launch page is a step on the way: wait for where it leads, asking
        # from the test (the frame's CSP refuses wait_for_function's eval whenever its first
        # check is false), and again if the frame was navigating while asked.
        deadline = time.monotonic() + 30
        while not _answered(tool):
            assert time.monotonic() < deadline, f"still false after 30 s: {_ANSWERED}"
            time.sleep(0.05)
        return tool.locator("body").inner_text(), tab.evaluate("window.ltiMessages")
    finally:
        context.close()


def test_a_framed_launch_without_third_party_cookies_is_refused_without_storage(
        blocking: Any, lms: tuple[LiveServer, TestPlatform]) -> None:
    """The LMS offers no storage: the frame kept no state cookie, so the launch cannot be
    told from one posted by another browser, and is refused — the refusal shown in the
    LMS's frame (its policy lets the LMS frame it), and audited."""
    live, platform = lms
    platform.storage_target = None
    text, messages = _framed_launch(blocking, platform, "learner-00001")
    assert "was not posted by the browser that started this login" in text
    assert messages == []
    assert [(refusal["reason"], refusal["state_cookie"]) for refusal in _refusals(live)] == [
        ("state-cookie", "absent")]


def test_a_framed_launch_keeps_its_state_in_the_lms_storage(
        blocking: Any, lms: tuple[LiveServer, TestPlatform]) -> None:
    """The LMS offers its storage (``lti_storage_target=_parent``): the login's page stores
    the state there and the launch's page reads it back, each message as the
    specification's examples (a subject, a message id, the key, the value), sent to the
    LMS's origin from credstack's; the launch passes and shows the learner's progress."""
    live, platform = lms
    platform.storage_target = "_parent"
    try:
        text, messages = _framed_launch(blocking, platform, "learner-00002")
    finally:
        platform.storage_target = None
    assert "Introduction to Data Science" in text, text
    tool = live.settings.public_url
    assert [(message["origin"], message["data"]["subject"]) for message in messages] == [
        (tool, "lti.put_data"), (tool, "lti.get_data")]
    put, get = (message["data"] for message in messages)
    assert set(put) == {"subject", "message_id", "key", "value"}
    assert set(get) == {"subject", "message_id", "key"}
    assert put["key"] == get["key"] and put["key"].startswith("credstack_state_")
    assert put["message_id"] != get["message_id"]
