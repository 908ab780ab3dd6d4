"""``credstack review list`` and ``credstack review remind`` on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from typer.testing import CliRunner

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import review as review_store
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.descriptors import Programme
from credstack.core.review import CRITERION_IDS
from credstack.entrypoints.cli.main import app
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.review import service as review
from credstack.settings import Settings
from tests.accounts import add_organisation, add_user, store_session
from tests.conftest import store_environment
from tests.helpers import programme

SECRET = new_master_key_text()
#: The master key, so that the audit entries of the setup are keyed like the CLI's.
KEY = MasterKey.from_text(SECRET, source="test")
APPLICANT = "hokuto-tech"
BODY = "jmicro-qa"
SUBMITTED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def run(settings: Settings, *args: str, lang: str = "en"):
    env = store_environment(settings, secret=SECRET, lang=lang) | {"COLUMNS": "200"}
    return CliRunner().invoke(app, ["review", *args], env=env)


@pytest.fixture
def submitted(settings: Settings) -> tuple[Settings, str]:
    """A complete application, submitted on ``SUBMITTED``: awaiting evaluators for 14 days."""
    settings = dataclasses.replace(settings, secret_key=SECRET)
    add_organisation(settings, APPLICANT)
    add_organisation(settings, BODY, kind="recognition-body")
    add_user(settings, "admin@example.org", roles=[(APPLICANT, "provider-admin")])
    add_user(settings, "chair@example.org", roles=[(BODY, "committee-member")])
    with store_session(settings, audit_key=KEY) as session:
        stored = programme_store.create_programme(
            session, programme=Programme.model_validate(programme()), publish=True,
            now=SUBMITTED)
        admin = accounts.user(session, email="admin@example.org").principal()
        opened = review.open_application(
            session, admin, organisation=APPLICANT, programme_id=stored.id,
            recognition_body=BODY, profile="jp-mc", now=SUBMITTED)
        review.update_self_evaluation(
            session, admin, application=opened.id,
            self_evaluation={c: "Published and reviewed." for c in CRITERION_IDS},
            now=SUBMITTED)
        review.add_evidence(session, admin, application=opened.id, filename="report.txt",
                            content=b"Self-evaluation report\n", now=SUBMITTED)
        done = review.submit(session, admin, application=opened.id, now=SUBMITTED)
        assert done.state.value == "awaiting-assignment"
    return settings, opened.id


@pytest.mark.usefixtures("wide_console")
def test_list_shows_every_application_and_filters_by_state(submitted: tuple[Settings, str]
                                                            ) -> None:
    """The operator sees all applications; ``--state`` narrows the list."""
    settings, application = submitted
    listed = run(settings, "list")
    assert listed.exit_code == 0, listed.output
    assert application in listed.output and "Awaiting evaluators" in listed.output
    japanese = run(settings, "list", lang="ja")
    assert "評価者の選任待ち" in japanese.output
    drafts = run(settings, "list", "--state", "draft")
    assert drafts.exit_code == 0 and application not in drafts.output
    assert "No applications." in drafts.output


@pytest.mark.usefixtures("wide_console")
def test_remind_sends_each_reminder_once_a_day(submitted: tuple[Settings, str]) -> None:
    """Due soon, then overdue: the committee is told once a day, and the run is logged."""
    settings, application = submitted
    assert "No reminders are due." in run(settings, "remind", "--now",
                                          "2026-11-05T09:00:00Z").output
    soon = run(settings, "remind", "--now", "2026-11-14T09:00:00Z")
    assert soon.exit_code == 0, soon.output
    assert "chair@example.org" in soon.output and "due-soon" in soon.output
    assert "1 reminders sent." in soon.output
    again = run(settings, "remind", "--now", "2026-11-14T18:00:00Z")
    assert "No reminders are due." in again.output
    overdue = run(settings, "remind", "--now", "2026-11-20T09:00:00Z", lang="ja")
    assert overdue.exit_code == 0, overdue.output
    assert "overdue" in overdue.output and "期限" in overdue.output
    with store_session(settings, audit_key=KEY) as session:
        chair = accounts.user(session, email="chair@example.org")
        notes = review_store.notification_rows(session, user_id=chair.id)
        sent = [e for e in audit.entries(session, subject=f"application:{application}")
                if e.action == "reminder.sent"]
    assert len(notes) == 2 and len(sent) == 2
    # What the committee reads names the programme, not the application's id.
    title = Programme.model_validate(programme()).title
    assert title is not None
    for note in notes:
        assert application not in note.text_en and application not in note.text_ja
        assert title.root["en"] in note.text_en and title.root["ja"] in note.text_ja


def test_remind_refuses_a_malformed_moment(submitted: tuple[Settings, str]) -> None:
    """``--now`` must be an ISO 8601 date and time."""
    settings, _ = submitted
    result = run(settings, "remind", "--now", "next tuesday")
    assert result.exit_code == 1 and "ISO 8601" in result.output
