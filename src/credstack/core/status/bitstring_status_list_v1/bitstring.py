"""The status list itself: a compressed, base64url-encoded bitstring of at least 131,072
entries (Bitstring Status List v1.0 §2.2, §3)."""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final, Literal, get_args

from credstack.core.said import Said, placed, said_of
from credstack.errors import CredstackError, Problem, StatusListError

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


#: The most GZIP members (RFC 1952 §2.2) an encoded list may have. Issuers write one; a
#: handful is allowed, as the RFC allows several, but not the thousands of empty members that
#: would make a verifier start a new inflater for every 20 bytes.
MAX_GZIP_MEMBERS: Final = 256

ENTRY_TYPE: Final = "BitstringStatusListEntry"


LIST_CREDENTIAL_TYPE: Final = "BitstringStatusListCredential"


LIST_TYPE: Final = "BitstringStatusList"


#: The purposes the specification defines (§2.1). Other strings are allowed when reading.
StatusPurpose = Literal["revocation", "suspension", "refresh", "message"]


PURPOSES: Final[tuple[str, ...]] = get_args(StatusPurpose)


#: What an error says first (a message key, ``status.error.…``), and the name of the error
#: the specifications give, which ends it.
Summary = tuple[str, str]

_MALFORMED: Final[Summary] = ("status.error.malformed_entry", "MALFORMED_VALUE_ERROR")


_MALFORMED_LIST: Final[Summary] = ("status.error.malformed_list", "MALFORMED_VALUE_ERROR")


_MALFORMED_LIST_CREDENTIAL: Final[Summary] = ("status.error.malformed_list_credential",
                                              "MALFORMED_VALUE_ERROR")


_TOO_SHORT: Final[Summary] = ("status.error.too_short", "STATUS_LIST_LENGTH_ERROR")


_OUT_OF_RANGE: Final[Summary] = ("status.error.out_of_range", "RANGE_ERROR")


_UNVERIFIABLE: Final[Summary] = ("status.error.unverifiable", "STATUS_VERIFICATION_ERROR")


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


def _error(summary: Summary, location: str, problem: str, /, **params: object
           ) -> StatusListError:
    """The error ``summary`` with one problem at ``location``: the message key
    ``status.problem.<problem>`` with ``params`` (values shown as written: a repr, a figure
    with its thousands separated)."""
    code, name = summary
    return StatusListError(code=code, params={"error": name}, problems=[
        Problem(location, code=f"status.problem.{problem}", params=params)])


def said_of_error(error: CredstackError) -> Said | str:
    """What a status error says as a phrase inside a sentence (a verification report's
    reason): its summary, then each problem on a line of its own after where it is, as
    ``str(error)`` said it."""
    said: Said | str = said_of(error)
    for problem in error.problems:
        said = Said("status.error.with_problem", said=said, problem=placed(problem))
    return said


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


def _check_status_size(status_size: object, location: str, summary: Summary) -> int:
    if not isinstance(status_size, int) or isinstance(status_size, bool):
        raise _error(summary, location, "not_integer", value=repr(status_size))
    if status_size < 1:
        raise _error(summary, location, "not_positive", value=str(status_size))
    if status_size > MAX_STATUS_SIZE:
        raise _error(summary, location, "too_wide", size=str(status_size),
                     most=str(MAX_STATUS_SIZE))
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
        raise _error(_MALFORMED_LIST, "statusListIndex", "not_integer", value=repr(index))
    if not 0 <= index < size:
        raise _error(_OUT_OF_RANGE, "statusListIndex", "outside", index=str(index),
                     size=f"{size:,}", last=f"{size - 1:,}")
    return index


def _check_value(value: object, status_size: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << status_size:
        return value
    raise _error(_MALFORMED_LIST, "status", "value_range", bits=str(status_size),
                 most=str((1 << status_size) - 1), value=repr(value))


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
        raise _error(_MALFORMED_LIST, location, "not_string", value=type(encoded).__name__)
    if not encoded:
        raise _error(_MALFORMED_LIST, location, "empty")
    if encoded[0] != "u":
        raise _error(_MALFORMED_LIST, location, "prefix", found=repr(encoded[0]))
    return expand_base64url(encoded[1:], max_bytes=max_bytes)


def expand_base64url(body: str, *, max_bytes: int = MAX_DECOMPRESSED_BYTES,
                     location: str = "credentialSubject.encodedList") -> bytes:
    """GUNZIP the unpadded base64url ``body``: :func:`expand` after the multibase prefix,
    and the whole ``encodedList`` of a Status List 2021 list, which has no prefix."""
    if not body:
        raise _error(_MALFORMED_LIST, location, "empty")
    if len(body) > _max_encoded_length(max_bytes):
        raise _error(_MALFORMED_LIST, location, "too_long", length=f"{len(body):,}",
                     most=f"{max_bytes:,}")
    if not _BASE64URL.fullmatch(body):
        bad = _BASE64URL_BAD.search(body)
        assert bad is not None
        if bad.group() == "=":
            raise _error(_MALFORMED_LIST, location, "padding")
        raise _error(_MALFORMED_LIST, location, "bad_character", character=repr(bad.group()),
                     position=str(bad.start() + 1))
    if len(body) % 4 == 1:
        raise _error(_MALFORMED_LIST, location, "whole_bytes", length=str(len(body)))
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - the checks above suffice
        raise _error(_MALFORMED_LIST, location, "not_base64url", detail=str(exc)) from None
    return _gunzip(raw, max_bytes=max_bytes, location=location)


#: How much compressed data an inflater is given at a time: what is left of a step when a
#: member ends is all that is copied for the next one, so the work stays linear in the data.
_INFLATE_STEP: Final = 4096


def _gunzip(data: bytes, *, max_bytes: int, location: str) -> bytes:
    if not data.startswith(_GZIP_MAGIC):
        raise _error(_MALFORMED_LIST, location, "not_gzip")
    expanded = bytearray()
    view = memoryview(data)
    position = members = 0
    # RFC 1952 §2.2: a GZIP file is a series of members; each one is inflated in turn, and
    # the limit holds for their total.
    while position < len(data):
        if not data.startswith(_GZIP_MAGIC, position):
            raise _error(_MALFORMED_LIST, location, "after_gzip")
        members += 1
        if members > MAX_GZIP_MEMBERS:
            raise _error(_MALFORMED_LIST, location, "gzip_members",
                         most=f"{MAX_GZIP_MEMBERS:,}")
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while not inflater.eof:
            if position >= len(data):
                raise _error(_MALFORMED_LIST, location, "gzip_truncated")
            pending: bytes | memoryview = view[position:position + _INFLATE_STEP]
            position += len(pending)
            while pending and not inflater.eof:
                try:
                    expanded += inflater.decompress(pending, max_bytes - len(expanded) + 1)
                except zlib.error as exc:
                    raise _error(_MALFORMED_LIST, location, "gzip_corrupt",
                                 detail=str(exc)) from None
                if len(expanded) > max_bytes:
                    raise _error(_MALFORMED_LIST, location, "gzip_bomb",
                                 most=f"{max_bytes:,}")
                pending = inflater.unconsumed_tail
        # What the last step held past the member's end starts the next member.
        position -= len(inflater.unused_data)
    if not expanded:
        raise _error(_MALFORMED_LIST, location, "gzip_empty")
    return bytes(expanded)


def _entries_in(bitstring_length: int, status_size: int) -> int:
    return bitstring_length * 8 // status_size


def _check_length(size: int, minimum_entries: int, location: str) -> None:
    if size < minimum_entries:
        raise _error(_TOO_SHORT, location, "too_short", size=f"{size:,}",
                     minimum=f"{minimum_entries:,}")


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
            raise _error(_MALFORMED_LIST, "bits", "no_bytes")
        _check_status_size(self.status_size, "statusSize", _MALFORMED_LIST)
        if not isinstance(self.purpose, str) or not self.purpose:
            raise _error(_MALFORMED_LIST, "statusPurpose", "no_purpose")

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
            raise _error(_MALFORMED_LIST, "size", "size_bytes", value=repr(size))
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
