"""W3C Bitstring Status List v1.0: lists, entries, list credentials, the status check, allocation.

Vectors: the specification's Example 3, lists encoded by the JavaScript reference
(``@digitalbazaar/bitstring`` 3.1.0, which the W3C suite and ``@digitalbazaar/vc`` use), the
1EdTech validator fixtures and the W3C suite's input credential from ``../shared/ref``.
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
import random
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import credstack.core.status as package
from credstack.core.status import (
    MAX_DECOMPRESSED_BYTES,
    MINIMUM_ENTRIES,
    StatusEntry,
    StatusList,
    StatusListCredential,
    StatusMessage,
    check_status,
    entry_for,
    next_free_indexes,
    status_entries,
    status_list_credential,
)
from credstack.core.status.bitstring_status_list_v1 import MAX_GZIP_MEMBERS, compress, expand
from credstack.errors import StatusListError
from tests.words import words

LIST_URL = "https://credstack.example/status/revocation/1"
ISSUER = "did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r"
NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
ONE_EDTECH = Path("examples/ob-v3p0/validator/bit-string-list")

#: ``encodedList`` values written by ``@digitalbazaar/bitstring`` 3.1.0 (pako) for a list of
#: 131,072 one-bit entries with the given indexes set. The first is the spec's Example 3.
REFERENCE_LISTS = [
    ((), "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"),
    ((0,), "uH4sIAAAAAAAAA-3BIQEAAAACIKc73RkWoAEAAAAAAAAAAAAAAAAAAADeBuRZQ2cAQAAA"),
    ((23,), "uH4sIAAAAAAAAA-3BMQEAAAzDoMy_6cnoA9QFAAAAAAAAAAAAAAAAAAAAbD3uPa2cAEAAAA"),
    ((0, 7, 8, 23, 1000, 65535, 131071),
     "uH4sIAAAAAAAAA-3ZAQkAQAgEQW3uN_8SwoHMFNgA-6YrZnJpAAAAAAAAADgkOP8BAAAAAAAAgCX9ATjkXJsAQAAA"),
]


def _gzip_b64(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _list_credential(status_list: StatusList, **options: Any) -> dict[str, Any]:
    return status_list_credential(status_list, url=LIST_URL, issuer=ISSUER, valid_from=NOW,
                                  **options)


def _entry(**changes: Any) -> dict[str, Any]:
    entry = entry_for(94567, list_url=LIST_URL, purpose="revocation")
    entry.update(changes)
    return {key: value for key, value in entry.items() if value is not None}


def _error_text(excinfo: pytest.ExceptionInfo[StatusListError]) -> str:
    return words(excinfo.value)


@contextmanager
def refused_saying(pattern: str) -> Iterator[pytest.ExceptionInfo[StatusListError]]:
    """A :class:`StatusListError` raised in the block, whose English words (its message and
    problems, as the catalogues word them) match ``pattern``."""
    with pytest.raises(StatusListError) as excinfo:
        yield excinfo
    said = words(excinfo.value)
    assert re.search(pattern, said), said


# --- the public surface ---------------------------------------------------------------------


def test_the_public_surface_is_pinned() -> None:
    """Callers rely on exactly these names; changing them is a deliberate act."""
    assert sorted(package.__all__) == [
        "Allocation", "MAX_DECOMPRESSED_BYTES", "MAX_STATUS_SIZE", "MINIMUM_ENTRIES", "PURPOSES",
        "StatusEntry", "StatusList", "StatusListBuilder", "StatusListCredential",
        "StatusMessage", "StatusPurpose", "StatusResult", "allocate_in_bitmap", "check_status",
        "entry_for", "next_free_indexes", "status_entries", "status_list_credential",
    ]
    assert package.PURPOSES == ("revocation", "suspension", "refresh", "message")


# --- the list --------------------------------------------------------------------------------


def test_a_new_list_has_131072_entries_in_16_kb() -> None:
    """By default a list holds the specification's minimum: 131,072 one-bit entries, 16 KB."""
    status_list = StatusList.empty()
    assert status_list.size == len(status_list) == MINIMUM_ENTRIES == 131_072
    assert len(status_list.bits) == 16 * 1024
    assert len(expand(status_list.encode())) == 16 * 1024


@pytest.mark.parametrize("status_size", range(1, 9))
def test_a_list_of_wider_entries_keeps_the_entry_count(status_size: int) -> None:
    """``status_size`` bits per entry: the list grows to keep 131,072 entries."""
    status_list = StatusList.empty(status_size=status_size)
    assert status_list.size == MINIMUM_ENTRIES
    assert len(status_list.bits) == MINIMUM_ENTRIES * status_size // 8


@pytest.mark.parametrize(
    ("size", "status_size", "problem"),
    [
        (65_536, 1, "STATUS_LIST_LENGTH_ERROR"),
        (131_073, 1, "multiple of 8"),
        (MINIMUM_ENTRIES, 0, "greater than zero"),
        (MINIMUM_ENTRIES, 9, "supports 1 to 8"),
    ],
)
def test_a_list_too_small_or_oddly_sized_is_refused(size: int, status_size: int,
                                                    problem: str) -> None:
    """Lists below 16 KB, of partial bytes, or of unsupported entry widths are refused."""
    with refused_saying(problem):
        StatusList.empty(size=size, status_size=status_size)


def test_a_smaller_list_is_allowed_only_when_the_minimum_is_lowered() -> None:
    """An ecosystem may set a lower bound (§3.2 step 2); it must be asked for explicitly."""
    status_list = StatusList.empty(size=64, minimum_entries=64)
    encoded = status_list.with_status(5).encode()
    with refused_saying("STATUS_LIST_LENGTH_ERROR"):
        StatusList.decode(encoded)
    assert list(StatusList.decode(encoded, minimum_entries=64).nonzero_indexes()) == [5]


def test_changing_a_status_returns_a_new_list() -> None:
    """The list is a value: ``with_status`` copies, the original never changes."""
    original = StatusList.empty()
    changed = original.with_status(94567)
    assert changed.get(94567) == 1
    assert original.get(94567) == 0
    assert changed != original
    assert changed.with_status(94567, 0) == original
    with pytest.raises(FrozenInstanceError):
        setattr(original, "status_size", 2)  # noqa: B010 - the point is that it fails


def test_a_builder_snapshot_is_not_changed_by_later_writes() -> None:
    """``build()`` copies: the builder can go on without touching lists already built."""
    builder = StatusList.empty().builder()
    builder.set(1)
    first = builder.build()
    builder.set(2)
    assert list(first.nonzero_indexes()) == [1]
    assert list(builder.build().nonzero_indexes()) == [1, 2]


@pytest.mark.parametrize(
    ("status_size", "index", "value", "expected"),
    [
        (1, 0, 1, {0: 0x80}),
        (1, 7, 1, {0: 0x01}),
        (1, 8, 1, {1: 0x80}),
        (1, 23, 1, {2: 0x01}),
        (1, 131_071, 1, {16_383: 0x01}),
        (2, 0, 1, {0: 0x40}),
        (2, 0, 2, {0: 0x80}),
        (2, 3, 3, {0: 0x03}),
        (3, 2, 0b101, {0: 0b10, 1: 0b1000_0000}),
        (4, 1, 0xA, {0: 0x0A}),
        (8, 2, 0xC3, {2: 0xC3}),
        (5, 1, 0b11111, {0: 0b00000111, 1: 0b11000000}),
    ],
)
def test_bits_are_big_endian(status_size: int, index: int, value: int,
                             expected: dict[int, int]) -> None:
    """Index 0 is the most significant bit of byte 0; a wide status reads left to right."""
    status_list = StatusList.empty(status_size=status_size).with_status(index, value)
    nonzero = {i: byte for i, byte in enumerate(status_list.bits) if byte}
    assert nonzero == expected
    assert status_list.get(index) == value
    assert list(status_list.nonzero_indexes()) == [index]


@pytest.mark.parametrize(("indexes", "encoded"), REFERENCE_LISTS)
def test_encoding_matches_the_javascript_reference_byte_for_byte(
    indexes: tuple[int, ...], encoded: str
) -> None:
    """Equal lists give the reference's exact ``encodedList`` (and the spec's Example 3)."""
    if "ng" in zlib.ZLIB_RUNTIME_VERSION:
        pytest.skip(f"zlib-ng ({zlib.ZLIB_RUNTIME_VERSION}) deflates differently from zlib")
    assert StatusList.empty().with_statuses(indexes).encode() == encoded


@pytest.mark.parametrize(("indexes", "encoded"), REFERENCE_LISTS)
def test_lists_encoded_by_the_reference_decode(indexes: tuple[int, ...], encoded: str) -> None:
    """The reference's lists decode to exactly the indexes it set."""
    assert tuple(StatusList.decode(encoded).nonzero_indexes()) == indexes


def test_encoding_is_deterministic_and_plain_gzip() -> None:
    """MTIME is 0, the string has no padding, and any GZIP reader gets the bitstring back."""
    status_list = StatusList.empty().with_statuses([3, 99_999])
    encoded = status_list.encode()
    assert encoded == StatusList.empty().with_statuses([99_999, 3]).encode()
    assert re.fullmatch(r"u[A-Za-z0-9_-]+", encoded)
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    assert raw[:2] == b"\x1f\x8b"
    assert raw[4:8] == b"\x00\x00\x00\x00"
    assert gzip.decompress(raw) == status_list.bits


@pytest.mark.parametrize("status_size", [1, 2, 3, 8])
def test_a_list_round_trips(status_size: int) -> None:
    """encode → decode gives an equal list, for every entry width."""
    values = {0: 1, 17: (1 << status_size) - 1, 131_071: 1, 4242: 1 << (status_size - 1)}
    builder = StatusList.empty(status_size=status_size, purpose="suspension").builder()
    for index, value in values.items():
        builder.set(index, value)
    status_list = builder.build()
    decoded = StatusList.decode(status_list.encode(), status_size=status_size,
                                purpose="suspension")
    assert decoded == status_list
    assert {i: decoded.get(i) for i in decoded.nonzero_indexes()} == values


def test_setting_100000_entries_in_bulk_sets_exactly_those() -> None:
    """A cohort's 100,000 random entries in one ``set_many``: those are set, nothing else (how
    fast is bench work: ``bench/status.py``, "set entries in bulk")."""
    indexes = random.Random(7).sample(range(MINIMUM_ENTRIES), 100_000)
    builder = StatusList.empty().builder()
    builder.set_many(indexes)
    assert list(builder.build().nonzero_indexes()) == sorted(indexes)


@pytest.mark.parametrize(
    ("index", "value", "problem"),
    [
        (MINIMUM_ENTRIES, 1, "RANGE_ERROR"),
        (-1, 1, "RANGE_ERROR"),
        (1.5, 1, "must be an integer"),
        (True, 1, "must be an integer"),
        (0, 2, "from 0 to 1"),
        (0, -1, "from 0 to 1"),
    ],
)
def test_setting_outside_the_list_or_the_width_is_refused(index: Any, value: Any,
                                                          problem: str) -> None:
    """An index past the end or a value wider than the entry is a StatusListError."""
    with refused_saying(problem):
        StatusList.empty().with_status(index, value)


def test_a_bulk_set_with_one_bad_index_changes_nothing() -> None:
    """``set_many`` checks every index before it sets any."""
    builder = StatusList.empty().builder()
    with refused_saying("RANGE_ERROR"):
        builder.set_many([1, 2, MINIMUM_ENTRIES])
    assert list(builder.build().nonzero_indexes()) == []


@settings(deadline=None, max_examples=60)
@given(st.sets(st.integers(0, MINIMUM_ENTRIES - 1), max_size=400))
def test_random_indexes_survive_encode_and_decode(indexes: set[int]) -> None:
    """Set random indexes, encode, decode: exactly those indexes are set."""
    status_list = StatusList.empty().with_statuses(indexes)
    decoded = StatusList.decode(status_list.encode())
    assert list(decoded.nonzero_indexes()) == sorted(indexes)


@settings(deadline=None, max_examples=40)
@given(st.integers(1, 8).flatmap(lambda size: st.tuples(
    st.just(size),
    st.dictionaries(st.integers(0, MINIMUM_ENTRIES - 1), st.integers(1, (1 << size) - 1),
                    max_size=100),
)))
def test_random_wide_statuses_survive_encode_and_decode(
    case: tuple[int, dict[int, int]],
) -> None:
    """Wide entries too: each index keeps its value and no other entry changes."""
    status_size, values = case
    builder = StatusList.empty(status_size=status_size).builder()
    for index, value in values.items():
        builder.set(index, value)
    decoded = StatusList.decode(builder.build().encode(), status_size=status_size)
    assert {i: decoded.get(i) for i in decoded.nonzero_indexes()} == values


# --- decoding refuses bad input --------------------------------------------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> str:
    """100 MB of zeros, GZIP-compressed to about 100 KB, as an ``encodedList``."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    parts = [deflater.compress(chunk) for _ in range(100)]
    parts.append(deflater.flush())
    return _gzip_b64(b"".join(parts))


def test_a_decompression_bomb_is_refused_for_its_size(gzip_bomb: str) -> None:
    """A list that would inflate to 100 MB is refused for passing the 16 MiB limit."""
    assert len(gzip_bomb) < 200_000
    with refused_saying("expands to more than 16,777,216 bytes"):
        StatusList.decode(gzip_bomb)
    assert MAX_DECOMPRESSED_BYTES == 16 * 1024 * 1024


def test_a_decompression_bomb_is_read_no_further_than_the_limit() -> None:
    """The inflating stops at the limit: a bomb whose GZIP data turns to garbage 1 MiB past
    the limit is refused for its size, never for the garbage, which a reader inflating more
    than it needs would reach (how fast the refusal is, is bench work:
    ``bench/status.py``, "refuse a GZIP bomb")."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    inflates_past_the_limit = b"".join(
        [deflater.compress(zeros) for _ in range(MAX_DECOMPRESSED_BYTES // len(zeros) + 1)]
        + [deflater.flush(zlib.Z_FULL_FLUSH)])
    # 0xFF opens a deflate block of the reserved type 3: an inflater reaching it fails.
    garbage = b"\xff" * 4096
    with refused_saying("expands to more than 16,777,216 bytes"):
        StatusList.decode(_gzip_b64(inflates_past_the_limit + garbage))
    with pytest.raises(zlib.error, match="invalid block type"):
        zlib.decompress(inflates_past_the_limit + garbage, 16 + zlib.MAX_WBITS)


def _valid_gzip() -> bytes:
    return gzip.compress(bytes(16_384), mtime=0)


@pytest.mark.parametrize(
    ("encoded", "problem"),
    [
        (None, "must be a string"),
        (12, "must be a string"),
        ("", "is empty"),
        ("z" + _gzip_b64(_valid_gzip())[1:], "multibase prefix 'u'"),
        ("U" + _gzip_b64(_valid_gzip())[1:], "multibase prefix 'u'"),
        (_gzip_b64(_valid_gzip()) + "=", "padding is not allowed"),
        (_gzip_b64(_valid_gzip())[:20] + "+" + _gzip_b64(_valid_gzip())[21:],
         "'\\+' at position 20 is not a base64url character"),
        ("uAAAAA", "cannot encode whole bytes"),
        (_gzip_b64(b"not gzip at all"), "does not hold GZIP data"),
        (_gzip_b64(zlib.compress(bytes(16_384))), "does not hold GZIP data"),
        (_gzip_b64(_valid_gzip()[:-12]), "truncated GZIP data"),
        (_gzip_b64(_valid_gzip()[:-8] + b"\x00\x00\x00\x00" + _valid_gzip()[-4:]),
         "corrupt GZIP data"),
        (_gzip_b64(_valid_gzip()[:-1] + b"\x01"), "corrupt GZIP data"),
        (_gzip_b64(_valid_gzip() + b"trailing"), "bytes after the end of the GZIP data"),
        (_gzip_b64(gzip.compress(b"", mtime=0)), "empty bitstring"),
    ],
    ids=["none", "number", "empty", "base58-prefix", "upper-u", "padding", "plus", "length",
         "not-gzip", "zlib-not-gzip", "truncated", "bad-crc", "bad-length", "trailing",
         "empty-gzip"],
)
def test_malformed_encoded_lists_are_refused_with_a_reason(encoded: Any, problem: str) -> None:
    """Each malformed ``encodedList`` is a StatusListError naming what was wrong."""
    with pytest.raises(StatusListError) as excinfo:
        StatusList.decode(encoded)
    text = _error_text(excinfo)
    assert re.search(problem, text), text
    assert "credentialSubject.encodedList" in text


def test_an_encoded_list_longer_than_the_limit_allows_is_refused_before_decoding() -> None:
    """A string longer than any list within the limit could need is refused unread."""
    with refused_saying("characters long; no list of at most 1,000"):
        expand("u" + "A" * 10_000, max_bytes=1_000)


def test_concatenated_gzip_members_are_one_list() -> None:
    """RFC 1952 allows several members; their bytes are joined (and count towards the limit)."""
    half = gzip.compress(bytes(8192), mtime=0)
    doubled = gzip.compress(b"\x80" + bytes(8191), mtime=0) + half
    decoded = StatusList.decode(_gzip_b64(doubled))
    assert list(decoded.nonzero_indexes()) == [0]
    assert decoded.size == MINIMUM_ENTRIES
    with refused_saying("expands to more than"):
        expand(_gzip_b64(doubled), max_bytes=10_000)


def test_many_empty_gzip_members_are_refused_by_their_count() -> None:
    """A list split into more GZIP members than :data:`MAX_GZIP_MEMBERS` is refused, naming
    the count, before the members past the limit are read (1 MiB of empty members once cost
    seconds: each member copied the rest of the data)."""
    empty = gzip.compress(b"", mtime=0)
    data = gzip.compress(b"\x80" + bytes(16_383), mtime=0)
    many = data + empty * (1024 * 1024 // len(empty))
    with pytest.raises(StatusListError) as excinfo:
        StatusList.decode(_gzip_b64(many))
    text = _error_text(excinfo)
    assert f"more than {MAX_GZIP_MEMBERS:,} GZIP members" in text, text
    assert "credentialSubject.encodedList" in text


def test_gzip_members_up_to_the_limit_are_one_list() -> None:
    """Up to :data:`MAX_GZIP_MEMBERS` members, empty ones among them, make one list."""
    empty = gzip.compress(b"", mtime=0)
    first = gzip.compress(b"\x80" + bytes(8191), mtime=0)
    last = gzip.compress(bytes(8191) + b"\x01", mtime=0)
    members = first + empty * (MAX_GZIP_MEMBERS - 2) + last
    decoded = StatusList.decode(_gzip_b64(members))
    assert list(decoded.nonzero_indexes()) == [0, MINIMUM_ENTRIES - 1]
    with refused_saying("truncated GZIP data"):
        StatusList.decode(_gzip_b64(members[:-3]))


# --- entries ---------------------------------------------------------------------------------


def test_an_issued_entry_has_a_string_index_and_its_own_id() -> None:
    """``entry_for`` writes the index as a base-10 string and an id that is not the list URL."""
    assert entry_for(94567, list_url=LIST_URL, purpose="revocation") == {
        "id": f"{LIST_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }


def test_a_wide_entry_carries_its_size_and_messages() -> None:
    """A 2-bit message entry carries statusSize, four messages as 0x strings, and a reference."""
    messages = [StatusMessage(n, text) for n, text in
                enumerate(["pending_review", "accepted", "rejected", "undefined"])]
    entry = entry_for(492847, list_url=LIST_URL, purpose="message", status_size=2,
                      messages=messages, references=["https://example.org/status-dictionary/"])
    assert entry["statusSize"] == 2
    assert [m["status"] for m in entry["statusMessage"]] == ["0x0", "0x1", "0x2", "0x3"]
    assert entry["statusReference"] == "https://example.org/status-dictionary/"
    assert StatusEntry.parse(entry).to_json() == entry


@pytest.mark.parametrize("index", ["23", 23])
def test_a_numeric_index_is_accepted_on_read(index: Any) -> None:
    """Reading accepts the index as a string (the spec) or a number (the 1EdTech fixtures)."""
    entry = StatusEntry.parse(_entry(statusListIndex=index))
    assert entry.index == 23
    assert entry.to_json()["statusListIndex"] == "23"


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"statusListIndex": "-1"}, "statusListIndex", "no sign"),
        ({"statusListIndex": -1}, "statusListIndex", "must be ≥ 0"),
        ({"statusListIndex": 23.0}, "statusListIndex", "not 23.0"),
        ({"statusListIndex": 2.5}, "statusListIndex", "not 2.5"),
        ({"statusListIndex": "abc"}, "statusListIndex", "base 10"),
        ({"statusListIndex": "0x17"}, "statusListIndex", "base 10"),
        ({"statusListIndex": "023"}, "statusListIndex", "leading"),
        ({"statusListIndex": " 23"}, "statusListIndex", "base 10"),
        ({"statusListIndex": "２３"}, "statusListIndex", "base 10"),
        ({"statusListIndex": ""}, "statusListIndex", "base 10"),
        ({"statusListIndex": "1" * 21}, "statusListIndex", "at most 20 digits"),
        ({"statusListIndex": True}, "statusListIndex", "not True"),
        ({"statusListIndex": None}, "statusListIndex", "is required"),
        ({"type": "StatusList2021Entry"}, "type", "BitstringStatusListEntry"),
        ({"type": None}, "type", "BitstringStatusListEntry"),
        ({"statusPurpose": ""}, "statusPurpose", "non-empty string"),
        ({"statusPurpose": ["revocation"]}, "statusPurpose", "non-empty string"),
        ({"statusListCredential": "not a url"}, "statusListCredential", "must be a URL"),
        ({"statusListCredential": 7}, "statusListCredential", "must be a URL"),
        ({"id": LIST_URL}, "id", "must not be the URL of the status list"),
        ({"statusSize": 0}, "statusSize", "greater than zero"),
        ({"statusSize": "2"}, "statusSize", "must be an integer"),
        ({"statusSize": 9}, "statusSize", "supports 1 to 8"),
        ({"statusSize": 2}, "statusMessage", "required when statusSize is greater than 1"),
        ({"statusMessage": [{"status": "0x0", "message": "unset"}]}, "statusMessage",
         "needs exactly 2"),
        ({"statusMessage": [{"status": "0x0", "message": "a"}, {"status": "0x0", "message": "b"}]},
         "statusMessage", "exactly once"),
        ({"statusMessage": [{"status": "1", "message": "a"}, {"status": "0x0", "message": "b"}]},
         r"statusMessage\[0\]\.status", "prefixed with 0x"),
        ({"statusMessage": [{"status": "0x1"}, {"status": "0x0", "message": "b"}]},
         r"statusMessage\[0\]\.message", "must be a string"),
        ({"statusMessage": {"status": "0x1"}}, "statusMessage", "must be an array"),
        ({"statusReference": ["https://ok.example/", 3]}, "statusReference", "array of URLs"),
        ({"statusReference": "nope"}, "statusReference", "not a URL"),
    ],
)
def test_malformed_entries_are_refused_naming_the_field(changes: dict[str, Any], field: str,
                                                        problem: str) -> None:
    """Each broken MUST of §2.1 is a StatusListError that names the offending property."""
    with pytest.raises(StatusListError) as excinfo:
        StatusEntry.parse(_entry(**changes))
    text = _error_text(excinfo)
    assert "MALFORMED_VALUE_ERROR" in text
    assert re.search(rf"credentialStatus\.{field}: .*{problem}", text), text


def test_an_entry_must_be_an_object() -> None:
    """A credentialStatus that is not an object is refused, not crashed on."""
    with refused_saying("must be an object, not list"):
        StatusEntry.parse([])


@pytest.mark.parametrize("purpose", ["revoked", "", "custom"])
def test_credstack_issues_only_the_defined_purposes(purpose: Any) -> None:
    """Issuing an entry for a purpose outside §2.1's four is refused."""
    with refused_saying("credstack issues entries for"):
        entry_for(1, list_url=LIST_URL, purpose=purpose)


def test_a_credential_may_carry_several_entries() -> None:
    """``status_entries`` reads an object or an array and leaves other status types out."""
    credential = {"credentialStatus": [
        entry_for(1, list_url=LIST_URL, purpose="revocation"),
        {"type": "1EdTechRevocationList", "id": "https://example.org/revocations"},
        entry_for(2, list_url=LIST_URL + "-s", purpose="suspension"),
    ]}
    entries = status_entries(credential)
    assert [(e.purpose, e.index) for e in entries] == [("revocation", 1), ("suspension", 2)]
    assert status_entries({}) == ()
    assert len(status_entries({"credentialStatus": credential["credentialStatus"][0]})) == 1


def test_a_bad_entry_in_an_array_is_located_by_position() -> None:
    """In an array the problem names ``credentialStatus[i]``."""
    bad = _entry(statusListIndex="x")
    with refused_saying(r"credentialStatus\[1\]\.statusListIndex"):
        status_entries({"credentialStatus": [_entry(), bad]})


# --- status list credentials -----------------------------------------------------------------


def test_the_status_list_credential_is_an_unsigned_vc2_with_a_string_issuer() -> None:
    """§2.2 shape: VC 2.0 context only, both types, string issuer, subject ``<url>#list``."""
    status_list = StatusList.empty(purpose="suspension").with_status(12)
    credential = _list_credential(status_list, ttl=300_000)
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-06-01T09:30:00Z",
        "credentialSubject": {
            "id": f"{LIST_URL}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "suspension",
            "encodedList": status_list.encode(),
            "ttl": 300_000,
        },
    }
    assert "proof" not in credential


def test_validity_is_written_in_utc() -> None:
    """Times are parameters; any time zone is written as UTC with ``Z``."""
    tokyo = timezone(timedelta(hours=9))
    credential = status_list_credential(
        StatusList.empty(), url=LIST_URL, issuer=ISSUER,
        valid_from=datetime(2025, 6, 1, 18, 30, tzinfo=tokyo),
        valid_until=datetime(2025, 6, 2, 18, 30, tzinfo=tokyo))
    assert credential["validFrom"] == "2025-06-01T09:30:00Z"
    assert credential["validUntil"] == "2025-06-02T09:30:00Z"


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"valid_from": datetime(2025, 6, 1)}, "timezone-aware"),
        ({"valid_until": NOW}, "after validFrom"),
        ({"url": LIST_URL + "#x"}, "without a fragment"),
        ({"url": "status/1"}, "without a fragment"),
        ({"issuer": {"id": ISSUER}}, "must be a URL"),
        ({"ttl": 0}, "positive number of milliseconds"),
    ],
)
def test_a_status_list_credential_with_bad_parameters_is_refused(options: dict[str, Any],
                                                                 problem: str) -> None:
    """Naive times, fragments, object issuers and non-positive ttls are refused."""
    arguments: dict[str, Any] = {"url": LIST_URL, "issuer": ISSUER, "valid_from": NOW}
    arguments.update(options)
    with refused_saying(problem):
        status_list_credential(StatusList.empty(), **arguments)


def test_a_list_below_16_kb_is_never_published() -> None:
    """A list smaller than the minimum cannot become a status list credential."""
    small = StatusList.empty(size=1024, minimum_entries=8)
    with refused_saying("STATUS_LIST_LENGTH_ERROR"):
        _list_credential(small)


# --- the status check (§3.2) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "set_it", "revoked", "suspended"),
    [
        ("revocation", True, True, False),
        ("revocation", False, False, False),
        ("suspension", True, False, True),
        ("suspension", False, False, False),
        ("refresh", True, False, False),
    ],
)
def test_check_status_reads_the_bit_at_the_index(purpose: Any, set_it: bool, revoked: bool,
                                                 suspended: bool) -> None:
    """The result gives the status, validity and, per purpose, revoked or suspended."""
    status_list = StatusList.empty(purpose=purpose)
    if set_it:
        status_list = status_list.with_status(94567)
    entry = entry_for(94567, list_url=LIST_URL, purpose=purpose)
    result = check_status(entry, _list_credential(status_list))
    assert (result.status, result.valid) == ((1, False) if set_it else (0, True))
    assert (result.revoked, result.suspended) == (revoked, suspended)
    assert result.message == ("set" if set_it else "unset")
    assert (result.index, result.list_credential, result.purpose) == (94567, LIST_URL, purpose)


def test_check_status_gives_the_message_of_a_wide_entry() -> None:
    """With statusSize 2 the status is 0–3 and the message comes from statusMessage."""
    messages = [StatusMessage(n, text) for n, text in
                enumerate(["pending_review", "accepted", "rejected", "undefined"])]
    entry = entry_for(300, list_url=LIST_URL, purpose="message", status_size=2,
                      messages=messages)
    status_list = StatusList.empty(status_size=2, purpose="message").with_status(300, 2)
    result = check_status(entry, _list_credential(status_list))
    assert (result.status, result.message, result.valid) == (2, "rejected", False)


def test_a_parsed_list_credential_serves_many_checks() -> None:
    """Parse (expand) the list credential once, then check any number of entries against it."""
    status_list = StatusList.empty().with_statuses([10, 20])
    credential = StatusListCredential.parse(_list_credential(status_list))
    assert credential.purposes == ("revocation",)
    assert credential.issuer == ISSUER
    results = [check_status(entry_for(i, list_url=LIST_URL, purpose="revocation"), credential)
               for i in (10, 11, 20)]
    assert [r.revoked for r in results] == [True, False, True]


def test_a_list_with_several_purposes_serves_each() -> None:
    """§3.2 step 5: the entry's purpose must be *one of* the list's purposes."""
    document = _list_credential(StatusList.empty().with_status(5))
    document["credentialSubject"]["statusPurpose"] = ["revocation", "suspension"]
    entry = entry_for(5, list_url=LIST_URL, purpose="suspension")
    assert check_status(entry, document).suspended


def _check_problem(entry: dict[str, Any], document: dict[str, Any], **options: Any) -> str:
    with pytest.raises(StatusListError) as excinfo:
        check_status(entry, document, **options)
    return _error_text(excinfo)


def test_a_purpose_mismatch_cannot_be_decided() -> None:
    """A suspension entry checked against a revocation list is STATUS_VERIFICATION_ERROR."""
    entry = entry_for(5, list_url=LIST_URL, purpose="suspension")
    text = _check_problem(entry, _list_credential(StatusList.empty()))
    assert "STATUS_VERIFICATION_ERROR" in text
    assert "purpose 'suspension' is not the list's ('revocation')" in text


def test_an_index_past_the_end_is_a_range_error() -> None:
    """An index beyond the list's entries is RANGE_ERROR, not a silent 0."""
    entry = entry_for(MINIMUM_ENTRIES, list_url=LIST_URL, purpose="revocation")
    text = _check_problem(entry, _list_credential(StatusList.empty()))
    assert "RANGE_ERROR" in text
    assert "131,072 is past the end of the list, which has 131,072 entries" in text


def test_a_wide_entry_against_a_list_too_short_for_it_is_a_length_error() -> None:
    """Entries are counted at the entry's statusSize: 16 KB holds only 65,536 2-bit entries."""
    messages = [StatusMessage(n, str(n)) for n in range(4)]
    entry = entry_for(1, list_url=LIST_URL, purpose="revocation", status_size=2,
                      messages=messages)
    text = _check_problem(entry, _list_credential(StatusList.empty()))
    assert "STATUS_LIST_LENGTH_ERROR" in text
    assert "65,536 entries; at least 131,072" in text


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("type",), ["VerifiableCredential"], "must include 'BitstringStatusListCredential'"),
        (("credentialSubject", "type"), "StatusList2021", "must be 'BitstringStatusList'"),
        (("credentialSubject", "statusPurpose"), 3, "one or more non-empty strings"),
        (("credentialSubject", "statusPurpose"), [], "one or more non-empty strings"),
        (("credentialSubject", "encodedList"), "zABC", "multibase prefix 'u'"),
        (("credentialSubject", "ttl"), "soon", "number of milliseconds"),
        (("credentialSubject",), "list", "must be one object"),
        (("validFrom",), "yesterday", "date-time with a time zone"),
        (("validFrom",), "2025-01-01T00:00:00", "date-time with a time zone"),
    ],
)
def test_a_malformed_list_credential_cannot_be_decided(path: tuple[str, ...], value: Any,
                                                       problem: str) -> None:
    """Each malformed part of the list credential is a StatusListError naming it."""
    document = _list_credential(StatusList.empty())
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    text = _check_problem(entry_for(1, list_url=LIST_URL, purpose="revocation"), document)
    assert problem in text, text


@pytest.mark.parametrize(
    ("now", "problem"),
    [
        (NOW - timedelta(seconds=1), "not valid before"),
        (NOW + timedelta(days=2), "expired at"),
    ],
)
def test_a_list_outside_its_validity_period_cannot_be_decided(now: datetime,
                                                              problem: str) -> None:
    """Given ``now``, a list not yet valid or expired is refused; inside, it is read."""
    document = _list_credential(StatusList.empty(), valid_until=NOW + timedelta(days=1))
    entry = entry_for(1, list_url=LIST_URL, purpose="revocation")
    assert check_status(entry, document, now=NOW + timedelta(hours=1)).valid
    assert problem in _check_problem(entry, document, now=now)



def test_a_list_written_as_a_vc_1_1_credential_expires_at_its_expiration_date() -> None:
    """A Bitstring list under the VC 1.1 context states its period as issuanceDate /
    expirationDate (as the Digital Credentials Consortium's VC 1.1 credentials do): read
    them, and an expired list cannot be decided."""
    document = _list_credential(StatusList.empty(), valid_until=NOW + timedelta(days=1))
    document["issuanceDate"] = document.pop("validFrom")
    document["expirationDate"] = document.pop("validUntil")
    entry = entry_for(1, list_url=LIST_URL, purpose="revocation")
    assert check_status(entry, document, now=NOW + timedelta(hours=1)).valid
    assert "expired at" in _check_problem(entry, document, now=NOW + timedelta(days=2))
    assert "not valid before" in _check_problem(entry, document, now=NOW - timedelta(days=1))


# --- the shared fixtures ---------------------------------------------------------------------


def test_the_1edtech_testlist_has_only_bit_23_set(shared_ref: Path) -> None:
    """The 1EdTech validator's 16 KB ``testlist`` decodes with index 23 set and nothing else."""
    document = json.loads((shared_ref / ONE_EDTECH / "testlist").read_text())
    credential = StatusListCredential.parse(document)
    assert len(credential.bitstring) == 16_384
    assert list(credential.status_list().nonzero_indexes()) == [23]


@pytest.mark.parametrize("name", ["credential-status-revoked.json",
                                  "credential-status-revoked-blank-nodes.json"])
def test_the_1edtech_credentials_numeric_index_reads_and_is_revoked(shared_ref: Path,
                                                                    name: str) -> None:
    """Their ``"statusListIndex": 23`` (a number) is accepted, and index 23 is revoked."""
    folder = shared_ref / ONE_EDTECH
    credential = json.loads((folder / name).read_text())
    assert credential["credentialStatus"]["statusListIndex"] == 23
    (entry,) = status_entries(credential)
    assert entry.index == 23
    result = check_status(entry, json.loads((folder / "testlist").read_text()))
    assert result.revoked
    assert result.status == 1


def test_the_w3c_suite_input_gets_a_conforming_entry_and_list(shared_ref: Path) -> None:
    """validVc.json + our entry and list pass the checks the W3C suite makes (CONFORMANCE §3.3)."""
    path = shared_ref / "conformance/vc-bitstring-status-list-test-suite/validVc.json"
    credential = json.loads(path.read_text())
    assert "credentialStatus" not in credential
    index = next_free_indexes(set(), count=1, rng=random.Random(0)).indexes[0]
    issued = copy.deepcopy(credential)
    issued["credentialStatus"] = entry_for(index, list_url=LIST_URL, purpose="revocation")

    (entry,) = [issued["credentialStatus"]]
    assert entry["type"] == "BitstringStatusListEntry"
    assert isinstance(entry["statusPurpose"], str)
    assert isinstance(entry["statusListIndex"], str)
    assert str(int(entry["statusListIndex"])) == entry["statusListIndex"]
    assert entry["id"] != entry["statusListCredential"]
    assert "statusSize" not in entry  # the suite wrongly wants len(statusMessage) == statusSize

    published = _list_credential(StatusList.empty())
    assert "https://www.w3.org/ns/credentials/v2" in published["@context"]
    assert {"VerifiableCredential", "BitstringStatusListCredential"} <= set(published["type"])
    assert isinstance(published["issuer"], str)
    subject = published["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["encodedList"][0] == "u"
    raw = base64.urlsafe_b64decode(subject["encodedList"][1:] + "==")
    assert len(gzip.decompress(raw)) / 100 >= 16  # the suite's own arithmetic for "16KB"

    assert check_status(issued["credentialStatus"], published).valid
    assert check_status(issued["credentialStatus"],
                        _list_credential(StatusList.empty().with_status(index))).revoked


# --- index allocation ------------------------------------------------------------------------


def test_allocation_is_random_unique_and_repeatable_with_a_seed() -> None:
    """Indexes are distinct, unused, in range, not in order, and the same for the same seed."""
    used = set(range(0, 1000))
    first = next_free_indexes(used, count=500, rng=random.Random(42))
    again = next_free_indexes(used, count=500, rng=random.Random(42))
    other = next_free_indexes(used, count=500, rng=random.Random(43))
    assert first == again
    assert first.indexes != other.indexes
    assert len(set(first.indexes)) == 500
    assert not used & set(first.indexes)
    assert all(0 <= i < MINIMUM_ENTRIES for i in first.indexes)
    assert list(first.indexes) != sorted(first.indexes)
    assert max(first.indexes) > MINIMUM_ENTRIES // 2  # spread over the list, not packed at 0
    assert (first.shortfall, first.free, first.list_full) == (0, MINIMUM_ENTRIES - 1500, False)


def test_allocation_in_a_nearly_full_list_takes_what_is_left() -> None:
    """The dense path gives exactly the free indexes and says how many must go to a new list."""
    size = 1024
    used = set(random.Random(1).sample(range(size), 1000))
    allocation = next_free_indexes(used, count=30, size=size, rng=random.Random(5))
    assert sorted(allocation.indexes) == sorted(set(range(size)) - used)
    assert (allocation.shortfall, allocation.free, allocation.list_full) == (6, 0, True)
    empty = next_free_indexes(set(range(size)), count=3, size=size, rng=random.Random(5))
    assert (empty.indexes, empty.shortfall, empty.list_full) == ((), 3, True)


def test_allocating_a_whole_cohort_fills_one_list_then_asks_for_another() -> None:
    """150,000 credentials: 131,072 in the first list, the other 18,928 reported as shortfall."""
    rng = random.Random(3)
    allocation = next_free_indexes(set(), count=150_000, rng=rng)
    assert len(allocation.indexes) == MINIMUM_ENTRIES
    assert sorted(allocation.indexes) == list(range(MINIMUM_ENTRIES))
    assert (allocation.shortfall, allocation.list_full) == (18_928, True)
    rest = next_free_indexes(set(), count=allocation.shortfall, rng=rng)
    assert (len(rest.indexes), rest.shortfall) == (18_928, 0)


def test_allocation_works_with_the_system_random_source() -> None:
    """Production can inject ``random.SystemRandom()`` for an unpredictable order."""
    allocation = next_free_indexes({1, 2}, count=10, rng=random.SystemRandom())
    assert len(set(allocation.indexes)) == 10
    assert not {1, 2} & set(allocation.indexes)


@pytest.mark.parametrize(
    ("used", "count", "size", "problem"),
    [
        (set(), -1, 8, "count"),
        (set(), 1, 0, "size"),
        ({8}, 1, 8, "outside the list"),
        ({-1}, 1, 8, "outside the list"),
    ],
)
def test_allocation_refuses_impossible_requests(used: set[int], count: int, size: int,
                                                problem: str) -> None:
    """Negative counts, empty lists and used indexes outside the list are refused."""
    with refused_saying(problem):
        next_free_indexes(used, count=count, size=size, rng=random.Random(0))


def test_compress_and_expand_are_inverse_on_any_bytes() -> None:
    """The §3.3/§3.4 pair round-trips arbitrary bitstrings, not only zeros."""
    data = random.Random(9).randbytes(20_000)
    assert expand(compress(data)) == data


# --- allocation from a stored bitmap ------------------------------------------------------


def test_bitmap_allocation_marks_what_it_picks_and_never_repeats() -> None:
    """Indexes drawn from a bitmap are unique, marked in it, and exhaust the list exactly."""
    from random import Random

    from credstack.core.status import allocate_in_bitmap

    bitmap = bytearray(2)  # 16 indexes
    rng = Random(7)
    first = allocate_in_bitmap(bitmap, count=5, rng=rng)
    assert len(set(first.indexes)) == 5 and first.free == 11 and first.shortfall == 0
    assert all(bitmap[i >> 3] & (0x80 >> (i & 7)) for i in first.indexes)
    rest = allocate_in_bitmap(bitmap, count=20, rng=rng)
    assert rest.shortfall == 9 and rest.free == 0 and rest.list_full
    assert sorted(first.indexes + rest.indexes) == list(range(16))
    assert bitmap == bytearray(b"\xff\xff")
    assert allocate_in_bitmap(bitmap, count=1, rng=rng).indexes == ()


@given(st.binary(min_size=1, max_size=64), st.integers(min_value=0, max_value=600),
       st.integers())
def test_bitmap_allocation_only_takes_free_indexes(initial: bytes, count: int,
                                                   seed: int) -> None:
    from random import Random

    from credstack.core.status import allocate_in_bitmap

    bitmap = bytearray(initial)
    taken = {i for i in range(len(initial) * 8) if initial[i >> 3] & (0x80 >> (i & 7))}
    result = allocate_in_bitmap(bitmap, count=count, rng=Random(seed))
    assert not taken & set(result.indexes)
    assert len(result.indexes) == min(count, len(initial) * 8 - len(taken))
    assert int.from_bytes(bitmap).bit_count() == len(taken) + len(result.indexes)


@given(st.binary(min_size=1, max_size=16), st.lists(st.integers(min_value=-2, max_value=140),
                                                    max_size=12))
def test_taking_named_indexes_takes_all_of_them_or_none(initial: bytes,
                                                        indexes: list[int]) -> None:
    """Indexes drawn earlier are taken only if each is in the bitmap, free and named once."""
    from credstack.core.status.bitstring_status_list_v1.allocation import take_in_bitmap

    bitmap = bytearray(initial)
    free = {i for i in range(len(initial) * 8) if not initial[i >> 3] & (0x80 >> (i & 7))}
    takeable = len(set(indexes)) == len(indexes) and set(indexes) <= free
    assert take_in_bitmap(bitmap, indexes) is takeable
    now_taken = {i for i in range(len(initial) * 8) if bitmap[i >> 3] & (0x80 >> (i & 7))}
    before = set(range(len(initial) * 8)) - free
    assert now_taken == (before | set(indexes) if takeable else before)
