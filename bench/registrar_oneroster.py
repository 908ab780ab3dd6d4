#!/usr/bin/env python3
"""Benchmark: import a 1EdTech OneRoster 1.2 CSV roster (issue 56).

    .venv/bin/python bench/registrar_oneroster.py [--users 20000] [--courses 4]
        [--store sqlite|postgresql]

On a fresh store: generate a roster of ``--users`` students enrolled in ``--courses``
classes each with a final grade (the tests' generator, ``tests/core/registrar/
oneroster_roster.py``) and zip it; import it (``importing.import_roster`` from the zip, as
``credstack registrar import-oneroster`` does), then the same roster again (every record
unchanged). Each import's wall-clock time and rows of the roster per second are shown. The
script reports, it does not judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from rich.console import Console

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.registrar import importing
from measure import machine, print_figures, scratch_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.accounts import add_organisation
from tests.core.registrar.oneroster_roster import COURSES, roster, zipped

UNIVERSITY = "bench-university"


def run(store: str, users: int, courses: int) -> dict[str, str]:
    start = time.perf_counter()
    files = roster(users, courses=[(f"C{index:03}", f"科目{index:03}", "2")
                                   for index in range(courses)] if courses != 4 else COURSES)
    data = zipped(files)
    rows = sum(text.count("\r\n") - 1 for text in files.values())
    figures = {"store": store, "users": f"{users:,}", "roster rows": f"{rows:,}",
               "zip": f"{len(data) / 2**20:,.1f} MiB",
               "generated": f"{time.perf_counter() - start:.1f} s"}
    with scratch_store(store) as settings, open_runtime(settings=dataclasses.replace(
            settings, secret_key=new_master_key_text())) as runtime:
        add_organisation(runtime.settings, UNIVERSITY)
        for label in ("first import", "same again"):
            start = time.perf_counter()
            done = importing.import_roster(runtime, actor=Operator("bench"),
                                           organisation=UNIVERSITY,
                                           files=importing.roster_zip(data))
            took = time.perf_counter() - start
            figures[label] = f"{took:.1f} s, {rows / took:,.0f} rows/s"
            figures[f"{label}: new/upd/same"] = f"{done.created}/{done.updated}/{done.unchanged}"
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--courses", type=int, default=4)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    print_figures(Console(width=200), f"registrar OneRoster import ({machine()})",
                  [run(args.store, args.users, args.courses)])


if __name__ == "__main__":
    main()
