"""The language menu on a phone: without JavaScript, it opens and lists every language offered,
each named in itself, within a 390 px screen; axe-core finds nothing serious, in each language,
with the menu closed and open (open, it pushes the header's links down, covering none)."""

from __future__ import annotations

from typing import Any

import pytest

from credstack.entrypoints.web.i18n import ENDONYMS, offered
from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    new_tab,
)


@pytest.mark.parametrize("language", offered())
def test_the_language_menu_fits_a_phone_without_javascript(browser: Any,
                                                           demo_server: LiveServer,
                                                           language: str) -> None:
    """The menu (a disclosure) names the page's language; opened, each language's link is on
    the screen, and following one shows the page in that language (axe-core, which is
    JavaScript, checks the page in that language in a tab that runs it)."""
    tab = new_tab(browser, **PHONE, javascript=False)
    checker = new_tab(browser, **PHONE)
    try:
        tab.goto(f"{demo_server.url}/?lang={language}")
        menu = tab.locator("#lang-switch")
        assert ENDONYMS[language] in menu.locator("summary").inner_text()
        menu.locator("summary").click()
        for tag in offered():
            link = menu.locator(f'a[hreflang="{tag}"]')
            assert link.inner_text() == ENDONYMS[tag]
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, tag
        checker.goto(f"{demo_server.url}/?lang={language}")
        assert_accessible_and_fitting(checker, f"language-menu-{language}")
        # Opened, the list lies over the page under the header's one row (the site's links
        # are in the menu beside it); axe's target-size rule finds no link it crowds.
        checker.locator("#lang-switch summary").click()
        assert checker.locator("#lang-switch").get_attribute("open") is not None
        assert_accessible_and_fitting(checker, f"language-menu-open-{language}")
        listed = checker.locator("#lang-switch ul").bounding_box()
        header = checker.locator("header.site-header").bounding_box()
        assert listed is not None and header is not None and header["height"] <= 64
        assert listed["y"] >= header["y"] + header["height"] / 2, (listed, header)
        other = "en" if language != "en" else "ko"
        menu.locator(f'a[hreflang="{other}"]').click()
        assert tab.locator("html").get_attribute("lang") == other
    finally:
        tab.context.close()
        checker.context.close()
