"""The badge image of a programme: one SVG design, generated from its descriptors.

Specification: *Scalable Vector Graphics (SVG) 1.1 (Second Edition)*, W3C Recommendation,
16 August 2011, https://www.w3.org/TR/SVG11/ — the format Open Badges bakes into
(OB 3.0 §5.3 cites SVG 1.1); accessibility after *SVG Accessibility API Mappings*, W3C,
https://www.w3.org/TR/svg-aam-1.0/ (``role="img"`` named by ``<title>`` and described by
``<desc>`` through ``aria-labelledby``).

What the badge says, top to bottom: the kind of credential in a coloured band, the provider
(the awarding body), the title, the programme code. The kind follows seed 000's rule as
:func:`~credstack.core.credentials.openbadges_v3.achievement_type` applies it: a programme
whose learning outcomes are assessed is a micro-credential and its badge says so —
"マイクロクレデンシャル" / "Micro-credential" — and a programme that is not (achievement
type ``Badge``: no assessment, or participation alone) says "バッジ" / "Badge" and never
calls itself a micro-credential, not even in its ``<title>`` or ``<desc>``. The band's words
are the design's :attr:`BadgeDesign.kind`, which its maker takes from the ``badge-kind``
vocabulary (:func:`kind_names`), not words of this module. Micro-credential
badges take a colour of their own (chosen from the awarding body and code, stable across
versions); other badges are grey, so the difference shows at a glance.

Texts come in Japanese and English when the programme has both (one language otherwise),
each marked with ``xml:lang``. There is no font to measure with here, so lines are wrapped
by an estimate of each character's advance — full-width characters one em, Latin letters a
little over half — kept on the generous side so a line never overruns the badge; every
script breaks between words, Japanese ones found by ICU's dictionary (*Unicode Text
Segmentation*, UAX #29, https://www.unicode.org/reports/tr29/), never before closing
punctuation and small kana nor after an opening bracket; a word wider than a line is split.
The largest type size at which every text fits is chosen; what still does not fit is cut
with "…".

A programme's :class:`BadgeStyle` picks one of :data:`TEMPLATES` and its colour
(:func:`badge_colour`).

The awarding body's logo, when it has one (:mod:`credstack.core.images.logos`), stands
centred at the top of the body, above the provider's name, in a box of
:data:`LOGO_HEIGHT` pixels; the texts below take the room that is left.

Safety: every text is escaped for XML, control and bidirectional-override characters are
removed, and the document has no script, no style sheet, no ``<foreignObject>`` and no link
or reference of any kind — nothing in it can reach outside; the one ``<image>`` is the logo,
a PNG inside the document itself (a ``data:`` URL).
Japanese glyphs come from the viewer's fonts (:data:`FONT_FAMILY`: Noto Sans CJK JP,
Hiragino, Yu Gothic, then any sans-serif). The output is deterministic: the same programme
gives the same bytes. :data:`DESIGN_VERSION` changes whenever the design does, so caches
keyed by it stay right.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import icu

from credstack.core import vocabularies
from credstack.core.credentials.openbadges_v3 import achievement_type
from credstack.core.descriptors.models import Programme
from credstack.core.types import MultilingualText
from credstack.errors import InputError

__all__ = [
    "BADGE_SIZE",
    "DESIGN_VERSION",
    "FONT_FAMILY",
    "LOGO_HEIGHT",
    "TEMPLATES",
    "BadgeDesign",
    "BadgeLogo",
    "BadgeStyle",
    "badge_colour",
    "badge_svg",
    "design_for_achievement",
    "design_for_programme",
    "kind_names",
    "wrap",
]

#: Width and height of the badge, in CSS pixels.
BADGE_SIZE: Final = 512
#: Changes with every change to the design (part of image ETags).
DESIGN_VERSION: Final = "2"
#: The fonts the badge asks for, Japanese-capable first.
FONT_FAMILY: Final = ("'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', "
                      "'Hiragino Kaku Gothic ProN', 'Yu Gothic', YuGothic, Meiryo, sans-serif")

#: The languages a badge names its kind in, the main one first (the band's two lines).
KIND_LANGUAGES: Final = ("ja", "en")
#: Micro-credential colours: dark enough for white text (contrast ≥ 7:1).
PALETTE: Final = ("#1F4E79", "#2E5E30", "#7F2A2A", "#523580", "#0C5E66", "#6B4200",
                  "#2C3E50", "#8A2B50")
#: Badges that are not micro-credentials.
BADGE_GREY: Final = "#5A6270"

_TEXT_COLOUR: Final = "#1A1A1A"
_MUTED_COLOUR: Final = "#404040"
_LEFT: Final = 52
_RIGHT: Final = 460
_WIDTH: Final = _RIGHT - _LEFT
_BAND_BOTTOM: Final = 140
_BODY_TOP: Final = 158
_BODY_BOTTOM: Final = 432
_LINE_HEIGHT: Final = 1.25
#: (primary title size, secondary title size), largest first.
_TITLE_SIZES: Final = ((40, 24), (36, 22), (32, 21), (29, 19), (26, 18), (23, 16), (20, 15))
_PROVIDER_SIZES: Final = (20, 15)
#: The smallest main title size taken to save a line.
_SHRINK_TO: Final = 29
_ELLIPSIS: Final = "…"

# Not at the start of a line (JIS X 4051 "gyōtō kinsoku", the common subset).
_NO_LINE_START: Final = frozenset(
    "、。，．,.・：；:;？！?!ー－‐゠–〜～)）]］}｝〕〉》」』】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ…‥")
# Not at the end of a line ("gyōmatsu kinsoku").
_NO_LINE_END: Final = frozenset("(（[［{｛〔〈《「『【〘〖〝‘“｟«")
# XML 1.0 forbids C0 controls but tab/newline/return, and U+FFFE/U+FFFF; the others are
# removed too, with the bidirectional embedding, override and isolate controls, which could
# make a title read backwards.
_UNWANTED: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]")
_SPACES: Final = re.compile(r"\s+")
_CJK_LANGUAGES: Final = ("ja", "zh", "ko")
#: The height of the logo's box at the top of the body.
LOGO_HEIGHT: Final = 64
_LOGO_GAP: Final = 12


@dataclass(frozen=True, slots=True)
class BadgeLogo:
    """The awarding body's logo as a badge embeds it: a small PNG
    (:func:`credstack.core.images.logos.badge_logo`)."""

    png: bytes


#: The templates, the first the default.
TEMPLATES: Final = ("classic", "ribbon", "certificate")
_HEX_COLOUR: Final = re.compile(r"#[0-9a-fA-F]{6}")
#: WCAG 2.2 §1.4.3, normal text.
_LEAST_CONTRAST: Final = 4.5


def _luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of ``#RRGGBB``."""
    def linear(part: str) -> float:
        value = int(part, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(colour[at:at + 2]) for at in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def badge_colour(text: str) -> str:
    """``text`` as ``#rrggbb`` with white text readable on it (InputError otherwise)."""
    value = text.strip()
    if not _HEX_COLOUR.fullmatch(value):
        raise InputError(code="editor.badge.colour_format", params={"value": value[:20]})
    contrast = 1.05 / (_luminance(value) + 0.05)
    if contrast < _LEAST_CONTRAST:
        raise InputError(code="editor.badge.colour_light",
                         params={"contrast": f"{contrast:.1f}"})
    return value.lower()


@dataclass(frozen=True, slots=True)
class BadgeStyle:
    """A programme's own template and colour."""

    template: str = TEMPLATES[0]
    colour: str | None = None


@dataclass(frozen=True, slots=True)
class BadgeDesign:
    """What a badge shows. Texts are ``(language, text)`` pairs, the main one first."""

    micro_credential: bool
    titles: tuple[tuple[str, str], ...]
    providers: tuple[tuple[str, str], ...]
    code: str | None
    #: Chooses the colour of a micro-credential badge (stable across versions).
    colour_key: str
    #: The kind of credential said in the band, ``(language, text)`` pairs, the main one
    #: first (:func:`kind_names`).
    kind: tuple[tuple[str, str], ...]
    #: The awarding body's logo, when it has one.
    logo: BadgeLogo | None = None
    #: The programme's own design.
    style: BadgeStyle = BadgeStyle()

    @property
    def colour(self) -> str:
        if self.style.colour:
            return self.style.colour
        if not self.micro_credential:
            return BADGE_GREY
        digest = hashlib.sha256(self.colour_key.encode("utf-8")).digest()
        return PALETTE[digest[0] % len(PALETTE)]


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _UNWANTED.sub("", text)).strip()


def _texts(text: MultilingualText | None) -> tuple[tuple[str, str], ...]:
    """Japanese and English when present (without repeating equal texts), else one text."""
    if text is None:
        return ()
    chosen: list[tuple[str, str]] = []
    for language in ("ja", "en"):
        value = _clean(text.root.get(language, ""))
        if value and value not in (seen for _, seen in chosen):
            chosen.append((language, value))
    if not chosen:
        language, value = next(iter(text.root.items()))
        if _clean(value):
            chosen.append((language, _clean(value)))
    return tuple(chosen)


def kind_names(micro_credential: bool) -> tuple[tuple[str, str], ...]:
    """The kind of credential a badge says, in :data:`KIND_LANGUAGES` (the ``badge-kind``
    vocabulary's ``micro-credential`` or ``badge``)."""
    value = "micro-credential" if micro_credential else "badge"
    return tuple((language, vocabularies.name("badge-kind", value, language) or value)
                 for language in KIND_LANGUAGES)


def design_for_programme(programme: Programme, *, logo: BadgeLogo | None = None,
                         style: BadgeStyle | None = None) -> BadgeDesign:
    """The badge of a programme (version): its kind, title, awarding body (and its
    ``logo``) and code, in the programme's ``style`` when it has one."""
    body = programme.awarding_body
    micro_credential = achievement_type(programme) == "MicroCredential"
    return BadgeDesign(
        micro_credential=micro_credential,
        titles=_texts(programme.title),
        providers=_texts(body.name) if body is not None else (),
        code=_clean(programme.code) or None,
        colour_key=f"{body.id if body is not None else ''}/{programme.code}",
        kind=kind_names(micro_credential),
        logo=logo,
        style=style or BadgeStyle(),
    )


def _guess_language(text: str) -> str:
    return "ja" if any(map(_is_cjk, text)) else "en"


def design_for_achievement(achievement: Mapping[str, Any], *,
                           issuer_name: str | None = None) -> BadgeDesign:
    """The badge of an OB 3.0 ``Achievement`` that no registered programme describes.

    The kind comes from ``achievementType``; the title from ``name``; the provider from the
    ``creator``'s name or ``issuer_name``. Languages are guessed from the script.
    """
    name = achievement.get("name")
    title = _clean(name) if isinstance(name, str) else ""
    creator = achievement.get("creator")
    provider = creator.get("name") if isinstance(creator, Mapping) else None
    provider = provider if isinstance(provider, str) else issuer_name
    provider = _clean(provider) if provider else ""
    code = achievement.get("humanCode")
    identifier = achievement.get("id")
    micro_credential = achievement.get("achievementType") == "MicroCredential"
    return BadgeDesign(
        micro_credential=micro_credential,
        titles=((_guess_language(title), title),) if title else (),
        providers=((_guess_language(provider), provider),) if provider else (),
        code=(_clean(code) or None) if isinstance(code, str) else None,
        colour_key=identifier if isinstance(identifier, str) else title,
        kind=kind_names(micro_credential),
    )


# --- measuring and wrapping -------------------------------------------------------------


def _is_wide(character: str) -> bool:
    """Full width in a Japanese font: East Asian wide and full-width characters, and the
    "ambiguous" ones above U+2000 (dashes, quotes, symbols), which CJK fonts draw wide."""
    width = unicodedata.east_asian_width(character)
    return width in ("W", "F") or (width == "A" and ord(character) > 0x2000)


def _is_cjk(character: str) -> bool:
    """A character of a CJK script (kana, ideographs, hangul, full-width forms)."""
    code = ord(character)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or code >= 0x20000)


def _advance(character: str) -> float:
    """A generous estimate of a character's advance, in em (Noto Sans CJK's metrics)."""
    if _is_wide(character):
        return 1.0
    if character == " ":
        return 0.26
    if character.isupper():
        return 0.7
    if character.isdigit():
        return 0.58
    if character.isalpha():
        return 0.9 if character in "mwMW" else 0.57
    return 0.45


def _width(text: str, size: float, *, bold: bool = False) -> float:
    return sum(map(_advance, text)) * size * (1.06 if bold else 1.0)


def _tokens(text: str) -> list[str]:
    """Units a line may break between: the words of ICU's word boundaries (Unicode UAX #29,
    with its dictionary for Japanese: データ｜分析｜入門, where a character-by-character
    break would leave 「データ分」 on one line), each space apart."""
    words = icu.BreakIterator.createWordInstance(icu.Locale("ja"))
    words.setText(text)
    # ICU counts UTF-16 code units: a character beyond the BMP (a rare kanji) counts two.
    units = text.encode("utf-16-le")
    cuts = [0, *words]
    tokens = []
    for start, end in itertools.pairwise(cuts):
        piece = units[start * 2:end * 2].decode("utf-16-le")
        tokens.extend(re.findall(r" |[^ ]+", piece))
    return tokens


def _hard_break(word: str, size: float, bold: bool) -> list[str]:
    pieces: list[str] = []
    current = ""
    for character in word:
        if current and _width(current + character, size, bold=bold) > _WIDTH:
            pieces.append(current)
            current = ""
        current += character
    return [*pieces, current] if current else pieces


def wrap(text: str, size: float, *, bold: bool = False, width: float = _WIDTH) -> list[str]:
    """``text`` in lines no wider than ``width`` at ``size`` (estimated), kinsoku observed."""
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        if token.isspace():
            if current:
                current += " "
            continue
        candidate = current + token
        if not current or _width(candidate.rstrip(), size, bold=bold) <= width:
            current = candidate
            continue
        if token[0] in _NO_LINE_START:
            # Closing punctuation hangs at the end of the line rather than start the next.
            current = candidate
            continue
        carried = ""
        while current and current[-1] in _NO_LINE_END:
            carried = current[-1] + carried
            current = current[:-1]
        if current.strip():
            lines.append(current.rstrip())
        current = carried + token
        if _width(current, size, bold=bold) > width:
            pieces = _hard_break(current, size, bold)
            lines.extend(pieces[:-1])
            current = pieces[-1]
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _fit(text: str, size: float, max_lines: int, *, bold: bool = False
         ) -> tuple[list[str], bool]:
    """The lines of ``text`` (at most ``max_lines``) and whether it fitted uncut."""
    lines = wrap(text, size, bold=bold)
    if len(lines) <= max_lines:
        return lines, True
    kept = lines[:max_lines]
    last = kept[-1]
    while last and _width(last + _ELLIPSIS, size, bold=bold) > _WIDTH:
        last = last[:-1]
    kept[-1] = last.rstrip() + _ELLIPSIS
    return kept, False


# --- the document -----------------------------------------------------------------------


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


@dataclass(frozen=True, slots=True)
class _Block:
    language: str
    lines: tuple[str, ...]
    size: float
    colour: str
    bold: bool

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * _LINE_HEIGHT


def _blocks(texts: Sequence[tuple[str, str]], sizes: Sequence[float], max_lines: int,
            colours: Sequence[str], bold: Sequence[bool]) -> tuple[list[_Block], bool]:
    blocks: list[_Block] = []
    fitted = True
    for index, (language, text) in enumerate(texts):
        size = sizes[min(index, len(sizes) - 1)]
        heavy = bold[min(index, len(bold) - 1)]
        lines, whole = _fit(text, size, max_lines, bold=heavy)
        fitted = fitted and whole
        blocks.append(_Block(language, tuple(lines), size,
                             colours[min(index, len(colours) - 1)], heavy))
    return blocks, fitted


_GAP: Final = 14.0
_RULE_GAP: Final = 22.0


def _layout(design: BadgeDesign, titles: Sequence[tuple[str, str]],
            providers: Sequence[tuple[str, str]], body_top: float
            ) -> tuple[list[_Block], list[_Block]]:
    provider_blocks, _ = _blocks(providers, _PROVIDER_SIZES, 2, (_MUTED_COLOUR,), (False,))
    provider_height = sum(block.height for block in provider_blocks)
    available = _BODY_BOTTOM - body_top - provider_height - 2 * _RULE_GAP
    if not titles:
        return provider_blocks, []
    fitting: list[list[_Block]] = []
    chosen: list[_Block] = []
    for primary, secondary in _TITLE_SIZES:
        chosen, fitted = _blocks(titles, (primary, secondary), 3,
                                 (_TEXT_COLOUR, _MUTED_COLOUR), (True, False))
        height = sum(block.height for block in chosen) + _GAP * max(0, len(chosen) - 1)
        if fitted and height <= available:
            fitting.append(chosen)
    if not fitting:
        return provider_blocks, chosen
    # Shrinking the type a little is better than breaking a title once more: among the
    # sizes down to _SHRINK_TO, the fewest lines win, then the largest type.
    preferred = [blocks for blocks in fitting if blocks[0].size >= _SHRINK_TO] or fitting[:1]
    best = min(preferred, key=lambda blocks: (
        [len(block.lines) for block in blocks], -blocks[0].size))
    return provider_blocks, best


def _text_element(block: _Block, top: float) -> tuple[str, float]:
    """A ``<text>`` of one block whose first line box starts at ``top``; and its bottom."""
    weight = ' font-weight="700"' if block.bold else ""
    parts = [f'<text xml:lang="{_escape(block.language)}" x="256" font-size="{block.size:g}"'
             f'{weight} fill="{block.colour}" text-anchor="middle">']
    baseline = top + block.size * 0.95
    for index, line in enumerate(block.lines):
        y = baseline + index * block.size * _LINE_HEIGHT
        parts.append(f'<tspan x="256" y="{y:.1f}">{_escape(line)}</tspan>')
    parts.append("</text>")
    return "".join(parts), top + block.height


def _accessible_name(design: BadgeDesign, kinds: Sequence[tuple[str, str]],
                     titles: Sequence[tuple[str, str]], latin_only: bool) -> tuple[str, str]:
    kind = " / ".join(text for _, text in kinds)
    title = " / ".join(text for _, text in titles) or (design.code or "")
    provider = " / ".join(text for _, text in design.providers if not latin_only
                          or _guess_language(text) == "en")
    description = (f"{provider}" if provider else "") + (
        f" — {design.code}" if design.code else "")
    return (f"{kind}: {title}" if title else kind), description.strip(" —") or kind


def _latin(texts: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((language, text) for language, text in texts
                 if language.split("-")[0] not in _CJK_LANGUAGES
                 and not any(map(_is_cjk, text)))


def _frame(template: str, colour: str) -> list[str]:
    """The template's frame and band."""
    if template == "ribbon":
        tails = (f"M4 58H40V{_BAND_BOTTOM + 14}H4L22 {(58 + _BAND_BOTTOM + 14) // 2}Z"
                 f"M508 58H472V{_BAND_BOTTOM + 14}H508L490 {(58 + _BAND_BOTTOM + 14) // 2}Z")
        return [
            f'<rect x="40" y="16" width="432" height="480" rx="28" fill="#FFFFFF" '
            f'stroke="{colour}" stroke-width="8"/>',
            f'<path d="{tails}" fill="{colour}"/>',
            f'<path d="{tails}" fill="#000000" fill-opacity="0.3"/>',
            f'<rect x="24" y="44" width="464" height="{_BAND_BOTTOM - 44}" fill="{colour}"/>',
        ]
    if template == "certificate":
        return [
            f'<rect x="16" y="16" width="480" height="480" fill="#FFFFFF" '
            f'stroke="{colour}" stroke-width="10"/>',
            f'<rect x="30" y="30" width="452" height="452" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>',
            f'<rect x="30" y="30" width="452" height="{_BAND_BOTTOM - 30}" fill="{colour}"/>',
        ]
    return [
        f'<rect x="16" y="16" width="480" height="480" rx="56" fill="#FFFFFF" '
        f'stroke="{colour}" stroke-width="10"/>',
        f'<path d="M16 72A56 56 0 0 1 72 16H440A56 56 0 0 1 496 72V{_BAND_BOTTOM}H16Z" '
        f'fill="{colour}"/>',
    ]


def badge_svg(design: BadgeDesign, *, latin_only: bool = False) -> str:
    """The badge as an SVG document (UTF-8 text, deterministic).

    ``latin_only`` leaves out every Japanese (CJK) text, for rendering where no Japanese font
    is available; the kind of credential is then said in English only.
    """
    titles = _latin(design.titles) if latin_only else design.titles
    providers = _latin(design.providers) if latin_only else design.providers
    if not titles and design.code:
        titles = (("en", design.code),)
    colour = design.colour
    kind = _latin(design.kind)[:1] if latin_only else design.kind[:2]
    name, description = _accessible_name(design, kind, titles, latin_only)
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" '
        'viewBox="0 0 512 512" role="img" aria-labelledby="badge-title badge-desc" '
        f'font-family="{FONT_FAMILY}">',
        f'<title id="badge-title">{_escape(name)}</title>',
        f'<desc id="badge-desc">{_escape(description)}</desc>',
        *_frame(design.style.template, colour),
    ]
    if len(kind) == 1:
        (language, word), = kind
        out.append(f'<text xml:lang="{_escape(language)}" x="256" y="92" font-size="30" '
                   f'font-weight="700" fill="#FFFFFF" text-anchor="middle" letter-spacing="2">'
                   f"{_escape(word.upper())}</text>")
    elif kind:
        (main_language, main), (second_language, second) = kind
        out.append(f'<text xml:lang="{_escape(main_language)}" x="256" y="76" font-size="30" '
                   f'font-weight="700" fill="#FFFFFF" text-anchor="middle">'
                   f"{_escape(main)}</text>")
        out.append(f'<text xml:lang="{_escape(second_language)}" x="256" y="114" '
                   f'font-size="19" fill="#FFFFFF" text-anchor="middle" letter-spacing="3">'
                   f"{_escape(second.upper())}</text>")
    body_top = float(_BODY_TOP)
    if design.logo is not None:
        logo = base64.b64encode(design.logo.png).decode("ascii")
        out.append(f'<image x="{_LEFT}" y="{_BODY_TOP}" width="{_WIDTH}" '
                   f'height="{LOGO_HEIGHT}" preserveAspectRatio="xMidYMid meet" '
                   f'href="data:image/png;base64,{logo}"/>')
        body_top += LOGO_HEIGHT + _LOGO_GAP
    provider_blocks, title_blocks = _layout(design, titles, providers, body_top)
    total = (sum(block.height for block in provider_blocks)
             + sum(block.height for block in title_blocks)
             + _GAP * max(0, len(title_blocks) - 1)
             + (2 * _RULE_GAP if provider_blocks else 0))
    top = body_top + max(0.0, (_BODY_BOTTOM - body_top - total) / 2)
    for block in provider_blocks:
        element, top = _text_element(block, top)
        out.append(element)
    if provider_blocks:
        rule = top + _RULE_GAP - 4
        out.append(f'<rect x="216" y="{rule:.1f}" width="80" height="4" rx="2" '
                   f'fill="{colour}"/>')
        top += 2 * _RULE_GAP
    for index, block in enumerate(title_blocks):
        element, top = _text_element(block, top + (_GAP if index else 0))
        out.append(element)
    if design.code:
        code = _fit(design.code, 16, 1)[0][0]
        out.append(f'<text x="256" y="466" font-size="16" fill="{colour}" '
                   f'text-anchor="middle" letter-spacing="1">{_escape(code)}</text>')
    out.append("</svg>\n")
    return "\n".join(out)
