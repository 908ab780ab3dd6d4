"""The certificate's fonts: Noto Sans CJK (Japanese, Chinese, Korean and the Latin of English,
Vietnamese, Indonesian and Malay) and Noto Sans Thai for what it lacks, each subset and embedded
as a CID font so that any PDF reader shows every character of the eight languages."""

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


#: Where Debian's ``fonts-noto-core`` (and Fedora's / Arch's packages) keep Noto Sans Thai, whose
#: glyphs the CJK font lacks.
THAI_FONT_DIRECTORIES: Final = (Path("/usr/share/fonts/truetype/noto"),
                                Path("/usr/share/fonts/google-noto-vf"),
                                Path("/usr/share/fonts/google-noto"),
                                Path("/usr/share/fonts/noto"))


THAI_FONT_FAMILY: Final = "Noto Sans Thai"


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
    """One OpenType face (CFF or TrueType outlines), read once; glyph programs, in CFF's
    Type 2 charstrings, made on first use."""

    def __init__(self, path: Path, family: str) -> None:
        from fontTools.ttLib import TTCollection, TTFont

        fonts = (TTCollection(str(path), lazy=True).fonts if path.suffix.lower() == ".ttc"
                 else [TTFont(str(path), lazy=True)])
        chosen = next((font for font in fonts
                       if font["name"].getDebugName(1) == family), None)
        if chosen is None or not ("CFF " in chosen or "glyf" in chosen):
            raise ConfigurationError(f"{path} holds no font of the family {family!r}.")
        self._font = chosen
        self._cid_keyed = ("CFF " in chosen
                           and hasattr(chosen["CFF "].cff.topDictIndex[0], "ROS"))
        self._glyphs = chosen.getGlyphSet()
        self._metrics = chosen["hmtx"].metrics
        self._cmap = chosen.getBestCmap()
        head, hhea, os2 = chosen["head"], chosen["hhea"], chosen["OS/2"]
        self.units: int = int(head.unitsPerEm)
        if self.units != 1000:
            # The embedded CFF's FontMatrix is the default, a thousandth of the size.
            raise ConfigurationError(f"{path}: {self.units} units per em, not 1000.")
        self.bbox = (head.xMin, head.yMin, head.xMax, head.yMax)
        self.ascent = hhea.ascent
        self.descent = hhea.descent
        self.cap_height = getattr(os2, "sCapHeight", 0) or self.ascent
        self.postscript_name = (chosen["name"].getDebugName(6) or family).replace(" ", "")
        self.name = self.postscript_name
        self._cids: dict[str, int] = {}
        self._programs: dict[int, tuple[str, bytes]] = {}
        self._lock = threading.Lock()

    def has(self, character: str) -> bool:
        """Whether the face has a glyph for ``character``."""
        return self.cid(character) != 0

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
            # The glyph set decomposes a TrueType composite glyph into its components'
            # outlines; quadratic curves become cubic ones.
            pen = T2CharStringPen(self._metrics[name][0], self._glyphs)
            self._glyphs[name].draw(pen)
            compiled = pen.getCharString()
            compiled.compile()
            program = bytes(compiled.bytecode)
            self._programs[cid] = (name, program)
        return program


@dataclass
class _Subset:
    """What one document uses of one face."""

    internal_name: str
    #: CID → the first character that used it (for ToUnicode).
    used: dict[int, str] = field(default_factory=dict)


class EmbeddedCidFont:
    """A reportlab *dynamic* font that embeds a subset of its faces in each document.

    reportlab asks a dynamic font to encode text (``splitString``) and, when the document is
    written, to add its PDF objects (``addObjects``). Each character is set in the first face
    that has a glyph for it (the CJK face, then Thai), a run of one face's characters in that
    face's PDF font: reportlab's *subsets*, one a face, switched between within a string. Text
    is encoded as two-byte CIDs for a ``Type0`` font with the ``Identity-H`` CMap; each
    document's subset of a face holds the glyphs it used and nothing else.
    """

    _dynamicFont = 1
    _multiByte = 1
    shapable = False
    substitutionFonts: list[Any] = []  # noqa: RUF012 - reportlab reads this attribute

    def __init__(self, name: str, face: _Face, *fallbacks: _Face) -> None:
        self.fontName = name
        self.faces = (face, *fallbacks)
        self.encoding = None
        self._states: WeakKeyDictionary[Any, dict[int, _Subset]] = WeakKeyDictionary()
        #: Each character met: its face, CID and advance in ems. Documents of one kind set
        #: the same few hundred characters again and again (a transcript's course names, its
        #: captions), each measured and encoded several times; a face's glyphs never change.
        #: Entries are added whole (safe to share between threads).
        self._placed: dict[str, tuple[int, int, float]] = {}

    @property
    def face(self) -> _Face:
        """The first face, which sets every character none of the others has."""
        return self.faces[0]

    def _place(self, character: str) -> tuple[int, int, float]:
        """The character's face (the first that has it), CID and advance in ems."""
        placed = self._placed.get(character)
        if placed is None:
            index = next((index for index, face in enumerate(self.faces)
                          if face.has(character)), 0)
            face = self.faces[index]
            cid = face.cid(character)
            placed = self._placed[character] = (index, cid, face.width(cid) / face.units)
        return placed

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        placed = self._placed
        total = 0.0
        for character in text:
            known = placed.get(character)
            total += (known or self._place(character))[2]
        return total * size

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8"
                    ) -> list[tuple[int, bytes]]:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        runs: list[tuple[int, bytes]] = []
        codes, current = bytearray(), -1
        for character in text:
            index, cid, _ = self._place(character)
            if index != current and codes:
                runs.append((current, bytes(codes)))
                codes = bytearray()
            current = index
            self._subset(index, doc).used.setdefault(cid, character)
            codes += cid.to_bytes(2, "big")
        if codes:
            runs.append((current, bytes(codes)))
        return runs

    def _subset(self, index: int, doc: Any) -> _Subset:
        subsets = self._states.get(doc)
        if subsets is None:
            subsets = self._states[doc] = {}
            doc.delayedFonts.append(self)
        found = subsets.get(index)
        if found is None:
            name = f"F{len(doc.fontMapping) + 1}"
            doc.fontMapping[f"{self.fontName}:{index}"] = f"/{name}"
            found = subsets[index] = _Subset(name)
        return found

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:
        return f"/{self._subset(subset, doc).internal_name}"

    def addObjects(self, doc: Any) -> None:
        for index, subset in self._states.pop(doc).items():
            _add_font(doc, self.faces[index], subset)


def _add_font(doc: Any, face: _Face, subset: _Subset) -> None:
    """The PDF objects of ``subset`` of ``face``: a Type0 font over a CIDFontType0 whose
    program is a CFF of the glyphs used, and its ToUnicode map."""
    cids = sorted(cid for cid in subset.used if cid)
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
    to_unicode = pdfdoc.PDFStream(content=_to_unicode(subset.used).encode("ascii"),
                                  filters=[pdfdoc.PDFZCompress])
    font = pdfdoc.PDFDictionary({
        "Type": "/Font", "Subtype": "/Type0", "BaseFont": pdfdoc.PDFName(base_name),
        "Encoding": "/Identity-H",
        "DescendantFonts": pdfdoc.PDFArray([
            doc.Reference(descendant, f"cidFont:{base_name}")]),
        "ToUnicode": doc.Reference(to_unicode, f"cidToUnicode:{base_name}"),
    })
    internal = subset.internal_name
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
    #: Whether Thai is set in an embedded face (Noto Sans Thai was found).
    thai: bool = False


_FONT_LOCK = threading.Lock()


def _find_font(file_name: str) -> Path | None:
    return next((directory / file_name for directory in FONT_DIRECTORIES
                 if (directory / file_name).is_file()), None)


def _find_thai(file_name: str) -> _Face | None:
    found = next((directory / file_name for directory in THAI_FONT_DIRECTORIES
                  if (directory / file_name).is_file()), None)
    return _Face(found, THAI_FONT_FAMILY) if found is not None else None


@cache
def _fonts() -> Fonts:
    regular, bold = _find_font("NotoSansCJK-Regular.ttc"), _find_font("NotoSansCJK-Bold.ttc")
    if regular is not None:
        thai = _find_thai("NotoSansThai-Regular.ttf")
        thai_bold = _find_thai("NotoSansThai-Bold.ttf") or thai
        regular_font = EmbeddedCidFont("credstack-sans", _Face(regular, FONT_FAMILY),
                                       *filter(None, [thai]))
        bold_font = (EmbeddedCidFont("credstack-sans-bold", _Face(bold, FONT_FAMILY),
                                     *filter(None, [thai_bold]))
                     if bold is not None else regular_font)
        pdfmetrics.registerFont(regular_font)
        if bold_font is not regular_font:
            pdfmetrics.registerFont(bold_font)
        return Fonts(regular_font.fontName, bold_font.fontName, True, regular, thai is not None)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return Fonts(FALLBACK_FONT, FALLBACK_FONT, False, None)


def fonts() -> Fonts:
    """The certificate's fonts, registered with reportlab on first use (thread-safe)."""
    with _FONT_LOCK:
        return _fonts()
