"""The claim link of a "credential issued" e-mail (``/claim/{id}``), over real HTTP.

Signed out, it names the credential and its issuer and offers to sign in or make an account,
each coming back to the claim; signed in with the address it was sent to, the credential is
in the wallet and its page opens; signed in as someone else, it says the credential was sent
to another address and offers to switch account, never showing or filling the wrong wallet.
In Japanese and English; in Chromium on a phone, the page fits and axe finds nothing serious.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import PASSWORD, add_user, issued_credentials, provider_store, sign_in
from tests.conftest import LiveServer, ShiftedClock, at_own_url, serve
from tests.entrypoints.web.pages.conftest import assert_accessible_and_fitting, phone_tab
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Browser

NEWCOMER = "newcomer@example.jp"
OWNER = "owner@example.jp"
SOMEONE = "someone@example.jp"
PAGE = {"Accept": "text/html"}
WORDS = {
    "ja": ("北都工科大学", "実践データサイエンス入門", "サインイン", "アカウントを作成"),
    "en": ("Hokuto Institute of Technology", "Practical Introduction to Data Science",
           "Sign in", "Create an account"),
}


@dataclasses.dataclass(frozen=True)
class Site:
    live: LiveServer
    #: Learner address → the credential issued to it.
    credentials: dict[str, str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("claim")
    secret = new_master_key_text()
    clock = ShiftedClock()
    settings, port = at_own_url(dataclasses.replace(
        Settings.from_env(data_dir=folder / "data", database_url=""), secret_key=secret,
        demo=True))
    provider_store(settings, secret=secret, now=clock())
    credentials = {}
    for learner in (NEWCOMER, OWNER):
        [credentials[learner]] = issued_credentials(
            settings, secret=secret, now=clock(), cohort=f"email,name\n{learner},新井 杏\n",
            batch=learner)
    add_user(settings, OWNER, name="Owner")
    add_user(settings, SOMEONE, name="Someone Else")
    for live in serve(settings, port=port, clock=clock):
        yield Site(live, credentials)


def _claim(site: Site, learner: str) -> str:
    return "/claim/" + quote(site.credentials[learner], safe=":")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_signed_out_the_claim_link_names_the_credential_and_its_issuer(
        site: Site, language: str) -> None:
    """The issuer and the title are named, with sign-in and sign-up links that come back to
    the claim; nothing else of the credential (not the address it was sent to)."""
    issuer, title, sign_in_words, sign_up_words = WORDS[language]
    path = _claim(site, NEWCOMER)
    with httpx.Client(base_url=site.live.url, timeout=30) as browser:
        answer = browser.get(path, params={"lang": language}, headers=PAGE)
    assert answer.status_code == 200
    page = Page(answer.text)
    assert_accessible(page, language)
    heading = page.one("h1").text
    assert issuer in heading and title in heading
    links = {link.text.strip(): link.attrs["href"] for link in page.all("a")
             if link.attrs.get("href", "").startswith(("/sign-in?", "/sign-up?"))}
    assert unquote(links[sign_in_words]) == f"/sign-in?next={unquote(path)}?back=1"
    assert unquote(links[sign_up_words]) == f"/sign-up?next={unquote(path)}?back=1"
    assert NEWCOMER not in answer.text and site.credentials[NEWCOMER] not in page.one("h1").text


def test_signing_in_from_the_claim_comes_back_and_opens_the_credential_in_the_wallet(
        site: Site) -> None:
    """Signed in with the address it was sent to, the claim opens the credential's page in
    the wallet, where it now is."""
    path = _claim(site, OWNER)
    with httpx.Client(base_url=site.live.url, timeout=30, headers=PAGE) as browser:
        offered = Page(browser.get(path, params={"lang": "en"}).text)
        sign_in_link = next(link.attrs["href"] for link in offered.all("a")
                            if link.attrs["href"].startswith("/sign-in?next="))
        form = browser.get(sign_in_link)
        found = re.search(r'name="next_path" value="([^"]+)"', form.text)
        assert found is not None and found.group(1) == f"{unquote(path)}?back=1"
        signed_in = browser.post("/sign-in", data={
            "email": OWNER, "password": PASSWORD,
            "next_path": found.group(1),
            "signin_nonce": re.search(r'name="signin_nonce" value="([^"]+)"',
                                      form.text).group(1)})  # type: ignore[union-attr]
        assert signed_in.status_code == 303
        assert unquote(signed_in.headers["location"]) == f"{unquote(path)}?back=1"
        claimed = browser.get(signed_in.headers["location"])
        assert claimed.status_code == 303
        assert claimed.headers["location"].startswith("/wallet/credentials/")
        shown = browser.get(claimed.headers["location"], params={"lang": "en"})
        assert shown.status_code == 200
        assert "Practical Introduction to Data Science" in shown.text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_signed_in_as_someone_else_the_claim_says_so_and_offers_to_switch(
        site: Site, language: str) -> None:
    """Another account's claim neither shows its wallet nor takes the credential into it: the
    page says it was sent to another address and offers to sign out and sign in again, back
    to the claim."""
    path = _claim(site, NEWCOMER)
    words = {"ja": "別のメールアドレス", "en": "another e-mail address"}[language]
    with httpx.Client(base_url=site.live.url, timeout=30, headers=PAGE) as browser:
        assert sign_in(browser, SOMEONE).status_code == 303
        answer = browser.get(path, params={"lang": language})
        assert answer.status_code == 200 and words in answer.text
        page = Page(answer.text)
        assert_accessible(page, language)
        assert WORDS[language][1] in page.one("h1").text
        assert page.one("form", action="/sign-out", class_="claim__switch")
        target = page.one("input", name="next_path").attrs["value"]
        assert target == f"/sign-in?next={quote(path + '?back=1', safe='')}"
        wallet = browser.get("/api/wallet")
        assert wallet.status_code == 200 and wallet.json()["credentials"] == []
        csrf = page.all("input", name="csrf_token")[-1].attrs["value"]
        switched = browser.post("/sign-out", data={"csrf_token": csrf, "next_path": target})
        assert switched.status_code == 303 and switched.headers["location"] == target
        assert browser.get("/api/me").status_code == 401


def test_an_unknown_claim_link_says_so_in_both_languages(site: Site) -> None:
    """A link to no credential of this site is a 404 page that says what to do."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=PAGE) as browser:
        for language, words in (("ja", "この受け取りリンク"), ("en", "This claim link")):
            answer = browser.get("/claim/urn:uuid:00000000-0000-4000-8000-000000000000",
                                 params={"lang": language})
            assert answer.status_code == 404 and words in answer.text


@pytest.mark.browser
def test_in_chromium_on_a_phone_the_claim_page_is_accessible(browser: Browser,
                                                              site: Site) -> None:
    """Signed out, in Japanese, at 390 px: the page fits and axe finds nothing serious."""
    tab = phone_tab(browser)
    try:
        tab.goto(f"{site.live.url}{_claim(site, NEWCOMER)}")
        assert "北都工科大学" in tab.locator("h1").inner_text()
        assert_accessible_and_fitting(tab, "claim-phone-ja")
    finally:
        tab.context.close()
