"""JSON Canonicalization Scheme (JCS): the bytes ``eddsa-jcs-2022`` hashes.

RFC 8785 "JSON Canonicalization Scheme (JCS)" — June 2020 —
https://www.rfc-editor.org/rfc/rfc8785 : object members sorted by the UTF-16 code units of
their names, no insignificant whitespace, strings with only the mandatory escapes, numbers
as ECMAScript writes them (§3.2.2.3, ECMA-262 Number::toString), UTF-8.

orjson (sorted keys) and, for what orjson refuses or cannot tell apart, CPython's C JSON
encoder with sorted keys already write exactly that for strings, integers, booleans, null,
lists and objects, at a fraction of the cost of a Python serializer (``rfc8785``, pure Python,
takes about ten times as long as the C encoder, which takes ten times as long as orjson);
``jcs`` calls orjson, then the C encoder directly — built once, without the
circular-reference bookkeeping, as a self-referencing value is refused anyway when the
recursion limit is reached — and corrects the two places where they differ from JCS:

* floats are found in the output and rewritten the ECMAScript way (``2.0`` → ``2``,
  ``1e-07`` → ``1e-7``, ``1e+16`` → ``10000000000000000``);
* if a character beyond U+FFFF occurs (key order by UTF-16 code units then differs from code
  point order), or an integer of 16 digits or more (JCS, on IEEE doubles, must refuse what it
  cannot represent), the ``rfc8785`` package serializes the value instead.

A test checks the result against ``rfc8785`` on arbitrary JSON values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

import orjson
import rfc8785

from credstack.errors import MalformedCredentialError

__all__ = ["canonicalize", "ecmascript_number"]


def _refuse(value: object) -> object:
    raise TypeError(f"a {type(value).__name__} is not JSON data")


def _json_encoder() -> Callable[[Any], str]:
    """Sorted, compact JSON text, not ASCII-escaped: the C encoder that
    ``json.JSONEncoder.encode`` builds anew on every call, built once."""
    try:
        from _json import make_encoder
    except ImportError:  # pragma: no cover - CPython always has _json
        return json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True,
                                check_circular=False, separators=(",", ":"),
                                default=_refuse).encode
    encoder = make_encoder(None, _refuse, encode_basestring, None, ":", ",",
                           True, False, False)  # sort_keys, skipkeys, allow_nan

    def encode(value: Any) -> str:
        return "".join(encoder(value, 0))

    return encode


_encode = _json_encoder()
#: Datetimes and dataclasses go to ``default`` (refused), as the C encoder refuses them.
_ORJSON_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
                   | orjson.OPT_PASSTHROUGH_DATACLASS)

# Numbers are found in the UTF-8 output through a translated copy in which ':', ',' and '['
# read 'A', digits and '-' read 'B', '.', 'e' and 'E' read 'C', the lead bytes of characters
# beyond U+FFFF (keys holding one sort differently by UTF-16 code units) read 'D' and all
# else 'x': a float is "AB…C", a long integer "A" and sixteen "B"s, and a regular expression
# over that six-letter text finds them at C speed (it starts with the literal "AB", which the
# engine finds with a substring search). A candidate can also lie inside a string ("at 1.5,"
# in a sentence): each is checked against the string boundaries before it is rewritten.
_MARKS = bytes(
    ord("A") if byte in b":,[" else ord("B") if byte in b"-0123456789"
    else ord("C") if byte in b".eE" else ord("D") if 0xF0 <= byte <= 0xF4 else ord("x")
    for byte in range(256))
_CANDIDATE = re.compile(rb"AB(?:B{0,14}C|B{15})")
_NUMBER = re.compile(rb"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_ESCAPED_QUOTE_RUN = re.compile(rb'\\+(?=")')
_AFTER_VALUE = (b",", b"]", b"}")


class _NeedsRfc8785(Exception):
    """The fast path cannot produce this value's canonical form."""


def canonicalize(value: Any) -> bytes:
    """The RFC 8785 canonical form of a JSON value, as UTF-8 bytes."""
    data = _orjson(value)
    if data is None:
        data = _c_encoded(value)
    marks = data.translate(_MARKS)
    # A number on its own, or a character beyond U+FFFF anywhere: rfc8785 decides.
    if marks[:1] == b"B" or marks.find(b"D") >= 0:
        return _slow(value)
    try:
        return _rewrite_numbers(data, marks)
    except _NeedsRfc8785:
        return _slow(value)


def _orjson(value: Any) -> bytes | None:
    """Sorted compact UTF-8 JSON from orjson, about ten times as fast as the C encoder, or
    ``None`` where the C encoder must decide: whatever orjson refuses (lone surrogates,
    integers beyond 64 bits, keys that are not strings, nesting beyond 255 levels, objects
    that are not JSON) and any text holding ``null``, because orjson writes NaN and the
    infinities as ``null`` where JCS must refuse them. Its strings (only the mandatory
    escapes, short forms for the five, lowercase ``\\u00xx`` for other controls) and its key
    order (by code point: UTF-16 order when no key holds a character beyond U+FFFF, which
    :func:`canonicalize` checks) are what RFC 8785 writes; its floats are rewritten as the
    C encoder's are."""
    try:
        data = orjson.dumps(value, default=_refuse, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return None
    return None if data.find(b"null") >= 0 else data


def _c_encoded(value: Any) -> bytes:
    try:
        return _encode(value).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedCredentialError("a string holds a lone surrogate") from exc
    except (TypeError, ValueError) as exc:
        raise MalformedCredentialError(f"not JSON data: {exc}") from exc
    except RecursionError:
        raise MalformedCredentialError("the JSON document is nested too deeply") from None


def _slow(value: Any) -> bytes:
    try:
        result: bytes = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise MalformedCredentialError(f"not canonicalizable JSON (RFC 8785): {exc}") from exc
    except RecursionError:
        raise MalformedCredentialError("the JSON document is nested too deeply") from None
    return result


def _rewrite_numbers(data: bytes, marks: bytes) -> bytes:
    candidates = _CANDIDATE.finditer(marks)
    # Without any escaped quote in the text (the usual case), string boundaries are simply
    # every quote, counted once from left to right. A text without any backslash (found
    # faster than a backslash-quote pair) has none.
    plain_quotes = data.find(b"\\") < 0 or data.find(b'\\"') < 0
    quotes = counted = 0
    pieces: list[bytes] = []
    last = 0
    for candidate in candidates:
        start = candidate.start() + 1
        match = _NUMBER.match(data, start)
        if match is None:  # a lone '-' inside a string
            continue
        end = match.end()
        is_float = match.lastindex is not None  # a fraction or an exponent
        if not (is_float or end - start >= 16) or data[end:end + 1] not in _AFTER_VALUE:
            continue
        if plain_quotes:
            quotes += data.count(b'"', counted, start)
            counted = start
            inside = quotes % 2 == 1
        else:
            inside = _inside_string(data, start)
        if inside:
            continue
        if not is_float:
            raise _NeedsRfc8785  # JCS numbers are IEEE doubles: rfc8785 decides
        pieces.append(data[last:start])
        pieces.append(_number(match.group()))
        last = end
    if not pieces:
        return data
    pieces.append(data[last:])
    return b"".join(pieces)


def _number(token: bytes) -> bytes:
    if token.endswith(b".0"):
        # An integral float below 1e16 (CPython writes larger ones with an exponent):
        # ECMAScript writes the integer.
        whole = token[:-2]
        return b"0" if whole in (b"0", b"-0") else whole
    return ecmascript_number(float(token)).encode("ascii")


def _inside_string(data: bytes, position: int) -> bool:
    # The encoder writes a quote inside a string as \" (and a backslash as \\): a quote
    # preceded by an odd run of backslashes is escaped, every other quote opens or closes.
    quotes = data.count(b'"', 0, position)
    if data.find(b'\\"', 0, position) < 0:
        return quotes % 2 == 1
    escaped = sum(len(run) % 2 for run in _ESCAPED_QUOTE_RUN.findall(data, 0, position))
    return (quotes - escaped) % 2 == 1


def ecmascript_number(value: float) -> str:
    """ECMA-262 Number::toString(10) of a finite float (what JCS writes for numbers)."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    stripped = all_digits.lstrip("0")
    # value = 0.<digits> × 10**point, the digits being the shortest that round-trip.
    point = len(whole) + int(exponent or 0) - (len(all_digits) - len(stripped))
    digits = stripped.rstrip("0")
    count = len(digits)
    if count <= point <= 21:
        return sign + digits + "0" * (point - count)
    if 0 < point <= 21:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    power = point - 1
    head = digits[0] + (f".{digits[1:]}" if count > 1 else "")
    return f"{sign}{head}e{'+' if power >= 0 else '-'}{abs(power)}"
