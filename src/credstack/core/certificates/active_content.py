"""Active content in a PDF: what makes a PDF act by itself when it is opened, found without
trusting its cross-reference table.

Specification: *Document management — Portable document format — Part 2: PDF 2.0*,
ISO 32000-2:2020 (the PDF Association's sponsored edition, 2020),
https://pdfa.org/sponsored-standards/ — §7.2 (lexical conventions: white space, delimiters,
comments, names with ``#xx`` escapes, literal strings), §7.3.8 (streams), §7.5.7 (object
streams), §7.6 (encryption), §12.6 (actions: ``/AA``, ``/OpenAction``, the action types).

:func:`refuse_active_content` reads the bytes as a reader's lexer does — comments and literal
strings skipped, names decoded — and refuses, naming the object and byte offset:

* JavaScript (``/JS``, ``/JavaScript``), additional actions (``/AA``), an ``/OpenAction``
  that is not a page destination (``[…]``, or a reference to an object defined as one
  every time), the actions ``/Launch``, ``/SubmitForm``, ``/ImportData``, ``/GoToR``,
  ``/GoToE`` and ``/Rendition``; ``/RichMedia``; XFA forms;
* an encrypted PDF (``/Encrypt``): its object streams could not be read;
* an object header (``12 0 obj``) inside a stream's data — a cross-reference entry could
  point there, so a reader would see an object this scan skipped;
* an object stream it cannot read (a filter other than Flate, a predictor, decode
  parameters given by reference, a filter given by a reference to an object it cannot find
  outside object streams or that is defined twice differently, corrupt data), or whose
  content inflates past ``max_inflated_bytes`` (all object streams together);
* more than ``max_objects`` objects, or more than ``max_tokens`` steps of the scan — names,
  keywords, comments and string parentheses outside stream data, each a step of a loop in
  Python (:class:`~credstack.errors.InputTooLargeError`).

Allowed: link annotations (``/URI``), signatures and forms without scripts, and embedded
files (``/EmbeddedFile``) — credstack's own certificates carry their credential as one
(``credential.json`` or ``credential.jwt``). Bytes inside other streams' data (content,
fonts, images) are no names to a reader and are not looked at: random bytes hold ``/JS`` or
``/AA`` and then a delimiter about once in 130 MB, so reading them would now and then refuse
a certificate for nothing.

Pure: bytes in, an error out when the PDF would act.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from credstack.core.said import Said
from credstack.errors import HostileUploadError, InputTooLargeError, Problem

__all__ = ["refuse_active_content"]

_INFLATE_STEP: Final = 64 * 1024

_DELIMITED: Final = rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
_HEADER: Final = (rb"(?<![0-9])(?P<number>[0-9]{1,10})[\x00\t\n\x0c\r ]+"
                  rb"(?P<generation>[0-9]{1,5})[\x00\t\n\x0c\r ]+obj" + _DELIMITED)
#: What matters outside stream data and strings: comments and literal strings (to skip),
#: object headers, the trailer, stream keywords and names.
_PDF_SCAN: Final = re.compile(
    rb"(?P<comment>%[^\r\n]*)|(?P<string>\()|(?P<header>" + _HEADER + rb")"
    rb"|(?P<trailer>(?<![^\x00\t\n\x0c\r ])trailer" + _DELIMITED + rb")"
    rb"|(?P<stream>(?<=[\x00\t\n\x0c\r >])stream(?:\r\n|\n|\r))"
    rb"|(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_HEADER: Final = re.compile(_HEADER)
_STRING_PART: Final = re.compile(rb"\\.|[()]", re.DOTALL)
_NAME_ESCAPE: Final = re.compile(rb"#([0-9A-Fa-f]{2})")
_SPACE: Final = rb"(?:[\x00\t\n\x0c\r ]|%[^\r\n]*)*"
#: What follows ``/OpenAction`` or an object header: the first byte of the value, and a
#: reference (``12 0 R``).
_VALUE: Final = re.compile(_SPACE + rb"(.)", re.DOTALL)
_REFERENCE: Final = re.compile(_SPACE + rb"([0-9]{1,10})" + _SPACE + rb"[0-9]{1,5}" + _SPACE
                               + rb"R" + _DELIMITED)
_END_STREAM: Final = re.compile(rb"[\x00\t\n\x0c\r ]*endstream")
_COMMENT_OR_STRING: Final = re.compile(rb"%[^\r\n]*|\(")
_WHITE: Final = rb"[\x00\t\n\x0c\r ]*"
#: An object stream's filter: an array of names, a name, or a reference (``8 0 R``).
_FILTER: Final = re.compile(rb"/Filter" + _WHITE + rb"(?:(?P<direct>\[[^\]]*\]|/[^\x00\t\n\x0c\r "
                            rb"/\[<(]*)|(?P<number>[0-9]{1,10})" + _WHITE
                            + rb"(?P<generation>[0-9]{1,5})" + _WHITE + rb"R" + _DELIMITED + rb")")
_FILTER_NAMES: Final = re.compile(rb"/[^\x00\t\n\x0c\r /\[\]<>()]+")
_OBJECT_END: Final = re.compile(rb"endobj" + _DELIMITED)
#: Names that make a PDF act by itself, and what they are: the message key of their name
#: (``pdf.active.kind.…``), said inside ``pdf.active.contains``.
_ACTIVE: Final = {
    b"/JavaScript": "javascript", b"/JS": "javascript", b"/AA": "additional_actions",
    b"/Launch": "launch", b"/SubmitForm": "submit_form", b"/ImportData": "import_data",
    b"/GoToR": "goto_remote", b"/GoToE": "goto_embedded", b"/Rendition": "rendition",
    b"/RichMedia": "rich_media", b"/XFA": "xfa",
}


def _hostile(code: str, where: str, detail: str, **params: object) -> HostileUploadError:
    """A PDF that would act, or cannot be screened: the message key ``pdf.active.<code>``."""
    return HostileUploadError(code=f"pdf.active.{code}", params=params,
                              problems=[Problem(where, detail)])


def _unscreenable(where: str, detail: str) -> HostileUploadError:
    return _hostile("unscreenable", where, detail)


def _decoded(name: bytes) -> bytes:
    """A name with its ``#xx`` escapes decoded (``/J#61vaScript`` is ``/JavaScript``)."""
    return _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), name)


def _string_close(data: bytes, position: int) -> int:
    """Where the literal string opened just before ``position`` ends (nested parentheses
    and backslash escapes followed), or the end of ``data``."""
    depth = 1
    for match in _STRING_PART.finditer(data, position):
        depth += 1 if match.group() == b"(" else -1 if match.group() == b")" else 0
        if depth == 0:
            return match.end()
    return len(data)


def _without_comments(data: bytes) -> bytes:
    """``data`` with each comment outside a literal string made a space, as a reader's lexer
    reads it (``/Filter%c\\n/FlateDecode`` is ``/Filter /FlateDecode``)."""
    parts, position = [], 0
    while (match := _COMMENT_OR_STRING.search(data, position)) is not None:
        parts.append(data[position:match.start()])
        if match.group() == b"(":
            position = _string_close(data, match.end())
            parts.append(data[match.start():position])
        else:
            parts.append(b" ")
            position = match.end()
    parts.append(data[position:])
    return b"".join(parts)


def refuse_active_content(data: bytes, *, max_objects: int, max_inflated_bytes: int,
                          max_tokens: int) -> None:
    """Raise :class:`~credstack.errors.HostileUploadError` when the PDF ``data`` holds active
    content (see the module doc), and :class:`~credstack.errors.InputTooLargeError` past
    ``max_objects`` objects or ``max_tokens`` steps (8 MiB of ``()`` would be four million,
    some five seconds)."""
    scan = _Scan(max_objects, max_inflated_bytes, max_tokens, data)
    scan.scan(data, None)
    for number, where in scan.open_actions:
        # Every definition of the object (an update may add one) must be a destination.
        if scan.starts.get(number, {b""}) != {b"["}:
            raise _hostile("open_action", where,
                           f"/OpenAction {number}: object {number} is not a page destination")


@dataclass(slots=True)
class _Scan:
    """One pass over a PDF's bytes as a reader lexes them, the data of object streams
    inflated (within a budget) and scanned the same way; other stream data is skipped, and
    an object header inside it refused, since a cross-reference could point there."""

    max_objects: int
    max_inflated_bytes: int
    max_tokens: int
    #: The whole file, where an object stream's indirect ``/Filter`` is looked up.
    document: bytes
    objects: int = 0
    tokens: int = 0
    #: The first byte of each object's value, by object number (one per definition).
    starts: dict[int, set[bytes]] = field(default_factory=dict)
    #: Each ``/OpenAction`` given as a reference: the object it names, and where.
    open_actions: list[tuple[int, str]] = field(default_factory=list)
    inflated: int = 0

    def scan(self, data: bytes, inside: str | None) -> None:
        current, position, object_start = "the file header", 0, 0

        def where(at: int) -> str:
            return f"{inside}, byte {at} of its data" if inside else f"{current} at byte {at}"

        while (match := _PDF_SCAN.search(data, position)) is not None:
            position, kind = match.end(), match.lastgroup
            self._spend(where, match.start())
            if kind == "string":
                position = self._string_end(data, position, where)
            elif kind == "header":
                number = int(match["number"])
                current = f"object {number} {int(match['generation'])}"
                object_start = position
                value = _VALUE.match(data, position)
                self.starts.setdefault(number, set()).add(value.group(1) if value else b"")
                self.objects += 1
                self._check_count(where(match.start()))
            elif kind == "trailer":
                current = "the trailer"
            elif kind == "stream":
                if inside:
                    raise _unscreenable(where(match.start()), "a stream in an object stream")
                position = self._stream(data, object_start, match.start(), position, current)
                # The next stream's dictionary starts after this one: each byte is read once.
                object_start = position
            elif kind == "name":
                self._name(_decoded(match.group()), data, position, where(match.start()))

    def _spend(self, where: Callable[[int], str], at: int) -> None:
        self.tokens += 1
        if self.tokens > self.max_tokens:
            raise InputTooLargeError(
                code="pdf.active.too_complex", params={"limit": self.max_tokens},
                problems=[Problem(where(at), "one too many")])

    def _string_end(self, data: bytes, position: int, where: Callable[[int], str]) -> int:
        """Where the literal string opened just before ``position`` ends (nested
        parentheses and backslash escapes followed)."""
        depth = 1
        for match in _STRING_PART.finditer(data, position):
            if match.group() == b"(":
                self._spend(where, match.start())
                depth += 1
            elif match.group() == b")":
                depth -= 1
                if depth == 0:
                    return match.end()
        return len(data)

    def _check_count(self, where: str) -> None:
        if self.objects > self.max_objects:
            raise InputTooLargeError(
                code="pdf.active.too_many_objects", params={"limit": self.max_objects},
                problems=[Problem(where, "one too many")])

    def _name(self, name: bytes, data: bytes, end: int, where: str) -> None:
        text = name.decode("latin-1")
        if name in _ACTIVE:
            raise _hostile("contains", where, text,
                           what=Said(f"pdf.active.kind.{_ACTIVE[name]}"))
        value = _VALUE.match(data, end) if name == b"/OpenAction" else None
        reference = _REFERENCE.match(data, end) if value is not None else None
        if reference is not None:
            self.open_actions.append((int(reference.group(1)), where))
        elif value is not None and value.group(1) != b"[":
            raise _hostile("open_action", where, "/OpenAction is not a page destination")
        if name == b"/Encrypt":
            raise _unscreenable(where, "/Encrypt: the PDF is encrypted")

    def _stream(self, data: bytes, object_start: int, keyword: int, start: int,
                current: str) -> int:
        """Skip (or, for an object stream, scan) the data of the stream at ``start``;
        where scanning goes on."""
        # Comments go before names are decoded: ``/A#25`` is a name, not a comment.
        head = _decoded(_without_comments(data[object_start:keyword]))
        length = re.search(rb"/Length[\x00\t\n\x0c\r ]+([0-9]{1,10})"
                           rb"(?![\x00\t\n\x0c\r ]+[0-9]+[\x00\t\n\x0c\r ]+R)", head)
        after = start + int(length.group(1)) if length else -1
        ending = _END_STREAM.match(data, after) if length else None
        if ending is not None:
            end, resume = after, ending.end()
        else:
            found = data.find(b"endstream", start)
            end, resume = (found, found + 9) if found >= 0 else (len(data), len(data))
        hidden = _PDF_HEADER.search(data, start, end)
        if hidden is not None:
            raise _hostile("hidden_object", f"{current}, byte {hidden.start()}",
                           hidden.group().decode())
        if re.search(rb"/Type[\x00\t\n\x0c\r ]*/ObjStm" + _DELIMITED + rb"|/First" + _DELIMITED,
                     head):
            self._object_stream(head, data[start:end], current)
        return resume

    def _object_stream(self, head: bytes, data: bytes, current: str) -> None:
        where = f"object stream ({current})"
        if re.search(rb"/DecodeParms" + _WHITE + rb"[0-9]", head):
            raise _unscreenable(where, "decode parameters given by reference")
        names = self._filters(head, where)
        predictor = re.search(rb"/Predictor[\x00\t\n\x0c\r ]+([0-9]+)", head)
        if names not in ([], [b"/FlateDecode"], [b"/Fl"]) or (
                predictor is not None and int(predictor.group(1)) > 1):
            raise _unscreenable(where, f"encoded with {b' '.join(names).decode()}"
                                            f"{' and a predictor' if predictor else ''}")
        count = re.search(rb"/N[\x00\t\n\x0c\r ]+([0-9]{1,10})" + _DELIMITED, head)
        self.objects += int(count.group(1)) if count else 0
        self._check_count(where)
        self.scan(self._inflate(data, where) if names else data, where)

    def _filters(self, head: bytes, where: str) -> list[bytes]:
        """The filters an object stream's dictionary ``head`` names, directly or through a
        reference to an object defined (the same way every time) outside object streams."""
        found = _FILTER.search(head)
        if found is None:
            return []
        if found["direct"] is not None:
            return _FILTER_NAMES.findall(found["direct"])
        number, generation = int(found["number"]), int(found["generation"])
        header = re.compile(rb"(?<![0-9])0*%d[\x00\t\n\x0c\r ]+0*%d[\x00\t\n\x0c\r ]+obj"
                            % (number, generation) + _DELIMITED)
        values = set()
        for definition in header.finditer(self.document):
            end = _OBJECT_END.search(self.document, definition.end())
            value = _decoded(_without_comments(
                self.document[definition.end():end.start() if end else len(self.document)]))
            values.add(b" ".join(value.split()))
        reference = f"/Filter {number} {generation} R"
        if len(values) != 1:
            raise _unscreenable(where, f"{reference}: the object is "
                                       f"{'not found' if not values else 'defined differently'}")
        value = values.pop()
        if not re.fullmatch(rb"/[^\x00\t\n\x0c\r /\[\]<>()]+|\[[^\]]*\]", value):
            raise _unscreenable(where, f"{reference}: the object is not a filter")
        return _FILTER_NAMES.findall(value)

    def _inflate(self, data: bytes, where: str) -> bytes:
        budget = self.max_inflated_bytes - self.inflated
        inflater, parts, pending = zlib.decompressobj(), [], data
        try:
            while not inflater.eof:
                out = inflater.decompress(pending, _INFLATE_STEP)
                parts.append(out)
                self.inflated += len(out)
                if self.inflated > self.max_inflated_bytes:
                    raise _hostile(
                        "inflates", where,
                        f"over {budget:,} bytes when inflated, from {len(data):,}",
                        limit=self.max_inflated_bytes)
                pending = inflater.unconsumed_tail
                if not out and not pending:
                    break
        except zlib.error as exc:
            raise _unscreenable(where, f"the compressed data is corrupt ({exc})") from None
        return b"".join(parts)
