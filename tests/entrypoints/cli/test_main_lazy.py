"""The ``credstack`` command's table (:data:`credstack.entrypoints.cli.main.COMMANDS`): its
help is what the commands say, and a command's module is imported only when it runs.

What a command line imports is read in a fresh interpreter that runs it (``sys.modules``
afterwards), so that nothing this test process has imported already hides a cost.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import COMMANDS, HELP, Translated, app, credstack
from tests.signed_credentials import presentation, signed

#: Runs ``credstack ARGS…`` in this interpreter, then writes its exit code and every module
#: imported to the file named first.
PROBE = """
import json, sys
from credstack.entrypoints.cli.main import app
code = 0
try:
    app(sys.argv[2:], prog_name="credstack")
except SystemExit as stopped:
    code = stopped.code
with open(sys.argv[1], "w", encoding="utf-8") as file:
    json.dump({"code": code, "modules": sorted(sys.modules)}, file)
"""

#: What ``credstack verify FILE`` without a store never imports: the web application and its
#: server, the composition root (which wires the job queue and the migrations), the demo and
#: the background jobs, Alembic and the queue's library.
NOT_FOR_VERIFY = ("credstack.entrypoints.web", "credstack.entrypoints.bootstrap",
                  "credstack.demo", "credstack.services.background", "credstack.adapters.jobs",
                  "uvicorn", "fastapi", "starlette", "alembic", "huey", "redis")
#: What ``credstack verify FILE`` of a JSON credential without a store does not need either:
#: the store (SQLAlchemy, the tables, the repositories, the drivers), the services that stand
#: on it (issuing, the deployment's verifier, the other formats', the trust check), a PDF's
#: signature library, an EDC's SHACL and RDF machinery, the descriptors' file formats (the
#: meaning check parses one programme already decoded), and requests, with which PyLD's own
#: document loader would fetch (credstack gives PyLD a loader of its own).
NOT_FOR_A_JSON_CREDENTIAL = (
    "credstack.adapters.db", "credstack.services.issuance", "credstack.services.verification",
    "credstack.services.formats", "credstack.services.federation",
    "credstack.services.certificates", "credstack.services.elm", "credstack.services.runtime",
    "credstack.core.verification.elm", "sqlalchemy", "psycopg", "pyhanko", "pyhanko_certvalidator",
    "aiohttp", "reportlab", "pyshacl", "rdflib", "pyoxigraph", "jinja2", "prometheus_client",
    "credstack.core.descriptors.interchange.reading",
    "credstack.core.descriptors.interchange.exchange", "credstack.core.descriptors.ctdl",
    "requests", "urllib3", "charset_normalizer")
#: The most modules ``credstack verify`` of a JSON credential imports beyond those a bare
#: interpreter has (issue 52); one more since the compiled JSON-LD shapes are a module of their
#: own (core.crypto.compiled_shapes); one more since the bundled tables are read through
#: core.yamltext (libyaml, which PyYAML imported already); 107 fewer since PyLD is imported
#: without the requests its own document loader would fetch with (core.crypto.jsonld_api).
BEYOND_THE_INTERPRETER = 770


def imported(tmp_path: Path, *args: str, cwd: Path | None = None) -> tuple[int, set[str]]:
    """The exit code of ``credstack ARGS…`` in a fresh interpreter, and the modules it
    imported."""
    record = tmp_path / "imported.json"
    subprocess.run([sys.executable, "-c", PROBE, str(record), *args], check=False,
                   capture_output=True, cwd=cwd or tmp_path,
                   env={**_environment(), "CREDSTACK_DATA_DIR": str(tmp_path / "no-store")})
    found = json.loads(record.read_text(encoding="utf-8"))
    return found["code"], set(found["modules"])


def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items()
            if not key.startswith("CREDSTACK_")} | {"CREDSTACK_LANG": "en"}


def _modules_of(code: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", f"{code}\nimport json, sys\n"
                             "print(json.dumps(sorted(sys.modules)))"],
                            capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout))


def _within(modules: set[str], roots: tuple[str, ...]) -> set[str]:
    return {name for name in modules
            if any(name == root or name.startswith(f"{root}.") for root in roots)}


def _eager() -> typer.Typer:
    """The ``credstack`` command as it was built before the table: every command imported
    and registered with Typer (its help put in words as the table's is)."""
    everything = typer.Typer(cls=Translated, no_args_is_help=True,
                             pretty_exceptions_show_locals=False)
    everything.callback(help=HELP)(credstack)
    for entry in COMMANDS:
        target = getattr(importlib.import_module(entry.module), entry.attribute)
        if isinstance(target, typer.Typer):
            everything.add_typer(target, name=entry.name)
        else:
            everything.command(entry.name, help=entry.help)(target)
    return everything


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_each_row_says_what_its_command_says(entry: Any) -> None:
    """A row's help is its command's own help key (a group's, the key its Typer names), and
    the command is listed as it would list itself (shown, not deprecated, in no panel of
    its own)."""
    command = entry.build()
    assert command.name == entry.name
    assert command.help == entry.help
    assert (command.short_help, command.hidden, command.deprecated) == (None, False, False)
    assert not isinstance(command.rich_help_panel, str)


def test_the_table_names_each_command_once() -> None:
    """No two rows share a name (a second would hide the first)."""
    names = [entry.name for entry in COMMANDS]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("args", [[], ["--help"]], ids=["bare", "help"])
def test_the_help_is_the_help_of_every_command_imported(args: list[str]) -> None:
    """``credstack --help`` (and ``credstack`` alone) prints what the command printed when
    it imported every command to list them."""
    environment = {"COLUMNS": "100", "CREDSTACK_LANG": "en"}
    lazy = CliRunner().invoke(app, args, env=environment)
    eager = CliRunner().invoke(_eager(), args, env=environment)
    assert (lazy.exit_code, lazy.output) == (eager.exit_code, eager.output)
    assert "verify" in lazy.output and "Demo data." in lazy.output


@pytest.mark.parametrize("path", [["verify"], ["mc"], ["mc", "validate"], ["oauth"],
                                  ["accounts", "user", "add"], ["serve"]],
                         ids=" ".join)
def test_a_commands_help_is_its_own(path: list[str]) -> None:
    """``credstack X --help`` prints X's own help, its options and sub-commands, as when
    every command was imported."""
    environment = {"COLUMNS": "100", "CREDSTACK_LANG": "en"}
    lazy = CliRunner().invoke(app, [*path, "--help"], env=environment)
    eager = CliRunner().invoke(_eager(), [*path, "--help"], env=environment)
    assert lazy.exit_code == 0, lazy.output
    assert lazy.output == eager.output


def test_a_mistyped_command_is_still_suggested() -> None:
    """A name close to a command's is answered with the command's name, as before."""
    result = CliRunner().invoke(app, ["verfy", "x.json"])
    assert result.exit_code == 2
    assert "verify" in result.output


def test_the_help_imports_no_command(tmp_path: Path) -> None:
    """``credstack --help`` imports the table and what Typer needs to print help, nothing
    else of credstack and no other library."""
    code, modules = imported(tmp_path, "--help")
    assert code == 0
    assert _within(modules, ("credstack",)) == {
        "credstack", "credstack.entrypoints", "credstack.entrypoints.cli",
        "credstack.entrypoints.cli.main"}
    typer_help = _modules_of("import typer.rich_utils")
    # What rich reads to draw the panels (its emoji table and Unicode widths) and Typer's
    # decorators aside: 4 of credstack, 4 of theirs.
    assert len(modules - typer_help) <= 8, sorted(modules - typer_help)


def test_verify_imports_neither_the_web_application_nor_the_migrations(tmp_path: Path) -> None:
    """``credstack verify FILE`` of a JSON credential, with no store, imports neither the web
    application nor its server, the demo, the migrations or the job queue, and no other
    command."""
    credential = tmp_path / "credential.json"
    credential.write_text(json.dumps(signed()), encoding="utf-8")
    code, modules = imported(tmp_path, "verify", "--offline", str(credential))
    assert code == 0
    assert _within(modules, NOT_FOR_VERIFY) == set()
    commands = {entry.module for entry in COMMANDS} - {"credstack.entrypoints.cli.verify",
                                                       "credstack.entrypoints.cli.main"}
    assert _within(modules, tuple(commands)) == set()


@pytest.mark.parametrize("document", ["credential", "presentation"])
def test_verify_of_a_json_credential_imports_only_the_verifier(tmp_path: Path,
                                                               document: str) -> None:
    """``credstack verify FILE`` of an Open Badges 3.0 credential (or a presentation of one),
    with no store, imports the verifier with its public sources: no store, no PDF signature
    library, no SHACL, no other format's verifier (issue 52: ≤ 1 s of CPU, ``bench/cli.py``)."""
    credential = signed()
    found = tmp_path / f"{document}.json"
    found.write_text(json.dumps(credential if document == "credential"
                                else presentation(credential)), encoding="utf-8")
    code, modules = imported(tmp_path, "verify", "--offline", str(found))
    assert code == 0
    assert _within(modules, NOT_FOR_VERIFY + NOT_FOR_A_JSON_CREDENTIAL) == set()
    # 154 of credstack's and 928 in all on 28 November (2,844 before issue 52), once the
    # descriptors' file formats were left to be imported when read; 156 since the HTTPS
    # issuer's resolver reads JWT VC Issuer Metadata (core.dids.jwt_vc_issuer, issue 58); 157
    # since the proof check reads Blockcerts' Merkle receipts (core.proofs.blockcerts, issue 58);
    # 158 since the compiled JSON-LD shapes left core.crypto.shapes for a module of their own
    # (core.crypto.compiled_shapes, issue 56: the same code, one file more); 159 since the
    # bundled tables are read by libyaml through core.yamltext (issue 52: one file more); 160
    # since PyLD is imported without requests through core.crypto.jsonld_api (issue 52).
    assert len(_within(modules, ("credstack",))) <= 160
    # Counted beyond what the interpreter starts with (and the probe's json): a site's .pth
    # files differ between environments (setuptools' adds _distutils_hack). 930 in all where
    # the interpreter starts with 55.
    assert len(modules - _modules_of("pass")) <= BEYOND_THE_INTERPRETER


def _paths(command: Any, path: list[str]) -> list[list[str]]:
    """``path`` and the path of every sub-command under it."""
    subcommands = getattr(command, "commands", {})
    return [path, *(found for name, sub in subcommands.items()
                    for found in _paths(sub, [*path, name]))]


def test_every_help_reads_as_plain_text() -> None:
    """No command's help (``credstack X … --help``) shows reStructuredText's literal quotes:
    a reader sees CREDSTACK_PUBLIC_URL, not ``CREDSTACK_PUBLIC_URL`` (issue 51, small)."""
    environment = {"COLUMNS": "100", "CREDSTACK_LANG": "en"}
    paths = [found for entry in COMMANDS for found in _paths(entry.load(), [entry.name])]
    quoted = []
    for path in paths:
        result = CliRunner().invoke(app, [*path, "--help"], env=environment)
        assert result.exit_code == 0, (path, result.output)
        if "``" in result.output:
            quoted.append(" ".join(path))
    assert len(paths) > len(COMMANDS) and quoted == []
