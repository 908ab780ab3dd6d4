"""The registrar's import of a whole university's export as a background job (issue 56),
over real HTTP on SQLite and PostgreSQL: a Shift_JIS export over a mebibyte is staged in
the store and imported by the server's own worker; the form goes to the job's page, which
ends with the counts and a link back to the records, or with every bad row named (row,
column, why) and nothing written; "check only" the same way, writing nothing; the staged
file is gone once the job finished. The API's ``?async=true`` and ``Prefer:
respond-async`` answer 202 with the job. (A small file is still imported in the request:
``test_registrar_pages.py``.)"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html import unescape

import httpx
import pytest
from sqlalchemy import func, select

from credstack.adapters.db.tables import JobFileRow, JobRow
from credstack.core.registrar.records import COLUMNS
from credstack.entrypoints.web.pages.registrar import AT_ONCE_BYTES
from credstack.settings import Settings
from tests.accounts import add_user, api_client, bearer_token, signed_in_client, store_session
from tests.conftest import LiveServer, serve

UNIVERSITY = "shibaura-tech"
RECORDS = f"/workspace/{UNIVERSITY}/records"
#: Students in the large export, four results each (about 1.3 MB in Shift_JIS).
STUDENTS = 2500


def export(students: int = STUDENTS, *, broken: tuple[int, ...] = ()) -> bytes:
    """An export of ``students`` students in Shift_JIS; the students numbered in
    ``broken`` born on an impossible date (each of their four rows refused)."""
    rows = [",".join(COLUMNS)]
    for index in range(students):
        born = "2003-02-30" if index in broken else "2003-04-02"
        head = (f"22A{index:04d},山田 花子,ヤマダ ハナコ,YAMADA Hanako,{born},工学部,"
                f"機械工学科,学士（工学）,2022-04-01,2026-03-31,卒業見込")
        rows += [f"{head},2022-前期,ME101,機械工学概論,2,jp,秀",
                 f"{head},2022-後期,ME102,材料力学,2,jp,良",
                 f"{head},2023-前期,EN201,English,1,letter,B",
                 f"{head},2023-後期,ME301,熱力学,2,jp,可"]
    return ("\r\n".join(rows) + "\r\n").encode("shift_jis")


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[LiveServer]:
    for server in serve(module_settings):
        add_user(server.settings, "clerk@example.jp", name="教務 太郎",
                 roles=[(UNIVERSITY, "registrar")])
        yield server


@pytest.fixture(scope="module")
def clerk(live: LiveServer) -> Iterator[httpx.Client]:
    with signed_in_client(live.url, "clerk@example.jp") as client:
        yield client


def shown(page: httpx.Response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.text)))


def students(clerk: httpx.Client) -> str:
    found = re.search(r'data-figure="students">([^<]*)<', clerk.get(RECORDS).text)
    assert found is not None
    return found.group(1)


def upload(clerk: httpx.Client, data: bytes, *, dry_run: bool = False) -> str:
    """Send the export through the form; the job's id from the page it goes to."""
    assert len(data) > AT_ONCE_BYTES
    answer = clerk.post(f"{RECORDS}/import", data={"encoding": "shift_jis",
                                                   **({"dry_run": "yes"} if dry_run else {})},
                        files={"file": ("university.csv", data, "text/csv")})
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith("/jobs/")
    return location.removeprefix("/jobs/")


def finished(client: httpx.Client, job: str) -> dict[str, object]:
    """The job's JSON once it finished (the server's embedded worker runs it)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        state = client.get(f"/api/jobs/{job}").json()
        if state["state"] in {"succeeded", "failed"}:
            return dict(state)
        time.sleep(0.3)
    raise AssertionError(f"job {job} did not finish")


def staged_parts(settings: Settings, job: str) -> int:
    """How many parts of the job's staged input are still stored."""
    with store_session(settings) as session:
        found = session.scalar(select(func.count()).select_from(JobFileRow).join(
            JobRow, JobRow.id == JobFileRow.job_id).where(JobRow.public_id == job))
        return int(found or 0)


def test_a_large_export_is_imported_by_a_job_whose_page_ends_with_the_counts(
        clerk: httpx.Client, live: LiveServer) -> None:
    """The form stages the file and goes to the job's page; the worker imports it; the
    page shows its progress (every student written), the counts and the way back."""
    job = upload(clerk, export())
    state = finished(clerk, job)
    assert state["state"] == "succeeded", state
    assert state["done"] == state["total"] == STUDENTS
    assert state["result"] == {"organisation": UNIVERSITY, "source": "university.csv",
                               "students": STUDENTS, "results": STUDENTS * 4,
                               "created": STUDENTS, "updated": 0, "unchanged": 0,
                               "dry_run": False}
    english = clerk.get(f"/jobs/{job}?lang=en")
    assert f'<progress id="job-progress" max="{STUDENTS}" value="{STUDENTS}"' in english.text
    text = shown(english)
    assert "Importing academic records" in text
    assert "Students 2,500" in text and "Results 10,000" in text and "New 2,500" in text
    assert f'href="{RECORDS}"' in english.text and "The academic records" in text
    japanese = shown(clerk.get(f"/jobs/{job}?lang=ja"))
    assert "学籍・成績記録の取り込み" in japanese and "学生 2,500" in japanese
    assert students(clerk) == "2,500"
    assert staged_parts(live.settings, job) == 0


def test_a_broken_large_export_names_every_bad_row_and_writes_nothing(
        clerk: httpx.Client, live: LiveServer) -> None:
    """Three students born on an impossible date: the job fails, its page lists each of
    their twelve rows with its column and why, and no record changes."""
    before = students(clerk)
    job = upload(clerk, export(broken=(7, 1200, 2499)))
    state = finished(clerk, job)
    assert state["state"] == "failed", state
    page = clerk.get(f"/jobs/{job}?lang=en")
    items = re.findall(r"<li>([^<]*)</li>", page.text.split('id="job-problems"')[1]
                       .split("</ul>")[0])
    expected = [4 * index + row + 2 for index in (7, 1200, 2499) for row in range(4)]
    assert len(items) == 12, items
    for item, row in zip(items, expected, strict=True):
        said = unescape(item)
        assert f"row {row}, column birth_date" in said and "2003-02-30" in said, said
    assert "nothing was written" in shown(page)
    assert f'href="{RECORDS}"' in page.text
    japanese = shown(clerk.get(f"/jobs/{job}?lang=ja"))
    assert "2003-02-30" in japanese and "registrar.import" not in japanese
    assert students(clerk) == before
    assert staged_parts(live.settings, job) == 0


def test_checking_a_large_export_writes_nothing(clerk: httpx.Client,
                                                live: LiveServer) -> None:
    """'Check only' runs as a job too: it counts what an import would do, writes nothing,
    and its link says so."""
    before = students(clerk)
    job = upload(clerk, export(STUDENTS + 100), dry_run=True)
    state = finished(clerk, job)
    assert state["state"] == "succeeded", state
    result = state["result"]
    assert isinstance(result, dict) and result["dry_run"] is True
    assert (result["created"], result["unchanged"]) == (100, STUDENTS if before != "0" else 0)
    page = clerk.get(f"/jobs/{job}?lang=en")
    assert "checked only: nothing was written" in shown(page)
    assert students(clerk) == before
    assert staged_parts(live.settings, job) == 0


def test_the_api_imports_in_a_job_when_asked_to_respond_async(
        live: LiveServer, clerk: httpx.Client) -> None:
    """``?async=true`` and ``Prefer: respond-async`` answer 202 with the job's URL; the
    job's result is what the synchronous answer would have been."""
    client_id, secret = api_client(live.settings, "clerk@example.jp",
                                   scopes=["records:write", "records:read"])
    token = bearer_token(live.url, client_id, secret, scopes=["records:write",
                                                               "records:read"])
    with httpx.Client(base_url=live.url, timeout=120,
                      headers={"Authorization": f"Bearer {token}"}) as api:
        small = export(3).decode("shift_jis").replace("22A", "23B").encode("shift_jis")
        for asked in ({"params": {"async": "true"}},
                      {"headers": {"Prefer": "respond-async"}}):
            params = dict(asked.get("params", {}))
            headers = {"Content-Type": "text/csv; charset=shift_jis",
                       **dict(asked.get("headers", {}))}
            answer = api.post(f"/api/registrar/{UNIVERSITY}/records", params=params,
                              headers=headers, content=small)
            assert answer.status_code == 202, answer.text
            url = answer.headers["location"]
            assert answer.json()["url"] == url and url.startswith("/api/jobs/")
            state = finished(api, url.removeprefix("/api/jobs/"))
            assert state["state"] == "succeeded", state
            assert isinstance(state["result"], dict)
            assert state["result"]["students"] == 3
        # The synchronous answer stays for existing clients.
        again = api.post(f"/api/registrar/{UNIVERSITY}/records", content=small,
                         headers={"Content-Type": "text/csv; charset=shift_jis"})
        assert again.status_code == 200
        assert again.json()["unchanged"] == 3
        broken = export(2, broken=(1,))
        refused = api.post(f"/api/registrar/{UNIVERSITY}/records", params={"async": "true"},
                           content=broken,
                           headers={"Content-Type": "text/csv; charset=shift_jis"})
        assert refused.status_code == 202
        failed = finished(api, refused.headers["location"].removeprefix("/api/jobs/"))
        assert failed["state"] == "failed"
        assert len(re.findall(r"birth_date", str(failed["errors"]))) >= 4
