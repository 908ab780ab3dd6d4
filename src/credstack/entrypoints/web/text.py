"""Refuse text no one can read or store, before a route reads it (issue 55).

A control character in a request's text reached readers and stores that fail on it: U+0018 in
a credit-bank target's pathway stopped the YAML reader (a 500), U+0091 in a CASE package too,
and PostgreSQL refuses U+0000 in any text column. One middleware reads the text of every
request before any route does — the path, the query string, and a body of a text type: JSON
(``application/json``, ``…+json``, or a body with no type, as FastAPI reads it; its escapes
too), a form (``application/x-www-form-urlencoded``, and the fields of a
``multipart/form-data`` one that are no file), ``text/…``, XML, YAML, a JWT — and
answers a 422 problem (``invalid-text``) naming the field (``body: text``, ``query: q``,
``form: email``, ``path``) when it holds:

* a control character other than tab, line feed and carriage return (C0, DEL and C1:
  U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+007F–U+009F), raw or as a JSON escape
  (``\\u0018``, ``\\b``, ``\\f``);
* half of a surrogate pair alone (``\\ud800``): no UTF-8 can hold it;
* bytes that do not decode as UTF-8.

Uploaded files (images, PDFs, CBOR, a multipart form's files) and a ``text/…`` body declaring
another character set than UTF-8 (``text/csv; charset=shift_jis``) are the services' to read; a
multipart body declared larger than :data:`MULTIPART_SCREENED` (1 MiB: files, not a form's
words) is passed on unread, so that a route that refuses a body by its declared length (the
comparison of credentials' 20 MB) still answers before it is sent. Other bodies are read whole
(its size is bounded by :class:`~credstack.entrypoints.web.limits.BodySizeLimit`, and its
nesting by :class:`~credstack.entrypoints.web.nesting.NestingLimit`, both of which run first)
and passed on. The scan is a few regular expressions over the bytes; only a refused body is
parsed, to name the field.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final
from urllib.parse import parse_qsl, unquote_to_bytes

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from credstack.core.descriptors.interchange import format_path
from credstack.entrypoints.web import problems
from credstack.entrypoints.web.held_body import hold
from credstack.errors import InvalidTextError, Problem

__all__ = ["MULTIPART_SCREENED", "TextScreen", "unreadable"]

#: Every byte but the C0 controls a text may not hold (all but tab, line feed and carriage
#: return) and DEL: deleted, what is left is what may not be there (``bytes.translate`` is
#: ten times as fast as a regular expression's character class).
_NOT_C0: Final = bytes(b for b in range(256)
                       if not ((b < 0x20 and b not in b"\t\n\r") or b == 0x7F))
#: A C1 control in UTF-8 (two bytes from 0xC2, which is never a continuation byte).
_C1: Final = re.compile(rb"\xc2[\x80-\x9f]")
#: The controls a text may not hold, and half of a surrogate pair, in decoded text.
_DECODED: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: A JSON escape making a control character or half of a surrogate pair (a high half with
#: the low one after it in group ``low``).
_ESCAPE: Final = re.compile(
    rb"\\(?:[bf]|u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
    rb"|u[dD][89abAB][0-9a-fA-F]{2}(?P<low>\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    rb"|u[dD][c-fC-F][0-9a-fA-F]{2})")
#: The largest multipart body whose fields are screened before the route reads it.
MULTIPART_SCREENED: Final = 1 << 20
_FORM: Final = b"application/x-www-form-urlencoded"
_MULTIPART: Final = b"multipart/form-data"
#: Bodies read as text besides ``text/…``, JSON and forms.
_TEXT_TYPES: Final = frozenset({b"application/xml", b"application/yaml", b"application/x-yaml",
                                b"application/jwt"})


def _bad_bytes(data: bytes) -> bool:
    """Whether ``data`` is no UTF-8 or holds a control character."""
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
        if _C1.search(data) is not None:
            return True
    return bool(data.translate(None, _NOT_C0))


def _escaped(data: bytes, at: int) -> bool:
    """Whether the backslash at ``at`` is escaped (an odd run of backslashes before it)."""
    before = at
    while before > 0 and data[before - 1] == 0x5C:
        before -= 1
    return (at - before) % 2 == 1


def _bad_json(data: bytes) -> bool:
    """Whether JSON ``data`` is no UTF-8 or holds a control character or a lone surrogate,
    raw or escaped."""
    if _bad_bytes(data):
        return True
    if b"\\u" not in data and b"\\b" not in data and b"\\f" not in data:
        return False
    # A real escape is bad unless it is a whole pair; one that is text (after an escaped
    # backslash, ``\\ud800``) is bad only when a real low half follows it, alone.
    return any(_escaped(data, found.start()) == (found["low"] is not None)
               for found in _ESCAPE.finditer(data))


def _json_location(data: bytes) -> str:
    """Where in JSON ``data`` the first unreadable text is (a key's: its object)."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return "body"
    pending: list[tuple[list[str | int], Any]] = [([], document)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            found = _DECODED.search(value) is not None
        elif isinstance(value, dict):
            found = any(_DECODED.search(key) for key in value)
            pending.extend(([*path, key], item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            found = False
            pending.extend(([*path, index], item) for index, item
                           in reversed(list(enumerate(value))))
        else:
            found = False
        if found:
            return f"body: {format_path(path)}" if path else "body"
    return "body"


def _pairs_location(where: str, data: bytes) -> str | None:
    """The first field of a query string or form ``data`` whose name or value is unreadable
    (``where: name``; only ``where`` when the name itself is)."""
    if not _bad_bytes(data) and b"%" not in data:
        return None
    # Decoded byte for byte (latin-1), then each name and value judged as the bytes it is.
    for name, value in parse_qsl(data.decode("latin-1"), keep_blank_values=True,
                                 encoding="latin-1"):
        raw_name = name.encode("latin-1")
        if _bad_bytes(raw_name):
            return where
        if _bad_bytes(value.encode("latin-1")):
            return f"{where}: {raw_name.decode('utf-8')[:60]}"
    return None


class _Parts:
    """The fields of a multipart body that are no file, judged as the parser meets them."""

    def __init__(self) -> None:
        self.found: str | None = None
        self.header = self.value = b""
        self.name = ""
        self.file = False
        self.data: list[bytes] = []

    def begin(self) -> None:
        self.name, self.file, self.data = "", False, []

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.value += data[start:end]

    def header_end(self) -> None:
        if self.header.lower() == b"content-disposition":
            _, options = parse_options_header(self.value)
            self.file = b"filename" in options
            self.name = options.get(b"name", b"").decode("utf-8", "replace")[:60]
        self.header = self.value = b""

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.file:
            self.data.append(data[start:end])

    def end(self) -> None:
        if self.found is None and not self.file and _bad_bytes(b"".join(self.data)):
            self.found = f"form: {self.name}" if self.name else "form"


def _multipart_location(content_type: bytes, body: bytes) -> str | None:
    """The first field of a multipart ``body`` that is no file and holds unreadable text;
    a body that is no multipart is left to the route (which says so)."""
    boundary = parse_options_header(content_type)[1].get(b"boundary")
    if not boundary:
        return None
    parts = _Parts()
    parser = MultipartParser(boundary, {
        "on_part_begin": parts.begin, "on_header_field": parts.header_field,
        "on_header_value": parts.header_value, "on_header_end": parts.header_end,
        "on_part_data": parts.part_data, "on_part_end": parts.end})
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError:
        return None
    return parts.found


def _content_type(scope: Scope) -> bytes:
    value: bytes
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value
    return b""


def _media(scope: Scope) -> bytes:
    return _content_type(scope).split(b";")[0].strip().lower()


def _json_media(media: bytes) -> bool:
    return not media or media in (b"application/json", b"application/vc") \
        or media.endswith(b"+json")


def _large_multipart(scope: Scope) -> bool:
    """Whether the request declares a multipart body over :data:`MULTIPART_SCREENED`."""
    if _media(scope) != _MULTIPART:
        return False
    for name, value in scope["headers"]:
        if name == b"content-length":
            return value.isdigit() and int(value) > MULTIPART_SCREENED
    return False


def _other_charset(scope: Scope) -> bool:
    """Whether a ``text/…`` body declares a character set other than UTF-8 (a registrar's
    Shift_JIS export, ``text/csv; charset=shift_jis``): its route decodes it, and refuses
    what it cannot read."""
    media = _media(scope)
    if not media.startswith(b"text/"):
        return False
    charset = parse_options_header(_content_type(scope))[1].get(b"charset", b"utf-8")
    return charset.lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii")


def _text_media(media: bytes) -> bool:
    return (_json_media(media) or media in (_FORM, _MULTIPART) or media.startswith(b"text/")
            or media in _TEXT_TYPES or media.endswith((b"+xml", b"+jwt", b"+yaml")))


def unreadable(scope: Scope, body: bytes | None) -> str | None:
    """Where the request of ``scope`` holds unreadable text (``path``, ``query: q``,
    ``body: a.b``, ``form: f``), ``None`` where it holds none; ``body``: the body read whole,
    ``None`` when it is not text."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")
    if (b"%" in raw_path or not raw_path.isascii()) and _bad_bytes(unquote_to_bytes(raw_path)):
        return "path"
    where = _pairs_location("query", scope.get("query_string", b""))
    if where is not None or not body:
        return where
    media = _media(scope)
    if media == _FORM:
        return _pairs_location("form", body)
    if media == _MULTIPART:
        return _multipart_location(_content_type(scope), body)
    if _json_media(media):
        return _json_location(body) if _bad_json(body) else None
    return "body" if _bad_bytes(body) else None


class TextScreen:
    """ASGI middleware: the path and query of every request, and bodies of a text type read
    whole, judged (see the module) and passed on, or refused."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE") or not _text_media(
                _media(scope)) or _large_multipart(scope) or _other_charset(scope):
            where = unreadable(scope, None)
            if where is None:
                await self.app(scope, receive, send)
            else:
                await _refuse(where, scope, receive, send)
            return
        held = await hold(receive)
        where = unreadable(scope, held.body)
        if where is not None:
            await _refuse(where, scope, receive, send)
            return
        await self.app(scope, held.replay(receive), send)


async def _refuse(where: str, scope: Scope, receive: Receive, send: Send) -> None:
    refused = InvalidTextError(
        f"The request's text in {where} holds a control character or bytes that are not "
        "UTF-8; only tabs and line breaks may be sent. / リクエストの文字（"
        f"{where}）に制御文字か UTF-8 でないバイトがあります。送れるのはタブと改行だけです。",
        problems=[Problem(where, "a control character or bytes that are not UTF-8",
                          message_ja="制御文字か UTF-8 でないバイト")])
    await problems.error_response(Request(scope), refused)(scope, receive, send)
