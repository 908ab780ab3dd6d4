"""Qualification levels read across frameworks: the crosswalk, as data with its sources.

``core/descriptors/level_crosswalk.yaml`` lists six frameworks (JEQF — the Japanese Educational
Qualifications Framework —, EQF, AQF, MQF, NZQF and the ASEAN Qualifications Reference
Framework), and edges between their levels, each naming its source and whether that source
still needs checking. :func:`read_level` answers "what is EQF 6 in AQF?" with every level an
edge or a chain of at most :data:`MAX_HOPS` edges reaches, nearest first, each reading citing
its sources: a reader in Kuala Lumpur sees a Japanese programme's level as MQF, one in Sydney
as AQF, with the basis shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

from credstack.core import yamltext
from credstack.core.types import whole_number
from credstack.errors import InputError, Problem

__all__ = [
    "Crosswalk",
    "Edge",
    "Reading",
    "Source",
    "crosswalk",
    "parse_level",
    "read_level",
]

#: The longest chain of edges a reading follows.
MAX_HOPS: Final = 3
_RELATIONS: Final = frozenset({"comparable", "indicative"})


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    cite: str
    #: Not yet compared line by line with the published report.
    check: bool
    #: Why it is still to be checked (``en``, ``ja``); empty for a checked source.
    reason: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Edge:
    one: str
    other: str
    relation: str
    source: Source


@dataclass(frozen=True, slots=True)
class Reading:
    """A level in the reader's framework, and the edges it was read through."""

    framework: str
    level: int
    #: ``comparable`` when every edge is; ``indicative`` otherwise.
    relation: str
    via: tuple[Edge, ...]
    #: The levels read through, from the stated one to this one (``JEQF-6``, ``EQF-6``, …).
    path: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return f"{self.framework}-{self.level}"

    @property
    def direct(self) -> bool:
        return len(self.via) == 1

    @property
    def needs_checking(self) -> bool:
        return any(edge.source.check for edge in self.via)

    def to_dict(self) -> dict[str, Any]:
        return {"framework": self.framework, "level": self.level, "relation": self.relation,
                "direct": self.direct, "needs_checking": self.needs_checking,
                "path": list(self.path),
                "via": [{"from": edge.one, "to": edge.other, "relation": edge.relation,
                         "source": edge.source.cite, "check": edge.source.check,
                         "reason": dict(edge.source.reason)}
                        for edge in self.via]}


@dataclass(frozen=True, slots=True)
class Crosswalk:
    names: Mapping[str, Mapping[str, str]]
    ranges: Mapping[str, tuple[int, int]]
    sources: Mapping[str, Source]
    edges: tuple[Edge, ...]

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(self.names)


def parse_level(code: str, known: Crosswalk | None = None) -> tuple[str, int]:
    """``"EQF-6"`` → ``("EQF", 6)``, checked against the crosswalk's frameworks."""
    table = known or crosswalk()
    framework, _, number = code.rpartition("-")
    low, high = table.ranges.get(framework, (1, 0))
    level = whole_number(number, most=high)
    if level is None or level < low:
        raise InputError(f"{code!r} is not a level of a known framework",
                         problems=[Problem("level", f"{code!r}: use one of "
                                           f"{', '.join(table.frameworks)} with its level, "
                                           "e.g. EQF-6 / 例: EQF-6")])
    return framework, level


def _load(data: Mapping[str, Any]) -> Crosswalk:
    names = {key: dict(value["name"]) for key, value in data["frameworks"].items()}
    ranges = {key: (int(value["levels"][0]), int(value["levels"][1]))
              for key, value in data["frameworks"].items()}
    sources = {key: Source(key, " ".join(str(value["cite"]).split()), bool(value.get("check")),
                           dict(value.get("reason") or {}))
               for key, value in data["sources"].items()}
    for source in sources.values():
        if source.check and not {"en", "ja"} <= source.reason.keys():
            raise ValueError(f"crosswalk source {source.id}: to be checked, but no reason given")
    edges = []
    for one, other, relation, source in data["edges"]:
        if relation not in _RELATIONS or source not in sources:
            raise ValueError(f"crosswalk edge {one}–{other}: bad relation or unknown source")
        edges.append(Edge(one, other, relation, sources[source]))
    table = Crosswalk(names, ranges, sources, tuple(edges))
    for edge in table.edges:
        parse_level(edge.one, table)
        parse_level(edge.other, table)
    return table


@cache
def crosswalk() -> Crosswalk:
    """The bundled crosswalk (``core/descriptors/level_crosswalk.yaml``)."""
    text = resources.files("credstack.core.descriptors").joinpath(
        "level_crosswalk.yaml").read_text(encoding="utf-8")
    return _load(yamltext.load(text))


def read_level(framework: str, level: int, target: str,
               table: Crosswalk | None = None) -> tuple[Reading, ...]:
    """The levels of ``target`` that ``framework`` ``level`` reads as, nearest first (one
    edge before two; comparable before indicative); the level itself when ``target`` is its
    own framework; empty when no chain of :data:`MAX_HOPS` edges reaches ``target``."""
    known = table or crosswalk()
    start = f"{framework}-{level}"
    if framework == target:
        return (Reading(framework, level, "comparable", ()),)
    neighbours: dict[str, list[tuple[str, Edge]]] = {}
    for edge in known.edges:
        neighbours.setdefault(edge.one, []).append((edge.other, edge))
        neighbours.setdefault(edge.other, []).append((edge.one, edge))
    found: dict[str, Reading] = {}
    paths: list[tuple[str, tuple[Edge, ...], tuple[str, ...]]] = [(start, (), (start,))]
    for _ in range(MAX_HOPS):
        following: list[tuple[str, tuple[Edge, ...], tuple[str, ...]]] = []
        for node, via, nodes in paths:
            for other, edge in neighbours.get(node, ()):
                if other in nodes:
                    continue
                chain, walked = (*via, edge), (*nodes, other)
                name, _, number = other.rpartition("-")
                if name == target:
                    relation = "comparable" if all(e.relation == "comparable"
                                                   for e in chain) else "indicative"
                    found.setdefault(other, Reading(name, int(number), relation, chain, walked))
                elif name != framework:
                    following.append((other, chain, walked))
        paths = following
        if found:
            break
    return tuple(sorted(found.values(),
                        key=lambda r: (len(r.via), r.relation != "comparable", r.level)))
