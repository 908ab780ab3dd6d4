"""Request ids: which a client may choose, and how one is bound."""

from __future__ import annotations

import pytest

from credstack.services import requests


@pytest.mark.parametrize("value", ["a", "4f2c9a0e-5b6d-4e1f-8a7b-3c2d1e0f9a8b", "1-5f:x.y_z",
                                   "x" * 64])
def test_well_formed_ids_are_kept(value: str) -> None:
    assert requests.well_formed(value)


@pytest.mark.parametrize("value", [None, "", "x" * 65, "a b", "a\nb", "<script>", "ü"])
def test_ids_that_could_break_a_log_line_or_a_header_are_refused(value: str | None) -> None:
    assert not requests.well_formed(value)


def test_an_id_is_bound_for_its_block_only() -> None:
    """Inside the block it is the current id; before and after there is none."""
    assert requests.current() is None
    with requests.bound("outer"):
        with requests.bound("inner"):
            assert requests.current() == "inner"
        assert requests.current() == "outer"
    assert requests.current() is None
    assert requests.well_formed(requests.new_id())
