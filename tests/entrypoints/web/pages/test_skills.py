"""The skills pages and the employer's match over HTTP, without JavaScript: frameworks and a
skill search, a skill's page with its programmes and providers (and its CASE JSON), search
by skill where a broader skill finds the programme, a programme's level in the reader's
framework, the employer's form (suggest, match, a candidate's share link: covered and
missing) and the provider's alignment page. One server on SQLite for the module: a provider,
its programme aligned to a DSS skill, a credential issued to a learner who shares it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.skills import alignments, catalogue, frameworks
from credstack.services.skills.standards import import_standard
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user, issued_credentials, provider_store, signed_in_client
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.api.test_verification_trust import NOT_LISTED_EN
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash

LEARNER = "hanako@example.jp"
ADMIN = "admin@hokuto.example.jp"
OPERATOR = Operator("test")


@dataclasses.dataclass(frozen=True)
class Skilled:
    live: LiveServer
    #: The DSS item "データを扱う" the programme's first outcome is aligned to, its parent
    #: "データ", and "セキュリティ技術", which nothing covers.
    handle: catalogue.SkillItem
    data: catalogue.SkillItem
    security: catalogue.SkillItem
    #: The learner's share link of her credential.
    share: str


def prepare(settings: Settings) -> tuple[catalogue.SkillItem, ...]:
    """The provider's store, DSS, the alignment, a credential issued after it."""
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=settings.secret_key or "", now=now)
    with open_runtime(settings=settings) as runtime:
        import_standard(runtime, actor=OPERATOR, name="dss")
        found = {item.code: item for item in catalogue.items(runtime, [
            uri for uri in catalogue.hierarchy(runtime)]).values()}
        handle, data = found["DSS-L.what.data.handle"], found["DSS-L.what.data"]
        security = found["DSS-P.security.technology"]
        alignments.confirm(runtime, actor=OPERATOR, programme_id=1, outcome=0,
                           skill=handle.uri)
        assert frameworks.frameworks(runtime)
    issued_credentials(settings, secret=settings.secret_key or "", now=now,
                       cohort=f"email,name\n{LEARNER},Hanako\n", batch="skills")
    add_user(settings, LEARNER, name="Hanako")
    return handle, data, security


def serve_skilled(settings: Settings) -> Iterator[Skilled]:
    settings = dataclasses.replace(settings, secret_key=new_master_key_text())
    handle, data, security = prepare(settings)
    for live in serve(settings):
        with signed_in_client(live.url, LEARNER) as learner:
            [wallet_id] = re.findall(r'data-id="([0-9a-f]{32})"',
                                     learner.get("/wallet", headers=HTML).text)
            link = learner.post("/api/wallet/shares", json={"credential": wallet_id})
            assert link.status_code == 201, link.text
        yield Skilled(live, handle, data, security, link.json()["url"])


@pytest.fixture(scope="module")
def skilled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Skilled]:
    folder = tmp_path_factory.mktemp("skills-pages")
    yield from serve_skilled(Settings.from_env(data_dir=folder / "data", database_url=""))


@pytest.fixture
def http(skilled: Skilled) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=skilled.live.url, timeout=60, headers=HTML) as client:
        yield client


def test_the_skills_page_lists_frameworks_and_finds_skills_by_name(http: httpx.Client) -> None:
    """A Japanese name finds the DSS item; every framework is listed with its package."""
    response = http.get("/skills", params={"q": "データを扱う", "lang": "ja"})
    page = Page(response.text)
    assert_accessible(page, "ja")
    assert "デジタルスキル標準" in page.text
    assert "データを扱う" in page.one("ul", id="skill-results").text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_example_of_the_search_hint_finds_a_skill(http: httpx.Client, lang: str) -> None:
    """What the hint offers as examples ("例：…、…") is found; the bundled DSS's
    description is in the page's language (a CASE document's notes are one text, English;
    credstack knows its own standard's in both)."""
    source = http.get("/skills", params={"lang": lang}).text
    page = Page(source)
    hint = page.one("p", id="skill-q-hint").text
    examples = re.split(r"[、,]\s*", re.sub(r"^(例：|For example: )", "", hint.strip()))
    assert len(examples) == 3
    for example in examples:
        found = Page(http.get("/skills", params={"q": example, "lang": lang}).text)
        assert found.all("ul", id="skill-results"), example
    main = Page(source.split("<main", 1)[1])  # the header's menu names each language in it
    assert not [span for span in main.all("span") if span.attrs.get("lang") == "en"]
    words = "原典と照らし合わせて" if lang == "ja" else "compare with the source"
    assert words in page.one("table", **{"class": "frameworks-table"}).text


def test_a_skills_page_lists_its_programmes_and_providers(http: httpx.Client,
                                                          skilled: Skilled) -> None:
    """The aligned programme under its skill and under the broader one; JSON on request."""
    for item in (skilled.handle, skilled.data):
        page = Page(http.get(f"/skills/{item.identifier}", params={"lang": "en"}).text)
        assert_accessible(page, "en")
        assert "Practical Introduction to Data Science" in \
            page.one("ul", id="skill-programme-list").text
        assert "Hokuto" in page.one("ul", id="skill-provider-list").text
    data = http.get(f"/skills/{skilled.handle.identifier}",
                    headers={"Accept": "application/json"}).json()
    assert data["identifier"] == skilled.handle.identifier


def test_the_alignment_target_url_resolves_here_as_json_and_as_a_page(
        http: httpx.Client, skilled: Skilled) -> None:
    """The item's URI (the credentials' targetUrl) answers CASE JSON, or a browser's page."""
    path = skilled.handle.uri.split("/ims/", 1)[1]
    assert http.get(f"/ims/{path}", headers={"Accept": "application/json"}).json()[
        "uri"] == skilled.handle.uri
    page = http.get(f"/ims/{path}", follow_redirects=True)
    assert "データを扱う" in page.text or "Handling data" in page.text


def test_search_by_a_broader_skill_finds_the_programme(http: httpx.Client,
                                                       skilled: Skilled) -> None:
    """The registry's skill facet: the parent skill selects the programme."""
    found = http.get("/api/search", params={"skill": skilled.data.uri}).json()
    assert [hit["programme_id"] for hit in found["hits"]] == [1]
    page = Page(http.get(f"/search?skill={quote(skilled.data.uri)}&lang=ja").text)
    assert "実践データサイエンス入門" in page.text


def test_the_employer_suggests_skills_and_sees_coverage_per_programme(
        http: httpx.Client, skilled: Skilled) -> None:
    """A job description suggests the skill; chosen skills give the coverage table."""
    page = Page(http.get("/employers", params={
        "text": "Handling data: clean and combine data sets", "action": "suggest",
        "lang": "en"}).text)
    assert_accessible(page, "en")
    offered = [box.attrs["value"] for box in page.all("input", name="skill")]
    assert skilled.handle.uri in offered
    page = Page(http.get("/employers", params=[
        ("skill", skilled.handle.uri), ("skill", skilled.security.uri), ("action", "match"),
        ("lang", "en")]).text)
    table = page.one("table", id="coverage")
    assert "Practical Introduction to Data Science" in table.text
    assert "covered" in table.text and "missing" in table.text


@pytest.mark.parametrize(("lang", "name"), [("en", "Digital Skill Standards (METI/IPA)"),
                                             ("ja", "デジタルスキル標準")])
def test_the_bundled_standard_is_named_in_the_page_language(http: httpx.Client, lang: str,
                                                            name: str) -> None:
    """The DSS is one CASE document titled in Japanese; the English employer and skills pages
    name it in English (issue 39: "デジタルスキル標準" on the English employer page)."""
    offered = Page(http.get("/employers", params={
        "text": "Handling data: clean and combine data sets", "action": "suggest",
        "lang": lang}).text)
    labels = [squash(label.text) for label in offered.all("label")
              if label.attrs.get("for", "").startswith(("skill-", "offer-"))]
    assert labels and all(label.endswith(name) for label in labels), labels
    listed = Page(http.get("/skills", params={"q": "data", "lang": lang}).text)
    assert name in listed.one("table", **{"class": "frameworks-table"}).text
    assert name in listed.one("ul", id="skill-results").text
    other = "デジタルスキル標準" if lang == "en" else "Digital Skill Standards"
    assert other not in offered.text and other not in listed.text


@pytest.mark.parametrize("lang", ["ko", "th"])
def test_a_reader_of_another_language_reads_the_skills_in_english_marked_as_such(
        http: httpx.Client, skilled: Skilled, lang: str) -> None:
    """The DSS names its items and itself in Japanese and English only: a Korean or Thai
    reader reads them in English, marked ``lang="en"`` (a screen reader reads them in
    English), not in Japanese unmarked (issue 53)."""
    english = '<span lang="en">Digital Skill Standards (METI/IPA)</span>'
    listed = http.get("/skills", params={"q": "data", "lang": lang}).text
    assert f'<html lang="{lang}"' in listed
    assert english in listed
    assert re.search(r'<th scope="row"><span lang="en">Digital Skill Standards \(METI/IPA\)'
                     r'</span><br><span class="aside">[^<]+<span lang="en">Digital Skill '
                     r"Standards \(METI/IPA\)\. Transcribed", listed), listed
    page = http.get(f"/skills/{quote(skilled.handle.identifier)}", params={"lang": lang}).text
    assert '<h1 id="skill-name"><span lang="en">Handling data</span></h1>' in page
    assert f'<dd id="skill-framework">{english}</dd>' in page
    assert '<span lang="en">Digital Skill Standards (METI/IPA). Transcribed' in page
    # The item's statement is the standard's own words, in Japanese, and says so.
    assert '<p class="skill-statement" lang="ja">データを扱う</p>' in page
    assert "デジタルスキル標準" not in page


@pytest.mark.parametrize("lang", ["ko", "th"])
def test_a_reader_of_another_language_searches_the_registry(http: httpx.Client,
                                                            lang: str) -> None:
    """The search index holds Japanese and English: a Korean or Thai reader's search is made
    in English (not refused as a language the index does not hold), on the search page, a
    provider's page and a skill's, and the programme it finds reads in English, marked."""
    title = '<span lang="en">Practical Introduction to Data Science</span>'
    for path in ("/search", "/providers/hokuto-tech"):
        page = http.get(path, params={"lang": lang})
        assert page.status_code == 200, (path, page.text[:3000])
        assert f'<html lang="{lang}"' in page.text
    assert title in http.get("/search", params={"q": "data", "lang": lang}).text


def test_a_candidates_share_link_shows_covered_and_missing_skills(
        http: httpx.Client, skilled: Skilled) -> None:
    """The learner's credential carries the alignment: one skill covered, one missing."""
    response = http.post("/employers/candidate?lang=en", data={
        "skill": [skilled.handle.uri, skilled.security.uri], "shared": skilled.share})
    page = Page(response.text)
    assert response.status_code == 200, page.text[:400]
    assert "Handling data" in page.one("ul", id="candidate-covered").text
    assert "Security technology" in page.one("ul", id="candidate-missing").text
    # The server trusts its own registry, where this issuer is no recognised provider: the
    # employer reads that under the credential's title, the issuer's DID kept out of it.
    assert page.one("ul", id="candidate-trust")
    [trusted] = [line for line in page.all("p") if "data-trust" in line.attrs]
    assert trusted.attrs["data-trust"] == "not-listed"
    assert squash(trusted.text) == NOT_LISTED_EN and "did:" not in trusted.text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_employer_saves_a_role_and_finds_it_again(skilled: Skilled, language: str) -> None:
    """A signed-in employer saves the role they described (its description and chosen
    skills) under a title; the page lists it, opening it fills the form again and shows
    the coverage; the same title replaces it; someone else cannot open it; a visitor is
    asked to sign in to save; deleting it removes it (issue 39, the employer's saved role)."""
    employer = f"employer-{language}@example.jp"
    add_user(skilled.live.settings, employer, name="Employer")
    description = "データを扱う人材。Handling data."
    with patiently.client(base_url=skilled.live.url, headers={
            **HTML, "Accept-Language": language}) as visitor:
        anonymous = Page(visitor.get("/employers", params=[
            ("skill", skilled.handle.uri), ("action", "match")]).text)
    assert anonymous.all("p", id="role-sign-in") and not anonymous.all("form",
                                                                        id="save-role-form")
    browser = FormBrowser(skilled.live, employer, language)
    other = FormBrowser(skilled.live, LEARNER, language)
    try:
        form = browser.page(f"/employers?skill={quote(skilled.handle.uri)}&action=match")
        assert form.one("form", id="save-role-form")
        missing = browser.post("/employers/roles", title="  ", text=description,
                               skill=skilled.handle.uri)
        assert missing.status_code == 422 and 'id="role-problem"' in missing.text
        saved = browser.post("/employers/roles", title="データアナリスト", text=description,
                             skill=[skilled.handle.uri, skilled.security.uri])
        assert saved.status_code == 303, saved.text[:2000]
        opened = browser.page(saved.headers["location"].split("#")[0])
        assert_accessible(opened, language)
        [item] = opened.all("li", **{"data-role": re.search(
            r"role=(\d+)", saved.headers["location"])[1]})
        assert "データアナリスト" in item.text
        assert description in opened.one("textarea", id="role-text").text
        ticked = {box.attrs["value"] for box in opened.all("input", name="skill")
                  if "checked" in box.attrs}
        assert ticked == {skilled.handle.uri, skilled.security.uri}
        assert opened.one("table", id="coverage")
        again = browser.post("/employers/roles", title="データアナリスト", text="",
                             skill=skilled.handle.uri)
        assert again.headers["location"] == saved.headers["location"]
        listed = browser.page("/employers")
        assert len(listed.all("li", **{"data-role": item.attrs["data-role"]})) == 1
        assert listed.source.count('<li data-role="') == 1
        role = saved.headers["location"].split("#")[0]
        assert other.get(role).status_code == 404
        assert other.post(f"/employers/roles/{item.attrs['data-role']}/delete"
                          ).status_code == 404
        gone = browser.post(f"/employers/roles/{item.attrs['data-role']}/delete")
        assert gone.status_code == 303
        assert not browser.page("/employers").all("ul", id="saved-roles-list")
        assert browser.get(role).status_code == 404
    finally:
        browser.close()
        other.close()


def test_the_api_matches_a_role_and_a_candidate(http: httpx.Client, skilled: Skilled) -> None:
    """The JSON API answers what the page shows."""
    role = [skilled.handle.uri, skilled.security.uri]
    matched = http.post("/api/skills/match", json={"skills": role}).json()
    assert matched["programmes"][0]["covered"] == [skilled.handle.uri]
    candidate = http.post("/api/skills/match/candidate",
                          json={"skills": role, "shared": skilled.share}).json()
    assert (candidate["covered"], candidate["missing"]) == ([skilled.handle.uri],
                                                            [skilled.security.uri])


def test_a_programmes_level_reads_in_the_readers_framework(http: httpx.Client) -> None:
    """The API reads the stated level elsewhere, citing the crosswalk's sources."""
    found = http.get("/api/levels/frameworks").json()
    assert {"JEQF", "EQF", "AQF", "MQF", "NZQF", "AQRF"} == set(found)


def test_the_provider_confirms_suggestions_on_the_alignment_page(skilled: Skilled) -> None:
    """Only the programme's provider opens it; a visitor is sent to sign in."""
    with patiently.client(base_url=skilled.live.url, headers=HTML) as anonymous:
        response = anonymous.get("/workspace/hokuto-tech/programmes/1/skills")
        assert response.status_code == 303


def test_the_alignment_page_answers_in_both_languages_and_is_linked(
        skilled: Skilled) -> None:
    """With suggestions the page answers 200, in both languages, each suggestion's match in
    words (issue 51: never the ranker's number); the programme list and the editor link to
    it."""
    add_user(skilled.live.settings, ADMIN, roles=[("hokuto-tech", "provider-admin")])
    with signed_in_client(skilled.live.url, ADMIN) as admin:
        for language, words in (("ja", "合致"), ("en", "match")):
            response = admin.get("/workspace/hokuto-tech/programmes/1/skills",
                                 params={"lang": language}, headers=HTML)
            assert response.status_code == 200, response.text[-2000:]
            page = Page(response.text)
            assert_accessible(page, language)
            assert words in page.one("ul", id="suggested-0").text
            assert not re.search(r"\d\.\d", page.one("main").text)
        linked = "/workspace/hokuto-tech/programmes/1/skills"
        assert linked in admin.get("/workspace/hokuto-tech/programmes", headers=HTML).text
        assert linked in admin.get("/workspace/hokuto-tech/programmes/1/edit",
                                   headers=HTML).text


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Choose the role's skills first."),
    ("ja", "先に必要なスキルを選んでください。"),
    ("ko", "먼저 직무에 필요한 기술을 선택하세요."),
])
def test_a_candidate_without_skills_is_refused_in_words_not_by_its_code(
        http: httpx.Client, lang: str, expected: str) -> None:
    """The page's refusal is a coded error (``employers.error.choose_skills``): the page words
    it in its language (``i18n.codes.said``), never shows the code."""
    response = http.post(f"/employers/candidate?lang={lang}", data={"shared": "x"})
    page = Page(response.text)
    assert response.status_code == 422, page.text[:400]
    problem = page.one("p", id="candidate-problem").text
    assert squash(problem) == expected
    assert "employers.error" not in page.text
