"""The workspace in a real browser: a provider admin invites a new member (with the keyboard
alone), the member opens the link in their own browser, makes their account and joins; the
admin changes the member's role, makes an API client and rotates a key; the outbox is read,
filtered and its sender named with the keyboard alone; a logo is uploaded (a hostile one
refused first) and shows on the provider page. axe-core finds nothing serious or
critical on any workspace page nor on the invitation's page, and each fits a phone's screen
(screenshots in ``test-artifacts/screenshots/``).

Chromium (Debian package ``chromium``) driven by Playwright against the live server of
:mod:`tests.entrypoints.web.pages.test_workspace_pages`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.accounts import PASSWORD
from tests.conftest import LiveServer
from tests.core.images.test_logos import SVG, raster
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_fits_the_screen,
    axe_violations,
    new_tab,
    phone_tab,
    shot,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_workspace_pages import ADMIN, ORG, live

__all__ = ["live"]  # the module's server, shared with the HTTP tests' fixture

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

NEWCOMER = "journey@example.jp"
PAGES = ("members", "clients", "keys", "authority", "profile", "mail")


def assert_accessible(tab: Page, what: str) -> None:
    found = axe_violations(tab)
    assert found == [], f"{what}: {found}"


def focus(tab: Page, selector: str, *, presses: int = 60) -> None:
    """Press Tab until the element ``selector`` has the focus."""
    for _ in range(presses):
        if tab.evaluate(f"document.activeElement?.matches({json.dumps(selector)})"):
            return
        tab.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_an_admin_invites_a_member_who_joins_and_the_admin_manages_them(
        browser: Browser, live: LiveServer) -> None:
    from playwright.sync_api import expect

    members = f"/workspace/{ORG}/members"
    admin = sign_in_through_form(new_tab(browser), live.url, ADMIN, members)
    newcomer = new_tab(browser, locale="en-GB")
    try:
        assert_accessible(admin, "the members page")
        # The invitation, with the keyboard alone.
        focus(admin, "#invite-email")
        admin.keyboard.type(NEWCOMER)
        admin.keyboard.press("Tab")
        assert admin.evaluate("document.activeElement.id") == "invite-role"
        admin.keyboard.press("ArrowDown")  # 組織管理者 → 発行担当者
        focus(admin, "form[action$='/members/invitations'] button[type=submit]", presses=3)
        outline = admin.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "the focused button shows its focus"
        admin.keyboard.press("Enter")
        link = admin.locator("#invitation-url")
        expect(link).to_be_visible()
        url = link.input_value()
        expect(admin.locator("#invitation-made")).to_contain_text("発行担当者")
        assert_accessible(admin, "the members page with a new invitation")
        shot(admin, "workspace-members-invited-ja")

        # The member opens the link in their own browser and makes their account.
        newcomer.goto(live.url + url[url.index("/invitations/"):])
        expect(newcomer.get_by_role("heading", level=1)).to_have_text(
            "Invitation to join an organisation")
        assert_accessible(newcomer, "the invitation's page")
        newcomer.locator("#join-name").fill("Journey Jo")
        newcomer.locator("#join-password").fill(PASSWORD)
        newcomer.locator("#join-password-again").fill(PASSWORD)
        newcomer.get_by_role("button", name="Create the account and join").click()
        newcomer.wait_for_url(f"**/workspace/{ORG}")
        expect(newcomer.locator("main")).to_contain_text("Your roles: Issuer")
        assert_accessible(newcomer, "the new member's workspace")

        # The admin changes the new member's role.
        admin.goto(live.url + members)
        row = admin.locator(f"tr[data-email='{NEWCOMER}']")
        expect(row).to_contain_text("Journey Jo")
        row.locator("select").select_option("learner")
        row.get_by_role("button", name="役割を変更").click()
        expect(admin.get_by_role("status")).to_have_text("役割を変更しました。")
        expect(admin.locator(f"tr[data-email='{NEWCOMER}'] select")).to_have_value("learner")

        # An API client, its secret shown once.
        admin.goto(f"{live.url}/workspace/{ORG}/clients")
        assert_accessible(admin, "the API clients page")
        admin.locator("#client-name").fill("Journey LMS")
        admin.get_by_label("credentials:issue", exact=False).check()
        admin.get_by_role("button", name="作成").click()
        expect(admin.locator("#new-client-secret")).to_be_visible()
        assert_accessible(admin, "the API clients page with a new client")

        # A key rotated.
        admin.goto(f"{live.url}/workspace/{ORG}/keys")
        assert_accessible(admin, "the keys page")
        before = admin.locator("article[data-active='no']").count()
        admin.locator("article[data-active='yes'] form button").first.click()
        expect(admin.get_by_role("status")).to_have_text("鍵をローテーションしました。")
        expect(admin.locator("article[data-active='no']")).to_have_count(before + 1)

        for part in ("authority", "profile"):
            admin.goto(f"{live.url}/workspace/{ORG}/{part}")
            assert_accessible(admin, f"the {part} page")
        admin.goto(f"{live.url}/workspace")
        assert_accessible(admin, "the workspace")
    finally:
        admin.context.close()
        newcomer.context.close()


def test_the_workspace_fits_a_phone(browser: Browser, live: LiveServer) -> None:
    tab = phone_tab(browser)
    try:
        tab.goto(f"{live.url}/sign-in?next=/workspace/{ORG}")
        tab.locator("#email").fill(ADMIN)
        tab.locator("#password").fill(PASSWORD)
        tab.locator("main form").get_by_role("button").click()
        tab.wait_for_url(f"**/workspace/{ORG}")
        assert_fits_the_screen(tab, "the organisation's home")
        shot(tab, "workspace-home-phone-ja")
        for part in PAGES:
            tab.goto(f"{live.url}/workspace/{ORG}/{part}")
            assert_fits_the_screen(tab, f"the {part} page")
            shot(tab, f"workspace-{part}-phone-ja")
    finally:
        tab.context.close()


@pytest.mark.parametrize("locale", ["ja-JP", "en-GB"])
def test_an_organisations_card_has_no_empty_band_above_its_name(browser: Browser,
                                                                live: LiveServer,
                                                                locale: str) -> None:
    """On /workspace at 390 px, an organisation's name begins near its card's top edge, as a
    wallet card's title does (it stood under a band as tall as a line; issue 51, small)."""
    tab = sign_in_through_form(new_tab(browser, locale=locale, **PHONE, is_mobile=True),
                               live.url, ADMIN, "/workspace")
    try:
        gap = tab.evaluate("""() => {
            const card = document.querySelector('main .wallet-card');
            const name = card.querySelector('h2');
            return name.getBoundingClientRect().top - card.getBoundingClientRect().top;
        }""")
        assert 0 < gap <= 20, f"{gap} px above the organisation's name"
        assert_accessible(tab, "the workspace list")
        assert_fits_the_screen(tab, "the workspace list")
    finally:
        tab.context.close()


def test_the_outbox_is_filtered_and_its_sender_named_with_the_keyboard_alone(
        browser: Browser, live: LiveServer) -> None:
    """An invitation's e-mail waits in the outbox; the state filter (a GET form) and the
    sender name form are used with the keyboard; axe finds nothing serious on each state of
    the page, in Japanese and in English."""
    from playwright.sync_api import expect

    outbox = f"/workspace/{ORG}/mail"
    admin = sign_in_through_form(new_tab(browser), live.url, ADMIN, f"/workspace/{ORG}/members")
    english = sign_in_through_form(new_tab(browser, locale="en-GB"), live.url, ADMIN, outbox)
    try:
        admin.locator("#invite-email").fill("outbox-journey@example.jp")
        admin.locator("form[action$='/members/invitations'] button[type=submit]").click()
        expect(admin.locator("#invitation-url")).to_be_visible()
        admin.goto(live.url + outbox)
        row = admin.locator("tr[data-state='pending']", has_text="outbox-journey@example.jp")
        expect(row).to_have_count(1)
        assert_accessible(admin, "the outbox")
        shot(admin, "workspace-mail-ja")

        focus(admin, "#mail-state")
        admin.keyboard.press("ArrowDown")  # すべて → 送信待ち
        admin.keyboard.press("ArrowDown")  # 送信待ち → 送信済み
        focus(admin, "form[action$='/mail'] button[type=submit]", presses=3)
        admin.keyboard.press("Enter")
        admin.wait_for_url("**/mail?state=sent")
        expect(admin.locator("main")).to_contain_text("該当するメールはありません。")
        assert_accessible(admin, "the outbox filtered to sent e-mail")

        focus(admin, "#sender-name")
        admin.keyboard.type("北都工科大学 MC 事務局")
        admin.keyboard.press("Enter")
        expect(admin.locator(".notice--ok[role=status]")).to_have_text("差出人名を保存しました。")
        expect(admin.locator("#sender-name")).to_have_value("北都工科大学 MC 事務局")
        assert_accessible(admin, "the outbox with its sender named")

        english.reload()
        expect(english.get_by_role("heading", level=1)).to_contain_text("E-mail sent")
        assert_accessible(english, "the outbox in English")
        shot(english, "workspace-mail-en")
    finally:
        admin.context.close()
        english.context.close()


def test_a_logo_is_uploaded_with_the_keyboard_and_shown_on_the_provider_page(
        browser: Browser, live: LiveServer, tmp_path: Path) -> None:
    """Choosing the file is the one step for the mouse; a refused SVG is said beside the form
    and marked invalid; the accepted logo shows on the profile and on the public provider
    page; axe finds nothing serious on either, in each state."""
    from playwright.sync_api import expect

    hostile = tmp_path / "hostile.svg"
    hostile.write_text(SVG.replace("</svg>", "<script>alert(1)</script></svg>"))
    good = tmp_path / "logo.png"
    good.write_bytes(raster("PNG"))
    admin = sign_in_through_form(new_tab(browser), live.url, ADMIN, f"/workspace/{ORG}/profile")
    try:
        for chosen in (hostile, good):
            admin.locator("#logo-file").set_input_files(str(chosen))
            admin.locator("#logo-file").focus()
            focus(admin, "#logo-submit", presses=5)
            admin.keyboard.press("Enter")
            admin.wait_for_load_state()
            if chosen is hostile:
                expect(admin.locator("#logo-error")).to_contain_text("<script>")
                expect(admin.locator("#logo-file")).to_have_attribute("aria-invalid", "true")
                assert_accessible(admin, "the profile with a refused logo")
        expect(admin.locator(".notice--ok[role=status]")).to_have_text("ロゴを登録しました。")
        expect(admin.locator("#current-logo")).to_be_visible()
        assert admin.evaluate("document.querySelector('#current-logo').naturalWidth") > 0
        assert_accessible(admin, "the profile with its logo")
        shot(admin, "workspace-profile-logo-ja")
        admin.goto(f"{live.url}/providers/{ORG}")
        expect(admin.locator("#provider-logo")).to_be_visible()
        assert_accessible(admin, "the provider page with its logo")
        assert_fits_the_screen(admin, "the provider page with its logo")
        shot(admin, "provider-logo-ja")
    finally:
        admin.context.close()
