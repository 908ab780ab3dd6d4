"""A learner's public profile over real HTTP on SQLite and PostgreSQL: made in the wallet
with a handle and the credentials chosen, shown at ``/@{handle}`` in Japanese and English
with each credential verified, its badge, the totals, a QR code and Open Graph metadata;
hidden with one click, after which the address answers 410; an unknown handle 404."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import add_user, issued_credentials, provider_store
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible

LEARNER = "hanako@example.jp"
OTHER = "taro@example.jp"


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[LiveServer]:
    secret = new_master_key_text()
    settings, port = at_own_url(dataclasses.replace(module_settings, secret_key=secret))
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    issued_credentials(settings, secret=secret, now=now,
                       cohort=f"email,name\n{LEARNER},Hanako\n", batch="profile")
    add_user(settings, LEARNER, name="Hanako")
    add_user(settings, OTHER, name="Taro")
    yield from serve(settings, port=port)


def _chosen(browser: FormBrowser) -> list[str]:
    page = browser.page("/wallet/profile")
    return [box.attrs["value"] for box in page.all("input", type="checkbox")]


def test_a_profile_is_shown_with_its_credentials_and_hidden_with_one_click(
        live: LiveServer) -> None:
    learner = FormBrowser(live, LEARNER)
    try:
        assert learner.get("/wallet").status_code == 200  # the credential is delivered
        for language in ("ja", "en"):
            assert_accessible(learner.page(f"/wallet/profile?lang={language}"), language)
        credentials = _chosen(learner)
        assert len(credentials) == 1
        saved = learner.post("/wallet/profile", [
            ("handle", "Hanako-Y"), ("name", "Hanako Yamada"), ("headline", "Data science"),
            *(("credential", value) for value in credentials)])
        assert saved.status_code == 303, saved.text[:1000]
        settings = learner.page("/wallet/profile")
        assert settings.one("a", id="profile-address").attrs["href"].endswith("/@hanako-y")
        with httpx.Client(base_url=live.url, timeout=30, headers=HTML) as anyone:
            for language in ("ja", "en"):
                shown = anyone.get(f"/@hanako-y?lang={language}")
                assert shown.status_code == 200, shown.text[:1000]
                page = Page(shown.text)
                assert_accessible(page, language)
            assert "Hanako Yamada" in page.one("h1").text
            assert page.all("div", **{"data-outcome": "verified"})
            assert page.one("dd", **{"data-count": "1"})
            assert re.search(r'<meta property="og:title" content="[^"]*Hanako Yamada',
                             shown.text)
            assert 'property="og:url" content="' + live.settings.public_url + '/@hanako-y"' \
                in shown.text
            assert page.all("img", **{"class": "qr"})
            assert any(img.attrs["src"].startswith("/badges/") for img in page.all("img"))
            assert anyone.get("/@nobody-here").status_code == 404
            hidden = learner.post("/wallet/profile/hide")
            assert hidden.status_code == 303
            gone = anyone.get("/@hanako-y")
            assert gone.status_code == 410
            assert "no longer shown" in Page(gone.text).text
    finally:
        learner.close()


@pytest.mark.parametrize(("handle", "says"), [
    ("admin", "reserved"), ("api", "reserved"), ("static", "reserved"),
    ("manual", "reserved"), ("ab", "3 to 30"), ("bad handle!", "3 to 30")])
def test_a_reserved_or_malformed_handle_is_a_clear_error(live: LiveServer, handle: str,
                                                         says: str) -> None:
    other = FormBrowser(live, OTHER)
    try:
        refused = other.post("/wallet/profile", handle=handle, name="Taro")
        assert refused.status_code == 422
        page = Page(refused.text)
        assert says in page.text
        assert page.one("input", id="profile-handle").attrs.get("aria-invalid") == "true"
    finally:
        other.close()


def test_a_handle_taken_by_someone_else_is_refused(live: LiveServer) -> None:
    learner = FormBrowser(live, LEARNER)
    other = FormBrowser(live, OTHER)
    try:
        assert learner.post("/wallet/profile", handle="shared-name",
                            name="Hanako").status_code == 303
        refused = other.post("/wallet/profile", handle="Shared-Name", name="Taro")
        assert refused.status_code == 422 and "is taken" in Page(refused.text).text
    finally:
        learner.close()
        other.close()
