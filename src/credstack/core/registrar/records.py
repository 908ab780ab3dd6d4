"""A student's academic record as the student-information system exports it, read from CSV
rows (Shift_JIS, CP932 or UTF-8) or the JSON API's students, every fault placed by row and
column (issue 56).

The file has one row per course result; the student's columns repeat on each of their rows
(a student with no result yet has one row with the course columns empty). The columns are
:data:`COLUMNS`, and the optional :data:`OPTIONAL_COLUMNS` (the programme's English names,
which the English documents print); ``docs/registrar.md`` describes each. Nothing here
writes: the reader returns the students and the problems, and whoever stores them refuses
the whole file when there is any problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from credstack.core import vocabularies
from credstack.core.registrar.grades import (
    STANDARD_RULE,
    GpaRule,
    Grade,
    Scale,
    credits_earned,
    grade_of,
)
from credstack.errors import Problem, UnreadableInputError

__all__ = ["COLUMNS", "ENCODINGS", "OPTIONAL_COLUMNS", "STUDENT_COLUMNS", "TEMPLATE_COLUMNS",
           "CourseResult", "Standing", "Student", "decode", "read_csv", "read_export",
           "read_rows", "write_csv"]

#: The columns of the import file, in the template's order.
COLUMNS: tuple[str, ...] = (
    "student_number", "name", "name_kana", "name_latin", "birth_date", "faculty",
    "department", "degree_name", "admission_date", "completion_date", "standing",
    "term", "course_code", "course_title", "credits", "scale", "grade")
#: The columns a file may leave out: the programme's names in English (Faculty of
#: Engineering, Bachelor of Engineering), empty when left out.
OPTIONAL_COLUMNS: tuple[str, ...] = ("faculty_en", "department_en", "degree_name_en")
#: The columns of a student (the rest of a row are a course result's).
STUDENT_COLUMNS: tuple[str, ...] = COLUMNS[:11] + OPTIONAL_COLUMNS
#: The template's and :func:`write_csv`'s columns: the English names after the Japanese.
TEMPLATE_COLUMNS: tuple[str, ...] = COLUMNS[:8] + OPTIONAL_COLUMNS + COLUMNS[8:]
_STUDENT_COLUMNS = STUDENT_COLUMNS
_COURSE_COLUMNS = COLUMNS[11:]
_REQUIRED_STUDENT = ("student_number", "name", "name_latin", "birth_date", "faculty",
                     "department", "degree_name", "admission_date", "standing")

#: The encodings a file may be in; ``None`` (the default) tells UTF-8 from CP932.
ENCODINGS = ("utf-8", "shift_jis", "cp932")


class Standing(StrEnum):
    """A student's standing (named in the ``registrar-standing`` vocabulary)."""

    ENROLLED = "enrolled"
    LEAVE = "leave"
    EXPECTED = "expected"
    GRADUATED = "graduated"
    WITHDRAWN = "withdrawn"


def _standings() -> dict[str, Standing]:
    """Each standing by its code and its Japanese and English names (lower case)."""
    found = {standing.value: standing for standing in Standing}
    for value, names in vocabularies.pairs("registrar-standing", "ja", "en").items():
        for named in names:
            found.setdefault(named.lower(), Standing(value))
    return found


_STANDINGS: Mapping[str, Standing] = _standings()
_SCALES: Mapping[str, Scale] = {scale.value: scale for scale in Scale}

_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,19}")
#: A reading: hiragana or katakana, the long vowel mark, the middle dot, spaces.
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u3000\x20]+")
#: A name in Latin letters (accents too), spaces, and the punctuation names hold.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f\x20.,'\-]*")
_MAX_TEXT = 200
#: Control characters no record holds (all but tab and line breaks).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class CourseResult:
    term: str
    course_code: str
    course_title: str
    credits: Decimal
    grade: Grade

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "course_code": self.course_code,
                "course_title": self.course_title, "credits": str(self.credits),
                "scale": self.grade.scale.value, "grade": self.grade.mark}


@dataclass(frozen=True, slots=True)
class Student:
    """A student's record: who, the programme of study, the standing and the results."""

    number: str
    name: str
    name_kana: str
    name_latin: str
    birth_date: dt.date
    faculty: str
    department: str
    degree_name: str
    admission_date: dt.date
    completion_date: dt.date | None
    standing: Standing
    results: tuple[CourseResult, ...]
    #: The programme's names in English; empty where the export gives none (the English
    #: documents then print the names above).
    faculty_en: str = ""
    department_en: str = ""
    degree_name_en: str = ""

    def programme(self, language: str) -> tuple[str, str, str]:
        """The faculty, department and degree as ``language``'s documents name them: in
        English (``en``) the English names where given, else the names as imported."""
        if language == "ja":
            return self.faculty, self.department, self.degree_name
        return (self.faculty_en or self.faculty, self.department_en or self.department,
                self.degree_name_en or self.degree_name)

    def gpa(self, rule: GpaRule = STANDARD_RULE) -> Decimal | None:
        return rule.gpa((result.grade, result.credits) for result in self.results)

    @property
    def credits_earned(self) -> Decimal:
        return credits_earned((result.grade, result.credits) for result in self.results)

    def to_dict(self) -> dict[str, Any]:
        """The record as the JSON API and the history keep it."""
        return {"student_number": self.number, "name": self.name, "name_kana": self.name_kana,
                "name_latin": self.name_latin, "birth_date": self.birth_date.isoformat(),
                "faculty": self.faculty, "department": self.department,
                "degree_name": self.degree_name, "faculty_en": self.faculty_en,
                "department_en": self.department_en, "degree_name_en": self.degree_name_en,
                "admission_date": self.admission_date.isoformat(),
                "completion_date": self.completion_date.isoformat()
                if self.completion_date else None,
                "standing": self.standing.value,
                "results": [result.to_dict() for result in self.results]}

    def fingerprint(self) -> str:
        """A digest of the whole record: a re-import with the same digest changes nothing."""
        # The enumerations join as their values (they are ``str``s), without the cost of
        # ``.value`` on each of an export's 800,000 results.
        parts: list[str] = [self.number, self.name, self.name_kana, self.name_latin,
                            self.birth_date.isoformat(), self.faculty, self.department,
                            self.degree_name, self.admission_date.isoformat(),
                            self.completion_date.isoformat() if self.completion_date else "",
                            self.standing]
        # The English names join only when given: a record imported before they existed
        # keeps its digest, and its re-import without them changes nothing.
        if self.faculty_en or self.department_en or self.degree_name_en:
            parts += ("en", self.faculty_en, self.department_en, self.degree_name_en)
        for result in self.results:
            grade = result.grade
            parts += (result.term, result.course_code, result.course_title,
                      str(result.credits), grade.scale, grade.mark)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def decode(data: bytes, encoding: str | None = None) -> str:
    """The text of an export: in ``encoding`` when given, else UTF-8 (a byte order mark
    dropped) or, when it is not UTF-8, CP932 (Windows' Shift_JIS, which holds Shift_JIS).
    Raises :class:`~credstack.errors.UnreadableInputError` when the bytes are neither."""
    for codec in _codecs(encoding):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        control = _CONTROL.search(text)
        if control is not None:
            raise UnreadableInputError(code="registrar.import.fault.control",
                                       params={"row": text.count("\n", 0, control.start()) + 1})
        return text
    raise UnreadableInputError(code="registrar.import.fault.encoding",
                               params={"encoding": encoding or "UTF-8, CP932"})


def _codecs(encoding: str | None) -> list[str]:
    """The codecs to try, in order, for an export said to be in ``encoding``."""
    if encoding is not None and encoding.lower().replace("-", "_") not in (
            "utf_8", "utf8", "shift_jis", "sjis", "cp932", "ms932", "windows_31j"):
        raise UnreadableInputError(code="registrar.import.fault.encoding_unknown",
                                   params={"encoding": encoding})
    tried = [encoding] if encoding else ["utf-8-sig", "cp932"]
    return ["utf-8-sig" if name.lower() in ("utf-8", "utf8", "utf_8") else name
            for name in tried]


def read_export(parts: Callable[[], Iterable[bytes]], encoding: str | None = None, *,
                limit: int | None = None, read: Callable[[int], None] | None = None
                ) -> tuple[list[Student], list[Problem]]:
    """:func:`read_csv` of :func:`decode`'s text, the same students, problems and
    refusals, read a line at a time from ``parts()``: the export's bytes in parts (a store's
    or a file's), given again from its start when the first encoding tried does not read
    them. Neither the bytes nor the text is held whole. ``read(n)``: called as the bytes
    are read, ``n`` of them so far."""
    for codec in _codecs(encoding):
        lines = _lines(parts(), codec, read)
        try:
            found = _read_lines(lines, limit=limit)
            for _ in lines:  # after a bad header: the rest must read too
                pass
        except UnicodeDecodeError:
            continue
        return found
    raise UnreadableInputError(code="registrar.import.fault.encoding",
                               params={"encoding": encoding or "UTF-8, CP932"})


class _Parts(io.RawIOBase):
    """Parts of bytes read as one stream."""

    def __init__(self, parts: Iterable[bytes], read: Callable[[int], None] | None) -> None:
        self._parts = iter(parts)
        self._part = memoryview(b"")
        self._read = read
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._part:
            part = next(self._parts, None)
            if part is None:
                return 0
            self._part = memoryview(part)
        count = min(len(buffer), len(self._part))
        buffer[:count] = self._part[:count]
        self._part = self._part[count:]
        self.size += count
        if self._read is not None:
            self._read(self.size)
        return count


def _lines(parts: Iterable[bytes], codec: str, read: Callable[[int], None] | None
           ) -> Iterator[str]:
    """The lines of ``parts`` in ``codec`` (their endings kept, as a file opened with
    ``newline=""`` gives them). A control character is refused (its row the count of line
    feeds before it, plus one) once the rest has been decoded too: bytes that are not text
    in ``codec`` are the fault to say first, so that the next encoding is tried."""
    text = io.TextIOWrapper(io.BufferedReader(_Parts(parts, read), _STREAM_BYTES),
                            encoding=codec, newline="")
    row = 1
    for line in text:
        if _CONTROL.search(line) is not None:
            while text.read(_STREAM_BYTES):
                pass
            raise UnreadableInputError(code="registrar.import.fault.control",
                                       params={"row": row})
        if line.endswith("\n"):
            row += 1
        yield line


#: How many bytes of an export are decoded at once.
_STREAM_BYTES = 1024 * 1024


def write_csv(students: Iterable[Student]) -> str:
    """``students`` as an export: the header and one row per result (a student without
    results: one row with the course columns empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for student in students:
        head = [student.number, student.name, student.name_kana, student.name_latin,
                student.birth_date.isoformat(), student.faculty, student.department,
                student.degree_name, student.faculty_en, student.department_en,
                student.degree_name_en, student.admission_date.isoformat(),
                student.completion_date.isoformat() if student.completion_date else "",
                student.standing.value]
        if not student.results:
            writer.writerow(head + [""] * len(_COURSE_COLUMNS))
        for result in student.results:
            writer.writerow([*head, result.term, result.course_code, result.course_title,
                             str(result.credits), result.grade.scale.value, result.grade.mark])
    return out.getvalue()


def read_csv(text: str, *, limit: int | None = None
             ) -> tuple[list[Student], list[Problem]]:
    """The students of a CSV export and every problem, each placed as ``row``/``column``
    (the header is row 1). A header without a column of :data:`COLUMNS` or with one it
    does not know is one problem and no student; one of :data:`OPTIONAL_COLUMNS` left out
    reads as empty."""
    return _read_lines(io.StringIO(text, newline=""), limit=limit)


def _read_lines(lines: Iterable[str], *, limit: int | None
                ) -> tuple[list[Student], list[Problem]]:
    reader = csv.reader(lines)
    header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown or not header:
        return [], [Problem("row 1", code="registrar.import.fault.header",
                            params={"row": 1, "missing": missing, "unknown": unknown})]
    # A column left out is read from one more, empty, cell past the row's end.
    where = [header.index(name) if name in header else len(header)
             for name in COLUMNS + OPTIONAL_COLUMNS]
    # A file in :func:`read_rows`' order (the required columns, then the optional ones or
    # none) is read as it stands, without a copy of each row.
    in_order = where[:len(COLUMNS)] == list(range(len(COLUMNS))) and (
        len(header) == len(COLUMNS) or where == list(range(len(where))))

    def rows() -> Iterator[tuple[object, list[str]]]:
        width = len(header)
        for cells in reader:
            if len(cells) != width:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, [_WIDTH, str(len(cells)), str(width)]
                continue
            if in_order:
                yield reader.line_num, cells
            else:
                cells.append("")
                yield reader.line_num, [cells[index] for index in where]

    return read_rows(rows(), limit=limit)


#: The first cell of a row that has not the header's width (its width the second).
_WIDTH = "\x00width"
#: The English names of a row that leaves them out.
_NO_ENGLISH = ("", "", "")


def read_rows(rows: Iterable[tuple[object, Sequence[str]]], *, limit: int | None = None
              ) -> tuple[list[Student], list[Problem]]:
    """The students of ``rows`` (each placed by its row: a line number or a JSON location;
    its cells in the order of :data:`COLUMNS`, then of :data:`OPTIONAL_COLUMNS`, which
    may be left out) and every problem. ``limit``: stop naming
    problems after this many.

    A student's columns are checked on their first row, and each later row of theirs is
    only compared with it; a course result that reads at once (the common case) is not
    checked column by column."""
    problems: list[Problem] = []
    heads: dict[str, tuple[object, list[str], dict[str, Any]]] = {}
    results: dict[str, list[CourseResult]] = {}
    seen: dict[tuple[str, str, str], object] = {}
    quick = _QuickResults()

    def fault(row: object, column: str, code: str, **params: object) -> None:
        if limit is None or len(problems) < limit:
            place = f"row {row}" if isinstance(row, int) else str(row)
            problems.append(Problem(f"{place}, column {column}",
                                    code=f"registrar.import.fault.{code}",
                                    params={"row": row, "column": column, **params}))

    # A student's later rows repeat the first one's columns as written: compared as written
    # (unstripped) first, each cell is stripped only when they differ, and most rows of an
    # export cost one comparison of their student's columns.
    written: dict[str, Sequence[str]] = {}
    for row, raw in rows:
        if raw[0] == _WIDTH:
            fault(row, "*", "width", found=int(raw[1]), wanted=int(raw[2]))
            continue
        first = raw[0].strip()
        raw_head = [*raw[:11], *raw[17:20]] if len(raw) > 17 else [*raw[:11], *_NO_ENGLISH]
        known = heads.get(first)
        if known is None or raw_head != written[first]:
            head = [cell.strip() for cell in raw_head]
            number = head[0]
            known = heads.get(number)
            if known is not None:
                if head != known[1]:
                    column = next(name for name, mine, theirs in
                                  zip(_STUDENT_COLUMNS, head, known[1], strict=True)
                                  if mine != theirs)
                    fault(row, column, "differs", first=known[0])
            elif any(head) or any(cell.strip() for cell in raw[11:17]):
                student = _student(row, dict(zip(_STUDENT_COLUMNS, head, strict=True)),
                                   fault)
                if student is not None:
                    heads[number] = (row, head, student)
                    written[number] = raw_head
                    results[number] = []
        number = first
        course = [cell.strip() for cell in raw[11:17]]
        if not any(course):
            continue
        result = quick.read(course) or _result(
            row, dict(zip(_COURSE_COLUMNS, course, strict=True)), fault)
        if result is None or number not in results:
            continue
        key = (number, result.term, result.course_code)
        if key in seen:
            fault(row, "course_code", "duplicate_course", first=seen[key])
            continue
        seen[key] = row
        results[number].append(result)
    students = [Student(**fields, results=tuple(results[number]))
                for number, (_, _, fields) in heads.items()]
    return students, problems


class _QuickResults:
    """Course results read without a check of each column: the credits and grades already
    seen valid are remembered; anything else is left to :func:`_result` (``None``)."""

    def __init__(self) -> None:
        self.credits: dict[str, Decimal] = {}
        self.grades: dict[tuple[str, str], Grade] = {}

    def read(self, course: list[str]) -> CourseResult | None:
        term, code, title, credits_text, scale, mark = course
        credits = self.credits.get(credits_text)
        grade = self.grades.get((scale, mark))
        if credits is None or grade is None or not term or not code or not title \
                or len(term) > _MAX_TEXT or len(code) > _MAX_TEXT or len(title) > _MAX_TEXT:
            found = _result(None, dict(zip(_COURSE_COLUMNS, course, strict=True)), _silent)
            if found is not None:
                self.credits[credits_text] = found.credits
                self.grades[(scale, mark)] = found.grade
            return found
        return CourseResult(term, code, title, credits, grade)


def _silent(row: object, column: str, code: str, **params: object) -> None:
    """A fault not named (the caller reads the row again, naming them)."""


def _student(row: object, cells: dict[str, str], fault: Any) -> dict[str, Any] | None:
    before = _Count(fault)
    for name in _REQUIRED_STUDENT:
        if not cells[name]:
            before(row, name, "required")
    for name in ("name", "name_kana", "name_latin", "faculty", "department", "degree_name",
                 *OPTIONAL_COLUMNS):
        if len(cells[name]) > _MAX_TEXT:
            before(row, name, "too_long", limit=_MAX_TEXT)
    if cells["student_number"] and not _NUMBER.fullmatch(cells["student_number"]):
        before(row, "student_number", "student_number", value=cells["student_number"])
    if cells["name_kana"] and not _KANA.fullmatch(cells["name_kana"]):
        before(row, "name_kana", "kana", value=cells["name_kana"])
    if cells["name_latin"] and not _LATIN.fullmatch(cells["name_latin"]):
        before(row, "name_latin", "latin", value=cells["name_latin"])
    dates = {name: _date(cells[name]) for name in ("birth_date", "admission_date",
                                                   "completion_date")}
    for name, value in dates.items():
        if cells[name] and value is None:
            before(row, name, "date", value=cells[name])
    standing = _STANDINGS.get(cells["standing"].lower()) if cells["standing"] else None
    if cells["standing"] and standing is None:
        before(row, "standing", "standing", value=cells["standing"])
    if standing in (Standing.EXPECTED, Standing.GRADUATED) and not cells["completion_date"]:
        before(row, "completion_date", "completion_required")
    admitted, completed, born = (dates["admission_date"], dates["completion_date"],
                                 dates["birth_date"])
    if admitted and completed and completed <= admitted:
        before(row, "completion_date", "completion_before_admission")
    if admitted and born and born >= admitted:
        before(row, "birth_date", "birth_after_admission")
    if before.count or standing is None or admitted is None or born is None:
        return None
    return {"number": cells["student_number"], "name": cells["name"],
            "name_kana": cells["name_kana"], "name_latin": cells["name_latin"],
            "birth_date": born, "faculty": cells["faculty"], "department": cells["department"],
            "degree_name": cells["degree_name"], "faculty_en": cells["faculty_en"],
            "department_en": cells["department_en"], "degree_name_en": cells["degree_name_en"],
            "admission_date": admitted,
            "completion_date": completed, "standing": standing}


def _result(row: object, cells: dict[str, str], fault: Any) -> CourseResult | None:
    before = _Count(fault)
    for name in _COURSE_COLUMNS:
        if not cells[name]:
            before(row, name, "required")
    for name in ("term", "course_code", "course_title"):
        if len(cells[name]) > _MAX_TEXT:
            before(row, name, "too_long", limit=_MAX_TEXT)
    credits = None
    if cells["credits"]:
        try:
            credits = Decimal(cells["credits"])
        except InvalidOperation:
            credits = None
        if credits is None or not credits.is_finite() or not 0 < credits <= 60 \
                or credits != credits.quantize(Decimal("0.1")):
            before(row, "credits", "credits", value=cells["credits"])
            credits = None
    scale = _SCALES.get(cells["scale"].lower()) if cells["scale"] else None
    if cells["scale"] and scale is None:
        before(row, "scale", "scale", value=cells["scale"])
    grade = grade_of(scale, cells["grade"]) if scale and cells["grade"] else None
    if scale and cells["grade"] and grade is None:
        before(row, "grade", "grade", value=cells["grade"], scale=scale.value)
    if before.count or credits is None or grade is None:
        return None
    return CourseResult(cells["term"], cells["course_code"], cells["course_title"],
                        credits.quantize(Decimal(1)) if credits == credits.to_integral_value()
                        else credits, grade)


class _Count:
    """Calls the fault callback and counts how often."""

    def __init__(self, fault: Any) -> None:
        self.fault = fault
        self.count = 0

    def __call__(self, row: object, column: str, code: str, **params: object) -> None:
        self.count += 1
        self.fault(row, column, code, **params)


def _date(text: str) -> dt.date | None:
    """``2003-04-02`` or ``2003/04/02`` (as Japanese systems write it); ``None`` if not."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        parts = text.replace("/", "-").split("-")
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            try:
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
        return None
