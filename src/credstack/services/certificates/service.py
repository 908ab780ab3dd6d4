"""Signed PDF certificates: layout (reportlab), Japanese type, the QR code, PAdES signing.

The recipe the API and the CLI call is :func:`certificate_pdf`: read an issued credential
from the store, say what its certificate says (:func:`credstack.core.certificates.
certificate_content`), lay it out on one A4 landscape page, attach the credential itself,
and sign the whole with the organisation's document-signing key
(:mod:`credstack.services.certificates.authority`).

Choices, and why:

* **reportlab** draws the page. Its TrueType support cannot read the Japanese fonts Debian
  ships (Noto Sans CJK, ``fonts-noto-cjk``: OpenType with CFF outlines), so the text is set
  in :class:`EmbeddedCidFont`, a reportlab dynamic font that embeds, per document, a subset
  of **Noto Sans CJK JP** as a ``CIDFontType0`` (``FontFile3 /CIDFontType0C``, Identity-H,
  with a ``ToUnicode`` map so the text can be searched and copied). Glyph outlines are read
  once per process with fontTools and kept; a document's subset is laid out by
  :func:`credstack.core.certificates.cff.cid_font_program`. Where the Noto files are missing
  the certificate falls back to reportlab's built-in ``HeiseiKakuGo-W5`` CID font, which is
  *not* embedded (the viewer substitutes a Japanese font); :func:`fonts` says which is used.
* **qrcode** encodes the verification page's URL (error correction M); the modules are
  drawn as vector rectangles.
* **pyHanko** writes the signature: a *certification* signature (DocMDP: no changes allowed),
  ``/SubFilter /ETSI.CAdES.detached`` — PAdES baseline B-B, or B-T when a time-stamping
  authority is configured (``CREDSTACK_TSA_URL``: the signature value is timestamped by it,
  :mod:`credstack.adapters.tsa`, and the token added as an unsigned attribute) — in an
  invisible field, with the signer's certificate and its authority embedded, so the PDF can
  be verified offline against the organisation's CA certificate. The validation data PAdES
  B-LT adds — the CA certificate and the authority's current CRL — go into the document's
  security store (``/DSS``) *in the signed revision*, not in an update after it: the CRL is
  known before signing, the PDF stays one revision (``pdfsig`` says "Total document signed",
  and the certification's "no changes" holds literally), and no validation run is needed at
  signing time (pyHanko's ``embed_validation_info`` would validate the chain on every
  signature and append a revision). The CMS container is
  assembled from a template (:mod:`credstack.core.certificates.cms`) by
  :class:`TemplateSigner`: pyHanko's general CMS code costs ~12 ms per signature.
* The credential travels inside the PDF as an associated file (``/AF``, relationship
  ``/Source``; ``credential.json`` or ``credential.jwt``), in the same revision the
  signature covers; the document information names its id (``/Subject``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final
from weakref import WeakKeyDictionary

import qrcode
from asn1crypto import cms, crl
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes, Signer
from pyhanko.sign.validation.dss import DocumentSecurityStore
from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy.orm import Session

from credstack.adapters import keystore, tsa
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.core.certificates import (
    CertificateContent,
    certificate_content,
    read_credential,
)
from credstack.core.certificates.cff import cid_font_program
from credstack.core.certificates.cms import SignedDataTemplate
from credstack.errors import ConfigurationError, ConflictError
from credstack.services.certificates import authority as pki

__all__ = [
    "SIGNATURE_FIELD",
    "Attachment",
    "CertificatePdf",
    "CertificateSigner",
    "EmbeddedCidFont",
    "Fonts",
    "TemplateSigner",
    "attachment_for",
    "certificate_filename",
    "certificate_pdf",
    "fonts",
    "render_certificate",
    "render_page",
    "sign_pdf",
]

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


# --- the Japanese font ---------------------------------------------------------------------


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


# --- the page ------------------------------------------------------------------------------

_NO_LINE_START = set("、。，．・：；？！）」』】〕〉》ー’”.,;:!?)]}")
_TOKEN = re.compile(r"\s+|[A-Za-z0-9@._\-:/#%+=&?~'’()\[\],;!\"]+|.", re.DOTALL)


def _wrap(text: str, font: str, size: float, width: float, max_lines: int = 0) -> list[str]:
    """Lines of at most ``width`` points: Latin words stay whole, Japanese breaks anywhere
    but before closing punctuation; with ``max_lines``, the last line ends in an ellipsis."""
    lines: list[str] = []
    line, used = "", 0.0
    for token in _TOKEN.findall(text):
        extent = pdfmetrics.stringWidth(token, font, size)
        if used + extent <= width or not line.strip() or (
                token[0] in _NO_LINE_START and len(token) == 1):
            line, used = line + token, used + extent
            continue
        lines.append(line.rstrip())
        line = token.lstrip()
        used = pdfmetrics.stringWidth(line, font, size)
    if line.strip():
        lines.append(line.rstrip())
    if max_lines and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        kept[-1] = last + "…"
        return kept
    return lines


def _qr_rectangles(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code of ``url`` as runs of dark modules: (size, [(row, column, length)])."""
    # A fixed mask pattern skips qrcode's search for the best one (eight trial encodings):
    # any mask gives a valid code, and the search would cost more than the rest of the page.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                         mask_pattern=2)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs = []
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):
            if cells[column]:
                start = column
                while column < len(cells) and cells[column]:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return len(matrix), runs


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    count, runs = _qr_rectangles(url)
    canvas.saveState()
    canvas.setFillColor(_INK)
    # In module units, the rectangles are small integers: written as such, a few hundred of
    # them cost nothing (reportlab's general number formatting would cost milliseconds).
    canvas.translate(x, y)
    canvas.scale(size / count, size / count)
    canvas.addLiteral(" ".join(f"{column} {count - row - 1} {length} 1 re"
                               for row, column, length in runs) + " f")
    canvas.restoreState()


class _Page:
    """Text placement on the canvas, in the certificate's fonts."""

    def __init__(self, canvas: Canvas, chosen: Fonts) -> None:
        self.canvas = canvas
        self.fonts = chosen

    def text(self, x: float, y: float, text: str, *, size: float, bold: bool = False,
             align: str = "left", color: Color = _INK) -> None:
        font = self.fonts.bold if bold else self.fonts.regular
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(color)
        if align == "center":
            self.canvas.drawCentredString(x, y, text)
        elif align == "right":
            self.canvas.drawRightString(x, y, text)
        else:
            self.canvas.drawString(x, y, text)

    def block(self, x: float, y: float, text: str, *, size: float, width: float,
              bold: bool = False, align: str = "left", color: Color = _INK,
              leading: float = 1.45, max_lines: int = 0) -> float:
        """Wrapped text from ``y`` (the first baseline) down; the next free baseline."""
        font = self.fonts.bold if bold else self.fonts.regular
        for line in _wrap(text, font, size, width, max_lines):
            self.text(x, y, line, size=size, bold=bold, align=align, color=color)
            y -= size * leading
        return y


def render_page(content: CertificateContent, *, now: dt.datetime) -> bytes:
    """The certificate's page as an unsigned PDF (one A4 landscape page)."""
    chosen = fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1,
                    lang=content.language, initialFontName=chosen.regular)
    stamp = now.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
    canvas.setDateFormatter(lambda *_: stamp)
    canvas.setTitle(content.document_title)
    canvas.setAuthor(content.awarding_body)
    canvas.setSubject(content.credential_id)
    canvas.setCreator("credstack")
    canvas.setKeywords(["credstack", "Open Badges 3.0", content.credential_id])
    page = _Page(canvas, chosen)
    width, height, middle = PAGE_WIDTH, PAGE_HEIGHT, PAGE_WIDTH / 2

    # Frame: a strong outer rule and a fine inner one.
    canvas.setStrokeColor(_ACCENT)
    canvas.setLineWidth(2.2)
    canvas.rect(28, 28, width - 56, height - 56)
    canvas.setLineWidth(0.6)
    canvas.rect(34, 34, width - 68, height - 68)

    y = height - 84
    page.text(middle, y, content.kind, size=11, align="center", color=_ACCENT)
    y -= 38
    page.text(middle, y, content.heading, size=30, bold=True, align="center")
    y -= 36
    if content.preamble:
        page.text(middle, y, content.preamble, size=11.5, align="center", color=_MUTED)
        y -= 30
    else:
        y -= 14
    page.text(middle, y, content.learner, size=24, bold=True, align="center")
    canvas.setStrokeColor(_RULE)
    canvas.setLineWidth(0.8)
    canvas.line(middle - 170, y - 9, middle + 170, y - 9)
    y -= 32
    y = page.block(middle, y, content.statement, size=11.5, width=620, align="center")
    y -= 8
    y = page.block(middle, y, content.programme_title, size=18, bold=True, width=660,
                   align="center", leading=1.3, max_lines=2)
    if content.programme_code:
        page.text(middle, y + 4, f"{content.captions.programme_code}  {content.programme_code}",
                  size=9, align="center", color=_MUTED)
        y -= 14

    # Lower part: the summary on the left, the QR code and how to verify on the right.
    top = min(y, 300)
    canvas.setStrokeColor(_RULE)
    canvas.line(60, top + 10, width - 60, top + 10)
    left, label_width, value_x, value_width = 62, 150, 216, 372
    row_y = top - 8
    page.text(left, row_y, content.captions.summary, size=9.5, bold=True, color=_ACCENT)
    row_y -= 17
    rows = [(row.label, row.value) for row in content.summary]
    if content.grade:
        rows.append((content.captions.grade, content.grade))
    if content.outcomes:
        marker = "・" if content.language == "ja" else "• "
        rows.append((content.captions.outcomes,
                     "\n".join(marker + outcome for outcome in content.outcomes)))
    floor = 112
    for label_text, value in rows:
        if row_y < floor:
            break
        page.block(left, row_y, label_text, size=8.2, width=label_width, color=_MUTED,
                   max_lines=1)
        for paragraph in value.split("\n"):
            if row_y < floor:
                break
            row_y = page.block(value_x, row_y, paragraph, size=8.6, width=value_width,
                               leading=1.35, max_lines=2)
        row_y -= 4

    qr_size, qr_x = 104, width - 62 - 104
    qr_y = top - 8 - qr_size
    _draw_qr(canvas, content.verify_url, qr_x, qr_y, qr_size)
    page.block(qr_x - 66, qr_y - 14, content.captions.verify_hint, size=7.2, width=qr_size + 66,
               color=_MUTED, leading=1.35, max_lines=4)

    # Footer: who issued it and when; the credential's id.
    base = 72
    canvas.setStrokeColor(_RULE)
    canvas.line(60, base + 26, width - 60, base + 26)
    page.text(62, base + 8, f"{content.captions.awarding_body}  {content.awarding_body}",
              size=10, bold=True)
    page.text(width - 62, base + 8, f"{content.captions.issued_on}  {content.issued_on}",
              size=10, bold=True, align="right")
    page.text(62, base - 8, content.captions.signed_note, size=7.5, color=_MUTED)
    page.text(width - 62, base - 8,
              f"{content.captions.credential_id}  {content.credential_id}", size=7.5,
              align="right", color=_MUTED)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


# --- signing -------------------------------------------------------------------------------


class TemplateSigner(Signer):
    """A pyHanko signer for one document-signing identity, its CMS made from a template.

    pyHanko still does everything PDF: the signature field and dictionary, the byte range,
    the DocMDP settings. Only the CMS container — fixed signed attributes (``content-type``,
    ``message-digest``, ``signing-certificate-v2``), one ECDSA P-256 signature and, with
    ``timestamps``, the signature timestamp token it gives — is joined from pre-encoded parts.
    """

    def __init__(self, identity: pki.SigningIdentity,
                 timestamps: tsa.TimestampAuthority | None = None) -> None:
        certificate = asn1_x509.Certificate.load(identity.certificate.public_bytes(Encoding.DER))
        # The chain goes into the CMS from the template; pyHanko needs only the signer's.
        super().__init__(signing_cert=certificate)
        self._key = identity.private_key
        self.template = SignedDataTemplate(certificate=identity.certificate,
                                           chain=identity.chain)
        #: What goes into the document's security store: the chain and the current CRLs.
        self.validation_certificates = tuple(
            asn1_x509.Certificate.load(item.public_bytes(Encoding.DER))
            for item in identity.chain)
        self.crls = tuple(crl.CertificateList.load(item) for item in identity.crls)
        #: The time-stamping authority that timestamps each signature (PAdES B-T), if any.
        self.timestamps = timestamps
        self._untimestamped = len(self.template.sign(bytes(32), lambda _: bytes(72)))

    @property
    def bytes_reserved(self) -> int:
        """Room reserved in the PDF for the CMS, in hex digits (pyHanko's unit): its size with
        the longest ECDSA signature and, timestamped, the room of the authority's tokens
        (its attribute's header included), and a little more."""
        room = self.timestamps.room + 32 if self.timestamps is not None else 0
        return 2 * (self._untimestamped + room + 32)

    def _sign_bytes(self, data: bytes) -> bytes:
        return self._key.sign(data, ec.ECDSA(hashes.SHA256()))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        if digest_algorithm != "sha256":
            raise SigningError(f"credstack signs with SHA-256, not {digest_algorithm}")
        return self._sign_bytes(data)

    async def async_sign(self, data_digest: bytes, digest_algorithm: str,
                         dry_run: bool = False, use_pades: bool = False,
                         timestamper: Any = None,
                         signed_attr_settings: PdfCMSSignedAttributes | None = None,
                         is_pdf_sig: bool = True, encap_content_info: Any = None
                         ) -> cms.ContentInfo:
        if digest_algorithm != "sha256" or timestamper is not None or \
                encap_content_info is not None:
            raise SigningError("credstack's template signer makes PAdES B-B and B-T "
                               "signatures of SHA-256 digests only, timestamped by its own "
                               "authority")
        stamp = self.timestamps.stamp if self.timestamps is not None else None
        return cms.ContentInfo.load(self.template.sign(data_digest, self._sign_bytes, stamp))


@dataclass(frozen=True, slots=True)
class CertificateSigner:
    """An organisation's signer, ready for many documents (the key stays in memory)."""

    organisation: str
    name: str
    signer: TemplateSigner

    @classmethod
    def for_identity(cls, identity: pki.SigningIdentity,
                     timestamps: tsa.TimestampAuthority | None = None) -> CertificateSigner:
        names = identity.certificate.subject.get_attributes_for_oid(
            NameOID.ORGANIZATION_NAME)
        name = str(names[0].value) if names else identity.organisation
        return cls(identity.organisation, name, TemplateSigner(identity, timestamps))


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the PDF carries: the credential the certificate stands for."""

    name: str
    data: bytes
    media_type: str
    description: str


async def _sign(writer: IncrementalPdfFileWriter, pdf_signer: signers.PdfSigner,
                reserved: int, now: dt.datetime) -> bytes:
    # The steps of PdfSigner.async_sign_pdf, so that the signing time is ``now``.
    session = pdf_signer.init_signing_session(writer)
    session.system_time = now
    validation = await session.perform_presign_validation(writer)
    document = session.prepare_tbs_document(validation_info=validation, bytes_reserved=reserved)
    buffer = io.BytesIO()
    prepared, output = document.digest_tbs_document(output=buffer)
    signed = await document.perform_signature(
        document_digest=prepared.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=now))
    await signed.post_signature_processing(output)
    return buffer.getvalue()


def sign_pdf(pdf: bytes, *, signer: CertificateSigner, now: dt.datetime,
             attachment: Attachment | None = None, reason: str | None = None,
             location: str | None = None) -> bytes:
    """``pdf`` with ``attachment`` added and a certification signature over everything
    (timestamped when the signer has a time-stamping authority)."""
    reserved = signer.signer.bytes_reserved
    try:
        return _sign_pdf(pdf, signer=signer, now=now, attachment=attachment, reason=reason,
                         location=location, reserved=reserved)
    except SigningError:
        # The room for the CMS is reserved before the timestamp token exists; the first
        # token of an authority can be larger than the first guess. Its size is known now:
        # sign again, once, with room for it.
        if signer.signer.bytes_reserved <= reserved:
            raise
        return _sign_pdf(pdf, signer=signer, now=now, attachment=attachment, reason=reason,
                         location=location, reserved=signer.signer.bytes_reserved)


def _sign_pdf(pdf: bytes, *, signer: CertificateSigner, now: dt.datetime,
              attachment: Attachment | None, reason: str | None, location: str | None,
              reserved: int) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if attachment is not None:
        data = embed.EmbeddedFileObject.from_file_data(
            writer, data=attachment.data, mime_type=attachment.media_type,
            params=embed.EmbeddedFileParams(creation_date=now, modification_date=now))
        embed.embed_file(writer, embed.FileSpec(
            file_spec_string=attachment.name, file_name=attachment.name, embedded_data=data,
            description=attachment.description, af_relationship=generic.pdf_name("/Source")))
    if signer.signer.crls:
        # No VRI entry (it would be keyed by the signature, not made yet): PAdES does not
        # require one, and validators read the store's certificates and CRLs as a whole.
        DocumentSecurityStore.supply_dss_in_writer(
            writer, None, certs=signer.signer.validation_certificates, crls=signer.signer.crls)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES, reason=reason, location=location,
        name=signer.name)
    pdf_signer = signers.PdfSigner(metadata, signer=signer.signer,
                                   new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD))
    return asyncio.run(_sign(writer, pdf_signer, reserved, now))


def render_certificate(content: CertificateContent, *, signer: CertificateSigner,
                       now: dt.datetime, attachment: Attachment | None = None) -> bytes:
    """The signed certificate: the page, the credential attached, the signature."""
    reason = ("この証明書は発行機関が電子署名しました" if content.language == "ja"
              else "Certificate signed by its awarding body")
    return sign_pdf(render_page(content, now=now), signer=signer, now=now,
                    attachment=attachment, reason=reason,
                    location=content.verify_url.split("/verify/")[0])


# --- from the store ------------------------------------------------------------------------


def attachment_for(document: str, *, credential_id: str) -> Attachment:
    """The credential as the PDF carries it: ``credential.json`` or ``credential.jwt``."""
    is_json = document.lstrip().startswith("{")
    return Attachment(
        name="credential.json" if is_json else "credential.jwt",
        data=document.encode("utf-8"),
        media_type="application/vc+ld+json" if is_json else "application/vc+jwt",
        description=f"The verifiable credential {credential_id}")


@dataclass(frozen=True, slots=True)
class CertificatePdf:
    filename: str
    data: bytes


def certificate_pdf(session: Session, *, credential_id: str, language: str,
                    secret: keystore.MasterKey, public_url: str, now: dt.datetime,
                    signer: CertificateSigner | None = None,
                    tsa_url: str | None = None) -> CertificatePdf:
    """The signed PDF certificate of one of credstack's issued credentials.

    The organisation's authority and signing certificate are made on first use. Revoked
    and suspended credentials get no certificate (:class:`ConflictError`). With ``tsa_url``
    (``CREDSTACK_TSA_URL``) the signature is timestamped by that authority (PAdES B-T); when
    it fails, so does the PDF (:class:`~credstack.errors.TimestampAuthorityError`).
    """
    stored = credential_store.get_credential(session, credential_id=credential_id)
    if stored.state != "active":
        raise ConflictError(f"{credential_id} is {stored.state}: credstack makes certificates "
                            "of active credentials only.")
    content = certificate_content(read_credential(stored.document), language=language,
                                  public_url=public_url)
    timestamps = tsa.authority(tsa_url) if tsa_url else None
    if signer is None or signer.organisation != stored.organisation or \
            signer.signer.timestamps is not timestamps:
        signer = CertificateSigner.for_identity(pki.signing_identity(
            session, organisation=stored.organisation, secret=secret, now=now,
            public_url=public_url), timestamps)
    data = render_certificate(content, signer=signer, now=now,
                              attachment=attachment_for(stored.document,
                                                        credential_id=credential_id))
    return CertificatePdf(filename=certificate_filename(credential_id, content.language),
                          data=data)


def certificate_filename(credential_id: str, language: str) -> str:
    """``certificate-<uuid>-ja.pdf``: the id's last part, safe for any file system."""
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", credential_id.rsplit(":", 1)[-1]).strip("-.")
    return f"certificate-{tail[:80] or 'credential'}-{language}.pdf"

