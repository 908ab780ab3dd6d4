"""An organisation's logo is screened before it is kept (:func:`screen_logo`): PNG, JPEG and
SVG by their bytes, the declared type agreeing; too large files, decompression bombs, images
too wide, scripts and external references in SVG refused, each with a bilingual message that
says where. :func:`badge_logo` draws any accepted logo as a PNG inside a 160 px box."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from credstack.core.credentials.baking_png import PNG_SIGNATURE, write_chunk
from credstack.core.images.logos import (
    BADGE_LOGO_SIDE,
    LogoKind,
    LogoLimits,
    badge_logo,
    screen_logo,
)
from credstack.entrypoints.web.i18n.codes import said
from credstack.errors import (
    CredstackError,
    HostileUploadError,
    InputTooLargeError,
    UnreadableInputError,
    UnsupportedMediaError,
)

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
       '<rect width="200" height="100" fill="#1F4E79"/>'
       '<circle cx="50" cy="50" r="30" style="fill: #ffffff"/></svg>')


def raster(kind: str, width: int = 120, height: int = 60) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(out, format=kind)
    return out.getvalue()


def png_header(width: int, height: int, *extra: bytes) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` (its data is one pixel)."""
    header = write_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    return (PNG_SIGNATURE + header + b"".join(extra)
            + write_chunk(b"IDAT", zlib.compress(b"\x00\x00")) + write_chunk(b"IEND", b""))


def refused(raw: bytes, error: type[CredstackError], **declared: str) -> CredstackError:
    with pytest.raises(error) as caught:
        screen_logo(raw, filename=declared.get("filename"),
                    media_type=declared.get("media_type"))
    english, japanese = said(caught.value, "en"), said(caught.value, "ja")
    assert english and japanese and english != japanese, "every message is in English and Japanese"
    assert caught.value.problems, "every refusal says where"
    return caught.value


@pytest.mark.parametrize("data, name, media_type, kind", [
    (raster("PNG"), "logo.png", "image/png", LogoKind.PNG),
    (raster("JPEG"), "logo.JPG", "image/jpeg", LogoKind.JPEG),
    (SVG.encode(), "logo.svg", "image/svg+xml", LogoKind.SVG),
    (raster("PNG"), None, "application/octet-stream", LogoKind.PNG),
])
def test_png_jpeg_and_svg_logos_are_kept_as_they_are(data: bytes, name: str | None,
                                                     media_type: str, kind: LogoKind) -> None:
    screened = screen_logo(data, filename=name, media_type=media_type)
    assert (screened.kind, screened.data) == (kind, data)
    assert len(screened.sha256) == 64


@pytest.mark.parametrize("svg, where", [
    (SVG.replace("</svg>", "<script>alert(1)</script></svg>"), "<script>"),
    (SVG.replace("<rect", '<rect onclick="alert(1)"'), "<rect>"),
    (SVG.replace("</svg>", '<image href="https://tracker.example/x.png"/></svg>'), "<image>"),
    (SVG.replace("fill: #ffffff", "fill: url(https://evil.example/p.svg#x)"), "<circle>"),
    (SVG.replace("</svg>", "<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'/>"
                           "</foreignObject></svg>"), "<foreignObject>"),
])
def test_an_svg_that_runs_or_fetches_anything_is_refused_naming_the_element(
        svg: str, where: str) -> None:
    error = refused(svg.encode(), HostileUploadError, filename="logo.svg")
    assert error.problems[0].location.startswith(where)
    assert "line 1, column" in error.problems[0].location


def test_an_svg_with_entities_is_refused() -> None:
    billion = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
               '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + SVG)
    refused(billion.encode(), HostileUploadError)


def test_decompression_bombs_and_images_too_wide_are_refused_without_decoding_them() -> None:
    bomb = write_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"0" * 50_000_000, 9))
    assert "decompression bomb" in said(refused(png_header(10, 10, bomb), HostileUploadError), "en")
    assert "IHDR" in refused(png_header(100_000, 100_000), HostileUploadError
                             ).problems[0].location
    wide = raster("JPEG", width=LogoLimits().max_side + 1, height=8)
    assert "2,048" in said(refused(wide, HostileUploadError), "en")


@pytest.mark.parametrize("data, error, declared", [
    (b"GIF89a\x01\x00\x01\x00", UnsupportedMediaError, {}),
    (raster("PNG"), UnsupportedMediaError, {"filename": "logo.jpg"}),
    (raster("JPEG"), UnsupportedMediaError, {"media_type": "image/png"}),
    (SVG.encode(), UnsupportedMediaError, {"filename": "logo.html"}),
    (b"\xff\xd8\xff\xe0 not really a jpeg", UnreadableInputError, {}),
    (b"   ", UnreadableInputError, {}),
    (b"\x89PNG\r\n\x1a\n" + b"0" * (LogoLimits().max_bytes + 1), InputTooLargeError, {}),
])
def test_what_is_no_logo_or_not_what_it_says_is_refused(data: bytes,
                                                       error: type[CredstackError],
                                                       declared: dict[str, str]) -> None:
    refused(data, error, **declared)


@pytest.mark.parametrize("data", [
    raster("PNG", 1200, 300), raster("JPEG", 40, 400), SVG.encode(),
    # An SVG that declares itself a 10 × 100,000 strip draws small too.
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="100000">'
    b'<rect width="10" height="100000"/></svg>',
], ids=["wide-png", "tall-jpeg", "svg", "strip-svg"])
def test_the_badges_copy_is_a_png_inside_its_box(data: bytes) -> None:
    drawn = badge_logo(screen_logo(data, filename=None, media_type=None))
    with Image.open(io.BytesIO(drawn)) as image:
        assert image.format == "PNG"
        assert max(image.size) <= BADGE_LOGO_SIDE
