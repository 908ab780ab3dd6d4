"""What changed between two versions of a programme, descriptor by descriptor.

Both versions are flattened into their leaves — ``("title", "ja")``,
``("learning_outcomes", 1, "statement", "en")``, ``("learner_effort", "hours")`` — and every
leaf whose value differs is one :class:`Difference`: added, removed or changed. Lists are
compared item by item (an outcome inserted at the top shows as every later outcome changed,
which is what a reader comparing two printed versions would see too). Values are given as
the text a person reads: numbers as written, true/false as yes/no codes, lists of codes
joined.

Pure: the two documents are the stored versions' descriptors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from credstack.core.descriptors.models import Programme

__all__ = ["Difference", "DifferenceKind", "differences"]

Path = tuple[str | int, ...]


class DifferenceKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Difference:
    """One leaf that differs: its path, its value before and after (None when absent)."""

    path: Path
    before: str | None
    after: str | None

    @property
    def kind(self) -> DifferenceKind:
        if self.before is None:
            return DifferenceKind.ADDED
        if self.after is None:
            return DifferenceKind.REMOVED
        return DifferenceKind.CHANGED

    @property
    def descriptor(self) -> str:
        """The top-level key the leaf belongs to (``learner_effort``)."""
        return str(self.path[0])


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _is_scalar_list(value: list[Any]) -> bool:
    return all(not isinstance(item, dict | list) for item in value)


def _leaves(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        if _is_scalar_list(value):
            # Codes (languages, methods, fields): one value, read as a list.
            yield path, ", ".join(_scalar(item) for item in value)
        else:
            for index, item in enumerate(value):
                yield from _leaves(item, (*path, index))
    else:
        yield path, _scalar(value)


def differences(before: Programme, after: Programme) -> tuple[Difference, ...]:
    """Every leaf that differs between ``before`` and ``after``, in the order of the
    model's descriptors (``after``'s leaves first where both have them)."""
    old = dict(_leaves(before.to_document()))
    new = dict(_leaves(after.to_document()))
    order = list(new)
    order += [path for path in old if path not in new]
    fields = list(Programme.model_fields)

    def position(path: Path) -> tuple[int, int]:
        top = str(path[0])
        return (fields.index(top) if top in fields else len(fields), order.index(path))

    return tuple(Difference(path, old.get(path), new.get(path))
                 for path in sorted(order, key=position)
                 if old.get(path) != new.get(path))
