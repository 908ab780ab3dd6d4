"""An organisation's logo: screened before it is kept, and drawn small for its badges.

An administrator uploads the logo of the organisation's public profile; anyone may then load
it (the provider page shows it) and every badge of the organisation embeds it. So
:func:`screen_logo` runs before anything is kept, and names what is wrong and where:

====== ============================ ===================================================
kind   recognised by                refused (besides size and emptiness)
====== ============================ ===================================================
png    the PNG signature            what the wallet refuses in a PNG
                                    (:mod:`credstack.core.wallet.uploads`: a damaged
                                    datastream, decompression bombs in its metadata), and
                                    more than :attr:`LogoLimits.max_side` pixels a side
svg    XML (``<`` first)            what the wallet refuses in an SVG: scripts,
                                    ``<foreignObject>`` and other embedding elements,
                                    event attributes, ``javascript:`` URLs, references to
                                    anything outside it, DTD internal subsets (entities)
jpeg   ``FF D8 FF`` at byte 0       a file Pillow cannot read as a JPEG, and more than
                                    :attr:`LogoLimits.max_side` pixels a side (the
                                    header is read, the pixels are not decoded)
====== ============================ ===================================================

The declared media type and file name must agree with the content. :func:`badge_logo` then
draws the logo into a box of :data:`BADGE_LOGO_SIDE` pixels as a PNG: what a badge embeds
(a ``data:`` URL of a small PNG, which the wallet's own screening accepts in a baked badge),
from a PNG or JPEG by Pillow (its pixels decoded once the screening has bounded them), from
an SVG by resvg.

Library: Pillow (https://python-pillow.org), the imaging library reportlab already uses for
the PDF certificates' images — reading JPEG headers and scaling images by hand would be a
decoder of our own. Pure: bytes in, bytes or an error out.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import resvg_py
from PIL import Image, UnidentifiedImageError

from credstack.core.said import Said
from credstack.core.wallet.uploads import UploadKind, UploadLimits, screen
from credstack.errors import (
    HostileUploadError,
    InputError,
    InputTooLargeError,
    Problem,
    UnreadableInputError,
    UnsupportedMediaError,
)

__all__ = ["BADGE_LOGO_SIDE", "LogoKind", "LogoLimits", "ScreenedLogo", "badge_logo",
           "screen_logo"]

#: The side of the box a badge draws the logo in, in pixels (twice its size on the badge).
BADGE_LOGO_SIDE: Final = 160
_JPEG: Final = b"\xff\xd8\xff"


class LogoKind(StrEnum):
    PNG = "image/png"
    JPEG = "image/jpeg"
    SVG = "image/svg+xml"

    @property
    def extension(self) -> str:
        return {LogoKind.PNG: "png", LogoKind.JPEG: "jpg", LogoKind.SVG: "svg"}[self]


@dataclass(frozen=True, slots=True)
class LogoLimits:
    """How large a logo may be."""

    #: The largest file (a request body of 1 MiB holds it with the form around it).
    max_bytes: int = 512 * 1024
    #: A raster logo's width and height, each (a logo is shown small).
    max_side: int = 2048
    #: An SVG's elements and attributes (a logo has tens, a drawing thousands).
    max_svg_elements: int = 5_000


@dataclass(frozen=True, slots=True)
class ScreenedLogo:
    """A logo that may be kept: its kind, bytes and SHA-256 (hex)."""

    kind: LogoKind
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


_DECLARED: Final = {"image/png": LogoKind.PNG, "image/jpeg": LogoKind.JPEG,
                    "image/jpg": LogoKind.JPEG, "image/pjpeg": LogoKind.JPEG,
                    "image/svg+xml": LogoKind.SVG}
_EXTENSIONS: Final = {"png": LogoKind.PNG, "jpg": LogoKind.JPEG, "jpeg": LogoKind.JPEG,
                      "svg": LogoKind.SVG}
#: How each kind is named in messages (the wallet's names of the kinds it keeps).
_NAMES: Final = {LogoKind.PNG: Said("wallet.upload.kind.png"),
                 LogoKind.JPEG: Said("wallet.upload.kind.jpeg"),
                 LogoKind.SVG: Said("wallet.upload.kind.svg")}
#: How a declaration is named in messages.
_DECLARATIONS: Final = {"media type": Said("wallet.upload.declared.media_type"),
                        "file name": Said("wallet.upload.declared.file_name")}
#: The message keys of a logo's refusals (the workspace's logo page says them).
_ERROR: Final = "workspace.logo.error."


def _unsupported(where: str, detail: str) -> UnsupportedMediaError:
    return UnsupportedMediaError(code=f"{_ERROR}unsupported", problems=[Problem(where, detail)])


def _kind_of(raw: bytes) -> LogoKind:
    if raw.startswith(_JPEG):
        return LogoKind.JPEG
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return LogoKind.PNG
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return LogoKind.SVG
    raise _unsupported("file", f"starts with {raw[:8]!r}")


def _check_declared(kind: LogoKind, filename: str | None, media_type: str | None) -> None:
    declared: list[tuple[str, str, LogoKind | None]] = []
    if media_type:
        essence = media_type.split(";", 1)[0].strip().lower()
        if essence != "application/octet-stream":
            declared.append(("media type", essence, _DECLARED.get(essence)))
    if filename and "." in filename:
        extension = filename.rsplit(".", 1)[-1].lower()
        declared.append(("file name", filename, _EXTENSIONS.get(extension)))
    for what, value, claimed in declared:
        if claimed is None:
            raise _unsupported(what, value)
        if claimed is not kind:
            raise UnsupportedMediaError(
                code="wallet.upload.mismatch", params={
                    "what": _DECLARATIONS[what], "said": _NAMES[claimed], "found": _NAMES[kind]},
                problems=[Problem(what, f"{value} does not match the content")])


def _too_wide(width: int, height: int, limits: LogoLimits) -> HostileUploadError:
    return HostileUploadError(
        code=f"{_ERROR}too_wide",
        params={"width": width, "height": height, "limit": limits.max_side},
        problems=[Problem("image header", f"{width} × {height} pixels")])


def _screen_jpeg(raw: bytes, limits: LogoLimits) -> None:
    try:
        # Only the header is read here: the pixels are decoded when the badge's copy is
        # drawn, once the size is known to be bounded.
        with Image.open(io.BytesIO(raw), formats=["JPEG"]) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableInputError(code=f"{_ERROR}jpeg_unreadable",
                                   problems=[Problem("file", str(exc))]) from None
    except Image.DecompressionBombError as exc:
        raise HostileUploadError(code=f"{_ERROR}jpeg_bomb",
                                 problems=[Problem("image header", str(exc))]) from None
    if not width or not height or max(width, height) > limits.max_side:
        raise _too_wide(width, height, limits)


def screen_logo(raw: bytes, *, filename: str | None, media_type: str | None,
                limits: LogoLimits = LogoLimits()) -> ScreenedLogo:
    """``raw`` as a logo that may be kept, or the error saying why not (see the module doc):
    :class:`InputTooLargeError`, :class:`UnreadableInputError`,
    :class:`UnsupportedMediaError` or :class:`HostileUploadError`."""
    if len(raw) > limits.max_bytes:
        raise InputTooLargeError(
            code=f"{_ERROR}too_large", params={"size": len(raw), "limit": limits.max_bytes},
            problems=[Problem("file", f"{len(raw):,} bytes")])
    if not raw.strip():
        raise UnreadableInputError(code=f"{_ERROR}empty",
                                   problems=[Problem("file", "no content")])
    kind = _kind_of(raw)
    _check_declared(kind, filename, media_type)
    if kind is LogoKind.JPEG:
        _screen_jpeg(raw, limits)
        if raw.find(b"%PDF-", 0, 1024) >= 0:
            raise HostileUploadError(code=f"{_ERROR}polyglot",
                                     problems=[Problem("file", "%PDF- in the first kilobyte")])
        return ScreenedLogo(kind, raw)
    wallet = UploadLimits(max_bytes=limits.max_bytes, max_png_side=limits.max_side,
                          max_png_pixels=limits.max_side * limits.max_side,
                          max_inflated_bytes=256 * 1024,
                          max_svg_elements=limits.max_svg_elements,
                          max_svg_attributes=4 * limits.max_svg_elements)
    screened = screen(raw, filename=None, media_type=None, limits=wallet)
    if screened.kind not in {UploadKind.PNG, UploadKind.SVG}:  # pragma: no cover - sniffed
        raise _unsupported("file", screened.kind.value)
    return ScreenedLogo(kind, raw)


def badge_logo(logo: ScreenedLogo, *, font_files: Sequence[str] = ()) -> bytes:
    """``logo`` drawn into a :data:`BADGE_LOGO_SIDE` px box, kept in proportion, as a PNG
    (an SVG logo's texts with ``font_files``)."""
    side = BADGE_LOGO_SIDE
    if logo.kind is LogoKind.SVG:
        # Drawn as an image inside a box of its own, so that no width or height the logo
        # declares (a 10 × 100,000 strip) can make the drawing large.
        boxed = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" '
                 f'viewBox="0 0 {side} {side}"><image width="{side}" height="{side}" '
                 'preserveAspectRatio="xMidYMid meet" href="data:image/svg+xml;base64,'
                 f'{base64.b64encode(logo.data).decode("ascii")}"/></svg>')
        try:
            source = bytes(resvg_py.svg_to_bytes(svg_string=boxed, width=side,
                                                 skip_system_fonts=True,
                                                 font_files=list(font_files)))
        except ValueError as exc:
            raise InputError(code=f"{_ERROR}svg_undrawable",
                             problems=[Problem("svg", str(exc))]) from None
    else:
        source = logo.data
    try:
        with Image.open(io.BytesIO(source)) as image:
            image.draft("RGB", (side, side))  # a JPEG is decoded at a fraction of its size
            image.thumbnail((side, side))
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableInputError(code=f"{_ERROR}unreadable",
                                   problems=[Problem("file", str(exc))]) from None
    return out.getvalue()
