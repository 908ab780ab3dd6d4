"""The file a job makes (:mod:`credstack.services.jobs.files`), made by the
``credentials.pdf_zip`` job: written into the store in parts as the job goes, downloaded by
whoever may see the job, written again from the start when a killed run is run again, the
same job when asked twice for a batch as it is and a new one once it changed, and forgotten
a week after the job finished. A job's input (the registrar's export) staged in the same
parts, however slowly, is not sent to a worker before its last part is stored; the job
reads it part by part and says its progress as it reads and as it writes."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from credstack.adapters.db.repositories import jobs as job_store
from credstack.adapters.db.tables import RegistrarStudentRow
from credstack.core.registrar.records import COLUMNS
from credstack.core.status.changes import StatusChange
from credstack.errors import AccessDeniedError, NotFoundError
from credstack.services.audit import service as audit
from credstack.services.background.handlers import start_pdf_zip, start_records_import
from credstack.services.issuance import workspace
from credstack.services.jobs import files, runner
from credstack.services.jobs.service import job, start
from credstack.testing import ActingAs
from tests.services.jobs.conftest import SLUG, World, cohort_payload


def _issued(world: World, issuer: ActingAs, count: int = 3) -> None:
    start(world.runtime, actor=issuer, kind="cohort.issue",
          payload=cohort_payload(world.programme, count), organisation=SLUG, key="cohort")
    assert world.run_queued() == ["succeeded"]


def _parts(world: World, public_id: str) -> tuple[int, int]:
    with world.runtime.transaction() as session:
        row = job_store.by_public_id(session, public_id)
        assert row is not None
        return job_store.file_size(session, job_id=row.id)


def test_the_certificates_zip_is_made_by_a_job_and_downloaded_by_who_may_see_it(
        world: World) -> None:
    """Asked twice: one job; it reports its progress and its counts; its file is a zip of
    one PDF per credential, which its starter and the organisation's administrators may
    download and another issuer may not."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    _issued(world, issuer)
    first, again = (start_pdf_zip(world.runtime, actor=issuer, organisation=SLUG,
                                  batch="2026-spring", language="en") for _ in range(2))
    assert first.public_id == again.public_id
    assert world.run_queued() == ["succeeded"]
    done = job(world.runtime, actor=issuer, public_id=first.public_id)
    assert (done.done, done.total) == (3, 3)
    assert done.result is not None and done.result["included"] == 3
    made = files.open_file(world.runtime, actor=issuer, public_id=first.public_id)
    assert made.name == "hokuto-tech-2026-spring-certificates-en.zip"
    data = b"".join(made.chunks)
    assert len(data) == made.size == done.result["bytes"]
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert len(archive.namelist()) == 3
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
    admin = world.person("admin@hokuto.example", (SLUG, "provider-admin"))
    assert files.open_file(world.runtime, actor=admin, public_id=first.public_id).size
    other = world.person("other@hokuto.example", (SLUG, "issuer"))
    with pytest.raises(AccessDeniedError):
        files.open_file(world.runtime, actor=other, public_id=first.public_id)
    with world.runtime.transaction() as session:
        made_entries = [entry for entry in audit.entries(session, limit=10_000)
                        if entry.action == "jobs.file_made"]
    assert [entry.subject for entry in made_entries] == [f"job:{first.public_id}"]


def test_a_changed_batch_gets_a_new_zip_and_an_empty_one_none(world: World) -> None:
    """Once a credential of the batch is revoked the same request starts a new job, whose zip
    leaves the revoked one out; a batch without credentials starts nothing."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    _issued(world, issuer, count=2)
    before = start_pdf_zip(world.runtime, actor=issuer, organisation=SLUG,
                           batch="2026-spring", language="ja")
    world.run_queued()
    listed = workspace.credential_list(world.runtime, actor=issuer, organisation=SLUG,
                                       search=workspace.CredentialSearch(batch="2026-spring"))
    workspace.change_status(world.runtime, actor=issuer, organisation=SLUG,
                            credential_id=listed.items[0].credential_id,
                            change=StatusChange.REVOKE, reason="issued in error")
    after = start_pdf_zip(world.runtime, actor=issuer, organisation=SLUG,
                          batch="2026-spring", language="ja")
    assert after.public_id != before.public_id
    assert world.run_queued() == ["succeeded"]
    result = job(world.runtime, actor=issuer, public_id=after.public_id).result
    assert result is not None and (result["included"], result["left_out"]) == (1, 1)
    with pytest.raises(NotFoundError):
        start_pdf_zip(world.runtime, actor=issuer, organisation=SLUG, batch="no-such",
                      language="ja")


def test_a_run_again_after_its_worker_died_writes_the_file_from_the_start(world: World
                                                                          ) -> None:
    """What a killed run stored (parts, never closed) is forgotten when the next run opens
    the file; a file is kept in parts of at most a mebibyte."""
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    _issued(world, issuer, count=1)
    started = start_pdf_zip(world.runtime, actor=issuer, organisation=SLUG,
                            batch="2026-spring", language="en")
    killed = files.FileWriter(world.runtime, job_id=started.public_id, by="test")
    killed.write(os.urandom(files.PART_BYTES * 2 + 10))
    assert _parts(world, started.public_id) == (2, files.PART_BYTES * 2)
    assert world.run_queued() == ["succeeded"]
    parts, size = _parts(world, started.public_id)
    made = job(world.runtime, actor=issuer, public_id=started.public_id)
    assert made.result is not None and parts == 1 and size == made.result["bytes"]


def test_a_file_is_forgotten_a_week_after_its_job_finished(world: World) -> None:
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    _issued(world, issuer, count=1)
    started = start_pdf_zip(world.runtime, actor=issuer, organisation=SLUG,
                            batch="2026-spring", language="en")
    world.run_queued()
    assert files.forget_expired(world.runtime, by="cli:scheduler") == 0
    world.clock.advance(seconds=files.KEPT.total_seconds() + 60)
    assert files.forget_expired(world.runtime, by="cli:scheduler") == 1
    with pytest.raises(NotFoundError) as gone:
        files.open_file(world.runtime, actor=issuer, public_id=started.public_id)
    assert (gone.value.code, gone.value.params) == (
        "jobs.problem.no_file", {"id": started.public_id, "days": 7})


def _export(students: int) -> bytes:
    """A Shift_JIS export of ``students`` students with four results each."""
    rows = [",".join(COLUMNS)]
    for index in range(students):
        head = (f"22A{index:05d},山田 花子,ヤマダ ハナコ,YAMADA Hanako,2003-04-02,工学部,"
                f"機械工学科,学士（工学）,2022-04-01,2026-03-31,卒業見込")
        rows += [f"{head},2022-前期,ME101,機械工学概論,2,jp,秀",
                 f"{head},2022-後期,ME102,材料力学,2,jp,良",
                 f"{head},2023-前期,EN201,English,1,letter,B",
                 f"{head},2023-後期,ME301,熱力学,2,jp,可"]
    return ("\r\n".join(rows) + "\r\n").encode("shift_jis")


def test_an_input_staged_slower_than_the_stale_period_is_not_sent_before_its_last_part(
        world: World) -> None:
    """An upload of four parts comes in over more than twice ``CREDSTACK_JOBS_STALE`` (the
    services' clock moved on between its parts, the reaper run at each): each stored part
    makes the held job due again, so the reaper sends nothing while it is staged; the
    upload sends it once, and its one run imports every student."""
    registrar = world.person("registrar@hokuto.example", (SLUG, "registrar"))
    data = _export(5500)
    assert 3 * files.PART_BYTES < len(data) < 4 * files.PART_BYTES
    step = 0.75 * world.settings.jobs_stale
    reaped: list[list[str]] = []

    def slowly() -> Iterator[bytes]:
        for offset in range(0, len(data), files.PART_BYTES):
            if offset:
                world.clock.advance(seconds=step)
                reaped.append(runner.reap(world.runtime))
            yield data[offset:offset + files.PART_BYTES]

    began = world.clock()
    started = start_records_import(world.runtime, actor=registrar, organisation=SLUG,
                                   chunks=slowly(), form="csv", source="slow.csv",
                                   encoding="shift_jis", dry_run=False)
    assert world.clock() - began > dt.timedelta(seconds=2 * world.settings.jobs_stale)
    assert reaped == [[], [], []]
    assert world.queue.sent == [(started.public_id, None)]
    assert _parts(world, started.public_id) == (4, len(data))
    assert world.run_queued() == ["succeeded"]
    done = job(world.runtime, actor=registrar, public_id=started.public_id)
    assert done.attempts == 1 and done.result is not None
    assert (done.result["students"], done.result["created"]) == (5500, 5500)
    assert _parts(world, started.public_id) == (0, 0)  # the input is gone once read


def _students(world: World) -> int:
    with world.runtime.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(RegistrarStudentRow)) or 0)


def _watched(world: World, export: bytes) -> list[tuple[int, int | None, int]]:
    """Stage ``export`` as a registrar's import and run it as a worker does; each progress
    the job said, with how many students the store held as it said it."""
    registrar = world.person("registrar@hokuto.example", (SLUG, "registrar"))
    start_records_import(world.runtime, actor=registrar, organisation=SLUG,
                         chunks=[export], form="csv", source="university.csv",
                         encoding="shift_jis", dry_run=False)
    said: list[tuple[int, int | None, int]] = []
    original = runner._Heartbeat.progress

    def progress(self: runner._Heartbeat, done: int, total: int | None) -> None:
        said.append((done, total, _students(world)))
        original(self, done, total)

    runner._Heartbeat.progress = progress  # type: ignore[method-assign]
    try:
        world.run_queued()
    finally:
        runner._Heartbeat.progress = original  # type: ignore[method-assign]
    return said


def test_an_import_job_says_its_progress_as_it_reads_and_as_it_writes(world: World) -> None:
    """The job's progress moves as the staged export is read part by part (its bytes read of
    all of them), then as its students are written, a thousand at a time, each thousand
    in the store when the job says it; nothing is written while the rows are checked."""
    export = _export(2500)
    said = _watched(world, export)
    reading = [(done, total) for done, total, _ in said if total == len(export)]
    assert len(reading) >= 3 and reading[-1] == (len(export), len(export))
    assert [done for done, _ in reading] == sorted(done for done, _ in reading)
    assert all(stored == 0 for _, total, stored in said if total == len(export))
    writing = [(done, total, stored) for done, total, stored in said if total == 2500]
    assert writing[:4] == [(0, 2500, 0), (1000, 2500, 1000), (2000, 2500, 2000),
                           (2500, 2500, 2500)]


def test_a_refused_import_job_writes_nothing_at_any_moment(world: World) -> None:
    """A broken export is read to its end (its progress full) and refused: no progress of
    writing is said and the store holds no student at any moment."""
    export = _export(2500).replace(b"2003-04-02", b"2003-02-30", 3)
    said = _watched(world, export)
    assert said and said[-1][:2] == (len(export), len(export))
    assert {stored for _, _, stored in said} == {0}
    assert _students(world) == 0
