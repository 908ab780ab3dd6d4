"""Readiness: each thing serving needs, asked for real, and named when it does not answer."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.engine import make_engine, session_factory
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.operations import health
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import RecordingQueue
from credstack.words import words
from tests.conftest import free_port


@pytest.fixture
def opened(sqlite_settings: Settings) -> Iterator[Runtime]:
    with open_runtime(settings=sqlite_settings) as runtime:
        yield runtime


def test_a_store_that_answers_and_a_queue_that_answers_are_ready(opened: Runtime) -> None:
    """The store answers, the queue answers with how much waits, no SMTP server is needed."""
    queue = RecordingQueue()
    queue.enqueue("job-1")
    found = health.readiness(dataclasses.replace(opened, jobs=queue))
    assert found.ready
    assert "1 messages waiting" in words(found.jobs.detail, "en")
    assert found.to_dict(words)["not_ready"] == []


def test_a_queue_that_is_down_is_named_in_both_languages(opened: Runtime) -> None:
    """An unreachable broker: not ready, ``jobs`` named, why in English and Japanese."""
    found = health.readiness(dataclasses.replace(opened, jobs=RecordingQueue(down=True)))
    assert not found.ready
    assert found.to_dict(words)["not_ready"] == ["jobs"]
    assert "the queue is down" in words(found.jobs.detail, "en")
    assert "ジョブのキュー" in words(found.jobs.detail, "ja")


def test_a_store_that_does_not_answer_is_named(sqlite_settings: Settings) -> None:
    """A PostgreSQL URL nobody listens at: ``store`` is not ready, and says where it looked
    without the password."""
    gone = dataclasses.replace(
        sqlite_settings,
        database_url=f"postgresql+psycopg://credstack:hunter2@127.0.0.1:{free_port()}/none")
    with open_runtime(settings=sqlite_settings) as runtime:
        found = health.readiness(dataclasses.replace(
            runtime, settings=gone, sessions=_sessions_of(gone)))
    assert found.to_dict(words)["not_ready"] == ["store"]
    assert "does not answer" in words(found.store.detail, "en")
    assert "hunter2" not in str(found.to_dict(words))


def _sessions_of(settings: Settings) -> sessionmaker[Session]:
    return session_factory(make_engine(settings))


def test_an_smtp_server_that_does_not_answer_is_named_and_its_outcome_reused(
        opened: Runtime) -> None:
    """Nobody listens at the SMTP port: ``mail`` is not ready; a second check within the
    reuse window gives the same outcome without trying again."""
    silent = dataclasses.replace(opened.settings, smtp_host="127.0.0.1", smtp_port=free_port(),
                                 smtp_security="none", mail_from="noreply@credstack.test")
    runtime = dataclasses.replace(opened, settings=silent, caches={})
    first = health.readiness(runtime)
    assert first.to_dict(words)["not_ready"] == ["mail"]
    assert "cannot be reached" in words(first.mail.detail, "en")
    assert health.readiness(runtime).mail is first.mail
