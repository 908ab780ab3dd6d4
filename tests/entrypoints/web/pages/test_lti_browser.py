"""The instructor's deep linking page and the learner's launch page in Chromium, launched
from the test LMS (``lti1p3platform``): on a phone's screen, in Japanese and in English,
axe-core finding nothing serious; the deep linking answer goes back to the LMS by itself
(the page's own script), and the learner sees their progress, then the claim and the wallet
app's offer; and the learner's page linking their LMS account (``/lti/connect``), signed
in on a phone; and the pages a platform is registered on (the workspace's LMS page, the
answer to Dynamic Registration)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import add_user, provider_store
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    new_tab,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_lti import ADMIN, SLUG, grade_the_course
from tests.lti_platform import TestPlatform

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


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
                yield live, platform


#: What the learner's page says, by the browser's language: the claim, the refresh, the
#: result, the wallet app's offer.
WORDS = {"ja-JP": ("ウォレットに受け取る", "最新の状態を見る", "現在の評定：80 / 100",
                   "ウォレットアプリで受け取る"),
         "en-GB": ("Claim it into your wallet", "See the latest", "Your result: 80 / 100",
                   "Receive in a wallet app")}


@pytest.mark.parametrize("locale", list(WORDS))
def test_the_deep_linking_and_launch_pages_in_a_browser(
        browser: Browser, lms: tuple[LiveServer, TestPlatform], locale: str) -> None:
    """An instructor chooses the programme and rule on a phone; a learner then sees their
    progress and, once issued, the claim and the wallet app's offer — in Japanese and in
    English."""
    _, platform = lms
    claim, refresh, result, offer = WORDS[locale]
    language = locale[:2]
    tab = new_tab(browser, locale=locale, **PHONE, device_scale_factor=2, is_mobile=True,
                  has_touch=True)
    try:
        tab.goto(f"{platform.url}/start?user=teacher-1&kind=deep")
        tab.get_by_role("button", name="Launch").click()
        tab.wait_for_selector("#pick-title")
        assert tab.locator("html").get_attribute("lang") == language
        assert_accessible_and_fitting(tab, f"lti-deep-link-{language}")
        tab.locator("#lti-line-item").fill("final")
        tab.locator("#lti-minimum").fill("60")
        tab.locator("main form button[type=submit]").click()
        # The answer page posts the content item to the LMS by itself.
        tab.wait_for_url(f"{platform.url}/deep-link-return")
        assert "Saved 1 item(s)" in tab.content()
        tab.goto(f"{platform.url}/start?user=learner-00000")
        tab.get_by_role("button", name="Launch").click()
        tab.wait_for_selector("#launch-title")
        assert_accessible_and_fitting(tab, f"lti-launch-{language}")
        deadline = time.monotonic() + 90
        while tab.get_by_role("link", name=claim).count() == 0:
            assert time.monotonic() < deadline, tab.content()
            time.sleep(0.5)
            tab.get_by_role("link", name=refresh).click()
        assert result in tab.content()
        assert tab.get_by_role("heading", name=offer).is_visible()
        assert_accessible_and_fitting(tab, f"lti-launch-issued-{language}")
    finally:
        tab.context.close()


#: The connect page's words by the browser's language: its heading, its button, and what
#: the account page says once the LMS account is linked.
CONNECT_WORDS = {
    "ja-JP": ("LMS のアカウントを連携する", "連携する", "LMS のアカウントを連携しました"),
    "en-GB": ("Link your LMS account", "Link", "The LMS account is linked"),
}


@pytest.mark.parametrize(("locale", "learner"), [("ja-JP", "learner-00010"),
                                                 ("en-GB", "learner-00011")])
def test_the_connect_page_in_a_browser(
        browser: Browser, lms: tuple[LiveServer, TestPlatform], locale: str,
        learner: str) -> None:
    """A learner opens the launch page's "sign in and link" address (with the launch's
    connect token) on a phone, signs in, and links their LMS account on ``/lti/connect`` —
    in Japanese and in English, axe-core finding nothing serious."""
    live, platform = lms
    title, button, done = CONNECT_WORDS[locale]
    account = f"{learner}.connect@example.jp"
    add_user(live.settings, account, name="連携 テスト")
    tab = new_tab(browser, locale=locale, **PHONE, device_scale_factor=2, is_mobile=True,
                  has_touch=True)
    try:
        tab.goto(f"{platform.url}/start?user={learner}")
        tab.get_by_role("button", name="Launch").click()
        tab.wait_for_selector("#launch-title")
        href = tab.locator("a[href^='/lti/connect/']").get_attribute("href")
        assert href is not None and "?token=" in href
        sign_in_through_form(tab, live.url, account, then=href)
        assert tab.get_by_role("heading", name=title).is_visible()
        assert tab.locator("html").get_attribute("lang") == locale[:2]
        assert account in tab.content()
        assert_accessible_and_fitting(tab, f"lti-connect-{locale[:2]}")
        tab.locator("main form").get_by_role("button", name=button, exact=True).click()
        tab.wait_for_url("**/account?done=lti-linked*")
        assert done in tab.content()
    finally:
        tab.context.close()


#: The registration pages' headings by the browser's language: the workspace's LMS page and
#: the page answering an LMS's Dynamic Registration.
REGISTRATION_WORDS = {"ja-JP": ("LMS 連携（LTI 1.3）", "登録 URL を作成", "LMS を登録しました"),
                      "en-GB": ("LMS integration (LTI 1.3)", "Make a registration URL",
                                "The LMS is registered")}


@pytest.mark.parametrize("locale", list(REGISTRATION_WORDS))
def test_the_registration_pages_in_a_browser(
        browser: Browser, lms: tuple[LiveServer, TestPlatform], locale: str) -> None:
    """The pages a platform is registered on, on a phone: the workspace's LMS page (the
    tool's values, a registration URL made and shown, the form to register by hand, the
    registrations and course links) and the page answering an LMS's Dynamic Registration —
    in Japanese and in English, axe-core
    finding nothing serious and nothing wider than the screen."""
    live, _ = lms
    workspace, make, registered = REGISTRATION_WORDS[locale]
    other = TestPlatform(live.settings.public_url, client_id=f"dr-{locale}")
    tab = new_tab(browser, locale=locale, **PHONE, device_scale_factor=2, is_mobile=True,
                  has_touch=True)
    try:
        sign_in_through_form(tab, live.url, ADMIN, then=f"/workspace/{SLUG}/lti")
        assert tab.get_by_role("heading", name=workspace, exact=True).first.is_visible()
        tab.get_by_role("button", name=make).click()
        url = tab.locator("#lti-dr-url").inner_text()
        assert_accessible_and_fitting(tab, f"lti-workspace-{locale[:2]}")
        with other.serving():
            tab.goto(f"{url}?openid_configuration="
                     f"{other.url}/.well-known/openid-configuration"
                     "&registration_token=registration-token-1")
            assert tab.get_by_role("heading", name=registered).is_visible()
            assert_accessible_and_fitting(tab, f"lti-registered-{locale[:2]}")
    finally:
        tab.context.close()
