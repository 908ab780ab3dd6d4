"""The verification page in a real browser: paste, upload (a credential, a baked badge, a file
too large), the verdict's headline, keyboard only, no JavaScript.

Chromium (Debian package ``chromium``) driven by Playwright against a live server on SQLite.
Screenshots go to ``test-artifacts/screenshots/`` for review.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from credstack.core.credentials.baking_svg import bake_svg
from credstack.settings import Settings
from tests.conftest import LiveServer, free_port, serve, wait_until
from tests.entrypoints.web.api.test_verification import StatusLists, status_server, with_status
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_fits_the_screen,
    axe_violations,
    choose_language,
    new_tab,
    phone_tab,
    shot,
)
from tests.entrypoints.web.pages.test_verification import nonconforming
from tests.signed_credentials import jwt, signed, signed_by_did_web, tampered

__all__ = ["status_server"]  # a fixture shared with the API's tests

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    """One server for the module's visitors: verifying a credential keeps nothing that
    another verification would read."""
    yield from serve(browser_store)


def verdict(page: Page) -> str | None:
    from playwright.sync_api import expect

    banner = page.locator("#verify-verdict")
    expect(banner).to_be_visible()
    return banner.get_attribute("data-verified")


def focused(page: Page) -> str:
    found: str = page.evaluate("document.activeElement?.id || document.activeElement?.tagName")
    return found


def test_a_visitor_pastes_a_credential_and_reads_the_verdict_in_place(
        live: LiveServer, page: Page) -> None:
    """htmx posts in place: the result appears, the live region speaks, focus moves to it."""
    from playwright.sync_api import expect

    page.goto(live.url + "/")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="証明書の検証").click()
    page.wait_for_url("**/verify")
    assert page.locator("html").get_attribute("lang") == "ja"
    shot(page, "verify-form-ja")

    page.get_by_label("証明書を貼り付ける").fill(json.dumps(signed(), ensure_ascii=False))
    page.get_by_role("button", name="検証する").click()
    assert verdict(page) == "true"
    assert page.url == live.url + "/verify", "htmx swapped the result in; no navigation"
    expect(page.locator("#verify-status")).to_have_text("検証結果：検証済み")
    wait_until(page, "document.activeElement?.id === 'verify-result-title'")
    expect(page.locator("#verify-verdict")).to_contain_text("検証済み")
    assert page.get_by_role("table", name="証明書の記述子による各枠組みプロファイルへの適合"
                            ).locator("tbody tr").count() == 5
    shot(page, "verify-verified-ja")

    page.get_by_label("証明書を貼り付ける").fill(json.dumps(tampered()))
    page.get_by_role("button", name="検証する").click()
    expect(page.locator("#verify-verdict")).to_have_attribute("data-verified", "false")
    expect(page.locator("#verify-status")).to_have_text("検証結果：検証に失敗しました")
    expect(page.locator("#verify-verdict")).to_contain_text("署名の後に内容が変更されています")
    expect(page.locator("tr[data-check=proof]")).to_contain_text("不合格")
    shot(page, "verify-not-verified-ja")


def test_a_visitor_switches_to_english_and_verifies_there(live: LiveServer, page: Page
                                                         ) -> None:
    from playwright.sync_api import expect

    page.goto(live.url + "/verify")
    choose_language(page, "English")
    page.wait_for_url("**/verify?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Verify a credential"
    page.get_by_label("Paste the credential").fill(json.dumps(tampered()))
    page.get_by_role("button", name="Verify", exact=True).click()
    assert verdict(page) == "false"
    expect(page.locator("#verify-verdict")).to_contain_text("Not verified")
    expect(page.locator("#verify-verdict")).to_contain_text("Changed after signing")
    expect(page.locator("tr[data-check=proof]")).to_contain_text("the signature does not verify")
    shot(page, "verify-not-verified-en")


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_keyboard_only_a_visitor_tabs_types_and_submits(live: LiveServer, page: Page,
                                                        key: str) -> None:
    """Tab reaches the textarea; the credential goes in; Tab to the button; Enter/Space."""
    page.goto(live.url + "/verify")
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page) == "credential":
            break
    assert focused(page) == "credential", "Tab reaches the textarea"
    page.keyboard.insert_text(jwt())
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement?.type") == "submit":
            break
    assert page.evaluate("document.activeElement?.type") == "submit"
    box = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert box != "none", "the focused button shows its focus"
    page.keyboard.press(key)
    assert verdict(page) == "true"
    wait_until(page, "document.activeElement?.id === 'verify-result-title'")
    if key == "Enter":
        shot(page, "verify-keyboard-ja")


def test_a_visitor_uploads_a_file(live: LiveServer, page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    badge = tmp_path / "badge.json"
    badge.write_text(json.dumps(signed(), ensure_ascii=False), encoding="utf-8")
    page.goto(live.url + "/verify")
    page.get_by_label("またはファイルを選ぶ").set_input_files(str(badge))
    page.get_by_role("button", name="検証する").click()
    assert verdict(page) == "true"
    expect(page.locator("#verify-result")).to_contain_text(
        "アップロードされたファイル「badge.json」を検証しました。")

    picture = tmp_path / "badge.gif"
    picture.write_bytes(b"GIF89a\xff\xfe\x00")
    page.get_by_label("またはファイルを選ぶ").set_input_files(str(picture))
    page.get_by_role("button", name="検証する").click()
    expect(page.locator("#verify-problem")).to_contain_text("UTF-8 のテキストでも")
    expect(page.locator("#verify-status")).to_have_text("入力を確認してください")
    shot(page, "verify-problem-ja")


def test_a_visitor_uploads_a_badge_image_and_reads_who_earned_what(
        live: LiveServer, page: Page, tmp_path: Path) -> None:
    """The file picker takes a badge with the credential baked in; the headline names them."""
    from playwright.sync_api import expect

    badge = tmp_path / "badge.svg"
    badge.write_bytes(bake_svg(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                               b'height="10"/>', json.dumps(signed(), ensure_ascii=False)))
    page.goto(live.url + "/verify")
    assert ".svg" in (page.get_by_label("またはファイルを選ぶ").get_attribute("accept") or "")
    page.get_by_label("またはファイルを選ぶ").set_input_files(str(badge))
    page.get_by_role("button", name="検証する").click()
    assert verdict(page) == "true"
    expect(page.locator(".verdict-banner__statement")).to_have_text(
        "火の国工業高等専門学校が山田花子に授与した「半導体製造装置の保全技術」です。")
    shot(page, "verify-badge-image-ja")


def test_a_file_too_large_is_told_in_place_with_and_without_javascript(
        live: LiveServer, page: Page, browser: Browser, tmp_path: Path) -> None:
    """Not a silent failure: htmx swaps the message in; a plain post gets the page with it."""
    from playwright.sync_api import expect

    huge = tmp_path / "certificate.pdf"
    huge.write_bytes(b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    page.goto(live.url + "/verify")
    page.get_by_label("またはファイルを選ぶ").set_input_files(str(huge))
    page.get_by_role("button", name="検証する").click()
    expect(page.locator("#verify-problem")).to_contain_text("ファイルが大きすぎます")
    expect(page.locator("#verify-status")).to_have_text("入力を確認してください")
    shot(page, "verify-too-large-ja")

    tab = new_tab(browser, locale="en-GB", javascript=False)
    try:
        tab.goto(live.url + "/verify")
        tab.get_by_label("Or choose a file").set_input_files(str(huge))
        with tab.expect_navigation() as navigation:
            tab.get_by_role("button", name="Verify", exact=True).click()
        response = navigation.value
        assert response is not None and response.status == 413
        expect(tab.locator("#verify-problem")).to_contain_text(
            "The file is too large: this server accepts uploads of up to 1 MB.")
    finally:
        tab.context.close()


def test_a_credential_with_shape_findings_verifies_with_warnings_unless_strict(
        live: LiveServer, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(live.url + "/verify?lang=en")
    page.get_by_label("Paste the credential").fill(json.dumps(nonconforming()))
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.locator("#verify-verdict")).to_have_attribute(
        "data-outcome", "verified-with-warnings")
    expect(page.locator("#verify-verdict")).to_contain_text("Verified, with warnings")
    expect(page.locator("#verify-verdict")).to_contain_text(
        "It does not follow the Open Badges 3.0 rules")
    expect(page.locator("tr[data-check=open-badges]")).to_contain_text("Warning")
    shot(page, "verify-with-warnings-en")
    page.get_by_label("Strict: fail a credential that does not follow the Open Badges 3.0 "
                      "rules").check()
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.locator("#verify-verdict")).to_have_attribute("data-outcome", "not-verified")
    expect(page.locator("#verify-status")).to_have_text("Result: not verified")


def test_a_revoked_credential_says_so_and_no_row_reads_valid_now(
        live: LiveServer, page: Page, status_server: StatusLists) -> None:
    from playwright.sync_api import expect

    page.goto(live.url + "/verify")
    page.get_by_label("証明書を貼り付ける").fill(
        json.dumps(with_status(status_server, revoked=True), ensure_ascii=False))
    page.get_by_role("button", name="検証する").click()
    assert verdict(page) == "false"
    expect(page.locator("#verify-verdict")).to_contain_text("発行者により失効されています")
    expect(page.locator("tr[data-check=validity]")).to_contain_text("有効期間内です")
    expect(page.locator("#verify-result")).not_to_contain_text("現在有効")
    shot(page, "verify-revoked-ja")


def test_without_javascript_the_form_posts_and_the_page_shows_the_result(
        live: LiveServer, browser: Browser, tmp_path: Path) -> None:
    """A plain POST: the whole page comes back, scrolled to the result, its heading focused."""
    tab = new_tab(browser, locale="en-GB", javascript=False)
    try:
        tab.goto(live.url + "/verify")
        tab.get_by_label("Paste the credential").fill(json.dumps(signed()))
        tab.get_by_role("button", name="Verify", exact=True).click()
        tab.wait_for_url("**/verify#verify-result-title")
        assert verdict(tab) == "true"
        wait_until(tab, "document.activeElement?.id === 'verify-result-title'")
        assert tab.locator("#verify-status").inner_text() == "Result: verified"
        assert tab.get_by_label("Paste the credential").input_value().startswith("{")
        shot(tab, "verify-verified-no-js-en")

        tab.get_by_label("Paste the credential").fill("not a credential")
        with tab.expect_navigation() as navigation:
            tab.get_by_role("button", name="Verify", exact=True).click()
        response = navigation.value
        assert response is not None and response.status == 422
        assert "neither a JSON credential nor a compact JWS" in tab.locator(
            "#verify-problem").inner_text()

        badge = tmp_path / "badge.jwt"
        badge.write_text(jwt(), encoding="utf-8")
        tab.get_by_label("Paste the credential").fill("")
        tab.get_by_label("Or choose a file").set_input_files(str(badge))
        tab.get_by_role("button", name="Verify", exact=True).click()
        tab.wait_for_load_state()
        assert verdict(tab) == "true"
    finally:
        tab.context.close()


def test_the_result_fits_a_phone_screen(live: LiveServer, browser: Browser) -> None:
    """At 390 px nothing but the labelled table regions scrolls sideways."""
    tab = phone_tab(browser)
    try:
        tab.goto(live.url + "/verify")
        tab.get_by_label("証明書を貼り付ける").fill(json.dumps(tampered()))
        tab.get_by_role("button", name="検証する").click()
        assert verdict(tab) == "false"
        assert_fits_the_screen(tab, "the result")
        shot(tab, "verify-not-verified-phone-ja")
    finally:
        tab.context.close()


@pytest.mark.parametrize(("language", "title", "status", "reason"), [
    ("ja", "確認できませんでした（未判定）", "検証結果：確認できませんでした（未判定）",
     "発行者のサイト（localhost:"),
    ("en", "Could not be checked", "Result: could not be checked",
     "The issuer's site (localhost:"),
])
def test_a_credential_whose_issuer_cannot_be_reached_could_not_be_checked(
        live: LiveServer, page: Page, monkeypatch: pytest.MonkeyPatch, language: str,
        title: str, status: str, reason: str) -> None:
    """The issuer's did:web document is on a loopback port where nothing listens: the banner
    has a word, a sign and a colour of its own — neither the red ✗ of a forgery nor the green
    of verified —, the reason in plain words; the DID and the technical reason wait in a
    closed <details>. axe-core finds nothing serious."""
    from playwright.sync_api import expect

    monkeypatch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
    did = f"did:web:localhost%3A{free_port()}"
    page.goto(live.url + f"/verify?lang={language}")
    page.locator("#credential").fill(json.dumps(signed_by_did_web(did), ensure_ascii=False))
    page.locator("form button[type=submit]").first.click()
    banner = page.locator("#verify-verdict")
    expect(banner).to_have_attribute("data-outcome", "could-not-be-checked")
    expect(banner).to_have_attribute("data-verified", "false")
    expect(banner).to_have_class("verdict-banner verdict-banner--undecided")
    expect(banner.locator(".verdict-banner__title")).to_have_text(title)
    expect(banner.locator(".verdict-banner__icon")).to_have_text("?")
    expect(banner).to_contain_text(reason)
    expect(page.locator("#verify-status")).to_have_text(status)
    assert did not in banner.inner_text() and "Errno" not in banner.inner_text()
    details = page.locator("#verify-details")
    assert details.get_attribute("open") is None, "the details wait, closed"
    expect(details).to_contain_text(did)
    expect(details.locator("tr[data-check=proof]")).to_contain_text("key-out-of-reach")
    undecided = banner.evaluate("e => getComputedStyle(e).backgroundColor")
    shot(page, f"verify-undecided-{language}")
    found = axe_violations(page)
    assert found == [], found
    page.locator("#credential").fill(json.dumps(tampered()))
    page.locator("form button[type=submit]").first.click()
    expect(banner).to_have_attribute("data-outcome", "not-verified")
    expect(banner).to_have_class("verdict-banner verdict-banner--not-verified")
    forged = banner.evaluate("e => getComputedStyle(e).backgroundColor")
    page.locator("#credential").fill(json.dumps(signed()))
    page.locator("form button[type=submit]").first.click()
    expect(banner).to_have_attribute("data-outcome", "verified")
    # The colour is read once the class too has settled (htmx swaps attributes in place).
    expect(banner).to_have_class("verdict-banner verdict-banner--verified")
    verified = banner.evaluate("e => getComputedStyle(e).backgroundColor")
    assert len({undecided, forged, verified}) == 3, (undecided, forged, verified)


def within_first_screen(tab: Page, selector: str) -> bool:
    """Whether the element ``selector`` names lies wholly inside the tab's viewport."""
    inside: bool = tab.locator(selector).evaluate(
        "e => { const box = e.getBoundingClientRect();"
        " return box.top >= 0 && box.bottom <= window.innerHeight; }")
    return inside


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
@pytest.mark.parametrize("screen", [{"width": 1280, "height": 800}, PHONE],
                         ids=["desk", "phone"])
def test_after_a_verification_its_result_is_what_the_visitor_sees_first(
        live: LiveServer, browser: Browser, screen: dict[str, int], javascript: bool) -> None:
    """Whether the form was posted in place (htmx) or as a page, the result comes before the
    form, its heading and the whole verdict (with its statement of who earned what) stand in
    the screen, the heading has the focus (screen readers start there), and axe-core finds
    nothing serious."""
    from playwright.sync_api import expect

    tab = new_tab(browser, javascript=javascript, **screen)
    try:
        tab.goto(live.url + "/verify")
        tab.locator("#credential").fill(json.dumps(signed(), ensure_ascii=False))
        tab.locator("form.verify-form button[type=submit]").click()
        expect(tab.locator("#verify-verdict")).to_have_attribute("data-verified", "true")
        wait_until(tab, "document.activeElement?.id === 'verify-result-title'")
        assert tab.evaluate(
            "document.querySelector('#verify-result').compareDocumentPosition("
            "document.querySelector('form.verify-form')) & Node.DOCUMENT_POSITION_FOLLOWING"
        ), "the result comes before the form"
        for part in ("#verify-result-title", "#verify-verdict",
                     "#verify-verdict .verdict-banner__statement"):
            assert within_first_screen(tab, part), (part, tab.evaluate("window.scrollY"))
        if javascript:
            # axe-core is a script: it runs where scripts do (the page without them has the
            # stored credential's layout, which its own browser tests check with axe).
            found = axe_violations(tab)
            assert found == [], found
        shot(tab, f"verify-result-first-{screen['width']}-{'js' if javascript else 'no-js'}",
             full_page=False)
    finally:
        tab.context.close()
