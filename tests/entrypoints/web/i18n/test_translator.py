"""The translator beside Japanese and English: CLDR's numbers and dates, texts in the
reader's language else English else Japanese, vocabulary labels with the English fallback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from credstack.core.descriptors.findings import Severity
from credstack.core.descriptors.models import CreditSystem, DeliveryMode
from credstack.core.programmes import Status
from credstack.core.types import MultilingualText
from credstack.entrypoints.web.i18n import Translator

DAY = dt.date(2025, 5, 1)


@pytest.mark.parametrize(("language", "number", "fraction", "day"), [
    ("ja", "1,234,567", "7.5", "2025年5月1日"),
    ("en", "1,234,567", "7.5", "1 May 2025"),
    ("ko", "1,234,567", "7.5", "2025년 5월 1일"),
    ("zh-Hans", "1,234,567", "7.5", "2025年5月1日"),
    ("th", "1,234,567", "7.5", "1 พฤษภาคม ค.ศ. 2025"),
    ("vi", "1.234.567", "7,5", "1 tháng 5, 2025"),
    ("id", "1.234.567", "7,5", "1 Mei 2025"),
    ("ms", "1,234,567", "7.5", "1 Mei 2025"),
])
def test_numbers_and_days_as_each_language_writes_them(language: str, number: str,
                                                       fraction: str, day: str) -> None:
    """Japanese and English as credstack always wrote them; the others as CLDR has them."""
    t = Translator(language)  # type: ignore[arg-type]
    assert t.number(1234567) == number
    assert t.number(Decimal("7.50")) == fraction
    assert t.date(DAY) == day
    assert t.timestamp(dt.datetime(2025, 5, 1, 3, 4, tzinfo=dt.UTC)) == f"{day} 03:04 UTC"


@pytest.mark.parametrize(("language", "yen", "euro"), [
    ("ja", "50,000 円", "1,234.5 EUR"),
    ("en", "50,000 JPY", "1,234.5 EUR"),
    ("ko", "JP¥50,000", "€1,234.50"),
    ("th", "¥50,000", "€1,234.50"),
    ("vi", "50.000\xa0¥", "1.234,50\xa0€"),
    ("id", "JP¥50.000", "€1.234,50"),
])
def test_prices_as_each_language_writes_them(language: str, yen: str, euro: str) -> None:
    """A price: Japanese and English as credstack always wrote them, the others with CLDR's
    currency format (Babel's ``format_currency``) and the currency's own decimals."""
    t = Translator(language)  # type: ignore[arg-type]
    assert t.price(Decimal(50000), "JPY") == yen
    assert t.price(Decimal("1234.5"), "EUR") == euro


def test_a_japanese_and_english_pair_is_read_in_the_readers_language_else_english() -> None:
    """Words credstack holds in Japanese and English only: the reader's of the two, else
    English, else Japanese, marked with their language when it is not the page's."""
    assert Translator("ja").pair("学士", "Bachelor") == "学士"
    assert Translator("en").pair("学士", "Bachelor") == "Bachelor"
    assert Translator("ko").pair("学士", "Bachelor") == '<span lang="en">Bachelor</span>'
    assert Translator("en").pair("学士", "") == '<span lang="ja">学士</span>'
    assert Translator("th").pair(None, "<b>") == '<span lang="en">&lt;b&gt;</span>'
    assert Translator("ko").pair(None, None) == ""


def test_a_language_is_named_in_the_readers_language() -> None:
    """A language's name: the vocabulary's, else CLDR's (Babel), else its tag."""
    assert Translator("ja").language_name("th") == "タイ語"
    assert Translator("ko").language_name("th") == "태국어"
    assert Translator("en").language_name("sw") == "Swahili"
    assert Translator("ja").language_name("sw") == "スワヒリ語"
    assert Translator("en").language_name("qqq") == "qqq"


def test_a_text_is_read_in_the_readers_language_else_english_else_japanese() -> None:
    """What a provider wrote: the reader's language, English, Japanese, then any; marked with
    its language when it is not the page's."""
    both = MultilingualText({"ja": "データ分析", "en": "Data analysis"})
    japanese = MultilingualText({"ja": "データ分析"})
    thai = MultilingualText({"th": "การวิเคราะห์ข้อมูล"})
    korean = MultilingualText({"ko": "데이터 분석", "ja": "データ分析", "en": "Data analysis"})
    assert Translator("ko").text(both) == "Data analysis"
    assert Translator("ko").text(korean) == "데이터 분석"
    assert Translator("ko").text(japanese) == "データ分析"
    assert Translator("ja").text(korean) == "データ分析"
    assert Translator("en").text(japanese) == "データ分析"
    assert Translator("ko").text(thai) == "การวิเคราะห์ข้อมูล"
    assert Translator("ko").marked(both) == '<span lang="en">Data analysis</span>'
    assert Translator("ko").marked(korean) == "데이터 분석"
    assert Translator("en").marked(both) == "Data analysis"


def test_labels_are_in_the_readers_language_else_in_english() -> None:
    """A vocabulary's value named in the reader's language where a file names it (the public
    pages' vocabularies in all eight), in English where none does; punctuation of lists as
    the language writes it."""
    assert Translator("ja").label(DeliveryMode.ONLINE) == "オンライン"
    assert Translator("vi").label(DeliveryMode.ONLINE) == "Trực tuyến"
    assert Translator("vi").label(Status.DRAFT) == "Bản nháp"
    assert Translator("vi").label(Severity.ERROR) == "Lỗi"
    assert Translator("id").credits(Decimal(3), CreditSystem.ECTS) == "3 ECTS"
    assert Translator("zh-Hans").separator == "、"
    assert Translator("th").separator == ", "


def test_the_documents_are_in_japanese_for_a_japanese_reader_else_in_english() -> None:
    """Certificates and EDC files are written in Japanese and English."""
    assert (Translator("ja").document, Translator("ja").document_other) == ("ja", "en")
    assert (Translator("en").document, Translator("en").document_other) == ("en", "ja")
    assert (Translator("ko").document, Translator("ko").document_other) == ("en", "ja")


def test_a_public_page_cannot_say_a_staff_message() -> None:
    """On a public page (offered in every language) a staff page's key is an error even in
    Japanese, so that the tests in Japanese and English find it."""
    assert Translator("ja")("editor.add_row")
    with pytest.raises(KeyError):
        Translator("ja", public=True)("editor.add_row")
    assert Translator("ja", public=True)("nav.programmes") == "プログラム"
