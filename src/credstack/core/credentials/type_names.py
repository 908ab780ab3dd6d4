"""The names in a ``type`` property, which VC Data Model 2.0 (§4.5) lets a document give as one
string or a list of them."""

from __future__ import annotations

__all__ = ["type_names"]


def type_names(value: object) -> tuple[str, ...]:
    """The strings of a ``type`` value, in order: one string, or the strings of a list (other
    entries are ignored; anything else names no type)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()
