"""The certificate's fonts: the Japanese font, subset and embedded as a CID font so that any
PDF reader shows it."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from credstack.core.certificates.cff import cid_font_program
from credstack.errors import ConfigurationError

#: The name of the signature field credstack signs certificates in.
SIGNATURE_FIELD: Final = "credstack-certificate"


#: Where Debian's ``fonts-noto-cjk`` (and Fedora's / Arch's packages) keep Noto Sans CJK.
FONT_DIRECTORIES: Final = (Path("/usr/share/fonts/opentype/noto"),
                           Path("/usr/share/fonts/google-noto-cjk"),
                           Path("/usr/share/fonts/noto-cjk"))


FONT_FAMILY: Final = "Noto Sans CJK JP"


FALLBACK_FONT: Final = "HeiseiKakuGo-W5"


# A4 landscape, in points.
PAGE_WIDTH: Final = 841.89


PAGE_HEIGHT: Final = 595.28


# Page streams compressed, not also ASCII85-armoured: a quarter smaller, and reportlab's
# pure-Python ASCII85 encoder would be a tenth of a certificate's rendering time.
rl_config.useA85 = 0


_INK = Color(0.11, 0.15, 0.24)


_ACCENT = Color(0.10, 0.30, 0.55)


_MUTED = Color(0.38, 0.41, 0.47)


_RULE = Color(0.78, 0.81, 0.86)


class _Face:
    """One CFF-flavoured OpenType face, read once; glyph programs made on first use."""

    def __init__(self, path: Path, family: str) -> None:
        from fontTools.ttLib import TTCollection, TTFont

        fonts = (TTCollection(str(path), lazy=True).fonts if path.suffix.lower() == ".ttc"
                 else [TTFont(str(path), lazy=True)])
        chosen = next((font for font in fonts
                       if font["name"].getDebugName(1) == family), None)
        if chosen is None or "CFF " not in chosen:
            raise ConfigurationError(f"{path} holds no CFF font of the family {family!r}.")
        self._font = chosen
        cff = chosen["CFF "].cff
        self._cid_keyed = hasattr(cff.topDictIndex[0], "ROS")
        self._glyphs = chosen.getGlyphSet()
        self._metrics = chosen["hmtx"].metrics
        self._cmap = chosen.getBestCmap()
        head, hhea, os2 = chosen["head"], chosen["hhea"], chosen["OS/2"]
        self.units: int = int(head.unitsPerEm)
        self.bbox = (head.xMin, head.yMin, head.xMax, head.yMax)
        self.ascent = hhea.ascent
        self.descent = hhea.descent
        self.cap_height = getattr(os2, "sCapHeight", 0) or self.ascent
        self.postscript_name = (chosen["name"].getDebugName(6) or family).replace(" ", "")
        self.name = self.postscript_name
        self._cids: dict[str, int] = {}
        self._programs: dict[int, tuple[str, bytes]] = {}
        self._lock = threading.Lock()

    def cid(self, character: str) -> int:
        """The CID of ``character``'s glyph (0, ``.notdef``, when the font lacks it)."""
        found = self._cids.get(character)
        if found is None:
            name = self._cmap.get(ord(character))
            if name is None:
                found = 0
            elif self._cid_keyed and name.startswith("cid"):
                found = int(name[3:])
            else:
                found = int(self._font.getGlyphID(name))
            if found:
                self._programs.setdefault(found, (name or ".notdef", b""))
            self._cids[character] = found
        return found

    def width(self, cid: int) -> int:
        """The advance width of a CID's glyph, in font units."""
        if cid == 0:
            return self.units
        name = self._programs[cid][0]
        return int(self._metrics[name][0])

    def charstring(self, cid: int) -> bytes:
        """The glyph's outline as a Type 2 charstring without subroutines (cached)."""
        from fontTools.pens.t2CharStringPen import T2CharStringPen

        name, program = self._programs[cid]
        if program:
            return program
        with self._lock:
            pen = T2CharStringPen(self._metrics[name][0], None)
            self._glyphs[name].draw(pen)
            compiled = pen.getCharString()
            compiled.compile()
            program = bytes(compiled.bytecode)
            self._programs[cid] = (name, program)
        return program


@dataclass
class _DocumentState:
    internal_name: str | None = None
    #: CID → the first character that used it (for ToUnicode).
    used: dict[int, str] = field(default_factory=dict)


class EmbeddedCidFont:
    """A reportlab *dynamic* font that embeds a subset of a CFF face in each document.

    reportlab asks a dynamic font to encode text (``splitString``) and, when the document is
    written, to add its PDF objects (``addObjects``). Text is encoded as two-byte CIDs for a
    ``Type0`` font with the ``Identity-H`` CMap; the document's subset holds the glyphs it
    used and nothing else.
    """

    _dynamicFont = 1
    _multiByte = 1
    shapable = False
    substitutionFonts: list[Any] = []  # noqa: RUF012 - reportlab reads this attribute

    def __init__(self, name: str, face: _Face) -> None:
        self.fontName = name
        self.face = face
        self.encoding = None
        self._states: WeakKeyDictionary[Any, _DocumentState] = WeakKeyDictionary()

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        face = self.face
        return sum(face.width(face.cid(character)) for character in text) * size / face.units

    def _state(self, doc: Any) -> _DocumentState:
        state = self._states.get(doc)
        if state is None:
            state = self._states[doc] = _DocumentState()
        return state

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8"
                    ) -> list[tuple[int, bytes]]:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        state = self._state(doc)
        codes = bytearray()
        for character in text:
            cid = self.face.cid(character)
            state.used.setdefault(cid, character)
            codes += cid.to_bytes(2, "big")
        return [(0, bytes(codes))]

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:
        state = self._state(doc)
        if state.internal_name is None:
            state.internal_name = f"F{len(doc.fontMapping) + 1}"
            doc.fontMapping[self.fontName] = f"/{state.internal_name}"
            doc.delayedFonts.append(self)
        return f"/{state.internal_name}"

    def addObjects(self, doc: Any) -> None:
        state = self._states.pop(doc)
        assert state.internal_name is not None
        face = self.face
        cids = sorted(cid for cid in state.used if cid)
        tag = "".join(chr(65 + byte % 26) for byte in hashlib.sha256(
            b"".join(cid.to_bytes(2, "big") for cid in cids)).digest()[:6])
        base_name = f"{tag}+{face.postscript_name}"
        program = cid_font_program([(cid, face.charstring(cid)) for cid in cids],
                                   name=face.postscript_name, bbox=face.bbox)
        font_file = pdfdoc.PDFStream(dictionary=pdfdoc.PDFDictionary(
            {"Subtype": "/CIDFontType0C"}), content=program, filters=[pdfdoc.PDFZCompress])
        scale = 1000 / face.units
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor", "FontName": pdfdoc.PDFName(base_name), "Flags": 4,
            "FontBBox": pdfdoc.PDFArray([round(value * scale) for value in face.bbox]),
            "ItalicAngle": 0, "Ascent": round(face.ascent * scale),
            "Descent": round(face.descent * scale),
            "CapHeight": round(face.cap_height * scale), "StemV": 80,
            "FontFile3": doc.Reference(font_file, f"cidFontFile:{base_name}"),
        })
        # One "cid [width]" pair per glyph, written at once (reportlab's general array
        # formatting would spend more on these numbers than on the rest of the font).
        widths = _Literal("[" + " ".join(f"{cid} [{round(face.width(cid) * scale)}]"
                                         for cid in cids) + "]")
        descendant = pdfdoc.PDFDictionary({
            "Type": "/Font", "Subtype": "/CIDFontType0", "BaseFont": pdfdoc.PDFName(base_name),
            "CIDSystemInfo": pdfdoc.PDFDictionary({
                "Registry": pdfdoc.PDFString("Adobe"), "Ordering": pdfdoc.PDFString("Identity"),
                "Supplement": 0}),
            "FontDescriptor": doc.Reference(descriptor, f"cidFontDescriptor:{base_name}"),
            "DW": 1000, "W": widths,
        })
        to_unicode = pdfdoc.PDFStream(content=_to_unicode(state.used).encode("ascii"),
                                      filters=[pdfdoc.PDFZCompress])
        font = pdfdoc.PDFDictionary({
            "Type": "/Font", "Subtype": "/Type0", "BaseFont": pdfdoc.PDFName(base_name),
            "Encoding": "/Identity-H",
            "DescendantFonts": pdfdoc.PDFArray([
                doc.Reference(descendant, f"cidFont:{base_name}")]),
            "ToUnicode": doc.Reference(to_unicode, f"cidToUnicode:{base_name}"),
        })
        internal = state.internal_name
        doc.idToObject["BasicFonts"].dict[internal] = doc.Reference(font, internal)


class _Literal(pdfdoc.PDFObject):  # type: ignore[misc]
    """PDF syntax written as it is."""

    def __init__(self, text: str) -> None:
        self.text = text

    def format(self, document: Any) -> bytes:
        return self.text.encode("ascii")


def _to_unicode(used: Mapping[int, str]) -> str:
    """A ToUnicode CMap: each CID to the character it was used for (UTF-16BE)."""
    pairs = [f"<{cid:04X}> <{character.encode('utf-16-be').hex().upper()}>"
             for cid, character in sorted(used.items()) if cid]
    blocks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange", *blocks,
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


@dataclass(frozen=True, slots=True)
class Fonts:
    """The reportlab font names the certificate is set in, and whether they are embedded."""

    regular: str
    bold: str
    embedded: bool
    #: Where the regular face was read from (``None``: the built-in fallback).
    source: Path | None


_FONT_LOCK = threading.Lock()


def _find_font(file_name: str) -> Path | None:
    return next((directory / file_name for directory in FONT_DIRECTORIES
                 if (directory / file_name).is_file()), None)


@cache
def _fonts() -> Fonts:
    regular, bold = _find_font("NotoSansCJK-Regular.ttc"), _find_font("NotoSansCJK-Bold.ttc")
    if regular is not None:
        regular_font = EmbeddedCidFont("credstack-sans", _Face(regular, FONT_FAMILY))
        bold_font = (EmbeddedCidFont("credstack-sans-bold", _Face(bold, FONT_FAMILY))
                     if bold is not None else regular_font)
        pdfmetrics.registerFont(regular_font)
        if bold_font is not regular_font:
            pdfmetrics.registerFont(bold_font)
        return Fonts(regular_font.fontName, bold_font.fontName, True, regular)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return Fonts(FALLBACK_FONT, FALLBACK_FONT, False, None)


def fonts() -> Fonts:
    """The certificate's fonts, registered with reportlab on first use (thread-safe)."""
    with _FONT_LOCK:
        return _fonts()
