"""Issuing in a real browser: an issuer signs in, issues a credential to one learner,
uploads a cohort CSV with a bad row and reads the report, uploads it corrected and sees the
preview (starting the job is for the jobs service's tests once it is merged), finds a
credential in the list and revokes it with a reason, and has a batch's PDF certificates made
by a background job whose page offers the zip; axe-core finds nothing serious or critical on
any issuing page; on a phone's screen too, with screenshots.

Chromium (Debian package ``chromium``) driven by Playwright against the live server of
:mod:`tests.entrypoints.web.pages.test_issuing_pages`. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_fits_the_screen,
    axe_violations,
    new_tab,
    phone_tab,
    shot,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_issuing_pages import ISSUER, SLUG, Issuing, issuing

__all__ = ["issuing"]  # the module's server, shared with the HTTP tests' fixture

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def signed_in(tab: Page, issuing: Issuing, where: str) -> Page:
    """``tab`` signed in as the issuer, on ``where``."""
    return sign_in_through_form(tab, issuing.live.url, ISSUER, where)


def assert_accessible(tab: Page, what: str) -> None:
    found = axe_violations(tab)
    assert found == [], f"{what}: {found}"


def test_an_issuer_issues_checks_a_cohort_and_revokes_with_a_reason(
        browser: Browser, issuing: Issuing, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    tab = signed_in(new_tab(browser, locale="en-GB"), issuing, f"/workspace/{SLUG}/issue")
    try:
        assert_accessible(tab, "the issue page")
        shot(tab, "issuing-issue-en")
        # One learner.
        one = tab.get_by_role("form", name="Issue to one learner")
        one.get_by_label("Batch").fill("browser-single")
        one.get_by_label("Name in Japanese").fill("渡辺 結衣")
        one.get_by_label("Name in English").fill("Yui Watanabe")
        one.get_by_label("E-mail address").fill("yui@example.jp")
        one.get_by_role("button", name="Issue the credential").click()
        tab.wait_for_url("**?done=issued")
        expect(tab.get_by_role("status")).to_contain_text("The credential was issued.")
        expect(tab.locator("h1")).to_contain_text("渡辺 結衣 / Yui Watanabe")
        assert_accessible(tab, "a credential's page")
        shot(tab, "issuing-credential-en")
        # A cohort with a bad row: the report names it, nothing is issued.
        bad = tmp_path / "cohort.csv"
        bad.write_bytes("email,name.ja\r\nrin@example.jp,林\r\nnot-an-email,森\r\n"
                        .encode("cp932"))
        tab.goto(f"{issuing.live.url}/workspace/{SLUG}/issue")
        cohort = tab.get_by_role("form", name="Issue to a cohort (CSV)")
        cohort.get_by_label("Batch").fill("browser-cohort")
        cohort.get_by_label("Cohort file").set_input_files(str(bad))
        cohort.get_by_role("button", name="Check it").click()
        expect(tab.get_by_role("alert")).to_contain_text("1 problem was found")
        expect(tab.get_by_role("row", name="Row 3, column A (email)")).to_be_visible()
        assert_accessible(tab, "the cohort report")
        shot(tab, "issuing-cohort-report-en")
        # Corrected, it is previewed with the button that starts the job.
        good = tmp_path / "fixed.csv"
        good.write_bytes("email,name.ja\r\nrin@example.jp,林\r\nmori@example.jp,森\r\n"
                         .encode("cp932"))
        tab.get_by_role("link", name="Choose another file").first.click()
        cohort = tab.get_by_role("form", name="Issue to a cohort (CSV)")
        cohort.get_by_label("Batch").fill("browser-cohort")
        cohort.get_by_label("Cohort file").set_input_files(str(good))
        cohort.get_by_role("button", name="Check it").click()
        expect(tab.get_by_role("button", name="Issue to 2 learners")).to_be_visible()
        assert_accessible(tab, "the cohort preview")
        shot(tab, "issuing-cohort-preview-en")
        # The list, searched; the credential revoked after saying why.
        tab.goto(f"{issuing.live.url}/workspace/{SLUG}/credentials")
        assert_accessible(tab, "the list")
        tab.get_by_label("Search").fill("yui@")
        tab.get_by_role("button", name="Apply").click()
        expect(tab.get_by_text("1 credential", exact=True)).to_be_visible()
        shot(tab, "issuing-list-en")
        tab.get_by_role("link", name="渡辺 結衣 / Yui Watanabe").click()
        tab.get_by_role("link", name="Revoke").click()
        expect(tab.locator("h1")).to_have_text("Revoke this credential?")
        assert_accessible(tab, "the confirmation")
        tab.get_by_label("Reason").fill("Issued to the wrong learner")
        tab.get_by_role("button", name="Revoke").click()
        tab.wait_for_url("**?done=revoke")
        expect(tab.get_by_role("row", name="Revoked")).to_contain_text(
            "Issued to the wrong learner")
        expect(tab.get_by_text("A revoked credential cannot be reinstated.")).to_be_visible()
    finally:
        tab.context.close()


def test_the_issuing_pages_fit_a_phone_in_japanese(browser: Browser, issuing: Issuing
                                                   ) -> None:
    tab = signed_in(phone_tab(browser), issuing, f"/workspace/{SLUG}/issue")
    try:
        for path, name in ((f"/workspace/{SLUG}/issue", "issuing-issue-phone-ja"),
                           (f"/workspace/{SLUG}/credentials", "issuing-list-phone-ja"),
                           (f"/workspace/{SLUG}/credentials/{issuing.batch[1]}",
                            "issuing-credential-phone-ja")):
            tab.goto(issuing.live.url + path)
            assert_fits_the_screen(tab, path)
            assert_accessible(tab, path)
            shot(tab, name)
    finally:
        tab.context.close()


@pytest.mark.parametrize("locale", ["ja-JP", "en-GB"])
def test_a_credentials_status_history_is_one_card_an_event_on_a_phone(
        browser: Browser, issuing: Issuing, locale: str) -> None:
    """At 390 px the credential's status history is not a table scrolled sideways: each
    event is a card, its facts labelled (issue 51, small)."""
    path = f"/workspace/{SLUG}/credentials/{issuing.batch[1]}"
    tab = signed_in(new_tab(browser, locale=locale, **PHONE, is_mobile=True), issuing, path)
    try:
        region = tab.locator("section[aria-labelledby=history-title] .table-scroll")
        hidden = region.evaluate("scroller => scroller.scrollWidth - scroller.clientWidth")
        assert hidden <= 0, f"the history hides {hidden} px to the side"
        event = tab.locator("section[aria-labelledby=history-title] tbody tr").first
        labels = event.locator("td").evaluate_all(
            "cells => cells.map(cell => getComputedStyle(cell, '::before').content)")
        assert labels and all(label not in ("none", "normal", '""') for label in labels)
        assert_accessible(tab, path)
        assert_fits_the_screen(tab, path)
    finally:
        tab.context.close()


def test_a_confirmed_cohort_is_issued_by_a_background_job(browser: Browser, issuing: Issuing,
                                                          tmp_path: Path) -> None:
    """The confirmation goes to the job's page, which shows it done; the batch is listed."""
    pytest.importorskip("credstack.services.jobs")
    from playwright.sync_api import expect

    cohort_file = tmp_path / "cohort.csv"
    cohort_file.write_bytes(b"email,name.en\r\nkai@example.jp,Kai\r\nnao@example.jp,Nao\r\n")
    tab = signed_in(new_tab(browser, locale="en-GB"), issuing, f"/workspace/{SLUG}/issue")
    try:
        cohort = tab.get_by_role("form", name="Issue to a cohort (CSV)")
        cohort.get_by_label("Batch").fill("browser-job")
        cohort.get_by_label("Cohort file").set_input_files(str(cohort_file))
        cohort.get_by_role("button", name="Check it").click()
        tab.get_by_role("button", name="Issue to 2 learners").click()
        # The job's page is the jobs service's (its own tests check it).
        tab.wait_for_url("**/jobs/*")
        for _ in range(60):
            tab.goto(f"{issuing.live.url}/workspace/{SLUG}/credentials?batch=browser-job")
            if tab.get_by_text("2 credentials", exact=True).count():
                break
            tab.wait_for_timeout(500)
        expect(tab.get_by_text("2 credentials", exact=True)).to_be_visible()
        shot(tab, "issuing-batch-after-job-en")
    finally:
        tab.context.close()


def _tab_to(tab: Page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element says ``text`` (as a keyboard user would)."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        focused = tab.evaluate("document.activeElement && document.activeElement.innerText")
        if (focused or "").strip() == text:
            return
    raise AssertionError(f"{text!r} cannot be reached with the Tab key")


def test_a_credential_is_suspended_with_the_keyboard_alone(browser: Browser,
                                                           issuing: Issuing) -> None:
    from playwright.sync_api import expect

    credential = issuing.batch[1]
    tab = signed_in(new_tab(browser, locale="en-GB"), issuing,
                    f"/workspace/{SLUG}/credentials/{credential}")
    try:
        _tab_to(tab, "Suspend")
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/status?change=suspend")
        _tab_to(tab, "Suspend")
        tab.keyboard.press("Shift+Tab")
        tab.keyboard.type("Checked with the keyboard")
        _tab_to(tab, "Suspend")
        tab.keyboard.press("Enter")
        tab.wait_for_url("**?done=suspend")
        expect(tab.get_by_role("row", name="Suspended")).to_contain_text(
            "Checked with the keyboard")
    finally:
        tab.context.close()


def test_a_batchs_pdf_certificates_are_made_in_the_background_with_the_keyboard(
        browser: Browser, issuing: Issuing) -> None:
    """From a batch's list, with the keyboard alone: choose the language, start the job; its
    page follows the progress live (htmx) to the end and offers the zip, which downloads;
    axe finds nothing serious on the list nor on the job's page, in Japanese on a phone."""
    from playwright.sync_api import expect

    tab = signed_in(phone_tab(browser), issuing,
                    f"/workspace/{SLUG}/credentials?batch=2026-spring")
    try:
        assert_accessible(tab, "the batch's list with its downloads")
        tab.locator("#certificates-language").focus()
        tab.keyboard.press("ArrowDown")  # 日本語 → English
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.id") == "certificates-submit"
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/jobs/*")
        expect(tab.locator("#job-status")).to_contain_text("完了", timeout=120_000)
        link = tab.locator("#job-download")
        expect(link).to_be_visible()
        assert_accessible(tab, "the certificates job's page, finished")
        assert_fits_the_screen(tab, "the certificates job's page")
        shot(tab, "issuing-certificates-job-phone-ja")
        with tab.expect_download() as download:
            link.focus()
            tab.keyboard.press("Enter")
        assert download.value.suggested_filename.endswith("-certificates-en.zip")
    finally:
        tab.context.close()
