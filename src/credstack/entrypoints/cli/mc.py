"""``credstack mc …``: validate, import and export micro-credential programmes;
``credstack schema``: the JSON Schema they are written in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from credstack.core.descriptors import (
    Documents,
    Format,
    ProfileReport,
    Severity,
    get_profile,
    profiles,
    read_documents,
    validate_all,
)
from credstack.core.descriptors.elm.register import RegisterExport
from credstack.core.descriptors.interchange import MAX_INPUT_BYTES
from credstack.core.descriptors.schema import descriptor_schema
from credstack.core.programmes import Change
from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    err,
    exit_on_error,
    language,
    operator,
    out,
    read_input,
    runtime,
    t,
)
from credstack.entrypoints.cli.progress import staged
from credstack.services.programmes import exchange, importing
from credstack.services.programmes.views import ImportReport
from credstack.words import words

app = typer.Typer(
    help="cli.help.mc.micro_credential_programmes_validate",
    no_args_is_help=True)

FormatOption = Annotated[Format | None, typer.Option(
    "--format", help="cli.help.mc.yaml_json_csv_ctdl")]


def _format(file: str, fmt: Format | None) -> Format:
    """The format asked for, else the file name's (YAML for standard input)."""
    return fmt or (Format.YAML if file == "-" else Format.from_filename(file))


def _read(file: str, fmt: Format | None) -> Documents:
    data, name = read_input(file, limit=MAX_INPUT_BYTES)
    return read_documents(data, _format(file, fmt), source=name)


@app.command(help="cli.help.mc.check_programmes_against_framework")
def validate(
    files: Annotated[list[str], typer.Argument(help="cli.help.mc.yaml_json_ctdl_ob")],
    profile: Annotated[list[str] | None, typer.Option(
        "--profile", "-p", help="cli.help.mc.a_framework_profile_id")]
    = None,
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.mc.print_the_reports_as")] = False,
    fmt: FormatOption = None,
) -> None:
    with exit_on_error(2):
        chosen = [get_profile(p) for p in profile] if profile else list(profiles().values())
        results: list[dict[str, Any]] = []
        conforms = True
        for file in files:
            documents = _read(file, fmt)
            for programme in documents.programmes:
                reports = validate_all(programme, chosen)
                conforms &= all(report.conforms for report in reports)
                results.append({"file": file, "code": programme.code,
                                "reports": [report.worded(words).to_dict()
                                            for report in reports]})
                if not as_json:
                    _print_reports(file, programme.code, reports)
    if as_json:
        out.print_json(json.dumps({"conforms": conforms, "programmes": results},
                                  ensure_ascii=False))
    raise typer.Exit(0 if conforms else 1)


#: A finding's mark: its colour, and its words' key.
_MARK = {Severity.ERROR: ("red", "cli.mc.mark.error"),
         Severity.WARNING: ("yellow", "cli.mc.mark.warning"),
         Severity.INFO: ("blue", "cli.mc.mark.info")}


def _print_reports(file: str, code: str, reports: list[ProfileReport]) -> None:
    lang = language()
    for report in reports:
        name = profiles()[report.profile].name.text(lang, "en")
        if report.conforms:
            verdict = t("cli.mc.conforms")
        elif not report.is_micro_credential:
            verdict = t("cli.mc.not_micro_credential")
        else:
            verdict = t("cli.mc.does_not_conform")
        out.print(f"[bold]{file}[/] {code} — {name} ({report.profile}): {verdict}", soft_wrap=True)
        for finding in report.findings:
            colour, mark = _MARK[finding.severity]
            out.print(f"    [{colour}]{t(mark)}[/] [dim]{finding.path}[/] "
                      f"{words(finding.said, lang)}", soft_wrap=True)


@app.command("import", help="cli.help.mc.import_programmes_and_organisations")
def import_(
    file: Annotated[str, typer.Argument(help="cli.help.mc.yaml_json_ctdl_ob_2")],
    dry_run: Annotated[bool, typer.Option("--dry-run",
        help="cli.help.mc.show_what_would_change")] = False,
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.mc.print_the_report_as")] = False,
    fmt: FormatOption = None,
    data_dir: DataDir = None,
) -> None:
    stages = {"reading": t("cli.mc.reading", file=file),
              "checking": t("cli.mc.checking"), "writing": t("cli.mc.writing")}
    with exit_on_error(1, input_code=2):
        data, name = read_input(file, limit=MAX_INPUT_BYTES)
        chosen = _format(file, fmt)
        with staged(stages, "reading", hidden=as_json) as show, runtime(data_dir) as opened:
            report = importing.import_file(opened, actor=operator(), data=data, fmt=chosen,
                                           dry_run=dry_run, source=name, progress=show)
    if as_json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    _print_import(report)


def _print_import(report: ImportReport) -> None:
    title = t("cli.common.import_dry_run_nothing_was") \
        if report.dry_run else t("cli.common.import")
    table = Table(title=title, title_justify="left")
    table.add_column(t("cli.common.what"))
    table.add_column(t("cli.common.count"), justify="right")
    table.add_row(t("cli.mc.organisations_created"),
                  f"{len(report.organisations_created):,}")
    table.add_row(t("cli.mc.organisations_updated"),
                  f"{len(report.organisations_updated):,}")
    for change in (Change.CREATED, Change.NEW_VERSION, Change.DRAFT_REPLACED, Change.PUBLISHED,
                   Change.UNCHANGED):
        table.add_row(t(f"cli.mc.change_{change.name.lower()}"), f"{report.count(change):,}")
    out.print(table)
    if report.dry_run:
        for item in report.programmes[:50]:
            if item.change is not Change.UNCHANGED:
                out.print(f"  {item.change.value:>15}  {item.organisation}/{item.code} "
                          f"v{item.version}")


@app.command(help="cli.help.mc.export_the_newest_published")
def export(
    fmt: Annotated[Format, typer.Option("--format", help="cli.help.mc.yaml_json_csv_ctdl_2")]
    = Format.YAML,
    output: Annotated[Path | None, typer.Option("--output", "-o",
        help="cli.help.mc.file_to_write_default")] = None,
    organisation: Annotated[str | None, typer.Option(
        help="cli.help.mc.only_this_organisations_programmes")] = None,
    text_language: Annotated[str, typer.Option(
        "--language", help="cli.help.mc.ob3_the_language_of")] = "ja",
    register: Annotated[bool, typer.Option(
        "--register", help="cli.help.mc.elm_the_register_profile")] = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as opened:
        exported = exchange.export_programmes(opened, fmt=fmt, organisation=organisation,
                                              language=text_language, register=register)
    if exported.register is not None:
        _print_register_report(exported.register)
    if output is None:
        typer.echo(exported.text, nl=False)
        return
    output.write_text(exported.text, encoding="utf-8")
    err.print(t("cli.mc.wrote_programmes", programmes=exported.programmes, output=output))


def _print_register_report(made: RegisterExport) -> None:
    """What the Register profile holds and, for each programme left out, why (en / ja)."""
    err.print(t("cli.mc.register_profile_qualifications_written_programmes", kept=len(made.kept),
                left_out=len(made.left_out)))
    # One line per reason, never wrapped: the reasons are sentences, and a file or a pager
    # keeps them whole.
    for item in made.left_out:
        title = item.title.get(language()) or next(iter(item.title.values()), "")
        err.print(f"[bold]{escape(item.organisation)}/{escape(item.code)}[/bold] "
                  f"{escape(title)}", soft_wrap=True)
        for reason in item.reasons:
            err.print(f"  – {escape(reason.text)}", soft_wrap=True)


def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o",
        help="cli.help.mc.file_to_write_default")] = None,
) -> None:
    text = json.dumps(descriptor_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(t("cli.mc.wrote_descriptor_schema", output=output))
