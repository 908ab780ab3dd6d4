"""The badge design rendered to PNG by resvg, with the fonts given and no others."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from credstack.core.credentials.baking_png import read_chunks
from credstack.core.descriptors import parse_programme
from credstack.core.images.badge_png import render_png
from credstack.core.images.badge_svg import badge_svg, design_for_programme
from credstack.errors import ConfigurationError, InputError
from tests.helpers import programme

NOTO_CJK = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
            Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"))


@pytest.fixture
def fonts() -> list[str]:
    if not all(path.is_file() for path in NOTO_CJK):
        pytest.skip("Debian's fonts-noto-cjk is not installed (CI installs it)")
    return [str(path) for path in NOTO_CJK]


def size(png: bytes) -> tuple[int, int]:
    header = read_chunks(png)[0]
    width, height = struct.unpack(">II", header.data[:8])
    return width, height


def test_the_badge_renders_to_a_512_pixel_square_png(fonts: list[str]) -> None:
    svg = badge_svg(design_for_programme(parse_programme(programme())))
    png = render_png(svg, font_files=fonts)
    assert size(png) == (512, 512)
    assert render_png(svg, font_files=fonts) == png, "the same SVG and fonts, the same bytes"


def test_japanese_text_is_drawn(fonts: list[str]) -> None:
    """Glyphs, not blanks: a title in Japanese changes the picture."""
    design = design_for_programme(parse_programme(programme()))
    other = design_for_programme(parse_programme(programme(title={"ja": "別の題名"})))
    assert render_png(badge_svg(design), font_files=fonts) != \
        render_png(badge_svg(other), font_files=fonts)


NOTO_THAI = Path("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf")


def test_a_title_written_only_in_thai_is_drawn_with_a_thai_font(fonts: list[str]) -> None:
    """The CJK font has no Thai glyph: Noto Sans Thai (Debian's fonts-noto-core) loaded too
    changes the picture of a Thai title, and nothing of a Japanese one."""
    if not NOTO_THAI.is_file():
        pytest.skip("Debian's fonts-noto-core is not installed (CI installs it)")
    thai, japanese = (badge_svg(design_for_programme(parse_programme(programme(title=title))))
                      for title in ({"th": "การบำรุงรักษาอุปกรณ์"}, {"ja": "別の題名"}))
    with_thai = [*fonts, str(NOTO_THAI)]
    assert render_png(thai, font_files=with_thai) != render_png(thai, font_files=fonts)
    assert render_png(japanese, font_files=with_thai) == render_png(japanese, font_files=fonts)


def test_rendering_without_any_font_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="no font"):
        render_png("<svg xmlns='http://www.w3.org/2000/svg'/>", font_files=[])


def test_an_svg_resvg_cannot_read_is_an_input_error(fonts: list[str]) -> None:
    with pytest.raises(InputError, match="cannot be rendered"):
        render_png("not svg at all", font_files=fonts)


#: A programme's title and its awarding body's name in each of the eight languages' scripts.
TITLES = {
    "ja": ("半導体製造装置の保全技術", "北都工科大学"),
    "en": ("Maintenance of Semiconductor Equipment", "Hokuto Institute of Technology"),
    "ko": ("반도체 제조 장비 유지보수 기술", "북도공과대학교"),
    "zh-Hans": ("半导体制造设备维护技术", "北都工业大学"),
    "th": ("การบำรุงรักษาอุปกรณ์การผลิต", "มหาวิทยาลัยเทคโนโลยีโฮคุโตะ"),
    "vi": ("Kỹ thuật bảo dưỡng thiết bị bán dẫn", "Trường Đại học Kỹ thuật Hokuto"),
    "id": ("Pemeliharaan Peralatan Semikonduktor", "Institut Teknologi Hokuto"),
    "ms": ("Penyelenggaraan Peralatan Semikonduktor", "Institut Teknologi Hokuto"),
}


@pytest.mark.parametrize("language", list(TITLES))
def test_every_character_a_badge_says_in_each_language_has_a_glyph_in_its_fonts(
        fonts: list[str], language: str) -> None:
    """A badge titled only in one of the eight languages draws every character of its texts
    from a glyph of the fonts it is rendered with (Noto Sans CJK, Noto Sans Thai): resvg falls
    back per character to a loaded font that has it, so none is left a ``.notdef`` box."""
    from defusedxml.ElementTree import fromstring
    from fontTools.ttLib import TTCollection, TTFont

    if not NOTO_THAI.is_file():
        pytest.skip("Debian's fonts-noto-core is not installed (CI installs it)")
    faces = [*TTCollection(fonts[0], lazy=True).fonts, TTFont(str(NOTO_THAI), lazy=True)]
    held = set().union(*(face.getBestCmap() for face in faces))
    title, provider = TITLES[language]
    document = programme(title={language: title})
    document["awarding_body"]["name"] = {language: provider}
    svg = badge_svg(design_for_programme(parse_programme(document)))
    said = "".join("".join(node.itertext()) for node in fromstring(svg).iter()
                   if node.tag.endswith("}text"))
    assert {character for character in title if not character.isspace()} <= set(said)
    assert {character for character in said if not character.isspace()} - \
        {chr(code) for code in held} == set()
