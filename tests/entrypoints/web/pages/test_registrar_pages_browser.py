"""The registrar's academic records in Chromium (issue 56), in Japanese and English at desk
(1280 px) and phone (390 px) width: the certificate office chooses a broken export and sees
each bad row named, chooses the good one and sees it imported, then opens the list and a
record. axe-core finds nothing serious or critical on any of them and each fits its screen
(screenshots in ``test-artifacts/screenshots/``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    new_tab,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_registrar_pages import BROKEN, GOOD, RECORDS, UNIVERSITY

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    for server in serve(browser_store):
        add_user(server.settings, "clerk@example.jp", name="教務 花子",
                 roles=[(UNIVERSITY, "registrar")])
        yield server


@pytest.mark.parametrize(("language", "width"), [("ja", "desk"), ("en", "phone"),
                                                  ("en", "desk"), ("ja", "phone")])
def test_the_registrar_imports_and_reads_the_records(
        browser: Browser, live: LiveServer, language: str, width: str,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A broken file's bad rows are named in a table; the good file imports; the list and a
    record read in the page's language."""
    from playwright.sync_api import expect

    folder = tmp_path_factory.mktemp("exports")
    broken, good = folder / "broken.csv", folder / "students.csv"
    broken.write_bytes(BROKEN.encode("shift_jis"))
    good.write_bytes(GOOD.encode("shift_jis"))
    size = PHONE if width == "phone" else {"width": 1280, "height": 900}
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", **size)
    name = f"registrar-{language}-{width}"
    try:
        sign_in_through_form(tab, live.url, "clerk@example.jp", RECORDS)
        tab.goto(f"{live.url}{RECORDS}?lang={language}")
        expect(tab.locator("html")).to_have_attribute("lang", language)
        tab.locator("#records-file").set_input_files(str(broken))
        tab.locator("#records-submit").click()
        faults = tab.locator("table.import-problems tbody tr")
        expect(faults).to_have_count(3)
        assert [faults.nth(i).get_attribute("data-row") for i in range(3)] == ["3", "4", "5"]
        expect(tab.locator("#import-error")).to_be_visible()
        assert_accessible_and_fitting(tab, f"{name}-refused")

        tab.locator("#records-file").set_input_files(str(good))
        tab.locator("#records-submit").click()
        expect(tab.locator("#import-done")).to_be_visible()
        expect(tab.locator("tr[data-student]")).to_have_count(3)
        assert_accessible_and_fitting(tab, f"{name}-list")

        tab.locator('tr[data-student="20A1001"] a').click()
        tab.wait_for_url(f"**{RECORDS}/20A1001")
        expect(tab.locator("[data-gpa]")).to_contain_text("2.40")
        expect(tab.locator("tr[data-course]")).to_have_count(4)
        expect(tab.locator("[data-standing]")).to_have_text(
            "卒業見込" if language == "ja" else "Expected to graduate")
        assert_accessible_and_fitting(tab, f"{name}-record")
    finally:
        tab.context.close()
