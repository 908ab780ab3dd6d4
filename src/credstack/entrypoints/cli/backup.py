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
    t,
)
from credstack.services.operations import backup as backups
from credstack.settings import Settings
from credstack.words import words

#: Exit code of a restore whose audit log does not verify.
TAMPERED = 3

def init(data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        where = opened.settings.store_location
    out.print(t("cli.backup.store_ready", where=where))


Directory = Annotated[Path, typer.Argument(
    help="cli.help.backup.the_backups_directory", show_default=False)]


def _step_names() -> dict[str, str]:
    return {"store": t("cli.backup.copying_store"),
            "checksums": t("cli.backup.checksums"),
            "audit": t("cli.backup.verifying_audit_log")}


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
    with acting(data_dir) as opened, _bars(as_json) as progress:
        made = backups.backup(opened, actor=operator(), destination=destination,
                              progress=progress)
    if as_json:
        echo_json(made.to_dict(words))
        return
    manifest = made.manifest
    for command in made.commands:
        out.print(t("cli.backup.ran", command=escape(command)), soft_wrap=True)
    out.print(t("cli.backup.backed_up_store_at_credentials", value=escape(str(destination)),
                database=manifest.database, revision=manifest.revision,
                credentials=manifest.credentials, value2=manifest.audit['seq'],
                files=len(manifest.files), MANIFEST=backups.MANIFEST),
        soft_wrap=True)
    for warning in made.warnings:
        err.print(t("cli.backup.note", note=escape(words(warning, language()))),
                  soft_wrap=True)


def restore(
    source: Directory,
    data_dir: DataDir = None,
    force: Annotated[bool, typer.Option(
        "--force", help="cli.help.backup.overwrite_a_store_key")
    ] = False,
    as_json: JsonOption = False,
) -> None:
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
        out.print(t("cli.backup.ran", command=escape(command)), soft_wrap=True)
    where = escape(restored.written[0])
    report = checked.report
    out.print(t("cli.backup.restored_into_credentials_schema", where=where,
                credentials=checked.credentials, revision=checked.revision),
        soft_wrap=True)
    if checked.ok:
        out.print(t("cli.backup.audit_log_intact_entries_checkpoint", entries=report.entries,
                    checkpoints=report.checkpoints), soft_wrap=True)
        return
    err.print(t("cli.backup.restored_audit_log"), soft_wrap=True)
    if not checked.reaches_backup:
        err.print(t("cli.backup.does_not_reach_entry_backup"), soft_wrap=True)
    for finding in report.findings:
        err.print(f"  • [bold]{finding.kind}[/] (seq {finding.seq}): "
                  f"{escape(words(finding.said, language()))}", soft_wrap=True)
