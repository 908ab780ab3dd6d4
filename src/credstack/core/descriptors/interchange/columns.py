"""CSV files of programmes, one a row; a column is a descriptor path with list indices and
language tags (``title.ja``, ``learning_outcomes[0].statement.en``)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from credstack.core.descriptors.interchange.documents import _Record
from credstack.core.descriptors.interchange.problems import format_path, refused
from credstack.errors import UnreadableInputError

_COLUMN_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _split_column(name: str) -> list[str | int]:
    parts: list[str | int] = []
    position = 0
    for match in _COLUMN_PART.finditer(name):
        if match.start() != position and name[position:match.start()] != ".":
            raise ValueError(name)
        key, index = match.groups()
        parts.append(int(index) if index is not None else key)
        position = match.end()
    if position != len(name) or not parts or isinstance(parts[0], int):
        raise ValueError(name)
    return parts


def column_letter(index: int) -> str:
    """The letter a spreadsheet shows for the column at ``index`` (0 → ``A``, 26 → ``AA``):
    how a person finds a cell of a CSV file."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _csv_records(text: str, source: str) -> list[_Record]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise refused(UnreadableInputError, "empty", where=source, source=source) from None
    except csv.Error as exc:
        raise refused(UnreadableInputError, "csv", where=f"{source}: row 1", source=source,
                      row=1, why=str(exc)) from None
    if not any(cell.strip() for cell in header):
        raise refused(UnreadableInputError, "csv_blank_header", where=f"{source}: row 1",
                      source=source)
    paths: list[list[str | int]] = []
    for column, name in enumerate(header):
        try:
            paths.append(_split_column(name.strip()))
        except ValueError:
            raise refused(UnreadableInputError, "csv_not_a_path",
                          where=f"{source}: row 1, column {column_letter(column)}",
                          source=source, column=column_letter(column), name=repr(name)
                          ) from None
    _check_columns(paths, header, source)
    where = {tuple(path): (column_letter(i), header[i].strip()) for i, path in enumerate(paths)}
    records: list[_Record] = []
    row_number = 1
    try:
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                extra = column_letter(len(header))
                raise refused(UnreadableInputError, "csv_cells",
                              where=f"{source}: row {row_number}, column {extra}",
                              source=source, row=row_number, cells=len(row),
                              columns=len(header), column=extra)
            moves: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}
            data = _unflatten(paths, row, moves)
            records.append(_Record(data, f"{source}: row {row_number}",
                                   _csv_locator(source, row_number, where, moves)))
    except csv.Error as exc:
        raise refused(UnreadableInputError, "csv", where=f"{source}: row {row_number + 1}",
                      source=source, row=row_number + 1, why=str(exc)) from None
    return records


def _check_columns(paths: Sequence[Sequence[str | int]], header: Sequence[str], source: str
                   ) -> None:
    """Refuse columns that cannot all hold a value: a path that is both a value and a
    container (``title``, ``title.ja``), both a list and a mapping, or given twice."""
    shapes: dict[tuple[str | int, ...], tuple[str, int]] = {}
    for column, path in enumerate(paths):
        for length in range(1, len(path) + 1):
            prefix = tuple(path[:length])
            if length == len(path):
                shape = "value"
            else:
                shape = "list" if isinstance(path[length], int) else "mapping"
            if prefix not in shapes:
                shapes[prefix] = (shape, column)
                continue
            seen, first = shapes[prefix]
            if seen != shape or shape == "value":
                name, other = header[column].strip(), header[first].strip()
                raise refused(UnreadableInputError, "csv_contradicts",
                              where=f"{source}: row 1, column {column_letter(column)}",
                              source=source, column=column_letter(column), name=repr(name),
                              first=column_letter(first), other=repr(other))


def _csv_locator(source: str, row: int, where: dict[tuple[str | int, ...], tuple[str, str]],
                 moves: dict[tuple[str | int, ...], tuple[str | int, ...]] | None = None) -> Any:
    def locate(loc: tuple[str | int, ...]) -> str:
        # Back from the closed-up list indices the model saw to the columns' own indices.
        for length in range(len(loc), 0, -1):
            if moves and loc[:length] in moves:
                loc = (*moves[loc[:length]], *loc[length:])
                break
        # The column itself, or the column of the nearest enclosing path that has one, or
        # else the first column below the path (e.g. a whole object that failed).
        for length in range(len(loc), 0, -1):
            if loc[:length] in where:
                letter, name = where[loc[:length]]
                return f"{source}: row {row}, column {letter} ({name})"
        below = [path for path in where if path[:len(loc)] == loc]
        if below:
            letter, name = where[below[0]]
            return f"{source}: row {row}, column {letter} ({name})"
        return f"{source}: row {row}, {format_path(loc)} (no such column)"
    return locate


def _unflatten(paths: Sequence[Sequence[str | int]], row: Sequence[str],
               moves: dict[tuple[str | int, ...], tuple[str | int, ...]] | None = None
               ) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for path, cell in zip(paths, row, strict=False):
        value = cell.strip()
        if not value:
            continue
        node: Any = root
        for part, following in zip(path, [*path[1:], None], strict=True):
            if following is None:
                _assign(node, part, value)
                break
            container: Any = [] if isinstance(following, int) else {}
            node = _child(node, part, container)
    compacted: dict[str, Any] = _compact(root, (), (), {} if moves is None else moves)
    return compacted


def _child(node: Any, part: str | int, empty: Any) -> Any:
    if isinstance(part, int):
        while len(node) <= part:
            node.append(None)
        if node[part] is None:
            node[part] = empty
        return node[part]
    return node.setdefault(part, empty)


def _assign(node: Any, part: str | int, value: str) -> None:
    if isinstance(part, int):
        while len(node) <= part:
            node.append(None)
    node[part] = value


def _compact(value: Any, new: tuple[str | int, ...], old: tuple[str | int, ...],
             moves: dict[tuple[str | int, ...], tuple[str | int, ...]]) -> Any:
    """Drop list holes left by empty cells (``languages[1]`` empty, ``languages[2]`` set),
    noting in ``moves`` where each moved item was (new path → old path)."""
    if isinstance(value, dict):
        return {k: _compact(v, (*new, k), (*old, k), moves) for k, v in value.items()}
    if isinstance(value, list):
        kept: list[Any] = []
        for index, item in enumerate(value):
            if item is None:
                continue
            position = len(kept)
            if position != index:
                moves[(*new, position)] = (*old, index)
            kept.append(_compact(item, (*new, position), (*old, index), moves))
        return kept
    return value


def _csv_text(programmes: Sequence[dict[str, Any]]) -> str:
    """Programme documents as CSV: a column for every path any of them has a value at."""
    rows = [_flatten(programme) for programme in programmes]
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    # CRLF (RFC 4180) also makes the writer quote a bare "\r" inside a cell, which with
    # "\n" alone it leaves bare on Python 3.11, splitting the row when read back.
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            flat.update(_flatten(item, f"{prefix}[{index}]"))
    elif isinstance(value, bool):
        flat[prefix] = "true" if value else "false"
    elif value is not None:
        flat[prefix] = str(value)
    return flat
