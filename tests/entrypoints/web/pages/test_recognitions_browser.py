"""The public recognition pages in a real browser: the decision filter's controls are as tall
as a line of text on a wide screen and on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.conftest import at_phone_width, axe_violations, shot

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


@pytest.fixture
def live(browser_store: Settings) -> Iterator[LiveServer]:
    yield from serve(browser_store)


def test_the_decision_filter_is_one_line_tall(live: LiveServer, page: Page) -> None:
    """The outcome filter is a one-line select (it was 192 px tall), as tall as the search
    box beside it, wide or on a phone."""
    page.goto(live.url + "/recognition")
    select = page.locator("#outcome").bounding_box()
    search = page.locator("#q").bounding_box()
    assert select is not None and search is not None
    assert select["height"] <= search["height"] + 4, select
    with at_phone_width(page):
        select = page.locator("#outcome").bounding_box()
        assert select is not None and select["height"] < 60, select
        assert axe_violations(page) == []
        shot(page, "recognition-filter-phone-ja", full_page=False)
