"""A programme's level read in the reader's qualifications framework (issue 17).

The programme states its levels (``levels``: JEQF, EQF, AQF, MQF, NZQF); a reader in Kuala
Lumpur asks for MQF, one in Sydney for AQF. Each stated level is read through the crosswalk
(:mod:`credstack.core.skills.levels`), every reading with the edges and sources it rests on,
and those not yet checked against their source marked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from credstack.core.skills.levels import Reading, crosswalk, read_level
from credstack.errors import InputError, Problem

__all__ = ["LevelReading", "frameworks", "levels_in"]


@dataclass(frozen=True, slots=True)
class LevelReading:
    """One stated level and what it reads as in the reader's framework."""

    framework: str
    level: int
    target: str
    readings: tuple[Reading, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"stated": {"framework": self.framework, "level": self.level},
                "in": self.target, "readings": [r.to_dict() for r in self.readings]}


def frameworks() -> Mapping[str, Mapping[str, str]]:
    """The frameworks a reader may choose, with their names."""
    return crosswalk().names


def levels_in(document: Mapping[str, Any], target: str) -> list[LevelReading]:
    """Each level ``document`` (a programme's descriptors) states, read in ``target``."""
    if target not in crosswalk().names:
        raise InputError(f"{target!r} is not a framework credstack reads levels in.",
                         problems=[Problem("framework", ", ".join(crosswalk().names))])
    stated: Sequence[Any] = document.get("levels") or ()
    found = []
    for level in stated:
        if isinstance(level, Mapping) and isinstance(level.get("framework"), str) \
                and isinstance(level.get("level"), int):
            found.append(LevelReading(level["framework"], level["level"], target,
                                      read_level(level["framework"], level["level"], target)))
    return found
