"""Reading and writing descriptor documents as YAML, JSON and CSV.

Everything here works on text already in memory (the CLI and web adapters do the file and
network I/O and enforce size limits first). Reading is all-or-nothing: every bad record is
reported — by position, line or row and column — and a file with any bad record yields no
documents at all, so that an import never half-happens.

File shapes accepted (YAML and JSON alike):

* one programme: a mapping with ``code``;
* a list of programmes;
* a bundle: ``{"organisations": [...], "programmes": [...]}``.

CSV holds programmes only, one per row; a column is a descriptor path with list indices and
language tags, e.g. ``title.ja``, ``learner_effort.hours``,
``learning_outcomes[0].statement.en``; an empty cell is an absent value.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from credstack.core.bulk import collector_paused
from credstack.core.descriptors.models import AwardedMicroCredential, Programme
from credstack.core.organisations import Organisation
from credstack.errors import (
    DescriptorError,
    InputTooLargeError,
    Problem,
    UnreadableInputError,
)

M = TypeVar("M", bound=BaseModel)

#: The largest document credstack reads in one go. A file of 100,000 typical programmes is
#: about 275 MB of JSON; reading holds the decoded file and its models in memory at once
#: (about 4 GB at that size), so this is also a memory bound.
MAX_INPUT_BYTES = 512 * 1024 * 1024


class Format(StrEnum):
    YAML = "yaml"
    JSON = "json"
    CSV = "csv"

    @classmethod
    def from_filename(cls, name: str) -> Format:
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        formats = {"yaml": cls.YAML, "yml": cls.YAML, "json": cls.JSON, "csv": cls.CSV}
        if suffix not in formats:
            raise UnreadableInputError(
                f"Cannot tell the format of {name!r} from its name; "
                "use .yaml, .yml, .json or .csv, or name the format explicitly."
            )
        return formats[suffix]


@dataclass(frozen=True, slots=True)
class Documents:
    """What one file holds, fully parsed."""

    organisations: tuple[Organisation, ...] = ()
    programmes: tuple[Programme, ...] = ()


@dataclass(slots=True)
class _Record:
    """One raw record and how to name a place inside it for a person."""

    data: Any
    label: str
    locate: Any = field(default=None)  # Callable[[tuple[str | int, ...]], str]


# --- reading ---------------------------------------------------------------------------



@collector_paused
def read_documents(text: str | bytes, fmt: Format, *, source: str = "input") -> Documents:
    """Parse a whole file; raise with every problem found, or return every document."""
    size = len(text)
    if isinstance(text, str) and size * 4 > MAX_INPUT_BYTES:
        # Characters are up to four bytes in UTF-8; count the bytes only when it matters.
        size = len(text.encode("utf-8"))
    if size > MAX_INPUT_BYTES:
        raise InputTooLargeError(
            f"{source} is {size:,} bytes; at most {MAX_INPUT_BYTES:,} can be read at once."
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableInputError(
                f"{source} is not UTF-8 text (byte {exc.start} cannot be decoded)."
            ) from None
    if fmt is Format.CSV:
        organisations: list[_Record] = []
        programmes = _csv_records(text, source)
    else:
        organisations, programmes = _tree_records(text, fmt, source)
    return _parse_records(organisations, programmes, source)


def parse_programme(data: Any, *, source: str = "programme") -> Programme:
    """One programme (or awarded micro-credential) from already-decoded JSON data."""
    documents = _parse_records([], [_Record(data, source, _json_locator(source))], source)
    return documents.programmes[0]


def parse_organisation(data: Any, *, source: str = "organisation") -> Organisation:
    documents = _parse_records([_Record(data, source, _json_locator(source))], [], source)
    return documents.organisations[0]


def _parse_records(
    organisations: Sequence[_Record], programmes: Sequence[_Record], source: str
) -> Documents:
    problems: list[Problem] = []
    parsed_orgs = [o for o in (_parse(Organisation, r, problems) for r in organisations) if o]
    parsed_programmes: list[Programme] = []
    seen: dict[tuple[str, str], str] = {}
    for record in programmes:
        model: type[Programme] = (
            AwardedMicroCredential
            if isinstance(record.data, dict) and "award" in record.data
            else Programme
        )
        programme = _parse(model, record, problems)
        if programme is None:
            continue
        body = programme.awarding_body.id if programme.awarding_body else ""
        key = (body, programme.code)
        if key in seen:
            problems.append(Problem(record.label, f"programme {programme.code!r} of "
                                    f"{body or 'no awarding body'} is also at {seen[key]}"))
        seen[key] = record.label
        parsed_programmes.append(programme)
    if problems:
        count = len(problems)
        raise DescriptorError(
            f"{source}: {count} problem{'s' if count != 1 else ''}; nothing was read.",
            problems=problems,
        )
    return Documents(tuple(parsed_orgs), tuple(parsed_programmes))


def _parse(model: type[M], record: _Record, problems: list[Problem]) -> M | None:
    if not isinstance(record.data, dict):
        problems.append(Problem(record.label, f"expected a mapping of descriptors, found "
                                f"{_kind(record.data)}"))
        return None
    try:
        return model.model_validate(record.data)
    except ValidationError as exc:
        problems.extend(describe_validation_errors(exc.errors(include_url=False), record.locate))
        return None


def describe_validation_errors(
    errors: Iterable[Any], locate: Callable[[tuple[str | int, ...]], str]
) -> list[Problem]:
    """Pydantic's errors as problems a person can act on, placed by ``locate``."""
    return [
        Problem(locate(tuple(part for part in error["loc"] if part != "root")), _message(error))
        for error in errors
    ]


def _message(error: Any) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, _known_keys(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown descriptor key {key!r}{hint}"
    if kind == "missing":
        return "this key is required"
    message = str(message).removeprefix("Value error, ")
    value = error.get("input")
    if kind not in {"model_type", "dict_type"} and isinstance(value, str | int | float):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…"
        message = f"{message} (got {shown})"
    return message


@cache
def _known_keys() -> list[str]:
    """Every key any document may use, for "did you mean" hints."""
    keys: set[str] = set()

    def walk(model: type[BaseModel]) -> None:
        for name, info in model.model_fields.items():
            if name in keys:
                continue
            keys.add(name)
            for arg in _model_args(info.annotation):
                walk(arg)

    walk(AwardedMicroCredential)
    walk(Organisation)
    return sorted(keys)


def _model_args(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _model_args(arg)


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number",
            type(None): "nothing", bool: "true/false"}.get(type(value), type(value).__name__)


def format_path(loc: Sequence[str | int]) -> str:
    """``("learning_outcomes", 0, "statement")`` → ``learning_outcomes[0].statement``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _json_locator(label: str) -> Any:
    def locate(loc: tuple[str | int, ...]) -> str:
        path = format_path(loc)
        return f"{label}: {path}" if path else label
    return locate


def _tree_records(text: str, fmt: Format, source: str) -> tuple[list[_Record], list[_Record]]:
    node: yaml.Node | None = None
    if fmt is Format.JSON:
        try:
            data = json.loads(text, object_pairs_hook=_unique_keys)
        except _RepeatedKeyError as exc:
            raise UnreadableInputError(
                f"{source}: not valid JSON: the key {exc.key!r} is given more than once "
                "in one object."
            ) from None
        except json.JSONDecodeError as exc:
            raise UnreadableInputError(
                f"{source}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
            ) from None
    else:
        try:
            loader = yaml.SafeLoader(text)
            try:
                node = loader.get_single_node()
                _check_unique_keys(node)
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise UnreadableInputError(
                f"{source}: not valid YAML{where}: {exc.problem or exc.context}."
            ) from None
        except yaml.YAMLError as exc:
            raise UnreadableInputError(f"{source}: not valid YAML: {exc}.") from None
    if data is None:
        raise UnreadableInputError(f"{source} is empty.")

    def records(items: Any, key: str | None) -> list[_Record]:
        if not isinstance(items, list):
            raise DescriptorError(
                f"{source}: {key} must be a list, found {_kind(items)}.",
                problems=[Problem(f"{source}: {key}", f"expected a list, found {_kind(items)}")],
            )
        out = []
        for index, item in enumerate(items):
            prefix: tuple[str | int, ...] = (key, index) if key else (index,)
            label = f"{source}: {format_path(prefix)}"
            out.append(_Record(item, label, _tree_locator(source, prefix, node)))
        return out

    if isinstance(data, list):
        return [], records(data, None)
    if not isinstance(data, dict):
        raise UnreadableInputError(f"{source} holds {_kind(data)}, not programme descriptors.")
    if "programmes" in data or "organisations" in data:
        unknown = set(data) - {"programmes", "organisations"}
        if unknown:
            raise DescriptorError(
                f"{source}: unknown top-level key(s) {sorted(unknown)}; "
                "a bundle has only 'organisations' and 'programmes'.",
                problems=[Problem(f"{source}: {key}", "unknown top-level key") for key in unknown],
            )
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


def _column_letter(index: int) -> str:
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
        raise UnreadableInputError(f"{source} is empty.") from None
    except csv.Error as exc:
        raise UnreadableInputError(f"{source}: row 1 is not valid CSV: {exc}.") from None
    if not any(cell.strip() for cell in header):
        raise UnreadableInputError(f"{source}: row 1 is blank; it must name the columns.")
    paths: list[list[str | int]] = []
    for column, name in enumerate(header):
        try:
            paths.append(_split_column(name.strip()))
        except ValueError:
            raise UnreadableInputError(
                f"{source}: row 1, column {_column_letter(column)}: {name!r} is not a "
                "descriptor path (e.g. title.ja, learning_outcomes[0].statement.en)."
            ) from None
    _check_columns(paths, header, source)
    where = {tuple(path): (_column_letter(i), header[i].strip()) for i, path in enumerate(paths)}
    records: list[_Record] = []
    row_number = 1
    try:
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise UnreadableInputError(
                    f"{source}: row {row_number} has {len(row)} cells but the header has "
                    f"{len(header)} columns (first extra cell in column "
                    f"{_column_letter(len(header))})."
                )
            moves: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}
            data = _unflatten(paths, row, moves)
            records.append(_Record(data, f"{source}: row {row_number}",
                                   _csv_locator(source, row_number, where, moves)))
    except csv.Error as exc:
        raise UnreadableInputError(
            f"{source}: row {row_number + 1} is not valid CSV: {exc}."
        ) from None
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
                raise UnreadableInputError(
                    f"{source}: row 1, column {_column_letter(column)}: "
                    f"{header[column].strip()!r} contradicts column {_column_letter(first)} "
                    f"({header[first].strip()!r})."
                )


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


# --- writing ---------------------------------------------------------------------------


def write_documents(documents: Documents, fmt: Format) -> str:
    """Serialise documents so that reading them back gives equal models."""
    organisations = [o.to_document() for o in documents.organisations]
    programmes = [p.to_document() for p in documents.programmes]
    if fmt is Format.JSON:
        bundle = {"organisations": organisations, "programmes": programmes}
        return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    if fmt is Format.YAML:
        bundle = {"organisations": organisations, "programmes": programmes}
        return str(yaml.safe_dump(bundle, allow_unicode=True, sort_keys=False, width=100))
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
