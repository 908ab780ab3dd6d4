"""The provider's alignment page over HTTP without JavaScript, on SQLite and PostgreSQL, in
Japanese and English (issue 51, defect 12): each suggestion in words, never a raw score;
a suggestion confirmed or rejected (a rejected one is not offered again); the loaded
frameworks searched by name and any skill added; an alignment removed; and the employer's
candidate check counting an alignment the provider made after the credential was issued."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from credstack.settings import Settings
from tests.accounts import add_user
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible
from tests.entrypoints.web.pages.test_skills import ADMIN, Skilled, serve_skilled

PAGE = "/workspace/hokuto-tech/programmes/1/skills"
#: The words a suggestion's match is put in, by language.
MATCH_WORDS = {"ja": ("よく合致", "おおむね合致", "一部が合致"),
               "en": ("Strong match", "Good match", "Partial match")}


@pytest.fixture(scope="module")
def skilled(module_settings: Settings) -> Iterator[Skilled]:
    for served in serve_skilled(module_settings):
        add_user(served.live.settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
        yield served


@pytest.fixture(params=["ja", "en"])
def provider(request: pytest.FixtureRequest, skilled: Skilled) -> Iterator[FormBrowser]:
    browser = FormBrowser(skilled.live, ADMIN, request.param)
    try:
        yield browser
    finally:
        browser.close()


def _language(browser: FormBrowser) -> str:
    return str(browser.http.headers["Accept-Language"])


def _skills(page: Page, list_id: str) -> list[str]:
    """The skill URIs listed in ``list_id`` (none when the list is not there)."""
    found = page.all("ul", id=list_id)
    if not found:
        return []
    start = page.elements.index(found[0])
    items = []
    for element in page.elements[start + 1:]:
        if element.tag == "ul":
            break
        if element.tag == "li" and "data-skill" in element.attrs:
            items.append(element.attrs["data-skill"])
    return items


def test_each_suggestion_is_put_in_words_never_a_score(provider: FormBrowser) -> None:
    """A suggestion reads "Strong match", "Good match" or "Partial match" (よく合致 …);
    the ranker's number is nowhere on the page."""
    language = _language(provider)
    page = provider.page(PAGE)
    assert_accessible(page, language)
    suggested = page.one("ul", id="suggested-0")
    assert any(word in suggested.text for word in MATCH_WORDS[language])
    assert not re.search(r"\d\.\d", page.one("main").text)
    assert "score" not in page.one("main").text.lower() and "一致度" not in page.text


def test_a_rejected_suggestion_is_not_offered_again(provider: FormBrowser,
                                                    skilled: Skilled) -> None:
    """Reject takes a suggestion off the outcome's list for good; confirming it later (found
    by name) aligns it after all, and removing that alignment offers it again."""
    [first, *_] = _skills(provider.page(PAGE), "suggested-0")
    rejected = provider.post(f"{PAGE}/reject", outcome="0", skill=first)
    assert rejected.status_code == 303 and rejected.headers["location"].endswith(
        "#outcome-0")
    after = provider.page(PAGE)
    assert first not in _skills(after, "suggested-0")
    assert first not in _skills(after, "confirmed-0")
    assert provider.post(f"{PAGE}/confirm", outcome="0", skill=first).status_code == 303
    assert first in _skills(provider.page(PAGE), "confirmed-0")
    assert provider.post(f"{PAGE}/remove", outcome="0", skill=first).status_code == 303
    restored = provider.page(PAGE)
    assert first not in _skills(restored, "confirmed-0")
    assert first in _skills(restored, "suggested-0")


def test_the_frameworks_are_searched_by_name_and_any_skill_added(
        provider: FormBrowser, skilled: Skilled) -> None:
    """The outcome's search finds a skill by its name in the page's language (a part of it
    is enough), nothing for a name no framework has; Add aligns it, Remove takes it back."""
    language = _language(provider)
    wanted = skilled.security
    name = wanted.name(language)
    query = urlencode({"outcome": 1, "q": name[2:]})
    page = provider.page(f"{PAGE}?{query}")
    assert_accessible(page, language)
    search = page.one("input", id="search-1")
    assert search.attrs["name"] == "q" and search.attrs["value"] == name[2:]
    assert wanted.uri in _skills(page, "found-1")
    assert name in page.one("ul", id="found-1").text
    nothing = provider.page(f"{PAGE}?{urlencode({'outcome': 1, 'q': 'zzzz qqqq'})}")
    assert not nothing.all("ul", id="found-1") and nothing.one("p", id="found-1")
    added = provider.post(f"{PAGE}/confirm", outcome="1", skill=wanted.uri)
    assert added.status_code == 303 and added.headers["location"].endswith("#outcome-1")
    assert wanted.uri in _skills(provider.page(PAGE), "confirmed-1")
    assert provider.post(f"{PAGE}/remove", outcome="1", skill=wanted.uri).status_code == 303
    assert wanted.uri not in _skills(provider.page(PAGE), "confirmed-1")


def test_the_candidate_check_counts_an_alignment_made_after_issuance(
        skilled: Skilled) -> None:
    """The learner's credential was issued before the provider aligned an outcome to
    "Security technology": the employer's check counts it, through the programme's
    alignments in this registry, and no longer once it is removed."""
    browser = FormBrowser(skilled.live, ADMIN, "en")
    role = {"skill": [skilled.handle.uri, skilled.security.uri], "shared": skilled.share}
    try:
        assert browser.post(f"{PAGE}/confirm", outcome="1",
                            skill=skilled.security.uri).status_code == 303
        checked = Page(browser.post("/employers/candidate?lang=en", role).text)
        assert not checked.all("ul", id="candidate-missing")
        assert checked.one("p", id="candidate-missing")
        assert browser.post(f"{PAGE}/remove", outcome="1",
                            skill=skilled.security.uri).status_code == 303
        again = Page(browser.post("/employers/candidate?lang=en", role).text)
        assert "Security technology" in again.one("ul", id="candidate-missing").text
    finally:
        browser.post(f"{PAGE}/remove", outcome="1", skill=skilled.security.uri)
        browser.close()
