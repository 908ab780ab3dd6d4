"""The registrar's academic records over HTTP (issue 56), on SQLite and PostgreSQL: the
template, a CSV import in Shift_JIS and UTF-8, every bad row named with nothing written, a
re-import that keeps the record's history, the JSON API, and who may import."""

from __future__ import annotations

import httpx

from credstack.core.registrar.records import COLUMNS, TEMPLATE_COLUMNS
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import add_organisation, add_user, api_client, bearer_token, store_session
from tests.conftest import LiveServer
from tests.core.registrar.oneroster_roster import roster, zipped

UNIVERSITY = "shibaura-tech"
HANAKO = ("20A1001,山田 花子,ヤマダ ハナコ,YAMADA Hanako,2003-04-02,工学部,機械工学科,"
          "学士（工学）,2022-04-01,2026-03-31,卒業見込")
ICHIRO = ("20A1002,鈴木 一郎,スズキ イチロウ,SUZUKI Ichiro,2003-05-01,工学部,電気工学科,"
          "学士（工学）,2022-04-01,,在学")


def _file(*rows: str) -> str:
    return "\r\n".join([",".join(COLUMNS), *rows]) + "\r\n"


GOOD = _file(f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,秀",
             f"{HANAKO},2022-後期,ME102,材料力学,2,jp,可",
             f"{HANAKO},2023-前期,EN201,English,1,letter,B",
             f"{ICHIRO},,,,,,")


def _import(http: httpx.Client, text: str, encoding: str = "utf-8", *, charset: str = "",
            **params: str) -> httpx.Response:
    """POST ``text`` in ``encoding``, declaring ``charset`` when given."""
    kind = f"text/csv; charset={charset}" if charset else "text/csv"
    return http.post(f"/api/registrar/{UNIVERSITY}/records", params=params,
                     content=text.encode(encoding), headers={"Content-Type": kind})


def _entries(settings: Settings) -> list[str]:
    with store_session(settings) as session:
        return [entry.action for entry in audit.entries(session, subject=UNIVERSITY)]


def test_the_template_downloads_as_utf8_csv_with_every_column(http: httpx.Client) -> None:
    """The template is the columns and an example row, marked as UTF-8 for spreadsheets."""
    response = http.get("/api/registrar/template.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(TEMPLATE_COLUMNS)
    assert {"faculty_en", "department_en", "degree_name_en"} <= set(header.split(","))


def test_a_shift_jis_export_imports_and_reads_back_with_its_gpa(
        http: httpx.Client, settings: Settings) -> None:
    """A Shift_JIS file (so declared) imports; the record, its GPA and credits read back."""
    add_organisation(settings, UNIVERSITY)
    response = _import(http, GOOD, "shift_jis", charset="shift_jis")
    assert response.status_code == 200, response.text
    assert response.json() | {"source": ""} == {
        "organisation": UNIVERSITY, "source": "", "students": 2, "results": 3, "created": 2,
        "updated": 0, "unchanged": 0, "dry_run": False}
    record = http.get(f"/api/registrar/{UNIVERSITY}/students/20A1001").json()
    assert (record["name"], record["name_kana"], record["degree_name"]) == (
        "山田 花子", "ヤマダ ハナコ", "学士（工学）")
    assert record["gpa"] == "2.40"  # (4×2 + 1×2 + 2×1) / 5
    assert record["credits_earned"] == "5"
    assert [result["grade"] for result in record["results"]] == ["shu", "ka", "B"]
    assert record["version"] == 1 and record["history"] == []
    assert _entries(settings) == ["registrar.records-imported"]


def test_a_broken_file_names_every_bad_row_and_writes_nothing(
        http: httpx.Client, settings: Settings) -> None:
    """One bad row refuses the whole file: each fault placed, no student stored."""
    add_organisation(settings, UNIVERSITY)
    broken = _file(f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,秀",
                   f"{HANAKO},2022-後期,ME102,材料力学,two,jp,可",
                   f"{ICHIRO.replace('2003-05-01', '2003-13-01')},,,,,,")
    response = _import(http, broken, "cp932", charset="cp932")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/invalid-academic-records"
    assert [(item["location"], item["code"]) for item in problem["errors"]] == [
        ("row 3, column credits", "registrar.import.fault.credits"),
        ("row 4, column birth_date", "registrar.import.fault.date"),
    ]
    assert "two" in problem["errors"][0]["message"]
    assert "日付" in problem["errors"][1]["message_ja"]
    assert http.get(f"/api/registrar/{UNIVERSITY}/students/20A1001").status_code == 404
    assert _entries(settings) == []


def test_a_shift_jis_body_declared_as_utf8_is_refused_unread(
        http: httpx.Client, settings: Settings) -> None:
    """Bytes that are not what their charset says are refused before the route."""
    add_organisation(settings, UNIVERSITY)
    response = _import(http, GOOD, "shift_jis")
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/invalid-text"


def test_a_re_import_updates_changed_records_and_keeps_the_one_before(
        http: httpx.Client, settings: Settings) -> None:
    """The same file changes nothing; a changed grade makes version 2, version 1 kept."""
    add_organisation(settings, UNIVERSITY)
    assert _import(http, GOOD).status_code == 200
    again = _import(http, GOOD).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    changed = GOOD.replace("ME102,材料力学,2,jp,可", "ME102,材料力学,2,jp,優")
    dry = _import(http, changed, dry_run="true").json()
    assert (dry["updated"], dry["dry_run"]) == (1, True)
    assert http.get(f"/api/registrar/{UNIVERSITY}/students/20A1001").json()["version"] == 1
    done = _import(http, changed).json()
    assert (done["created"], done["updated"], done["unchanged"]) == (0, 1, 1)
    record = http.get(f"/api/registrar/{UNIVERSITY}/students/20A1001").json()
    assert (record["version"], record["gpa"]) == (2, "3.20")
    [before] = record["history"]
    assert before["version"] == 1
    assert [result["grade"] for result in before["record"]["results"]] == ["shu", "ka", "B"]
    assert _entries(settings) == ["registrar.records-imported"] * 2


def test_the_json_api_imports_students_and_places_faults_in_the_document(
        http: httpx.Client, settings: Settings) -> None:
    """``{"students": [...]}`` imports as the CSV does; a fault names its JSON location."""
    add_organisation(settings, UNIVERSITY)
    student = dict(zip(COLUMNS[:11], HANAKO.split(","), strict=True))
    student["results"] = [{"term": "2022-前期", "course_code": "ME101",
                           "course_title": "機械工学概論", "credits": 2, "scale": "letter",
                           "grade": "S"}]
    done = http.post(f"/api/registrar/{UNIVERSITY}/records", json={"students": [student]})
    assert done.status_code == 200, done.text
    assert done.json()["created"] == 1
    student["results"][0]["grade"] = "秀"
    refused = http.post(f"/api/registrar/{UNIVERSITY}/records", json={"students": [student]})
    assert refused.status_code == 422
    assert [item["location"] for item in refused.json()["errors"]] == [
        "students[0].results[0], column grade"]


def test_the_programmes_english_names_import_and_read_back_by_json(
        http: httpx.Client, settings: Settings) -> None:
    """The optional English names of the faculty, department and degree are the JSON
    student's keys, in and out; a CSV without their columns leaves them empty."""
    add_organisation(settings, UNIVERSITY)
    student: dict[str, object] = dict(zip(COLUMNS[:11], HANAKO.split(","), strict=True))
    student.update(faculty_en="Faculty of Engineering",
                   department_en="Department of Mechanical Engineering",
                   degree_name_en="Bachelor of Engineering", results=[])
    done = http.post(f"/api/registrar/{UNIVERSITY}/records", json={"students": [student]})
    assert done.status_code == 200, done.text
    record = http.get(f"/api/registrar/{UNIVERSITY}/students/20A1001").json()
    assert (record["faculty_en"], record["department_en"], record["degree_name_en"]) == (
        "Faculty of Engineering", "Department of Mechanical Engineering",
        "Bachelor of Engineering")
    assert _import(http, GOOD).status_code == 200
    record = http.get(f"/api/registrar/{UNIVERSITY}/students/20A1001").json()
    assert record["degree_name_en"] == "" and record["version"] == 2
    assert record["history"][0]["record"]["degree_name_en"] == "Bachelor of Engineering"


def test_a_oneroster_roster_imports_all_or_nothing_and_re_imports_with_history(
        http: httpx.Client, settings: Settings) -> None:
    """A OneRoster 1.2 CSV zip imports its students with their grades; a broken roster
    names each bad row by file, row and column and writes nothing; a changed roster makes
    the next version of a record, keeping the one before."""
    add_organisation(settings, UNIVERSITY)
    zip_type = {"Content-Type": "application/zip"}
    url = f"/api/registrar/{UNIVERSITY}/records"
    broken = roster(3)
    broken["results.csv"] = broken["results.csv"].replace(",秀,", ",X,", 1)
    refused = http.post(url, content=zipped(broken), headers=zip_type)
    assert refused.status_code == 422
    assert [item["location"] for item in refused.json()["errors"]] == [
        "results.csv row 2, column textScore"]
    assert http.get(f"{url.removesuffix('/records')}/students/22A00000").status_code == 404
    done = http.post(url, content=zipped(roster(3)), headers=zip_type)
    assert done.status_code == 200, done.text
    assert (done.json()["created"], done.json()["results"]) == (3, 12)
    changed = roster(3)
    changed["results.csv"] = changed["results.csv"].replace(",秀,", ",可,", 1)
    again = http.post(url, content=zipped(changed), headers=zip_type).json()
    assert (again["updated"], again["unchanged"]) == (1, 2)
    record = http.get(f"{url.removesuffix('/records')}/students/22A00000").json()
    assert record["version"] == 2 and record["degree_name_en"] == "Bachelor of Engineering"
    assert record["history"][0]["record"]["results"][0]["grade"] == "shu"


def test_an_issuer_of_another_organisation_may_not_import(
        server: LiveServer, settings: Settings) -> None:
    """Importing a university's records is its own staff's work (403 for another's)."""
    add_organisation(settings, UNIVERSITY)
    add_user(settings, "issuer@other.example", roles=[("other-university", "issuer")])
    client_id, secret = api_client(settings, "issuer@other.example", ["credentials:issue"])
    token = bearer_token(server.url, client_id, secret, scopes=["credentials:issue"])
    with httpx.Client(base_url=server.url, timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as other:
        assert _import(other, GOOD).status_code == 403
