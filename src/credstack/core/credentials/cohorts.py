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
Two rows naming the same learner — the same key, or the same identifier (an e-mail address
given in two rows keyed by ``id``) — are reported as duplicates.

Files come as spreadsheets save them: UTF-8 with or without a byte order mark, or Shift_JIS
(Windows code page 932, what Excel writes for "CSV" on a Japanese Windows); CRLF line ends;
empty rows and empty columns after the data; full-width spaces around values and header
names typed in full-width letters (``ｅｍａｉｌ``, read as NFKC). Identifier values are read
as NFKC too (a full-width ``＠`` is an ``@``); names are kept as typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Final

from email_validator import EmailNotValidError, validate_email
from pydantic import ValidationError

from credstack.core.bulk import collector_paused
from credstack.core.descriptors.interchange.columns import column_letter
from credstack.core.descriptors.models import Award, Identifier, IdentifierType, LearnerIdentity
from credstack.core.types import MultilingualText
from credstack.errors import InputError, InputTooLargeError, Problem, UnreadableInputError

__all__ = ["COLUMNS", "MAX_COHORT_BYTES", "Cohort", "CohortMember", "CohortPreview",
           "bad_rows", "decode_cohort", "preview_cohort", "read_cohort", "without_rows"]

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
#: What an e-mail address looks like here: one ``@``, no spaces, a dot in the domain (the
#: address is hashed into the credential, never written to; a typo is what this catches).


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


def decode_cohort(data: str | bytes, *, source: str = "cohort.csv") -> str:
    """The text of a cohort file: UTF-8 (a byte order mark is dropped), else Shift_JIS
    (code page 932); :class:`~credstack.errors.UnreadableInputError` when it is neither,
    :class:`~credstack.errors.InputTooLargeError` above :data:`MAX_COHORT_BYTES`."""
    if len(data) > MAX_COHORT_BYTES:
        raise InputTooLargeError(code="issuing.cohort.refused.too_large", params={
            "source": source, "size": f"{len(data):,}", "most": f"{MAX_COHORT_BYTES:,}"})
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise UnreadableInputError(code="issuing.cohort.refused.encoding",
                                   params={"source": source, "byte": utf8_error}) from None


def _decode(data: str | bytes, source: str) -> str:
    return decode_cohort(data, source=source)


def _trimmed(row: Sequence[str]) -> list[str]:
    """``row`` without the empty cells a spreadsheet leaves after the last value."""
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return list(row[:end])


def _header(row: Sequence[str], source: str, language: str) -> list[tuple[str, str | None]]:
    """Each column's kind and, for names, its language; refuses unknown or repeated ones."""
    columns: list[tuple[str, str | None]] = []
    seen: dict[tuple[str, str | None], int] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(row):
        name = unicodedata.normalize("NFKC", cell).strip().lower()
        where = f"{source}: row 1, column {column_letter(index)}"
        column: tuple[str, str | None]
        if not name:
            problems.append(Problem(where, code="issuing.cohort.fault.unnamed"))
            continue
        if name in _KEY_ORDER or name in {"issued_on", "grade"}:
            column = (name, None)
        elif name == "name":
            column = ("name", language)
        elif name.startswith("name."):
            tag = unicodedata.normalize("NFKC", cell).strip()[5:]
            try:
                MultilingualText({tag: "-"})
                column = ("name", tag)
            except ValidationError:
                problems.append(Problem(where, code="issuing.cohort.fault.language_tag",
                                        params={"tag": repr(tag)}))
                continue
        else:
            problems.append(Problem(where, code="issuing.cohort.fault.unknown_column", params={
                "column": repr(cell.strip()), "columns": ", ".join(COLUMNS)}))
            continue
        if column in seen:
            problems.append(Problem(where, code="issuing.cohort.fault.repeated_column", params={
                "column": repr(cell.strip()), "first": column_letter(seen[column])}))
            continue
        seen[column] = index
        columns.append(column)
    if problems:
        raise InputError(code="issuing.cohort.refused.header", params={"source": source},
                         problems=problems)
    if not any(kind in _KEY_ORDER for kind, _ in columns):
        raise InputError(code="issuing.cohort.refused.no_key_column",
                         params={"source": source}, problems=[Problem(
                             f"{source}: row 1", code="issuing.cohort.fault.add_key_column",
                             params={"columns": ", ".join(_KEY_ORDER)})])
    return columns


#: A row's non-empty cells: column → (value, index of the cell in the row).
_Cells = dict[tuple[str, str | None], tuple[str, int]]


def _not_an_email(value: str) -> str | None:
    """Why ``value`` is not an e-mail address by its syntax (RFC 5322 and internationalised
    addresses, as email-validator reads them), or ``None`` when it is one. Nothing is looked
    up: whether the domain receives mail is no business of a pure reader. Reserved names
    (``localhost``, ``.invalid``) are refused; ``.test`` is allowed for trials."""
    try:
        validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        return str(exc).rstrip(".")
    return None


def _member(cells: _Cells, row: int, locate: Callable[[int], str],
            problems: list[Problem]) -> CohortMember | None:
    """The learner of one row, or ``None`` after adding the row's problems (``locate``
    names a cell of the row by its index: built only for a cell that has a problem)."""
    before = len(problems)
    names: dict[str, str] = {}
    identifiers: list[Identifier] = []
    issued_on: dt.date | None = None
    grade: str | None = None
    key: str | None = None
    for (kind, language), (value, index) in cells.items():
        if kind == "name" and language is not None:
            names[language] = value
        elif kind == "issued_on":
            try:
                issued_on = dt.date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(locate(index), code="issuing.cohort.fault.date",
                                        params={"value": repr(value)}))
        elif kind == "grade":
            grade = value
        elif kind == "email" and (wrong := _not_an_email(value)) is not None:
            problems.append(Problem(locate(index), code="issuing.cohort.fault.email",
                                    params={"value": repr(value), "why": wrong}))
        elif kind in _IDENTIFIERS:
            try:
                identifiers.append(Identifier(type=_IDENTIFIERS[kind], value=value))
            except ValidationError as exc:
                problems.append(Problem(locate(index), exc.errors()[0]["msg"]))
    for kind in _KEY_ORDER:
        found = next((value for (name, _), (value, _) in cells.items() if name == kind), None)
        if found:
            key = found.lower() if kind == "email" else found
            break
    where_row = f"row {row}"
    if key is None:
        problems.append(Problem(where_row, code="issuing.cohort.fault.no_learner",
                                params={"columns": ", ".join(_KEY_ORDER)}))
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


def _rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Each row of ``text`` with its number (from 1), without trailing empty cells;
    :class:`~credstack.errors.UnreadableInputError` where the CSV is broken."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            yield number, _trimmed(row)
    except csv.Error as exc:
        raise UnreadableInputError(code="issuing.cohort.refused.csv", params={
            "source": source, "row": number + 1, "error": str(exc)}) from None


@collector_paused
def read_cohort(data: str | bytes, *, source: str = "cohort.csv",
                language: str = "ja") -> Cohort:
    """Every learner of a cohort CSV, or :class:`~credstack.errors.InputError` with every
    problem (row, column) when any row is bad.

    ``language`` is the language of a plain ``name`` column.
    """
    rows = _rows(_decode(data, source), source)
    header_row = next((row for _, row in rows), None)
    if header_row is None:
        raise UnreadableInputError(code="issuing.cohort.refused.empty",
                                   params={"source": source}) from None
    columns = _header(header_row, source, language)
    names = [cell.strip() for cell in header_row]
    problems: list[Problem] = []
    members: list[CohortMember] = []
    first_row: dict[str, int] = {}
    #: (identifier column, value) → the row that gave it first.
    first_identifier: dict[tuple[str, str], int] = {}
    for row_number, row in rows:
        if not row:
            continue

        def locate(index: int, number: int = row_number) -> str:
            return f"{source}: row {number}, column {column_letter(index)} ({names[index]})"

        if len(row) > len(columns):
            # The row is trimmed, so a value lies beyond the header: name the first one.
            stray = next(i for i in range(len(columns), len(row)) if row[i].strip())
            problems.append(Problem(
                f"{source}: row {row_number}, column {column_letter(stray)}",
                code="issuing.cohort.fault.beyond_header", params={"columns": len(columns)}))
            continue
        cells: _Cells = {}
        for index, (column, cell) in enumerate(zip(columns, row, strict=False)):
            value = cell.strip()
            if value:
                if column[0] in _IDENTIFIERS:
                    value = unicodedata.normalize("NFKC", value).strip()
                cells[column] = (value, index)
        row_problems: list[Problem] = []
        member = _member(cells, row_number, locate, row_problems)
        problems.extend(
            p if p.location.startswith(source) else replace(p, location=f"{source}: "
                                                                        f"{p.location}")
            for p in row_problems)
        if member is None:
            continue
        if member.key in first_row:
            problems.append(Problem(
                f"{source}: row {row_number}", code="issuing.cohort.fault.same_learner",
                params={"key": repr(member.key), "row": first_row[member.key]}))
            continue
        duplicate = False
        for (kind, _), (value, index) in cells.items():
            if kind in _IDENTIFIERS:
                seen = (kind, value.lower() if kind == "email" else value)
                if seen in first_identifier:
                    problems.append(Problem(
                        locate(index), code="issuing.cohort.fault.same_value",
                        params={"value": repr(value), "row": first_identifier[seen]}))
                    duplicate = True
                else:
                    first_identifier[seen] = row_number
        if duplicate:
            continue
        first_row[member.key] = row_number
        members.append(member)
    if problems:
        raise InputError(code="issuing.cohort.refused.problems",
                         params={"source": source, "problems": len(problems)},
                         problems=problems)
    if not members:
        raise UnreadableInputError(code="issuing.cohort.refused.no_learners",
                                   params={"source": source})
    return Cohort(tuple(members))


@dataclass(frozen=True, slots=True)
class CohortPreview:
    """The first rows of a cohort file as typed, and how many rows it has."""

    header: tuple[str, ...]
    #: (row number, cells) of the first rows that are not empty.
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    #: Rows that are not empty, the header not counted.
    total: int


def preview_cohort(text: str, *, source: str = "cohort.csv", limit: int = 20
                   ) -> CohortPreview:
    """The header and the first ``limit`` rows of a decoded cohort file (cells as typed,
    trailing empty cells dropped), and the number of rows."""
    rows = _rows(text, source)
    header = tuple(cell.strip() for cell in next((row for _, row in rows), []))
    shown: list[tuple[int, tuple[str, ...]]] = []
    total = 0
    for number, row in rows:
        if not row:
            continue
        total += 1
        if len(shown) < limit:
            shown.append((number, tuple(cell.strip() for cell in row)))
    return CohortPreview(header, tuple(shown), total)


_ROW: Final = re.compile(r"(?:^|: )row (\d+)\b")


def bad_rows(problems: Sequence[Problem]) -> frozenset[int] | None:
    """The rows ``problems`` (of :func:`read_cohort`) are in; ``None`` when one of them is
    not a row's (a column's, the file's): leaving rows out would not mend that."""
    found = set()
    for problem in problems:
        match = _ROW.search(problem.location)
        if match is None:
            return None
        found.add(int(match.group(1)))
    return frozenset(found)


def without_rows(text: str, rows: Collection[int], *, source: str = "cohort.csv") -> str:
    """The decoded cohort file ``text`` without its rows numbered ``rows`` (the header, row 1,
    is always kept), written back as CSV: the file of the good rows of one with bad ones."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for number, row in _rows(text, source):
        if number == 1 or number not in rows:
            writer.writerow(row)
    return out.getvalue()
