"""The pages for people, over real HTTP on SQLite and PostgreSQL.

Every test loads its data through the JSON API first, as a provider would, then reads the
pages as a visitor: in Japanese by default, in English when asked.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from credstack.core.descriptors import models, profiles
from credstack.core.descriptors.catalogue import credit_systems, descriptors
from credstack.entrypoints.web import i18n
from credstack.settings import Settings
from tests.conftest import LiveServer, operator_client, operator_token, serve

HTML = {"Accept": "text/html"}

# --- data, as providers describe it -----------------------------------------------------

ORGANISATIONS: list[dict[str, Any]] = [
    {"slug": "sakura-university", "kind": "university",
     "name": {"ja": "さくら大学", "en": "Sakura University"}, "country": "JP",
     "url": "https://sakura.example.ac.jp/"},
    {"slug": "jsdx", "kind": "academic-society",
     "name": {"ja": "日本DX学会", "en": "Japan Society for Digital Transformation"},
     "country": "JP"},
]

#: Conforms to all five profiles: 90 hours, 2 単位 / 3 ECTS / 2.25 Malaysian credits, EQF 5
#: and MQF 4, internal QA, a 履修証明書, 13 weeks.
DATA_LITERACY: dict[str, Any] = {
    "code": "DX-101",
    "title": {"ja": "データ活用入門", "en": "Introduction to data use"},
    "awarding_body": {"id": "sakura-university",
                      "name": {"ja": "さくら大学", "en": "Sakura University"},
                      "url": "https://sakura.example.ac.jp/"},
    "issuer_region": {"country": "JP", "subdivision": "JP-13"},
    "description": {"ja": "業務データの収集・可視化・分析の基本を学ぶ社会人向けプログラム。",
                    "en": "A programme for working adults on collecting, visualising and "
                          "analysing business data."},
    "learning_outcomes": [
        {"statement": {"ja": "基本統計量を説明できる。", "en": "Explain descriptive statistics."}},
        {"statement": {"ja": "回帰分析を実行し解釈できる。",
                       "en": "Run and interpret a regression analysis."}},
    ],
    "form_of_participation": {"mode": "blended", "pace": "mixed"},
    "languages": ["ja", "en"],
    "learner_effort": {"hours": "90", "duration_weeks": 13, "credits": [
        {"system": "jp-tani", "value": "2"}, {"system": "ects", "value": "3"},
        {"system": "my-credit", "value": "2.25"}]},
    "assessment": {"methods": ["examination", "report"],
                   "supervision": "supervised-onsite-identity-check",
                   "grading": {"ja": "A〜D（C 以上で合格）", "en": "A–D; C or better passes"}},
    "quality_assurance": [
        {"kind": "internal", "scope": "programme",
         "body": {"ja": "さくら大学 教学マネジメント委員会", "en": "Sakura University QA board"}},
        {"kind": "external", "scope": "institution", "valid_until": "2029-03-31"}],
    "levels": [{"framework": "EQF", "level": 5}, {"framework": "MQF", "level": 4}],
    "certification": {"kinds": ["rishu-shomei", "digital-badge"]},
    "credit_recognition": {"kinds": ["academic-credit", "recognition-of-prior-learning"]},
    "prerequisites": {"ja": "表計算ソフトの基本操作", "en": "Basic spreadsheet skills"},
    "stackability": {"stackable": True, "targets": [
        {"title": {"ja": "データサイエンス履修証明", "en": "Data science certificate"},
         "kind": "certificate-programme", "credits": {"system": "jp-tani", "value": "8"}}]},
    "dates_of_delivery": [{"start": "2025-04-01", "end": "2025-06-30"}],
    "inherent_requirements": {"ja": "PC を使えること", "en": "Able to use a computer"},
    "price": {"amount": "50000", "currency": "JPY",
              "financial_assistance": {"ja": "教育訓練給付の対象",
                                       "en": "Eligible for the education and training benefit"}},
    "further_information": {"url": "https://sakura.example.ac.jp/dx-101"},
    "fields": ["digital", "business"],
    "skills": [{"name": {"ja": "データ分析", "en": "Data analysis"}, "framework": "ESCO"}],
}

#: A real MC under the Japanese proposal, but with no level or region for the EU and too few
#: hours for a 履修証明 programme.
GENERATIVE_AI: dict[str, Any] = {
    "code": "GAI-01",
    "title": {"ja": "生成AIの業務活用", "en": "Generative AI at work"},
    "awarding_body": {"id": "jsdx", "name": ORGANISATIONS[1]["name"]},
    "description": {"ja": "生成AIを業務に安全に取り入れる方法を学ぶ。",
                    "en": "How to bring generative AI into daily work safely."},
    "learning_outcomes": [{"statement": {"ja": "生成AIの利用リスクを説明できる。",
                                         "en": "Explain the risks of generative AI."}}],
    "form_of_participation": {"mode": "online", "pace": "asynchronous"},
    "languages": ["ja"],
    "learner_effort": {"hours": "12"},
    "assessment": {"methods": ["project", "quiz"], "supervision": "unsupervised"},
    "quality_assurance": [{"kind": "internal", "scope": "programme"}],
    "credit_recognition": {"kinds": ["professional-development"]},
}

#: A participation badge: attendance alone, no assessment of outcomes.
SEMINAR_BADGE: dict[str, Any] = {
    "code": "SEM-2025",
    "title": {"ja": "DXセミナー参加証", "en": "DX seminar participation badge"},
    "awarding_body": {"id": "jsdx", "name": ORGANISATIONS[1]["name"]},
    "description": {"ja": "年次セミナーへの参加を証明する。",
                    "en": "Certifies attendance at the annual seminar."},
    "form_of_participation": {"mode": "onsite"},
    "learner_effort": {"hours": "3"},
    "assessment": {"methods": ["participation"]},
}


@dataclass
class Registry:
    """What :func:`seed` stored: programme ids by code."""

    ids: dict[str, int] = field(default_factory=dict)


def post_programme(http: httpx.Client, document: dict[str, Any]) -> int:
    response = http.post("/api/programmes", json={"descriptors": document, "publish": True})
    assert response.status_code == 201, response.text
    programme_id: int = response.json()["id"]
    return programme_id


def seed(http: httpx.Client, *, variants: int = 0) -> Registry:
    """The two organisations and three programmes, plus ``variants`` copies of the AI course."""
    for organisation in ORGANISATIONS:
        response = http.post("/api/organisations", json=organisation)
        assert response.status_code == 201, response.text
    registry = Registry()
    for document in (DATA_LITERACY, GENERATIVE_AI, SEMINAR_BADGE):
        registry.ids[document["code"]] = post_programme(http, document)
    for number in range(1, variants + 1):
        variant = copy.deepcopy(GENERATIVE_AI)
        variant["code"] = f"GAI-{number + 1:02d}"
        variant["title"] = {"ja": f"生成AIの業務活用 第{number + 1}期",
                            "en": f"Generative AI at work, cohort {number + 1}"}
        registry.ids[variant["code"]] = post_programme(http, variant)
    return registry


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the module's tests that only read the seeded registry
    (or nothing): those that add or change programmes, which the others count and read,
    have one of their own (``own_http``)."""
    yield from serve(module_settings)


@pytest.fixture(scope="module")
def _operator(server: LiveServer) -> str:
    return operator_token(server)


@pytest.fixture(scope="module")
def registry(server: LiveServer, _operator: str) -> Registry:
    """The module's server with :func:`seed`'s organisations and programmes, seeded once."""
    with operator_client(server, token=_operator) as http:
        return seed(http)


@pytest.fixture
def http(server: LiveServer, _operator: str) -> Iterator[httpx.Client]:
    """The platform operator's client of the module's server, with no cookie of another
    test's."""
    with operator_client(server, token=_operator) as client:
        yield client


@pytest.fixture
def own_http(settings: Settings) -> Iterator[httpx.Client]:
    """The operator's client of a server on an empty store of the test's own."""
    for live in serve(settings):
        with operator_client(live) as client:
            yield client


# --- reading HTML -----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
#: Elements whose edges separate words, as a browser's innerText would.
BLOCK = {"address", "article", "aside", "br", "caption", "dd", "div", "dl", "dt", "footer",
         "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol",
         "option", "p", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class Page(HTMLParser):
    """A parsed page: its elements in document order, each with the text inside it."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        if tag in BLOCK:
            self.handle_data(" ")
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK:
            self.handle_data(" ")
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag
                and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def one(self, tag: str, **attrs: str) -> Element:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    @property
    def text(self) -> str:
        return " ".join(self.one("body").text.split())


def get_page(http: httpx.Client, url: str, **headers: str) -> Page:
    response = http.get(url, headers={**HTML, **headers})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


def assert_accessible(page: Page, language: str) -> None:
    """lang, a skip link first, named landmarks, one h1 and headings in order, captioned
    tables with scoped heads, labelled controls, focusable scrolling regions."""
    assert page.one("html").attrs["lang"] == language
    first_link = page.all("a")[0]
    assert first_link.attrs["href"] == "#main" and "skip-link" in first_link.attrs["class"]
    assert page.one("main").attrs == {"id": "main", "tabindex": "-1"}
    # One site header, perhaps folded for a person of many places (site-header--folded).
    assert len([header for header in page.all("header")
                if "site-header" in header.attrs.get("class", "").split()]) == 1
    assert page.one("footer", **{"class": "site-footer"})
    for nav in page.all("nav"):
        assert nav.attrs.get("aria-label"), "every navigation landmark is named"
    assert len(page.all("h1")) == 1
    levels = [int(e.tag[1]) for e in page.elements if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading h{after} follows h{before}"
    assert page.source.count("<table") == page.source.count("<caption")
    for th in page.all("th"):
        assert th.attrs.get("scope") in {"col", "row"}
    for control in page.all("select") + page.all("input"):
        if control.attrs.get("type") == "hidden":
            continue
        assert page.all("label", for_=control.attrs["id"])
    for region in page.all("div", role="region"):
        assert region.attrs["tabindex"] == "0" and region.attrs["aria-labelledby"]


def squash(text: str) -> str:
    return " ".join(text.split())


# --- home -------------------------------------------------------------------------------


def test_home_says_what_credstack_is_and_counts_programmes_and_providers(
        http: httpx.Client, registry: Registry) -> None:
    """The home page explains MCs in Japanese and counts 3 programmes from 2 providers."""
    page = get_page(http, "/")
    assert page.one("html").attrs["lang"] == "ja"
    assert "マイクロクレデンシャル" in page.one("h1").text
    assert page.one("dd", id="stat-programmes").text.strip() == "3"
    assert page.one("dd", id="stat-providers").text.strip() == "2"
    assert any(a.attrs.get("href") == "/programmes" for a in page.all("a"))


def test_home_lists_the_five_framework_profiles_with_their_summaries(http: httpx.Client) -> None:
    """Each bundled profile appears with its name and summary, linked to its section."""
    page = get_page(http, "/?lang=en")
    for profile in profiles().values():
        assert squash(profile.name.text("en")) in page.text
        assert squash(profile.summary.text("en")) in page.text
        assert page.all("a", href=f"/profiles#{profile.id}")


# --- the list ---------------------------------------------------------------------------


def test_list_shows_title_provider_effort_delivery_and_conformance(
        http: httpx.Client, registry: Registry) -> None:
    """Each row: title link, provider, hours and credits, delivery mode, five verdicts."""
    page = get_page(http, "/programmes")
    rows = page.all("tr")[1:]
    assert len(rows) == 3
    first = squash(rows[0].text)
    assert "データ活用入門" in first and "さくら大学" in first
    assert "90 時間" in first and "2 単位" in first and "3 ECTS" in first
    assert "ブレンド型" in first
    assert first.count("✓ 適合") == 5
    ai = squash(rows[1].text)
    assert "✓ 適合" in ai and "✗ 不適合" in ai
    assert "✗ マイクロクレデンシャルではありません（どの枠組みでも）" in squash(rows[2].text)
    assert rows[2].text.count("✓") == 0
    assert page.all("a", href=f"/programmes/{registry.ids['DX-101']}")
    assert len(page.all("th", scope="col")) == 4 + len(profiles())


def test_list_titles_fall_back_to_the_other_language_marked_with_its_lang(
        own_http: httpx.Client) -> None:
    """A title given only in Japanese shows on the English page inside lang="ja"."""
    http = own_http  # it adds a programme, which the module's other tests would count
    seed(http)
    only_ja = copy.deepcopy(GENERATIVE_AI) | {"code": "JA-ONLY", "title": {"ja": "日本語のみ"}}
    post_programme(http, only_ja)
    page = get_page(http, "/programmes?lang=en")
    assert "Introduction to data use" in page.text
    assert [s for s in page.all("span", lang="ja") if s.text == "日本語のみ"]


def test_provider_filter_lists_only_that_providers_programmes(
        http: httpx.Client, registry: Registry) -> None:
    """The labelled provider select is a GET form; choosing jsdx leaves its two programmes."""
    page = get_page(http, "/programmes")
    select = page.one("select", name="provider")
    assert page.one("label", for_=select.attrs["id"]).text.strip() == "提供機関"
    form = page.one("form")
    assert form.attrs["method"] == "get" and form.attrs["action"] == "/programmes"
    filtered = get_page(http, "/programmes?provider=jsdx")
    assert "生成AIの業務活用" in filtered.text and "DXセミナー参加証" in filtered.text
    assert "データ活用入門" not in filtered.text
    assert filtered.one("option", value="jsdx").attrs.get("selected") is not None


def test_next_page_link_continues_after_the_last_row_without_offset(
        http: httpx.Client, registry: Registry) -> None:
    """With limit=2 the first page links to after=<last id>; that page has the third row."""
    first = get_page(http, "/programmes?limit=2")
    assert len(first.all("tr")) == 1 + 2
    pager = first.one("nav", id="pager")
    link = next(a for a in first.all("a") if "hx-get" in a.attrs)
    href = link.attrs["href"]
    assert "offset" not in href and "limit=2" in href
    assert f"after={registry.ids['GAI-01']}" in href
    assert link.attrs["hx-get"] == href and link.attrs["hx-target"] == "#programme-rows"
    assert "次のページを表示" in pager.text
    second = get_page(http, href)
    assert "DXセミナー参加証" in second.text and "データ活用入門" not in second.text
    assert not [a for a in second.all("a") if "hx-get" in a.attrs]
    assert second.all("a", href="/programmes?limit=2")


def test_htmx_request_returns_only_the_rows_and_an_updated_pager(
        http: httpx.Client, registry: Registry) -> None:
    """With HX-Request the next page is table rows plus out-of-band pager and status."""
    after = registry.ids["DX-101"]
    response = http.get(f"/programmes?limit=1&after={after}",
                        headers={**HTML, "HX-Request": "true"})
    assert response.status_code == 200
    body = response.text
    assert body.lstrip().startswith('<tr role="row">')
    for absent in ("<html", "<head", "<body", "<header", "<table", "<main", "<h1"):
        assert absent not in body
    fragment = Page(body)
    assert len(fragment.all("tr")) == 1
    assert "生成AIの業務活用" in fragment.all("tr")[0].text
    assert fragment.one("nav", id="pager").attrs["hx-swap-oob"] == "true"
    more = next(a for a in fragment.all("a") if "hx-get" in a.attrs)
    assert more.attrs["hx-get"] == f"/programmes?limit=1&after={registry.ids['GAI-01']}"
    assert fragment.all("div", **{"hx-swap-oob": "innerHTML:#list-status"})
    assert "HX-Request" in response.headers["vary"]


# --- languages --------------------------------------------------------------------------


def test_pages_are_in_japanese_by_default(http: httpx.Client) -> None:
    """Without a choice, cookie or Accept-Language, pages are Japanese."""
    page = get_page(http, "/programmes")
    assert page.one("html").attrs["lang"] == "ja"
    assert page.one("h1").text.strip() == "プログラム一覧"


def test_lang_query_switches_to_english_and_the_cookie_remembers_it(
        http: httpx.Client, registry: Registry) -> None:
    """?lang=en answers in English and sets lang=en (SameSite=Lax) for the next pages."""
    response = http.get("/programmes?lang=en", headers=HTML)
    assert Page(response.text).one("html").attrs["lang"] == "en"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lang=en;")
    assert "samesite=lax" in cookie.lower() and "path=/" in cookie.lower()
    assert response.headers["content-language"] == "en"
    later = get_page(http, f"/programmes/{registry.ids['DX-101']}")
    assert later.one("html").attrs["lang"] == "en"
    assert later.one("h1").text.strip() == "Introduction to data use"
    back = get_page(http, "/?lang=ja")
    assert back.one("html").attrs["lang"] == "ja"
    assert get_page(http, "/profiles").one("html").attrs["lang"] == "ja"


@pytest.mark.parametrize(("header", "language"), [
    ("en", "en"), ("en-US,en;q=0.9", "en"), ("fr-FR, en;q=0.5, ja;q=0.4", "en"),
    ("ja-JP,ja;q=0.9,en;q=0.8", "ja"), ("de, fr", "ja"), ("en;q=0, ja;q=0.1", "ja"),
])
def test_accept_language_chooses_the_best_supported_language(
        http: httpx.Client, header: str, language: str) -> None:
    """Accept-Language is honoured by quality; unsupported languages fall back to Japanese."""
    page = get_page(http, "/", **{"Accept-Language": header})
    assert page.one("html").attrs["lang"] == language


def test_the_cookie_wins_over_accept_language(http: httpx.Client) -> None:
    """A remembered choice outranks the browser's languages."""
    http.cookies.set("lang", "ja")
    page = get_page(http, "/", **{"Accept-Language": "en"})
    assert page.one("html").attrs["lang"] == "ja"


def test_language_switch_keeps_the_path_and_query(http: httpx.Client, registry: Registry
                                                  ) -> None:
    """The header link to English is this page with lang=en, marked hreflang and lang."""
    page = get_page(http, "/programmes?provider=jsdx&limit=5")
    switch = page.one("a", hreflang="en")
    assert switch.attrs["href"] == "/programmes?provider=jsdx&limit=5&lang=en"
    assert switch.attrs["lang"] == "en" and switch.text.strip() == "English"
    english = get_page(http, switch.attrs["href"])
    back = english.one("a", hreflang="ja")
    assert back.attrs["href"] == "/programmes?provider=jsdx&limit=5&lang=ja"
    assert back.text.strip() == "日本語"


# --- one programme ----------------------------------------------------------------------


def test_programme_page_shows_the_badge_of_its_published_version(http: httpx.Client,
                                                                 registry: Registry) -> None:
    """The badge of the version shown, beside the title, named for those who cannot see it."""
    programme = registry.ids["DX-101"]
    for lang, alt in (("ja", "のバッジ"), ("en", "The badge of")):
        page = get_page(http, f"/programmes/{programme}?lang={lang}")
        [badge] = [img for img in page.all("img") if "badge-image" in img.attrs.get("class", "")]
        assert badge.attrs["src"] == f"/badges/{programme}/v1.svg" and alt in badge.attrs["alt"]
    assert http.get(f"/badges/{programme}/v1.svg").status_code == 200


def test_programme_page_offers_its_elm_datasets_or_says_why_the_register_would_not_take_it(
        http: httpx.Client, registry: Registry) -> None:
    """DX-101 (EQF 5, MQF 4) links both ELM datasets; GAI-01 states no level, so the page says,
    in the reader's language, why the Register profile leaves it out, and links none."""
    taken = registry.ids["DX-101"]
    page = get_page(http, f"/programmes/{taken}?lang=en")
    links = {a.attrs.get("href") for a in page.all("a")}
    assert {f"/api/programmes/{taken}/elm",
            f"/api/programmes/{taken}/elm?profile=register"} <= links
    assert http.get(f"/api/programmes/{taken}/elm?profile=register").status_code == 200
    left = registry.ids["GAI-01"]
    for lang, said in (("en", "states no qualification level"),
                       ("ja", "資格レベルの記載がなく")):
        page = get_page(http, f"/programmes/{left}?lang={lang}")
        links = {a.attrs.get("href") for a in page.all("a")}
        assert f"/api/programmes/{left}/elm" in links
        assert f"/api/programmes/{left}/elm?profile=register" not in links
        assert said in squash(page.one("ul", **{"aria-labelledby": "elm-register"}).text)


def test_programme_page_opens_with_what_a_learner_wants_to_know(http: httpx.Client,
                                                                 registry: Registry) -> None:
    """Provider, hours, credits, level, dates, price, how to enrol and recognition come first,
    before the comparison offer, the descriptors and any framework verdict."""
    page = get_page(http, f"/programmes/{registry.ids['DX-101']}?lang=en")
    essentials = page.one("section", **{"aria-labelledby": "essentials"})
    text = squash(essentials.text)
    for expected in (
        "Provider Sakura University (Japan)", "Learning hours 90 hours (13 weeks)",
        "Credits 2 Japanese credits, 3 ECTS, 2.25 Malaysian credits",
        "Level EQF level 5, MQF level 4",
        "Dates 1 April 2025 – 30 June 2025", "Format and language Blended (on site and "
        "online), Japanese, English", "Assessment Examination, Report",
        "Price 50,000 JPY Financial assistance available",
        "How to enrol Details and enrolment",
        "Recognition No recognition by a recognition body is recorded yet.",
    ):
        assert expected in text, (expected, text)
    links = page.all("a", href="https://sakura.example.ac.jp/dx-101")
    assert links[0].text.strip() == "Details and enrolment"
    source = page.source
    first = source.index('id="essentials"')
    for later in ('id="descriptors"', 'id="conformance"', 'class="verdict ',
                  "has not been recognised"):
        assert later not in source[:first], later
    # The essentials come first in the table of contents too.
    toc = page.one("nav", **{"aria-label": "On this page"})
    assert squash(toc.text).startswith("Key facts")
    japanese = squash(get_page(http, f"/programmes/{registry.ids['DX-101']}?lang=ja")
                      .one("section", **{"aria-labelledby": "essentials"}).text)
    for expected in ("学習時間 90 時間（13 週間）", "受講料 50,000 円",
                     "申込み方法 詳細・申込みページ", "認定機関による認定の記録はまだありません。"):
        assert expected in japanese, (expected, japanese)


def test_the_essentials_say_not_stated_and_point_to_the_provider_when_details_are_missing(
        http: httpx.Client, registry: Registry) -> None:
    """Without credits, level, dates, price or an enrolment link: 'not stated', and the
    provider's page to ask."""
    page = get_page(http, f"/programmes/{registry.ids['GAI-01']}?lang=en")
    text = squash(page.one("section", **{"aria-labelledby": "essentials"}).text)
    for label in ("Credits", "Level", "Dates", "Price"):
        assert f"{label} — not stated" in text, (label, text)
    assert "How to enrol Ask Japan Society for Digital Transformation" in text


def test_the_conformance_report_comes_last_and_reads_neutrally(http: httpx.Client,
                                                               registry: Registry) -> None:
    """The frameworks' verdicts sit under the descriptors with a word on what they mean;
    'not a micro-credential' is a neutral note there, not an alarm at the top."""
    page = get_page(http, f"/programmes/{registry.ids['SEM-2025']}?lang=en")
    source = page.source
    assert source.index('id="descriptors"') < source.index('id="conformance"')
    assert "notice--bad" not in source
    report = page.one("section", **{"class": "conformance-report"})
    notes = [p for p in page.all("p") if "notice--neutral" in p.attrs.get("class", "")]
    assert len(notes) == 1 and "not a micro-credential" in notes[0].text.lower()
    assert source.index('class="conformance-report"') < source.index("notice--neutral")
    assert "The frameworks differ" in report.text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_programme_page_shows_every_descriptor_of_the_catalogue_in_order(
        http: httpx.Client, registry: Registry, language: str) -> None:
    """All 23 descriptors appear, in catalogue order, named in the page's language."""
    page = get_page(http, f"/programmes/{registry.ids['DX-101']}?lang={language}")
    shown = [div for div in page.all("div") if div.attrs.get("id", "").startswith("d-")]
    assert [div.attrs["id"] for div in shown] == [f"d-{d.key}" for d in descriptors()]
    assert len(shown) == 23
    for div, descriptor in zip(shown, descriptors(), strict=True):
        assert squash(descriptor.name.text(language)) in squash(div.text)


def test_programme_page_renders_values_with_human_labels(http: httpx.Client,
                                                          registry: Registry) -> None:
    """Texts, outcomes, labels for vocabularies, QA records, levels, price, dates, skills."""
    page = get_page(http, f"/programmes/{registry.ids['DX-101']}?lang=en")
    text = page.text
    for expected in (
        "Introduction to data use", "Sakura University", "Japan (JP, JP-13)",
        "Explain descriptive statistics.", "Run and interpret a regression analysis.",
        "Blended (on site and online)", "Pace: Mixed", "Japanese (ja), English (en)",
        "Examination, Report", "Supervised on site, with identity check",
        "A–D; C or better passes", "Internal quality assurance (Programme)",
        "External quality assurance (Institution)", "Valid until: 31 March 2029",
        "EQF level 5", "MQF level 4", "Certificate of a 履修証明 programme, Digital badge",
        "Academic credit, Recognition of prior learning", "Basic spreadsheet skills",
        "Stackable", "Data science certificate (Certificate programme, 8 Japanese credits)",
        "Supervised on site, with identity check", "1 April 2025 – 30 June 2025",
        "Able to use a computer", "50,000 JPY",
        "Eligible for the education and training benefit",
        "https://sakura.example.ac.jp/dx-101", "Digital, Business", "Data analysis (ESCO)",
    ):
        assert expected in text, expected
    japanese = get_page(http, f"/programmes/{registry.ids['DX-101']}?lang=ja").text
    for expected in ("ブレンド型（対面とオンライン）", "試験、レポート", "50,000 円",
                     "EQF レベル 5", "2025年4月1日 〜 2025年6月30日", "日本（JP, JP-13）"):
        assert expected in japanese, expected


def test_programme_page_shows_effort_and_its_equivalent_in_every_credit_system(
        http: httpx.Client, registry: Registry) -> None:
    """90 hours with the stated credits and a table of every system's equivalent."""
    page = get_page(http, f"/programmes/{registry.ids['DX-101']}?lang=en")
    table = next(t for t in page.all("table") if "equivalents" in t.attrs.get("class", ""))
    text = squash(table.text)
    assert "What 90 hours are worth in each credit system" in text
    for info in credit_systems().values():
        assert info.name.text("en") in text
    assert "ECTS credit (25–30 hours per credit) 3–3.6 3" in text
    assert "Japanese credit (単位) (45 hours per credit) 2 2" in text
    assert "New Zealand credit (10 hours per credit) 9" in text
    assert "Stated credits: 2 Japanese credits, 3 ECTS, 2.25 Malaysian credits" in page.text
    assert "90 hours (13 weeks)" in page.text


def test_award_descriptors_are_supplied_at_issuance_and_absent_ones_not_stated(
        http: httpx.Client, registry: Registry) -> None:
    """Learner, date of issuing and grade say 'supplied at issuance'; gaps say 'not stated'."""
    page = get_page(http, f"/programmes/{registry.ids['GAI-01']}")
    for key in ("learner_identification", "date_of_issuing", "grade"):
        assert "発行時に記載" in page.one("div", id=f"d-{key}").text
    for key in ("levels", "price", "issuer_region"):
        assert "— 未記載" in squash(page.one("div", id=f"d-{key}").text)
    english = get_page(http, f"/programmes/{registry.ids['GAI-01']}?lang=en")
    assert "supplied at issuance" in english.one("div", id="d-grade").text
    assert "— not stated" in squash(english.one("div", id="d-levels").text)


def test_programme_page_has_the_conformance_matrix(http: httpx.Client,
                                                   registry: Registry) -> None:
    """Rows are the 23 descriptors, columns the 5 profiles, cells requirement and state."""
    page = get_page(http, f"/programmes/{registry.ids['GAI-01']}?lang=en")
    matrix = next(t for t in page.all("table") if t.attrs.get("class") == "matrix")
    source = page.source[page.source.index('<table class="matrix">'):]
    source = source[:source.index("</table>")]
    matrix_page = Page(source)
    body_rows = [r for r in matrix_page.all("tr")][1:-1]
    assert len(body_rows) == len(descriptors())
    assert len(matrix_page.all("th", scope="col")) == 1 + len(profiles())
    assert "What each framework asks of each descriptor" in matrix.text
    levels = squash(body_rows[12].text)
    assert levels.startswith("Level")
    # jp-mc optional, EU required and missing, AU not listed, MQA required, 履修証明 not listed.
    assert levels == ("Level optional ✗ missing required ✗ missing — not listed ✗ missing "
                      "required ✗ missing — not listed ✗ missing")
    cells = [td for td in matrix_page.all("td") if "cell--problem" in td.attrs.get("class", "")]
    assert cells and all("✗ missing" in squash(td.text) for td in cells)
    title = squash(body_rows[2].text)
    assert title == "Title of the micro-credential" + " required ✓ present" * 5
    issuing = squash(body_rows[1].text)
    assert "⋯ at issuance" in issuing


def test_programme_page_lists_each_profiles_findings_and_verdict(
        http: httpx.Client, registry: Registry) -> None:
    """One section per profile: a verdict line, then severity, the descriptor (by its name)
    and message per finding."""
    page = get_page(http, f"/programmes/{registry.ids['GAI-01']}?lang=en")
    text = page.text
    assert "Common descriptors (Japanese proposal) ✓ Conforms" in text
    eu = page.one("section", **{"aria-labelledby": "findings-eu-2022"})
    eu_text = squash(eu.text)
    assert "✗ Does not conform" in eu_text
    assert ("✗ Error Level Level is required by EU Council Recommendation (2022) but missing."
            in eu_text)
    rishu = squash(page.one("section", **{"aria-labelledby": "findings-jp-rishu"}).text)
    assert "12 hours is less than the minimum of 60 hours." in rishu
    japanese = get_page(http, f"/programmes/{registry.ids['GAI-01']}?lang=ja")
    assert "学習量 12 時間は最低 60 時間に足りません。" in japanese.text


def test_a_participation_badge_is_not_a_micro_credential(http: httpx.Client,
                                                         registry: Registry) -> None:
    """Under every profile the badge is 'not a micro-credential', with the finding's reason."""
    page = get_page(http, f"/programmes/{registry.ids['SEM-2025']}")
    glance = squash(page.one("section", **{"aria-labelledby": "glance"}).text)
    assert glance.count("✗ マイクロクレデンシャルではありません") == len(profiles())
    rows = [r for r in page.all("tr") if r.attrs.get("data-code") == "not-a-micro-credential"]
    assert len(rows) == len(profiles())
    assert "参加のみでは評価になりません" in rows[0].text
    assert "評価の方法" in rows[0].text and "assessment.methods" not in rows[0].text
    assert "参加のみ" in page.one("div", id="d-assessment").text


def test_programme_page_shows_provider_version_status_and_history(
        own_http: httpx.Client) -> None:
    """After an edit the page shows version 2, published, and both versions in the history."""
    http = own_http  # it edits a programme that the module's other tests read
    registry = seed(http)
    programme_id = registry.ids["GAI-01"]
    edited = copy.deepcopy(GENERATIVE_AI) | {"learner_effort": {"hours": "15"}}
    response = http.put(f"/api/programmes/{programme_id}",
                        json={"descriptors": edited, "publish": True})
    assert response.json()["change"] == "new-version"
    page = get_page(http, f"/programmes/{programme_id}?lang=en")
    facts = squash(page.one("dl", **{"class": "facts"}).text)
    assert facts == ("Provider Japan Society for Digital Transformation Code GAI-01 Version 2 "
                     "Status Published")
    versions = next(t for t in page.all("table") if t.attrs.get("class") == "versions")
    assert "Versions of this programme, oldest first" in versions.text
    assert page.all("a", href=f"/api/programmes/{programme_id}/versions/1")
    assert page.all("a", href=f"/api/programmes/{programme_id}/versions/2")
    assert "15 hours" in page.text


def test_unknown_programme_is_an_html_404_in_the_visitors_language(http: httpx.Client) -> None:
    """/programmes/999999 is a page, not JSON: 404 in Japanese, or English when chosen."""
    response = http.get("/programmes/999999", headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert page.one("html").attrs["lang"] == "ja"
    assert page.one("h1").text.strip() == "見つかりません"
    # The detail is English only: the page says it in Japanese, the English kept apart.
    detail = page.one("p", **{"class": "error-detail"})
    assert "lang" not in detail.attrs and "見つかりませんでした" in detail.text
    technical = page.one("details", **{"class": "error-technical"})
    assert "programme with id 999999" in technical.text
    assert page.one("p", lang="en").text.strip().endswith("programme with id 999999.")
    english = http.get("/programmes/999999", headers={**HTML, "Accept-Language": "en"})
    assert english.status_code == 404
    assert Page(english.text).one("html").attrs["lang"] == "en"
    assert Page(english.text).one("h1").text.strip() == "Not found"
    assert "programme with id 999999." in Page(english.text).one(
        "p", **{"class": "error-detail"}).text
    assert "error-technical" not in english.text
    for url in ("/programmes/99999999999999999999999", "/no-such-page"):
        assert http.get(url, headers=HTML).status_code == 404


def test_html_is_escaped_in_every_place_a_title_appears(own_http: httpx.Client) -> None:
    """A title with <script> shows as text on the list and the programme page and in <title>."""
    http = own_http  # it adds a programme, which the module's other tests would count
    http.post("/api/organisations", json=ORGANISATIONS[1])
    evil = copy.deepcopy(SEMINAR_BADGE) | {
        "code": "XSS", "title": {"ja": "<script>alert(1)</script>", "en": '"><img src=x>'}}
    programme_id = post_programme(http, evil)
    for url in (f"/programmes/{programme_id}", f"/programmes/{programme_id}?lang=en",
                "/programmes"):
        source = http.get(url, headers=HTML).text
        assert "<script>alert(1)" not in source
        assert "<img src=x>" not in source
        assert ("&lt;script&gt;alert(1)&lt;/script&gt;" in source
                or "&#34;&gt;&lt;img src=x&gt;" in source)


# --- frameworks -------------------------------------------------------------------------


def test_profiles_page_lists_requirements_sources_and_rules_in_words(
        http: httpx.Client) -> None:
    """Each profile: name, summary, source, required and optional names, rules in words."""
    page = get_page(http, "/profiles?lang=en")
    for profile in profiles().values():
        section = squash(page.one("section", **{"aria-labelledby": profile.id}).text)
        assert profile.name.text("en") in section
        assert squash(profile.source) in section
        catalogue = {d.key: d for d in descriptors()}
        for key in profile.required + profile.optional:
            assert catalogue[key].name.text("en") in section
    rishu = squash(page.one("section", **{"aria-labelledby": "jp-rishu"}).text)
    assert "At least 60 hours of learner effort" in rishu
    assert "The certification includes Certificate of a 履修証明 programme" in rishu
    eu = squash(page.one("section", **{"aria-labelledby": "eu-2022"}).text)
    assert "1–59 ECTS credit (mostly up to 15)" in eu
    assert "A level in EQF is stated" in eu
    mqa = squash(page.one("section", **{"aria-labelledby": "my-mqa"}).text)
    assert "The credits are stated in Malaysian credit" in mqa
    jp = squash(get_page(http, "/profiles?lang=ja").one(
        "section", **{"aria-labelledby": "jp-mc"}).text)
    assert "学習量が 10 時間以上 5,580 時間未満（学士学位（124単位×45時間）未満）" in jp
    assert "期間が 52 週以内" in jp


# --- accessibility and the frame --------------------------------------------------------

PAGES = ["/", "/programmes", "/programmes/{DX-101}", "/programmes/{SEM-2025}", "/profiles",
         "/programmes/999999"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("language", ["ja", "en"])
def test_pages_have_the_accessibility_basics(http: httpx.Client, registry: Registry, url: str,
                                             language: str) -> None:
    """lang, a skip link first, landmarks, one h1, ordered headings, captions, scoped th."""
    url = re.sub(r"\{([^}]+)\}", lambda m: str(registry.ids[m.group(1)]), url)
    response = http.get(f"{url}?lang={language}", headers=HTML)
    page = Page(response.text)
    assert_accessible(page, language)
    footer_links = {a.attrs["href"] for a in page.all("a")}
    assert {"/docs", "/openapi.json"} <= footer_links
    assert "https://" not in "".join(e.attrs.get("src", "") for e in page.all("script"))


def test_htmx_and_the_stylesheet_are_served_from_credstack_itself(http: httpx.Client) -> None:
    """No CDN: the vendored htmx, its licence and the stylesheet come from /static."""
    page = get_page(http, "/")
    scripts = [e.attrs["src"] for e in page.all("script")]
    assert scripts == ["/static/vendor/htmx.min.js"]
    stylesheets = [e.attrs["href"] for e in page.all("link", rel="stylesheet")]
    assert stylesheets == ["/static/credstack.css"]
    htmx = http.get("/static/vendor/htmx.min.js")
    assert htmx.status_code == 200 and "htmx" in htmx.text[:200]
    assert "Zero-Clause BSD" in http.get("/static/vendor/htmx.LICENSE").text
    css = http.get("/static/credstack.css").text
    assert '"Hiragino Sans"' in css and '"Noto Sans JP"' in css and ":focus-visible" in css


def test_pages_allow_only_their_own_scripts_and_styles(http: httpx.Client) -> None:
    """A Content-Security-Policy without inline script backs up the escaping."""
    response = http.get("/", headers=HTML)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_stay_out_of_the_openapi_description(http: httpx.Client) -> None:
    """The API description lists the JSON API only: ``/api/…``, the W3C VC-API paths, OAuth
    (and its metadata), the 1EdTech APIs under ``/ims/`` (CASE 1.1, OB 3.0, CLR 2.0), the
    OID4VCI and OID4VP endpoints wallets call, the documents credentials point at (status
    lists, achievements, endorsements), the OpenID Federation endpoints (each provider's
    entity configuration among them), and the operator's probes and metrics."""
    paths = http.get("/openapi.json").json()["paths"]
    assert all(path.startswith(("/api/", "/credentials/", "/presentations/", "/issuers/",
                                "/status-lists/", "/achievements/", "/badges/", "/ob2/",
                                "/oauth/", "/recognitions/", "/ims/", "/.well-known/",
                                "/oid4vci/", "/oid4vp/", "/federation/", "/healthz", "/readyz",
                                "/metrics"))
               or path == "/organisations/{slug}/.well-known/openid-federation"
               for path in paths)
    assert not any(path.startswith(("/programmes", "/verify", "/profiles", "/recognition/",
                                    "/review", "/sign-in", "/account")) for path in paths)


# --- the catalogue of labels ------------------------------------------------------------


@pytest.mark.parametrize("enum", [
    value for value in vars(models).values()
    if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_vocabulary_value_has_a_label_in_both_languages(enum: type[StrEnum],
                                                              language: i18n.Language) -> None:
    """Delivery modes, assessment methods, credit systems, kinds… all read as words."""
    t = i18n.Translator(language)
    for member in enum:
        label = t.label(member)
        assert label and label.strip()
