"""Screening uploads before the wallet keeps them: every hostile case refused with what and
where, and real credentials — credstack's own baked badges and signed certificate, the
1EdTech validator's examples, the DCC's fixtures from the wild — accepted.

Every hostile file is built here from real bytes: PNGs with :mod:`zlib` and :mod:`struct`,
SVGs as text, PDFs by hand (objects, cross-reference table, trailer).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import struct
import zlib
from pathlib import Path

import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import example, given, settings
from hypothesis import strategies as st

from credstack.core.certificates import certificate_content
from credstack.core.credentials.baking_png import PNG_SIGNATURE, bake_png, write_chunk
from credstack.core.credentials.baking_svg import bake_svg
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.descriptors import parse_programme
from credstack.core.images.badge_svg import badge_svg, design_for_programme
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.core.verification.json_values import MAX_DEPTH
from credstack.core.wallet.uploads import Screened, UploadKind, UploadLimits, screen
from credstack.entrypoints.web.i18n.codes import said as words
from credstack.errors import (
    ConfigurationError,
    CredstackError,
    HostileUploadError,
    InputTooLargeError,
    UnreadableInputError,
    UnsupportedMediaError,
)
from credstack.services.badges.service import render_badge_png
from credstack.services.certificates import authority as pki
from credstack.services.certificates import service as certificates
from tests.helpers import programme

LIMITS = UploadLimits()
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "urn:uuid:2f5b3b64-6a43-4c0e-9d0c-7f0c1b4f3c11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "北都工科大学"},
    "validFrom": "2026-04-01T00:00:00Z",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
        "id": "https://issuer.example/achievements/1/v1", "type": ["Achievement"],
        "name": "データサイエンス入門", "description": "…", "criteria": {"narrative": "…"}}},
}
CREDENTIAL_TEXT = json.dumps(CREDENTIAL, ensure_ascii=False)
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def accepted(raw: bytes, *, filename: str | None = None, media_type: str | None = None,
             limits: UploadLimits = LIMITS) -> Screened:
    return screen(raw, filename=filename, media_type=media_type, limits=limits)


def refused(raw: bytes, error: type[CredstackError] = HostileUploadError, *,
            filename: str | None = None, media_type: str | None = None,
            limits: UploadLimits = LIMITS) -> CredstackError:
    with pytest.raises(error) as caught:
        screen(raw, filename=filename, media_type=media_type, limits=limits)
    found = caught.value
    english, japanese = said(found, "en"), said(found, "ja")
    assert english and japanese and "{" not in english + japanese, (english, japanese)
    assert english != japanese, "every message is in English and Japanese"
    assert found.problems, "every refusal says where"
    return found


def said(error: CredstackError, language: str = "en") -> str:
    """What ``error`` says in ``language``, as the pages and the API word it: its code's
    words, or the one language of the words it was raised with."""
    return words(error, language)


def where(error: CredstackError) -> str:
    return error.problems[0].location


def jws(header: bytes, payload: bytes) -> bytes:
    def encode(part: bytes) -> bytes:
        return base64.urlsafe_b64encode(part).rstrip(b"=")
    return encode(header) + b"." + encode(payload) + b".c2lnbmF0dXJl"


def vc_jwt_token() -> str:
    key = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
    return vc_jwt.sign(CREDENTIAL, key=key, kid="did:example:issuer#key-1")


# --- building PNGs --------------------------------------------------------------------


def png(*extra: bytes, width: int = 1, height: int = 1) -> bytes:
    """A greyscale PNG of ``width`` × ``height`` pixels, ``extra`` chunks before IDAT."""
    header = write_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    pixels = write_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return PNG_SIGNATURE + header + b"".join(extra) + pixels + write_chunk(b"IEND", b"")


def ztxt(keyword: bytes, text: bytes) -> bytes:
    return write_chunk(b"zTXt", keyword + b"\x00\x00" + zlib.compress(text, 9))


def compressed_itxt(keyword: bytes, text: bytes) -> bytes:
    return write_chunk(b"iTXt", keyword + b"\x00\x01\x00en\x00\x00" + zlib.compress(text, 9))


def iccp(profile: bytes) -> bytes:
    return write_chunk(b"iCCP", b"ICC profile\x00\x00" + zlib.compress(profile, 9))


#: Fifty million zeros: about 50 KB compressed.
BOMB = b"0" * 50_000_000


# --- building PDFs --------------------------------------------------------------------

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"


def pdf(*extra: bytes, catalog: bytes = CATALOG, trailer: bytes = b"") -> bytes:
    """A one-page PDF: catalog (1), pages (2), page (3), then ``extra`` as objects 4, 5, …"""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate((catalog, PAGES, PAGE, *extra), start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets) + 1, trailer, xref))
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return (b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data
            + b"\nendstream")


def object_stream(*objects: bytes, dictionary: bytes = b"/Filter /FlateDecode",
                  first_number: int = 10) -> bytes:
    """An object stream holding ``objects`` as objects 10, 11, …, Flate-compressed."""
    offsets, body = [], b""
    for index, item in enumerate(objects):
        offsets.append(b"%d %d" % (first_number + index, len(body)))
        body += item + b"\n"
    index_part = b" ".join(offsets) + b"\n"
    content = index_part + body
    data = zlib.compress(content) if b"FlateDecode" in dictionary else content
    return stream(b"/Type /ObjStm /N %d /First %d " % (len(objects), len(index_part))
                  + dictionary, data)


# --- every kind, and what any upload must be ------------------------------------------


@pytest.mark.parametrize(("raw", "kind", "media_type"), [
    (CREDENTIAL_TEXT.encode(), UploadKind.JSON, "application/json"),
    (b"\xef\xbb\xbf\n" + CREDENTIAL_TEXT.encode() + b"\n", UploadKind.JSON, "application/json"),
    (jws(b'{"alg":"EdDSA"}', b'{"iss":"did:example:i"}'), UploadKind.JWT, "application/jose"),
    (b"https://issuer.example/assertions/1\n", UploadKind.URL, "text/uri-list"),
    (png(), UploadKind.PNG, "image/png"),
    (f"{SVG_OPEN}<circle r='4'/></svg>".encode(), UploadKind.SVG, "image/svg+xml"),
    (pdf(), UploadKind.PDF, "application/pdf"),
], ids=["json", "json-with-bom", "jwt", "url", "png", "svg", "pdf"])
def test_each_kind_is_named_from_its_bytes(raw: bytes, kind: UploadKind,
                                           media_type: str) -> None:
    """The kind comes from the content, as the verifier tells formats apart."""
    assert accepted(raw) == Screened(kind, len(raw))
    assert accepted(raw).media_type == media_type


@pytest.mark.parametrize("raw", [b"", b" \r\n\t "])
def test_an_empty_upload_is_refused(raw: bytes) -> None:
    """Nothing to keep: an empty or blank file."""
    assert where(refused(raw, UnreadableInputError)) == "file"


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read() -> None:
    """The limit is a parameter; the default is the wallet's 8 MiB."""
    assert LIMITS.max_bytes == 8 * 1024 * 1024
    error = refused(b"{" + b" " * LIMITS.max_bytes, InputTooLargeError)
    assert "8,388,609 bytes" in said(error)
    refused(png(), InputTooLargeError, limits=UploadLimits(max_bytes=50))


def test_a_credential_as_text_over_the_verifiers_limit_is_refused() -> None:
    """JSON, a JWT or a URL larger than the verifier reads (1 MiB) is not kept to fail."""
    document = json.dumps({"name": "x" * (1024 * 1024)}).encode()
    assert "1,048,576" in said(refused(document, InputTooLargeError))


@pytest.mark.parametrize("raw", [b"hello", b"\x00\x01\x02", b"GIF89a\x01\x00\x01\x00",
                                 b"javascript:alert(1)", b"[1, 2]"])
def test_what_is_in_no_format_credstack_reads_is_refused(raw: bytes) -> None:
    refused(raw, UnsupportedMediaError)


@pytest.mark.parametrize(("filename", "media_type", "raw"), [
    ("badge.png", None, pdf()),
    (None, "image/png", CREDENTIAL_TEXT.encode()),
    ("certificate.pdf", "application/pdf", png()),
    ("credential.json", None, png()),
    (None, "image/svg+xml; charset=utf-8", png()),
    ("badge.svg", "application/octet-stream", pdf()),
])
def test_a_declared_type_or_name_that_contradicts_the_content_is_refused(
        filename: str | None, media_type: str | None, raw: bytes) -> None:
    """A file named or typed as one kind must be that kind."""
    error = refused(raw, UnsupportedMediaError, filename=filename, media_type=media_type)
    assert "does not match the content" in error.problems[0].message


@pytest.mark.parametrize(("filename", "media_type", "raw"), [
    ("credential.jwt", "application/octet-stream", jws(b"{}", b"{}")),
    ("credential.json", "application/vc+jwt", jws(b"{}", b"{}")),
    ("Badge.PNG", "image/png", png()),
    ("credential", "text/plain", CREDENTIAL_TEXT.encode()),
    (None, "application/pdf", pdf()),
])
def test_generic_or_matching_declarations_are_accepted(
        filename: str | None, media_type: str | None, raw: bytes) -> None:
    """JSON, a JWT and a URL are all text: a JWT saved as .json is no contradiction."""
    accepted(raw, filename=filename, media_type=media_type)


@pytest.mark.parametrize(("filename", "media_type"), [
    ("credential.html", None), (None, "text/html; charset=utf-8"), ("a.js", None),
    (None, "application/xhtml+xml"), ("badge.jpg", None), (None, "image/webp"),
])
def test_web_pages_scripts_and_other_image_formats_are_refused(
        filename: str | None, media_type: str | None) -> None:
    """Even when the content is a credential: a file declared as a page is not kept as one."""
    refused(CREDENTIAL_TEXT.encode(), UnsupportedMediaError, filename=filename,
            media_type=media_type)


@pytest.mark.parametrize("raw", [
    png(write_chunk(b"tEXt", b"Comment\x00%PDF-1.7 1 0 obj")),
    b'{"note": "%PDF-1.4", "type": ["VerifiableCredential"]}',
])
def test_a_file_a_pdf_reader_would_also_open_is_refused(raw: bytes) -> None:
    """A polyglot: ``%PDF-`` in the first kilobyte of anything but a PDF."""
    error = refused(raw)
    assert error.problems[0].message == "%PDF- within the first kilobyte (a polyglot file)"


# --- JSON, JWT, URL -------------------------------------------------------------------


def nested(depth: int) -> object:
    """A JSON object ``depth`` levels deep (objects and arrays in turn)."""
    value: object = "leaf"
    for level in range(depth - 1):
        value = [value] if level % 2 else {"a": value}
    return {"credentialSubject": value}


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=4 * MAX_DEPTH))
@example(MAX_DEPTH)
@example(MAX_DEPTH + 1)
def test_json_is_refused_exactly_when_nested_deeper_than_the_verifier_reads(
        depth: int) -> None:
    """The verifier's limit (64 levels), whatever the depth."""
    raw = json.dumps(nested(depth)).encode()
    if depth <= MAX_DEPTH:
        assert accepted(raw).kind is UploadKind.JSON
    else:
        assert "nested more than 64 levels" in said(refused(raw))


def test_json_nested_a_million_levels_is_refused_at_once() -> None:
    assert "nested more than 64 levels" in said(refused(
        b'{"a":' + b"[" * 500_000 + b"]" * 500_000 + b"}"))


def test_a_repeated_key_is_refused_naming_it() -> None:
    """Which value would count depends on the reader: the verifier refuses it too."""
    error = refused(b'{"id": "urn:a", "type": ["VerifiableCredential"], "id": "urn:b"}')
    assert where(error) == "JSON, key 'id'"


def test_json_that_does_not_parse_is_unreadable_with_its_position() -> None:
    error = refused(b'{"id": "urn:a",\n  "type": }', UnreadableInputError)
    assert "line 2" in said(error)
    assert said(error, "ja") == "JSON として読み取れません（2 行 11 列：Expecting value）"


def test_text_that_is_not_utf8_is_unreadable() -> None:
    assert where(refused(b'{"name": "\xff"}', UnreadableInputError)) == "byte 10"


@pytest.mark.parametrize(("header", "payload", "place"), [
    (b'{"alg":"EdDSA"}', json.dumps(nested(MAX_DEPTH + 1)).encode(), "JWT payload"),
    (b'{"alg":"EdDSA","alg":"none"}', b"{}", "JWT header, key 'alg'"),
])
def test_a_jwt_nested_too_deeply_or_repeating_a_key_is_refused(
        header: bytes, payload: bytes, place: str) -> None:
    assert where(refused(jws(header, payload))) == place


@pytest.mark.parametrize(("token", "place"), [
    (jws(b"[1]", b"{}"), "JWT header"),
    (jws(b"{}", b"not json"), "JWT payload"),
    (b"e30.e30x.c2ln", "JWT payload"),
])
def test_a_jwt_whose_parts_are_not_json_objects_is_unreadable(token: bytes,
                                                              place: str) -> None:
    assert where(refused(token, UnreadableInputError)) == place


def test_a_real_vc_jwt_is_accepted() -> None:
    assert accepted(vc_jwt_token().encode()).kind is UploadKind.JWT


def _cose(payload: bytes) -> bytes:
    """A tagged COSE_Sign1 carrying ``payload`` (its signature is not screened)."""
    protected = cbor2.dumps({1: -8, 16: "application/vc+cose"})
    return cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, b"\0" * 64]))


def test_a_cose_credential_is_its_own_kind_and_may_be_declared_so() -> None:
    """A COSE_Sign1 (application/vc+cose) is binary: its own kind, given back as such, and
    a .cose file or its media type agree with it; declared as JSON it is refused."""
    raw = _cose(CREDENTIAL_TEXT.encode())
    assert accepted(raw) == Screened(UploadKind.COSE, len(raw))
    assert accepted(raw).media_type == "application/vc+cose"
    assert accepted(raw, filename="badge.cose", media_type="application/vc+cose").kind \
        is UploadKind.COSE
    refused(raw, UnsupportedMediaError, filename="badge.json")


@pytest.mark.parametrize(("raw", "error"), [
    (b"\x84\x40\xa0", UnreadableInputError),  # an array of four, cut short
    (_cose(b"not json"), UnreadableInputError), (_cose(b"[1, 2]"), UnreadableInputError),
    (_cose(b'{"a": 1, "a": 2}'), HostileUploadError)])
def test_a_cose_upload_that_is_not_a_credential_s_message_is_refused(
        raw: bytes, error: type[CredstackError]) -> None:
    """Not one COSE_Sign1, or a payload that is not one JSON object read as JSON is."""
    found = refused(raw, error)
    assert said(found, "en") and said(found, "ja")


@pytest.mark.parametrize("raw", [
    b"https://issuer.example/a\nhttps://elsewhere.example/b",
    b"https://issuer.example/a b",
    b"https://" + b"a" * 2100,
    b"https:///no-host",
    b"http://[::1",
])
def test_a_url_must_be_one_http_url_on_one_line(raw: bytes) -> None:
    refused(raw, UnreadableInputError)


# --- PNG ------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "place"), [
    (png()[:-2], "IEND chunk at byte 55"),
    (png()[:-10], "chunk 3 at byte 55"),
    (png()[:20], "IHDR chunk at byte 8"),
    (png()[:30] + b"\x00" + png()[31:], "IHDR chunk at byte 8"),
    (png()[:-12], "IEND"),
], ids=["truncated-in-iend", "truncated-in-a-header", "truncated-in-ihdr", "bad-crc",
        "no-iend"])
def test_a_damaged_png_is_refused_naming_the_chunk(raw: bytes, place: str) -> None:
    error = refused(raw, UnreadableInputError)
    assert said(error) == "The PNG image cannot be read: it is damaged or cut short."
    assert said(error, "ja") == "PNG 画像を読み取れません（壊れているか、途中で切れています）。"
    assert where(error) == place


def test_too_many_chunks_are_refused() -> None:
    comments = [write_chunk(b"tEXt", b"c\x00%d" % n) for n in range(5_000)]
    error = refused(png(*comments))
    assert "5,003 chunks" in said(error) and where(error).startswith("tEXt chunk at byte")
    accepted(png(*comments[:4_000]))


@pytest.mark.parametrize(("width", "height"), [(100_000, 1), (1, 8_193), (5_000, 5_000),
                                               (2**31 - 1, 2**31 - 1)])
def test_absurd_dimensions_are_refused(width: int, height: int) -> None:
    """What a viewer would allocate: at most 8,192 a side and 16,777,216 pixels."""
    error = refused(png(width=width, height=height))
    assert where(error) == "IHDR chunk at byte 8"
    assert f"{width:,} × {height:,}" in said(error)


def test_a_badge_sized_image_is_accepted() -> None:
    accepted(png(width=4_096, height=4_096))
    accepted(png(width=8_192, height=512))


def test_a_zero_sized_image_is_damaged() -> None:
    refused(png(width=0, height=1), UnreadableInputError)


@pytest.mark.parametrize("chunk", [ztxt(b"Comment", BOMB),
                                   compressed_itxt(b"openbadgecredential", BOMB),
                                   iccp(BOMB)], ids=["zTXt", "iTXt", "iCCP"])
def test_a_compressed_chunk_bomb_is_refused_without_inflating_it(chunk: bytes) -> None:
    """50 MB of zeros in ~50 KB: inflated a step at a time, stopped past 4 MiB."""
    error = refused(png(chunk))
    assert "decompression bomb" in said(error)
    assert where(error) == f"{chunk[4:8].decode()} chunk at byte 33"


def test_compressed_chunks_share_one_budget() -> None:
    """Three chunks of 1.5 MiB each are 4.5 MiB together: the third is refused."""
    chunks = [ztxt(b"c", b"x" * (1536 * 1024)) for _ in range(3)]
    accepted(png(*chunks[:2]))
    assert where(refused(png(*chunks))).startswith("zTXt chunk at byte")


def test_compressed_metadata_within_the_limit_and_uncompressed_text_are_accepted() -> None:
    accepted(png(iccp(b"\x00" * 3144), ztxt(b"Title", "データ".encode()),
                 write_chunk(b"iTXt", b"Title\x00\x00\x00ja\x00\x00" + "データ".encode())))


@pytest.mark.parametrize("chunk", [
    write_chunk(b"zTXt", b"Comment\x00\x00not zlib at all"),
    write_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"cut short")[:-6]),
    write_chunk(b"zTXt", b"Comment\x00\x01" + zlib.compress(b"method 1")),
    write_chunk(b"iTXt", b"Comment\x00\x01\x00en"),
])
def test_damaged_compressed_chunks_are_unreadable(chunk: bytes) -> None:
    assert where(refused(png(chunk), UnreadableInputError)) == \
        f"{chunk[4:8].decode()} chunk at byte 33"


# --- SVG ------------------------------------------------------------------------------


def svg(body: str, *, prolog: str = "") -> bytes:
    return f"{prolog}{SVG_OPEN}\n{body}\n</svg>".encode()


@pytest.mark.parametrize("body", [
    "<script>alert(document.cookie)</script>",
    '<script xlink:href="data:text/javascript,alert(1)"/>',
    '<foreignObject width="9" height="9"><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
    "</foreignObject>",
    '<iframe src="#x"/>', '<embed src="#x"/>', '<object data="#x"/>',
    '<handler type="application/ecmascript">alert(1)</handler>',
    '<g><html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script></g>',
    '<div xmlns="http://www.w3.org/1999/xhtml"/>',
])
def test_script_and_embedding_elements_are_refused(body: str) -> None:
    error = refused(svg(body))
    assert "line 2" in where(error)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1,
               max_size=12), st.sampled_from(["on", "On", "ON", "oN"]))
def test_event_attributes_are_refused_whatever_their_name(rest: str, prefix: str) -> None:
    """Any ``on…`` attribute: browsers keep adding events."""
    error = refused(svg(f'<circle r="4" {prefix}{rest}="alert(1)"/>'))
    assert where(error) == "<circle> at line 2, column 1"
    assert error.problems[0].message == f'{prefix}{rest}="alert(1)"'


@pytest.mark.parametrize("attribute", [
    'href="javascript:alert(1)"', 'xlink:href="JaVaScRiPt:alert(1)"',
    'href="java&#x09;script:alert(1)"', 'href=" &#x0A;javascript:alert(1)"',
    'href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"',
])
def test_script_urls_are_refused_however_written(attribute: str) -> None:
    """Entities, tabs and control characters are what a browser ignores in a URL."""
    assert said(refused(svg(f"<a {attribute}><text>x</text></a>"))) == \
        "The SVG image has a script URL."


def test_a_script_url_set_by_an_animation_is_refused() -> None:
    refused(svg('<a href="#a"><set attributeName="fill" to="javascript:alert(1)"/></a>'))


def test_text_about_javascript_is_only_text() -> None:
    """A badge for a JavaScript course may say so, in an attribute or in its text."""
    accepted(svg('<g aria-label="JavaScript: the basics"><title>javascript:入門</title>'
                 "<text>javascript:alert(1)</text></g>"))


@pytest.mark.parametrize(("body", "shown"), [
    ('<image href="https://tracker.example/pixel.png" width="1" height="1"/>',
     'href="https://tracker.example/pixel.png"'),
    ('<use xlink:href="other.svg#shape"/>', 'xlink:href="other.svg#shape"'),
    ('<a href="https://phish.example/"><text>x</text></a>', 'href="https://phish.example/"'),
    ('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>',
     'href="data:image/svg+xml;base64,PHN2Zy8+"'),
    ('<rect fill="url(https://elsewhere.example/p.svg#g)"/>',
     'fill="url(https://elsewhere.example/p.svg#g)"'),
    ("<rect style=\"fill: url('//elsewhere.example/p.svg#g')\"/>",
     "style=\"fill: url('//elsewhere.example/p.svg#g')\""),
    ("<style>@import 'https://elsewhere.example/a.css';</style>",
     "<style> @import 'https://elsewhere.example/a.css';"),
    ("<style>rect { fill: url(http://elsewhere.example/p#g) }</style>",
     "<style> rect { fill: url(http://elsewhere.example/p#g) }"),
    ('<g><feImage xlink:href="file:///etc/passwd"/></g>', 'xlink:href="file:///etc/passwd"'),
])
def test_references_outside_the_image_are_refused(body: str, shown: str) -> None:
    """A browser would fetch them (tracking, SSRF through a renderer) or navigate away."""
    assert refused(svg(body)).problems[0].message == shown


@pytest.mark.parametrize("body", [
    '<rect style="fill: u\\72l(https://elsewhere.example/p.svg#g)"/>',
    '<rect fill="\\75 \\72 \\6c (//elsewhere.example/p.svg#g)"/>',
    "<style>rect { fill: \\url('https://elsewhere.example/p.svg#g') }</style>",
    "<style>@\\69mport 'https://elsewhere.example/a.css';</style>",
    "<style>@\\000069 mport url(https://elsewhere.example/a.css);</style>",
    "<style>@im/**/port 'https://elsewhere.example/a.css';</style>",
    '<style>rect { fill: image-set("https://elsewhere.example/p.png" 1x) }</style>',
    "<style>rect { fill: -webkit-image-set('//elsewhere.example/p.png' 1x) }</style>",
    '<rect style="fill: image-set(&quot;https://elsewhere.example/p.png&quot; 1x)"/>',
    "<style>rect { fill: src('https://elsewhere.example/p.svg#g') }</style>",
], ids=["hex-escape-in-url", "spaced-escapes", "escaped-letter", "escaped-import",
        "six-digit-escape", "comment-in-import", "image-set", "webkit-image-set",
        "image-set-in-style-attribute", "src-function"])
def test_css_escapes_and_image_sets_do_not_hide_an_outside_reference(body: str) -> None:
    """CSS is read as a browser reads it, escapes decoded and comments dropped, before
    ``url()``, ``@import`` and ``image-set()`` are looked for (these passed before)."""
    assert said(refused(svg(body)), "ja").startswith("SVG 画像")


def test_escaped_fragments_stay_allowed() -> None:
    accepted(svg('<defs><linearGradient id="g"/></defs><rect style="fill: u\\72l(#g)"/>'
                 '<style>rect { fill: image-set("#g" 1x) }</style>'))


def test_fragments_and_data_images_are_allowed() -> None:
    body = ('<defs><linearGradient id="g"/></defs><rect fill="url(#g)" style="fill:url(\'#g\')"/>'
            '<use href="#g"/><use xlink:href="#g"/><image href="data:image/png;base64,iVBOR"/>'
            "<style>rect { fill: url(#g) }</style><a href=''><text>x</text></a>")
    accepted(svg(body))


@pytest.mark.parametrize("animation", [
    '<animate attributeName="href" values="#a;#b"/>',
    '<set attributeName="xlink:href" to="#b"/>',
    '<set attributeName="onclick" to="alert(1)"/>',
])
def test_animating_a_link_or_an_event_is_refused(animation: str) -> None:
    """The classic way round an attribute check: set ``href`` after loading."""
    refused(svg(f'<a href="#a">{animation}<text>x</text></a>'))


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE svg [<!ELEMENT svg ANY>]>',
])
def test_a_dtd_internal_subset_is_refused_before_anything_expands(prolog: str) -> None:
    error = refused(svg("<text>&b;</text>", prolog=prolog))
    assert where(error) == "line 1, column 15", "where the subset opens"


def test_an_external_dtd_is_accepted_but_never_read() -> None:
    """As the 1EdTech validator's own baked SVGs start: nothing is fetched."""
    prolog = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
              '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n')
    accepted(svg("<circle r='4'/>", prolog=prolog))


@pytest.mark.parametrize("instruction", [
    '<?xml-stylesheet href="https://elsewhere.example/a.css" type="text/css"?>',
    '<?XML-STYLESHEET href="data:text/css,*{}"?>',
])
def test_a_style_sheet_instruction_is_refused(instruction: str) -> None:
    error = refused(svg("<circle r='4'/>", prolog=instruction + "\n"))
    assert where(error) == "line 1, column 1"


def test_an_svg_with_too_many_elements_is_refused_where_it_passes_the_limit() -> None:
    refused(svg("<g/>" * 2_000_000))
    error = refused(svg("<g/>" * 10, prolog=""), limits=UploadLimits(max_svg_elements=5))
    assert where(error) == "line 2, column 17"


def test_an_svg_with_too_many_attributes_is_refused() -> None:
    """Each attribute is a step of the check: 8 MiB holds over a million."""
    crowded = " ".join(f'data-a{n}="1"' for n in range(210_000))
    refused(svg(f"<g {crowded}/>"))
    error = refused(svg('<g a="1" b="2"/><g c="3" d="4"/>'),
                    limits=UploadLimits(max_svg_attributes=3))
    assert where(error) == "line 2, column 17"


@pytest.mark.parametrize(("raw", "error"), [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", UnreadableInputError),
    (b"<html><body>hello</body></html>", UnsupportedMediaError),
    (b"<svg><circle r='4'/></svg>", UnsupportedMediaError),
])
def test_xml_that_is_not_a_well_formed_svg_is_refused(raw: bytes,
                                                         error: type[CredstackError]) -> None:
    refused(raw, error)


# --- PDF ------------------------------------------------------------------------------


@pytest.mark.parametrize(("catalog", "extra", "name", "number"), [
    (b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
     [b"<< /Names [(run) << /S /JavaScript /JS (app.alert(1)) >>] >>"], "/JavaScript", 1),
    (CATALOG, [b"<< /S /JavaScript /JS 5 0 R >>"], "/JavaScript", 4),
    (CATALOG, [b"<< /S /Named /N /Print /JS (app.alert(1)) >>"], "/JS", 4),
    (b"<< /Type /Catalog /Pages 2 0 R /AA << /WC 4 0 R >> >>", [b"<< /S /GoTo >>"], "/AA",
     1),
    (CATALOG, [b"<< /Type /Annot /Subtype /Link /A << /S /Launch /F (calc.exe) >> >>"],
     "/Launch", 4),
    (CATALOG, [b"<< /S /SubmitForm /F (https://elsewhere.example/) >>"], "/SubmitForm", 4),
    (CATALOG, [b"<< /S /ImportData /F (data.fdf) >>"], "/ImportData", 4),
    (CATALOG, [b"<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>"], "/GoToR", 4),
    (CATALOG, [b"<< /S /GoToE /T << /R /C /N (a) >> >>"], "/GoToE", 4),
    (CATALOG, [b"<< /S /Rendition /OP 0 >>"], "/Rendition", 4),
    (CATALOG, [b"<< /Type /Annot /Subtype /RichMedia >>"], "/RichMedia", 4),
    (b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
     [stream(b"", b"<xdp/>")], "/XFA", 1),
], ids=["names-tree", "javascript-action", "js", "aa", "launch", "submit", "import", "gotor",
        "gotoe", "rendition", "richmedia", "xfa"])
def test_a_pdf_that_would_act_by_itself_is_refused_naming_the_object(
        catalog: bytes, extra: list[bytes], name: str, number: int) -> None:
    data = pdf(*extra, catalog=catalog)
    error = refused(data)
    assert error.problems[0].message == name
    assert where(error) == f"object {number} 0 at byte {data.find(name.encode())}"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=10, max_size=10))
def test_names_written_with_hex_escapes_are_read_as_a_reader_reads_them(
        escaped: list[bool]) -> None:
    """``/J#61vaScript`` is ``/JavaScript``."""
    name = "/" + "".join(f"#{ord(letter):02X}" if escape else letter
                         for letter, escape in zip("JavaScript", escaped, strict=True))
    error = refused(pdf(b"<< /S " + name.encode() + b" /JS (x) >>"))
    assert error.problems[0].message == "/JavaScript"


@pytest.mark.parametrize(("action", "detail"), [
    (b"<< /S /URI /URI (https://elsewhere.example/) >>", "/OpenAction is not a page destination"),
    (b"<< /S /GoTo /D [3 0 R /Fit] >>", "/OpenAction is not a page destination"),
    (b"5 0 R", "/OpenAction 5: object 5 is not a page destination"),
    (b"9 0 R", "/OpenAction 9: object 9 is not a page destination"),
], ids=["uri", "goto", "reference-to-an-action", "reference-to-nothing"])
def test_an_open_action_is_refused_unless_it_is_a_page_destination(action: bytes,
                                                                   detail: str) -> None:
    """A reader runs it as the document opens: only going to a page is harmless."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction " + action + b" >>"
    error = refused(pdf(b"[3 0 R /Fit]", b"<< /S /URI /URI (https://x.example/) >>",
                        catalog=catalog))
    assert error.problems[0].message == detail
    assert where(error).startswith("object 1 0 at byte ")


@pytest.mark.parametrize("action", [b"\n%go\n[3 0 R /Fit]", b"4 0 R", b" 4\n0 R"])
def test_an_open_action_to_a_page_is_accepted(action: bytes) -> None:
    accepted(pdf(b"[3 0 R /Fit]",
                 catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction " + action + b" >>"))


def test_an_open_action_to_an_object_redefined_as_an_action_is_refused() -> None:
    """An incremental update may define the object again: every definition must be a page."""
    data = pdf(b"[3 0 R /Fit]", catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    update = b"4 0 obj\n<< /S /URI /URI (https://x.example/) >>\nendobj\n"
    assert "object 4 is not" in refused(data + update).problems[0].message


def test_names_in_strings_comments_and_stream_data_are_not_actions() -> None:
    """Only what a reader takes for a name counts; a font's bytes may hold ``/JS``."""
    font = zlib.compress(b"x") + b"\x00/JS /AA\x00(/Launch)"
    accepted(pdf(b"<< /Title (about /JavaScript \\(and /JS\\)) /Author <2F4A53> >>",
                 b"% /JavaScript in a comment\n<< /Kind /Note >>",
                 stream(b"/Subtype /Type1C", font)))


def test_javascript_inside_a_compressed_object_stream_is_found() -> None:
    data = pdf(object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"))
    error = refused(data)
    assert error.problems[0].message == "/JavaScript"
    assert where(error).startswith("object stream (object 4 0), byte ")


def test_an_object_stream_known_only_by_its_first_key_is_read_too() -> None:
    """A reader needs /N and /First, not /Type, to read an object stream."""
    data = pdf(object_stream(b"<< /AA << >> >>").replace(b"/Type /ObjStm ", b""))
    assert refused(data).problems[0].message == "/AA"


def test_an_object_stream_bomb_is_refused() -> None:
    data = pdf(object_stream(b"<< /Kind /Note >>" + b" " * 20_000_000))
    error = refused(data)
    assert "decompression bomb" in said(error)


@pytest.mark.parametrize("dictionary", [b"/Filter /LZWDecode", b"/Filter [/ASCIIHexDecode]",
                                        b"/Filter /FlateDecode /DecodeParms << /Predictor 12 >>"])
def test_an_object_stream_that_cannot_be_read_is_refused(dictionary: bytes) -> None:
    error = refused(pdf(object_stream(b"<< /Kind /Note >>", dictionary=dictionary)))
    assert "cannot be checked" in said(error)


@pytest.mark.parametrize(("written", "extra"), [
    (b"/Filter 5 0 R", [b"/FlateDecode"]),
    (b"/Filter 5 0 R", [b"[ /FlateDecode ]"]),
    (b"/Filter 5 0 R", [b"% a comment\n/Fl"]),
    (b"/Filter%c\n/FlateDecode", []),
    (b"/Filter % a comment ] [ /LZWDecode\n[ % another ]\n/FlateDecode ]", []),
    (b"/Note (a string (with %) nested) /Filter /FlateDecode", []),
], ids=["indirect-name", "indirect-array", "indirect-after-a-comment", "after-a-comment",
        "comments-in-an-array", "percent-in-a-string"])
def test_an_object_stream_is_inflated_however_its_filter_is_written(
        written: bytes, extra: list[bytes]) -> None:
    """An indirect ``/Filter`` or one after a comment is Flate to a reader too: the scan must
    not read the compressed bytes instead (it did: both passed)."""
    hidden = object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    data = pdf(hidden.replace(b"/Filter /FlateDecode", written), *extra)
    assert refused(data).problems[0].message == "/JavaScript"
    harmless = object_stream(b"<< /Kind /Note >>")
    accepted(pdf(harmless.replace(b"/Filter /FlateDecode", written), *extra))


@pytest.mark.parametrize(("written", "extra"), [
    (b"/Filter 9 0 R", []),
    (b"/Filter 5 0 R", [b"/LZWDecode"]),
    (b"/Filter 5 0 R", [b"<< /Not /AFilter >>"]),
    (b"/Filter /FlateDecode /DecodeParms 5 0 R", [b"<< /Predictor 12 >>"]),
], ids=["indirect-to-nothing", "indirect-to-another-filter", "indirect-to-a-dictionary",
        "indirect-parameters"])
def test_an_object_stream_whose_indirect_filter_cannot_be_read_is_refused(
        written: bytes, extra: list[bytes]) -> None:
    hidden = object_stream(b"<< /Kind /Note >>")
    error = refused(pdf(hidden.replace(b"/Filter /FlateDecode", written), *extra))
    assert "cannot be checked" in said(error)


def test_an_indirect_filter_defined_twice_differently_is_refused() -> None:
    """An update may redefine object 5; which one a reader takes depends on its
    cross-reference table, which the scan does not trust."""
    hidden = object_stream(b"<< /Kind /Note >>")
    data = pdf(hidden.replace(b"/Filter /FlateDecode", b"/Filter 5 0 R"), b"/FlateDecode")
    data += b"5 0 obj\n/ASCIIHexDecode\nendobj\n"
    assert "cannot be checked" in said(refused(data))


def test_an_uncompressed_object_stream_is_scanned() -> None:
    refused(pdf(object_stream(b"<< /JS (x) >>", dictionary=b"")))
    accepted(pdf(object_stream(b"<< /Kind /Note >>", dictionary=b"")))


def test_a_corrupt_object_stream_is_refused() -> None:
    data = pdf(stream(b"/Type /ObjStm /N 1 /First 5 /Filter /FlateDecode", b"not zlib"))
    assert "corrupt" in refused(data).problems[0].message


def test_an_object_hidden_in_the_data_of_a_stream_is_refused() -> None:
    """A cross-reference entry may point into stream data, where a scan would not look."""
    hidden = b"9 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj"
    error = refused(pdf(stream(b"", b"BT ET\n" + hidden)))
    assert error.problems[0].message == "9 0 obj"
    assert where(error).startswith("object 4 0, byte ")


def test_a_string_that_looks_like_a_stream_does_not_hide_what_follows() -> None:
    refused(pdf(b"<< /T (>> stream\n) /AA << >> /U (endstream) >>"))


def test_an_encrypted_pdf_is_refused() -> None:
    error = refused(pdf(b"<< /Filter /Standard /V 2 >>", trailer=b"/Encrypt 4 0 R "))
    assert error.problems[0].message == "/Encrypt: the PDF is encrypted"
    assert where(error).startswith("the trailer at byte ")


@pytest.mark.parametrize("structure", [b"/a " * 600_000, b"()" * 600_000,
                                       b"(" * 600_000, b"%\n" * 600_000])
def test_a_pdf_too_complex_to_check_quickly_is_refused(structure: bytes) -> None:
    """Every name, comment and parenthesis is a step of the scan: at most 500,000 (the scan
    stops there; how long it takes is ``bench/``'s to measure, not a test's)."""
    error = refused(pdf(b"<< " + structure + b">>"), InputTooLargeError)
    assert "more than 500,000" in said(error)


def test_a_pdf_with_too_many_objects_is_refused() -> None:
    data = pdf(*[b"<< /Kind /Note >>"] * 30)
    refused(data, InputTooLargeError, limits=UploadLimits(max_pdf_objects=20))
    refused(pdf(object_stream(*[b"null"] * 30)), InputTooLargeError,
            limits=UploadLimits(max_pdf_objects=20))


# --- real credentials are accepted ----------------------------------------------------


def test_our_own_baked_svg_badge_is_accepted() -> None:
    image = badge_svg(design_for_programme(parse_programme(programme()))).encode()
    for text in (CREDENTIAL_TEXT, vc_jwt_token()):
        assert accepted(bake_svg(image, text), filename="badge.svg",
                        media_type="image/svg+xml").kind is UploadKind.SVG


def test_our_own_baked_png_badge_is_accepted() -> None:
    try:
        image = render_badge_png(design_for_programme(parse_programme(programme()))).png
    except ConfigurationError as exc:
        pytest.skip(f"no font to render the badge with: {exc}")
    for text in (CREDENTIAL_TEXT, vc_jwt_token()):
        assert accepted(bake_png(image, text), filename="badge.png",
                        media_type="image/png").kind is UploadKind.PNG


def signer() -> certificates.CertificateSigner:
    """An organisation's signer with a self-signed certificate (no store needed)."""
    key = ec.generate_private_key(ec.SECP256R1())
    moment = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hokuto Certificates"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "北都工科大学")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(1)
                   .not_valid_before(moment - dt.timedelta(days=1))
                   .not_valid_after(moment + dt.timedelta(days=30))
                   .sign(key, hashes.SHA256()))
    return certificates.CertificateSigner.for_identity(
        pki.SigningIdentity("hokuto-tech", certificate, (), key))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_our_own_signed_pdf_certificate_is_accepted(language: str) -> None:
    """Signed, certified (DocMDP), its credential embedded as a file: nothing that acts."""
    content = certificate_content(CREDENTIAL, language=language,
                                  public_url="https://issuer.example.ac.jp")
    try:
        data = certificates.render_certificate(
            content, signer=signer(), now=dt.datetime.now(dt.UTC),
            attachment=certificates.attachment_for(CREDENTIAL_TEXT,
                                                   credential_id=str(CREDENTIAL["id"])))
    except ConfigurationError as exc:
        pytest.skip(f"no font to draw the certificate with: {exc}")
    assert b"/EmbeddedFile" in data and b"/DocMDP" in data
    assert accepted(data, filename="certificate.pdf",
                    media_type="application/pdf").kind is UploadKind.PDF


def test_the_1edtech_validators_examples_are_accepted(shared_ref: Path) -> None:
    """Every OB 2.0, OB 3.0 and CLR 2.0 example: JSON, VC-JWTs and baked SVGs."""
    examples = sorted(path for path in (shared_ref / "examples").rglob("*")
                      if path.suffix in {".json", ".jwt", ".svg"})
    assert len(examples) > 100
    kinds = {accepted(path.read_bytes(), filename=path.name).kind for path in examples}
    assert kinds == {UploadKind.JSON, UploadKind.JWT, UploadKind.SVG}


def test_the_dcc_credentials_from_the_wild_are_accepted(shared_ref: Path) -> None:
    """The DCC's fixtures: credentials, did:web documents, status lists and a QR code SVG;
    the one that is empty upstream is refused as empty. (Beside them in ``wild/`` stand CASE
    packages and trust registries with their licences, which are no uploads.)"""
    files = sorted(path for path in (shared_ref / "wild" / "dcc-vc-test-fixtures").rglob("*")
                   if path.is_file() and path.suffix not in {".md", ".tsv"})
    assert len(files) > 90
    empty = []
    for path in files:
        if path.stat().st_size == 0:
            empty.append(path.name)
            refused(path.read_bytes(), UnreadableInputError, filename=path.name)
        else:
            assert accepted(path.read_bytes(), filename=path.name).kind in {
                UploadKind.JSON, UploadKind.SVG}, path
    assert empty == ["legacy-noStatus-noExpiry.json"]
