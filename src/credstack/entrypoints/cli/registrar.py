"""``credstack registrar …``: the registrar's academic records (issue 56) — import a
student-information system's export, download the template, show a student's record."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from credstack.entrypoints.cli.console import (
    DataDir,
    echo_json,
    exit_on_error,
    operator,
    out,
    read_input,
    runtime,
    t,
)
from credstack.entrypoints.cli.progress import staged
from credstack.services.registrar import importing, records

app = typer.Typer(help="The registrar's academic records: import, template, show. / "
                       "学籍・成績の取込・テンプレート・表示", no_args_is_help=True)

Organisation = Annotated[str, typer.Option("--organisation", "-o",
                                           help="The institution's organisation slug.")]


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="The CSV export; - for stdin.")],
    organisation: Organisation,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="shift_jis, cp932 or utf-8; default: UTF-8 if it reads as UTF-8, "
        "else CP932.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count; write "
                                          "nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")]
    = False,
    data_dir: DataDir = None,
) -> None:
    """Import academic records, all or nothing: every bad row is named with its column,
    and nothing is written while any row is refused. Unchanged students are left alone;
    a changed record becomes the next version, the one before kept in its history."""
    stages = {"checking": t("cli.registrar.checking_rows"),
              "writing": t("cli.registrar.writing_students")}
    with exit_on_error(1, input_code=2):
        data, name = read_input(file, limit=importing.MAX_IMPORT_BYTES)
        with staged(stages, "checking", hidden=as_json) as show, runtime(data_dir) as opened:
            done = importing.import_csv(opened, actor=operator(), organisation=organisation,
                                        data=data, encoding=encoding, source=name,
                                        dry_run=dry_run, progress=show)
    if as_json:
        echo_json(done.to_dict())
        return
    table = Table(title=t("cli.common.import_dry_run_nothing_was") if dry_run
                  else t("cli.common.import"), title_justify="left")
    table.add_column(t("cli.common.what"))
    table.add_column(t("cli.common.count"), justify="right")
    for label, count in (("cli.common.students", done.students),
                         ("cli.registrar.course_results", done.results),
                         ("cli.registrar.new_students", done.created),
                         ("cli.registrar.updated_records", done.updated),
                         ("cli.registrar.unchanged", done.unchanged)):
        table.add_row(t(label), f"{count:,}")
    out.print(table)


@app.command()
def template() -> None:
    """Print the import template (the columns and an example row, UTF-8)."""
    typer.echo(records.template(), nl=False)


@app.command()
def show(
    number: Annotated[str, typer.Argument(help="The student's number (学籍番号).")],
    organisation: Organisation,
    data_dir: DataDir = None,
) -> None:
    """Print a student's record, GPA and history as JSON."""
    with exit_on_error(1), runtime(data_dir) as opened:
        found = records.student_record(opened, actor=operator(), organisation=organisation,
                                       number=number)
    out.print_json(json.dumps(found.to_dict(), ensure_ascii=False))
