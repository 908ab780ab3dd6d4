"""A request for a registrar's documents from end to end in Chromium (issue 56), in Japanese
and English at desk (1280 px) and phone (390 px) width: the student sends the form empty and
reads each field's problem, then asks; the registrar approves from the queue; the student
sees the delivery link; the addressee, without an account, opens it and sees the document
verified; the registrar reads the record's documents and their history; once the degree is
issued, the registrar downloads its sealed European Digital Credential from the record's
documents page in either language. axe-core finds nothing serious or critical on any of them
and each fits its screen (screenshots in ``test-artifacts/screenshots/``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from credstack.core.elm import jades
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.conftest import store_environment
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


@pytest.fixture(scope="module")
def degree(site: Site) -> str:
    """The student's degree issued (``credstack registrar-documents issue``): the record's
    documents page then offers its EDC."""
    issued = CliRunner().invoke(app, [
        "registrar-documents", "issue", "20A1001", "--organisation", SLUG,
        "--kind", "degree", "--form", "vc", "--out", str(site.live.settings.data_dir / "out")],
        env=store_environment(site.live.settings, secret=site.live.settings.secret_key))
    assert issued.exit_code == 0, issued.output
    return "20A1001"


@pytest.mark.parametrize(("language", "width"), [("ja", "desk"), ("en", "phone"),
                                                  ("en", "desk"), ("ja", "phone")])
def test_the_degree_is_downloaded_as_a_sealed_edc_from_the_documents_page(
        browser: Browser, site: Site, degree: str, language: str, width: str) -> None:
    """The record's documents page, once the degree is issued, offers its European Digital
    Credential Japanese-first and English-first (each link saying so in the page's
    language); the registrar downloads each by keyboard and gets a JAdES seal whose
    signature holds over an ELM qualification of the student's degree."""
    from playwright.sync_api import expect

    size = PHONE if width == "phone" else {"width": 1280, "height": 900}
    clerk = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", **size)
    try:
        documents = f"/workspace/{SLUG}/records/{degree}/documents"
        sign_in_through_form(clerk, site.live.url, CLERK, documents)
        clerk.goto(f"{site.live.url}{documents}?lang={language}")
        section = clerk.locator("#degree-edc")
        expect(section).to_be_visible()
        expect(section.locator("#edc-title")).to_have_text(
            "欧州デジタル資格証明（EDC）" if language == "ja" else "European Digital Credential")
        expect(section.locator("a[data-edc]")).to_have_text(
            ["EDC をダウンロード（日本語を主に）", "EDC をダウンロード（英語を主に）"]
            if language == "ja" else
            ["Download the EDC (Japanese first)", "Download the EDC (English first)"])
        assert_accessible_and_fitting(clerk, f"registrar-edc-{language}-{width}")
        for first in ("ja", "en"):
            link = section.locator(f'a[data-edc="{first}"]')
            expect(link).to_have_attribute("hreflang", first)
            with clerk.expect_download() as download:
                link.focus()
                clerk.keyboard.press("Enter")
            path = download.value.path()
            document = json.loads(Path(path).read_bytes())
            seal = jades.read_seal(document)
            jades.verify_signature(document, seal)
            credential = json.loads(seal.payload)
            claim = credential["credentialSubject"]["hasClaim"][0]
            assert claim["specifiedBy"]["type"] == "Qualification"
            assert claim["specifiedBy"]["title"]["ja"] == "学士（工学）"
            assert credential["credentialSubject"]["identifier"][0]["notation"] == degree
    finally:
        clerk.context.close()
