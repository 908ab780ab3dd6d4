"""The learner's share links on a phone, from the demo: the address of a link just made
takes its row's width, its copy button beside or under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    demo_phone_tab,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_new_links_address_takes_the_width_of_its_row_on_a_phone(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    tab = demo_phone_tab(browser, demo_server, "learner@demo.example", "/wallet/shares",
                         language=language)
    try:
        tab.locator("#new-share-title + form button[type=submit]").click()
        address = tab.locator("#share-address")
        row = tab.locator("#share-address").locator("xpath=..")
        copy = row.get_by_role("button")
        assert copy.is_visible()
        field, whole, button = (address.bounding_box(), row.bounding_box(),
                                copy.bounding_box())
        assert field and whole and button
        # The row spans the notice (less its padding), and the field the row: whole when
        # the button goes under it, less the button and a gap when beside it.
        assert whole["width"] >= 300, whole
        assert field["width"] >= whole["width"] - button["width"] - 16, (field, whole)
        assert address.input_value().startswith("http")
        assert_accessible_and_fitting(tab, f"share-made-demo-{language}")
    finally:
        tab.context.close()
