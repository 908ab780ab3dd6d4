"""Positions in rule files: JSON pointers as RFC 6901 writes them, placed by line and column."""

from __future__ import annotations

from credstack.core.creditbank.positions import pointer, read_tree


def test_a_pointer_escapes_tilde_and_slash() -> None:
    """RFC 6901 §3: ``~`` is ``~0`` and ``/`` is ``~1``."""
    assert pointer("rules", "a/b~c", 0) == "/rules/a~1b~0c/0"


def test_a_missing_value_is_placed_at_its_nearest_enclosing_value() -> None:
    """A key that is absent is reported where its mapping stands."""
    _, positions = read_tree("a:\n  b: 1\n", "f.yaml")
    assert positions.locate("/a/b") == "f.yaml:2:6 /a/b"
    assert positions.locate("/a/missing") == "f.yaml:2:3 /a/missing"
