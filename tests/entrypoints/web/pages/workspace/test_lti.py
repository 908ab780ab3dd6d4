"""The workspace's LMS page (``/workspace/{slug}/lti``): it links the LMS guide of the manual
in the page's language, and says, where the site's address is not public HTTPS, that an LMS
cannot register it there."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import add_user, provider_store
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    phone_tab,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ADMIN = "lms-admin@example.jp"
SLUG = "hokuto-tech"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("lms-page")
    site = folder / "site"
    (site / "lti").mkdir(parents=True)
    (site / "ja" / "lti").mkdir(parents=True)
    for page in (site / "index.html", site / "lti" / "index.html",
                 site / "ja" / "index.html", site / "ja" / "lti" / "index.html"):
        page.write_text("<!doctype html><title>manual</title>LTI")
    secret = new_master_key_text()
    settings, port = at_own_url(dataclasses.replace(
        Settings.from_env(data_dir=folder / "data", database_url=""), secret_key=secret,
        manual_dir=site))
    provider_store(settings, secret=secret, now=dt.datetime.now(dt.UTC))
    add_user(settings, ADMIN, name="Admin", roles=[(SLUG, "provider-admin")])
    yield from serve(settings, port=port)


@pytest.mark.parametrize(("language", "guide", "words"), [
    ("ja", "/manual/ja/lti/", "公開された https のアドレス"),
    ("en", "/manual/lti/", "public https address"),
])
def test_the_lms_page_links_the_guide_and_says_an_lms_needs_a_public_https_address(
        live: LiveServer, language: str, guide: str, words: str) -> None:
    """At ``http://localhost`` the page says an LMS needs a public https address to register
    the tool, and links the manual's LMS guide in the page's language."""
    admin = FormBrowser(live, ADMIN, language=language)
    page = admin.page(f"/workspace/{SLUG}/lti")
    assert_accessible(page, language)
    assert words in page.text
    assert [link.attrs["href"] for link in page.all("a") if link.attrs["href"] == guide]


@pytest.mark.browser
def test_in_chromium_on_a_phone_the_lms_page_with_its_notice_is_accessible(
        browser: Browser, live: LiveServer) -> None:
    """390 px, in Japanese: the notice and the guide's link fit, and axe finds nothing
    serious or critical."""
    tab = sign_in_through_form(phone_tab(browser), live.url, ADMIN, f"/workspace/{SLUG}/lti")
    try:
        assert "公開された https" in tab.locator("#lti-not-public").inner_text()
        assert_accessible_and_fitting(tab, "workspace-lti-phone-ja")
    finally:
        tab.context.close()
