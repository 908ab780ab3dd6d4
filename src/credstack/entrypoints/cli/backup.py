"""``credstack init``, ``credstack backup`` and ``credstack restore``: a store made (or
migrated), and a store, its master key file and its audit checkpoints, into one directory and
back (see :mod:`credstack.services.operations.backup`).

``backup DIRECTORY`` works while the server serves. ``restore DIRECTORY`` writes into the
store the environment names (``--data-dir`` / ``CREDSTACK_DATA_DIR``, or
``CREDSTACK_DATABASE_URL`` for an empty PostgreSQL database), refusing to overwrite anything
unless ``--force``, then opens the restored store and verifies its audit log. Exit codes: 0
done (and, for ``restore``, verified); 1 refused or failed; 3 restored, but the audit log does
not verify (what was found is printed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from credstack.entrypoints.cli.console import (
    DataDir,
    JsonOption,
    acting,
    echo_json,
    err,
    exit_on_error,
    language,
    operator,
    out,
    say,
)
from credstack.services.operations import backup as backups
from credstack.settings import Settings
from credstack.words import words

#: Exit code of a restore whose audit log does not verify.
TAMPERED = 3

def init(data_dir: DataDir = None) -> None:
    """Create the data directory and bring the database schema up to date."""
    with acting(data_dir) as opened:
        where = opened.settings.store_location
    out.print(say(f"Store ready: {where}", f"ストアの準備ができました：{where}"))


Directory = Annotated[Path, typer.Argument(help="The backup's directory.", show_default=False)]


def _step_names() -> dict[str, str]:
    return {"store": say("Copying the store", "ストアをコピー中"),
            "checksums": say("Checksums", "チェックサム"),
            "audit": say("Verifying the audit log", "監査ログを検証中")}


@contextmanager
def _bars(quiet: bool) -> Iterator[backups.Progress]:
    """A progress bar per step on standard error (none with ``quiet``)."""
    if quiet:
        yield lambda _step, _done, _total: None
        return
    names = _step_names()
    tasks: dict[str, TaskID] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        def show(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(names.get(step, step), total=total or None)
            bar.update(tasks[step], completed=done, total=total or None)

        yield show


def backup(
    destination: Directory,
    data_dir: DataDir = None,
    as_json: JsonOption = False,
) -> None:
    """Back the store, its master key file and audit checkpoints up into a new directory
    (while the server serves). / ストア・マスター鍵・監査チェックポイントをバックアップする"""
    with acting(data_dir) as opened, _bars(as_json) as progress:
        made = backups.backup(opened, actor=operator(), destination=destination,
                              progress=progress)
    if as_json:
        echo_json(made.to_dict())
        return
    manifest = made.manifest
    for command in made.commands:
        out.print(say(f"ran: {escape(command)}", f"実行：{escape(command)}"), soft_wrap=True)
    out.print(say(
        f"Backed up to {escape(str(destination))}: {manifest.database} store at "
        f"{manifest.revision}, {manifest.credentials:,} credentials, audit log to entry "
        f"{manifest.audit['seq']}, {len(manifest.files)} files with their SHA-256 in "
        f"{backups.MANIFEST}. It holds the master key: keep it as safe as the server.",
        f"{escape(str(destination))} にバックアップしました：{manifest.database} のストア"
        f"（{manifest.revision}）、証明 {manifest.credentials:,} 件、監査ログはエントリ "
        f"{manifest.audit['seq']} まで、{len(manifest.files)} ファイル（SHA-256 は "
        f"{backups.MANIFEST}）。マスター鍵を含むため、サーバーと同じく厳重に保管してください。"),
        soft_wrap=True)
    for en, ja in made.warnings:
        err.print(say(f"[yellow]Note:[/] {escape(en)}", f"[yellow]注意：[/]{escape(ja)}"),
                  soft_wrap=True)


def restore(
    source: Directory,
    data_dir: DataDir = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite a store, key file or checkpoint file already there.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Restore a backup into a fresh data directory (or an empty PostgreSQL database), check
    its checksums, then verify its audit log. / バックアップを復元し、監査ログを検証する"""
    with exit_on_error(), _bars(as_json) as progress:
        settings = Settings.from_env(data_dir=data_dir)
        restored = backups.restore(settings, source=source, force=force, progress=progress)
    with acting(None, settings=settings) as opened, _bars(as_json) as progress:
        checked = backups.check(opened, actor=operator(), manifest=restored.manifest,
                                progress=progress)
    if as_json:
        echo_json({"restored": restored.written, "commands": restored.commands,
                   "manifest": restored.manifest.to_dict(), "check": checked.to_dict(words)})
    else:
        _print_restored(restored, checked)
    if not checked.ok:
        raise typer.Exit(TAMPERED)


def _print_restored(restored: backups.Restored, checked: backups.Check) -> None:
    for command in restored.commands:
        out.print(say(f"ran: {escape(command)}", f"実行：{escape(command)}"), soft_wrap=True)
    where = escape(restored.written[0])
    report = checked.report
    out.print(say(
        f"Restored into {where}: {checked.credentials:,} credentials, schema {checked.revision}.",
        f"{where} に復元しました：証明 {checked.credentials:,} 件、スキーマ {checked.revision}。"),
        soft_wrap=True)
    if checked.ok:
        out.print(say(
            f"Audit log intact: {report.entries:,} entries, {report.checkpoints} checkpoint(s) "
            "agree, and it reaches the end the backup recorded.",
            f"監査ログは改ざんなし：{report.entries:,} 件、チェックポイント {report.checkpoints} "
            "件と一致し、バックアップ時点の末尾まで揃っています。"), soft_wrap=True)
        return
    err.print(say("[bold red]The restored audit log does not verify[/]:",
                  "[bold red]復元した監査ログを検証できません[/]："), soft_wrap=True)
    if not checked.reaches_backup:
        err.print(say("  • it does not reach the entry the backup's manifest names",
                      "  • マニフェストが記録した末尾のエントリがありません"), soft_wrap=True)
    for finding in report.findings:
        err.print(f"  • [bold]{finding.kind}[/] (seq {finding.seq}): "
                  f"{escape(words(finding.said, language()))}", soft_wrap=True)
