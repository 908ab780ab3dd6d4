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

Two exchange formats are JSON with a standard's shape (``.jsonld`` or ``.json`` files):

* ``ctdl`` — CTDL JSON-LD as the Credential Registry publishes it: a ``"@graph"`` of
  credential (or learning opportunity) and organisation nodes, or one node
  (:mod:`credstack.core.descriptors.ctdl`). A record is a node of the graph, named
  ``record 3 (@graph[2])``; nodes of other classes are passed over.
* ``ob3`` — Open Badges 3.0 ``Achievement`` objects: a list of them, or one (an
  ``OpenBadgeCredential`` is read as the achievement it awards). Achievements carry
  programmes only: their organisations must already be known where they are imported.

A JSON file whose content has the shape of either (a CTDL ``@context``, ``@graph`` or
``ceterms:`` keys; an OB 3.0 ``type``) is read as that format: descriptor documents never
have such keys, so the guess cannot misread one.
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
from credstack.core.descriptors import ctdl
from credstack.core.descriptors.achievement import (
    EXTENSION_PROPERTY,
    _camel,
    build_achievement,
    descriptors_from_achievement,
)
from credstack.core.descriptors.models import AwardedMicroCredential, Programme
from credstack.core.organisations import Organisation
from credstack.errors import (
    DescriptorError,
    InputError,
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
    #: CTDL JSON-LD (Credential Engine's Credential Transparency Description Language).
    CTDL = "ctdl"
    #: Open Badges 3.0 ``Achievement`` JSON.
    OB3 = "ob3"

    @classmethod
    def from_filename(cls, name: str) -> Format:
        """The format a file name says; ``.json`` and ``.jsonld`` are JSON, and reading
        JSON recognises CTDL and OB 3.0 content by its shape."""
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        formats = {"yaml": cls.YAML, "yml": cls.YAML, "json": cls.JSON, "jsonld": cls.JSON,
                   "csv": cls.CSV}
        if suffix not in formats:
            raise UnreadableInputError(
                f"Cannot tell the format of {name!r} from its name; "
                "use .yaml, .yml, .json or .csv (.jsonld for CTDL or OB 3.0), or name the "
                "format explicitly."
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
    #: Why the record cannot be read at all (its shape is not the format's), if it cannot.
    problem: str | None = None


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
    if record.problem is not None:
        problems.append(Problem(record.label, record.problem))
        return None
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


def _load_json(text: str, source: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _RepeatedKeyError as exc:
        raise UnreadableInputError(
            f"{source}: not valid JSON: the key {exc.key!r} is given more than once "
            "in one object."
        ) from None
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(
            f"{source}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None


def _tree_records(text: str, fmt: Format, source: str) -> tuple[list[_Record], list[_Record]]:
    node: yaml.Node | None = None
    if fmt in {Format.JSON, Format.CTDL, Format.OB3}:
        data = _load_json(text, source)
        if data is None:
            raise UnreadableInputError(f"{source} is empty.")
        if fmt is Format.JSON:
            fmt = exchange_format(data) or fmt
        if fmt is Format.CTDL:
            return _ctdl_records(data, source)
        if fmt is Format.OB3:
            return [], _achievement_records(data, source)
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


# --- the exchange formats: CTDL and OB 3.0 ---------------------------------------------

#: The ``type`` values that make a JSON object an OB 3.0 achievement or a credential of one.
_ACHIEVEMENT_TYPES = frozenset({"Achievement"})
_CREDENTIAL_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})


def _ob_types(item: Any) -> set[str]:
    value = item.get("type") if isinstance(item, dict) else None
    values = value if isinstance(value, list) else [value]
    return {v for v in values if isinstance(v, str)}


def exchange_format(data: Any) -> Format | None:
    """CTDL or OB3 when decoded JSON has the shape of one, else None (descriptor JSON)."""
    if ctdl.looks_like_ctdl(data):
        return Format.CTDL
    first = data[0] if isinstance(data, list) and data else data
    if _ob_types(first) & (_ACHIEVEMENT_TYPES | _CREDENTIAL_TYPES):
        return Format.OB3
    return None


def _ctdl_records(data: Any, source: str) -> tuple[list[_Record], list[_Record]]:
    try:
        nodes, is_graph = ctdl.graph_nodes(data)
    except InputError as exc:
        raise UnreadableInputError(f"{source}: not a CTDL document: {exc.message}.") from None
    graph = {node["@id"]: node for node in nodes
             if isinstance(node, dict) and isinstance(node.get("@id"), str)}
    organisations: list[_Record] = []
    programmes: list[_Record] = []
    for index, node in enumerate(nodes):
        label = f"{source}: record {index + 1} (@graph[{index}])" if is_graph else source
        kind = ctdl.node_kind(node)
        if kind is None:
            if not isinstance(node, dict):
                programmes.append(_Record(node, label, problem=f"expected a CTDL node, found "
                                          f"{_kind(node)}"))
            # Nodes of other classes (competencies, condition manifests …) are not records.
            continue
        own = ctdl.has_extension(node)
        if kind == "programme":
            programmes.append(_Record(ctdl.programme_from_ctdl(node, graph=graph), label,
                                      _ctdl_locator(label, own)))
            continue
        document = ctdl.organisation_from_ctdl(node)
        if document is not None:
            organisations.append(_Record(document, label, _ctdl_locator(label, own)))
    if nodes and not organisations and not programmes:
        raise UnreadableInputError(
            f"{source} holds no CTDL credential, learning opportunity or organisation that "
            "credstack can read (a node's @type names its class, e.g. ceterms:MicroCredential)."
        )
    return organisations, programmes


def _ctdl_locator(label: str, own: bool) -> Any:
    """Descriptor paths as they are in the file: in credstack's own document when the node
    carries it, else with the CTDL property the descriptor was read from."""
    def locate(loc: tuple[str | int, ...]) -> str:
        path = format_path(loc)
        prop = None if own else ctdl.property_of(loc)
        if prop is not None:
            return f"{label}: {prop} ({path})"
        return f"{label}: {path}" if path else label
    return locate


def _achievement_records(data: Any, source: str) -> list[_Record]:
    if isinstance(data, dict):
        items, single = [data], True
    elif isinstance(data, list):
        items, single = data, False
    else:
        raise UnreadableInputError(f"{source} holds {_kind(data)}, not OB 3.0 achievements.")
    records: list[_Record] = []
    for index, item in enumerate(items):
        label = source if single else f"{source}: record {index + 1} ([{index}])"
        achievement: Any = item
        types = _ob_types(item)
        if types & _CREDENTIAL_TYPES:
            subject = item.get("credentialSubject")
            subject = subject[0] if isinstance(subject, list) and subject else subject
            achievement = subject.get("achievement") if isinstance(subject, dict) else None
            if not isinstance(achievement, dict):
                records.append(_Record(item, label, problem="the credential awards no "
                                       "achievement (credentialSubject.achievement)"))
                continue
        elif not types & _ACHIEVEMENT_TYPES:
            found = (f"its type is {sorted(types)}" if types
                     else "it has no type" if isinstance(item, dict) else f"found {_kind(item)}")
            records.append(_Record(item, label, problem="expected an OB 3.0 Achievement "
                                   f"(type Achievement) or an OpenBadgeCredential; {found}"))
            continue
        own = EXTENSION_PROPERTY in achievement
        records.append(_Record(descriptors_from_achievement(achievement), label,
                               _achievement_locator(label, own, EXTENSION_PROPERTY)))
    return records


def _achievement_locator(label: str, own: bool, extension: str) -> Any:
    """Descriptor paths as they are in the achievement: ``humanCode``, the standard's
    fields, or camelCase keys inside the extension."""
    standard = {"code": "humanCode", "title": "name", "languages": "inLanguage",
                "skills": "alignment"}

    def locate(loc: tuple[str | int, ...]) -> str:
        if not loc:
            return label
        if loc[0] == "code" or not own:
            head = standard.get(str(loc[0]), str(loc[0]))
            return f"{label}: {format_path((head, *loc[1:]))}"
        parts = ["slug" if loc[:2] == ("awarding_body", "id") and i == 1 else
                 part if isinstance(part, int) else _camel(part) for i, part in enumerate(loc)]
        return f"{label}: {format_path((extension, *parts))}"
    return locate


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
    """Serialise documents so that reading them back gives equal models.

    CTDL writes the organisations and programmes as one ``@graph``
    (:func:`credstack.core.descriptors.ctdl.ctdl_graph`); OB3 writes the programmes as a
    list of achievements (:func:`write_achievements`, with its default ids and no
    ``creator``). Both refuse awarded micro-credentials.
    """
    if fmt is Format.CTDL:
        graph = ctdl.ctdl_graph(documents.organisations, documents.programmes)
        return json.dumps(graph, ensure_ascii=False, indent=2) + "\n"
    if fmt is Format.OB3:
        return write_achievements(documents.programmes)
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


def default_achievement_id(programme: Programme) -> str:
    """``urn:uuid:`` + the programme's name-based UUID, the UUID of its CTID
    (:func:`credstack.core.descriptors.ctdl.programme_uuid`): every export names a
    programme alike, and its CTDL and OB 3.0 forms by one UUID."""
    body = programme.awarding_body.id if programme.awarding_body is not None else ""
    return f"urn:uuid:{ctdl.programme_uuid(body, programme.code)}"


def _no_creator(programme: Programme) -> str | None:
    del programme
    return None


def write_achievements(
    programmes: Sequence[Programme],
    *,
    achievement_id: Callable[[Programme], str] = default_achievement_id,
    creator_id: Callable[[Programme], str | None] = _no_creator,
    language: str = "ja",
) -> str:
    """The programmes as a JSON list of OB 3.0 ``Achievement`` objects.

    Each is :func:`~credstack.core.descriptors.achievement.build_achievement` of the
    programme, so its ``microCredential`` extension carries every descriptor and reading the
    list back gives equal programmes. ``achievement_id`` and ``creator_id`` give each
    achievement's id and its awarding body's profile id; ``language`` the language of the
    standard's own fields. Raises :class:`~credstack.errors.InputError` naming every
    programme that cannot become an achievement (no title or description, award data).
    """
    achievements: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for index, programme in enumerate(programmes):
        where = f"programmes[{index}] ({programme.code})"
        if isinstance(programme, AwardedMicroCredential):
            problems.append(Problem(f"{where}: award", "remove the award section: an "
                                    "achievement describes the programme, not one learner"))
            continue
        try:
            achievements.append(build_achievement(
                programme=programme, achievement_id=achievement_id(programme),
                creator_id=creator_id(programme), language=language))
        except InputError as exc:
            problems += [Problem(f"{where}: {p.location}", p.message) for p in exc.problems]
    if problems:
        count = len(problems)
        raise InputError(f"{count} problem{'s' if count != 1 else ''}: not every programme can "
                         "become an OB 3.0 achievement; nothing was written.", problems=problems)
    return json.dumps(achievements, ensure_ascii=False, indent=2) + "\n"
