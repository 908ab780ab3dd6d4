"""A cohort of learners for bulk issuance, read from CSV.

One row per learner. Columns (header names are case-insensitive; any order; only those a
cohort needs):

=================== =============================================================
column              meaning
=================== =============================================================
``id``              the issuer's own key for the learner (any text); optional
``email``           e-mail address (hashed into the credential with a salt)
``student_id``      student or staff number
``national_id``     a national identifier
``did``             the learner's DID (becomes ``credentialSubject.id``)
``url``             a URL that identifies the learner
``name``            the learner's name, in the cohort's language
``name.<lang>``     the name in one language (``name.ja``, ``name.en``, …)
``issued_on``       the date of issuing, ``YYYY-MM-DD`` (default: the day of issuance)
``grade``           the grade achieved
=================== =============================================================

Each learner needs a *key* — the first of ``id``, ``email`` (compared in lower case),
``student_id``, ``national_id``, ``did``, ``url`` that the row gives — because bulk issuance
is idempotent per learner: the same key, programme version and batch always give the same
credential. Two rows with the same key are refused.

A cohort is read whole before anything is issued: every bad row is reported (row number,
column letter and name, what is wrong) and nothing is issued from a file with a bad row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError

from credstack.core.descriptors.interchange.columns import column_letter
from credstack.core.descriptors.models import Award, Identifier, IdentifierType, LearnerIdentity
from credstack.core.types import MultilingualText
from credstack.errors import InputError, InputTooLargeError, Problem, UnreadableInputError

__all__ = ["COLUMNS", "MAX_COHORT_BYTES", "Cohort", "CohortMember", "read_cohort"]

#: A cohort file larger than this is refused (a million learners take about 100 MB).
MAX_COHORT_BYTES: Final = 256 * 1024 * 1024

_IDENTIFIERS: Final[dict[str, IdentifierType]] = {
    "email": IdentifierType.EMAIL,
    "student_id": IdentifierType.STUDENT_ID,
    "national_id": IdentifierType.NATIONAL_ID,
    "did": IdentifierType.DID,
    "url": IdentifierType.URL,
}
#: The columns in the order their values become the learner's key.
_KEY_ORDER: Final = ("id", "email", "student_id", "national_id", "did", "url")
COLUMNS: Final = (*_KEY_ORDER, "name", "name.<lang>", "issued_on", "grade")


@dataclass(frozen=True, slots=True)
class CohortMember:
    """One learner of the cohort: the row it came from, its key and its award."""

    row: int
    key: str
    award: Award


@dataclass(frozen=True, slots=True)
class Cohort:
    """Every learner of a cohort file, in file order."""

    members: tuple[CohortMember, ...]

    def __len__(self) -> int:
        return len(self.members)


def _decode(data: str | bytes, source: str) -> str:
    if len(data) > MAX_COHORT_BYTES:
        raise InputTooLargeError(
            f"{source} is {len(data):,} bytes; a cohort file may have at most "
            f"{MAX_COHORT_BYTES:,}: split it into batches.")
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(
            f"{source} is not UTF-8 text (byte {exc.start} cannot be decoded); save the CSV "
            "as UTF-8.") from None


def _header(row: Sequence[str], source: str, language: str) -> list[tuple[str, str | None]]:
    """Each column's kind and, for names, its language; refuses unknown or repeated ones."""
    columns: list[tuple[str, str | None]] = []
    seen: dict[tuple[str, str | None], int] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(row):
        name = cell.strip().lower()
        where = f"{source}: row 1, column {column_letter(index)}"
        column: tuple[str, str | None]
        if name in _KEY_ORDER or name in {"issued_on", "grade"}:
            column = (name, None)
        elif name == "name":
            column = ("name", language)
        elif name.startswith("name."):
            tag = cell.strip()[5:]
            try:
                MultilingualText({tag: "-"})
                column = ("name", tag)
            except ValidationError:
                problems.append(Problem(where, f"{tag!r} is not a language tag (name.ja, "
                                               "name.en…)"))
                continue
        else:
            problems.append(Problem(where, f"unknown column {cell.strip()!r}; a cohort has "
                                           f"the columns {', '.join(COLUMNS)}"))
            continue
        if column in seen:
            problems.append(Problem(where, f"{cell.strip()!r} repeats column "
                                           f"{column_letter(seen[column])}"))
            continue
        seen[column] = index
        columns.append(column)
    if problems:
        raise InputError(f"{source}: the header row cannot be read", problems=problems)
    if not any(kind in _KEY_ORDER for kind, _ in columns):
        raise InputError(f"{source}: no column identifies the learners", problems=[Problem(
            f"{source}: row 1", "add one of the columns " + ", ".join(_KEY_ORDER))])
    return columns


def _member(cells: dict[tuple[str, str | None], tuple[str, str]], row: int,
            problems: list[Problem]) -> CohortMember | None:
    """The learner of one row, or ``None`` after adding the row's problems."""
    before = len(problems)
    names: dict[str, str] = {}
    identifiers: list[Identifier] = []
    issued_on: dt.date | None = None
    grade: str | None = None
    key: str | None = None
    for (kind, language), (value, where) in cells.items():
        if kind == "name" and language is not None:
            names[language] = value
        elif kind == "issued_on":
            try:
                issued_on = dt.date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(where, f"{value!r} is not a date (YYYY-MM-DD)"))
        elif kind == "grade":
            grade = value
        elif kind in _IDENTIFIERS:
            try:
                identifiers.append(Identifier(type=_IDENTIFIERS[kind], value=value))
            except ValidationError as exc:
                problems.append(Problem(where, exc.errors()[0]["msg"]))
    for kind in _KEY_ORDER:
        found = next((value for (name, _), (value, _) in cells.items() if name == kind), None)
        if found:
            key = found.lower() if kind == "email" else found
            break
    where_row = f"row {row}"
    if key is None:
        problems.append(Problem(where_row, "the row names no learner: fill one of "
                                           + ", ".join(_KEY_ORDER)))
    if len(problems) > before or key is None:
        return None
    try:
        learner = LearnerIdentity(
            name=MultilingualText(names) if names else None, identifiers=tuple(identifiers))
        award = Award(learner=learner, issued_on=issued_on, grade=grade)
    except ValidationError as exc:
        for error in exc.errors():
            location = ".".join(str(part) for part in error["loc"])
            problems.append(Problem(f"{where_row} ({location})", error["msg"]))
        return None
    return CohortMember(row=row, key=key, award=award)


def read_cohort(data: str | bytes, *, source: str = "cohort.csv",
                language: str = "ja") -> Cohort:
    """Every learner of a cohort CSV, or :class:`~credstack.errors.InputError` with every
    problem (row, column) when any row is bad.

    ``language`` is the language of a plain ``name`` column.
    """
    text = _decode(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header_row = next(reader)
    except StopIteration:
        raise UnreadableInputError(f"{source} is empty: it needs a header row and one row "
                                   "per learner.") from None
    except csv.Error as exc:
        raise UnreadableInputError(f"{source}: row 1 is not valid CSV: {exc}.") from None
    columns = _header(header_row, source, language)
    problems: list[Problem] = []
    members: list[CohortMember] = []
    first_row: dict[str, int] = {}
    row_number = 1
    try:
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                problems.append(Problem(
                    f"{source}: row {row_number}",
                    f"{len(row)} cells but the header has {len(columns)} columns"))
                continue
            cells = {
                column: (cell.strip(), f"{source}: row {row_number}, column "
                                       f"{column_letter(index)} ({header_row[index].strip()})")
                for index, (column, cell) in enumerate(zip(columns, row, strict=False))
                if cell.strip()
            }
            row_problems: list[Problem] = []
            member = _member(cells, row_number, row_problems)
            problems.extend(
                p if p.location.startswith(source) else Problem(f"{source}: {p.location}",
                                                                p.message)
                for p in row_problems)
            if member is None:
                continue
            if member.key in first_row:
                problems.append(Problem(
                    f"{source}: row {row_number}",
                    f"learner {member.key!r} is already in row {first_row[member.key]}"))
                continue
            first_row[member.key] = row_number
            members.append(member)
    except csv.Error as exc:
        raise UnreadableInputError(
            f"{source}: row {row_number + 1} is not valid CSV: {exc}.") from None
    if problems:
        raise InputError(f"{source}: {len(problems)} problem(s); nothing was issued",
                         problems=problems)
    if not members:
        raise UnreadableInputError(f"{source} has a header but no learners.")
    return Cohort(tuple(members))
