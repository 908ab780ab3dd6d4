"""``credstack registrar-documents …``: the registrar's documents (issue 56) — 学位記,
卒業証明書, 卒業見込証明書, 成績証明書, 在学証明書, 科目履修証明書 as a signed PDF, an Open
Badges 3.0 credential and (the transcript) a CLR 2.0, for one student or a graduating class;
withdrawn all at once."""

from __future__ import annotations

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
from credstack.services.registrar import documents

app = typer.Typer(help="The registrar's documents: issue, issue to a class, withdraw, list. / "
                       "学修歴証明書の発行・一括発行・失効・一覧", no_args_is_help=True)

Organisation = Annotated[str, typer.Option("--organisation", "-o",
                                           help="The institution's organisation slug.")]
Kinds = Annotated[list[str] | None, typer.Option(
    "--kind", "-k", help="degree, graduation, expected, transcript, enrolment, courses "
    "(repeat; default: degree and transcript).")]
Forms = Annotated[list[str] | None, typer.Option(
    "--form", "-f", help="pdf, vc, clr (repeat; default: all three; a CLR is made of the "
    "transcript).")]
Languages = Annotated[list[str] | None, typer.Option(
    "--lang", "-l", help="ja, en (repeat; default: ja).")]
Wareki = Annotated[bool, typer.Option(
    "--wareki", help="Japanese documents give dates in the Japanese calendar (和暦).")]

_SUFFIX = {"pdf": "pdf", "vc": "json", "clr": "clr.json"}


def _write(folder: Path, number: str, items: list[documents.IssuedDocument]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in items:
        path = folder / f"{number}-{item.kind}-{item.language}.{_SUFFIX[item.form]}"
        path.write_bytes(item.content)
        written.append(path)
    return written


@app.command()
def issue(
    number: Annotated[str, typer.Argument(help="The student's number (学籍番号).")],
    organisation: Organisation,
    kinds: Kinds = None, forms: Forms = None, languages: Languages = None,
    wareki: Wareki = False,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the files.")]
    = Path(),
    data_dir: DataDir = None,
) -> None:
    """Issue a student's documents and write them (NUMBER-KIND-LANG.pdf / .json / .clr.json).
    A form issued before from the same version of the record is written as stored."""
    with exit_on_error(1), runtime(data_dir) as opened:
        made = documents.issue_documents(
            opened, actor=operator(), organisation=organisation, number=number,
            kinds=kinds or ["degree", "transcript"], forms=forms or list(documents.FORMS),
            languages=languages or ["ja"], japanese_era=wareki)
    for path in _write(out_dir, number, made):
        out.print(str(path), soft_wrap=True, highlight=False)


@app.command("class")
def issue_class(
    organisation: Organisation,
    batch: Annotated[str, typer.Option("--batch", help="The batch's name (e.g. 2026-03 "
                                       "graduation): a run again with it resumes.")],
    kinds: Kinds = None, forms: Forms = None, languages: Languages = None,
    wareki: Wareki = False,
    standing: Annotated[str, typer.Option("--standing", help="Whose documents: the students "
                                          "in this standing.")] = "graduated",
    chunk: Annotated[int, typer.Option("--chunk", min=1, max=1000,
                                       help="Students a transaction.")] = 25,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")]
    = False,
    data_dir: DataDir = None,
) -> None:
    """Issue documents to a whole class (the students in --standing), resumable: killed,
    run it again with the same --batch and it signs only what is missing."""
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
            chunk_size=chunk, progress=show)
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


@app.command()
def withdraw(
    number: Annotated[str, typer.Argument(help="The student's number (学籍番号).")],
    organisation: Organisation,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    data_dir: DataDir = None,
) -> None:
    """Withdraw every document issued from a record: its PDFs, credentials and CLRs verify
    as revoked from now on."""
    with exit_on_error(1), runtime(data_dir) as opened:
        count = documents.withdraw(opened, actor=operator(), organisation=organisation,
                                   number=number, reason=reason)
    out.print(t("cli.registrar_documents.withdrawn_one") if count == 1 else t(
        "cli.registrar_documents.withdrawn", count=count))


@app.command("list")
def list_(
    number: Annotated[str, typer.Argument(help="The student's number (学籍番号).")],
    organisation: Organisation,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """The documents issued from a student's record, with their state."""
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
