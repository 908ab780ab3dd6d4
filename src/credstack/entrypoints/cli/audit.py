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
    t,
)
from credstack.services.audit import checkpoints as checkpoint_files
from credstack.services.audit import service as audit
from credstack.words import words

app = typer.Typer(help="cli.help.audit.the_tamper_evident_audit",
                  no_args_is_help=True)


@app.command(help="cli.help.audit.check_every_entrys_hash")
def verify(
    checkpoints: Annotated[Path | None, typer.Option(
        "--checkpoints", help="cli.help.audit.compare_with_the_checkpoints")] = None,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir, code=2) as opened, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(t("cli.audit.verifying"), total=None)
        report = audit.verify_log(
            opened, actor=operator(), checkpoints=checkpoints,
            progress=lambda read, total: bar.update(task, completed=read, total=total))
    _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


@app.command(help="cli.help.audit.append_the_logs_end")
def checkpoint(
    public_key: Annotated[bool, typer.Option(
        "--public-key", help="cli.help.audit.print_the_did_key")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir, code=2) as opened:
        if public_key:
            typer.echo(checkpoint_files.public_key_id(opened, actor=operator()))
            return
        written = checkpoint_files.write(opened, actor=operator())
    mark = written.checkpoint
    if written.new:
        out.print(t("cli.audit.checkpoint_written_entry_hash", seq=mark.seq, hash=mark.hash,
                    value=escape(str(written.file))), soft_wrap=True)
    else:
        out.print(t("cli.audit.unchanged_since_last_checkpoint_entry", seq=mark.seq,
                    value=escape(str(written.file))), soft_wrap=True)


def _print_report(report: AuditReport) -> None:
    head = report.head
    head_text = t("cli.audit.head", seq=head.seq, hash=head.hash) if head else t(
        "cli.audit.no_head")
    if report.ok:
        out.print(t("cli.audit.intact", entries=report.entries, head=head_text,
                    checkpoints=report.checkpoints), soft_wrap=True)
        return
    out.print(t("cli.audit.tampered", findings=len(report.findings), entries=report.entries,
                head=head_text), soft_wrap=True)
    for finding in report.findings:
        message = words(finding.said, language())
        out.print(f"  • [bold]{finding.kind}[/] (seq {finding.seq}): {escape(message)}",
                  soft_wrap=True)


def _public(entry: AuditEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "at": format_time(entry.at), "actor": entry.actor,
            "action": entry.action, "subject": entry.subject, "details": dict(entry.details),
            "prev_hash": entry.prev_hash, "hash": entry.hash, "request_id": entry.request_id}


@app.command(help="cli.help.audit.show_the_latest_entries")
def show(
    subject: Annotated[str | None, typer.Option("--subject",
        help="cli.help.audit.only_entries_about_this")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1,
        help="cli.help.audit.how_many_of_the")] = 50,
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.audit.print_json_lines")] = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir, code=2) as opened:
        found = audit.latest_entries(opened, actor=operator(), subject=subject, limit=limit)
    if as_json:
        for entry in found:
            typer.echo(json.dumps(_public(entry), ensure_ascii=False))
        return
    if not found:
        err.print(t("cli.audit.no_audit_entries"))
        return
    print_table([Column(name, overflow="fold") for name in (
        t("cli.audit.seq"), t("cli.audit.at_utc"), t("cli.audit.actor"),
        t("cli.audit.action"), t("cli.audit.subject"), t("cli.audit.details"))], [
        (str(entry.seq), format_time(entry.at), escape(entry.actor), escape(entry.action),
         escape(entry.subject), escape(json.dumps(dict(entry.details), ensure_ascii=False)))
        for entry in found])
