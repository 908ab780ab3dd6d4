"""The certificate's one page: the learner, the programme and its descriptors, the QR code to
the verification page."""

from __future__ import annotations

import datetime as dt
import io
import re

import qrcode
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from credstack.core.certificates import (
    CertificateContent,
)
from credstack.services.certificates.fonts import (
    _ACCENT,
    _INK,
    _MUTED,
    _RULE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Fonts,
    fonts,
)

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
    """The certificate as an unsigned PDF: one A4 landscape page, and more when its facts
    (the learning outcomes first) do not fit on it."""
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

    _frame(canvas)

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
    left_over = _draw_facts(page, _paragraphs(facts(content)), row_y, floor=112,
                            left=left, label_width=label_width, value_x=value_x,
                            value_width=value_width)

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
    # What did not fit continues on further pages, under the same frame: nothing is dropped.
    while left_over:
        _frame(canvas)
        top_y = height - 84
        page.text(62, top_y, f"{content.programme_title} — {content.captions.summary}",
                  size=9.5, bold=True, color=_ACCENT)
        left_over = _draw_facts(page, left_over, top_y - 22, floor=72, left=left,
                                label_width=label_width, value_x=value_x,
                                value_width=width - 62 - value_x)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _frame(canvas: Canvas) -> None:
    """A strong outer rule and a fine inner one."""
    canvas.setStrokeColor(_ACCENT)
    canvas.setLineWidth(2.2)
    canvas.rect(28, 28, PAGE_WIDTH - 56, PAGE_HEIGHT - 56)
    canvas.setLineWidth(0.6)
    canvas.rect(34, 34, PAGE_WIDTH - 68, PAGE_HEIGHT - 68)


def facts(content: CertificateContent) -> list[tuple[str, str]]:
    """The certificate's facts as (label, value) rows, in the order they are printed: the
    grade and the learning outcomes it certifies first (one a line), then the summary. The
    grade leads so that it is read with the outcomes on the first page, never left alone on
    a page the summary runs onto."""
    rows: list[tuple[str, str]] = []
    if content.grade:
        rows.append((content.captions.grade, content.grade))
    if content.outcomes:
        marker = "・" if content.language == "ja" else "• "
        rows.append((content.captions.outcomes,
                     "\n".join(marker + outcome for outcome in content.outcomes)))
    rows += [(row.label, row.value) for row in content.summary]
    return rows


def _paragraphs(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each row's paragraphs as rows of their own; only a row's first keeps its label."""
    return [(label if index == 0 else "", paragraph) for label, value in rows
            for index, paragraph in enumerate(value.split("\n"))]


def _draw_facts(page: _Page, rows: list[tuple[str, str]], row_y: float, *, floor: float,
                left: float, label_width: float, value_x: float, value_width: float
                ) -> list[tuple[str, str]]:
    """Draw ``rows`` (from :func:`_paragraphs`) down from ``row_y`` while they fit above
    ``floor``; the rows left for the next page."""
    for index, (label_text, paragraph) in enumerate(rows):
        lines = len(_wrap(paragraph, page.fonts.regular, 8.6, value_width, 0))
        if row_y - (lines - 1) * 8.6 * 1.35 < floor:
            return rows[index:]
        if label_text:
            page.block(left, row_y, label_text, size=8.2, width=label_width, color=_MUTED,
                       max_lines=1)
        row_y = page.block(value_x, row_y, paragraph, size=8.6, width=value_width,
                           leading=1.35)
        if index + 1 < len(rows) and rows[index + 1][0]:
            row_y -= 4
    return []
