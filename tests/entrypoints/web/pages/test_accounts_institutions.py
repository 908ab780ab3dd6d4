"""The sign-in page's "sign in with your university or organisation" (issue 57), as a
federation's embedded discovery service offers it: with few identity providers each is a
link; with many, a search over their names in any language (a GET form, no script needed;
htmx updates the list as one types). Each link starts the sign-in at that provider and
carries where to go afterwards. Disabled providers are not offered. In Chromium on a phone,
in Japanese, typing finds the institution and the page passes axe-core.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import sso as sso_store
from credstack.core.organisations import Organisation
from credstack.settings import Settings
from tests.accounts import store_session
from tests.conftest import LiveServer, at_own_url, keyed_sqlite, serve
from tests.entrypoints.web.pages.conftest import assert_accessible_and_fitting, phone_tab
from tests.helpers import organisation

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: (organisation slug, its names, provider slug, provider name); the last one disabled.
CAMPUSES = [
    ("hokuto-uni", {"ja": "北斗大学", "en": "Hokuto University"}, "hokuto-campus",
     "北斗大学 統合認証"),
    ("vnu", {"vi": "Đại học Quốc gia Hà Nội", "en": "Vietnam National University, Hanoi"},
     "vnu-sso", "VNU Single Sign-On"),
    ("minato-tech", {"ja": "みなと工科大学", "en": "Minato Institute of Technology"},
     "minato-idp", "Minato IdP"),
    ("sakura-coll", {"ja": "さくら短期大学", "en": "Sakura College"}, "sakura-idp",
     "さくら短大 認証"),
    ("kita-academy", {"ja": "北アカデミー", "en": "Kita Academy"}, "kita-idp", "Kita ID"),
    ("umi-uni", {"ja": "海の大学", "en": "Umi University"}, "umi-idp", "Umi University SSO"),
    ("old-uni", {"ja": "旧大学", "en": "Old University"}, "old-idp", "Old University SSO"),
]
EN = {"Accept-Language": "en"}


def _add_providers(settings: Settings, campuses: list[tuple[str, dict[str, str], str, str]]
                   ) -> None:
    now = dt.datetime.now(dt.UTC)
    with store_session(settings) as session:
        for slug, names, provider, name in campuses:
            row = organisation_store.create_organisation(
                session, organisation=Organisation.model_validate(organisation(
                    slug=slug, kind="university", name=names)), now=now)
            added = sso_store.add_provider(
                session, slug=provider, organisation_id=row.id, kind="oidc", name=name,
                config={"issuer": f"https://idp.{slug}.example"}, secret=None,
                allowed_roles="learner", at=now)
            added.enabled = provider != "old-idp"


@pytest.fixture(scope="module")
def few(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("few-institutions")))
    _add_providers(settings, CAMPUSES[:2])
    yield from serve(settings, port=port)


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("many-institutions")))
    _add_providers(settings, CAMPUSES)
    yield from serve(settings, port=port)


def _links(html: str) -> list[str]:
    return re.findall(r'class="campus-list__link" href="([^"]+)"', html)


def test_with_few_providers_each_is_a_link_that_keeps_where_to_go(few: LiveServer) -> None:
    with httpx.Client(base_url=few.url, timeout=30, headers=EN) as browser:
        page = browser.get("/sign-in")
        assert "Sign in with your university or organisation" in page.text
        assert 'role="search"' not in page.text
        # By name, as the store orders them.
        assert _links(page.text) == ["/sso/vnu-sso/start", "/sso/hokuto-campus/start"]
        # The organisation's name in the reader's language beside the provider's.
        assert "Hokuto University" in page.text
        onward = browser.get("/sign-in", params={"next": "/wallet?tab=shared"})
        assert _links(onward.text)[1] == \
            "/sso/hokuto-campus/start?next=%2Fwallet%3Ftab%3Dshared"
        vietnamese = browser.get("/sign-in", headers={"Accept-Language": "vi"})
        assert "Đại học Quốc gia Hà Nội" in vietnamese.text


def test_with_many_providers_a_search_finds_them_by_any_name(many: LiveServer) -> None:
    with httpx.Client(base_url=many.url, timeout=30, headers=EN) as browser:
        page = browser.get("/sign-in")
        assert 'role="search"' in page.text and _links(page.text) == []
        assert _links(browser.get("/sign-in", params={"institution": "北斗"}).text) == \
            ["/sso/hokuto-campus/start"]
        assert _links(browser.get("/sign-in", params={"institution": "dai hoc"}).text) == \
            ["/sso/vnu-sso/start"]
        found = _links(browser.get("/sign-in", params={"institution": "university"}).text)
        assert found == ["/sso/umi-idp/start", "/sso/vnu-sso/start", "/sso/hokuto-campus/start"]
        # A disabled provider is not offered.
        assert _links(browser.get("/sign-in", params={"institution": "old"}).text) == []
        none = browser.get("/sign-in", params={"institution": "Atlantis <b>"})
        assert none.status_code == 200
        assert "No institution here is called “Atlantis &lt;b&gt;”" in none.text
        too_long = browser.get("/sign-in", params={"institution": "x" * 201})
        assert too_long.status_code == 422


def test_without_providers_nothing_is_offered(tmp_path_factory: pytest.TempPathFactory
                                               ) -> None:
    settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("no-institutions")))
    for live in serve(settings, port=port):
        with httpx.Client(base_url=live.url, timeout=30, headers=EN) as browser:
            assert 'id="campus-sign-in"' not in browser.get("/sign-in").text


@pytest.mark.browser
def test_in_chromium_on_a_phone_typing_finds_the_institution(browser: Browser,
                                                              many: LiveServer) -> None:
    tab = phone_tab(browser)
    try:
        tab.goto(f"{many.url}/sign-in")
        section = tab.locator("#campus-sign-in")
        assert section.get_by_role("heading", level=2).inner_text() == "大学・所属機関でサインイン"
        tab.get_by_label("大学・所属機関を探す").fill("みなと")
        link = section.get_by_role("link", name="Minato IdP")
        link.wait_for()
        assert link.get_attribute("href") == "/sso/minato-idp/start"
        assert "みなと工科大学" in section.inner_text()
        assert tab.url.endswith("/sign-in")  # found in place, without leaving the page
        assert_accessible_and_fitting(tab, "sign-in-institutions-phone-ja")
    finally:
        tab.context.close()


@pytest.mark.browser
def test_without_javascript_the_search_is_a_form(browser: Browser, many: LiveServer) -> None:
    from tests.entrypoints.web.pages.conftest import new_tab

    tab = new_tab(browser, locale="en-GB", javascript=False)
    try:
        tab.goto(f"{many.url}/sign-in")
        tab.get_by_label("Find your university or organisation").fill("sakura")
        tab.get_by_role("button", name="Search").click()
        tab.wait_for_url("**/sign-in?institution=sakura")
        assert tab.locator(".campus-list__link").all_inner_texts() == ["さくら短大 認証"]
    finally:
        tab.context.close()
