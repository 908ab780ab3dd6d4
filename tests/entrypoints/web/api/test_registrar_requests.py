"""Requests for the registrar's documents and their delivery over HTTP (issue 56), on SQLite
and PostgreSQL: a student asks, the registrar approves from the queue or refuses with a
reason, the organisation's rule approves a confirmed account's next request at once, the
addressee opens the delivery link without an account and downloads, every view and download
is in the log the student and the registrar read, and the link answers 410 after its period."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import add_issuer, add_user, api_client, bearer_token, store_session
from tests.conftest import LiveServer, ShiftedClock, at_own_url, operator_client, serve
from tests.helpers import ORGANISATION

SLUG = ORGANISATION["slug"]
STUDENT = "hanako@example.ac.jp"
OTHER = "someone@example.com"
HEADER = ("student_number,name,name_kana,name_latin,birth_date,faculty,department,"
          "degree_name,admission_date,completion_date,standing,term,course_code,"
          "course_title,credits,scale,grade")
ROWS = ["20A1001,山田 花子,ヤマダ ハナコ,YAMADA Hanako,2003-04-02,工学部,機械工学科,"
        "学士（工学）,2022-04-01,2026-03-31,graduated,2022-前期,ME101,機械工学概論,2,jp,shu",
        "20A1001,山田 花子,ヤマダ ハナコ,YAMADA Hanako,2003-04-02,工学部,機械工学科,"
        "学士（工学）,2022-04-01,2026-03-31,graduated,2022-後期,ME102,材料力学,2,jp,ryo"]
ASK = {"organisation": SLUG, "number": "20A1001", "birth_date": "2003-04-02",
       "kinds": ["transcript", "graduation"], "copies": 2, "language": "en",
       "addressee": "Example Corporation, Human Resources"}


@dataclass
class Served:
    live: LiveServer
    clock: ShiftedClock
    registrar: httpx.Client
    student: httpx.Client
    other: httpx.Client


def _client(live: LiveServer, email: str) -> httpx.Client:
    client_id, secret = api_client(live.settings, email, ["wallet:read", "wallet:write"])
    return httpx.Client(base_url=live.url, timeout=60, headers={
        "Authorization": f"Bearer {bearer_token(live.url, client_id, secret)}"})


@pytest.fixture
def served(settings: Settings) -> Iterator[Served]:
    secret = new_master_key_text()
    configured, port = at_own_url(dataclasses.replace(settings, secret_key=secret))
    with store_session(configured) as session:
        add_issuer(session, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
                   secret=MasterKey.from_text(secret, source="test"))
    add_user(configured, STUDENT, name="Hanako")
    add_user(configured, OTHER, name="Someone")
    clock = ShiftedClock()
    for live in serve(configured, port=port, clock=clock):
        with operator_client(live, timeout=60) as registrar, \
                _client(live, STUDENT) as student, _client(live, OTHER) as other:
            imported = registrar.post(f"/api/registrar/{SLUG}/records",
                                      content="\n".join([HEADER, *ROWS]).encode("utf-8"),
                                      headers={"Content-Type": "text/csv"})
            assert imported.status_code == 200, imported.text
            yield Served(live, clock, registrar, student, other)


def _actions(settings: Settings) -> list[str]:
    with store_session(settings) as session:
        return [entry.action for entry in audit.entries(session, subject=f"{SLUG}:20A1001")]


def test_a_request_approved_from_the_queue_is_delivered_and_logged(served: Served) -> None:
    """Asked, queued, approved: the addressee opens the link without an account, downloads
    the PDF; the view and the download are in the student's and the registrar's log."""
    made = served.student.post("/api/registrar/requests", json=ASK)
    assert made.status_code == 201, made.text
    asked = made.json()
    assert (asked["state"], asked["link"], asked["copies"]) == ("pending", None, 2)
    [queued] = served.registrar.get(f"/api/registrar/{SLUG}/requests").json()
    assert queued["id"] == asked["id"] and queued["addressee"] == ASK["addressee"]
    approved = served.registrar.post(
        f"/api/registrar/{SLUG}/requests/{asked['id']}/approve")
    assert approved.status_code == 200, approved.text
    link = approved.json()["link"]
    assert link.startswith(f"{served.live.settings.public_url}/delivery/")
    assert served.registrar.get(f"/api/registrar/{SLUG}/requests").json() == []
    with httpx.Client(timeout=60) as addressee:
        page = addressee.get(link, headers={"Accept-Language": "en"})
        assert page.status_code == 200, page.text
        assert "Example Corporation, Human Resources" in page.text
        assert re.findall(r'data-outcome="([^"]*)"', page.text) == ["verified"] * 2
        assert page.headers["Referrer-Policy"] == "no-referrer"
        pdf = addressee.get(f"{link}/transcript.pdf")
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")
        assert "attachment" in pdf.headers["content-disposition"]
        assert addressee.get(f"{link}/degree.pdf").status_code == 404
    [mine] = served.student.get("/api/registrar/requests").json()
    assert mine["link"] == link
    assert [(e["event"], e["document"]) for e in mine["events"]] == [
        ("view", ""), ("download", "transcript.pdf")]
    [seen] = served.registrar.get(f"/api/registrar/{SLUG}/requests",
                                  params={"state": "all"}).json()
    assert [e["event"] for e in seen["events"]] == ["view", "download"]
    assert _actions(served.live.settings) == ["registrar.request.made",
                                              "registrar.request.approved"]


def test_the_link_answers_410_after_the_organisations_period(served: Served) -> None:
    """The rule's period (here 30 days) ends the link: 410 with a page, and no download."""
    rule = served.registrar.put(f"/api/registrar/{SLUG}/request-rule",
                                json={"auto_approve": False, "delivery_days": 30})
    assert rule.status_code == 200, rule.text
    asked = served.student.post("/api/registrar/requests", json=ASK).json()
    link = served.registrar.post(
        f"/api/registrar/{SLUG}/requests/{asked['id']}/approve").json()["link"]
    served.clock.offset = dt.timedelta(days=29)
    with httpx.Client(timeout=60) as addressee:
        assert addressee.get(link).status_code == 200
        served.clock.offset = dt.timedelta(days=30, minutes=1)
        gone = addressee.get(link, headers={"Accept-Language": "ja"})
        assert gone.status_code == 410
        assert 'lang="ja"' in gone.text
        assert addressee.get(f"{link}/transcript.pdf").status_code == 410
        assert addressee.get(link[:-4] + "AAAA").status_code == 404


def test_a_refusal_says_why_and_opens_no_link(served: Served) -> None:
    """Refused with a reason: the student reads it; there is no link; deciding twice is a
    conflict."""
    asked = served.student.post("/api/registrar/requests", json=ASK).json()
    refused = served.registrar.post(f"/api/registrar/{SLUG}/requests/{asked['id']}/refuse",
                                    json={"reason": "Fees outstanding"})
    assert refused.status_code == 200, refused.text
    [mine] = served.student.get("/api/registrar/requests").json()
    assert (mine["state"], mine["reason"], mine["link"]) == (
        "refused", "Fees outstanding", None)
    again = served.registrar.post(f"/api/registrar/{SLUG}/requests/{asked['id']}/approve")
    assert again.status_code == 409


def test_the_rule_approves_a_confirmed_accounts_next_request_at_once(served: Served) -> None:
    """With the rule on, the first request still waits for the registrar (who confirms the
    account); the next is approved at once, by the rule."""
    served.registrar.put(f"/api/registrar/{SLUG}/request-rule",
                         json={"auto_approve": True, "delivery_days": 92})
    first = served.student.post("/api/registrar/requests", json=ASK).json()
    assert first["state"] == "pending"
    served.registrar.post(f"/api/registrar/{SLUG}/requests/{first['id']}/approve")
    second = served.student.post("/api/registrar/requests",
                                 json=ASK | {"kinds": ["degree"], "language": "ja"}).json()
    assert second["state"] == "approved" and second["link"]
    expires = dt.datetime.fromisoformat(second["expires_at"])
    assert dt.timedelta(days=91) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=92)


def test_a_wrong_birth_date_or_a_kind_the_standing_refuses_is_not_asked(
        served: Served) -> None:
    """Another account with the wrong birth date finds no record; a graduate cannot ask for
    a certificate of enrolment; nothing is queued; the registrar's routes are not theirs."""
    wrong = served.other.post("/api/registrar/requests",
                              json=ASK | {"birth_date": "2003-04-03"})
    assert wrong.status_code == 404
    enrolment = served.student.post("/api/registrar/requests",
                                    json=ASK | {"kinds": ["enrolment"]})
    assert enrolment.status_code == 409
    bad = served.student.post("/api/registrar/requests", json=ASK | {"copies": 0})
    assert bad.status_code == 422
    assert served.registrar.get(f"/api/registrar/{SLUG}/requests").json() == []
    assert served.student.get(f"/api/registrar/{SLUG}/requests").status_code == 403


def test_numbers_and_birthdays_cannot_be_guessed_one_try_after_another(
        served: Served) -> None:
    """A number and a date of birth are the request's proof of who asks: after five pairs
    that match no record within fifteen minutes, the account is told to wait (429 with
    Retry-After), the right pair included, while another account still asks;
    when the quarter of an hour has passed, the right pair is accepted again."""
    for day in range(3, 8):
        guess = served.other.post("/api/registrar/requests",
                                  json=ASK | {"birth_date": f"2003-04-0{day}"})
        assert guess.status_code == 404, guess.text
    locked = served.other.post("/api/registrar/requests", json=ASK)
    assert locked.status_code == 429, locked.text
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert "try again in" in locked.text and "秒後にもう一度" in locked.text
    assert served.student.post("/api/registrar/requests", json=ASK).status_code == 201
    served.clock.offset = dt.timedelta(minutes=16)
    assert served.other.post("/api/registrar/requests", json=ASK).status_code == 201
