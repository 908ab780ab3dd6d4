#!/usr/bin/env python3
"""Benchmark: import a student-information system's Shift_JIS export (issue 56).

    .venv/bin/python bench/registrar.py [--students 20000] [--courses 40]
        [--store sqlite|postgresql]

Target (the issue): a 20,000-student Shift_JIS export imports in ≤ 60 s on SQLite; every bad
row of a broken file reported with nothing written; the same on PostgreSQL.

Steps, each timed on its own, on a fresh store (a temporary SQLite file, or a scratch
PostgreSQL database dropped at the end):

1. generate ``--students`` students with ``--courses`` results each and write them as the
   template's CSV in Shift_JIS (``write_csv``, then ``encode("shift_jis")``);
2. import it (``importing.import_csv``, as ``credstack registrar import``: decode, read and
   check every row, store, commit, one audit entry);
3. import the same file again (every record unchanged);
4. import it with every 1,000th student's grade changed (each becomes version 2, the one
   before kept in its history);
5. import a broken copy (every 500th row's date made impossible): refused, every bad row
   named, nothing written (the store's count of students is checked unchanged);
6. ``--job`` (the default): the first file imported again as the web form and the API's
   ``?async=true`` do it, into a second organisation, through a background job: the file
   staged in the store in 1 MiB parts (``start_with_input``), then the job run as a worker
   runs it (``run_job``: read the parts, import, remove them); CPU seconds of each half and
   rows a second of the whole, and the peak resident memory of the process that runs it (a
   process of its own, started for the job, as a worker is: its peak once the store is
   open, then at the job's end); then the broken copy through a job (failed, every bad row
   named, nothing written, its parts removed).

``--job-only`` skips steps 2 to 5.

Each import's wall-clock time is shown with the CPU time of this process (the machine may be
shared: the load average is printed in the title). The script always exits 0; it reports, it
does not judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import multiprocessing
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from rich.console import Console

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import registrar as record_store
from credstack.adapters.db.transactions import Session
from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator, Principal
from credstack.core.access.actors import ActingAs
from credstack.core.registrar.grades import SCALES, Scale
from credstack.core.registrar.records import CourseResult, Standing, Student, write_csv
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import RecordImportError
from credstack.services import jobs
from credstack.services.accounts import service as accounts
from credstack.services.background.handlers import start_records_import
from credstack.services.jobs import files as job_files
from credstack.services.registrar import importing
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from measure import machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.accounts import add_organisation, add_user

UNIVERSITY = "bench-university"
FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["花子", "太郎", "一郎", "美咲", "翔太", "陽菜", "大輔", "結衣", "健太", "さくら"]
FAMILY_KANA = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト",
               "ナカムラ", "コバヤシ", "カトウ"]
GIVEN_KANA = ["ハナコ", "タロウ", "イチロウ", "ミサキ", "ショウタ", "ヒナ", "ダイスケ", "ユイ",
              "ケンタ", "サクラ"]
FAMILY_LATIN = ["SATO", "SUZUKI", "TAKAHASHI", "TANAKA", "ITO", "WATANABE", "YAMAMOTO",
                "NAKAMURA", "KOBAYASHI", "KATO"]
GIVEN_LATIN = ["Hanako", "Taro", "Ichiro", "Misaki", "Shota", "Hina", "Daisuke", "Yui", "Kenta",
               "Sakura"]
DEPARTMENTS = [("工学部", "機械工学科", "学士（工学）"),
               ("工学部", "電気工学科", "学士（工学）"),
               ("システム理工学部", "数理科学科", "学士（理学）"),
               ("建築学部", "建築学科", "学士（工学）")]


def students(count: int, courses: int, seed: int = 0) -> list[Student]:
    """``count`` students, ``courses`` results each, on the four scales."""
    chance = random.Random(seed)
    jp = list(SCALES[Scale.JP].values())
    letter = list(SCALES[Scale.LETTER].values())
    made = []
    for index in range(count):
        family, given = chance.randrange(10), chance.randrange(10)
        faculty, department, degree = DEPARTMENTS[index % len(DEPARTMENTS)]
        year = 2019 + index % 4
        results = []
        for course in range(courses):
            term = f"{year + course // 10}-{'前期' if course % 10 < 5 else '後期'}"
            if course % 13 == 12:
                grade = SCALES[Scale.PASS_FAIL]["pass"]
            elif course == courses - 1 and index % 7 == 0:
                grade = SCALES[Scale.TRANSFER]["transfer"]
            else:
                grade = chance.choice(jp if course % 2 else letter)
            results.append(CourseResult(term, f"C{course:03}", f"科目{course:03}",
                                        Decimal(chance.choice((1, 2, 2, 2, 4))), grade))
        made.append(Student(
            number=f"{year % 100:02}A{index:05}",
            name=f"{FAMILY[family]} {GIVEN[given]}",
            name_kana=f"{FAMILY_KANA[family]} {GIVEN_KANA[given]}",
            name_latin=f"{FAMILY_LATIN[family]} {GIVEN_LATIN[given]}",
            birth_date=dt.date(year - 19, 1 + index % 12, 1 + index % 28),
            faculty=faculty, department=department, degree_name=degree,
            admission_date=dt.date(year, 4, 1), completion_date=dt.date(year + 4, 3, 31),
            standing=Standing.GRADUATED if year < 2022 else Standing.EXPECTED,
            results=tuple(results)))
    return made


#: The organisation the job imports into (a second store of records, so that it writes).
JOB_UNIVERSITY = "bench-university-jobs"


def records_figures(session: Session, slug: str) -> int:
    """How many students ``slug`` has stored."""
    return len(record_store.known_students(
        session, organisation_store.existing_row(session, slug).id))


def _parts(data: bytes) -> list[bytes]:
    """The file as an upload arrives: in 1 MiB pieces."""
    return [data[at:at + job_files.PART_BYTES] for at in range(0, len(data),
                                                                 job_files.PART_BYTES)]


def _peak_mib() -> float:
    """This process's peak resident memory in MiB (Linux's VmHWM: unlike ``ru_maxrss``, not
    the peak of the process it was started from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _alone(settings: Settings, public_id: str) -> tuple[str | None, float, float, float, float]:
    """Run the job ``public_id`` in this process (a new one): its outcome, wall and CPU
    seconds, and the peak resident memory (MiB) once the store is open and at the end."""
    with open_runtime(settings=settings) as runtime:
        opened = _peak_mib()
        start, cpu = time.perf_counter(), time.process_time()
        state = jobs.run_job(runtime, public_id)
        return (state, time.perf_counter() - start, time.process_time() - cpu, opened,
                _peak_mib())


def through_job(runtime: Runtime, data: bytes, broken: bytes, courses: int
                ) -> dict[str, str]:
    """Step 6: the import staged, then run as a worker runs it; CPU of each half."""
    add_user(runtime.settings, "bench-clerk@example.jp", roles=[(JOB_UNIVERSITY, "registrar")])
    with runtime.transaction() as session:
        clerk = accounts.user(session, email="bench-clerk@example.jp")
    actor = ActingAs(Principal(subject=clerk.subject, user_id=clerk.id, email=clerk.email,
                               memberships=clerk.memberships))
    figures: dict[str, str] = {}
    for label, body in (("job", data), ("job, broken", broken)):
        start, cpu = time.perf_counter(), time.process_time()
        job = start_records_import(runtime, actor=actor, organisation=JOB_UNIVERSITY,
                                   chunks=_parts(body), form="csv", source="bench.csv",
                                   encoding=None, dry_run=False)
        staged_wall, staged_cpu = time.perf_counter() - start, time.process_time() - cpu
        with multiprocessing.get_context("spawn").Pool(1) as worker:
            state, run_wall, run_cpu, opened, peak = worker.apply(
                _alone, (runtime.settings, job.public_id))
        found = jobs.job(runtime, actor=actor, public_id=job.public_id)
        left = job_files.forget_input(runtime, job_id=job.public_id)
        rows = (found.result or {}).get("results", 0) or 0
        figures[f"{label}: staged"] = f"{staged_wall:.1f} s (CPU {staged_cpu:.1f} s)"
        figures[f"{label}: run"] = (f"{state}, {run_wall:.1f} s (CPU {run_cpu:.1f} s), "
                                    f"progress {found.done:,}/{found.total or 0:,}, "
                                    f"{left} parts left")
        figures[f"{label}: worker's peak RSS"] = (f"{peak:,.0f} MiB "
                                                  f"({opened:,.0f} MiB with the store open)")
        if rows:
            figures[f"{label}: rows/s"] = (
                f"{rows / (staged_wall + run_wall):,.0f} wall, "
                f"{rows / (staged_cpu + run_cpu):,.0f} per CPU second")
        elif found.failure is not None:
            figures[f"{label}: refused"] = f"{len(found.failure.problems):,} rows named"
    del courses
    return figures


def run(store: str, count: int, courses: int, *, job: bool = True, direct: bool = True
        ) -> dict[str, str]:
    operator = Operator("bench")
    start = time.perf_counter()
    made = students(count, courses)
    data = write_csv(made).encode("shift_jis")
    generated = time.perf_counter() - start
    changed = [dataclasses.replace(student, results=(
        dataclasses.replace(student.results[0], grade=SCALES[Scale.LETTER]["F"]),
        *student.results[1:])) if index % 1000 == 0 else student
        for index, student in enumerate(made)]
    changed_data = write_csv(changed).encode("shift_jis")
    lines = data.split(b"\r\n")
    broken_lines = [line.replace(b"-04-01,", b"-04-31,", 1) if index and index % 500 == 0
                    else line for index, line in enumerate(lines)]
    broken = b"\r\n".join(broken_lines)
    figures = {"store": store, "students": f"{count:,}", "results": f"{count * courses:,}",
               "file": f"{len(data) / 2**20:,.1f} MiB", "generated": f"{generated:.1f} s"}
    with scratch_store(store) as settings, open_runtime(settings=dataclasses.replace(
            settings, secret_key=new_master_key_text())) as runtime:
        add_organisation(runtime.settings, UNIVERSITY)
        for label, body in (("first import", data), ("same again", data),
                            (f"{count // 1000} changed", changed_data)) if direct else ():
            start, cpu = time.perf_counter(), time.process_time()
            done = importing.import_csv(runtime, actor=operator, organisation=UNIVERSITY,
                                        data=body, source="bench.csv")
            figures[label] = (f"{time.perf_counter() - start:.1f} s "
                              f"(CPU {time.process_time() - cpu:.1f} s)")
            figures[f"{label}: new/upd/same"] = f"{done.created}/{done.updated}/{done.unchanged}"
        if direct:
            figures |= _refused(runtime, operator, count, broken, changed_data)
        if job:
            figures |= through_job(runtime, data, broken, courses)
            with runtime.transaction() as session:
                stored = records_figures(session, JOB_UNIVERSITY)
            figures["job: students stored"] = f"{stored:,}"
    return figures


def _refused(runtime: Runtime, operator: Operator, count: int, broken: bytes,
             changed_data: bytes) -> dict[str, str]:
    """Step 5: the broken copy refused, and nothing written."""
    figures: dict[str, str] = {}
    start = time.perf_counter()
    try:
        importing.import_csv(runtime, actor=operator, organisation=UNIVERSITY, data=broken,
                             source="broken.csv")
        figures["broken file"] = "ACCEPTED (wrong)"
    except RecordImportError as refused:
        figures["broken file"] = (f"refused in {time.perf_counter() - start:.1f} s, "
                                  f"{len(refused.problems):,} rows named")
    again = importing.import_csv(runtime, actor=operator, organisation=UNIVERSITY,
                                 data=changed_data, source="check.csv", dry_run=True)
    figures["after refusal"] = ("nothing written" if again.unchanged == count
                                else f"{again.updated} changed (wrong)")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--no-job", dest="job", action="store_false",
                        help="skip step 6 (the import through a background job)")
    parser.add_argument("--job-only", dest="direct", action="store_false",
                        help="skip steps 2 to 5 (the imports in this process)")
    args = parser.parse_args()
    print_figures(Console(width=200), f"registrar import, Shift_JIS ({machine()})",
                  [run(args.store, args.students, args.courses, job=args.job,
                       direct=args.direct)])


if __name__ == "__main__":
    main()
