"""Every kind of finding the audit log's verification gives (:mod:`credstack.core.audit`):
what ``test_words`` words in Japanese and English and compares with the words
credstack gave before its core said codes (``finding_words.json``, recorded from that code).

The findings are made by the functions that make them, with the parameters a walk over a
tampered log would give; ``tests/core/audit/test_chain`` shows the walk gives them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator

from credstack.core.audit import (
    EMPTY_HEAD,
    AuditHead,
    AuditReport,
    Finding,
    new_entry,
    verify_chain,
)
from credstack.core.audit import chain as _chain
from credstack.core.audit.checkpoints import (
    Checkpoint,
    ReadCheckpoints,
    checkpoint_key,
    compare,
    read_checkpoints,
    sign_checkpoint,
)
from credstack.services.audit.service import _wiped
from tests.core.audit.test_chain import T0, by_seq, chain, renumbered, verify

_AT = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)


def _compared(last_seq: int, watched: dict[int, str], *checkpoints: Checkpoint
              ) -> tuple[Finding, ...]:
    report = AuditReport(last_seq, last_seq, "0" * 64, None, (), watched)
    return compare(report, ReadCheckpoints(checkpoints, ())).findings


def _swapped_seq() -> tuple[Finding, ...]:
    entries, head = chain(10)
    entries[2], entries[6] = renumbered(entries[2], 7), renumbered(entries[6], 3)
    return verify(by_seq(entries), head).findings


def _swapped_neighbours() -> tuple[Finding, ...]:
    entries, head = chain(10)
    entries[4], entries[5] = renumbered(entries[5], 5), renumbered(entries[4], 6)
    return verify(entries, head).findings


def _swapped_contents() -> tuple[Finding, ...]:
    entries, head = chain(10)
    payload = ("at", "actor", "action", "subject", "details")
    first, second = entries[1], entries[8]
    entries[1] = dataclasses.replace(first, **{name: getattr(second, name) for name in payload})
    entries[8] = dataclasses.replace(second, **{name: getattr(first, name) for name in payload})
    return verify(entries, head).findings


def _inserted_and_renumbered() -> tuple[Finding, ...]:
    entries, head = chain(8)
    forged = new_entry(AuditHead(3, entries[2].hash, None), at=T0, actor="user:1",
                       action="decision.made", subject="x", details={})
    return verify([*entries[:3], forged, *(renumbered(e, e.seq + 1) for e in entries[3:])],
                  head).findings


def _appended() -> tuple[Finding, ...]:
    entries, head = chain(5)
    forged = new_entry(head, at=T0, actor="user:1", action="decision.made",
                       subject="application:app_1", details={"outcome": "recognised"})
    return verify([*entries, forged], head).findings


def _edited_head() -> tuple[Finding, ...]:
    entries, head = chain(5)
    return verify(entries[:4], dataclasses.replace(head, seq=4, hash=entries[3].hash)).findings


def _rewritten_to_the_head() -> tuple[Finding, ...]:
    entries, head = chain(6)
    rewritten, previous = entries[:2], AuditHead(2, entries[1].hash, None)
    for entry in entries[2:]:
        new = new_entry(previous, at=entry.at, actor=entry.actor, action=entry.action,
                        subject=entry.subject, details={"rewritten": True})
        rewritten.append(new)
        previous = AuditHead(new.seq, new.hash, None)
    return verify(rewritten, head).findings


def _edited_and_removed() -> tuple[Finding, ...]:
    entries, head = chain(10)
    entries[5] = dataclasses.replace(entries[5], details={})
    del entries[2]
    return verify(entries, head).findings


def _checkpoint_lines() -> tuple[Finding, ...]:
    """A line signed with another key, one no JWS, one signed but no checkpoint's."""
    key, other = checkpoint_key(bytes(32)), checkpoint_key(bytes(range(32)))
    lines = [sign_checkpoint(other, Checkpoint(3, "a" * 64, _AT)), "", "a.b.c",
             sign_checkpoint(key, Checkpoint(-1, "a" * 64, _AT))]
    return read_checkpoints(lines, key.public_key, where="checkpoints.jsonl").findings


def samples() -> Iterator[tuple[str, Callable[[], tuple[Finding, ...]]]]:
    """``(name, the findings)`` for every kind and wording of finding."""
    yield "edited", lambda: (_chain._edited(7),)
    yield "rewritten", lambda: (_chain._rewritten(7, 8),)
    yield "unanchored", lambda: (_chain._unanchored(3),)
    yield "removed-one", lambda: (_chain._removed(4, 4),)
    yield "removed-many", lambda: (_chain._removed(4, 1200),)
    yield "inserted", lambda: (_chain._inserted(9),)
    yield "out-of-order", lambda: (_chain._out_of_order(5, 6),)
    yield "duplicate", lambda: (_chain._duplicate(5),)
    yield "checkpoint-truncated", lambda: _compared(
        10, {}, Checkpoint(14, "a" * 64, _AT))
    yield "checkpoint-rewritten", lambda: _compared(
        20, {12: "b" * 64}, Checkpoint(12, "c" * 64, _AT))
    yield "swapped-seq", _swapped_seq
    yield "swapped-neighbours", _swapped_neighbours
    yield "swapped-contents", _swapped_contents
    yield "inserted-and-renumbered", _inserted_and_renumbered
    yield "appended", _appended
    yield "edited-head", _edited_head
    yield "wrong-key", lambda: verify_chain(chain(3)[0], chain(3)[1], head_key=bytes(32)).findings
    yield "head-missing", lambda: verify(chain(3)[0], None).findings
    yield "head-reset", lambda: verify(chain(3)[0], EMPTY_HEAD).findings
    yield "rewritten-to-the-head", _rewritten_to_the_head
    yield "truncated", lambda: verify(chain(10)[0][:7], chain(10)[1]).findings
    yield "edited-and-removed", _edited_and_removed
    yield "checkpoint-lines", _checkpoint_lines
    yield "emptied", lambda: _wiped(
        AuditReport(0, 0, "0" * 64, None, ()),
        {"credentials": 1234, "organisations": 1, "keys": 0, "accounts": 3, "programmes": 1,
         "recognitions": 2}).findings
