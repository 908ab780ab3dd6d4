"""``credstack audit …``: verify the hash-chained audit log, show its entries.

``verify`` exits 0 when the log is intact and 1 when anything was changed (every finding is
printed, with the entry it concerns); 2 when it cannot decide (no store, no secret key).
``checkpoint`` appends the log's signed end to the checkpoint file, which ``verify`` compares
the log with (see :mod:`credstack.services.audit.checkpoints`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column

from credstack.core.audit import AuditEntry, AuditReport, format_time
from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    err,
    language,
    operator,
    out,
    print_table,
    say,
)
from credstack.services.audit import checkpoints as checkpoint_files
from credstack.services.audit import service as audit
from credstack.words import words

app = typer.Typer(help="The tamper-evident audit log. / 改ざん検知可能な監査ログ",
                  no_args_is_help=True)


@app.command()
def verify(
    checkpoints: Annotated[Path | None, typer.Option(
        "--checkpoints", help="Compare with the checkpoints of this file (default: the "
        "checkpoint file, CREDSTACK_AUDIT_CHECKPOINTS, when it exists).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Check every entry's hash and link, the authenticated head and the signed checkpoints
    (exit 1 if tampered)."""
    with acting(data_dir, code=2) as opened, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(say("Verifying", "検証中"), total=None)
        report = audit.verify_log(
            opened, actor=operator(), checkpoints=checkpoints,
            progress=lambda read, total: bar.update(task, completed=read, total=total))
    _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def checkpoint(
    public_key: Annotated[bool, typer.Option(
        "--public-key", help="Print the did:key that verifies the checkpoints instead.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Append the log's end, signed, to the checkpoint file (workers do it every hour)."""
    with acting(data_dir, code=2) as opened:
        if public_key:
            typer.echo(checkpoint_files.public_key_id(opened, actor=operator()))
            return
        written = checkpoint_files.write(opened, actor=operator())
    mark = written.checkpoint
    if written.new:
        out.print(say(f"checkpoint written: entry {mark.seq} (hash {mark.hash}) to "
                      f"{escape(str(written.file))}",
                      f"チェックポイントを書き込みました：エントリ {mark.seq}（ハッシュ "
                      f"{mark.hash}）→ {escape(str(written.file))}"), soft_wrap=True)
    else:
        out.print(say(f"unchanged since the last checkpoint: entry {mark.seq} in "
                      f"{escape(str(written.file))}",
                      f"前回のチェックポイント（エントリ {mark.seq}）から変化はありません："
                      f"{escape(str(written.file))}"), soft_wrap=True)


def _print_report(report: AuditReport) -> None:
    head = report.head
    head_text = f"head seq {head.seq} hash {head.hash}" if head else "no head"
    head_ja = f"ヘッド seq {head.seq} ハッシュ {head.hash}" if head else "ヘッドなし"
    if report.ok:
        out.print(say(f"intact: {report.entries} entries, {head_text}; "
                      f"{report.checkpoints} checkpoint(s) agree",
                      f"改ざんなし：{report.entries} 件、{head_ja}、チェックポイント "
                      f"{report.checkpoints} 件と一致"), soft_wrap=True)
        return
    out.print(say(f"[bold red]TAMPERED[/]: {len(report.findings):,} finding(s) in "
                  f"{report.entries:,} entries ({head_text})",
                  f"[bold red]改ざんあり[/]：{report.entries:,} 件中 "
                  f"{len(report.findings):,} 件の検出（{head_ja}）"), soft_wrap=True)
    for finding in report.findings:
        message = words(finding.said, language())
        out.print(f"  • [bold]{finding.kind}[/] (seq {finding.seq}): {escape(message)}",
                  soft_wrap=True)


def _public(entry: AuditEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "at": format_time(entry.at), "actor": entry.actor,
            "action": entry.action, "subject": entry.subject, "details": dict(entry.details),
            "prev_hash": entry.prev_hash, "hash": entry.hash, "request_id": entry.request_id}


@app.command()
def show(
    subject: Annotated[str | None, typer.Option("--subject", help="Only entries about this "
                                                "(e.g. application:app_…).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of the latest "
                                       "entries.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Show the latest entries (oldest first), optionally about one subject."""
    with acting(data_dir, code=2) as opened:
        found = audit.latest_entries(opened, actor=operator(), subject=subject, limit=limit)
    if as_json:
        for entry in found:
            typer.echo(json.dumps(_public(entry), ensure_ascii=False))
        return
    if not found:
        err.print(say("No audit entries.", "監査ログのエントリはありません。"))
        return
    print_table([Column(name, overflow="fold") for name in (
        say("seq", "seq"), say("at (UTC)", "日時 (UTC)"), say("actor", "実行者"),
        say("action", "操作"), say("subject", "対象"), say("details", "詳細"))], [
        (str(entry.seq), format_time(entry.at), escape(entry.actor), escape(entry.action),
         escape(entry.subject), escape(json.dumps(dict(entry.details), ensure_ascii=False)))
        for entry in found])
