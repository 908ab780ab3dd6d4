"""Reading parsed JSON the way every verification pipeline does (credentials, presentations,
Open Badges 2.0): sets as lists, nesting depth with a limit, and the credstack error behind
an exception that a library wrapped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from credstack.errors import CredstackError

__all__ = ["MAX_DEPTH", "credstack_cause", "depth", "items"]

#: The deepest nesting of objects and arrays a verified document may have.
MAX_DEPTH: Final = 64


def items(value: object) -> list[Any]:
    """A JSON-LD set as a list: one value or an array of values."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def depth(value: Any) -> int:
    """How deeply parsed JSON (objects and arrays) nests, stopping past :data:`MAX_DEPTH`."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, Mapping | list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            children = item.values() if isinstance(item, Mapping) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def credstack_cause(error: BaseException) -> CredstackError | None:
    """The CredstackError behind an exception (PyLD wraps the loader's errors in its own)."""
    seen: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and all(cause is not other for other in seen):
        if isinstance(cause, CredstackError):
            return cause
        seen.append(cause)
        cause = cause.__cause__ or cause.__context__
    return None
