"""A record's documents page (issue 56), over real HTTP as a browser without JavaScript
posts it, on SQLite and PostgreSQL: after a request approved and its link opened and
downloaded from, the page counts the forms, the requests, the views and downloads from the
store and lists each form and each event; withdrawing needs a reason (named by its field),
then revokes every form at once — the addressee's page says so — and a second withdrawal is
refused; a re-import that changes a record, followed by new documents, shows the old ones
withdrawn as corrected. A learner is refused the page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from credstack.settings import Settings
from tests.accounts import signed_in_client
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.registrar_site import (
    CLERK,
    EXPORT,
    SLUG,
    STUDENT,
    Site,
    registrar_site,
)
from tests.entrypoints.web.pages.test_registrar_queue import QUEUE
from tests.entrypoints.web.pages.wallet.test_document_requests import GOOD, PATH, text

ICHIRO_ASKS = "ichiro@example.com"


@pytest.fixture(scope="module")
def site(module_settings: Settings) -> Iterator[Site]:
    yield from registrar_site(module_settings, ICHIRO_ASKS)


@pytest.fixture(scope="module")
def clerk(site: Site) -> Iterator[FormBrowser]:
    browser = FormBrowser(site.live, CLERK, "en")
    yield browser
    browser.close()


def figures(html: str) -> dict[str, int]:
    return {name: int(value) for name, value in
            re.findall(r'data-figure="(\w+)">([0-9,]+)<', html)}


def events(html: str) -> list[str]:
    return re.findall(r'<tr data-event="(\w+)">', html)


def approved_link(site: Site, clerk: FormBrowser, email: str,
                  fields: list[tuple[str, str]]) -> str:
    """``email`` asks with ``fields``, the registrar approves; the delivery link."""
    asker = FormBrowser(site.live, email, "en")
    try:
        sent = asker.post(PATH, fields)
        assert sent.status_code == 303, sent.text[:2000]
        asked = sent.headers["location"].rsplit("#request-", 1)[1]
        assert clerk.post(f"{QUEUE}/{asked}/approve").status_code == 303
        [link] = re.findall(rf'id="request-{asked}".*?<a href="([^"]+)" data-link',
                            asker.get(PATH).text, re.S)
        return str(link)
    finally:
        asker.close()


def test_the_documents_their_history_and_figures_then_a_withdrawal(
        site: Site, clerk: FormBrowser) -> None:
    """Issued, viewed, downloaded: counted and listed; withdrawn with a reason, every form
    revoked at once (the addressee's page says so); once more, refused (409)."""
    only_transcript = [(k, v) for k, v in GOOD if not (k == "kinds" and v == "graduation")]
    link = approved_link(site, clerk, STUDENT, only_transcript)
    with httpx.Client(timeout=60) as addressee:
        assert addressee.get(link).status_code == 200
        assert addressee.get(f"{link}/transcript.pdf").status_code == 200
    page_path = f"/workspace/{SLUG}/records/20A1001/documents"
    page = clerk.get(page_path)
    assert page.status_code == 200, page.text[:2000]
    assert figures(page.text) == {"forms": 2, "active": 2, "withdrawn": 0, "requests": 1,
                                  "views": 1, "downloads": 1}
    assert sorted(re.findall(r'data-document="([\w.]+)" data-state="active"', page.text)) == [
        "transcript.pdf", "transcript.vc"]
    assert events(page.text) == ["download", "view", "issued"]
    assert "Example Corporation" in text(page.text)
    assert f'href="{page_path}"' in clerk.get(f"/workspace/{SLUG}/records/20A1001").text

    refused = clerk.post(f"{page_path}/withdraw", reason="")
    assert refused.status_code == 422, refused.text[:2000]
    assert 'id="withdraw-reason-error"' in refused.text
    done = clerk.post(f"{page_path}/withdraw", reason="Issued by mistake")
    assert (done.status_code, done.headers["location"]) == (
        303, f"{page_path}?done=withdrawn")
    page = clerk.get(f"{page_path}?done=withdrawn")
    assert figures(page.text)["withdrawn"] == 2 and figures(page.text)["active"] == 0
    assert events(page.text)[0] == "revoked" and "Issued by mistake" in page.text
    with httpx.Client(timeout=60) as addressee:
        opened = addressee.get(link, headers={"Accept-Language": "en"})
        assert re.findall(r'data-kind="transcript" data-state="(\w+)"', opened.text) == [
            "revoked"]
    again = clerk.post(f"{page_path}/withdraw", reason="Once more")
    assert again.status_code == 409, again.text[:2000]


def test_a_corrected_record_withdraws_what_its_old_version_issued(
        site: Site, clerk: FormBrowser) -> None:
    """Documents from Ichiro's record; the record re-imported with a changed grade; the next
    documents come from the new version and the old ones read as corrected."""
    ichiro = [("organisation", SLUG), ("number", "20A1002"), ("birth_date", "2003-05-01"),
              ("kinds", "enrolment"), ("copies", "1"), ("language", "ja"),
              ("addressee", "北都商事 人事部")]
    approved_link(site, clerk, ICHIRO_ASKS, ichiro)
    changed = EXPORT.replace("EE101,電気回路,2,jp,良", "EE101,電気回路,2,jp,優")
    with signed_in_client(site.live.url, CLERK) as http:
        imported = http.post(f"/workspace/{SLUG}/records/import", data={"encoding": ""},
                             files={"file": ("corrected.csv", changed.encode("cp932"),
                                             "text/csv")})
        assert imported.status_code == 200, imported.text[:2000]
    approved_link(site, clerk, ICHIRO_ASKS, ichiro)
    page = clerk.get(f"/workspace/{SLUG}/records/20A1002/documents")
    assert "corrected" in events(page.text)
    states = re.findall(r'data-document="enrolment.pdf" data-state="(\w+)"', page.text)
    assert sorted(states) == ["active", "revoked"]
    assert figures(page.text)["withdrawn"] == 2


def test_a_learner_is_refused_a_records_documents(site: Site) -> None:
    student = FormBrowser(site.live, STUDENT, "en")
    try:
        assert student.get(f"/workspace/{SLUG}/records/20A1001/documents").status_code == 403
    finally:
        student.close()
