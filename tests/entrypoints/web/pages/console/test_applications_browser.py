"""A provider joins and issues, in a real browser: a visitor applies on the public form with
a document; the operator opens the console from the menu, reads the application and approves
it; the applicant follows the e-mailed link (the demo server's mailbox), makes the
administrator's account, creates the organisation's key, writes and publishes a programme
and issues a credential from it. axe-core finds nothing serious on the console's pages, which
fit a phone's screen.

Chromium (Debian package ``chromium``) driven by Playwright against a demo server on SQLite
(no SMTP: the e-mail waits in the outbox the mailbox shows).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.accounts import add_user
from tests.conftest import LiveServer, at_own_url, keyed_sqlite, serve
from tests.entrypoints.web.pages.conftest import (
    assert_fits_the_screen,
    axe_violations,
    new_tab,
    phone_tab,
    shot,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.console.test_applications import PDF

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

OPERATOR = "operator@example.org"
APPLICANT = "kikaku@tohoku.example"
SLUG = "tohoku-tech"
CHOSEN = "a long passphrase of the new admin"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("console"), demo=True))
    add_user(settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
    yield from serve(settings, port=port)


def assert_accessible(tab: Page, what: str) -> None:
    found = axe_violations(tab)
    assert found == [], f"{what}: {found}"


def test_an_approved_provider_signs_in_and_issues(browser: Browser, live: LiveServer,
                                                  tmp_path: Path) -> None:
    from playwright.sync_api import expect

    document = tmp_path / "registration.pdf"
    document.write_bytes(PDF)
    visitor = new_tab(browser, locale="en-GB", javascript=False)
    try:
        # Without JavaScript: the form works as plain HTML (axe-core, a script, reads the
        # form in the phone test below).
        visitor.goto(f"{live.url}/join")
        visitor.get_by_label("Organisation's name in Japanese").fill("東北技術専門学校")
        visitor.get_by_label("Organisation's name in English").fill("Tohoku Technical School")
        visitor.get_by_label("Corporate number").fill("6123456789012")
        visitor.get_by_label("Kind of organisation").select_option("vocational-school")
        visitor.get_by_label("Your name").fill("Hanako Kikaku")
        visitor.get_by_label("Contact e-mail address").fill(APPLICANT)
        visitor.get_by_label("Documents").set_input_files(str(document))
        visitor.get_by_role("button", name="Apply").click()
        # A wrong check digit: said beside the field, nothing lost.
        expect(visitor.get_by_role("alert")).to_contain_text("check digit")
        expect(visitor.get_by_label("Contact e-mail address")).to_have_value(APPLICANT)
        visitor.get_by_label("Corporate number").fill("7123456789012")
        visitor.get_by_label("Documents").set_input_files(str(document))
        visitor.get_by_role("button", name="Apply").click()
        expect(visitor.get_by_role("status")).to_contain_text(APPLICANT)
    finally:
        visitor.context.close()

    operator = sign_in_through_form(new_tab(browser, locale="en-GB"), live.url, OPERATOR,
                                    "/workspace")
    try:
        operator.get_by_role("link", name="Console").first.click()
        expect(operator.get_by_role("heading", level=1)).to_have_text("Operator's console")
        assert_accessible(operator, "the console")
        operator.get_by_role("link", name="Applications waiting: 1").click()
        operator.get_by_role("link", name="Open the application of Tohoku Technical School"
                             ).click()
        assert_accessible(operator, "an application")
        expect(operator.get_by_role("link", name="registration.pdf")).to_be_visible()
        operator.get_by_label("The organisation's address name").fill(SLUG)
        operator.locator("#approve").click()
        expect(operator.get_by_role("status")).to_contain_text("The application is approved")
        expect(operator.locator("#application-status")).to_have_attribute("data-status",
                                                                          "approved")
        shot(operator, "console-application-approved-en")
    finally:
        operator.context.close()

    admin = new_tab(browser, locale="en-GB")
    # The e-mailed link names the server's public URL (localhost): the session is its.
    public = live.settings.public_url.rstrip("/")
    try:
        admin.goto(f"{live.url}/mailbox?to={APPLICANT}")
        link = admin.locator("a[href*='/invitations/']").first
        admin.goto(link.get_attribute("href") or "")
        admin.locator("#join-name").fill("Hanako Kikaku")
        admin.locator("#join-password").fill(CHOSEN)
        admin.locator("#join-password-again").fill(CHOSEN)
        admin.get_by_role("button", name="Create the account and join").click()
        admin.wait_for_url(f"{public}/workspace/{SLUG}**")
        # The organisation's key, a programme written and published, a credential issued.
        admin.goto(f"{public}/workspace/{SLUG}/keys")
        shot(admin, "console-provider-keys-en")
        expect(admin.get_by_role("heading", level=1)).to_have_text("Issuer keys")
        admin.get_by_role("button", name="Create the key").click()
        expect(admin.get_by_role("status")).to_contain_text("The key was created.")
        admin.goto(f"{public}/workspace/{SLUG}/programmes/new")
        admin.locator("#f-code").fill("TT-DATA-1")
        admin.locator("#f-title-ja").fill("データ活用入門")
        admin.locator("#f-title-en").fill("Introduction to data")
        admin.locator("#f-description-ja").fill("社会人向けの短期プログラム。")
        admin.locator("#f-description-en").fill("A short programme for working adults.")
        admin.locator("#f-assessment-methods-examination").check()
        admin.locator("#f-quality_assurance-0-kind").select_option("internal")
        admin.locator("#f-quality_assurance-0-scope").select_option("programme")
        admin.locator("#f-learner_effort-hours").fill("30")
        admin.locator("#f-learning_outcomes-0-statement-ja").fill("データを説明できる。")
        admin.locator("#f-learning_outcomes-0-statement-en").fill("Explain data.")
        admin.locator("#editor-save").click()
        expect(admin.locator("#editor-done")).to_contain_text("saved as a draft")
        admin.locator("#editor-publish").click()
        admin.locator("#publish-confirmed").click()
        expect(admin.locator("#editor-done")).to_have_text("✓ Published.")
        admin.goto(f"{public}/workspace/{SLUG}/issue")
        one = admin.get_by_role("form", name="Issue to one learner")
        one.get_by_label("Batch").fill("first")
        one.get_by_label("Name in Japanese").fill("渡辺 結衣")
        one.get_by_label("Name in English").fill("Yui Watanabe")
        one.get_by_label("E-mail address").fill("yui@example.jp")
        one.get_by_role("button", name="Issue the credential").click()
        admin.wait_for_url("**?done=issued")
        expect(admin.get_by_role("status")).to_contain_text("The credential was issued.")
        shot(admin, "console-provider-issued-en")
    finally:
        admin.context.close()


def test_the_console_fits_a_phone(browser: Browser, live: LiveServer) -> None:
    """Every console page at 390 px, in Japanese, without a serious axe finding."""
    tab = sign_in_through_form(phone_tab(browser), live.url, OPERATOR, "/console")
    try:
        for path in ("/join", "/console", "/console/applications", "/console/organisations",
                     "/console/people", "/console/reports", "/console/figures",
                     "/console/health"):
            tab.goto(f"{live.url}{path}")
            assert_accessible(tab, path)
            assert_fits_the_screen(tab, path)
        tab.goto(f"{live.url}/console/figures")
        shot(tab, "console-figures-phone-ja")
    finally:
        tab.context.close()
