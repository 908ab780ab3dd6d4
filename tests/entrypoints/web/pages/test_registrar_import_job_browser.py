"""The registrar's import of a large export in Chromium (issue 56), in Japanese and English at
desk (1280 px) and phone (390 px) width: the certificate office chooses a broken export over
a mebibyte and lands on its job's page, which follows the job (htmx) until it lists every bad
row; then the good export, whose job ends with the counts and the way back to the records.
axe-core finds nothing serious or critical on either page and each fits its screen
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
from tests.entrypoints.web.pages.test_registrar_import_job import RECORDS, UNIVERSITY, export

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

#: Students in the exports: just over the mebibyte above which a job imports.
STUDENTS = 1800
#: How long a job may take on a loaded machine (milliseconds).
PATIENCE = 240_000


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    for server in serve(browser_store):
        add_user(server.settings, "clerk@example.jp", name="教務 花子",
                 roles=[(UNIVERSITY, "registrar")])
        yield server


@pytest.mark.parametrize(("language", "width"), [("ja", "desk"), ("en", "phone"),
                                                  ("en", "desk"), ("ja", "phone")])
def test_a_large_export_is_followed_on_its_jobs_page(
        browser: Browser, live: LiveServer, language: str, width: str,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A broken export's job lists each bad row; the good one's ends with the counts and a
    link to the records, which list its students."""
    from playwright.sync_api import expect

    folder = tmp_path_factory.mktemp("exports")
    broken, good = folder / "broken.csv", folder / "university.csv"
    broken.write_bytes(export(STUDENTS, broken=(3, 1799)))
    good.write_bytes(export(STUDENTS))
    size = PHONE if width == "phone" else {"width": 1280, "height": 900}
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", **size)
    name = f"registrar-job-{language}-{width}"
    try:
        sign_in_through_form(tab, live.url, "clerk@example.jp", RECORDS)
        tab.goto(f"{live.url}{RECORDS}?lang={language}")
        expect(tab.locator("html")).to_have_attribute("lang", language)
        tab.locator("#records-file").set_input_files(str(broken))
        tab.locator("#records-submit").click()
        tab.wait_for_url("**/jobs/*")
        expect(tab.locator(".job-state--failed")).to_be_visible(timeout=PATIENCE)
        expect(tab.locator("#job-problems li")).to_have_count(8)
        expect(tab.locator("#job-problems li").first).to_contain_text("birth_date")
        assert_accessible_and_fitting(tab, f"{name}-refused")
        tab.locator(f'#job-live a[href="{RECORDS}"]').click()
        tab.wait_for_url(f"**{RECORDS}")

        tab.locator("#records-file").set_input_files(str(good))
        tab.locator("#records-submit").click()
        tab.wait_for_url("**/jobs/*")
        expect(tab.locator(".job-state--succeeded")).to_be_visible(timeout=PATIENCE)
        expect(tab.locator("#job-progress")).to_have_attribute("value", str(STUDENTS))
        expect(tab.locator("#job-live")).to_contain_text("1,800")
        assert_accessible_and_fitting(tab, f"{name}-done")
        tab.locator(f'#job-live a[href="{RECORDS}"]').click()
        tab.wait_for_url(f"**{RECORDS}")
        expect(tab.locator('[data-figure="students"]')).to_have_text("1,800")
    finally:
        tab.context.close()
