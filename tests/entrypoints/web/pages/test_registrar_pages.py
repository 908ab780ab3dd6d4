"""The registrar's academic records as pages (issue 56), over real HTTP as people without
JavaScript use them, on SQLite and PostgreSQL: the certificate office imports a Shift_JIS
export through the form and reads what it did; a broken file comes back with each bad row
named (row, column, why) and nothing written; "check only" writes nothing; the list
searches and filters, its figures count; a record shows its results by term, GPA, standing
and the versions a re-import replaced; in English, the programme's English names where the
export gives them (the names as imported where not). An issuer of the same university does
not see the records. In Chromium (``test_registrar_pages_browser.py``) the same pages in
Japanese and English at desk and phone width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest

from credstack.core.registrar.records import COLUMNS, TEMPLATE_COLUMNS
from credstack.settings import Settings
from tests.accounts import add_user, signed_in_client
from tests.conftest import LiveServer, serve

UNIVERSITY = "shibaura-tech"
RECORDS = f"/workspace/{UNIVERSITY}/records"
HANAKO = ("20A1001,山田 花子,ヤマダ ハナコ,YAMADA Hanako,2003-04-02,工学部,機械工学科,"
          "学士（工学）,2022-04-01,2026-03-31,卒業見込")
ICHIRO = ("20A1002,鈴木 一郎,スズキ イチロウ,SUZUKI Ichiro,2003-05-01,工学部,電気工学科,"
          "学士（工学）,2022-04-01,,在学")
SAKURA = ("21B0042,佐藤 さくら,サトウ サクラ,SATO Sakura,2004-01-15,システム理工学部,"
          "数理科学科,学士（理学）,2023-04-01,,休学")


def export(*rows: str) -> str:
    return "\r\n".join([",".join(COLUMNS), *rows]) + "\r\n"


GOOD = export(f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,秀",
              f"{HANAKO},2022-後期,ME102,材料力学,2,jp,可",
              f"{HANAKO},2023-前期,EN201,English,1,letter,B",
              f"{HANAKO},2023-前期,TR001,他大学修得科目,2,transfer,認定",
              f"{ICHIRO},2022-前期,EE101,電気回路,2,jp,良",
              f"{SAKURA},,,,,,")
#: Row 3 has an impossible date, row 4 a grade its scale has not, row 5 no Latin name.
BROKEN = export(f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,秀",
                f"{ICHIRO.replace('2003-05-01', '2003-02-30')},2022-前期,EE101,電気回路,2,jp,良",
                f"{HANAKO},2022-後期,ME102,材料力学,2,jp,Z",
                "22C0001,田中 太郎,タナカ タロウ,,2004-06-01,工学部,機械工学科,学士（工学）,"
                "2024-04-01,,在学,,,,,,")


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[LiveServer]:
    for server in serve(module_settings):
        add_user(server.settings, "clerk@example.jp", name="教務 太郎",
                 roles=[(UNIVERSITY, "registrar")])
        add_user(server.settings, "issuer@example.jp", name="Issuer",
                 roles=[(UNIVERSITY, "issuer")])
        yield server


@pytest.fixture(scope="module")
def clerk(live: LiveServer) -> Iterator[httpx.Client]:
    with signed_in_client(live.url, "clerk@example.jp") as client:
        yield client


def upload(client: httpx.Client, text: str, *, encoding: str = "shift_jis",
           declared: str = "", dry_run: bool = False, language: str = "ja",
           name: str = "students.csv") -> httpx.Response:
    data = {"encoding": declared, **({"dry_run": "yes"} if dry_run else {})}
    return client.post(f"{RECORDS}/import?lang={language}", data=data,
                       files={"file": (name, text.encode(encoding), "text/csv")})


def shown(page: httpx.Response) -> str:
    """The page's text without its tags."""
    return unescape(re.sub(r"<[^>]+>", " ", page.text))


def figure(page: httpx.Response, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', page.text)
    assert found is not None, name
    return found.group(1)


def test_a_checked_file_writes_nothing_and_says_what_an_import_would_do(
        clerk: httpx.Client) -> None:
    """'Check only' counts the new records and writes none of them."""
    page = upload(clerk, GOOD, dry_run=True)
    assert page.status_code == 200, page.text
    assert "students.csv を確認しました" in shown(page)
    assert "新規 3" in shown(page)
    assert figure(page, "students") == "0"


def test_the_registrar_imports_a_shift_jis_export_through_the_form(
        clerk: httpx.Client) -> None:
    """The chosen file imports; the page says so, counts it and lists each student."""
    page = upload(clerk, GOOD, language="en")
    assert page.status_code == 200, page.text
    assert "students.csv imported." in shown(page)
    assert "3 students, 5 results: 3 new, 0 changed, 0 unchanged." in shown(page)
    assert figure(page, "students") == "3"
    assert (figure(page, "expected"), figure(page, "enrolled"), figure(page, "leave")) == (
        "1", "1", "1")
    for number in ("20A1001", "20A1002", "21B0042"):
        assert f'data-student="{number}"' in page.text


def test_a_broken_file_names_every_bad_row_and_writes_nothing(clerk: httpx.Client) -> None:
    """Each refused row is listed with its row, column and why; the records stay as they
    were (the same file without its faults would have changed them)."""
    before = clerk.get(RECORDS)
    page = upload(clerk, BROKEN)
    assert page.status_code == 422, page.text
    rows = re.findall(r'<tr data-row="(\d+)"><th scope="row">\d+</th><td><code>([a-z_]+)'
                      r'</code></td><td>([^<]+)</td>', page.text)
    assert [(row, column) for row, column, _ in rows] == [
        ("3", "birth_date"), ("4", "grade"), ("5", "name_latin")], page.text
    assert "2003-02-30" in unescape(rows[0][2])
    assert "ファイルは取り込まれませんでした" in shown(page)
    after = clerk.get(RECORDS)
    assert figure(after, "students") == figure(before, "students")
    assert figure(after, "replaced") == figure(before, "replaced")


def test_a_file_in_neither_encoding_is_refused_in_words(clerk: httpx.Client) -> None:
    """Bytes that are not UTF-8 read as UTF-8 are refused, saying which encoding failed."""
    page = upload(clerk, GOOD, declared="utf-8")
    assert page.status_code == 422
    assert "UTF-8" in shown(page)


def test_a_record_shows_its_results_by_term_gpa_and_standing(clerk: httpx.Client) -> None:
    """The record: the student, the programme, the standing's name, the GPA by its rule
    (transfer credit earned but outside the GPA), the results under each term."""
    page = clerk.get(f"{RECORDS}/20A1001?lang=ja")
    assert page.status_code == 200
    text = shown(page)
    assert "卒業見込" in text and "学士（工学）" in text and "YAMADA Hanako" in text
    # (4×2 + 1×2 + 2×1) / 5 = 2.40 (秀 4, 可 1, B 2); credits earned 2 + 2 + 1 + 2 (transfer) = 7.
    assert re.search(r"data-gpa>2\.40 ", page.text)
    assert "data-credits>7<" in page.text
    captions = re.findall(r'<caption id="term-caption-\d+">([^<]+)</caption>', page.text)
    assert captions == ["2022-前期", "2022-後期", "2023-前期"]
    assert "秀" in text and "認定" in text
    english = shown(clerk.get(f"{RECORDS}/20A1001?lang=en"))
    assert "Expected to graduate" in english and "Transfer credit" in english


def test_a_re_import_keeps_the_record_before_in_its_history(clerk: httpx.Client) -> None:
    """A changed grade makes the record's next version; the one before is in its history
    and counted among the figures."""
    changed = GOOD.replace("材料力学,2,jp,可", "材料力学,2,jp,優")
    page = upload(clerk, changed, name="students-2.csv", language="en")
    assert "0 new, 1 changed, 2 unchanged" in shown(page)
    assert figure(page, "replaced") == "1"
    record = clerk.get(f"{RECORDS}/20A1001?lang=en")
    assert 'data-version="1"' in record.text and "students-2.csv" in record.text
    assert re.search(r"data-gpa>3\.20 ", record.text)  # (4×2 + 3×2 + 2×1) / 5


def test_the_list_searches_by_number_or_name_and_filters_by_standing(
        clerk: httpx.Client) -> None:
    """A search by part of a name or number, and a standing, narrow the list."""
    by_name = clerk.get(RECORDS, params={"q": "鈴木", "lang": "ja"})
    assert re.findall(r'data-student="([^"]+)"', by_name.text) == ["20A1002"]
    by_latin = clerk.get(RECORDS, params={"q": "sato"})
    assert re.findall(r'data-student="([^"]+)"', by_latin.text) == ["21B0042"]
    on_leave = clerk.get(RECORDS, params={"standing": "leave"})
    assert re.findall(r'data-student="([^"]+)"', on_leave.text) == ["21B0042"]
    nothing = clerk.get(RECORDS, params={"q": "99Z"})
    assert "該当する記録はありません" in shown(nothing)


def test_a_missing_record_is_not_found(clerk: httpx.Client) -> None:
    assert clerk.get(f"{RECORDS}/99Z9999").status_code == 404


def test_an_issuer_neither_sees_nor_opens_the_records(live: LiveServer) -> None:
    """The records are the certificate office's and the administrators': an issuer of the
    same university has no link to them and is refused them."""
    with signed_in_client(live.url, "issuer@example.jp") as issuer:
        home = issuer.get(f"/workspace/{UNIVERSITY}")
        assert RECORDS not in home.text
        assert issuer.get(RECORDS).status_code == 403
        assert upload(issuer, GOOD).status_code == 403


#: A student whose export names the programme in English too (the template's columns).
KENJI = ",".join(["23D0007", "高橋 健二", "タカハシ ケンジ", "TAKAHASHI Kenji", "2005-02-03",
                  "工学部", "情報工学科", "学士（工学）", "Faculty of Engineering",
                  "Department of Computer Science", "Bachelor of Engineering", "2023-04-01",
                  "", "在学", "2023-前期", "CS101", "プログラミング", "2", "jp", "優"])


def test_the_programme_reads_in_english_on_english_pages(clerk: httpx.Client) -> None:
    """In English the record and the list name the faculty, department and degree by the
    export's English names; in Japanese by the names as imported, the English beside them;
    a student without English names is named as imported on both."""
    page = upload(clerk, "\r\n".join([",".join(TEMPLATE_COLUMNS), KENJI]) + "\r\n",
                  encoding="utf-8", name="english.csv")
    assert page.status_code == 200, page.text
    english = clerk.get(f"{RECORDS}/23D0007?lang=en").text
    programme = dict(re.findall(r'data-programme="(\w+)">([^<]+)<', english))
    assert programme == {"faculty": "Faculty of Engineering",
                         "department": "Department of Computer Science",
                         "degree": "Bachelor of Engineering"}
    japanese = clerk.get(f"{RECORDS}/23D0007?lang=ja").text
    assert dict(re.findall(r'data-programme="(\w+)">([^<]+?) <', japanese)) == {
        "faculty": "工学部", "department": "情報工学科", "degree": "学士（工学）"}
    assert '<span class="aside" lang="en">（Bachelor of Engineering）</span>' in japanese
    listed = clerk.get(RECORDS, params={"q": "23D0007", "lang": "en"}).text
    assert "<td data-programme>Faculty of Engineering Department of Computer Science</td>" in (
        listed)
    assert "<td data-programme>工学部 情報工学科</td>" in clerk.get(
        RECORDS, params={"q": "23D0007", "lang": "ja"}).text
    imported = dict(re.findall(r'data-programme="(\w+)">([^<]+)<',
                               clerk.get(f"{RECORDS}/20A1002?lang=en").text))
    assert imported == {"faculty": "工学部", "department": "電気工学科", "degree": "学士（工学）"}
