"""Multibase: base58-btc (``z…``) and base64url without padding (``u…``).

Controlled Identifiers v1.0, §2.4 "Multibase" — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/cid-1.0/#multibase-0 ; the base58-btc alphabet and algorithm are those
of "The Base58 Encoding Scheme", draft-msporny-base58-03 (2021) —
https://datatracker.ietf.org/doc/html/draft-msporny-base58-03 .

Base58 is written here rather than taken from PyPI: it is twenty lines, the packages that
offer it are small and rarely maintained, and a proof layer should not depend on one for an
algorithm this short. It is tested against the draft's own examples.

Every decoder raises :class:`~credstack.errors.MalformedCredentialError` on bad input — a
wrong prefix, a character outside the alphabet, padding, a non-canonical encoding — so a
caller can never mistake garbage for an empty value. :func:`base64url_json` reads the JSON
that JOSE texts carry in base64url (a JWS part, a did:jwk, an SD-JWT disclosure) as strictly.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from credstack.errors import MalformedCredentialError

BASE58BTC_PREFIX = "z"
BASE64URL_PREFIX = "u"

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {character: value for value, character in enumerate(_ALPHABET)}
_PAIRS = [high + low for high in _ALPHABET for low in _ALPHABET]
_CHUNK = 58**10
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def base58_encode(data: bytes) -> str:
    """Base58-btc without the multibase prefix; each leading zero byte becomes a ``1``."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    # Peel off ten digits at a time with one big-number division, then two at a time from a
    # table: a 64-byte signature costs a dozen big divisions instead of ninety.
    pairs: list[str] = []
    while number:
        number, chunk = divmod(number, _CHUNK)
        for _ in range(5):
            chunk, pair = divmod(chunk, 3364)
            pairs.append(_PAIRS[pair])
    return "1" * zeros + "".join(reversed(pairs)).lstrip("1")


def base58_decode(text: str) -> bytes:
    """The bytes of a base58-btc string (no multibase prefix)."""
    number = 0
    for character in text:
        value = _INDEX.get(character)
        if value is None:
            raise MalformedCredentialError(
                f"{character!r} is not a base58-btc character")
        number = number * 58 + value
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    """Multibase base58-btc: ``z`` followed by the base58 digits."""
    return BASE58BTC_PREFIX + base58_encode(data)


def decode_base58btc(text: str) -> bytes:
    """The bytes of a multibase base58-btc value; anything else is malformed."""
    if not isinstance(text, str) or not text.startswith(BASE58BTC_PREFIX):
        raise MalformedCredentialError(
            "a base58-btc multibase value must be a string starting with 'z'")
    return base58_decode(text[1:])


def encode_base64url(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` followed by RFC 4648 §5 characters."""
    return BASE64URL_PREFIX + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(text: str) -> bytes:
    """The bytes of a multibase base64url (no padding) value, canonical encodings only."""
    if not isinstance(text, str) or not text.startswith(BASE64URL_PREFIX):
        raise MalformedCredentialError(
            "a base64url multibase value must be a string starting with 'u'")
    return base64url_decode(text[1:])


def base64url_decode(body: str) -> bytes:
    """RFC 4648 §5 base64url without padding; rejects padding and non-canonical tails."""
    if not _BASE64URL.fullmatch(body) or len(body) % 4 == 1:
        raise MalformedCredentialError("not base64url without padding")
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - the regex rules these out
        raise MalformedCredentialError("not base64url without padding") from exc
    # Unused low bits in the last character must be zero, so each byte string has exactly
    # one spelling; otherwise two different texts would carry the same signature.
    if base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii") != body:
        raise MalformedCredentialError("not a canonical base64url encoding")
    return data


def strict_json(data: bytes | str, what: str) -> Any:
    """The JSON value of ``data`` (UTF-8), read strictly: no member repeated in one object
    (which value counts would depend on the reader). Raises
    :class:`~credstack.errors.MalformedCredentialError` naming ``what``."""
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, value in pairs:
            if name in found:
                raise ValueError(f"the member {name!r} is repeated")
            found[name] = value
        return found

    try:
        return json.loads(data, object_pairs_hook=unique)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedCredentialError(f"{what} is not JSON: {exc}") from None


def base64url_json(body: str, what: str) -> Any:
    """The JSON value a base64url text holds (:func:`base64url_decode`,
    :func:`strict_json`): a JWS part, a did:jwk, an SD-JWT disclosure."""
    try:
        data = base64url_decode(body)
    except MalformedCredentialError as exc:
        raise MalformedCredentialError(f"{what} is {exc.message}") from None
    return strict_json(data, what)


def decode(text: str) -> bytes:
    """The bytes of a multibase value in either supported base (``z`` or ``u``)."""
    if isinstance(text, str) and text.startswith(BASE64URL_PREFIX):
        return decode_base64url(text)
    if isinstance(text, str) and text.startswith(BASE58BTC_PREFIX):
        return decode_base58btc(text)
    raise MalformedCredentialError(
        "a multibase value must start with 'z' (base58-btc) or 'u' (base64url)")
