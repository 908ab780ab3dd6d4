"""``credstack console …``, the operator's console from a terminal, on SQLite and PostgreSQL:
an application approved (the organisation made) and another refused, an organisation found
by its Japanese name, suspended and reinstated, a programme hidden and shown again, the
figures as a table and as the same CSV the page gives, the health as JSON; every change
audited as ``cli:<user>``; a refusal exits 1 with its reason, in Japanese too."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from credstack.adapters.db.tables import AuditEntryRow, OrganisationRow
from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.actors import Operator
from credstack.core.organisations import Organisation
from credstack.entrypoints.bootstrap import open_runtime
from credstack.entrypoints.cli.main import app
from credstack.services.console import applications
from credstack.services.organisations import service as organisations
from credstack.settings import Settings
from tests.accounts import provider_store, store_session
from tests.conftest import store_environment

SECRET = new_master_key_text()
#: The tables' cells are read: printed wide, whichever test ran before in this process (the
#: CLI's console reads ``COLUMNS`` once, when it is made, not from each run's environment).
pytestmark = pytest.mark.usefixtures("wide_console")


def run(settings: Settings, *args: str, lang: str = "en") -> Result:
    env = store_environment(settings, secret=SECRET, lang=lang) | {"COLUMNS": "240"}
    return CliRunner().invoke(app, ["console", *args], env=env)


@pytest.fixture
def store(settings: Settings) -> Settings:
    keyed = dataclasses.replace(settings, secret_key=SECRET)
    provider_store(keyed, secret=SECRET, now=dt.datetime.now(dt.UTC))
    return keyed


def _apply(settings: Settings, number: str, email: str) -> str:
    with open_runtime(settings=settings) as runtime:
        return applications.apply(
            runtime, name_ja="東北技術専門学校", name_en="Tohoku Technical College",
            corporate_number_text=number, kind="vocational-school", contact_name="企画 花子",
            email=email, documents=()).public_id


def test_the_operator_decides_applications_from_the_terminal(store: Settings) -> None:
    first = _apply(store, "7123456789012", "kikaku@tohoku.example")
    listed = run(store, "applications", "--status", "waiting")
    assert listed.exit_code == 0, listed.output
    assert first in listed.output and "Tohoku Technical College" in listed.output
    approved = run(store, "approve", first, "--slug", "tohoku-tech")
    assert approved.exit_code == 0, approved.output
    assert "tohoku-tech" in approved.output and "kikaku@tohoku.example" in approved.output
    with store_session(store) as session:
        assert session.scalar(select(OrganisationRow.slug).where(
            OrganisationRow.slug == "tohoku-tech")) == "tohoku-tech"
    again = run(store, "approve", first, "--slug", "tohoku-tech-2", lang="ja")
    assert again.exit_code == 1  # decided already: the reason, in Japanese
    assert "申請" in again.output
    second = _apply(store, "8123456789011", "jimu@tohoku2.example")
    refused = run(store, "refuse", second, "--reason", "Not a school.")
    assert refused.exit_code == 0, refused.output
    assert "jimu@tohoku2.example" in refused.output
    assert run(store, "refuse", "no-such-application", "--reason", "-").exit_code == 1


def test_organisations_programmes_figures_and_health(store: Settings) -> None:
    found = run(store, "organisations", "-q", "北都", lang="ja")
    assert found.exit_code == 0, found.output
    assert "hokuto-tech" in found.output and "北都工科大学" in found.output
    assert run(store, "suspend", "hokuto-tech", "--reason", "").exit_code == 1
    suspended = run(store, "suspend", "hokuto-tech", "--reason", "Unpaid fees")
    assert suspended.exit_code == 0, suspended.output
    assert "Unpaid fees" in run(store, "organisations", "-q", "hokuto").output
    assert run(store, "reinstate", "hokuto-tech").exit_code == 0
    hidden = run(store, "hide", "1", "--reason", "Under review for wrong hours.")
    assert hidden.exit_code == 0, hidden.output
    assert run(store, "unhide", "1").exit_code == 0
    assert run(store, "hide", "999", "--reason", "No such programme.").exit_code == 1
    assert run(store, "reports").exit_code == 0
    figures = run(store, "figures", "--months", "3")
    assert figures.exit_code == 0, figures.output
    assert "Programmes" in figures.output and "All time" in figures.output
    as_csv = run(store, "figures", "--months", "3", "--csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 3 and set(rows[0]) >= {"month", "issued", "verified", "programmes"}
    health = json.loads(run(store, "health", "--json").stdout)
    assert health["auditSeq"] > 0 and set(health) >= {"jobs", "mail", "storeBytes"}
    assert "監査ログ" in run(store, "health", lang="ja").output
    with store_session(store) as session:
        actions = [action for action, actor in session.execute(
            select(AuditEntryRow.action, AuditEntryRow.actor).order_by(AuditEntryRow.seq))
            if actor.startswith("cli:")]
    assert actions == ["organisation.suspended", "organisation.reinstated", "programme.hidden",
                       "programme.unhidden"]


def test_an_organisation_s_corporate_number_is_shown_set_and_cleared(store: Settings) -> None:
    """Set (as people type it), shown alone and in the organisations' table, refused when
    wrong or another's, cleared."""
    assert "has no corporate number" in run(store, "corporate-number", "hokuto-tech").output
    wrong = run(store, "corporate-number", "hokuto-tech", "8123456789012", lang="ja")
    assert wrong.exit_code == 1 and "検査用数字" in wrong.output
    saved = run(store, "corporate-number", "hokuto-tech", "７１２３-４５６７-８９０１２")
    assert saved.exit_code == 0, saved.output
    assert "is now 7123456789012" in saved.output
    assert run(store, "corporate-number", "hokuto-tech").output.strip() == "7123456789012"
    assert "7123456789012" in run(store, "organisations", "-q", "hokuto").output
    with open_runtime(settings=dataclasses.replace(store, secret_key=SECRET)) as runtime:
        organisations.create_organisation(runtime, actor=Operator("test"), organisation=(
            Organisation(slug="kita-college", kind="university", name={"en": "Kita College"},
                         country="JP")))
    taken = run(store, "corporate-number", "kita-college", "7123456789012")
    assert taken.exit_code == 1
    assert "already that of the organisation hokuto-tech" in taken.output.replace("\n", " ")
    cleared = run(store, "corporate-number", "hokuto-tech", "--clear", lang="ja")
    assert cleared.exit_code == 0 and "法人番号を削除しました" in cleared.output
    assert run(store, "corporate-number", "kita-college", "7123456789012").exit_code == 0
    with store_session(store) as session:
        numbers = dict(session.execute(select(OrganisationRow.slug,
                                              OrganisationRow.corporate_number)).all())
    assert numbers == {"hokuto-tech": None, "kita-college": "7123456789012"}
