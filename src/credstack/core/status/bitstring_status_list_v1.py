"""W3C Bitstring Status List v1.0.

*Bitstring Status List v1.0 — Privacy-preserving status information for Verifiable
Credentials*, W3C Recommendation, 15 May 2025.
https://www.w3.org/TR/2025/REC-vc-bitstring-status-list-20250515/

What this module holds, by section of the specification:

* §2.1 ``BitstringStatusListEntry`` — :class:`StatusEntry` (read with
  :meth:`StatusEntry.parse`, written with :func:`entry_for`) and :func:`status_entries`.
* §2.2 ``BitstringStatusListCredential`` — :func:`status_list_credential` builds the
  *unsigned* credential; :class:`StatusListCredential` is one as read.
* §3.2 Validate Algorithm — :func:`check_status`, giving a :class:`StatusResult`.
* §3.3 / §3.4 Bitstring Generation and Expansion — :class:`StatusList` (``encode`` /
  ``decode``), with :class:`StatusListBuilder` for bulk changes.
* §6.5 (random index assignment for group privacy) — :func:`next_free_indexes`.

Layout of a list (§2.2, §7.1): entry *i* occupies bits ``i * statusSize`` to
``(i + 1) * statusSize - 1``; bit 0 is the most significant bit of byte 0, and a multi-bit
status is read most significant bit first. ``encodedList`` is ``u`` (multibase base64url)
followed by the unpadded base64url of the GZIP-compressed bytes.

Everything here is pure: the proof on a status list credential, fetching it and the clock
belong to the callers, who pass ``now`` in. A malformed entry or list, or a status that cannot
be decided, raises :class:`~credstack.errors.StatusListError`; its summary ends with the error
name the specifications give (``MALFORMED_VALUE_ERROR``, ``STATUS_VERIFICATION_ERROR``,
``STATUS_LIST_LENGTH_ERROR``, ``RANGE_ERROR``) and each problem names the offending field. A
revoked or suspended credential is not an error but a :class:`StatusResult`.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from random import Random
from typing import Any, Final, Literal, get_args

from credstack.core.types import is_absolute_url
from credstack.errors import Problem, StatusListError

#: The smallest list the specification allows: 16 KB of one-bit entries (§2.2, §6.1).
MINIMUM_ENTRIES: Final = 131_072
#: The widest entry credstack reads or writes. The specification only asks for a positive
#: integer; conforming processors may support 1 alone (§1.3); eight bits keep an entry inside
#: two bytes.
MAX_STATUS_SIZE: Final = 8
#: The most bytes a list may expand to. Far above any real list (16 MiB holds 134 million
#: one-bit entries) and low enough that a GZIP bomb costs milliseconds, not memory.
MAX_DECOMPRESSED_BYTES: Final = 16 * 1024 * 1024

VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
ENTRY_TYPE: Final = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE: Final = "BitstringStatusListCredential"
LIST_TYPE: Final = "BitstringStatusList"

#: The purposes the specification defines (§2.1). Other strings are allowed when reading.
StatusPurpose = Literal["revocation", "suspension", "refresh", "message"]
PURPOSES: Final[tuple[str, ...]] = get_args(StatusPurpose)

_MALFORMED = "malformed status list entry (MALFORMED_VALUE_ERROR)"
_MALFORMED_LIST = "malformed status list (MALFORMED_VALUE_ERROR)"
_MALFORMED_LIST_CREDENTIAL = "malformed status list credential (MALFORMED_VALUE_ERROR)"
_TOO_SHORT = "status list too short for group privacy (STATUS_LIST_LENGTH_ERROR)"
_OUT_OF_RANGE = "status list index outside the list (RANGE_ERROR)"
_UNVERIFIABLE = "the status cannot be checked against this list (STATUS_VERIFICATION_ERROR)"

#: An index is a base-10 integer without sign or leading zeros; the W3C suite checks
#: ``String(parseInt(x)) === x``. Twenty digits already exceed any list credstack expands.
_INDEX = re.compile(r"0|[1-9][0-9]{0,19}", re.ASCII)
_HEX_STATUS = re.compile(r"0x[0-9a-fA-F]{1,2}", re.ASCII)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*", re.ASCII)
_BASE64URL_BAD = re.compile(r"[^A-Za-z0-9_-]", re.ASCII)
_GZIP_MAGIC: Final = b"\x1f\x8b"
#: A fixed GZIP header (RFC 1952 §2.3): deflate, no flags, MTIME 0, XFL 0, OS 3. Written by
#: hand so that equal lists encode to equal strings on every platform (zlib's own header
#: records the build platform); with deflate at zlib's default level 6 the output is byte for
#: byte what the JavaScript reference (``@digitalbazaar/bitstring``, pako) produces, including
#: the specification's Example 3.
_GZIP_HEADER: Final = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
_DEFLATE_LEVEL: Final = 6


def _error(summary: str, location: str, message: str) -> StatusListError:
    return StatusListError(summary, problems=[Problem(location, message)])


def _is_int(value: object) -> bool:
    # ``True`` is an ``int`` to Python but a boolean to JSON: never an index or a size.
    return isinstance(value, int) and not isinstance(value, bool)


def _types(value: object) -> tuple[str, ...]:
    """The ``type`` of a JSON-LD node as a tuple; a string or an array of strings."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return ()


# --- the bitstring ------------------------------------------------------------------------


def _check_status_size(status_size: object, location: str, summary: str) -> int:
    if not isinstance(status_size, int) or isinstance(status_size, bool):
        raise _error(summary, location, f"must be an integer, not {status_size!r}")
    if status_size < 1:
        raise _error(summary, location, f"must be greater than zero, not {status_size}")
    if status_size > MAX_STATUS_SIZE:
        raise _error(summary, location,
                     f"{status_size} bits per entry; credstack supports 1 to {MAX_STATUS_SIZE}")
    return status_size


def _read(bits: bytes | bytearray, index: int, status_size: int) -> int:
    """The status at ``index``: its bits, most significant first, from the left."""
    if status_size == 1:
        return (bits[index >> 3] >> (7 - (index & 7))) & 1
    byte, offset = divmod(index * status_size, 8)
    mask = (1 << status_size) - 1
    end = offset + status_size
    if end <= 8:
        return (bits[byte] >> (8 - end)) & mask
    return (((bits[byte] << 8) | bits[byte + 1]) >> (16 - end)) & mask


def _write(bits: bytearray, index: int, status_size: int, value: int) -> None:
    byte, offset = divmod(index * status_size, 8)
    mask = (1 << status_size) - 1
    end = offset + status_size
    if end <= 8:
        shift = 8 - end
        bits[byte] = (bits[byte] & ~(mask << shift) & 0xFF) | (value << shift)
        return
    shift = 16 - end
    word = (bits[byte] << 8) | bits[byte + 1]
    word = (word & ~(mask << shift) & 0xFFFF) | (value << shift)
    bits[byte] = word >> 8
    bits[byte + 1] = word & 0xFF


def _check_index(index: object, size: int) -> int:
    if not isinstance(index, int) or isinstance(index, bool):
        raise _error(_MALFORMED_LIST, "statusListIndex", f"must be an integer, not {index!r}")
    if not 0 <= index < size:
        raise _error(_OUT_OF_RANGE, "statusListIndex",
                     f"{index} is outside the list's {size:,} entries (0 to {size - 1:,})")
    return index


def _check_value(value: object, status_size: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << status_size:
        return value
    raise _error(_MALFORMED_LIST, "status",
                 f"a {status_size}-bit status is an integer from 0 to "
                 f"{(1 << status_size) - 1}, not {value!r}")


def compress(bitstring: bytes) -> str:
    """§3.3 Bitstring Generation: GZIP (MTIME 0, fixed header), then multibase base64url."""
    deflater = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflater.compress(bitstring) + deflater.flush()
    trailer = struct.pack("<II", zlib.crc32(bitstring), len(bitstring) & 0xFFFFFFFF)
    gzipped = _GZIP_HEADER + body + trailer
    return "u" + base64.urlsafe_b64encode(gzipped).rstrip(b"=").decode("ascii")


def _max_encoded_length(max_bytes: int) -> int:
    # Stored (incompressible) deflate blocks add 5 bytes per 64 KiB; members add 18 bytes.
    # Anything longer than a generous bound on that is refused before it is decoded.
    return math.ceil((max_bytes + max_bytes // 100 + 4096) * 4 / 3)


def expand(encoded: object, *, max_bytes: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """§3.4 Bitstring Expansion: multibase-decode ``encodedList`` and GUNZIP it.

    Refuses (``StatusListError``, naming what was wrong) a non-string, a prefix other than
    ``u``, characters outside unpadded base64url, data that is not GZIP or is corrupt or
    truncated, and anything that would expand to more than ``max_bytes`` — found while
    inflating at most ``max_bytes + 1`` bytes, so a GZIP bomb is never inflated in full.
    """
    location = "credentialSubject.encodedList"
    if not isinstance(encoded, str):
        raise _error(_MALFORMED_LIST, location, f"must be a string, not {type(encoded).__name__}")
    if not encoded:
        raise _error(_MALFORMED_LIST, location, "is empty")
    if encoded[0] != "u":
        raise _error(_MALFORMED_LIST, location,
                     f"must start with the multibase prefix 'u' (base64url without padding), "
                     f"not {encoded[0]!r}")
    body = encoded[1:]
    if len(body) > _max_encoded_length(max_bytes):
        raise _error(_MALFORMED_LIST, location,
                     f"is {len(encoded):,} characters long; no list of at most "
                     f"{max_bytes:,} bytes needs that many")
    if not _BASE64URL.fullmatch(body):
        bad = _BASE64URL_BAD.search(body)
        assert bad is not None
        what = ("'=' padding is not allowed in base64url without padding" if bad.group() == "="
                else f"{bad.group()!r} at position {bad.start() + 1} is not a base64url character")
        raise _error(_MALFORMED_LIST, location, what)
    if len(body) % 4 == 1:
        raise _error(_MALFORMED_LIST, location,
                     f"{len(body)} base64url characters cannot encode whole bytes (truncated?)")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - the checks above suffice
        raise _error(_MALFORMED_LIST, location, f"is not valid base64url: {exc}") from None
    return _gunzip(raw, max_bytes=max_bytes, location=location)


def _gunzip(data: bytes, *, max_bytes: int, location: str) -> bytes:
    if not data.startswith(_GZIP_MAGIC):
        raise _error(_MALFORMED_LIST, location,
                     "does not hold GZIP data (RFC 1952): the decoded bytes do not start "
                     "with 1f 8b")
    expanded = bytearray()
    rest = data
    # RFC 1952 §2.2: a GZIP file is a series of members; each one is inflated in turn, and
    # the limit holds for their total.
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            expanded += inflater.decompress(rest, max_bytes - len(expanded) + 1)
        except zlib.error as exc:
            raise _error(_MALFORMED_LIST, location, f"holds corrupt GZIP data ({exc})") from None
        if len(expanded) > max_bytes:
            raise _error(_MALFORMED_LIST, location,
                         f"expands to more than {max_bytes:,} bytes; refused "
                         f"(a decompression bomb, or a list far larger than any real one)")
        if not inflater.eof:
            raise _error(_MALFORMED_LIST, location, "holds truncated GZIP data")
        rest = inflater.unused_data
        if not rest:
            break
        if not rest.startswith(_GZIP_MAGIC):
            raise _error(_MALFORMED_LIST, location, "has bytes after the end of the GZIP data")
    if not expanded:
        raise _error(_MALFORMED_LIST, location, "expands to an empty bitstring")
    return bytes(expanded)


def _entries_in(bitstring_length: int, status_size: int) -> int:
    return bitstring_length * 8 // status_size


def _check_length(size: int, minimum_entries: int, location: str) -> None:
    if size < minimum_entries:
        raise _error(_TOO_SHORT, location,
                     f"the list has {size:,} entries; at least {minimum_entries:,} are "
                     f"required (16 KB of one-bit entries)")


@dataclass(frozen=True, slots=True)
class StatusList:
    """An immutable bitstring status list: ``size`` entries of ``status_size`` bits each.

    Changes return a new list (:meth:`with_status`, :meth:`with_statuses`); for many changes
    in a row use a :class:`StatusListBuilder` (:meth:`builder`) and :meth:`~StatusListBuilder.build`
    once. ``size`` is the number of whole entries the bytes hold.
    """

    bits: bytes = field(repr=False)
    status_size: int = 1
    purpose: str = "revocation"

    def __post_init__(self) -> None:
        if isinstance(self.bits, bytearray | memoryview):
            object.__setattr__(self, "bits", bytes(self.bits))
        if not isinstance(self.bits, bytes) or not self.bits:
            raise _error(_MALFORMED_LIST, "bits", "a status list needs at least one byte")
        _check_status_size(self.status_size, "statusSize", _MALFORMED_LIST)
        if not isinstance(self.purpose, str) or not self.purpose:
            raise _error(_MALFORMED_LIST, "statusPurpose", "must be a non-empty string")

    @classmethod
    def empty(
        cls,
        *,
        size: int = MINIMUM_ENTRIES,
        status_size: int = 1,
        purpose: str = "revocation",
        minimum_entries: int = MINIMUM_ENTRIES,
    ) -> StatusList:
        """A list with every status 0. ``size`` must be a multiple of 8 and at least the minimum."""
        _check_status_size(status_size, "statusSize", _MALFORMED_LIST)
        if not _is_int(size) or size % 8:
            raise _error(_MALFORMED_LIST, "size",
                         f"a list size is a whole number of bytes' worth of entries (a "
                         f"multiple of 8), not {size!r}")
        _check_length(size, minimum_entries, "size")
        return cls(bytes(size * status_size // 8), status_size=status_size, purpose=purpose)

    @classmethod
    def decode(
        cls,
        encoded: object,
        *,
        status_size: int = 1,
        purpose: str = "revocation",
        minimum_entries: int = MINIMUM_ENTRIES,
        max_bytes: int = MAX_DECOMPRESSED_BYTES,
    ) -> StatusList:
        """The list an ``encodedList`` holds (§3.4), refused when shorter than the minimum."""
        _check_status_size(status_size, "statusSize", _MALFORMED_LIST)
        bits = expand(encoded, max_bytes=max_bytes)
        _check_length(_entries_in(len(bits), status_size), minimum_entries,
                      "credentialSubject.encodedList")
        return cls(bits, status_size=status_size, purpose=purpose)

    def encode(self) -> str:
        """The ``encodedList`` value (§3.3): deterministic for equal lists."""
        return compress(self.bits)

    @property
    def size(self) -> int:
        """How many entries the list holds."""
        return _entries_in(len(self.bits), self.status_size)

    def __len__(self) -> int:
        return self.size

    def get(self, index: int) -> int:
        """The status at ``index`` (0 when nothing was set)."""
        return _read(self.bits, _check_index(index, self.size), self.status_size)

    def with_status(self, index: int, value: int = 1) -> StatusList:
        """A copy with the status at ``index`` set to ``value``."""
        builder = self.builder()
        builder.set(index, value)
        return builder.build()

    def with_statuses(self, indexes: Iterable[int], value: int = 1) -> StatusList:
        """A copy with the status at each of ``indexes`` set to ``value``."""
        builder = self.builder()
        builder.set_many(indexes, value)
        return builder.build()

    def nonzero_indexes(self) -> Iterator[int]:
        """The indexes whose status is not 0, in increasing order."""
        size, status_size, bits = self.size, self.status_size, self.bits
        done = -1
        # Only the entries overlapping a non-zero byte can be non-zero: skip the zero bytes,
        # which in a real list are nearly all of them.
        for byte_index, byte in enumerate(bits):
            if not byte:
                continue
            first = max(byte_index * 8 // status_size, done + 1)
            last = min((byte_index * 8 + 7) // status_size, size - 1)
            for index in range(first, last + 1):
                if _read(bits, index, status_size):
                    yield index
            done = max(done, last)

    def builder(self) -> StatusListBuilder:
        """A mutable copy for bulk changes."""
        return StatusListBuilder(self)


class StatusListBuilder:
    """A mutable status list for bulk work; :meth:`build` returns the immutable value.

    Setting 100,000 one-bit entries with :meth:`set_many` takes tens of milliseconds.
    """

    __slots__ = ("_bits", "purpose", "status_size")

    def __init__(self, status_list: StatusList) -> None:
        self._bits = bytearray(status_list.bits)
        self.status_size = status_list.status_size
        self.purpose = status_list.purpose

    @property
    def size(self) -> int:
        """How many entries the list holds."""
        return _entries_in(len(self._bits), self.status_size)

    def __len__(self) -> int:
        return self.size

    def get(self, index: int) -> int:
        """The status at ``index``."""
        return _read(self._bits, _check_index(index, self.size), self.status_size)

    def set(self, index: int, value: int = 1) -> None:
        """Set the status at ``index`` to ``value`` (1 = revoked or suspended)."""
        _write(self._bits, _check_index(index, self.size), self.status_size,
               _check_value(value, self.status_size))

    def set_many(self, indexes: Iterable[int], value: int = 1) -> None:
        """Set the status at every one of ``indexes``; all are checked before any is set."""
        value = _check_value(value, self.status_size)
        wanted = list(indexes)
        size = self.size
        for index in wanted:
            if type(index) is not int or not 0 <= index < size:
                _check_index(index, size)  # raises, naming the problem
        bits, status_size = self._bits, self.status_size
        if status_size != 1:
            for index in wanted:
                _write(bits, index, status_size, value)
        elif value:
            for index in wanted:
                bits[index >> 3] |= 0x80 >> (index & 7)
        else:
            for index in wanted:
                bits[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF

    def build(self) -> StatusList:
        """The list as it is now, as an immutable value (later changes do not affect it)."""
        return StatusList(bytes(self._bits), status_size=self.status_size, purpose=self.purpose)


# --- status list entries (§2.1) -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusMessage:
    """One element of ``statusMessage``: a status value and its (developer-facing) message."""

    status: int
    message: str

    def to_json(self) -> dict[str, str]:
        return {"status": hex(self.status), "message": self.message}


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """A ``BitstringStatusListEntry``: where a credential's status sits, and what it means."""

    purpose: str
    index: int
    list_credential: str
    status_size: int = 1
    messages: tuple[StatusMessage, ...] = ()
    references: tuple[str, ...] = ()
    id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.purpose, str) or not self.purpose:
            raise _error(_MALFORMED, "credentialStatus.statusPurpose",
                         f"must be a non-empty string, not {self.purpose!r}")
        if not _is_int(self.index) or self.index < 0:
            raise _error(_MALFORMED, "credentialStatus.statusListIndex",
                         f"must be an integer ≥ 0, not {self.index!r}")
        if not is_absolute_url(self.list_credential):
            raise _error(_MALFORMED, "credentialStatus.statusListCredential",
                         f"must be a URL, not {self.list_credential!r}")
        _check_status_size(self.status_size, "credentialStatus.statusSize", _MALFORMED)
        self._check_messages()
        for reference in self.references:
            if not is_absolute_url(reference):
                raise _error(_MALFORMED, "credentialStatus.statusReference",
                             f"must be a URL or an array of URLs; {reference!r} is not a URL")
        if self.id is not None:
            if not is_absolute_url(self.id):
                raise _error(_MALFORMED, "credentialStatus.id",
                             f"must be a URL, not {self.id!r}")
            if self.id == self.list_credential:
                raise _error(_MALFORMED, "credentialStatus.id",
                             "must not be the URL of the status list (statusListCredential)")

    def _check_messages(self) -> None:
        location = "credentialStatus.statusMessage"
        possible = 1 << self.status_size
        if not self.messages:
            if self.status_size > 1:
                raise _error(_MALFORMED, location,
                             f"is required when statusSize is greater than 1; statusSize "
                             f"{self.status_size} needs {possible} messages")
            return
        if len(self.messages) != possible:
            raise _error(_MALFORMED, location,
                         f"has {len(self.messages)} messages; statusSize {self.status_size} "
                         f"needs exactly {possible}, one per possible value")
        seen = sorted(message.status for message in self.messages)
        if seen != list(range(possible)):
            raise _error(_MALFORMED, location,
                         f"must give each status from 0x0 to {hex(possible - 1)} exactly once")

    @classmethod
    def parse(cls, value: object, *, location: str = "credentialStatus") -> StatusEntry:
        """Read a ``credentialStatus`` object; ``statusListIndex`` may be a string or a number.

        Strings are what the specification requires and what credstack writes; numbers are
        accepted on read because published credentials (the 1EdTech fixtures) use them.
        """
        try:
            return cls._parse(value)
        except StatusListError as exc:
            if location == "credentialStatus":
                raise
            problems = [Problem(p.location.replace("credentialStatus", location, 1), p.message)
                        for p in exc.problems]
            raise StatusListError(exc.message, problems=problems) from None

    @classmethod
    def _parse(cls, value: object) -> StatusEntry:
        if not isinstance(value, Mapping):
            raise _error(_MALFORMED, "credentialStatus",
                         f"must be an object, not {type(value).__name__}")
        if ENTRY_TYPE not in _types(value.get("type")):
            raise _error(_MALFORMED, "credentialStatus.type",
                         f"must be {ENTRY_TYPE!r}, not {value.get('type')!r}")
        for required in ("statusPurpose", "statusListIndex", "statusListCredential"):
            if required not in value:
                raise _error(_MALFORMED, f"credentialStatus.{required}", "is required")
        purpose = value["statusPurpose"]
        if not isinstance(purpose, str) or not purpose:
            raise _error(_MALFORMED, "credentialStatus.statusPurpose",
                         f"must be a non-empty string, not {purpose!r}")
        size = value.get("statusSize", 1)
        _check_status_size(size, "credentialStatus.statusSize", _MALFORMED)
        entry_id = value.get("id")
        if entry_id is not None and not isinstance(entry_id, str):
            raise _error(_MALFORMED, "credentialStatus.id", f"must be a URL, not {entry_id!r}")
        return cls(
            purpose=purpose,
            index=_parse_index(value["statusListIndex"]),
            list_credential=value["statusListCredential"],
            status_size=size,
            messages=_parse_messages(value.get("statusMessage")),
            references=_parse_references(value.get("statusReference")),
            id=entry_id,
        )

    def to_json(self) -> dict[str, Any]:
        """The ``credentialStatus`` object, with ``statusListIndex`` as a base-10 string."""
        document: dict[str, Any] = {}
        if self.id is not None:
            document["id"] = self.id
        document |= {
            "type": ENTRY_TYPE,
            "statusPurpose": self.purpose,
            "statusListIndex": str(self.index),
            "statusListCredential": self.list_credential,
        }
        if self.status_size != 1:
            document["statusSize"] = self.status_size
        if self.messages:
            document["statusMessage"] = [message.to_json() for message in self.messages]
        if self.references:
            document["statusReference"] = (
                self.references[0] if len(self.references) == 1 else list(self.references)
            )
        return document

    def message_for(self, status: int) -> str:
        """The message for a status value: from ``statusMessage``, else ``unset`` / ``set``."""
        for message in self.messages:
            if message.status == status:
                return message.message
        return "unset" if status == 0 else "set"


def _parse_index(value: object) -> int:
    location = "credentialStatus.statusListIndex"
    if isinstance(value, str):
        if not _INDEX.fullmatch(value):
            raise _error(_MALFORMED, location,
                         f"must be an integer ≥ 0 written in base 10 (no sign, no leading "
                         f"zeros, at most 20 digits), not {value!r}")
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise _error(_MALFORMED, location, f"must be ≥ 0, not {value}")
        return value
    raise _error(_MALFORMED, location,
                 f"must be a string holding a base-10 integer ≥ 0, not {value!r}")


def _parse_messages(value: object) -> tuple[StatusMessage, ...]:
    location = "credentialStatus.statusMessage"
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _error(_MALFORMED, location, f"must be an array, not {type(value).__name__}")
    messages: list[StatusMessage] = []
    for position, item in enumerate(value):
        where = f"{location}[{position}]"
        if not isinstance(item, Mapping):
            raise _error(_MALFORMED, where, "must be an object with 'status' and 'message'")
        status, message = item.get("status"), item.get("message")
        if not isinstance(status, str) or not _HEX_STATUS.fullmatch(status):
            raise _error(_MALFORMED, f"{where}.status",
                         f"must be a hexadecimal string prefixed with 0x (such as '0x1'), "
                         f"not {status!r}")
        if not isinstance(message, str):
            raise _error(_MALFORMED, f"{where}.message", f"must be a string, not {message!r}")
        messages.append(StatusMessage(int(status, 16), message))
    return tuple(messages)


def _parse_references(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        raise _error(_MALFORMED, "credentialStatus.statusReference",
                     f"must be a URL or an array of URLs, not {value!r}")
    return tuple(items)


def status_entries(credential: Mapping[str, Any]) -> tuple[StatusEntry, ...]:
    """The ``BitstringStatusListEntry`` entries of a credential's ``credentialStatus``.

    Entries of other types are left out: the caller decides what an unknown status
    mechanism means for its verdict.
    """
    value = credential.get("credentialStatus")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    entries: list[StatusEntry] = []
    for position, item in enumerate(items):
        location = f"credentialStatus[{position}]" if isinstance(value, list) else (
            "credentialStatus")
        if isinstance(item, Mapping) and ENTRY_TYPE in _types(item.get("type")):
            entries.append(StatusEntry.parse(item, location=location))
    return tuple(entries)


def entry_for(
    index: int,
    *,
    list_url: str,
    purpose: StatusPurpose,
    status_size: int = 1,
    messages: Sequence[StatusMessage] = (),
    references: Sequence[str] = (),
) -> dict[str, Any]:
    """The ``credentialStatus`` object for an index in the list published at ``list_url``.

    Its ``id`` is ``<list_url>#<index>``, as in the specification's examples; the index is
    written as a string.
    """
    if purpose not in PURPOSES:
        raise _error(_MALFORMED, "credentialStatus.statusPurpose",
                     f"credstack issues entries for {', '.join(PURPOSES)}; not {purpose!r}")
    if not is_absolute_url(list_url) or "#" in list_url:
        raise _error(_MALFORMED, "credentialStatus.statusListCredential",
                     f"must be a URL without a fragment, not {list_url!r}")
    entry = StatusEntry(
        purpose=purpose,
        index=index,
        list_credential=list_url,
        status_size=status_size,
        messages=tuple(messages),
        references=tuple(references),
        id=f"{list_url}#{index}",
    )
    return entry.to_json()


# --- status list credentials (§2.2) -------------------------------------------------------


def _timestamp(value: datetime, name: str) -> str:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise _error(_MALFORMED_LIST_CREDENTIAL, name,
                     f"must be a timezone-aware datetime, not {value!r}")
    moment = value.astimezone(UTC)
    text = moment.isoformat(timespec="seconds" if not moment.microsecond else "microseconds")
    return text.replace("+00:00", "Z")


def status_list_credential(
    status_list: StatusList,
    *,
    url: str,
    issuer: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    ttl: int | None = None,
    minimum_entries: int = MINIMUM_ENTRIES,
) -> dict[str, Any]:
    """The unsigned VC 2.0 ``BitstringStatusListCredential`` publishing ``status_list``.

    ``url`` is where it is served (its ``id``; the subject is ``<url>#list``), ``issuer`` a
    string (the W3C suite mishandles an issuer object), ``ttl`` milliseconds before a refresh
    should be attempted. Only the VC 2.0 context is needed: it defines the status list terms.
    The caller signs the result.
    """
    if not is_absolute_url(url) or "#" in url:
        raise _error(_MALFORMED_LIST_CREDENTIAL, "id",
                     f"must be a URL without a fragment, not {url!r}")
    if not is_absolute_url(issuer):
        raise _error(_MALFORMED_LIST_CREDENTIAL, "issuer", f"must be a URL, not {issuer!r}")
    _check_length(status_list.size, minimum_entries, "credentialSubject.encodedList")
    credential: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": _timestamp(valid_from, "validFrom"),
    }
    if valid_until is not None:
        credential["validUntil"] = _timestamp(valid_until, "validUntil")
        if valid_until <= valid_from:
            raise _error(_MALFORMED_LIST_CREDENTIAL, "validUntil", "must be after validFrom")
    subject: dict[str, Any] = {
        "id": f"{url}#list",
        "type": LIST_TYPE,
        "statusPurpose": status_list.purpose,
        "encodedList": status_list.encode(),
    }
    if ttl is not None:
        if not _is_int(ttl) or ttl <= 0:
            raise _error(_MALFORMED_LIST_CREDENTIAL, "credentialSubject.ttl",
                         f"must be a positive number of milliseconds, not {ttl!r}")
        subject["ttl"] = ttl
    credential["credentialSubject"] = subject
    return credential


def _parse_datetime(value: object, location: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    raise _error(_MALFORMED_LIST_CREDENTIAL, location,
                 f"must be a date-time with a time zone (such as 2025-04-01T00:00:00Z), "
                 f"not {value!r}")


@dataclass(frozen=True, slots=True)
class StatusListCredential:
    """A ``BitstringStatusListCredential`` as read, its list already expanded.

    Its proof is *not* checked here: verify it with the proof layer first (§3.2 step 4).
    Parse a list once and check many entries against it.
    """

    id: str | None
    issuer: str | None
    purposes: tuple[str, ...]
    bitstring: bytes = field(repr=False)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    ttl: int | None = None

    @classmethod
    def parse(
        cls, document: object, *, max_bytes: int = MAX_DECOMPRESSED_BYTES
    ) -> StatusListCredential:
        """Read a status list credential (a JSON object), expanding its ``encodedList``."""
        summary = _MALFORMED_LIST_CREDENTIAL
        if not isinstance(document, Mapping):
            raise _error(summary, "", f"must be an object, not {type(document).__name__}")
        if LIST_CREDENTIAL_TYPE not in _types(document.get("type")):
            raise _error(summary, "type",
                         f"must include {LIST_CREDENTIAL_TYPE!r}, not {document.get('type')!r}")
        subject = document.get("credentialSubject")
        if isinstance(subject, list) and len(subject) == 1:
            subject = subject[0]
        if not isinstance(subject, Mapping):
            raise _error(summary, "credentialSubject", "must be one object")
        if LIST_TYPE not in _types(subject.get("type")):
            raise _error(summary, "credentialSubject.type",
                         f"must be {LIST_TYPE!r}, not {subject.get('type')!r}")
        purposes = subject.get("statusPurpose")
        candidates = purposes if isinstance(purposes, list) else [purposes]
        listed = [p for p in candidates if isinstance(p, str) and p]
        if not listed or len(listed) != len(candidates):
            raise _error(summary, "credentialSubject.statusPurpose",
                         f"must be one or more non-empty strings, not {purposes!r}")
        if "encodedList" not in subject:
            raise _error(summary, "credentialSubject.encodedList", "is required")
        ttl = subject.get("ttl")
        if ttl is not None and (not _is_int(ttl) or ttl < 0):
            raise _error(summary, "credentialSubject.ttl",
                         f"must be a number of milliseconds, not {ttl!r}")
        issuer = document.get("issuer")
        if isinstance(issuer, Mapping):
            issuer = issuer.get("id")
        identifier = document.get("id")
        return cls(
            id=identifier if isinstance(identifier, str) else None,
            issuer=issuer if isinstance(issuer, str) else None,
            purposes=tuple(listed),
            bitstring=expand(subject["encodedList"], max_bytes=max_bytes),
            valid_from=_parse_datetime(document.get("validFrom"), "validFrom"),
            valid_until=_parse_datetime(document.get("validUntil"), "validUntil"),
            ttl=ttl,
        )

    def status_list(
        self,
        *,
        status_size: int = 1,
        purpose: str | None = None,
        minimum_entries: int = MINIMUM_ENTRIES,
    ) -> StatusList:
        """The list read with ``status_size`` bits per entry (the entry decides, §2.1)."""
        _check_status_size(status_size, "statusSize", _MALFORMED_LIST)
        _check_length(_entries_in(len(self.bitstring), status_size), minimum_entries,
                      "credentialSubject.encodedList")
        return StatusList(self.bitstring, status_size=status_size,
                          purpose=purpose or self.purposes[0])

    def check_valid_at(self, now: datetime) -> None:
        """Raise unless ``now`` is inside the list's validity period."""
        if self.valid_from is not None and now < self.valid_from:
            raise _error(_UNVERIFIABLE, "validFrom",
                         f"the status list is not valid before {self.valid_from.isoformat()}")
        if self.valid_until is not None and now > self.valid_until:
            raise _error(_UNVERIFIABLE, "validUntil",
                         f"the status list expired at {self.valid_until.isoformat()}")


# --- §3.2 Validate Algorithm ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusResult:
    """The status of one credential in one list: a verdict, not an error."""

    purpose: str
    status: int
    message: str
    index: int
    list_credential: str

    @property
    def valid(self) -> bool:
        """Status 0: for revocation and suspension, the credential stands."""
        return self.status == 0

    @property
    def revoked(self) -> bool:
        return self.purpose == "revocation" and self.status != 0

    @property
    def suspended(self) -> bool:
        return self.purpose == "suspension" and self.status != 0


def check_status(
    entry: StatusEntry | Mapping[str, Any],
    list_credential: StatusListCredential | Mapping[str, Any],
    *,
    now: datetime | None = None,
    minimum_entries: int = MINIMUM_ENTRIES,
    max_bytes: int = MAX_DECOMPRESSED_BYTES,
) -> StatusResult:
    """§3.2: the status an entry points at, in an already fetched and verified list credential.

    Checks, raising ``StatusListError`` when the status cannot be decided: the entry and the
    list are well formed; the entry's purpose is one of the list's; the list has at least
    ``minimum_entries`` entries of the entry's ``statusSize``; the index lies inside it; and,
    when ``now`` is given, the list credential is within its validity period. The list
    credential's proof and its issuer are the caller's to check.
    """
    parsed = entry if isinstance(entry, StatusEntry) else StatusEntry.parse(entry)
    credential = (list_credential if isinstance(list_credential, StatusListCredential)
                  else StatusListCredential.parse(list_credential, max_bytes=max_bytes))
    if now is not None:
        credential.check_valid_at(now)
    if parsed.purpose not in credential.purposes:
        raise _error(_UNVERIFIABLE, "credentialStatus.statusPurpose",
                     f"the entry's purpose {parsed.purpose!r} is not the list's "
                     f"({', '.join(map(repr, credential.purposes))})")
    # The entry decides how the bits are read (§2.1 statusSize); no StatusList is built, so
    # that checking many entries against one parsed list stays cheap.
    size = _entries_in(len(credential.bitstring), parsed.status_size)
    _check_length(size, minimum_entries, "credentialSubject.encodedList")
    if parsed.index >= size:
        raise _error(_OUT_OF_RANGE, "credentialStatus.statusListIndex",
                     f"{parsed.index:,} is past the end of the list, which has "
                     f"{size:,} entries (0 to {size - 1:,})")
    status = _read(credential.bitstring, parsed.index, parsed.status_size)
    return StatusResult(
        purpose=parsed.purpose,
        status=status,
        message=parsed.message_for(status),
        index=parsed.index,
        list_credential=parsed.list_credential,
    )


# --- index allocation (§2.1 statusListIndex, §6.5) ----------------------------------------


@dataclass(frozen=True, slots=True)
class Allocation:
    """Indexes picked in one list, and how many requested ones did not fit."""

    indexes: tuple[int, ...]
    #: How many of the requested indexes this list could not give: allocate them in a new list.
    shortfall: int
    #: Free indexes left in the list after this allocation.
    free: int

    @property
    def list_full(self) -> bool:
        """No index is left: the next credential needs a new list."""
        return self.free == 0


def next_free_indexes(
    used: AbstractSet[int],
    *,
    count: int,
    size: int = MINIMUM_ENTRIES,
    rng: Random,
) -> Allocation:
    """Pick up to ``count`` unused indexes of a list of ``size`` entries, at random.

    The specification asks for random assignment (§2.1, §6.5) so that an index reveals
    neither when a credential was issued nor how many were. ``used`` is a set of the indexes
    already given out; ``rng`` is injected: ``random.Random(seed)`` makes a run repeatable,
    ``random.SystemRandom()`` makes the order unpredictable. When the list cannot hold them
    all, :attr:`Allocation.shortfall` says how many to take from a new list.
    """
    if not _is_int(count) or count < 0:
        raise _error(_MALFORMED_LIST, "count", f"must be an integer ≥ 0, not {count!r}")
    if not _is_int(size) or size < 1:
        raise _error(_MALFORMED_LIST, "size", f"must be a positive integer, not {size!r}")
    if used and (min(used) < 0 or max(used) >= size):
        raise _error(_MALFORMED_LIST, "used",
                     f"holds indexes outside the list's {size:,} entries")
    free = size - len(used)
    take = min(count, free)
    picked: list[int]
    if take == 0:
        picked = []
    elif (len(used) + take) * 2 <= size:
        # Sparse: draw and redraw on a collision (at most two draws per index on average).
        chosen: set[int] = set()
        picked = []
        draw = rng.randrange
        while len(picked) < take:
            index = draw(size)
            if index not in used and index not in chosen:
                chosen.add(index)
                picked.append(index)
    else:
        # Dense: list what is free and sample from it.
        picked = rng.sample([i for i in range(size) if i not in used], take)
    return Allocation(indexes=tuple(picked), shortfall=count - take, free=free - take)


def allocate_in_bitmap(
    allocated: bytearray,
    *,
    count: int,
    rng: Random,
) -> Allocation:
    """Pick up to ``count`` unused indexes at random and mark them in ``allocated``.

    ``allocated`` holds one bit per index of the list (bit 0 is the most significant bit of
    byte 0, as in the lists themselves), set for every index already given out; it is
    changed in place. The same picking as :func:`next_free_indexes`, without building a set
    of the used indexes: a stored list keeps its allocations as such a bitmap, and reading
    100,000 of them into a set for every credential issued would cost more than the
    signature.
    """
    if not _is_int(count) or count < 0:
        raise _error(_MALFORMED_LIST, "count", f"must be an integer ≥ 0, not {count!r}")
    size = len(allocated) * 8
    if size < 1:
        raise _error(_MALFORMED_LIST, "allocated", "the bitmap holds no index")
    used = int.from_bytes(allocated).bit_count()
    free = size - used
    take = min(count, free)
    picked: list[int] = []
    if take and (used + take) * 2 <= size:
        # Sparse: draw and redraw on a collision (at most two draws per index on average).
        draw = rng.randrange
        while len(picked) < take:
            index = draw(size)
            mask = 0x80 >> (index & 7)
            if not allocated[index >> 3] & mask:
                allocated[index >> 3] |= mask
                picked.append(index)
    elif take:
        # Dense: list what is free (skipping full bytes) and sample from it.
        candidates = [
            byte_index * 8 + bit
            for byte_index, byte in enumerate(allocated) if byte != 0xFF
            for bit in range(8) if not byte & (0x80 >> bit)
        ]
        picked = rng.sample(candidates, take)
        for index in picked:
            allocated[index >> 3] |= 0x80 >> (index & 7)
    return Allocation(indexes=tuple(picked), shortfall=count - take, free=free - take)
