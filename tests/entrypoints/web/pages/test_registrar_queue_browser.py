"""A request for a registrar's documents from end to end in Chromium (issue 56), in Japanese
and English at desk (1280 px) and phone (390 px) width: the student sends the form empty and
reads each field's problem, then asks; the registrar approves from the queue; the student
sees the delivery link; the addressee, without an account, opens it and sees the document
verified; the registrar reads the record's documents and their history. axe-core finds
nothing serious or critical on any of them and each fits its screen (screenshots in
``test-artifacts/screenshots/``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    new_tab,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.registrar_site import (
    ADDRESSEE,
    CLERK,
    SLUG,
    STUDENT,
    Site,
    registrar_site,
)
from tests.entrypoints.web.pages.test_registrar_queue import QUEUE
from tests.entrypoints.web.pages.wallet.test_document_requests import PATH

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(browser_store: Settings) -> Iterator[Site]:
    yield from registrar_site(browser_store)


@pytest.mark.parametrize(("language", "width"), [("ja", "desk"), ("en", "phone"),
                                                  ("en", "desk"), ("ja", "phone")])
def test_a_request_is_asked_approved_and_delivered(browser: Browser, site: Site,
                                                   language: str, width: str) -> None:
    from playwright.sync_api import expect

    size = PHONE if width == "phone" else {"width": 1280, "height": 900}
    locale = "ja-JP" if language == "ja" else "en-GB"
    name = f"registrar-request-{language}-{width}"
    student = new_tab(browser, locale=locale, **size)
    clerk = new_tab(browser, locale=locale, **size)
    addressee = new_tab(browser, locale=locale, **size)
    try:
        sign_in_through_form(student, site.live.url, STUDENT, PATH)
        student.goto(f"{site.live.url}{PATH}?lang={language}")
        expect(student.locator("html")).to_have_attribute("lang", language)
        student.locator("#ask-submit").click()
        expect(student.locator("#ask-errors")).to_be_visible()
        expect(student.locator("p.field-error")).to_have_count(4)
        assert_accessible_and_fitting(student, f"{name}-refused")

        student.locator("#ask-number").fill("20A1001")
        student.locator("#ask-birth_date").fill("2003-04-02")
        student.locator("#ask-kind-transcript").check()
        student.locator("#ask-language").select_option(language)
        student.locator("#ask-addressee").fill(ADDRESSEE)
        student.locator("#ask-submit").click()
        expect(student.locator("#request-done")).to_be_visible()
        asked = student.locator("[data-request]").first.get_attribute("data-request")
        assert asked
        expect(student.locator(f"#request-{asked}")).to_have_attribute("data-state", "pending")
        assert_accessible_and_fitting(student, f"{name}-asked")

        sign_in_through_form(clerk, site.live.url, CLERK, QUEUE)
        clerk.goto(f"{site.live.url}{QUEUE}?lang={language}")
        expect(clerk.locator(f"#request-{asked}")).to_be_visible()
        assert_accessible_and_fitting(clerk, f"{name}-queue")
        clerk.locator(f"#approve-{asked}").click()
        expect(clerk.locator("#queue-done")).to_be_visible()
        expect(clerk.locator(f"#request-{asked}")).to_have_count(0)

        student.goto(f"{site.live.url}{PATH}?lang={language}")
        card = student.locator(f"#request-{asked}")
        expect(card).to_have_attribute("data-state", "approved")
        link = card.locator("a[data-link]").get_attribute("href")
        assert link and "/delivery/" in link
        assert_accessible_and_fitting(student, f"{name}-approved")

        addressee.goto(link.replace(site.live.settings.public_url, site.live.url))
        expect(addressee.locator("#delivery-documents li")).to_have_count(1)
        expect(addressee.locator('#delivery-documents li[data-kind="transcript"]')
               ).to_have_attribute("data-outcome", "verified")
        expect(addressee.locator("#delivery-facts")).to_contain_text(ADDRESSEE)
        assert_accessible_and_fitting(addressee, f"{name}-delivery")

        clerk.goto(f"{site.live.url}/workspace/{SLUG}/records/20A1001/documents"
                   f"?lang={language}")
        expect(clerk.locator('tr[data-event="view"]').first).to_be_visible()
        expect(clerk.locator('[data-figure="views"]')).not_to_have_text("0")
        assert_accessible_and_fitting(clerk, f"{name}-documents")
    finally:
        for tab in (student, clerk, addressee):
            tab.context.close()
