"""``credstack doctor``: check each status list's bitmap of given-out indexes against the
credentials stored in it; ``--repair`` rewrites the bitmaps from the credentials (audited).

Exits 0 when every list agrees (or every disagreeing list was repaired), 1 when a list
disagrees and was not repaired, 2 when the check could not run.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from credstack.core.status.consistency import ListConsistency
from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    operator,
    out,
    t,
)
from credstack.services.issuance import doctor as doctor_service

#: How many indexes of each kind a finding lists before it only counts them.
SHOWN = 10


def doctor(
    repair: Annotated[bool, typer.Option(
        "--repair", help="cli.help.doctor.rewrite_each_disagreeing_bitmap")] = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir, code=2) as opened:
        report = doctor_service.check_status_lists(opened, actor=operator(), repair=repair)
    if report.ok:
        out.print(t("cli.doctor.consistent_status_list_agree_with", lists=report.lists),
                  soft_wrap=True)
        return
    out.print(t("cli.doctor.mismatch_status_list", mismatches=len(report.mismatches),
                lists=report.lists), soft_wrap=True)
    for found in report.mismatches:
        _print_finding(found, repaired=report.repaired and found.repairable)
    if not report.repaired:
        out.print(t("cli.doctor.run_credstack_doctor_repair_rewrite"),
                  soft_wrap=True)
        raise typer.Exit(1)
    if report.unrepairable:
        raise typer.Exit(1)


def _indexes(indexes: tuple[int, ...]) -> str:
    shown = ", ".join(str(index) for index in indexes[:SHOWN])
    return shown + (f", … (+{len(indexes) - SHOWN})" if len(indexes) > SHOWN else "")


def _print_finding(found: ListConsistency, *, repaired: bool) -> None:
    name = escape(f"{found.organisation}/{found.number}")
    out.print(t("cli.doctor.index_es_held_by_credentials", name=name, held=found.held,
                recorded_used=found.recorded_used), soft_wrap=True)
    if found.unmarked:
        out.print(t("cli.doctor.held_but_not_marked", unmarked=len(found.unmarked),
                    unmarked2=_indexes(found.unmarked)), soft_wrap=True)
    if found.unheld:
        out.print(t("cli.doctor.marked_but_held_by_no", unheld=len(found.unheld),
                    unheld2=_indexes(found.unheld)), soft_wrap=True)
    if found.outside:
        out.print(t("cli.doctor.held_beyond_list", size=found.size,
                    outside=len(found.outside), outside2=_indexes(found.outside)), soft_wrap=True)
    if repaired:
        out.print(t("cli.doctor.repaired_bitmap_now_marks_exactly"),
                  soft_wrap=True)
