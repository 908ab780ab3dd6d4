"""The learner's request page for a registrar's documents (issue 56), over real HTTP as a
browser without JavaScript posts it, on SQLite and PostgreSQL: the page in each of the eight
languages; a request sent goes to the queue and is listed; each refused field is named next
to itself (nothing chosen, copies out of range, no addressee, a number and birthday that match
no record, a document the standing does not allow); after five wrong pairs the sixth try is
told, in words, to wait (429, Retry-After)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest

from credstack.entrypoints.web.i18n import Translator, offered
from credstack.settings import Settings
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.registrar_site import (
    ADDRESSEE,
    GUESSER,
    SLUG,
    STUDENT,
    Site,
    registrar_site,
)

PATH = "/wallet/requests"
GOOD = [("organisation", SLUG), ("number", "20A1001"), ("birth_date", "2003-04-02"),
        ("kinds", "transcript"), ("kinds", "graduation"), ("copies", "2"),
        ("language", "en"), ("addressee", ADDRESSEE)]


@pytest.fixture(scope="module")
def site(module_settings: Settings) -> Iterator[Site]:
    yield from registrar_site(module_settings, "enrolled@example.com")


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def field_errors(html: str) -> dict[str, str]:
    """Each field's message, by field."""
    return {name: text(words) for name, words in re.findall(
        r'<p class="field-error" id="([a-z_]+)-error">(.*?)</p>', html, re.S)}


@pytest.mark.parametrize("language", offered())
def test_the_page_speaks_every_language(site: Site, language: str) -> None:
    """The form and its words in the learner's language, the university to choose."""
    browser = FormBrowser(site.live, STUDENT, language)
    try:
        page = browser.get(f"{PATH}?lang={language}")
        assert page.status_code == 200, page.text[:2000]
        t = Translator(language)
        assert f'lang="{language}"' in page.text
        shown = text(page.text)
        for key in ("registrar.ask.title", "registrar.ask.field.number",
                    "registrar.ask.kind.transcript", "registrar.ask.submit"):
            assert text(str(t(key))) in shown, key
        assert f'<option value="{SLUG}" selected>' in page.text
        assert page.headers["Cache-Control"] == "no-store"
    finally:
        browser.close()


def test_each_refused_field_is_named_by_itself(site: Site) -> None:
    """Nothing chosen, no number, a date that is not one, no addressee, too many copies: the
    form comes back (422) with each problem next to its field and in the summary, what was
    typed kept."""
    browser = FormBrowser(site.live, STUDENT, "en")
    try:
        page = browser.post(PATH, [("organisation", ""), ("number", ""),
                                   ("birth_date", "2003-02-30"), ("copies", "11"),
                                   ("language", "en"), ("addressee", " ")])
        assert page.status_code == 422, page.text[:2000]
        assert field_errors(page.text) == {
            "organisation": "✗ Choose the university.",
            "number": "✗ Give your student number.",
            "birth_date": "✗ Give your date of birth, as 2003-04-02.",
            "kinds": "✗ Choose at least one document.",
            "copies": "✗ Copies: 1 to 10.",
            "addressee": "✗ Give the addressee (up to 200 characters)."}
        assert 'id="ask-number" name="number"' in page.text
        assert page.text.count('aria-invalid="true"') == 5
        assert 'value="2003-02-30"' in page.text
        assert '<a href="#ask-kinds">' in page.text
    finally:
        browser.close()


def test_a_pair_that_matches_no_record_and_a_kind_the_standing_refuses(site: Site) -> None:
    """A wrong date of birth is named on the number and the date (404); a certificate of
    graduation for a student still enrolled is named on the documents (409)."""
    browser = FormBrowser(site.live, "enrolled@example.com", "ja")
    try:
        wrong = dict(GOOD, birth_date="2003-04-03")
        page = browser.post(PATH, [*wrong.items(), ("kinds", "transcript")])
        assert page.status_code == 404, page.text[:2000]
        errors = field_errors(page.text)
        assert errors["number"] == errors["birth_date"] == (
            "✗ この大学に、この学籍番号と生年月日の記録はありません。")
        enrolled = [*[(k, v) for k, v in GOOD if k not in {"number", "birth_date"}],
                    ("number", "20A1002"), ("birth_date", "2003-05-01")]
        page = browser.post(PATH, enrolled)
        assert page.status_code == 409, page.text[:2000]
        assert list(field_errors(page.text)) == ["kinds"]
        assert "在学中の方の卒業証明書" in field_errors(page.text)["kinds"]
        assert browser.get(PATH).text.count("data-request=") == 0
    finally:
        browser.close()


def test_a_request_sent_is_listed_as_waiting(site: Site) -> None:
    """Sent: on to the list (303) with a notice; the request is there, waiting, with what
    was asked."""
    browser = FormBrowser(site.live, STUDENT, "en")
    try:
        sent = browser.post(PATH, GOOD)
        assert sent.status_code == 303, sent.text[:2000]
        assert sent.headers["location"].startswith(f"{PATH}?done=asked#request-")
        page = browser.get(f"{PATH}?done=asked")
        assert "Your request was sent" in text(page.text)
        [state] = re.findall(r'data-request="[0-9a-f]{16}" data-state="(\w+)"', page.text)
        assert state == "pending"
        shown = text(page.text)
        for words in (ADDRESSEE, "Academic transcript", "Certificate of graduation",
                      "Waiting for the registrar", "20A1001", "English"):
            assert words in shown
        assert "data-link" not in page.text
    finally:
        browser.close()


def test_too_many_wrong_pairs_are_told_to_wait_in_words(site: Site) -> None:
    """Five pairs that match nothing; the sixth try, even the right pair, is told how long to
    wait (429 with Retry-After), the form kept."""
    browser = FormBrowser(site.live, GUESSER, "en")
    try:
        for day in range(3, 8):
            wrong = [(k, f"2003-04-0{day}" if k == "birth_date" else v) for k, v in GOOD]
            assert browser.post(PATH, wrong).status_code == 404
        page = browser.post(PATH, GOOD)
        assert page.status_code == 429, page.text[:2000]
        assert 0 < int(page.headers["Retry-After"]) <= 15 * 60
        assert re.search(r"Too many student numbers and dates of birth matched no record\. "
                         r"Wait about \d+ minutes, then try again\.", text(page.text))
        assert 'id="ask-waiting"' in page.text and 'role="alert"' in page.text
        assert f'value="{ADDRESSEE}"' in page.text
    finally:
        browser.close()
