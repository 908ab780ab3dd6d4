"""Reading JSON strictly: the nesting depth a verifier measures before it trusts a document."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.core.said import Said
from credstack.core.verification.checks import Refusal
from credstack.core.verification.json_values import MAX_DEPTH, depth, lenient_loads, strict_loads
from credstack.words import words

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=3), children, max_size=4),
    max_leaves=40)


def nesting(value: Any) -> int:
    """The definition: a container is one level deeper than its deepest child."""
    if isinstance(value, Mapping):
        return 1 + max((nesting(child) for child in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((nesting(child) for child in value), default=0)
    return 0


def nested(levels: int) -> Any:
    value: Any = "leaf"
    for level in range(levels):
        value = [value] if level % 2 else {"a": value}
    return value


@given(JSON)
def test_depth_is_how_deeply_objects_and_arrays_nest(value: Any) -> None:
    assert depth(value) == nesting(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("text", 0), (None, 0), ({}, 1), ([], 1), ({"a": []}, 2), ([{"a": [1]}], 3),
    (MappingProxyType({"a": {"b": 1}}), 2), ((1, 2), 0),
])
def test_depth_of_small_values(value: Any, expected: int) -> None:
    assert depth(value) == expected


def test_depth_stops_one_level_past_the_limit() -> None:
    assert depth(nested(MAX_DEPTH)) == MAX_DEPTH
    assert depth(nested(MAX_DEPTH + 1)) == MAX_DEPTH + 1
    assert depth(nested(10 * MAX_DEPTH)) == MAX_DEPTH + 1


def test_a_document_nested_past_the_limit_is_refused() -> None:
    """Refused as too deep, the refusal said as a code naming what was read and the limit."""
    what = Said("verification.subject.the", subject=Said("verification.subject.credential"))
    assert strict_loads(json.dumps(nested(MAX_DEPTH)), what) == nested(MAX_DEPTH)
    with pytest.raises(Refusal) as refused:
        strict_loads(json.dumps(nested(MAX_DEPTH + 1)), what)
    assert refused.value.code == "too-deep"
    assert refused.value.said is not None
    assert words(refused.value.said, "en") == (
        f"the credential is nested more than {MAX_DEPTH} levels deep")
    assert words(refused.value.said, "ja") == f"証明書の入れ子が深すぎます（上限 {MAX_DEPTH} 段）"


@pytest.mark.parametrize("text", [
    '{"a": [1, 2.5, "x", null, true]}', '{"big": 123456789012345678901234567890}',
    '{"a": NaN}', '{"a": 1, "a": 2}', b'{"bytes": "\xe6\x97\xa5"}',
    b'[18446744073709551616, -9223372036854775809, 0.12345678901234567891]',
    '"a string of 1234567890123456789 digits"', '[1234567890123456789, 123456789012345678]',
    '{"x": -99999999999999999999, "y": "\\ud800 lone"}', '["\ud800", 9223372036854775808]',
])
def test_a_first_look_reads_what_the_standard_library_reads(text: str | bytes) -> None:
    first, standard = lenient_loads(text), json.loads(text)
    assert json.dumps(first) == json.dumps(standard)  # the same values of the same types


@pytest.mark.parametrize("text", ["", "{", b"\xff{}", "[1,]"])
def test_a_first_look_refuses_what_the_standard_library_refuses(text: str | bytes) -> None:
    with pytest.raises(ValueError):
        lenient_loads(text)
