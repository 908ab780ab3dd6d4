"""The badge design rendered to PNG: the same SVG, drawn by resvg.

Library: ``resvg-py`` (https://github.com/baseplate-admin/resvg-py), Python bindings to
resvg (https://github.com/linebender/resvg), the Rust SVG renderer of the Linebender
project — actively maintained, tested against the SVG test suite, used by Typst among
others. Why it:

* **No system library.** One abi3 manylinux wheel with resvg compiled in: no Cairo, Pango
  or FreeType to install. CairoSVG needs ``libcairo2`` from the system (present on some
  machines, not on slim images) and draws text through Cairo's "toy" font API, which does
  no font fallback, so mixed Japanese and Latin text is unreliable.
* **One design, two formats.** The PNG is the SVG of :mod:`credstack.core.images.badge_svg`
  rasterised, so the two never drift apart. Drawing the badge again with Pillow's
  ``ImageDraw`` would mean a second implementation of the layout.
* **Japanese text works.** resvg shapes text with rustybuzz (HarfBuzz's algorithm), falls
  back per character to any loaded font that has the glyph, and reads OpenType collections
  (``.ttc``) such as Debian's ``fonts-noto-cjk``.
* **Deterministic.** System fonts are *not* scanned: the caller names the font files, so
  the same SVG and fonts give the same bytes on every machine (and no per-call scan of
  ``/usr/share/fonts``).

The binding is thin (one function), so replacing it would touch this module only.

The fonts are a parameter — finding them on the machine is the adapters' job
(:func:`credstack.services.badges.service.badge_fonts`). Without a Japanese font, render the design
with ``latin_only=True`` instead of showing missing glyphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import resvg_py

from credstack.core.images.badge_svg import BADGE_SIZE
from credstack.errors import ConfigurationError, InputError, Problem

__all__ = ["DEFAULT_FAMILY", "render_png"]

#: The family resvg uses for ``sans-serif`` and for text whose family it cannot find.
DEFAULT_FAMILY: Final = "Noto Sans CJK JP"


def render_png(svg: str, *, font_files: Sequence[str], size: int = BADGE_SIZE,
               family: str = DEFAULT_FAMILY) -> bytes:
    """``svg`` rendered to a ``size`` × ``size`` PNG with only ``font_files`` loaded.

    ``family`` is what ``sans-serif`` resolves to. Raises
    :class:`~credstack.errors.ConfigurationError` without fonts (the text would vanish) and
    :class:`~credstack.errors.InputError` for an SVG resvg cannot read.
    """
    if not font_files:
        raise ConfigurationError("no font to draw the badge's text with", problems=[Problem(
            "fonts", "install a font (Debian: fonts-noto-cjk for Japanese)")])
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=svg, width=size, height=size, skip_system_fonts=True,
            font_files=list(font_files), font_family=family, sans_serif_family=family,
            languages=["ja", "en"])
    except ValueError as exc:
        raise InputError("the SVG cannot be rendered", problems=[
            Problem("svg", str(exc))]) from None
    return bytes(png)
