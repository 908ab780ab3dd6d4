"""The certificate's fonts set every character of the eight languages from embedded glyphs.

For each language a certificate is written in that language and names its learner and its
programme in that language's script; poppler's ``pdftotext`` reads every one of those
characters back, and each character of the page — the fixed words, the summary, the date, the
names — is drawn with a glyph of an embedded font program, not the ``.notdef`` box. Noto Sans
CJK (``fonts-noto-cjk``) sets Japanese, Chinese, Korean and the Latin of English, Vietnamese,
Indonesian and Malay; Noto Sans Thai (``fonts-noto-core``) sets Thai. CI installs both and
poppler-utils, and with ``CREDSTACK_REQUIRE_PDFSIG=1`` a missing one fails these tests instead
of skipping them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from fontTools.cffLib import CFFFontSet
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.pdfbase import pdfmetrics

from credstack.core.certificates import certificate_content
from credstack.services.certificates.fonts import fonts
from credstack.services.certificates.page import render_page
from tests.core.certificates.test_content import PUBLIC_URL, credential
from tests.services.certificates.test_service import REQUIRE_PDFSIG, need_pdfsig

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)

#: A learner and a programme in each language's script.
NAMED = {
    "ja": ("山田 花子", "半導体製造装置の保全技術"),
    "en": ("Hanako Yamada", "Maintenance of Semiconductor Manufacturing Equipment"),
    "ko": ("김민준", "반도체 제조 장비 유지보수 기술"),
    "zh-Hans": ("张伟", "半导体制造设备维护技术"),
    "th": ("สมชาย ใจดี", "การบำรุงรักษาอุปกรณ์การผลิตเซมิคอนดักเตอร์"),
    "vi": ("Nguyễn Thị Hương", "Kỹ thuật bảo dưỡng thiết bị sản xuất bán dẫn"),
    "id": ("Dewi Lestari", "Pemeliharaan Peralatan Manufaktur Semikonduktor"),
    "ms": ("Siti Nurhaliza binti Ahmad", "Penyelenggaraan Peralatan Pembuatan Semikonduktor"),
}


def _need_fonts() -> None:
    chosen = fonts()
    missing = ("Noto Sans CJK (Debian package fonts-noto-cjk)" if not chosen.embedded else
               "Noto Sans Thai (Debian package fonts-noto-core)" if not chosen.thai else None)
    if missing is None:
        return
    if REQUIRE_PDFSIG:
        pytest.fail(f"{missing} is not installed; CI installs it")
    pytest.skip(f"{missing} is not installed")


def _certificate(language: str) -> bytes:
    learner, title = NAMED[language]
    content = certificate_content(credential(), language=language, public_url=PUBLIC_URL)
    return render_page(dataclasses.replace(content, learner=learner, programme_title=title),
                       now=NOW)


def _drawn_glyphs(pdf: bytes) -> dict[str, set[int]]:
    """Each character the first page's fonts say they draw (their ToUnicode maps), with the
    CIDs that draw it, where the font's embedded program has that CID's glyph; a character
    drawn with ``.notdef`` (CID 0) or with a glyph the program lacks is left out."""
    reader = PdfFileReader(io.BytesIO(pdf))
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    drawn: dict[str, set[int]] = {}
    for name in page["/Resources"]["/Font"]:
        font = page["/Resources"]["/Font"][name].get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        program = descendant["/FontDescriptor"]["/FontFile3"].get_object().data
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program), None)
        charset = cff[cff.fontNames[0]].charset
        held = {int(glyph[3:]) for glyph in charset if glyph.startswith("cid")}
        cmap = font["/ToUnicode"].get_object().data.decode("ascii")
        for cid, text in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap):
            character = bytes.fromhex(text).decode("utf-16-be")
            if int(cid, 16) in held:
                drawn.setdefault(character, set()).add(int(cid, 16))
    return drawn


@pytest.mark.parametrize("language", list(NAMED))
def test_every_character_of_the_learner_and_the_programme_is_drawn_and_read_back(
        language: str, tmp_path: Path) -> None:
    _need_fonts()
    need_pdfsig()  # pdftotext comes with pdfsig, in poppler-utils
    pdf = _certificate(language)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    learner, title = NAMED[language]
    assert learner in text
    # A long title may wrap: every character is on the page, in order.
    assert title.replace(" ", "") in re.sub(r"\s+", "", text)
    drawn = _drawn_glyphs(pdf)
    assert {character for character in learner + title if not character.isspace()} \
        <= set(drawn)


@pytest.mark.parametrize("language", list(NAMED))
def test_every_character_of_a_certificate_in_each_language_has_an_embedded_glyph(
        language: str, tmp_path: Path) -> None:
    """The whole first page, as ``pdftotext`` reads it — the certificate's own words in the
    language as well as the names — holds no character drawn without a glyph."""
    _need_fonts()
    need_pdfsig()
    pdf = _certificate(language)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    content = certificate_content(credential(), language=language, public_url=PUBLIC_URL)
    for said in (content.heading, content.captions.summary, content.captions.awarding_body,
                 content.issued_on, content.summary[0].label):
        assert said.replace(" ", "") in re.sub(r"\s+", "", text), said
    # A character without a glyph has no ToUnicode entry (pdftotext cannot read it back):
    # every character the page was asked to draw is among those drawn from a glyph.
    written = "".join([content.heading, content.kind, content.preamble, content.statement,
                       content.issued_on, content.credential_id,
                       *(getattr(content.captions, name) for name in content.captions.__slots__),
                       *(row.label + row.value for row in content.summary)])
    drawn = set(_drawn_glyphs(pdf))
    assert {character for character in written if not character.isspace()} - drawn == set()
    assert {character for character in text if not character.isspace()} - drawn == set()


def test_thai_is_set_in_noto_sans_thai_and_the_rest_in_noto_sans_cjk(tmp_path: Path) -> None:
    """A line mixing Thai and other scripts switches font between runs: Thai in the Thai
    faces, the rest in the CJK faces."""
    _need_fonts()
    reader = PdfFileReader(io.BytesIO(_certificate("th")))
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    names = {str(page["/Resources"]["/Font"][name].get_object()["/BaseFont"]).split("+")[1]
             for name in page["/Resources"]["/Font"]}
    assert names == {"NotoSansCJKjp-Regular", "NotoSansCJKjp-Bold", "NotoSansThai-Regular",
                     "NotoSansThai-Bold"}


def test_the_width_of_mixed_text_adds_each_faces_widths() -> None:
    _need_fonts()
    regular = fonts().regular
    thai, latin = "สมชาย", "Somchai"
    assert pdfmetrics.stringWidth(thai + latin, regular, 10) == pytest.approx(
        pdfmetrics.stringWidth(thai, regular, 10) + pdfmetrics.stringWidth(latin, regular, 10))
    assert pdfmetrics.stringWidth(thai, regular, 10) > 0


def test_a_characters_width_is_its_faces_advance_however_often_it_is_measured() -> None:
    """Measured again (from what the font remembers of each character), a text's width is
    still the sum of each character's advance in the first face that has it; a character
    no face has is one em wide."""
    _need_fonts()
    font = pdfmetrics.getFont(fonts().regular)
    text = "山田 Hanako สมชาย 秀優良可 \U000f0000"

    def from_the_faces() -> float:
        total = 0.0
        for character in text:
            face = next((face for face in font.faces if face.has(character)), font.faces[0])
            total += face.width(face.cid(character)) / face.units
        return total * 12

    for _ in range(2):
        assert font.stringWidth(text, 12) == pytest.approx(from_the_faces())
    assert font.stringWidth("\U000f0000", 10) == pytest.approx(10)
