"""The references a JSON Schema makes (``$ref``, ``$recursiveRef``, ``$dynamicRef``).

``scripts/refresh_schemas.py`` refuses a refreshed schema with a reference that leaves the
bundle, and the tests check the same of the bundle credstack ships: both walk a schema with
:func:`schema_references`, so that validating against it can never need the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

__all__ = ["schema_references"]

_REFERENCE_KEYWORDS = ("$ref", "$recursiveRef", "$dynamicRef")
#: Keywords whose value is instance data, not a schema: never searched for references.
_DATA_KEYWORDS = frozenset({"const", "enum", "examples", "default"})
#: Keywords whose value maps names to schemas.
_NAME_KEYWORDS = frozenset({
    "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
})


def schema_references(document: Any, base: str, *, names: bool = False
                      ) -> Iterator[tuple[str, str]]:
    """Every reference in a schema as ``(keyword value, base URI it resolves against)``,
    nested ``$id``\\ s applied.

    ``names`` marks an object whose keys are names (``properties``, ``$defs``…), not keywords.
    """
    if isinstance(document, dict):
        identifier = None if names else document.get("$id")
        if isinstance(identifier, str):
            base = urljoin(base, identifier)
        for key, value in document.items():
            if names:
                yield from schema_references(value, base)
            elif key in _REFERENCE_KEYWORDS and isinstance(value, str):
                yield value, base
            elif key not in _DATA_KEYWORDS:
                yield from schema_references(value, base, names=key in _NAME_KEYWORDS)
    elif isinstance(document, list):
        for item in document:
            yield from schema_references(item, base)
