"""YAML and JSON files: their records, refusing a key given twice, and the line each
problem is on."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml

from credstack.core import yamltext
from credstack.core.descriptors.interchange.documents import Format, _Record
from credstack.core.descriptors.interchange.elm import _elm_records
from credstack.core.descriptors.interchange.exchange import (
    _achievement_records,
    _ctdl_records,
    exchange_format,
)
from credstack.core.descriptors.interchange.problems import format_path, kind_of, refused
from credstack.errors import CredstackError, DescriptorError, UnreadableInputError


def _load_json(text: str, source: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _RepeatedKeyError as exc:
        raise refused(UnreadableInputError, "json_key_twice", where=source, source=source,
                      key=repr(exc.key)) from None
    except json.JSONDecodeError as exc:
        raise refused(UnreadableInputError, "json", source=source, line=exc.lineno,
                      column=exc.colno, why=exc.msg,
                      where=f"{source}: line {exc.lineno}, column {exc.colno}") from None


def _empty(source: str) -> CredstackError:
    return refused(UnreadableInputError, "empty", where=source, source=source)


def _tree_records(text: str, fmt: Format, source: str) -> tuple[list[_Record], list[_Record]]:
    node: yaml.Node | None = None
    if fmt in {Format.JSON, Format.CTDL, Format.OB3, Format.ELM}:
        data = _load_json(text, source)
        if data is None:
            raise _empty(source)
        if fmt is Format.JSON:
            fmt = exchange_format(data) or fmt
        if fmt is Format.CTDL:
            return _ctdl_records(data, source)
        if fmt is Format.OB3:
            return [], _achievement_records(data, source)
        if fmt is Format.ELM:
            return _elm_records(data, source)
    else:
        try:
            node, data = yamltext.load_checked(text, _check_unique_keys)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            why = exc.problem or exc.context
            if mark is None:
                raise refused(UnreadableInputError, "yaml_marked", where=source,
                              source=source, why=why) from None
            line, column = mark.line + 1, mark.column + 1
            raise refused(UnreadableInputError, "yaml_at", source=source, line=line,
                          column=column, why=why,
                          where=f"{source}: line {line}, column {column}") from None
        except yaml.YAMLError as exc:
            raise refused(UnreadableInputError, "yaml", where=source, source=source,
                          why=str(exc)) from None
    if data is None:
        raise _empty(source)

    def records(items: Any, key: str | None) -> list[_Record]:
        if not isinstance(items, list):
            raise refused(DescriptorError, "not_a_list", where=f"{source}: {key}",
                          source=source, key=key, kind=kind_of(items))
        out = []
        for index, item in enumerate(items):
            prefix: tuple[str | int, ...] = (key, index) if key else (index,)
            label = f"{source}: {format_path(prefix)}"
            out.append(_Record(item, label, _tree_locator(source, prefix, node)))
        return out

    if isinstance(data, list):
        return [], records(data, None)
    if not isinstance(data, dict):
        raise refused(UnreadableInputError, "not_descriptors", where=source, source=source,
                      kind=kind_of(data))
    if "programmes" in data or "organisations" in data:
        unknown = set(data) - {"programmes", "organisations"}
        if unknown:
            raise refused(DescriptorError, "top_level_keys", source=source,
                          keys=str(sorted(unknown)),
                          where=[f"{source}: {key}" for key in unknown])
        return (records(data.get("organisations", []), "organisations"),
                records(data.get("programmes", []), "programmes"))
    return [], [_Record(data, source, _tree_locator(source, (), node))]


class _RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (``json`` would keep the last silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _RepeatedKeyError(key)
        out[key] = value
    return out


def _check_unique_keys(root: yaml.Node | None) -> None:
    """Refuse a key given twice in one YAML mapping (PyYAML would keep the last silently)."""
    stack = [root] if root is not None else []
    visited: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in visited:  # an alias to a node already checked
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in keys:
                        raise yaml.MarkedYAMLError(
                            problem=f"the key {key_node.value!r} is given more than once "
                            "in one mapping",
                            problem_mark=key_node.start_mark,
                        )
                    keys.add(key_node.value)
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _tree_locator(source: str, prefix: tuple[str | int, ...], root: yaml.Node | None) -> Any:
    def locate(loc: tuple[str | int, ...]) -> str:
        full = (*prefix, *loc)
        line = _line_of(root, full) if root is not None else None
        where = f" (line {line})" if line else ""
        path = format_path(full)
        return f"{source}: {path}{where}" if path else f"{source}{where}"
    return locate


def _line_of(node: yaml.Node, path: Sequence[str | int]) -> int | None:
    """The line where the deepest existing part of ``path`` is, in a composed YAML tree."""
    line = node.start_mark.line + 1
    for part in path:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == part:
                    child = value_node
                    line = key_node.start_mark.line + 1
                    break
        elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
              and 0 <= part < len(node.value)):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line
