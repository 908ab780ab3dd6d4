"""Console output shared by the commands: language, errors, who acts, the runtime, and the
options every command spells alike (``--data-dir``, ``--json``, ``--organisation``)."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console, JustifyMethod
from rich.table import Column, Table

from credstack.catalogues import translations
from credstack.core.access import Operator

# The language and the catalogues' folder are the command table's (it reads help before any
# command is imported); the console re-exports them for the commands.
from credstack.entrypoints.cli.main import LOCALE as LOCALE
from credstack.entrypoints.cli.main import help_with as help_with
from credstack.entrypoints.cli.main import language as language
from credstack.errors import (
    CredstackError,
    InputError,
    InputTooLargeError,
    UnreadableInputError,
)
from credstack.settings import Settings

if TYPE_CHECKING:
    from credstack.services.runtime import Runtime

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DataDir = Annotated[Path | None, typer.Option(
    "--data-dir", help="cli.help.console.where_the_sqlite_store",
    envvar="CREDSTACK_DATA_DIR")]
JsonOption = Annotated[bool, typer.Option("--json", help="cli.help.console.print_json")]


class LogFormat(StrEnum):
    """How a server or a worker writes its logs (see :mod:`credstack.entrypoints.logs`)."""

    TEXT = "text"
    JSON = "json"


LogFormatOption = Annotated[LogFormat | None, typer.Option(
    "--log-format",
    help="cli.help.console.text_readable_lines_default", show_default=False)]
OrganisationOption = Annotated[str, typer.Option(
    "--organisation", help="cli.help.console.the_organisations_slug", show_default=False)]


def t(key: str, /, **params: object) -> str:
    """The words of ``key`` in the CLI's catalogue (``locale/<language>/LC_MESSAGES/cli.po``)
    in the console's :func:`language`, its ``{placeholders}`` filled from ``params``."""
    return translations(LOCALE, "cli", language()).gettext(key).format(**params)


def fail(error: CredstackError, *, code: int) -> typer.Exit:
    """Print an error with every problem it names; return the Exit to raise."""
    # The catalogues are read only when there is an error to word (imported here: a command
    # that succeeds pays nothing for them).
    from credstack.entrypoints.web.i18n.codes import problem_said, said

    title = error.title_ja if language() == "ja" else error.title_en
    message = said(error, language()) if error.code else error.message
    err.print(f"[bold red]{title}[/]: {message}", markup=True, soft_wrap=True)
    for problem in error.problems:
        # Each problem in the console's language: worded from its code, or in Japanese where
        # its finder words it so.
        err.print(f"  • {problem_said(problem, language())}", markup=False, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def exit_on_error(code: int = 1, *, input_code: int | None = None) -> Iterator[None]:
    """Print a :class:`CredstackError` the block raises (see :func:`fail`) and exit with
    ``code``, or with ``input_code`` when given and the error is an :class:`InputError`."""
    try:
        yield
    except CredstackError as exc:
        chosen = input_code if input_code is not None and isinstance(exc, InputError) else code
        raise fail(exc, code=chosen) from None


def echo_json(value: object) -> None:
    """``value`` as indented JSON on standard output, non-ASCII characters as they are."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def plain(text: str) -> None:
    """Print ``text`` as it is: no markup, no emoji codes (``did:key:z6Mk…`` would otherwise
    print a key emoji), not wrapped."""
    out.print(text, soft_wrap=True, markup=False, emoji=False)


def print_table(columns: Sequence[str | Column], rows: Iterable[Sequence[str]], *,
                title: str | None = None, title_justify: JustifyMethod = "center") -> None:
    """A table of ``rows`` under ``columns`` (a heading, or a :class:`Column` with its
    options)."""
    table = Table(*columns, title=title, title_justify=title_justify)
    for row in rows:
        table.add_row(*row)
    out.print(table)


def operator() -> Operator:
    """The person at the console, as the services see them: the platform operator, named
    after the OS user in the audit log (``cli:<user>``)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return Operator(name)


def announce_master_key(path: Path) -> None:
    """Say, in the user's language, that a master key file was just made (and must be kept)."""
    err.print(t("cli.console.created_secret_key_issuer_key", path=path), soft_wrap=True)


@contextmanager
def runtime(data_dir: Path | None, *, settings: Settings | None = None) -> Iterator[Runtime]:
    """The runtime of one command on the migrated store of ``data_dir`` (or the
    environment's; or of ``settings`` when given), its master key announced in the user's
    language when it is made."""
    # Imported when a command opens a store: the composition root wires every service, the
    # job queue and the migrations, which a command that opens none (``--help``, reading a
    # file) does not pay for.
    from credstack.entrypoints.bootstrap import open_runtime

    with open_runtime(data_dir, settings=settings, announce=announce_master_key) as opened:
        yield opened


@contextmanager
def acting(data_dir: Path | None, *, code: int = 1, settings: Settings | None = None
           ) -> Iterator[Runtime]:
    """:func:`runtime`, its errors printed and the command ended with ``code``."""
    with exit_on_error(code), runtime(data_dir, settings=settings) as opened:
        yield opened


@contextmanager
def existing_runtime(data_dir: Path | None) -> Iterator[Runtime | None]:
    """:func:`runtime` on the store of ``data_dir`` when there is one; ``None`` when the
    store is the embedded SQLite file and it does not exist (for commands that read a store
    if there is one, such as verifying: they must not leave a new, empty store behind in
    whatever directory they ran)."""
    settings = Settings.from_env(data_dir=data_dir)
    if settings.is_sqlite and not Path(settings.database_url.removeprefix("sqlite:///")).exists():
        yield None
        return
    with runtime(None, settings=settings) as opened:
        yield opened


def read_input(path: str, *, limit: int) -> tuple[bytes, str]:
    """The bytes of a file (or ``-`` for standard input), refusing anything over ``limit``."""
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        name = "<stdin>"
    else:
        file = Path(path)
        try:
            size = file.stat().st_size
            if size > limit:
                raise InputTooLargeError(
                    f"{path} is {size:,} bytes; at most {limit:,} bytes can be read at once.")
            data = file.read_bytes()
        except OSError as exc:
            raise UnreadableInputError(f"Cannot read {path}: {exc.strerror}.") from None
        name = path
    if len(data) > limit:
        raise InputTooLargeError(f"{name} is over {limit:,} bytes.")
    return data, name
