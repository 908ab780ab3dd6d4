"""Screening an upload before the wallet keeps it: what kind of file it is, and whether it is
safe to keep and to give back.

The wallet keeps every upload byte for byte and serves the original to its owner, who may
open it in a browser or a PDF reader; the verifier and the baked-image readers read it again
at every re-check. So :func:`screen` runs first, before anything is stored or verified. It
names the kind from the bytes, as the verifier tells formats apart
(:func:`credstack.services.formats.detect`), and refuses, naming what and
where (a chunk and its byte offset, an element's line and column, a PDF object):

====== ============================= =====================================================
kind   recognised by                 refused (besides size and emptiness)
====== ============================= =====================================================
pdf    ``%PDF-`` at byte 0           JavaScript (``/JS``, ``/JavaScript``), automatic
                                     actions (``/AA``; ``/OpenAction`` other than a page
                                     destination), ``/Launch``, ``/SubmitForm``,
                                     ``/ImportData``, ``/GoToR``, ``/GoToE``,
                                     ``/Rendition``, ``/RichMedia``, ``/XFA``; encryption
                                     (nothing inside could be checked); an object hidden in
                                     a stream's data; object streams that cannot be read
png    the PNG signature             a damaged datastream; too many chunks; absurd ``IHDR``
                                     dimensions; ``zTXt``, ``iCCP`` and compressed ``iTXt``
                                     chunks inflating past a limit (a decompression bomb)
svg    XML (``<`` first)             ``<script>``, ``<foreignObject>`` and other embedding
                                     elements, XHTML, ``on…`` event attributes,
                                     ``javascript:`` URLs, references to anything but a
                                     fragment or a ``data:`` PNG, JPEG, GIF or WebP (``href``,
                                     ``src``, CSS ``url()``, ``src()``, ``image-set()``,
                                     ``@import``, read with CSS escapes and comments
                                     decoded as a browser reads them), animations of
                                     ``href``, a DTD internal subset (entities),
                                     ``xml-stylesheet``; too many elements or attributes
json   ``{`` first                   nesting deeper than the verifier reads, a repeated key
jwt    a compact JWS                 the same, in its header or payload
url    ``http(s)://`` first          anything but one absolute http(s) URL
====== ============================= =====================================================

A file a PDF reader would open as a PDF (``%PDF-`` in its first kilobyte) is refused unless
it is screened as one. The declared media type and file name, when they name a kind, must
agree with the content; a web page or script type is refused. Nothing is inflated without a
bound (a PNG's pixels are never inflated at all), no XML entity is expanded, nothing is
fetched.

Whether the file is a credential, whose, and whether it verifies is not decided here: the
verifier says so after screening.

Pure: bytes in, a kind or an error out.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from credstack.core.certificates.active_content import refuse_active_content
from credstack.core.credentials.baking_png import Chunk, is_png, read_chunks
from credstack.core.credentials.baking_svg import MAX_SVG_ELEMENTS, SVG_NAMESPACE, looks_like_svg
from credstack.core.verification.checks import Refusal
from credstack.core.verification.json_values import strict_loads
from credstack.core.verification.reading import MAX_CREDENTIAL_BYTES
from credstack.errors import (
    HostileUploadError,
    InputTooLargeError,
    Problem,
    UnreadableInputError,
    UnsupportedMediaError,
)

__all__ = ["Screened", "UploadKind", "UploadLimits", "screen"]


class UploadKind(StrEnum):
    """What an upload is, by its bytes."""

    JSON = "json"
    JWT = "jwt"
    URL = "url"
    PNG = "png"
    SVG = "svg"
    PDF = "pdf"

    @property
    def media_type(self) -> str:
        """The media type to give the original back with."""
        return _MEDIA_TYPES[self]


_MEDIA_TYPES: Final = {UploadKind.JSON: "application/json",
                       UploadKind.JWT: "application/jose",  # RFC 7515 §9.2.1: compact
                       UploadKind.URL: "text/uri-list", UploadKind.PNG: "image/png",
                       UploadKind.SVG: "image/svg+xml", UploadKind.PDF: "application/pdf"}


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """How much an upload may hold, and how much work reading it may cause."""

    #: The largest file (the wallet keeps a signed PDF certificate with its fonts).
    max_bytes: int = 8 * 1024 * 1024
    #: The largest credential given as text (JSON, a JWT, a URL): the verifier's own limit.
    max_text_bytes: int = MAX_CREDENTIAL_BYTES
    #: A PNG's chunks (an 8 MiB image in 8 KiB IDAT chunks has 1,024).
    max_png_chunks: int = 4_096
    #: A PNG's width and height, each, and their product: what a viewer would allocate.
    max_png_side: int = 8_192
    max_png_pixels: int = 4_096 * 4_096
    #: What a PNG's compressed chunks (zTXt, iCCP, compressed iTXt) inflate to, together.
    max_inflated_bytes: int = 4 * 1024 * 1024
    #: An SVG's elements (the baked-image reader's own limit) and attributes, all together:
    #: each costs a step in Python (8 MiB holds over a million attributes, some five seconds).
    max_svg_elements: int = MAX_SVG_ELEMENTS
    max_svg_attributes: int = 4 * MAX_SVG_ELEMENTS
    #: A PDF's objects (the certificate verifier reads no more), and what its object
    #: streams inflate to, together.
    max_pdf_objects: int = 20_000
    max_pdf_stream_bytes: int = 16 * 1024 * 1024
    #: The steps of a PDF's scan: names, keywords, comments and string parentheses outside
    #: stream data (credstack's certificate takes about 400).
    max_pdf_tokens: int = 500_000


@dataclass(frozen=True, slots=True)
class Screened:
    """An upload that passed: its kind and its size in bytes."""

    kind: UploadKind
    size: int

    @property
    def media_type(self) -> str:
        return self.kind.media_type


#: How each kind is named in messages, in English and Japanese.
_LABELS: Final = {UploadKind.PNG: ("a PNG image", "PNG 画像"),
                  UploadKind.SVG: ("an SVG image", "SVG 画像"),
                  UploadKind.PDF: ("a PDF", "PDF"),
                  UploadKind.JSON: ("a credential as text (JSON, a JWT or a URL)",
                                    "テキストの証明（JSON、JWT または URL）")}
_TEXT_KINDS: Final = frozenset({UploadKind.JSON, UploadKind.JWT, UploadKind.URL})
_DECLARED_TYPES: Final = {
    "image/png": UploadKind.PNG, "image/apng": UploadKind.PNG,
    "image/svg+xml": UploadKind.SVG, "application/pdf": UploadKind.PDF,
    "application/x-pdf": UploadKind.PDF, "application/json": UploadKind.JSON,
    "application/ld+json": UploadKind.JSON, "application/vc+ld+json": UploadKind.JSON,
    "application/vc": UploadKind.JSON, "application/vc+jwt": UploadKind.JWT,
    "application/jwt": UploadKind.JWT, "application/jose": UploadKind.JWT,
    "text/uri-list": UploadKind.URL}
_DECLARED_EXTENSIONS: Final = {
    "png": UploadKind.PNG, "svg": UploadKind.SVG, "pdf": UploadKind.PDF,
    "json": UploadKind.JSON, "jsonld": UploadKind.JSON, "jwt": UploadKind.JWT,
    "jws": UploadKind.JWT}
#: What a browser runs: never a credential, so never kept.
_WEB_TYPES: Final = frozenset({"text/html", "application/xhtml+xml", "text/javascript",
                               "application/javascript", "application/ecmascript",
                               "text/ecmascript"})
_WEB_EXTENSIONS: Final = frozenset({"html", "htm", "xhtml", "xht", "js", "mjs"})
_OTHER_IMAGES: Final = frozenset({"jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "heic",
                                  "avif", "ico"})
_COMPACT_JWS: Final = re.compile(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_MAX_URL_LENGTH: Final = 2048


def _hostile(en: str, ja: str, where: str, detail: str) -> HostileUploadError:
    return HostileUploadError(f"{en} / {ja}", problems=[Problem(where, detail)])


def _unreadable(en: str, ja: str, where: str, detail: str) -> UnreadableInputError:
    return UnreadableInputError(f"{en} / {ja}", problems=[Problem(where, detail)])


def screen(raw: bytes, *, filename: str | None, media_type: str | None,
           limits: UploadLimits) -> Screened:
    """The kind of ``raw``, or an error saying why it may not be kept (see the module doc).

    ``filename`` and ``media_type`` are what the uploader declared (``None`` when nothing
    was): they must not contradict the content. Raises :class:`InputTooLargeError`,
    :class:`UnreadableInputError` (empty, damaged, not what it starts like),
    :class:`UnsupportedMediaError` (no format credstack reads, or declared as another) or
    :class:`HostileUploadError`.
    """
    if len(raw) > limits.max_bytes:
        raise InputTooLargeError(
            f"The file is {len(raw):,} bytes; at most {limits.max_bytes:,} are accepted. / "
            f"ファイルが大きすぎます（上限 {limits.max_bytes:,} バイト）。",
            problems=[Problem("file", f"{len(raw):,} bytes")])
    if not raw.strip():
        raise _unreadable("Nothing was given: the file is empty.", "ファイルが空です。",
                          "file", "no content")
    kind = _kind_of(raw)
    _check_declared(kind, filename, media_type)
    marker = raw.find(b"%PDF-", 0, 1024)
    if kind is not UploadKind.PDF and marker >= 0:
        raise _hostile(f"The file is {_LABELS[_family(kind)][0]}, but a PDF reader would open "
                       "it as a PDF.",
                       f"{_LABELS[_family(kind)][1]}ですが、PDF としても開けるファイルです。",
                       f"byte {marker}", "%PDF- within the first kilobyte (a polyglot file)")
    if kind in _TEXT_KINDS:
        _screen_text(raw, kind, limits)
    elif kind is UploadKind.PNG:
        _screen_png(raw, limits)
    elif kind is UploadKind.SVG:
        _screen_svg(raw, limits)
    else:
        refuse_active_content(raw, max_objects=limits.max_pdf_objects,
                              max_inflated_bytes=limits.max_pdf_stream_bytes,
                              max_tokens=limits.max_pdf_tokens)
    return Screened(kind, len(raw))


# --- the kind, and what was declared ------------------------------------------------------


def _kind_of(raw: bytes) -> UploadKind:
    if raw.startswith(b"%PDF-"):
        return UploadKind.PDF
    if is_png(raw):
        return UploadKind.PNG
    if looks_like_svg(raw):
        return UploadKind.SVG
    text = raw.strip().removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return UploadKind.JSON
    if text.startswith((b"https://", b"http://")):
        return UploadKind.URL
    if _COMPACT_JWS.fullmatch(text):
        return UploadKind.JWT
    raise UnsupportedMediaError(
        "This is no format credstack reads: a credential is JSON, a JWT, a URL, a PNG or SVG "
        "badge or a PDF certificate. / 読み取れる形式ではありません（JSON、JWT、URL、PNG・SVG "
        "のバッジ、PDF の証明書に対応しています）。",
        problems=[Problem("file", f"starts with {raw[:16]!r}")])


def _family(kind: UploadKind) -> UploadKind:
    return UploadKind.JSON if kind in _TEXT_KINDS else kind


def _check_declared(kind: UploadKind, filename: str | None, media_type: str | None) -> None:
    declared: list[tuple[str, str, UploadKind | None]] = []
    if media_type:
        essence = media_type.split(";", 1)[0].strip().lower()
        declared.append(("media type", essence, _DECLARED_TYPES.get(essence)))
        unusable = essence in _WEB_TYPES or (
            essence.startswith("image/") and essence not in _DECLARED_TYPES)
    else:
        unusable = False
    if filename:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        declared.append(("file name", filename, _DECLARED_EXTENSIONS.get(extension)))
        unusable = unusable or extension in _WEB_EXTENSIONS | _OTHER_IMAGES
    if unusable:
        raise UnsupportedMediaError(
            "Only credentials are kept: JSON, a JWT, a URL, a PNG or SVG badge or a PDF "
            "certificate, not a web page, a script or another image format. / 証明のみ保管"
            "できます（ウェブページ、スクリプト、その他の画像形式は受け付けません）。",
            problems=[Problem(what, value) for what, value, _ in declared])
    for what, value, claimed in declared:
        if claimed is not None and _family(claimed) is not _family(kind):
            said, found = _LABELS[_family(claimed)], _LABELS[_family(kind)]
            raise UnsupportedMediaError(
                f"The {what} says {said[0]}, but the content is {found[0]}. / "
                f"{said[1]}とされていますが、内容は{found[1]}です。",
                problems=[Problem(what, f"{value} does not match the content")])


# --- text: JSON, a JWT, a URL -----------------------------------------------------------


def _json(data: bytes | str, where: str, what: str, what_ja: str) -> Any:
    try:
        return strict_loads(data, what, what_ja)
    except Refusal as refusal:
        error = UnreadableInputError if refusal.code == "not-json" else HostileUploadError
        key = refusal.details.get("key")
        place = f"{where}, key {key!r}" if key is not None else where
        raise error(f"{refusal.en} / {refusal.ja}",
                    problems=[Problem(place, refusal.en)]) from None


def _screen_text(raw: bytes, kind: UploadKind, limits: UploadLimits) -> None:
    if len(raw) > limits.max_text_bytes:
        raise InputTooLargeError(
            f"A credential given as text is at most {limits.max_text_bytes:,} bytes; this one "
            f"is {len(raw):,}. / テキストの証明が大きすぎます（上限 "
            f"{limits.max_text_bytes:,} バイト）。",
            problems=[Problem("file", f"{len(raw):,} bytes")])
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").strip()
    except UnicodeDecodeError as exc:
        raise _unreadable("The text is not UTF-8.", "UTF-8 のテキストではありません。",
                          f"byte {exc.start}", "invalid UTF-8") from None
    if kind is UploadKind.JSON:
        _json(text, "JSON", "the JSON", "JSON")
    elif kind is UploadKind.JWT:
        for index, part in enumerate(text.split(".")[:2]):
            where = ("JWT header", "JWT payload")[index]
            try:
                decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
            except (binascii.Error, ValueError):
                raise _unreadable("The JWT cannot be read.", "JWT を読み取れません。", where,
                                  "not base64url") from None
            if not isinstance(_json(decoded, where, f"the {where}", where), dict):
                raise _unreadable("The JWT cannot be read.", "JWT を読み取れません。", where,
                                  "not a JSON object")
    else:
        try:
            netloc = urlsplit(text).netloc
        except ValueError:
            netloc = ""
        if (len(text) > _MAX_URL_LENGTH or not netloc
                or any(ord(character) <= 0x20 or ord(character) == 0x7F
                       for character in text)):
            raise _unreadable(
                "A credential given by address is one http(s) URL, on one line, of at most "
                f"{_MAX_URL_LENGTH:,} characters.",
                f"アドレスは 1 行の http(s) URL（{_MAX_URL_LENGTH:,} 文字以内）で"
                "指定してください。",
                "URL", f"{text[:60]!r}")


# --- PNG -----------------------------------------------------------------------------------

#: Chunks whose data is zlib-compressed metadata (the pixels, IDAT, are never inflated).
_COMPRESSED: Final = (b"zTXt", b"iCCP", b"iTXt")
_INFLATE_STEP: Final = 64 * 1024


def _png_where(chunk: Chunk) -> str:
    return f"{chunk.name} chunk at byte {chunk.offset}"


def _screen_png(raw: bytes, limits: UploadLimits) -> None:
    try:
        chunks = read_chunks(raw)
    except (UnreadableInputError, InputTooLargeError) as exc:
        raise type(exc)(f"The PNG image cannot be read: {exc.message}. / "
                        "PNG 画像を読み取れません（壊れているか、途中で切れています）。",
                        problems=exc.problems) from None
    if len(chunks) > limits.max_png_chunks:
        extra = chunks[limits.max_png_chunks]
        raise _hostile(f"The PNG image has {len(chunks):,} chunks; at most "
                       f"{limits.max_png_chunks:,} are accepted.",
                       "PNG 画像のチャンクが多すぎます。", _png_where(extra),
                       f"chunk {limits.max_png_chunks + 1:,}")
    width, height = struct.unpack_from(">II", chunks[0].data)
    if not width or not height:
        raise _unreadable("The PNG image is damaged.", "PNG 画像が壊れています。",
                          _png_where(chunks[0]), f"{width} × {height} pixels")
    if (max(width, height) > limits.max_png_side
            or width * height > limits.max_png_pixels):
        raise _hostile(
            f"The PNG image says it is {width:,} × {height:,} pixels: decoding it would take "
            "far more memory than a badge (a decompression bomb).",
            f"PNG 画像の大きさ（{width:,} × {height:,} ピクセル）が異常です（展開爆弾）。",
            _png_where(chunks[0]), f"at most {limits.max_png_side:,} pixels a side and "
                                   f"{limits.max_png_pixels:,} in all")
    budget = limits.max_inflated_bytes
    for chunk in chunks:
        if chunk.type in _COMPRESSED:
            compressed = _compressed_part(chunk)
            if compressed is not None:
                budget -= _inflate_png(compressed, budget, chunk, limits)


def _compressed_part(chunk: Chunk) -> bytes | None:
    """The zlib data of a zTXt, iCCP or iTXt chunk (None for an uncompressed iTXt)."""
    _, separator, rest = chunk.data.partition(b"\x00")
    if chunk.type == b"iTXt":
        parts = rest[2:].split(b"\x00", 2)
        if not separator or len(rest) < 2 or len(parts) < 3:
            raise _unreadable("The PNG image is damaged.", "PNG 画像が壊れています。",
                              _png_where(chunk), "the iTXt chunk is truncated")
        if rest[0] == 0:
            return None
        method, data = rest[1], parts[2]
    else:
        if not separator or not rest:
            raise _unreadable("The PNG image is damaged.", "PNG 画像が壊れています。",
                              _png_where(chunk), f"the {chunk.name} chunk is truncated")
        method, data = rest[0], rest[1:]
    if method != 0:
        raise _unreadable("The PNG image is damaged.", "PNG 画像が壊れています。",
                          _png_where(chunk), f"compression method {method} (only 0 exists)")
    return data


def _inflate_png(data: bytes, budget: int, chunk: Chunk, limits: UploadLimits) -> int:
    """How many bytes ``data`` inflates to, inflating a step at a time and stopping as soon
    as it passes ``budget`` (what is inflated is thrown away)."""
    inflater = zlib.decompressobj()
    total, pending = 0, data
    try:
        while not inflater.eof:
            out = inflater.decompress(pending, _INFLATE_STEP)
            total += len(out)
            if total > budget:
                raise _hostile(
                    "The PNG image is a decompression bomb: its compressed metadata inflates "
                    f"to more than {limits.max_inflated_bytes:,} bytes.",
                    "PNG 画像の圧縮されたメタデータが大きすぎます（展開爆弾）。",
                    _png_where(chunk), f"over {budget:,} bytes when inflated, from "
                                       f"{len(data):,}")
            pending = inflater.unconsumed_tail
            if not out and not pending:
                break
    except zlib.error as exc:
        raise _unreadable("The PNG image is damaged.", "PNG 画像が壊れています。",
                          _png_where(chunk), f"the compressed data is corrupt ({exc})") from None
    if not inflater.eof:
        raise _unreadable("The PNG image is damaged.", "PNG 画像が壊れています。",
                          _png_where(chunk), "the compressed data ends early")
    return total


# --- SVG -----------------------------------------------------------------------------------

_XHTML: Final = "http://www.w3.org/1999/xhtml"
_XLINK: Final = "http://www.w3.org/1999/xlink"
#: Elements that run code, embed documents or change how the rest is fetched (lower case).
_EMBEDDING: Final = frozenset({"script", "foreignobject", "iframe", "embed", "object",
                               "handler", "listener", "applet", "frame", "frameset", "base",
                               "link", "meta", "audio", "video"})
_ANIMATIONS: Final = frozenset({"animate", "set", "animatetransform", "animatemotion",
                                "animatecolor"})
#: Attributes whose value a browser may follow or set as a URL (lower case; text elsewhere,
#: such as an ``aria-label`` about "JavaScript: the basics", is only text).
_URL_ATTRIBUTES: Final = frozenset({"href", "src", "to", "from", "values", "by"})
_SAFE_DATA: Final = re.compile(r"data:image/(?:png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_SCRIPT_URL: Final = re.compile(r"(?:java|vb|live)script:|data:text/html", re.IGNORECASE)
_CSS_URL: Final = re.compile(r"(?:url|src)\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
#: CSS functions whose strings are URLs a browser fetches (CSS Images 4 §2), their arguments
#: read with one level of parentheses inside (a ``url()`` there is caught as one anyway).
_CSS_IMAGE: Final = re.compile(r"(?:image-set|image|cross-fade)\(((?:\"[^\"]*\"|'[^']*'|\([^()]*\)"
                               r"|[^'\"()])*)", re.IGNORECASE)
_CSS_STRING: Final = re.compile(r"\"([^\"]*)\"|'([^']*)'")
#: A CSS comment (one left open runs to the end) and an escape (CSS Syntax 3 §4.3.7): up to
#: six hexadecimal digits and one white space, or any other character but a newline.
_CSS_COMMENT: Final = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_CSS_ESCAPE: Final = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})(?:\r\n|[ \t\r\n\f])?|(\n)|(.))",
                                re.DOTALL)
_CONTROL: Final = re.compile(r"[\x00-\x20\x7f]+")


class _SvgParser(DefusedXMLParser):  # type: ignore[misc]
    """defusedxml's parser (no entities, nothing external), also refusing DTD internal
    subsets and style sheet instructions, counting elements and noting where each starts."""

    def __init__(self, limits: UploadLimits) -> None:
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.places: dict[Element, str] = {}
        self.attributes = 0
        expat = self.parser
        start = expat.StartElementHandler

        def place() -> str:
            return f"line {expat.CurrentLineNumber}, column {expat.CurrentColumnNumber + 1}"

        def on_start(tag: str, attributes: list[str]) -> Any:
            # ElementTree asks expat for attributes as one list: name, value, name, value…
            self.attributes += len(attributes) // 2
            if len(self.places) >= limits.max_svg_elements:
                raise _hostile(f"The SVG image has more than {limits.max_svg_elements:,} "
                               "elements.", "SVG 画像の要素が多すぎます。", place(),
                               f"element {limits.max_svg_elements + 1:,} starts here")
            if self.attributes > limits.max_svg_attributes:
                raise _hostile(f"The SVG image has more than {limits.max_svg_attributes:,} "
                               "attributes.", "SVG 画像の属性が多すぎます。", place(),
                               f"attribute {limits.max_svg_attributes + 1:,} is on this "
                               "element")
            element = start(tag, attributes)
            self.places[element] = place()
            return element

        def on_doctype(name: str, system_id: str | None, public_id: str | None,
                       has_internal_subset: bool) -> None:
            if has_internal_subset:
                raise _hostile("The SVG image declares a DTD internal subset, where entities "
                               "(XXE, “billion laughs”) live.",
                               "SVG 画像が DTD の内部サブセット（エンティティ宣言）を含みます。",
                               place(), f"<!DOCTYPE {name} [ … ]>")

        def on_instruction(target: str, data: str) -> None:
            if target.lower() == "xml-stylesheet":
                raise _hostile("The SVG image links a style sheet, which a browser fetches.",
                               "SVG 画像が外部のスタイルシートを読み込みます。", place(),
                               f"<?xml-stylesheet {data[:60]}?>")

        expat.StartElementHandler = on_start
        expat.StartDoctypeDeclHandler = on_doctype
        expat.ProcessingInstructionHandler = on_instruction


def _screen_svg(raw: bytes, limits: UploadLimits) -> None:
    parser = _SvgParser(limits)
    try:
        parser.feed(raw)
        root = parser.close()
    except DefusedXmlException as exc:
        raise _hostile("The SVG image declares entities or refers to external resources.",
                       "SVG 画像がエンティティまたは外部資源を宣言しています。",
                       "DOCTYPE", f"{type(exc).__name__}: {exc}") from None
    except ParseError as exc:
        line, column = exc.position
        raise _unreadable("The SVG image is not well-formed XML.",
                          "SVG 画像が整形式の XML ではありません。",
                          f"line {line}, column {column + 1}", str(exc)) from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise UnsupportedMediaError(
            "This XML is not an SVG image. / この XML は SVG 画像ではありません。",
            problems=[Problem("root element", f"expected <svg> in {SVG_NAMESPACE}, found "
                                              f"{root.tag}")])
    for element in root.iter():
        _check_element(element, parser.places[element])


def _split(name: str) -> tuple[str, str]:
    namespace, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    return namespace, local


def _check_element(element: Element, place: str) -> None:
    namespace, local = _split(element.tag)
    where = f"<{local}> at {place}"
    if local.lower() in _EMBEDDING or namespace == _XHTML:
        raise _hostile(f"The SVG image contains a <{local}> element, which can run code or "
                       "embed another document.",
                       f"SVG 画像にスクリプトや別文書を埋め込む <{local}> 要素があります。",
                       where, f"<{local}> in {namespace or 'no namespace'}")
    if local.lower() in _ANIMATIONS:
        target = _split(element.get("attributeName", "").strip())[1].rpartition(":")[2]
        if target.lower() == "href" or target.lower().startswith("on"):
            raise _hostile("The SVG image animates a link or an event attribute.",
                           "SVG 画像がリンクまたはイベント属性をアニメーションで変更します。",
                           where, f'attributeName="{target}"')
    for name, value in element.attrib.items():
        attribute_namespace, attribute = _split(name)
        label = f"xlink:{attribute}" if attribute_namespace == _XLINK else attribute
        shown = f'{label}="{value[:60]}"'
        if attribute.lower().startswith("on"):
            raise _hostile("The SVG image has an event attribute, which runs a script.",
                           "SVG 画像にスクリプトを実行するイベント属性があります。", where, shown)
        if attribute.lower() in _URL_ATTRIBUTES and _SCRIPT_URL.search(_CONTROL.sub("", value)):
            raise _hostile("The SVG image has a script URL.",
                           "SVG 画像にスクリプトの URL があります。", where, shown)
        if attribute.lower() in {"href", "src"}:
            _check_reference(value, where, shown)
        _check_css(value, where, shown, is_style=attribute.lower() == "style")
    if local.lower() == "style":
        text = "".join(element.itertext())
        _check_css(text, where, f"<style> {text.strip()[:60]}", is_style=True)


def _check_reference(value: str, where: str, shown: str) -> None:
    target = value.strip()
    if target and not target.startswith("#") and not _SAFE_DATA.match(target):
        raise _hostile("The SVG image refers to something outside itself, which a browser "
                       "would fetch.",
                       "SVG 画像が外部の資源を参照しています（ブラウザーが取得します）。",
                       where, shown)


def _css_unescaped(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return "" if match.group(2) is not None else match.group(3)


def _check_css(text: str, where: str, shown: str, *, is_style: bool) -> None:
    # Read as a browser reads it: ``u\72l(`` is ``url(``, ``@im/**/port`` is ``@import``.
    text = _CSS_ESCAPE.sub(_css_unescaped, _CSS_COMMENT.sub("", text))
    for image in _CSS_IMAGE.finditer(text):
        for string in _CSS_STRING.finditer(image.group(1)):
            _check_reference(string.group(1) if string.group(1) is not None
                             else string.group(2), where, shown)
    if is_style and "@import" in text.lower():
        raise _hostile("The SVG image imports a style sheet, which a browser fetches.",
                       "SVG 画像が外部のスタイルシートを読み込みます。", where, shown)
    for match in _CSS_URL.finditer(text):
        _check_reference(match.group(2), where, shown)
