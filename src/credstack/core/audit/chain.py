"""The audit log's hash chain: entries, their hashes, the authenticated head, verification.

Every entry commits to the one before it: its ``hash`` is SHA-256 over the RFC 8785 (JCS)
canonical JSON of all its other fields — ``seq``, ``at``, ``actor``, ``action``,
``subject``, ``details`` and ``prev_hash``, the previous entry's ``hash`` (for the first
entry, :data:`GENESIS`), and ``request_id`` when the entry has one (the request or job that
wrote it; entries written before migration ``0030_request_ids`` have none, and hash as they
always did). Changing any field of any entry, removing one from the middle,
inserting one or moving one therefore breaks the chain at that place, and
:func:`verify_chain` says where and how.

What the chain alone cannot show is the *end*: removing the last entries leaves a shorter
chain that is perfectly intact, and so does rewriting the whole chain from some entry on with
freshly computed hashes (the algorithm is public). The log therefore keeps a *head* — the
last entry's ``seq`` and ``hash`` — authenticated with HMAC-SHA-256 under a key derived from
the key store's master key (``CREDSTACK_SECRET_KEY``), rewritten with every append.

What the head protects against: someone who can change the database (a database
administrator, a leaked database password, a restored or edited dump) but does not hold the
master key. Such a person can edit, delete, insert or reorder entries, and can rewrite the
chain with valid hashes, but cannot make a head that matches the result: removing the last
entries (*truncated*), appending forged ones (*inserted*), rewriting the chain (the head's
hash no longer matches), or editing the head itself (*head-mismatch*) are all found.

What it does not protect against:

* anyone holding the master key (or running credstack with it): they can write any head;
* putting back an *older* head together with the entries it covered — the state of the log
  at an earlier moment, i.e. removing everything appended since (a replay). Only a copy of
  the head kept outside the database finds that: ``credstack audit verify`` prints the head's
  seq and hash so it can be noted elsewhere (a ticket, a printout, a second system);
* wiping the whole log and resetting the head to its initial, unauthenticated state (seq 0,
  no code): that looks like a store in which nothing has happened yet;
* the truth of what was recorded: the log proves that entries were not changed after they
  were written, not that they were right when written.

:func:`verify_chain` reads the entries once, in order, keeping only a few hashes and the
entries that fail (up to a bound), so that it verifies logs of any length in constant memory.
It returns a report of findings (a verdict); it raises only when it cannot decide at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Final

from credstack.core.crypto.jcs import canonicalize
from credstack.core.said import Said
from credstack.errors import InputError, MalformedCredentialError

__all__ = [
    "EMPTY_HEAD",
    "GENESIS",
    "HEAD_KEY_LABEL",
    "AuditEntry",
    "AuditHead",
    "AuditReport",
    "Finding",
    "FindingKind",
    "entry_hash",
    "format_time",
    "head_mac",
    "new_entry",
    "sign_head",
    "verify_chain",
]

#: The ``prev_hash`` of the first entry, and the hash of the empty log.
GENESIS: Final = "0" * 64
#: The HKDF label of the key that authenticates the head (see ``MasterKey.derive``).
HEAD_KEY_LABEL: Final = b"credstack audit log: head v1"
#: How many failing entries are kept to tell an edit from a move; beyond it, edits are edits.
_TRACKED: Final = 1024
#: How many of those are paired with each other to find swaps (the pairing is quadratic).
_PAIRED: Final = 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry of the log, as written (``hash`` included)."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    subject: str
    details: Mapping[str, Any]
    prev_hash: str
    hash: str
    #: The id of the request (or job) that wrote the entry, if one did.
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The log's last ``seq`` and ``hash``, with the code that authenticates them (or none
    while nothing has been appended)."""

    seq: int
    hash: str
    mac: str | None


#: The head of a log to which nothing has been appended yet.
EMPTY_HEAD: Final = AuditHead(0, GENESIS, None)


class FindingKind(StrEnum):
    EDITED = "edited"
    REMOVED = "removed"
    REORDERED = "reordered"
    INSERTED = "inserted"
    TRUNCATED = "truncated"
    HEAD_MISMATCH = "head-mismatch"
    #: A checkpoint (see :mod:`credstack.core.audit.checkpoints`) that does not verify.
    CHECKPOINT = "checkpoint"
    #: No entry and no head, beside a store whose records each wrote one (credentials
    #: issued): the log was wiped, not never written.
    EMPTIED = "emptied"


@dataclass(frozen=True, slots=True)
class Finding:
    """One place where the log is not what was written; ``seq`` is where it was found."""

    kind: FindingKind
    seq: int
    #: What was found and what to do (``audit.finding.…``), worded by whoever shows it.
    said: Said


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The verdict on a log: how many entries were read, its end, and every finding."""

    entries: int
    last_seq: int
    last_hash: str
    head: AuditHead | None
    findings: tuple[Finding, ...]
    #: The hashes of intact entries at the seqs the verification was asked to watch.
    watched: Mapping[int, str] = field(default_factory=dict)
    #: How many checkpoints the log was compared with.
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        """Whether the log is intact: no finding at all."""
        return not self.findings

    def kinds(self) -> set[FindingKind]:
        return {finding.kind for finding in self.findings}


# --- writing ---------------------------------------------------------------------------------

def format_time(at: dt.datetime) -> str:
    """The hashed form of a timestamp: UTC, microseconds, ``Z`` (an aware datetime only)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InputError(f"An audit timestamp needs a time zone; {at.isoformat()} has none.")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _content(entry: AuditEntry) -> dict[str, Any]:
    content = {"seq": entry.seq, "at": format_time(entry.at), "actor": entry.actor,
               "action": entry.action, "subject": entry.subject, "details": entry.details,
               "prev_hash": entry.prev_hash}
    if entry.request_id is not None:
        content["request_id"] = entry.request_id
    return content


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 (hex) of the JCS form of every field of ``entry`` but ``hash``.

    Raises :class:`~credstack.errors.InputError` when ``details`` is not JSON data that
    RFC 8785 can canonicalize (NaN, integers beyond 2^53, lone surrogates…).
    """
    return hashlib.sha256(canonicalize(_content(entry))).hexdigest()


def new_entry(head: AuditHead, *, at: dt.datetime, actor: str, action: str, subject: str,
              details: Mapping[str, Any], request_id: str | None = None) -> AuditEntry:
    """The entry that follows ``head``, with its hash."""
    draft = AuditEntry(head.seq + 1, at, actor, action, subject, details, head.hash, "",
                       request_id)
    return replace(draft, hash=entry_hash(draft))


def head_mac(key: bytes, seq: int, hash: str) -> str:
    """HMAC-SHA-256 (hex) of a head's ``seq`` and ``hash`` under ``key``."""
    if len(key) < 32:
        raise InputError("The audit head key must have at least 32 bytes.")
    message = canonicalize({"audit-head": 1, "seq": seq, "hash": hash})
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign_head(key: bytes, entry: AuditEntry) -> AuditHead:
    """The head after ``entry`` was appended."""
    return AuditHead(entry.seq, entry.hash, head_mac(key, entry.seq, entry.hash))


# --- verifying -------------------------------------------------------------------------------

def _hash_matches(entry: AuditEntry, **changes: Any) -> bool:
    try:
        return entry_hash(replace(entry, **changes)) == (changes.get("hash") or entry.hash)
    except MalformedCredentialError:
        # Details no canonicalizer accepts were never written by credstack.
        return False


def _finding(kind: FindingKind, at: int, key: str, /, **params: object) -> Finding:
    return Finding(kind, at, Said(f"audit.finding.{key}", **params))


def _edited(seq: int) -> Finding:
    return _finding(FindingKind.EDITED, seq, "edited", seq=seq)


def _rewritten(seq: int, following: int) -> Finding:
    return _finding(FindingKind.EDITED, seq, "rewritten", seq=seq, following=following)


def _unanchored(seq: int) -> Finding:
    return _finding(FindingKind.EDITED, seq, "unanchored", seq=seq)


def _removed(first: int, last: int) -> Finding:
    if first == last:
        return _finding(FindingKind.REMOVED, first, "removed_one", seq=first)
    return _finding(FindingKind.REMOVED, first, "removed_many", first=first, last=last)


def _inserted(seq: int) -> Finding:
    return _finding(FindingKind.INSERTED, seq, "inserted", seq=seq)


def _moved(seq: int, written: int, reason: Said) -> Finding:
    return _finding(FindingKind.REORDERED, seq, "moved", seq=seq, written=written, reason=reason)


def _out_of_order(seq: int, after: int) -> Finding:
    return _finding(FindingKind.REORDERED, seq, "out_of_order", seq=seq, after=after)


def _duplicate(seq: int) -> Finding:
    return _finding(FindingKind.INSERTED, seq, "duplicate", seq=seq)


class _Walk:
    """The state of one pass over the entries (a few hashes and the failing entries)."""

    def __init__(self, head: AuditHead | None, watch: AbstractSet[int]) -> None:
        self.head = head
        self.watch = watch
        self.watched: dict[int, str] = {}
        self.findings: list[Finding] = []
        self.count = 0
        self.previous: AuditEntry | None = None
        self.previous_ok = True
        self.before_previous_hash: str | None = None
        self.highest = 0
        #: Entries whose contents failed, kept (up to ``_TRACKED``) to tell moves from edits.
        self.failed: list[AuditEntry] = []
        self.failed_beyond = 0
        #: ``prev_hash`` → seq of the intact entry whose link to its predecessor broke.
        self.broken_links: dict[str, int] = {}
        self.hash_at_head: str | None = None

    def step(self, entry: AuditEntry) -> None:
        self.count += 1
        previous = self.previous
        content_ok = _hash_matches(entry)
        expected_link = previous.hash if previous is not None else GENESIS
        gap = False
        if previous is not None and entry.seq <= previous.seq:
            self.findings.append(_duplicate(entry.seq) if entry.seq == previous.seq
                                 else _out_of_order(entry.seq, previous.seq))
        elif entry.seq > self.highest + 1:
            self.findings.append(_removed(self.highest + 1, entry.seq - 1))
            gap = True
        if entry.prev_hash != expected_link and not gap:
            self._broken_link(entry, content_ok)
        if not content_ok:
            if len(self.failed) < _TRACKED:
                self.failed.append(entry)
            else:
                self.failed_beyond += 1
                self.findings.append(_edited(entry.seq))
        if self.head is not None and entry.seq == self.head.seq and content_ok:
            # A failing entry at the head's seq is reported as such; only an intact one
            # that differs from the head shows a rewrite.
            self.hash_at_head = entry.hash
        if content_ok and entry.seq in self.watch:
            self.watched[entry.seq] = entry.hash
        self.before_previous_hash = previous.hash if previous is not None else GENESIS
        self.previous, self.previous_ok = entry, content_ok
        self.highest = max(self.highest, entry.seq)

    def _broken_link(self, entry: AuditEntry, content_ok: bool) -> None:
        previous = self.previous
        if previous is None:
            if content_ok:
                self.findings.append(_unanchored(entry.seq))
            return
        if (self.before_previous_hash is not None and self.previous_ok
                and entry.prev_hash == self.before_previous_hash):
            self.findings.append(_inserted(previous.seq))
            return
        if not content_ok:
            return
        self.broken_links.setdefault(entry.prev_hash, entry.seq)
        if self.previous_ok:
            self.findings.append(_rewritten(previous.seq, entry.seq))

    def finish(self, head_key: bytes) -> AuditReport:
        for entry in self.failed:
            self.findings.append(self._explain(entry))
        self._check_head(head_key)
        last = self.previous
        findings = sorted(self.findings, key=lambda finding: finding.seq)
        return AuditReport(self.count, last.seq if last else 0,
                           last.hash if last else GENESIS, self.head, tuple(findings),
                           self.watched)

    def _explain(self, entry: AuditEntry) -> Finding:
        """Why ``entry``'s hash fails: moved (renumbered, swapped) or edited."""
        follower = self.broken_links.get(entry.hash)
        if follower is not None and _hash_matches(entry, seq=follower - 1):
            return _moved(entry.seq, follower - 1, Said("audit.moved.moved"))
        for written in (entry.seq - 1, entry.seq + 1):
            if _hash_matches(entry, seq=written):
                return _moved(entry.seq, written, Said("audit.moved.renumbered"))
        for other in self.failed[:_PAIRED]:
            if other is entry:
                continue
            if _hash_matches(entry, seq=other.seq):
                return _moved(entry.seq, other.seq,
                              Said("audit.moved.number_swapped", other=other.seq))
            if _hash_matches(entry, seq=other.seq, prev_hash=other.prev_hash, hash=other.hash):
                return _moved(entry.seq, other.seq,
                              Said("audit.moved.contents_swapped", other=other.seq))
        return _edited(entry.seq)

    def _check_head(self, head_key: bytes) -> None:
        head = self.head
        last_seq = self.previous.seq if self.previous is not None else 0
        if head is None:
            if self.count:
                self.findings.append(_finding(FindingKind.HEAD_MISMATCH, 0, "head_missing"))
            return
        if head.mac is None:
            if head != EMPTY_HEAD or self.count:
                self.findings.append(_finding(FindingKind.HEAD_MISMATCH, head.seq,
                                              "head_unauthenticated", seq=head.seq))
            return
        if not hmac.compare_digest(head.mac, head_mac(head_key, head.seq, head.hash)):
            self.findings.append(_finding(FindingKind.HEAD_MISMATCH, head.seq, "head_edited",
                                          seq=head.seq))
            return
        if last_seq < head.seq:
            self.findings.append(_finding(FindingKind.TRUNCATED, last_seq + 1, "truncated",
                                          last=last_seq, first=last_seq + 1, head=head.seq))
        elif last_seq > head.seq:
            self.findings.append(_finding(FindingKind.INSERTED, head.seq + 1, "appended",
                                          first=head.seq + 1, last=last_seq, head=head.seq))
        if self.hash_at_head is not None and self.hash_at_head != head.hash:
            self.findings.append(_finding(FindingKind.HEAD_MISMATCH, head.seq, "head_rewritten",
                                          seq=head.seq))


def verify_chain(entries: Iterable[AuditEntry], head: AuditHead | None, *,
                 head_key: bytes, watch: AbstractSet[int] = frozenset()) -> AuditReport:
    """Check every entry's hash and link, and the end of the log against its head.

    ``entries`` are read once, in ascending ``seq`` as stored (they may be a generator over
    millions of rows); ``head`` is the stored head (``None`` when there is none) and
    ``head_key`` the key its code was made with (``MasterKey.derive(HEAD_KEY_LABEL)``). Each
    finding names its kind, the seq where it was found and what to do; the report keeps the
    hashes of the intact entries at the seqs in ``watch`` (a checkpoint's, to compare with
    it). Raises :class:`~credstack.errors.InputError` only when an entry cannot be read at all
    (a timestamp without a time zone).
    """
    walk = _Walk(head, watch)
    for entry in entries:
        walk.step(entry)
    return walk.finish(head_key)
