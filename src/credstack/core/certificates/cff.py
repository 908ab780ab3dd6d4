"""A CID-keyed CFF font program from Type 2 charstrings: the subset a PDF embeds.

Specification: *The Compact Font Format Specification*, Adobe Technical Note #5176, version
1.0, 4 December 2003, https://adobe-type-tools.github.io/font-tech-notes/pdfs/5176.CFF.pdf
(with *The Type 2 Charstring Format*, Technical Note #5177). A PDF embeds such a program as
the ``/FontFile3`` (``/Subtype /CIDFontType0C``) of a ``CIDFontType0`` font: ISO 32000-1
§9.7.4 and §9.9.

Why a writer of its own: the Japanese fonts Debian ships (``fonts-noto-cjk``) keep CFF
outlines, which reportlab cannot embed, and subsetting them with fontTools costs about
0.4 s per document — twenty times the budget of a certificate. Here a subset is a few
byte strings joined: the caller keeps each glyph's charstring (without subroutines, so that
no subroutine has to be carried along) and this module lays out the font around them.

The font is keyed by ``Adobe-Identity-0``: a glyph keeps the CID it has in the full font, so
the page content can encode text once (two-byte CIDs with the ``Identity-H`` CMap) whichever
glyphs end up in the subset. One Font DICT with an empty Private DICT serves every glyph:
hinting is dropped, which PDF viewers do not need at certificate sizes.

Pure: bytes in, bytes out.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Final

__all__ = ["NOTDEF_CHARSTRING", "cid_font_program"]

#: ``endchar``: an empty glyph (for ``.notdef``, GID 0).
NOTDEF_CHARSTRING: Final = b"\x0e"
#: The first string id a font may define (0–390 are the standard strings).
_FIRST_CUSTOM_SID: Final = 391
_MAX_CID: Final = 65535


def _number(value: int) -> bytes:
    """A DICT integer in its five-byte form, so that offsets can be filled in later."""
    return b"\x1d" + struct.pack(">i", value)


def _operator(code: int, escaped: bool = False) -> bytes:
    return bytes([12, code]) if escaped else bytes([code])


def _index(items: Sequence[bytes]) -> bytes:
    """A CFF INDEX: count, offset size, offsets (from 1), data."""
    if not items:
        return b"\x00\x00"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    size = next(n for n in (1, 2, 3, 4) if offsets[-1] < 1 << (8 * n))
    return (struct.pack(">HB", len(items), size)
            + b"".join(offset.to_bytes(size, "big") for offset in offsets)
            + b"".join(items))


def cid_font_program(glyphs: Sequence[tuple[int, bytes]], *, name: str,
                     bbox: tuple[int, int, int, int], cid_count: int = _MAX_CID) -> bytes:
    """A CID-keyed CFF font holding ``glyphs`` — (CID, Type 2 charstring) pairs — after a
    ``.notdef`` glyph.

    The CIDs must be distinct, between 1 and ``cid_count - 1``; each charstring must be
    self-contained (no ``callsubr``/``callgsubr``), its width relative to a
    ``nominalWidthX`` of 0. ``name`` is the font's PostScript name (ASCII, no spaces).
    """
    cids = [cid for cid, _ in glyphs]
    if len(set(cids)) != len(cids):
        raise ValueError("a CID appears twice in the subset")
    if any(not 0 < cid < cid_count for cid in cids) or cid_count > _MAX_CID + 1:
        raise ValueError(f"CIDs must lie between 1 and {cid_count - 1}")
    if not name.isascii() or not name or " " in name:
        raise ValueError("the font name must be ASCII without spaces")
    order = sorted(glyphs)
    count = len(order) + 1

    strings = _index([b"Adobe", b"Identity"])
    charset = b"\x00" + b"".join(struct.pack(">H", cid) for cid, _ in order)
    fd_select = b"\x03" + struct.pack(">HHBH", 1, 0, 0, count)
    charstrings = _index([NOTDEF_CHARSTRING, *(charstring for _, charstring in order)])
    private = _number(0) + _operator(20) + _number(0) + _operator(21)

    def top_dict(charset_at: int, fd_select_at: int, charstrings_at: int,
                 fd_array_at: int) -> bytes:
        return b"".join([
            _number(_FIRST_CUSTOM_SID), _number(_FIRST_CUSTOM_SID + 1), _number(0),
            _operator(30, escaped=True),                           # ROS
            _number(cid_count), _operator(34, escaped=True),       # CIDCount
            *(_number(value) for value in bbox), _operator(5),     # FontBBox
            _number(charset_at), _operator(15),                    # charset
            _number(fd_select_at), _operator(37, escaped=True),    # FDSelect
            _number(charstrings_at), _operator(17),                # CharStrings
            _number(fd_array_at), _operator(36, escaped=True),     # FDArray
        ])

    def font_dict(private_at: int) -> bytes:
        return _number(len(private)) + _number(private_at) + _operator(18)

    header = bytes([1, 0, 4, 4])
    names = _index([name.encode("ascii")])
    # Every number is five bytes long, so the sizes are known before the offsets.
    top_size = len(_index([top_dict(0, 0, 0, 0)]))
    charset_at = len(header) + len(names) + top_size + len(strings) + len(_index([]))
    fd_select_at = charset_at + len(charset)
    charstrings_at = fd_select_at + len(fd_select)
    fd_array_at = charstrings_at + len(charstrings)
    fd_array_size = len(_index([font_dict(0)]))
    private_at = fd_array_at + fd_array_size
    return b"".join([
        header, names,
        _index([top_dict(charset_at, fd_select_at, charstrings_at, fd_array_at)]),
        strings, _index([]), charset, fd_select, charstrings,
        _index([font_dict(private_at)]), private,
    ])
