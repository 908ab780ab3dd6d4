"""The certification mark of one recognition decision: an accessible SVG, in Japanese or English.

Format: *Scalable Vector Graphics (SVG) 1.1 (Second Edition)*, W3C Recommendation,
https://www.w3.org/TR/SVG11/; accessibility after *SVG Accessibility API Mappings*,
https://www.w3.org/TR/svg-aam-1.0/ — ``role="img"``, named by ``<title>`` and described by
``<desc>`` through ``aria-labelledby``, the document's language in ``xml:lang``.

What the mark says, top to bottom: the outcome in a coloured band (認定 / RECOGNISED, or
条件付き認定 / RECOGNISED WITH CONDITIONS, in amber), the recognition body, the programme's
title, the decision number and the date the recognition is valid until. Its fixed words are
the ``certification-mark-phrase`` vocabulary's (:mod:`credstack.core.vocabularies`), in the
mark's language. A mark is one
decision's: the same decision and language always give the same bytes (its URL can be cached
for long). Whether the recognition still holds — not withdrawn, not expired — is not drawn on
it: the registry page and credential verification say that, at the time they are asked.

Safety, as for the programme badge (:mod:`credstack.core.images.badge_svg`): every text is
escaped for XML (quotes included), control and bidirectional-override characters are
removed, and the document has no script, style sheet, image, ``foreignObject`` or link.

Pure: no I/O, no clock (the dates are given).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from credstack.core import vocabularies
from credstack.core.dates import day_text
from credstack.core.images.badge_svg import FONT_FAMILY, wrap
from credstack.core.review.outcomes import Outcome

__all__ = [
    "MARK_DESIGN_VERSION",
    "MARK_SIZE",
    "MarkDesign",
    "certification_mark_svg",
]

#: Width and height of the mark, in CSS pixels.
MARK_SIZE: Final = 400
#: Changes with every change to the design (part of ETags).
MARK_DESIGN_VERSION: Final = "1"

#: Band colours (white text on them has a contrast of at least 7:1).
_COLOURS: Final = {Outcome.RECOGNISED: "#1E5631", Outcome.RECOGNISED_WITH_CONDITIONS: "#7A4A00"}
_TEXT: Final = "#1A1A1A"
_MUTED: Final = "#404040"
_WIDTH: Final = 320.0
_CENTRE: Final = MARK_SIZE // 2
#: The vocabulary of the mark's fixed words.
_PHRASES: Final = "certification-mark-phrase"
_UNWANTED: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]")
_SPACES: Final = re.compile(r"\s+")
_ELLIPSIS: Final = "…"


@dataclass(frozen=True, slots=True)
class MarkDesign:
    """What one decision's mark shows. Texts are language maps (``{"ja": …, "en": …}``)."""

    outcome: Outcome
    body_name: Mapping[str, str]
    programme_title: Mapping[str, str] | None
    decision_number: str
    valid_until: dt.date | None


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _UNWANTED.sub("", text)).strip()


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _pick(texts: Mapping[str, str] | None, language: str) -> str:
    if not texts:
        return ""
    other = "en" if language == "ja" else "ja"
    for tag in (language, other):
        value = _clean(texts.get(tag, ""))
        if value:
            return value
    return next((_clean(value) for value in texts.values() if _clean(value)), "")


def _lines(text: str, size: float, max_lines: int, *, bold: bool = False) -> list[str]:
    lines = wrap(text, size, bold=bold, width=_WIDTH) if text else []
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    kept[-1] = kept[-1][:-1].rstrip() + _ELLIPSIS if len(kept[-1]) > 1 else _ELLIPSIS
    return kept


def _text(lines: list[str], *, top: float, size: float, colour: str, bold: bool = False,
          language: str | None = None) -> tuple[str, float]:
    """One ``<text>`` of centred lines whose first line box starts at ``top``; its bottom."""
    if not lines:
        return "", top
    weight = ' font-weight="700"' if bold else ""
    lang = f' xml:lang="{language}"' if language else ""
    parts = [f'<text{lang} x="{_CENTRE}" font-size="{size:g}"{weight} fill="{colour}" '
             f'text-anchor="middle">']
    for index, line in enumerate(lines):
        y = top + size * 0.95 + index * size * 1.25
        parts.append(f'<tspan x="{_CENTRE}" y="{y:.1f}">{_escape(line)}</tspan>')
    parts.append("</text>")
    return "".join(parts), top + len(lines) * size * 1.25


def _guess(text: str) -> str | None:
    """The language of a provider's text that is not in the mark's language (for xml:lang)."""
    return "ja" if any("\u3040" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" for c in text) \
        else None


def certification_mark_svg(design: MarkDesign, *, language: str = "ja") -> str:
    """The mark as an SVG document (UTF-8 text, deterministic), in ``language`` (ja or en)."""
    language = "ja" if language == "ja" else "en"
    words = vocabularies.names(_PHRASES, language)
    colour = _COLOURS.get(design.outcome, _COLOURS[Outcome.RECOGNISED])
    outcome = design.outcome.label.text(language)
    body = _pick(design.body_name, language)
    title = _pick(design.programme_title, language)
    number = _clean(design.decision_number)
    until = (words["until"].format(date=day_text(design.valid_until, language))
             if design.valid_until is not None else words["no-end"])
    name = words["by"].format(outcome=outcome, body=body) if body else outcome
    accessible = words["named"].format(mark=words["mark"], name=name)
    description = words["titled"].format(title=title) if title else ""
    description += words["details"].format(number=words["number"].format(number=number),
                                           until=until)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{language}" width="{MARK_SIZE}" '
        f'height="{MARK_SIZE}" viewBox="0 0 {MARK_SIZE} {MARK_SIZE}" role="img" '
        f'aria-labelledby="mark-title mark-desc" font-family="{FONT_FAMILY}">',
        f'<title id="mark-title">{_escape(accessible)}</title>',
        f'<desc id="mark-desc">{_escape(description)}</desc>',
        f'<rect x="12" y="12" width="376" height="376" rx="40" fill="#FFFFFF" '
        f'stroke="{colour}" stroke-width="8"/>',
        f'<rect x="28" y="28" width="344" height="344" rx="28" fill="none" '
        f'stroke="{colour}" stroke-width="2"/>',
        f'<path d="M28 56A28 28 0 0 1 56 28H344A28 28 0 0 1 372 56V118H28Z" fill="{colour}"/>',
    ]
    band = (design.outcome if design.outcome in _COLOURS else Outcome.RECOGNISED).value
    main, sub = words[f"band-{band}"], words[f"band-{band}-second"]
    if not sub:
        out.append(f'<text x="{_CENTRE}" y="86" font-size="30" font-weight="700" '
                   f'fill="#FFFFFF" text-anchor="middle" letter-spacing="3">'
                   f"{_escape(main)}</text>")
    else:
        size = 28 if language == "ja" else 26
        out.append(f'<text x="{_CENTRE}" y="72" font-size="{size}" font-weight="700" '
                   f'fill="#FFFFFF" text-anchor="middle" letter-spacing="2">'
                   f"{_escape(main)}</text>")
        out.append(f'<text xml:lang="en" x="{_CENTRE}" y="104" font-size="15" fill="#FFFFFF" '
                   f'text-anchor="middle" letter-spacing="3">{_escape(sub)}</text>')
    top = 136.0
    element, top = _text(_lines(body, 17, 2), top=top, size=17, colour=_MUTED,
                         language=_guess(body) if language != "ja" else None)
    out.append(element)
    out.append(f'<rect x="170" y="{top + 8:.1f}" width="60" height="3" rx="1.5" '
               f'fill="{colour}"/>')
    element, top = _text(_lines(title, 21, 3, bold=True), top=top + 22, size=21,
                         colour=_TEXT, bold=True,
                         language=_guess(title) if language != "ja" else None)
    out.append(element)
    out.append(f'<text x="{_CENTRE}" y="326" font-size="15" fill="{colour}" '
               f'text-anchor="middle" letter-spacing="1">'
               f"{_escape(_lines(words['number'].format(number=number), 15, 1)[0])}</text>")
    out.append(f'<text x="{_CENTRE}" y="350" font-size="14" fill="{_MUTED}" '
               f'text-anchor="middle">{_escape(until)}</text>')
    out.append("</svg>\n")
    return "\n".join(part for part in out if part)
