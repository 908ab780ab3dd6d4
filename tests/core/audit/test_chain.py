"""The audit log's hash chain: every edit, removal, move, insertion and truncation is found."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

import credstack.core.audit as audit
from credstack.core.audit import (
    EMPTY_HEAD,
    GENESIS,
    AuditEntry,
    AuditHead,
    FindingKind,
    entry_hash,
    new_entry,
    sign_head,
    verify_chain,
)
from credstack.errors import InputError
from credstack.words import words

KEY = bytes(range(32))
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def chain(length: int) -> tuple[list[AuditEntry], AuditHead]:
    head, entries = EMPTY_HEAD, []
    for number in range(length):
        entry = new_entry(head, at=T0 + dt.timedelta(seconds=number), actor=f"user:{number % 3}",
                          action="application.submitted", subject=f"application:app_{number}",
                          details={"n": number, "note": "提出"})
        entries.append(entry)
        head = sign_head(KEY, entry)
    return entries, head


def verify(entries: list[AuditEntry], head: AuditHead | None) -> audit.AuditReport:
    return verify_chain(iter(entries), head, head_key=KEY)


def only(report: audit.AuditReport) -> tuple[FindingKind, int]:
    assert len(report.findings) == 1, report.findings
    finding = report.findings[0]
    return finding.kind, finding.seq


def renumbered(entry: AuditEntry, seq: int) -> AuditEntry:
    return dataclasses.replace(entry, seq=seq)


def rehashed(entry: AuditEntry, **changes: object) -> AuditEntry:
    changed = dataclasses.replace(entry, **changes)
    return dataclasses.replace(changed, hash=entry_hash(changed))


def by_seq(entries: list[AuditEntry]) -> list[AuditEntry]:
    """How the store reads them: ordered by seq."""
    return sorted(entries, key=lambda entry: entry.seq)


def test_public_surface() -> None:
    """The package exports exactly its curated names."""
    assert sorted(audit.__all__) == sorted([
        "EMPTY_HEAD", "GENESIS", "HEAD_KEY_LABEL", "AuditEntry", "AuditHead", "AuditReport",
        "Finding", "FindingKind", "entry_hash", "format_time", "head_mac", "new_entry",
        "sign_head", "verify_chain"])


def test_hash_is_sha256_of_the_jcs_of_every_other_field() -> None:
    """The hash is SHA-256 over RFC 8785 of seq, at, actor, action, subject, details, prev_hash."""
    entry = chain(1)[0][0]
    fields = {"seq": 1, "at": "2026-11-22T09:00:00.000000Z", "actor": "user:0",
              "action": "application.submitted", "subject": "application:app_0",
              "details": {"n": 0, "note": "提出"}, "prev_hash": GENESIS}
    assert entry.hash == hashlib.sha256(rfc8785.dumps(fields)).hexdigest()
    assert entry.prev_hash == GENESIS == "0" * 64


def test_time_zone_does_not_change_the_hash() -> None:
    """The same instant in another zone hashes the same (stamps are hashed in UTC)."""
    entry = chain(1)[0][0]
    tokyo = entry.at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert entry_hash(dataclasses.replace(entry, at=tokyo)) == entry.hash


def test_naive_timestamp_cannot_be_decided() -> None:
    """A stamp without a zone is not guessed at: verification raises."""
    entries, head = chain(2)
    entries[1] = dataclasses.replace(entries[1], at=entries[1].at.replace(tzinfo=None))
    with pytest.raises(InputError):
        verify(entries, head)


def test_intact_chain() -> None:
    """An untouched chain and its head verify, with the count and the last hash."""
    entries, head = chain(20)
    report = verify(entries, head)
    assert report.ok and report.entries == 20
    assert (report.last_seq, report.last_hash) == (20, entries[-1].hash) == (head.seq, head.hash)


def test_empty_log() -> None:
    """A log with nothing appended and the initial head is intact."""
    report = verify([], EMPTY_HEAD)
    assert report.ok and report.entries == 0 and report.last_hash == GENESIS


@pytest.mark.parametrize("field,value", [
    ("details", {"n": 5, "note": "却下"}), ("at", T0), ("actor", "user:999"),
    ("action", "decision.made"), ("subject", "application:other"), ("prev_hash", "1" * 64),
    ("hash", "2" * 64),
])
def test_edited_field(field: str, value: object) -> None:
    """Changing any one field of an entry is found as an edit of that entry."""
    entries, head = chain(10)
    entries[5] = dataclasses.replace(entries[5], **{field: value})
    report = verify(entries, head)
    assert FindingKind.EDITED in report.kinds()
    assert report.findings[0].seq == 6


def test_edited_and_rehashed() -> None:
    """An entry edited with its hash recomputed breaks the next link: an edit of that entry."""
    entries, head = chain(10)
    entries[3] = rehashed(entries[3], details={"n": 3, "note": "改ざん"})
    assert only(verify(entries, head)) == (FindingKind.EDITED, 4)


def test_removed_from_the_middle() -> None:
    """A missing entry in the middle is named."""
    entries, head = chain(10)
    del entries[4]
    assert only(verify(entries, head)) == (FindingKind.REMOVED, 5)


def test_removed_last_entries() -> None:
    """Removing the last entries leaves a valid chain; the head says it was truncated."""
    entries, head = chain(10)
    assert only(verify(entries[:7], head)) == (FindingKind.TRUNCATED, 8)


def test_removed_everything() -> None:
    """Removing every entry is truncation from seq 1."""
    _, head = chain(4)
    assert only(verify([], head)) == (FindingKind.TRUNCATED, 1)


def test_swapped_seq_values() -> None:
    """Two entries whose seq values were exchanged are both reported as reordered."""
    entries, head = chain(10)
    entries[2], entries[6] = renumbered(entries[2], 7), renumbered(entries[6], 3)
    report = verify(by_seq(entries), head)
    assert [(f.kind, f.seq) for f in report.findings] == [
        (FindingKind.REORDERED, 3), (FindingKind.REORDERED, 7)]
    assert "written as entry 7" in words(report.findings[0].said, "en")


def test_swapped_adjacent_entries() -> None:
    """Neighbours exchanged are reordered too."""
    entries, head = chain(10)
    entries[4], entries[5] = renumbered(entries[5], 5), renumbered(entries[4], 6)
    report = verify(entries, head)
    assert [(f.kind, f.seq) for f in report.findings] == [
        (FindingKind.REORDERED, 5), (FindingKind.REORDERED, 6)]


def test_swapped_contents() -> None:
    """Payloads exchanged between two places (seq, links and hashes left) are reordered."""
    entries, head = chain(10)
    payload = ("at", "actor", "action", "subject", "details")
    first, second = entries[1], entries[8]
    entries[1] = dataclasses.replace(first, **{name: getattr(second, name) for name in payload})
    entries[8] = dataclasses.replace(second, **{name: getattr(first, name) for name in payload})
    report = verify(entries, head)
    assert [(f.kind, f.seq) for f in report.findings] == [
        (FindingKind.REORDERED, 2), (FindingKind.REORDERED, 9)]
    assert "contents were swapped" in words(report.findings[0].said, "en")


def test_list_out_of_order() -> None:
    """Entries handed over out of seq order are reported."""
    entries, head = chain(6)
    entries[2], entries[3] = entries[3], entries[2]
    assert FindingKind.REORDERED in verify(entries, head).kinds()


def test_forged_entry_appended() -> None:
    """A well-formed entry added after the head is inserted (the head does not cover it)."""
    entries, head = chain(5)
    forged = new_entry(head, at=T0, actor="user:1", action="decision.made",
                       subject="application:app_1", details={"outcome": "recognised"})
    assert only(verify([*entries, forged], head)) == (FindingKind.INSERTED, 6)


def test_forged_entry_inserted_with_renumbering() -> None:
    """An entry slipped into the middle, later entries renumbered, is named as inserted."""
    entries, head = chain(8)
    forged = new_entry(AuditHead(3, entries[2].hash, None), at=T0, actor="user:1",
                       action="decision.made", subject="x", details={})
    tampered = [*entries[:3], forged, *(renumbered(e, e.seq + 1) for e in entries[3:])]
    report = verify(tampered, head)
    assert (FindingKind.INSERTED, 4) in [(f.kind, f.seq) for f in report.findings]
    assert [f.kind for f in report.findings if f.kind is not FindingKind.HEAD_MISMATCH
            and f.seq in range(5, 10)] == [FindingKind.REORDERED] * 5 + [FindingKind.INSERTED]


def test_duplicate_seq() -> None:
    """Two entries with one seq: one was inserted."""
    entries, head = chain(5)
    twin = rehashed(entries[2], actor="user:evil")
    report = verify([*entries[:3], twin, *entries[3:]], head)
    assert (FindingKind.INSERTED, 3) in [(f.kind, f.seq) for f in report.findings]


def test_edited_head() -> None:
    """A head changed without the key does not verify."""
    entries, head = chain(5)
    forged = dataclasses.replace(head, seq=4, hash=entries[3].hash)
    assert only(verify(entries[:4], forged)) == (FindingKind.HEAD_MISMATCH, 4)


def test_wrong_key_is_a_head_mismatch_naming_the_key() -> None:
    """Verifying with another key reports the head, and says the key may be the cause."""
    entries, head = chain(3)
    report = verify_chain(entries, head, head_key=bytes(32))
    assert only(report) == (FindingKind.HEAD_MISMATCH, 3)
    assert "CREDSTACK_SECRET_KEY" in words(report.findings[0].said, "en")
    assert "秘密鍵" in words(report.findings[0].said, "ja")


def test_head_missing_or_reset() -> None:
    """No head, or the initial unauthenticated head over a non-empty log, is a mismatch."""
    entries, _ = chain(3)
    assert only(verify(entries, None)) == (FindingKind.HEAD_MISMATCH, 0)
    assert only(verify(entries, EMPTY_HEAD)) == (FindingKind.HEAD_MISMATCH, 0)


def test_chain_rewritten_with_recomputed_hashes() -> None:
    """Rewriting every entry from one on, hashes recomputed, disagrees with the head."""
    entries, head = chain(6)
    rewritten, previous = entries[:2], AuditHead(2, entries[1].hash, None)
    for entry in entries[2:]:
        new = new_entry(previous, at=entry.at, actor=entry.actor, action=entry.action,
                        subject=entry.subject, details={"rewritten": True})
        rewritten.append(new)
        previous = AuditHead(new.seq, new.hash, None)
    assert only(verify(rewritten, head)) == (FindingKind.HEAD_MISMATCH, 6)


def test_messages_are_bilingual_and_name_the_seq() -> None:
    """Each finding has an English and a Japanese message naming its entry."""
    entries, head = chain(10)
    entries[5] = dataclasses.replace(entries[5], details={})
    del entries[2]
    for finding in verify(entries, head).findings:
        english, japanese = words(finding.said, "en"), words(finding.said, "ja")
        assert str(finding.seq) in english and str(finding.seq) in japanese
        assert any("\u3040" <= c <= "\u30ff" for c in japanese)


def test_streams_a_generator_once() -> None:
    """Entries are consumed one at a time from any iterable (a generator here)."""
    entries, head = chain(50)
    report = verify_chain((entry for entry in entries), head, head_key=KEY)
    assert report.ok and report.entries == 50


def test_uncanonicalizable_details_are_an_edit() -> None:
    """Details no JCS accepts (never written by credstack) are an edit, not a crash."""
    entries, head = chain(3)
    entries[1] = dataclasses.replace(entries[1], details={"big": 2 ** 70})
    assert only(verify(entries, head)) == (FindingKind.EDITED, 2)


def test_details_canonical_form_is_order_independent() -> None:
    """Key order of details does not matter (JCS sorts)."""
    entry = chain(1)[0][0]
    reordered = dataclasses.replace(entry, details=json.loads('{"note": "提出", "n": 0}'))
    assert entry_hash(reordered) == entry.hash


# --- any single change of any chain ----------------------------------------------------------

MUTATIONS = ["edit", "edit-rehash", "remove", "truncate", "swap-seq", "swap-contents",
             "insert", "head"]


@settings(max_examples=300, deadline=None)
@given(length=st.integers(min_value=2, max_value=40), data=st.data(),
       mutation=st.sampled_from(MUTATIONS))
def test_any_single_change_is_detected(length: int, data: st.DataObject, mutation: str) -> None:
    """Any one edit, removal, swap, insertion, truncation or head edit of a random chain is
    found, with the expected kind."""
    entries, head = chain(length)
    index = data.draw(st.integers(min_value=0, max_value=length - 1), label="index")
    other = data.draw(st.integers(min_value=0, max_value=length - 1).filter(
        lambda i: i != index), label="other")
    expected: set[FindingKind]
    if mutation == "edit":
        value = data.draw(st.dictionaries(st.text(max_size=5), st.integers() | st.text(),
                                          max_size=3).filter(lambda d: d != entries[index].details))
        entries[index] = dataclasses.replace(entries[index], details=value)
        expected = {FindingKind.EDITED}
    elif mutation == "edit-rehash":
        entries[index] = rehashed(entries[index], actor="user:intruder")
        expected = {FindingKind.EDITED} if index < length - 1 else {FindingKind.HEAD_MISMATCH}
    elif mutation == "remove":
        del entries[index]
        expected = ({FindingKind.TRUNCATED} if index == length - 1
                    else {FindingKind.REMOVED})
    elif mutation == "truncate":
        entries = entries[:index]
        expected = {FindingKind.TRUNCATED}
    elif mutation == "swap-seq":
        a, b = entries[index], entries[other]
        entries[index], entries[other] = renumbered(a, b.seq), renumbered(b, a.seq)
        entries = by_seq(entries)
        expected = {FindingKind.REORDERED}
    elif mutation == "swap-contents":
        payload = ("at", "actor", "action", "subject", "details")
        a, b = entries[index], entries[other]
        entries[index] = dataclasses.replace(a, **{name: getattr(b, name) for name in payload})
        entries[other] = dataclasses.replace(b, **{name: getattr(a, name) for name in payload})
        expected = {FindingKind.REORDERED}
    elif mutation == "insert":
        before = entries[index - 1] if index else None
        forged = new_entry(AuditHead(index, before.hash if before else GENESIS, None), at=T0,
                           actor="user:intruder", action="decision.made", subject="x",
                           details={})
        entries = [*entries[:index], forged,
                   *(renumbered(e, e.seq + 1) for e in entries[index:])]
        expected = {FindingKind.INSERTED, FindingKind.REORDERED, FindingKind.HEAD_MISMATCH,
                    FindingKind.EDITED}
    else:
        head = dataclasses.replace(head, seq=index + 1, hash=entries[index].hash
                                   if index < length - 1 else "f" * 64)
        expected = {FindingKind.HEAD_MISMATCH}
    report = verify(entries, head)
    assert not report.ok
    if mutation == "insert":
        assert FindingKind.INSERTED in report.kinds()
    assert report.kinds() <= expected, report.findings
