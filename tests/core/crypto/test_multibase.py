"""Multibase base58-btc and base64url: the draft's examples, round trips, refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.core.crypto import multibase
from credstack.errors import MalformedCredentialError

# draft-msporny-base58-03 §5 "Test Vectors"; the leading-zero case as the Bitcoin wiki gives it
# (four zero bytes, four '1's).
BASE58_VECTORS = [
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (b"The quick brown fox jumps over the lazy dog.",
     "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"),
    (bytes.fromhex("00000000287fb4cd"), "1111233QC4"),
    (b"", ""),
    (b"\0", "1"),
]


@pytest.mark.parametrize(("data", "text"), BASE58_VECTORS)
def test_base58_matches_the_drafts_vectors(data: bytes, text: str) -> None:
    """Encoding and decoding reproduce draft-msporny-base58's examples."""
    assert multibase.base58_encode(data) == text
    assert multibase.base58_decode(text) == data


def test_vc_di_eddsa_signature_reads_back_to_its_hex() -> None:
    """The vc-di-eddsa rdfc signature's base58 form decodes to its published hex."""
    text = ("z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQ"
            "sCZahKZme")
    expected = ("4d8e53c2d5b3f2a7891753eb16ca993325bdb0d3cfc5be1093d0a18426f5ef8578cadc0fd4b5f4dd"
                "0d1ce0aefd15ab120b7a894d0eb094ffda4e6553cd1ed50d")
    assert multibase.decode_base58btc(text).hex() == expected
    assert multibase.encode_base58btc(bytes.fromhex(expected)) == text


@given(st.binary(max_size=80))
def test_base58btc_round_trips(data: bytes) -> None:
    """Any bytes, leading zeros included, come back unchanged."""
    assert multibase.decode_base58btc(multibase.encode_base58btc(data)) == data


@given(st.binary(max_size=80))
def test_base64url_round_trips_without_padding(data: bytes) -> None:
    """base64url multibase has no padding and round-trips."""
    text = multibase.encode_base64url(data)
    assert text.startswith("u") and "=" not in text
    assert multibase.decode_base64url(text) == data
    assert multibase.decode(text) == data


@pytest.mark.parametrize(
    "text",
    [
        "2NEpo7TZRRrLZSi2U",  # no multibase prefix
        "zIl0O",  # 0, O, I and l are not base58 characters
        "z2NEpo7TZRRrLZSi2U=",
        "f48656c6c6f",  # base16: a real multibase, but not one credstack accepts
        "",
    ],
)
def test_malformed_base58btc_is_refused(text: str) -> None:
    """A wrong prefix or a character outside the alphabet is malformed, never garbage bytes."""
    with pytest.raises(MalformedCredentialError):
        multibase.decode_base58btc(text)


@pytest.mark.parametrize("text", ["uAA==", "uA", "uAB", "u+/8", "zAB", "uAA!"])
def test_malformed_or_non_canonical_base64url_is_refused(text: str) -> None:
    """Padding, a lone trailing character, non-zero unused bits and foreign characters fail."""
    with pytest.raises(MalformedCredentialError):
        multibase.decode_base64url(text)


def test_decode_dispatches_on_the_prefix() -> None:
    """``decode`` reads both bases and refuses any other prefix."""
    assert multibase.decode("z2NEpo7TZRRrLZSi2U") == b"Hello World!"
    assert multibase.decode("uSGVsbG8gV29ybGQh") == b"Hello World!"
    with pytest.raises(MalformedCredentialError):
        multibase.decode("mSGVsbG8gV29ybGQh")


def test_a_non_string_is_refused() -> None:
    """A JSON number or null in a multibase field is malformed, not a crash."""
    with pytest.raises(MalformedCredentialError):
        multibase.decode_base58btc(12345)  # type: ignore[arg-type]
