"""The worker ``serve`` embeds, and the scheduled jobs: a real huey consumer on the SQLite
queue in the data directory runs what is started; none is embedded with a shared queue; the
daily reminders are one job a day whoever starts them."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.audit import checkpoints
from credstack.services.audit import service as audit
from credstack.services.background.worker import embedded_worker, start_reminders
from credstack.services.jobs import job, jobs, start
from credstack.settings import Settings
from tests.services.jobs.conftest import OPERATOR, World


def _settings(folder: Path, **changes: object) -> Settings:
    return dataclasses.replace(Settings.from_env(data_dir=folder, database_url=""),
                               secret_key=new_master_key_text(), **changes)


def test_the_embedded_worker_runs_jobs_until_it_is_stopped(tmp_path: Path) -> None:
    """A re-index started after the worker started is run by it, in this process."""
    with open_runtime(settings=_settings(tmp_path)) as runtime:
        worker = embedded_worker(runtime)
        assert worker is not None and worker.embedded
        try:
            started = start(runtime, actor=OPERATOR, kind="search.reindex", payload={},
                            organisation=None, key="reindex")
            deadline = time.monotonic() + 30
            while job(runtime, actor=OPERATOR, public_id=started.public_id).state != \
                    "succeeded":
                assert time.monotonic() < deadline
                time.sleep(0.05)
        finally:
            worker.stop()
    assert (tmp_path / "jobs.sqlite3").exists()


def test_no_worker_is_embedded_when_jobs_go_to_a_shared_queue(tmp_path: Path) -> None:
    """With CREDSTACK_JOBS_URL the web service leaves the jobs to ``credstack worker``."""
    settings = _settings(tmp_path, jobs_url="redis://127.0.0.1:6379/0")
    with open_runtime(settings=settings) as runtime:
        assert embedded_worker(runtime) is None
    assert not (tmp_path / "jobs.sqlite3").exists()


def test_the_daily_reminders_are_one_job_a_day(world: World) -> None:
    """Started by every worker's schedule, kept once per day by its key."""
    first = start_reminders(world.runtime)
    assert start_reminders(world.runtime) == first
    world.clock.advance(seconds=24 * 3600)
    assert start_reminders(world.runtime) != first
    assert len(jobs(world.runtime, actor=OPERATOR)) == 2


def test_a_worker_writes_an_audit_checkpoint_as_it_starts(tmp_path: Path) -> None:
    """The first checkpoint came at minute 15 of the next hour: a log wiped before then had
    none to be compared with. Now each worker writes one as it starts (then every five
    minutes)."""
    with open_runtime(settings=_settings(tmp_path)) as runtime:
        with runtime.transaction() as session:
            audit.record(session, at=runtime.now(), actor="cli:tester",
                         action="programme.published", subject="programme:1", details={})
        worker = embedded_worker(runtime)
        assert worker is not None
        worker.stop()
        read = checkpoints.read(runtime, None)
    assert read is not None and [c.seq for c in read.checkpoints] == [1]
