"""The composition root: a command's runtime is wired as the server's, and leaves nothing
behind when it closes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import weakref

import httpx
import pytest

from credstack.adapters.db.repositories import activity
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.keystore import new_master_key_text
from credstack.core.activity.events import Channel, Kind
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import AuthenticationRequiredError
from credstack.services import counting
from credstack.services.accounts import clients
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import issued_credentials, provider_store
from tests.conftest import serve


def test_refusals_counted_by_a_command_are_written_when_its_runtime_closes(
        settings: Settings) -> None:
    """A command's runtime counts refusals past the budget as the server does; what is
    still counted when it closes is written then, as the server writes it when it stops:
    none is lost."""
    configured = dataclasses.replace(settings, secret_key=new_master_key_text(),
                                     audit_refusals_per_minute=2)
    with open_runtime(settings=configured) as runtime:
        for _ in range(5):
            with pytest.raises(AuthenticationRequiredError):
                clients.issue_token(runtime, client_id="nobody", secret="wrong", scope=None,
                                    ip="192.0.2.5")
    with open_runtime(settings=configured) as runtime, runtime.transaction() as session:
        logged = audit.entries(session, limit=100)
    assert [e.action for e in logged].count("token.refused") == 2
    (counted,) = [e for e in logged if e.action == "token.refused.counted"]
    assert counted.details["refused"] == 3 and counted.details["ip"] == "192.0.2.5"


def _issued(settings: Settings) -> tuple[Settings, str]:
    """``settings`` with a master key, their store holding one issued credential; its id."""
    secret = new_master_key_text()
    configured = dataclasses.replace(settings, secret_key=secret)
    now = dt.datetime.now(dt.UTC)
    provider_store(configured, secret=secret, now=now)
    (issued,) = issued_credentials(configured, secret=secret, now=now, batch="b1",
                                   cohort="email,name\nlearner@example.jp,Learner\n")
    return configured, issued


def _verified_times(settings: Settings, credential_id: str) -> int:
    with open_runtime(settings=settings) as runtime, runtime.transaction() as session:
        key = activity.credential_key(session, credential_id)
        assert key is not None
        tallies, _ = activity.credential_tallies(session, key.row_id)
    return tallies[Kind.VERIFIED].events if Kind.VERIFIED in tallies else 0


def test_a_closed_runtime_is_freed_with_its_engine(settings: Settings) -> None:
    """A runtime that has closed and that nothing holds is freed, its engine and sessions
    with it, though its sessions wrote audit entries (whose commits it listens to): a
    process that opens runtime after runtime (the tests, a benchmark) keeps none. Each test
    server's stayed alive before, held by its audit checkpoints' listener."""
    configured = dataclasses.replace(settings, secret_key=new_master_key_text(),
                                     audit_refusals_per_minute=2)
    with open_runtime(settings=configured) as runtime:
        with pytest.raises(AuthenticationRequiredError):
            clients.issue_token(runtime, client_id="nobody", secret="wrong", scope=None,
                                ip="192.0.2.5")
        with runtime.transaction() as session:
            assert audit.entries(session, limit=10)
        freed = [weakref.ref(runtime), weakref.ref(runtime.sessions),
                 weakref.ref(runtime.sessions.kw["bind"])]
    del runtime, session
    gc.collect()
    assert [ref() for ref in freed] == [None, None, None]


def test_visitors_events_counted_by_a_command_are_written_when_its_runtime_closes(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Events waiting for the counting timer are written as the runtime closes, not left to
    a timer that would write into the store after it closed (the timer here waits an hour)."""
    monkeypatch.setattr(counting, "FLUSH_AFTER", 3600.0)
    configured, issued = _issued(settings)
    with open_runtime(settings=configured) as runtime:
        for _ in range(2):
            counting.count_event(runtime, credential_id=issued, kind=Kind.VERIFIED,
                                 channel=Channel.PAGE)
    assert _verified_times(configured, issued) == 2


def test_verifications_counted_by_a_server_are_written_when_it_stops(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A verification the server counted but had not written yet is written as it stops."""
    monkeypatch.setattr(counting, "FLUSH_AFTER", 3600.0)
    configured, issued = _issued(settings)
    with open_runtime(settings=configured) as runtime, runtime.transaction() as session:
        document = credential_store.get_credential(session, credential_id=issued).document
    served = serve(configured)
    live = next(served)
    answer = httpx.post(f"{live.url}/credentials/verify", timeout=120,
                        json={"verifiableCredential": json.loads(document)})
    served.close()
    assert answer.status_code == 200, answer.text
    assert _verified_times(configured, issued) == 1
