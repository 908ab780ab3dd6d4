"""Walking and comparing JSON trees.

Used by the mutation tests and by ``bench/mutations.py``, which change one value of a signed
credential at a time and check that nothing verifies afterwards.
"""

from __future__ import annotations

import json
from typing import Any

#: A place in a JSON tree: the keys and indexes that lead to it from the root.
Path = tuple[Any, ...]


def json_paths(value: Any, prefix: Path = ()) -> list[Path]:
    """Every place below ``value``, depth first (the root itself is not listed)."""
    found: list[Path] = [prefix] if prefix else []
    items = (value.items() if isinstance(value, dict)
             else enumerate(value) if isinstance(value, list) else ())
    for name, item in items:
        found += json_paths(item, (*prefix, name))
    return found


def json_containers(value: Any, prefix: Path = ()) -> list[Path]:
    """Every object and array below ``value`` (the root included), outside any ``@context``."""
    if not isinstance(value, dict | list) or "@context" in prefix:
        return []
    found = [prefix]
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for name, item in items:
        found += json_containers(item, (*prefix, name))
    return found


def value_at(document: Any, path: Path) -> Any:
    """The value at ``path`` in ``document``."""
    for step in path:
        document = document[step]
    return document


def _as_json_ld_reads_it(value: Any) -> Any:
    """A value as JSON-LD reads it: numbers by value, sets unordered, [x] the same as x."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, dict):
        return ("object", tuple(sorted((key, _as_json_ld_reads_it(item))
                                       for key, item in value.items())))
    items = sorted({json.dumps(_as_json_ld_reads_it(item)) for item in value})
    return json.loads(items[0]) if len(items) == 1 else ("set", tuple(items))


def same_to_json_ld(a: Any, b: Any) -> bool:
    """Whether JSON-LD reads ``a`` and ``b`` as the same value (so swapping them is no change)."""
    return json.dumps(_as_json_ld_reads_it(a)) == json.dumps(_as_json_ld_reads_it(b))
