"""Placing a framework file's faults by line and column, found only when there are faults.

A valid package is parsed by the JSON decoder alone (orjson: a 10 MB package in a tenth of a
second). Finding where each value stands needs a parser that keeps positions (PyYAML reads
JSON as the YAML it is, :func:`credstack.core.creditbank.positions.read_tree`), which is a
hundred times slower; so positions are worked out only for a package that has faults, and
only when it is small enough (:data:`MAX_PLACED_BYTES`) — beyond that the JSON pointer alone
places each fault.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from credstack.core.creditbank.positions import read_tree
from credstack.errors import PathwayError, Problem

__all__ = ["MAX_PLACED_BYTES", "place_problems"]

#: Texts up to this size have their faults placed by line and column.
MAX_PLACED_BYTES: Final = 2_000_000


def place_problems(found: Sequence[tuple[str, str, Mapping[str, object]]], *,
                   text: str | None, source: str) -> list[Problem]:
    """``(JSON pointer, message key, parameters)`` as problems located
    ``source:line:column /pointer`` (``source /pointer`` when the text is absent or too large
    to place), each said by its key for the entrypoint to word."""
    positions = None
    if text is not None and len(text) <= MAX_PLACED_BYTES:
        try:
            _, positions = read_tree(text, source)
        except PathwayError:
            positions = None
    problems = []
    for where, code, params in found:
        location = positions.locate(where) if positions is not None \
            else f"{source} {where or '/'}"
        problems.append(Problem(location, code=code, params=params))
    return problems
