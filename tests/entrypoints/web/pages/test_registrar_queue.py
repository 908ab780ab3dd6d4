"""The registrar's queue of document requests as pages (issue 56), over real HTTP as a
browser without JavaScript posts its forms, on SQLite and PostgreSQL: a student's request
waits in the queue and is counted; a refusal needs a reason (named by its field) which the
student then reads; an approval issues the documents and opens the delivery link, which the
student sees and the addressee opens, the view logged for both; the rule's period is checked
by its field, and once set with automatic approval the confirmed student's next request is
approved at once for that period. The registrar's menu leads to the queue, and signing in
lands on it; a learner is refused it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest

from credstack.settings import Settings
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.registrar_site import (
    ADDRESSEE,
    CLERK,
    SLUG,
    STUDENT,
    Site,
    registrar_site,
)
from tests.entrypoints.web.pages.wallet.test_document_requests import GOOD, PATH, text

QUEUE = f"/workspace/{SLUG}/requests"
#: The kinds the student asks for (``GOOD``) as a Korean and a Thai addressee read them.
KIND_NAMES = {"ko": {"transcript": "성적증명서", "graduation": "졸업증명서"},
              "th": {"transcript": "ใบแสดงผลการเรียน",
                     "graduation": "หนังสือรับรองการสำเร็จการศึกษา"}}


@pytest.fixture(scope="module")
def site(module_settings: Settings) -> Iterator[Site]:
    yield from registrar_site(module_settings)


@pytest.fixture(scope="module")
def clerk(site: Site) -> Iterator[FormBrowser]:
    browser = FormBrowser(site.live, CLERK, "ja")
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def student(site: Site) -> Iterator[FormBrowser]:
    browser = FormBrowser(site.live, STUDENT, "en")
    yield browser
    browser.close()


def figure(html: str, name: str) -> int:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found is not None, name
    return int(found.group(1))


def ask(student: FormBrowser) -> str:
    """The student's request sent; its id."""
    sent = student.post(PATH, GOOD)
    assert sent.status_code == 303, sent.text[:2000]
    return sent.headers["location"].rsplit("#request-", 1)[1]


def states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-request="([0-9a-f]{16})" data-state="(\w+)"', html))


def test_a_request_is_refused_with_a_reason_the_student_reads(
        clerk: FormBrowser, student: FormBrowser) -> None:
    """Queued and counted; refused without a reason: the form again (422), the message by
    that request's reason; with one: gone from the queue, the student reads why."""
    before = figure(clerk.get(QUEUE).text, "pending")
    asked = ask(student)
    queue = clerk.get(QUEUE)
    assert queue.status_code == 200, queue.text[:2000]
    assert states(queue.text)[asked] == "pending"
    assert figure(queue.text, "pending") == before + 1
    assert ADDRESSEE in text(queue.text) and "成績証明書" in text(queue.text)
    refused = clerk.post(f"{QUEUE}/{asked}/refuse", reason=" ")
    assert refused.status_code == 422, refused.text[:2000]
    assert f'id="reason-{asked}-error"' in refused.text
    assert "却下の理由を 500 文字以内で書いてください。" in text(refused.text)
    done = clerk.post(f"{QUEUE}/{asked}/refuse", reason="生年月日の届出と異なります")
    assert (done.status_code, done.headers["location"]) == (303, f"{QUEUE}?done=refused")
    assert asked not in states(clerk.get(QUEUE).text)
    assert states(clerk.get(f"{QUEUE}?state=refused").text)[asked] == "refused"
    mine = student.get(PATH)
    assert states(mine.text)[asked] == "refused"
    assert "生年月日の届出と異なります" in mine.text
    again = clerk.post(f"{QUEUE}/{asked}/approve")
    assert again.status_code == 409, again.text[:2000]


def test_an_approved_request_is_delivered_and_its_views_logged(
        site: Site, clerk: FormBrowser, student: FormBrowser) -> None:
    """Approved: the student's page shows the link and its period; the addressee opens it
    without an account; the view is in the student's and the registrar's log."""
    asked = ask(student)
    done = clerk.post(f"{QUEUE}/{asked}/approve")
    assert (done.status_code, done.headers["location"]) == (303, f"{QUEUE}?done=approved")
    mine = student.get(PATH)
    assert states(mine.text)[asked] == "approved"
    [link] = re.findall(rf'id="request-{asked}".*?<a href="([^"]+)" data-link', mine.text,
                        re.S)
    assert link.startswith(f"{site.live.settings.public_url}/delivery/")
    with httpx.Client(timeout=60) as addressee:
        opened = addressee.get(link, headers={"Accept-Language": "en"})
        assert opened.status_code == 200, opened.text[:2000]
        assert ADDRESSEE in opened.text
        for language, names in KIND_NAMES.items():
            read = addressee.get(link, headers={"Accept-Language": language})
            assert read.status_code == 200, read.text[:2000]
            shown = dict(re.findall(r'data-kind="([a-z]+)"[^>]*>\s*<strong>([^<]+)</strong>',
                                    read.text))
            assert shown == names, language
    card = re.search(rf'id="request-{asked}".*?</article>', student.get(PATH).text, re.S)
    assert card is not None and 'data-event="view"' in card.group(0)
    approved = clerk.get(f"{QUEUE}?state=approved").text
    card = re.search(rf'id="request-{asked}".*?</article>', approved, re.S)
    assert card is not None
    assert 'data-event="view"' in card.group(0) and link in card.group(0)


def test_the_rule_approves_a_confirmed_students_request_at_once(
        site: Site, clerk: FormBrowser, student: FormBrowser) -> None:
    """A period out of range is named by its field (422); the rule saved, the student the
    registrar approved before gets the next request approved at once, its link for the
    rule's period."""
    wrong = clerk.post(f"{QUEUE}/rule", auto_approve="yes", delivery_days="0")
    assert wrong.status_code == 422, wrong.text[:2000]
    assert 'id="rule-days-error"' in wrong.text and 'aria-invalid="true"' in wrong.text
    saved = clerk.post(f"{QUEUE}/rule", auto_approve="yes", delivery_days="30")
    assert (saved.status_code, saved.headers["location"]) == (303, f"{QUEUE}?done=rule")
    page = clerk.get(QUEUE).text
    assert 'id="rule-auto" name="auto_approve" value="yes" checked' in page
    assert 'value="30"' in page
    sent = student.post(PATH, GOOD)
    assert sent.status_code == 303
    assert "done=approved" in sent.headers["location"]
    asked = sent.headers["location"].rsplit("#request-", 1)[1]
    assert states(student.get(PATH).text)[asked] == "approved"
    card = re.search(rf'id="request-{asked}".*?</article>',
                     clerk.get(f"{QUEUE}?state=approved").text, re.S)
    assert card is not None and "自動承認" in card.group(0)
    # The period's end, as the page writes it (in UTC or in Japan's time).
    ends = {(dt.datetime.now(dt.UTC) + dt.timedelta(days=30, hours=hours)).date().isoformat()
            for hours in (0, 9)}
    assert any(day in card.group(0) for day in ends)
    clerk.post(f"{QUEUE}/rule", delivery_days="92")


def test_the_registrars_menu_leads_to_the_queue_and_a_learner_is_refused(
        clerk: FormBrowser, student: FormBrowser) -> None:
    """The registrar's menu and workspace tabs name the queue; the learner gets a 403."""
    page = clerk.get(QUEUE).text
    assert f'href="{QUEUE}" data-place="requests"' in page
    assert 'aria-current="page"' in page
    assert student.get(QUEUE).status_code == 403


def test_the_certificate_offices_registrar_lands_on_the_queue(
        clerk: FormBrowser, student: FormBrowser) -> None:
    """Home after signing in: the queue of requests for the registrar of a university keeping
    records (not the credit bank, not a generic page); the wallet for the student."""
    landed = clerk.get("/home")
    assert (landed.status_code, landed.headers["location"]) == (303, QUEUE)
    assert student.get("/home").headers["location"] == "/wallet"
