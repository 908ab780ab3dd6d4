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
   named, nothing written (the store's count of students is checked unchanged).

Each import's wall-clock time is shown with the CPU time of this process (the machine may be
shared: the load average is printed in the title). The script always exits 0; it reports, it
does not judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from rich.console import Console

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.core.registrar.grades import SCALES, Scale
from credstack.core.registrar.records import CourseResult, Standing, Student, write_csv
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import RecordImportError
from credstack.services.registrar import importing
from measure import machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.accounts import add_organisation

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


def run(store: str, count: int, courses: int) -> dict[str, str]:
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
                            (f"{count // 1000} changed", changed_data)):
            start, cpu = time.perf_counter(), time.process_time()
            done = importing.import_csv(runtime, actor=operator, organisation=UNIVERSITY,
                                        data=body, source="bench.csv")
            figures[label] = (f"{time.perf_counter() - start:.1f} s "
                              f"(CPU {time.process_time() - cpu:.1f} s)")
            figures[f"{label}: new/upd/same"] = f"{done.created}/{done.updated}/{done.unchanged}"
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
    args = parser.parse_args()
    print_figures(Console(width=200), f"registrar import, Shift_JIS ({machine()})",
                  [run(args.store, args.students, args.courses)])


if __name__ == "__main__":
    main()
