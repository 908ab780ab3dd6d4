"""Suspending and reinstating an organisation over real HTTP, on SQLite and PostgreSQL:
issuing is refused while it is suspended, with an error that says so in Japanese and English
and nothing issued; its published programme stays readable, marked; reinstated, it issues
again; both changes are audited. The operator sets an organisation's corporate number in its
row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from credstack.adapters.db.tables import AuditEntryRow, IssuedCredentialRow
from credstack.core.access.actors import Operator
from credstack.core.organisations import Organisation
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.organisations import service as organisations
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user, provider_store, store_session
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible

OPERATOR = "operator@example.org"
ISSUER = "issuer@hokuto.example"
SLUG = "hokuto-tech"
#: Its name, which the buttons and labels use (the slug is only in the addresses).
NAME = "Hokuto Institute of Technology"
ONE = {"programme_id": "1", "version": "", "batch": "single", "securing": "eddsa-jcs-2022",
       "language": "en", "name_ja": "田中 一郎", "name_en": "Ichiro Tanaka",
       "email": "ichiro@example.jp", "issued_on": "2026-03-31"}


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(settings):
        provider_store(server.settings, secret=server.settings.secret_key or "",
                       now=dt.datetime.now(dt.UTC))
        add_user(server.settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
        add_user(server.settings, ISSUER, name="Issuer", roles=[(SLUG, "issuer")])
        yield server


def _issued(settings: Settings) -> int:
    with store_session(settings) as session:
        return int(session.scalar(select(func.count()).select_from(IssuedCredentialRow)) or 0)


def test_a_suspended_organisation_issues_nothing_and_its_programmes_stay_readable(
        live: LiveServer) -> None:
    operator = FormBrowser(live, OPERATOR)
    issuer = FormBrowser(live, ISSUER, "ja")
    try:
        listing = operator.page(f"/console/organisations?q={SLUG}")
        assert_accessible(listing, "en")
        assert f"Suspend {NAME}" in listing.source
        empty = operator.post(f"/console/organisations/{SLUG}/suspend", reason="")
        assert empty.status_code == 422 and "Give the reason" in empty.text
        done = operator.post(f"/console/organisations/{SLUG}/suspend",
                             reason="Unpaid fees / 会費未納")
        assert done.status_code == 303 and "done=suspended" in done.headers["location"]
        assert f"Reinstate {NAME}" in operator.page(f"/console/organisations?q={SLUG}").source
        refused = issuer.post(f"/workspace/{SLUG}/issue", **ONE)
        assert refused.status_code == 409, refused.text[:500]
        assert "停止されています" in refused.text
        assert _issued(live.settings) == 0
        with patiently.client(base_url=live.url, headers={"Accept-Language": "en"}) as visitor:
            page = visitor.get("/programmes/1")
            assert page.status_code == 200 and 'id="suspended-notice"' in page.text
            assert "it issues no new credentials" in page.text
        assert operator.post(f"/console/organisations/{SLUG}/reinstate").status_code == 303
        issued = issuer.post(f"/workspace/{SLUG}/issue", **ONE)
        assert issued.status_code == 303, issued.text[:500]
        assert _issued(live.settings) == 1
        with patiently.client(base_url=live.url) as visitor:
            assert 'id="suspended-notice"' not in visitor.get("/programmes/1").text
    finally:
        operator.close()
        issuer.close()
    with store_session(live.settings) as session:
        actions = list(session.scalars(select(AuditEntryRow.action).where(
            AuditEntryRow.subject == f"organisation:{SLUG}").order_by(AuditEntryRow.seq)))
    assert actions[-2:] == ["organisation.suspended", "organisation.reinstated"]


@pytest.mark.parametrize("query", ["北都工科", "hokuto institute", "HOKUTO-TECH"])
def test_the_operator_finds_an_organisation_by_its_japanese_or_english_name_or_slug(
        live: LiveServer, query: str) -> None:
    """The names are searched as text in either language, whatever the store keeps the JSON
    as (SQLite escapes Japanese in it); case does not matter."""
    operator = FormBrowser(live, OPERATOR)
    try:
        found = operator.page(f"/console/organisations?q={quote(query)}")
        assert f"Suspend {NAME}" in found.source
        assert f"Suspend {NAME}" not in operator.page(
            f"/console/organisations?q={quote('北都大学院')}").source
    finally:
        operator.close()


def test_an_issuer_cannot_suspend(live: LiveServer) -> None:
    issuer = FormBrowser(live, ISSUER)
    try:
        assert issuer.post(f"/console/organisations/{SLUG}/suspend",
                           reason="x").status_code == 403
        assert issuer.get("/console/organisations").status_code == 403
    finally:
        issuer.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_operator_sets_an_organisation_s_corporate_number(live: LiveServer,
                                                              language: str) -> None:
    """Shown in the organisation's row and set there (as people type it); a wrong one, or
    another organisation's, is refused beside the field with the reason; audited."""
    operator = FormBrowser(live, OPERATOR, language)
    try:
        page = operator.page(f"/console/organisations?q={SLUG}")
        assert_accessible(page, language)
        assert page.one("input", id=f"number-{SLUG}").attrs.get("value", "") == ""
        wrong = operator.post(f"/console/organisations/{SLUG}/corporate-number",
                              corporate_number="8123456789012")
        assert wrong.status_code == 422
        refused = Page(wrong.text)
        field = refused.one("input", id=f"number-{SLUG}")
        assert field.attrs["aria-invalid"] == "true"
        assert field.attrs["value"] == "8123456789012"
        assert "aria-invalid" not in refused.one("input", id=f"reason-{SLUG}").attrs
        assert ("検査用数字" if language == "ja" else "check digit") in refused.source
        saved = operator.post(f"/console/organisations/{SLUG}/corporate-number",
                              corporate_number="７１２３４５６７８９０１２")
        assert saved.status_code == 303, saved.text[:2000]
        shown = operator.page(saved.headers["location"])
        assert_accessible(shown, language)
        assert shown.one("input", id=f"number-{SLUG}").attrs["value"] == "7123456789012"
        assert ("法人番号を保存しました" if language == "ja"
                else "The corporate number is saved") in shown.source
        with open_runtime(settings=live.settings) as runtime:
            organisations.create_organisation(runtime, actor=Operator("test"), organisation=(
                Organisation(slug=f"kita-{language}", kind="university",
                             name={"en": "Kita College"}, country="JP")))
        taken = operator.post(f"/console/organisations/kita-{language}/corporate-number",
                              corporate_number="7123456789012")
        assert taken.status_code == 409
        assert SLUG in Page(taken.text).one("div", id="organisation-error").text
        cleared = operator.post(f"/console/organisations/{SLUG}/corporate-number",
                                corporate_number="")
        assert cleared.status_code == 303
    finally:
        operator.close()
    with store_session(live.settings) as session:
        assert session.scalars(select(AuditEntryRow.action).where(
            AuditEntryRow.subject == f"organisation:{SLUG}",
            AuditEntryRow.action == "organisation.updated")).all()
