"""Search by skill and the employer's match in a real browser (Chromium through Playwright),
as a person uses them, in Japanese and English: axe-core finds nothing serious or critical
on any page they pass, and the pages fit a phone's screen. The forms need no JavaScript
(the journey runs with it off); axe runs in a tab with it on. Screenshots go to
``test-artifacts/screenshots/``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_fits_the_screen,
    assert_pages_fit_a_phone,
    axe_violations,
    demo_phone_tab,
    new_tab,
    shot,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_skills import ADMIN, Skilled, serve_skilled

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[Skilled]:
    for served in serve_skilled(browser_store):
        add_user(served.live.settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
        yield served


@pytest.mark.parametrize(("language", "locale"), [("ja", "ja-JP"), ("en", "en-GB")])
def test_search_by_skill_without_javascript(live: Skilled, browser: Browser, language: str,
                                            locale: str) -> None:
    """Find a skill by name, open it, see the programme aligned to a narrower skill, and
    follow to the registry search filtered by the skill."""
    from playwright.sync_api import expect

    tab = new_tab(browser, locale=locale, javascript=False)
    checker = new_tab(browser, locale=locale)
    try:
        tab.goto(f"{live.live.url}/skills?lang={language}")
        tab.fill("#skill-q", "データ" if language == "ja" else "Data")
        tab.click("#skill-search")
        tab.locator("#skill-results a", has_text=live.data.name(language)).first.click()
        assert tab.locator("#skill-name").inner_text() == live.data.name(language)
        expect(tab.locator("#skill-programme-list li")).to_have_count(1)
        skill_page = tab.url
        tab.locator("a[href^='/search?skill=']").click()
        assert "/search" in tab.url
        expect(tab.locator("[data-programme-id], .result").first).to_be_visible()
        shot(tab, f"skills-search-{language}")
        for url in (f"{live.live.url}/skills?lang={language}&q=data", skill_page, tab.url):
            checker.goto(url)
            assert axe_violations(checker) == [], (url, language)
    finally:
        tab.context.close()
        checker.context.close()


@pytest.mark.parametrize(("language", "locale"), [("ja", "ja-JP"), ("en", "en-GB")])
def test_the_employers_match_without_javascript(live: Skilled, browser: Browser,
                                                language: str, locale: str) -> None:
    """Paste a job description, tick the suggested skill, add one by name, find programmes,
    then check a candidate's share link: one skill covered, one missing."""
    from playwright.sync_api import expect

    tab = new_tab(browser, locale=locale, javascript=False)
    checker = new_tab(browser, locale=locale)
    try:
        tab.goto(f"{live.live.url}/employers?lang={language}")
        tab.fill("#role-text", "データを扱う業務: データの収集と整理" if language == "ja"
                 else "Handling data: collecting and cleaning data sets")
        tab.click("#role-suggest")
        tab.locator(f"#role-skills input[value='{live.handle.uri}']").check()
        tab.fill("#role-add", "セキュリティ技術" if language == "ja" else "Security technology")
        tab.click("#role-suggest")
        tab.locator(f"#role-skills input[value='{live.security.uri}']").check()
        tab.click("#role-match")
        table = tab.locator("#coverage")
        expect(table.locator("tbody tr")).to_have_count(1)
        checker.goto(tab.url)
        assert axe_violations(checker) == [], ("match", language)
        shot(tab, f"employers-match-{language}")
        tab.fill("#candidate-shared", live.share)
        tab.click("#candidate-check")
        assert live.handle.name(language) in tab.locator("#candidate-covered").inner_text()
        assert live.security.name(language) in tab.locator("#candidate-missing").inner_text()
        shot(tab, f"employers-candidate-{language}")
        checker.set_content(tab.content())
        assert axe_violations(checker) == [], ("candidate", language)
    finally:
        tab.context.close()
        checker.context.close()


def test_the_skills_pages_fit_a_phone(live: Skilled, browser: Browser) -> None:
    """The skill search, a skill and the employer's form at a phone's width."""
    assert_pages_fit_a_phone(browser, live.live.url, [
        ("/skills?q=data", "skills-phone"),
        (f"/skills/{live.handle.identifier}", "skill-phone"),
        (f"/employers?skill={live.handle.uri}&action=match", "employers-phone")])


#: The buttons of the page's main content that come closer than 8 px (the design's
#: ``--space-2``) to another control or a label: "<button> / <other>" each.
TOUCHING = """() => {
  const seen = e => e.getClientRects().length > 0;
  const others = [...document.querySelectorAll(
      'main button, main input:not([type=hidden]), main textarea, main select, main label,'
      + ' main legend, main a')].filter(seen);
  const found = [];
  for (const button of document.querySelectorAll('main button')) {
    if (!seen(button)) continue;
    const a = button.getBoundingClientRect();
    for (const other of others) {
      if (other === button || other.contains(button) || button.contains(other)) continue;
      const b = other.getBoundingClientRect();
      const dx = Math.max(0, b.left - a.right, a.left - b.right);
      const dy = Math.max(0, b.top - a.bottom, a.top - b.bottom);
      if (dx < 8 && dy < 8) found.push(button.textContent.trim() + ' / '
                                       + other.textContent.trim().slice(0, 30));
    }
  }
  return found;
}"""


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_employers_buttons_keep_the_designs_spacing_on_a_phone(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    """The demo employer's saved role opened at 390 px: no button touches another control
    or a label (they stand apart by the design's spacing)."""
    tab = demo_phone_tab(browser, demo_server, "employer@demo.example", "/employers?role=1",
                         language=language)
    try:
        assert tab.locator("#role-match").is_visible()
        assert tab.evaluate(TOUCHING) == []
        assert_fits_the_screen(tab, "/employers")
        assert axe_violations(tab) == []
        shot(tab, f"employers-demo-{language}")
    finally:
        tab.context.close()


@pytest.mark.parametrize(("language", "locale"), [("ja", "ja-JP"), ("en", "en-GB")])
def test_the_provider_aligns_outcomes_on_a_phone_without_javascript(
        live: Skilled, browser: Browser, language: str, locale: str) -> None:
    """At 390 px with JavaScript off (issue 51): each suggestion's match in words; reject
    one, and it is gone; find "Security technology" by part of its name under the second
    outcome and add it; remove it again. axe finds nothing serious on the page, which fits
    the screen, and no button touches another control."""
    from playwright.sync_api import expect

    tab = new_tab(browser, locale=locale, javascript=False, **PHONE, is_mobile=True,
                  has_touch=True)
    checker = new_tab(browser, locale=locale, **PHONE, is_mobile=True, has_touch=True)
    page = "/workspace/hokuto-tech/programmes/1/skills"
    try:
        sign_in_through_form(tab, live.live.url, ADMIN, f"{page}?lang={language}")
        suggested = tab.locator("#suggested-0 li")
        expect(suggested.first.locator(".match")).to_be_visible()
        rejected = suggested.first.get_attribute("data-skill")
        suggested.first.get_by_role("button", name=("却下する" if language == "ja"
                                                    else "Reject"), exact=False).click()
        expect(tab.locator(f"#suggested-0 li[data-skill='{rejected}']")).to_have_count(0)
        name = live.security.name(language)
        tab.fill("#search-1", name[2:])
        tab.locator("#outcome-1 form[role=search] button").click()
        found = tab.locator(f"#found-1 li[data-skill='{live.security.uri}']")
        expect(found).to_contain_text(name)
        assert_fits_the_screen(tab, "alignments, searched")
        assert tab.evaluate(TOUCHING) == []
        shot(tab, f"alignments-phone-{language}")
        checker.context.add_cookies(tab.context.cookies())
        checker.goto(tab.url)
        assert axe_violations(checker) == [], language
        found.get_by_role("button").click()
        confirmed = tab.locator(f"#confirmed-1 li[data-skill='{live.security.uri}']")
        expect(confirmed).to_contain_text(name)
        confirmed.get_by_role("button").click()
        expect(tab.locator(f"#confirmed-1 li[data-skill='{live.security.uri}']")
               ).to_have_count(0)
    finally:
        tab.context.close()
        checker.context.close()
