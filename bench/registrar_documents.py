"""Benchmark: a graduating class's documents, killed with ``kill -9`` and resumed (issue 56).

Target (the issue): 5,000 graduates get their degree (学位記) and transcript (成績証明書) as
PDF + Open Badges 3.0 credential (+ the transcript's CLR 2.0) in ≤ 5 minutes, resumable after
``kill -9`` with no duplicate. This script imports ``--students`` graduates with ``--courses``
results each into a scratch store (SQLite, or ``--store postgresql``), then runs ``credstack
registrar-documents class`` as a child process, kills it with SIGKILL once ``--kill-at`` of
the forms are stored, runs the same command again to the end, and runs it a third time (it
must sign nothing). The store is then counted: one form of each kind, form and language a
student, one status entry a student, no duplicate. PDFs are timestamped only when
``CREDSTACK_TSA_URL`` is set. The figures: forms stored when killed, the resumed run's, the
whole class's time (both runs, their start-up included) and CPU time (both child processes
and the signing processes they fork, the figure a loaded machine changes least; the killed
run's signing processes, reaped by init, are not counted), forms a second, the class of
5,000's estimate. ``--workers`` is the runs' signing processes.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.tables.registrar_documents import (
    RegistrarDocumentRow,
    RegistrarDocumentStatusRow,
)
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.access import Operator
from credstack.core.registrar.grades import SCALES, Scale
from credstack.core.registrar.records import CourseResult, Standing, Student, write_csv
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.registrar import importing
from credstack.settings import Settings
from measure import machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.accounts import ORGANISATION, add_issuer, store_session, store_sessions
from tests.conftest import store_environment

ACTOR = Operator("bench")
SLUG = ORGANISATION["slug"]
#: The forms a graduate gets: the degree's PDF and credential, the transcript's PDF,
#: credential and CLR.
FORMS_A_STUDENT = 5


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


def stored(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(RegistrarDocumentRow)) or 0


def duplicates(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """Forms stored more than once for a student (same kind, form, language), and students
    with more than one status entry."""
    with sessions() as session:
        forms = session.execute(
            select(RegistrarDocumentStatusRow.student_id, RegistrarDocumentRow.kind,
                   RegistrarDocumentRow.form, RegistrarDocumentRow.language)
            .join(RegistrarDocumentStatusRow,
                  RegistrarDocumentStatusRow.id == RegistrarDocumentRow.status_id)
            .group_by(RegistrarDocumentStatusRow.student_id, RegistrarDocumentRow.kind,
                      RegistrarDocumentRow.form, RegistrarDocumentRow.language)
            .having(func.count() > 1)).all()
        entries = session.execute(
            select(RegistrarDocumentStatusRow.student_id)
            .group_by(RegistrarDocumentStatusRow.student_id).having(func.count() > 1)).all()
    return len(forms), len(entries)


def command(settings: Settings, secret: str, workers: int
            ) -> tuple[list[str], dict[str, str]]:
    """``credstack registrar-documents class`` on the scratch store, and its environment."""
    return ([sys.executable, "-m", "credstack", "registrar-documents", "class", "-o", SLUG,
             "--batch", "bench-class", "--workers", str(workers), "--json"],
            {**os.environ, **store_environment(settings, secret=secret)})


def run(store: str, count: int, courses: int, kill_at: float, workers: int
        ) -> dict[str, str]:
    secret = new_master_key_text()
    expected = count * FORMS_A_STUDENT
    with scratch_store(store) as settings:
        configured = dataclasses.replace(settings, secret_key=secret)
        with store_session(configured) as session:
            add_issuer(session, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
                       secret=MasterKey.from_text(secret, source="bench"))
        with open_runtime(settings=configured) as runtime:
            importing.import_csv(runtime, actor=ACTOR, organisation=SLUG,
                                 data=write_csv(students(count, courses)).encode("utf-8"))
        argv, environment = command(configured, secret, workers)
        with store_sessions(configured) as sessions:
            cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            child = subprocess.Popen(argv, env=environment, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            killed_with = 0
            while child.poll() is None:
                time.sleep(0.2)
                killed_with = stored(sessions)
                if killed_with >= kill_at * expected:
                    os.kill(child.pid, signal.SIGKILL)
                    break
            child.wait()
            until_kill = time.perf_counter() - started
            killed_with = stored(sessions)
            if child.returncode != -signal.SIGKILL:
                raise SystemExit(f"the first run was not killed (exit {child.returncode}); "
                                 f"a larger class or a smaller --kill-at")
            resumed_at = time.perf_counter()
            second = subprocess.run(argv, env=environment, capture_output=True, check=True)
            resumed = time.perf_counter() - resumed_at
            wall = time.perf_counter() - started
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            used_s = (used.ru_utime - cpu.ru_utime) + (used.ru_stime - cpu.ru_stime)
            third_at = time.perf_counter()
            third = subprocess.run(argv, env=environment, capture_output=True, check=True)
            again = time.perf_counter() - third_at
            counted, (doubled, entries) = stored(sessions), duplicates(sessions)
    finished, last = json.loads(second.stdout), json.loads(third.stdout)
    if counted != expected or doubled or entries or last["issued"]:
        raise SystemExit(f"stored {counted} of {expected} forms, {doubled} duplicated, "
                         f"{entries} students with two status entries, "
                         f"{last['issued']} signed again")
    return {"store": store, "workers": str(workers), "students": f"{count:,}",
            "courses": str(courses),
            "forms": f"{counted:,}",
            "killed after s": f"{until_kill:.1f}", "forms when killed": f"{killed_with:,}",
            "resumed s": f"{resumed:.1f}", "resumed: signed": f"{finished['issued']:,}",
            "resumed: students done before": f"{finished['already']:,}",
            "class s": f"{wall:.1f}", "CPU s": f"{used_s:.1f}",
            "forms/s": f"{counted / wall:.1f}", "ms/student": f"{1000 * wall / count:.0f}",
            "CPU ms/student": f"{1000 * used_s / count:.0f}",
            "5,000 est. s": f"{5000 * wall / count:.0f}",
            "third run: signed": str(last["issued"]), "third run s": f"{again:.1f}",
            "duplicates": str(doubled + entries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--students", type=int, default=5_000)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--kill-at", type=float, default=0.4,
                        help="the share of the class's forms stored when the run is killed")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="the signing processes of each run (--workers)")
    options = parser.parse_args()
    print_figures(Console(width=240), f"registrar documents, killed and resumed ({machine()})",
                  [run(options.store, options.students, options.courses, options.kill_at,
                       options.workers)])


if __name__ == "__main__":
    main()
