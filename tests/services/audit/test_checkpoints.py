"""Checkpoints in a file apart from the store: a log wiped or put back with its head is caught.

Each test appends through the service, writes checkpoints as a worker does, then changes the
database with raw SQL as someone with database access but without the master key (the
append-only triggers switched off first, as in ``test_service.py``) and expects
``verify_log`` to say what the checkpoints show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.core.audit import FindingKind
from credstack.entrypoints.bootstrap import engine_of, open_runtime
from credstack.errors import ConfigurationError, InputError
from credstack.services.audit import checkpoints
from credstack.services.audit import service as audit
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.words import error_words

SECRET = new_master_key_text()
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
OPERATOR = Operator("test")


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    configured = dataclasses.replace(settings, secret_key=SECRET)
    with open_runtime(settings=configured, clock=lambda: T0) as opened:
        yield opened


def append(runtime: Runtime, count: int) -> None:
    for number in range(count):
        with runtime.transaction() as session:
            audit.record(session, at=T0 + dt.timedelta(minutes=number), actor="user:1",
                         action="programme.published", subject=f"programme:{number}",
                         details={"number": number})


def sql(runtime: Runtime, *statements: str) -> None:
    with engine_of(runtime).begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def unprotect(runtime: Runtime) -> None:
    if runtime.settings.is_sqlite:
        sql(runtime, "DROP TRIGGER audit_entries_no_update",
            "DROP TRIGGER audit_entries_no_delete")
    else:
        sql(runtime, "ALTER TABLE audit_entries DISABLE TRIGGER USER")


def kinds(runtime: Runtime, file: Path | None = None) -> list[tuple[FindingKind, int]]:
    report = audit.verify_log(runtime, actor=OPERATOR, checkpoints=file)
    return [(finding.kind, finding.seq) for finding in report.findings]


def test_a_checkpoint_is_the_logs_end_signed_in_its_own_file(runtime: Runtime) -> None:
    append(runtime, 3)
    written = checkpoints.write(runtime, actor=OPERATOR)
    assert written.new and (written.checkpoint.seq, written.checkpoint.at) == (3, T0)
    # Beside the data directory, not in it: wiping the directory leaves it.
    data = runtime.settings.data_dir
    assert written.file == data.parent / f"{data.name}-audit-checkpoints.jsonl"
    assert written.file.stat().st_mode & 0o777 == 0o600
    # A JWS signed by a did:key whose public key anyone may be given.
    assert written.file.read_text().count(".") == 2
    assert checkpoints.public_key_id(runtime, actor=OPERATOR).startswith("did:key:z6Mk")
    report = audit.verify_log(runtime, actor=OPERATOR)
    assert report.ok and report.checkpoints == 1


def test_a_log_that_has_not_moved_gets_no_new_line(runtime: Runtime) -> None:
    append(runtime, 2)
    first = checkpoints.write(runtime, actor=OPERATOR)
    again = checkpoints.write(runtime, actor=OPERATOR)
    assert not again.new and again.checkpoint == first.checkpoint
    append(runtime, 1)
    assert checkpoints.write(runtime, actor=OPERATOR).checkpoint.seq == 3
    assert len(first.file.read_text().splitlines()) == 2


def test_both_audit_tables_wiped_fail_against_the_last_checkpoint(runtime: Runtime) -> None:
    """The head goes with the entries: only the checkpoint knows entries 1–5 existed."""
    append(runtime, 5)
    checkpoints.write(runtime, actor=OPERATOR)
    unprotect(runtime)
    sql(runtime, "DELETE FROM audit_entries", "DELETE FROM audit_head")
    assert (FindingKind.TRUNCATED, 1) in kinds(runtime)


def test_an_older_copy_of_the_store_put_back_is_caught(runtime: Runtime) -> None:
    """Entries and head moved back together (what restoring an old backup does): the head
    agrees with the log, the later checkpoint does not."""
    append(runtime, 3)
    with runtime.transaction() as session:
        (head_row,) = session.execute(text("SELECT seq, hash, mac FROM audit_head")).all()
    append(runtime, 4)
    checkpoints.write(runtime, actor=OPERATOR)
    unprotect(runtime)
    sql(runtime, "DELETE FROM audit_entries WHERE seq > 3",
        f"UPDATE audit_head SET seq = {head_row.seq}, hash = '{head_row.hash}', "
        f"mac = '{head_row.mac}'")
    assert kinds(runtime) == [(FindingKind.TRUNCATED, 4)]


def test_a_log_rewritten_up_to_a_checkpoint_is_caught(runtime: Runtime) -> None:
    """An entry edited and every later hash recomputed is invisible to the chain without the
    head; the checkpoint holds the hash it had."""
    append(runtime, 2)
    written = checkpoints.write(runtime, actor=OPERATOR)
    changed = dataclasses.replace(written.checkpoint, hash="0" * 64)
    from credstack.core.audit.checkpoints import compare, read_checkpoints, sign_checkpoint
    signer = checkpoints.signing_key(runtime.key())
    forged = written.file.parent / "other.jsonl"
    forged.write_text(sign_checkpoint(signer, changed) + "\n")
    report = audit.verify_log(runtime, actor=OPERATOR, checkpoints=forged)
    assert [(f.kind, f.seq) for f in report.findings] == [(FindingKind.HEAD_MISMATCH, 2)]
    # The same comparison, by the pure function, on a report that agrees.
    read = read_checkpoints(written.file.read_text().splitlines(), signer.public_key)
    assert compare(dataclasses.replace(report, findings=()), read).ok


def test_an_altered_or_foreign_checkpoint_line_is_a_finding(runtime: Runtime,
                                                            tmp_path: Path) -> None:
    append(runtime, 2)
    written = checkpoints.write(runtime, actor=OPERATOR)
    line = written.file.read_text().strip()
    header, payload, signature = line.split(".")
    altered = tmp_path / "altered.jsonl"
    altered.write_text(f"{header}.{payload[:-2]}xx.{signature}\nnot a checkpoint\n{line}\n")
    found = kinds(runtime, altered)
    assert found == [(FindingKind.CHECKPOINT, 0), (FindingKind.CHECKPOINT, 0)]
    other = dataclasses.replace(runtime.settings, secret_key=new_master_key_text())
    with open_runtime(settings=other) as elsewhere:
        assert (FindingKind.CHECKPOINT, 0) in kinds(elsewhere, written.file)


def test_a_missing_file_given_is_an_error_and_none_is_fine(runtime: Runtime,
                                                          tmp_path: Path) -> None:
    append(runtime, 1)
    assert audit.verify_log(runtime, actor=OPERATOR).checkpoints == 0
    with pytest.raises(InputError) as refused:
        audit.verify_log(runtime, actor=OPERATOR, checkpoints=tmp_path / "missing.jsonl")
    assert "no checkpoint file" in error_words(refused.value, "en")


def test_no_checkpoint_vouches_for_a_tampered_head(runtime: Runtime) -> None:
    append(runtime, 2)
    sql(runtime, "UPDATE audit_head SET hash = '" + "f" * 64 + "'")
    with pytest.raises(ConfigurationError) as refused:
        checkpoints.write(runtime, actor=OPERATOR)
    assert "head does not verify" in error_words(refused.value, "en")
    assert not runtime.settings.checkpoint_file.exists()


def test_an_install_whose_checkpoints_are_in_the_data_directory_keeps_them_there(
        runtime: Runtime) -> None:
    """Before, the file was in the data directory by default; one found there stays the
    file (its checkpoints are the log's history). A fresh install's is outside."""
    legacy = runtime.settings.data_dir / "audit-checkpoints.jsonl"
    assert runtime.settings.checkpoint_file != legacy
    append(runtime, 1)
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_text("")
    assert runtime.settings.checkpoint_file == legacy
    assert checkpoints.write(runtime, actor=OPERATOR).file == legacy


def test_the_file_can_live_elsewhere(settings: Settings, tmp_path: Path) -> None:
    elsewhere = tmp_path / "mounted" / "checkpoints.jsonl"
    configured = dataclasses.replace(settings, secret_key=SECRET, audit_checkpoints=elsewhere)
    with open_runtime(settings=configured) as runtime:
        append(runtime, 1)
        assert checkpoints.write(runtime, actor=OPERATOR).file == elsewhere
    assert elsewhere.exists()


def test_a_checkpoint_is_written_after_every_n_entries(settings: Settings) -> None:
    """Checkpoints came only with time (a worker's start, then every five minutes), so a log
    that grew by thousands of entries between two of them could lose them all unseen: now
    the transaction whose entries reach a multiple of ``audit_checkpoint_every`` appends one
    as it commits — also when one transaction passes it by several entries — and one rolled
    back appends none."""
    configured = dataclasses.replace(settings, secret_key=SECRET, audit_checkpoint_every=3)
    with open_runtime(settings=configured, clock=lambda: T0) as runtime:
        append(runtime, 7)
        with runtime.transaction() as session:
            for number in range(4):
                audit.record(session, at=T0, actor="user:1", action="programme.published",
                             subject=f"programme:batch-{number}", details={})
        with pytest.raises(RuntimeError), runtime.transaction() as session:
            for number in range(3):
                audit.record(session, at=T0, actor="user:1", action="programme.published",
                             subject=f"programme:undone-{number}", details={})
            raise RuntimeError("rolled back")
        read = checkpoints.read(runtime)
        assert read is not None
        assert [c.seq for c in read.checkpoints] == [3, 6, 11]
        assert audit.verify_log(runtime, actor=OPERATOR).checkpoints == 3
