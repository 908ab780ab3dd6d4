"""Share links over real HTTP: the owner makes one on ``/wallet/shares`` (the address shown
once), anyone opens ``/s/{secret}`` in a fresh client without cookies and reads each
credential verified now, in Japanese or English, with Open Graph metadata and an "Add to
LinkedIn" link; an access code is asked for; revoked links answer 410, unknown ones 404;
the page is never indexed nor cached.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from credstack.adapters.keystore import MasterKey
from credstack.services.recognitions import service as recognitions
from credstack.settings import Settings
from tests.accounts import add_issuer, store_session
from tests.conftest import LiveServer, free_port, issued_to_members, keyed_sqlite, serve_prepared
from tests.entrypoints.web.pages import test_wallet_pages as wallet_pages
from tests.entrypoints.web.pages.conftest import assert_accessible_and_fitting, new_tab
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible, squash
from tests.entrypoints.web.pages.test_wallet_pages import Browser, Wallets, done, fresh
from tests.signed_credentials import signed_by_did_web

if TYPE_CHECKING:
    from playwright.sync_api import Browser as PlaywrightBrowser

#: The wallet pages' server and learners (one server for this module too).
wallets = wallet_pages.wallets
browsers = wallet_pages.browsers

_ADDRESS = re.compile(r'id="share-address"[^>]*value="([^"]+)"')


def make_link(browser: Browser, **fields: str) -> str:
    """Make a link to the learner's issued credential; its address (shown once)."""
    [public_id] = browser.ids()
    form = browser.get(f"/wallet/shares?credential={public_id}")
    assert f'value="credential:{public_id}" selected' in form.text
    made = browser.post("/wallet/shares", target=f"credential:{public_id}", label="Kita",
                        expires="30", **fields)
    assert made.status_code == 201, made.text
    found = _ADDRESS.search(made.text)
    assert found is not None
    return found.group(1)


def visitor(wallets: Wallets, language: str = "en") -> httpx.Client:
    return httpx.Client(timeout=30, headers={"Accept-Language": language})


def test_anyone_with_the_link_reads_the_credential_verified_now(wallets: Wallets,
                                                               browsers: dict[str, Browser]
                                                               ) -> None:
    address = make_link(browsers["hanako"])
    path = urlparse(address).path
    with visitor(wallets) as stranger:
        response = stranger.get(f"{wallets.live.url}{path}")
        assert response.status_code == 200
        assert response.headers["x-robots-tag"].startswith("noindex")
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
        page = Page(response.text)
        assert_accessible(page, "en")
        assert 'data-outcome="verified"' in response.text
        # The verdict is the banner's headline; who checked it, and when, a line below.
        assert squash(page.one("p", **{"class": "verdict-banner__title"}).text) == "Verified"
        assert "when this page was opened" in page.one("p", **{"class": "verdict-banner__by"}).text
        assert 'property="og:title"' in response.text and f'content="{address}"' in response.text
        [linkedin] = [a.attrs["href"] for a in page.all("a")
                      if a.attrs.get("href", "").startswith("https://www.linkedin.com/")]
        fields = parse_qs(urlparse(linkedin).query)
        assert fields["startTask"] == ["CERTIFICATION_NAME"] and fields["certUrl"] == [address]
        japanese = stranger.get(f"{wallets.live.url}{path}",
                                headers={"Accept-Language": "ja"})
        assert "さんの証明書" in japanese.text
    listed = browsers["hanako"].get("/wallet/shares")
    assert "Kita" in listed.text and "<dd>2</dd>" in listed.text


#: The issuer check's words in each language (``verification.check.issuer.signed``), but
#: the issuer's DID they name.
SIGNED_BY_THE_ISSUER = {
    "ja": ("発行者 ", " 自身が署名しています"), "en": ("signed by the issuer, ", ""),
    "ko": ("발급기관 ", "이(가) 직접 서명했습니다"), "zh-Hans": ("由颁发方 ", " 本身签名"),
    "th": ("ผู้ออก ", " ลงลายมือชื่อเอง"), "vi": ("do chính đơn vị cấp ", " ký"),
    "id": ("ditandatangani oleh penerbitnya sendiri, ", ""),
    "ms": ("ditandatangani oleh pengeluarnya sendiri, ", ""),
}


def test_an_employer_reads_what_was_checked_in_their_language(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    """The shared credential's folded list of checks says each reason in the reader's
    language, in each of the eight (issue 53): the issuer's check names who signed in it."""
    path = urlparse(make_link(browsers["hanako"])).path
    for language, (before, after) in SIGNED_BY_THE_ISSUER.items():
        with visitor(wallets, language) as employer:
            page = Page(employer.get(f"{wallets.live.url}{path}").text)
        assert page.one("html").attrs["lang"] == language
        issuer = squash(page.one("li", **{"data-check": "issuer"}).text)
        assert re.search(f"{re.escape(before)}did:\\S+{re.escape(after)}$", issuer), issuer
        if language != "en":
            assert "signed by the issuer" not in page.text


def test_the_shared_credential_shows_its_badge_and_previews_with_it(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    """The card shows the programme's badge; the link's preview (og:image) is its PNG."""
    address = make_link(browsers["hanako"])
    with visitor(wallets) as stranger:
        response = stranger.get(f"{wallets.live.url}{urlparse(address).path}")
    page = Page(response.text)
    [badge] = [img for img in page.all("img") if "badge-image" in img.attrs.get("class", "")]
    assert badge.attrs["src"] == "/badges/1/v1.svg" and badge.attrs["alt"]
    [preview] = [meta.attrs["content"] for meta in page.all("meta")
                 if meta.attrs.get("property") == "og:image"]
    assert preview == f"{wallets.live.settings.public_url.rstrip('/')}/badges/1/v1.png"


def test_revoked_links_are_gone_and_unknown_ones_not_found(wallets: Wallets,
                                                          browsers: dict[str, Browser]) -> None:
    owner = browsers["taro"]
    path = urlparse(make_link(owner)).path
    [share] = re.findall(r'data-share="([0-9a-f]{16})"', owner.get("/wallet/shares").text)
    revoked = owner.post(f"/wallet/shares/{share}/revoke")
    assert revoked.status_code == 303
    with visitor(wallets) as stranger:
        gone = stranger.get(f"{wallets.live.url}{path}")
        assert gone.status_code == 410 and "no longer available" in gone.text
        unknown = stranger.get(f"{wallets.live.url}/s/{'A' * 43}")
        assert unknown.status_code == 404
    assert browsers["jiro"].post(f"/wallet/shares/{share}/revoke").status_code == 404


def test_an_access_code_is_asked_for_in_a_plain_form(wallets: Wallets,
                                                    browsers: dict[str, Browser]) -> None:
    path = urlparse(make_link(browsers["saburo"], access_code="tanuki-7")).path
    with visitor(wallets) as stranger:
        asked = stranger.get(f"{wallets.live.url}{path}")
        assert asked.status_code == 401 and 'name="access_code"' in asked.text
        assert_accessible(Page(asked.text), "en")
        wrong = stranger.post(f"{wallets.live.url}{path}", data={"access_code": "nope"})
        assert wrong.status_code == 403 and "is wrong" in wrong.text
        right = stranger.post(f"{wallets.live.url}{path}", data={"access_code": "tanuki-7"})
        assert right.status_code == 200 and 'data-outcome="verified"' in right.text


def test_making_a_link_needs_something_to_share_and_a_valid_code(wallets: Wallets,
                                                                browsers: dict[str, Browser]
                                                                ) -> None:
    owner = browsers["shiro"]
    [public_id] = owner.ids()
    refused = owner.post("/wallet/shares", target=f"credential:{public_id}",
                         access_code="abc")
    assert refused.status_code == 422 and 'id="share-error"' in refused.text
    someone_elses = owner.post("/wallet/shares", target="credential:" + "0" * 32)
    assert someone_elses.status_code == 422
    no_csrf = owner.http.post("/wallet/shares", data={"target": f"credential:{public_id}"})
    assert no_csrf.status_code == 403


def _undecided_share(wallets: Wallets, name: str) -> str:
    """A learner's share link to a credential whose issuer's did:web document is on a loopback
    port where nothing listens (the test allows loopback fetches)."""
    credential = signed_by_did_web(f"did:web:localhost%3A{free_port()}", anonymous=True)
    learner = fresh(wallets, name)
    try:
        done(learner.paste(json.dumps(credential)))
        return make_link(learner)
    finally:
        learner.close()


@pytest.mark.browser
@pytest.mark.parametrize(("locale", "title"), [("ja-JP", "確認できませんでした（未判定）"),
                                               ("en-GB", "Could not be checked")])
def test_the_employer_reads_could_not_be_checked_in_a_browser(
        wallets: Wallets, monkeypatch: pytest.MonkeyPatch, browser: PlaywrightBrowser,
        locale: str, title: str) -> None:
    """In Chromium, in Japanese and English: the shared credential's banner has the word, the
    sign and the colour of could not be checked; axe-core finds nothing serious."""
    from playwright.sync_api import expect

    monkeypatch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
    address = _undecided_share(wallets, f"koyomi{locale[:2]}")
    tab = new_tab(browser, locale=locale)
    try:
        tab.goto(wallets.live.url + urlparse(address).path)
        banner = tab.locator("div.verdict-banner[data-outcome=could-not-be-checked]")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(title)
        expect(banner.locator(".verdict-banner__icon")).to_have_text("?")
        colour = banner.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(239, 236, 249)", "the violet of could not be checked"
        assert "✗" not in banner.inner_text()
        assert_accessible_and_fitting(tab, f"share-undecided-{locale[:2]}")
    finally:
        tab.context.close()


def test_a_credential_whose_issuer_cannot_be_reached_could_not_be_checked_everywhere(
        wallets: Wallets, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its issuer's did:web document is on a loopback port where nothing listens. The wallet
    keeps it as could not be checked — a word and a sign of its own, not counted —, its page
    says so in the banner, and the employer reading the share link sees the same, in
    English and Japanese; never the ✗ of a forgery."""
    monkeypatch.setenv("CREDSTACK_ALLOW_LOOPBACK_FETCH", "1")
    credential = signed_by_did_web(f"did:web:localhost%3A{free_port()}", anonymous=True)
    learner = fresh(wallets, "tokubei")
    try:
        target = done(learner.paste(json.dumps(credential)))
        record = learner.page("/wallet")
        assert re.findall(r'data-standing="([^"]+)"', record.source) == ["undecided"]
        standing = record.one("span", **{"data-standing": "undecided"})
        assert squash(standing.text) == "? Could not be checked"
        assert "nothing wrong was found" in squash(record.text)
        assert record.one("dd", id="total-count").text.strip() == "0"
        assert_accessible(record, "en")
        page = learner.page(target.split("#")[0])
        banner = page.one("div", id="verify-verdict")
        assert banner.attrs["data-outcome"] == "could-not-be-checked"
        assert "verdict-banner--undecided" in banner.attrs["class"]
        address = make_link(learner)
    finally:
        learner.close()
    for language, title in (("en", "Could not be checked"),
                            ("ja", "確認できませんでした（未判定）")):
        with visitor(wallets, language) as employer:
            response = employer.get(f"{wallets.live.url}{urlparse(address).path}")
        assert response.status_code == 200
        shared = Page(response.text)
        assert_accessible(shared, language)
        [banner] = [div for div in shared.all("div")
                    if div.attrs.get("data-outcome") == "could-not-be-checked"]
        assert "verdict-banner--undecided" in banner.attrs["class"]
        text = squash(banner.text)
        assert title in text and "✗" not in text and "did:web" not in text


def test_a_link_is_listed_again_in_full_with_a_copy_button(wallets: Wallets,
                                                          browsers: dict[str, Browser]
                                                          ) -> None:
    """Later, the list shows each active link's whole address in a read-only field (to
    select without JavaScript) with a copy button (shown by the script), and it opens."""
    owner = browsers["hanako"]
    address = make_link(owner)
    listed = Page(owner.get("/wallet/shares").text)
    fields = [element for element in listed.all("input")
              if element.attrs.get("value") == address]
    assert len(fields) == 1 and "readonly" in fields[0].attrs
    field = fields[0].attrs["id"]
    assert [b for b in listed.all("button") if b.attrs.get("data-copy") == field]
    assert [s for s in listed.all("script") if s.attrs.get("src") == "/static/copy.js"]
    with visitor(wallets) as stranger:
        assert stranger.get(f"{wallets.live.url}{urlparse(address).path}").status_code == 200


def _recognised_with_conditions(settings: Settings) -> None:
    """Hanako's credential of the test programme, which a recognition body has recognised
    with conditions."""
    issued_to_members(settings, {"hanako@example.jp": "Hanako"}, batch="conditional")
    assert settings.secret_key is not None
    secret = MasterKey.from_text(settings.secret_key, source="test")
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with store_session(settings) as session:
        add_issuer(session, now=now, secret=secret, document=RECOGNITION_BODY)
        recognitions.grant(
            session, signer_secret=secret, settings=settings, recognition_body="jmicro",
            programme_id=1, version=1, application="app_conditional", decision_number=
            "R-2026-0001", outcome="recognised-with-conditions",
            conditions="Publish the assessment rubric.", reasons="Meets every criterion.",
            valid_from=now, valid_until=now + dt.timedelta(days=365), now=now)


RECOGNITION_BODY = {"slug": "jmicro", "kind": "recognition-body",
                    "name": {"ja": "日本マイクロクレデンシャル機構",
                             "en": "Japan Micro-credential Organisation"}, "country": "JP"}


@pytest.fixture
def conditional(tmp_path: Path) -> Iterator[LiveServer]:
    for live, _ in serve_prepared(keyed_sqlite(tmp_path), _recognised_with_conditions):
        yield live


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_recognition_with_conditions_is_called_one_on_wallet_and_share_cards(
        conditional: LiveServer, language: str) -> None:
    """A credential of a programme recognised with conditions says so — not plainly
    "recognised" — on the wallet's card, the credential's page and the shared card
    (issue 39, defect 14: "認定済み" for a conditional recognition)."""
    words = "条件付きで認定" if language == "ja" else "Recognised with conditions"
    owner = Browser(conditional, "hanako", language)
    try:
        [public_id] = owner.ids()
        pages = [owner.page("/wallet"), owner.page(f"/wallet/credentials/{public_id}")]
        made = owner.post("/wallet/shares", target=f"credential:{public_id}", label="Kita",
                          expires="30")
        assert made.status_code == 201, made.text
        found = _ADDRESS.search(made.text)
        assert found is not None
    finally:
        owner.close()
    with httpx.Client(timeout=30, headers={"Accept-Language": language}) as stranger:
        shared = stranger.get(f"{conditional.url}{urlparse(found.group(1)).path}")
    assert shared.status_code == 200
    pages.append(Page(shared.text))
    for page in pages:
        assert_accessible(page, language)
        # The card's fact (the verification's own section, on the credential's page, tells
        # its status and outcome apart).
        assert not [div for div in page.all("div", **{"data-recognition": "valid"})
                    if div.attrs.get("id") != "verify-recognition"], "said plainly recognised"
        [fact] = page.all("div", **{"data-recognition": "conditional"})
        assert words in squash(fact.text)


@pytest.mark.parametrize(("language", "issuer", "credits"), [
    ("en", "Hokuto Institute of Technology", "1 Japanese credit"),
    ("ja", "北都工科大学", "1 単位")])
def test_the_shared_card_names_the_issuer_and_the_credits_in_the_page_language(
        wallets: Wallets, browsers: dict[str, Browser], language: str, issuer: str,
        credits: str) -> None:
    """The credential names its issuer in one language (北都工科大学); the registry knows the
    organisation in both, so the English card says its English name — and one credit is
    "1 Japanese credit", not "1 JP credits" (issue 39, noticed on the demo)."""
    address = make_link(browsers["hanako"])
    with visitor(wallets, language) as stranger:
        response = stranger.get(f"{wallets.live.url}{urlparse(address).path}")
    page = Page(response.text)
    facts = dict(zip((squash(e.text) for e in page.all("dt")),
                     (squash(e.text) for e in page.all("dd")), strict=True))
    assert facts["Issuer" if language == "en" else "発行者"] == issuer
    assert facts["Credits" if language == "en" else "単位"] == credits


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_list_of_links_names_each_credential_in_the_page_language(
        wallets: Wallets, browsers: dict[str, Browser], language: str) -> None:
    """"Shows" names the shared credential as the form's choice does, in the page's
    language: not its Japanese title on an English page (issue 51, the walk repeated)."""
    owner = browsers["hanako"]
    make_link(owner)
    [public_id] = owner.ids()
    owner.http.headers["Accept-Language"] = language
    try:
        listed = Page(owner.get("/wallet/shares").text)
    finally:
        owner.http.headers["Accept-Language"] = "en"
    [option] = [o for o in listed.all("option")
                if o.attrs.get("value") == f"credential:{public_id}"]
    title = squash(option.text).split("：" if language == "ja" else ": ", 1)[1]
    shown = {squash(a.text) for a in listed.all("a")
             if a.attrs.get("href") == f"/wallet/credentials/{public_id}"}
    assert shown == {title}


def _downloads(page: Page) -> dict[str, str]:
    """The share card's downloads, by what they are: their links' addresses."""
    return {a.attrs["data-action"]: a.attrs["href"] for a in page.all("a")
            if a.attrs.get("data-action") in {"pdf", "pdf-other", "json"}}


def test_whoever_has_the_link_takes_the_credential_and_its_certificate(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    """The card on the link offers the credential as its holder keeps it and, issued here,
    its signed PDF certificate in the reader's language and in Japanese: the same bytes the
    holder downloads, from a client with no account; a credential the link does not show,
    and a revoked link's files, are not given."""
    owner = browsers["rokuro"]
    [public_id] = owner.ids()
    path = urlparse(make_link(owner)).path
    kept = owner.get(f"/wallet/credentials/{public_id}/original")
    assert kept.status_code == 200
    with visitor(wallets, "en") as stranger:
        page = Page(stranger.get(f"{wallets.live.url}{path}").text)
        links = _downloads(page)
        own = f"{path}/credentials/{public_id}"
        assert links == {"json": f"{own}/original",
                         "pdf": f"{own}/certificate.pdf?language=en",
                         "pdf-other": f"{own}/certificate.pdf?language=ja"}
        original = stranger.get(f"{wallets.live.url}{links['json']}")
        assert original.status_code == 200
        assert original.content == kept.content
        assert json.loads(original.content)["id"]
        assert original.headers["content-disposition"].startswith("attachment")
        assert original.headers["cache-control"] == "no-store"
        pdf = stranger.get(f"{wallets.live.url}{links['pdf']}")
        assert pdf.status_code == 200, pdf.text
        assert pdf.content.startswith(b"%PDF") and b"/Lang (en)" in pdf.content
        assert pdf.headers["referrer-policy"] == "no-referrer"
        # Another learner's credential is not this link's to give, nor is an unknown one.
        [other] = browsers["shiro"].ids()
        for public in (other, "0" * 32):
            taken = stranger.get(f"{wallets.live.url}{path}/credentials/{public}/original")
            assert taken.status_code == 404, public
    [share] = re.findall(r'data-share="([0-9a-f]{16})"', owner.get("/wallet/shares").text)
    assert owner.post(f"/wallet/shares/{share}/revoke").status_code == 303
    with visitor(wallets) as stranger:
        assert stranger.get(f"{wallets.live.url}{links['json']}").status_code == 410
        assert stranger.get(f"{wallets.live.url}{links['pdf']}").status_code == 410


def test_a_link_with_an_access_code_gives_its_files_only_with_the_code(
        wallets: Wallets, browsers: dict[str, Browser]) -> None:
    """Opened with its code, the card's downloads are forms that send the code again (never in
    an address); without it, or with a wrong one, no file."""
    owner = browsers["kazuko"]
    [public_id] = owner.ids()
    path = urlparse(make_link(owner, access_code="kitsune-9")).path
    original = f"{wallets.live.url}{path}/credentials/{public_id}/original"
    with visitor(wallets) as stranger:
        opened = stranger.post(f"{wallets.live.url}{path}", data={"access_code": "kitsune-9"})
        assert opened.status_code == 200
        page = Page(opened.text)
        assert _downloads(page) == {}
        forms = [form for form in page.all("form")
                 if form.attrs.get("action", "").startswith(f"{path}/credentials/")]
        assert {form.attrs["action"] for form in forms} == {
            f"{path}/credentials/{public_id}/original",
            f"{path}/credentials/{public_id}/certificate.pdf?language=en",
            f"{path}/credentials/{public_id}/certificate.pdf?language=ja"}
        assert "kitsune-9" not in "".join(form.attrs["action"] for form in forms)
        assert stranger.get(original).status_code == 401
        assert stranger.post(original, data={"access_code": "nope"}).status_code == 403
        taken = stranger.post(original, data={"access_code": "kitsune-9"})
        assert taken.status_code == 200 and json.loads(taken.content)["id"]
