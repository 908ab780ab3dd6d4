"""The registry's pages over real HTTP on SQLite and PostgreSQL, with the demo data loaded.

Search with facets, providers, the comparison, programme pages as visitors see them (the
newest published version) and the sitemaps; hostile input never makes a 500.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.core.descriptors.catalogue import Scope, credit_systems, descriptors
from credstack.demo import load_demo_documents
from credstack.entrypoints.web.i18n import offered
from credstack.entrypoints.web.pages import registry as registry_pages
from credstack.settings import Settings
from tests.accounts import published_ids, store_session
from tests.conftest import LiveServer, operator_client, serve, shared_store
from tests.entrypoints.web.pages.test_programmes import (
    HTML,
    Page,
    assert_accessible,
    get_page,
    squash,
)

NOW = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Demo:
    """The demo data set as stored: programme ids by code, and the server."""

    ids: dict[str, int]
    server: LiveServer


def load_demo(settings: Settings) -> None:
    """Every demo organisation and programme, imported as ``credstack demo`` does."""
    with store_session(settings) as session:
        programme_store.import_documents(session, documents=load_demo_documents(), now=NOW)


@pytest.fixture(scope="module")
def server(module_settings: Settings) -> Iterator[LiveServer]:
    """The application over the demo data, loaded before it starts (``credstack demo``,
    then ``credstack serve``), shared by the tests that only read."""
    load_demo(module_settings)
    yield from serve(module_settings)


@pytest.fixture
def demo(server: LiveServer) -> Demo:
    return Demo(published_ids(server.settings), server)


@dataclass
class Fresh:
    """A server apart from the readers' over the demo data, for the tests that publish or
    edit: each adds a draft of a code of its own or a version of a programme no other of them
    reads, so one server serves them all."""

    http: httpx.Client
    demo: Demo


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def writers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[LiveServer]:
    for settings in shared_store(request, tmp_path_factory):
        load_demo(settings)
        yield from serve(settings)


@pytest.fixture
def fresh(writers: LiveServer) -> Iterator[Fresh]:
    with operator_client(writers) as http:
        yield Fresh(http, Demo(published_ids(writers.settings), writers))


def publish(http: httpx.Client, document: dict[str, Any], *, publish: bool = True) -> int:
    response = http.post("/api/programmes", json={"descriptors": document, "publish": publish})
    assert response.status_code == 201, response.text
    programme_id: int = response.json()["id"]
    return programme_id


def demo_document(code: str) -> dict[str, Any]:
    programme = next(p for p in load_demo_documents().programmes if p.code == code)
    return copy.deepcopy(programme.to_document())


def get(http: httpx.Client, url: str, status: int) -> Page:
    response = http.get(url, headers=HTML)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def check_accessibility(page: Page, language: str) -> None:
    """The basics (:func:`assert_accessible`), unique ids, captioned fieldsets and ARIA
    references that point at something."""
    assert_accessible(page, language)
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "element ids are unique"
    for fieldset in page.all("fieldset"):
        assert fieldset.text.strip()
    for element in page.elements:
        for attribute in ("aria-labelledby", "aria-describedby"):
            for target in element.attrs.get(attribute, "").split():
                assert target in ids, f"{attribute}={target} points at nothing"


# --- search -----------------------------------------------------------------------------


def search(http: httpx.Client, url: str, status: int = 200) -> Page:
    return get(http, url, status)


def result_items(page: Page) -> list[Any]:
    return [li for li in page.all("li") if li.attrs.get("class") == "result"]


def total(page: Page) -> int:
    return int(re.sub(r"\D", "", page.one("p", id="search-status").text))


def test_search_page_is_a_get_form_with_a_fieldset_of_checkboxes_per_facet(
        http: httpx.Client, demo: Demo) -> None:
    """q, the sort order and labelled checkboxes with counts, all in one GET form."""
    page = search(http, "/search")
    form = page.one("form", id="search-form")
    assert (form.attrs["method"], form.attrs["action"], form.attrs["role"]) == (
        "get", "/search", "search")
    assert page.one("label", for_="q").text.strip() == "キーワード"
    assert page.one("input", id="q").attrs["type"] == "search"
    assert [o.attrs["value"] for o in page.all("option")] == [
        "relevance", "title", "effort", "credits", "newest"]
    legends = [squash(e.text) for e in page.all("legend")]
    assert {"分野", "授業の方法", "授業言語", "提供機関"} <= set(legends)
    online = page.one("label", for_=page.one("input", name="delivery_mode",
                                             value="online").attrs["id"])
    assert squash(online.text).startswith("オンライン")
    assert re.fullmatch(r"オンライン \d+（\d+ 件）", squash(online.text))
    assert page.one("button", id="apply-filters").text.strip() == "条件を適用"
    assert total(page) == len(demo.ids)


def test_a_japanese_word_finds_programmes_with_it_in_the_title_first(
        http: httpx.Client, demo: Demo) -> None:
    """半導体: title matches lead; each result shows provider, hours, delivery, language."""
    page = search(http, "/search?q=半導体")
    items = result_items(page)
    assert items and total(page) >= len(items)
    titles = [squash(e.text) for e in page.all("h3") if e.attrs.get("class") == "result__title"]
    assert "半導体" in titles[0]
    seen_other = False
    for title in titles:
        seen_other = seen_other or "半導体" not in title
        assert not (seen_other and "半導体" in title), "title matches come first"
    first = squash(items[0].text)
    assert re.search(r"学習量 [\d.]+ 時間", first) and "授業の方法 " in first
    assert re.search(r"授業言語 (日本語|韓国語)", first)  # the newest title match leads
    assert [a for a in Page(page.source).all("a")
            if a.attrs.get("href", "").startswith("/providers/")]
    assert f"{total(page)} 件見つかりました" == page.one("p", id="search-status").text.strip()


def test_a_facet_filters_and_can_be_removed(http: httpx.Client, demo: Demo) -> None:
    """delivery_mode=online: fewer results, the box checked, a chip that removes it."""
    everything = total(search(http, "/search?q=データ"))
    page = search(http, "/search?q=データ&delivery_mode=online")
    assert 0 < total(page) < everything
    box = page.one("input", name="delivery_mode", value="online")
    assert "checked" in box.attrs
    chip = next(a for a in page.all("a") if a.attrs.get("class") == "chip")
    assert chip.attrs["href"] == "/search?q=%E3%83%87%E3%83%BC%E3%82%BF"
    assert "条件「オンライン」を解除" in chip.text
    for item in result_items(page):
        assert "授業の方法 オンライン" in squash(item.text)


def test_values_of_one_facet_are_alternatives_and_facets_combine(http: httpx.Client,
                                                                demo: Demo) -> None:
    """Two fields: at least as many as either; adding a delivery mode: no more than before."""
    digital = total(search(http, "/search?field=digital"))
    green = total(search(http, "/search?field=green"))
    both = total(search(http, "/search?field=digital&field=green"))
    assert both >= max(digital, green)
    narrowed = total(search(http, "/search?field=digital&field=green&delivery_mode=onsite"))
    assert narrowed <= both


def test_next_page_is_a_keyset_token_link(http: httpx.Client, demo: Demo) -> None:
    """limit=5: "next page" carries after=<token>; page two has other programmes."""
    first = search(http, "/search?limit=5")
    link = next(a for a in first.all("a") if a.attrs.get("rel") == "next")
    params = dict(query_of(link.attrs["href"]))
    assert params["limit"] == "5" and params["after"]
    assert "offset" not in link.attrs["href"]
    second = search(http, link.attrs["href"])
    ids_first = {i.text for i in result_items(first)}
    assert len(result_items(second)) == 5 and not ids_first & {i.text for i in
                                                               result_items(second)}
    assert "（続き）" in second.one("h2", id="results-title").text
    assert second.all("a", href="/search?limit=5")


def test_htmx_gets_the_results_the_count_and_the_language_switch(http: httpx.Client,
                                                                 demo: Demo) -> None:
    """HX-Request: #search-body alone, plus out-of-band status and language link."""
    response = http.get("/search?q=データ&delivery_mode=online",
                        headers={**HTML, "HX-Request": "true"})
    assert response.status_code == 200
    body = response.text
    assert body.lstrip().startswith('<div id="search-body"')
    for absent in ("<html", "<head", "<header", "<h1", "<main"):
        assert absent not in body
    fragment = Page(body)
    status = fragment.one("div", **{"hx-swap-oob": "innerHTML:#search-status"})
    assert "件見つかりました" in status.text
    menu = fragment.one("details", id="lang-switch")
    assert menu.attrs["hx-swap-oob"] == "true"
    switch = fragment.one("a", hreflang="en")
    assert switch.attrs["href"].endswith("&lang=en")
    assert "delivery_mode=online" in switch.attrs["href"]
    assert "HX-Request" in response.headers["vary"]
    restore = http.get("/search?q=データ", headers={**HTML, "HX-Request": "true",
                                                     "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text, "a history restore gets the whole page"


def test_the_language_switch_keeps_the_query(http: httpx.Client, demo: Demo) -> None:
    """The English link is this search with lang=en; the English page says the same."""
    page = search(http, "/search?q=データ&delivery_mode=online&sort=title")
    switch = page.one("a", hreflang="en").attrs["href"]
    assert query_of(switch) == [("q", "データ"), ("delivery_mode", "online"), ("sort", "title"),
                                ("lang", "en")]
    english = search(http, switch)
    assert english.one("html").attrs["lang"] == "en"
    assert total(english) == total(page)
    assert re.fullmatch(r"\d+ programmes? found",
                        english.one("p", id="search-status").text.strip())
    assert english.one("input", id="q").attrs["value"] == "データ"


def test_nothing_found_suggests_other_words(http: httpx.Client, demo: Demo) -> None:
    """A misspelt word finds nothing; "Did you mean" links to a search that finds some."""
    page = search(http, "/search?q=semicondutor&lang=en")
    assert total(page) == 0
    assert "No programmes match." in page.text
    suggestions = [a for a in page.all("a") if a.attrs.get("href", "").startswith("/search?")
                   and "q=" in a.attrs["href"] and "semicondutor" not in a.attrs["href"]]
    assert "Did you mean:" in page.text and suggestions
    assert total(search(http, suggestions[0].attrs["href"])) > 0


def test_search_carries_the_programmes_chosen_to_compare(http: httpx.Client,
                                                         demo: Demo) -> None:
    """?compare=a: kept in the form, ticked or carried as hidden ids, passed to results."""
    chosen, shown = demo.ids["SKU-OW-01"], demo.ids["HIT-SEMI-01"]
    page = search(http, f"/search?q=半導体&compare={chosen},{shown}")
    assert page.one("input", name="compare").attrs["value"] == f"{chosen},{shown}"
    assert "checked" in page.one("input", id=f"c-{shown}").attrs
    carried = [e for e in page.all("input", type="hidden") if e.attrs.get("name") == "ids"]
    assert [(e.attrs["value"], e.attrs["form"]) for e in carried] == [(str(chosen),
                                                                       "compare-form")]
    boxes = [e for e in page.all("input", type="checkbox") if e.attrs.get("name") == "ids"]
    assert boxes and all(b.attrs["form"] == "compare-form" for b in boxes)
    links = [a.attrs["href"] for a in page.all("a")
             if re.fullmatch(r"/programmes/\d+\?compare=\d+%2C\d+", a.attrs.get("href", ""))]
    assert links
    compare_form = page.one("form", id="compare-form")
    assert (compare_form.attrs["action"], compare_form.attrs["method"]) == ("/compare", "get")


def test_the_provider_page_counts_its_programmes_by_facet(http: httpx.Client,
                                                          demo: Demo) -> None:
    """Breakdown by field, delivery and more, each count a link to that search."""
    page = get(http, "/providers/hokuto-tech", 200)
    fields = page.one("section", **{"aria-labelledby": "by-field"})
    assert "分野別" in fields.text and "デジタル・情報" in fields.text
    link = page.one("a", href="/search?provider=hokuto-tech&field=digital")
    assert "デジタル・情報" in link.text
    assert total(search(http, "/search?provider=hokuto-tech&field=digital")) > 0


@pytest.mark.parametrize("url", [
    "/search?q=" + "a" * 10_000,
    "/search?q=" + "データ" * 1200,
    "/search?q=%22%27%3C%3E%26%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/search?q=%F0%9F%98%80%F0%9F%8E%93",
    "/search?q=" + "%E2%80%8B" * 500,
    "/search?field=no-such-field&provider=nobody&language=xx-YY",
    "/search?field=" + "x" * 5000,
    "/search?utm_source=mail&q=data",
    "/search?lang=xx&q=data",
    "/search?q=data&sort=title&sort=effort",
    "/search?compare=not-ids&q=data",
])
def test_hostile_searches_answer_normally(http: httpx.Client, demo: Demo, url: str) -> None:
    """Long, quoted, emoji, control characters, unknown values: a normal page, escaped."""
    response = http.get(url, headers=HTML)
    assert response.status_code == 200, response.text[:300]
    assert "<script>alert(1)" not in response.text
    page = Page(response.text)
    assert total(page) >= 0


def test_a_search_with_control_characters_is_refused_as_a_page_naming_them(
        http: httpx.Client, demo: Demo) -> None:
    """Control characters no one can read or store (issue 55): a page in the visitor's
    language saying so (422), not a search for them."""
    response = http.get("/search?q=%00%01%02", headers={**HTML, "Accept-Language": "en"})
    assert response.status_code == 422
    text = Page(response.text).text
    assert "Unreadable text" in text and "query: q holds a control character" in text


@pytest.mark.parametrize(("url", "parameter"), [
    ("/search?after=not-a-token", "after"),
    ("/search?after=" + "A" * 600, "after"),
    ("/search?sort=cheapest", "sort"),
    ("/search?limit=0", "limit"),
    ("/search?limit=abc", "limit"),
    ("/search?limit=100000", "limit"),
    ("/search?" + "&".join(f"field=f{i}" for i in range(150)), "field"),
])
def test_refused_searches_are_a_422_page_naming_the_parameter(
        http: httpx.Client, demo: Demo, url: str, parameter: str) -> None:
    """A tampered page token, an unknown sort, a bad limit: 422, the form still there."""
    page = search(http, url, 422)
    notice = page.one("div", id="search-error")
    assert parameter in notice.text
    assert page.one("form", id="search-form")
    htmx = http.get(url, headers={**HTML, "HX-Request": "true"})
    assert htmx.status_code == 200 and 'id="search-error"' in htmx.text


def test_a_token_from_another_search_is_refused(http: httpx.Client, demo: Demo) -> None:
    """The next-page token of one search does not page another."""
    first = search(http, "/search?q=データ&limit=2")
    link = next(a for a in first.all("a") if a.attrs.get("rel") == "next")
    token = dict(query_of(link.attrs["href"]))["after"]
    search(http, f"/search?q=AI&limit=2&after={token}", 422)


# --- the programme page as visitors see it --------------------------------------------


def test_programme_page_shows_the_newest_published_version_not_a_later_draft(
        fresh: Fresh) -> None:
    """A draft v2 after a published v1: the page, facts and history show v1 only."""
    http, demo = fresh.http, fresh.demo
    programme_id = demo.ids["HIT-DS-01"]
    draft = demo_document("HIT-DS-01") | {"learner_effort": {"hours": "77"}}
    response = http.put(f"/api/programmes/{programme_id}",
                        json={"descriptors": draft, "publish": False})
    assert response.json()["change"] == "new-version"
    page = get(http, f"/programmes/{programme_id}?lang=en", 200)
    facts = squash(page.one("dl", **{"class": "facts"}).text)
    assert "Version 1" in facts and "Status Published" in facts
    assert "45 hours" in page.text and "77 hours" not in page.text
    versions = next(t for t in page.all("table") if t.attrs.get("class") == "versions")
    assert "Draft" not in versions.text
    assert not page.all("a", href=f"/api/programmes/{programme_id}/versions/2")


def test_a_programme_never_published_is_not_found(fresh: Fresh) -> None:
    """Drafts are not public: the page is a 404, and the list does not link to it."""
    http = fresh.http
    draft_id = publish(http, demo_document("HIT-DS-01") | {"code": "DRAFT-ONLY"}, publish=False)
    page = get(http, f"/programmes/{draft_id}", 404)
    assert page.one("h1").text.strip() == "見つかりません"
    listing = get(http, "/programmes?provider=hokuto-tech&limit=100", 200)
    assert not listing.all("a", href=f"/programmes/{draft_id}")


def test_programme_page_links_to_its_provider_page(http: httpx.Client, demo: Demo) -> None:
    """The eyebrow, the provider fact, the key facts' provider and "more from" all lead to
    /providers/<slug>."""
    page = get(http, f"/programmes/{demo.ids['SKU-OW-01']}", 200)
    links = [a for a in page.all("a") if a.attrs.get("href") == "/providers/saikai-u"]
    assert len(links) == 4
    assert all("西海大学" in link.text for link in links)
    assert "西海大学のほかのプログラム" in squash(links[3].text)


def test_programme_page_offers_to_add_it_to_a_comparison(http: httpx.Client,
                                                         demo: Demo) -> None:
    """A GET form to /compare with this id; with ?compare=a,b it adds to those."""
    pid, a, b = demo.ids["SKU-OW-01"], demo.ids["HIT-DS-01"], demo.ids["HIT-DS-02"]
    page = get(http, f"/programmes/{pid}", 200)
    form = next(f for f in page.all("form") if f.attrs.get("action") == "/compare")
    assert form.attrs["method"] == "get"
    assert page.one("input", name="ids").attrs["value"] == str(pid)
    assert "このプログラムを比較に追加" in page.one("button", id="add-to-comparison").text
    carried = get(http, f"/programmes/{pid}?compare={a},{b}&lang=en", 200)
    assert carried.one("input", name="ids").attrs["value"] == f"{a},{b},{pid}"
    assert "with the 2 chosen" in carried.one("button", id="add-to-comparison").text


def test_programme_page_in_a_full_or_including_comparison_links_back(
        http: httpx.Client, demo: Demo) -> None:
    """Already chosen: "in the comparison"; four others chosen: "at most 4"; no button."""
    pid = demo.ids["SKU-OW-01"]
    others = [demo.ids[c] for c in ("HIT-DS-01", "HIT-DS-02", "HIT-GAI-01", "HIT-SEMI-01")]
    included = get(http, f"/programmes/{pid}?compare={others[0]},{pid}&lang=en", 200)
    assert "This programme is in the comparison." in included.text
    assert included.all("a", href=f"/compare?ids={others[0]},{pid}")
    assert not included.all("button", id="add-to-comparison")
    full = get(http, f"/programmes/{pid}?compare={','.join(map(str, others))}&lang=en", 200)
    assert "At most 4 programmes can be compared." in full.text
    assert not full.all("button", id="add-to-comparison")


@pytest.mark.parametrize("compare", ["x", "1,2,3,4,5,6", "-1", "9" * 150, "1," * 500,
                                     "%F0%9F%98%80"])
def test_a_tampered_comparison_on_a_programme_page_is_forgotten(
        http: httpx.Client, demo: Demo, compare: str) -> None:
    """?compare= that cannot be read is ignored: the page offers a fresh comparison."""
    pid = demo.ids["SKU-OW-01"]
    page = get(http, f"/programmes/{pid}?compare={compare}", 200)
    assert page.one("input", name="ids").attrs["value"] == str(pid)


# --- providers -----------------------------------------------------------------------


def test_provider_page_shows_the_organisation_and_its_published_programmes(
        fresh: Fresh) -> None:
    """Name, kind, country, website, the count and a row per published programme."""
    http, demo = fresh.http, fresh.demo
    draft_id = publish(http, demo_document("HIT-DS-01") | {"code": "HIT-DRAFT"},
                       publish=False)
    page = get(http, "/providers/hokuto-tech", 200)
    assert page.one("h1").text.strip() == "北都工科大学"
    facts = squash(page.one("dl", **{"class": "facts"}).text)
    assert "種類 大学" in facts and "所在国 日本" in facts
    codes = [c for c in demo.ids if c.startswith("HIT-")]
    assert page.one("dd", id="provider-count").text.strip() == str(len(codes))
    rows = page.all("tr")[1:]
    assert len(rows) == len(codes)
    assert "データサイエンス実践基礎" in rows[0].text and "45 時間" in rows[0].text
    assert not page.all("a", href=f"/programmes/{draft_id}")
    assert page.all("a", href="/search?provider=hokuto-tech")
    english = get(http, "/providers/hokuto-tech?lang=en", 200)
    assert english.one("h1").text.strip() == "Hokuto Institute of Technology"
    assert "Published programmes of Hokuto Institute of Technology" in english.text


def test_provider_page_chooses_programmes_to_compare_with_checkboxes(
        http: httpx.Client, demo: Demo) -> None:
    """A GET form to /compare: a labelled checkbox "ids" per row, earlier choices carried."""
    earlier = demo.ids["SKU-OW-01"]
    page = get(http, f"/providers/hokuto-tech?compare={earlier}", 200)
    form = next(f for f in page.all("form") if f.attrs.get("action") == "/compare")
    assert form.attrs["method"] == "get"
    boxes = page.all("input", type="checkbox")
    assert len(boxes) == len([c for c in demo.ids if c.startswith("HIT-")])
    assert all(b.attrs["name"] == "ids" for b in boxes)
    label = page.one("label", for_=boxes[0].attrs["id"])
    assert squash(label.text) == "比較：データサイエンス実践基礎"
    hidden = page.one("input", type="hidden")
    assert (hidden.attrs["name"], hidden.attrs["value"]) == ("ids", str(earlier))
    link = page.one("a", href=f"/programmes/{demo.ids['HIT-DS-01']}?compare={earlier}")
    assert "データサイエンス実践基礎" in link.text


def test_provider_page_pages_on_by_keyset(http: httpx.Client, demo: Demo) -> None:
    """after=<id> continues after that programme and links back to the first page."""
    codes = sorted((i, c) for c, i in demo.ids.items() if c.startswith("HIT-"))
    after = codes[2][0]
    page = get(http, f"/providers/hokuto-tech?after={after}", 200)
    assert len(page.all("tr")) - 1 == len(codes) - 3
    assert page.all("a", href="/providers/hokuto-tech")


def test_a_provider_without_published_programmes_says_so(http: httpx.Client,
                                                         demo: Demo) -> None:
    """The recognition body has none: the page exists, with a zero count and no table."""
    page = get(http, "/providers/mcrc-japan?lang=en", 200)
    assert page.one("dd", id="provider-count").text.strip() == "0"
    assert "No published programmes." in page.text
    assert not page.all("table")


@pytest.mark.parametrize("slug", ["no-such-provider", "Hokuto-Tech", "a" * 10_000,
                                  "%F0%9F%98%80", "hokuto-tech%22%3E%3Cscript%3E", "-x-"])
def test_unknown_or_malformed_provider_slugs_are_404_pages(http: httpx.Client, demo: Demo,
                                                           slug: str) -> None:
    """Anything that names no organisation is a 404 page, never a 500."""
    page = get(http, f"/providers/{slug}", 404)
    assert page.one("h1").text.strip() == "見つかりません"


# --- the comparison -------------------------------------------------------------------


def compare_rows(page: Page) -> dict[str, Any]:
    return {e.attrs["id"][2:]: e for e in page.all("tr")
            if e.attrs.get("id", "").startswith("r-")}


def row_header(page: Page, row: Any) -> Any:
    """The ``<th>`` that heads a table row."""
    start = page.elements.index(row)
    return next(e for e in page.elements[start:] if e.tag == "th")


def test_compare_page_puts_programmes_side_by_side_descriptor_by_descriptor(
        http: httpx.Client, demo: Demo) -> None:
    """Three columns; a row per programme descriptor; values in the page's language."""
    ids = [demo.ids[c] for c in ("HIT-DS-01", "DLA-DS-01", "UTS-MC-DA01")]
    page = get(http, f"/compare?ids={','.join(map(str, ids))}", 200)
    table = page.one("table", id="compare-table")
    assert "記述子ごとの比較" in table.text
    headings = [th for th in page.all("th", scope="col")
                if "compare__programme" in th.attrs.get("class", "")]
    assert len(headings) == 2 * 3, "both tables name the three programmes"
    assert "データサイエンス実践基礎" in headings[0].text
    assert "Python によるデータ分析入門" in headings[1].text
    rows = compare_rows(page)
    expected = [d.key for d in descriptors() if d.scope is Scope.PROGRAMME]
    assert list(rows) == expected
    title = squash(rows["title"].text)
    assert title.startswith("マイクロクレデンシャル名称 ≠ 違いあり")
    assert "45 時間" in rows["learner_effort"].text
    assert "オンライン" in rows["form_of_participation"].text


def test_rows_that_differ_are_marked_in_words_and_described(http: httpx.Client,
                                                            demo: Demo) -> None:
    """Differing rows: "≠ Differs" text, data-differs, aria-describedby; equal rows: none."""
    ids = [demo.ids[c] for c in ("HIT-DS-01", "HIT-DS-02")]
    page = get(http, f"/compare?ids={ids[0]},{ids[1]}&lang=en", 200)
    note = page.one("p", id="differs-note")
    assert note.text.strip() == "The programmes differ in this row."
    rows = compare_rows(page)
    differing = [k for k, r in rows.items() if r.attrs["data-differs"] == "true"]
    assert "title" in differing and "awarding_body" not in differing
    for key, row in rows.items():
        header = row_header(page, row)
        marked = "≠ Differs" in squash(header.text)
        assert marked == (key in differing), key
        assert (header.attrs.get("aria-describedby") == "differs-note") == (key in differing)
    summary = page.one("p", id="compare-summary").text
    assert f"The programmes differ in {len(differing)} descriptors." in summary


def test_effort_is_compared_in_hours_and_every_credit_system(http: httpx.Client,
                                                             demo: Demo) -> None:
    """A row for hours and one per credit system, with the stated credits beside them."""
    ids = [demo.ids[c] for c in ("HIT-DS-01", "SKU-OW-02")]
    page = get(http, f"/compare?ids={ids[0]},{ids[1]}&lang=en", 200)
    table = page.one("table", id="effort-table")
    assert "Hours, and what they are worth in each credit system" in table.text
    hours = squash(page.one("tr", id="e-hours").text)
    assert hours == "Hours ≠ Differs 45 hours 90 hours"
    for info in credit_systems().values():
        assert page.one("tr", id=f"e-{info.system.value}")
    jp = squash(page.one("tr", id="e-jp-tani").text)
    assert jp.startswith("Japanese credit (単位) (45 hours per credit) ≠ Differs")
    assert "1 Japanese credit stated: 1" in jp and "2 Japanese credits stated: 2" in jp
    ects = squash(page.one("tr", id="e-ects").text)
    assert "1.5–1.8 ECTS" in ects and "3–3.6 ECTS" in ects


def test_only_differences_keeps_the_rows_that_differ(http: httpx.Client, demo: Demo) -> None:
    """&diff=1 hides equal rows and links back to all of them."""
    ids = ",".join(str(demo.ids[c]) for c in ("HIT-DS-01", "HIT-DS-02"))
    page = get(http, f"/compare?ids={ids}&diff=1&lang=en", 200)
    rows = compare_rows(page)
    assert rows and all(r.attrs["data-differs"] == "true" for r in rows.values())
    assert page.all("a", href=f"/compare?ids={ids.replace(',', '%2C')}")
    everything = get(http, f"/compare?ids={ids}&lang=en", 200)
    assert len(compare_rows(everything)) > len(rows)
    assert everything.all("a", href=f"/compare?ids={ids.replace(',', '%2C')}&diff=1")


def test_compare_page_links_remove_add_share_and_json(http: httpx.Client, demo: Demo) -> None:
    """Each column can be removed; fewer than four can add one via search; the URL shares."""
    a, b = demo.ids["HIT-DS-01"], demo.ids["HIT-DS-02"]
    page = get(http, f"/compare?ids={a}&ids={b}&lang=en", 200)
    assert page.all("a", href=f"/compare?ids={b}")
    assert page.all("a", href=f"/compare?ids={a}")
    assert page.all("a", href=f"/search?compare={a}%2C{b}")
    assert page.one("a", id="share-link").attrs["href"] == f"/compare?ids={a}%2C{b}"
    assert page.all("a", href=f"/api/compare?ids={a}%2C{b}")
    assert page.all("a", href=f"/programmes/{a}?compare={a}%2C{b}")
    assert page.all("a", href="/providers/hokuto-tech")


def test_compare_without_ids_explains_how_to_choose(http: httpx.Client, demo: Demo) -> None:
    """/compare alone: 200, how to choose, a link to search."""
    for url in ("/compare", "/compare?ids=", "/compare?ids=,,"):
        page = get(http, url, 200)
        assert "比較するプログラムが選ばれていません" in page.text
        assert page.all("a", href="/search")


def test_five_ids_are_a_422_page_offering_the_first_four(http: httpx.Client,
                                                         demo: Demo) -> None:
    """More than four: 422, saying so, with a link comparing the first four."""
    ids = list(demo.ids.values())[:5]
    page = get(http, f"/compare?ids={','.join(map(str, ids))}&lang=en", 422)
    assert "At most 4 programmes can be compared (5 were chosen)." in page.text
    fix = page.one("a", id="compare-fix")
    assert fix.attrs["href"] == "/compare?ids=" + "%2C".join(map(str, ids[:4]))
    assert fix.text.strip() == "Compare the first 4"


def test_unknown_ids_are_a_404_page_naming_them(fresh: Fresh) -> None:
    """Unknown and draft ids are named; the link compares the ones that exist."""
    http, demo = fresh.http, fresh.demo
    known = demo.ids["HIT-DS-01"]
    draft_id = publish(http, demo_document("HIT-DS-01") | {"code": "D-1"}, publish=False)
    page = get(http, f"/compare?ids={known},999999,{draft_id}", 404)
    assert f"ID 999999, {draft_id} の公開中のプログラムは見つかりませんでした。" in page.text
    assert page.one("a", id="compare-fix").attrs["href"] == f"/compare?ids={known}"


@pytest.mark.parametrize("ids", ["abc", "1;DROP TABLE programmes", "-1", "1.5", "😀",
                                 "99999999999999999999999", "1," * 3000, "0x10"])
def test_unreadable_ids_are_a_422_page(http: httpx.Client, demo: Demo, ids: str) -> None:
    """Anything that is not ids: 422 page, never a 500."""
    page = get(http, f"/compare?ids={ids}", 422)
    assert page.one("div", id="compare-problem")


# --- sitemaps ---------------------------------------------------------------------------


def xml(http: httpx.Client, url: str) -> ET.Element:
    response = http.get(url)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/xml")
    assert response.headers["cache-control"] == "public, max-age=3600"
    return ET.fromstring(response.content)


def test_sitemap_index_names_the_pages_providers_and_programme_sitemaps(
        http: httpx.Client, demo: Demo) -> None:
    """Absolute URLs on the public address, each with a W3C datetime lastmod."""
    base = demo.server.settings.public_url
    index = xml(http, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    entries = {e.findtext(f"{SITEMAP}loc"): e.findtext(f"{SITEMAP}lastmod")
               for e in index.findall(f"{SITEMAP}sitemap")}
    assert list(entries) == [f"{base}/sitemaps/pages.xml", f"{base}/sitemaps/providers-1.xml",
                             f"{base}/sitemaps/programmes-1.xml"]
    for lastmod in entries.values():
        assert lastmod is not None
        assert dt.datetime.fromisoformat(lastmod) == NOW


def test_programme_sitemap_lists_every_published_programme_with_lastmod_and_languages(
        fresh: Fresh) -> None:
    """87 programme pages (never a draft), each with ja, en and x-default alternates."""
    http, demo = fresh.http, fresh.demo
    base = demo.server.settings.public_url
    publish(http, demo_document("HIT-DS-01") | {"code": "DRAFT"}, publish=False)
    urlset = xml(http, "/sitemaps/programmes-1.xml")
    urls = urlset.findall(f"{SITEMAP}url")
    locs = [u.findtext(f"{SITEMAP}loc") for u in urls]
    assert locs == [f"{base}/programmes/{i}" for i in sorted(demo.ids.values())]
    first = urls[0]
    assert dt.datetime.fromisoformat(first.findtext(f"{SITEMAP}lastmod") or "") == NOW
    alternates = {a.attrib["hreflang"]: a.attrib["href"]
                  for a in first.findall(f"{XHTML}link")}
    assert alternates == {tag: f"{locs[0]}?lang={tag}" for tag in offered()} | {
        "x-default": locs[0]}


def test_provider_and_pages_sitemaps(http: httpx.Client, demo: Demo) -> None:
    """Providers with published programmes (not the recognition body); home and search."""
    base = demo.server.settings.public_url
    providers = xml(http, "/sitemaps/providers-1.xml")
    locs = [u.findtext(f"{SITEMAP}loc") for u in providers.findall(f"{SITEMAP}url")]
    assert f"{base}/providers/hokuto-tech" in locs
    assert f"{base}/providers/mcrc-japan" not in locs
    assert len(locs) == len({o.slug for o in load_demo_documents().organisations}) - 1
    pages = xml(http, "/sitemaps/pages.xml")
    locs = [u.findtext(f"{SITEMAP}loc") for u in pages.findall(f"{SITEMAP}url")]
    assert locs == [f"{base}/", f"{base}/search", f"{base}/programmes"]


def test_an_edit_moves_the_programmes_lastmod(fresh: Fresh) -> None:
    """Publishing version 2 gives that programme a newer lastmod than the others."""
    http, demo = fresh.http, fresh.demo
    programme_id = demo.ids["SKU-OW-01"]
    edited = demo_document("SKU-OW-01") | {"learner_effort": {"hours": "50"}}
    http.put(f"/api/programmes/{programme_id}", json={"descriptors": edited, "publish": True})
    urlset = xml(http, "/sitemaps/programmes-1.xml")
    lastmods = {u.findtext(f"{SITEMAP}loc", "").rsplit("/", 1)[1]:
                dt.datetime.fromisoformat(u.findtext(f"{SITEMAP}lastmod") or "")
                for u in urlset.findall(f"{SITEMAP}url")}
    assert lastmods[str(programme_id)] > NOW
    assert lastmods[str(demo.ids["HIT-DS-01"])] == NOW


def test_sitemaps_stream_in_keyset_batches(http: httpx.Client, demo: Demo,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With batches of 10 rows the file is read in pages and still lists every programme."""
    monkeypatch.setattr(registry_pages, "SITEMAP_BATCH", 10)
    urlset = xml(http, "/sitemaps/programmes-1.xml")
    assert len(urlset.findall(f"{SITEMAP}url")) == len(demo.ids)
    providers = xml(http, "/sitemaps/providers-1.xml")
    assert len(providers.findall(f"{SITEMAP}url")) == 22


def test_sitemap_files_are_ranges_of_ids(http: httpx.Client, demo: Demo,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """With 20 ids a file, 87 programmes need five files; each lists only its own range."""
    monkeypatch.setattr(registry_pages, "SITEMAP_SIZE", 20)
    index = xml(http, "/sitemap.xml")
    locs = [e.findtext(f"{SITEMAP}loc", "") for e in index.findall(f"{SITEMAP}sitemap")]
    programme_maps = [loc for loc in locs if "/programmes-" in loc]
    assert [loc.rsplit("/", 1)[1] for loc in programme_maps] == [
        f"programmes-{n}.xml" for n in range(1, 6)]
    seen: list[str] = []
    for loc in programme_maps:
        urlset = xml(http, urlsplit(loc).path)
        found = [u.findtext(f"{SITEMAP}loc", "") for u in urlset.findall(f"{SITEMAP}url")]
        assert 0 < len(found) <= 20
        seen += found
    assert len(seen) == len(demo.ids) == len(set(seen))


@pytest.mark.parametrize("url", ["/sitemaps/programmes-2.xml", "/sitemaps/programmes-0.xml",
                                 "/sitemaps/providers-9.xml", "/sitemaps/programmes-x.xml",
                                 "/sitemaps/programmes-99999999999999999999.xml"])
def test_sitemap_files_beyond_the_data_are_404(http: httpx.Client, demo: Demo,
                                               url: str) -> None:
    """An empty or impossible range is not found, never a 500."""
    assert http.get(url).status_code == 404


def test_an_empty_registry_has_an_empty_sitemap_index(sqlite_settings: Settings) -> None:
    """Nothing published: a valid index listing nothing; pages.xml is 404."""
    for live in serve(sqlite_settings):
        with operator_client(live, timeout=30) as http:
            index = xml(http, "/sitemap.xml")
            assert index.findall(f"{SITEMAP}sitemap") == []
            assert http.get("/sitemaps/pages.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap(http: httpx.Client, demo: Demo) -> None:
    """Crawlers find /sitemap.xml on the public address."""
    response = http.get("/robots.txt")
    assert response.status_code == 200
    assert f"Sitemap: {demo.server.settings.public_url}/sitemap.xml" in response.text


# --- accessibility ----------------------------------------------------------------------

PAGES = ["/search", "/search?q=半導体&delivery_mode=online&field=semiconductors",
         "/search?q=semicondutor", "/search?after=bad", "/search?limit=3&compare={HIT-DS-01}",
         "/providers/hokuto-tech", "/providers/mcrc-japan", "/compare",
         "/compare?ids={HIT-DS-01},{DLA-DS-01},{UTS-MC-DA01},{SKU-OW-02}",
         "/compare?ids={HIT-DS-01},{DLA-DS-01}&diff=1", "/compare?ids=1,2,3,4,5",
         "/programmes/{HIT-DS-01}"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("language", ["ja", "en"])
def test_registry_pages_have_the_accessibility_basics(http: httpx.Client, demo: Demo,
                                                      url: str, language: str) -> None:
    """lang, skip link, landmarks, one h1, heading order, captions, labels, valid references."""
    url = re.sub(r"\{([^}]+)\}", lambda m: str(demo.ids[m.group(1)]), url)
    joiner = "&" if "?" in url else "?"
    response = http.get(f"{url}{joiner}lang={language}", headers=HTML)
    assert response.status_code in (200, 422)
    check_accessibility(Page(response.text), language)


def test_navigation_names_search_and_compare(http: httpx.Client) -> None:
    """The main menu links to /search and /compare, marking the current one."""
    page = get_page(http, "/compare?lang=en")
    nav = page.one("nav", **{"aria-label": "Main menu"})
    assert "Search" in nav.text and "Compare" in nav.text
    # The header's row and the phone's menu say the same places.
    current = [a for a in page.all("a") if a.attrs.get("aria-current") == "page"]
    assert {a.attrs["href"] for a in current} == {"/compare"}


def test_the_filters_are_folded_behind_a_button_until_one_is_chosen(http: httpx.Client,
                                                                     demo: Demo) -> None:
    """The facets sit in a <details> (a button on a phone, without JavaScript too), closed
    until a filter is active, its summary saying how many are."""
    plain = search(http, "/search?q=データ")
    fold = plain.one("details", **{"class": "facets-fold"})
    assert "open" not in fold.attrs
    summary = plain.one("summary", **{"class": "facets-fold__toggle"})
    assert squash(summary.text) == "絞り込み"
    facets = plain.one("div", **{"class": "facets"})
    assert plain.elements.index(fold) < plain.elements.index(facets)
    filtered = search(http, "/search?q=データ&delivery_mode=online&field=digital")
    assert "open" in filtered.one("details", **{"class": "facets-fold"}).attrs
    assert "2" in filtered.one("summary", **{"class": "facets-fold__toggle"}).text


@pytest.mark.parametrize(("language", "name"), [("ja", "統計学（0542）"),
                                                ("en", "Statistics (0542)")])
def test_a_search_by_an_isced_f_field_names_the_field(
        demo_server: LiveServer, language: str, name: str) -> None:
    """The credit bank's gap links search by an ISCED-F field (the demo target's 0542): the
    search's filter and its checkbox name the field, the code after it."""
    with httpx.Client(base_url=demo_server.url, timeout=30) as anyone:
        page = get_page(anyone, f"/search?field=0542&lang={language}")
    assert name in page.text
    assert name in squash(page.one("label", **{"for": "f-field-30353432"}).text)
