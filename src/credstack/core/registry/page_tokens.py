"""Page tokens: where the next page of a search starts, tamper-evident.

Results are paged by *keyset*, not by offset: a token holds the position of the last hit
shown in the result's order (a document number, or a sort key and document number), so the
next page is found by a seek, however deep, and hits do not shift between pages when a
programme is published meanwhile. The token also holds a fingerprint of the query it belongs
to (text, filters, sort) and is signed with HMAC-SHA-256 under a secret of the index
(16 bytes of tag). A token that was altered, cut short, made up, or taken from another search
is refused with :class:`PageTokenError`, which names the ``after`` parameter — never
silently read as some other position.

Layout (before base64url without padding)::

    version (1) | sort (1) | group (1) | position (8, big-endian) | fingerprint (8) | tag (16)

Pure: the secret is a parameter; the adapter keeps it beside the index.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import struct
from dataclasses import dataclass
from typing import Final

from credstack.core.registry.query import MAX_TOKEN_LENGTH, SORTS, SearchQuery
from credstack.core.registry.text import MAX_QUERY_LENGTH, normalise
from credstack.errors import PageTokenError, Problem

__all__ = ["Position", "decode_token", "encode_token", "query_fingerprint"]

_VERSION: Final = 1
_LAYOUT: Final = struct.Struct(">BBBQ8s")
_TAG_BYTES: Final = 16


@dataclass(frozen=True, slots=True)
class Position:
    """Where the last hit of a page stands in the result's order."""

    #: 0 for title matches, 1 for the rest (relevance order); 0 otherwise.
    group: int
    #: The document number (relevance, newest) or the composite sort key (other sorts).
    key: int


def query_fingerprint(query: SearchQuery) -> bytes:
    """Eight bytes that differ between searches whose results are ordered differently."""
    text = " ".join(normalise(query.text[:MAX_QUERY_LENGTH]).split())
    canonical = json.dumps(
        [text, sorted((name, sorted(values)) for name, values in query.filters.items()),
         query.sort, query.language if query.sort == "title" else ""],
        ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).digest()[:8]


def _tag(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()[:_TAG_BYTES]


def encode_token(query: SearchQuery, position: Position, *, secret: bytes) -> str:
    """The token of the page after ``position`` in ``query``'s results."""
    payload = _LAYOUT.pack(_VERSION, SORTS.index(query.sort), position.group, position.key,
                           query_fingerprint(query))
    return base64.urlsafe_b64encode(payload + _tag(secret, payload)).rstrip(b"=").decode()


def _refuse(message: str) -> PageTokenError:
    return PageTokenError(
        f"The page token (after) {message}; start again from the first page.",
        problems=[Problem("after", message)])


def decode_token(token: str, query: SearchQuery, *, secret: bytes) -> Position:
    """The position a token of ``query`` names; :class:`PageTokenError` for any other token."""
    if len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        raise _refuse("is not a token this registry issued")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise _refuse("is not a token this registry issued") from None
    if len(raw) != _LAYOUT.size + _TAG_BYTES:
        raise _refuse("is not a token this registry issued")
    payload, tag = raw[:_LAYOUT.size], raw[_LAYOUT.size:]
    if not hmac.compare_digest(tag, _tag(secret, payload)):
        raise _refuse("has been altered or was issued by another registry index")
    version, sort, group, key, fingerprint = _LAYOUT.unpack(payload)
    if version != _VERSION or sort >= len(SORTS) or group > 1:
        raise _refuse("is not a token this registry issued")
    if SORTS[sort] != query.sort or fingerprint != query_fingerprint(query):
        raise _refuse("belongs to a different search (text, filters or sort changed)")
    return Position(group, key)
