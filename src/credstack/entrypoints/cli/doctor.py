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
from credstack.entrypoints.cli.console import DataDir, acting, operator, out, say
from credstack.services.issuance import doctor as doctor_service

#: How many indexes of each kind a finding lists before it only counts them.
SHOWN = 10


def doctor(
    repair: Annotated[bool, typer.Option(
        "--repair", help="Rewrite each disagreeing bitmap from the stored credentials "
        "(recorded in the audit log). / 保存済みの証明からビットマップを書き直します"
        "（監査ログに記録）。")] = False,
    data_dir: DataDir = None,
) -> None:
    """Check the status lists' allocation bitmaps against the stored credentials.
    / ステータスリストの割り当てビットマップを保存済みの証明と照合します。"""
    with acting(data_dir, code=2) as opened:
        report = doctor_service.check_status_lists(opened, actor=operator(), repair=repair)
    if report.ok:
        out.print(say(f"consistent: {report.lists} status list(s) agree with their credentials",
                      f"整合：ステータスリスト {report.lists} 件すべてが証明と一致しています"),
                  soft_wrap=True)
        return
    out.print(say(f"[bold red]MISMATCH[/]: {len(report.mismatches)} of {report.lists} status "
                  "list(s) disagree with their credentials",
                  f"[bold red]不整合[/]：ステータスリスト {report.lists} 件中 "
                  f"{len(report.mismatches)} 件が証明と一致しません"), soft_wrap=True)
    for found in report.mismatches:
        _print_finding(found, repaired=report.repaired and found.repairable)
    if not report.repaired:
        out.print(say("Run `credstack doctor --repair` to rewrite the bitmaps from the "
                      "credentials.",
                      "`credstack doctor --repair` で証明からビットマップを書き直せます。"),
                  soft_wrap=True)
        raise typer.Exit(1)
    if report.unrepairable:
        raise typer.Exit(1)


def _indexes(indexes: tuple[int, ...]) -> str:
    shown = ", ".join(str(index) for index in indexes[:SHOWN])
    return shown + (f", … (+{len(indexes) - SHOWN})" if len(indexes) > SHOWN else "")


def _print_finding(found: ListConsistency, *, repaired: bool) -> None:
    name = escape(f"{found.organisation}/{found.number}")
    out.print(say(f"  • {name}: {found.held} index(es) held by credentials, "
                  f"{found.recorded_used} recorded as used",
                  f"  • {name}：証明が保持する番号 {found.held} 件、使用済みとして記録 "
                  f"{found.recorded_used} 件"), soft_wrap=True)
    if found.unmarked:
        out.print(say(f"      held but not marked ({len(found.unmarked)}): "
                      f"{_indexes(found.unmarked)}",
                      f"      保持されているが未記録（{len(found.unmarked)} 件）："
                      f"{_indexes(found.unmarked)}"), soft_wrap=True)
    if found.unheld:
        out.print(say(f"      marked but held by no credential ({len(found.unheld)}): "
                      f"{_indexes(found.unheld)}",
                      f"      記録されているがどの証明も保持していない"
                      f"（{len(found.unheld)} 件）：{_indexes(found.unheld)}"), soft_wrap=True)
    if found.outside:
        out.print(say(f"      [bold red]held beyond the list's {found.size} indexes, cannot be "
                      f"repaired[/] ({len(found.outside)}): {_indexes(found.outside)}",
                      f"      [bold red]リストの大きさ {found.size} を超える番号"
                      "（修復できません）[/]"
                      f"（{len(found.outside)} 件）：{_indexes(found.outside)}"), soft_wrap=True)
    if repaired:
        out.print(say("      repaired: the bitmap now marks exactly the credentials' indexes",
                      "      修復済み：ビットマップを証明の番号どおりに書き直しました"),
                  soft_wrap=True)
