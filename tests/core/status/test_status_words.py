"""A status entry, a status list or a change of status that is refused says what it always
said in English, word for word, and a status list's refusal is said in every language
/verify speaks.

``status_words.json`` holds what :mod:`credstack.core.status` raised before its words moved
into the catalogues (issue 53): for each refusal a test can provoke (an entry, a list, a list
credential, a GZIP stream, an allocation, a change of status), the error's class, its message,
its problems (where, and what) and the whole text a verification report put after "the status
entry is malformed:" (the error as ``str`` gave it, the message and its problems), with that
sentence in English and Japanese. The errors are now message keys with their values
(``status.error.*`` naming the specification's error, ``status.problem.*``;
``issuing.status.refused.*`` for a change, staff words); worded from the catalogues they read
the same in English. The Japanese report used to carry the English text; it now says it in
Japanese.
"""

from __future__ import annotations

import base64
import gzip
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from credstack.core.said import Said
from credstack.core.status import (
    StatusEntry,
    StatusList,
    StatusListCredential,
    StatusMessage,
    allocate_in_bitmap,
    check_status,
    entry_for,
    next_free_indexes,
    status_entries,
    status_list_2021,
    status_list_credential,
)
from credstack.core.status.bitstring_status_list_v1 import MAX_GZIP_MEMBERS, expand
from credstack.core.status.bitstring_status_list_v1.bitstring import said_of_error
from credstack.core.status.changes import transition
from credstack.errors import CredstackError, StatusListError
from credstack.words import error_words, problem_words, words

RECORDED: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "status_words.json").read_text(encoding="utf-8"))

LIST_URL = "https://credstack.example/status/revocation/1"
ISSUER = "did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r"
NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
SHORT = StatusList.empty(size=1024, minimum_entries=8)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _entry(**changes: Any) -> dict[str, Any]:
    entry = entry_for(94567, list_url=LIST_URL, purpose="revocation")
    entry.update(changes)
    return {key: value for key, value in entry.items() if value is not None}


def _credential(status_list: StatusList | None = None, **changes: Any) -> dict[str, Any]:
    document = status_list_credential(status_list or StatusList.empty(), url=LIST_URL,
                                      issuer=ISSUER, valid_from=NOW)
    document.update(changes)
    return {key: value for key, value in document.items() if value is not None}


def _subject(**changes: Any) -> dict[str, Any]:
    document = _credential()
    subject = {**document["credentialSubject"], **changes}
    document["credentialSubject"] = {key: value for key, value in subject.items()
                                     if value is not None}
    return document


def _list_2021(**changes: Any) -> dict[str, Any]:
    subject = {"id": f"{LIST_URL}#list", "type": "StatusList2021", "statusPurpose": "revocation",
               "encodedList": StatusList.empty().encode()[1:]}
    subject.update(changes)
    return {"@context": ["https://www.w3.org/2018/credentials/v1", status_list_2021.CONTEXT],
            "id": LIST_URL, "type": ["VerifiableCredential", "StatusList2021Credential"],
            "issuer": ISSUER, "issuanceDate": "2025-01-01T00:00:00Z",
            "credentialSubject": {key: value for key, value in subject.items()
                                  if value is not None}}


def _entry_2021(**changes: Any) -> dict[str, Any]:
    value = {"id": f"{LIST_URL}#94567", "type": "StatusList2021Entry",
             "statusPurpose": "revocation", "statusListIndex": "94567",
             "statusListCredential": LIST_URL}
    value.update(changes)
    return value


_MESSAGES_2 = tuple(StatusMessage(status, f"s{status}") for status in range(4))
_ONE_MEMBER = gzip.compress(b"\x00" * 16, mtime=0)

#: The languages /verify speaks.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")

#: Every refusal a test can provoke, by name: what raises it.
CASES: dict[str, Callable[[], object]] = {
    # The list (bitstring.py).
    "size-not-integer": lambda: StatusList.empty(status_size="2"),  # type: ignore[arg-type]
    "size-zero": lambda: StatusList.empty(status_size=0),
    "size-too-wide": lambda: StatusList.empty(status_size=9),
    "index-not-integer": lambda: StatusList.empty().get("1"),  # type: ignore[arg-type]
    "index-outside": lambda: StatusList.empty().get(131_072),
    "index-negative": lambda: StatusList.empty().builder().set(-1),
    "value-too-large": lambda: StatusList.empty().builder().set(0, 2),
    "value-of-many-too-large": lambda: StatusList.empty(status_size=2).builder().set_many(
        [1], 4),
    "many-outside": lambda: StatusList.empty().with_statuses([1, 131_072]),
    "no-bytes": lambda: StatusList(b""),
    "no-purpose": lambda: StatusList(b"\x00", purpose=""),
    "empty-size-not-bytes": lambda: StatusList.empty(size=131_073),
    "empty-too-short": lambda: StatusList.empty(size=1024),
    "encoded-not-text": lambda: expand(123),
    "encoded-empty": lambda: expand(""),
    "encoded-prefix": lambda: expand("zH4sI"),
    "encoded-only-prefix": lambda: expand("u"),
    "encoded-too-long": lambda: expand("u" + "A" * 6000, max_bytes=10),
    "encoded-padding": lambda: expand("uH4sIAA=="),
    "encoded-bad-character": lambda: expand("uH4s*AA"),
    "encoded-truncated-character": lambda: expand("uH4sIA"),
    "not-gzip": lambda: expand("u" + _b64(b"hello world")),
    "after-gzip": lambda: expand("u" + _b64(_ONE_MEMBER + b"xx")),
    "gzip-members": lambda: expand("u" + _b64(_ONE_MEMBER * (MAX_GZIP_MEMBERS + 1))),
    "gzip-truncated": lambda: expand("u" + _b64(_ONE_MEMBER[:-9])),
    "gzip-corrupt": lambda: expand("u" + _b64(_ONE_MEMBER[:10] + b"\xff" * 20)),
    "gzip-bomb": lambda: expand("u" + _b64(gzip.compress(b"\x00" * 4096, mtime=0)),
                                max_bytes=1024),
    "gzip-empty": lambda: expand("u" + _b64(gzip.compress(b"", mtime=0))),
    "decode-short": lambda: StatusList.decode(SHORT.encode()),
    # Entries (entries.py).
    "entry-purpose": lambda: StatusEntry(purpose="", index=1, list_credential=LIST_URL),
    "entry-index": lambda: StatusEntry(purpose="revocation", index=-1, list_credential=LIST_URL),
    "entry-list": lambda: StatusEntry(purpose="revocation", index=1, list_credential="nope"),
    "entry-size": lambda: StatusEntry(purpose="revocation", index=1, list_credential=LIST_URL,
                                      status_size=0),
    "entry-messages-needed": lambda: StatusEntry(purpose="message", index=1,
                                                 list_credential=LIST_URL, status_size=2),
    "entry-messages-count": lambda: StatusEntry(purpose="message", index=1,
                                                list_credential=LIST_URL, status_size=2,
                                                messages=_MESSAGES_2[:3]),
    "entry-messages-repeated": lambda: StatusEntry(
        purpose="message", index=1, list_credential=LIST_URL, status_size=2,
        messages=(*_MESSAGES_2[:3], _MESSAGES_2[0])),
    "entry-reference": lambda: StatusEntry(purpose="revocation", index=1,
                                           list_credential=LIST_URL, references=("nope",)),
    "entry-id": lambda: StatusEntry(purpose="revocation", index=1, list_credential=LIST_URL,
                                    id="nope"),
    "entry-id-is-list": lambda: StatusEntry(purpose="revocation", index=1,
                                            list_credential=LIST_URL, id=LIST_URL),
    "parse-not-object": lambda: StatusEntry.parse([]),
    "parse-type": lambda: StatusEntry.parse(_entry(type="StatusList2021Entry")),
    "parse-missing": lambda: StatusEntry.parse(_entry(statusListIndex=None)),
    "parse-purpose": lambda: StatusEntry.parse(_entry(statusPurpose=7)),
    "parse-size": lambda: StatusEntry.parse(_entry(statusSize=True)),
    "parse-id": lambda: StatusEntry.parse(_entry(id=7)),
    "parse-index-text": lambda: StatusEntry.parse(_entry(statusListIndex="007")),
    "parse-index-negative": lambda: StatusEntry.parse(_entry(statusListIndex=-3)),
    "parse-index-other": lambda: StatusEntry.parse(_entry(statusListIndex=1.5)),
    "parse-messages-not-array": lambda: StatusEntry.parse(_entry(statusMessage={})),
    "parse-message-not-object": lambda: StatusEntry.parse(_entry(statusMessage=["x"])),
    "parse-message-status": lambda: StatusEntry.parse(_entry(statusMessage=[
        {"status": "1", "message": "x"}])),
    "parse-message-text": lambda: StatusEntry.parse(_entry(statusMessage=[
        {"status": "0x1", "message": 1}])),
    "parse-references": lambda: StatusEntry.parse(_entry(statusReference=[])),
    "parse-elsewhere": lambda: StatusEntry.parse(_entry(statusListIndex="x"),
                                                 location="credentialStatus[1]"),
    "entries-of-credential": lambda: status_entries({"credentialStatus": [
        _entry(), _entry(statusListCredential="nope")]}),
    "entry-for-purpose": lambda: entry_for(1, list_url=LIST_URL,
                                           purpose="other"),  # type: ignore[arg-type]
    "entry-for-url": lambda: entry_for(1, list_url=LIST_URL + "#x", purpose="revocation"),
    # List credentials (credentials.py).
    "build-naive-time": lambda: status_list_credential(
        StatusList.empty(), url=LIST_URL, issuer=ISSUER, valid_from=datetime(2025, 1, 1)),
    "build-url": lambda: status_list_credential(StatusList.empty(), url="nope", issuer=ISSUER,
                                                valid_from=NOW),
    "build-issuer": lambda: status_list_credential(StatusList.empty(), url=LIST_URL,
                                                   issuer="nope", valid_from=NOW),
    "build-short": lambda: status_list_credential(SHORT, url=LIST_URL, issuer=ISSUER,
                                                  valid_from=NOW),
    "build-until": lambda: status_list_credential(StatusList.empty(), url=LIST_URL,
                                                  issuer=ISSUER, valid_from=NOW,
                                                  valid_until=NOW),
    "build-ttl": lambda: status_list_credential(StatusList.empty(), url=LIST_URL,
                                                issuer=ISSUER, valid_from=NOW, ttl=0),
    "read-not-object": lambda: StatusListCredential.parse([]),
    "read-type": lambda: StatusListCredential.parse(_credential(type=["VerifiableCredential"])),
    "read-subjects": lambda: StatusListCredential.parse(_credential(credentialSubject=[{}, {}])),
    "read-subject-type": lambda: StatusListCredential.parse(_subject(type="StatusList2021")),
    "read-purposes": lambda: StatusListCredential.parse(_subject(statusPurpose=["x", ""])),
    "read-no-list": lambda: StatusListCredential.parse(_subject(encodedList=None)),
    "read-ttl": lambda: StatusListCredential.parse(_subject(ttl=-1)),
    "read-time": lambda: StatusListCredential.parse(_credential(validFrom="yesterday")),
    "read-list": lambda: StatusListCredential.parse(_subject(encodedList="u")),
    "list-short": lambda: StatusListCredential.parse(_credential(SHORT)).status_list(),
    "list-size": lambda: StatusListCredential.parse(_credential()).status_list(status_size=9),
    "not-yet-valid": lambda: check_status(_entry(), _credential(), now=NOW - timedelta(days=1)),
    "expired": lambda: check_status(_entry(), _credential(
        validUntil="2025-05-01T00:00:00Z"), now=NOW),
    "other-purpose": lambda: check_status(_entry(statusPurpose="suspension"), _credential()),
    "past-the-end": lambda: check_status(_entry(statusListIndex="131072"), _credential()),
    "check-short": lambda: check_status(_entry(), _credential(SHORT)),
    # Allocation (allocation.py).
    "allocate-count": lambda: next_free_indexes(set(), count=-1, rng=random.Random(1)),
    "allocate-size": lambda: next_free_indexes(set(), count=1, size=0, rng=random.Random(1)),
    "allocate-used": lambda: next_free_indexes({5}, count=1, size=4, rng=random.Random(1)),
    "bitmap-count": lambda: allocate_in_bitmap(bytearray(2), count=-1, rng=random.Random(1)),
    "bitmap-empty": lambda: allocate_in_bitmap(bytearray(), count=1, rng=random.Random(1)),
    # Status List 2021 (status_list_2021.py).
    "2021-entry-field": lambda: status_list_2021.parse_entry(_entry_2021(id="")),
    "2021-entry-elsewhere": lambda: status_list_2021.parse_entry(
        _entry_2021(statusListCredential=3), location="credentialStatus[2]"),
    "2021-entry-type": lambda: status_list_2021.parse_entry(_entry_2021(type="Other")),
    "2021-list-purpose": lambda: status_list_2021.parse_list_credential(
        _list_2021(statusPurpose=["revocation"])),
    "2021-list-missing": lambda: status_list_2021.parse_list_credential(
        _list_2021(encodedList=None)),
    "2021-list-prefix": lambda: status_list_2021.parse_list_credential(
        _list_2021(encodedList=StatusList.empty().encode())),
    "2021-list-not-gzip": lambda: status_list_2021.parse_list_credential(
        _list_2021(encodedList="aGVsbG8")),
    "2021-list-type": lambda: status_list_2021.parse_list_credential(_credential()),
    # Changes of status (changes.py).
    "change-revoked": lambda: transition("suspend", credential_id="urn:uuid:1", state="revoked",
                                         purposes=frozenset({"revocation", "suspension"})),
    "change-active": lambda: transition("reinstate", credential_id="urn:uuid:1",
                                        state="active", purposes=frozenset({"suspension"})),
    "change-suspended": lambda: transition("suspend", credential_id="urn:uuid:1",
                                           state="suspended", purposes=frozenset({"suspension"})),
    "change-no-entry": lambda: transition("suspend", credential_id="urn:uuid:1", state="active",
                                          purposes=frozenset({"revocation"})),
}


def refused(name: str) -> CredstackError:
    """The error ``CASES[name]`` raises."""
    with pytest.raises(CredstackError) as raised:
        CASES[name]()
    return raised.value


def record(name: str) -> dict[str, Any]:
    """What the refusal says in English: its class, message and problems; a status list's,
    the whole text a verification report put after "the status entry is malformed:" and that
    sentence in English and Japanese (the Japanese had the English text in it)."""
    error = refused(name)
    recorded = {"error": type(error).__name__, "message": error_words(error, "en"),
                "problems": [[problem.location, problem_words(problem, "en")]
                             for problem in error.problems]}
    if isinstance(error, StatusListError):
        said = Said("verification.check.status.entry_malformed", detail=said_of_error(error))
        recorded |= {"text": _text(said_of_error(error), "en"),
                     "report": {"en": words(said, "en"), "ja": words(said, "ja")}}
    return recorded


def _text(said: Said | str, language: str) -> str:
    return words(said, language) if isinstance(said, Said) else said


def test_every_case_is_recorded() -> None:
    """The record holds each case, and only those."""
    assert sorted(RECORDED) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refusal_says_in_english_what_it_said(name: str) -> None:
    """Its class, its message and its problems' English are the words it had."""
    said = record(name)
    recorded = RECORDED[name]
    assert {key: said[key] for key in ("error", "message", "problems")} == {
        key: recorded[key] for key in ("error", "message", "problems")}
    assert refused(name).code.startswith(("status.error.", "issuing.status.refused."))


@pytest.mark.parametrize("name", sorted(name for name, recorded in RECORDED.items()
                                        if "text" in recorded))
def test_a_status_list_refusal_reads_in_a_report_as_it_did(name: str) -> None:
    """The whole text a verification report says of it, and the English sentence around it,
    are the words they were; the Japanese sentence begins as it did, then says the error in
    Japanese, with the error's name and where it was found."""
    said = record(name)
    recorded = RECORDED[name]
    assert said["text"] == recorded["text"]
    assert said["report"]["en"] == recorded["report"]["en"]
    head = recorded["report"]["ja"].removesuffix(recorded["text"])
    assert said["report"]["ja"].startswith(head)
    error = refused(name)
    assert str(error.params["error"]) in said["report"]["ja"]
    assert all(problem.location in said["report"]["ja"] for problem in error.problems)


@pytest.mark.parametrize("name", sorted(name for name, recorded in RECORDED.items()
                                        if "text" in recorded))
def test_a_status_list_refusal_is_said_in_every_language_of_verify(name: str) -> None:
    """Each language words the error and its problems in its own words, with the values."""
    error = refused(name)
    english = [error_words(error, "en"), *(problem_words(p, "en") for p in error.problems)]
    for language in LANGUAGES[1:]:
        said = [error_words(error, language),
                *(problem_words(p, language) for p in error.problems)]
        assert all(text and "status." not in text for text in said), (language, said)
        assert said[0] != english[0], language
        assert all(str(value) in said[1] for problem in error.problems
                   for value in problem.params.values() if isinstance(value, str)), said


if __name__ == "__main__":  # python tests/core/status/test_status_words.py: record again
    print(json.dumps({name: record(name) for name in sorted(CASES)}, ensure_ascii=False,
                     indent=1))
