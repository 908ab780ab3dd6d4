"""Baking credentials into PNG images, and extracting them.

Specifications:

* *Open Badges Specification v3.0*, §5.3 "Baked Badge" → "PNG" (``#png-baking``,
  ``#png-extracting``), 1EdTech Consortium, Final Release of 27 May 2024,
  https://www.imsglobal.org/spec/ob/v3p0/#baking — an ``iTXt`` chunk with keyword
  ``openbadgecredential`` whose text is the ``OpenBadgeCredential`` JSON (embedded proof) or
  its compact JWS (VC-JWT).
* *Open Badges Baking Specification* (Open Badges 2.0), IMS Global, Final Release of
  12 April 2018,
  https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/index.html — an
  ``iTXt`` chunk with keyword ``openbadges`` whose text is the assertion JSON or a signed
  assertion (compact JWS); the pre-2.0 "legacy" form, a ``tEXt`` chunk holding the hosted
  assertion's URL, is read too.
* The chunk layout: *Portable Network Graphics (PNG) Specification (Third Edition)*, W3C
  Recommendation, 24 June 2025, https://www.w3.org/TR/png-3/ — the signature
  (``#5PNG-file-signature``), the chunk layout and CRC (``#5Chunk-layout``), ``iTXt``
  (``#11iTXt``).

Both specifications agree: compression MUST NOT be used (flag 0, method 0), the language tag
and translated keyword carry nothing, the chunk MUST NOT appear more than once, and a
re-bake may fail or overwrite (credstack fails unless ``replace=True``).

Why no PNG library: baking touches only the chunk list — an 8-byte signature, then
length/type/data/CRC-32 records — never the pixels. Writing that framing with
:func:`zlib.crc32` is a few dozen exact lines; a library (pypng, Pillow) would decode or
re-encode the image, hide the chunk order, and — the reason that matters for untrusted
input — decompress data we never need. This module decompresses nothing at all, so a
decompression bomb has nothing to detonate.

What an image must be before anything is read from it (each refusal names the chunk and its
byte offset): the PNG signature; at most :data:`MAX_PNG_BYTES` in all and
:data:`MAX_CHUNKS` chunks; every chunk complete, of a valid type, no longer than
:data:`MAX_CHUNK_BYTES`, with a matching CRC; ``IHDR`` first (13 bytes); ``IEND`` last
(empty), with nothing after it. A baked chunk must be uncompressed, at most
:data:`~credstack.core.images.baked.MAX_PAYLOAD_BYTES`, valid UTF-8, and unique.

Pure: bytes in, bytes out.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from credstack.core.images.baked import (
    MAX_PAYLOAD_BYTES,
    Extracted,
    Standard,
    already_baked,
    read_payload,
    several_baked,
    too_large_to_bake,
)
from credstack.errors import (
    InputError,
    InputTooLargeError,
    MalformedCredentialError,
    Problem,
    UnreadableInputError,
)

__all__ = [
    "KEYWORDS",
    "MAX_CHUNKS",
    "MAX_CHUNK_BYTES",
    "MAX_PNG_BYTES",
    "PNG_SIGNATURE",
    "Chunk",
    "bake_png",
    "extract_png",
    "is_png",
    "itxt_chunk",
    "read_chunks",
    "write_chunk",
]

#: The eight bytes every PNG datastream starts with (PNG §5.2).
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
#: The largest image credstack reads or bakes: a badge is kilobytes; this leaves room.
MAX_PNG_BYTES: Final = 16 * 1024 * 1024
#: The largest single chunk (PNG allows 2³¹ − 1 bytes; no badge needs more than this).
MAX_CHUNK_BYTES: Final = 8 * 1024 * 1024
#: The most chunks in one image (a 16 MiB image in 8 KiB IDAT chunks has 2,048).
MAX_CHUNKS: Final = 65_536
#: The iTXt keyword of each standard.
KEYWORDS: Final = {Standard.OB3: b"openbadgecredential", Standard.OB2: b"openbadges"}

_BY_KEYWORD: Final = {keyword: standard for standard, keyword in KEYWORDS.items()}
_TEXT_TYPES: Final = (b"iTXt", b"tEXt", b"zTXt")
_LENGTH: Final = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One chunk: its type, its data, and where it starts in the datastream."""

    type: bytes
    data: bytes
    offset: int

    @property
    def name(self) -> str:
        return self.type.decode("latin-1")

    @property
    def end(self) -> int:
        """The offset just past the chunk (length, type, data and CRC)."""
        return self.offset + 12 + len(self.data)


def is_png(data: bytes) -> bool:
    """Whether ``data`` starts with the PNG signature."""
    return data.startswith(PNG_SIGNATURE)


def write_chunk(chunk_type: bytes, data: bytes) -> bytes:
    """A chunk as it appears in the datastream: length, type, data, CRC-32 of type + data."""
    if len(chunk_type) != 4 or not chunk_type.isalpha():
        raise ValueError(f"a chunk type is four ASCII letters, not {chunk_type!r}")
    return (_LENGTH.pack(len(data)) + chunk_type + data
            + _LENGTH.pack(zlib.crc32(data, zlib.crc32(chunk_type))))


def itxt_chunk(keyword: bytes, text: str) -> bytes:
    """An uncompressed ``iTXt`` chunk with an empty language tag and translated keyword."""
    return write_chunk(b"iTXt", keyword + b"\x00\x00\x00" + b"\x00" + b"\x00"
                       + text.encode("utf-8"))


def _unreadable(message: str, location: str, detail: str) -> UnreadableInputError:
    return UnreadableInputError(message, problems=[Problem(location, detail)])


def read_chunks(data: bytes) -> list[Chunk]:
    """Every chunk of a PNG datastream, after checking its structure (see the module doc)."""
    if len(data) > MAX_PNG_BYTES:
        raise InputTooLargeError(
            f"the PNG image is {len(data):,} bytes; credstack reads at most {MAX_PNG_BYTES:,}",
            problems=[Problem("image", f"over {MAX_PNG_BYTES:,} bytes")])
    if not is_png(data):
        raise _unreadable("not a PNG image", "image",
                          "does not start with the PNG signature 89 50 4E 47 0D 0A 1A 0A")
    chunks: list[Chunk] = []
    position = len(PNG_SIGNATURE)
    while position < len(data):
        where = f"chunk {len(chunks) + 1} at byte {position}"
        if len(chunks) >= MAX_CHUNKS:
            raise InputTooLargeError(f"the PNG image has more than {MAX_CHUNKS:,} chunks",
                                     problems=[Problem(where, "too many chunks")])
        if position + 8 > len(data):
            raise _unreadable("the PNG image is truncated", where,
                              "the file ends inside a chunk header")
        (length,) = _LENGTH.unpack_from(data, position)
        chunk_type = data[position + 4:position + 8]
        if not chunk_type.isalpha():
            raise _unreadable("the PNG image is corrupt", where,
                              f"{chunk_type!r} is not a chunk type (four ASCII letters)")
        where = f"{chunk_type.decode('latin-1')} chunk at byte {position}"
        if length > MAX_CHUNK_BYTES:
            raise InputTooLargeError(
                f"a PNG chunk is too large ({length:,} bytes)",
                problems=[Problem(where, f"declares {length:,} bytes; at most "
                                         f"{MAX_CHUNK_BYTES:,} are read")])
        end = position + 12 + length
        if end > len(data):
            raise _unreadable("the PNG image is truncated", where,
                              f"declares {length:,} data bytes, but the file ends "
                              f"{end - len(data):,} bytes early")
        body = data[position + 8:position + 8 + length]
        (crc,) = _LENGTH.unpack_from(data, position + 8 + length)
        if zlib.crc32(body, zlib.crc32(chunk_type)) != crc:
            raise _unreadable("the PNG image is corrupt", where,
                              "the CRC does not match the chunk's type and data")
        chunks.append(Chunk(chunk_type, body, position))
        position = end
        if chunk_type == b"IEND":
            break
    _check_order(chunks, position, len(data))
    return chunks


def _check_order(chunks: list[Chunk], position: int, size: int) -> None:
    if not chunks or chunks[0].type != b"IHDR":
        found = chunks[0].name if chunks else "nothing"
        raise _unreadable("the PNG image is corrupt", "IHDR",
                          f"the first chunk must be IHDR, found {found}")
    if len(chunks[0].data) != 13:
        raise _unreadable("the PNG image is corrupt", "IHDR chunk at byte 8",
                          f"IHDR holds 13 bytes, this one {len(chunks[0].data)}")
    last = chunks[-1]
    if last.type != b"IEND":
        raise _unreadable("the PNG image is truncated", "IEND",
                          "the file ends without an IEND chunk")
    if last.data:
        raise _unreadable("the PNG image is corrupt", f"IEND chunk at byte {last.offset}",
                          "IEND must be empty")
    if position != size:
        raise _unreadable("the PNG image is corrupt", f"byte {position}",
                          f"{size - position:,} bytes follow the IEND chunk")


def _keyword(chunk: Chunk) -> bytes:
    return chunk.data.split(b"\x00", 1)[0]


def _baked_chunks(chunks: Iterable[Chunk]) -> list[tuple[Standard, Chunk]]:
    return [(_BY_KEYWORD[_keyword(chunk)], chunk) for chunk in chunks
            if chunk.type in _TEXT_TYPES and _keyword(chunk) in _BY_KEYWORD]


def _where(chunk: Chunk) -> str:
    return f"{chunk.name} {_keyword(chunk).decode('latin-1')} chunk at byte {chunk.offset}"


def _text(standard: Standard, chunk: Chunk) -> str:
    """The text of a baked chunk, refusing what the baking specifications forbid."""
    where = _where(chunk)
    body = chunk.data[len(_keyword(chunk)) + 1:]
    if chunk.type == b"zTXt":
        raise MalformedCredentialError(
            "a baked credential must not be compressed",
            problems=[Problem(where, "zTXt is compressed; bake into an uncompressed iTXt")])
    if chunk.type == b"tEXt":
        if standard is Standard.OB3:
            raise MalformedCredentialError(
                "an Open Badges 3.0 credential is baked in an iTXt chunk",
                problems=[Problem(where, "tEXt is only the OB 1.0 legacy form (a URL)")])
        raw = body
    else:
        if len(body) < 2:
            raise MalformedCredentialError("the iTXt chunk is truncated", problems=[
                Problem(where, "no compression flag and method")])
        if body[0] != 0 or body[1] != 0:
            raise MalformedCredentialError(
                "a baked credential must not be compressed",
                problems=[Problem(where, f"compression flag {body[0]}, method {body[1]}; "
                                         "both must be 0 (it is never decompressed)")])
        parts = body[2:].split(b"\x00", 2)
        if len(parts) != 3:
            raise MalformedCredentialError("the iTXt chunk is truncated", problems=[
                Problem(where, "the language tag or translated keyword is not terminated")])
        raw = parts[2]
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise InputTooLargeError(
            "the baked credential is too large",
            problems=[Problem(where, f"{len(raw):,} bytes; at most {MAX_PAYLOAD_BYTES:,}")])
    try:
        return raw.decode("latin-1" if chunk.type == b"tEXt" else "utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedCredentialError(
            "the baked credential is not UTF-8",
            problems=[Problem(where, f"invalid UTF-8 at text byte {exc.start}")]) from None


def _unique(baked: list[tuple[Standard, Chunk]]) -> None:
    for standard in Standard:
        found = [chunk for kind, chunk in baked if kind is standard]
        if len(found) > 1:
            raise several_baked(f"{standard.label} credentials", [_where(c) for c in found])


def extract_png(data: bytes) -> Extracted:
    """The credential baked into a PNG image.

    The whole datastream is checked (see the module doc), and a second chunk with the same
    keyword is an error rather than ignored. An image that carries both an OB 3.0 and an
    OB 2.0 credential gives the OB 3.0 one.
    """
    baked = _baked_chunks(read_chunks(data))
    _unique(baked)
    if not baked:
        raise InputError("the PNG image holds no baked credential", problems=[Problem(
            "image", "no iTXt chunk with keyword openbadgecredential (OB 3.0) or "
                     "openbadges (OB 2.0)")])
    standard, chunk = min(baked, key=lambda item: item[0] is not Standard.OB3)
    return read_payload(_text(standard, chunk), standard=standard, where=_where(chunk))


def bake_png(data: bytes, text: str, *, standard: Standard = Standard.OB3,
             replace: bool = False) -> bytes:
    """``data`` with ``text`` (credential JSON, compact JWS, or an OB 2.0 URL) baked in.

    The chunk goes directly after ``IHDR``, so extraction finds it at once. An image that
    already carries a credential of the same standard is refused unless ``replace``, which
    drops the old chunk. The text is checked as :func:`extract_png` would read it.
    """
    payload = read_payload(text, standard=standard, where=f"the {standard.label} credential")
    chunks = read_chunks(data)
    existing = [chunk for kind, chunk in _baked_chunks(chunks) if kind is standard]
    if existing and not replace:
        raise already_baked(standard, _where(existing[0]))
    dropped = {chunk.offset for chunk in existing}
    keyword = KEYWORDS[standard]
    baked = itxt_chunk(keyword, payload.text)
    if len(data) + len(baked) > MAX_PNG_BYTES:
        raise too_large_to_bake(MAX_PNG_BYTES)
    # The chunks are copied as they are (their CRCs already checked), not re-encoded.
    parts = [data[:chunks[0].end], baked]
    parts.extend(data[chunk.offset:chunk.end] for chunk in chunks[1:]
                 if chunk.offset not in dropped)
    return b"".join(parts)
