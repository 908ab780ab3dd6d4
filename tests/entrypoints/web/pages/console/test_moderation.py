"""Reporting a problem with a programme and the operator's answer, over real HTTP on SQLite
and PostgreSQL: the programme page links the form; a report reaches the queue; a flood from
one address is refused (429, in the reader's language) with nothing stored; hiding shows the
public reason on the programme's page (410), takes it out of the registry's search and settles
the report; showing it again (back in search) and dismissing a report; all audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from credstack.adapters.db.tables import AuditEntryRow, ProgrammeReportRow
from credstack.adapters.keystore import new_master_key_text
from credstack.core.console.reports import REPORTS_PER_WINDOW
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user, provider_store, store_session
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.forms import FormBrowser, form_nonce
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible

OPERATOR = "operator@example.org"


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    keyed = dataclasses.replace(settings, secret_key=new_master_key_text())
    # Stored before the service starts, so that its registry index holds the programme.
    provider_store(keyed, secret=keyed.secret_key or "", now=dt.datetime.now(dt.UTC))
    add_user(keyed, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
    yield from serve(keyed)


def report(browser: httpx.Client, message: str = "The hours are wrong.") -> httpx.Response:
    nonce = form_nonce(browser, "/programmes/1/report")
    return browser.post("/programmes/1/report", data={"nonce": nonce, "reason": "wrong",
                                                      "message": message})


def _found(live: LiveServer) -> list[int]:
    """The programmes the registry's search finds (everything, first page)."""
    with httpx.Client(base_url=live.url, timeout=30) as anyone:
        found = anyone.get("/api/search", params={"limit": 100})
    assert found.status_code == 200, found.text[:300]
    return [hit["programme_id"] for hit in found.json()["hits"]]


def _reports(settings: Settings) -> int:
    with store_session(settings) as session:
        return int(session.scalar(select(func.count()).select_from(ProgrammeReportRow)) or 0)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_flood_from_one_address_is_refused_and_nothing_is_stored(
        live: LiveServer, language: str) -> None:
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Accept": "text/html", "Accept-Language": language}) as visitor:
        assert 'href="/programmes/1/report"' in visitor.get("/programmes/1").text
        assert_accessible(Page(visitor.get("/programmes/1/report").text), language)
        empty = report(visitor, " ")
        assert empty.status_code == 422
        for _ in range(REPORTS_PER_WINDOW):
            assert report(visitor).status_code == 303
        flood = report(visitor)
        assert flood.status_code == 429 and int(flood.headers["retry-after"]) > 0
        assert ("報告が多すぎます" if language == "ja" else "Too many reports") in flood.text
    assert _reports(live.settings) == REPORTS_PER_WINDOW


def test_the_operator_hides_with_a_public_reason_then_shows_again_and_dismisses(
        live: LiveServer) -> None:
    with httpx.Client(base_url=live.url, timeout=30, headers={"Accept": "text/html"}) as visitor:
        assert report(visitor).status_code == 303
        assert report(visitor, "Misleading title.").status_code == 303
    operator = FormBrowser(live, OPERATOR)
    try:
        queue = operator.page("/console/reports")
        assert_accessible(queue, "en")
        assert "The hours are wrong." in queue.source
        assert operator.post("/console/programmes/1/hide", reason="").status_code == 422
        assert 1 in _found(live)
        assert operator.post("/console/programmes/1/hide",
                             reason="Under review for wrong hours.").status_code == 303
        assert 1 not in _found(live)
        with patiently.client(base_url=live.url, headers={"Accept-Language": "en"}) as visitor:
            hidden = visitor.get("/programmes/1")
            assert hidden.status_code == 410
            assert "Under review for wrong hours." in hidden.text
        assert "No report is waiting." in operator.page("/console/reports").source
        assert operator.post("/console/programmes/1/unhide").status_code == 303
        assert 1 in _found(live)
        with patiently.client(base_url=live.url) as visitor:
            assert visitor.get("/programmes/1").status_code == 200
            assert report(visitor).status_code == 303
        with store_session(live.settings) as session:
            waiting = session.scalar(select(ProgrammeReportRow.id).where(
                ProgrammeReportRow.status == "waiting"))
        assert operator.post(f"/console/reports/{waiting}/dismiss").status_code == 303
        assert operator.post(f"/console/reports/{waiting}/dismiss").status_code == 409
    finally:
        operator.close()
    with store_session(live.settings) as session:
        actions = [action for action in session.scalars(select(AuditEntryRow.action).order_by(
            AuditEntryRow.seq)) if action.startswith(("programme.", "programme_report."))]
    assert actions[-4:] == ["programme.hidden", "programme.unhidden", "programme.reported",
                            "programme_report.dismissed"]
