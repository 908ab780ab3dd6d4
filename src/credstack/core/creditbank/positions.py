"""Rule files as data with the position of every value, for errors that say where.

:func:`read_tree` parses YAML or JSON text (JSON is read as the YAML it is) into plain data
and a :class:`Positions` map from each value's JSON pointer (RFC 6901) to its line and
column. :class:`Faults` collects problems placed as ``file:line:column /pointer``, each a
code with its values (``creditbank.ws.fault.<name>``, worded by the entrypoint that shows it),
and raises them together as one
:class:`~credstack.errors.PathwayError`, so that a rule file's author sees every fault at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from credstack.core import yamltext
from credstack.errors import PathwayError, Problem

__all__ = ["FAULT", "Faults", "Positions", "pointer", "read_tree"]

#: The message keys of a rule file's faults begin so.
FAULT = "creditbank.ws.fault."


def pointer(*parts: str | int) -> str:
    """The JSON pointer of ``parts``: ``pointer("requirements", 2, "after")`` →
    ``/requirements/2/after``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


@dataclass(frozen=True, slots=True)
class Positions:
    """Where each value of a parsed file stands: pointer → (line, column), both from 1."""

    source: str
    at: dict[str, tuple[int, int]] = field(default_factory=dict)

    def locate(self, where: str) -> str:
        """``file:line:column /pointer``; the nearest enclosing value's position when
        ``where`` itself has none (a missing key is placed at its mapping)."""
        probe = where
        while probe and probe not in self.at:
            probe = probe.rsplit("/", 1)[0]
        line, column = self.at.get(probe, (1, 1))
        return f"{self.source}:{line}:{column} {where or '/'}"


def read_tree(text: str, source: str) -> tuple[Any, Positions]:
    """The data of a YAML or JSON document and the position of each of its values."""
    positions = Positions(source)
    try:
        _, data = yamltext.load_checked(text, lambda node: _walk(node, "", positions.at))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        # The parser's own account of the fault is in English, as PyYAML words it.
        raise PathwayError(
            code=f"{FAULT}unreadable", params={"place": place,
                                                "fault": str(exc.problem or exc.context)},
            problems=[Problem(place, str(exc.problem or exc.context))]) from None
    if data is None:
        raise PathwayError(code=f"{FAULT}empty_file", params={"source": source},
                           problems=[Problem(source, code=f"{FAULT}empty")])
    return data, positions


def _walk(node: yaml.Node, where: str, at: dict[str, tuple[int, int]]) -> None:
    at[where] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"the key {key!r} is given twice in one mapping",
                    problem_mark=key_node.start_mark)
            seen.add(key)
            _walk(value_node, f"{where}{pointer(key)}", at)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, f"{where}/{index}", at)


@dataclass(slots=True)
class Faults:
    """The problems found in one file, each placed by :meth:`Positions.locate`."""

    positions: Positions
    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, fault: str, **params: object) -> None:
        """The fault ``creditbank.ws.fault.<fault>`` at ``where``, with its values."""
        self.problems.append(Problem(self.positions.locate(where), code=FAULT + fault,
                                     params=params))

    def raise_if_any(self, what: str) -> None:
        """Raise the faults found in the file (``what``: ``pathway_file``, …), if any."""
        if self.problems:
            raise PathwayError(code=FAULT + what, params={
                "source": self.positions.source, "count": len(self.problems)},
                problems=self.problems)
