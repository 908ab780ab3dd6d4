"""Benchmark: a graduating class's documents (issue 56).

Target (the issue): 5,000 graduates get their degree (学位記) and transcript (成績証明書) as
PDF + Open Badges 3.0 credential (+ the transcript's CLR 2.0) in ≤ 5 minutes, resumable after
``kill -9`` with no duplicate. This script imports ``--students`` graduates with ``--courses``
results each into a scratch store and runs ``documents.issue_class`` (as ``credstack
registrar-documents class``) twice: the first run signs everything, the second finds it all
stored (the resume path). PDFs are timestamped only when ``CREDSTACK_TSA_URL`` is set.
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

from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.access import Operator
from credstack.core.registrar.grades import SCALES, Scale
from credstack.core.registrar.records import CourseResult, Standing, Student, write_csv
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.registrar import documents, importing
from measure import machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.accounts import ORGANISATION, add_issuer, store_session

ACTOR = Operator("bench")


def students(count: int, courses: int) -> list[Student]:
    chance = random.Random(56)
    marks = sorted(SCALES[Scale.JP])
    return [Student(number=f"22A{index:05d}", name="山田 花子", name_kana="ヤマダ ハナコ",
                    name_latin="YAMADA Hanako", birth_date=dt.date(2003, 4, 2),
                    faculty="工学部", department="機械工学科", degree_name="学士（工学）",
                    admission_date=dt.date(2022, 4, 1), completion_date=dt.date(2026, 3, 31),
                    standing=Standing.GRADUATED,
                    results=tuple(CourseResult(f"{2022 + n // 10}-前期", f"ME{n:03d}",
                                               f"科目{n}", Decimal(2),
                                               SCALES[Scale.JP][chance.choice(marks)])
                                  for n in range(courses)))
            for index in range(count)]


def run(count: int, courses: int) -> dict[str, str]:
    secret = new_master_key_text()
    with scratch_store("sqlite") as settings:
        configured = dataclasses.replace(settings, secret_key=secret)
        with store_session(configured) as session:
            add_issuer(session, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
                       secret=MasterKey.from_text(secret, source="bench"))
        with open_runtime(settings=configured) as runtime:
            importing.import_csv(runtime, actor=ACTOR, organisation=ORGANISATION["slug"],
                                 data=write_csv(students(count, courses)).encode("utf-8"))
            started, cpu = time.perf_counter(), time.process_time()
            first = documents.issue_class(runtime, actor=ACTOR,
                                          organisation=ORGANISATION["slug"], batch="bench")
            wall, used = time.perf_counter() - started, time.process_time() - cpu
            started = time.perf_counter()
            again = documents.issue_class(runtime, actor=ACTOR,
                                          organisation=ORGANISATION["slug"], batch="bench")
            resumed = time.perf_counter() - started
    return {"students": f"{count:,}", "courses": str(courses), "forms": f"{first.issued:,}",
            "wall s": f"{wall:.1f}", "CPU s": f"{used:.1f}",
            "ms/student": f"{1000 * wall / count:.0f}",
            "5,000 est. s": f"{5000 * wall / count:.0f}",
            "again: signed": str(again.issued), "again s": f"{resumed:.1f}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--students", type=int, default=5_000)
    parser.add_argument("--courses", type=int, default=40)
    options = parser.parse_args()
    print_figures(Console(width=200), f"registrar documents ({machine()})",
                  [run(options.students, options.courses)])


if __name__ == "__main__":
    main()
