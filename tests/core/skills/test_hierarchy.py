"""Broader and narrower items, and cycles."""

from __future__ import annotations

from credstack.core.skills.hierarchy import ancestors, descendants, find_cycle


def test_a_cycle_is_found_and_shown_closed() -> None:
    """The cycle's nodes in order, the first repeated at the end."""
    assert find_cycle([("a", "b"), ("b", "c"), ("c", "a"), ("x", "a")]) == ["a", "b", "c", "a"]


def test_a_tree_has_no_cycle() -> None:
    """Shared parents are not cycles."""
    assert find_cycle([("a", "r"), ("b", "r"), ("c", "a"), ("c", "b")]) == []


def test_a_long_chain_does_not_exhaust_the_stack() -> None:
    """Deep hierarchies are walked without recursion."""
    edges = [(str(n), str(n + 1)) for n in range(50_000)]
    assert find_cycle(edges) == []


def test_ancestors_are_nearest_first_and_descendants_mirror_them() -> None:
    """A skill's broader skills, and a broad skill's narrower ones."""
    parents = {"leaf": ("mid",), "mid": ("top",), "other": ("top",)}
    assert ancestors("leaf", parents) == ("mid", "top")
    assert set(descendants("top", parents)) == {"mid", "other", "leaf"}


def test_ancestors_end_even_on_a_stored_cycle() -> None:
    """A cycle that got into stored data does not loop forever."""
    assert set(ancestors("a", {"a": ("b",), "b": ("a",)})) == {"b"}
