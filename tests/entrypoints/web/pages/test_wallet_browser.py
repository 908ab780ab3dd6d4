"""The learner's wallet in a real browser: a learner signs in, adds the identifier a foreign
credential names, imports it and a baked badge of their own, tags it, puts it in a
collection, filters the record; shares a link that an employer opens in a fresh browser
context (with the access code), and presents a credential to a verifier; on a phone's
screen (375 px) too; with the keyboard alone; a credential that could not be checked wears
its own word and colour (ja and en); and axe-core finds nothing serious or critical on any
wallet page, nor on the shared page.

Chromium (Debian package ``chromium``) driven by Playwright against one live server on SQLite
for the module (see :mod:`tests.entrypoints.web.pages.test_wallet_pages` for what it holds);
the foreign credential is the Digital Credentials Consortium's Teamwork badge from
``../shared/ref/wild``, read at run time. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests import patiently
from tests.accounts import add_user
from tests.conftest import LiveServer, keyed_sqlite, serve
from tests.entrypoints.web.pages.conftest import (
    assert_fits_the_screen,
    axe_violations,
    demo_phone_tab,
    new_tab,
    shot,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_wallet_pages import (
    NOBODYS,
    TEAMWORK,
    TEAMWORK_SUBJECT,
    Wallets,
    dcc,
    email,
    wallets,
)
from tests.signed_credentials import signed_by_did_web

__all__ = ["wallets"]  # the module's server, shared with the HTTP tests' fixture

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: Where an import that went in leads: the credential's page, saying so.
IMPORTED = re.compile(r"/wallet/credentials/[0-9a-f]{32}\?done=imported#credential-title$")
HELD = re.compile(r"/wallet/credentials/[0-9a-f]{32}\?done=already#credential-title$")


def signed_in(browser: Browser, wallets: Wallets, name: str, **options: Any) -> Page:
    """A tab of ``name``'s, signed in and on their record."""
    return sign_in_through_form(new_tab(browser, **options), wallets.live.url, email(name),
                                "/wallet")


def assert_accessible(tab: Page, what: str) -> None:
    found = axe_violations(tab)
    assert found == [], f"{what}: {found}"


def credential_page_of(tab: Page) -> str:
    """The path of the page the tab is on (a credential's, without its notice)."""
    return urlsplit(tab.url).path


def test_a_learner_imports_organises_and_reads_their_record(
        browser: Browser, wallets: Wallets, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    teamwork = tmp_path / "teamwork.json"
    teamwork.write_bytes(dcc(TEAMWORK))
    tab = signed_in(browser, wallets, "hanako")
    try:
        expect(tab.get_by_role("navigation", name="アカウント").get_by_role(
            "link", name="ウォレット")).to_have_attribute("aria-current", "page")
        expect(tab.locator("article.wallet-card")).to_have_count(1)  # issued here, delivered
        assert_accessible(tab, "the record")
        shot(tab, "wallet-record-ja")

        # The foreign badge names its learner by a DID: refused until the DID is added.
        tab.get_by_label("ファイル", exact=True).set_input_files(str(teamwork))
        tab.get_by_role("button", name="取り込む").click()
        expect(tab.locator("#import-error")).to_contain_text("他の方に発行されています")
        assert_accessible(tab, "the record with a refusal")
        tab.locator("#import-error").get_by_role("link", name="識別子を追加する").click()
        tab.get_by_label("種類").select_option("did")
        tab.get_by_label("識別子", exact=True).fill(TEAMWORK_SUBJECT)
        tab.get_by_role("button", name="追加する").click()
        expect(tab.get_by_role("status")).to_contain_text("識別子を追加しました")
        assert_accessible(tab, "the identifiers")
        shot(tab, "wallet-identifiers-ja")

        tab.get_by_role("navigation", name="ウォレットのページ").get_by_role(
            "link", name="学修歴").click()
        tab.get_by_label("ファイル", exact=True).set_input_files(str(teamwork))
        tab.get_by_role("button", name="取り込む").click()
        tab.wait_for_url(IMPORTED)
        expect(tab.locator("h1")).to_have_text("Teamwork")
        expect(tab.locator("#verify-verdict")).to_have_attribute("data-verified", "true")
        assert_accessible(tab, "a credential")
        shot(tab, "wallet-credential-ja")
        teamwork_page = credential_page_of(tab)

        tab.get_by_label("タグ", exact=True).fill("チーム, 2026")
        tab.get_by_label("メモ（非公開）").fill("面接で話す")
        tab.get_by_role("button", name="保存する").click()
        expect(tab.get_by_role("status")).to_have_text("タグとメモを保存しました。")
        tab.get_by_label("新しいコレクションの名前").fill("就職活動")
        tab.get_by_role("button", name="入れる").click()
        expect(tab.get_by_role("status")).to_have_text("コレクションに入れました。")
        expect(tab.locator("section[aria-labelledby=collections-title]")).to_contain_text(
            "就職活動")

        # A baked badge of the learner's own credential, downloaded and added back: it is
        # the credential the wallet holds, not a second one (issue 51).
        issued = wallets.issued["hanako"]
        image = tab.request.get(f"{wallets.live.url}/api/credentials/{issued}/baked.png")
        badge = tmp_path / "badge.png"
        badge.write_bytes(image.body())
        tab.goto(wallets.live.url + "/wallet")
        tab.get_by_label("ファイル", exact=True).set_input_files(str(badge))
        tab.get_by_role("button", name="取り込む").click()
        tab.wait_for_url(HELD)
        expect(tab.get_by_role("status")).to_contain_text("すでにウォレットにあります")
        expect(tab.locator("#verify-verdict")).to_have_attribute("data-verified", "true")
        tab.get_by_role("link", name="この証明書を削除…").click()
        expect(tab.locator("h1")).to_have_text("この証明書を削除しますか？")
        assert_accessible(tab, "deleting, asked first")
        tab.get_by_role("link", name="削除しない").click()

        tab.goto(wallets.live.url + "/wallet")
        expect(tab.locator("article.wallet-card")).to_have_count(2)
        tab.get_by_label("タグ", exact=True).select_option("チーム")
        tab.get_by_role("button", name="表示する").click()
        expect(tab.locator("article.wallet-card")).to_have_count(1)
        expect(tab.locator("#filter-status")).to_contain_text("2 件中 1 件を表示しています")
        tab.locator("article.wallet-card h3 a").click()
        assert credential_page_of(tab) == teamwork_page

        tab.goto(wallets.live.url + "/wallet/collections")
        expect(tab.get_by_role("heading", name="就職活動")).to_be_visible()
        assert_accessible(tab, "the collections")
        shot(tab, "wallet-collections-ja")
        tab.goto(wallets.live.url + "/wallet?lang=en")
        expect(tab.locator("h1")).to_have_text("Your wallet and learning record")
        assert_accessible(tab, "the record in English")
    finally:
        tab.context.close()


def test_every_wallet_page_fits_a_phone(browser: Browser, wallets: Wallets) -> None:
    tab = signed_in(browser, wallets, "saburo", width=375, height=812, is_mobile=True,
                    has_touch=True, device_scale_factor=2)
    try:
        own = tab.locator("article.wallet-card").first.get_attribute("data-id")
        for path, name in [("/wallet", "record"), (f"/wallet/credentials/{own}", "credential"),
                           (f"/wallet/credentials/{own}/delete", "delete"),
                           ("/wallet/collections", "collections"),
                           ("/wallet/identifiers", "identifiers"),
                           ("/wallet/shares", "shares"), ("/wallet/present", "present")]:
            tab.goto(wallets.live.url + path)
            assert_fits_the_screen(tab, path)
            shot(tab, f"wallet-phone-{name}-ja")
        assert_accessible(tab, "the identifiers on a phone")
    finally:
        tab.context.close()


def focus(tab: Page, selector: str, *, presses: int = 40) -> None:
    """Press Tab until the element ``selector`` has the focus."""
    for _ in range(presses):
        if tab.evaluate(f"document.activeElement?.matches({json.dumps(selector)})"):
            return
        tab.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def assert_focus_shows(tab: Page) -> None:
    style = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style != "none", "the focused control shows its focus"


def test_keyboard_only_a_learner_pastes_a_credential_and_tags_it(
        browser: Browser, wallets: Wallets) -> None:
    from playwright.sync_api import expect

    credential = dcc(NOBODYS).decode()
    tab = signed_in(browser, wallets, "jiro")
    try:
        focus(tab, ".wallet-paste summary")
        assert_focus_shows(tab)
        tab.keyboard.press("Enter")
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.id") == "import-paste"
        tab.keyboard.insert_text(credential)
        focus(tab, "form[action^='/wallet/import'] button[type=submit]", presses=3)
        assert_focus_shows(tab)
        tab.keyboard.press("Enter")
        tab.wait_for_url(IMPORTED)
        expect(tab.locator("#verify-verdict")).to_have_attribute("data-verified", "true")
        focus(tab, "#tags", presses=80)
        tab.keyboard.type("keyboard")
        focus(tab, "form[action*='/notes'] button[type=submit]", presses=3)
        assert_focus_shows(tab)
        tab.keyboard.press("Enter")
        expect(tab.get_by_role("status")).to_have_text("タグとメモを保存しました。")
        expect(tab.locator("#tags")).to_have_value("keyboard")
        shot(tab, "wallet-keyboard-ja")
    finally:
        tab.context.close()


def test_a_learner_shares_a_link_an_employer_opens_and_presents_to_a_verifier(
        browser: Browser, wallets: Wallets) -> None:

    tab = signed_in(browser, wallets, "shichiro")
    employer = new_tab(browser, locale="en-GB")
    try:
        own = tab.locator("article.wallet-card").first.get_attribute("data-id")
        tab.goto(f"{wallets.live.url}/wallet/credentials/{own}")
        tab.get_by_role("link", name="この証明書を共有").click()
        tab.locator("#share-label").fill("北商事")
        tab.locator("#share-code").fill("tanuki-7")
        assert_accessible(tab, "the share links")
        tab.locator("#share-code").press("Enter")
        shown = tab.locator("#share-address").input_value()
        assert shown.startswith(wallets.live.settings.public_url) and "/s/" in shown
        # The address names the configured public URL; this test's server is on its own port.
        address = wallets.live.url + urlsplit(shown).path
        shot(tab, "wallet-share-made-ja")

        employer.goto(address)
        employer.locator("#access-code").fill("tanuki-7")
        employer.get_by_role("button", name="Open").click()
        banner = employer.locator(".verdict-banner").first
        assert banner.get_attribute("data-outcome") == "verified"
        assert employer.locator('meta[property="og:title"]').count() == 1
        assert_accessible(employer, "the shared page")
        shot(employer, "wallet-shared-page-en")

        tab.goto(f"{wallets.live.url}/wallet/present?credential={own}")
        tab.locator("#challenge").fill("c-2026-11")
        tab.locator("#domain").fill("hr.kita.example")
        assert_accessible(tab, "the present page")
        with tab.expect_download() as download:
            tab.get_by_role("button", name="署名してダウンロード").click()
        presentation = json.loads(Path(download.value.path()).read_text())
        verified = patiently.post(f"{wallets.live.url}/presentations/verify", timeout=30, json={
            "verifiablePresentation": presentation,
            "options": {"challenge": "c-2026-11", "domain": "hr.kita.example"}})
        assert verified.json()["verified"] is True, verified.text

        tab.goto(f"{wallets.live.url}/wallet/shares")
        tab.get_by_role("button", name=re.compile("北商事")).click()
        employer.goto(address)
        assert "no longer available" in employer.locator("main").inner_text()
    finally:
        employer.context.close()
        tab.context.close()


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server that fetches nothing (CREDSTACK_VERIFY_OFFLINE): a did:web issuer's key is
    out of its reach."""
    settings = keyed_sqlite(tmp_path_factory.mktemp("wallet-offline"), verify_offline=True)
    yield from serve(settings)


@pytest.mark.parametrize(("locale", "word"), [("ja-JP", "確認できませんでした（未判定）"),
                                              ("en-GB", "Could not be checked")])
def test_a_credential_that_could_not_be_checked_wears_its_own_standing(
        browser: Browser, offline: LiveServer, locale: str, word: str) -> None:
    """A credential whose issuer's key could not be fetched goes in; its page and the record
    say "could not be checked" in the page's language, in the undecided colour, not the ✗
    and red of a forgery; axe finds nothing serious."""
    from playwright.sync_api import expect

    name = f"kaori-{locale[:2]}"
    add_user(offline.settings, email(name), name="Kaori")
    tab = sign_in_through_form(new_tab(browser, locale=locale), offline.url, email(name),
                               "/wallet")
    try:
        tab.locator(".wallet-paste summary").click()
        tab.locator("#import-paste").fill(json.dumps(
            signed_by_did_web("did:web:issuer.example", anonymous=True)))
        tab.locator("form[action^='/wallet/import'] button[type=submit]").click()
        tab.wait_for_url(IMPORTED)
        expect(tab.locator("#verify-verdict")).to_have_attribute(
            "data-outcome", "could-not-be-checked")
        banner = tab.locator("#verify-verdict")
        expect(banner).to_have_class(re.compile(r"\bverdict-banner--undecided\b"))
        assert_accessible(tab, f"an undecided credential's page ({locale})")
        tab.goto(f"{offline.url}/wallet")
        standing = tab.locator('[data-standing="undecided"]')
        expect(standing).to_have_count(1)
        expect(standing).to_contain_text(word)
        assert standing.locator(".standing__icon").inner_text() == "?"
        colours = tab.evaluate("""() => {
            const root = getComputedStyle(document.documentElement);
            return [root.getPropertyValue('--undecided').trim(),
                    root.getPropertyValue('--bad').trim()];
        }""")
        shown = standing.evaluate("e => getComputedStyle(e).color")
        probe = tab.evaluate("""([undecided, bad]) => {
            const span = document.createElement('span');
            document.body.append(span);
            span.style.color = undecided; const u = getComputedStyle(span).color;
            span.style.color = bad; const b = getComputedStyle(span).color;
            span.remove(); return [u, b];
        }""", colours)
        assert shown == probe[0] != probe[1]
        assert_accessible(tab, f"the record with an undecided credential ({locale})")
        shot(tab, f"wallet-undecided-{locale[:2]}")
    finally:
        tab.context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_totals_tables_heads_stand_over_their_figures(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    """The record's totals by credit system and by field: each numeric column's head ends
    where its figures end, at desk width and on a phone (issue 51, the walk repeated)."""
    tab = demo_phone_tab(browser, demo_server, "learner@demo.example",
                         f"/wallet?lang={language}", language=language)
    try:
        for width in (390, 1280):
            tab.set_viewport_size({"width": width, "height": 900})
            tables = tab.locator("table.wallet-totals")
            assert tables.count() == 2
            for index in range(tables.count()):
                table = tables.nth(index)
                heads = table.locator("thead th.num")
                assert heads.count() >= 1
                for column in range(heads.count()):
                    cells = table.locator(f"tbody tr td.num:nth-of-type({column + 1})")
                    # Where the words end, not the boxes (a head and its cells share one).
                    head_text = heads.nth(column).evaluate(
                        "th => { const r = document.createRange(); r.selectNodeContents(th);"
                        " return r.getBoundingClientRect().right; }")
                    cell_text = cells.first.evaluate(
                        "td => { const r = document.createRange(); r.selectNodeContents(td);"
                        " return r.getBoundingClientRect().right; }")
                    assert abs(head_text - cell_text) <= 1, (width, index, column,
                                                             head_text, cell_text)
            assert_accessible(tab, f"the record's totals at {width} px ({language})")
    finally:
        tab.context.close()
