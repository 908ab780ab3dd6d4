"""JCS (RFC 8785): the fast path through CPython's encoder is, byte for byte, the plain path.

The plain paths are the ``rfc8785`` package (a direct, pure-Python RFC 8785 serializer) and,
for values without floats, long integers or characters beyond U+FFFF, sorted compact
``json.dumps``. ``credstack.core.crypto.jcs`` must equal them on every JSON value, and refuse
whatever they refuse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.core.crypto import jcs
from credstack.errors import MalformedCredentialError

#: Text made of what the fast path looks at — JSON punctuation, number characters,
#: backslashes and quotes — and of characters around the UTF-16 ordering boundary.
_TRICKY_TEXT = st.text(alphabet=':,[]{}"\\-.eE+0129 a\u00e9\ud7ff\ue000\uffff\U00010000'
                                '\U0001f600', max_size=14)
_INTEGERS = (st.integers(-(2**53), 2**53)
             | st.integers(-(10**17), 10**17)
             | st.sampled_from([10**15 - 1, 10**15, 10**16 - 1, 10**16, -(10**15) + 1,
                                -(10**15), -(10**16), 2**53 - 1, 2**53, -(2**53) + 1]))
_FLOATS = (st.floats(allow_nan=False, allow_infinity=False)
           | st.floats(min_value=-1e22, max_value=1e22, allow_nan=False)
           | st.sampled_from([0.0, -0.0, 2.0, 1e21, 1e-7, 1e-6, 9.999999999999999e20,
                              123456789012345.6, 1234567890123456.7, 5e-324,
                              1.7976931348623157e308, 123456789012345.0, -12345678901234.0,
                              1e15, -1e15, 9007199254740993.0]))
_JSON = st.recursive(
    st.none() | st.booleans() | _INTEGERS | _FLOATS | st.text() | _TRICKY_TEXT,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=5) | _TRICKY_TEXT, children, max_size=5),
    max_leaves=30,
)


def _rfc8785(value: Any) -> bytes | None:
    """rfc8785's canonical form, or None where it refuses the value."""
    try:
        result: bytes = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError, ValueError):
        return None
    return result


def _assert_canonical_as_rfc8785(value: Any) -> None:
    """jcs writes ``value`` as rfc8785 does, and refuses it where rfc8785 refuses it."""
    expected = _rfc8785(value)
    if expected is None:
        with pytest.raises(MalformedCredentialError):
            jcs.canonicalize(value)
    else:
        assert jcs.canonicalize(value) == expected


@settings(max_examples=600, deadline=None)
@given(_JSON)
def test_the_fast_path_is_rfc8785_byte_for_byte(value: Any) -> None:
    """On any JSON value the result is rfc8785's; where rfc8785 refuses, so does jcs."""
    _assert_canonical_as_rfc8785(value)


_PLAIN_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**15) + 1, 10**15 - 1)
    | st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(alphabet=st.characters(max_codepoint=0xFFFF,
                                                      exclude_categories=["Cs"]), max_size=5),
                      children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_PLAIN_JSON)
def test_without_floats_long_integers_or_astral_characters_jcs_is_sorted_compact_json(
        value: Any) -> None:
    """Without those three, JCS is ``json.dumps`` with sorted keys, compact, UTF-8."""
    assert jcs.canonicalize(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _json_files(ref: Path) -> list[Path]:
    return sorted(path for folder in ("vectors", "examples", "conformance")
                  for path in (ref / folder).rglob("*.json"))


def test_every_json_file_of_the_shared_reference_is_canonicalized_as_rfc8785(
        shared_ref: Path) -> None:
    """The standards' vectors, examples and conformance inputs: identical bytes, or both
    refuse."""
    files = _json_files(shared_ref)
    assert len(files) > 100
    for path in files:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue  # not JSON (some conformance inputs are deliberately broken)
        expected = _rfc8785(document)
        if expected is None:
            with pytest.raises(MalformedCredentialError):
                jcs.canonicalize(document)
        else:
            assert jcs.canonicalize(document) == expected, path


def test_an_ordinary_credential_never_needs_rfc8785(monkeypatch: pytest.MonkeyPatch) -> None:
    """Floats, Japanese text, escaped quotes and number-like text take the fast path and
    come out as rfc8785 writes them."""
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "alias": 'one " quote, before the floats: quotes no longer pair up',
        "id": "urn:uuid:00000000-0000-0000-0000-000000000001",
        "name": "データ活用入門 \"Introduction\" to data use \\ 2.0",
        "credentialSubject": {"creditsEarned": 2.0, "score": 87.5, "ratio": 1e-7,
                              "hours": 90, "note": "at 1.5, then [3.0}, x:-2.5e3,"},
        "tag": ["a", 1.25, -0.0, 1e21, "\u2028\u0007"],
    }
    expected = rfc8785.dumps(document)

    def plain(value: Any) -> bytes:
        raise AssertionError("the fast path gave up")

    monkeypatch.setattr(jcs, "_slow", plain)
    assert jcs.canonicalize(document) == expected


def _deep_value(depth: int) -> Any:
    value: Any = 1.5
    for _ in range(depth):
        value = {"v": value}
    return value


@pytest.mark.parametrize(
    "value",
    [
        {"a": None, "f": 1.5, "g": 2.0}, {"s": "nullable", "x": [1e-7]},
        {"k": [None, -0.0, "\u001f"]}, {"deep": _deep_value(300)},
    ],
    ids=["a-null", "null-in-a-string", "null-beside-escapes", "nested-300-levels"],
)
def test_what_orjson_leaves_to_the_c_encoder_is_written_as_rfc8785_writes_it(value: Any
                                                                                ) -> None:
    """Text holding ``null`` (orjson writes NaN as ``null``, so the C encoder decides) and
    nesting beyond orjson's 255 levels come out as from the fast path."""
    _assert_canonical_as_rfc8785(value)


@pytest.mark.parametrize(
    "value",
    [
        {"\U0001f600": 1, "\ue000": 2, "a": 3},  # UTF-16 order differs from code point order
        {"n": 10**16 - 1}, {"n": -(10**15)}, {"n": 2**53}, {"n": [1, 2**53 - 1]},
        123, -4.5, 1e21,
    ],
)
def test_what_the_fast_path_cannot_write_is_written_by_rfc8785(value: Any) -> None:
    """Astral characters, integers of 16 digits and more, and numbers on their own."""
    _assert_canonical_as_rfc8785(value)


def _circular_list() -> list[Any]:
    value: list[Any] = []
    value.append(value)
    return value


def _circular_dict() -> dict[str, Any]:
    value: dict[str, Any] = {}
    value["self"] = value
    return value


def _deep(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [
        {"s": "\ud800"}, {"\udfff": 1}, ["a\udc00b"],  # lone surrogates
        {"n": float("nan")}, [float("inf")], {"n": -float("inf")},
        {"n": 2**60}, {"k": object()}, {"b": b"bytes"}, {"s": {1, 2}},
        _circular_list(), _circular_dict(), _deep(100_000),
    ],
    ids=["surrogate-value", "surrogate-key", "surrogate-in-list", "nan", "infinity",
         "minus-infinity", "beyond-2**53", "object", "bytes", "set", "circular-list",
         "circular-dict", "too-deep"],
)
def test_what_is_not_i_json_is_refused(value: Any) -> None:
    """Lone surrogates, NaN and infinities, integers JCS cannot hold, non-JSON objects,
    self-references and runaway nesting are refused, never approximated."""
    with pytest.raises(MalformedCredentialError):
        jcs.canonicalize(value)
