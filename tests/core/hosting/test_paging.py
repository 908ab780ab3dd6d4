"""getCredentials paging: limit and offset read and checked, the Link header's relations."""

from __future__ import annotations

import pytest

from credstack.core.hosting.paging import DEFAULT_LIMIT, Window, links, window
from credstack.errors import InputError


def test_defaults_and_given_values():
    assert window(None, None) == Window(DEFAULT_LIMIT, 0)
    assert window("5", "10") == Window(5, 10)


@pytest.mark.parametrize(("limit", "offset", "named"), [("0", None, "limit"),
                                                         ("101", None, "limit"),
                                                         ("x", None, "limit"),
                                                         (None, "-1", "offset"),
                                                         # Digits int() does not read (a 500
                                                         # of the fuzz, issue 55).
                                                         ("\u00b3", None, "limit"),
                                                         (None, "\u0663", "offset"),
                                                         (None, "9" * 5000, "offset")])
def test_out_of_range_values_are_named(limit, offset, named):
    with pytest.raises(InputError) as raised:
        window(limit, offset)
    assert raised.value.problems[0].location == named


def test_links_name_first_last_and_neighbours():
    """first and last always; next while more follow; prev after the first page; other
    parameters kept."""
    middle = links("https://h/c", Window(2, 2), 5, keep={"since": "2026-01-01"})
    assert '<https://h/c?since=2026-01-01&limit=2&offset=4>; rel="next"' in middle
    assert 'offset=4>; rel="last"' in middle and 'offset=0>; rel="first"' in middle
    assert 'offset=0>; rel="prev"' in middle
    only = links("https://h/c", Window(10, 0), 3)
    assert "next" not in only and "prev" not in only and 'offset=0>; rel="last"' in only
    assert 'offset=0>; rel="last"' in links("https://h/c", Window(10, 0), 0)
