"""GET /api/search in every language the demo's programmes are described in — Korean,
Simplified Chinese, Thai, Vietnamese, Indonesian, Malay, Japanese and English — over a real
server on SQLite and PostgreSQL: ten fixed queries each, Thai compounds by their parts and
Vietnamese with and without diacritics among them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from credstack.adapters.db.repositories.programmes import import_documents
from credstack.demo import load_demo_documents
from credstack.settings import Settings
from tests.accounts import store_session
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.api.test_search import NOW

#: The programme each language's queries must find (by its code in the demo set), and the
#: queries: words of its title, description, outcomes and provider, as a learner types them.
QUERIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ko": ("HBU-MC-SQ01", (
        "반도체", "인공지능",  # 인공지능을 in the title: the particle is attached
        "품질관리", "공정 데이터", "수율", "불량 예측", "머신러닝", "웨이퍼",
        "한빛과학기술대학교", "대전 캠퍼스")),
    "zh-Hans": ("SKG-MC-DXZ1", (
        "数字化转型", "跨文化", "日本企业", "微证书", "简体中文", "数据驱动", "经营分析",
        "决策流程", "沟通", "案例研讨")),
    "th": ("CPT-MC-AG01", (
        "ปัญญาประดิษฐ์", "ประดิษฐ์",  # the compound, and its second word
        "เกษตรอัจฉริยะ", "อัจฉริยะ", "เกษตรกร", "โดรน", "การเรียนรู้ของเครื่อง",
        "วิทยาลัย",  # part of มหาวิทยาลัย, which ICU keeps whole
        "ผลผลิตข้าว", "นครสวรรค์")),
    "vi": ("SHT-MC-ML01", (
        "học máy", "hoc may", "sản xuất thông minh", "san xuat thong minh", "kỹ sư",
        "Hà Nội", "ha noi", "thị giác máy tính", "Đại học Công nghệ", "dai hoc cong nghe")),
    "id": ("PDN-MC-KS01", (
        "keamanan siber", "UMKM", "ancaman", "jaringan kantor", "toko daring", "kata sandi",
        "tanggap insiden", "Politeknik", "Bandung", "pembelajaran daring")),
    "ms": ("UTS-MC-TS01", (
        "tenaga suria", "fotovolta", "jurutera", "keselamatan elektrik", "pemeteran bersih",
        "tenaga boleh baharu", "penyelenggaraan berkala", "latihan amali",
        "Universiti Teknologi Semarak", "kediaman")),
    "ja": ("CPT-MC-AG01", (
        "スマート農業", "人工知能", "農業普及員", "ドローン", "水田", "灌漑", "収量",
        "実証圃場", "ナコンサワン", "チャオプラヤー工科大学")),
    "en": ("SHT-MC-ML01", (
        "machine learning", "smart manufacturing", "equipment failures", "computer vision",
        "production lines", "Hanoi", "northern Vietnam", "sensor data", "product defects",
        "Song Hong University")),
}
CASES = [(language, code, query) for language, (code, queries) in QUERIES.items()
         for query in queries]
TITLES = {programme.code: programme.title.root["en"] for programme in
          load_demo_documents().programmes if programme.title}


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[LiveServer]:
    """The app on a store holding the demo set, shared by the module's queries."""
    with store_session(module_settings) as session:
        import_documents(session, documents=load_demo_documents(), now=NOW, source="demo")
    yield from serve(module_settings)


@pytest.fixture(scope="module")
def client(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as made:
        yield made


def test_every_language_has_ten_queries() -> None:
    """The eight languages of the interface, ten queries each."""
    assert {language: len(set(queries)) for language, (_, queries) in QUERIES.items()} == {
        language: 10 for language in ("ko", "zh-Hans", "th", "vi", "id", "ms", "ja", "en")}


@pytest.mark.parametrize(("language", "code", "query"), CASES,
                         ids=[f"{language}-{index % 10}" for index, (language, _, _)
                              in enumerate(CASES)])
def test_a_query_finds_the_programme_described_in_its_language(
        client: httpx.Client, language: str, code: str, query: str) -> None:
    """The expected demo programme is among the hits (every hit has every query term)."""
    response = client.get("/api/search", params={"q": query, "limit": 100})
    assert response.status_code == 200, response.text
    body = response.json()
    titles = [hit["title"].get("en") for hit in body["hits"]]
    assert TITLES[code] in titles, (language, query, body["total"], titles[:5])
    assert body["total"] < len(TITLES), (language, query)


@pytest.mark.parametrize(("accented", "plain"), [
    ("học máy", "hoc may"), ("Hà Nội", "ha noi"), ("sản xuất thông minh", "san xuat thong minh"),
])
def test_vietnamese_finds_the_same_with_and_without_diacritics(
        client: httpx.Client, accented: str, plain: str) -> None:
    """Accents and đ are folded on both sides: the same hits either way."""
    hits = [[hit["programme_id"] for hit in client.get(
        "/api/search", params={"q": text, "limit": 100}).json()["hits"]]
        for text in (accented, plain)]
    assert hits[0] == hits[1] and hits[0]
