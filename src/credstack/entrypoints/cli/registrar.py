"""``credstack registrar …``: the registrar's academic records (issue 56) — import a
student-information system's export, download the template, show a student's record."""

from __future__ import annotations

import json
from pathlib import Path
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

app = typer.Typer(help="cli.help.registrar.the_registrars_academic_records", no_args_is_help=True)

Organisation = Annotated[str, typer.Option("--organisation", "-o",
        help="cli.help.registrar.the_institutions_organisation_slug")]


@app.command("import", help="cli.help.registrar.import_academic_records_all")
def import_(
    file: Annotated[str, typer.Argument(help="cli.help.registrar.the_csv_export_for")],
    organisation: Organisation,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="cli.help.registrar.shift_jis_cp932_or")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run",
        help="cli.help.registrar.check_and_count_write")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="cli.help.registrar.print_the_counts_as")]
    = False,
    data_dir: DataDir = None,
) -> None:
    stages = {"checking": t("cli.registrar.checking_rows"),
              "checked": t("cli.registrar.checking_rows"),
              "writing": t("cli.registrar.writing_students")}
    with exit_on_error(1, input_code=2):
        data, name = read_input(file, limit=importing.MAX_IMPORT_BYTES)
        with staged(stages, "checking", hidden=as_json) as show, runtime(data_dir) as opened:
            done = importing.import_csv(opened, actor=operator(), organisation=organisation,
                                        data=data, encoding=encoding, source=name,
                                        dry_run=dry_run, progress=show)
    _show(done, dry_run=dry_run, as_json=as_json)


@app.command("import-oneroster", help="cli.help.registrar.import_a_oneroster_roster")
def import_oneroster(
    roster: Annotated[str, typer.Argument(help="cli.help.registrar.the_oneroster_zip_or")],
    organisation: Organisation,
    dry_run: Annotated[bool, typer.Option("--dry-run",
        help="cli.help.registrar.check_and_count_write")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="cli.help.registrar.print_the_counts_as")]
    = False,
    data_dir: DataDir = None,
) -> None:
    stages = {"checking": t("cli.registrar.checking_rows"),
              "checked": t("cli.registrar.checking_rows"),
              "writing": t("cli.registrar.writing_students")}
    with exit_on_error(1, input_code=2):
        folder = Path(roster)
        if folder.is_dir():
            files = {path.name: read_input(str(path), limit=importing.MAX_IMPORT_BYTES)[0]
                     for path in sorted(folder.glob("*.csv"))}
        else:
            files = importing.roster_zip(read_input(roster,
                                                    limit=importing.MAX_IMPORT_BYTES)[0])
        with staged(stages, "checking", hidden=as_json) as show, runtime(data_dir) as opened:
            done = importing.import_roster(opened, actor=operator(), organisation=organisation,
                                           files=files, source=roster, dry_run=dry_run,
                                           progress=show)
    _show(done, dry_run=dry_run, as_json=as_json)


def _show(done: importing.Imported, *, dry_run: bool, as_json: bool) -> None:
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


@app.command(help="cli.help.registrar.print_the_import_template")
def template() -> None:
    typer.echo(records.template(), nl=False)


@app.command(help="cli.help.registrar.print_a_students_record")
def show(
    number: Annotated[str, typer.Argument(help="cli.help.registrar.the_students_number")],
    organisation: Organisation,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(1), runtime(data_dir) as opened:
        found = records.student_record(opened, actor=operator(), organisation=organisation,
                                       number=number)
    out.print_json(json.dumps(found.to_dict(), ensure_ascii=False))
