"""PNG baking (OB 3.0 §5.3, OB 2.0 Baking Specification): round trips and precise refusals."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from credstack.core.credentials.baking_png import (
    MAX_CHUNK_BYTES,
    MAX_PNG_BYTES,
    PNG_SIGNATURE,
    bake_png,
    extract_png,
    itxt_chunk,
    read_chunks,
    write_chunk,
)
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.images.baked import MAX_PAYLOAD_BYTES, PayloadKind, Standard
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.errors import (
    InputError,
    InputTooLargeError,
    MalformedCredentialError,
    UnreadableInputError,
)

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "urn:uuid:2f5b3b64-6a43-4c0e-9d0c-7f0c1b4f3c11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "北都工科大学"},
    "validFrom": "2026-04-01T00:00:00Z",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
        "id": "https://issuer.example/achievements/1/v1", "type": ["Achievement"],
        "name": "データサイエンス ]]> & <入門>", "description": "…",
        "criteria": {"narrative": "…"}}},
}
OB2_ASSERTION = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                 "id": "https://issuer.example/assertions/1",
                 "verify": {"type": "hosted", "url": "https://issuer.example/assertions/1"}}


def minimal_png(*extra: bytes) -> bytes:
    """A valid 1 × 1 greyscale PNG, with ``extra`` chunks before IDAT."""
    header = write_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = write_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return PNG_SIGNATURE + header + b"".join(extra) + pixels + write_chunk(b"IEND", b"")


def vc_jwt_token() -> str:
    key = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
    return vc_jwt.sign(CREDENTIAL, key=key, kid="did:example:issuer#key-1")


@pytest.mark.parametrize(("standard", "text", "kind"), [
    (Standard.OB3, json.dumps(CREDENTIAL, ensure_ascii=False), PayloadKind.JSON),
    (Standard.OB3, "VC-JWT", PayloadKind.JWS),
    (Standard.OB2, "https://issuer.example/assertions/1", PayloadKind.URL),
    (Standard.OB2, "OB2-JWS", PayloadKind.JWS),
    (Standard.OB2, json.dumps(OB2_ASSERTION), PayloadKind.JSON),
], ids=["ob3-json", "ob3-vc-jwt", "ob2-url", "ob2-jws", "ob2-json"])
def test_bake_then_extract_gives_back_exactly_what_was_baked(
        standard: Standard, text: str, kind: PayloadKind) -> None:
    """Every payload each standard allows survives baking unchanged."""
    text = {"VC-JWT": vc_jwt_token(), "OB2-JWS": "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln"}.get(
        text, text)
    baked = bake_png(minimal_png(), text, standard=standard)
    extracted = extract_png(baked)
    assert (extracted.standard, extracted.kind, extracted.text) == (standard, kind, text)
    if kind is PayloadKind.JSON:
        assert extracted.document == json.loads(text)


def test_the_chunk_is_an_uncompressed_itxt_right_after_ihdr() -> None:
    """Keyword, compression flag 0, method 0, empty language tag and translated keyword."""
    text = json.dumps(CREDENTIAL, ensure_ascii=False)
    chunks = read_chunks(bake_png(minimal_png(), text))
    assert [chunk.type for chunk in chunks] == [b"IHDR", b"iTXt", b"IDAT", b"IEND"]
    assert chunks[1].data == b"openbadgecredential\x00\x00\x00\x00\x00" + text.encode()
    assert chunks[1].offset == 33


def test_baking_keeps_every_other_chunk_byte_for_byte() -> None:
    """Only the new chunk is added; the image data and its CRCs are untouched."""
    original = minimal_png(write_chunk(b"tEXt", b"Comment\x00hello"))
    baked = bake_png(original, "eyJhIjoxfQ.eyJhIjoxfQ.c2ln")
    added = itxt_chunk(b"openbadgecredential", "eyJhIjoxfQ.eyJhIjoxfQ.c2ln")
    assert baked == original[:33] + added + original[33:]


def test_a_second_bake_is_refused_unless_replacing() -> None:
    once = bake_png(minimal_png(), "eyJhIjoxfQ.eyJhIjoxfQ.c2ln")
    with pytest.raises(InputError, match="already holds") as caught:
        bake_png(once, "eyJhIjoyfQ.eyJhIjoyfQ.c2ln")
    assert "iTXt openbadgecredential chunk at byte 33" in str(caught.value)
    twice = bake_png(once, "eyJhIjoyfQ.eyJhIjoyfQ.c2ln", replace=True)
    assert extract_png(twice).text == "eyJhIjoyfQ.eyJhIjoyfQ.c2ln"
    assert len(read_chunks(twice)) == 4


def test_an_ob3_and_an_ob2_credential_can_share_an_image_and_ob3_is_read() -> None:
    both = bake_png(bake_png(minimal_png(), "https://issuer.example/a", standard=Standard.OB2),
                    "eyJhIjoxfQ.eyJhIjoxfQ.c2ln")
    assert extract_png(both).standard is Standard.OB3


def test_the_legacy_text_chunk_with_a_url_is_read_as_ob2() -> None:
    legacy = minimal_png(write_chunk(b"tEXt", b"openbadges\x00https://issuer.example/a.json"))
    extracted = extract_png(legacy)
    assert (extracted.standard, extracted.kind) == (Standard.OB2, PayloadKind.URL)


# --- refusals -------------------------------------------------------------------------------


def test_no_chunk_is_reported_as_nothing_baked() -> None:
    with pytest.raises(InputError, match="holds no baked credential") as caught:
        extract_png(minimal_png())
    assert not isinstance(caught.value, MalformedCredentialError)
    assert "openbadgecredential" in str(caught.value)


def test_a_corrupt_crc_names_the_chunk() -> None:
    baked = bytearray(bake_png(minimal_png(), "eyJhIjoxfQ.eyJhIjoxfQ.c2ln"))
    baked[60] ^= 0x01
    with pytest.raises(UnreadableInputError, match="corrupt") as caught:
        extract_png(bytes(baked))
    assert caught.value.problems[0].location == "iTXt chunk at byte 33"
    assert "CRC" in caught.value.problems[0].message


@pytest.mark.parametrize("cut", [5, 20, 40, 90])
def test_a_truncated_file_is_refused(cut: int) -> None:
    baked = bake_png(minimal_png(), "eyJhIjoxfQ.eyJhIjoxfQ.c2ln")
    with pytest.raises(UnreadableInputError):
        extract_png(baked[:cut])


def test_a_truncated_chunk_says_how_many_bytes_are_missing() -> None:
    baked = bake_png(minimal_png(), "eyJhIjoxfQ.eyJhIjoxfQ.c2ln")
    with pytest.raises(UnreadableInputError, match="truncated") as caught:
        extract_png(baked[:60])
    assert caught.value.problems[0].location == "iTXt chunk at byte 33"
    assert "ends" in caught.value.problems[0].message


def test_two_chunks_with_the_keyword_are_an_error() -> None:
    """The chunk MUST NOT appear more than once: neither copy is trusted."""
    chunk = itxt_chunk(b"openbadgecredential", "eyJhIjoxfQ.eyJhIjoxfQ.c2ln")
    other = itxt_chunk(b"openbadgecredential", "eyJhIjoyfQ.eyJhIjoyfQ.c2ln")
    with pytest.raises(MalformedCredentialError, match=r"2 Open Badges 3\.0 credentials") as caught:
        extract_png(minimal_png(chunk, other))
    assert len(caught.value.problems) == 2


def test_a_compressed_itxt_is_refused_without_being_decompressed() -> None:
    """A zlib bomb (50 MB of zeros in ~50 KB) is refused on its compression flag, at the
    chunk's place, never inflated: inflating it would have made it a 50 MB text, refused as
    too large instead (how fast the refusal is, is bench work: a loaded CI machine is slow)."""
    bomb = zlib.compress(b"0" * 50_000_000, 9)
    data = b"openbadgecredential\x00\x01\x00\x00\x00" + bomb
    with pytest.raises(MalformedCredentialError, match="must not be compressed") as caught:
        extract_png(minimal_png(write_chunk(b"iTXt", data)))
    problem = caught.value.problems[0]
    assert problem.location == "iTXt openbadgecredential chunk at byte 33"
    assert problem.message.startswith("compression flag 1, method 0;")
    assert "never decompressed" in problem.message


def test_a_ztxt_chunk_is_refused_as_compressed() -> None:
    data = b"openbadges\x00\x00" + zlib.compress(b"https://issuer.example/a")
    with pytest.raises(MalformedCredentialError, match="must not be compressed"):
        extract_png(minimal_png(write_chunk(b"zTXt", data)))


def test_a_chunk_declaring_a_huge_length_is_refused_before_reading() -> None:
    huge = struct.pack(">I", 0x7FFFFFFF) + b"iTXt" + b"openbadgecredential\x00"
    with pytest.raises(InputTooLargeError, match="too large") as caught:
        extract_png(minimal_png()[:33] + huge)
    assert f"{MAX_CHUNK_BYTES:,}" in caught.value.problems[0].message


def test_an_image_over_the_size_limit_is_refused() -> None:
    with pytest.raises(InputTooLargeError):
        extract_png(PNG_SIGNATURE + b"\x00" * MAX_PNG_BYTES)


def test_a_baked_text_over_the_payload_limit_is_refused() -> None:
    big = itxt_chunk(b"openbadgecredential", "{" + " " * MAX_PAYLOAD_BYTES + "}")
    with pytest.raises(InputTooLargeError, match="too large"):
        extract_png(minimal_png(big))
    with pytest.raises(MalformedCredentialError, match="too large"):
        bake_png(minimal_png(), "{" + " " * MAX_PAYLOAD_BYTES + "}")


@pytest.mark.parametrize("data", [b"", b"GIF89a....", b'{"@context": []}', b"\x89PNG\r\n"])
def test_what_is_not_a_png_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableInputError, match="not a PNG"):
        extract_png(data)


def test_ihdr_must_come_first() -> None:
    header = write_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    swapped = (PNG_SIGNATURE + write_chunk(b"tEXt", b"a\x00b") + header
               + write_chunk(b"IEND", b""))
    with pytest.raises(UnreadableInputError, match="corrupt") as caught:
        extract_png(swapped)
    assert "first chunk must be IHDR" in caught.value.problems[0].message


def test_iend_must_be_last_with_nothing_after_it() -> None:
    with pytest.raises(UnreadableInputError) as caught:
        extract_png(minimal_png() + b"trailing")
    assert "follow the IEND chunk" in caught.value.problems[0].message
    without_end = minimal_png()[:-12]
    with pytest.raises(UnreadableInputError, match="truncated"):
        extract_png(without_end)


def test_a_chunk_type_that_is_not_letters_is_corrupt() -> None:
    broken = minimal_png()[:33] + struct.pack(">I", 0) + b"1234" + b"\x00" * 4
    with pytest.raises(UnreadableInputError, match="corrupt"):
        extract_png(broken + write_chunk(b"IEND", b""))


def test_invalid_utf8_in_the_chunk_is_refused() -> None:
    chunk = write_chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00{\xff}")
    with pytest.raises(MalformedCredentialError, match="not UTF-8"):
        extract_png(minimal_png(chunk))


@pytest.mark.parametrize(("standard", "text", "message"), [
    (Standard.OB3, "hello", "holds no Open Badges 3.0 credential"),
    (Standard.OB3, "https://issuer.example/a", "holds no Open Badges 3.0 credential"),
    (Standard.OB3, "{not json", "is not JSON"),
    (Standard.OB2, "   ", "is empty"),
])
def test_what_is_not_a_credential_is_refused_both_ways(standard: Standard, text: str,
                                                       message: str) -> None:
    """OB 3.0 bakes JSON or a JWS (no URL); the same rule applies when extracting."""
    with pytest.raises(MalformedCredentialError, match=message):
        bake_png(minimal_png(), text, standard=standard)
    chunk = itxt_chunk({Standard.OB3: b"openbadgecredential",
                        Standard.OB2: b"openbadges"}[standard], text)
    with pytest.raises(MalformedCredentialError, match=message):
        extract_png(minimal_png(chunk))
