"""Reading JSON the way the steps of every format do (credentials, presentations, Open Badges
2.0, CLR): strictly parsed text, sets as lists, types, every object inside a document, nesting
depth with a limit, XML Schema date-times as instants, and the credstack error behind an
exception that a library wrapped."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

import orjson

from credstack.core.said import Said
from credstack.core.verification.checks import Refusal
from credstack.errors import CredstackError

__all__ = ["MAX_DEPTH", "credstack_cause", "depth", "instant", "items", "jws_part",
           "jws_payload", "lenient_loads", "strict_loads", "types", "walk"]

#: The deepest nesting of objects and arrays a verified document may have. A credential is
#: about ten levels deep.
MAX_DEPTH: Final = 64
#: A number orjson may not read exactly (beyond 64 bits) holds a run of 19 digits: found by
#: writing every digit as 0 and looking for 19 zeros, ten times as fast as a regular
#: expression, which tries a match at every position of the text.
_DIGITS_AS_ZEROS: Final = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS: Final = b"0" * 19
#: The types of parsed JSON's leaves.
_SCALARS: Final = frozenset({str, int, float, bool, type(None)})

#: XML Schema 1.1 ``dateTime`` (Part 2 §3.3.7); the zone makes it a ``dateTimeStamp``.
_DATE_TIME = re.compile(
    r"(?P<sign>-?)(?P<year>[1-9][0-9]{3,}|0[0-9]{3})-(?P<month>0[1-9]|1[0-2])"
    r"-(?P<day>0[1-9]|[12][0-9]|3[01])T(?P<hour>[01][0-9]|2[0-4]):(?P<minute>[0-5][0-9])"
    r":(?P<second>[0-5][0-9])(?:\.(?P<fraction>[0-9]+))?"
    r"(?P<zone>Z|(?P<zsign>[+-])(?P<zhour>0[0-9]|1[0-4]):(?P<zminute>[0-5][0-9]))?")


def items(value: object) -> list[Any]:
    """A JSON-LD set as a list: one value or an array of values."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def types(value: object) -> tuple[str, ...] | None:
    """``type`` as a tuple of strings; ``None`` when it is neither a string nor strings."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def walk(value: Any) -> Iterator[Mapping[str, Any]]:
    """Every JSON object inside ``value``, ``value`` included (iteratively)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _SCALARS:  # most of a document: asked first, by exact type
            continue
        if kind is dict or isinstance(item, Mapping):
            yield item
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


#: The longest text whose reading as an instant is remembered (a date-time with a fraction
#: of a second and a zone is about 35 characters): a long string is not kept alive.
_REMEMBERED_TEXT: Final = 64


def instant(value: object, *, require_zone: bool = True) -> dt.datetime | None:
    """An XML Schema ``dateTime(Stamp)`` as an aware datetime (UTC when it has no zone).

    Years beyond Python's range are clamped to its limits, which is all a comparison with
    ``now`` needs; ``None`` when ``value`` is not a date-time.
    """
    if not isinstance(value, str):
        return None
    if len(value) <= _REMEMBERED_TEXT:
        # A credential verified again and again holds the same few dates each time: read
        # once (a tenth of the time of reading them again).
        return _remembered_instant(value, require_zone)
    return _instant(value, require_zone)


def _instant(value: str, require_zone: bool) -> dt.datetime | None:
    match = _DATE_TIME.fullmatch(value)
    if match is None or (require_zone and match["zone"] is None):
        return None
    year = int(match["year"]) * (-1 if match["sign"] else 1)
    month, day = int(match["month"]), int(match["day"])
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    if hour == 24 and (minute or second or int(match["fraction"] or "0")):
        return None
    offset = dt.timedelta(0)
    if match["zsign"]:
        offset = dt.timedelta(hours=int(match["zhour"]), minutes=int(match["zminute"]))
        if match["zsign"] == "-":
            offset = -offset
    if year > dt.MAXYEAR:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    if year < dt.MINYEAR:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    try:
        moment = dt.datetime(year, month, day, 0, minute, second, int(fraction),
                             tzinfo=dt.timezone(offset))
    except ValueError:
        return None
    try:
        return moment + dt.timedelta(hours=hour)
    except OverflowError:
        return dt.datetime.max.replace(tzinfo=dt.UTC)


_remembered_instant = functools.lru_cache(maxsize=4096)(_instant)


def lenient_loads(data: str | bytes) -> Any:
    """``data`` parsed exactly as the standard library parses it, for a first look (which
    format, which recipient) before the strict reading judges it: by orjson, several times
    as fast, unless the text holds a run of 19 digits or more (orjson reads an integer
    beyond 64 bits as a float) or orjson refuses it (``NaN``, nesting past its limit).
    Raises ``ValueError`` (or ``RecursionError``) as :func:`json.loads` does."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    if _LONG_DIGITS not in raw.translate(_DIGITS_AS_ZEROS):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data)


def jws_payload(text: str) -> object:
    """The JSON payload of a compact JWS (not verified), or None when it is none."""
    parts = text.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        return json.loads(payload)
    except (binascii.Error, ValueError, RecursionError):
        return None


def jws_part(part: str, where: str) -> Any:
    """The ``where`` (``header``, ``payload``) of a compact JWS read as strict JSON, else
    :class:`Refusal` (``not-a-jwt`` when it is not base64url)."""
    try:
        data = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise Refusal("not-a-jwt", Said("verification.json.jws_not_base64url", part=where)
                      ) from None
    return strict_loads(data, Said("verification.json.jws_part", part=where))


def strict_loads(data: str | bytes, what: Said | str, *, check_depth: bool = True) -> Any:
    """``data`` parsed as JSON a verifier can trust, else :class:`Refusal` naming ``what``
    (a phrase of the message, ``the credential``, or a URL).

    Refused: text that is not JSON or not UTF-8, a key repeated in one object (which value
    counts would depend on the reader), ``NaN`` and ``Infinity``, and nesting deeper than
    :data:`MAX_DEPTH` (unless ``check_depth`` is off, for a document already measured).
    """
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)  # in C; only an object with a repeated key is looked at again
        if len(result) < len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise Refusal("duplicate-key", Said("verification.json.duplicate_key",
                                                        key=repr(key), what=what), key=key)
                seen.add(key)
        return result

    def no_constant(name: str) -> Any:
        raise Refusal("not-json", Said("verification.json.constant", what=what, name=name))

    too_deep = Said("verification.json.too_deep", what=what, depth=MAX_DEPTH)
    try:
        value = json.loads(data, object_pairs_hook=unique, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise Refusal("not-json", Said("verification.json.invalid", what=what, error=exc.msg,
                                       line=exc.lineno, column=exc.colno),
                      line=exc.lineno, column=exc.colno) from None
    except UnicodeDecodeError:
        raise Refusal("not-json", Said("verification.json.not_utf8", what=what)) from None
    except RecursionError:
        raise Refusal("too-deep", too_deep) from None
    if check_depth and depth(value) > MAX_DEPTH:
        raise Refusal("too-deep", too_deep)
    return value


def depth(value: Any) -> int:
    """How deeply parsed JSON (objects and arrays) nests, stopping past :data:`MAX_DEPTH`.

    Walked a layer at a time, telling containers by their exact type first: parsed JSON is
    made of ``dict``, ``list`` and scalars, and the abstract ``Mapping`` check, kept for
    other mappings, is what made the walk cost more than the parse.
    """
    deepest, layer = 0, [value]
    while layer:
        below: list[Any] = []
        containers = 0
        for item in layer:
            kind = type(item)
            if kind in _SCALARS:
                continue
            if kind is dict or (kind is not list and isinstance(item, Mapping)):
                below.extend(item.values())
            elif isinstance(item, list):
                below.extend(item)
            else:
                continue
            containers += 1
        if not containers:
            break
        deepest += 1
        if deepest > MAX_DEPTH:
            break
        layer = below
    return deepest


def credstack_cause(error: BaseException) -> CredstackError | None:
    """The CredstackError behind an exception (PyLD wraps the loader's errors in its own)."""
    seen: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and all(cause is not other for other in seen):
        if isinstance(cause, CredstackError):
            return cause
        seen.append(cause)
        cause = cause.__cause__ or cause.__context__
    return None
