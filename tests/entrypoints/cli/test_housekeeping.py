"""``credstack oid4vc purge``, ``credstack oauth purge`` and ``credstack lti purge``
(:mod:`credstack.entrypoints.cli.housekeeping`): the expired offers, nonces and requests, the
expired authorization codes, and the LTI tool's spent login states and old launches, deleted
now."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from credstack.adapters.db.tables import LtiLaunchRow, LtiLoginRow
from credstack.core.access import Operator
from credstack.core.audit import AuditEntry
from credstack.entrypoints.bootstrap import open_runtime
from credstack.entrypoints.cli.main import app
from credstack.services import lti
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import Clock, sqlite_store
from tests.services.mail.mailing import HANAKO, issue, mail_settings, mailing_runtime
from tests.services.oauth.test_service import LEARNER, _client, _code

#: Long before the test runs: what is made then has expired by now.
LONG_AGO = dt.datetime(2020, 1, 6, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path, _sqlite_template: Path) -> Settings:
    """The embedded store of :func:`mail_settings` in ``tmp_path``, its migrations applied
    already (a copy of the test process's migrated store): migrating a new one was most of
    each test's time."""
    sqlite_store(tmp_path, _sqlite_template)
    return mail_settings(tmp_path, port=None)


def _purge_twice(settings: Settings, monkeypatch: pytest.MonkeyPatch, command: str, *,
                 lang: str, folder: Path) -> tuple[Result, dict[str, int]]:
    """``credstack <command> purge`` on the store of ``settings`` in ``folder``, in ``lang``;
    then again with --json: the first run, and the counts the second gives."""
    monkeypatch.setenv("CREDSTACK_LANG", lang)
    monkeypatch.setenv("CREDSTACK_SECRET_KEY", settings.secret_key or "")
    runner = CliRunner()
    data = ["--data-dir", str(folder)]
    purged = runner.invoke(app, [command, "purge", *data])
    again = runner.invoke(app, [command, "purge", "--json", *data])
    return purged, json.loads(again.output)


def _audited(settings: Settings, action: str) -> list[AuditEntry]:
    """The latest audit entries of ``action`` in the store of ``settings``."""
    with open_runtime(settings=settings) as runtime, runtime.sessions() as session:
        return [entry for entry in audit.entries(session, latest=True, limit=20)
                if entry.action == action]


@pytest.mark.parametrize(("lang", "says"), [("ja", "提供 1 件"), ("en", "1 offer(s)")])
def test_purge_deletes_the_expired_offer_once_and_says_so(
        store: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
        says: str) -> None:
    """The issuance e-mail's offer of long ago is deleted, said in the console's language and
    audited; a second run finds nothing."""
    settings = store
    with mailing_runtime(settings, Clock(LONG_AGO)) as runtime:
        issue(runtime, HANAKO)
    purged, again = _purge_twice(settings, monkeypatch, "oid4vc", lang=lang, folder=tmp_path)
    assert purged.exit_code == 0, purged.output
    assert says in purged.output
    assert again == {"nonces": 0, "offers": 0, "requests": 0}
    entries = _audited(settings, "oid4vc.purged")
    assert [entry.details["offers"] for entry in entries] == [1]
    assert entries[0].actor.startswith("cli:")


@pytest.mark.parametrize(("lang", "says"), [("ja", "認可コード 1 件"),
                                            ("en", "1 authorization code(s)")])
def test_oauth_purge_deletes_the_expired_code_once_and_says_so(
        store: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
        says: str) -> None:
    """``credstack oauth purge``: a learner's authorization code of long ago is deleted, said
    in the console's language and audited; --json gives the counts of a second run."""
    settings = store
    add_user(settings, LEARNER)
    with mailing_runtime(settings, Clock(LONG_AGO)) as runtime:
        _code(runtime, _client(runtime))
    purged, again = _purge_twice(settings, monkeypatch, "oauth", lang=lang, folder=tmp_path)
    assert purged.exit_code == 0, purged.output
    assert says in purged.output
    # The client, its code gone, is unused now, and older than a week: the second run.
    assert again == {"pushed": 0, "codes": 0, "clients": 1}
    entries = _audited(settings, "oauth.purged")
    assert [entry.details for entry in entries] == [
        {"pushed": 0, "codes": 1, "clients": 0, "batch": 1000},
        {"pushed": 0, "codes": 0, "clients": 1, "batch": 1000}]
    assert entries[0].actor.startswith("cli:")


@pytest.mark.parametrize(("lang", "says"), [("ja", "ログイン状態 1 件、起動 1 件"),
                                            ("en", "1 login state(s) and 1 launch(es)")])
def test_lti_purge_deletes_a_spent_state_and_a_launch_of_long_ago(
        store: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
        says: str) -> None:
    """``credstack lti purge``: an LMS's login state spent and its launch, both of long ago,
    are deleted, said in the console's language and audited; a second run finds nothing."""
    settings = store
    with mailing_runtime(settings, Clock(LONG_AGO)) as runtime:
        platform = lti.register(runtime, actor=Operator("admin"), organisation="hokuto-tech",
                                form=lti.PlatformForm(
                                    name="LMS", issuer="https://lms.example.ac.jp",
                                    client_id="credstack", deployments=("1",),
                                    login_url="https://lms.example.ac.jp/auth",
                                    token_url="https://lms.example.ac.jp/token",
                                    jwks_url="https://lms.example.ac.jp/jwks"))
        with runtime.transaction() as session:  # what a launch of long ago left
            session.add(LtiLoginRow(state="s", nonce="n", platform_id=platform.id,
                                    created_at=LONG_AGO, used_at=LONG_AGO))
            session.add(LtiLaunchRow(public_id="l", platform_id=platform.id, claims={},
                                     created_at=LONG_AGO, used_at=None))
    purged, again = _purge_twice(settings, monkeypatch, "lti", lang=lang, folder=tmp_path)
    assert purged.exit_code == 0, purged.output
    assert says in purged.output
    assert again == {"logins": 0, "launches": 0}
    entries = _audited(settings, "lti.purged")
    assert [entry.details for entry in entries] == [{"logins": 1, "launches": 1, "batch": 1000}]
    assert entries[0].actor.startswith("cli:")
