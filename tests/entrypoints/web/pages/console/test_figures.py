"""The platform's figures over real HTTP on SQLite and PostgreSQL: events raise the counters
in their own transaction (an organisation made by an approval, a credential issued, a public
verification of one of them), the page draws them as SVG charts with the numbers as tables
beside them, the CSV holds the same numbers; only the operator reads them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from credstack.adapters.db.tables import IssuedCredentialRow, ProviderApplicationRow
from credstack.settings import Settings
from tests.accounts import add_user, provider_store, store_session
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.console.test_applications import apply
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import HTML, assert_accessible

OPERATOR = "operator@example.org"
ISSUER = "issuer@hokuto.example"


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(settings):
        secret = server.settings.secret_key or ""
        now = dt.datetime.now(dt.UTC)
        provider_store(server.settings, secret=secret, now=now)
        add_user(server.settings, ISSUER, name="Issuer", roles=[("hokuto-tech", "issuer")])
        add_user(server.settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
        yield server


def test_the_figures_count_the_events_as_charts_tables_and_csv(live: LiveServer) -> None:
    issuer = FormBrowser(live, ISSUER)
    for name in ("Aiko", "Bunta", "Chika"):
        issued = issuer.post("/workspace/hokuto-tech/issue", programme_id="1", version="",
                             batch="figures", securing="eddsa-jcs-2022", language="en",
                             name_ja=name, name_en=name, email=f"{name.lower()}@example.jp",
                             issued_on=dt.date.today().isoformat())
        assert issued.status_code == 303, issued.text[:500]
    issuer.close()
    with store_session(live.settings) as session:
        verified_id = session.scalars(select(IssuedCredentialRow.credential_id)).first()
    with httpx.Client(base_url=live.url, timeout=30) as anyone:  # a verifier, not signed in
        assert anyone.get(f"/verify/{verified_id}", headers=HTML).status_code == 200
    assert apply(live).status_code == 303
    operator = FormBrowser(live, OPERATOR, "ja")
    this_month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    try:
        with store_session(live.settings) as session:
            public_id = session.scalar(select(ProviderApplicationRow.public_id))
        assert operator.post(f"/console/applications/{public_id}/approve",
                             slug="tohoku-tech").status_code == 303
        page = operator.page("/console/figures")
        assert_accessible(page, "ja")
        start = page.source.index('<svg xmlns="http://www.w3.org/2000/svg" class="figure-chart"'
                                  ' viewBox="0 0 640 240" role="img" aria-labelledby='
                                  '"figure-issued-title')
        svg = ET.fromstring(page.source[start:page.source.index("</svg>", start) + 6])
        titles = [bar.find("{http://www.w3.org/2000/svg}title").text  # type: ignore[union-attr]
                  for bar in svg.iter("{http://www.w3.org/2000/svg}rect")]
        year, month = this_month.split("-")
        assert titles[-1] == f"{year}年{int(month)}月: 3"
        assert 'id="t-issued"' in page.source
        response = operator.get("/console/figures.csv")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == 12 and rows[-1]["month"] == this_month
        assert rows[-1]["issued"] == "3" and rows[-1]["organisations"] == "1"
        assert rows[-1]["verified"] == "1" and rows[-1]["claimed"] == "0"
    finally:
        operator.close()


def test_only_the_operator_reads_the_figures(live: LiveServer) -> None:
    issuer = FormBrowser(live, ISSUER)
    try:
        assert issuer.get("/console/figures").status_code == 403
        assert issuer.get("/console/figures.csv").status_code == 403
    finally:
        issuer.close()
