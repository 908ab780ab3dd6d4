"""Import a student-information system's academic records (issue 56): a CSV export in
Shift_JIS, CP932 or UTF-8, or the JSON API's students, all or nothing.

Every bad row is named (row, column, why) in one :class:`~credstack.errors.RecordImportError`
and nothing is written. A student already stored is compared by the record's digest: the
same record is left alone, a changed one becomes the next version with the one it replaces
kept in the record's history. One audit entry per import (``registrar.records-imported``)
with its counts.

A CSV export is read a line at a time from its bytes in parts (:func:`import_export`: the
parts a background job's input is staged in), never held whole as bytes or text; the
students it holds are written :data:`WRITTEN_AT_ONCE` at a time, in one transaction, or,
``apart`` (the background job), each of those in a transaction of its own, so that the
progress said is what the store holds and a run killed while writing is run again to the
end (the students written already are found unchanged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import registrar as record_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.bulk import collector_paused
from credstack.core.registrar.oneroster_v1p2 import read_roster, unzip
from credstack.core.registrar.records import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    Student,
    decode,
    read_export,
    read_rows,
)
from credstack.errors import InputError, InputTooLargeError, Problem, RecordImportError
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["FORMATS", "MAX_IMPORT_BYTES", "MAX_PROBLEMS", "WRITTEN_AT_ONCE", "Imported",
           "import_body", "import_csv", "import_export", "import_roster", "import_students",
           "roster_zip"]

#: The largest export read at once (a 20,000-student file with its results is ~100 MB).
MAX_IMPORT_BYTES = 512 * 2**20
#: How many bad rows an error names (the count of all is in its parameters).
MAX_PROBLEMS = 1000
#: How many students are written at once (then progress is said).
WRITTEN_AT_ONCE = 1000
#: The bytes of an export given to the reader at once.
_PART_BYTES = 1024 * 1024

#: ``progress(stage, done, total)``: ``checking`` (a CSV export: the bytes read of all of
#: them; else 0 of 0), ``checked`` (the students read and checked, outside any transaction)
#: then ``writing`` (the students written of those to write).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import did (or, ``dry_run``, would do)."""

    organisation: str
    source: str
    students: int
    results: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool

    def to_dict(self) -> dict[str, Any]:
        return {"organisation": self.organisation, "source": self.source,
                "students": self.students, "results": self.results, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "dry_run": self.dry_run}


def _quiet(stage: str, done: int, total: int) -> None:
    """No progress shown."""


def import_csv(runtime: Runtime, *, actor: Actor, organisation: str, data: bytes,
               encoding: str | None = None, source: str = "students.csv",
               dry_run: bool = False, progress: Progress = _quiet) -> Imported:
    """Import the CSV export ``data`` (in ``encoding``, else UTF-8 or CP932) into
    ``organisation``'s records; raise :class:`~credstack.errors.RecordImportError` naming
    every bad row and write nothing when any row is refused."""
    return import_export(runtime, actor=actor, organisation=organisation,
                         parts=lambda: (data[start:start + _PART_BYTES]
                                        for start in range(0, len(data), _PART_BYTES)),
                         size=len(data), encoding=encoding, source=source, dry_run=dry_run,
                         progress=progress)


@collector_paused
def import_export(runtime: Runtime, *, actor: Actor, organisation: str,
                  parts: Callable[[], Iterable[bytes]], size: int,
                  encoding: str | None = None, source: str = "students.csv",
                  dry_run: bool = False, progress: Progress = _quiet,
                  apart: bool = False) -> Imported:
    """:func:`import_csv` of the export of ``size`` bytes that ``parts()`` gives in parts
    (from its start each time it is called), read a line at a time
    (:func:`~credstack.core.registrar.records.read_export`); ``apart``: written in
    transactions of :data:`WRITTEN_AT_ONCE` students each."""
    actor.require(Action.RECORDS_WRITE, organisation)
    if size > MAX_IMPORT_BYTES:
        raise InputTooLargeError(code="registrar.import.fault.too_large",
                                 params={"limit": MAX_IMPORT_BYTES // 2**20})
    progress("checking", 0, size)
    students, problems = read_export(parts, encoding, limit=MAX_PROBLEMS,
                                     read=lambda done: progress("checking", done, size))
    return _store(runtime, actor=actor, organisation=organisation, students=students,
                  problems=problems, source=source, dry_run=dry_run, progress=progress,
                  apart=apart)


def roster_zip(data: bytes) -> dict[str, bytes]:
    """The files of a OneRoster 1.2 CSV roster exchanged as a zip."""
    return unzip(data, limit=MAX_IMPORT_BYTES)


@collector_paused
def import_roster(runtime: Runtime, *, actor: Actor, organisation: str,
                  files: Mapping[str, bytes], source: str = "oneroster.zip",
                  dry_run: bool = False, progress: Progress = _quiet) -> Imported:
    """Import a 1EdTech OneRoster 1.2 CSV roster (``files``: each file's name and bytes,
    UTF-8 as the binding requires) into ``organisation``'s records as :func:`import_csv`
    does; a fault is placed by its file, row and column
    (:mod:`credstack.core.registrar.oneroster_v1p2` maps the roster to the records)."""
    actor.require(Action.RECORDS_WRITE, organisation)
    if sum(len(data) for data in files.values()) > MAX_IMPORT_BYTES:
        raise InputTooLargeError(code="registrar.import.fault.too_large",
                                 params={"limit": MAX_IMPORT_BYTES // 2**20})
    progress("checking", 0, 0)
    roster = read_roster({name: decode(data, "utf-8") for name, data in files.items()},
                         limit=MAX_PROBLEMS)
    return _store(runtime, actor=actor, organisation=organisation, students=roster.students,
                  problems=roster.problems, source=source, dry_run=dry_run, progress=progress)


#: What an export may be: a CSV export, the JSON API's students, a OneRoster 1.2 zip.
FORMATS = ("csv", "json", "roster")


def import_body(runtime: Runtime, *, actor: Actor, organisation: str, data: bytes,
                form: str, encoding: str | None = None, source: str = "request body",
                dry_run: bool = False, progress: Progress = _quiet) -> Imported:
    """Import ``data`` in the ``form`` it takes (one of :data:`FORMATS`): a CSV export as
    :func:`import_csv`, JSON ``{"students": [...]}`` as :func:`import_students`, a
    OneRoster zip as :func:`import_roster`."""
    if form == "roster":
        return import_roster(runtime, actor=actor, organisation=organisation,
                             files=roster_zip(data), source=source, dry_run=dry_run,
                             progress=progress)
    if form == "json":
        try:
            document: Any = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError(code="registrar.import.fault.json",
                             params={"why": str(exc)}) from exc
        students = document.get("students") if isinstance(document, dict) else None
        if not isinstance(students, list):
            raise InputError(code="registrar.import.fault.not_object",
                             params={"row": "students"})
        return import_students(runtime, actor=actor, organisation=organisation,
                               students=students, source=source, dry_run=dry_run,
                               progress=progress)
    return import_csv(runtime, actor=actor, organisation=organisation, data=data,
                      encoding=encoding, source=source, dry_run=dry_run, progress=progress)


def import_students(runtime: Runtime, *, actor: Actor, organisation: str,
                    students: Sequence[Mapping[str, Any]], source: str = "request body",
                    dry_run: bool = False, progress: Progress = _quiet) -> Imported:
    """Import the JSON API's ``students`` (each the CSV's student columns, the optional
    English names among them, and ``results``, a list of the course columns) as
    :func:`import_csv` does; a fault is placed as ``students[i]`` or
    ``students[i].results[j]`` and its column."""
    actor.require(Action.RECORDS_WRITE, organisation)
    progress("checking", 0, 0)
    found, problems = read_rows(_rows(students), limit=MAX_PROBLEMS)
    return _store(runtime, actor=actor, organisation=organisation, students=found,
                  problems=problems, source=source, dry_run=dry_run, progress=progress)


def _rows(students: Sequence[Mapping[str, Any]]) -> Iterator[tuple[object, list[str]]]:
    for index, student in enumerate(students):
        if not isinstance(student, Mapping):
            raise InputError(code="registrar.import.fault.not_object",
                             params={"row": f"students[{index}]"})
        head = [_text(student.get(name)) for name in COLUMNS[:11]]
        english = [_text(student.get(name)) for name in OPTIONAL_COLUMNS]
        results = student.get("results") or []
        if not isinstance(results, list):
            raise InputError(code="registrar.import.fault.not_object",
                             params={"row": f"students[{index}].results"})
        if not results:
            yield f"students[{index}]", head + [""] * len(COLUMNS[11:]) + english
        for position, result in enumerate(results):
            if not isinstance(result, Mapping):
                raise InputError(code="registrar.import.fault.not_object",
                                 params={"row": f"students[{index}].results[{position}]"})
            yield (f"students[{index}].results[{position}]",
                   head + [_text(result.get(name)) for name in COLUMNS[11:]] + english)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _store(runtime: Runtime, *, actor: Actor, organisation: str, students: list[Student],
           problems: list[Problem], source: str, dry_run: bool,
           progress: Progress, apart: bool = False) -> Imported:
    if problems:
        raise RecordImportError(code="registrar.import.refused",
                                params={"count": len(problems), "source": source},
                                problems=problems)
    if not students:
        raise RecordImportError(code="registrar.import.empty", params={"source": source})
    progress("checked", len(students), len(students))
    now = runtime.now()
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        principal = actor.require(Action.RECORDS_WRITE, organisation)
        known = record_store.known_students(session, row.id)
        new = [student for student in students if student.number not in known]
        changed = [(known[student.number], student) for student in students
                   if student.number in known
                   and known[student.number].fingerprint != student.fingerprint()]
        imported = Imported(organisation, source, len(students),
                            sum(len(student.results) for student in students), len(new),
                            len(changed), len(students) - len(new) - len(changed), dry_run)
        if dry_run or not (new or changed):
            return imported
        total = len(new) + len(changed)
        steps = [(new[start:start + WRITTEN_AT_ONCE], changed[:0])
                 for start in range(0, len(new), WRITTEN_AT_ONCE)]
        steps += [(new[:0], changed[start:start + WRITTEN_AT_ONCE])
                  for start in range(0, len(changed), WRITTEN_AT_ONCE)]
        progress("writing", 0, total)
        if not apart:
            written = 0
            for adding, replacing in steps:
                written += _write(session, row.id, adding, replacing, at=now, source=source)
                progress("writing", written, total)
            audit.record(session, at=now, actor=principal.subject,
                         action="registrar.records-imported", subject=organisation,
                         details=imported.to_dict())
            return imported
    written = 0
    for index, (adding, replacing) in enumerate(steps):
        with runtime.transaction() as session:
            written += _write(session, row.id, adding, replacing, at=now, source=source)
            if index == len(steps) - 1:
                audit.record(session, at=now, actor=principal.subject,
                             action="registrar.records-imported", subject=organisation,
                             details=imported.to_dict())
        progress("writing", written, total)
    return imported


def _write(session: Session, organisation_id: int, adding: list[Student],
           replacing: list[tuple[record_store.Known, Student]], *, at: dt.datetime,
           source: str) -> int:
    """Store ``adding`` as new students and ``replacing`` as their next versions; how many."""
    if adding:
        record_store.add_students(session, organisation_id=organisation_id, students=adding,
                                  at=at)
    if replacing:
        record_store.replace_students(session, changed=replacing, at=at, source=source)
    return len(adding) + len(replacing)
