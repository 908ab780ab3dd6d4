"""The audit log in the store: appending entries, reading them, verifying the chain.

Every state change and decision is recorded with :func:`record` *inside the transaction that
makes the change*, so the entry exists exactly when the change does. Refusals (a request
that is denied, whose own transaction rolls back) are recorded with
:func:`record_separately`, in a transaction of their own. The chain and what its head
protects against are described in :mod:`credstack.core.audit.chain`.

Appending needs the key store's master key (the head's code is made with a key derived from
it). The session factory carries it: ``attach_key(sessions, master_key_source)`` once where
the factory is made (the web application does it with its
:class:`~credstack.adapters.keystore.MasterKeySource`); :func:`record` also takes ``key=``.
Without a key :func:`record` raises :class:`~credstack.errors.ConfigurationError` — an
audit log that cannot authenticate its end would let its last entries disappear quietly.

Concurrent appenders take turns at the head row (:func:`~credstack.adapters.db.repositories
.audit.lock_head`), so the chain stays one unbroken line whatever the number of threads,
processes or servers. Before extending the chain, :func:`record` checks the head's code: a
head edited without the key is never re-signed (that would hide the edit), the append is
refused instead and ``credstack audit verify`` says what happened.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import json
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from credstack.adapters.db.repositories import audit as repository
from credstack.adapters.db.repositories import platform_counters as counter_store
from credstack.adapters.db.repositories.audit import ACTION_LENGTH, ACTOR_LENGTH, SUBJECT_LENGTH
from credstack.adapters.db.transactions import Session, Sessions
from credstack.adapters.keystore import MasterKey
from credstack.core.access import Action, Actor
from credstack.core.audit import (
    EMPTY_HEAD,
    HEAD_KEY_LABEL,
    AuditEntry,
    AuditHead,
    AuditReport,
    Finding,
    FindingKind,
    format_time,
    head_mac,
    new_entry,
    sign_head,
    verify_chain,
)
from credstack.core.audit.checkpoints import ReadCheckpoints, compare
from credstack.core.console.figures import counted
from credstack.core.crypto.jcs import canonicalize
from credstack.core.said import Said
from credstack.errors import ConfigurationError, InputError, MalformedCredentialError, Problem
from credstack.services import requests
from credstack.services.audit import checkpoints as checkpoint_files
from credstack.services.runtime import Runtime

__all__ = [
    "KEY_INFO",
    "NewEntry",
    "attach_key",
    "count",
    "entries",
    "head",
    "latest_entries",
    "master_key",
    "record",
    "record_many",
    "record_separately",
    "verify",
    "verify_log",
]

#: Where a session (``Session.info``) carries the master key or a callable returning it.
KEY_INFO: Final = "credstack.audit.master_key"
#: Largest magnitude of a float in ``details``: beyond it PostgreSQL's ``jsonb`` would give
#: it back as an integer, and the entry would no longer hash the same.
_FLOAT_LIMIT: Final = 2.0 ** 53
KeySource = MasterKey | Callable[[], MasterKey]


def attach_key(sessions: Sessions, key: KeySource) -> None:
    """Give every session of ``sessions`` the master key the audit log's head needs.

    ``key`` is a :class:`MasterKey` or a callable returning one (a ``MasterKeySource``,
    asked only when something is recorded).
    """
    info = dict(sessions.kw.get("info") or {})
    info[KEY_INFO] = key
    sessions.configure(info=info)


def master_key(session: Session, key: MasterKey | None = None) -> MasterKey:
    """``key``, or the master key :func:`attach_key` gave ``session``'s factory."""
    source = key if key is not None else session.info.get(KEY_INFO)
    if source is None:
        raise ConfigurationError(
            "The audit log has no secret key for this session: call "
            "credstack.services.audit.service.attach_key(sessions, master_key) where the session "
            "factory is made, or pass key= to record().")
    return source if isinstance(source, MasterKey) else source()


def _head_key(session: Session, key: MasterKey | None) -> bytes:
    return master_key(session, key).derive(HEAD_KEY_LABEL)


@dataclasses.dataclass(frozen=True, slots=True)
class NewEntry:
    """One entry :func:`record_many` appends: who did what to what, and the request or job
    it names (``None``: none)."""

    actor: str
    action: str
    subject: str
    details: Mapping[str, Any]
    request_id: str | None = None


def lock_ahead(session: Session) -> None:
    """Have the log's head locked for this transaction's next :func:`record_many` (or
    :func:`record`) now, without waiting for the answer: on PostgreSQL, in a pipeline, the
    head's locked read goes with the statement answered next
    (:func:`~credstack.adapters.db.repositories.audit.lock_head_ahead`); elsewhere nothing.
    Call it only where the head may be locked from now on (after any lock that every
    appender takes before the head's)."""
    repository.lock_head_ahead(session)


def record(session: Session, *, at: dt.datetime, actor: str, action: str, subject: str,
           details: Mapping[str, Any], key: MasterKey | None = None) -> int:
    """Append an entry inside the caller's transaction; its seq. The entry names the
    request or job being served, if any (:func:`credstack.services.requests.
    current`).

    ``details`` must be JSON data (it is stored in its canonical form); ``at`` must carry a
    time zone. Waits while another transaction appends. Raises
    :class:`~credstack.errors.InputError` for unusable values and
    :class:`~credstack.errors.ConfigurationError` when no key is available or the stored
    head does not verify under it.
    """
    [seq] = record_many(session, at=at, key=key, entries=[NewEntry(
        actor, action, subject, details, requests.current())])
    return seq


def record_many(session: Session, *, at: dt.datetime, entries: Sequence[NewEntry],
                key: MasterKey | None = None) -> list[int]:
    """Append ``entries``, in their order, inside the caller's transaction, as :func:`record`
    appends each (the same checks and errors; none is appended when one is refused), with
    the head taken, checked and written once for all of them; their seqs."""
    head_key = _head_key(session, key)
    format_time(at)  # a stamp without a zone is refused before the head is locked
    cleaned = []
    for new in entries:
        _check_lengths(actor=new.actor, action=new.action, subject=new.subject)
        cleaned.append(dataclasses.replace(new, details=_canonical_details(new.details)))
    if not cleaned:
        return []
    current = repository.lock_head(session)
    _check_head(session, current, head_key)
    assert current is not None  # _check_head refuses a missing head
    appended = []
    for new in cleaned:
        entry = new_entry(current, at=at, actor=new.actor, action=new.action,
                          subject=new.subject, details=new.details, request_id=new.request_id)
        appended.append(entry)
        current = AuditHead(entry.seq, entry.hash, None)
    last = appended[-1]
    repository.append(session, appended, sign_head(head_key, last))
    # The platform's figures move with the events they count, in the same transaction
    # (the console reads the counters, never the events).
    amounts: Counter[str] = Counter()
    for new in cleaned:
        for figure, amount in counted(new.action, new.details):
            amounts[figure] += amount
    if amounts:
        counter_store.add_to_counters(session, month=f"{at.year:04d}-{at.month:02d}",
                                      amounts=sorted(amounts.items()))
    # What this transaction appended, for the checkpoint written as it commits
    # (:func:`credstack.services.audit.checkpoints.attach`).
    first, _ = session.info.get(checkpoint_files.APPENDED_INFO,
                                (appended[0].seq, appended[0].seq))
    session.info[checkpoint_files.APPENDED_INFO] = (first, last.seq)
    return [entry.seq for entry in appended]


def record_separately(sessions: Sessions, *, at: dt.datetime, actor: str,
                      action: str, subject: str, details: Mapping[str, Any],
                      key: MasterKey | None = None) -> int:
    """:func:`record` in a transaction of its own, committed before returning (for refusals,
    whose request's transaction rolls back)."""
    with sessions() as session, session.begin():
        return record(session, at=at, actor=actor, action=action, subject=subject,
                      details=details, key=key)


def _check_head(session: Session, current: AuditHead | None, head_key: bytes) -> None:
    problem = None
    if current is None:
        problem = "the audit head row is missing"
    elif current.mac is None:
        if current != EMPTY_HEAD or repository.has_entries(session):
            problem = "the audit head was reset without the secret key"
    elif not hmac.compare_digest(current.mac, head_mac(head_key, current.seq, current.hash)):
        problem = ("the audit head does not verify: it was edited without the secret key, or "
                   "CREDSTACK_SECRET_KEY is not the key the log was written with")
    if problem is not None:
        raise ConfigurationError(
            f"Nothing can be recorded in the audit log: {problem}. Run `credstack audit "
            "verify` to see what changed.")


def _check_lengths(**values: str) -> None:
    limits = {"actor": ACTOR_LENGTH, "action": ACTION_LENGTH, "subject": SUBJECT_LENGTH}
    problems = [Problem(name, f"1 to {limits[name]} characters, not {len(value)}")
                for name, value in values.items() if len(value) > limits[name] or not value]
    if problems:
        raise InputError("An audit entry's actor, action and subject must be non-empty and "
                         "short.", problems=problems)


def _canonical_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """``details`` as the JSON both databases give back unchanged (so it hashes the same).

    NUL characters (which PostgreSQL cannot store in JSON, and which a hostile request may
    well carry into a refusal's details) become U+FFFD.
    """
    try:
        canonical = json.loads(canonicalize(_without_nul(dict(details))))
    except MalformedCredentialError as exc:
        raise InputError(f"An audit entry's details must be JSON data: {exc.message}",
                         problems=[Problem("details", exc.message)]) from None
    _check_floats(canonical)
    result: dict[str, Any] = canonical
    return result


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, Mapping):
        return {_without_nul(key): _without_nul(item)
                for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(item) for item in value]
    return value


def _check_floats(value: Any) -> None:
    if isinstance(value, float) and (not math.isfinite(value) or abs(value) >= _FLOAT_LIMIT):
        raise InputError(f"An audit entry's details hold the number {value}, too large to "
                         "store exactly; record it as a string.",
                         problems=[Problem("details", f"number {value}")])
    if isinstance(value, dict):
        for item in value.values():
            _check_floats(item)
    elif isinstance(value, list):
        for item in value:
            _check_floats(item)


# --- reading ---------------------------------------------------------------------------------

def entries(session: Session, *, subject: str | None = None, after: int | None = None,
            limit: int = 100, latest: bool = False) -> list[AuditEntry]:
    """Entries in seq order: those after seq ``after`` (the first ``limit``), or with
    ``latest`` the last ``limit``; only about ``subject`` when it is given."""
    return repository.entries(session, subject=subject, after=after, limit=limit,
                              latest=latest)


def count(session: Session) -> int:
    """How many entries the log holds."""
    return repository.count(session)


def head(session: Session) -> AuditHead | None:
    """The stored head (``None`` if its row was deleted)."""
    return repository.head(session)


def verify(session: Session, master_key: MasterKey, *,
           progress: Callable[[int], None] | None = None,
           checkpoints: ReadCheckpoints | None = None,
           unanchored: bool = False) -> AuditReport:
    """Verify the whole log, streaming it in seq order (flat memory for any length).

    The head and the entries are read in one snapshot (``REPEATABLE READ`` on PostgreSQL, one
    read transaction on SQLite), so appends made meanwhile are not mistaken for tampering;
    call it on a session that has not begun a transaction. ``progress`` is called with the
    number of entries read so far, every thousand entries and at the end. With
    ``checkpoints`` (:func:`credstack.services.audit.checkpoints.read`) the log is compared
    with each as well: removed or rewritten entries that took the head with them show.
    ``unanchored``: a production store with no checkpoint file, nothing outside the store to
    compare with — beside an empty log whose head is a new store's, every kind of record made
    only with an entry is then the trace of a wipe (not only those no setup writes).
    """
    repository.begin_snapshot(session)
    stored_head = repository.head(session)
    stream = repository.stream_entries(session)
    if progress is not None:
        stream = _counted(stream, progress)
    watch = frozenset(c.seq for c in checkpoints.checkpoints) if checkpoints else frozenset()
    report = verify_chain(stream, stored_head, head_key=master_key.derive(HEAD_KEY_LABEL),
                          watch=watch)
    if report.entries == 0 and (report.head is None or report.head == EMPTY_HEAD):
        report = _wiped(report, repository.audited_records(session), every_kind=unanchored)
    return report if checkpoints is None else compare(report, checkpoints)


#: Records no setup writes without an entry (the demo's and a test's setup write
#: organisations, keys, accounts and programmes directly; an API client is made only by a
#: service that audits it): an empty log beside them is wiped even when its head looks like a
#: new store's — a wipe that deletes the credentials and recognitions too and resets the head
#: still leaves the clients (issue 55, L3).
_ALWAYS_AUDITED: Final = frozenset({"credentials", "recognitions", "api_clients"})


def _wiped(report: AuditReport, held: Mapping[str, int], *,
           every_kind: bool = False) -> AuditReport:
    """``report`` on an empty log, with an ``emptied`` finding when the store holds records
    that were audited as they were made: every kind of them when the head row is gone too
    (a migrated store always has one) or ``every_kind`` (a production store without
    checkpoints), those no setup writes when the head is a new store's."""
    kinds = held if report.head is None or every_kind else {
        name: number for name, number in held.items() if name in _ALWAYS_AUDITED}
    present = {name: number for name, number in kinds.items() if number}
    if not present:
        return report
    held_said: Said | None = None
    for name, number in reversed(present.items()):
        item = Said(f"audit.held.{name}", number=number)
        held_said = item if held_said is None else Said("audit.held.and", first=item,
                                                        rest=held_said)
    return dataclasses.replace(report, findings=(*report.findings, Finding(
        FindingKind.EMPTIED, 0, Said("audit.finding.emptied", held=held_said))))


# --- on a runtime, for whoever may read the log ----------------------------------------------


def verify_log(runtime: Runtime, *, actor: Actor,
               progress: Callable[[int, int], None] | None = None,
               checkpoints: Path | None = None) -> AuditReport:
    """:func:`verify` the runtime's log for someone allowed ``audit:read`` (a registry admin,
    a committee member), against the checkpoints of the file ``checkpoints`` (by default the
    checkpoint file, when there is one); ``progress`` is called with the entries read so far
    and how many the log held when the verification began.

    The checkpoint file is the log's anchor outside the store. In production (not a demo)
    its absence leaves none, so an emptied log is judged by every record the store holds
    that only a service makes, with its entry: accounts, organisations, keys and programmes
    as well as credentials, recognitions and API clients (a demo's setup writes the former
    without entries; issue 55, L3)."""
    actor.require(Action.AUDIT_READ)
    key = runtime.key()
    read = checkpoint_files.read(runtime, checkpoints)
    with runtime.transaction() as session:
        total = repository.count(session)
    with runtime.sessions() as session:
        return verify(session, key, checkpoints=read, progress=None if progress is None
                      else lambda done: progress(done, total),
                      unanchored=read is None and not runtime.settings.demo)


def latest_entries(runtime: Runtime, *, actor: Actor, subject: str | None = None,
                   limit: int = 50) -> list[AuditEntry]:
    """The latest ``limit`` entries (oldest first), only about ``subject`` when it is given,
    for someone allowed ``audit:read``."""
    actor.require(Action.AUDIT_READ)
    with runtime.transaction() as session:
        return entries(session, subject=subject, limit=limit, latest=True)


def _counted(stream: Iterator[AuditEntry], progress: Callable[[int], None]
             ) -> Iterator[AuditEntry]:
    read = 0
    for entry in stream:
        yield entry
        read += 1
        if read % 1000 == 0:
            progress(read)
    progress(read)
