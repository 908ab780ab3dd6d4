"""The badge design: what it says, that it is safe and accessible SVG, and that it is stable."""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import pytest

from credstack.core.descriptors import parse_programme
from credstack.core.descriptors.models import Programme
from credstack.core.images.badge_svg import (
    BADGE_GREY,
    FONT_FAMILY,
    LOGO_HEIGHT,
    PALETTE,
    TEMPLATES,
    BadgeLogo,
    BadgeStyle,
    badge_colour,
    badge_svg,
    design_for_achievement,
    design_for_programme,
    wrap,
)
from credstack.core.images.logos import badge_logo, screen_logo
from credstack.core.wallet.uploads import UploadLimits, screen
from credstack.demo import load_demo_documents
from credstack.errors import InputError
from tests.helpers import programme as programme_document

SVG = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Every element the design may use: no script, style, image, link or foreign content.
ALLOWED = {f"{SVG}{name}" for name in ("svg", "title", "desc", "rect", "path", "text", "tspan")}
MC_WORDS = re.compile(r"micro-?credential|マイクロクレデンシャル", re.IGNORECASE)


def programme(**changes: Any) -> Programme:
    return parse_programme(programme_document(**changes))


def parsed(svg: str) -> Element:
    root: Element = SafeET.fromstring(svg.encode("utf-8"))
    return root


def texts(root: Element) -> list[str]:
    """Each <text>, its lines joined by a space."""
    return [" ".join(part for part in text.itertext() if part)
            for text in root.iter(f"{SVG}text")]


def test_a_micro_credential_badge_says_it_is_one_in_both_languages() -> None:
    """An assessed programme's badge says マイクロクレデンシャル and Micro-credential."""
    root = parsed(badge_svg(design_for_programme(programme())))
    shown = texts(root)
    assert "マイクロクレデンシャル" in shown
    assert "MICRO-CREDENTIAL" in shown
    assert root.findtext(f"{SVG}title", "").startswith(
        "マイクロクレデンシャル / Micro-credential: 実践データサイエンス入門")


@pytest.mark.parametrize("changes", [
    {"assessment": {"methods": ["participation"]}},
    {"assessment": None},
], ids=["participation-only", "no-assessment"])
def test_a_badge_that_is_not_a_micro_credential_never_says_it_is(changes: dict) -> None:
    """Seed 000: no assessment of outcomes → "バッジ / Badge", nowhere "micro-credential"."""
    document = programme_document(**changes)
    if changes.get("assessment", "") is None:
        del document["assessment"]
    design = design_for_programme(parse_programme(document))
    svg = badge_svg(design)
    assert not MC_WORDS.search(svg)
    shown = texts(parsed(svg))
    assert "バッジ" in shown
    assert "BADGE" in shown
    assert design.colour == BADGE_GREY
    assert not MC_WORDS.search(badge_svg(design, latin_only=True))


def test_provider_title_and_code_are_shown_in_japanese_and_english() -> None:
    root = parsed(badge_svg(design_for_programme(programme())))
    shown = " ".join(texts(root))
    for expected in ("北都工科大学", "Hokuto Institute of Technology", "実践データサイエンス入門",
                     "Practical Introduction to", "DS-101"):
        assert expected in shown
    languages = [text.get(XML_LANG) for text in root.iter(f"{SVG}text")]
    assert languages.count("ja") >= 3 and languages.count("en") >= 3


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    "]]><script>alert(1)</script><![CDATA[",
    "R&D & \"quotes\" 'too'",
    "<!ENTITY x SYSTEM 'file:///etc/passwd'>&x;",
    "<svg onload=\"alert(1)\"><image href=\"https://evil.example/x.png\"/></svg>",
])
def test_hostile_titles_are_escaped_text(hostile: str) -> None:
    """Markup in a title stays text: well-formed XML, no new elements, no references."""
    design = design_for_programme(programme(title={"ja": hostile, "en": hostile},
                                            code="X-1"))
    svg = badge_svg(design)
    root = parsed(svg)
    assert {element.tag for element in root.iter()} <= ALLOWED
    assert "<script" not in svg and "<image" not in svg and "<!ENTITY" not in svg
    assert not any(name.endswith("href") or name.startswith("on")
                   for element in root.iter() for name in element.attrib)
    assert hostile in root.findtext(f"{SVG}title", "")
    shown = "".join(texts(root)).replace(" ", "")
    assert hostile.replace(" ", "")[:12] in shown


def test_control_and_bidi_override_characters_are_removed() -> None:
    """XML-illegal controls would break the document; bidi overrides could reverse a title."""
    design = design_for_programme(programme(title={"ja": "データ\x07分析\u202eの基礎",
                                                   "en": "Data\x00 analysis"}))
    svg = badge_svg(design)
    root = parsed(svg)
    assert "データ分析の基礎" in "".join(texts(root))
    assert "\u202e" not in svg and "\x07" not in svg and "\x00" not in svg


def test_the_document_is_accessible() -> None:
    """role="img", named by <title> and described by <desc> through aria-labelledby."""
    root = parsed(badge_svg(design_for_programme(programme())))
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby", "").split()
    found = {element.get("id"): element.tag for element in root.iter() if element.get("id")}
    assert [found[name] for name in ids] == [f"{SVG}title", f"{SVG}desc"]
    assert root.findtext(f"{SVG}desc") == "北都工科大学 / Hokuto Institute of Technology — DS-101"
    assert root.get("font-family") == FONT_FAMILY
    assert "Noto Sans CJK JP" in FONT_FAMILY and FONT_FAMILY.endswith("sans-serif")


def test_the_same_programme_gives_the_same_bytes() -> None:
    """Deterministic: equal programmes, parsed separately, give identical documents."""
    first = badge_svg(design_for_programme(programme()))
    second = badge_svg(design_for_programme(programme()))
    assert first == second
    assert badge_svg(design_for_programme(programme(code="DS-102"))) != first


def test_micro_credential_colours_come_from_the_palette_and_stay_across_versions() -> None:
    design = design_for_programme(programme())
    assert design.colour in PALETTE
    changed = design_for_programme(programme(description={"ja": "改訂版。", "en": "Revised."}))
    assert changed.colour == design.colour


def test_long_titles_wrap_shrink_and_are_cut_with_an_ellipsis() -> None:
    """A title far too long for the badge ends in "…" within three lines per language."""
    long_ja = "長い題名" * 60
    long_en = "An extraordinarily long programme title " * 30
    root = parsed(badge_svg(design_for_programme(programme(title={"ja": long_ja,
                                                                  "en": long_en}))))
    blocks = [text for text in root.iter(f"{SVG}text")
              if text.get("font-weight") == "700" and text.get("fill") == "#1A1A1A"]
    assert len(blocks) == 1
    lines = [span.text or "" for span in blocks[0].iter(f"{SVG}tspan")]
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    sizes = {float(text.get("font-size", 0)) for text in root.iter(f"{SVG}text")}
    assert min(sizes) >= 15


def test_japanese_lines_do_not_start_with_closing_punctuation() -> None:
    """Kinsoku: 。、」 and small kana hang at the end of a line instead of starting one."""
    lines = wrap("あいうえおかきくけこ、さしすせそ。「たちつてと」なにぬねの", 40, width=400)
    assert len(lines) > 1
    assert not any(line[0] in "、。」っゃ" for line in lines)
    assert not any(line.endswith("「") for line in lines)


@pytest.mark.parametrize(("title", "width", "expected"), [
    ("データ分析入門", 45, ["データ", "分析入門"]),
    ("Python によるデータ分析入門", 90, ["Python による", "データ分析入門"]),
    ("実践データサイエンス入門", 75, ["実践データ", "サイエンス入門"]),
])
def test_japanese_titles_break_between_words_never_inside_one(
        title: str, width: float, expected: list[str]) -> None:
    """A line ends where a word does (データ｜分析｜入門, by ICU's dictionary), never inside
    one: 「データ分」「析入門」 is not a break a reader would make."""
    assert wrap(title, 10, width=width) == expected


def test_latin_words_break_between_words_and_overlong_words_are_split() -> None:
    lines = wrap("Data " + "x" * 120 + " science", 20, width=300)
    assert lines[0] == "Data"
    assert all(len(line) < 120 for line in lines)
    assert lines[-1].endswith("science")


def test_a_latin_only_rendering_leaves_out_every_japanese_text() -> None:
    """For a machine without Japanese fonts: only Latin text, the kind said in English."""
    svg = badge_svg(design_for_programme(programme()), latin_only=True)
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", svg)
    shown = texts(parsed(svg))
    assert "MICRO-CREDENTIAL" in shown
    assert any("Practical Introduction" in text for text in shown)


def test_a_japanese_only_programme_falls_back_to_its_code_without_japanese_fonts() -> None:
    design = design_for_programme(programme(title={"ja": "日本語だけの題名"}))
    shown = " ".join(texts(parsed(badge_svg(design, latin_only=True))))
    assert "DS-101" in shown


def test_a_credential_achievement_without_a_programme_gets_a_design() -> None:
    """Credentials issued through the VC-API carry their own achievement."""
    achievement = {"id": "urn:example:a", "name": "データ活用基礎",
                   "achievementType": "MicroCredential", "humanCode": "DA-1"}
    design = design_for_achievement(achievement, issuer_name="Example Univ.")
    assert design.micro_credential
    assert design.titles == (("ja", "データ活用基礎"),)
    assert design.providers == (("en", "Example Univ."),)
    badge = design_for_achievement({"name": "Attendance", "achievementType": "Badge"})
    assert not badge.micro_credential
    assert not MC_WORDS.search(badge_svg(badge))


def test_an_achievement_with_nothing_to_show_still_gives_a_badge() -> None:
    """A bare credential (no name, no issuer name) gets the kind of badge and nothing else."""
    root = parsed(badge_svg(design_for_achievement({})))
    assert texts(root) == ["バッジ", "BADGE"]
    assert root.findtext(f"{SVG}title") == "バッジ / Badge"


@pytest.mark.parametrize("demo", load_demo_documents().programmes,
                         ids=lambda demo: demo.code)
def test_every_demo_programme_renders(demo: Programme) -> None:
    """Every demo programme gives a well-formed, safe badge of the right kind."""
    design = design_for_programme(demo)
    svg = badge_svg(design)
    root = parsed(svg)
    assert {element.tag for element in root.iter()} <= ALLOWED
    assert (root.get("width"), root.get("height")) == ("512", "512")
    assert bool(MC_WORDS.search(svg)) is design.micro_credential
    for text in root.iter(f"{SVG}tspan"):
        y = float(text.get("y", 0))
        assert 140 < y < 440, f"a line at y={y} leaves the body"


def test_the_awarding_bodys_logo_stands_above_its_name_inside_the_badge() -> None:
    """One ``<image>``: the logo as a PNG in the document itself, above the texts, which keep
    fitting below it; the wallet's screening accepts the badge as it would any other."""
    logo = badge_logo(screen_logo(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2">'
                                  b'<rect width="4" height="2" fill="#123456"/></svg>',
                                  filename=None, media_type=None))
    plain = design_for_programme(programme())
    design = design_for_programme(programme(), logo=BadgeLogo(logo))
    root = parsed(badge_svg(design))
    [image] = root.iter(f"{SVG}image")
    assert image.get("href", "").startswith("data:image/png;base64,")
    assert float(image.get("height", "0")) == LOGO_HEIGHT
    first_text_with_logo = min(float(tspan.get("y", "0")) for tspan in root.iter(f"{SVG}tspan"))
    first_text = min(float(tspan.get("y", "0"))
                     for tspan in parsed(badge_svg(plain)).iter(f"{SVG}tspan"))
    assert first_text_with_logo > first_text
    assert float(image.get("y", "0")) + LOGO_HEIGHT < first_text_with_logo
    assert {element.tag for element in root.iter()} <= ALLOWED | {f"{SVG}image"}
    screen(badge_svg(design).encode(), filename="badge.svg", media_type="image/svg+xml",
           limits=UploadLimits())


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("changes", [{}, {"assessment": {"methods": ["participation"]}}],
                         ids=["micro-credential", "badge"])
def test_each_template_draws_the_chosen_colour_and_says_the_kind_truly(
        template: str, changes: dict) -> None:
    """Issue 54: every template of the badge designer is drawn in the organisation's colour
    and keeps the rest of the design: a micro-credential says so, a badge never does; the
    document holds only the design's own elements and the wallet's screening accepts it."""
    design = design_for_programme(programme(**changes),
                                  style=BadgeStyle(template, badge_colour("#0B3D2E")))
    svg = badge_svg(design)
    root = parsed(svg)
    assert design.colour == "#0b3d2e"
    assert {element.get("fill") for element in root.iter(f"{SVG}rect")} >= {"#0b3d2e"}
    assert bool(MC_WORDS.search(svg)) is not bool(changes)
    assert {element.tag for element in root.iter()} <= ALLOWED
    assert badge_svg(design) == svg
    screen(svg.encode(), filename="badge.svg", media_type="image/svg+xml",
           limits=UploadLimits())


def test_the_templates_differ_and_the_first_is_the_badge_as_it_was() -> None:
    """No design chosen is the classic template in the generated colour (the same bytes)."""
    plain = badge_svg(design_for_programme(programme()))
    drawn = {template: badge_svg(design_for_programme(programme(), style=BadgeStyle(template)))
             for template in TEMPLATES}
    assert drawn[TEMPLATES[0]] == plain
    assert len(set(drawn.values())) == len(TEMPLATES)


@pytest.mark.parametrize(("colour", "code"), [
    ("#FFFF00", "editor.badge.colour_light"), ("#8fbc8f", "editor.badge.colour_light"),
    ("red", "editor.badge.colour_format"), ("#12345", "editor.badge.colour_format"),
    ("#12345g", "editor.badge.colour_format")])
def test_a_colour_white_text_cannot_be_read_on_is_refused(colour: str, code: str) -> None:
    """WCAG 2.2 §1.4.3: the kind of credential is white on the colour, so the colour needs a
    contrast of 4.5:1 with white; what is no #rrggbb colour is refused by name."""
    with pytest.raises(InputError) as refused:
        badge_colour(colour)
    assert refused.value.code == code


def test_a_dark_enough_colour_is_kept_in_lower_case() -> None:
    """#767676 is the lightest grey with 4.5:1 on white; every palette colour passes."""
    assert badge_colour(" #767676 ") == "#767676"
    assert [badge_colour(colour) for colour in PALETTE] == [c.lower() for c in PALETTE]
