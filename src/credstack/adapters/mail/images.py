"""Images an e-mail carries inline: a QR code as a PNG, named by its ``Content-ID``.

PNG rather than SVG, and a ``cid:`` part rather than a ``data:`` URI: most mail programs show
neither SVG nor ``data:`` images, and every one shows a related PNG part (RFC 2392).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

import qrcode
import qrcode.constants
from qrcode.image.pil import PilImage

__all__ = ["QR_BORDER", "QR_BOX", "InlineImage", "qr_png"]

#: Pixels per module, and the quiet zone in modules (four, as ISO/IEC 18004 asks).
QR_BOX: Final = 6
QR_BORDER: Final = 4


@dataclass(frozen=True, slots=True)
class InlineImage:
    """One image of a message: its ``Content-ID`` (without ``<>``), PNG bytes, a file name."""

    cid: str
    data: bytes
    filename: str


def qr_png(text: str) -> bytes:
    """``text`` as a black-on-white QR code (error correction M), PNG."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=QR_BOX,
                         border=QR_BORDER, image_factory=PilImage)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
