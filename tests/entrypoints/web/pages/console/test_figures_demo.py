"""Every figure a person reads on the demo equals what the store holds, on SQLite and
PostgreSQL: the operator's figures by month and all time (``/console/figures`` and its CSV),
the console's overview, the home page's counts and the issuer's activity by month — each
checked against the test's own query of the tables the events are kept in (never the
counters the pages read). The demo's history (six months of cohorts issued, claimed, shared
and verified) makes those months' charts show something."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import (
    CredentialActivityRow,
    CreditApplicationRow,
    IssuedCredentialRow,
    OrganisationRow,
    ProgrammeHidingRow,
    ProgrammeReportRow,
    ProgrammeRow,
    ProgrammeVersionRow,
    ProviderApplicationRow,
    RecognitionRow,
    WalletCredentialRow,
    WalletShareRow,
)
from credstack.demo.accounts import DEMO_PASSWORD
from credstack.settings import Settings
from tests.accounts import sign_in, store_session
from tests.conftest import LiveServer, serve
from tests.demo_store import load_demo, with_own_url
from tests.entrypoints.web.pages.test_programmes import Page

OPERATOR = "registry-admin@demo.example"
ISSUER = "issuer@demo.example"
PROVIDER = "hokuto-tech"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[LiveServer]:
    """A demo store loaded as ``serve --demo`` loads it (its history included), served."""
    folder = tmp_path_factory.mktemp(f"demo-{request.param}")
    if request.param == "sqlite":
        settings, port = with_own_url(Settings.from_env(data_dir=folder / "data",
                                                        database_url=""))
        load_demo(settings, history=True)
        yield from serve(settings, port=port)
        return
    with request.getfixturevalue("_migrated_copies").copy() as url:
        settings, port = with_own_url(Settings.from_env(data_dir=folder / "data",
                                                        database_url=url))
        load_demo(settings, history=True)
        yield from serve(settings, port=port)


def _month(moment: dt.datetime) -> str:
    """The month of a stored moment, in UTC (SQLite gives it back without its zone)."""
    utc = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
    return f"{utc.year:04d}-{utc.month:02d}"


def _by_month(session: Session, column: object, *where: object) -> Counter[str]:
    return Counter(_month(moment) for moment in
                   session.scalars(select(column).where(column.isnot(None), *where)))  # type: ignore[attr-defined]


def expected_figures(settings: Settings) -> dict[str, Counter[str]]:
    """Each figure per month, as the test reads it from the tables themselves."""
    with store_session(settings) as session:
        verified: Counter[str] = Counter()
        for last, times in session.execute(select(CredentialActivityRow.verified_last,
                                                  CredentialActivityRow.verified_count)
                                           .where(CredentialActivityRow.verified_count > 0)):
            verified[_month(last)] += times
        return {
            "organisations": _by_month(session, OrganisationRow.created_at),
            "programmes": _by_month(session, ProgrammeVersionRow.published_at),
            "issued": _by_month(session, IssuedCredentialRow.issued_at),
            "claimed": _by_month(session, WalletCredentialRow.imported_at),
            "shared": _by_month(session, WalletShareRow.created_at),
            "verified": verified,
            "recognitions": _by_month(session, RecognitionRow.created_at),
            "creditbank": _by_month(session, CreditApplicationRow.decided_at,
                                    CreditApplicationRow.state.in_(["approved", "refused"])),
        }


@contextmanager
def signed_in(live: LiveServer, email: str, language: str = "en") -> Iterator[httpx.Client]:
    """The demo account ``email``'s browser, signed in, reading pages in ``language``."""
    with httpx.Client(base_url=live.url, timeout=60, headers={
            "Accept": "text/html", "Accept-Language": language}) as client:
        assert sign_in(client, email, DEMO_PASSWORD).status_code == 303
        yield client


def test_every_figure_of_the_console_equals_the_store(demo: LiveServer) -> None:
    """The CSV's twelve months and the page's all-time totals are the tables' counts, figure
    by figure; the page draws each month's number."""
    expected = expected_figures(demo.settings)
    with signed_in(demo, OPERATOR) as operator:
        rows = list(csv.DictReader(io.StringIO(operator.get("/console/figures.csv").text)))
        page = Page(operator.get("/console/figures").text)
    assert len(rows) == 12
    for figure, months in expected.items():
        shown = {row["month"]: int(row[figure]) for row in rows}
        assert shown == {month: months.get(month, 0) for month in shown}, figure
        section = next(e for e in page.all("section") if e.attrs.get("data-figure") == figure)
        total = re.search(r"All time: ([\d,]+)", section.text)
        assert total is not None and int(total.group(1).replace(",", "")) == \
            sum(months.values()), figure


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_charts_axis_ends_at_a_round_number_just_above_its_largest_month(
        demo: LiveServer, language: str) -> None:
    """Each chart's axis runs to the first of its round steps at or above its largest month
    — 100 for 87 programmes published, not 200 — so no band of the picture stands empty
    above the bars (issue 51, small)."""
    with signed_in(demo, OPERATOR, language) as operator:
        page = operator.get("/console/figures").text
    charts = re.findall(r'<svg[^>]*class="figure-chart".*?</svg>', page, flags=re.S)
    assert charts
    for chart in charts:
        ticks = [int(value.replace(",", "")) for value in
                 re.findall(r'class="figure-tick"[^>]*>([\d,]+)<', chart)]
        counts = [int(value.replace(",", "")) for value in
                  re.findall(r"<title>[^<]*: ([\d,]+)</title></rect>", chart)]
        largest, top = max(counts), max(ticks)
        step = ticks[1] - ticks[0]
        assert top >= largest and (largest == 0 or top - step < largest), (
            ticks, largest, chart[:200])


def test_the_demo_history_fills_the_last_months(demo: LiveServer) -> None:
    """Credentials were issued, claimed, shared and verified in each of the six months
    before this one, and the organisations and programmes the home page counts were
    registered and published: no chart of the demo is empty."""
    expected = expected_figures(demo.settings)
    this = dt.datetime.now(dt.UTC).date().replace(day=1)
    months = []
    for _ in range(6):
        this = (this - dt.timedelta(days=1)).replace(day=1)
        months.append(f"{this.year:04d}-{this.month:02d}")
    for figure in ("issued", "claimed", "shared", "verified"):
        assert all(expected[figure][month] > 0 for month in months), (figure, expected[figure])
    assert sum(expected["organisations"].values()) > 0
    assert sum(expected["programmes"].values()) > 0


def test_the_console_overview_counts_what_waits_in_the_store(demo: LiveServer) -> None:
    """The waiting applications and reports the overview names are the store's; so are the
    platform's numbers at a glance: each figure this month, last month and all time."""
    expected = expected_figures(demo.settings)
    with store_session(demo.settings) as session:
        applications = session.scalar(select(func.count()).where(
            ProviderApplicationRow.status == "waiting"))
        reports = session.scalar(select(func.count()).where(
            ProgrammeReportRow.status == "waiting"))
    with signed_in(demo, OPERATOR) as operator:
        page = Page(operator.get("/console").text)
    assert page.one("a", id="waiting-applications").text.strip() == \
        f"Applications waiting: {applications}"
    assert page.one("a", id="waiting-reports").text.strip() == f"Reports waiting: {reports}"
    this = dt.datetime.now(dt.UTC).date()
    last = (this.replace(day=1) - dt.timedelta(days=1))
    this_month, last_month = f"{this:%Y-%m}", f"{last:%Y-%m}"
    for figure in ("organisations", "programmes", "issued", "claimed", "verified",
                   "recognitions"):
        shown = page.one("div", **{"data-glance": figure})
        assert (shown.attrs["data-this-month"], shown.attrs["data-last-month"],
                shown.attrs["data-total"]) == (
            str(expected[figure].get(this_month, 0)), str(expected[figure].get(last_month, 0)),
            str(sum(expected[figure].values()))), figure
        assert page.one("dd", id=f"glance-{figure}").text.strip() == \
            f"{expected[figure].get(this_month, 0):,}", figure


def test_the_home_page_counts_the_published_programmes_and_their_providers(
        demo: LiveServer) -> None:
    """The home page's programmes and providers are those with a published version."""
    with store_session(demo.settings) as session:
        published = (select(ProgrammeVersionRow.programme_id)
                     .where(ProgrammeVersionRow.status == "published").distinct())
        programmes = session.scalar(select(func.count()).select_from(published.subquery()))
        providers = session.scalar(select(func.count(ProgrammeRow.organisation_id.distinct()))
                                   .where(ProgrammeRow.id.in_(published)))
        assert not session.scalar(select(func.count()).select_from(ProgrammeHidingRow))
    with httpx.Client(base_url=demo.url, timeout=60) as anyone:
        for language in ("ja", "en"):
            page = Page(anyone.get("/", params={"lang": language}).text)
            assert page.one("dd", id="stat-programmes").text.strip() == f"{programmes:,}"
            assert page.one("dd", id="stat-providers").text.strip() == f"{providers:,}"


def test_the_issuers_activity_by_month_equals_the_store(demo: LiveServer) -> None:
    """The issuer's table of months: credentials issued by the organisation, claimed into a
    wallet and shared, each month, as the tables hold them."""
    with store_session(demo.settings) as session:
        organisation = session.scalar(select(OrganisationRow.id)
                                      .where(OrganisationRow.slug == PROVIDER))
        ours = select(IssuedCredentialRow.credential_id).where(
            IssuedCredentialRow.organisation_id == organisation)
        held = select(WalletCredentialRow.id).where(WalletCredentialRow.credential_id.in_(ours))
        expected = {
            "issued": _by_month(session, IssuedCredentialRow.issued_at,
                                IssuedCredentialRow.organisation_id == organisation),
            "claimed": _by_month(session, WalletCredentialRow.imported_at,
                                 WalletCredentialRow.credential_id.in_(ours)),
            "shared": _by_month(session, WalletShareRow.created_at,
                                WalletShareRow.credential_id.in_(held)),
        }
    with signed_in(demo, ISSUER, "ja") as issuer:
        page = Page(issuer.get(f"/workspace/{PROVIDER}/activity").text)
    rows = {row.attrs["data-month"]: row for row in page.all("tr") if "data-month" in row.attrs}
    # The table of months comes first; the table of batches after it has the same cells.
    cells = [e for e in page.all("td") if "data-kind" in e.attrs][:len(rows) * 6]
    shown: dict[str, Counter[str]] = {kind: Counter() for kind in expected}
    for index, month in enumerate(rows):
        for cell in cells[index * 6:(index + 1) * 6]:
            if cell.attrs["data-kind"] in shown:
                shown[cell.attrs["data-kind"]][month] = int(cell.text.replace(",", ""))
    for kind, months in expected.items():
        assert +shown[kind] == months, kind

