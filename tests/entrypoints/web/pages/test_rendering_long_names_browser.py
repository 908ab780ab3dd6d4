"""Long names in the header and a page's head, as Chromium draws them at a laptop's width
(1280 px) and a phone's (390 px): an organisation's or a person's long name either wraps
whole or is cut short with the whole name in its ``title`` (and so for screen readers);
nothing is cut without it, and nothing is wider than the screen (issue 51)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.core.organisations import Organisation
from credstack.settings import Settings
from credstack.testing.documents import organisation_document
from tests.accounts import PASSWORD, add_user, store_session
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.conftest import assert_fits_the_screen, new_tab, shot

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

SLUG = "long-name-institute"
#: An organisation's long names, as some have.
ORGANISATION = {"ja": "学校法人北都学園 北都工科大学大学院 情報理工学研究科 "
                      "社会人リカレント教育センター",
                "en": "Hokuto Institute of Technology Graduate School of Information Science and "
                      "Engineering, Centre for Recurrent Education of Working Adults"}
#: A person's long name.
PERSON = "Hanako Yamada-Suzuki-Takahashi (Recurrent Education Centre, Hokuto)"
EMAIL = "long.name@example.jp"


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(browser_store):
        with store_session(server.settings) as session:
            organisation_store.create_organisation(
                session, organisation=Organisation.model_validate(organisation_document(
                    slug=SLUG, name=ORGANISATION)), now=dt.datetime.now(dt.UTC))
        add_user(server.settings, EMAIL, name=PERSON, roles=[(SLUG, "provider-admin")])
        yield server


#: For each element showing a name whose text is cut (wider than its box, or clipped by a
#: box around it), its text and title: what a reader cannot see whole.
_CUT = """(names) => {
  const found = [];
  for (const e of document.querySelectorAll('header *, main h1, main .eyebrow, main .eyebrow *')) {
    const text = (e.innerText || '').trim();
    if (!text || !names.some(n => text.includes(n.slice(0, 12)))) continue;
    const same = c => (c.innerText || '').trim() === text;
    if (e.children.length && [...e.children].some(same)) continue;
    const style = getComputedStyle(e);
    if (style.display === 'none' || style.visibility === 'hidden' || !e.offsetParent) continue;
    let cut = e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
    const box = e.getBoundingClientRect();
    for (let p = e.parentElement; p && !cut; p = p.parentElement) {
      const ps = getComputedStyle(p);
      if (ps.overflowX !== 'visible' || ps.overflowY !== 'visible') {
        const pb = p.getBoundingClientRect();
        cut = box.right > pb.right + 1 || box.left < pb.left - 1 || box.bottom > pb.bottom + 1;
      }
    }
    if (box.right > window.innerWidth + 1) cut = true;
    if (cut) found.push({text, title: e.getAttribute('title') || '',
                         label: e.getAttribute('aria-label') || ''});
  }
  return found;
}"""


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("width", [1280, 390])
def test_long_names_wrap_or_are_cut_with_the_whole_name_at_hand(
        live: LiveServer, browser: Browser, width: int, language: str) -> None:
    """A provider's administrator with a long name, of an organisation with a long name, on
    their account and workspace pages: every name cut short has the whole name in its title
    and its accessible name; the page fits the screen."""
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", width=width,
                  height=900)
    try:
        tab.goto(f"{live.url}/sign-in?lang={language}&next=/account")
        tab.locator("#email").fill(EMAIL)
        tab.locator("#password").fill(PASSWORD)
        tab.locator("main form").get_by_role("button").first.click()
        tab.wait_for_url("**/account")
        names = [PERSON, ORGANISATION[language]]
        for path in ("/account", f"/workspace/{SLUG}"):
            tab.goto(f"{live.url}{path}")
            assert_fits_the_screen(tab, path)
            cut: list[dict[str, Any]] = tab.evaluate(_CUT, names)
            for item in cut:
                whole = next(n for n in names if n[:12] in item["text"])
                assert whole in item["title"] and whole in (item["label"] or item["title"]), (
                    path, item)
            shot(tab, f"long-names-{width}-{language}{path.replace('/', '-')}")
    finally:
        tab.context.close()
