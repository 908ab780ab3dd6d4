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
jwt    a compact JWS, or an SD-JWT   the same, in its header or payload
cose   a ``COSE_Sign1`` (CBOR)       anything but one ``COSE_Sign1`` whose payload is a
                                     JSON object read as ``json`` is; the text size limit
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
from credstack.core.proofs.cryptosuites import vc_cose
from credstack.core.proofs.cryptosuites.sd_jwt import is_sd_jwt
from credstack.core.said import Said
from credstack.core.verification.checks import Refusal
from credstack.core.verification.json_values import strict_loads
from credstack.core.verification.reading import MAX_CREDENTIAL_BYTES
from credstack.errors import (
    HostileUploadError,
    InputTooLargeError,
    MalformedCredentialError,
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
    COSE = "cose"

    @property
    def media_type(self) -> str:
        """The media type to give the original back with."""
        return _MEDIA_TYPES[self]


_MEDIA_TYPES: Final = {UploadKind.JSON: "application/json",
                       UploadKind.JWT: "application/jose",  # RFC 7515 §9.2.1: compact
                       UploadKind.URL: "text/uri-list", UploadKind.PNG: "image/png",
                       UploadKind.SVG: "image/svg+xml", UploadKind.PDF: "application/pdf",
                       UploadKind.COSE: vc_cose.MEDIA_TYPE}


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


#: How each kind is named in messages: the message keys of its name.
_LABELS: Final = {UploadKind.PNG: Said("wallet.upload.kind.png"),
                  UploadKind.SVG: Said("wallet.upload.kind.svg"),
                  UploadKind.PDF: Said("wallet.upload.kind.pdf"),
                  UploadKind.JSON: Said("wallet.upload.kind.text"),
                  UploadKind.COSE: Said("wallet.upload.kind.cose")}
#: How a declaration is named in messages.
_DECLARATIONS: Final = {"media type": Said("wallet.upload.declared.media_type"),
                        "file name": Said("wallet.upload.declared.file_name")}
_TEXT_KINDS: Final = frozenset({UploadKind.JSON, UploadKind.JWT, UploadKind.URL})
_DECLARED_TYPES: Final = {
    "image/png": UploadKind.PNG, "image/apng": UploadKind.PNG,
    "image/svg+xml": UploadKind.SVG, "application/pdf": UploadKind.PDF,
    "application/x-pdf": UploadKind.PDF, "application/json": UploadKind.JSON,
    "application/ld+json": UploadKind.JSON, "application/vc+ld+json": UploadKind.JSON,
    "application/vc": UploadKind.JSON, "application/vc+jwt": UploadKind.JWT,
    "application/jwt": UploadKind.JWT, "application/jose": UploadKind.JWT,
    "application/vc+sd-jwt": UploadKind.JWT, "application/dc+sd-jwt": UploadKind.JWT,
    "application/sd-jwt": UploadKind.JWT, "text/uri-list": UploadKind.URL,
    vc_cose.MEDIA_TYPE: UploadKind.COSE, "application/cose": UploadKind.COSE}
_DECLARED_EXTENSIONS: Final = {
    "png": UploadKind.PNG, "svg": UploadKind.SVG, "pdf": UploadKind.PDF,
    "json": UploadKind.JSON, "jsonld": UploadKind.JSON, "jwt": UploadKind.JWT,
    "jws": UploadKind.JWT, "sd-jwt": UploadKind.JWT, "cose": UploadKind.COSE}
#: What a browser runs: never a credential, so never kept.
_WEB_TYPES: Final = frozenset({"text/html", "application/xhtml+xml", "text/javascript",
                               "application/javascript", "application/ecmascript",
                               "text/ecmascript"})
_WEB_EXTENSIONS: Final = frozenset({"html", "htm", "xhtml", "xht", "js", "mjs"})
_OTHER_IMAGES: Final = frozenset({"jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "heic",
                                  "avif", "ico"})
_COMPACT_JWS: Final = re.compile(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_MAX_URL_LENGTH: Final = 2048


def _hostile(code: str, where: str, detail: str, **params: object) -> HostileUploadError:
    """A hostile upload: the message key ``wallet.upload.<code>`` with its parameters."""
    return HostileUploadError(code=f"wallet.upload.{code}", params=params,
                              problems=[Problem(where, detail)])


def _unreadable(code: str, where: str, detail: str, **params: object) -> UnreadableInputError:
    """An upload that cannot be read: the message key ``wallet.upload.<code>``."""
    return UnreadableInputError(code=f"wallet.upload.{code}", params=params,
                                problems=[Problem(where, detail)])


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
            code="wallet.upload.too_large", params={"size": len(raw), "limit": limits.max_bytes},
            problems=[Problem("file", f"{len(raw):,} bytes")])
    if not raw.strip():
        raise _unreadable("empty", "file", "no content")
    kind = _kind_of(raw)
    _check_declared(kind, filename, media_type)
    marker = raw.find(b"%PDF-", 0, 1024)
    if kind is not UploadKind.PDF and marker >= 0:
        raise _hostile("polyglot", f"byte {marker}",
                       "%PDF- within the first kilobyte (a polyglot file)",
                       kind=_LABELS[_family(kind)])
    if kind in _TEXT_KINDS:
        _screen_text(raw, kind, limits)
    elif kind is UploadKind.COSE:
        _screen_cose(raw, limits)
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
    if vc_cose.is_cose(raw):
        return UploadKind.COSE
    if _COMPACT_JWS.fullmatch(text) or is_sd_jwt(text.decode("ascii", "replace")):
        # An SD-JWT (vc+sd-jwt) is a JWT with its disclosures after it.
        return UploadKind.JWT
    raise UnsupportedMediaError(code="wallet.upload.unknown_format",
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
            code="wallet.upload.not_a_credential",
            problems=[Problem(what, value) for what, value, _ in declared])
    for what, value, claimed in declared:
        if claimed is not None and _family(claimed) is not _family(kind):
            raise UnsupportedMediaError(
                code="wallet.upload.mismatch",
                params={"what": _DECLARATIONS[what], "said": _LABELS[_family(claimed)],
                        "found": _LABELS[_family(kind)]},
                problems=[Problem(what, f"{value} does not match the content")])


# --- text: JSON, a JWT, a URL -----------------------------------------------------------


def _json(data: bytes | str, where: str, what: Said) -> Any:
    try:
        return strict_loads(data, what)
    except Refusal as refusal:
        error = UnreadableInputError if refusal.code == "not-json" else HostileUploadError
        key = refusal.details.get("key")
        place = f"{where}, key {key!r}" if key is not None else where
        said = refusal.said
        assert said is not None  # strict_loads says its refusals as codes
        raise error(code=said.key, params=said.params,
                    problems=[Problem(place, code=said.key, params=said.params)]) from None


def _screen_text(raw: bytes, kind: UploadKind, limits: UploadLimits) -> None:
    if len(raw) > limits.max_text_bytes:
        raise InputTooLargeError(
            code="wallet.upload.text_too_large",
            params={"size": len(raw), "limit": limits.max_text_bytes},
            problems=[Problem("file", f"{len(raw):,} bytes")])
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").strip()
    except UnicodeDecodeError as exc:
        raise _unreadable("not_utf8", f"byte {exc.start}", "invalid UTF-8") from None
    if kind is UploadKind.JSON:
        _json(text, "JSON", Said("wallet.upload.what.json"))
    elif kind is UploadKind.JWT:
        for index, part in enumerate(text.split(".")[:2]):
            name = ("header", "payload")[index]
            where = f"JWT {name}"
            try:
                decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
            except (binascii.Error, ValueError):
                raise _unreadable("jwt_unreadable", where, "not base64url") from None
            if not isinstance(_json(decoded, where, Said("wallet.upload.what.jwt", part=name)),
                              dict):
                raise _unreadable("jwt_unreadable", where, "not a JSON object")
    else:
        try:
            netloc = urlsplit(text).netloc
        except ValueError:
            netloc = ""
        if (len(text) > _MAX_URL_LENGTH or not netloc
                or any(ord(character) <= 0x20 or ord(character) == 0x7F
                       for character in text)):
            raise _unreadable("bad_url", "URL", f"{text[:60]!r}", limit=_MAX_URL_LENGTH)


def _screen_cose(raw: bytes, limits: UploadLimits) -> None:
    """A ``COSE_Sign1`` (``application/vc+cose``): one message, within the text limit, whose
    payload is JSON as a credential's text must be."""
    if len(raw) > limits.max_text_bytes:
        raise InputTooLargeError(
            code="wallet.upload.text_too_large",
            params={"size": len(raw), "limit": limits.max_text_bytes},
            problems=[Problem("file", f"{len(raw):,} bytes")])
    unreadable = UnreadableInputError(code="wallet.upload.cose_unreadable", problems=[
        Problem("COSE_Sign1", code="wallet.upload.cose_unreadable")])
    try:
        payload = vc_cose.parse(raw).payload
    except MalformedCredentialError:
        raise unreadable from None
    if not isinstance(_json(payload, "COSE payload", Said("wallet.upload.what.cose")), dict):
        raise unreadable


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
        raise type(exc)(code="wallet.upload.png_unreadable", problems=[
            Problem(problem.location, f"{exc.message}: {problem.message}")
            for problem in exc.problems] or [Problem("image", exc.message)]) from None
    if len(chunks) > limits.max_png_chunks:
        extra = chunks[limits.max_png_chunks]
        raise _hostile("png_chunks", _png_where(extra), f"chunk {limits.max_png_chunks + 1:,}",
                       chunks=len(chunks), limit=limits.max_png_chunks)
    width, height = struct.unpack_from(">II", chunks[0].data)
    if not width or not height:
        raise _unreadable("png_damaged", _png_where(chunks[0]), f"{width} × {height} pixels")
    if (max(width, height) > limits.max_png_side
            or width * height > limits.max_png_pixels):
        raise _hostile("png_dimensions", _png_where(chunks[0]),
                       f"at most {limits.max_png_side:,} pixels a side and "
                       f"{limits.max_png_pixels:,} in all", width=width, height=height)
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
            raise _unreadable("png_damaged", _png_where(chunk), "the iTXt chunk is truncated")
        if rest[0] == 0:
            return None
        method, data = rest[1], parts[2]
    else:
        if not separator or not rest:
            raise _unreadable("png_damaged", _png_where(chunk),
                              f"the {chunk.name} chunk is truncated")
        method, data = rest[0], rest[1:]
    if method != 0:
        raise _unreadable("png_damaged", _png_where(chunk),
                          f"compression method {method} (only 0 exists)")
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
                raise _hostile("png_inflates", _png_where(chunk),
                               f"over {budget:,} bytes when inflated, from {len(data):,}",
                               limit=limits.max_inflated_bytes)
            pending = inflater.unconsumed_tail
            if not out and not pending:
                break
    except zlib.error as exc:
        raise _unreadable("png_damaged", _png_where(chunk),
                          f"the compressed data is corrupt ({exc})") from None
    if not inflater.eof:
        raise _unreadable("png_damaged", _png_where(chunk), "the compressed data ends early")
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
                raise _hostile("svg_elements", place(),
                               f"element {limits.max_svg_elements + 1:,} starts here",
                               limit=limits.max_svg_elements)
            if self.attributes > limits.max_svg_attributes:
                raise _hostile("svg_attributes", place(),
                               f"attribute {limits.max_svg_attributes + 1:,} is on this "
                               "element", limit=limits.max_svg_attributes)
            element = start(tag, attributes)
            self.places[element] = place()
            return element

        def on_doctype(name: str, system_id: str | None, public_id: str | None,
                       has_internal_subset: bool) -> None:
            if has_internal_subset:
                raise _hostile("svg_dtd", place(), f"<!DOCTYPE {name} [ … ]>")

        def on_instruction(target: str, data: str) -> None:
            if target.lower() == "xml-stylesheet":
                raise _hostile("svg_style_sheet_linked", place(),
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
        raise _hostile("svg_entities", "DOCTYPE", f"{type(exc).__name__}: {exc}") from None
    except ParseError as exc:
        line, column = exc.position
        raise _unreadable("svg_not_xml", f"line {line}, column {column + 1}",
                          str(exc)) from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise UnsupportedMediaError(
            code="wallet.upload.svg_not_svg",
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
        raise _hostile("svg_embedding", where, f"<{local}> in {namespace or 'no namespace'}",
                       element=local)
    if local.lower() in _ANIMATIONS:
        target = _split(element.get("attributeName", "").strip())[1].rpartition(":")[2]
        if target.lower() == "href" or target.lower().startswith("on"):
            raise _hostile("svg_animated_link", where, f'attributeName="{target}"')
    for name, value in element.attrib.items():
        attribute_namespace, attribute = _split(name)
        label = f"xlink:{attribute}" if attribute_namespace == _XLINK else attribute
        shown = f'{label}="{value[:60]}"'
        if attribute.lower().startswith("on"):
            raise _hostile("svg_event_attribute", where, shown)
        if attribute.lower() in _URL_ATTRIBUTES and _SCRIPT_URL.search(_CONTROL.sub("", value)):
            raise _hostile("svg_script_url", where, shown)
        if attribute.lower() in {"href", "src"}:
            _check_reference(value, where, shown)
        _check_css(value, where, shown, is_style=attribute.lower() == "style")
    if local.lower() == "style":
        text = "".join(element.itertext())
        _check_css(text, where, f"<style> {text.strip()[:60]}", is_style=True)


def _check_reference(value: str, where: str, shown: str) -> None:
    target = value.strip()
    if target and not target.startswith("#") and not _SAFE_DATA.match(target):
        raise _hostile("svg_external", where, shown)


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
        raise _hostile("svg_style_sheet_imported", where, shown)
    for match in _CSS_URL.finditer(text):
        _check_reference(match.group(2), where, shown)
