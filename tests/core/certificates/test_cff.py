"""The CID-keyed CFF writer: fonts it lays out read back, glyph for glyph, with fontTools."""

from __future__ import annotations

import io

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen

from credstack.core.certificates.cff import NOTDEF_CHARSTRING, cid_font_program


def square(width: int, size: int) -> bytes:
    pen = T2CharStringPen(width, None)
    pen.moveTo((0, 0))
    pen.lineTo((size, 0))
    pen.lineTo((size, size))
    pen.lineTo((0, size))
    pen.closePath()
    charstring = pen.getCharString()
    charstring.compile()
    return bytes(charstring.bytecode)


def read(program: bytes) -> CFFFontSet:
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(program), otFont=None)
    return fonts


def test_the_font_is_cid_keyed_adobe_identity_with_the_glyphs_under_their_cids() -> None:
    """ROS Adobe-Identity-0; GID 0 is .notdef; each glyph keeps its CID; outlines survive."""
    glyphs = [(4242, square(1000, 500)), (17, square(600, 300)), (65000, square(1000, 700))]
    fonts = read(cid_font_program(glyphs, name="Test-Regular", bbox=(0, -120, 1000, 880)))
    assert fonts.fontNames == ["Test-Regular"]
    top = fonts[0]
    assert top.ROS == ("Adobe", "Identity", 0)
    assert top.FontBBox == [0, -120, 1000, 880]
    assert top.charset == [".notdef", "cid00017", "cid04242", "cid65000"]
    assert len(top.FDArray) == 1
    for cid, size in ((17, 300), (4242, 500), (65000, 700)):
        pen = RecordingPen()
        top.CharStrings[f"cid{cid:05d}"].draw(pen)
        assert pen.value == [("moveTo", ((0, 0),)), ("lineTo", ((size, 0),)),
                             ("lineTo", ((size, size),)), ("lineTo", ((0, size),)),
                             ("closePath", ())]
    assert top.CharStrings[".notdef"].bytecode == NOTDEF_CHARSTRING


def test_an_empty_subset_is_a_valid_font_with_notdef_only() -> None:
    top = read(cid_font_program([], name="Empty", bbox=(0, 0, 0, 0)))[0]
    assert top.charset == [".notdef"]


def zigzag(points: int) -> bytes:
    pen = T2CharStringPen(1000, None)
    pen.moveTo((0, 0))
    for step in range(1, points):
        pen.lineTo((step * 7, 300 + (step % 2) * 211))
    pen.closePath()
    charstring = pen.getCharString(optimize=False)
    charstring.compile()
    return bytes(charstring.bytecode)


def test_large_subsets_use_wider_offsets() -> None:
    """Over 64 KiB of charstrings: the INDEX offsets grow to three bytes and still read."""
    program = zigzag(60)
    count = 65536 // len(program) + 10
    fonts = read(cid_font_program([(cid, program) for cid in range(1, count + 1)], name="Big",
                                  bbox=(0, 0, 1000, 1000)))
    top = fonts[0]
    assert len(top.charset) == count + 1
    pen = RecordingPen()
    top.CharStrings[f"cid{count:05d}"].draw(pen)
    assert len(pen.value) == 61


@pytest.mark.parametrize(("glyphs", "name", "message"), [
    ([(5, b"\x0e"), (5, b"\x0e")], "X", "twice"),
    ([(0, b"\x0e")], "X", "between"),
    ([(70000, b"\x0e")], "X", "between"),
    ([], "Not ASCII ✓", "ASCII"),
])
def test_what_cannot_be_a_font_is_refused(glyphs: list[tuple[int, bytes]], name: str,
                                          message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cid_font_program(glyphs, name=name, bbox=(0, 0, 1, 1))
