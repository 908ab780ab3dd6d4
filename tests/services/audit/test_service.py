"""The audit log in the store, on SQLite and PostgreSQL: tampered with as an attacker would.

Each tampering test appends through :func:`audit.record`, then changes the database with raw
SQL — as someone with database access but without the master key — and expects
:func:`audit.verify` to name the kind of change and the entry. The append-only triggers are
disabled first (``ALTER TABLE … DISABLE TRIGGER USER`` as the table owner on PostgreSQL,
``DROP TRIGGER`` on SQLite): they are defence in depth, not the protection under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import secrets
import threading
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.keystore import MasterKey
from credstack.core.access import Membership, Operator, Principal, Role
from credstack.core.audit import (
    EMPTY_HEAD,
    HEAD_KEY_LABEL,
    AuditReport,
    FindingKind,
    entry_hash,
    new_entry,
)
from credstack.errors import AccessDeniedError, ConfigurationError, InputError
from credstack.services.audit import service as audit
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs
from credstack.words import words

KEY = MasterKey(secrets.token_bytes(32))
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@dataclasses.dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def append(self, count: int, *, start: int = 0) -> None:
        for number in range(start, start + count):
            with self.sessions() as session, session.begin():
                audit.record(session, at=T0 + dt.timedelta(minutes=number),
                             actor=f"user:{number % 4}", action="application.submitted",
                             subject=f"application:app_{number % 3}",
                             details={"number": number, "reason": "理由", "score": 2.5})

    def verify(self) -> AuditReport:
        with self.sessions() as session:
            return audit.verify(session, KEY)

    def sql(self, statement: str, **parameters: object) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(statement), parameters)

    def unprotect(self) -> None:
        """What an owner of the tables can always do: switch the append-only triggers off."""
        if self.postgres:
            self.sql("ALTER TABLE audit_entries DISABLE TRIGGER USER")
        else:
            self.sql("DROP TRIGGER audit_entries_no_update")
            self.sql("DROP TRIGGER audit_entries_no_delete")

    def json(self, name: str) -> str:
        return f"CAST(:{name} AS jsonb)" if self.postgres else f":{name}"

    def entry(self, seq: int) -> audit.AuditEntry:
        with self.sessions() as session:
            (found,) = audit.entries(session, after=seq - 1, limit=1)
            return found


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    engine = make_engine(settings)
    migrate(engine)
    sessions = session_factory(engine)
    audit.attach_key(sessions, KEY)
    try:
        yield Store(engine, sessions)
    finally:
        engine.dispose()


def findings(report: AuditReport) -> list[tuple[FindingKind, int]]:
    return [(finding.kind, finding.seq) for finding in report.findings]


def test_appends_make_an_intact_chain(store: Store) -> None:
    """Entries appended one by one verify, with the head at the last one."""
    store.append(12)
    report = store.verify()
    assert report.ok and report.entries == 12
    assert report.head is not None and report.head.seq == 12 == report.last_seq
    assert report.head.hash == report.last_hash


def test_empty_store_is_intact(store: Store) -> None:
    """A new store's log (the migration's initial head) verifies."""
    report = store.verify()
    assert report.ok and report.entries == 0 and report.head == EMPTY_HEAD


def test_reading_entries(store: Store) -> None:
    """Entries are read in seq order, by subject, after a seq, and the latest ones."""
    store.append(9)
    with store.sessions() as session:
        about = audit.entries(session, subject="application:app_1")
        assert [entry.seq for entry in about] == [2, 5, 8]
        assert [entry.seq for entry in audit.entries(session, after=6, limit=2)] == [7, 8]
        assert [entry.seq for entry in audit.entries(session, limit=3, latest=True)] == [7, 8, 9]
        first = audit.entries(session, limit=1)[0]
        assert first.at == T0 and first.details == {"number": 0, "reason": "理由", "score": 2.5}
        assert audit.count(session) == 9


def test_entries_recorded_together_chain_as_one_by_one(store: Store) -> None:
    """record_many appends its entries in order, each naming its own request, after what was
    there: the chain verifies and the head is at the last one."""
    store.append(2)
    with store.sessions() as session, session.begin():
        seqs = audit.record_many(session, at=T0, entries=[
            audit.NewEntry("user:1", "credential.issued", f"urn:uuid:{number}",
                           {"organisation": "o"}, f"request-{number}")
            for number in range(3)])
        assert audit.record_many(session, at=T0, entries=[]) == []
    assert seqs == [3, 4, 5]
    report = store.verify()
    assert report.ok and report.entries == 5 and report.head is not None
    assert report.head.seq == 5
    assert [(entry.subject, entry.request_id) for entry in store_entries(store)[2:]] == [
        (f"urn:uuid:{number}", f"request-{number}") for number in range(3)]


def test_entries_recorded_together_are_refused_together(store: Store) -> None:
    """One unusable entry among several: none is appended."""
    with store.sessions() as session, session.begin():
        with pytest.raises(InputError):
            audit.record_many(session, at=T0, entries=[
                audit.NewEntry("user:1", "x.y", "s", {}),
                audit.NewEntry("user:1", "x.y", "s", {"at": T0})])
        assert audit.count(session) == 0
    assert store.verify().ok


def store_entries(store: Store) -> list[audit.AuditEntry]:
    with store.sessions() as session:
        return audit.entries(session, limit=100)


def test_record_joins_the_callers_transaction(store: Store) -> None:
    """An entry recorded in a transaction that rolls back is gone with it; the chain stays."""
    store.append(2)
    with store.sessions() as session, session.begin():
        audit.record(session, at=T0, actor="user:1", action="decision.made",
                     subject="application:app_1", details={})
        session.rollback()
    store.append(1, start=2)
    report = store.verify()
    assert report.ok and report.entries == 3


def test_record_separately_survives_the_requests_rollback(store: Store) -> None:
    """A refusal logged in its own transaction stays when the request's transaction ends."""
    with store.sessions() as session, session.begin():
        seq = audit.record_separately(store.sessions, at=T0, actor="anonymous",
                                      action="access.denied", subject="application:app_x",
                                      details={"path": "/api/x\x00", "method": "POST"})
        session.rollback()
    assert seq == 1
    with store.sessions() as session:
        (entry,) = audit.entries(session)
    assert entry.action == "access.denied" and entry.details["path"] == "/api/x\ufffd"
    assert store.verify().ok


def test_record_needs_the_key(store: Store, settings: Settings) -> None:
    """Without a key the append is refused (an unauthenticated end could vanish quietly)."""
    engine = make_engine(settings)
    try:
        with session_factory(engine)() as session, pytest.raises(ConfigurationError):
            audit.record(session, at=T0, actor="user:1", action="x.y", subject="s", details={})
        with session_factory(engine)() as session, session.begin():
            assert audit.record(session, at=T0, actor="user:1", action="x.y", subject="s",
                                details={}, key=KEY) == 1
    finally:
        engine.dispose()


def test_record_refuses_bad_values(store: Store) -> None:
    """Details that are not JSON, numbers the stores cannot keep exactly, empty actors."""
    with store.sessions() as session, session.begin():
        for details in ({"at": T0}, {"big": 1e300}, {"nan": float("nan")}):
            with pytest.raises(InputError):
                audit.record(session, at=T0, actor="user:1", action="x.y", subject="s",
                             details=details)
        with pytest.raises(InputError):
            audit.record(session, at=T0, actor="", action="x.y", subject="s", details={})
        with pytest.raises(InputError):
            audit.record(session, at=T0, actor="user:1", action="x.y", subject="s" * 501,
                         details={})
    assert store.verify().ok


def test_triggers_refuse_update_and_delete(store: Store) -> None:
    """Defence in depth: the database itself refuses changing or deleting entries."""
    store.append(2)
    for statement in ("UPDATE audit_entries SET actor = 'x' WHERE seq = 1",
                      "DELETE FROM audit_entries WHERE seq = 2"):
        with pytest.raises(DBAPIError, match="append-only"):
            store.sql(statement)
    assert store.verify().ok


def test_edited_details(store: Store) -> None:
    """UPDATE of an entry's details is found as an edit of that entry."""
    store.append(8)
    store.unprotect()
    store.sql(f"UPDATE audit_entries SET details = {store.json('d')} WHERE seq = 4",
              d=json.dumps({"number": 3, "reason": "別の理由", "score": 2.5}))
    assert findings(store.verify()) == [(FindingKind.EDITED, 4)]


def test_edited_timestamp(store: Store) -> None:
    """UPDATE of an entry's time is found as an edit."""
    store.append(5)
    store.unprotect()
    store.sql("UPDATE audit_entries SET at = :at WHERE seq = 2",
              at=T0 + dt.timedelta(days=1) if store.postgres else "2026-11-23 09:01:00.000000")
    assert findings(store.verify()) == [(FindingKind.EDITED, 2)]


def test_edited_and_rehashed(store: Store) -> None:
    """An entry edited with its hash recomputed breaks the next link: an edit of that entry."""
    store.append(8)
    store.unprotect()
    original = store.entry(5)
    forged = dataclasses.replace(original, actor="user:intruder")
    store.sql("UPDATE audit_entries SET actor = :actor, hash = :hash WHERE seq = 5",
              actor=forged.actor, hash=entry_hash(forged))
    report = store.verify()
    assert findings(report) == [(FindingKind.EDITED, 5)]
    assert "recomputed" in words(report.findings[0].said, "en")


#: Tampering by an owner of the tables (the append-only triggers switched off), as SQL, and
#: what verification names: (kind, seq) per finding.
SQL_TAMPERING = [
    pytest.param(8, ["DELETE FROM audit_entries WHERE seq = 3"],
                 [(FindingKind.REMOVED, 3)], id="removed-middle-entry"),
    # Nothing else touched: truncated from the first one removed.
    pytest.param(8, ["DELETE FROM audit_entries WHERE seq > 5"],
                 [(FindingKind.TRUNCATED, 6)], id="removed-last-entries"),
    pytest.param(4, [f"UPDATE audit_head SET hash = '{'f' * 64}'"],
                 [(FindingKind.HEAD_MISMATCH, 4)], id="edited-head"),
    # No head row at all.
    pytest.param(3, ["DELETE FROM audit_head"],
                 [(FindingKind.HEAD_MISMATCH, 0)], id="deleted-head"),
    # Two entries' seq values exchanged: both reordered.
    pytest.param(8, ["UPDATE audit_entries SET seq = 1000 WHERE seq = 2",
                     "UPDATE audit_entries SET seq = 2 WHERE seq = 6",
                     "UPDATE audit_entries SET seq = 6 WHERE seq = 1000"],
                 [(FindingKind.REORDERED, 2), (FindingKind.REORDERED, 6)], id="swapped-seq"),
]


@pytest.mark.parametrize(("entries", "statements", "expected"), SQL_TAMPERING)
def test_entries_removed_or_reordered_and_heads_edited_are_named(
        store: Store, entries: int, statements: list[str],
        expected: list[tuple[FindingKind, int]]) -> None:
    """Entries deleted or their order changed, the head edited or deleted: each is named."""
    store.append(entries)
    store.unprotect()
    for statement in statements:
        store.sql(statement)
    assert findings(store.verify()) == expected


def test_removed_last_entries_and_head_rewritten(store: Store) -> None:
    """DELETE of the last entries with the head moved back (without the key): head mismatch."""
    store.append(8)
    store.unprotect()
    store.sql("DELETE FROM audit_entries WHERE seq > 5")
    store.sql("UPDATE audit_head SET seq = 5, hash = :hash", hash=store.entry(5).hash)
    assert findings(store.verify()) == [(FindingKind.HEAD_MISMATCH, 5)]
    store.sql("UPDATE audit_head SET mac = NULL")
    assert findings(store.verify()) == [(FindingKind.HEAD_MISMATCH, 5)]


def test_forged_entry_inserted(store: Store) -> None:
    """A forged entry with a correct hash, chained after the last one: not covered by the head."""
    store.append(5)
    forged = new_entry(audit.AuditHead(5, store.entry(5).hash, None), at=T0, actor="user:1",
                       action="decision.made", subject="application:app_1",
                       details={"outcome": "recognised"})
    store.sql("INSERT INTO audit_entries (seq, at, actor, action, subject, details, prev_hash, "
              f"hash) VALUES (6, :at, :actor, :action, :subject, {store.json('details')}, "
              ":prev_hash, :hash)",
              at=forged.at if store.postgres else "2026-11-22 09:00:00.000000",
              actor=forged.actor, action=forged.action, subject=forged.subject,
              details=json.dumps(forged.details), prev_hash=forged.prev_hash, hash=forged.hash)
    assert findings(store.verify()) == [(FindingKind.INSERTED, 6)]


def test_tampered_head_is_never_re_signed(store: Store) -> None:
    """After the head was edited, appending is refused rather than hiding the edit."""
    store.append(6)
    store.unprotect()
    store.sql("DELETE FROM audit_entries WHERE seq > 4")
    store.sql("UPDATE audit_head SET seq = 4, hash = :hash", hash=store.entry(4).hash)
    with pytest.raises(ConfigurationError, match="audit verify"):
        store.append(1, start=6)
    store.sql("UPDATE audit_head SET seq = 0, hash = :hash, mac = NULL", hash="0" * 64)
    with pytest.raises(ConfigurationError, match="reset"):
        store.append(1, start=6)


def test_concurrent_appends_from_threads(store: Store) -> None:
    """Eight threads appending at once make one unbroken chain of every entry."""
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def appender(worker: int) -> None:
        try:
            start.wait()
            for number in range(15):
                audit.record_separately(store.sessions, at=T0, actor=f"user:{worker}",
                                        action="review.saved", subject=f"w:{worker}",
                                        details={"n": number})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=appender, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = store.verify()
    assert report.ok and report.entries == 120 == report.last_seq


def _append_in_process(settings: Settings, worker: int, count: int) -> None:
    engine = make_engine(settings)
    sessions = session_factory(engine)
    audit.attach_key(sessions, KEY_FOR_PROCESSES)
    for number in range(count):
        audit.record_separately(sessions, at=T0, actor=f"process:{worker}", action="x.y",
                                subject="s", details={"n": number})
    engine.dispose()


KEY_FOR_PROCESSES = MasterKey(bytes(range(32)))


def test_concurrent_appends_from_processes(settings: Settings) -> None:
    """Four processes appending at once make one unbroken chain too."""
    engine = make_engine(settings)
    migrate(engine)
    # Forked with no connection open, so that no child shares the parent's.
    engine.dispose()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append_in_process, args=(settings, worker, 20))
               for worker in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0] * 4
    try:
        with session_factory(engine)() as session:
            report = audit.verify(session, KEY_FOR_PROCESSES)
    finally:
        engine.dispose()
    assert report.ok and report.entries == 80


def test_verify_reports_progress(store: Store) -> None:
    """The progress callback sees the number of entries read, ending with the total."""
    store.append(3)
    seen: list[int] = []
    with store.sessions() as session:
        assert audit.verify(session, KEY, progress=seen.append).ok
    assert seen[-1] == 3


def test_master_key_derive_is_hkdf_with_the_label() -> None:
    """``MasterKey.derive`` is HKDF-SHA-256 (no salt, the label as info), one key per label."""
    raw = secrets.token_bytes(32)
    master = MasterKey(raw)
    expected = HKDF(hashes.SHA256(), 32, salt=None, info=HEAD_KEY_LABEL).derive(raw)
    assert master.derive(HEAD_KEY_LABEL) == expected
    assert master.derive(b"another purpose") != expected and len(expected) == 32


def test_verify_with_another_key(store: Store) -> None:
    """Another master key cannot vouch for the head, and the message says the key may differ."""
    store.append(2)
    with store.sessions() as session:
        report = audit.verify(session, MasterKey(secrets.token_bytes(32)))
    assert findings(report) == [(FindingKind.HEAD_MISMATCH, 2)]
    assert "CREDSTACK_SECRET_KEY" in words(report.findings[0].said, "en")


def _runtime(store: Store, settings: Settings) -> Runtime:
    return Runtime(settings=settings, sessions=store.sessions, master_key=lambda: KEY,
                   clock=lambda: T0)


def test_the_log_is_read_on_a_runtime_by_who_may_read_it(store: Store, settings: Settings
                                                         ) -> None:
    """``verify_log`` and ``latest_entries`` for a registry admin (the console's operator);
    progress counts up to the entries the log held when it began."""
    store.append(4)
    runtime = _runtime(store, settings)
    seen: list[tuple[int, int]] = []
    report = audit.verify_log(runtime, actor=Operator("tester"), progress=lambda *step:
                              seen.append(step))
    assert report.ok and seen[-1] == (4, 4)
    latest = audit.latest_entries(runtime, actor=Operator("tester"),
                                  subject="application:app_0", limit=1)
    assert [entry.seq for entry in latest] == [4]


def test_someone_without_audit_read_is_refused(store: Store, settings: Settings) -> None:
    """An issuer reads no audit log: refused, and the refusal reported."""
    runtime = _runtime(store, settings)
    issuer = ActingAs(Principal(subject="user:3", user_id=3, email="i@example.jp",
                                memberships=frozenset({Membership("hokuto", Role.ISSUER)})))
    with pytest.raises(AccessDeniedError):
        audit.verify_log(runtime, actor=issuer)
    with pytest.raises(AccessDeniedError):
        audit.latest_entries(runtime, actor=issuer)
    assert [action for action, _, _ in issuer.refusals] == ["audit:read", "audit:read"]
