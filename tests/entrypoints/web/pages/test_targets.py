"""The registry's credit targets over HTTP: the list, a target's page with its requirements,
the registry programmes that satisfy them and its caps, its CTDL, and a programme's
"stacks into". One server over the demo data and one published target, shared by these tests,
which only read."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto.canonicalization import jsonld_expand
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.creditbank import targets
from credstack.settings import Settings
from tests.accounts import published_ids
from tests.conftest import LiveServer, serve
from tests.core.descriptors.test_ctdl_pathways import properties
from tests.entrypoints.web.pages.test_programmes import HTML, get_page
from tests.entrypoints.web.pages.test_registry import check_accessibility, load_demo
from tests.services.creditbank.banks import add_registrars, registrar

ORGANISATION = "hokuto-tech"


def target_text(base: str, ids: dict[str, int]) -> str:
    return f"""\
id: hokuto/bachelor-dx
title: {{ja: 情報学士課程（DX）, en: Bachelor of Informatics (DX)}}
kind: degree
system: jp-tani
jurisdiction: jp
award: bachelor
rules: [jp.prior-learning]
general_credit: true
requirements:
  - id: core
    title: {{ja: データサイエンス基礎, en: Data science foundations}}
    programmes: [{base}/programmes/{ids['HIT-DS-01']}, {base}/achievements/{ids['HIT-DS-02']}/v1]
  - id: pick
    title: {{ja: 生成AI, en: Generative AI}}
    choose: 1
    programmes: [{base}/programmes/{ids['HIT-GAI-01']}, "urn:example:elsewhere"]
  - id: green
    title: {{ja: グリーン分野, en: Green field}}
    credits: {{min: 4, max: 8}}
    field: green
"""


def second_version(text: str) -> str:
    """The target's second version: a cap of its own on approved learning, the green
    field's requirement taking up to 10 credits, and the programme elsewhere described."""
    return text.replace("general_credit: true\n", """general_credit: true
caps:
  - {id: own.mooc, kind: cap, routes: [approved-learning], credits: 20,
     source: "Hokuto Tech credit transfer regulation, Art. 4"}
""").replace("credits: {min: 4, max: 8}", "credits: {min: 4, max: 10}") + """\
programmes_elsewhere:
  - id: "urn:example:elsewhere"
    title: {ja: プロンプト設計（他大学）, en: Prompt design (another university)}
    url: "https://other-univ.example.ac.jp/prompt"
"""


@dataclass
class Store:
    server: LiveServer
    ids: dict[str, int]
    #: The target's newest (second) version.
    target: str
    #: Its first version.
    first: str


def serve_with_target(settings: Settings) -> Iterator[Store]:
    """The demo data and one published target of a demo organisation, in two versions, then
    the server."""
    settings = dataclasses.replace(settings, secret_key=new_master_key_text())
    load_demo(settings)
    ids = published_ids(settings)
    text = target_text(settings.public_url.rstrip("/"), ids)
    with open_runtime(settings=settings) as runtime:
        add_registrars(runtime, 900)  # the second version's re-evaluation job names its starter
        made = [targets.publish(runtime, actor=registrar(900, ORGANISATION),
                                organisation=ORGANISATION, text=body).public_id
                for body in (text, second_version(text))]
    for live in serve(settings):
        yield Store(live, ids, made[1], made[0])


@pytest.fixture(scope="module")
def store(module_settings: Settings) -> Iterator[Store]:
    yield from serve_with_target(module_settings)


@pytest.fixture
def http(store: Store) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=store.server.url, timeout=30) as client:
        yield client


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_target_list_links_each_published_target(http: httpx.Client, store: Store,
                                                     language: str) -> None:
    """``/targets`` is in the site navigation and lists the target with its institution,
    kind, jurisdiction (by its name in the reader's language, not its key) and total."""
    page = get_page(http, f"/targets?lang={language}")
    check_accessibility(page, language)
    assert page.all("a", href="/targets", **{"aria-current": "page"})
    row = page.one("tbody", id="targets")
    assert page.all("a", href=f"/targets/{store.target}")
    title = "情報学士課程（DX）" if language == "ja" else "Bachelor of Informatics (DX)"
    provider = "北都工科大学" if language == "ja" else "Hokuto Institute of Technology"
    assert title in row.text and provider in row.text and "124" in row.text
    assert ORGANISATION not in row.text
    cells = [cell.text.strip() for cell in page.all("td")]
    assert ("日本" if language == "ja" else "Japan") in cells and "jp" not in cells


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_target_page_shows_every_requirement_with_its_programmes(
        http: httpx.Client, store: Store, language: str) -> None:
    """Each requirement lists the registry programmes that satisfy it as links; a programme
    named elsewhere is shown as written; a field requirement links to the search for it."""
    page = get_page(http, f"/targets/{store.target}?lang={language}")
    check_accessibility(page, language)
    ids = store.ids
    for code in ("HIT-DS-01", "HIT-DS-02", "HIT-GAI-01"):
        assert page.all("a", href=f"/programmes/{ids[code]}"), code
    core = page.one("li", id="r-core")
    assert ("Version 1 only" if language == "en" else "第 1 版のみ") in core.text
    pick = page.one("li", id="r-pick")
    assert "urn:example:elsewhere" in pick.text
    # The programme elsewhere with the title and page the target gives it.
    assert ("Prompt design (another university)" if language == "en"
            else "プロンプト設計（他大学）") in pick.text
    assert page.all("a", href="https://other-univ.example.ac.jp/prompt", rel="external")
    assert ("1 of these 2" if language == "en" else "次の 2 件のうち 1 件") in pick.text
    assert page.all("a", href="/search?field=green")
    assert page.all("a", href=f"/providers/{ORGANISATION}")
    assert page.one("dd", id="target-total").text.strip().startswith("124")
    assert page.all("p", id="target-general-credit")


def test_the_target_page_shows_the_jurisdictions_cap_with_its_source(
        http: httpx.Client, store: Store) -> None:
    page = get_page(http, f"/targets/{store.target}?lang=en")
    [cap] = page.all("tr", **{"data-rule": "jp.prior-learning"})
    assert "60 credits" in cap.text and "Cap" in cap.text
    assert "seed 001" in cap.text and "Rule of Japan" in cap.text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_history_lists_each_version_with_what_changed_in_its_rules(
        http: httpx.Client, store: Store, language: str) -> None:
    """Both versions' pages link to the target's history; it lists the versions newest
    first, each linking to its page, with what changed since the one before."""
    for version in (store.target, store.first):
        page = get_page(http, f"/targets/{version}?lang={language}")
        assert page.all("a", href=f"/targets/{version}/history")
    page = get_page(http, f"/targets/{store.first}/history?lang={language}")
    check_accessibility(page, language)
    newest, first = page.all("li", class_="target-version")
    assert (newest.attrs["data-version"], first.attrs["data-version"]) == ("2", "1")
    assert page.all("a", href=f"/targets/{store.target}")
    assert page.all("a", href=f"/targets/{store.first}")
    changed = [" ".join(e.text.split()) for e in page.elements
               if e.tag == "li" and "data-scope" in e.attrs]
    if language == "en":
        assert changed == ["programmes elsewhere described: added urn:example:elsewhere",
                           "rule own.mooc added",
                           "requirement green, maximum credits: 8 → 10"]
        assert "The first version published." in first.text
        assert "(newest)" in newest.text
    else:
        assert changed == ["他機関のプログラムの説明：urn:example:elsewhere を追加",
                           "規則 own.mooc を追加", "要件 green の最大単位数：8 → 10"]
        assert "最初に公開された版です。" in first.text
    again = get_page(http, f"/targets/{store.target}/history?lang={language}")
    assert again.one("ol", id="target-history").text == page.one("ol", id="target-history").text


def test_an_unknown_or_malformed_target_is_not_found(http: httpx.Client, store: Store
                                                      ) -> None:
    for url in ("/targets/" + "0" * 32, "/targets/nope", "/targets/" + "0" * 32 + ".jsonld",
                "/targets/%3Cscript%3E", "/targets/" + "0" * 32 + "/history",
                "/targets/nope/history"):
        assert http.get(url, headers=HTML).status_code == 404, url


def test_a_programme_page_says_which_targets_it_stacks_into(http: httpx.Client,
                                                            store: Store) -> None:
    """A programme the target names links to it; one in the target's green field may count;
    one neither named nor in that field has no "stacks into" section."""
    named = get_page(http, f"/programmes/{store.ids['HIT-DS-01']}?lang=en")
    [item] = named.all("li", **{"data-target": store.target})
    assert "Counts toward “Data science foundations”" in item.text
    assert named.all("a", href=f"/targets/{store.target}")
    green = get_page(http, f"/programmes/{store.ids['GSP-GX-01']}?lang=en")
    [item] = green.all("li", **{"data-target": store.target})
    assert "May count toward “Green field” by its field" in item.text
    other = get_page(http, f"/programmes/{store.ids['HKC-SM-02']}?lang=en")
    assert not other.all("section", class_="stacks-into")


def test_the_target_as_ctdl_expands_offline_keeping_every_term(http: httpx.Client,
                                                               store: Store) -> None:
    """``/targets/{id}.jsonld`` is a CTDL pathway readable by anyone; it expands with
    credstack's own loader and keeps every property; its transfer values come from the
    registry programmes, named by their titles."""
    response = http.get(f"/targets/{store.target}.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.headers["access-control-allow-origin"] == "*"
    document = response.json()
    types = [node["@type"] for node in document["@graph"]]
    assert types.count("ceterms:Pathway") == 1 and "ceterms:TransferValueProfile" in types
    base = store.server.settings.public_url.rstrip("/")
    [core] = [n for n in document["@graph"] if n["@type"] == "ceterms:TransferValueProfile"
              and n["ceterms:name"].get("en") == "Data science foundations"]
    assert core["ceterms:transferValueFrom"][0] == {
        "@id": f"{base}/programmes/{store.ids['HIT-DS-01']}"}
    component = next(n for n in document["@graph"] if n.get("ceterms:sourceData") == {
        "@id": f"{base}/programmes/{store.ids['HIT-DS-01']}"})
    assert component["ceterms:name"]["en"] == "Practical Data Science Foundations"
    # The programme elsewhere is a learning opportunity of its own, not a bare IRI.
    [pick] = [n for n in document["@graph"] if n["@type"] == "ceterms:TransferValueProfile"
              and n["ceterms:name"].get("en") == "Generative AI"]
    ours, elsewhere = pick["ceterms:transferValueFrom"]
    assert ours == {"@id": f"{base}/programmes/{store.ids['HIT-GAI-01']}"}
    [node] = [n for n in document["@graph"] if n["@id"] == elsewhere["@id"]]
    assert node["@type"] == "ceterms:LearningOpportunityProfile"
    assert node["ceterms:identifier"][0]["ceterms:identifierValueCode"] == \
        "urn:example:elsewhere"
    assert types.count("ceterms:LearningOpportunityProfile") == 1
    assert node["ceterms:name"]["en"] == "Prompt design (another university)"
    assert node["ceterms:subjectWebpage"] == {"@id": "https://other-univ.example.ac.jp/prompt"}
    expanded = jsonld_expand(document, document_loader=shared_document_loader())
    language_maps = frozenset(k for k, v in document["@context"].items()
                              if isinstance(v, dict) and v.get("@container") == "@language")
    assert properties(expanded) == properties(document, language_maps=language_maps)




def test_the_provider_page_and_the_sitemap_list_the_targets(http: httpx.Client,
                                                           store: Store) -> None:
    """The organisation's page links its published targets; the pages sitemap names the
    list and each target's page, with its publication as lastmod."""
    provider = http.get(f"/providers/{ORGANISATION}?lang=en", headers={"Accept": "text/html"})
    assert provider.status_code == 200
    assert f'href="/targets/{store.target}"' in provider.text
    assert "Credit targets" in provider.text
    sitemap = ET.fromstring(http.get("/sitemaps/pages.xml").content)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [url.findtext(f"{namespace}loc") for url in sitemap.findall(f"{namespace}url")]
    base = store.server.settings.public_url
    assert locs[3:] == [f"{base}/targets", f"{base}/targets/{store.target}"]


@pytest.mark.parametrize(("language", "name"), [("ja", "分野：統計学"),
                                                ("en", "Field: Statistics")])
def test_a_requirement_in_an_isced_f_field_names_the_field(
        demo_server: LiveServer, language: str, name: str) -> None:
    """The demo target asks for credits in ISCED-F field 0542: its page names the field
    (statistics), the code following in small type, and links to the search for it."""
    with httpx.Client(base_url=demo_server.url, timeout=30) as anyone:
        listed = anyone.get("/targets").text
        [public_id] = set(re.findall(r'href="/targets/([0-9a-f]{32})"', listed))
        page = get_page(anyone, f"/targets/{public_id}?lang={language}")
    assert name in " ".join(page.text.split())
    assert [span.text for span in page.all("span") if "aside" in span.attrs.get("class", "")
            and span.text == "0542"] == ["0542"]
    assert page.all("a", href="/search?field=0542")
