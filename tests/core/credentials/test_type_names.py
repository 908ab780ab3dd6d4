"""A ``type`` value is one string or a list of them (VC Data Model 2.0 §4.5); what is not a
string names no type."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from credstack.core.credentials.type_names import type_names


def test_one_string_is_one_type() -> None:
    assert type_names("VerifiableCredential") == ("VerifiableCredential",)


def test_a_list_gives_its_strings_in_order_and_skips_the_rest() -> None:
    assert type_names(["VerifiableCredential", 7, None, {"id": "x"}, "OpenBadgeCredential"]
                      ) == ("VerifiableCredential", "OpenBadgeCredential")


def test_anything_else_names_no_type() -> None:
    for value in (None, 3, {"type": "VerifiableCredential"}, ("VerifiableCredential",)):
        assert type_names(value) == ()


@given(st.lists(st.one_of(st.text(), st.integers(), st.none())))
def test_every_string_of_a_list_is_kept(values: list[object]) -> None:
    assert type_names(values) == tuple(v for v in values if isinstance(v, str))
