"""An organisation's home over real HTTP on SQLite and PostgreSQL: its numbers at a glance —
credentials issued, claimed, shared and verified this month, beside last month and in all —
are those the test made, in Japanese and English, on the home and on the issue page where an
issuer lands; a learner sees no figures of it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import add_user, issued_credentials, provider_store
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible

SLUG = "hokuto-tech"
ISSUER = "issuer@hokuto.example"
#: Two learners issued to last month, three this month; one of these claims, one is verified.
EARLIER = ("may@example.jp", "june@example.jp")
NOW = ("aoi@example.jp", "ren@example.jp", "sora@example.jp")


def _cohort(addresses: tuple[str, ...]) -> str:
    return "email,name\n" + "".join(f"{address},{address[:3]}\n" for address in addresses)


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[tuple[LiveServer, list[str]]]:
    secret = new_master_key_text()
    settings, port = at_own_url(dataclasses.replace(module_settings, secret_key=secret))
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    # Some day of last month, whatever today is.
    last_month = now.replace(day=1) - dt.timedelta(days=3)
    issued_credentials(settings, secret=secret, now=last_month, cohort=_cohort(EARLIER),
                       batch="earlier")
    ids = issued_credentials(settings, secret=secret, now=now, cohort=_cohort(NOW),
                             batch="now")
    add_user(settings, ISSUER, name="Issuer", roles=[(SLUG, "issuer")])
    add_user(settings, NOW[0], name="Aoi")
    for server in serve(settings, port=port):
        yield server, ids


def _glance(page: Page) -> dict[str, tuple[str, str, str, str]]:
    """Each figure at a glance: this month, last month, in all, and the trend."""
    return {div.attrs["data-glance"]: (div.attrs["data-this-month"],
                                       div.attrs["data-last-month"], div.attrs["data-total"],
                                       div.attrs["data-trend"])
            for div in page.all("div") if div.attrs.get("data-glance")}


def test_the_issuers_home_shows_this_months_figures_beside_last_months(
        live: tuple[LiveServer, list[str]]) -> None:
    """Issued: three this month, two last month, five in all (up); one claimed and one
    verified this month; none shared; the words in Japanese and English."""
    server, ids = live
    learner = FormBrowser(server, NOW[0])
    try:
        assert learner.get("/wallet").status_code == 200  # takes hers into the wallet
    finally:
        learner.close()
    with httpx.Client(base_url=server.url, timeout=30) as anyone:
        assert anyone.get(f"/verify/{ids[-1]}", headers=HTML).status_code == 200
    issuer = FormBrowser(server, ISSUER)
    try:
        pages = {language: issuer.page(f"/workspace/{SLUG}?lang={language}")
                 for language in ("ja", "en")}
        landing = {language: issuer.page(f"/workspace/{SLUG}/issue?lang={language}")
                   for language in ("ja", "en")}
    finally:
        issuer.close()
    for language, page in [*pages.items(), *landing.items()]:
        assert_accessible(page, language)
        assert _glance(page) == {
            "issued": ("3", "2", "5", "up"), "claimed": ("1", "0", "1", "up"),
            "shared": ("0", "0", "0", "same"), "verified": ("1", "0", "1", "up")}, language
        assert page.one("dd", id="glance-issued").text.strip() == "3"
    assert "1 more than last month (2)" in pages["en"].text
    assert "先月（2）より 1 増" in pages["ja"].text
    assert "今月の数字" in pages["ja"].text


def test_a_learner_is_refused_the_organisations_home(
        live: tuple[LiveServer, list[str]]) -> None:
    """The figures are the organisation's: a learner of it is not let in."""
    server, _ = live
    learner = FormBrowser(server, NOW[0])
    try:
        assert learner.get(f"/workspace/{SLUG}").status_code == 403
    finally:
        learner.close()
