"""``credstack registrar-documents …``: the registrar's documents (issue 56) — 学位記,
卒業証明書, 卒業見込証明書, 成績証明書, 在学証明書, 科目履修証明書 as a signed PDF, an Open
Badges 3.0 credential and (the transcript) a CLR 2.0, for one student or a graduating class;
withdrawn all at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from credstack.entrypoints.cli.console import (
    DataDir,
    echo_json,
    err,
    exit_on_error,
    operator,
    out,
    runtime,
    t,
)
from credstack.services.registrar import documents, elm

app = typer.Typer(
    help="cli.help.registrar_documents.the_registrars_documents_issue", no_args_is_help=True)

Organisation = Annotated[str, typer.Option("--organisation", "-o",
        help="cli.help.registrar_documents.the_institutions_organisation_slug")]
Kinds = Annotated[list[str] | None, typer.Option(
    "--kind", "-k", help="cli.help.registrar_documents.degree_graduation_expected_transcript")]
Forms = Annotated[list[str] | None, typer.Option(
    "--form", "-f", help="cli.help.registrar_documents.pdf_vc_clr_repeat")]
Languages = Annotated[list[str] | None, typer.Option(
    "--lang", "-l", help="cli.help.registrar_documents.ja_en_repeat_default")]
Wareki = Annotated[bool, typer.Option(
    "--wareki", help="cli.help.registrar_documents.japanese_documents_give_dates")]
OutDir = Annotated[Path, typer.Option("--out",
                                      help="cli.help.registrar_documents.where_to_write_the")]

_SUFFIX = {"pdf": "pdf", "vc": "json", "clr": "clr.json"}


def _write(folder: Path, number: str, items: list[documents.IssuedDocument]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in items:
        path = folder / f"{number}-{item.kind}-{item.language}.{_SUFFIX[item.form]}"
        path.write_bytes(item.content)
        written.append(path)
    return written


@app.command(help="cli.help.registrar_documents.issue_a_students_documents")
def issue(
    number: Annotated[str, typer.Argument(help="cli.help.registrar_documents.the_students_number")],
    organisation: Organisation,
    kinds: Kinds = None, forms: Forms = None, languages: Languages = None,
    wareki: Wareki = False,
    out_dir: OutDir = Path(),
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(1), runtime(data_dir) as opened:
        made = documents.issue_documents(
            opened, actor=operator(), organisation=organisation, number=number,
            kinds=kinds or ["degree", "transcript"], forms=forms or list(documents.FORMS),
            languages=languages or ["ja"], japanese_era=wareki)
    for path in _write(out_dir, number, made):
        out.print(str(path), soft_wrap=True, highlight=False)


@app.command("class", help="cli.help.registrar_documents.issue_documents_to_a")
def issue_class(
    organisation: Organisation,
    batch: Annotated[str, typer.Option("--batch",
        help="cli.help.registrar_documents.the_batchs_name_e")],
    kinds: Kinds = None, forms: Forms = None, languages: Languages = None,
    wareki: Wareki = False,
    standing: Annotated[str, typer.Option("--standing",
        help="cli.help.registrar_documents.whose_documents_the_students")] = "graduated",
    chunk: Annotated[int, typer.Option("--chunk", min=1, max=1000,
        help="cli.help.registrar_documents.students_a_transaction")] = 25,
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=64,
        help="cli.help.registrar_documents.signing_processes")] = None,
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.registrar_documents.print_the_counts_as")]
    = False,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(1), runtime(data_dir) as opened, Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
            MofNCompleteColumn(), TextColumn("{task.fields[forms]}"), TimeElapsedColumn(),
            TimeRemainingColumn(), console=err, transient=True, disable=as_json) as bar:
        task = bar.add_task(t("cli.common.issuing"), total=None, forms="")

        def show(progress: documents.ClassProgress) -> None:
            bar.update(task, completed=progress.done, total=progress.total,
                       forms=t("cli.registrar_documents.forms", issued=progress.issued))

        done = documents.issue_class(
            opened, actor=operator(), organisation=organisation, batch=batch,
            kinds=kinds or ["degree", "transcript"], forms=forms or list(documents.FORMS),
            languages=languages or ["ja"], standing=standing, japanese_era=wareki,
            chunk_size=chunk, workers=workers or os.cpu_count() or 1, progress=show)
    if as_json:
        echo_json({"students": done.students, "issued": done.issued,
                   "already": done.already, "refused": done.refused})
        return
    table = Table(title=t("cli.registrar_documents.documents_issued"), title_justify="left")
    table.add_column(t("cli.common.what"))
    table.add_column(t("cli.common.count"), justify="right")
    for label, count in (("cli.common.students", done.students),
                         ("cli.registrar_documents.forms_signed_now", done.issued),
                         ("cli.registrar_documents.students_done_before", done.already),
                         ("cli.registrar_documents.students_refused", len(done.refused))):
        table.add_row(t(label), f"{count:,}")
    out.print(table)


@app.command(help="cli.help.registrar_documents.withdraw_every_document_issued")
def withdraw(
    number: Annotated[str, typer.Argument(help="cli.help.registrar_documents.the_students_number")],
    organisation: Organisation,
    reason: Annotated[str, typer.Option("--reason",
        help="cli.help.registrar_documents.why_kept_in_the")],
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(1), runtime(data_dir) as opened:
        count = documents.withdraw(opened, actor=operator(), organisation=organisation,
                                   number=number, reason=reason)
    out.print(t("cli.registrar_documents.withdrawn_one") if count == 1 else t(
        "cli.registrar_documents.withdrawn", count=count))


@app.command("list", help="cli.help.registrar_documents.the_documents_issued_from")
def list_(
    number: Annotated[str, typer.Argument(help="cli.help.registrar_documents.the_students_number")],
    organisation: Organisation,
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.registrar_documents.print_as_json")] = False,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(1), runtime(data_dir) as opened:
        found = documents.student_documents(opened, actor=operator(),
                                            organisation=organisation, number=number)
    rows = [{"kind": item.kind, "form": item.form, "language": item.language,
             "id": item.credential_id, "state": item.state, "version": item.record_version,
             "issued": item.created_at.isoformat() if item.created_at else None}
            for item in found]
    if as_json:
        echo_json(rows)
        return
    table = Table(title=t("cli.registrar_documents.documents"), title_justify="left")
    for column in ("kind", "form", "language", "id", "state", "version", "issued"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(value) for value in row.values()))
    out.print(table)


@app.command(help="cli.help.registrar_documents.the_degree_as_a_edc")
def edc(
    number: Annotated[str, typer.Argument(help="cli.help.registrar_documents.the_students_number")],
    organisation: Organisation,
    language: Annotated[str, typer.Option("--lang", "-l",
        help="cli.help.registrar_documents.edc_primary_language")] = "ja",
    out_dir: OutDir = Path(),
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(1), runtime(data_dir) as opened:
        made = elm.degree_edc_file(opened, actor=operator(), organisation=organisation,
                                   number=number, language=language)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / made.filename
    path.write_bytes(made.data)
    out.print(str(path), soft_wrap=True, highlight=False)
