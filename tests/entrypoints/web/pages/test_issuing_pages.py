"""Issuing in the browser over real HTTP, as a browser without JavaScript sends the forms
(the CSRF token as a field): one learner's credential, a cohort file previewed with every
bad row reported and nothing issued, the list searched and filtered, a credential's page,
status changes with a reason, and a batch's downloads.

One server on SQLite for the module, with hokuto-tech's key and published programme and a
batch of three credentials issued before it starts; an issuer of hokuto-tech and a learner
act on it.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import time
import zipfile
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user, issued_credentials, provider_store
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash

SLUG = "hokuto-tech"
ISSUER = "issuer@hokuto.example"
LEARNER = "learner@example.jp"
COHORT = ("email,name.ja,name.en\n" "aiko@example.jp,青木 愛子,Aiko Aoki\n"
          "=cmd@example.jp,=HYPERLINK(\"x\"),Bob\n" "chika@example.jp,千葉 千佳,Chika Chiba\n")


@dataclasses.dataclass(frozen=True)
class Issuing:
    live: LiveServer
    batch: list[str]


@pytest.fixture(scope="module")
def issuing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuing]:
    folder = tmp_path_factory.mktemp("issuing-pages")
    secret = new_master_key_text()
    settings, port = at_own_url(dataclasses.replace(
        Settings.from_env(data_dir=folder / "data", database_url=""), secret_key=secret))
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    batch = issued_credentials(settings, secret=secret, now=now, cohort=COHORT,
                               batch="2026-spring")
    add_user(settings, ISSUER, name="Issuer", roles=[(SLUG, "issuer")])
    add_user(settings, LEARNER, name="Learner", roles=[(SLUG, "learner")])
    for live in serve(settings, port=port):
        yield Issuing(live, batch)


class Browser(FormBrowser):
    """An issuer's browser that also uploads cohorts."""

    def upload(self, data: bytes, *, name: str = "cohort.csv", **fields: str
               ) -> httpx.Response:
        return self.http.post(f"/workspace/{SLUG}/issue/cohort", files={
            "csrf_token": (None, self.token), "programme_id": (None, "1"),
            "batch": (None, fields.get("batch", "2026-autumn")),
            "securing": (None, "eddsa-rdfc-2022"), "language": (None, "ja"),
            "file": (name, data, "text/csv")})


@pytest.fixture
def issuer(issuing: Issuing) -> Iterator[Browser]:
    browser = Browser(issuing.live, ISSUER)
    yield browser
    browser.http.close()


def listed(page: Page) -> list[str]:
    """The ids of the credentials a list page shows, in order."""
    return re.findall(r'data-id="([^"]+)"', page.source)


def path(credential_id: str, suffix: str = "") -> str:
    return f"/workspace/{SLUG}/credentials/{quote(credential_id, safe=':')}{suffix}"


def test_visitors_are_sent_to_sign_in_and_learners_are_refused(issuing: Issuing) -> None:
    with patiently.client(base_url=issuing.live.url, headers=HTML) as anonymous:
        response = anonymous.get(f"/workspace/{SLUG}/credentials")
    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next=/workspace/{SLUG}/credentials"
    learner = Browser(issuing.live, LEARNER)
    try:
        for where in ("/issue", "/credentials", f"/credentials/{issuing.batch[0]}"):
            assert learner.http.get(f"/workspace/{SLUG}{where}").status_code == 403
    finally:
        learner.http.close()


def test_a_form_without_the_csrf_token_is_refused(issuer: Browser) -> None:
    response = issuer.http.post(f"/workspace/{SLUG}/issue", data={
        "programme_id": "1", "email": "x@example.jp"})
    assert response.status_code == 403
    upload = issuer.http.post(f"/workspace/{SLUG}/issue/cohort", files={
        "programme_id": (None, "1"), "file": ("c.csv", b"email\nx@example.jp\n", "text/csv")})
    assert upload.status_code == 403
    confirm = issuer.http.post(f"/workspace/{SLUG}/issue/cohort/confirm",
                               data={"programme_id": "1", "digest": "0" * 64})
    assert confirm.status_code == 403


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_issue_page_is_accessible_in_both_languages(issuing: Issuing,
                                                        language: str) -> None:
    browser = Browser(issuing.live, ISSUER, language)
    try:
        page = browser.page(f"/workspace/{SLUG}/issue")
    finally:
        browser.http.close()
    assert_accessible(page, language)
    assert page.one("form", action=f"/workspace/{SLUG}/issue")
    assert page.one("input", name="file", type="file")


def test_one_learner_is_issued_and_their_credentials_page_follows(issuer: Browser) -> None:
    fields = {"programme_id": "1", "version": "", "batch": "single-1",
              "securing": "eddsa-jcs-2022", "language": "en", "name_ja": "田中 一郎",
              "name_en": "Ichiro Tanaka", "email": "ichiro@example.jp",
              "issued_on": "2026-03-31", "grade": "A"}
    response = issuer.post(f"/workspace/{SLUG}/issue", **fields)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.endswith("?done=issued")
    # The same form sent again (a double click) gives the same credential.
    assert issuer.post(f"/workspace/{SLUG}/issue", **fields).headers["location"] == location
    page = issuer.page(location)
    assert_accessible(page, "en")
    assert "The credential was issued." in page.text
    assert "田中 一郎 / Ichiro Tanaka" in page.one("h1").text
    assert '/verify/urn:uuid:' in page.source
    # The credential's id, in the verification address too, stays in the folded technical
    # details (issue 51, the walk repeated).
    unfolded = re.sub(r"<details.*?</details>", "", page.source, flags=re.S)
    assert "urn:uuid:" not in re.sub(r"<[^>]+>", " ", unfolded)
    # The date of issue the form gave is the credential's, read from it (issue 51).
    assert page.one("time", datetime="2026-03-31").text.strip() == "31 March 2026"
    # The grade the form gave is on the page, and the history names who issued it (the
    # walk repeated: neither was there).
    assert page.one("dd", id="credential-grade").text.strip() == "A"
    issued = page.one("tr", **{"data-action": "issued"})
    assert squash(issued.text).endswith("Issued Issuer —")  # when, what, who, no reason
    document = issuer.http.get(location.split("?")[0] + "/credential.json")
    assert document.status_code == 200
    assert document.json()["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert document.headers["content-disposition"].startswith("attachment")


def test_a_bad_form_comes_back_with_each_problem_beside_its_field(issuer: Browser) -> None:
    response = issuer.post(f"/workspace/{SLUG}/issue", programme_id="1", batch="b",
                           name_en="Kept", email="not-an-email", issued_on="2026-02-30")
    assert response.status_code == 422
    page = Page(response.text)
    assert "not an e-mail address" in page.one("p", id="email-error").text
    assert page.one("p", id="issued_on-error")
    assert page.one("input", name="name_en").attrs["value"] == "Kept"
    assert page.one("input", name="email").attrs["aria-invalid"] == "true"


def test_a_cohort_with_bad_rows_is_reported_row_by_row_and_nothing_is_issued(
        issuer: Browser) -> None:
    data = ("email,name.ja,name.en,,\r\n"
            "dai@example.jp,大輔,Daisuke,,\r\n"
            "not-an-email,悪い,Bad,,\r\n"
            "dai@example.jp,大輔,Again,,\r\n"
            "eri@example.jp,恵理,Eri,,2026\r\n").encode("cp932")
    before = issuer.page(f"/workspace/{SLUG}/credentials").one("p", id="list-count").text
    response = issuer.upload(data, name="cohort-sjis.csv")
    assert response.status_code == 422, response.text
    page = Page(response.text)
    assert_accessible(page, "en")
    report = [squash(row.text) for row in page.all("tr")
              if squash(row.text).startswith("Row ")]
    assert report[0].startswith("Row 3, column A (email) 'not-an-email' is not an e-mail")
    assert report[1].startswith("Row 4")
    assert "already in row 2" in report[1]
    assert report[2].startswith("Row 5, column E")
    assert "The first 4 rows" in squash(page.text) and "大輔" in page.text
    # Only the good row (2) is offered, to confirm; nothing is issued until then.
    [offer] = page.all("form", action=f"/workspace/{SLUG}/issue/cohort/confirm")
    assert offer.attrs["id"] == "issue-good-rows" and "Issue the 1 good row" in offer.text
    after = issuer.page(f"/workspace/{SLUG}/credentials").one("p", id="list-count").text
    assert after == before


def test_a_cohort_with_two_bad_rows_of_twenty_offers_the_eighteen_good_ones(
        issuing: Issuing, issuer: Browser) -> None:
    """Nothing is issued from a file with bad rows, but the page offers to issue its good
    rows; confirming issues exactly those, in the background job."""
    rows = [f"g{i}@example.jp,{i} さん" for i in range(20)]
    rows[4], rows[11] = "not-an-email,悪い", "g0@example.jp,重複"
    response = issuer.upload(("email,name.ja\r\n" + "\r\n".join(rows) + "\r\n").encode(),
                             batch="good-rows")
    assert response.status_code == 422
    page = Page(response.text)
    assert_accessible(page, "en")
    offer = page.one("form", id="issue-good-rows")
    assert "Issue the 18 good rows" in squash(offer.text)
    assert "2 rows with problems" in squash(offer.text)
    digest = next(i.attrs["value"] for i in page.all("input") if i.attrs.get("name") == "digest")
    confirmed = issuer.post(f"/workspace/{SLUG}/issue/cohort/confirm", programme_id="1",
                            version="", batch="good-rows", securing="eddsa-rdfc-2022",
                            language="ja", digest=digest)
    assert confirmed.status_code == 303, confirmed.text
    for _ in range(120):
        listing = issuer.page(f"/workspace/{SLUG}/credentials?batch=good-rows")
        if "18" in listing.one("p", id="list-count").text:
            break
        time.sleep(0.5)
    assert "18" in listing.one("p", id="list-count").text
    japanese = Browser(issuing.live, ISSUER, "ja")
    try:
        again = Page(japanese.upload(("email,name.ja\r\n" + "\r\n".join(rows) + "\r\n")
                                     .encode(), batch="good-rows-ja").text)
        assert "問題のない 18 行だけ発行する" in again.one("form", id="issue-good-rows").text
    finally:
        japanese.http.close()


def test_a_good_cohort_is_previewed_with_its_count_and_a_confirmation(issuer: Browser
                                                                     ) -> None:
    rows = "".join(f"p{i}@example.jp,{i} さん\r\n" for i in range(30))
    response = issuer.upload(f"\ufeffemail,name.ja\r\n{rows}".encode())
    assert response.status_code == 200, response.text
    page = Page(response.text)
    assert_accessible(page, "en")
    assert "30 learners will be issued" in squash(page.text)
    assert len(page.all("table")) == 1 and len(page.all("tr")) == 1 + 20
    assert page.one("form", action=f"/workspace/{SLUG}/issue/cohort/confirm")
    assert page.one("input", name="digest").attrs["value"]


def test_confirming_a_cohort_twice_goes_to_one_job(issuer: Browser) -> None:
    page = Page(issuer.upload(b"email\nq1@example.jp\nq2@example.jp\n",
                              batch="2026-jobs").text)
    fields = {i.attrs["name"]: i.attrs.get("value", "") for i in page.all("input", type="hidden")
              if i.attrs["name"] != "csrf_token"}
    first = issuer.post(f"/workspace/{SLUG}/issue/cohort/confirm", **fields)
    second = issuer.post(f"/workspace/{SLUG}/issue/cohort/confirm", **fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert first.headers["location"].startswith("/jobs/")
    # The server's embedded worker issues the batch; the list then holds it once.
    assert issuer.http.get(first.headers["location"]).status_code == 200
    deadline = time.monotonic() + 60
    while len(listed(issuer.page(f"/workspace/{SLUG}/credentials?batch=2026-jobs"))) < 2 \
            and time.monotonic() < deadline:
        time.sleep(0.5)
    batch = issuer.page(f"/workspace/{SLUG}/credentials?batch=2026-jobs&q=@example.jp")
    assert len(listed(batch)) == 2


def test_an_upload_that_is_no_csv_says_so(issuer: Browser) -> None:
    response = issuer.upload(b"\xff\x81\x20garbage", name="photo.csv")
    assert response.status_code == 422
    assert "cannot be read" in Page(response.text).one("div", id="cohort-error").text


def test_the_list_is_searched_filtered_and_paged(issuing: Issuing, issuer: Browser) -> None:
    page = issuer.page(f"/workspace/{SLUG}/credentials?q=aiko")
    assert_accessible(page, "en")
    assert listed(page) == [issuing.batch[2]]
    page = issuer.page(f"/workspace/{SLUG}/credentials?batch=2026-spring")
    assert set(listed(page)) == set(issuing.batch)
    assert "Downloads of batch “2026-spring”" in page.text
    page = issuer.page(f"/workspace/{SLUG}/credentials?programme=1&q=千葉")
    assert listed(page) == [issuing.batch[0]]
    page = issuer.page(f"/workspace/{SLUG}/credentials?from=2000-01-01&until=2000-01-02")
    assert "No credential matches." in page.text
    page = issuer.page(f"/workspace/{SLUG}/credentials?from=yesterday")
    assert page.one("p", id="dates-error")


def test_the_list_and_its_csv_read_the_date_of_issue_not_the_signing(issuer: Browser
                                                                      ) -> None:
    """A credential dated before it was signed (a row's ``issued_on``) is listed, filtered
    and exported on its date of issue, the day its learner's pages read (issue 51)."""
    response = issuer.post(f"/workspace/{SLUG}/issue", programme_id="1", version="",
                           batch="dated-1", securing="eddsa-rdfc-2022", language="en",
                           name_ja="", name_en="Dana Date", email="dana@example.jp",
                           issued_on="2025-10-01")
    assert response.status_code == 303, response.text
    page = issuer.page(f"/workspace/{SLUG}/credentials?batch=dated-1")
    assert len(listed(page)) == 1
    [day] = page.all("time")
    assert day.attrs["datetime"] == "2025-10-01" and squash(day.text) == "1 October 2025"
    assert listed(issuer.page(f"/workspace/{SLUG}/credentials?batch=dated-1"
                              "&from=2025-10-01&until=2025-10-01")) == listed(page)
    assert listed(issuer.page(f"/workspace/{SLUG}/credentials?batch=dated-1"
                              "&from=2025-10-02")) == []
    exported = issuer.http.get(f"/workspace/{SLUG}/credentials/download?batch=dated-1"
                               "&format=csv")
    [header, line] = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert dict(zip(header, line, strict=True))["issued_on"] == "2025-10-01"


def test_a_credential_is_suspended_reinstated_and_revoked_with_reasons(
        issuing: Issuing, issuer: Browser) -> None:
    credential = issuing.batch[0]
    confirm = issuer.page(path(credential, "/status?change=suspend"))
    assert_accessible(confirm, "en")
    assert squash(confirm.one("h1").text) == "Suspend this credential?"
    refused = issuer.post(path(credential, "/status"), change="suspend", reason="  ")
    assert refused.status_code == 422
    assert Page(refused.text).one("p", id="reason-error")
    for change, reason in (("suspend", "checking"), ("reinstate", "checked"),
                           ("revoke", "issued in error")):
        response = issuer.post(path(credential, "/status"), change=change, reason=reason)
        assert response.status_code == 303, response.text
        assert response.headers["location"].endswith(f"?done={change}")
    page = issuer.page(path(credential))
    history = [squash(row.text) for row in page.all("tr")][1:]
    # Who did it is named as people know them, not by an internal id ("user:3").
    assert [entry.split(" ", 2)[2] for entry in history] == [
        "Issued — —", "Suspended Issuer checking", "Reinstated Issuer checked",
        "Revoked Issuer issued in error"]
    assert "A revoked credential cannot be reinstated." in page.text
    again = issuer.post(path(credential, "/status"), change="reinstate", reason="x")
    assert again.status_code == 409
    assert credential in listed(issuer.page(f"/workspace/{SLUG}/credentials?status=revoked"))


def test_the_credentials_page_shows_its_badge_and_offers_the_baked_images(
        issuing: Issuing, issuer: Browser) -> None:
    """The badge of its programme version; its facts as one aligned grid; the badge with the
    credential baked in, PNG and SVG, to download."""
    credential = issuing.batch[1]
    page = issuer.page(path(credential))
    # The workspace is named as people know it, not by its slug.
    eyebrow = squash(page.all("p", **{"class": "eyebrow"})[0].text)
    assert eyebrow.startswith("Workspace: ") and SLUG not in eyebrow
    [badge] = [img for img in page.all("img") if "badge-image" in img.attrs.get("class", "")]
    assert badge.attrs["src"] == "/badges/1/v1.svg" and badge.attrs["alt"]
    assert page.one("dl", **{"class": "facts"})
    baked = [a.attrs["href"] for a in page.all("a") if "/baked." in a.attrs.get("href", "")]
    assert baked == [f"/api/credentials/{quote(credential)}/baked.png",
                     f"/api/credentials/{quote(credential)}/baked.svg"]
    svg = issuer.get(baked[1])
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert credential in svg.text


def test_a_batch_downloads_as_jsonl_files_and_a_formula_safe_csv(issuing: Issuing,
                                                                 issuer: Browser) -> None:
    base = f"/workspace/{SLUG}/credentials/download?batch=2026-spring&format="
    lines = issuer.http.get(base + "jsonl")
    assert lines.status_code == 200
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    assert {json.loads(line)["id"] for line in lines.text.splitlines()} == set(issuing.batch)
    files = zipfile.ZipFile(io.BytesIO(issuer.http.get(base + "zip").content))
    assert len(files.namelist()) == 3
    exported = issuer.http.get(base + "csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    bob = next(row for row in rows if "HYPERLINK" in row[2])
    assert bob[1] == "'=cmd@example.jp" and bob[2].startswith("'=HYPERLINK")
    # PDFs are no stream any more: they are made by a job.
    assert issuer.http.get(base + "pdf").status_code == 422


def _finished(browser: Browser, job: str) -> dict[str, object]:
    """The job's JSON once it finished (the server's embedded worker runs it)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = browser.http.get(f"/api/jobs/{job}").json()
        if state["state"] in {"succeeded", "failed"}:
            return dict(state)
        time.sleep(0.3)
    raise AssertionError(f"job {job} did not finish")


def test_a_batchs_pdf_certificates_are_made_by_one_job_and_downloaded_from_it(
        issuing: Issuing, issuer: Browser) -> None:
    """The form starts a job (sent twice: one job), whose page follows it and then offers the
    zip: one PDF per credential in the chosen language, the revoked ones named apart. The job
    and its file are its starter's: a learner of the organisation is refused both."""
    listing = issuer.page(f"/workspace/{SLUG}/credentials?batch=2026-spring")
    form = listing.one("form", action=f"/workspace/{SLUG}/credentials/certificates")
    assert form and listing.one("select", id="certificates-language")
    asks = [issuer.post(f"/workspace/{SLUG}/credentials/certificates", batch="2026-spring",
                        language="en") for _ in range(2)]
    assert asks[0].status_code == asks[1].status_code == 303
    assert asks[0].headers["location"] == asks[1].headers["location"]
    job = asks[0].headers["location"].removeprefix("/jobs/")
    assert _finished(issuer, job)["state"] == "succeeded"
    page = issuer.page(f"/jobs/{job}")
    assert_accessible(page, "en")
    assert "PDF certificates (zip)" in page.text and "kept for 7 days" in page.text
    link = page.one("a", id="job-download")
    assert link.attrs["href"] == f"/jobs/{job}/file"
    download = issuer.http.get(link.attrs["href"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in download.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    result = _finished(issuer, job)["result"]
    assert isinstance(result, dict)
    assert len(pdfs) == result["included"] and result["credentials"] == 3
    assert all(archive.read(name).startswith(b"%PDF") for name in pdfs)
    if result["left_out"]:
        assert "not-included.txt" in archive.namelist()
    learner = Browser(issuing.live, LEARNER)
    try:
        assert learner.http.get(f"/jobs/{job}/file").status_code == 403
        assert learner.post(f"/workspace/{SLUG}/credentials/certificates",
                            batch="2026-spring").status_code == 403
    finally:
        learner.close()
    unknown = issuer.post(f"/workspace/{SLUG}/credentials/certificates", batch="no-such-batch")
    assert unknown.status_code == 404


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_revoked_credentials_waiting_email_is_kept_marked_withdrawn(
        issuing: Issuing, language: str) -> None:
    """Revoking a credential whose "issued" e-mail has not gone keeps that e-mail in the
    outbox, marked withdrawn (in the state filter and on its page, with no button to send it
    again), beside the revocation notice that replaces it (issue 39, defect 11)."""
    browser = Browser(issuing.live, ISSUER, language)
    address = f"withdrawn-{language}@example.jp"
    try:
        response = browser.post(f"/workspace/{SLUG}/issue", programme_id="1", version="",
                                batch=f"withdrawn-{language}", securing="eddsa-jcs-2022",
                                language=language, name_ja="取下 太郎", name_en="Taro Torisage",
                                email=address, issued_on="2026-03-31")
        assert response.status_code == 303, response.text
        credential = response.headers["location"].split("?")[0].rsplit("/", 1)[1]
        revoked = browser.post(path(credential.replace("%3A", ":"), "/status"),
                               change="revoke", reason="issued in error")
        assert revoked.status_code == 303, revoked.text
        page = browser.page(f"/workspace/{SLUG}/mail?state=withdrawn")
        assert_accessible(page, language)
        [row] = [tr for tr in page.all("tr") if address in tr.text]
        assert row.attrs["data-state"] == "withdrawn"
        word = "取り下げ済み" if language == "ja" else "Withdrawn"
        assert word in row.text
        assert word in squash(page.one("select", id="mail-state").text)
        assert int(page.one("dd", **{"data-state": "withdrawn"}).text) >= 1
        every = browser.page(f"/workspace/{SLUG}/mail")
        states = sorted(tr.attrs["data-state"] for tr in every.all("tr")
                        if address in tr.text and tr.attrs.get("data-state"))
        assert states == ["pending", "withdrawn"]
        shown = browser.page(f"/workspace/{SLUG}/mail/{row.attrs['data-message']}")
        assert_accessible(shown, language)
        assert shown.one("dl", id="mail-message").attrs["data-state"] == "withdrawn"
        assert not shown.all("button", id="mail-resend")
        again = browser.post(f"/workspace/{SLUG}/mail/{row.attrs['data-message']}/resend")
        assert again.status_code == 409
    finally:
        browser.http.close()
