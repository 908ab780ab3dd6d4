#!/usr/bin/env python3
"""Benchmark: the hourly purge of expired OID4VC rows (``credstack oid4vc purge``).

    .venv/bin/python bench/oid4vc_purge.py [--learners 20000] [--database sqlite postgresql]
        [--batch 1000]

A cohort of ``--learners`` is issued (``eddsa-jcs-2022``), which makes one e-mail credential
offer per learner (seven days). Then :func:`credstack.services.oid4vci.purge.purge` is timed
an hour later (every offer still live: the cost of an hourly run that finds nothing) and
eight days later (every offer expired: deleted ``--batch`` rows per transaction), and once
more with nothing left. The script reports; it does not judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time

from rich.console import Console
from sqlalchemy import func, select

from credstack.adapters.db.tables.oid4vc import Oid4vciOfferRow
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.access import Operator
from credstack.core.credentials.cohorts import read_cohort
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.issuance import cohorts
from credstack.services.oid4vci import purge
from issuance import NOW, PUBLIC_URL, cohort_csv, prepare
from measure import machine, print_figures, scratch_store


def run(database: str, learners: int, batch: int, console: Console) -> dict[str, str]:
    secret_text = new_master_key_text()
    secret = MasterKey.from_text(secret_text, source="bench")
    now = [NOW]
    with scratch_store(database) as scratch:
        settings = dataclasses.replace(scratch, secret_key=secret_text, public_url=PUBLIC_URL)
        programme_id, _ = prepare(settings, secret)
        with open_runtime(settings=settings, clock=lambda: now[0]) as runtime:
            cohorts.issue_cohort(runtime, actor=Operator("bench"), programme_id=programme_id,
                                 cohort=read_cohort(cohort_csv(learners)), batch="bench",
                                 securing="eddsa-jcs-2022", workers=2)
            with runtime.sessions() as session:
                offers = session.scalar(select(func.count()).select_from(Oid4vciOfferRow))
            timings = {}
            for label, later in (("live", dt.timedelta(hours=1)),
                                 ("expired", dt.timedelta(days=8)),
                                 ("empty", dt.timedelta(days=8, hours=1))):
                now[0] = NOW + later
                started = time.perf_counter()
                removed = purge.purge(runtime, actor=Operator("bench"), batch=batch)
                timings[label] = (time.perf_counter() - started, removed.offers)
    assert timings["expired"][1] == offers == learners and timings["live"][1] == 0
    console.print(f"  {database}: {offers:,} offers", highlight=False)
    seconds = timings["expired"][0]
    return {"database": database, "offers": f"{offers:,}", "batch": f"{batch:,}",
            "nothing expired": f"{timings['live'][0] * 1000:,.0f} ms",
            "all expired": f"{seconds:.2f} s", "rows per second": f"{offers / seconds:,.0f}",
            "nothing left": f"{timings['empty'][0] * 1000:,.0f} ms"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument("--database", nargs="+", default=["sqlite"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--batch", type=int, default=purge.BATCH)
    arguments = parser.parse_args()
    console = Console()
    console.print(f"credstack OID4VC purge — {machine()}", highlight=False)
    rows = [run(database, arguments.learners, arguments.batch, console)
            for database in arguments.database]
    print_figures(console, "Expired OID4VC rows purged", rows)


if __name__ == "__main__":
    main()
