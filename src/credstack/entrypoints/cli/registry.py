"""``credstack registry …``: the public registry's search index.

``reindex`` rebuilds the index from the store (with a progress bar) and saves it in the data
directory, where the web service loads it at start; run it after a large import so that the
service does not rebuild while starting. ``stats`` says what the saved index holds and whether
it is current.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from credstack.entrypoints.cli.console import (
    JsonOption,
    err,
    exit_on_error,
    out,
    runtime,
    t,
)
from credstack.services.registry import service as registry

app = typer.Typer(help="cli.help.registry.the_registrys_search_index",
                  no_args_is_help=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir",
    help="cli.help.registry.where_the_sqlite_store", envvar="CREDSTACK_DATA_DIR")]


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


@app.command(help="cli.help.registry.rebuild_the_search_index")
def reindex(data_dir: DataDir = None) -> None:
    with exit_on_error(), runtime(data_dir) as opened, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(t("cli.registry.indexing"), total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        done = registry.reindex(opened, progress=progress)
    size = done.path.stat().st_size
    out.print(t("cli.registry.indexed_programmes_terms_at", programmes=done.programmes,
                terms=done.terms, seconds=done.seconds, size=_mib(size), path=done.path))


@app.command(help="cli.help.registry.show_the_saved_index")
def stats(data_dir: DataDir = None,
          as_json: JsonOption = False) -> None:
    with exit_on_error(), runtime(data_dir) as opened:
        found = registry.index_facts(opened)
    facts = {**dataclasses.asdict(found), "path": str(found.path)}
    if as_json:
        out.print_json(json.dumps(facts, ensure_ascii=False))
        return
    table = Table(show_header=False)
    for key, value in facts.items():
        table.add_row(key, _mib(value) if key == "size_bytes" and isinstance(value, int)
                      else str(value))
    out.print(table)
    if not found.current:
        err.print(t("cli.registry.index_does_not_reflect_store"))
